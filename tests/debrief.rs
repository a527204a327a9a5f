//! The debrief: golden reports for the bad-deploy winning path (Markdown and JSON, through
//! the real binary), the pure builder, and escaping of user text.
//!
//! `UPDATE_GOLDEN=1 cargo test --test debrief` rewrites tests/golden/debrief.*.

mod common;

use gamelan::debrief;
use gamelan::drill::{Action, Drill, Input};
use gamelan::headless;
use gamelan::record::{self, Header, Recorder, SeatEntry};
use gamelan::scenario::{self, Scenario};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const STARTED: &str = "2025-05-01T14:00:00Z";

fn bad_deploy() -> Arc<Scenario> {
    scenario::bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == "bad-deploy")
        .expect("bundled bad-deploy")
        .scenario
}

fn script_inputs(scenario: &Arc<Scenario>, name: &str) -> Vec<Input> {
    let path = format!("{ROOT}/scenarios/{name}");
    let lines =
        headless::parse_script(&std::fs::read_to_string(&path).unwrap(), &path, scenario).unwrap();
    headless::run(&mut Drill::new(scenario.clone(), 1), &lines, None)
}

/// Records `inputs` with a fixed start time, so the report is the same on every run.
fn record(scenario: &Arc<Scenario>, inputs: &[Input], path: &Path) -> Drill {
    let mut drill = Drill::new(scenario.clone(), 1);
    let mut header = Header::for_drill(&drill, record::seats_at_start(inputs));
    header.started = STARTED.into();
    let mut rec = Recorder::create(path, &header).unwrap();
    record::perform(&mut drill, inputs, &mut rec, Duration::ZERO).unwrap();
    drill
}

fn golden(name: &str, actual: &str) {
    let path = format!("{ROOT}/tests/golden/{name}");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(format!("{ROOT}/tests/golden")).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run with UPDATE_GOLDEN=1"));
    assert!(
        expected == actual,
        "{path} differs (UPDATE_GOLDEN=1 regenerates it):\n{actual}"
    );
}

fn gamelan(data: &Path, args: &[&str]) -> std::process::Output {
    common::gamelan_with_data(data, args)
}

#[test]
fn golden_reports_for_the_winning_path() {
    let scenario = bad_deploy();
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("win.jsonl");
    let inputs = script_inputs(&scenario, "bad-deploy.win.cues");
    let drill = record(&scenario, &inputs, &rec);

    let out = gamelan(dir.path(), &["debrief", rec.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    golden("debrief.md", &md);

    let json_path = dir.path().join("report.json");
    let out = gamelan(
        dir.path(),
        &[
            "debrief",
            rec.to_str().unwrap(),
            "--format",
            "json",
            "-o",
            json_path.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let json = std::fs::read_to_string(&json_path).unwrap();
    golden("debrief.json", &json);

    // The pure builder over the live drill gives the same report.
    let mut report = debrief::build(&drill, &[]);
    report.started = Some(STARTED.into());
    assert_eq!(debrief::markdown(&report), md);
    assert_eq!(debrief::json(&report), json);

    // What the report must contain.
    for needle in [
        "| detected | 5 | 2.5 | 12 | on target |",
        "| resolved | 36 | 18.0 | 45 | on target |",
        "- [x] Do not restart the payments database (it is healthy) — met at beat 36",
        "| 4 | 2:1 | 0:02:00 | - | inject | deploybot on chat: checkout-api v2.41.0",
        "- [ ] add a canary gate to the release train (script, beat 32)",
        "`db-cpu` — not followed",
        "## Hints used (0 of 3)",
        "1. When did you first suspect the release? What told you?",
        "| demanding decision | why difficult | critical cues | information sources | novice errors | expert strategies | sources of uncertainty | what we did | when |",
        "| Roll back or roll forward | A hotfix looks small",
        "| checkout 5xx ratio (`error_ratio`) | 99.5% | 99% (beat 5) | 87% (beat 16) | 79% (beat 23) | 77% (beat 36) | 77% |",
        "  marks       D          A      M            R",
        "▸ checkout 5xx ratio (%): ",
    ] {
        assert!(md.contains(needle), "missing {needle:?}");
    }
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["outcome"]["objectives_met"], 5);
    assert_eq!(v["times"][1]["mark"], "acknowledged");
    assert_eq!(v["times"][1]["minutes"], 8.0);
    assert_eq!(
        v["action_items"][0]["text"],
        "add a canary gate to the release train"
    );
    // The row is linked to the `back-or-forward` decision point: the recording fills it in.
    assert_eq!(
        v["decisions"][0]["what_we_did"],
        "Roll back to v2.40.3 (script)"
    );
}

#[test]
fn losing_path_shows_herrings_hints_and_misses() {
    let scenario = bad_deploy();
    let mut inputs = script_inputs(&scenario, "bad-deploy.lose.cues");
    // A hint asked for late in the drill, before the final beat.
    let at = inputs.len() - 3;
    inputs.insert(at, Input::new(0, Action::Hint));
    let mut drill = Drill::new(scenario.clone(), 1);
    for i in &inputs {
        drill.apply(i);
    }
    let report = debrief::build(
        &drill,
        &[SeatEntry {
            seat: 7,
            name: "observer".into(),
            role: Some("facilitator".into()),
        }],
    );
    let md = debrief::markdown(&report);
    assert!(
        md.contains("`db-cpu` — followed at beat 29 by script"),
        "{md}"
    );
    assert!(md.contains("| resolved | - | - | 45 | missed |"), "{md}");
    assert!(md.contains("## Hints used (1 of 3)"), "{md}");
    assert!(md.contains("The page says 5xx. What changed"), "{md}");
    assert!(md.contains("| 7 | observer | Facilitator |"), "{md}");
    assert!(md.contains("red herring | followed `db-cpu`"), "{md}");
    assert!(md.contains("## Action items\n\n- none"), "{md}");
    assert_eq!(report.outcome.reason.as_deref(), Some("time"));
}

#[test]
fn unfinished_drills_have_marks_not_reached() {
    let scenario = bad_deploy();
    let mut drill = Drill::new(scenario, 1);
    drill.apply(&Input::new(
        0,
        Action::Join {
            name: "solo".into(),
            role: None,
        },
    ));
    for _ in 0..3 {
        drill.apply(&Input::new(0, Action::Tick));
    }
    let report = debrief::build(&drill, &[]);
    assert_eq!(report.outcome.status, "running");
    assert!(report.times.iter().all(|t| t.verdict == "not reached"));
    assert!(report.objectives.iter().all(|o| o.verdict == "pending"));
}

#[test]
fn user_text_is_escaped() {
    let scenario = bad_deploy();
    let mut drill = Drill::new(scenario, 1);
    drill.apply(&Input::new(
        3,
        Action::Join {
            name: "ann | bob".into(),
            role: Some("commander".into()),
        },
    ));
    drill.apply(&Input::new(
        3,
        Action::Note {
            text: "TODO: fix a|b\u{7} and | c".into(),
        },
    ));
    drill.apply(&Input::new(
        3,
        Action::Cue {
            cue: "rm\u{1b}[2J|x".into(),
        },
    ));
    drill.apply(&Input::new(
        5,
        Action::Join {
            name: "fac".into(),
            role: Some("facilitator".into()),
        },
    ));
    drill.apply(&Input::new(
        5,
        Action::End {
            reason: "done\nnow".into(),
        },
    ));
    drill.apply(&Input::new(4, Action::Fire { inject: "x".into() }));
    let md = debrief::markdown(&debrief::build(&drill, &[]));
    assert!(
        md.contains("| 3 | ann \\| bob | Incident commander |"),
        "{md}"
    );
    assert!(md.contains("| note | TODO: fix a\\|b and \\| c |"), "{md}");
    assert!(
        md.contains("| rejected | rm\\u{1b}[2J\\|x: no such cue in this scenario |"),
        "{md}"
    );
    assert!(md.contains("ended (done\\nnow)"), "{md}");
    assert!(!md.contains('\u{1b}') && !md.contains('\u{7}'));
    // Every table row keeps its column count.
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        let unescaped = line.replace("\\|", "");
        let cols = unescaped.matches('|').count();
        assert!([4, 6, 7, 8, 10].contains(&cols), "{line}");
    }
    let json = debrief::json(&debrief::build(&drill, &[]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["action_items"][0]["text"], "fix a|b and | c");
    assert_eq!(v["outcome"]["reason"], "done\nnow");
}

/// A recording of bad-deploy where `seats` distinct seats join (each leaving a note), then a
/// few beats pass.
fn many_seats(seats: u32) -> record::Recording {
    let scenario = bad_deploy();
    let drill = Drill::new(scenario.clone(), 1);
    let header = Header::for_drill(&drill, Vec::new());
    let mut text = serde_json::to_string(&header).unwrap();
    text.push('\n');
    for seat in 0..seats {
        let beat = u64::from(seat * 8 / seats);
        let join = Input::new(
            seat,
            Action::Join {
                name: format!("p{seat}"),
                role: None,
            },
        );
        let note = Input::new(
            seat,
            Action::Note {
                text: "here".into(),
            },
        );
        for i in [&join, &note] {
            text.push_str(&record::input_line(beat, i));
            text.push('\n');
        }
        if (seat + 1) * 8 / seats != seat * 8 / seats {
            text.push_str(&record::input_line(beat, &Input::new(0, Action::Tick)));
            text.push('\n');
        }
    }
    record::Recording::parse(text.as_bytes(), "many.jsonl").unwrap()
}

/// The least of three timings of replaying and debriefing `rec`.
fn replay_and_debrief(rec: &record::Recording) -> Duration {
    (0..3)
        .map(|_| {
            let t = std::time::Instant::now();
            let replay = record::Replay::open(rec.clone(), bad_deploy(), false).unwrap();
            let report = debrief::from_replay(&replay);
            assert_eq!(report.seats.len(), rec.inputs.len() / 2 - 4);
            t.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
fn replay_and_debrief_stay_linear_in_the_number_of_seats() {
    // Seat lookups used to scan every seat on every join and every event: 4 times the seats
    // took 16 times as long. Linear work takes about 4 times as long; allow for noise.
    let (small, large) = (many_seats(5_000), many_seats(20_000));
    let _warm = replay_and_debrief(&small);
    let (a, b) = (replay_and_debrief(&small), replay_and_debrief(&large));
    let ratio = b.as_secs_f64() / a.as_secs_f64();
    assert!(
        ratio < 9.0,
        "5,000 seats: {a:.2?}; 20,000 seats: {b:.2?} ({ratio:.1} times as long)"
    );
}

/// A drill longer than the signal history a drill keeps: its recording is played once more,
/// so the report charts every beat, and the budget at each mark is the drill's own budget at
/// that beat.
#[test]
fn a_long_recording_charts_every_beat_and_its_budget_at_each_mark() {
    let src = std::fs::read_to_string(format!("{ROOT}/scenarios/bad-deploy.toml")).unwrap();
    let src = src.replacen("length_bars = 24", "length_bars = 200", 1);
    assert!(src.contains("length_bars = 200"));
    let scenario = Arc::new(scenario::load_str(&src, "long.toml").unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    // Acknowledge and mitigate late, and never resolve: the drill runs to its end (800 beats).
    let mut inputs = vec![Input::new(
        0,
        Action::Join {
            name: "solo".into(),
            role: None,
        },
    )];
    for beat in 0..800 {
        if beat == 600 {
            inputs.push(Input::new(0, Action::Cue { cue: "ack".into() }));
        }
        if beat == 700 {
            inputs.push(Input::new(
                0,
                Action::Cue {
                    cue: "rollback".into(),
                },
            ));
        }
        inputs.push(Input::new(0, Action::Tick));
    }
    let live = record(&scenario, &inputs, &path);
    assert!(
        live.beat > 512,
        "longer than a drill's history: {}",
        live.beat
    );
    let rec = record::Recording::load(&path).unwrap();
    let replay = record::Replay::open(rec, scenario.clone(), false).unwrap();
    let report = debrief::from_replay(&replay);
    let err = scenario
        .signals
        .iter()
        .position(|s| s.id == "error_ratio")
        .unwrap();
    let track = &report.signals[err];
    assert_eq!(track.first_beat, 0);
    assert_eq!(track.values.len() as u64, live.beat + 1);
    assert_eq!(track.budget_left.len(), track.values.len());
    // Every beat's value is the drill's at that beat.
    for beat in [0, 5, 300, 599, live.beat] {
        let at = replay.state_at(beat);
        assert_eq!(
            track.values[beat as usize], at.signals[err].value as f32,
            "beat {beat}"
        );
        let exact = at.budget_left(err).unwrap();
        let ours = f64::from(track.budget_left[beat as usize]);
        assert!(
            (ours - exact.min(1.0)).abs() < 1e-4,
            "beat {beat}: {ours} vs {exact}"
        );
    }
    let row = &report.budgets[0];
    for at in &row.at_marks {
        if let Some(beat) = at.beat {
            let exact = replay.state_at(beat).budget_left(err).unwrap();
            assert!(
                (at.left.unwrap() - exact.min(1.0)).abs() < 1e-4,
                "{:?}",
                at.mark
            );
        }
    }
    assert!(row.at_marks[1].beat.is_some(), "acknowledged at 600");
    // The live drill holds only its last beats: its rows start later, and the marks before
    // them are unknown rather than wrong.
    let held = debrief::build(&live, &[]);
    assert!(held.signals[err].first_beat > 0);
    assert_eq!(held.budgets[0].end, row.end);
    let md = debrief::markdown(&report);
    assert!(md.contains("One column is about 13.3 beats"), "{md}");
}
