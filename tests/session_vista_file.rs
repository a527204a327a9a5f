//! A session recording carries the vista file its walkthrough showed (name, content hash and
//! text, as a drill recording carries its live vista), so `gamelan debrief` and `gamelan
//! replay` on another machine, where no such file exists, name the walkthrough's vista and its
//! panes; an edited or misplaced carried file is refused at the header's line; recordings
//! made before it was carried read as they did.

mod common;

use std::path::Path;
use std::process::Output;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const FIXTURES: &str = "tests/fixtures/session-recordings";

fn gamelan(args: &[&str]) -> Output {
    common::gamelan("session-vista-file-home", args)
}

fn ok(args: &[&str]) -> String {
    let out = gamelan(args);
    assert!(
        out.status.success(),
        "gamelan {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn failing(args: &[&str]) -> String {
    let out = gamelan(args);
    assert!(!out.status.success(), "gamelan {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The walkthrough setlist, its vista file and script copied into `dir`; the headless run's
/// write-up, recorded to `dir/walk.jsonl`.
fn record_in(dir: &Path) -> String {
    for f in ["walk.toml", "team.vista.toml", "walk.script"] {
        std::fs::copy(Path::new(ROOT).join(FIXTURES).join(f), dir.join(f)).unwrap();
    }
    let p = |f: &str| dir.join(f).display().to_string();
    ok(&[
        "session",
        &p("walk.toml"),
        "--headless",
        "--script",
        &p("walk.script"),
        "--record",
        &p("walk.jsonl"),
    ])
}

fn header(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(text.lines().next().unwrap()).unwrap()
}

fn with_header(path: &Path, header: &serde_json::Value) {
    let text = std::fs::read_to_string(path).unwrap();
    let rest: Vec<&str> = text.lines().skip(1).collect();
    std::fs::write(path, format!("{header}\n{}\n", rest.join("\n"))).unwrap();
}

const CARRIED: &str = "Vista file carried in the recording: team.vista.toml (";
const PANES: &str = "Panes: Host CPU · Host memory · System log.";

#[test]
fn a_debrief_elsewhere_names_the_walkthroughs_vista_file_and_panes() {
    let here = tempfile::tempdir().unwrap();
    let live = record_in(here.path());
    assert!(live.contains(CARRIED), "{live}");
    assert!(
        live.contains("team morning — 3 panes: Host CPU, Host memory, System log"),
        "{live}"
    );
    assert!(live.contains(PANES), "{live}");
    let h = header(&here.path().join("walk.jsonl"));
    let v = &h["vistas"][0];
    let text =
        std::fs::read_to_string(Path::new(ROOT).join(FIXTURES).join("team.vista.toml")).unwrap();
    assert_eq!(v["segment"], 0);
    assert_eq!(v["file"], "team.vista.toml");
    assert_eq!(v["source"], text.as_str());
    assert_eq!(
        v["hash"],
        gamelan::scenario::content_hash(&text).as_str(),
        "{v}"
    );
    // Another machine: only the recording travels.
    let there = tempfile::tempdir().unwrap();
    let rec = there.path().join("walk.jsonl");
    std::fs::copy(here.path().join("walk.jsonl"), &rec).unwrap();
    drop(here);
    let again = ok(&["debrief", rec.to_str().unwrap()]);
    let without_start: String = again
        .lines()
        .filter(|l| !l.starts_with("- started: "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        without_start, live,
        "the debrief is the write-up the run printed"
    );
    let replayed = ok(&["replay", rec.to_str().unwrap()]);
    assert!(
        replayed.contains(CARRIED) && replayed.contains(PANES),
        "{replayed}"
    );
    let json = ok(&["debrief", rec.to_str().unwrap(), "--format", "json"]);
    let w: serde_json::Value = serde_json::from_str(&json).unwrap();
    let d = &w["segments"][0]["detail"];
    assert_eq!(d["file"]["panes"][2], "System log", "{d}");
    assert_eq!(d["panes"][0], "Host CPU", "{d}");
}

#[test]
fn an_edited_or_misplaced_carried_vista_is_refused_at_the_header() {
    let dir = tempfile::tempdir().unwrap();
    record_in(dir.path());
    let rec = dir.path().join("walk.jsonl");
    let good = header(&rec);
    // The text edited: its hash no longer names it.
    let mut h = good.clone();
    h["vistas"][0]["source"] = h["vistas"][0]["source"]
        .as_str()
        .unwrap()
        .replace("Host CPU", "Host GPU")
        .into();
    with_header(&rec, &h);
    let err = failing(&["debrief", rec.to_str().unwrap()]);
    assert!(
        err.contains("walk.jsonl:1:1") && err.contains("does not match its \"hash\""),
        "{err}"
    );
    // Carried for a segment that is not a walkthrough of a vista file.
    let mut h = good.clone();
    h["vistas"][0]["segment"] = 1.into();
    with_header(&rec, &h);
    let err = failing(&["debrief", rec.to_str().unwrap()]);
    assert!(err.contains("not a walkthrough of a vista file"), "{err}");
    // Twice for one segment.
    let mut h = good.clone();
    let one = h["vistas"][0].clone();
    h["vistas"].as_array_mut().unwrap().push(one);
    with_header(&rec, &h);
    let err = failing(&["debrief", rec.to_str().unwrap()]);
    assert!(err.contains("carries a vista file twice"), "{err}");
    // A text whose hash matches but which this build does not accept: said in its place.
    let mut h = good.clone();
    let bad = "[vista]\ncolumns = \"three\"\n";
    h["vistas"][0]["source"] = bad.into();
    h["vistas"][0]["hash"] = gamelan::scenario::content_hash(bad).into();
    with_header(&rec, &h);
    let md = ok(&["debrief", rec.to_str().unwrap()]);
    assert!(md.contains("team.vista.toml ("), "{md}");
    assert!(md.contains("team.vista.toml:2:11"), "{md}");
    assert!(md.contains(PANES), "the shown panes are still named:\n{md}");
}

#[test]
fn a_recording_made_before_vistas_were_carried_reads_and_names_its_panes() {
    let rec = format!("{FIXTURES}/v1-walk.jsonl");
    let md = ok(&["debrief", &rec]);
    assert!(
        md.contains("Vista: team morning (team.vista.toml)."),
        "{md}"
    );
    assert!(md.contains(PANES), "{md}");
    assert!(!md.contains("Vista file carried"), "{md}");
}
