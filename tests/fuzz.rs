//! Fuzzing that stays: bounded, deterministic property tests (a fixed seed and case count, a
//! few seconds each) that mutate the bundled files (byte flips, truncations, deleted and
//! repeated spans, numbers replaced with NaN, infinities, huge and negative values) and feed
//! them to the parsers. Whatever the mutation, a parser never panics and either accepts the
//! text or reports every problem at a `file:line:col` inside it; whatever loads also plays.

use gamelan::diag::{self, Diagnostic};
use gamelan::drill::{Action, Drill, Input};
use gamelan::scenario::{self, Scenario};
use gamelan::ui::theme;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngSeed;
use std::sync::Arc;

/// Cases per target; with the fixed seed, every run tries the same inputs.
const SCENARIO_CASES: u32 = 300;
const SCRIPT_CASES: u32 = 1000;
const THEME_CASES: u32 = 1000;

fn config(cases: u32, seed: u64) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    }
}

const SCENARIOS: [(&str, &str); 3] = [
    (
        "bad-deploy.toml",
        include_str!("../scenarios/bad-deploy.toml"),
    ),
    (
        "cert-expiry.toml",
        include_str!("../scenarios/cert-expiry.toml"),
    ),
    (
        "queue-backlog.toml",
        include_str!("../scenarios/queue-backlog.toml"),
    ),
];

const SCRIPTS: [(&str, &str); 6] = [
    (
        "bad-deploy",
        include_str!("../scenarios/bad-deploy.win.cues"),
    ),
    (
        "bad-deploy",
        include_str!("../scenarios/bad-deploy.lose.cues"),
    ),
    (
        "cert-expiry",
        include_str!("../scenarios/cert-expiry.win.cues"),
    ),
    (
        "cert-expiry",
        include_str!("../scenarios/cert-expiry.lose.cues"),
    ),
    (
        "queue-backlog",
        include_str!("../scenarios/queue-backlog.win.cues"),
    ),
    (
        "queue-backlog",
        include_str!("../scenarios/queue-backlog.lose.cues"),
    ),
];

const THEMES: [&str; 4] = [
    include_str!("../themes/dark.toml"),
    include_str!("../themes/light.toml"),
    include_str!("../themes/high-contrast.toml"),
    include_str!("../themes/mono.toml"),
];

/// What replaces a number: everything a careless or hostile edit might write.
const NUMBERS: &[&str] = &[
    "nan",
    "+nan",
    "-nan",
    "inf",
    "-inf",
    "1e308",
    "-1e308",
    "1e16",
    "-1e15",
    "0",
    "-1",
    "-0.0",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "99999999999999999999",
    "0.999999999",
    "1e-320",
];

/// Words a cue script might gain.
const SCRIPT_WORDS: &[&str] = &[
    "fire",
    "tempo",
    "tempo 0",
    "tempo 4294967296",
    "note",
    "hint x",
    "end",
    "pause",
    "resume",
    "18446744073709551615:1",
    "0:0",
    "1:99",
    "#",
    "\u{1b}[2J",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace one byte.
    Flip(Index, u8),
    /// Cut the text short.
    Truncate(Index),
    /// Delete a span of up to 64 bytes.
    Delete(Index, usize),
    /// Repeat a span of up to 64 bytes in place.
    Repeat(Index, usize),
    /// Replace the n-th number with one of `NUMBERS`.
    Number(Index, Index),
    /// Insert one of `extra` (script words, or nothing) at a position.
    Insert(Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::Repeat(i, n)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(i, n)| Mutation::Number(i, n)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(i, w)| Mutation::Insert(i, w)),
    ]
}

/// Byte offsets and lengths of the numbers in `text` (integers, floats, signs, exponents).
fn numbers(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let starts = text[i].is_ascii_digit()
            && (i == 0 || !(text[i - 1].is_ascii_alphanumeric() || text[i - 1] == b'_'));
        if starts {
            let begin = if i > 0 && text[i - 1] == b'-' {
                i - 1
            } else {
                i
            };
            let mut j = i;
            while j < text.len() && (text[j].is_ascii_alphanumeric() || b".+-_".contains(&text[j]))
            {
                j += 1;
            }
            out.push((begin, j - begin));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn apply(mut text: Vec<u8>, mutations: &[Mutation], extra: &[&str]) -> Vec<u8> {
    for m in mutations {
        let n = text.len().max(1);
        match m {
            Mutation::Flip(i, b) if !text.is_empty() => text[i.index(n)] = *b,
            Mutation::Truncate(i) => text.truncate(i.index(n)),
            Mutation::Delete(i, len) if !text.is_empty() => {
                let at = i.index(n);
                text.drain(at..(at + len).min(text.len()));
            }
            Mutation::Repeat(i, len) if !text.is_empty() => {
                let at = i.index(n);
                let span: Vec<u8> = text[at..(at + len).min(text.len())].to_vec();
                text.splice(at..at, span);
            }
            Mutation::Number(which, with) => {
                let found = numbers(&text);
                if !found.is_empty() {
                    let (at, len) = found[which.index(found.len())];
                    let new = NUMBERS[with.index(NUMBERS.len())].as_bytes();
                    text.splice(at..at + len, new.iter().copied());
                }
            }
            Mutation::Insert(i, w) if !extra.is_empty() => {
                let at = i.index(n).min(text.len());
                let word = format!(" {} ", extra[w.index(extra.len())]);
                text.splice(at..at, word.bytes());
            }
            _ => {}
        }
    }
    text
}

/// Decodes like a loader reading a file: invalid UTF-8 is itself a positioned problem.
fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Vec<Diagnostic>> {
    diag::decode(name, bytes).map_err(|d| vec![d])
}

/// Every problem names the file and points at a line and column inside the text.
fn assert_positioned(diags: &[Diagnostic], name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    prop_assert!(!diags.is_empty(), "an error without a diagnostic");
    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    for d in diags {
        prop_assert_eq!(&d.file, name);
        prop_assert!(
            d.line >= 1 && d.line <= lines && d.col >= 1,
            "not positioned inside the file ({} lines): {}",
            lines,
            d
        );
        let prefix = format!("{}:{}:{}: ", name, d.line, d.col);
        prop_assert!(d.to_string().starts_with(&prefix), "{}", d);
    }
    Ok(())
}

/// Plays 2000 beats (or to the end) pressing cues and firing contingencies, checking that
/// every signal stays finite.
fn play(scenario: Scenario) -> Result<(), TestCaseError> {
    let s = Arc::new(scenario);
    let mut d = Drill::new(s.clone(), 7);
    let seat = 0;
    d.apply(&Input::new(
        seat,
        Action::Join {
            name: "fuzz".into(),
            role: None,
        },
    ));
    for beat in 0..2000usize {
        if beat % 5 == 0 {
            let cue = s.cues[(beat / 5) % s.cues.len()].id.clone();
            d.apply(&Input::new(seat, Action::Cue { cue }));
        }
        if beat % 40 == 0 {
            for i in s.injects.iter().filter(|i| i.contingency) {
                let inject = i.id.clone();
                d.apply(&Input::new(seat, Action::Fire { inject }));
            }
            d.apply(&Input::new(seat, Action::Hint));
        }
        d.apply(&Input::new(seat, Action::Tick));
        for (i, st) in d.signals.iter().enumerate() {
            prop_assert!(st.value.is_finite(), "signal {} is {}", i, st.value);
            prop_assert!(d.budget_left(i).is_none_or(f64::is_finite));
        }
        if d.is_ended() {
            break;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(SCENARIO_CASES, 0x5ce0_a210))]

    #[test]
    fn mutated_scenarios_load_or_say_where_and_what_loads_plays(
        which in 0..SCENARIOS.len(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let (name, src) = SCENARIOS[which];
        let bytes = apply(src.as_bytes().to_vec(), &mutations, &[]);
        let loaded = decode(name, bytes.clone()).and_then(|text| scenario::load_str(&text, name));
        match loaded {
            Ok(s) => play(s)?,
            Err(diags) => assert_positioned(&diags, name, &bytes)?,
        }
    }
}

fn bundled(id: &str) -> Arc<Scenario> {
    static ALL: std::sync::OnceLock<Vec<scenario::Entry>> = std::sync::OnceLock::new();
    ALL.get_or_init(scenario::bundled)
        .iter()
        .find(|e| e.scenario.meta.id == id)
        .expect("a bundled scenario")
        .scenario
        .clone()
}

proptest! {
    #![proptest_config(config(SCRIPT_CASES, 0xc0e5_c417))]

    #[test]
    fn mutated_cue_scripts_parse_or_say_where_and_what_parses_runs(
        which in 0..SCRIPTS.len(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let (id, src) = SCRIPTS[which];
        let name = format!("{id}.cues");
        let sc = bundled(id);
        let bytes = apply(src.as_bytes().to_vec(), &mutations, SCRIPT_WORDS);
        let parsed = decode(&name, bytes.clone())
            .and_then(|text| gamelan::headless::parse_script(&text, &name, &sc));
        match parsed {
            Ok(lines) => {
                let mut d = Drill::new(sc.clone(), 3);
                gamelan::headless::run(&mut d, &lines, Some(2000));
                prop_assert!(d.signals.iter().all(|s| s.value.is_finite()));
            }
            Err(diags) => assert_positioned(&diags, &name, &bytes)?,
        }
    }
}

proptest! {
    #![proptest_config(config(THEME_CASES, 0x7e3e_0001))]

    #[test]
    fn mutated_themes_load_or_say_where(
        which in 0..THEMES.len(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let name = "fuzzed.toml";
        let bytes = apply(THEMES[which].as_bytes().to_vec(), &mutations, &[]);
        match decode(name, bytes.clone()).and_then(|text| theme::parse_str(&text, name)) {
            Ok(t) => {
                // A theme that loads resolves every meaning.
                for m in theme::Meaning::ALL {
                    let _ = t.style(*m);
                }
            }
            Err(diags) => {
                // Errors of an inherited bundled theme name that file; ours name this one.
                let own: Vec<Diagnostic> =
                    diags.into_iter().filter(|d| d.file == name).collect();
                if !own.is_empty() {
                    assert_positioned(&own, name, &bytes)?;
                }
            }
        }
    }
}

#[test]
fn the_number_finder_finds_numbers_not_names() {
    let text = b"a = 1\nb_2 = -3.5e2\nc = [0, 99]\nid = \"p99\"\n";
    let found: Vec<&[u8]> = numbers(text)
        .into_iter()
        .map(|(at, n)| &text[at..at + n])
        .collect();
    assert_eq!(found, [&b"1"[..], b"-3.5e2", b"0", b"99"]);
}
