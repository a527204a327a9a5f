//! The checked form of what lets a drill branch: conditions (kept in one arena per scenario,
//! named by [`CondId`], so effects stay `Copy`), flags and counters with the operations that
//! change them, decision points, cue outcomes and event series. Names are resolved to
//! indices; the drill evaluates these without looking anything up.

use super::Effect;
use super::model::{Mark, ResponseDef};
use serde::Serialize;

/// A condition in [`super::Scenario::conds`].
pub type CondId = usize;

/// A checked condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// The cue was applied (at or before `by`, else by now).
    Applied {
        cue: usize,
        by: Option<u64>,
    },
    /// The cue landed (at or before `by`, else by now).
    Landed {
        cue: usize,
        by: Option<u64>,
    },
    /// `first` was applied while `then` had not been.
    Before {
        first: usize,
        then: usize,
    },
    Flag {
        flag: usize,
        test: Test,
    },
    /// A signal's latest value passes `test`; with `held`, for that many beats in a row
    /// (counted in the drill's slot of [`super::Scenario::held`]).
    Signal {
        signal: usize,
        test: Test,
        held: Option<(usize, u32)>,
    },
    /// The objective is met.
    Objective(usize),
    /// The decision was made (as `option`, if given).
    Decided {
        decision: usize,
        option: Option<usize>,
    },
    /// From this beat on.
    Since(u64),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

/// A comparison of a value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Test {
    Is(f64),
    Above(f64),
    Below(f64),
}

impl Test {
    pub fn holds(self, v: f64) -> bool {
        match self {
            Test::Is(x) => v == x,
            Test::Above(x) => v > x,
            Test::Below(x) => v < x,
        }
    }
}

/// A signal test the drill counts beat by beat, for `for_beats` conditions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Held {
    pub signal: usize,
    pub test: Test,
}

/// A flag (0 or 1) or a counter.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub id: String,
    pub name: String,
    pub counter: bool,
    pub initial: f64,
    /// Shown to the players; otherwise only to the facilitator.
    pub visible: bool,
    pub note: String,
}

impl Flag {
    /// The value as the facilitator reads it: `yes`/`no`, or the number.
    pub fn show(&self, v: f64) -> String {
        if self.counter {
            crate::diag::number(v)
        } else if v != 0.0 {
            "yes".into()
        } else {
            "no".into()
        }
    }
}

/// One change to a flag or counter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SetOp {
    pub flag: usize,
    pub op: FlagOp,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FlagOp {
    Set(f64),
    Add(f64),
}

/// A series of discrete events drawn as markers.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSeries {
    pub id: String,
    pub name: String,
    pub glyph: char,
}

/// A decision point.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: String,
    pub prompt: String,
    /// Opens at this beat, or (`when`) on the first beat the condition holds.
    pub at: Option<u64>,
    pub when: Option<CondId>,
    /// Beats it stays open before `default` is taken (or it lapses).
    pub within: Option<u32>,
    pub default: Option<usize>,
    pub options: Vec<DecisionOption>,
}

impl Decision {
    /// The option a cue chooses.
    pub fn option_for_cue(&self, cue: usize) -> Option<usize> {
        self.options
            .iter()
            .position(|o| o.choice == Choice::Cue(cue))
    }

    /// The facilitator's option on a key.
    pub fn option_for_key(&self, key: char) -> Option<usize> {
        self.options
            .iter()
            .position(|o| o.choice == Choice::Key(key))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecisionOption {
    pub id: String,
    pub label: String,
    pub choice: Choice,
    pub set: Vec<SetOp>,
    pub effects: Vec<Effect>,
    pub skips: Vec<usize>,
    pub event: Option<usize>,
    pub response: Option<ResponseDef>,
}

/// How an option is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// By applying this cue while the decision is open.
    Cue(usize),
    /// By a facilitator pressing this key.
    Key(char),
}

/// What a cue does instead when `when` holds at the beat it lands; `None` fields keep the
/// cue's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub when: CondId,
    pub effects: Option<Vec<Effect>>,
    pub response: Option<ResponseDef>,
    pub marks: Option<Vec<Mark>>,
    pub set: Option<Vec<SetOp>>,
    pub event: Option<usize>,
}

/// How a players' pane is degraded by a view effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum View {
    /// Frozen at its last value.
    Stale,
    /// Running this many beats behind.
    Slow(u32),
    /// Showing nothing.
    Blank,
}
