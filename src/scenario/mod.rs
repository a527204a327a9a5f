//! Scenarios: one drill as a TOML file. `load` parses and validates a file into an immutable
//! [`Scenario`] whose references are resolved to indices, so the drill core never looks up
//! names while it runs.

pub mod branching;
mod bundled;
mod compile;
mod describe;
pub mod limits;
mod load;
pub mod logic;
pub mod model;
pub mod position;
pub mod query;

pub use bundled::{
    Catalogue, Entry, Origin, bundled, bundled_one, bundled_scripts, bundled_source, find, find_in,
};
pub use describe::describe;
pub use load::{SECTIONS, content_hash, lint_file, lint_str, load_file, load_str};
pub use logic::{
    Choice, Cond, CondId, Decision, DecisionOption, EventSeries, Flag, FlagOp, Held, Outcome,
    SetOp, Test, View,
};
pub use model::{
    Channel, DebriefDef, DecisionRow, Difficulty, Direction, Mark, Meta, RoleDef, RunbookPage,
    Severity, Show, SloMeasure, Targets, Tempo,
};

/// A validated scenario, shared read-only by every drill that plays it.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub meta: Meta,
    pub tempo: Tempo,
    pub targets: Targets,
    pub roles: Vec<RoleDef>,
    pub objectives: Vec<Objective>,
    pub signals: Vec<Signal>,
    pub alerts: Vec<Alert>,
    pub injects: Vec<Inject>,
    pub cues: Vec<Cue>,
    pub runbook: Vec<RunbookPage>,
    pub hints: Vec<Hint>,
    pub red_herrings: Vec<RedHerring>,
    pub debrief: DebriefDef,
    pub flags: Vec<Flag>,
    pub decisions: Vec<Decision>,
    pub events: Vec<EventSeries>,
    /// Every condition of the scenario; the rest refer to them by [`CondId`].
    pub conds: Vec<Cond>,
    /// The signal tests counted beat by beat for `for_beats` conditions.
    pub held: Vec<Held>,
    /// Total beats on the timeline.
    pub length_beats: u64,
    /// FNV-1a hash of the file's bytes, hex; recordings name it to detect edits.
    pub content_hash: String,
    /// The file's text as it was compiled: a recording carries it (when it is at most
    /// [`limits::MAX_EMBEDDED_SOURCE_BYTES`]) so it replays where the file is not.
    pub source: std::sync::Arc<str>,
}

impl Scenario {
    pub fn cue_index(&self, id: &str) -> Option<usize> {
        self.cues.iter().position(|c| c.id == id)
    }

    pub fn cue_for_key(&self, key: char) -> Option<usize> {
        self.cues.iter().position(|c| c.key == key)
    }

    pub fn inject_index(&self, id: &str) -> Option<usize> {
        self.injects.iter().position(|i| i.id == id)
    }

    pub fn decision_index(&self, id: &str) -> Option<usize> {
        self.decisions.iter().position(|d| d.id == id)
    }

    pub fn role(&self, id: &str) -> Option<&RoleDef> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// Story seconds elapsed at `beat`.
    pub fn story_seconds(&self, beat: u64) -> u64 {
        beat.saturating_mul(u64::from(self.tempo.story_seconds_per_beat))
    }

    /// `bar:beat` label for an absolute beat.
    pub fn bar_beat(&self, beat: u64) -> String {
        position::bar_beat(beat, self.tempo.beats_per_bar)
    }

    /// The number of bars on the timeline.
    pub fn bars(&self) -> u64 {
        self.length_beats
            .div_ceil(u64::from(self.tempo.beats_per_bar))
    }

    /// A target for a lifecycle mark, in story minutes.
    pub fn target_minutes(&self, mark: Mark) -> Option<u32> {
        match mark {
            Mark::Detected => self.targets.detect_minutes,
            Mark::Acknowledged => self.targets.acknowledge_minutes,
            Mark::Mitigated => self.targets.mitigate_minutes,
            Mark::Resolved => self.targets.resolve_minutes,
        }
    }
}

/// A learning objective with its resolved measure.
#[derive(Debug, Clone)]
pub struct Objective {
    pub id: String,
    pub text: String,
    pub measure: Measure,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    MarkBy {
        mark: Mark,
        by: Option<u64>,
    },
    CueBy {
        cue: usize,
        by: Option<u64>,
    },
    AvoidCue {
        cue: usize,
    },
    HealthyBy {
        signal: usize,
        by: u64,
    },
    BudgetLeft {
        signal: usize,
        min: f64,
    },
    /// The condition holds at some judgement (by `by`, if given).
    Holds {
        cond: CondId,
        by: Option<u64>,
    },
    /// The condition never holds.
    Never {
        cond: CondId,
    },
}

#[derive(Debug, Clone)]
pub struct Signal {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub baseline: f64,
    pub noise: f64,
    pub inertia: f64,
    pub min: f64,
    pub max: f64,
    pub healthy: (f64, f64),
    pub slo: Option<Slo>,
    pub show: Show,
    pub note: String,
    /// Recorded base values, one per beat (empty: `baseline` throughout).
    pub samples: Vec<f64>,
}

impl Signal {
    /// The value before effects and noise at `beat`: the recorded sample (the last one once
    /// they run out), else the baseline.
    pub fn base(&self, beat: u64) -> f64 {
        match self.samples.len() {
            0 => self.baseline,
            n => self.samples[usize::try_from(beat).map_or(n - 1, |b| b.min(n - 1))],
        }
    }

    pub fn is_healthy(&self, value: f64) -> bool {
        value >= self.healthy.0 && value <= self.healthy.1
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slo {
    /// Target, in percent.
    pub target: f64,
    pub measure: SloMeasure,
    pub window_beats: u64,
}

impl Slo {
    /// The fraction of bad events (or beats) the objective allows.
    pub fn allowed_bad(&self) -> f64 {
        (1.0 - self.target / 100.0).max(1e-9)
    }
}

#[derive(Debug, Clone)]
pub struct Alert {
    pub id: String,
    pub signal: usize,
    pub threshold: f64,
    pub direction: Direction,
    pub for_beats: u32,
    pub severity: Severity,
    pub summary: String,
    pub marks: Vec<Mark>,
}

impl Alert {
    pub fn breached(&self, value: f64) -> bool {
        match self.direction {
            Direction::Above => value > self.threshold,
            Direction::Below => value < self.threshold,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Inject {
    pub id: String,
    /// `None` for contingency injects, which only a facilitator fires.
    pub at: Option<u64>,
    pub persona: String,
    pub channel: Channel,
    pub text: String,
    pub surprise: bool,
    pub contingency: bool,
    /// A contingency's suggested beat, for the facilitator.
    pub suggest: Option<u64>,
    /// With `at`: checked once then. Without: fires on the first beat it holds.
    pub when: Option<CondId>,
    pub effects: Vec<Effect>,
    pub set: Vec<SetOp>,
    pub event: Option<usize>,
}

/// What started an effect, so a later `clear` can end it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum EffectOrigin {
    Inject(usize),
    Cue(usize),
    /// A decision's option: (decision, option).
    Choice(usize, usize),
}

/// A resolved change to the simulated system.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effect {
    /// Shapes a signal with an envelope: rises over `attack` beats, holds for `sustain` beats
    /// (forever when `None`), then fades over `release` beats.
    Shape {
        signal: usize,
        op: Op,
        attack: u32,
        sustain: Option<u32>,
        release: u32,
    },
    /// Ends the running effects of `source` (or every effect on `signal`), fading over `release`.
    Clear {
        source: Option<EffectOrigin>,
        signal: Option<usize>,
        release: u32,
    },
    /// Adds `per_beat` to the signal every beat while `while_` holds (always when `None`); the
    /// sum stays until cleared.
    Rate {
        signal: usize,
        per_beat: f64,
        while_: Option<CondId>,
    },
    /// Degrades what the players see of `signal` (every signal when `None`) for `sustain`
    /// beats (until cleared when `None`).
    View {
        signal: Option<usize>,
        view: View,
        sustain: Option<u32>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub enum Op {
    Add(f64),
    Mul(f64),
}

#[derive(Debug, Clone)]
pub struct Cue {
    pub id: String,
    pub key: char,
    pub label: String,
    pub roles: Vec<String>,
    pub delay_beats: u32,
    pub effects: Vec<Effect>,
    pub reveals: Vec<usize>,
    pub marks: Vec<Mark>,
    pub requires: Vec<usize>,
    /// A condition that must hold for the cue to be accepted (`requires` as a table).
    pub gate: Option<CondId>,
    pub repeatable: bool,
    pub response: Option<model::ResponseDef>,
    pub set: Vec<SetOp>,
    pub event: Option<usize>,
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone)]
pub struct Hint {
    pub text: String,
    pub after: u64,
}

#[derive(Debug, Clone)]
pub struct RedHerring {
    pub id: String,
    pub text: String,
    pub cues: Vec<usize>,
    pub signals: Vec<usize>,
}

/// The JSON Schema of the scenario format (draft 7), for editors that complete and check TOML
/// against a schema (`gamelan schema`; docs/scenario-format.md says how to wire it). It
/// describes the shape; `gamelan check` checks everything else. tests/schema.rs keeps it in
/// step with the model.
pub const SCHEMA: &str = include_str!("scenario.schema.json");
