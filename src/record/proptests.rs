//! Bounded, deterministic property tests of the recording reader: random bytes, and real
//! recordings mutated (byte flips, truncations, swapped, dropped or doubled lines, huge
//! numbers, bytes that are not UTF-8). Whatever the input, reading never panics, every error
//! is positioned, and whatever is accepted replays without panic.
//!
//! 2,304 cases in all (256 random byte strings, 256 random lines after a good header, 1,792
//! mutations over 7 kinds); the seed is fixed, so a failure reproduces.

use super::{Recording, Replay, decode::input_line};
use crate::drill::{Action, Drill, Input};
use crate::scenario::Scenario;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::sync::{Arc, OnceLock};

/// A real recording: bad-deploy with cues, notes, a pause, a tempo change, joins and leaves.
fn base() -> &'static (Arc<Scenario>, Vec<u8>) {
    static BASE: OnceLock<(Arc<Scenario>, Vec<u8>)> = OnceLock::new();
    BASE.get_or_init(|| {
        let scenario = crate::scenario::bundled()
            .into_iter()
            .find(|e| e.scenario.meta.id == "bad-deploy")
            .expect("bundled bad-deploy")
            .scenario;
        let mut drill = Drill::new(scenario.clone(), 7);
        let header = super::Header::for_drill(&drill, Vec::new());
        let mut out = serde_json::to_string(&header).unwrap();
        out.push('\n');
        let mut inputs = vec![
            Input::new(
                0,
                Action::Join {
                    name: "ann".into(),
                    role: None,
                },
            ),
            Input::new(
                1,
                Action::Join {
                    name: "bø".into(),
                    role: Some("operator".into()),
                },
            ),
        ];
        for beat in 0..40_u64 {
            match beat % 9 {
                2 => inputs.push(Input::new(0, Action::Cue { cue: "ack".into() })),
                4 => inputs.push(Input::new(
                    1,
                    Action::Note {
                        text: format!("TODO: café {beat}"),
                    },
                )),
                6 => inputs.push(Input::new(0, Action::Tempo { bpm: 90 })),
                7 if beat > 30 => inputs.push(Input::new(1, Action::Leave)),
                _ => {}
            }
            if beat == 20 {
                inputs.push(Input::new(0, Action::Pause));
                inputs.push(Input::new(0, Action::Tick));
                inputs.push(Input::new(0, Action::Resume));
            }
            inputs.push(Input::new(0, Action::Tick));
        }
        let n = inputs.len();
        for input in &inputs {
            out.push_str(&input_line(drill.beat, input));
            out.push('\n');
            drill.apply(input);
        }
        out.push_str(&super::end_line(n as u64));
        out.push('\n');
        (scenario, out.into_bytes())
    })
}

/// Reads `bytes`; an error must point at a line of the input (or the whole file), a success
/// must replay (forced, so edited hashes still run) without panic.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let lines = bytes.split(|b| *b == b'\n').count();
    match Recording::parse(bytes, "p.jsonl") {
        Err(d) => {
            prop_assert_eq!(&d.file, "p.jsonl");
            prop_assert!(d.line <= lines, "line {} of {lines}: {d}", d.line);
            prop_assert!(
                d.line == 0 || d.col >= 1,
                "an error on a line has a column: {d}"
            );
            prop_assert!(!d.message.is_empty());
        }
        Ok(rec) => {
            for w in &rec.warnings {
                prop_assert!(w.line >= 1 && w.line <= lines, "{w}");
            }
            let (scenario, _) = base();
            let replay = Replay::open(rec, scenario.clone(), true)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let last = replay.last_beat();
            for beat in [0, last / 2, last, u64::MAX] {
                let _ = replay.state_at(beat);
            }
            let _ = crate::debrief::from_replay(&replay);
        }
    }
    Ok(())
}

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

#[test]
fn the_base_recording_is_read_whole() {
    let (scenario, bytes) = base();
    let rec = Recording::parse(bytes, "p.jsonl").unwrap();
    assert_eq!(rec.completeness, super::Completeness::Complete);
    assert!(Replay::open(rec, scenario.clone(), false).is_ok());
}

#[test]
fn random_bytes_never_panic() {
    runner(256)
        .run(&proptest::collection::vec(any::<u8>(), 0..600), |b| {
            check(&b)
        })
        .unwrap();
}

#[test]
fn random_lines_after_a_good_header_never_panic() {
    let (_, bytes) = base();
    let header_end = bytes.iter().position(|b| *b == b'\n').unwrap() + 1;
    let head = bytes[..header_end].to_vec();
    let line = prop_oneof![
        "\\PC{0,80}",
        r#"\{"beat":[0-9]{1,25},("seat":[0-9]{1,12},)?"do":"(tick|cue|note|pause|resume|tempo|hint|fire|join|leave|end|dance)"(,"(cue|text|bpm|inject|name|role|reason)":("[a-z]{0,8}"|[0-9]{1,22}|null|-1|1e400))*\}"#,
    ];
    runner(256)
        .run(&proptest::collection::vec(line, 0..12), |lines| {
            let mut b = head.clone();
            for l in lines {
                b.extend_from_slice(l.as_bytes());
                b.push(b'\n');
            }
            check(&b)
        })
        .unwrap();
}

/// One way to damage a recording.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Truncate { at: usize },
    Swap { a: usize, b: usize },
    Drop { line: usize },
    Double { line: usize },
    HugeNumber { at: usize, digits: usize },
    NotUtf8 { at: usize, byte: u8 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>();
    prop_oneof![
        (at.clone(), any::<u8>()).prop_map(|(i, byte)| Mutation::Flip {
            at: i.index(usize::MAX),
            byte
        }),
        at.clone().prop_map(|i| Mutation::Truncate {
            at: i.index(usize::MAX)
        }),
        (at.clone(), at.clone()).prop_map(|(a, b)| Mutation::Swap {
            a: a.index(usize::MAX),
            b: b.index(usize::MAX)
        }),
        at.clone().prop_map(|i| Mutation::Drop {
            line: i.index(usize::MAX)
        }),
        at.clone().prop_map(|i| Mutation::Double {
            line: i.index(usize::MAX)
        }),
        (at.clone(), 1_usize..40).prop_map(|(i, digits)| Mutation::HugeNumber {
            at: i.index(usize::MAX),
            digits
        }),
        (at, 0x80_u8..=0xff).prop_map(|(i, byte)| Mutation::NotUtf8 {
            at: i.index(usize::MAX),
            byte
        }),
    ]
}

fn mutate(bytes: &[u8], m: &Mutation) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let mut lines: Vec<Vec<u8>> = bytes
        .split_inclusive(|c| *c == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let n = lines.len();
    match *m {
        Mutation::Flip { at, byte } => {
            let i = at % b.len();
            b[i] ^= byte.max(1);
        }
        Mutation::Truncate { at } => b.truncate(at % b.len()),
        Mutation::Swap { a, b: c } => {
            lines.swap(a % n, c % n);
            b = lines.concat();
        }
        Mutation::Drop { line } => {
            lines.remove(line % n);
            b = lines.concat();
        }
        Mutation::Double { line } => {
            let l = lines[line % n].clone();
            lines.insert(line % n, l);
            b = lines.concat();
        }
        Mutation::HugeNumber { at, digits } => {
            // Replace the digit run nearest `at` with a huge number.
            let digit_runs: Vec<usize> = (0..b.len())
                .filter(|&i| b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()))
                .collect();
            if let Some(&start) = digit_runs.get(at % digit_runs.len().max(1)) {
                let end = (start..b.len())
                    .find(|&i| !b[i].is_ascii_digit())
                    .unwrap_or(b.len());
                let huge = "9".repeat(digits);
                b.splice(start..end, huge.bytes());
            }
        }
        Mutation::NotUtf8 { at, byte } => {
            let i = at % b.len();
            b.insert(i, byte);
        }
    }
    b
}

#[test]
fn mutated_recordings_never_panic_and_errors_are_positioned() {
    let (_, bytes) = base();
    runner(1792)
        .run(&mutation(), |m| check(&mutate(bytes, &m)))
        .unwrap();
}
