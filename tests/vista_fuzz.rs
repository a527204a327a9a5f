//! Fuzzing that stays, for vista files: a bounded, deterministic property test (a fixed seed
//! and case count, a few seconds) that mutates the example vista files (byte flips,
//! truncations, deleted and repeated spans, numbers replaced with NaN, infinities, huge and
//! negative values, duplicated tables) and feeds them to `VistaConfig::parse`. Whatever the
//! mutation, the parser never panics and either loads a config inside the documented bounds or
//! reports every problem at a line inside the file (or about the file as a whole).

use gamelan::diag::{self, Diagnostic};
use gamelan::vista::VistaConfig;
use gamelan::vista::config::check;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngSeed;

/// Cases; with the fixed seed, every run tries the same inputs.
const CASES: u32 = 2000;

const FILES: [(&str, &str); 2] = [
    (
        "vista-prometheus.example.toml",
        include_str!("../docs/vista-prometheus.example.toml"),
    ),
    ("vista.example.toml", include_str!("../vista.example.toml")),
];

/// What replaces a number: everything a careless or hostile edit might write.
const NUMBERS: &[&str] = &[
    "nan",
    "-nan",
    "inf",
    "-inf",
    "1e308",
    "-1e308",
    "-1",
    "0",
    "-0.0",
    "1e-320",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "18446744073709551615",
    "99999999999999999999",
    "\"10s\"",
    "\"0ms\"",
    "\"99999999999h\"",
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
    /// Repeat the n-th table (its header line and body) right after itself.
    Table(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::Repeat(i, n)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(i, n)| Mutation::Number(i, n)),
        2 => any::<Index>().prop_map(Mutation::Table),
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

/// Byte spans of the tables in `text`: from a line starting with `[` to the next such line.
fn tables(text: &[u8]) -> Vec<(usize, usize)> {
    let mut starts = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive(|b| *b == b'\n') {
        if line.first() == Some(&b'[') {
            starts.push(at);
        }
        at += line.len();
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts.iter().copied().zip(ends).collect()
}

fn apply(mut text: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
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
            Mutation::Table(which) => {
                let found = tables(&text);
                if !found.is_empty() {
                    let (start, end) = found[which.index(found.len())];
                    let mut copy = text[start..end].to_vec();
                    if copy.last() != Some(&b'\n') {
                        copy.insert(0, b'\n');
                    }
                    text.splice(end..end, copy);
                }
            }
            _ => {}
        }
    }
    text
}

/// Every problem names the file and points at a line inside the text, or at the whole file.
fn assert_positioned(diags: &[Diagnostic], name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    prop_assert!(!diags.is_empty(), "an error without a diagnostic");
    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    for d in diags {
        prop_assert_eq!(&d.file, name);
        let whole = d.line == 0 && d.col == 0;
        prop_assert!(
            whole || (d.line >= 1 && d.line <= lines && d.col >= 1),
            "not positioned inside the file ({} lines): {}",
            lines,
            d
        );
        prop_assert!(!d.message.is_empty(), "a diagnostic without a message");
    }
    Ok(())
}

/// A config that loads is inside the bounds the checker documents, and lays out.
fn assert_bounded(cfg: &VistaConfig) -> Result<(), TestCaseError> {
    prop_assert!((1..=check::MAX_COLUMNS).contains(&cfg.columns));
    prop_assert!(cfg.panes.len() <= check::MAX_PANES);
    prop_assert!(check::REFRESH.contains(&cfg.refresh));
    prop_assert!(check::TIMEOUT.contains(&cfg.timeout));
    prop_assert!(check::MAX_BACKOFF.contains(&cfg.max_backoff));
    let _ = cfg.grid();
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        rng_seed: RngSeed::Fixed(0x0715_7a00),
        failure_persistence: None,
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_vista_files_load_or_say_where(
        which in 0..FILES.len(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let (name, src) = FILES[which];
        let bytes = apply(src.as_bytes().to_vec(), &mutations);
        let parsed = diag::decode(name, bytes.clone())
            .map_err(|d| vec![d])
            .and_then(|text| VistaConfig::parse(&text, name));
        match parsed {
            Ok(cfg) => assert_bounded(&cfg)?,
            Err(diags) => assert_positioned(&diags, name, &bytes)?,
        }
    }
}

#[test]
fn the_examples_load_unmutated() {
    for (name, src) in FILES {
        if let Err(diags) = VistaConfig::parse(src, name) {
            panic!("{}", diag::render(&diags));
        }
    }
}

#[test]
fn the_table_finder_finds_each_table_to_the_next() {
    let text = b"[vista]\na = 1\n[[panes]]\nb = 2\n";
    assert_eq!(tables(text), [(0, 14), (14, 30)]);
}
