//! Property tests of the key-byte parser behind SSH and joined seats, through its public
//! `KeyParser::feed` (and `flush`) only: the keys a terminal sends come out the same however
//! the bytes are split into reads; any bytes at all never panic and give at most one key a
//! byte. Bounded and deterministic: a fixed seed, a fixed case count.

use gamelan::input::{Input, KeyCode, Mods as KeyModifiers};
use gamelan::seat::keybytes::KeyParser;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Cases per property; the report of the suite quotes these.
const CASES: u32 = 1024;

fn config() -> Config {
    Config {
        cases: CASES,
        rng_seed: RngSeed::Fixed(0x6b65_7973),
        failure_persistence: None,
        ..Config::default()
    }
}

type Key = (KeyCode, KeyModifiers);

fn plain(code: KeyCode) -> Key {
    (code, KeyModifiers::NONE)
}

/// One key as a terminal sends it, and the key it means.
fn token() -> impl Strategy<Value = (Vec<u8>, Key)> {
    let fixed: Vec<(&'static [u8], Key)> = vec![
        (b"\r", plain(KeyCode::Enter)),
        (b"\n", plain(KeyCode::Enter)),
        (b"\t", plain(KeyCode::Tab)),
        (b"\x7f", plain(KeyCode::Backspace)),
        (b"\x08", plain(KeyCode::Backspace)),
        (b"\x03", (KeyCode::Char('c'), KeyModifiers::CTRL)),
        (b"\x1b[A", plain(KeyCode::Up)),
        (b"\x1b[B", plain(KeyCode::Down)),
        (b"\x1b[C", plain(KeyCode::Right)),
        (b"\x1b[D", plain(KeyCode::Left)),
        (b"\x1bOA", plain(KeyCode::Up)),
        (b"\x1bOD", plain(KeyCode::Left)),
        (b"\x1b[H", plain(KeyCode::Home)),
        (b"\x1b[F", plain(KeyCode::End)),
        (b"\x1b[Z", plain(KeyCode::BackTab)),
        (b"\x1b[5~", plain(KeyCode::PageUp)),
        (b"\x1b[6~", plain(KeyCode::PageDown)),
        (b"\x1b[3~", plain(KeyCode::Delete)),
    ];
    prop_oneof![
        4 => (0x20u8..=0x7e).prop_map(|b| (vec![b], plain(KeyCode::Char(b as char)))),
        2 => proptest::sample::select(fixed).prop_map(|(b, k)| (b.to_vec(), k)),
        1 => any::<char>()
            .prop_filter("printable, beyond ASCII", |c| !c.is_control() && !c.is_ascii())
            .prop_map(|c| (c.to_string().into_bytes(), plain(KeyCode::Char(c)))),
    ]
}

/// Splits `bytes` at the given points (any of them, in any order).
fn chunks(bytes: &[u8], cuts: &[proptest::sample::Index]) -> Vec<Vec<u8>> {
    let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    at.windows(2).map(|w| bytes[w[0]..w[1]].to_vec()).collect()
}

fn feed_all(parts: &[Vec<u8>]) -> Vec<Key> {
    let mut p = KeyParser::default();
    let mut inputs: Vec<Input> = parts.iter().flat_map(|c| p.feed(c)).collect();
    inputs.extend(p.flush());
    inputs
        .into_iter()
        .filter_map(|i| match i {
            Input::Key(k) => Some((k.code, k.mods)),
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn keys_come_out_the_same_however_the_bytes_are_split(
        tokens in proptest::collection::vec(token(), 0..40),
        lone_esc in any::<bool>(),
        cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..8),
    ) {
        let mut bytes: Vec<u8> = tokens.iter().flat_map(|(b, _)| b.clone()).collect();
        let mut want: Vec<Key> = tokens.iter().map(|(_, k)| *k).collect();
        if lone_esc {
            // Esc alone, last: held back, then given by the flush after a quiet moment.
            bytes.push(0x1b);
            want.push(plain(KeyCode::Esc));
        }
        prop_assert_eq!(feed_all(&chunks(&bytes, &cuts)), want);
    }

    #[test]
    fn text_without_escapes_parses_the_same_in_any_split(
        bytes in proptest::collection::vec(any::<u8>().prop_filter("no ESC", |b| *b != 0x1b), 0..512),
        cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..8),
    ) {
        prop_assert_eq!(feed_all(&chunks(&bytes, &cuts)), feed_all(std::slice::from_ref(&bytes)));
    }

    #[test]
    fn any_bytes_never_panic_and_give_at_most_a_key_a_byte(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..16),
    ) {
        let keys = feed_all(&chunks(&bytes, &cuts));
        prop_assert!(keys.len() <= bytes.len());
    }
}

#[test]
fn real_keys_are_read_again_after_a_sequence_that_never_ends() {
    // A peer that opens a CSI and never ends it: the parser gives up on it instead of
    // holding everything that follows.
    let mut p = KeyParser::default();
    let _ = p.feed(b"\x1b[");
    for _ in 0..10_000 {
        let _ = p.feed(b"1;1;1;1;1;1;");
    }
    // Whatever it made of the junk, it reads real keys again afterwards.
    let _ = p.flush();
    let mut keys = Vec::new();
    for _ in 0..3 {
        keys.extend(p.feed(b"~q"));
    }
    assert!(
        keys.iter()
            .any(|k| matches!(k, Input::Key(k) if k.code == KeyCode::Char('q'))),
        "{keys:?}"
    );
}
