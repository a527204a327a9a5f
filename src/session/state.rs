//! The whole state of one session: the seats and their roles, where the setlist stands, each
//! segment's clock and what its activity produced. Plain values (Clone, comparable, hashable):
//! the room owns one and every seat draws from a snapshot of it.

use super::input::{DrillOutcome, Leaving, Mark, SessionEvent};
use super::setlist::{Plan, SegmentKind};
use super::walkthrough::Walkthrough;
use super::wheel::Spin;
use super::{SeatId, limits};
use crate::drill::Rng;
use serde::Serialize;
use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// One session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    #[serde(skip)]
    pub plan: Arc<Plan>,
    /// The setlist's and decks' content hash: a replay checks it.
    pub plan_hash: String,
    pub seed: u64,
    /// The session clock, in beats.
    pub beat: u64,
    pub phase: Phase,
    pub seats: Vec<Seat>,
    pub facilitator: Option<SeatId>,
    pub presenter: Option<SeatId>,
    /// One per segment of the setlist, in order.
    pub segments: Vec<SegmentState>,
    /// Every stay in a segment, in order.
    pub history: Vec<Visit>,
    /// Notes taken before the first segment or after the end.
    pub notes: Vec<Note>,
    pub rng: Rng,
    /// What happened, newest last; at most [`limits::LOG`] entries (the oldest go first).
    pub log: VecDeque<Logged>,
    /// Log entries dropped to keep the bound.
    pub log_dropped: u64,
}

impl Hash for Session {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.state_hash());
    }
}

/// Where the setlist stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// Seats are arriving; the facilitator's first `next` starts segment 0.
    Gathering,
    In {
        segment: usize,
    },
    Ended {
        reason: String,
    },
}

/// A participant or an observer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Seat {
    pub id: SeatId,
    pub name: String,
    pub observer: bool,
    pub present: bool,
    /// Beat of the first join.
    pub joined: u64,
    /// The segments this seat was present in, ascending.
    pub segments: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentStatus {
    NotReached,
    Current,
    /// Left with `next` or `end`, or stepped back from.
    Done,
    Skipped,
}

/// One segment's clock and what it produced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SegmentState {
    /// Beats spent in it, over every visit.
    pub elapsed: u64,
    /// Beats the facilitator added to its plan.
    pub extra: u64,
    pub status: SegmentStatus,
    /// Its clock is past its plan (cleared by an `extend` that makes room).
    pub overtime: bool,
    pub notes: Vec<Note>,
    pub activity: Activity,
}

/// A segment kind's own state.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Activity {
    Walkthrough(Walkthrough),
    Wheel(WheelState),
    Drill(DrillState),
    Discussion,
    /// The knowledge matrix as the seats have filled it so far.
    Matrix(MatrixState),
    /// The Decision Requirements Table as the seats have built it so far.
    Drt(DrtState),
}

/// A DRT segment: the table (empty until the room seeds it from the scenario or the drill
/// just played, when the segment starts) and every edit applied (who, when).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DrtState {
    pub scenario: String,
    pub table: crate::drt::Table,
    /// The room seeded the table (from the drill segment's run when `from_drill`).
    pub seeded: bool,
    pub from_drill: bool,
    /// Edits applied, in order: `(beat, seat)`.
    pub edits: Vec<(u64, SeatId)>,
}

/// A matrix segment: the matrix being filled, and every edit (who, when, which cell).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct MatrixState {
    pub matrix: crate::matrix::Matrix,
    /// Cells edited, in order: `(beat, seat, row, column)`.
    pub edits: Vec<(u64, SeatId, usize, usize)>,
}

/// The Wheel of Expertise in one segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct WheelState {
    /// One flag per deck theme: taken off the wheel.
    pub retired: Vec<bool>,
    pub turns: Vec<Turn>,
}

/// One spin and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Turn {
    pub spin: Spin,
    pub spun_by: SeatId,
    /// Notes taken while the turn was open: how they went about finding it.
    pub notes: Vec<Note>,
    /// Who they would call, in the order they said it.
    pub escalations: Vec<String>,
    pub result: Option<TurnResult>,
    /// Beat the turn was closed (marked or passed).
    pub closed: Option<u64>,
    /// The turn ran past its timer.
    pub overtime: bool,
}

impl Turn {
    pub fn is_open(&self) -> bool {
        self.result.is_none()
    }

    /// No one answered: a knowledge gap.
    pub fn is_gap(&self) -> bool {
        matches!(
            self.result,
            Some(TurnResult::Marked(Mark::NotFound)) | Some(TurnResult::Passed)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnResult {
    Marked(Mark),
    Passed,
}

impl TurnResult {
    pub fn label(self) -> &'static str {
        match self {
            TurnResult::Marked(m) => m.label(),
            TurnResult::Passed => "passed",
        }
    }
}

/// A drill segment: each run's outcome, as the drill's room reported it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DrillState {
    pub scenario: String,
    pub runs: Vec<DrillOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Note {
    pub beat: u64,
    pub seat: SeatId,
    pub text: String,
}

/// A stay in one segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Visit {
    pub segment: usize,
    pub from: u64,
    pub to: Option<u64>,
    pub how: Option<Leaving>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Logged {
    pub beat: u64,
    #[serde(flatten)]
    pub event: SessionEvent,
}

impl Session {
    /// A session of `plan`, gathering, with its generator seeded by `seed`.
    pub fn new(plan: Arc<Plan>, seed: u64) -> Session {
        let segments = plan
            .setlist
            .segments
            .iter()
            .enumerate()
            .map(|(i, seg)| {
                let deck = plan.decks.get(i).and_then(Option::as_ref);
                (seg, deck, plan.matrices.get(i).and_then(Option::as_ref))
            })
            .map(|(seg, deck, matrix)| SegmentState {
                elapsed: 0,
                extra: 0,
                status: SegmentStatus::NotReached,
                overtime: false,
                notes: Vec::new(),
                activity: match &seg.kind {
                    SegmentKind::Walkthrough { range, .. } => {
                        Activity::Walkthrough(Walkthrough::new(*range))
                    }
                    SegmentKind::Wheel { .. } => Activity::Wheel(WheelState {
                        retired: vec![false; deck.map_or(0, |d| d.themes.len())],
                        turns: Vec::new(),
                    }),
                    SegmentKind::Drill { scenario, .. } => Activity::Drill(DrillState {
                        scenario: scenario.name.clone(),
                        runs: Vec::new(),
                    }),
                    SegmentKind::Discussion { .. } => Activity::Discussion,
                    SegmentKind::Matrix { .. } => Activity::Matrix(MatrixState {
                        matrix: matrix.cloned().unwrap_or_else(|| {
                            crate::matrix::Matrix::new("", Vec::new(), Vec::new())
                        }),
                        edits: Vec::new(),
                    }),
                    SegmentKind::Drt { scenario, .. } => Activity::Drt(DrtState {
                        scenario: scenario.name.clone(),
                        table: crate::drt::Table {
                            scenario: scenario.name.clone(),
                            ..Default::default()
                        },
                        seeded: false,
                        from_drill: false,
                        edits: Vec::new(),
                    }),
                },
            })
            .collect();
        Session {
            plan_hash: plan.content_hash(),
            plan,
            seed,
            beat: 0,
            phase: Phase::Gathering,
            seats: Vec::new(),
            facilitator: None,
            presenter: None,
            segments,
            history: Vec::new(),
            notes: Vec::new(),
            rng: Rng::new(seed),
            log: VecDeque::new(),
            log_dropped: 0,
        }
    }

    /// A fingerprint of the whole state: equal hashes mean equal sessions.
    pub fn state_hash(&self) -> u64 {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        crate::fnv::fnv1a(&bytes)
    }

    /// The segment in progress.
    pub fn current(&self) -> Option<usize> {
        match self.phase {
            Phase::In { segment } => Some(segment),
            _ => None,
        }
    }

    pub fn is_ended(&self) -> bool {
        matches!(self.phase, Phase::Ended { .. })
    }

    pub fn seat(&self, id: SeatId) -> Option<&Seat> {
        self.seats.iter().find(|s| s.id == id)
    }

    /// The seat that moves the setlist now: the facilitator while present; while no
    /// facilitator is present, the participant present longest (the first in join order who
    /// is still here), as in a drill. The role itself stays with the facilitator, who conducts
    /// again on rejoining. Derived from the seats alone, so a replay agrees.
    pub fn conductor(&self) -> Option<SeatId> {
        let here = |s: &&Seat| s.present && !s.observer;
        if let Some(f) = self.facilitator.and_then(|f| self.seat(f)).filter(here) {
            return Some(f.id);
        }
        self.seats.iter().find(here).map(|s| s.id)
    }

    /// Whether `seat` may do what the facilitator does (see [`Session::conductor`]).
    pub fn conducts(&self, seat: SeatId) -> bool {
        self.conductor() == Some(seat)
    }

    /// Whether someone conducts in the facilitator's place (the facilitator is away).
    pub fn stand_in(&self) -> Option<SeatId> {
        self.conductor().filter(|c| Some(*c) != self.facilitator)
    }

    pub(super) fn seat_mut(&mut self, id: SeatId) -> Option<&mut Seat> {
        self.seats.iter_mut().find(|s| s.id == id)
    }

    /// A seat's name for display (`room` for the room, `?` for a seat never seen).
    pub fn seat_name(&self, id: SeatId) -> &str {
        if id == super::ROOM {
            return "room";
        }
        self.seat(id).map_or("?", |s| s.name.as_str())
    }

    /// A segment's planned length with its extensions, in beats.
    pub fn planned(&self, segment: usize) -> u64 {
        self.plan.setlist.segments[segment]
            .planned
            .saturating_add(self.segments[segment].extra)
    }

    /// The wheel segment's open turn, if any.
    pub fn open_turn(&self, segment: usize) -> Option<(usize, &Turn)> {
        match &self.segments.get(segment)?.activity {
            Activity::Wheel(w) => w
                .turns
                .last()
                .filter(|t| t.is_open())
                .map(|t| (w.turns.len() - 1, t)),
            _ => None,
        }
    }

    pub(super) fn push_log(&mut self, event: SessionEvent) {
        if self.log.len() >= limits::LOG {
            self.log.pop_front();
            self.log_dropped += 1;
        }
        self.log.push_back(Logged {
            beat: self.beat,
            event,
        });
    }
}
