//! The recordings library from the local lobby, in a real pseudo-terminal: list, filter,
//! compare two runs (one as the ghost in the replay console), the debrief, and deleting and
//! renaming only after a yes.

mod common;

use common::{BIN, Term};
use std::ffi::OsStr;
use std::path::Path;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let recs = dir.path().join("data/recordings");
    std::fs::create_dir_all(&recs).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recordings");
    for f in [
        "bad-deploy.win.jsonl",
        "bad-deploy.mixed.jsonl",
        "queue-backlog.win.jsonl",
    ] {
        std::fs::copy(fixtures.join(f), recs.join(f)).unwrap();
    }
    // The fixtures were recorded before these drills gained decision points: the drills as
    // they were then (kept beside the pins) replace the bundled ones for this site.
    let scenarios = dir.path().join("config/scenarios");
    std::fs::create_dir_all(&scenarios).unwrap();
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pinned");
    for f in ["bad-deploy.toml", "queue-backlog.toml"] {
        std::fs::copy(pinned.join(f), scenarios.join(f)).unwrap();
    }
    dir
}

fn lobby(dir: &Path, cols: u16, rows: u16) -> Term {
    let data = dir.join("data");
    let config = dir.join("config");
    Term::spawn(
        "lobby",
        BIN,
        &[] as &[&str],
        &[
            ("GAMELAN_DATA_DIR", data.as_os_str()),
            ("GAMELAN_CONFIG_DIR", config.as_os_str()),
            ("GAMELAN_RUNTIME_DIR", OsStr::new(dir.to_str().unwrap())),
        ],
        cols,
        rows,
    )
}

#[test]
fn the_library_compares_two_runs_and_asks_before_it_deletes_or_renames() {
    let dir = site();
    let recs = dir.path().join("data/recordings");
    let mut t = lobby(dir.path(), 80, 24);
    t.wait_for("r recordings");
    t.press("r");
    t.wait_all(&["recordings · 3 of 3", "queue-backlog"]);
    // Filter by scenario, then by seat.
    t.press("s");
    t.wait_for("recordings · 2 of 3 · scenario bad-deploy");
    t.press("a");
    t.press("w");
    t.wait_for("· seat ana");
    t.press("a");
    t.wait_for("recordings · 3 of 3");
    t.press("\x1b[H");
    // The winning run is the ghost; the mixed run replays with it on its timeline.
    t.press("g");
    t.wait_for("recordings · 2 of 3 · scenario bad-deploy");
    t.press("j");
    t.press("\r");
    t.wait_all(&["REPLAY", "vista · bad-deploy"]);
    t.press("q");
    t.wait_for("recordings ·");
    t.press("d");
    t.wait_for("debrief · against bad-deploy.win");
    t.press("s");
    t.wait_for("saved to");
    assert!(recs.join("bad-deploy.mixed.debrief.md").exists());
    t.press("q");
    // The HTML debrief beside it, the ghost's marks on its charts; the path on the status line.
    t.press("H");
    t.wait_for("wrote ");
    let page = std::fs::read_to_string(recs.join("bad-deploy.mixed.debrief.html")).unwrap();
    assert!(page.contains("reference (beat)") && page.contains("<svg class=\"chart\""));
    // Delete: no leaves it, yes removes it.
    t.press("x");
    t.wait_for("delete bad-deploy.mixed.jsonl? y yes");
    t.press("n");
    t.wait_for("left as it was");
    assert!(recs.join("bad-deploy.mixed.jsonl").exists());
    t.press("x");
    t.press("y");
    t.wait_for("deleted bad-deploy.mixed.jsonl");
    assert!(!recs.join("bad-deploy.mixed.jsonl").exists());
    // Rename: a path is refused; a plain name, confirmed, renames it.
    t.press("a");
    t.press("g");
    t.press("r");
    t.wait_for("new name: bad-deploy.win▌");
    t.send(&[0x7f; 20]);
    t.press("../x\r");
    t.wait_for("without folders");
    t.send(&[0x7f; 4]);
    t.press("expert\r");
    t.wait_for("rename bad-deploy.win.jsonl to expert.jsonl? y yes");
    t.press("y");
    t.wait_for("renamed bad-deploy.win.jsonl to expert.jsonl");
    assert!(recs.join("expert.jsonl").exists() && !recs.join("bad-deploy.win.jsonl").exists());
    t.press("q");
    t.wait_for("r recordings");
    t.press("q");
    assert_eq!(t.wait_exit().exit_code(), 0);
}

#[test]
fn the_library_draws_at_a_large_size_and_an_empty_one_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = lobby(dir.path(), 200, 60);
    t.wait_for("r recordings");
    t.press("r");
    t.wait_all(&["recordings · 0 of 0", "No recordings in"]);
    t.press("?");
    t.wait_all(&["recordings keys", "filter by outcome"]);
    t.press("q");
    t.press("q");
    t.wait_for("r recordings");
    t.press("q");
    assert_eq!(t.wait_exit().exit_code(), 0);
}
