//! Line 1 of a recording: the [`Header`], and the checks that keep a hand-edited or damaged
//! header from reaching the drill (docs/recording-format.md, "Header").
//!
//! A header is trusted for nothing it does not prove: every field is checked for its type and
//! range before a [`Header`] exists, and each problem names the field and its column. The
//! scenario is an id, never a path: it is looked up in the catalogue and nothing named inside a
//! recording is ever opened.

use crate::drill::SeatId;
use crate::scenario::Scenario;
pub use crate::scenario::limits::MAX_EMBEDDED_SOURCE_BYTES;
use serde::{Deserialize, Serialize};

mod check;
mod columns;

pub use check::parse;
pub use columns::{char_col, key_col};

/// The format version this build writes (`"gamelan_recording"` in the header). Version 2 adds
/// the end line, version 3 the scenario's source (`scenario_source`); older files are read as
/// before.
pub const FORMAT_VERSION: u32 = 3;

/// The oldest format version this build reads.
pub const OLDEST_VERSION: u32 = 1;

/// Tempo range a header may start at: the scenario format's (`[tempo] bpm`).
pub const TEMPO_RANGE: std::ops::RangeInclusive<u32> = 1..=600;

/// At most this many seats in a header.
pub const MAX_HEADER_SEATS: usize = 1024;

/// Longest scenario id, seat name or role, in characters.
pub const MAX_NAME: usize = 256;

/// Longest parent path, in bytes.
pub const MAX_PATH: usize = 4096;

/// Line 1 of a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The format version, [`FORMAT_VERSION`] when written by this build.
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
    /// The scenario file's text (format 3), whose content hash is `scenario_hash`: replaying
    /// needs nothing but the recording. Left out for a scenario over
    /// [`MAX_EMBEDDED_SOURCE_BYTES`]. Written last, so the small fields lead the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_source: Option<String>,
    /// The live vista file the drill ran beside (`play --vista`, or the scenario's `vista`),
    /// its text carried like the scenario's. Absent when the drill showed only its own
    /// simulated signals: those are derived from the scenario, which the recording carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vista: Option<CarriedVista>,
}

/// A vista file's text inside a recording, checked against its content hash on reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarriedVista {
    /// The file's name (shown, never opened).
    pub file: String,
    /// The text's content hash, as a scenario's (16 hex digits, FNV-1a).
    pub hash: String,
    /// The file's text: a vista file that passed its check, so no secret is inline (they
    /// live in files and environment variables the file only names).
    pub source: String,
}

impl CarriedVista {
    /// The vista file `file` whose text is `source`, when it fits a recording.
    pub fn new(file: &str, source: &str) -> Option<CarriedVista> {
        (source.len() <= MAX_EMBEDDED_SOURCE_BYTES).then(|| CarriedVista {
            file: clean(file),
            hash: crate::scenario::content_hash(source),
            source: source.to_string(),
        })
    }

    /// Whether this is a vista a recording may carry: a short file name, a bounded text, and
    /// the very text its hash names (an edit or damage is caught here, not replayed).
    pub fn check(&self) -> Result<(), String> {
        if self.file.chars().count() > MAX_NAME || has_control(&self.file) {
            return Err(format!(
                "\"vista\".\"file\" must be a file name of at most {MAX_NAME} characters"
            ));
        }
        if self.source.len() > MAX_EMBEDDED_SOURCE_BYTES {
            return Err(format!(
                "\"vista\" holds {} bytes; a recording carries a vista file of at most {MAX_EMBEDDED_SOURCE_BYTES} bytes",
                self.source.len()
            ));
        }
        let actual = crate::scenario::content_hash(&self.source);
        if actual != self.hash {
            return Err(format!(
                "\"vista\".\"source\" does not match its \"hash\": its content hash is {actual}, not {}; \
                 the recording was edited or damaged",
                self.hash
            ));
        }
        Ok(())
    }

    /// The carried vista as a config, checked as `gamelan check` would the file; on any
    /// machine, with nothing but the recording.
    pub fn config(&self) -> Result<crate::vista::VistaConfig, Vec<crate::diag::Diagnostic>> {
        crate::vista::VistaConfig::parse(&self.source, &self.file)
    }
}

impl Header {
    /// A header of a drill started at `started` (RFC 3339 UTC). Seat names and roles are cut
    /// to what a reader accepts, so a recording this build writes is always one it reads back.
    /// The shells' [`Header::new`] passes the wall clock.
    pub fn started_at(
        scenario: &Scenario,
        seed: u64,
        tempo: u32,
        seats: Vec<SeatEntry>,
        started: String,
    ) -> Header {
        let mut seen = std::collections::HashSet::new();
        let seats = seats
            .into_iter()
            .filter(|s| seen.insert(s.seat))
            .take(MAX_HEADER_SEATS)
            .map(|s| SeatEntry {
                seat: s.seat,
                name: clean(&s.name),
                role: s.role.as_deref().map(clean),
            })
            .collect();
        Header {
            gamelan_recording: FORMAT_VERSION,
            scenario: scenario.meta.id.clone(),
            scenario_hash: scenario.content_hash.clone(),
            seed,
            tempo: tempo.clamp(*TEMPO_RANGE.start(), *TEMPO_RANGE.end()),
            started,
            seats,
            parent: None,
            gamelan_version: Some(env!("CARGO_PKG_VERSION").to_string()),
            scenario_source: (scenario.source.len() <= MAX_EMBEDDED_SOURCE_BYTES)
                .then(|| scenario.source.to_string()),
            vista: None,
        }
    }

    /// Whether this header's format has an end line (version 2 on).
    pub fn has_end_line(&self) -> bool {
        self.gamelan_recording >= 2
    }
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME)
        .collect()
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
    /// Path of the parent recording (shown, never opened).
    pub recording: String,
    /// The beat of the parent the fork continues from.
    pub beat: u64,
}

/// A header problem: the 1-based character column on line 1 and the message.
pub type HeaderError = (usize, String);

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"gamelan_recording":2,"scenario":"bad-deploy","scenario_hash":"3ccf2a9be10f74e3","seed":1,"tempo":60,"started":"2025-05-01T14:00:00Z","seats":[{"seat":0,"name":"ann","role":null}],"gamelan_version":"0.1.0"}"#;

    fn err(line: &str) -> (usize, String) {
        parse(line).unwrap_err()
    }

    #[test]
    fn a_good_header_parses() {
        let h = parse(GOOD).unwrap();
        assert_eq!(h.scenario, "bad-deploy");
        assert_eq!(h.tempo, 60);
        assert_eq!(h.seats.len(), 1);
        assert!(h.has_end_line());
    }

    #[test]
    fn every_field_is_checked_at_its_column() {
        let cases = [
            ("\"tempo\":60", "\"tempo\":0", "\"tempo\" must be"),
            ("\"tempo\":60", "\"tempo\":601", "from 1 to 600"),
            ("\"tempo\":60", "\"tempo\":4294967356", "from 1 to 600"),
            ("\"tempo\":60", "\"tempo\":-1", "\"tempo\" must be"),
            (
                "\"seed\":1",
                "\"seed\":-1",
                "\"seed\" must be a whole number",
            ),
            (
                "\"seed\":1",
                "\"seed\":1.5",
                "\"seed\" must be a whole number",
            ),
            (
                "\"seed\":1",
                "\"seed\":99999999999999999999999",
                "\"seed\" must be",
            ),
            (
                "\"scenario\":\"bad-deploy\"",
                "\"scenario\":\"../../etc/passwd\"",
                "never points at a file",
            ),
            (
                "\"scenario\":\"bad-deploy\"",
                "\"scenario\":\"x.toml\"",
                "must be a scenario id",
            ),
            (
                "\"scenario\":\"bad-deploy\"",
                "\"scenario\":7",
                "must be a string",
            ),
            (
                "\"scenario_hash\":\"3ccf2a9be10f74e3\"",
                "\"scenario_hash\":\"zz\"",
                "16 hex digits",
            ),
            (
                "\"started\":\"2025-05-01T14:00:00Z\"",
                "\"started\":\"yesterday\"",
                "RFC 3339",
            ),
            ("\"name\":\"ann\"", "\"name\":\"a\\u001bb\"", "control"),
            ("\"seat\":0", "\"seat\":4294967296", "seats[0].seat"),
            (
                "\"gamelan_recording\":2",
                "\"gamelan_recording\":4",
                "version 4 is not supported",
            ),
            (
                "\"gamelan_recording\":2",
                "\"gamelan_recording\":0",
                "version 0 is not supported",
            ),
            (
                "\"gamelan_version\":\"0.1.0\"",
                "\"gamelan_version\":[]",
                "\"gamelan_version\" must be",
            ),
        ];
        for (from, to, want) in cases {
            let line = GOOD.replace(from, to);
            assert_ne!(line, GOOD, "{from}");
            let (col, msg) = err(&line);
            assert!(msg.contains(want), "{to}: {msg}");
            let key = to.split('"').nth(1).unwrap();
            let top = if ["name", "seat"].contains(&key) {
                "seats"
            } else {
                key
            };
            assert_eq!(
                col,
                line.find(&format!("\"{top}\"")).unwrap() + 1,
                "{to}: {msg}"
            );
        }
        let (_, msg) = err(&GOOD.replace(",\"seed\":1", ""));
        assert!(msg.contains("no \"seed\""), "{msg}");
        let many: Vec<String> = (0..=MAX_HEADER_SEATS)
            .map(|i| format!("{{\"seat\":{i},\"name\":\"p\"}}"))
            .collect();
        let line = GOOD.replace(
            "[{\"seat\":0,\"name\":\"ann\",\"role\":null}]",
            &format!("[{}]", many.join(",")),
        );
        assert!(err(&line).1.contains("at most 1024"));
        let twice = GOOD.replace(
            "[{\"seat\":0,\"name\":\"ann\",\"role\":null}]",
            "[{\"seat\":0,\"name\":\"a\"},{\"seat\":0,\"name\":\"b\"}]",
        );
        assert!(err(&twice).1.contains("listed twice"));
    }

    #[test]
    fn an_embedded_source_is_checked_against_its_hash_and_bounded() {
        let src = "[scenario]\nid = \"x\"\n";
        let hash = crate::scenario::content_hash(src);
        let v3 = GOOD
            .replace("\"gamelan_recording\":2", "\"gamelan_recording\":3")
            .replace("3ccf2a9be10f74e3", &hash);
        let with = |text: &str| {
            format!(
                "{},\"scenario_source\":{}}}",
                &v3[..v3.len() - 1],
                serde_json::to_string(text).unwrap()
            )
        };
        let h = parse(&with(src)).unwrap();
        assert_eq!(h.scenario_source.as_deref(), Some(src));
        // One byte changed: refused at the field, naming both hashes.
        let line = with(&src.replace('x', "y"));
        let (col, msg) = err(&line);
        assert_eq!(col, line.find("\"scenario_source\"").unwrap() + 1);
        assert!(
            msg.contains("does not match") && msg.contains(&hash),
            "{msg}"
        );
        let (_, msg) = err(&format!("{},\"scenario_source\":7}}", &v3[..v3.len() - 1]));
        assert!(msg.contains("must be the scenario file's text"), "{msg}");
        let big = "#".repeat(MAX_EMBEDDED_SOURCE_BYTES + 1);
        let line = with(&big).replace(&hash, &crate::scenario::content_hash(&big));
        assert!(err(&line).1.contains("at most 1048576 bytes"));
        // Format 2 has no such field: it is ignored, as unknown fields are.
        let v2 = format!("{},\"scenario_source\":7}}", &GOOD[..GOOD.len() - 1]);
        assert_eq!(parse(&v2).unwrap().scenario_source, None);
    }

    #[test]
    fn key_columns_skip_nested_and_quoted_keys() {
        let line = r#"{"x":{"tempo":1},"s":"\"tempo\":","tempo":0}"#;
        assert_eq!(key_col(line, "tempo"), line.rfind("\"tempo\"").unwrap() + 1);
        assert_eq!(key_col("{\"é\":1,\"a\":2}", "a"), 8);
        assert_eq!(char_col("é\"x", 3), 2);
    }

    #[test]
    fn written_headers_read_back() {
        let s = crate::scenario::bundled()
            .into_iter()
            .next()
            .unwrap()
            .scenario;
        let h = Header::new(
            &s,
            u64::MAX,
            0,
            vec![
                SeatEntry {
                    seat: 3,
                    name: format!("a\u{1b}{}", "n".repeat(400)),
                    role: Some("r\n".into()),
                },
                SeatEntry {
                    seat: 3,
                    name: "dup".into(),
                    role: None,
                },
            ],
        );
        let back = parse(&serde_json::to_string(&h).unwrap()).unwrap();
        assert_eq!(back, h);
        assert_eq!(back.scenario_source.as_deref(), Some(&*s.source));
        assert_eq!(back.tempo, 1);
        assert_eq!(back.seats.len(), 1);
        assert_eq!(back.seats[0].name.chars().count(), MAX_NAME);
    }

    #[test]
    fn a_carried_vista_reads_back_and_is_checked_against_its_hash() {
        let s = crate::scenario::bundled()
            .into_iter()
            .next()
            .unwrap()
            .scenario;
        let text = "[vista]\ntitle = \"t\"\n\n[[panes]]\nid = \"cpu\"\ntitle = \"CPU\"\nsource = { type = \"host\", metric = \"cpu\" }\n";
        let mut h = Header::new(&s, 1, 60, Vec::new());
        h.vista = CarriedVista::new("v.toml", text);
        let line = serde_json::to_string(&h).unwrap();
        let back = parse(&line).unwrap();
        assert_eq!(back, h);
        assert_eq!(
            back.vista.as_ref().unwrap().hash,
            crate::scenario::content_hash(text)
        );
        // An edit of the carried text, a wrong shape: positioned at the field, never replayed.
        let (col, msg) = err(&line.replacen("title = \\\"t\\\"", "title = \\\"u\\\"", 1));
        assert_eq!(col, key_col(&line, "vista"), "{msg}");
        assert!(msg.contains("does not match its \"hash\""), "{msg}");
        let (_, msg) = err(&line.replacen("\"file\":\"v.toml\"", "\"file\":7", 1));
        assert!(
            msg.contains("must be {\"file\", \"hash\", \"source\"}"),
            "{msg}"
        );
        // Format 2 had no such field: ignored there.
        let old = line.replacen("\"gamelan_recording\":3", "\"gamelan_recording\":2", 1);
        assert_eq!(parse(&old).unwrap().vista, None);
    }
}
