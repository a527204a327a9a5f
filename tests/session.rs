//! The weekly session: the bundled setlist, deck and script through the real binary (a
//! golden write-up in Markdown and JSON, a recording that `gamelan debrief` reads back),
//! `gamelan check` on good and bad session files, positioned script errors, and the roles
//! the core enforces (observers refused, only the facilitator navigates, a rejoin lands in
//! the current segment).
//!
//! `UPDATE_GOLDEN=1 cargo test --test session` rewrites tests/golden/session-weekly.*.

mod common;

use gamelan::session::input::PaneName;
use gamelan::session::state::{Activity, Phase};
use gamelan::session::{
    Mark, ROOM, SessionAction as A, SessionEvent, SessionInput, VistaShape, bundled,
};
use gamelan::session::{Session, setlist};
use std::path::Path;
use std::process::Output;
use std::sync::Arc;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const WEEKLY: &[&str] = &[
    "session",
    "sessions/weekly.toml",
    "--headless",
    "--script",
    "sessions/weekly.script",
];

fn gamelan(args: &[&str]) -> Output {
    common::gamelan("session-home", args)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ok(args: &[&str]) -> String {
    let out = gamelan(args);
    assert!(
        out.status.success(),
        "gamelan {args:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        stdout(&out)
    );
    stdout(&out)
}

fn golden(name: &str, actual: &str) {
    let path = format!("{ROOT}/tests/golden/{name}");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
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

#[test]
fn golden_writeup_of_the_weekly_script() {
    let md = ok(WEEKLY);
    golden("session-weekly.md", &md);
    let mut json_args = WEEKLY.to_vec();
    json_args.extend(["--format", "json"]);
    let json = ok(&json_args);
    golden("session-weekly.json", &json);
    // What the brief of the example promises, whatever the golden says.
    for needle in [
        "| dee | observer |",
        "| 1:30 | checkout 5xx ratio | cy | question |",
        "found with help",
        "not found",
        "would escalate to: the data platform on-call rotation",
        "objectives 5 of 5 met",
        "- [ ] write a first-shift guide",
        "| 2:40 | dee | note | observers are read-only |",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in:\n{md}");
    }
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["gaps"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(
        v["segments"][1]["detail"]["turns"][1]["result"],
        "found with help"
    );
}

#[test]
fn the_same_seed_gives_the_same_session_and_another_seed_other_spins() {
    assert_eq!(ok(WEEKLY), ok(WEEKLY));
    let mut other = WEEKLY.to_vec();
    other.extend(["--seed", "7"]);
    let turns = |md: &str| -> Vec<String> {
        md.lines()
            .filter(|l| l.starts_with("#### Turn"))
            .map(String::from)
            .collect()
    };
    assert_ne!(turns(&ok(WEEKLY)), turns(&ok(&other)));
}

#[test]
fn a_recorded_session_debriefs_to_the_same_writeup() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("weekly.jsonl");
    let mut args = WEEKLY.to_vec();
    args.extend(["--record", rec.to_str().unwrap()]);
    let out = gamelan(&args);
    assert!(out.status.success(), "{out:?}");
    let live = stdout(&out);
    // The DRT segment's table is saved beside the recording, as the DRT view exports it.
    let (md, csv) = (rec.with_extension("drt.md"), rec.with_extension("drt.csv"));
    let said = String::from_utf8_lossy(&out.stderr);
    let paths = format!("DRT table saved to {} and {}", md.display(), csv.display());
    assert!(said.contains(&paths), "{said}");
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.starts_with("| demanding decision |"), "{md}");
    assert!(md.contains("the release marker on the 5xx panel"), "{md}");
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.starts_with("decision,why_difficult,"), "{csv}");
    assert!(
        csv.contains("was the hotfix already half rolled out?"),
        "{csv}"
    );
    let back = gamelan::drt::from_csv("weekly.drt.csv", &csv).unwrap();
    assert_eq!(back.rows.len(), md.lines().count() - 2);
    let again = ok(&["debrief", rec.to_str().unwrap()]);
    let without_start: String = again
        .lines()
        .filter(|l| !l.starts_with("- started: "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(again.contains("- started: 20"), "{again}");
    assert_eq!(without_start, live);
    // The recording is never overwritten.
    let out = gamelan(&args);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot write the recording"),
        "{out:?}"
    );
}

#[test]
fn without_headless_the_live_session_is_not_faked() {
    let out = gamelan(&["session", "weekly"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--headless --script"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bundled_setlists_are_found_by_name() {
    let md = ok(&[
        "session",
        "weekly",
        "--headless",
        "--script",
        "sessions/weekly.script",
    ]);
    assert_eq!(md, ok(WEEKLY));
}

#[test]
fn check_accepts_the_bundled_session_files() {
    let out = ok(&["check", "sessions/weekly.toml", "sessions/stack.deck.toml"]);
    assert!(out.contains("sessions/weekly.toml: ok (setlist `"), "{out}");
    assert!(
        out.contains("sessions/stack.deck.toml: ok (deck `"),
        "{out}"
    );
    for (name, _) in bundled::files() {
        let on_disk = std::fs::read_to_string(format!("{ROOT}/sessions/{name}")).unwrap();
        assert_eq!(
            Some(on_disk.as_str()),
            bundled::files()
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| *t)
        );
    }
    let listed: Vec<String> = std::fs::read_dir(format!("{ROOT}/sessions"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    for n in &listed {
        assert!(
            bundled::files().iter().any(|(b, _)| b == n),
            "sessions/{n} is not bundled"
        );
    }
}

/// `gamelan check FILE` must report exactly these `line:col: message` starts.
fn check_reports(file: &str, want: &[&str]) {
    let out = gamelan(&["check", file]);
    assert!(!out.status.success(), "{file} passed check");
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    for w in want {
        let full = format!("{file}:{w}");
        assert!(
            lines.iter().any(|l| l.starts_with(&full)),
            "missing `{full}` in:\n{text}"
        );
    }
    assert_eq!(lines.len(), want.len(), "other problems reported:\n{text}");
}

#[test]
fn bad_setlists_report_every_problem_in_place() {
    check_reports(
        "tests/fixtures/sessions/bad-setlist.toml",
        &[
            "4:1: unknown key in [setlist] `bmp`; did you mean `bpm`?",
            "5:16: [setlist]: `turn_minutes` must be a finite number, not inf",
            "9:11: segments[0] (walkthrough): `minutes` must be a finite number, not NaN",
            "10:9: segments[0] (walkthrough): `range`: `forever` is not a duration",
            "14:11: segments[1] (wheel): `minutes` must be between 0.5 and 480",
            "16:1: segments[1] (wheel): a `wheel` segment does not use `seed`",
            "18:1: segments[2] (drt): a `drt` segment needs `scenario`",
            "22:1: segments[3] (discussion): missing `minutes`",
            "24:1: segments[3] (discussion): unknown key `titel`; did you mean `title`?",
        ],
    );
    check_reports(
        "tests/fixtures/sessions/bad-refs.toml",
        &[
            "8:8: no deck `missing.deck.toml` beside the setlist",
            "13:12: no scenario `no-such-drill`; known: bad-deploy",
            "18:12: no scenario `bad-deplo`",
        ],
    );
    check_reports(
        "tests/fixtures/sessions/bad-syntax.toml",
        &["2:22: invalid basic string"],
    );
}

#[test]
fn bad_decks_report_every_problem_in_place() {
    check_reports(
        "tests/fixtures/sessions/bad-deck.toml",
        &[
            "7:8: prompts[0]: unknown placeholder `{service}`",
            "15:8: themes[0]: unknown theme kind `servise`; did you mean `service`?",
            "17:15: themes[0]: notes: unknown prompt `wher`; did you mean `where`?",
            "20:1: duplicate theme id `checkout-api`",
        ],
    );
}

#[test]
fn too_many_segments_and_huge_numbers_are_refused() {
    let mut src = String::from("[setlist]\ntitle = \"long\"\nbpm = 99999999999999999999999\n");
    for _ in 0..65 {
        src.push_str("[[segments]]\nkind = \"discussion\"\nminutes = 1\n");
    }
    let errs: Vec<String> = setlist::load_str(&src, "long.toml")
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        errs.iter()
            .any(|e| e.starts_with("long.toml:3:7: [setlist]: `bpm` must be between 10 and 240")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("65 [[segments]] entries; at most 64")),
        "{errs:#?}"
    );
    let long_title = format!("[setlist]\ntitle = \"{}\"\n", "x".repeat(121));
    let errs = setlist::load_str(&long_title, "t.toml").unwrap_err();
    assert!(
        errs.iter().any(|e| e.to_string().contains("at most 120")),
        "{errs:?}"
    );
    let six_hours: String = (0..5)
        .map(|_| "[[segments]]\nkind = \"discussion\"\nminutes = 480\n")
        .collect();
    let errs =
        setlist::load_str(&format!("[setlist]\ntitle = \"t\"\n{six_hours}"), "t.toml").unwrap_err();
    assert!(
        errs.iter()
            .any(|e| e.to_string().contains("at most 1440 minutes")),
        "{errs:?}"
    );
}

#[test]
fn script_errors_are_positioned() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "0 ana join\n0 ana nxet\n",
            "2:7: unknown action `nxet`; did you mean `next`?",
        ),
        (
            "0 ana join\n9 ana next\n3 ana next\n",
            "3:1: beat 3 comes before",
        ),
        (
            "0 ana join\n1 ana spin-for zed\n",
            "2:16: no seat `zed` acts in this script",
        ),
        (
            "0 ana join\n1 ana retire checkout-apu\n",
            "2:14: no theme `checkout-apu`",
        ),
        // Resolved while the session runs: the pane of the vista shown, the drill's cues.
        (
            "0 ana join\n1 ana next\n2 ana focus nope\n",
            "3:7: no pane `nope` in the vista",
        ),
        (
            "0 ana join\n1 ana next\n2 ana next\n3 ana next\n4 ana drill ackk\n",
            "5:13: unknown cue `ackk`",
        ),
        (
            "0 ana join\n1 ana drill ack\n",
            "2:7: no drill is running here",
        ),
    ];
    for (i, (script, want)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("{i}.script"));
        std::fs::write(&path, script).unwrap();
        let p = path.to_str().unwrap();
        let out = gamelan(&["session", "weekly", "--headless", "--script", p]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{script} passed");
        assert!(
            err.contains(&format!("{p}:{want}")),
            "want `{p}:{want}` in:\n{err}"
        );
    }
}

// ---- the core through the library ----

fn weekly() -> Session {
    Session::new(Arc::new(bundled::plan("weekly").unwrap()), 1)
}

fn input(beat: u64, seat: u32, action: A) -> SessionInput {
    SessionInput::new(beat, seat, action)
}

fn join(s: &mut Session, beat: u64, seat: u32, name: &str) {
    s.apply(&input(beat, seat, A::Join { name: name.into() }));
}

fn refused(events: &[SessionEvent]) -> Option<&str> {
    events.iter().find_map(|e| match e {
        SessionEvent::Refused { reason, .. } => Some(reason.as_str()),
        _ => None,
    })
}

fn shape() -> VistaShape {
    VistaShape {
        title: "test".into(),
        source: "test".into(),
        story_pace: None,
        panes: vec![PaneName {
            id: "a".into(),
            title: "A".into(),
        }],
    }
}

#[test]
fn observers_act_on_nothing() {
    let mut s = weekly();
    join(&mut s, 0, 0, "ana");
    s.apply(&input(0, 1, A::Observe { name: "obs".into() }));
    s.apply(&input(1, 0, A::Next));
    s.apply(&input(
        1,
        ROOM,
        A::ShowVista {
            segment: 0,
            vista: shape(),
        },
    ));
    let everything = [
        A::Next,
        A::Back,
        A::Skip,
        A::Extend { beats: 60 },
        A::End { reason: "x".into() },
        A::HandPresenter { to: 1 },
        A::HandFacilitator { to: 1 },
        A::Note {
            text: "hello".into(),
        },
        A::Remark {
            pane: None,
            text: "hi".into(),
            question: true,
        },
        A::Focus { pane: 0 },
        A::Zoom { on: true },
        A::Tour { step: Some(0) },
        A::Range { seconds: 600 },
        A::Spin,
        A::SpinFor { person: 0 },
        A::Escalate { to: "x".into() },
        A::Pass,
        A::Mark {
            result: Mark::Found,
        },
        A::Retire {
            theme: "checkout-api".into(),
        },
        A::Restore {
            theme: "checkout-api".into(),
        },
        A::Tick,
    ];
    for action in everything {
        let before = s.clone();
        // At the current beat, so that not even the clock moves.
        let events = s.apply(&input(1, 1, action.clone()));
        assert!(
            refused(&events).is_some(),
            "{action:?} was not refused: {events:?}"
        );
        // Nothing changed but the log.
        let mut after = s.clone();
        after.log = before.log.clone();
        after.log_dropped = before.log_dropped;
        assert_eq!(after, before, "{action:?} changed the session");
    }
    // The facilitator cannot hand a role to an observer either.
    let e = s.apply(&input(3, 0, A::HandPresenter { to: 1 }));
    assert!(
        refused(&e).unwrap().contains("observers are read-only"),
        "{e:?}"
    );
    // But an observer may leave.
    let e = s.apply(&input(4, 1, A::Leave));
    assert_eq!(e, vec![SessionEvent::Left { seat: 1 }]);
}

#[test]
fn only_the_facilitator_navigates_and_only_the_presenter_drives() {
    let mut s = weekly();
    join(&mut s, 0, 0, "ana");
    join(&mut s, 0, 1, "bo");
    assert_eq!((s.facilitator, s.presenter), (Some(0), Some(0)));
    let e = s.apply(&input(1, 1, A::Next));
    assert_eq!(refused(&e), Some("only the facilitator may do this"));
    s.apply(&input(1, 0, A::Next));
    s.apply(&input(
        1,
        ROOM,
        A::ShowVista {
            segment: 0,
            vista: shape(),
        },
    ));
    let e = s.apply(&input(2, 1, A::Zoom { on: true }));
    assert_eq!(
        refused(&e),
        Some("only the presenter drives the walkthrough")
    );
    s.apply(&input(3, 0, A::HandPresenter { to: 1 }));
    let e = s.apply(&input(4, 1, A::Zoom { on: true }));
    assert_eq!(refused(&e), None, "{e:?}");
    let e = s.apply(&input(5, 0, A::Zoom { on: false }));
    assert!(
        refused(&e).is_some(),
        "the facilitator is not the presenter now"
    );
    // The room cannot navigate, and people cannot speak for the room.
    let e = s.apply(&input(6, ROOM, A::Next));
    assert!(refused(&e).is_some());
    let e = s.apply(&input(
        6,
        0,
        A::ShowVista {
            segment: 0,
            vista: shape(),
        },
    ));
    assert!(refused(&e).is_some());
}

#[test]
fn a_rejoin_and_a_late_join_land_in_the_current_segment() {
    let mut s = weekly();
    join(&mut s, 0, 0, "ana");
    join(&mut s, 0, 1, "bo");
    s.apply(&input(10, 0, A::Next));
    s.apply(&input(20, 1, A::Leave));
    s.apply(&input(30, 0, A::Next));
    s.apply(&input(40, 0, A::Next));
    assert_eq!(s.phase, Phase::In { segment: 2 });
    let e = s.apply(&input(50, 1, A::Join { name: "bo".into() }));
    assert_eq!(
        e,
        vec![SessionEvent::Joined {
            seat: 1,
            observer: false,
            rejoin: true,
            segment: Some(2)
        }]
    );
    assert_eq!(s.seat(1).unwrap().segments, vec![0, 2]);
    let e = s.apply(&input(60, 2, A::Join { name: "cy".into() }));
    assert!(matches!(
        e[0],
        SessionEvent::Joined {
            segment: Some(2),
            rejoin: false,
            ..
        }
    ));
    assert_eq!(s.seat(2).unwrap().segments, vec![2]);
    // The clocks: 20 beats in segment 0, 10 in segment 1, 20 so far in segment 2.
    let spent: Vec<u64> = s.segments.iter().map(|g| g.elapsed).collect();
    assert_eq!(spent, vec![20, 10, 20, 0, 0, 0]);
}

#[test]
fn back_extend_and_overtime() {
    let mut s = weekly();
    join(&mut s, 0, 0, "ana");
    s.apply(&input(0, 0, A::Next));
    let e = s.apply(&input(601, ROOM, A::Tick));
    assert_eq!(e, vec![SessionEvent::Overtime { segment: 0 }]);
    s.apply(&input(601, 0, A::Extend { beats: 120 }));
    assert!(!s.segments[0].overtime);
    s.apply(&input(700, 0, A::Next));
    s.apply(&input(710, 0, A::Back));
    assert_eq!(s.phase, Phase::In { segment: 0 });
    // 720 beats planned: on plan at 720 spent, over at 721.
    assert!(s.apply(&input(730, ROOM, A::Tick)).is_empty());
    let e = s.apply(&input(731, ROOM, A::Tick));
    assert_eq!(e, vec![SessionEvent::Overtime { segment: 0 }]);
    assert_eq!(s.segments[0].elapsed, 721);
    assert_eq!(s.segments[1].elapsed, 10);
    // A clock never runs backwards: an input stamped earlier counts as now.
    s.apply(&input(5, ROOM, A::Tick));
    assert_eq!(s.beat, 731);
}

#[test]
fn a_wheel_turn_from_spin_to_mark() {
    let mut s = weekly();
    join(&mut s, 0, 0, "ana");
    join(&mut s, 0, 1, "bo");
    s.apply(&input(0, 0, A::Next));
    s.apply(&input(1, 0, A::Next));
    let e = s.apply(&input(2, 1, A::Spin));
    assert!(
        matches!(
            e[0],
            SessionEvent::Spun {
                segment: 1,
                turn: 0
            }
        ),
        "{e:?}"
    );
    let Activity::Wheel(w) = &s.segments[1].activity else {
        panic!()
    };
    assert_eq!(
        w.turns[0].spin.person, 1,
        "the wheel picks a player, not the facilitator"
    );
    let e = s.apply(&input(3, 1, A::Spin));
    assert!(refused(&e).unwrap().contains("still open"), "{e:?}");
    s.apply(&input(
        4,
        1,
        A::Note {
            text: "asked around".into(),
        },
    ));
    s.apply(&input(
        5,
        1,
        A::Escalate {
            to: "the checkout on-call".into(),
        },
    ));
    let e = s.apply(&input(
        6,
        1,
        A::Mark {
            result: Mark::Found,
        },
    ));
    assert!(refused(&e).is_some(), "only the facilitator marks");
    // The turn's timer (8 minutes at 60 BPM) starts when the wheel stops.
    let e = s.apply(&input(2 + 8 + 480, ROOM, A::Tick));
    assert_eq!(
        e,
        vec![SessionEvent::TurnOvertime {
            segment: 1,
            turn: 0
        }]
    );
    s.apply(&input(
        500,
        0,
        A::Mark {
            result: Mark::NotFound,
        },
    ));
    let Activity::Wheel(w) = &s.segments[1].activity else {
        panic!()
    };
    assert_eq!(w.turns[0].notes.len(), 1);
    assert!(w.turns[0].is_gap());
    let wu = gamelan::session::writeup::build(&s, None);
    assert_eq!(wu.gaps.len(), 1);
    assert_eq!(wu.gaps[0].escalations, vec!["the checkout on-call"]);
    assert!(
        wu.action_items.iter().any(|a| a.text.starts_with("Nobody")),
        "{wu:?}"
    );
    // Every theme retired: no spin.
    let deck = s.plan.decks[1].clone().unwrap();
    for t in &deck.themes {
        s.apply(&input(
            501,
            0,
            A::Retire {
                theme: t.id.clone(),
            },
        ));
    }
    let e = s.apply(&input(502, 0, A::SpinFor { person: 1 }));
    assert!(
        refused(&e).unwrap().contains("every theme is retired"),
        "{e:?}"
    );
}

#[test]
fn the_script_runner_reports_each_drill() {
    let out = ok(WEEKLY);
    assert!(
        out.contains("run 1 of `bad-deploy` (seed 1): ended (resolved)"),
        "{out}"
    );
    assert!(Path::new(ROOT).join("sessions/weekly.script").exists());
}

#[test]
fn a_bad_presenter_vista_falls_back_to_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(
        dir.path().join("config/vista.toml"),
        "[vista]\ncolumns = \"three\"\n",
    )
    .unwrap();
    let setlist = dir.path().join("mine.toml");
    std::fs::write(
        &setlist,
        "[setlist]\ntitle = \"mine\"\n[[segments]]\nkind = \"walkthrough\"\nminutes = 5\n",
    )
    .unwrap();
    let script = dir.path().join("mine.script");
    std::fs::write(
        &script,
        "0 ana join\n1 ana next\n2 ana focus 2\n3 ana remark a remark\n",
    )
    .unwrap();
    let out = common::gamelan_with_data(
        dir.path(),
        &[
            "session",
            setlist.to_str().unwrap(),
            "--headless",
            "--script",
            script.to_str().unwrap(),
        ],
    );
    let md = stdout(&out);
    assert!(
        out.status.success(),
        "{md}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        md.contains("this machine, since the presenter's vista has problems:")
            && md.contains("vista.toml:2:11"),
        "{md}"
    );
    assert!(
        md.contains("| 0:03 | "),
        "the remark landed on pane 2 of the host vista:\n{md}"
    );
}

/// The matrix segment in the core: any participant marks and notes a cell by ids, an observer
/// and a mark outside the segment are refused, a knows on a dependency and an unknown id are
/// refused with why; the write-up lists the gaps as action items.
#[test]
fn matrix_marks_are_set_cleared_and_refused_in_the_core() {
    use gamelan::matrix::Mark as M;
    let mut s = weekly();
    let act = |s: &mut Session, beat: u64, seat: u32, a: gamelan::session::SessionAction| {
        s.apply(&SessionInput::new(beat, seat, a))
    };
    let mark =
        |row: &str, col: &str, mark: Option<M>| gamelan::session::SessionAction::MatrixMark {
            row: row.into(),
            col: col.into(),
            mark,
        };
    act(
        &mut s,
        0,
        0,
        gamelan::session::SessionAction::Join { name: "ana".into() },
    );
    act(
        &mut s,
        0,
        1,
        gamelan::session::SessionAction::Join { name: "bo".into() },
    );
    act(
        &mut s,
        0,
        2,
        gamelan::session::SessionAction::Observe { name: "dee".into() },
    );
    let refused = |e: &[SessionEvent]| {
        e.iter().find_map(|e| match e {
            SessionEvent::Refused { reason, .. } => Some(reason.clone()),
            _ => None,
        })
    };
    let e = act(&mut s, 1, 1, mark("payments", "bo", Some(M::Knows)));
    assert_eq!(refused(&e).as_deref(), Some("no segment is running"));
    for _ in 0..5 {
        act(&mut s, 2, 0, gamelan::session::SessionAction::Next);
    }
    assert_eq!(s.current(), Some(4));
    let e = act(&mut s, 3, 1, mark("payments", "bo", Some(M::Knows)));
    assert!(refused(&e).is_none(), "{e:?}");
    let e = act(&mut s, 4, 2, mark("payments", "bo", None));
    assert_eq!(refused(&e).as_deref(), Some("observers are read-only"));
    let e = act(&mut s, 5, 1, mark("payments", "dns", Some(M::Owner)));
    assert!(refused(&e).unwrap().contains("`dns` is a dependency"));
    let e = act(&mut s, 5, 1, mark("paymnts", "dns", Some(M::Hard)));
    assert!(refused(&e).unwrap().contains("did you mean `payments`?"));
    act(
        &mut s,
        6,
        0,
        gamelan::session::SessionAction::MatrixNote {
            row: "orders-db".into(),
            col: "dns".into(),
            text: "ask\nthe data team".into(),
        },
    );
    act(&mut s, 7, 0, mark("orders-db", "dns", Some(M::Unknown)));
    let m = s.matrix(4).unwrap();
    assert_eq!(m.cell(1, 4).unwrap().mark, Some(M::Knows));
    assert_eq!(m.cell(2, 2).unwrap().note, "ask the data team");
    assert_eq!(m.cell(2, 2).unwrap().by, "ana");
    act(&mut s, 8, 0, gamelan::session::SessionAction::Next);
    let w = gamelan::session::writeup::build(&s, None);
    let items: Vec<&str> = w.action_items.iter().map(|i| i.text.as_str()).collect();
    assert!(
        items.contains(&"single point of knowledge: only bo knows how payments service works"),
        "{items:#?}"
    );
    assert!(
        items.contains(&"unknown: nobody knows whether orders database depends on dns"),
        "{items:#?}"
    );
    // Cleared again, the single point is gone and nobody knows payments.
    let mut t = weekly();
    t.apply(&SessionInput::new(
        0,
        0,
        gamelan::session::SessionAction::Join { name: "ana".into() },
    ));
    for _ in 0..5 {
        t.apply(&SessionInput::new(
            1,
            0,
            gamelan::session::SessionAction::Next,
        ));
    }
    t.apply(&SessionInput::new(
        2,
        0,
        mark("payments", "ana", Some(M::Owner)),
    ));
    t.apply(&SessionInput::new(3, 0, mark("payments", "ana", None)));
    let m = t.matrix(4).unwrap();
    assert_eq!(m.cell(1, 3).unwrap().mark, None);
    assert!(
        m.risks()
            .contains(&gamelan::matrix::Risk::Nobody { row: 1 })
    );
}

#[test]
fn matrix_script_lines_are_checked_in_place() {
    let plan = bundled::plan("weekly").unwrap();
    let errs = gamelan::session::script::parse(
        "0 ana join\n1 ana mark payment ana owner\n2 ana mark payments anna owner\n3 ana mark payments ana ownr\n4 ana cell-note payments ana\n5 ana mark payments\n",
        "m.script",
        &plan,
    )
    .unwrap_err();
    let msgs: Vec<String> = errs.iter().map(ToString::to_string).collect();
    for w in [
        "m.script:2:12: no row `payment` in this setlist's matrices; did you mean `payments`?",
        "m.script:3:21: no column `anna` in this setlist's matrices; did you mean `ana`?",
        "m.script:4:25: unknown mark `ownr`; did you mean `owner`?",
        "m.script:5:7: `cell-note` needs its text after the cell",
        "m.script:6:7: `mark` needs a row and a column id",
    ] {
        assert!(
            msgs.iter().any(|m| m.starts_with(w)),
            "missing {w:?} in {msgs:#?}"
        );
    }
}

#[test]
fn while_the_facilitator_is_away_the_seat_present_longest_conducts() {
    let inputs = vec![
        input(0, 0, A::Join { name: "ana".into() }),
        input(1, 1, A::Join { name: "bo".into() }),
        input(2, 2, A::Join { name: "cy".into() }),
        input(3, 0, A::Next),
        input(10, 0, A::Leave),
        // cy is not the one present longest: refused, and told who conducts.
        input(11, 2, A::Next),
        input(12, 1, A::Next),
        input(13, 1, A::Extend { beats: 60 }),
        // A stand-in moves the setlist but does not give the facilitator role away.
        input(14, 1, A::HandFacilitator { to: 1 }),
        input(20, 0, A::Join { name: "ana".into() }),
        input(21, 1, A::Next),
        input(22, 0, A::Next),
    ];
    let mut s = weekly();
    let mut all = Vec::new();
    for i in &inputs {
        all.push(s.apply(i));
        match i.beat {
            10 => {
                assert_eq!(s.conductor(), Some(1), "bo stands in");
                assert_eq!(s.stand_in(), Some(1));
                assert_eq!(s.facilitator, Some(0), "the role stays with ana");
            }
            20 => {
                assert_eq!(s.conductor(), Some(0), "ana conducts again on rejoin");
                assert_eq!(s.stand_in(), None);
            }
            _ => {}
        }
    }
    assert_eq!(
        refused(&all[5]),
        Some("only the facilitator may do this (bo conducts while they are away)")
    );
    assert_eq!(refused(&all[6]), None, "{:?}", all[6]);
    assert_eq!(refused(&all[7]), None, "{:?}", all[7]);
    assert!(refused(&all[8]).is_some_and(|r| r.contains("hand the facilitator role")));
    assert!(refused(&all[10]).is_some(), "bo no longer conducts");
    assert_eq!(refused(&all[11]), None);
    assert_eq!(s.phase, Phase::In { segment: 2 });
    assert_eq!(s.facilitator, Some(0));
    // Only inputs decide it: the same inputs replay to the same state.
    let mut again = weekly();
    for i in &inputs {
        again.apply(i);
    }
    assert_eq!(again.state_hash(), s.state_hash());
    // An observer never stands in.
    let mut s = weekly();
    s.apply(&input(0, 0, A::Join { name: "ana".into() }));
    s.apply(&input(0, 1, A::Observe { name: "obs".into() }));
    s.apply(&input(1, 2, A::Join { name: "bo".into() }));
    s.apply(&input(2, 0, A::Leave));
    assert_eq!(s.conductor(), Some(2));
}
