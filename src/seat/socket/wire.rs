//! The wire format: frames of `type: u8`, `length: u32` big-endian, then the payload.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::io;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The protocol version a Hello must carry.
pub const VERSION: u32 = 1;
/// Largest payload of one frame; longer Input/Output byte runs are split over several frames.
pub const MAX_FRAME: usize = 1 << 20;
/// Bytes before the payload: the type and the length.
pub const HEADER_LEN: usize = 5;

/// Frame types on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Hello = 1,
    Query = 2,
    Info = 3,
    Input = 4,
    Output = 5,
    Resize = 6,
    Bye = 7,
}

impl Kind {
    pub fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Hello,
            2 => Kind::Query,
            3 => Kind::Info,
            4 => Kind::Input,
            5 => Kind::Output,
            6 => Kind::Resize,
            7 => Kind::Bye,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Hello => "hello",
            Kind::Query => "query",
            Kind::Info => "info",
            Kind::Input => "input",
            Kind::Output => "output",
            Kind::Resize => "resize",
            Kind::Bye => "bye",
        }
    }
}

/// The first frame of a joining terminal. Every field but `version` may be left out, so a
/// Hello from an older gamelan still joins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub version: u32,
    /// The seat's name (the joining user's `$USER` unless `--as` says otherwise).
    #[serde(default)]
    pub name: String,
    /// The name was asked for by hand (`--as`): that name or a refusal. Otherwise the seat
    /// gets the first free name of `name`, `name-2`, `name-3`…
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exact: bool,
    /// The role to play; none plays every role.
    #[serde(default)]
    pub role: Option<String>,
    /// Join a session as an observer (read-only). A drill refuses it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub observe: bool,
    #[serde(default)]
    pub cols: u16,
    #[serde(default)]
    pub rows: u16,
    /// The joining terminal's `TERM`, `COLORTERM` and `NO_COLOR`, so the host draws the
    /// seat in colours that terminal shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colorterm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_color: Option<String>,
}

impl Hello {
    /// How the room names this seat: the name asked for with `--as` exactly, else a free one
    /// derived from it.
    pub fn naming(&self) -> crate::room::Naming {
        if self.exact {
            crate::room::Naming::Exact
        } else {
            crate::room::Naming::Derived
        }
    }
}

/// A seat as `gamelan drills` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfoSeat {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub present: bool,
    /// This seat conducts the drill (starts it, pauses, sets the tempo).
    #[serde(default)]
    pub conducts: bool,
}

/// The answer to a Query: what this drill is and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    pub version: u32,
    /// The drill's name (its socket is `NAME.sock`).
    pub name: String,
    /// Scenario id and title.
    pub scenario: String,
    #[serde(default)]
    pub title: String,
    /// Who hosts it.
    #[serde(default)]
    pub host: String,
    /// `briefing`, `running`, `paused` or `ended: REASON`.
    pub state: String,
    pub beat: u64,
    /// The beat as `bar:beat`.
    #[serde(default)]
    pub bar_beat: String,
    #[serde(default)]
    pub bpm: u32,
    #[serde(default)]
    pub seats: Vec<InfoSeat>,
    /// The roles a joining seat may take.
    #[serde(default)]
    pub roles: Vec<String>,
    /// This is a session, not a drill (`scenario` is then `session`, `state` where its
    /// setlist stands, the seats' roles facilitator, presenter, participant or observer).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub session: bool,
}

/// The last frame either side sends: why the connection ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bye {
    pub reason: String,
    /// The host turned the connection away (bad version, unknown role, name taken…).
    #[serde(default)]
    pub refused: bool,
}

impl Bye {
    pub fn new(reason: impl Into<String>) -> Bye {
        Bye {
            reason: reason.into(),
            refused: false,
        }
    }

    pub fn refused(reason: impl Into<String>) -> Bye {
        Bye {
            reason: reason.into(),
            refused: true,
        }
    }
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Hello(Hello),
    Query,
    Info(Box<Info>),
    Input(Vec<u8>),
    Output(Vec<u8>),
    Resize { cols: u16, rows: u16 },
    Bye(Bye),
}

impl Frame {
    pub fn kind(&self) -> Kind {
        match self {
            Frame::Hello(_) => Kind::Hello,
            Frame::Query => Kind::Query,
            Frame::Info(_) => Kind::Info,
            Frame::Input(_) => Kind::Input,
            Frame::Output(_) => Kind::Output,
            Frame::Resize { .. } => Kind::Resize,
            Frame::Bye(_) => Kind::Bye,
        }
    }
}

/// Why a frame could not be read.
#[derive(Debug)]
pub enum FrameError {
    Io(io::Error),
    /// The type byte names no frame.
    UnknownType(u8),
    /// The length is over [`MAX_FRAME`].
    TooLong {
        kind: Kind,
        len: u32,
    },
    /// The connection closed inside a frame.
    Truncated {
        expected: usize,
        got: usize,
    },
    /// The payload does not fit the type (bad JSON, a resize that is not 4 bytes…).
    BadPayload {
        kind: Kind,
        detail: String,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Io(e) => write!(f, "{e}"),
            FrameError::UnknownType(b) => write!(f, "unknown frame type 0x{b:02x}"),
            FrameError::TooLong { kind, len } => write!(
                f,
                "{} frame of {len} bytes is over the {MAX_FRAME}-byte limit",
                kind.name()
            ),
            FrameError::Truncated { expected, got } => write!(
                f,
                "truncated frame: the connection closed after {got} of {expected} bytes"
            ),
            FrameError::BadPayload { kind, detail } => {
                write!(f, "bad {} frame: {detail}", kind.name())
            }
        }
    }
}

impl std::error::Error for FrameError {}

impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> FrameError {
        FrameError::Io(e)
    }
}

fn json_payload<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing these plain structs cannot fail.
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

fn push_frame(out: &mut Vec<u8>, kind: Kind, payload: &[u8]) {
    debug_assert!(payload.len() <= MAX_FRAME);
    out.push(kind as u8);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
}

/// Encodes a frame for the wire. Input and Output longer than [`MAX_FRAME`] become several
/// frames of the same type; a JSON payload is small by construction.
pub fn encode(frame: &Frame) -> Vec<u8> {
    let mut out = Vec::new();
    let kind = frame.kind();
    match frame {
        Frame::Input(b) | Frame::Output(b) => {
            if b.is_empty() {
                push_frame(&mut out, kind, b);
            }
            for chunk in b.chunks(MAX_FRAME) {
                push_frame(&mut out, kind, chunk);
            }
        }
        Frame::Resize { cols, rows } => {
            let mut p = [0u8; 4];
            p[..2].copy_from_slice(&cols.to_be_bytes());
            p[2..].copy_from_slice(&rows.to_be_bytes());
            push_frame(&mut out, kind, &p);
        }
        Frame::Hello(h) => push_frame(&mut out, kind, &json_payload(h)),
        Frame::Query => push_frame(
            &mut out,
            kind,
            &json_payload(&QueryBody { version: VERSION }),
        ),
        Frame::Info(i) => push_frame(&mut out, kind, &json_payload(i)),
        Frame::Bye(b) => {
            let mut bye = b.clone();
            // A reason longer than a frame would be absurd; keep it well inside.
            if bye.reason.len() > 4096 {
                bye.reason = bye.reason.chars().take(1000).collect();
            }
            push_frame(&mut out, kind, &json_payload(&bye));
        }
    }
    out
}

#[derive(Serialize, Deserialize)]
struct QueryBody {
    #[serde(default)]
    version: u32,
}

/// Checks a frame header: a known type and a length within the limit.
pub fn parse_header(h: [u8; HEADER_LEN]) -> Result<(Kind, usize), FrameError> {
    let kind = Kind::from_byte(h[0]).ok_or(FrameError::UnknownType(h[0]))?;
    let len = u32::from_be_bytes([h[1], h[2], h[3], h[4]]);
    if len as usize > MAX_FRAME {
        return Err(FrameError::TooLong { kind, len });
    }
    Ok((kind, len as usize))
}

fn json<T: for<'de> Deserialize<'de>>(kind: Kind, payload: &[u8]) -> Result<T, FrameError> {
    serde_json::from_slice(payload).map_err(|e| FrameError::BadPayload {
        kind,
        detail: e.to_string(),
    })
}

/// Turns a payload into its frame.
pub fn parse_payload(kind: Kind, payload: Vec<u8>) -> Result<Frame, FrameError> {
    Ok(match kind {
        Kind::Hello => Frame::Hello(json(kind, &payload)?),
        Kind::Query => {
            if !payload.is_empty() {
                let _: QueryBody = json(kind, &payload)?;
            }
            Frame::Query
        }
        Kind::Info => Frame::Info(Box::new(json(kind, &payload)?)),
        Kind::Bye => Frame::Bye(json(kind, &payload)?),
        Kind::Input => Frame::Input(payload),
        Kind::Output => Frame::Output(payload),
        Kind::Resize => {
            let [c0, c1, r0, r1] = payload[..] else {
                return Err(FrameError::BadPayload {
                    kind,
                    detail: format!("{} bytes, expected 4 (columns, rows)", payload.len()),
                });
            };
            Frame::Resize {
                cols: u16::from_be_bytes([c0, c1]),
                rows: u16::from_be_bytes([r0, r1]),
            }
        }
    })
}

/// Decodes the first frame in `buf`: `Ok(None)` when more bytes are needed, otherwise the
/// frame and how many bytes it took. A bad header fails at once, before its payload arrives.
pub fn decode(buf: &[u8]) -> Result<Option<(Frame, usize)>, FrameError> {
    if buf.len() < HEADER_LEN {
        return Ok(None);
    }
    let mut h = [0u8; HEADER_LEN];
    h.copy_from_slice(&buf[..HEADER_LEN]);
    let (kind, len) = parse_header(h)?;
    let end = HEADER_LEN + len;
    if buf.len() < end {
        return Ok(None);
    }
    let frame = parse_payload(kind, buf[HEADER_LEN..end].to_vec())?;
    Ok(Some((frame, end)))
}

/// Reads as much of `buf` as arrives; returns how many bytes were read before end of stream.
async fn read_full<R: AsyncRead + Unpin>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        let n = r.read(&mut buf[got..]).await?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok(got)
}

/// Reads one frame: `Ok(None)` at a clean end of stream (between frames).
pub async fn read_frame<R: AsyncRead + Unpin>(r: &mut R) -> Result<Option<Frame>, FrameError> {
    let mut h = [0u8; HEADER_LEN];
    let got = read_full(r, &mut h).await?;
    if got == 0 {
        return Ok(None);
    }
    if got < HEADER_LEN {
        // A type byte alone is judged before complaining about the missing length.
        if Kind::from_byte(h[0]).is_none() {
            return Err(FrameError::UnknownType(h[0]));
        }
        return Err(FrameError::Truncated {
            expected: HEADER_LEN,
            got,
        });
    }
    let (kind, len) = parse_header(h)?;
    let mut payload = vec![0u8; len];
    let got = read_full(r, &mut payload).await?;
    if got < len {
        return Err(FrameError::Truncated {
            expected: HEADER_LEN + len,
            got: HEADER_LEN + got,
        });
    }
    parse_payload(kind, payload).map(Some)
}

/// Writes one frame (several for long Input/Output) and flushes.
pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, frame: &Frame) -> io::Result<()> {
    w.write_all(&encode(frame)).await?;
    w.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(f: Frame) {
        let bytes = encode(&f);
        let (back, used) = decode(&bytes).unwrap().unwrap();
        assert_eq!(back, f);
        assert_eq!(used, bytes.len());
    }

    #[test]
    fn every_frame_roundtrips() {
        roundtrip(Frame::Hello(Hello {
            version: VERSION,
            name: "ana".into(),
            role: Some("operator".into()),
            cols: 80,
            rows: 24,
            ..Hello::default()
        }));
        roundtrip(Frame::Hello(Hello {
            version: VERSION,
            name: "bo".into(),
            exact: true,
            term: Some("xterm-256color".into()),
            colorterm: Some("truecolor".into()),
            no_color: Some("1".into()),
            ..Hello::default()
        }));
        roundtrip(Frame::Query);
        roundtrip(Frame::Info(Box::new(Info {
            version: VERSION,
            name: "d".into(),
            scenario: "bad-deploy".into(),
            title: "T".into(),
            host: "ana".into(),
            state: "running".into(),
            beat: 12,
            bar_beat: "4:1".into(),
            bpm: 120,
            seats: vec![InfoSeat {
                name: "bo".into(),
                role: None,
                present: true,
                conducts: true,
            }],
            roles: vec!["operator".into()],
            session: false,
        })));
        roundtrip(Frame::Input(b"a\x1b[A".to_vec()));
        roundtrip(Frame::Output(vec![0, 1, 2, 255]));
        roundtrip(Frame::Output(Vec::new()));
        roundtrip(Frame::Resize {
            cols: 500,
            rows: 0xfffe,
        });
        roundtrip(Frame::Bye(Bye::refused("no")));
    }

    #[test]
    fn header_layout_is_type_then_big_endian_length() {
        let b = encode(&Frame::Resize { cols: 80, rows: 24 });
        assert_eq!(b, [6, 0, 0, 0, 4, 0, 80, 0, 24]);
        let b = encode(&Frame::Input(b"q".to_vec()));
        assert_eq!(b, [4, 0, 0, 0, 1, b'q']);
    }

    #[test]
    fn partial_input_asks_for_more() {
        let b = encode(&Frame::Input(b"hello".to_vec()));
        for cut in 0..b.len() {
            assert!(decode(&b[..cut]).unwrap().is_none(), "cut at {cut}");
        }
    }

    #[test]
    fn two_frames_in_one_buffer() {
        let mut b = encode(&Frame::Input(b"a".to_vec()));
        b.extend(encode(&Frame::Resize { cols: 1, rows: 2 }));
        let (f, n) = decode(&b).unwrap().unwrap();
        assert_eq!(f, Frame::Input(b"a".to_vec()));
        let (g, _) = decode(&b[n..]).unwrap().unwrap();
        assert_eq!(g, Frame::Resize { cols: 1, rows: 2 });
    }

    #[test]
    fn bad_frames_are_errors_not_panics() {
        assert!(matches!(
            decode(b"GET / HTTP/1.1\r\n"),
            Err(FrameError::UnknownType(b'G'))
        ));
        assert!(matches!(
            decode(&[0, 0, 0, 0, 0]),
            Err(FrameError::UnknownType(0))
        ));
        // Oversized: judged from the header alone, nothing allocated.
        let e = decode(&[5, 0xff, 0xff, 0xff, 0xff]).unwrap_err();
        assert!(matches!(e, FrameError::TooLong { len: u32::MAX, .. }));
        assert!(e.to_string().contains("over the 1048576-byte limit"), "{e}");
        let mut just = vec![5];
        just.extend(((MAX_FRAME + 1) as u32).to_be_bytes());
        assert!(matches!(decode(&just), Err(FrameError::TooLong { .. })));
        let mut bad = vec![1];
        bad.extend(3u32.to_be_bytes());
        bad.extend(b"{x}");
        let e = decode(&bad).unwrap_err();
        assert!(e.to_string().starts_with("bad hello frame"), "{e}");
        let mut no_version = vec![1];
        no_version.extend(2u32.to_be_bytes());
        no_version.extend(b"{}");
        assert!(decode(&no_version).is_err());
        let mut short = vec![6];
        short.extend(3u32.to_be_bytes());
        short.extend([0, 1, 2]);
        let e = decode(&short).unwrap_err();
        assert!(e.to_string().contains("expected 4"), "{e}");
    }

    #[test]
    fn a_frame_at_the_limit_is_fine_and_long_output_is_split() {
        let mut at = vec![5];
        at.extend((MAX_FRAME as u32).to_be_bytes());
        at.resize(HEADER_LEN + MAX_FRAME, 7);
        let (f, _) = decode(&at).unwrap().unwrap();
        assert!(matches!(f, Frame::Output(b) if b.len() == MAX_FRAME));

        let big = vec![b'x'; MAX_FRAME * 2 + 10];
        let wire = encode(&Frame::Output(big.clone()));
        let mut rest = &wire[..];
        let mut joined = Vec::new();
        let mut frames = 0;
        while let Some((Frame::Output(b), n)) = decode(rest).unwrap() {
            joined.extend(b);
            rest = &rest[n..];
            frames += 1;
        }
        assert_eq!(frames, 3);
        assert_eq!(joined, big);
    }

    #[test]
    fn json_frames_tolerate_unknown_fields() {
        let mut b = vec![1];
        let body = br#"{"version":1,"name":"x","future":true}"#;
        b.extend((body.len() as u32).to_be_bytes());
        b.extend(body);
        let (f, _) = decode(&b).unwrap().unwrap();
        assert!(matches!(f, Frame::Hello(h) if h.name == "x" && h.role.is_none()));
    }

    #[test]
    fn an_old_hello_still_parses_and_a_plain_one_stays_small() {
        let old = br#"{"version":1,"name":"bo","role":null,"cols":80,"rows":24}"#;
        let h: Hello = serde_json::from_slice(old).unwrap();
        assert!(!h.exact && h.term.is_none() && h.no_color.is_none());
        let plain = String::from_utf8(json_payload(&h)).unwrap();
        assert_eq!(plain, std::str::from_utf8(old).unwrap());
    }

    #[tokio::test]
    async fn reader_tells_clean_end_from_truncation() {
        let mut empty: &[u8] = &[];
        assert!(read_frame(&mut empty).await.unwrap().is_none());
        let mut half: &[u8] = &[4, 0, 0];
        assert!(matches!(
            read_frame(&mut half).await,
            Err(FrameError::Truncated {
                expected: 5,
                got: 3
            })
        ));
        let mut cut: &[u8] = &[4, 0, 0, 0, 10, b'a', b'b'];
        let e = read_frame(&mut cut).await.unwrap_err();
        assert!(e.to_string().contains("after 7 of 15 bytes"), "{e}");
        let mut junk: &[u8] = &[0x99];
        assert!(matches!(
            read_frame(&mut junk).await,
            Err(FrameError::UnknownType(0x99))
        ));
        let mut two: Vec<u8> = encode(&Frame::Query);
        two.extend(encode(&Frame::Bye(Bye::new("x"))));
        let mut r = &two[..];
        assert_eq!(read_frame(&mut r).await.unwrap(), Some(Frame::Query));
        assert_eq!(
            read_frame(&mut r).await.unwrap(),
            Some(Frame::Bye(Bye::new("x")))
        );
        assert!(read_frame(&mut r).await.unwrap().is_none());
    }
}
