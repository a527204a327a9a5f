//! Reading a recording from its bytes (pure: the file itself is opened in [`super::file`]).
//!
//! Line 1 is the [`Header`]; every later line is one input, `{"beat":12,"seat":0,"do":"cue",
//! "cue":"ack"}`, until the end line `{"end_of_recording":{"inputs":46}}` that a recorder
//! writes when it closes cleanly (format 2). A file without it stopped early: a crash, a kill,
//! a full disk. Every problem is reported at `file:line:col`, columns in characters.

use super::header::{self, Header};
use crate::diag::Diagnostic;
use crate::drill::{Action, Input, SeatId};
use serde::{Deserialize, Serialize};

/// The largest recording read or written: about a hundred two-hour drills' worth of inputs.
pub const MAX_RECORDING_BYTES: u64 = 32 << 20;

/// One input line: the input and the beat the drill was at when it was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub beat: u64,
    pub input: Input,
}

#[derive(Serialize)]
struct LineOut<'a> {
    beat: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    seat: Option<SeatId>,
    #[serde(flatten)]
    action: &'a Action,
}

#[derive(Deserialize)]
struct LineIn {
    beat: u64,
    #[serde(default)]
    seat: SeatId,
    #[serde(flatten)]
    action: Action,
}

/// The last line of a recording closed cleanly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndLine {
    end_of_recording: EndOfRecording,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndOfRecording {
    /// How many input lines precede it.
    inputs: u64,
}

/// The JSON text of one input line, without the newline.
pub fn input_line(beat: u64, input: &Input) -> String {
    let seat = (input.seat != 0 || input.action != Action::Tick).then_some(input.seat);
    let line = LineOut {
        beat,
        seat,
        action: &input.action,
    };
    serde_json::to_string(&line).expect("an input always serializes")
}

/// The JSON text of the end line after `inputs` input lines, without the newline.
pub fn end_line(inputs: u64) -> String {
    serde_json::to_string(&EndLine {
        end_of_recording: EndOfRecording { inputs },
    })
    .expect("an end line always serializes")
}

/// Whether a recording holds the whole drill, as far as the file can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completeness {
    /// The end line is there: the recorder closed the file after its last input.
    Complete,
    /// A format 1 file: that format has no end line, so an early stop cannot be told.
    Unmarked,
    /// The recording stopped before it was closed; the reason says how the file shows it.
    Incomplete(String),
}

impl Completeness {
    /// `None` when complete (or unmarked), else e.g. `incomplete (no end line)`.
    pub fn note(&self) -> Option<String> {
        match self {
            Completeness::Complete | Completeness::Unmarked => None,
            Completeness::Incomplete(why) => Some(format!("incomplete ({why})")),
        }
    }
}

/// A recording read back: its header, every complete input, and what was odd about the file.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The file it was read from (`None` when parsed from memory).
    pub path: Option<std::path::PathBuf>,
    pub header: Header,
    pub inputs: Vec<Recorded>,
    /// Problems that lost nothing recorded, e.g. a torn final line.
    pub warnings: Vec<Diagnostic>,
    /// Whether the file ends with its end line.
    pub completeness: Completeness,
}

impl Recording {
    /// Parses recording bytes; `file` names it in diagnostics.
    ///
    /// A final line that is not valid JSON or UTF-8 (a write cut short by a crash) is a
    /// warning and is ignored; a bad line anywhere else is an error at `file:line:col`.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Recording, Diagnostic> {
        let err = |line: usize, col: usize, message: String| Diagnostic {
            file: file.to_string(),
            line,
            col,
            message,
        };
        if bytes.len() as u64 > MAX_RECORDING_BYTES {
            return Err(Diagnostic::whole(file, too_big(bytes.len() as u64)));
        }
        let newline_at_end = bytes.last() == Some(&b'\n');
        let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
        if newline_at_end {
            lines.pop();
        }
        let last = lines.len();
        let Some(first) = lines.first().filter(|l| !l.trim_ascii().is_empty()) else {
            return Err(Diagnostic::whole(
                file,
                "empty file: not a gamelan recording",
            ));
        };
        let first = utf8(first).map_err(|(col, m)| err(1, col, m))?;
        let header = header::parse(first).map_err(|(col, m)| err(1, col, m))?;
        let has_end_line = header.has_end_line();
        let mut rec = Recording {
            path: None,
            header,
            inputs: Vec::new(),
            warnings: Vec::new(),
            completeness: Completeness::Unmarked,
        };
        if last == 1 && !newline_at_end {
            rec.warnings.push(err(
                1,
                1,
                "the header line has no newline at its end (the recording stopped while starting)"
                    .into(),
            ));
        }
        let mut prev_beat = 0;
        let mut ended_at: Option<usize> = None;
        let mut torn = false;
        for (i, raw) in lines.iter().enumerate().skip(1) {
            let n = i + 1;
            if raw.trim_ascii().is_empty() {
                continue;
            }
            if let Some(end) = ended_at {
                return Err(err(
                    n,
                    1,
                    format!(
                        "line {n} comes after the end line (line {end}); a recording stops at its end line"
                    ),
                ));
            }
            let is_last = n == last;
            let text = match utf8(raw) {
                Ok(t) => t,
                Err((col, _)) if is_last => {
                    rec.warnings.push(torn_warning(
                        err(n, col, String::new()),
                        raw.len(),
                        "it stops inside a UTF-8 character",
                    ));
                    torn = true;
                    break;
                }
                Err((col, m)) => return Err(err(n, col, m)),
            };
            let parsed: LineIn = match serde_json::from_str(text) {
                Ok(l) => l,
                Err(e) => {
                    if has_end_line && let Ok(end) = serde_json::from_str::<EndLine>(text) {
                        let kept = rec.inputs.len() as u64;
                        if end.end_of_recording.inputs != kept {
                            return Err(err(
                                n,
                                1,
                                format!(
                                    "the end line counts {} inputs but {kept} input lines come before it: \
                                     the file was edited or damaged",
                                    end.end_of_recording.inputs
                                ),
                            ));
                        }
                        ended_at = Some(n);
                        continue;
                    }
                    if is_last && (e.is_syntax() || e.is_eof()) {
                        let what = e.to_string();
                        rec.warnings
                            .push(torn_warning(err(n, 1, String::new()), raw.len(), &what));
                        torn = true;
                        break;
                    }
                    return Err(err(n, header::char_col(text, e.column()), describe(&e)));
                }
            };
            if parsed.beat < prev_beat {
                return Err(err(
                    n,
                    1,
                    format!(
                        "beat {} comes before the previous line's beat {prev_beat}; inputs must be in order",
                        parsed.beat
                    ),
                ));
            }
            prev_beat = parsed.beat;
            if is_last && !newline_at_end {
                rec.warnings.push(err(
                    n,
                    1,
                    "the last line has no newline at its end; its input is complete and was kept"
                        .into(),
                ));
            }
            rec.inputs.push(Recorded {
                beat: parsed.beat,
                input: Input {
                    seat: parsed.seat,
                    action: parsed.action,
                },
            });
        }
        rec.completeness = match (has_end_line, ended_at.is_some(), torn) {
            (true, true, _) => Completeness::Complete,
            (true, false, true) => Completeness::Incomplete("torn final line, no end line".into()),
            (true, false, false) => Completeness::Incomplete("no end line".into()),
            (false, _, true) => Completeness::Incomplete("torn final line".into()),
            (false, _, false) => Completeness::Unmarked,
        };
        Ok(rec)
    }

    /// The beat of the last recorded input (0 for an empty recording).
    pub fn last_recorded_beat(&self) -> u64 {
        self.inputs.last().map_or(0, |r| r.beat)
    }
}

fn torn_warning(mut at: Diagnostic, len: usize, why: &str) -> Diagnostic {
    at.col = 1;
    at.message = format!(
        "torn final line ignored ({len} bytes, {why}): the recording was cut off while writing it; \
         everything before it is intact"
    );
    at
}

/// The message for a recording over [`MAX_RECORDING_BYTES`].
pub fn too_big(len: u64) -> String {
    format!(
        "{} is too large for a recording: gamelan reads recordings of at most {} MiB",
        size_text(len),
        MAX_RECORDING_BYTES >> 20
    )
}

fn size_text(len: u64) -> String {
    if len >= 1 << 20 {
        format!("{:.1} MiB", len as f64 / f64::from(1 << 20))
    } else {
        format!("{len} bytes")
    }
}

/// A line as text, or the character column and message of its first byte that is not UTF-8.
fn utf8(line: &[u8]) -> Result<&str, (usize, String)> {
    std::str::from_utf8(line).map_err(|e| {
        let good = e.valid_up_to();
        let col = std::str::from_utf8(&line[..good]).map_or(1, |s| s.chars().count() + 1);
        (
            col,
            format!(
                "invalid UTF-8: byte 0x{:02x} (byte {} of the line) does not start or continue a character",
                line[good],
                good + 1
            ),
        )
    })
}

/// A serde_json error without its own " at line L column C": the diagnostic says where.
pub(super) fn describe(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#"{"gamelan_recording":2,"scenario":"s","scenario_hash":"0000000000000000","seed":1,"tempo":60,"started":"2025-01-01T00:00:00Z","seats":[]}"#;

    fn parse(src: &str) -> Result<Recording, Diagnostic> {
        Recording::parse(src.as_bytes(), "r.jsonl")
    }

    #[test]
    fn lines_round_trip() {
        let inputs = [
            Input::new(0, Action::Tick),
            Input::new(3, Action::Tick),
            Input::new(0, Action::Cue { cue: "ack".into() }),
            Input::new(
                1,
                Action::Join {
                    name: "a|b".into(),
                    role: None,
                },
            ),
        ];
        let mut src = format!("{HEADER}\n");
        for (i, input) in inputs.iter().enumerate() {
            src.push_str(&input_line(i as u64, input));
            src.push('\n');
        }
        assert!(src.contains("{\"beat\":0,\"do\":\"tick\"}\n"), "{src}");
        assert!(
            src.contains("{\"beat\":2,\"seat\":0,\"do\":\"cue\",\"cue\":\"ack\"}\n"),
            "{src}"
        );
        let rec = parse(&src).unwrap();
        let back: Vec<Input> = rec.inputs.iter().map(|r| r.input.clone()).collect();
        assert_eq!(back, inputs);
        assert!(rec.warnings.is_empty());
        assert_eq!(
            rec.completeness,
            Completeness::Incomplete("no end line".into())
        );
        src.push_str(&end_line(4));
        src.push('\n');
        assert!(src.ends_with("{\"end_of_recording\":{\"inputs\":4}}\n"));
        assert_eq!(parse(&src).unwrap().completeness, Completeness::Complete);
    }

    #[test]
    fn the_end_line_is_checked() {
        let tick = "{\"beat\":0,\"do\":\"tick\"}";
        let e = parse(&format!("{HEADER}\n{tick}\n{}\n", end_line(2))).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("r.jsonl:3:1: the end line counts 2 inputs but 1"),
            "{e}"
        );
        let e = parse(&format!("{HEADER}\n{}\n{tick}\n", end_line(0))).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("r.jsonl:3:1: line 3 comes after the end line (line 2)"),
            "{e}"
        );
        // A blank line after the end line is harmless.
        let rec = parse(&format!("{HEADER}\n{tick}\n{}\n\n", end_line(1))).unwrap();
        assert_eq!(rec.completeness, Completeness::Complete);
        // Format 1 has no end line: such a line is just a bad input there.
        let v1 = HEADER.replace(":2,", ":1,");
        let e = parse(&format!("{v1}\n{}\n{tick}\n", end_line(0))).unwrap_err();
        assert!(e.to_string().contains("r.jsonl:2:"), "{e}");
        let rec = parse(&format!("{v1}\n{tick}\n")).unwrap();
        assert_eq!(rec.completeness, Completeness::Unmarked);
        assert_eq!(rec.completeness.note(), None);
        // A torn end.
        let rec = parse(&format!("{HEADER}\n{tick}\n{{\"end_of_rec")).unwrap();
        assert_eq!(
            rec.completeness.note().as_deref(),
            Some("incomplete (torn final line, no end line)")
        );
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line_and_column() {
        let mut src = format!("{HEADER}\n{{\"beat\":0,\"seat\":0,\"do\":\"note\",\"text\":\"café ")
            .into_bytes();
        src.push(0xff);
        src.extend_from_slice(b"\"}\n{\"beat\":0,\"do\":\"tick\"}\n");
        let e = Recording::parse(&src, "r.jsonl").unwrap_err();
        assert_eq!((e.line, e.col), (2, 45), "{e}");
        assert!(
            e.message.contains("invalid UTF-8: byte 0xff (byte 46"),
            "{e}"
        );
        // In the header too.
        let mut src = b"{\"gamelan_recording\":2,\"scenario\":\"s".to_vec();
        src.push(0xc3);
        src.extend_from_slice(b"\"}\n");
        let e = Recording::parse(&src, "r.jsonl").unwrap_err();
        assert_eq!((e.line, e.col), (1, 37), "{e}");
    }

    #[test]
    fn columns_count_characters() {
        let src = format!(
            "{HEADER}\n{{\"beat\":0,\"seat\":0,\"do\":\"note\",\"text\":\"ééé\",\"x\":}}\n{{\"beat\":0,\"do\":\"tick\"}}\n"
        );
        let e = parse(&src).unwrap_err();
        let line = src.lines().nth(1).unwrap();
        assert_eq!(e.line, 2);
        // serde_json reports the byte column of the `}`; the diagnostic is in characters.
        assert_eq!(
            e.col,
            line.chars().position(|c| c == '}').unwrap() + 1,
            "{e}"
        );
    }

    #[test]
    fn unknown_version_is_refused() {
        let src = HEADER.replace("\"gamelan_recording\":2", "\"gamelan_recording\":7");
        let e = parse(&src).unwrap_err();
        assert!(
            e.to_string().contains("format version 7 is not supported"),
            "{e}"
        );
        let e = parse("{\"a\":1}\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("r.jsonl:1:1: not a gamelan recording"),
            "{e}"
        );
        let e = parse("").unwrap_err();
        assert!(e.to_string().contains("empty file"), "{e}");
    }

    #[test]
    fn beats_must_not_go_backwards() {
        let src =
            format!("{HEADER}\n{{\"beat\":3,\"do\":\"tick\"}}\n{{\"beat\":2,\"do\":\"tick\"}}\n");
        let e = parse(&src).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("r.jsonl:3:1: beat 2 comes before"),
            "{e}"
        );
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let big = vec![b' '; MAX_RECORDING_BYTES as usize + 1];
        let e = Recording::parse(&big, "r.jsonl").unwrap_err();
        assert!(e.message.contains("at most 32 MiB"), "{e}");
    }
}
