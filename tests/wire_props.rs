//! Property tests of the join socket's framing (`decode`, `parse_payload`): any frame survives
//! encoding and decoding; a stream of frames cut anywhere decodes to the same frames; any
//! bytes at all decode to a frame, "need more" or an error, never a panic, and never claim
//! more bytes than were given. Bounded and deterministic: a fixed seed, a fixed case count.

use gamelan::seat::socket::{
    Bye, Frame, FrameError, HEADER_LEN, Hello, Info, InfoSeat, Kind, MAX_FRAME, decode, encode,
    parse_payload,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Cases per property; the report of the suite quotes these.
const CASES: u32 = 512;

fn config() -> Config {
    Config {
        cases: CASES,
        rng_seed: RngSeed::Fixed(0x6a6d_656c_616e),
        failure_persistence: None,
        ..Config::default()
    }
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,24}"
}

fn frame() -> impl Strategy<Value = Frame> {
    let hello = (
        (
            any::<u32>(),
            text(),
            any::<bool>(),
            proptest::option::of(text()),
        ),
        (any::<u16>(), any::<u16>()),
        (
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
        ),
    )
        .prop_map(
            |((version, name, exact, role), (cols, rows), (term, colorterm, no_color))| {
                Frame::Hello(Hello {
                    version,
                    name,
                    exact,
                    role,
                    // Varied with the other fields: both values go over the wire.
                    observe: cols % 2 == 1,
                    cols,
                    rows,
                    term,
                    colorterm,
                    no_color,
                })
            },
        );
    let seat = (
        text(),
        proptest::option::of(text()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(name, role, present, conducts)| InfoSeat {
            name,
            role,
            present,
            conducts,
        });
    let info = (
        (any::<u32>(), text(), text(), text(), text(), text()),
        (any::<u64>(), text(), any::<u32>()),
        proptest::collection::vec(seat, 0..4),
        proptest::collection::vec(text(), 0..4),
    )
        .prop_map(
            |(
                (version, name, scenario, title, host, state),
                (beat, bar_beat, bpm),
                seats,
                roles,
            )| {
                Frame::Info(Box::new(Info {
                    version,
                    name,
                    scenario,
                    title,
                    host,
                    state,
                    beat,
                    bar_beat,
                    bpm,
                    seats,
                    roles,
                    session: beat % 2 == 1,
                }))
            },
        );
    let bytes = || proptest::collection::vec(any::<u8>(), 0..2048);
    prop_oneof![
        hello,
        Just(Frame::Query),
        info,
        bytes().prop_map(Frame::Input),
        bytes().prop_map(Frame::Output),
        (any::<u16>(), any::<u16>()).prop_map(|(cols, rows)| Frame::Resize { cols, rows }),
        ("\\PC{0,200}", any::<bool>())
            .prop_map(|(reason, refused)| Frame::Bye(Bye { reason, refused })),
    ]
}

/// Decodes every whole frame at the front of `buf`; returns them and the bytes used.
fn decode_all(buf: &[u8]) -> Result<(Vec<Frame>, usize), FrameError> {
    let mut frames = Vec::new();
    let mut at = 0;
    while let Some((f, n)) = decode(&buf[at..])? {
        assert!(
            n >= HEADER_LEN && n <= buf.len() - at,
            "took {n} of {}",
            buf.len() - at
        );
        frames.push(f);
        at += n;
    }
    Ok((frames, at))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_frame_survives_the_wire(f in frame()) {
        let bytes = encode(&f);
        let (got, used) = decode(&bytes).unwrap().expect("a whole frame");
        prop_assert_eq!(used, bytes.len());
        prop_assert_eq!(got, f);
    }

    #[test]
    fn a_stream_cut_anywhere_decodes_to_the_same_frames(
        frames in proptest::collection::vec(frame(), 1..6),
        cut in any::<proptest::sample::Index>(),
    ) {
        let stream: Vec<u8> = frames.iter().flat_map(encode).collect();
        let cut = cut.index(stream.len() + 1);
        // What the first read gave: whole frames, then a partial one kept for later.
        let (first, used) = decode_all(&stream[..cut]).unwrap();
        let (rest, used_rest) = decode_all(&stream[used..]).unwrap();
        prop_assert_eq!(used + used_rest, stream.len());
        let all: Vec<Frame> = first.into_iter().chain(rest).collect();
        prop_assert_eq!(all, frames);
    }

    #[test]
    fn any_bytes_decode_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        match decode(&bytes) {
            Ok(Some((_, n))) => prop_assert!(n >= HEADER_LEN && n <= bytes.len()),
            Ok(None) => {
                // Only a valid header can ask for more.
                if bytes.len() >= HEADER_LEN {
                    prop_assert!(Kind::from_byte(bytes[0]).is_some());
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn a_bad_header_fails_before_its_payload_arrives(
        kind in any::<u8>(),
        len in any::<u32>(),
    ) {
        let mut h = vec![kind];
        h.extend_from_slice(&len.to_be_bytes());
        let r = decode(&h);
        let bad = Kind::from_byte(kind).is_none() || len as usize > MAX_FRAME;
        prop_assert_eq!(r.is_err(), bad, "{:?}", r);
    }

    #[test]
    fn any_payload_parses_or_fails_cleanly(
        kind in 1u8..=7,
        payload in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..512),
            // Nearly JSON: objects with odd fields and values.
            "\\{(\"[a-z_]{1,8}\":(-?[0-9]{1,22}|\"\\PC{0,8}\"|null|true|\\[\\]|\\{\\}),?){0,6}\\}"
                .prop_map(String::into_bytes),
        ],
    ) {
        let kind = Kind::from_byte(kind).unwrap();
        match parse_payload(kind, payload.clone()) {
            Ok(f) => prop_assert_eq!(f.kind(), kind),
            Err(FrameError::BadPayload { kind: k, detail }) => {
                prop_assert_eq!(k, kind);
                prop_assert!(!detail.is_empty());
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}
