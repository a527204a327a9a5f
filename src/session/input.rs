//! Everything that can happen to a session, as values: [`SessionInput`] is the unit of
//! recording (who, when, what), [`SessionEvent`] is what the core reports back.

use super::SeatId;
use serde::{Deserialize, Serialize};

/// One input: `seat` did `action` at the room's `beat`.
///
/// The session clock moves to `beat` before the action is applied (never backwards: an
/// earlier beat counts as now), so the room stamps every input with its metronome's beat and
/// a `tick` is only needed to move the clock when nothing else happens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionInput {
    pub beat: u64,
    pub seat: SeatId,
    #[serde(flatten)]
    pub action: SessionAction,
}

impl SessionInput {
    pub fn new(beat: u64, seat: SeatId, action: SessionAction) -> SessionInput {
        SessionInput { beat, seat, action }
    }
}

/// What a person (or the room, [`super::ROOM`]) can do.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum SessionAction {
    /// The room's metronome: move the clock to the input's beat.
    Tick,
    /// Join (or rejoin) as a participant.
    Join {
        name: String,
    },
    /// Join (or rejoin) as an observer: sees everything, acts on nothing.
    Observe {
        name: String,
    },
    Leave,
    /// Facilitator: on to the next segment (after the last one, the session ends).
    Next,
    /// Facilitator: back to the previous segment; its clock carries on where it stopped.
    Back,
    /// Facilitator: leave the current segment unfinished and go on to the next.
    Skip,
    /// Facilitator: give the current segment more time, in beats.
    Extend {
        beats: u64,
    },
    /// Facilitator: end the session here.
    End {
        reason: String,
    },
    /// Facilitator: hand the presenter role to a seat.
    HandPresenter {
        to: SeatId,
    },
    /// Facilitator: hand the facilitator role to a seat.
    HandFacilitator {
        to: SeatId,
    },
    /// A note on the current segment (on the open wheel turn, in a wheel segment). A note
    /// starting with `TODO:` becomes an action item.
    Note {
        text: String,
    },
    /// A remark (or a question) on a pane of the walkthrough's vista; `pane: None` means
    /// the presenter's focus.
    Remark {
        pane: Option<usize>,
        text: String,
        question: bool,
    },
    /// Presenter: focus a pane of the vista.
    Focus {
        pane: usize,
    },
    /// Presenter: zoom the focused pane in or out.
    Zoom {
        on: bool,
    },
    /// Presenter: the tour at a step (a pane's note), or off.
    Tour {
        step: Option<usize>,
    },
    /// Presenter: the time range the charts show, in seconds.
    Range {
        seconds: u64,
    },
    /// Presenter: where the charts' window ends, `back` seconds behind live (in the vista's
    /// own seconds), `paused` there (the window stays put as time goes on) or trailing live.
    /// `back: 0, paused: false` is live.
    Pan {
        back: u64,
        paused: bool,
    },
    /// Spin the wheel: a theme, a prompt and (by the setlist's `pick`) a person.
    Spin,
    /// Facilitator: spin on someone's behalf; `person` answers.
    SpinFor {
        person: SeatId,
    },
    /// The person whose turn it is (or the facilitator): who they would call.
    Escalate {
        to: String,
    },
    /// The person whose turn it is (or the facilitator): pass the turn.
    Pass,
    /// Facilitator: how the answer was found; closes the turn.
    Mark {
        result: Mark,
    },
    /// Facilitator: take a theme off the wheel (by its id).
    Retire {
        theme: String,
    },
    /// Facilitator: put a retired theme back on the wheel.
    Restore {
        theme: String,
    },
    /// A matrix segment: set a cell's mark (`None` clears it). Any participant.
    MatrixMark {
        row: String,
        col: String,
        mark: Option<crate::matrix::Mark>,
    },
    /// A matrix segment: set a cell's note (empty text clears it). Any participant.
    MatrixNote {
        row: String,
        col: String,
        text: String,
    },
    /// A DRT segment: one seat's edit of the table (claim, type, release, add, delete...),
    /// applied with the table's one-editor-per-cell rule. Any participant.
    Drt {
        edit: crate::drt::DrtInput,
    },
    /// Room: a DRT segment's starting table, from its scenario's rows or the drill just played.
    DrtSeed {
        segment: usize,
        table: crate::drt::Table,
        from_drill: bool,
    },
    /// Room: the vista a walkthrough segment shows (its panes), as the shell loaded it.
    ShowVista {
        segment: usize,
        vista: VistaShape,
    },
    /// Room: how a drill segment's drill went, as its room reported it.
    DrillReport {
        segment: usize,
        outcome: DrillOutcome,
    },
}

/// How a turn's answer was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Found,
    /// Found with help from others.
    Helped,
    NotFound,
}

impl Mark {
    pub fn label(self) -> &'static str {
        match self {
            Mark::Found => "found",
            Mark::Helped => "found with help",
            Mark::NotFound => "not found",
        }
    }
}

/// The shape of a vista as the session needs it: its title and its panes' ids and titles.
/// The shell builds it from a vista.toml or from a scenario's signals.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VistaShape {
    pub title: String,
    /// Where it came from: `vista.toml of ana`, a file, `scenario bad-deploy`.
    pub source: String,
    pub panes: Vec<PaneName>,
    /// A simulated vista's clock: story seconds per minute of the session (the scenario's
    /// story seconds a beat times its tempo). `None`: a live vista, on the wall clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story_pace: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PaneName {
    pub id: String,
    pub title: String,
}

impl VistaShape {
    /// The simulated vista of a scenario: one pane per signal.
    pub fn of_scenario(s: &crate::scenario::Scenario) -> VistaShape {
        VistaShape {
            title: s.meta.title.clone(),
            source: format!("scenario {}", s.meta.id),
            story_pace: Some(
                u64::from(s.tempo.story_seconds_per_beat).saturating_mul(u64::from(s.tempo.bpm)),
            ),
            panes: s
                .signals
                .iter()
                .map(|g| PaneName {
                    id: g.id.clone(),
                    title: g.name.clone(),
                })
                .collect(),
        }
    }

    /// The vista of a vista.toml.
    pub fn of_vista(v: &crate::vista::VistaConfig, source: String) -> VistaShape {
        VistaShape {
            title: v.title.clone(),
            source,
            story_pace: None,
            panes: v
                .panes
                .iter()
                .map(|p| PaneName {
                    id: p.id.clone(),
                    title: p.title.clone(),
                })
                .collect(),
        }
    }

    /// Seconds the vista's clock moves in a minute of the session: 60 on the wall clock.
    pub fn pace(&self) -> u64 {
        self.story_pace.unwrap_or(60).max(1)
    }

    /// The index of a pane by id, or by its 1-based number.
    pub fn pane(&self, name: &str) -> Option<usize> {
        self.panes.iter().position(|p| p.id == name).or_else(|| {
            name.parse::<usize>()
                .ok()
                .filter(|n| (1..=self.panes.len()).contains(n))
                .map(|n| n - 1)
        })
    }
}

/// A drill's outcome as the session keeps it: enough for the write-up, small enough to record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DrillOutcome {
    pub scenario: String,
    pub seed: u64,
    /// Drill beats played.
    pub beats: u64,
    /// `ended (resolved)`, `ended (time)`, `running`…
    pub status: String,
    pub objectives: Vec<ObjectiveResult>,
    pub cues: u32,
    pub rejected: u32,
    /// The drill's notes that start with `TODO:`, without the marker.
    #[serde(default)]
    pub action_items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ObjectiveResult {
    pub text: String,
    pub met: bool,
}

impl DrillOutcome {
    /// The outcome of a drill as it stands.
    pub fn of(drill: &crate::drill::Drill) -> DrillOutcome {
        use crate::drill::{Event, Status, Verdict};
        let s = &drill.scenario;
        let status = match &drill.status {
            Status::Ended(r) => format!("ended ({r})"),
            Status::Paused => "paused".into(),
            Status::Running => "running".into(),
        };
        let count = |f: fn(&Event) -> bool| drill.log.iter().filter(|e| f(&e.event)).count() as u32;
        DrillOutcome {
            scenario: s.meta.id.clone(),
            seed: drill.seed,
            beats: drill.beat,
            status,
            objectives: s
                .objectives
                .iter()
                .zip(&drill.objectives)
                .map(|(o, v)| ObjectiveResult {
                    text: o.text.clone(),
                    met: matches!(v, Verdict::Met(_)),
                })
                .collect(),
            cues: count(|e| matches!(e, Event::CueApplied { .. })),
            rejected: count(|e| matches!(e, Event::Rejected { .. })),
            action_items: drill
                .log
                .iter()
                .filter_map(|e| match &e.event {
                    Event::Note { text, .. } => text
                        .strip_prefix(crate::debrief::ACTION_MARKER)
                        .map(|t| t.trim().to_string()),
                    _ => None,
                })
                .take(super::limits::OBJECTIVES)
                .collect(),
        }
    }

    pub fn met(&self) -> usize {
        self.objectives.iter().filter(|o| o.met).count()
    }
}

/// How a segment was left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Leaving {
    Next,
    Back,
    Skip,
    End,
}

/// What the core reports for an input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SessionEvent {
    Joined {
        seat: SeatId,
        observer: bool,
        rejoin: bool,
        /// The segment the seat lands in (`None` before the first one or after the end).
        segment: Option<usize>,
    },
    Left {
        seat: SeatId,
    },
    FacilitatorIs {
        seat: SeatId,
    },
    PresenterIs {
        seat: SeatId,
    },
    SegmentStarted {
        segment: usize,
        /// The first time it started (not a return to it).
        first: bool,
    },
    SegmentLeft {
        segment: usize,
        how: Leaving,
    },
    Extended {
        segment: usize,
        beats: u64,
    },
    /// The segment's clock passed its plan.
    Overtime {
        segment: usize,
    },
    Noted {
        seat: SeatId,
        segment: Option<usize>,
    },
    Remarked {
        seat: SeatId,
        pane: usize,
    },
    VistaShown {
        segment: usize,
    },
    Drove {
        seat: SeatId,
    },
    Spun {
        segment: usize,
        turn: usize,
    },
    Escalated {
        turn: usize,
    },
    TurnClosed {
        segment: usize,
        turn: usize,
    },
    /// A turn ran past its timer.
    TurnOvertime {
        segment: usize,
        turn: usize,
    },
    ThemeRetired {
        theme: usize,
    },
    ThemeRestored {
        theme: usize,
    },
    DrillReported {
        segment: usize,
    },
    /// A matrix cell's mark or note changed.
    MatrixEdited {
        seat: SeatId,
        segment: usize,
        row: usize,
        col: usize,
    },
    /// A DRT segment's table changed (or was seeded, `seat` the room).
    DrtEdited {
        seat: SeatId,
        segment: usize,
    },
    Ended {
        reason: String,
    },
    /// The input was not allowed; nothing changed.
    Refused {
        seat: SeatId,
        what: String,
        reason: String,
    },
}

impl SessionAction {
    /// A short name for refusals and logs.
    pub fn name(&self) -> &'static str {
        match self {
            SessionAction::Tick => "tick",
            SessionAction::Join { .. } => "join",
            SessionAction::Observe { .. } => "observe",
            SessionAction::Leave => "leave",
            SessionAction::Next => "next",
            SessionAction::Back => "back",
            SessionAction::Skip => "skip",
            SessionAction::Extend { .. } => "extend",
            SessionAction::End { .. } => "end",
            SessionAction::HandPresenter { .. } => "presenter",
            SessionAction::HandFacilitator { .. } => "facilitator",
            SessionAction::Note { .. } => "note",
            SessionAction::Remark {
                question: false, ..
            } => "remark",
            SessionAction::Remark { question: true, .. } => "ask",
            SessionAction::Focus { .. } => "focus",
            SessionAction::Zoom { .. } => "zoom",
            SessionAction::Tour { .. } => "tour",
            SessionAction::Range { .. } => "range",
            SessionAction::Pan { .. } => "pan",
            SessionAction::Spin => "spin",
            SessionAction::SpinFor { .. } => "spin-for",
            SessionAction::Escalate { .. } => "escalate",
            SessionAction::Pass => "pass",
            SessionAction::Mark {
                result: Mark::Found,
            } => "found",
            SessionAction::Mark {
                result: Mark::Helped,
            } => "helped",
            SessionAction::Mark {
                result: Mark::NotFound,
            } => "not-found",
            SessionAction::Retire { .. } => "retire",
            SessionAction::Restore { .. } => "restore",
            SessionAction::MatrixMark { .. } => "mark",
            SessionAction::MatrixNote { .. } => "cell-note",
            SessionAction::Drt { edit } => match edit {
                crate::drt::DrtInput::Claim { .. } => "drt-claim",
                crate::drt::DrtInput::Type { .. } => "drt-type",
                crate::drt::DrtInput::Backspace => "drt-backspace",
                crate::drt::DrtInput::Release => "drt-release",
                crate::drt::DrtInput::Drop => "drt-drop",
                crate::drt::DrtInput::AddRow => "drt-add",
                crate::drt::DrtInput::DeleteRow { .. } => "drt-delete",
                crate::drt::DrtInput::Import { .. } => "drt-import",
            },
            SessionAction::DrtSeed { .. } => "drt-seed",
            SessionAction::ShowVista { .. } => "show-vista",
            SessionAction::DrillReport { .. } => "drill-report",
        }
    }
}
