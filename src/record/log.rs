//! The recording file: JSON Lines, append-only (docs/recording-format.md).
//!
//! Line 1 is a [`Header`]; every later line is one [`Input`] as the core received it, with the
//! beat the drill was at when it was applied: `{"beat":12,"seat":0,"do":"cue","cue":"ack"}`.
//! Ticks are inputs like any other and are written one per line, `{"beat":13,"do":"tick"}`
//! (the seat is left out when it is 0): every line is flushed as it happens, so a run-length
//! form would hold back ticks that a crash would then lose.

use crate::diag::Diagnostic;
use crate::drill::{Action, Drill, Input, LogEntry, SeatId};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The format version this build writes and reads (`"gamelan_recording"` in the header).
pub const FORMAT_VERSION: u32 = 1;

/// Line 1 of a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The format version, [`FORMAT_VERSION`].
    pub gamelan_recording: u32,
    /// Scenario id.
    pub scenario: String,
    /// The scenario's `content_hash` when the drill was recorded.
    pub scenario_hash: String,
    pub seed: u64,
    /// Tempo (BPM) the drill started at; later changes are `tempo` inputs.
    pub tempo: u32,
    /// Wall-clock start, RFC 3339 UTC (`2025-05-01T14:03:09Z`).
    pub started: String,
    /// The seats known when the drill started (informational: joins are inputs too).
    #[serde(default)]
    pub seats: Vec<SeatEntry>,
    /// For a fork: the recording and beat it continues from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Parent>,
    /// The gamelan version that wrote the file (informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gamelan_version: Option<String>,
}

impl Header {
    /// A header for a drill about to start (or just started: `drill.bpm` is the start tempo)
    /// at wall-clock time now.
    pub fn for_drill(drill: &Drill, seats: Vec<SeatEntry>) -> Header {
        Header::new(&drill.scenario, drill.seed, drill.bpm, seats)
    }

    pub fn new(scenario: &Scenario, seed: u64, tempo: u32, seats: Vec<SeatEntry>) -> Header {
        Header {
            gamelan_recording: FORMAT_VERSION,
            scenario: scenario.meta.id.clone(),
            scenario_hash: scenario.content_hash.clone(),
            seed,
            tempo,
            started: super::rfc3339(std::time::SystemTime::now()),
            seats,
            parent: None,
            gamelan_version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }
    }
}

/// A seat as the header lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatEntry {
    pub seat: SeatId,
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
}

/// Where a forked recording branched off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent {
    /// Path of the parent recording.
    pub recording: String,
    /// The beat of the parent the fork continues from.
    pub beat: u64,
}

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

/// Writes a recording as the drill happens: each line is written and flushed to the OS at once
/// (one `write` per line), so a killed process loses at most the line being written.
#[derive(Debug)]
pub struct Recorder {
    file: File,
    path: PathBuf,
    lines: u64,
    error: Option<io::Error>,
}

impl Recorder {
    /// Creates `path` (and its directory) and writes the header. Refuses to overwrite a file.
    pub fn create(path: &Path, header: &Header) -> io::Result<Recorder> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(path)
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    io::Error::new(
                        e.kind(),
                        format!(
                            "{} already exists; a recording is never overwritten",
                            path.display()
                        ),
                    )
                } else {
                    io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()))
                }
            })?;
        let mut rec = Recorder {
            file,
            path: path.to_path_buf(),
            lines: 0,
            error: None,
        };
        let text = serde_json::to_string(header).expect("a header always serializes");
        rec.write_line(text)?;
        Ok(rec)
    }

    /// Appends one input applied at `beat`.
    pub fn record(&mut self, beat: u64, input: &Input) -> io::Result<()> {
        self.write_line(input_line(beat, input))
    }

    /// Records `input` at the drill's current beat, then applies it. A write error does not
    /// stop the drill: it is kept for [`Recorder::take_error`] (the console shows it) and
    /// later inputs are still attempted.
    pub fn apply(&mut self, drill: &mut Drill, input: &Input) -> Vec<LogEntry> {
        if let Err(e) = self.record(drill.beat, input)
            && self.error.is_none()
        {
            self.error = Some(e);
        }
        drill.apply(input)
    }

    /// The first write error since the last call, if any.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Lines written, the header included.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    fn write_line(&mut self, mut text: String) -> io::Result<()> {
        text.push('\n');
        self.file.write_all(text.as_bytes())?;
        self.file.flush()?;
        self.lines += 1;
        Ok(())
    }
}

/// A recording read back: its header, every complete input, and what was odd about the file.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The file it was read from (`None` when parsed from memory).
    pub path: Option<PathBuf>,
    pub header: Header,
    pub inputs: Vec<Recorded>,
    /// Problems that lost nothing recorded, e.g. a torn final line.
    pub warnings: Vec<Diagnostic>,
}

impl Recording {
    /// Reads a recording file. Errors name the file and line.
    pub fn load(path: &Path) -> Result<Recording, Diagnostic> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| Diagnostic::whole(&name, format!("cannot read: {e}")))?;
        let mut rec = Recording::parse(&bytes, &name)?;
        rec.path = Some(path.to_path_buf());
        Ok(rec)
    }

    /// Parses recording bytes; `file` names it in diagnostics.
    ///
    /// A final line that is not valid JSON (a write cut short by a crash) is a warning and is
    /// ignored; a bad line anywhere else is an error at `file:line:col`.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Recording, Diagnostic> {
        let err = |line: usize, col: usize, message: String| Diagnostic {
            file: file.to_string(),
            line,
            col,
            message,
        };
        let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
        let newline_at_end = bytes.last() == Some(&b'\n');
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
        let header = parse_header(first).map_err(|(col, m)| err(1, col, m))?;
        let mut rec = Recording {
            path: None,
            header,
            inputs: Vec::new(),
            warnings: Vec::new(),
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
        for (i, raw) in lines.iter().enumerate().skip(1) {
            let n = i + 1;
            if raw.trim_ascii().is_empty() {
                continue;
            }
            let is_last = n == last;
            let parsed: LineIn = match serde_json::from_slice(raw) {
                Ok(l) => l,
                Err(e) if is_last && (e.is_syntax() || e.is_eof()) => {
                    rec.warnings.push(err(
                        n,
                        1,
                        format!(
                            "torn final line ignored ({} bytes, {}): the recording was cut off while writing it; \
                             everything before it is intact",
                            raw.len(),
                            e
                        ),
                    ));
                    break;
                }
                Err(e) => return Err(err(n, e.column().max(1), describe(&e))),
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
        Ok(rec)
    }

    /// The beat of the last recorded input (0 for an empty recording).
    pub fn last_recorded_beat(&self) -> u64 {
        self.inputs.last().map_or(0, |r| r.beat)
    }
}

fn describe(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; the diagnostic already says where.
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn parse_header(line: &[u8]) -> Result<Header, (usize, String)> {
    let value: serde_json::Value = serde_json::from_slice(line).map_err(|e| {
        (
            e.column().max(1),
            format!(
                "not a gamelan recording: the header line is not JSON ({})",
                describe(&e)
            ),
        )
    })?;
    let version = value.get("gamelan_recording").ok_or_else(|| {
        (
            1,
            "not a gamelan recording: line 1 has no \"gamelan_recording\" format version"
                .to_string(),
        )
    })?;
    match version.as_u64() {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) => {
            return Err((
                1,
                format!(
                    "recording format version {v} is not supported: this gamelan {} reads version {FORMAT_VERSION}",
                    env!("CARGO_PKG_VERSION")
                ),
            ));
        }
        None => {
            return Err((
                1,
                format!("\"gamelan_recording\" must be a format version number, not {version}"),
            ));
        }
    }
    serde_json::from_value(value)
        .map_err(|e| (1, format!("bad recording header: {}", describe(&e))))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#"{"gamelan_recording":1,"scenario":"s","scenario_hash":"00","seed":1,"tempo":60,"started":"2025-01-01T00:00:00Z","seats":[]}"#;

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
        let rec = Recording::parse(src.as_bytes(), "r.jsonl").unwrap();
        let back: Vec<Input> = rec.inputs.iter().map(|r| r.input.clone()).collect();
        assert_eq!(back, inputs);
        assert!(rec.warnings.is_empty());
    }

    #[test]
    fn unknown_version_is_refused() {
        let src = HEADER.replace("\"gamelan_recording\":1", "\"gamelan_recording\":7");
        let e = Recording::parse(src.as_bytes(), "r.jsonl").unwrap_err();
        assert!(
            e.to_string().contains("format version 7 is not supported"),
            "{e}"
        );
        let e = Recording::parse(b"{\"a\":1}\n", "r.jsonl").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("r.jsonl:1:1: not a gamelan recording"),
            "{e}"
        );
        let e = Recording::parse(b"", "r.jsonl").unwrap_err();
        assert!(e.to_string().contains("empty file"), "{e}");
    }

    #[test]
    fn beats_must_not_go_backwards() {
        let src =
            format!("{HEADER}\n{{\"beat\":3,\"do\":\"tick\"}}\n{{\"beat\":2,\"do\":\"tick\"}}\n");
        let e = Recording::parse(src.as_bytes(), "r.jsonl").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("r.jsonl:3:1: beat 2 comes before"),
            "{e}"
        );
    }
}
