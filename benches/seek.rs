//! Replay seek on a two-hour recording (bar: any beat in under 10 ms).
//!
//! The recording is synthetic: bad-deploy stretched to 3,700 bars, played at 120 BPM for
//! 120 minutes (14,400 beats), with cues, notes, hints, a pause with ticks while paused, and
//! tempo changes scattered through it. It is written through a real `Recorder` and read back.

use criterion::{Criterion, criterion_group, criterion_main};
use gamelan::drill::{Action, Drill, Input};
use gamelan::record::{Header, Recorder, Recording, Replay};
use gamelan::scenario;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

const BEATS: u64 = 120 * 120;

fn two_hour_recording(dir: &std::path::Path) -> (Recording, Arc<scenario::Scenario>) {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/bad-deploy.toml"
    ))
    .unwrap();
    let src = src.replace("length_bars = 24", "length_bars = 3700");
    let scenario = Arc::new(scenario::load_str(&src, "two-hours.toml").unwrap());
    let mut drill = Drill::new(scenario.clone(), 42);
    drill.bpm = 120;
    let path = dir.join("two-hours.jsonl");
    let mut rec = Recorder::create(&path, &Header::for_drill(&drill, Vec::new())).unwrap();
    rec.apply(
        &mut drill,
        &Input::new(
            0,
            Action::Join {
                name: "ic".into(),
                role: Some("commander".into()),
            },
        ),
    );
    rec.apply(
        &mut drill,
        &Input::new(
            1,
            Action::Join {
                name: "op".into(),
                role: Some("operator".into()),
            },
        ),
    );
    rec.apply(
        &mut drill,
        &Input::new(
            2,
            Action::Join {
                name: "fac".into(),
                role: Some("facilitator".into()),
            },
        ),
    );
    let cues = [
        "ack",
        "declare",
        "logs",
        "deploys",
        "status",
        "logs",
        "restart-db",
        "hotfix",
        "logs",
        "rollback",
    ];
    let tick = Input::new(2, Action::Tick);
    let mut n = 0_usize;
    while drill.beat < BEATS {
        let b = drill.beat;
        if b % 7 == 3 {
            let seat = (n % 2) as u32;
            rec.apply(
                &mut drill,
                &Input::new(
                    seat,
                    Action::Cue {
                        cue: cues[n % cues.len()].into(),
                    },
                ),
            );
            n += 1;
        }
        if b % 50 == 5 {
            rec.apply(
                &mut drill,
                &Input::new(
                    0,
                    Action::Note {
                        text: format!("TODO: look at beat {b}"),
                    },
                ),
            );
        }
        if b % 997 == 3 {
            rec.apply(&mut drill, &Input::new(2, Action::Hint));
            rec.apply(
                &mut drill,
                &Input::new(
                    2,
                    Action::Tempo {
                        bpm: 100 + (b % 40) as u32,
                    },
                ),
            );
        }
        if b == 7_000 {
            rec.apply(&mut drill, &Input::new(2, Action::Pause));
            for _ in 0..240 {
                rec.apply(&mut drill, &tick);
            }
            rec.apply(&mut drill, &Input::new(2, Action::Resume));
        }
        rec.apply(&mut drill, &tick);
        assert!(
            !drill.is_ended(),
            "the drill ended early at beat {}",
            drill.beat
        );
    }
    (Recording::load(&path).unwrap(), scenario)
}

fn seek(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (rec, scenario) = two_hour_recording(dir.path());
    let lines = rec.inputs.len() + 1;
    let t = Instant::now();
    let mut replay = Replay::open(rec, scenario, false).unwrap();
    let open = t.elapsed();
    assert_eq!(replay.last_beat(), BEATS);
    eprintln!(
        "two-hour recording: {lines} lines, {} log entries; Replay::open took {open:.2?}",
        replay.final_drill().log.len()
    );

    let mut g = c.benchmark_group("seek");
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    let mut random_beat = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % (BEATS + 1)
    };
    g.bench_function("state_at(random beat), 2 h recording", |b| {
        b.iter(|| black_box(replay.state_at(random_beat()).beat))
    });
    g.bench_function("cursor seek(random beat), 2 h recording", |b| {
        b.iter(|| black_box(replay.seek(random_beat()).beat))
    });
    g.bench_function("cursor step(+1)", |b| {
        b.iter(|| {
            if replay.position() == BEATS {
                replay.seek(0);
            }
            black_box(replay.step(1).beat)
        })
    });
    g.bench_function("worst case: last beat before a snapshot", |b| {
        let beat = BEATS - 1 - BEATS % gamelan::record::SNAPSHOT_EVERY;
        b.iter(|| black_box(replay.state_at(beat).beat))
    });
    g.finish();
}

criterion_group!(benches, seek);
criterion_main!(benches);
