//! The MSEL: a facilitator's spreadsheet into a scenario skeleton and back, as a user runs it.

mod common;

use gamelan::msel::{self, ImportOptions};
use gamelan::scenario;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const FIXTURE: &str = "tests/fixtures/msel/orders-db-failover.msel.csv";

fn gamelan(data: &Path, args: &[&str]) -> std::process::Output {
    common::gamelan_with_data(data, args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn records(csv: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// The columns a scenario carries: all but `To` and `Notes`; `Method` by the channel it names.
fn carried(row: &[String]) -> Vec<String> {
    let method = |m: &str| match m.to_ascii_lowercase().replace(' ', "").as_str() {
        "slack" => "chat".to_string(),
        "logs" => "log".to_string(),
        "statuspage" => "status".to_string(),
        other => other.to_string(),
    };
    vec![
        row[0].clone(),
        row[1].clone(),
        row[2].clone(),
        row[3].clone(),
        method(&row[5]),
        row[6].clone(),
        row[7].clone(),
        row[8].clone(),
        row[10].clone(),
    ]
}

#[test]
fn a_realistic_msel_round_trips_through_a_scenario_that_passes_check() {
    let src = std::fs::read_to_string(format!("{ROOT}/{FIXTURE}")).unwrap();
    let rows = records(&src);
    assert!(rows.len() >= 30, "{} rows", rows.len());
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("orders-db-failover.toml");
    let out = gamelan(
        dir.path(),
        &["import", "msel", FIXTURE, "-o", toml.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = gamelan(dir.path(), &["check", toml.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let s = scenario::load_file(&toml).unwrap();
    assert_eq!(s.injects.len(), 19);
    assert_eq!(s.cues.len(), 15);
    assert!(
        s.injects
            .iter()
            .any(|i| i.contingency && i.id == "writes-lost")
    );
    assert_eq!(s.roles.len(), 4, "three who act and the facilitator");
    // Back to an MSEL: every row, in order, with what the scenario carries.
    let csv_out = dir.path().join("again.csv");
    let out = gamelan(
        dir.path(),
        &[
            "export",
            "msel",
            toml.to_str().unwrap(),
            "-o",
            csv_out.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let again = std::fs::read_to_string(&csv_out).unwrap();
    let back = records(&again);
    assert_eq!(back.len(), rows.len());
    for (a, b) in rows.iter().zip(&back) {
        assert_eq!(carried(a), carried(b));
    }
    // And the exported MSEL imports to the same scenario.
    let opts = ImportOptions {
        id: "orders-db-failover".into(),
        title: None,
    };
    let first = msel::import(&src, "orders-db-failover.msel.csv", &opts).unwrap();
    let second = msel::import(&again, "orders-db-failover.msel.csv", &opts).unwrap();
    assert_eq!(first, second);
}

#[test]
fn every_bundled_scenario_exports_and_imports_to_a_scenario_that_loads() {
    for e in scenario::bundled() {
        let s = &e.scenario;
        let csv = msel::export(s);
        let opts = ImportOptions {
            id: s.meta.id.clone(),
            title: Some(s.meta.title.clone()),
        };
        let toml =
            msel::import(&csv, "x.csv", &opts).unwrap_or_else(|d| panic!("{}: {d:?}", s.meta.id));
        let back = scenario::load_str(&toml, "x.toml")
            .unwrap_or_else(|d| panic!("{}: {d:?}\n{toml}", s.meta.id));
        assert_eq!(back.injects.len(), s.injects.len(), "{}", s.meta.id);
        assert_eq!(back.cues.len(), s.cues.len(), "{}", s.meta.id);
        let strip = |c: &str| records(c).iter().map(|r| carried(r)).collect::<Vec<_>>();
        assert_eq!(strip(&msel::export(&back)), strip(&csv), "{}", s.meta.id);
        for a in &s.injects {
            let b = back.injects.iter().find(|b| b.id == a.id).unwrap();
            let time = |sc: &scenario::Scenario, i: &scenario::Inject| {
                i.at.or(i.suggest).map(|x| sc.story_seconds(x))
            };
            assert_eq!(time(s, a), time(&back, b), "{}: {}", s.meta.id, a.id);
            assert_eq!(
                (&a.text, &a.persona, a.channel),
                (&b.text, &b.persona, b.channel)
            );
        }
    }
}

#[test]
fn a_bad_row_is_reported_at_its_line_and_column() {
    let head =
        "Event,Scenario Time,Type,From,To,Method,Inject,Expected Action,Objective,Notes,Ref\n";
    let good = "1,0:02:00,Inject,Grafana,SRE,Page,Disk full,,,,disk\n";
    let cases = [
        (
            "2,0:75:00,Inject,Grafana,SRE,Page,Late,,,,late\n",
            3,
            3,
            "not a time",
        ),
        (
            "2,0:03:00,Inject,Grafana,SRE,Fax,Late,,,,late\n",
            3,
            30,
            "`Fax` is not a way",
        ),
        (
            "2,0:03:00,Briefing,Grafana,SRE,Page,Late,,,,late\n",
            3,
            11,
            "`Type` must be",
        ),
        (
            "2,,Inject,Grafana,SRE,Page,Late,,,,late\n",
            3,
            3,
            "needs its `Scenario Time`",
        ),
        (
            "2,0:03:00,Inject,Grafana,SRE,Page,,,,,late\n",
            3,
            35,
            "needs its text",
        ),
        (
            "2,0:03:00,Inject,Grafana,SRE,Page,Again,,,,disk\n",
            3,
            1,
            "`Ref` `disk` is given to two rows",
        ),
        (
            "2,0:03:00,Inject,Grafana,SRE,Page,\"a, b\",,,,bad id\n",
            3,
            45,
            "cannot be an id",
        ),
    ];
    for (bad, line, col, want) in cases {
        let src = format!("{head}{good}{bad}");
        let opts = ImportOptions {
            id: "x".into(),
            title: None,
        };
        let d = msel::import(&src, "m.csv", &opts).unwrap_err();
        assert_eq!((d[0].line, d[0].col), (line, col), "{bad}: {}", d[0]);
        assert!(d[0].message.contains(want), "{bad}: {}", d[0]);
        assert!(
            d[0].to_string()
                .starts_with(&format!("m.csv:{line}:{col}: "))
        );
    }
    let opts = ImportOptions {
        id: "x".into(),
        title: None,
    };
    let d = msel::import("Name,Date\nx,y\n", "m.csv", &opts).unwrap_err();
    assert!(d[0].message.starts_with("not an MSEL"), "{}", d[0]);
    // As a user: a bad row, a missing file, an existing output.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, format!("{head}{good}{}", cases[1].0)).unwrap();
    let out_toml = dir.path().join("x.toml");
    let out = gamelan(
        dir.path(),
        &[
            "import",
            "msel",
            file.to_str().unwrap(),
            "-o",
            out_toml.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("bad.csv:3:30: `Method` `Fax`"),
        "{}",
        text(&out.stderr)
    );
    assert!(!out_toml.exists(), "nothing is written for a bad MSEL");
    let out = gamelan(
        dir.path(),
        &[
            "import",
            "msel",
            "/no/such.csv",
            "-o",
            out_toml.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("/no/such.csv"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(&out_toml, "keep me").unwrap();
    let out = gamelan(
        dir.path(),
        &["import", "msel", FIXTURE, "-o", out_toml.to_str().unwrap()],
    );
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&out_toml).unwrap(), "keep me");
    let out = gamelan(dir.path(), &["export", "msel", "no-such-scenario"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no such scenario"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_empty_or_spreadsheet_msel_reads_as_the_other_csv_imports_do() {
    let opts = ImportOptions {
        id: "x".into(),
        title: None,
    };
    // Empty: the shared CSV header check says what the first line should name.
    for empty in ["", "\n"] {
        let d = msel::import(empty, "m.csv", &opts).unwrap_err();
        assert_eq!((d[0].line, d[0].col), (1, 1), "{}", d[0]);
        assert!(
            d[0].message.contains("an empty CSV") && d[0].message.contains("Scenario Time"),
            "{}",
            d[0]
        );
    }
    // A spreadsheet's export: a byte-order mark, CRLF line ends, a quoted cell.
    let src = "\u{feff}Scenario Time,Type,From,Method,Inject\r\n0:02:00,Inject,SRE,Page,\"Disk full, on db-1\"\r\n";
    let toml = msel::import(src, "m.csv", &opts).unwrap();
    assert!(toml.contains("Disk full, on db-1"), "{toml}");
    // A bad cell after a quoted one is pointed at exactly.
    let src = "Scenario Time,Type,From,Method,Inject\n0:02:00,Inject,\"S, R\",Fax,Disk\n";
    let d = msel::import(src, "m.csv", &opts).unwrap_err();
    assert_eq!((d[0].line, d[0].col), (2, 23), "{}", d[0]);
}
