//! Two seats build a Decision Requirements Table after a real drill, in two real terminals
//! through the socket (`gamelan host` at 80x24, `gamelan join` at 200x50): the decision point's
//! row is filled from what the drill did, one seat's typing shows on the other as typed, a
//! held cell is refused to the other, the table is exported, and replaying the recording
//! rebuilds the very table that was exported.

mod common;

use common::Term;
use gamelan::record::{Recording, Replay};
use std::ffi::OsStr;
use std::path::PathBuf;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn vars(&self) -> Vec<(&'static str, PathBuf)> {
        let p = self.dir.path();
        vec![
            ("GAMELAN_CONFIG_DIR", p.join("config")),
            ("GAMELAN_DATA_DIR", p.join("data")),
            ("GAMELAN_RUNTIME_DIR", p.join("run")),
        ]
    }

    fn term(&self, user: &str, script: &str, cols: u16, rows: u16) -> Term {
        let vars = self.vars();
        let mut env: Vec<(&str, &OsStr)> = vars.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        env.push(("USER", OsStr::new(user)));
        Term::sh(user, script, &env, cols, rows)
    }
}

#[test]
fn two_seats_build_a_drt_after_a_hosted_drill_and_the_replay_rebuilds_it() {
    let env = Env {
        dir: tempfile::tempdir().unwrap(),
    };
    let rec = env.dir.path().join("pair.jsonl");
    let a = env.term(
        "ana",
        &format!(
            "\"$G\" host bad-deploy --name pair --tempo 600 --record {}; echo EXIT=$?",
            rec.display()
        ),
        80,
        24,
    );
    a.wait_for("Enter starts the metronome");
    let b = env.term("bo", "\"$G\" join pair; echo EXIT=$?", 200, 50);
    b.wait_for("Enter starts the metronome");
    a.press("\r");
    a.wait_for("RUNNING");
    // ana finds the release and rolls back: the decision point is taken.
    a.press("g");
    a.press("r");
    b.wait_line(&["ana: chose Roll back"]);
    a.wait_for("ENDED");
    b.wait_for("ENDED");

    a.press("t");
    b.press("t");
    a.wait_for("Decision Requirements Table");
    let wide = b.wait_for("all 7 columns");
    assert!(wide.contains("sources of uncertainty"), "{wide}");
    // The decision point's row says what the drill did, on the narrow screen too.
    let narrow = a.wait_for("chose Roll back to v2.40.3 (ana)");
    assert!(narrow.contains("columns 1,2 of 7"), "{narrow}");

    // ana edits the row's uncertainty; bo sees it as it is typed and may not take the cell.
    a.press("\x1b[D");
    a.wait_for("columns 1,7 of 7");
    a.press("\r");
    a.press("canary traffic?");
    b.wait_for("✎ana canary traffic?");
    b.press("\x1b[D");
    b.press("\r");
    b.wait_for("ana is editing that cell");
    a.press("\r");
    a.wait_for("cell let go");
    // bo adds a row and writes its decision.
    b.press("a");
    b.press("\r");
    b.press("page the db team");
    b.press("\r");
    a.wait_for("row 1 of 3");

    b.press("j");
    let shown = b.wait_for("exported to");
    b.press("m");
    b.wait_for("bad-deploy.drt.md");
    let json_path = env.dir.path().join("data/drt/bad-deploy.drt.json");
    assert!(
        shown.contains("drt/bad-deploy.drt.json"),
        "the path is on screen:\n{shown}"
    );
    let exported = std::fs::read_to_string(&json_path).unwrap();
    assert!(exported.contains("canary traffic?"), "{exported}");
    assert!(exported.contains("page the db team"), "{exported}");
    assert!(
        exported.contains("chose Roll back to v2.40.3 (ana)"),
        "{exported}"
    );
    let md = std::fs::read_to_string(env.dir.path().join("data/drt/bad-deploy.drt.md")).unwrap();
    assert!(
        md.contains("| demanding decision | why difficult |"),
        "{md}"
    );

    // Both leave; the recording replays to the same table.
    b.press("q");
    b.press("q");
    b.wait_for("EXIT=0");
    a.press("q");
    a.press("q");
    a.wait_for("EXIT=0");
    let recording = Recording::load(&rec).unwrap_or_else(|d| panic!("{d}"));
    let sc = gamelan::scenario::bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == "bad-deploy")
        .unwrap()
        .scenario;
    let replay = Replay::open(recording, sc, false).unwrap();
    let table = replay.final_drill().drt_table();
    assert_eq!(gamelan::drt::json(&table), exported);
}
