//! Recordings end to end: the file format, crash safety with the real binary, replay and seek
//! (identical state at every beat), fork, ghosts, and `gamelan replay --headless --to`.

mod common;

use common::gamelan_with_data as gamelan;
use common::recordings::{BAD_DEPLOY_WIN, play_recorded};
use common::text;

use gamelan::drill::{Action, Drill, Input, Status};
use gamelan::headless::{self, ScriptLine};
use gamelan::record::{self, Ghost, Header, Recorder, Recording, Replay, ReplayError, SeatEntry};
use gamelan::scenario::{self, Mark, Scenario};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn bad_deploy() -> Arc<Scenario> {
    scenario::bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == "bad-deploy")
        .expect("bundled bad-deploy")
        .scenario
}

fn script(scenario: &Scenario, name: &str) -> Vec<ScriptLine> {
    let path = format!("{ROOT}/scenarios/{name}");
    let src = std::fs::read_to_string(&path).unwrap();
    headless::parse_script(&src, &path, scenario).unwrap()
}

/// Plays a script headless and records it the way the CLI does; returns the final drill.
fn record_script(scenario: &Arc<Scenario>, name: &str, path: &Path) -> Drill {
    let lines = script(scenario, name);
    let inputs = headless::run(&mut Drill::new(scenario.clone(), 1), &lines, None);
    let mut drill = Drill::new(scenario.clone(), 1);
    let header = Header::for_drill(&drill, record::seats_at_start(&inputs));
    let mut rec = Recorder::create(path, &header).unwrap();
    record::perform(&mut drill, &inputs, &mut rec, Duration::ZERO).unwrap();
    drill
}

/// The headless drill stopped at `beat`: the definition of "the state at beat B".
fn headless_at(scenario: &Arc<Scenario>, lines: &[ScriptLine], beat: u64) -> Drill {
    let mut drill = Drill::new(scenario.clone(), 1);
    headless::run(&mut drill, lines, Some(beat));
    drill
}

#[test]
fn round_trip_matches_the_live_drill_at_every_beat() {
    let scenario = bad_deploy();
    let dir = tempfile::tempdir().unwrap();
    for name in ["bad-deploy.win.cues", "bad-deploy.lose.cues"] {
        let path = dir.path().join(format!("{name}.jsonl"));
        let live = record_script(&scenario, name, &path);
        let lines = script(&scenario, name);
        let rec = Recording::load(&path).unwrap();
        assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
        let mut replay = Replay::open(rec, scenario.clone(), false).unwrap();
        assert!(replay.warnings().is_empty(), "{:?}", replay.warnings());
        assert_eq!(replay.last_beat(), live.beat);
        assert_eq!(replay.final_drill().state_hash(), live.state_hash());
        for beat in 0..=live.beat {
            let want = headless_at(&scenario, &lines, beat);
            let got = replay.state_at(beat);
            assert_eq!(got.beat, beat);
            assert_eq!(
                got.state_hash(),
                want.state_hash(),
                "{name}: state at beat {beat}"
            );
            // The cursor walks forward one beat at a time from the previous position.
            assert_eq!(
                replay.seek(beat).state_hash(),
                want.state_hash(),
                "{name}: seek to beat {beat}"
            );
        }
        // And backwards, with steps.
        for beat in (0..live.beat).rev() {
            let want = headless_at(&scenario, &lines, beat).state_hash();
            assert_eq!(
                replay.step(-1).state_hash(),
                want,
                "{name}: step back to {beat}"
            );
        }
        assert_eq!(replay.step(-5).beat, 0);
        assert_eq!(
            replay.seek(u64::MAX).state_hash(),
            live.state_hash(),
            "seeking past the end clamps"
        );
    }
}

/// A long scenario (bad-deploy stretched to `bars` bars) so that seeks cross many snapshots.
fn long_scenario(bars: u32) -> Arc<Scenario> {
    let src = std::fs::read_to_string(format!("{ROOT}/scenarios/bad-deploy.toml")).unwrap();
    assert!(src.contains("length_bars = 24"));
    let src = src.replace("length_bars = 24", &format!("length_bars = {bars}"));
    Arc::new(scenario::load_str(&src, "long.toml").unwrap())
}

/// Deterministic pseudo-random inputs from three seats: mostly ticks, with cues (some
/// rejected), notes, pauses with ticks while paused, tempo changes, hints, joins and leaves.
fn random_inputs(n: usize, mut seed: u64) -> Vec<Input> {
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let cues = [
        "ack",
        "declare",
        "logs",
        "deploys",
        "status",
        "restart-db",
        "hotfix",
        "nope",
    ];
    let mut out = vec![
        Input::new(
            0,
            Action::Join {
                name: "fa|ci".into(),
                role: Some("facilitator".into()),
            },
        ),
        Input::new(
            1,
            Action::Join {
                name: "op".into(),
                role: Some("operator".into()),
            },
        ),
        Input::new(
            2,
            Action::Join {
                name: "ic".into(),
                role: Some("commander".into()),
            },
        ),
    ];
    while out.len() < n {
        let r = next() % 100;
        let seat = (next() % 3) as u32;
        let action = match r {
            0..=74 => Action::Tick,
            75..=84 => Action::Cue {
                cue: cues[(next() % cues.len() as u64) as usize].into(),
            },
            85..=87 => Action::Note {
                text: format!("note {}", next() % 1000),
            },
            88 => Action::Pause,
            89 => Action::Resume,
            90 => Action::Tempo {
                bpm: 60 + (next() % 120) as u32,
            },
            91 => Action::Hint,
            92 => Action::Fire {
                inject: "second-region".into(),
            },
            93 => Action::Leave,
            94 => Action::Join {
                name: format!("seat{seat}"),
                role: Some("operator".into()),
            },
            _ => Action::Tick,
        };
        out.push(Input::new(seat, action));
    }
    out
}

#[test]
fn random_drills_replay_exactly_at_every_beat() {
    let scenario = long_scenario(150);
    let dir = tempfile::tempdir().unwrap();
    for seed in [7_u64, 99] {
        let path = dir.path().join(format!("random-{seed}.jsonl"));
        let inputs = random_inputs(1500, seed);
        let mut drill = Drill::new(scenario.clone(), seed);
        let header = Header::for_drill(&drill, Vec::new());
        let mut rec = Recorder::create(&path, &header).unwrap();
        // The live drill's state at the end of each beat.
        let mut live = Vec::new();
        for input in &inputs {
            if input.action == Action::Tick && drill.status == Status::Running {
                assert_eq!(live.len() as u64, drill.beat);
                live.push(drill.state_hash());
            }
            rec.apply(&mut drill, input);
        }
        assert!(rec.status().failure.is_none());
        live.push(drill.state_hash());
        assert!(
            drill.beat > 3 * record::SNAPSHOT_EVERY,
            "the drill should cross several snapshots ({})",
            drill.beat
        );

        let mut replay =
            Replay::open(Recording::load(&path).unwrap(), scenario.clone(), false).unwrap();
        assert_eq!(replay.last_beat() + 1, live.len() as u64);
        for (beat, want) in live.iter().enumerate() {
            assert_eq!(
                replay.state_at(beat as u64).state_hash(),
                *want,
                "seed {seed}: beat {beat}"
            );
        }
        // Cursor moves in every pattern: jumps both ways, within and across snapshots.
        let mut probe = 12_345_u64;
        for _ in 0..200 {
            probe = probe
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let beat = (probe >> 33) % live.len() as u64;
            assert_eq!(
                replay.seek(beat).state_hash(),
                live[beat as usize],
                "seed {seed}: seek {beat}"
            );
            let stepped = replay.step(3).beat;
            assert_eq!(replay.drill().state_hash(), live[stepped as usize]);
        }
    }
}

#[test]
fn events_bars_and_steps_move_the_cursor() {
    let scenario = bad_deploy();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("win.jsonl");
    record_script(&scenario, "bad-deploy.win.cues", &path);
    let mut replay =
        Replay::open(Recording::load(&path).unwrap(), scenario.clone(), false).unwrap();
    // Injects at 4 (release), 10 (db-blip), 16 (support); cues at 16..21, landing at 23; resolve at 36.
    assert_eq!(
        replay.event_beats(),
        &[4, 10, 16, 17, 18, 19, 20, 21, 23, 36]
    );
    assert_eq!(replay.position(), 0);
    assert_eq!(replay.next_event(), Some(4));
    assert_eq!(replay.next_event(), Some(10));
    assert_eq!(replay.drill().beat, 10);
    assert_eq!(replay.prev_event(), Some(4));
    assert_eq!(replay.prev_event(), None);
    assert_eq!(replay.position(), 4);
    assert_eq!(replay.jump_to_bar(6), 20);
    assert_eq!(replay.drill().beat, 20);
    assert_eq!(
        replay.drill().cues_done[scenario.cue_index("rollback").unwrap()],
        Some(20)
    );
    assert_eq!(replay.next_event(), Some(21));
    assert_eq!(replay.jump_to_bar(100), 36, "past the end clamps");
    assert_eq!(replay.next_event(), None);
    assert_eq!(replay.step(-36).beat, 0);
    assert_eq!(replay.step(1).beat, 1);
}

#[test]
fn crash_mid_recording_keeps_every_complete_line() {
    let scenario = bad_deploy();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gamelan"))
        .args([
            "play",
            "bad-deploy",
            "--headless",
            "--cues",
            "scenarios/bad-deploy.win.cues",
            "--pace-ms",
            "40",
            "--record",
        ])
        .arg(&path)
        .current_dir(ROOT)
        .env("GAMELAN_DATA_DIR", dir.path())
        .env("GAMELAN_CONFIG_DIR", dir.path().join("config"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let lines = std::fs::read(&path).map_or(0, |b| b.iter().filter(|c| **c == b'\n').count());
        if lines >= 8 {
            break;
        }
        assert!(Instant::now() < deadline, "the recording never grew");
        assert!(
            child.try_wait().unwrap().is_none(),
            "gamelan exited before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.last(), Some(&b'\n'), "each line is written whole");
    let complete = bytes.iter().filter(|c| **c == b'\n').count();
    assert!(
        (8..60).contains(&complete),
        "killed mid-way: {complete} lines"
    );
    let rec = Recording::load(&path).unwrap();
    assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
    assert_eq!(rec.inputs.len(), complete - 1);

    // Every line is the prefix of what the full run applies, at the right beats.
    let full = headless::run(
        &mut Drill::new(scenario.clone(), 1),
        &script(&scenario, "bad-deploy.win.cues"),
        None,
    );
    let mut drill = Drill::new(scenario.clone(), 1);
    for (r, want) in rec.inputs.iter().zip(&full) {
        assert_eq!(&r.input, want);
        assert_eq!(r.beat, drill.beat);
        drill.apply(want);
    }

    // A write cut mid-line: the torn line is reported, nothing before it is lost.
    let mut torn = bytes.clone();
    torn.extend_from_slice(b"{\"beat\":9,\"seat\":0,\"do\":\"cu");
    std::fs::write(&path, &torn).unwrap();
    let rec = Recording::load(&path).unwrap();
    assert_eq!(rec.inputs.len(), complete - 1);
    assert_eq!(rec.warnings.len(), 1);
    let warning = rec.warnings[0].to_string();
    assert!(
        warning.starts_with(&format!(
            "{}:{}:1: torn final line ignored",
            path.display(),
            complete + 1
        )),
        "{warning}"
    );
    let replay = Replay::open(rec, scenario, false).unwrap();
    assert_eq!(replay.final_drill().state_hash(), drill.state_hash());
    assert!(replay.warnings()[0].contains("torn final line"));
}

fn header_line(scenario: &Scenario) -> String {
    let mut h = Header::new(
        scenario,
        1,
        60,
        vec![SeatEntry {
            seat: 0,
            name: "script".into(),
            role: None,
        }],
    );
    h.started = "2025-01-01T00:00:00Z".into();
    serde_json::to_string(&h).unwrap()
}

#[test]
fn torn_and_malformed_lines() {
    let s = bad_deploy();
    let head = header_line(&s);
    let join = r#"{"beat":0,"seat":0,"do":"join","name":"script","role":null}"#;

    // Torn final line, even one cut in the middle of a UTF-8 character.
    let mut src = format!("{head}\n{join}\n{{\"beat\":0,\"do\":\"tick\"}}\n{{\"beat\":1,\"seat\":0,\"do\":\"note\",\"text\":\"caf").into_bytes();
    src.extend_from_slice(&"é".as_bytes()[..1]);
    let rec = Recording::parse(&src, "r.jsonl").unwrap();
    assert_eq!(rec.inputs.len(), 2);
    assert_eq!(rec.warnings.len(), 1);
    assert!(
        rec.warnings[0]
            .to_string()
            .starts_with("r.jsonl:4:1: torn final line ignored"),
        "{}",
        rec.warnings[0]
    );

    // A complete last line without its newline is kept (with a note).
    let src = format!("{head}\n{join}\n{{\"beat\":0,\"do\":\"tick\"}}");
    let rec = Recording::parse(src.as_bytes(), "r.jsonl").unwrap();
    assert_eq!(rec.inputs.len(), 2);
    assert!(
        rec.warnings[0].message.contains("no newline"),
        "{:?}",
        rec.warnings
    );

    // Malformed lines in the middle are errors at file:line.
    let cases = [
        ("{\"beat\":0,\"do\":\"tick\"", "r.jsonl:3:"),
        ("{\"beat\":0,\"do\":\"dance\"}", "r.jsonl:3:"),
        ("{\"do\":\"tick\"}", "r.jsonl:3:"),
        ("[1,2]", "r.jsonl:3:"),
    ];
    for (bad, prefix) in cases {
        let src = format!("{head}\n{join}\n{bad}\n{{\"beat\":1,\"do\":\"tick\"}}\n");
        let e = Recording::parse(src.as_bytes(), "r.jsonl")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with(prefix), "{bad}: {e}");
    }
    let e = Recording::parse(
        format!("{head}\n{{\"beat\":0,\"do\":\"dance\"}}\n").as_bytes(),
        "r.jsonl",
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown variant `dance`"), "{e}");

    // Unknown format versions are refused, naming both versions.
    let src = head.replace("\"gamelan_recording\":3", "\"gamelan_recording\":4");
    let e = Recording::parse(src.as_bytes(), "r.jsonl")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("format version 4 is not supported") && e.contains("reads versions 1 to 3"),
        "{e}"
    );
}

#[test]
fn malformed_recording_is_a_clear_cli_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    let head = header_line(&bad_deploy());
    std::fs::write(
        &path,
        format!(
            "{head}\n{{\"beat\":0,\"do\":\"tick\"}}\nnot json\n{{\"beat\":1,\"do\":\"tick\"}}\n"
        ),
    )
    .unwrap();
    let out = gamelan(
        dir.path(),
        &["replay", path.to_str().unwrap(), "--headless"],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{}:3:", path.display())), "{err}");
}

#[test]
fn changed_scenario_is_refused_unless_forced() {
    let scenario = bad_deploy();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("win.jsonl");
    record_script(&scenario, "bad-deploy.win.cues", &path);
    let src = std::fs::read_to_string(&path).unwrap();
    let stale = "00000000deadbeef";
    // A recording made before format 3, which carries no source of its own: only the
    // catalogue's scenario is there to replay it against.
    let src = src.replacen("\"gamelan_recording\":3", "\"gamelan_recording\":2", 1);
    std::fs::write(&path, src.replacen(&scenario.content_hash, stale, 1)).unwrap();

    let rec = Recording::load(&path).unwrap();
    let err = Replay::open(rec.clone(), scenario.clone(), false).unwrap_err();
    assert!(matches!(err, ReplayError::ScenarioChanged { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains(stale) && msg.contains(&scenario.content_hash) && msg.contains("--force"),
        "{msg}"
    );
    let forced = Replay::open(rec.clone(), scenario.clone(), true).unwrap();
    assert!(
        forced.warnings().iter().any(|w| w.contains(stale)),
        "{:?}",
        forced.warnings()
    );
    assert_eq!(forced.last_beat(), 36);
    assert!(Ghost::from_recording(&rec, scenario.clone(), false).is_err());

    let out = gamelan(
        dir.path(),
        &["replay", path.to_str().unwrap(), "--headless", "--to", "10"],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains(stale) && err.contains(&scenario.content_hash),
        "{err}"
    );
    let out = gamelan(
        dir.path(),
        &[
            "replay",
            path.to_str().unwrap(),
            "--headless",
            "--to",
            "10",
            "--force",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("forced"));

    // Another scenario entirely is refused too.
    let other = rec.header.clone();
    let mut other_rec = rec;
    other_rec.header = Header {
        scenario: "cert-expiry".into(),
        ..other
    };
    assert!(matches!(
        Replay::open(other_rec, scenario, false),
        Err(ReplayError::OtherScenario { .. })
    ));
}

#[test]
fn fork_continues_differently_and_names_its_parent() {
    let scenario = bad_deploy();
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("win.jsonl");
    let original = record_script(&scenario, "bad-deploy.win.cues", &parent);
    let replay = Replay::open(Recording::load(&parent).unwrap(), scenario.clone(), false).unwrap();

    // After `logs` at beat 19, before the rollback: what if they had restarted the database?
    let fork = replay.fork(19);
    assert_eq!(fork.drill.beat, 19);
    assert_eq!(fork.drill.state_hash(), replay.state_at(19).state_hash());
    assert_eq!(fork.inputs.as_slice(), replay.inputs_until(19));
    let child_path = dir.path().join("fork.jsonl");
    let mut rec = fork.record_to(&child_path).unwrap();
    let mut drill = fork.drill.clone();
    rec.apply(
        &mut drill,
        &Input::new(
            0,
            Action::Cue {
                cue: "restart-db".into(),
            },
        ),
    );
    while !drill.is_ended() {
        rec.apply(&mut drill, &Input::new(0, Action::Tick));
    }
    assert!(rec.status().failure.is_none());
    assert_ne!(drill.state_hash(), original.state_hash());
    assert_eq!(drill.status, Status::Ended("time".into()));

    let child = Recording::load(&child_path).unwrap();
    let p = child
        .header
        .parent
        .clone()
        .expect("the fork names its parent");
    assert_eq!(
        PathBuf::from(&p.recording),
        std::fs::canonicalize(&parent).unwrap()
    );
    assert_eq!(p.beat, 19);
    assert_eq!(child.header.seed, 1);
    assert_eq!(child.header.scenario_hash, scenario.content_hash);
    let replayed = Replay::open(child, scenario.clone(), false).unwrap();
    assert_eq!(
        replayed.final_drill().state_hash(),
        drill.state_hash(),
        "the fork's recording replays exactly"
    );
    // Up to the fork it is the parent; the new input joined beat 19 (the fork beat itself).
    assert_eq!(
        replayed.state_at(18).state_hash(),
        replay.state_at(18).state_hash()
    );
    assert_ne!(
        replayed.state_at(19).state_hash(),
        replay.state_at(19).state_hash()
    );
}

#[test]
fn ghost_lists_marks_and_cues() {
    let scenario = bad_deploy();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("win.jsonl");
    record_script(&scenario, "bad-deploy.win.cues", &path);
    let ghost =
        Ghost::from_recording(&Recording::load(&path).unwrap(), scenario.clone(), false).unwrap();
    assert_eq!(
        ghost.marks,
        vec![
            (Mark::Detected, 5),
            (Mark::Acknowledged, 16),
            (Mark::Mitigated, 23),
            (Mark::Resolved, 36)
        ]
    );
    let cues: Vec<(u64, &str)> = ghost.cues.iter().map(|c| (c.beat, c.id.as_str())).collect();
    assert_eq!(
        cues,
        vec![
            (16, "ack"),
            (17, "declare"),
            (18, "deploys"),
            (19, "logs"),
            (20, "rollback"),
            (21, "status"),
            (36, "resolve")
        ]
    );
    assert_eq!(ghost.last_beat, 36);
    assert!(
        ghost
            .cues
            .iter()
            .all(|c| c.seat == 0 && scenario.cues[c.cue].id == c.id)
    );

    // The losing path: no resolve, a database restart.
    let lose = dir.path().join("lose.jsonl");
    record_script(&scenario, "bad-deploy.lose.cues", &lose);
    let ghost = Ghost::from_recording(&Recording::load(&lose).unwrap(), scenario, false).unwrap();
    assert!(ghost.marks.iter().all(|(m, _)| *m != Mark::Resolved));
    assert!(ghost.cues.iter().any(|c| c.id == "restart-db"));
}

#[test]
fn headless_replay_to_a_beat_equals_headless_play_stopped_there() {
    let scenario = bad_deploy();
    let dir = tempfile::tempdir().unwrap();
    // Recorded by the real binary.
    let path = dir.path().join("win.jsonl");
    let out = play_recorded(dir.path(), "bad-deploy", BAD_DEPLOY_WIN, Some(&path));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = script(&scenario, "bad-deploy.win.cues");
    assert_eq!(
        text(&out.stdout),
        headless::outcome_markdown(&headless_at(&scenario, &lines, u64::MAX))
    );

    let replay = Replay::open(Recording::load(&path).unwrap(), scenario.clone(), false).unwrap();
    for beat in 0..=40 {
        let want = headless::outcome_markdown(&headless_at(&scenario, &lines, beat));
        assert_eq!(
            headless::outcome_markdown(&replay.state_at(beat)),
            want,
            "beat {beat}"
        );
    }
    for (to, beat) in [("0", 0), ("17", 17), ("5:1", 16), ("36", 36), ("90", 90)] {
        let out = gamelan(
            dir.path(),
            &["replay", path.to_str().unwrap(), "--headless", "--to", to],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(
            text(&out.stdout),
            headless::outcome_markdown(&headless_at(&scenario, &lines, beat)),
            "--to {to}"
        );
    }
    let out = gamelan(
        dir.path(),
        &[
            "replay",
            path.to_str().unwrap(),
            "--headless",
            "--to",
            "0:1",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("count from 1"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn recordings_are_listed_with_their_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let out = gamelan(dir.path(), &["recordings"]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("no recordings"),
        "{}",
        text(&out.stdout)
    );
    for cues in ["win", "lose"] {
        let script = format!("scenarios/bad-deploy.{cues}.cues");
        let out = play_recorded(dir.path(), "bad-deploy", &script, None);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let files: Vec<PathBuf> = std::fs::read_dir(dir.path().join("recordings"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().all(|f| {
        f.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .ends_with("-bad-deploy.jsonl")
            || f.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .ends_with("-bad-deploy-2.jsonl")
    }));
    std::fs::write(dir.path().join("recordings").join("junk.jsonl"), "hello\n").unwrap();

    let out = gamelan(dir.path(), &["recordings"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listing = text(&out.stdout);
    assert!(
        listing.contains("ended (resolved), objectives 5 of 5 met"),
        "{listing}"
    );
    assert!(listing.contains("ended (time)"), "{listing}");
    assert!(
        listing.contains("0:18:00") && listing.contains("0:47:30"),
        "{listing}"
    );
    assert!(
        listing.contains("junk.jsonl") && listing.contains("unreadable"),
        "{listing}"
    );
    // A recording can be named by its file name alone.
    let name = files[0].file_name().unwrap().to_str().unwrap();
    let out = gamelan(dir.path(), &["replay", name, "--headless"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn forced_replay_reports_where_it_diverges() {
    // Recorded on the long version of bad-deploy, replayed (forced) on the 96-beat original:
    // the drill ends at its last beat and the recorded beats no longer match.
    let long = long_scenario(150);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    let mut drill = Drill::new(long.clone(), 3);
    let mut rec = Recorder::create(&path, &Header::for_drill(&drill, Vec::new())).unwrap();
    for input in random_inputs(800, 3) {
        rec.apply(&mut drill, &input);
    }
    assert!(rec.finish().complete);
    assert!(drill.beat > 200);
    let short = bad_deploy();
    let replay = Replay::open(Recording::load(&path).unwrap(), short.clone(), true).unwrap();
    assert_eq!(replay.last_beat(), short.length_beats - 1);
    assert!(replay.final_drill().is_ended());
    let w = replay.warnings();
    assert!(
        w[0].starts_with("forced: scenario `bad-deploy` has changed"),
        "{w:?}"
    );
    assert!(
        w[1].contains("but the rebuilt drill is at beat 95"),
        "{w:?}"
    );
    assert_eq!(
        replay.state_at(u64::MAX).state_hash(),
        replay.final_drill().state_hash()
    );
}

// ---- old recordings, completeness, write failures, untrusted headers, file kinds ----

/// Format 1 recordings written before the end line existed: each with the beat it ends at and
/// the state hash its replay reached when it was written.
const V1_FIXTURES: [(&str, &str, u64, u64); 3] = [
    (
        "v1-bad-deploy-win.jsonl",
        "bad-deploy.win.cues",
        36,
        0x3ecc_9404_f0cf_de2e,
    ),
    (
        "v1-bad-deploy-lose.jsonl",
        "bad-deploy.lose.cues",
        95,
        0xd541_c235_7579_8cbb,
    ),
    (
        "v1-queue-backlog-win.jsonl",
        "queue-backlog.win.cues",
        76,
        0x989b_e52b_a15a_04cb,
    ),
];

#[test]
fn old_recordings_keep_loading_and_replaying_to_the_same_state() {
    let catalogue = scenario::Catalogue::load(None);
    for (file, cues, last, hash) in V1_FIXTURES {
        let path = PathBuf::from(format!("{ROOT}/tests/fixtures/recordings/{file}"));
        let rec = Recording::load(&path).unwrap();
        assert_eq!(rec.header.gamelan_recording, 1);
        assert!(rec.warnings.is_empty(), "{file}: {:?}", rec.warnings);
        assert_eq!(rec.completeness, record::Completeness::Unmarked, "{file}");
        // The scenario as it was when these were recorded (the bundled file has moved on).
        let pinned = format!("{ROOT}/tests/fixtures/pinned/{}.toml", rec.header.scenario);
        let entry = record::scenario_for(&rec, &catalogue, Some(&pinned)).unwrap();
        let s = entry.scenario.clone();
        let replay = Replay::open(rec, s.clone(), false).unwrap();
        assert!(
            replay.warnings().is_empty(),
            "{file}: {:?}",
            replay.warnings()
        );
        assert_eq!(replay.last_beat(), last, "{file}");
        assert_eq!(replay.final_drill().state_hash(), hash, "{file}");
        // And it is the drill the script plays today.
        let mut fresh = Drill::new(s.clone(), 1);
        let cues_path = format!("{ROOT}/tests/fixtures/pinned/{cues}");
        let src = std::fs::read_to_string(&cues_path).unwrap();
        let lines = headless::parse_script(&src, &cues_path, &s).unwrap();
        headless::run(&mut fresh, &lines, None);
        assert_eq!(fresh.state_hash(), hash, "{file}");
        let data = tempfile::tempdir().unwrap();
        let out = gamelan(
            data.path(),
            &["debrief", path.to_str().unwrap(), "--scenario", &pinned],
        );
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        assert!(!text(&out.stdout).contains("- recording:"), "{file}");
    }
}

#[test]
fn a_recording_closed_cleanly_ends_with_its_end_line_and_one_cut_short_is_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let out = play_recorded(dir.path(), "bad-deploy", BAD_DEPLOY_WIN, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("recorded to "),
        "{}",
        text(&out.stderr)
    );
    let rec_dir = dir.path().join("recordings");
    let path = std::fs::read_dir(&rec_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let src = std::fs::read_to_string(&path).unwrap();
    assert!(
        src.ends_with("{\"end_of_recording\":{\"inputs\":45}}\n"),
        "{}",
        &src[src.len() - 80..]
    );
    let rec = Recording::load(&path).unwrap();
    assert_eq!(rec.completeness, record::Completeness::Complete);
    assert_eq!(rec.inputs.len(), 45);

    // The same file without its end line, as a kill or a full disk leaves it.
    let cut = rec_dir.join("cut.jsonl");
    let body = src.trim_end_matches("{\"end_of_recording\":{\"inputs\":45}}\n");
    std::fs::write(&cut, body).unwrap();
    let out = gamelan(dir.path(), &["recordings"]);
    let listing = text(&out.stdout);
    let line = |name: &str| {
        listing
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{listing}"))
            .to_string()
    };
    assert!(
        line("cut.jsonl").contains("incomplete (no end line): ended (resolved)"),
        "{listing}"
    );
    let whole = path.file_name().unwrap().to_str().unwrap();
    assert!(!line(whole).contains("incomplete"), "{listing}");

    let out = gamelan(dir.path(), &["debrief", cut.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout)
            .contains("- recording: incomplete (no end line): it stopped before it was closed"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("incomplete (no end line)"),
        "{}",
        text(&out.stderr)
    );
    let out = gamelan(
        dir.path(),
        &["debrief", cut.to_str().unwrap(), "--format", "json"],
    );
    assert!(text(&out.stdout).contains("\"incomplete\": \"incomplete (no end line)\""));
    let out = gamelan(
        dir.path(),
        &["debrief", path.to_str().unwrap(), "--format", "json"],
    );
    assert!(text(&out.stdout).contains("\"incomplete\": null"));
}

#[test]
fn recording_to_dev_full_is_a_clear_error_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = play_recorded(
        dir.path(),
        "bad-deploy",
        BAD_DEPLOY_WIN,
        Some(Path::new("/dev/full")),
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "/dev/full is a character device; a recording is written only to a new regular file"
        ),
        "{err}"
    );
    assert!(!err.contains("recorded to"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "no outcome is printed: {}",
        text(&out.stdout)
    );
}

/// Runs `gamelan ARGS` under `sh` with a file-size limit of one 512-byte block and SIGXFSZ
/// ignored, so a write past it fails with EFBIG as a write to a full disk fails with ENOSPC.
fn gamelan_size_limited(data: &Path, blocks: usize, args: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks} && exec \"$G\" {args}"
        ))
        .env("G", env!("CARGO_BIN_EXE_gamelan"))
        .current_dir(ROOT)
        .env("GAMELAN_DATA_DIR", data)
        .env("GAMELAN_CONFIG_DIR", data.join("config"))
        .output()
        .unwrap()
}

#[test]
fn a_failed_write_stops_the_recording_at_a_whole_line_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("limited.jsonl");
    // Room for the header (which carries the scenario's source) and some 500 bytes of inputs.
    let blocks = header_line(&bad_deploy()).len() / 512 + 2;
    let out = gamelan_size_limited(
        dir.path(),
        blocks,
        &format!(
            "play bad-deploy --headless --cues scenarios/bad-deploy.win.cues --record {}",
            path.display()
        ),
    );
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("recording incomplete: recording stopped at beat "),
        "{err}"
    );
    assert!(err.contains("file too large"), "{err}");
    assert!(!err.contains("recorded to"), "{err}");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() <= blocks * 512, "{} bytes", bytes.len());
    assert_eq!(bytes.last(), Some(&b'\n'), "no torn line is left behind");
    let rec = Recording::load(&path).unwrap();
    assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
    assert_eq!(
        rec.completeness,
        record::Completeness::Incomplete("no end line".into())
    );
    let kept = rec.inputs.len();
    assert!(kept > 3, "{kept}");
    assert!(err.contains(&format!("; {kept} inputs kept")), "{err}");
}

/// A tmpfs of `pages` 4 KiB pages mounted for one test, unmounted when dropped.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    /// `None` (the test is skipped) where mounting is not permitted.
    fn mount(pages: u32) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={}k", pages * 4),
                "tmpfs",
            ])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Tmpfs(dir))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0.path()).status();
    }
}

#[test]
fn a_full_disk_in_a_live_drill_shows_on_the_status_line_and_at_exit() {
    let Some(fs) = Tmpfs::mount(8) else { return };
    // Leave four 4 KiB pages: the header (some 11 KiB with the scenario's source) and the
    // first inputs fit; at 600 BPM with two long notes they are full within some fifteen
    // seconds.
    std::fs::write(fs.path().join("filler"), vec![b'x'; 4 * 4096]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.toml");
    let src = std::fs::read_to_string(format!("{ROOT}/scenarios/bad-deploy.toml")).unwrap();
    std::fs::write(&long, src.replace("length_bars = 24", "length_bars = 400")).unwrap();
    let rec_path = fs.path().join("live.jsonl");
    let err_path = dir.path().join("stderr");
    let script = format!(
        "\"$G\" play {} --tempo 600 --record {} 2>{}; echo EXIT=$?",
        long.display(),
        rec_path.display(),
        err_path.display()
    );
    let (config, data) = (dir.path().join("config"), dir.path().join("data"));
    let env = [
        ("GAMELAN_CONFIG_DIR", config.as_os_str()),
        ("GAMELAN_DATA_DIR", data.as_os_str()),
        ("USER", std::ffi::OsStr::new("ana")),
    ];
    let mut t = common::Term::sh("disk full", &script, &env, 200, 50);
    t.wait_for("Enter starts the metronome");
    t.press("\r");
    t.wait_for("RUNNING");
    for _ in 0..2 {
        t.press("n");
        t.press(&format!("{}\r", "n".repeat(200)));
    }
    // Longer than one wait: the page fills at the metronome's pace.
    let deadline = Instant::now() + Duration::from_secs(120);
    let screen = loop {
        let screen = t.text();
        if screen.contains("recording stopped at beat") {
            break screen;
        }
        assert!(
            Instant::now() < deadline,
            "the recording never stopped:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(screen.contains("disk full"), "{screen}");
    t.press("q");
    t.wait_for("Leave the drill while it runs?");
    t.press("y");
    assert!(t.wait_exit().success(), "{}", t.text());
    t.wait_for("EXIT=0");
    let err = std::fs::read_to_string(&err_path).unwrap();
    assert!(
        err.contains("recording incomplete: recording stopped at beat"),
        "{err}"
    );
    assert!(!err.contains("recorded to"), "{err}");

    let bytes = std::fs::read(&rec_path).unwrap();
    assert_eq!(bytes.last(), Some(&b'\n'), "no torn line is left behind");
    let rec = Recording::load(&rec_path).unwrap();
    assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
    assert_eq!(
        rec.completeness,
        record::Completeness::Incomplete("no end line".into())
    );
    assert!(
        err.contains(&format!("; {} inputs kept", rec.inputs.len())),
        "{err}"
    );
    let notes = rec
        .inputs
        .iter()
        .filter(|r| matches!(r.input.action, Action::Note { .. }))
        .count();
    assert_eq!(notes, 2, "the notes were recorded before the disk filled");
}

#[test]
fn a_header_is_checked_field_by_field_and_never_names_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = header_line(&bad_deploy());
    let cases = [
        (
            r#""scenario":"bad-deploy""#,
            r#""scenario":"/etc/passwd""#,
            "\"scenario\" must be a scenario id",
        ),
        (
            r#""scenario":"bad-deploy""#,
            r#""scenario":"../../etc/passwd""#,
            "it never points at a file",
        ),
        (
            r#""tempo":60"#,
            r#""tempo":0"#,
            "\"tempo\" must be a whole number of beats per minute from 1 to 600, not 0",
        ),
        (
            r#""seed":1"#,
            r#""seed":-3"#,
            "\"seed\" must be a whole number",
        ),
        (
            r#""started":"2025-01-01T00:00:00Z""#,
            r#""started":"soon""#,
            "RFC 3339",
        ),
    ];
    for (from, to, want) in cases {
        let line = good.replace(from, to);
        assert_ne!(line, good);
        let path = dir.path().join("evil.jsonl");
        std::fs::write(&path, format!("{line}\n{{\"beat\":0,\"do\":\"tick\"}}\n")).unwrap();
        let col = line
            .find(&format!("\"{}\"", to.split('"').nth(1).unwrap()))
            .unwrap()
            + 1;
        for cmd in ["replay", "debrief"] {
            let mut args = vec![cmd, path.to_str().unwrap()];
            if cmd == "replay" {
                args.push("--headless");
            }
            let out = gamelan(dir.path(), &args);
            let err = text(&out.stderr);
            assert!(!out.status.success(), "{to}");
            assert!(
                err.contains(&format!("{}:1:{col}: ", path.display())),
                "{to}: {err}"
            );
            assert!(err.contains(want), "{to}: {err}");
            assert!(
                !err.contains("passwd:"),
                "a path from a recording was opened: {err}"
            );
        }
    }
    // A well-formed id that is not in the catalogue: looked up, never opened.
    let path = dir.path().join("other.jsonl");
    std::fs::write(
        &path,
        format!(
            "{}\n",
            good.replace("\"bad-deploy\"", "\"scenarios\"")
                .replace("\"gamelan_recording\":3", "\"gamelan_recording\":2")
        ),
    )
    .unwrap();
    let out = gamelan(
        dir.path(),
        &["replay", path.to_str().unwrap(), "--headless"],
    );
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("not in the catalogue") && err.contains("--scenario FILE"),
        "{err}"
    );
    // The user may name a file.
    let path = dir.path().join("win.jsonl");
    record_script(&bad_deploy(), "bad-deploy.win.cues", &path);
    let out = gamelan(
        dir.path(),
        &[
            "replay",
            path.to_str().unwrap(),
            "--headless",
            "--scenario",
            "scenarios/bad-deploy.toml",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn only_regular_files_of_bounded_size_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.jsonl");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a plain syscall on a path this test owns.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let big = dir.path().join("big.jsonl");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(record::MAX_RECORDING_BYTES + 1).unwrap();
    let sub = dir.path().join("dir.jsonl");
    std::fs::create_dir(&sub).unwrap();
    let cases = [
        (
            fifo.clone(),
            "cannot read: a named pipe (FIFO), not a regular file",
        ),
        (
            PathBuf::from("/dev/zero"),
            "cannot read: a character device, not a regular file",
        ),
        (sub.clone(), "cannot read: a directory, not a regular file"),
        (
            big.clone(),
            "32.0 MiB is too large for a recording: gamelan reads recordings of at most 32 MiB",
        ),
    ];
    for (path, want) in &cases {
        let e = Recording::load(path).unwrap_err().to_string();
        assert_eq!(e, format!("{}: {want}", path.display()));
        // The real binary, bounded: a FIFO must not block it.
        let mut child = Command::new(env!("CARGO_BIN_EXE_gamelan"))
            .args(["debrief"])
            .arg(path)
            .current_dir(ROOT)
            .env("GAMELAN_DATA_DIR", dir.path())
            .env("GAMELAN_CONFIG_DIR", dir.path().join("config"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                child.kill().unwrap();
                panic!("gamelan debrief {} did not return", path.display());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().unwrap();
        assert!(!out.status.success());
        assert!(text(&out.stderr).contains(want), "{}", text(&out.stderr));
    }
    // The listing names them instead of hanging on them.
    let listing_dir = dir.path().join("recordings");
    std::fs::create_dir(&listing_dir).unwrap();
    std::fs::rename(&fifo, listing_dir.join("pipe.jsonl")).unwrap();
    let out = gamelan(dir.path(), &["recordings"]);
    assert!(
        text(&out.stdout).contains("unreadable: cannot read: a named pipe"),
        "{}",
        text(&out.stdout)
    );
}
