//! The scenario file as its author writes it (docs/scenario-format.md). Every struct rejects
//! unknown fields; names that refer to other parts are kept with their source span so that
//! `gamelan check` can point at them.

use super::branching::{AddDef, CondDef, OutcomeDef, RequiresDef, SetDef};
use super::position::Position;
use serde::Deserialize;
use toml::Spanned;

/// A name that refers to another part of the scenario, with where it was written.
pub type Ref = Spanned<String>;

/// `[scenario]`: what the drill is and how long it runs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub difficulty: Difficulty,
    /// Expected wall-clock duration of a session, in minutes.
    pub duration_minutes: u32,
    /// Length of the timeline in bars; the drill ends there if it is not resolved earlier.
    pub length_bars: u32,
    #[serde(default)]
    pub tags: Vec<String>,
    /// A short briefing shown before the first beat.
    #[serde(default)]
    pub briefing: String,
    /// A vista file (relative to this scenario file) whose live panes are shown beside the
    /// drill: the exercise next to the team's real telemetry.
    pub vista: Option<String>,
    /// The failure family the drill belongs to (deploy, dependency, capacity, network, data,
    /// security, config, clock…), for the lobby's filter.
    #[serde(default)]
    pub family: Option<String>,
    /// The public write-up the drill is drawn from, shown in the lobby and the debrief.
    #[serde(default)]
    pub source: Option<Source>,
}

/// `[scenario.source]`: where the incident behind a drill was written up.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The write-up's title.
    pub title: String,
    /// Who published it (the company or project).
    pub org: String,
    /// When the incident happened, `YYYY-MM-DD` (or `YYYY-MM`).
    pub date: String,
    /// Where to read it.
    #[serde(default)]
    pub url: Option<String>,
}

impl Source {
    /// One line for the lobby and the debrief: "title — org, date".
    pub fn line(&self) -> String {
        format!("{} — {}, {}", self.title, self.org, self.date)
    }
}

/// How hard a drill is, for the lobby.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Intro,
    Intermediate,
    Advanced,
    Expert,
}

impl Difficulty {
    pub const ALL: [Difficulty; 4] = [
        Difficulty::Intro,
        Difficulty::Intermediate,
        Difficulty::Advanced,
        Difficulty::Expert,
    ];

    /// The difficulty named `s` (as written in a scenario file).
    pub fn parse(s: &str) -> Option<Difficulty> {
        Difficulty::ALL.into_iter().find(|d| d.label() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Intro => "intro",
            Difficulty::Intermediate => "intermediate",
            Difficulty::Advanced => "advanced",
            Difficulty::Expert => "expert",
        }
    }
}

/// `[tempo]`: how logical time maps to story time and to the metronome.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tempo {
    pub bpm: u32,
    pub beats_per_bar: u32,
    /// How many seconds of the story one beat stands for.
    pub story_seconds_per_beat: u32,
}

/// `[targets]`: time-to-X goals, in story minutes from the start of the drill.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub detect_minutes: Option<u32>,
    pub acknowledge_minutes: Option<u32>,
    pub mitigate_minutes: Option<u32>,
    pub resolve_minutes: Option<u32>,
}

/// `[[roles]]`: a part a seat can play.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDef {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// A facilitator may change tempo, pause, fire contingency injects and reveal hints.
    #[serde(default)]
    pub facilitator: bool,
}

/// `[[objectives]]`: a learning objective and how success is measured.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveDef {
    pub id: String,
    pub text: String,
    pub measure: MeasureDef,
}

/// How an objective is judged; exactly one of `mark`, `cue`, `avoid_cue`, `signal`, `holds`,
/// `never` is set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDef {
    /// A lifecycle mark reached by `by`.
    pub mark: Option<Spanned<Mark>>,
    /// A cue applied by `by`.
    pub cue: Option<Ref>,
    /// A cue never applied during the drill.
    pub avoid_cue: Option<Ref>,
    /// A signal inside its healthy range at `by`, or with at least `budget_left` of its error
    /// budget remaining at the end.
    pub signal: Option<Ref>,
    pub by: Option<Spanned<Position>>,
    pub budget_left: Option<f64>,
    /// A condition that holds at some beat (by `by`, if given).
    pub holds: Option<CondDef>,
    /// A condition that must never hold during the drill.
    pub never: Option<CondDef>,
}

/// The incident lifecycle marks, in their usual order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    Detected,
    Acknowledged,
    Mitigated,
    Resolved,
}

impl Mark {
    pub const ALL: [Mark; 4] = [
        Mark::Detected,
        Mark::Acknowledged,
        Mark::Mitigated,
        Mark::Resolved,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Mark::Detected => "detected",
            Mark::Acknowledged => "acknowledged",
            Mark::Mitigated => "mitigated",
            Mark::Resolved => "resolved",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// `[[signals]]`: one simulated time series.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalDef {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub unit: String,
    pub baseline: f64,
    /// Standard deviation of the per-beat noise, in the signal's unit.
    #[serde(default)]
    pub noise: f64,
    /// 0 jumps straight to the target each beat; closer to 1 moves slowly (queues, caches).
    #[serde(default)]
    pub inertia: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// `[low, high]`: where the signal sits when the system is healthy.
    pub healthy: [f64; 2],
    pub slo: Option<SloDef>,
    #[serde(default)]
    pub show: Show,
    /// What this pane tells a responder ("what I look for here").
    #[serde(default)]
    pub note: String,
    /// Recorded values replayed one per beat from beat 0 (e.g. written by `gamelan capture`),
    /// holding the last one after the end. They replace `baseline`; effects and noise apply on top.
    #[serde(default)]
    pub samples: Vec<f64>,
}

/// How a signal is drawn in the vista.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Show {
    #[default]
    Chart,
    Gauge,
}

/// A service-level objective on a signal.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloDef {
    /// Target in percent, e.g. 99.9.
    pub target: f64,
    /// `ratio`: the signal is the percentage of bad events. `healthy`: a beat is good when the
    /// signal is inside its healthy range.
    #[serde(default)]
    pub measure: SloMeasure,
    /// The budget window in bars; the whole timeline when absent.
    pub window_bars: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SloMeasure {
    #[default]
    Ratio,
    Healthy,
}

/// `[[alerts]]`: a rule evaluated every beat.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertDef {
    pub id: String,
    pub signal: Ref,
    pub threshold: f64,
    pub direction: Direction,
    /// Beats the condition must hold before the alert fires.
    #[serde(default = "one")]
    pub for_beats: u32,
    #[serde(default)]
    pub severity: Severity,
    pub summary: String,
    /// Lifecycle marks set when this alert first fires (e.g. `detected` for a page).
    #[serde(default)]
    pub marks: Vec<Mark>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Above,
    Below,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    #[default]
    Page,
}

/// The channel an inject arrives on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Page,
    #[default]
    Chat,
    Phone,
    Status,
    Email,
    Ticket,
    Log,
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Channel::Page => "page",
            Channel::Chat => "chat",
            Channel::Phone => "phone",
            Channel::Status => "status",
            Channel::Email => "email",
            Channel::Ticket => "ticket",
            Channel::Log => "log",
        }
    }
}

/// `[[injects]]`: a scripted event on the timeline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InjectDef {
    pub id: String,
    /// When it fires; required unless the inject is a contingency.
    pub at: Option<Spanned<Position>>,
    pub persona: String,
    #[serde(default)]
    pub channel: Channel,
    pub text: String,
    /// Hidden from the timeline until it fires.
    #[serde(default)]
    pub surprise: bool,
    /// Never fires on its own: a facilitator fires it by hand.
    #[serde(default)]
    pub contingency: bool,
    /// A contingency's suggested time, shown to the facilitator.
    pub suggest: Option<Spanned<Position>>,
    /// With `at`: fire only if this holds then. Without: fire on the first beat it holds.
    pub when: Option<CondDef>,
    #[serde(default)]
    pub effects: Vec<EffectDef>,
    #[serde(default)]
    pub set: SetDef,
    #[serde(default)]
    pub add: AddDef,
    /// A marker on this event series when it fires.
    pub event: Option<Ref>,
}

/// A change to a signal, or the end of earlier changes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectDef {
    pub kind: EffectKind,
    /// The signal changed (all kinds but `clear` with `inject`).
    pub signal: Option<Ref>,
    /// `clear`: end the effects that this inject (or cue) started.
    pub source: Option<Ref>,
    /// Added to the signal (step, ramp, spike).
    pub by: Option<f64>,
    /// Multiplies the signal (multiply).
    pub factor: Option<f64>,
    /// Beats to reach full strength (ramp), or to fade away (spike, clear).
    pub over: Option<u32>,
    /// Beats the effect lasts at full strength; forever when absent.
    pub for_beats: Option<u32>,
    /// `rate`: integrate only while this holds.
    #[serde(rename = "while")]
    pub while_: Option<CondDef>,
    /// `slow`: how many beats the pane runs behind.
    pub lag: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EffectKind {
    Step,
    Ramp,
    Spike,
    Multiply,
    Clear,
    /// Adds `by` every beat (while `while` holds), accumulating.
    Rate,
    /// The players' pane of `signal` (or every pane) freezes at its last value.
    Stale,
    /// The players' pane runs `lag` beats behind.
    Slow,
    /// The players' pane shows no data.
    Blank,
}

/// `[[cues]]`: an action a player can take, bound to a key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueDef {
    pub id: String,
    pub key: Spanned<String>,
    pub label: String,
    /// Roles allowed to use the cue; everyone when empty.
    #[serde(default)]
    pub roles: Vec<Ref>,
    /// Beats between the key press and the effect landing.
    #[serde(default)]
    pub delay_beats: u32,
    #[serde(default)]
    pub effects: Vec<EffectDef>,
    /// Runbook pages this cue reveals (the first one is opened).
    #[serde(default)]
    pub reveals: Vec<Ref>,
    /// Lifecycle marks set when the cue lands.
    #[serde(default)]
    pub marks: Vec<Mark>,
    /// Cues that must have been applied first, or a condition that must hold.
    #[serde(default)]
    pub requires: RequiresDef,
    /// May be applied more than once.
    #[serde(default)]
    pub repeatable: bool,
    /// What the simulated system answers when the cue lands.
    pub response: Option<ResponseDef>,
    #[serde(default)]
    pub set: SetDef,
    #[serde(default)]
    pub add: AddDef,
    /// A marker on this event series when it lands.
    pub event: Option<Ref>,
    /// What it does instead when a condition holds at the beat it lands (first match wins).
    #[serde(default)]
    pub outcomes: Vec<OutcomeDef>,
}

/// A line in the feed from the simulated world.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseDef {
    pub persona: String,
    #[serde(default)]
    pub channel: Channel,
    pub text: String,
}

/// `[[runbook]]`: one page of the sheet music.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunbookPage {
    pub id: String,
    pub title: String,
    pub body: String,
    /// Only visible once a cue reveals it.
    #[serde(default)]
    pub hidden: bool,
}

/// `[[hints]]`: the hint ladder, revealed one rung at a time.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HintDef {
    pub text: String,
    /// Not offered before this point.
    pub after: Option<Spanned<Position>>,
}

/// `[[red_herrings]]`: something that looks like the cause and is not.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedHerringDef {
    pub id: String,
    pub text: String,
    /// Applying any of these cues means the herring was followed.
    #[serde(default)]
    pub cues: Vec<Ref>,
    #[serde(default)]
    pub signals: Vec<Ref>,
}

/// `[debrief]`: the hot wash material.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebriefDef {
    #[serde(default)]
    pub questions: Vec<String>,
    #[serde(default)]
    pub decisions: Vec<DecisionRow>,
}

/// One row of a Decision Requirements Table.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRow {
    pub decision: String,
    pub why_difficult: String,
    pub cues: String,
    pub strategy: String,
    pub novice_error: String,
    /// Where the cues come from (a dashboard, a log, a person): the method's "information
    /// sources" column. Optional so files written before it stay valid.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sources: String,
    /// What is not known at the moment of the call: the method's "sources of uncertainty".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uncertainty: String,
    /// The decision point this row is about: the debrief fills "what we did" and "when".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
}
