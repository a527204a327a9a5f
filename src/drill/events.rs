//! What the core reports: the drill's log is a list of [`LogEntry`]s, and the debrief, the
//! feed and the timeline fold over it. Each event names scenario parts by index.

use super::SeatId;
use crate::scenario::Mark;
use serde::Serialize;

/// What the core reports; the drill's log is the list of these, and the debrief folds over it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    InjectFired {
        inject: usize,
        by_hand: bool,
    },
    InjectSkipped {
        inject: usize,
    },
    AlertFiring {
        alert: usize,
    },
    AlertResolved {
        alert: usize,
    },
    CueApplied {
        seat: SeatId,
        cue: usize,
    },
    CueLanded {
        seat: SeatId,
        cue: usize,
    },
    Marked {
        mark: Mark,
    },
    Note {
        seat: SeatId,
        text: String,
    },
    Hint {
        seat: SeatId,
        index: usize,
    },
    HerringFollowed {
        seat: SeatId,
        herring: usize,
    },
    Objective {
        objective: usize,
        met: bool,
    },
    Paused {
        seat: SeatId,
    },
    Resumed {
        seat: SeatId,
    },
    Tempo {
        seat: SeatId,
        bpm: u32,
    },
    Joined {
        seat: SeatId,
    },
    Left {
        seat: SeatId,
    },
    Rejected {
        seat: SeatId,
        what: String,
        reason: String,
    },
    Ended {
        reason: String,
    },
    /// A decision point's prompt opened.
    DecisionOpened {
        decision: usize,
    },
    /// An option was chosen: by a seat (its cue, or a facilitator), or by nobody when the
    /// prompt's time ran out and the default was taken (`seat: None`).
    DecisionMade {
        decision: usize,
        option: usize,
        seat: Option<SeatId>,
    },
    /// The prompt's time ran out with nothing chosen and no default.
    DecisionLapsed {
        decision: usize,
    },
    /// A flag or counter took a new value.
    FlagSet {
        flag: usize,
        value: f64,
    },
    /// A scribe marked a decision at this beat, with every signal's value then (in the
    /// scenario's signal order).
    DecisionHere {
        seat: SeatId,
        text: String,
        values: Vec<f64>,
    },
    /// Which of a cue's outcomes it landed with (`None`: its own effects).
    CueOutcome {
        seat: SeatId,
        cue: usize,
        outcome: Option<usize>,
    },
}

/// One event at the beat it happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    pub beat: u64,
    #[serde(flatten)]
    pub event: Event,
}
