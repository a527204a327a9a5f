//! The scenario author's tests: every bundled scenario ships a winning and a losing cue script,
//! and `gamelan play --headless` proves both paths with the real binary. Also: a golden outcome,
//! determinism of the drill core, and clear errors for broken cue scripts.

mod common;

use gamelan::drill::{Drill, Verdict};
use gamelan::headless;
use gamelan::scenario::{self, Scenario};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn gamelan(args: &[&str]) -> Output {
    common::gamelan("headless-home", args)
}

fn bundled_ids() -> Vec<String> {
    scenario::bundled()
        .iter()
        .map(|e| e.scenario.meta.id.clone())
        .collect()
}

fn script_path(id: &str, kind: &str) -> String {
    format!("scenarios/{id}.{kind}.cues")
}

/// Plays `id` headless with its win or lose script and returns the Markdown outcome.
fn play(id: &str, kind: &str, seed: u64) -> String {
    let cues = script_path(id, kind);
    let seed = seed.to_string();
    let out = gamelan(&["play", id, "--seed", &seed, "--headless", "--cues", &cues]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "`gamelan play {id} --headless --cues {cues}` failed ({}):\n{}\n{stdout}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `(met, total)` from the outcome's "## Objectives (N of M met)" heading.
fn objectives_met(outcome: &str) -> (usize, usize) {
    let line = outcome
        .lines()
        .find(|l| l.starts_with("## Objectives ("))
        .unwrap_or_else(|| panic!("no objectives heading in:\n{outcome}"));
    let inner = line
        .trim_start_matches("## Objectives (")
        .trim_end_matches(" met)");
    let (met, total) = inner
        .split_once(" of ")
        .unwrap_or_else(|| panic!("odd heading `{line}`"));
    (met.parse().unwrap(), total.parse().unwrap())
}

#[test]
fn every_bundled_scenario_ships_a_win_and_a_lose_script() {
    let ids = bundled_ids();
    assert!(
        ids.len() >= 3,
        "expected at least three bundled scenarios, got {ids:?}"
    );
    for id in &ids {
        for kind in ["win", "lose"] {
            let path = root().join(script_path(id, kind));
            assert!(path.exists(), "{} is missing", path.display());
        }
        let win = std::fs::read_to_string(root().join(script_path(id, "win"))).unwrap();
        assert!(
            win.lines().any(|l| l.contains(" note TODO:")),
            "{id}.win.cues should leave one `note TODO: ...` for the debrief's action items"
        );
    }
}

#[test]
fn win_scripts_meet_every_objective_and_resolve() {
    for id in bundled_ids() {
        let out = play(&id, "win", 1);
        let (met, total) = objectives_met(&out);
        assert!(
            total >= 5,
            "{id}: expected at least five objectives, got {total}"
        );
        assert_eq!(
            met, total,
            "{id}: the win script should meet every objective:\n{out}"
        );
        assert!(out.contains(&format!("({total} of {total} met)")), "{out}");
        assert!(
            out.contains("- status: ended (resolved)"),
            "{id}: the win script should resolve:\n{out}"
        );
        assert!(
            !out.contains("| rejected:"),
            "{id}: the win script has a rejected cue:\n{out}"
        );
    }
}

#[test]
fn lose_scripts_miss_several_objectives() {
    for id in bundled_ids() {
        let out = play(&id, "lose", 1);
        let (met, total) = objectives_met(&out);
        assert!(
            total - met >= 3,
            "{id}: the lose script should miss several objectives, it missed {}:\n{out}",
            total - met
        );
        assert!(
            !out.contains("| rejected:"),
            "{id}: the lose script has a rejected cue:\n{out}"
        );
    }
}

// ---- through the library: fast enough for many seeds ----

fn load(id: &str) -> Arc<Scenario> {
    scenario::bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == id)
        .unwrap_or_else(|| panic!("no bundled scenario `{id}`"))
        .scenario
}

fn script(sc: &Scenario, id: &str, kind: &str) -> Vec<headless::ScriptLine> {
    let path = script_path(id, kind);
    let src = std::fs::read_to_string(root().join(&path)).unwrap();
    headless::parse_script(&src, &path, sc)
        .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d)))
}

fn run(sc: &Arc<Scenario>, lines: &[headless::ScriptLine], seed: u64) -> Drill {
    let mut drill = Drill::new(sc.clone(), seed);
    headless::run(&mut drill, lines, None);
    drill
}

#[test]
fn win_and_lose_hold_for_seeds_1_to_20() {
    for id in bundled_ids() {
        let sc = load(&id);
        let (win, lose) = (script(&sc, &id, "win"), script(&sc, &id, "lose"));
        for seed in 1..=20 {
            let d = run(&sc, &win, seed);
            let missed: Vec<&str> = sc
                .objectives
                .iter()
                .zip(&d.objectives)
                .filter(|(_, v)| !matches!(v, Verdict::Met(_)))
                .map(|(o, _)| o.id.as_str())
                .collect();
            assert!(
                missed.is_empty(),
                "{id} seed {seed}: the win script missed {missed:?}"
            );
            assert_eq!(
                d.status,
                gamelan::drill::Status::Ended("resolved".into()),
                "{id} seed {seed}"
            );

            let d = run(&sc, &lose, seed);
            let met = d
                .objectives
                .iter()
                .filter(|v| matches!(v, Verdict::Met(_)))
                .count();
            assert!(
                sc.objectives.len() - met >= 3,
                "{id} seed {seed}: the lose script met {met} objectives"
            );
        }
    }
}

#[test]
fn same_seed_and_script_give_the_same_state_and_other_seeds_do_not() {
    for id in bundled_ids() {
        let sc = load(&id);
        for kind in ["win", "lose"] {
            let lines = script(&sc, &id, kind);
            // A small spread of seeds, including the extremes.
            for seed in [0, 1, 2, 7, 42, 1 << 32, u64::MAX - 1, u64::MAX] {
                let a = run(&sc, &lines, seed);
                let b = run(&sc, &lines, seed);
                assert_eq!(
                    a.state_hash(),
                    b.state_hash(),
                    "{id}/{kind} seed {seed}: same inputs, different state"
                );
                assert_eq!(a.log, b.log, "{id}/{kind} seed {seed}");

                let other = seed.wrapping_add(1);
                let c = run(&sc, &lines, other);
                assert_ne!(
                    a.state_hash(),
                    c.state_hash(),
                    "{id}/{kind}: seeds {seed} and {other} collide"
                );
                let noisy = sc
                    .signals
                    .iter()
                    .position(|s| s.noise > 0.0)
                    .expect("a noisy signal");
                assert_ne!(
                    a.signals[noisy].history, c.signals[noisy].history,
                    "{id}/{kind}: seeds {seed} and {other} drew the same noise"
                );
            }
        }
    }
}

#[test]
fn the_binary_is_deterministic_too() {
    for id in bundled_ids() {
        assert_eq!(
            play(&id, "lose", 9),
            play(&id, "lose", 9),
            "{id}: two runs with seed 9 differ"
        );
    }
}

// ---- golden outcome ----

#[test]
fn bad_deploy_win_outcome_matches_the_golden_file() {
    let golden: PathBuf = root().join("tests/golden/bad-deploy.win.md");
    let actual = play("bad-deploy", "win", 1);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &actual).unwrap();
        eprintln!("wrote {}", golden.display());
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_else(|e| {
        panic!("cannot read {}: {e}\nCreate it with: UPDATE_GOLDEN=1 cargo test --test headless golden", golden.display())
    });
    if actual != expected {
        let mut report = String::new();
        let (exp, act): (Vec<&str>, Vec<&str>) =
            (expected.lines().collect(), actual.lines().collect());
        for i in 0..exp.len().max(act.len()) {
            let (e, a) = (exp.get(i).copied(), act.get(i).copied());
            if e != a {
                report.push_str(&format!(
                    "line {}:\n- {}\n+ {}\n",
                    i + 1,
                    e.unwrap_or("<none>"),
                    a.unwrap_or("<none>")
                ));
            }
        }
        panic!(
            "the bad-deploy win outcome (seed 1) differs from {}\n(- golden, + actual)\n{report}\n\
             If the change is intended, regenerate the file with:\n    UPDATE_GOLDEN=1 cargo test --test headless golden\n\
             and review the diff with `git diff tests/golden/`.",
            golden.display()
        );
    }
}

// ---- broken cue scripts ----

#[test]
fn a_broken_cue_script_fails_with_a_position_for_every_problem() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("headless-bad-script");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.cues");
    std::fs::write(
        &path,
        "# every line after the first cue is wrong\n\
         5:1 ack\n\
         5:2 reboot-the-internet\n\
         4:1 declare\n\
         x:y status\n\
         banana\n\
         \x20 9:9 logs\n\
         99:1 resolve\n",
    )
    .unwrap();
    let name = path.display().to_string();
    let out = gamelan(&["play", "bad-deploy", "--headless", "--cues", &name]);
    assert!(!out.status.success(), "a broken script must fail");
    assert!(
        out.stdout.is_empty(),
        "no outcome for a broken script:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expect = [
        (3, 5, "unknown cue `reboot-the-internet`"),
        (4, 1, "comes before the previous line's beat"),
        (5, 1, "`x:y` is not a position"),
        (6, 1, "`banana` is not a position"),
        (7, 3, "beat 9 does not exist in a bar of 4 beats"),
        (8, 1, "past the end of the timeline"),
    ];
    for (line, col, what) in expect {
        let prefix = format!("{name}:{line}:{col}: ");
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&prefix) && l.contains(what)),
            "expected `{prefix}...{what}` on stderr:\n{stderr}"
        );
    }
    assert!(
        !stderr.contains(&format!("{name}:2:")),
        "line 2 is fine:\n{stderr}"
    );
}

#[test]
fn a_missing_cue_script_or_scenario_is_an_error() {
    let out = gamelan(&[
        "play",
        "bad-deploy",
        "--headless",
        "--cues",
        "scenarios/no-such.cues",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("scenarios/no-such.cues: cannot read"));

    let out = gamelan(&[
        "play",
        "no-such-scenario",
        "--headless",
        "--cues",
        "scenarios/bad-deploy.win.cues",
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no such scenario") && stderr.contains("bad-deploy"),
        "{stderr}"
    );
}

#[test]
fn a_paused_script_applies_its_next_line_at_the_paused_beat() {
    let sc = load("bad-deploy");
    let lines = headless::parse_script("2:1 pause\n3:1 resume\n5:1 ack\n", "p.cues", &sc).unwrap();
    let mut d = Drill::new(sc.clone(), 1);
    headless::run(&mut d, &lines, None);
    assert!(d.is_ended(), "the script finishes");
    let ack = sc.cue_index("ack").unwrap();
    assert_eq!(
        d.cues_done[ack],
        Some(16),
        "positions are drill beats: the pause held the drill at 2:1"
    );
    assert!(
        d.log
            .iter()
            .any(|e| e.beat == 4 && matches!(e.event, gamelan::drill::Event::Resumed { .. })),
        "resumed at the paused beat"
    );
}

#[test]
fn a_cue_cannot_require_one_still_in_flight() {
    let sc = load("bad-deploy");
    let lines = headless::parse_script(
        "2:1 ack\n2:2 rollback\n2:3 resolve\n4:1 resolve\n",
        "r.cues",
        &sc,
    )
    .unwrap();
    let mut d = Drill::new(sc.clone(), 1);
    headless::run(&mut d, &lines, None);
    let out = headless::outcome_markdown(&d);
    assert!(
        out.contains("rejected: waiting for `Roll back checkout-api to v2.40.3` to finish"),
        "{out}"
    );
    assert!(
        d.marks[gamelan::scenario::Mark::Mitigated.index()].is_some(),
        "rollback landed before resolve"
    );
    assert!(out.contains("ended (resolved)"), "{out}");
}

#[test]
fn script_errors_point_at_the_word_even_with_a_comment() {
    let sc = load("bad-deploy");
    let errs =
        headless::parse_script("5:1 ack\n5:2 bogus # a comment here\n", "c.cues", &sc).unwrap_err();
    assert_eq!((errs[0].line, errs[0].col), (2, 5), "{errs:?}");
}

// ---- gamelan prove ----

#[test]
fn prove_passes_every_bundled_scenario_without_the_source_tree() {
    // Run from an empty directory: the bundled scripts are in the binary.
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(common::BIN)
        .args(["prove", "--seeds", "1..20"])
        .current_dir(dir.path())
        .env("GAMELAN_CONFIG_DIR", dir.path().join("config"))
        .env("GAMELAN_DATA_DIR", dir.path().join("data"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for id in bundled_ids() {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{id}: ok (seeds 1..20: "))),
            "{id} not proved:\n{text}"
        );
    }
    let one = gamelan(&["prove", "dead-code-flag", "--seeds", "3"]);
    assert!(one.status.success());
    assert!(String::from_utf8_lossy(&one.stdout).starts_with("dead-code-flag: ok (seeds 3..3: "));
}

#[test]
fn prove_fails_naming_the_seed_and_the_objective() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("my-drill.toml");
    std::fs::copy(root().join("scenarios/bad-deploy.toml"), &toml).unwrap();
    let win = std::fs::read_to_string(root().join("scenarios/bad-deploy.win.cues")).unwrap();
    // Without the rollback the winning path misses its objectives; as the commander, the
    // rollback is refused.
    let broken: String = win
        .lines()
        .map(|l| {
            if l.ends_with(" rollback") {
                l.replace(" rollback", " as commander rollback")
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(dir.path().join("my-drill.win.cues"), broken).unwrap();
    // The losing path is the winning one: it meets every objective.
    std::fs::write(dir.path().join("my-drill.lose.cues"), &win).unwrap();
    let t = toml.to_str().unwrap();
    let out = gamelan(&["prove", t, "--seeds", "4..5"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    for needle in [
        "bad-deploy: seed 4: the winning path misses objective `mitigate`",
        "bad-deploy: seed 4: the winning path has an input refused at",
        "rollback: only operator can do this",
        "bad-deploy: seed 5: the losing path meets every objective",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("failure(s) in 1 scenario(s)"));

    std::fs::remove_file(dir.path().join("my-drill.lose.cues")).unwrap();
    let out = gamelan(&["prove", t]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(text.contains("no losing cue script (looked for "), "{text}");
    assert!(text.contains("my-drill.lose.cues"), "{text}");

    let bad = gamelan(&["prove", "--seeds", "9..2"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("write the smaller seed first"));
}

#[test]
fn a_script_line_played_as_a_role_is_gated_by_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roles.cues");
    std::fs::write(
        &path,
        "2:1 as commander ack\n2:2 as commander rollback\n2:3 as operator rollback\n2:4 as operator hint\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let out = gamelan(&["play", "bad-deploy", "--headless", "--cues", p]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for needle in [
        "| 4 | 2:1 | commander | ack | applied |",
        "| 5 | 2:2 | commander | rollback | rejected: only operator can do this |",
        "| 6 | 2:3 | operator | rollback | applied |",
        "| 7 | 2:4 | operator | hint | rejected: only a facilitator can do that |",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}
