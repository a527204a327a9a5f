//! `gamelan history`: the team's record from a directory of recordings, as a person runs it.

mod common;

use common::gamelan_with_data as gamelan;
use common::text;

use std::path::Path;

/// Plays `scenario`'s `kind` script headless, recorded into `dir` as started on `day`.
fn record(data: &Path, dir: &Path, scenario: &str, kind: &str, day: u32) {
    common::recordings::record_on_day(data, dir, scenario, kind, day);
}

#[test]
fn history_lists_every_drill_and_charts_each_scenario_over_time() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("recordings");
    std::fs::create_dir_all(&dir).unwrap();
    record(data.path(), &dir, "bad-deploy", "lose", 1);
    record(data.path(), &dir, "bad-deploy", "win", 8);
    record(data.path(), &dir, "queue-backlog", "win", 15);
    // A drill left at its briefing, and a file that is no recording.
    let head = std::fs::read_to_string(dir.join("2025-05-08-bad-deploy-win.jsonl")).unwrap();
    let head = head.lines().next().unwrap();
    std::fs::write(
        dir.join("idle.jsonl"),
        format!("{head}\n{{\"beat\":0,\"seat\":0,\"do\":\"leave\"}}\n"),
    )
    .unwrap();
    std::fs::write(dir.join("junk.jsonl"), "not json\n").unwrap();

    let out = gamelan(data.path(), &["history"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    let table: Vec<&str> = report.lines().take(4).collect();
    assert!(table[0].starts_with("STARTED"), "{report}");
    assert!(
        table[1].starts_with("2025-05-01T14:00:00Z  bad-deploy"),
        "{report}"
    );
    assert!(
        table[1].contains("ended (time)") && table[1].contains("0/5"),
        "{report}"
    );
    assert!(
        table[2].contains("ended (resolved)") && table[2].contains("5/5"),
        "{report}"
    );
    assert!(table[3].contains("queue-backlog"), "{report}");
    assert!(
        report.contains("bad-deploy · 2 runs, 2025-05-01 to 2025-05-08"),
        "{report}"
    );
    let resolve = report
        .lines()
        .find(|l| l.trim_start().starts_with("resolve"))
        .unwrap();
    assert!(
        resolve.contains("·▄"),
        "the lost run never resolved: {resolve}"
    );
    assert!(
        report.contains("1 drill that never started is left out"),
        "{report}"
    );
    assert!(text(&out.stderr).contains("junk.jsonl:1:2: not a gamelan recording"));

    // One scenario, as CSV and JSON.
    let out = gamelan(
        data.path(),
        &["history", "--scenario", "bad-deploy", "--format", "csv"],
    );
    let csv = text(&out.stdout);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.starts_with("started,scenario,title,"), "{csv}");
    let out = gamelan(data.path(), &["history", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["rows"].as_array().unwrap().len(), 3);
    assert_eq!(doc["series"][0]["runs"].as_array().unwrap().len(), 2);

    // A shared directory, named with --dir; a wrong one is a clear error.
    let shared = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir.join("2025-05-15-queue-backlog-win.jsonl"),
        shared.path().join("q.jsonl"),
    )
    .unwrap();
    let empty = tempfile::tempdir().unwrap();
    let out = gamelan(
        empty.path(),
        &["history", "--dir", shared.path().to_str().unwrap()],
    );
    assert!(
        text(&out.stdout).contains("queue-backlog · 1 run, 2025-05-15"),
        "{}",
        text(&out.stdout)
    );
    let out = gamelan(empty.path(), &["history", "--dir", "/no/such/dir"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("/no/such/dir: no such directory"),
        "{}",
        text(&out.stderr)
    );
    let out = gamelan(empty.path(), &["history"]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).starts_with("no recorded drills in "),
        "{}",
        text(&out.stdout)
    );
}
