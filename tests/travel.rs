//! Recordings that travel: a drill of a scenario played from any file replays, debriefs and
//! lists on another machine that has only the recording (docs/recording-format.md, format 3).

mod common;

use common::gamelan_with_data as gamelan;
use common::recordings::{BAD_DEPLOY_WIN, play_recorded};
use common::text;

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// bad-deploy under another id, in a file outside every config directory.
fn outside_scenario(dir: &Path, id: &str) -> std::path::PathBuf {
    let src = std::fs::read_to_string(format!("{ROOT}/scenarios/bad-deploy.toml")).unwrap();
    let path = dir.join("x.toml");
    std::fs::write(
        &path,
        src.replacen("id = \"bad-deploy\"", &format!("id = \"{id}\""), 1),
    )
    .unwrap();
    path
}

/// The commands the exit message names (debrief, replay, the HTML debrief), as the user
/// would copy them.
fn printed_commands(stderr: &str) -> Vec<Vec<String>> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("  gamelan "))
        .map(|c| c.split_whitespace().map(String::from).collect())
        .collect()
}

#[test]
fn the_commands_printed_on_exit_work_on_a_machine_with_only_the_recording() {
    let here = tempfile::tempdir().unwrap();
    let file = outside_scenario(here.path(), "my-deploy");
    let out = play_recorded(here.path(), file.to_str().unwrap(), BAD_DEPLOY_WIN, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let commands = printed_commands(&stderr);
    assert_eq!(commands.len(), 3, "{stderr}");
    // Here, with the scenario file deleted.
    std::fs::remove_file(&file).unwrap();
    for args in &commands {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        if args[0] == "replay" {
            // The console needs a terminal; headless prints the state at the end.
            args.push("--headless");
        }
        let out = gamelan(here.path(), &args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let said = match args.iter().position(|a| *a == "-o") {
            Some(o) => std::fs::read_to_string(args[o + 1]).unwrap(),
            None => text(&out.stdout),
        };
        assert!(said.contains("my-deploy"), "{said}");
    }
    // On another machine: a fresh data directory holding only the file.
    let rec = std::path::PathBuf::from(&commands[0][1]);
    let there = tempfile::tempdir().unwrap();
    let dir = there.path().join("recordings");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&rec, dir.join("r.jsonl")).unwrap();
    let out = gamelan(there.path(), &["debrief", "r.jsonl"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let here_report = gamelan(here.path(), &["debrief", rec.to_str().unwrap()]);
    assert_eq!(text(&out.stdout), text(&here_report.stdout));
    let out = gamelan(there.path(), &["recordings"]);
    let listing = text(&out.stdout);
    assert!(listing.contains("my-deploy"), "{listing}");
    assert!(listing.contains("objectives 5 of 5 met"), "{listing}");
    assert!(!listing.contains("not found"), "{listing}");
}

#[test]
fn a_scenario_edited_since_replays_as_recorded_unless_the_edit_is_asked_for() {
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config/scenarios");
    std::fs::create_dir_all(&config).unwrap();
    let file = outside_scenario(&config, "mine");
    let rec = data.path().join("r.jsonl");
    let out = play_recorded(data.path(), "mine", BAD_DEPLOY_WIN, Some(&rec));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = text(&gamelan(data.path(), &["debrief", rec.to_str().unwrap()]).stdout);
    // The author edits the scenario: the rollback no longer helps.
    let src = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{src}\n# edited\n")).unwrap();
    let out = gamelan(data.path(), &["debrief", rec.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), before);
    assert!(
        text(&out.stderr).contains("replaying the scenario as recorded"),
        "{}",
        text(&out.stderr)
    );
    // --scenario FILE replays against the edit, with the hash warning as before.
    let out = gamelan(
        data.path(),
        &[
            "debrief",
            rec.to_str().unwrap(),
            "--scenario",
            file.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("has changed since"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_damaged_embedded_scenario_is_a_clear_error_at_its_column() {
    let data = tempfile::tempdir().unwrap();
    let rec = data.path().join("r.jsonl");
    let out = play_recorded(data.path(), "bad-deploy", BAD_DEPLOY_WIN, Some(&rec));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let good = std::fs::read_to_string(&rec).unwrap();
    let first = good.lines().next().unwrap();
    let col = first.find("\"scenario_source\"").unwrap() + 1;
    std::fs::write(&rec, good.replacen("Checkout 5xx", "Checkout 4xx", 1)).unwrap();
    let path = rec.to_str().unwrap();
    for args in [vec!["debrief", path], vec!["replay", path, "--headless"]] {
        let out = gamelan(data.path(), &args);
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!(
                "r.jsonl:1:{col}: \"scenario_source\" does not match"
            )),
            "{err}"
        );
    }
}

#[test]
fn recordings_hides_drills_that_never_started_and_says_how_many() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("recordings");
    std::fs::create_dir_all(&dir).unwrap();
    let played = dir.join("2025-05-01T140000Z-bad-deploy.jsonl");
    let out = play_recorded(data.path(), "bad-deploy", BAD_DEPLOY_WIN, Some(&played));
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Two drills opened and left at the briefing: a join and a leave, no beat.
    let header = std::fs::read_to_string(&played)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    for n in 1..=2 {
        std::fs::write(
            dir.join(format!("2025-05-0{n}T150000Z-idle.jsonl")),
            format!(
                "{header}\n{{\"beat\":0,\"seat\":0,\"do\":\"join\",\"name\":\"you\",\"role\":null}}\n\
                 {{\"beat\":0,\"seat\":0,\"do\":\"leave\"}}\n{{\"end_of_recording\":{{\"inputs\":2}}}}\n"
            ),
        )
        .unwrap();
    }
    let out = gamelan(data.path(), &["recordings"]);
    let listing = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!listing.contains("idle"), "{listing}");
    assert!(listing.contains("140000Z-bad-deploy"), "{listing}");
    assert!(
        listing.contains("2 drills that never started are not listed (--all lists them)"),
        "{listing}"
    );
    let out = gamelan(data.path(), &["recordings", "--all"]);
    let listing = text(&out.stdout);
    assert_eq!(listing.matches("idle").count(), 2, "{listing}");
    assert!(!listing.contains("not listed"), "{listing}");
}

/// A format 3 recording of a scenario that is in no catalogue (bad-deploy renamed
/// `my-deploy`, seed 3, the winning script) replays from its own copy to the pinned state.
#[test]
fn a_format_3_fixture_replays_from_its_own_scenario_to_its_pinned_state() {
    use gamelan::record::{self, Recording, Replay};
    let path = Path::new(ROOT).join("tests/fixtures/recordings/v3-my-deploy-win.jsonl");
    let rec = Recording::load(&path).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(rec.header.gamelan_recording, 3);
    let catalogue = gamelan::scenario::Catalogue::load(None);
    assert!(catalogue.get("my-deploy").is_none());
    let entry = record::scenario_for(&rec, &catalogue, None).unwrap();
    let replay = Replay::open(rec, entry.scenario, false).unwrap();
    assert!(replay.warnings().is_empty(), "{:?}", replay.warnings());
    assert_eq!(
        replay.final_drill().state_hash(),
        PINNED_V3,
        "the final state changed"
    );
}

const PINNED_V3: u64 = 0xb5e2_6d65_bb65_b114;

/// A vista file whose panes watch a Prometheus nobody runs: the drill shows them failing,
/// which is all a recording needs to carry the file.
const LIVE_VISTA: &str = r#"[vista]
title = "Checkout, live"
prometheus = "http://127.0.0.1:9"

[[panes]]
id = "errors"
title = "checkout error ratio"
source = { type = "prometheus", query = "sum(rate(http_errors[5m]))" }

[[panes]]
id = "up"
title = "host"
source = { type = "prometheus", query = "up" }
"#;

#[test]
fn a_drill_beside_a_live_vista_carries_the_file_and_debriefs_it_anywhere() {
    let here = tempfile::tempdir().unwrap();
    let vista = here.path().join("checkout-vista.toml");
    std::fs::write(&vista, LIVE_VISTA).unwrap();
    let check = gamelan(here.path(), &["check", vista.to_str().unwrap()]);
    assert!(check.status.success(), "{}", text(&check.stdout));
    let rec = here.path().join("beside.jsonl");
    let mut t = common::Term::spawn(
        "play",
        common::BIN,
        &[
            "play",
            "bad-deploy",
            "--tempo",
            "600",
            "--vista",
            vista.to_str().unwrap(),
            "--record",
            rec.to_str().unwrap(),
        ],
        &[
            ("GAMELAN_DATA_DIR", here.path().as_os_str()),
            ("GAMELAN_CONFIG_DIR", here.path().join("config").as_os_str()),
        ],
        100,
        30,
    );
    t.wait_for("Enter starts the metronome");
    t.press("\r");
    t.wait_for("RUNNING");
    t.press("q");
    t.press("y");
    assert!(t.wait_exit().success(), "{}", t.text());
    let header = std::fs::read_to_string(&rec).unwrap();
    let header = header.lines().next().unwrap();
    assert!(
        header.contains("\"vista\":{\"file\":\"checkout-vista.toml\""),
        "{header}"
    );
    // Another machine: the recording alone, no vista file, no scenario file.
    std::fs::remove_file(&vista).unwrap();
    let there = tempfile::tempdir().unwrap();
    let copy = there.path().join("r.jsonl");
    std::fs::copy(&rec, &copy).unwrap();
    let out = gamelan(there.path(), &["debrief", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(
        report.contains("- live vista beside the drill: checkout-vista.toml (")
            && report.contains("Checkout, live — 2 panes: checkout error ratio, host"),
        "{report}"
    );
    let out = gamelan(
        there.path(),
        &["replay", copy.to_str().unwrap(), "--headless"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("ran beside the live vista checkout-vista.toml"),
        "{}",
        text(&out.stderr)
    );
    // The carried text is checked against its hash: an edit is caught at its column.
    let edited = std::fs::read_to_string(&copy).unwrap().replacen(
        "checkout error ratio",
        "checkout error ratio!",
        1,
    );
    std::fs::write(&copy, edited).unwrap();
    let out = gamelan(there.path(), &["debrief", copy.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("r.jsonl:1:")
            && err.contains("\"vista\".\"source\" does not match its \"hash\""),
        "{err}"
    );
    // A drill without live panes carries no vista: its signals come from the scenario.
    let plain = here.path().join("plain.jsonl");
    let out = play_recorded(here.path(), "bad-deploy", BAD_DEPLOY_WIN, Some(&plain));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first = std::fs::read_to_string(&plain).unwrap();
    assert!(!first.lines().next().unwrap().contains("\"vista\""));
}
