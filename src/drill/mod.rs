//! The drill core: `apply(&mut Drill, &Input) -> Vec<LogEntry>`. Pure and deterministic: it
//! advances on logical beats (one `Tick` per beat), draws randomness only from its seeded
//! generator, and knows nothing of terminals, sockets or clocks. The same scenario, seed and
//! inputs always give the same state, which is what recordings, replay and fork rely on.

mod actions;
mod beat;
mod cond;
mod decide;
mod effects;
mod events;
mod input;
mod judge;
pub mod prove;
mod rng;
pub mod script;
mod seats;
mod tools;

pub use decide::{Chosen, DecisionState};
pub use effects::ActiveEffect;
pub use events::{Event, LogEntry};
pub use input::{Action, Input};
pub use rng::Rng;
pub use seats::{SeatInfo, display_seat_name, seat_name};
pub use tools::{ActiveRate, ActiveView, PaneView};

use crate::scenario::Scenario;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// Values of each signal kept for charts (a `slow` pane's lag is bounded by it:
/// [`crate::scenario::limits::MAX_LAG_BEATS`]).
pub const HISTORY: usize = crate::scenario::limits::MAX_LAG_BEATS as usize;

/// Identifies a seat within one drill.
pub type SeatId = u32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Status {
    Running,
    Paused,
    Ended(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalState {
    pub value: f64,
    pub history: VecDeque<f32>,
    /// Sum of bad fractions (ratio SLOs) or bad beats (healthy SLOs).
    pub bad: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AlertState {
    pub pending: u32,
    pub firing_since: Option<u64>,
    pub times_fired: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    Pending,
    Met(u64),
    Missed(u64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct PendingCue {
    land: u64,
    cue: usize,
    seat: SeatId,
}

/// The whole state of one drill.
#[derive(Debug, Clone, Serialize)]
pub struct Drill {
    #[serde(skip)]
    pub scenario: Arc<Scenario>,
    pub seed: u64,
    pub beat: u64,
    pub bpm: u32,
    pub status: Status,
    rng: Rng,
    pub signals: Vec<SignalState>,
    pub effects: Vec<ActiveEffect>,
    pub alerts: Vec<AlertState>,
    /// Per inject: whether it has fired (or was skipped by its condition).
    pub injects_done: Vec<bool>,
    pending: Vec<PendingCue>,
    /// Per cue: the beat it was first applied.
    pub cues_done: Vec<Option<u64>>,
    pub marks: [Option<u64>; 4],
    /// Per runbook page: visible to the players.
    pub revealed: Vec<bool>,
    pub open_page: Option<usize>,
    pub hints_shown: usize,
    pub herrings: Vec<Option<u64>>,
    pub objectives: Vec<Verdict>,
    pub seats: Vec<SeatInfo>,
    /// Where each seat is in `seats`, so a drill with many seats stays linear to replay.
    #[serde(skip)]
    seat_index: HashMap<SeatId, usize>,
    pub log: Vec<LogEntry>,
    // What follows is empty for a scenario that uses no flags, decisions, event series, rate
    // or view effects, and `for_beats` conditions, so such a drill fingerprints exactly as it
    // did before they existed: old recordings keep their state hashes (tests/pinned.rs).
    /// Per flag or counter: its value (a flag is 0 or 1).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<f64>,
    /// Per decision point: asked, chosen, lapsed.
    #[serde(rename = "decisions", skip_serializing_if = "Vec::is_empty")]
    decision_states: Vec<DecisionState>,
    /// Per `for_beats` condition: beats in a row its signal test has held.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    held: Vec<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rates: Vec<ActiveRate>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<ActiveView>,
    /// Per event series: the beats of its markers, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<Vec<u64>>,
    /// Per cue: the beat it first landed. Follows from the log, so the hash leaves it out.
    #[serde(skip)]
    pub cues_landed: Vec<Option<u64>>,
    /// Per cue: its place in the order of first applications (1 is first, 0 never). Follows
    /// from the log, so the hash leaves it out.
    #[serde(skip)]
    applied_order: Vec<u32>,
    #[serde(skip)]
    applied_count: u32,
    /// The Decision Requirements Table the seats build, from the first [`Action::Drt`] on
    /// (absent until then, so old recordings fingerprint as they did).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drt: Option<Box<crate::drt::Table>>,
}

impl Drill {
    /// A drill at beat 0 with the downbeat already played: injects due at 0 have fired and
    /// signals hold their first values.
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Drill {
        let s = &scenario;
        let mut drill = Drill {
            seed,
            beat: 0,
            bpm: s.tempo.bpm,
            status: Status::Running,
            rng: Rng::new(seed),
            signals: s
                .signals
                .iter()
                .map(|sig| SignalState {
                    value: sig.base(0),
                    history: VecDeque::with_capacity(HISTORY),
                    bad: 0.0,
                })
                .collect(),
            effects: Vec::new(),
            alerts: vec![AlertState::default(); s.alerts.len()],
            injects_done: vec![false; s.injects.len()],
            pending: Vec::new(),
            cues_done: vec![None; s.cues.len()],
            marks: [None; 4],
            revealed: s.runbook.iter().map(|p| !p.hidden).collect(),
            open_page: s.runbook.iter().position(|p| !p.hidden),
            hints_shown: 0,
            herrings: vec![None; s.red_herrings.len()],
            objectives: vec![Verdict::Pending; s.objectives.len()],
            seats: Vec::new(),
            seat_index: HashMap::new(),
            log: Vec::new(),
            flags: s.flags.iter().map(|f| f.initial).collect(),
            decision_states: vec![DecisionState::default(); s.decisions.len()],
            held: vec![0; s.held.len()],
            rates: Vec::new(),
            views: Vec::new(),
            markers: vec![Vec::new(); s.events.len()],
            cues_landed: vec![None; s.cues.len()],
            applied_order: vec![0; s.cues.len()],
            applied_count: 0,
            drt: None,
            scenario: scenario.clone(),
        };
        drill.play_beat();
        drill
    }

    /// Applies one input and returns what it caused. Never panics on any input.
    pub fn apply(&mut self, input: &Input) -> Vec<LogEntry> {
        let start = self.log.len();
        self.dispatch(input);
        self.log[start..].to_vec()
    }

    fn dispatch(&mut self, input: &Input) {
        let seat = input.seat;
        match &input.action {
            Action::Join { name, role } => return self.join(seat, name, role.as_deref()),
            Action::Tick => {
                if self.status == Status::Running {
                    self.beat = self.beat.saturating_add(1);
                    self.play_beat();
                }
                return;
            }
            _ => {}
        }
        let Some(seat_info) = self.seat_pos(seat).map(|i| &self.seats[i]) else {
            return self.reject(seat, "input", "this seat has not joined the drill");
        };
        let conducts = self.conducts(seat_info.id);
        if matches!(self.status, Status::Ended(_))
            && !matches!(
                input.action,
                Action::Note { .. } | Action::Leave | Action::DecisionHere { .. } | Action::Drt(_)
            )
        {
            return self.reject(seat, "input", "the drill has ended");
        }
        match &input.action {
            Action::Tick | Action::Join { .. } => {}
            Action::Cue { cue } => self.cue(seat, cue),
            Action::Note { text } => {
                let text: String = text
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(2000)
                    .collect();
                self.push(Event::Note { seat, text });
            }
            Action::DecisionHere { text } => {
                let text: String = text
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(2000)
                    .collect();
                let values = self.signals.iter().map(|s| s.value).collect();
                self.push(Event::DecisionHere { seat, text, values });
            }
            Action::Drt(edit) => self.drt_edit(seat, edit),
            Action::Leave => {
                // A seat that leaves lets its cells go; what it typed stays.
                if let Some(t) = &mut self.drt {
                    let _ = t.apply(seat, &crate::drt::DrtInput::Drop);
                }
                // Idempotent: a seat that already left stays gone, silently.
                if let Some(s) = self.seat_pos(seat).map(|i| &mut self.seats[i])
                    && s.present
                {
                    s.present = false;
                    self.push(Event::Left { seat });
                }
            }
            _ if !conducts => self.reject(
                seat,
                input::action_name(&input.action),
                // The reason is part of the log, so of every recording's state hash: kept.
                "only a facilitator can do that",
            ),
            Action::Pause => {
                if self.status == Status::Running {
                    self.status = Status::Paused;
                    self.push(Event::Paused { seat });
                }
            }
            Action::Resume => {
                if self.status == Status::Paused {
                    self.status = Status::Running;
                    self.push(Event::Resumed { seat });
                }
            }
            Action::Tempo { bpm } => {
                self.bpm = clamp_tempo(*bpm);
                self.push(Event::Tempo {
                    seat,
                    bpm: self.bpm,
                });
            }
            Action::Hint => self.hint(seat),
            Action::Fire { inject } => self.fire_by_hand(seat, inject),
            Action::Decide { decision, option } => self.decide(seat, decision, option),
            Action::End { reason } => self.end(reason.clone()),
        }
        // A cue or mark can meet an objective at once; judge it at this beat, not the next.
        if !self.is_ended() {
            self.evaluate_objectives(false);
        }
    }

    /// Applies a table edit, building the table first; a refused edit is logged for the seat.
    fn drt_edit(&mut self, seat: SeatId, edit: &crate::drt::DrtInput) {
        if self.drt.is_none() {
            self.drt = Some(Box::new(crate::drt::from_drill(self)));
        }
        let table = self.drt.as_mut().expect("built just above");
        if let Err(why) = table.apply(seat, edit) {
            self.reject(seat, "table", &why.to_string());
        }
    }

    /// The drill's table: the one the seats are building, or one built from what the drill did.
    pub fn drt_table(&self) -> crate::drt::Table {
        match &self.drt {
            Some(t) => (**t).clone(),
            None => crate::drt::from_drill(self),
        }
    }

    fn push(&mut self, event: Event) {
        self.log.push(LogEntry {
            beat: self.beat,
            event,
        });
    }

    fn reject(&mut self, seat: SeatId, what: &str, reason: &str) {
        self.push(Event::Rejected {
            seat,
            what: what.to_string(),
            reason: reason.to_string(),
        });
    }

    fn end(&mut self, reason: String) {
        if matches!(self.status, Status::Ended(_)) {
            return;
        }
        self.status = Status::Ended(reason.clone());
        self.evaluate_objectives(true);
        self.push(Event::Ended { reason });
    }

    pub fn is_ended(&self) -> bool {
        matches!(self.status, Status::Ended(_))
    }

    /// A fingerprint of the whole state: equal hashes mean equal drills.
    pub fn state_hash(&self) -> u64 {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        crate::fnv::fnv1a(&bytes)
    }

    /// Non-surprise injects still to come, in timeline order.
    pub fn upcoming(&self) -> impl Iterator<Item = (u64, usize)> + '_ {
        self.scenario
            .injects
            .iter()
            .enumerate()
            .filter_map(move |(i, inj)| {
                let at = inj.at?;
                (!self.injects_done[i] && !inj.surprise && !inj.contingency && at > self.beat)
                    .then_some((at, i))
            })
    }
}

/// The tempo range of a live drill, in beats per minute: overrides and a facilitator's
/// changes are held to it.
pub const TEMPO_RANGE: std::ops::RangeInclusive<u32> = 10..=600;

/// `bpm` held to [`TEMPO_RANGE`].
pub fn clamp_tempo(bpm: u32) -> u32 {
    bpm.clamp(*TEMPO_RANGE.start(), *TEMPO_RANGE.end())
}
