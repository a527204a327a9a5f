//! A setlist: the session's title and its segments in order, each with a planned length
//! (docs/session-format.md). [`load_str`] checks a file and reports every problem with its
//! `file:line:col`; [`Plan`] is a setlist with the decks its wheel segments name.
//!
//! The model is here; `load` reads and checks a file into it; `plan` resolves what its
//! segments name (decks, matrices).

mod load;
mod plan;

pub use load::load_str;
pub use plan::Plan;

use crate::diag::Diagnostic;
use serde::Serialize;

/// Most segments a setlist may have.
pub const MAX_SEGMENTS: usize = 64;
/// Default beats per minute of the session clock: one beat a second.
pub const DEFAULT_BPM: u32 = 60;
/// Default length of a wheel turn, in minutes.
pub const DEFAULT_TURN_MINUTES: f64 = 10.0;
/// Default time range of a walkthrough's charts, in seconds.
pub const DEFAULT_RANGE: u64 = 3600;

/// A whole setlist.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Setlist {
    pub title: String,
    pub summary: String,
    /// Beats per minute of the session clock; planned lengths are kept in beats.
    pub bpm: u32,
    pub segments: Vec<Segment>,
    /// FNV-1a of the file's text: tells two versions of a setlist apart in a recording.
    pub content_hash: String,
}

impl Setlist {
    /// Seconds of session time in `beats`.
    pub fn seconds(&self, beats: u64) -> u64 {
        beats.saturating_mul(60) / u64::from(self.bpm.max(1))
    }
}

/// One segment of the setlist.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Segment {
    pub title: String,
    /// Planned length in beats of the session clock.
    pub planned: u64,
    /// For the facilitator: what this segment is for.
    pub note: String,
    pub kind: SegmentKind,
}

/// What a segment runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SegmentKind {
    /// The presenter walks everyone through a vista.
    Walkthrough {
        vista: VistaSource,
        /// Time range the charts open at, in seconds.
        range: u64,
    },
    /// Spin the Wheel of Expertise with a deck.
    Wheel {
        deck: Reference,
        /// Length of one turn, in beats.
        turn: u64,
        pick: Pick,
    },
    /// A drill of a scenario, run in its own room.
    Drill {
        scenario: Reference,
        seed: Option<u64>,
    },
    /// Free discussion, with an optional opening question.
    Discussion { prompt: String },
    /// Fill a knowledge matrix together (a matrix file beside the setlist, or bundled).
    Matrix { matrix: Reference },
    /// Build a Decision Requirements Table together, from a scenario's rows; `drill` is the
    /// earlier drill segment of the same scenario whose decisions it starts from, if any.
    Drt {
        scenario: Reference,
        drill: Option<usize>,
    },
}

impl SegmentKind {
    pub fn name(&self) -> &'static str {
        match self {
            SegmentKind::Walkthrough { .. } => "walkthrough",
            SegmentKind::Wheel { .. } => "wheel",
            SegmentKind::Drill { .. } => "drill",
            SegmentKind::Discussion { .. } => "discussion",
            SegmentKind::Matrix { .. } => "matrix",
            SegmentKind::Drt { .. } => "drt",
        }
    }
}

/// Whose vista a walkthrough shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum VistaSource {
    /// The presenter's own vista.toml.
    Presenter,
    /// A vista file, relative to the setlist.
    File { file: Reference },
    /// The simulated vista of a scenario (its signals).
    Scenario { scenario: Reference },
}

/// Who answers a wheel turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pick {
    /// The wheel picks a present player, fewest turns first.
    Wheel,
    /// Whoever spins answers (the seat whose turn it is).
    Spinner,
}

/// A name in a file that the shell resolves later (a deck file, a scenario id), with where it
/// was written so a failed lookup is reported at that spot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Reference {
    pub name: String,
    pub line: usize,
    pub col: usize,
}

impl Reference {
    /// A problem with this reference, at its position in `file`.
    pub fn problem(&self, file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: self.line,
            col: self.col,
            message: message.into(),
        }
    }
}
