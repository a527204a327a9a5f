//! The report's rows: what a debrief holds, serialized as its JSON form.

use super::track::{AlertSpan, BudgetRow, GhostRow, SignalTrack};
use crate::drill::SeatId;
use crate::scenario::Mark;
use serde::Serialize;

/// The after-action report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Debrief {
    pub scenario: ScenarioInfo,
    /// When the drill started (RFC 3339), if known (from a recording's header).
    pub started: Option<String>,
    /// Set when the recording it was rebuilt from stopped before it was closed, e.g.
    /// `incomplete (no end line)`: the drill may have gone on unrecorded.
    pub incomplete: Option<String>,
    pub seed: u64,
    pub outcome: Outcome,
    pub seats: Vec<SeatRow>,
    pub objectives: Vec<ObjectiveRow>,
    /// Time to detect, acknowledge, mitigate and resolve.
    pub times: Vec<TimeRow>,
    pub timeline: Vec<TimelineRow>,
    pub red_herrings: Vec<HerringRow>,
    pub hints: Vec<HintRow>,
    /// Rungs on the scenario's hint ladder.
    pub hints_available: usize,
    pub notes: Vec<NoteRow>,
    /// Notes that start with `TODO:`, without the marker.
    pub action_items: Vec<NoteRow>,
    /// The scenario's hot-wash questions.
    pub questions: Vec<String>,
    /// The scenario's Decision Requirements Table, with a column for what the team did.
    pub decisions: Vec<DecisionFill>,
    /// The scenario's flags and counters at the end (none for a scenario without them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub state: Vec<StateRow>,
    /// Every signal at every beat, with its healthy band and SLO: what the charts draw.
    pub signals: Vec<SignalTrack>,
    /// Alert firings, from the beat each fired to the beat it resolved.
    pub alerts: Vec<AlertSpan>,
    /// Each SLO's error budget left at the lifecycle marks and at the end.
    pub budgets: Vec<BudgetRow>,
    /// A reference run of the same scenario (`--ghost`), for its marks beside these.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ghost: Option<GhostRow>,
    /// The live vista the drill ran beside, from the vista file its recording carries. None:
    /// the drill showed only its own signals, simulated from the scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vista: Option<VistaRow>,
}

/// The live vista file a drill ran beside (or a session's walkthrough showed): what the team
/// could look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VistaRow {
    pub file: String,
    pub hash: String,
    /// The vista's title and its panes' titles, read from the carried text; empty with
    /// `problem` set when that text does not check with this build.
    pub title: String,
    pub panes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl VistaRow {
    /// The row of a vista carried in a recording, checked with nothing but its text.
    pub fn of(carried: &crate::record::CarriedVista) -> VistaRow {
        let (title, panes, problem) = match carried.config() {
            Ok(c) => (
                c.title.clone(),
                c.panes.iter().map(|p| p.title.clone()).collect(),
                None,
            ),
            Err(d) => (String::new(), Vec::new(), d.first().map(|d| d.to_string())),
        };
        VistaRow {
            file: carried.file.clone(),
            hash: carried.hash.clone(),
            title,
            panes,
            problem,
        }
    }

    /// One line for a reader: the file, its title and panes.
    pub fn summary(&self) -> String {
        match &self.problem {
            Some(p) => format!("{} ({}): {p}", self.file, self.hash),
            None => format!(
                "{} ({}): {} — {} pane{}: {}",
                self.file,
                self.hash,
                self.title,
                self.panes.len(),
                if self.panes.len() == 1 { "" } else { "s" },
                self.panes.join(", ")
            ),
        }
    }
}

/// A flag or counter as the drill left it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateRow {
    pub id: String,
    pub name: String,
    /// `yes`/`no` for a flag, the number for a counter.
    pub value: String,
    /// Shown to the players during the drill (otherwise only to the facilitator).
    pub visible: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioInfo {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub difficulty: String,
    pub content_hash: String,
    /// Story time a beat stands for, so charts can label their axis in story time.
    pub story_seconds_per_beat: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// `running`, `paused` or `ended`.
    pub status: String,
    /// Why it ended (`resolved`, `time`, or a facilitator's reason).
    pub reason: Option<String>,
    pub beat: u64,
    pub bar_beat: String,
    pub story_time: String,
    pub objectives_met: usize,
    pub objectives_total: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeatRow {
    pub seat: SeatId,
    pub name: String,
    /// Role id; `None` plays every role.
    pub role: Option<String>,
    /// The role's display name.
    pub role_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveRow {
    pub id: String,
    pub text: String,
    /// `met`, `missed` or `pending`.
    pub verdict: String,
    /// The beat it was met or missed.
    pub beat: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeRow {
    pub mark: Mark,
    /// Beat the mark was reached.
    pub beat: Option<u64>,
    /// Story minutes from the start of the drill.
    pub minutes: Option<f64>,
    pub target_minutes: Option<u32>,
    /// `on target`, `late`, `missed`, `not reached` (drill still running) or empty (no target).
    pub verdict: String,
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineRow {
    pub beat: u64,
    pub bar_beat: String,
    pub story_time: String,
    /// The seat that did it; `None` for the simulated world.
    pub seat: Option<String>,
    /// `inject`, `inject skipped`, `alert`, `alert resolved`, `cue`, `cue landed`, `rejected`,
    /// `mark`, `note`, `hint`, `red herring`, `objective`, `paused`, `resumed`, `tempo`,
    /// `joined`, `left`, `ended`.
    pub kind: String,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HerringRow {
    pub id: String,
    pub text: String,
    /// The beat it was first followed.
    pub followed: Option<u64>,
    /// The seat that followed it.
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HintRow {
    pub beat: u64,
    pub seat: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteRow {
    pub beat: u64,
    pub bar_beat: String,
    pub story_time: String,
    pub seat: String,
    pub text: String,
}

/// A Decision Requirements Table row ready to fill in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionFill {
    pub decision: String,
    pub why_difficult: String,
    pub cues: String,
    /// Where the cues are read.
    #[serde(default)]
    pub sources: String,
    pub strategy: String,
    pub novice_error: String,
    /// Sources of uncertainty.
    #[serde(default)]
    pub uncertainty: String,
    /// The decision point the row names, if any.
    pub point: Option<String>,
    /// For a row with a decision point: the option chosen and by whom, from the drill; else
    /// empty, for the team to fill in during the hot wash.
    pub what_we_did: String,
    /// When it was chosen (bar:beat and story time), for a row with a decision point.
    pub when: String,
}
