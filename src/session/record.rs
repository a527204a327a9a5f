//! Session recordings: JSON Lines like a drill's (docs/session-format.md). Line 1 is the
//! header, which carries the setlist's, decks' and matrices' own text, and each walkthrough's
//! vista file (checked against its hash on reading, as a drill's live vista is), so a recording
//! replays exactly, and names the walkthrough's panes, even after the files change or on
//! another machine; every later line is one
//! [`SessionInput`] in the order the session applied it. Only the text is handled here: the
//! shell reads and appends the file.

use super::setlist::{self, Plan};
use super::{Session, SessionInput, deck};
use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The format version this module writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Largest header line read (it holds the setlist and decks).
pub const MAX_HEADER: usize = 4 * 1024 * 1024;
/// Largest input line read.
pub const MAX_LINE: usize = 256 * 1024;

/// Line 1 of a session recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub gamelan_session: u32,
    pub title: String,
    pub seed: u64,
    /// Wall-clock start, RFC 3339 UTC.
    pub started: String,
    pub plan_hash: String,
    pub setlist: Embedded,
    /// Each deck under the name the setlist gives it.
    pub decks: Vec<Embedded>,
    /// Each matrix as the session started from it, under the name the setlist gives it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matrices: Vec<Embedded>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gamelan_version: Option<String>,
    /// Each walkthrough's vista file (the setlist's `vista`, or the presenter's own
    /// vista.toml), as the session ran it. Absent for a simulated vista (the scenario is named
    /// by the setlist) and in recordings made before it was carried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vistas: Vec<SegmentVista>,
}

/// A walkthrough's vista file inside a session recording: its segment, and the file's name,
/// content hash and text as a drill recording carries its live vista.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentVista {
    /// The walkthrough segment, from 0.
    pub segment: usize,
    #[serde(flatten)]
    pub vista: crate::record::CarriedVista,
}

/// A file's text kept in the recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Embedded {
    pub name: String,
    pub text: String,
}

/// A whole recording: its header and inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    pub header: Header,
    pub inputs: Vec<SessionInput>,
}

impl Header {
    /// The header for a session of `plan` started at `started`, with the files' text.
    pub fn new(
        session: &Session,
        started: String,
        setlist: Embedded,
        decks: Vec<Embedded>,
    ) -> Header {
        Header {
            gamelan_session: FORMAT_VERSION,
            title: session.plan.setlist.title.clone(),
            seed: session.seed,
            started,
            plan_hash: session.plan_hash.clone(),
            setlist,
            decks,
            matrices: Vec::new(),
            gamelan_version: Some(env!("CARGO_PKG_VERSION").to_string()),
            vistas: Vec::new(),
        }
    }

    /// The header as one line, with its newline.
    pub fn line(&self) -> String {
        let mut s = serde_json::to_string(self).expect("a header always serializes");
        s.push('\n');
        s
    }

    /// What is wrong with the carried vista files, if anything: each is bounded and is the
    /// very text its hash names, and a segment carries at most one.
    fn vistas_problem(&self) -> Option<String> {
        if self.vistas.len() > super::setlist::MAX_SEGMENTS {
            return Some(format!(
                "\"vistas\" holds {} files; a session has at most {} segments",
                self.vistas.len(),
                super::setlist::MAX_SEGMENTS
            ));
        }
        for (i, v) in self.vistas.iter().enumerate() {
            if let Err(e) = v.vista.check() {
                return Some(format!("\"vistas\"[{i}]: {e}"));
            }
            if self.vistas[..i].iter().any(|o| o.segment == v.segment) {
                return Some(format!(
                    "\"vistas\"[{i}]: segment {} carries a vista file twice",
                    v.segment + 1
                ));
            }
        }
        None
    }

    /// The plan the recording was made with, rebuilt from the embedded text.
    pub fn plan(&self) -> Result<Plan, Vec<Diagnostic>> {
        let list = setlist::load_str(&self.setlist.text, &self.setlist.name)?;
        let plan = Plan::resolve(list, |r| {
            let d = self
                .decks
                .iter()
                .find(|d| d.name == r.name)
                .ok_or_else(|| {
                    vec![r.problem(
                        &self.setlist.name,
                        format!("the recording holds no deck named `{}`", r.name),
                    )]
                })?;
            deck::load_str(&d.text, &d.name)
        })?
        .with_matrices(|r| {
            let m = self
                .matrices
                .iter()
                .find(|m| m.name == r.name)
                .ok_or_else(|| {
                    vec![r.problem(
                        &self.setlist.name,
                        format!("the recording holds no matrix named `{}`", r.name),
                    )]
                })?;
            crate::matrix::file::load_str(&m.text, &m.name)
        })?;
        Ok(plan)
    }
}

/// One input as a line, with its newline.
pub fn input_line(input: &SessionInput) -> String {
    let mut s = serde_json::to_string(input).expect("an input always serializes");
    s.push('\n');
    s
}

/// Does this text start like a session recording (rather than a drill's)?
pub fn is_session_recording(first_line: &str) -> bool {
    first_line.trim_start().starts_with('{') && first_line.contains("\"gamelan_session\"")
}

/// Reads a recording's text; `file` names it in diagnostics. A last line cut short (the
/// process was killed while writing it) is dropped; any other bad line is an error.
pub fn parse(text: &str, file: &str) -> Result<Recording, Vec<Diagnostic>> {
    let mut lines = text.split_inclusive('\n').enumerate();
    let at = |line: usize, message: String| Diagnostic {
        file: file.to_string(),
        line,
        col: 1,
        message,
    };
    let Some((_, first)) = lines.next() else {
        return Err(vec![Diagnostic::whole(
            file,
            "an empty file, not a session recording",
        )]);
    };
    if first.len() > MAX_HEADER {
        return Err(vec![at(
            1,
            format!("the header is over {MAX_HEADER} bytes"),
        )]);
    }
    let header: Header = serde_json::from_str(first)
        .map_err(|e| vec![at(1, format!("not a session recording header: {e}"))])?;
    if header.gamelan_session != FORMAT_VERSION {
        return Err(vec![at(
            1,
            format!(
                "session recording format {} is not supported (this gamelan reads format {FORMAT_VERSION})",
                header.gamelan_session
            ),
        )]);
    }
    if let Some(problem) = header.vistas_problem() {
        return Err(vec![at(1, problem)]);
    }
    let mut inputs = Vec::new();
    let mut diags = Vec::new();
    let mut last = 0;
    for (n, raw) in lines {
        let complete = raw.ends_with('\n');
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        if raw.len() > MAX_LINE {
            diags.push(at(n + 1, format!("a line over {MAX_LINE} bytes")));
            continue;
        }
        match serde_json::from_str::<SessionInput>(l) {
            Ok(i) if i.beat < last => diags.push(at(
                n + 1,
                format!(
                    "beat {} comes before the previous line's beat {last}",
                    i.beat
                ),
            )),
            Ok(i) => {
                last = i.beat;
                inputs.push(i);
            }
            Err(_) if !complete => {}
            Err(e) => diags.push(at(n + 1, format!("not a session input: {e}"))),
        }
    }
    if diags.is_empty() {
        Ok(Recording { header, inputs })
    } else {
        Err(diags)
    }
}

impl Recording {
    /// Rebuilds the session by replaying every input on the embedded plan. A plan whose
    /// hash differs from the one recorded is refused: it would not replay the same.
    pub fn replay(&self) -> Result<Session, Vec<Diagnostic>> {
        let plan = self.header.plan()?;
        let mut s = Session::new(Arc::new(plan), self.header.seed);
        if s.plan_hash != self.header.plan_hash {
            return Err(vec![Diagnostic::whole(
                &self.header.setlist.name,
                "the embedded setlist and decks do not match the recorded hash",
            )]);
        }
        for v in &self.header.vistas {
            let walks_a_file = matches!(
                s.plan.setlist.segments.get(v.segment).map(|g| &g.kind),
                Some(super::SegmentKind::Walkthrough {
                    vista: super::setlist::VistaSource::File { .. }
                        | super::setlist::VistaSource::Presenter,
                    ..
                })
            );
            if !walks_a_file {
                return Err(vec![Diagnostic::whole(
                    &self.header.setlist.name,
                    format!(
                        "the recording carries the vista file {} for segment {}, which is not a walkthrough of a vista file",
                        v.vista.file,
                        v.segment + 1
                    ),
                )]);
            }
        }
        for i in &self.inputs {
            s.apply(i);
        }
        Ok(s)
    }
}
