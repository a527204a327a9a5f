//! What can happen to a drill, as one value a seat sends: the unit of recording.

use super::SeatId;
use serde::{Deserialize, Serialize};

/// Everything that can happen to a drill, as one value: the unit of recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Action {
    /// The metronome: advance one beat.
    Tick,
    Cue {
        cue: String,
    },
    Note {
        text: String,
    },
    Pause,
    Resume,
    Tempo {
        bpm: u32,
    },
    /// Reveal the next rung of the hint ladder.
    Hint,
    /// Fire a contingency inject by hand.
    Fire {
        inject: String,
    },
    /// Choose a facilitator's option of an open decision point.
    Decide {
        decision: String,
        option: String,
    },
    /// A seat joins; `role: None` plays every role (a solo player).
    Join {
        name: String,
        role: Option<String>,
    },
    Leave,
    End {
        reason: String,
    },
    /// A scribe's "decision here": marks this beat as a decision worth a row of the Decision
    /// Requirements Table and snapshots every signal's value. Any seat may press it, during the
    /// drill or after it ended.
    DecisionHere {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        text: String,
    },
    /// An edit of the drill's Decision Requirements Table, after the drill or during it: the
    /// first one builds the table from what the drill did ([`crate::drt::from_drill`]), so a
    /// replay of the recording rebuilds the same table.
    Drt(crate::drt::DrtInput),
}

/// An action from a seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub seat: SeatId,
    #[serde(flatten)]
    pub action: Action,
}

impl Input {
    pub fn new(seat: SeatId, action: Action) -> Input {
        Input { seat, action }
    }
}

pub(super) fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Tick => "tick",
        Action::Cue { .. } => "cue",
        Action::Note { .. } => "note",
        Action::Pause => "pause",
        Action::Resume => "resume",
        Action::Tempo { .. } => "tempo",
        Action::Hint => "hint",
        Action::Fire { .. } => "fire",
        Action::Decide { .. } => "decide",
        Action::Join { .. } => "join",
        Action::Leave => "leave",
        Action::End { .. } => "end",
        Action::DecisionHere { .. } => "decision_here",
        Action::Drt(_) => "drt",
    }
}
