//! `gamelan check`: every bundled scenario passes, and every malformed fixture in
//! tests/fixtures/bad/ fails with each of its problems at the right file:line:col.

mod common;

use std::path::Path;
use std::process::Output;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn check(files: &[&str]) -> Output {
    let mut args = vec!["check"];
    args.extend_from_slice(files);
    common::gamelan("check-home", &args)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `*.toml` files directly under `dir` (relative to the repository root), sorted.
fn tomls(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_file_passes() {
    let files = tomls("scenarios");
    assert!(files.len() >= 3, "{files:?}");
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let out = check(&args);
    let text = stdout(&out);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in &files {
        assert!(
            text.contains(&format!("{f}: ok (")),
            "no `ok` line for {f}:\n{text}"
        );
    }
}

#[test]
fn every_scenario_file_is_bundled_and_every_bundled_scenario_loads() {
    let bundled: Vec<String> = gamelan::scenario::bundled()
        .iter()
        .map(|e| e.scenario.meta.id.clone())
        .collect();
    for f in tomls("scenarios") {
        let s = gamelan::scenario::load_file(&root().join(&f))
            .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d)));
        assert!(
            bundled.contains(&s.meta.id),
            "{f} (`{}`) is not in the BUNDLED list",
            s.meta.id
        );
        assert_eq!(
            Path::new(&f).file_stem().unwrap().to_string_lossy(),
            s.meta.id,
            "{f}: file name and id differ"
        );
    }
}

/// What `gamelan check` must say about each fixture: (line, column, part of the message).
/// Positions are 1-based; column counts characters. `exact` means no other problem may be
/// reported for that file.
struct Expect {
    file: &'static str,
    problems: &'static [(usize, usize, &'static str)],
    exact: bool,
}

const BAD: &[Expect] = &[
    Expect {
        file: "syntax.toml",
        problems: &[(8, 14, "")],
        exact: true,
    },
    Expect {
        file: "unknown-field.toml",
        problems: &[(20, 1, "in signals[0]: unknown field `colour`")],
        exact: false,
    },
    Expect {
        file: "unknown-section.toml",
        problems: &[(28, 2, "unknown section `scoring`")],
        exact: true,
    },
    Expect {
        file: "wrong-type.toml",
        problems: &[(
            8,
            15,
            "in [scenario]: invalid type: string \"four\", expected u32",
        )],
        exact: true,
    },
    Expect {
        file: "missing-scenario.toml",
        problems: &[(1, 1, "missing the [scenario] section")],
        exact: true,
    },
    Expect {
        file: "alert-missing-signal.toml",
        problems: &[(25, 10, "no signal named `latency` (known: errors)")],
        exact: true,
    },
    Expect {
        file: "inject-past-end.toml",
        problems: &[(
            25,
            6,
            "inject `late` at 5:1 (beat 16) is past the end of the timeline (beat 15)",
        )],
        exact: true,
    },
    Expect {
        file: "cue-keys.toml",
        problems: &[
            (30, 7, "key `q` is reserved by the console"),
            (35, 7, "key `a` is bound to two cues"),
        ],
        exact: true,
    },
    Expect {
        file: "clear-unknown-source.toml",
        problems: &[(27, 39, "no inject or cue named `release` (known: rollback)")],
        exact: true,
    },
    Expect {
        file: "objective-two-measures.toml",
        problems: &[(
            15,
            1,
            "an objective's measure needs exactly one of `mark`, `cue`, `avoid_cue`, `signal`",
        )],
        exact: true,
    },
    Expect {
        file: "many-refs.toml",
        problems: &[
            (23, 19, "no cue named `rollbak`; did you mean `rollback`?"),
            (33, 10, "no signal named `latency` (known: errors)"),
            (43, 16, "no cue named `deploy`"),
            (44, 38, "no signal named `error_rate`"),
            (50, 10, "no role named `operater`; did you mean `operator`?"),
            (51, 13, "no cue named `investigate`"),
            (
                52,
                12,
                "no runbook page named `rollback-page` (none are defined)",
            ),
            (
                53,
                39,
                "no inject or cue named `relase`; did you mean `release`?",
            ),
            (58, 9, "no cue named `restart-db`"),
            (59, 12, "no signal named `db_cpu`"),
        ],
        exact: true,
    },
    Expect {
        file: "nan-and-infinity.toml",
        problems: &[
            (
                19,
                46,
                "objective `budget`: `budget_left` must be a finite number from 0 to 1, not NaN",
            ),
            (
                24,
                12,
                "signal `errors`: `baseline` must be a finite number from -1e15 to 1e15, not 1e308",
            ),
            (
                25,
                9,
                "signal `errors`: `noise` must be a finite number from 0 to 1e15, not inf",
            ),
            (
                26,
                11,
                "signal `errors`: `inertia` must be in [0, 1), not NaN",
            ),
            (
                27,
                7,
                "signal `errors`: `min` must be a finite number from -1e15 to 1e15, not NaN",
            ),
            (
                28,
                7,
                "signal `errors`: `max` must be a finite number from -1e15 to 1e15, not -inf",
            ),
            (
                29,
                12,
                "signal `errors`: `healthy[0]` must be a finite number",
            ),
            (
                30,
                18,
                "signal `errors`: samples[2] must be a finite number",
            ),
            (
                31,
                18,
                "signal `errors`: SLO target must be a percentage below 100, like 99.9, not NaN",
            ),
            (
                36,
                13,
                "alert `ErrorsHigh`: `threshold` must be a finite number from -1e15 to 1e15, not NaN",
            ),
            (
                46,
                44,
                "inject `release`: a `ramp` effect's `by` must be a finite number",
            ),
            (
                47,
                52,
                "a `multiply` effect's `factor` must be a finite number from 0 to 1000, not 1e308",
            ),
            (
                48,
                52,
                "a `multiply` effect's `factor` must be a finite number from 0 to 1000, not -2",
            ),
            (
                55,
                53,
                "cue `rollback`: a `step` effect's `by` must be a finite number from -1e15 to 1e15, not -1e16",
            ),
        ],
        exact: true,
    },
    Expect {
        file: "too-big.toml",
        problems: &[
            (
                4,
                6,
                "[scenario] id is 286 characters long; at most 40 are allowed (it names recording files and hosted drills)",
            ),
            (
                8,
                20,
                "[scenario] duration_minutes must be from 1 to 1440, not 0",
            ),
            (
                9,
                15,
                "[scenario] length_bars must be from 1 to 4096, not 4294967295",
            ),
            (12, 7, "[tempo] bpm must be from 1 to 600, not 601"),
            (13, 17, "[tempo] beats_per_bar must be from 1 to 16, not 17"),
            (
                14,
                26,
                "[tempo] story_seconds_per_beat must be from 1 to 3600, not 4294967295",
            ),
            (
                17,
                19,
                "[targets] resolve_minutes must be from 0 to 10080, not 4294967295",
            ),
            (
                24,
                36,
                "signal `errors`: SLO window_bars must be from 1 to 65536, not 0",
            ),
            (
                31,
                13,
                "alert `ErrorsHigh`: `for_beats` = 4294967295 is longer than the timeline (65536 beats)",
            ),
            (
                39,
                63,
                "a `ramp` effect's `over` = 100000 is longer than the timeline (65536 beats)",
            ),
            (
                39,
                83,
                "a `ramp` effect's `for_beats` = 4294967295 is longer than the timeline",
            ),
            (
                42,
                6,
                "cue id `roll back` must be one word: no spaces, control characters or `#`",
            ),
            (
                45,
                15,
                "cue `roll back`: `delay_beats` = 4294967295 is longer than the timeline",
            ),
        ],
        exact: true,
    },
    Expect {
        file: "branching.toml",
        problems: &[
            (15, 1, "objective `loop` waits on itself"),
            (32, 11, "flag `calls`: `initial` must be a number"),
            (
                38,
                8,
                "inject `two-kinds`: a condition needs exactly one of `applied`, `landed`, `cue`, `flag`, `signal`, `objective`, `decision`, `since`, `all`, `any`, `not`, not applied and flag",
            ),
            (
                40,
                1,
                "inject `no-time` needs `at`, `when` (or `contingency = true`)",
            ),
            (
                49,
                18,
                "cue `ack`: `set.paused` must be true or false (it is a flag)",
            ),
            (
                50,
                18,
                "cue `ack`: `add.paused`: flag `paused` is not a counter; use `set`",
            ),
            (
                51,
                49,
                "cue `ack`: `by` does not go with `signal` in a condition",
            ),
            (
                52,
                45,
                "cue `ack` outcome 1: counter `calls` is a number, not true or false",
            ),
            (54, 1, "decision `d` needs exactly one of `at` and `when`"),
            (59, 11, "decision `d`: `default` needs `within_beats`"),
            (
                61,
                3,
                "decision `d` option `x` needs exactly one of `cue` (a cue chooses it) and `key` (the facilitator does)",
            ),
            (
                62,
                34,
                "decision `d` option `y`: key `a` is a cue's key; pick another",
            ),
            (67, 9, "no decision point named `dd`; did you mean `d`?"),
        ],
        exact: true,
    },
    Expect {
        file: "bad-utf8.toml",
        problems: &[(4, 15, "invalid UTF-8 (byte 0xff); save the file as UTF-8")],
        exact: true,
    },
];

/// Lines of `check` output that report a problem in `file` (`file:line:col: message`).
fn problems<'a>(text: &'a str, file: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{file}:")))
        .collect()
}

#[test]
fn every_fixture_has_expectations() {
    let listed: Vec<String> = BAD
        .iter()
        .map(|e| format!("tests/fixtures/bad/{}", e.file))
        .collect();
    for f in tomls("tests/fixtures/bad") {
        assert!(listed.contains(&f), "{f} has no entry in BAD");
    }
}

#[test]
fn malformed_fixtures_fail_with_every_problem_at_its_position() {
    for e in BAD {
        let file = format!("tests/fixtures/bad/{}", e.file);
        let out = check(&[&file]);
        let text = stdout(&out);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{file} passed `gamelan check`:\n{text}"
        );
        assert!(!text.contains(": ok ("), "{file}: {text}");
        let found = problems(&text, &file);
        for (line, col, what) in e.problems {
            let prefix = format!("{file}:{line}:{col}: ");
            assert!(
                found
                    .iter()
                    .any(|l| l.starts_with(&prefix) && l.contains(what)),
                "{file}: expected `{prefix}{what}`, got:\n{text}"
            );
        }
        if e.exact {
            assert_eq!(
                found.len(),
                e.problems.len(),
                "{file}: unexpected problems:\n{text}"
            );
        }
        assert!(
            stderr.contains(&format!("{} problem(s) found", found.len())),
            "{file}: the summary should count {} problem(s):\n{stderr}",
            found.len()
        );
    }
}

#[test]
fn legal_mistakes_pass_with_a_positioned_warning_each() {
    let file = "tests/fixtures/warn/mistakes.toml";
    let out = check(&[file]);
    let text = stdout(&out);
    assert!(
        out.status.success(),
        "warnings do not fail the check:\n{text}"
    );
    let expect = [
        (18, 11, "objective `calm` is judged on one noisy beat"),
        (23, 21, "objective `drained` can be met by one noisy beat"),
        (28, 21, "objective `impossible` can never be met"),
        (46, 8, "inject `unreachable` can never fire"),
        (51, 8, "decision `never-asked` can never be asked"),
        (
            63,
            3,
            "option `fix` of decision `pick` can never be chosen: its cue `fix` requires `rollback`",
        ),
        (64, 3, "option `shrug` of decision `pick` leads nowhere"),
        (84, 1, "cue `look` is judged by nothing"),
        (89, 1, "red herring `cpu` names no cue"),
    ];
    let found: Vec<&str> = problems(&text, file)
        .into_iter()
        .filter(|l| l.contains(": warning: "))
        .collect();
    for (line, col, what) in expect {
        let prefix = format!("{file}:{line}:{col}: warning: ");
        assert!(
            found
                .iter()
                .any(|l| l.starts_with(&prefix) && l.contains(what)),
            "expected `{prefix}{what}`, got:\n{text}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{text}");
    assert!(text.contains(&format!("{file}: ok (mistakes: ")), "{text}");
    assert!(text.contains("; 9 warnings)"), "{text}");
}

#[test]
fn all_reference_errors_are_reported_not_just_the_first() {
    let file = "tests/fixtures/bad/many-refs.toml";
    let text = stdout(&check(&[file]));
    let found = problems(&text, file);
    assert_eq!(found.len(), 10, "{text}");
    // In file order, so an author can fix them top to bottom.
    let lines: Vec<usize> = found
        .iter()
        .map(|l| l.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "{text}");
}

#[test]
fn good_and_bad_files_together() {
    let good = "scenarios/bad-deploy.toml";
    let bad = "tests/fixtures/bad/cue-keys.toml";
    let out = check(&[good, bad]);
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains(&format!("{good}: ok (bad-deploy: ")),
        "{text}"
    );
    assert_eq!(problems(&text, bad).len(), 2, "{text}");
}

#[test]
fn a_missing_file_is_reported_by_name() {
    let out = check(&["tests/fixtures/bad/does-not-exist.toml"]);
    assert!(!out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("tests/fixtures/bad/does-not-exist.toml: cannot read"),
        "{text}"
    );
}

// ---- docs/scenario-format.md stays true ----

/// The fenced block that follows `<!-- example: NAME -->` in the format documentation.
fn doc_example(name: &str) -> String {
    let doc = std::fs::read_to_string(root().join("docs/scenario-format.md")).unwrap();
    let marker = format!("<!-- example: {name} -->");
    let after = &doc[doc
        .find(&marker)
        .unwrap_or_else(|| panic!("no `{marker}` in the docs"))
        + marker.len()..];
    let fence = after.find("```").expect("a fenced block after the marker");
    let body = &after[fence..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").expect("a closing fence")].to_string()
}

#[test]
fn the_documented_example_passes_check_and_its_script_wins() {
    use gamelan::drill::{Drill, Status, Verdict};
    let src = doc_example("scenario");
    let sc = gamelan::scenario::load_str(&src, "docs example")
        .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d)));
    // It uses every section, a decision point, a flag and a conditional cue outcome.
    assert!(!sc.decisions.is_empty() && !sc.flags.is_empty());
    assert!(sc.cues.iter().any(|c| !c.outcomes.is_empty()));
    assert!(sc.debrief.decisions.iter().any(|r| r.point.is_some()));
    assert!(sc.roles.iter().any(|r| r.facilitator));
    assert!(!sc.objectives.is_empty() && !sc.alerts.is_empty() && !sc.injects.is_empty());
    assert!(!sc.runbook.is_empty() && !sc.hints.is_empty() && !sc.red_herrings.is_empty());
    assert!(!sc.debrief.questions.is_empty() && !sc.debrief.decisions.is_empty());
    assert!(sc.targets.resolve_minutes.is_some());

    let script = gamelan::headless::parse_script(&doc_example("script"), "docs script", &sc)
        .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d)));
    let sc = std::sync::Arc::new(sc);
    for seed in 1..=20 {
        let mut drill = Drill::new(sc.clone(), seed);
        gamelan::headless::run(&mut drill, &script, None);
        assert_eq!(
            drill.status,
            Status::Ended("resolved".into()),
            "seed {seed}"
        );
        assert!(
            drill
                .objectives
                .iter()
                .all(|v| matches!(v, Verdict::Met(_))),
            "seed {seed}: {:?}",
            drill.objectives
        );
        assert!(
            drill.decisions()[0].chosen.is_some(),
            "seed {seed}: the decision was made"
        );
    }
    let (_, warnings) = gamelan::scenario::lint_str(&src, "docs example").unwrap();
    assert!(warnings.is_empty(), "{}", gamelan::diag::render(&warnings));
    // Its losing script misses objectives, through the outcome and the flag.
    let lose = gamelan::headless::parse_script(&doc_example("lose"), "docs lose", &sc)
        .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d)));
    let mut drill = Drill::new(sc.clone(), 1);
    gamelan::headless::run(&mut drill, &lose, None);
    let met = drill
        .objectives
        .iter()
        .filter(|v| matches!(v, Verdict::Met(_)))
        .count();
    assert!(sc.objectives.len() - met >= 3, "{:?}", drill.objectives);
    assert_eq!(drill.flags, [1.0], "rebooted");
    assert!(drill.injects_done[sc.inject_index("still-full").unwrap()]);
    // `gamelan new` writes this very example, with its scripts.
    let files = gamelan::cmd::new::starter("disk-full");
    let body: String = files[0]
        .1
        .lines()
        .skip_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(body, src, "the starter is the documented example");
    assert_eq!(files[1].1, doc_example("script"));
    assert_eq!(files[2].1, doc_example("lose"));
}

#[test]
fn gamelan_new_writes_a_starter_that_passes_check_and_prove() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = common::gamelan("new-home", &["new", "log-flood", "--dir", d]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = dir.path().join("log-flood.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(text.contains("id = \"log-flood\""), "{text}");
    let t = toml.to_str().unwrap();
    let out = check(&[t]);
    assert!(stdout(&out).contains("ok (log-flood: "), "{}", stdout(&out));
    assert!(!stdout(&out).contains("warning"), "{}", stdout(&out));
    let out = common::gamelan("new-home", &["prove", t, "--seeds", "1..20"]);
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).starts_with("log-flood: ok (seeds 1..20"),
        "{}",
        stdout(&out)
    );
    // Never over an existing file, and only a usable id.
    let again = common::gamelan("new-home", &["new", "log-flood", "--dir", d]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exist"));
    let bad = common::gamelan("new-home", &["new", "no spaces", "--dir", d]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot be a scenario id"));
}

#[test]
fn effect_defaults_are_the_documented_ones() {
    use gamelan::scenario::{Effect, Op};
    let src = r#"
[scenario]
id = "defaults"
title = "t"
summary = "s"
difficulty = "intro"
duration_minutes = 1
length_bars = 2

[tempo]
bpm = 60
beats_per_bar = 4
story_seconds_per_beat = 30

[[signals]]
id = "s"
name = "s"
baseline = 1
healthy = [0, 2]

[[injects]]
id = "i"
at = 0
persona = "p"
text = "t"
effects = [
  { kind = "step", signal = "s", by = 1 },
  { kind = "ramp", signal = "s", by = 2 },
  { kind = "spike", signal = "s", by = 3 },
  { kind = "multiply", signal = "s", factor = 2 },
  { kind = "clear", source = "i" },
  { kind = "ramp", signal = "s", by = 2, over = 6, for_beats = 5 },
]

[[cues]]
id = "c"
key = "x"
label = "c"
"#;
    let sc = gamelan::scenario::load_str(src, "defaults")
        .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d)));
    let shape = |signal, op, attack, sustain, release| Effect::Shape {
        signal,
        op,
        attack,
        sustain,
        release,
    };
    assert_eq!(
        sc.injects[0].effects,
        vec![
            shape(0, Op::Add(1.0), 0, None, 0),
            shape(0, Op::Add(2.0), 4, None, 0),
            shape(0, Op::Add(3.0), 0, Some(1), 3),
            shape(0, Op::Mul(2.0), 0, None, 0),
            Effect::Clear {
                source: Some(gamelan::scenario::EffectOrigin::Inject(0)),
                signal: None,
                release: 4
            },
            shape(0, Op::Add(2.0), 6, Some(5), 0),
        ]
    );
}

#[test]
fn a_source_needs_a_title_an_org_and_a_real_date() {
    // bad-deploy without its own source and family, so the test can give them.
    let base: String = std::fs::read_to_string("scenarios/bad-deploy.toml")
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("source = ") && !l.starts_with("family = "))
        .map(|l| format!("{l}\n"))
        .collect();
    let good = base.replacen(
        "tags = [",
        "source = { title = \"Postmortem\", org = \"Example\", date = \"2021-06-08\" }\nfamily = \"deploy\"\ntags = [",
        1,
    );
    let s = gamelan::scenario::load_str(&good, "good.toml").unwrap();
    assert_eq!(
        s.meta.source.as_ref().unwrap().line(),
        "Postmortem — Example, 2021-06-08"
    );
    assert_eq!(s.meta.family.as_deref(), Some("deploy"));
    let bad = base.replacen(
        "tags = [",
        "source = { title = \"\", org = \"Example\", date = \"2021-13-40\" }\ntags = [",
        1,
    );
    let errs = gamelan::scenario::load_str(&bad, "bad.toml").unwrap_err();
    let text = gamelan::diag::render(&errs);
    assert!(text.contains("needs a title and an org"), "{text}");
    assert!(text.contains("must be YYYY-MM-DD"), "{text}");
}

// ---- bounds that other parts of gamelan rely on ----

/// bad-deploy with another scenario id.
fn with_id(id: &str) -> Result<gamelan::scenario::Scenario, Vec<gamelan::diag::Diagnostic>> {
    let src = std::fs::read_to_string(root().join("scenarios/bad-deploy.toml")).unwrap();
    let src = src.replacen("id = \"bad-deploy\"", &format!("id = \"{id}\""), 1);
    gamelan::scenario::load_str(&src, "id.toml")
}

#[test]
fn a_scenario_id_that_passes_check_names_a_recording_and_a_hosted_drill() {
    let longest = "a".repeat(40);
    for id in ["a", "A-b_9", longest.as_str()] {
        let s = with_id(id).unwrap_or_else(|d| panic!("{id}: {}", gamelan::diag::render(&d)));
        gamelan::seat::socket::check_name(&s.meta.id).unwrap();
        let drill = gamelan::drill::Drill::new(std::sync::Arc::new(s), 1);
        let header = gamelan::record::Header::for_drill(&drill, Vec::new());
        let dir = tempfile::tempdir().unwrap();
        let path = gamelan::record::default_path(dir.path(), &header);
        std::fs::write(&path, "").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(path.to_string_lossy().contains(id));
    }
    let too_long = "a".repeat(41);
    for id in [too_long.as_str(), "-x", "_x", "a.b", "a b", "é"] {
        let errs = with_id(id).expect_err(id);
        assert!(
            errs.iter().any(|d| d.message.starts_with("[scenario] id")),
            "{id}: {errs:?}"
        );
    }
}

/// The settings file and a theme whose `[styles]` is misspelt are checked as what they are,
/// not as scenarios missing every section.
#[test]
fn settings_and_a_misspelt_theme_are_not_read_as_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("config.toml");
    std::fs::write(&settings, "tempo = 0\n").unwrap();
    let theme = dir.path().join("mine.toml");
    std::fs::write(&theme, "name = \"mine\"\n[style]\ntitle = \"red\"\n").unwrap();
    let out = check(&[settings.to_str().unwrap(), theme.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(!out.status.success());
    assert!(
        text.contains(&format!(
            "{}:1:9: tempo must be from 1 to 600",
            settings.display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}:2:2: unknown key `style`; did you mean `styles`?",
            theme.display()
        )),
        "{text}"
    );
    assert!(!text.contains("[scenario]"), "{text}");
    std::fs::write(&settings, "tempo = 90\ntheme = \"light\"\n").unwrap();
    let out = check(&[settings.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("settings: theme light, tempo 90 BPM"));
}
