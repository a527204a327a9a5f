//! The debrief: the after-action report of one drill, as a fold over its log.
//!
//! [`build`] is pure (a drill and the seats in, a [`Debrief`] out), so the console can show it
//! the moment a drill ends and `gamelan debrief` can print it from a recording. [`markdown`]
//! renders it for people; the JSON form is the same struct through serde.

use crate::clock::story_clock;
use crate::drill::{Drill, Event, SeatId, Status, Verdict};
use crate::record::{Replay, SeatEntry};
use crate::scenario::{DecisionRow, Mark, Scenario, Severity};
use serde::Serialize;
use std::collections::HashMap;

mod html;
mod markdown;
mod numbers;
mod track;

pub use html::html;
pub use markdown::markdown;
pub use track::{AlertSpan, BudgetAt, BudgetRow, GhostRow, SignalTrack, SloInfo};

/// Every note that starts with this marker becomes an action item.
pub const ACTION_MARKER: &str = "TODO:";

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

/// The report of a replayed recording: its final state, with the header's start time and
/// seats, and whether the recording is complete.
pub fn from_replay(replay: &Replay) -> Debrief {
    let mut report = build(replay.final_drill(), &replay.header().seats);
    report.started = Some(replay.header().started.clone());
    report.incomplete = replay.recording().completeness.note();
    if let Some(values) = track::replayed(replay) {
        (report.signals, report.budgets) = track::tracks(replay.final_drill(), 0, values);
    }
    report
}

/// Builds the report of `drill` (the scenario is the drill's). `seats` adds seats known
/// outside the drill, such as a recording header's; seats that joined the drill take
/// precedence. Linear in the log and the seats: seats are looked up through an index.
pub fn build(drill: &Drill, seats: &[SeatEntry]) -> Debrief {
    let s: &Scenario = &drill.scenario;
    let mut seat_rows: Vec<SeatRow> = Vec::with_capacity(drill.seats.len());
    let mut row_of: HashMap<SeatId, usize> = HashMap::with_capacity(drill.seats.len());
    let known = drill
        .seats
        .iter()
        .map(|x| (x.id, x.name.as_str(), x.role.as_deref()))
        .chain(
            seats
                .iter()
                .map(|e| (e.seat, e.name.as_str(), e.role.as_deref())),
        );
    for (id, name, role) in known {
        if let std::collections::hash_map::Entry::Vacant(v) = row_of.entry(id) {
            v.insert(seat_rows.len());
            seat_rows.push(seat_row(s, id, name, role));
        }
    }
    let row = |id: SeatId| row_of.get(&id).map(|i| &seat_rows[*i]);
    let seat_name = |id: SeatId| row(id).map_or_else(|| format!("seat {id}"), |r| r.name.clone());
    let at = |beat: u64| (s.bar_beat(beat), story_clock(s.story_seconds(beat)));

    let (status, reason) = match &drill.status {
        Status::Running => ("running", None),
        Status::Paused => ("paused", None),
        Status::Ended(r) => ("ended", Some(r.clone())),
    };
    let objectives: Vec<ObjectiveRow> = s
        .objectives
        .iter()
        .zip(&drill.objectives)
        .map(|(o, v)| {
            let (verdict, beat) = match v {
                Verdict::Met(b) => ("met", Some(*b)),
                Verdict::Missed(b) => ("missed", Some(*b)),
                Verdict::Pending => ("pending", None),
            };
            ObjectiveRow {
                id: o.id.clone(),
                text: o.text.clone(),
                verdict: verdict.into(),
                beat,
            }
        })
        .collect();
    let (bar_beat, story_time) = at(drill.beat);
    let outcome = Outcome {
        status: status.into(),
        reason,
        beat: drill.beat,
        bar_beat,
        story_time,
        objectives_met: objectives.iter().filter(|o| o.verdict == "met").count(),
        objectives_total: objectives.len(),
    };

    let times = Mark::ALL
        .iter()
        .map(|&mark| {
            let beat = drill.marks[mark.index()];
            let target = s.target_minutes(mark);
            let verdict = match (beat, target) {
                (Some(b), Some(t)) if s.story_seconds(b) <= u64::from(t) * 60 => "on target",
                (Some(_), Some(_)) => "late",
                (None, Some(_)) if drill.is_ended() => "missed",
                (None, Some(_)) => "not reached",
                _ => "",
            };
            TimeRow {
                mark,
                beat,
                minutes: beat.map(|b| s.story_seconds(b) as f64 / 60.0),
                target_minutes: target,
                verdict: verdict.into(),
            }
        })
        .collect();

    let mut timeline = Vec::new();
    let mut hints = Vec::new();
    let mut notes = Vec::new();
    let mut herring_by: Vec<Option<String>> = vec![None; s.red_herrings.len()];
    for entry in &drill.log {
        let (seat, kind, what): (Option<SeatId>, &str, String) = match &entry.event {
            Event::InjectFired { inject, by_hand } => {
                let i = &s.injects[*inject];
                let hand = if *by_hand { " (fired by hand)" } else { "" };
                (
                    None,
                    "inject",
                    format!("{} on {}: {}{hand}", i.persona, i.channel.label(), i.text),
                )
            }
            Event::InjectSkipped { inject } => (
                None,
                "inject skipped",
                format!(
                    "`{}` did not fire: its condition was not met",
                    s.injects[*inject].id
                ),
            ),
            Event::AlertFiring { alert } => {
                let a = &s.alerts[*alert];
                (
                    None,
                    "alert",
                    format!(
                        "{} firing ({}): {}",
                        a.id,
                        severity_label(a.severity),
                        a.summary
                    ),
                )
            }
            Event::AlertResolved { alert } => (
                None,
                "alert resolved",
                format!("{} resolved", s.alerts[*alert].id),
            ),
            Event::CueApplied { seat, cue } => {
                let c = &s.cues[*cue];
                let lands = if c.delay_beats > 0 {
                    format!(", lands in {} beats", c.delay_beats)
                } else {
                    String::new()
                };
                (
                    Some(*seat),
                    "cue",
                    format!("{} (`{}`){lands}", c.label, c.id),
                )
            }
            Event::CueLanded { seat, cue } => {
                let c = &s.cues[*cue];
                // A cue with outcomes answers on its `outcome` row.
                let response = c.response.as_ref().filter(|_| c.outcomes.is_empty());
                let answer = response.map_or_else(String::new, |r| {
                    format!(" — {} on {}: {}", r.persona, r.channel.label(), r.text)
                });
                (
                    Some(*seat),
                    "cue landed",
                    format!("`{}` landed{answer}", c.id),
                )
            }
            Event::Rejected { seat, what, reason } => {
                (Some(*seat), "rejected", format!("{what}: {reason}"))
            }
            Event::Marked { mark } => (None, "mark", mark.label().to_string()),
            Event::Note { seat, text } => {
                let (bar_beat, story_time) = at(entry.beat);
                notes.push(NoteRow {
                    beat: entry.beat,
                    bar_beat,
                    story_time,
                    seat: seat_name(*seat),
                    text: text.clone(),
                });
                (Some(*seat), "note", text.clone())
            }
            Event::DecisionHere { seat, text, .. } => (Some(*seat), "decision here", text.clone()),
            Event::Hint { seat, index } => {
                let text = s
                    .hints
                    .get(*index)
                    .map_or_else(String::new, |h| h.text.clone());
                hints.push(HintRow {
                    beat: entry.beat,
                    seat: seat_name(*seat),
                    text: text.clone(),
                });
                (Some(*seat), "hint", text)
            }
            Event::HerringFollowed { seat, herring } => {
                let h = &s.red_herrings[*herring];
                herring_by[*herring].get_or_insert_with(|| seat_name(*seat));
                (
                    Some(*seat),
                    "red herring",
                    format!("followed `{}`: {}", h.id, h.text),
                )
            }
            Event::Objective { objective, met } => {
                let verdict = if *met { "met" } else { "missed" };
                (
                    None,
                    "objective",
                    format!("{verdict}: {}", s.objectives[*objective].text),
                )
            }
            Event::Paused { seat } => (Some(*seat), "paused", "paused the drill".into()),
            Event::Resumed { seat } => (Some(*seat), "resumed", "resumed the drill".into()),
            Event::Tempo { seat, bpm } => (Some(*seat), "tempo", format!("tempo set to {bpm} BPM")),
            Event::Joined { seat } => {
                let role = row(*seat).map_or("", |r| r.role_name.as_str());
                (Some(*seat), "joined", format!("joined as {role}"))
            }
            Event::Left { seat } => (Some(*seat), "left", "left the drill".into()),
            Event::Ended { reason } => (None, "ended", format!("drill ended ({reason})")),
            Event::CueOutcome { seat, cue, outcome } => {
                let c = &s.cues[*cue];
                let r = outcome
                    .and_then(|o| c.outcomes[o].response.as_ref())
                    .or(c.response.as_ref());
                let which =
                    outcome.map_or("its own effects".into(), |o| format!("outcome {}", o + 1));
                let answer = r.map_or_else(String::new, |r| {
                    format!(" — {} on {}: {}", r.persona, r.channel.label(), r.text)
                });
                (
                    Some(*seat),
                    "outcome",
                    format!("`{}` landed with {which}{answer}", c.id),
                )
            }
            Event::DecisionOpened { decision } => {
                let d = &s.decisions[*decision];
                (None, "decision", format!("`{}` asked: {}", d.id, d.prompt))
            }
            Event::DecisionMade {
                decision,
                option,
                seat,
            } => {
                let d = &s.decisions[*decision];
                let how = if seat.is_none() {
                    " (time ran out: the default)"
                } else {
                    ""
                };
                (
                    *seat,
                    "decided",
                    format!(
                        "`{}`: {} (`{}`){how}",
                        d.id, d.options[*option].label, d.options[*option].id
                    ),
                )
            }
            Event::DecisionLapsed { decision } => (
                None,
                "decision lapsed",
                format!(
                    "`{}`: time ran out with nothing chosen",
                    s.decisions[*decision].id
                ),
            ),
            Event::FlagSet { flag, value } => {
                let f = &s.flags[*flag];
                (None, "state", format!("`{}` = {}", f.id, f.show(*value)))
            }
        };
        let (bar_beat, story_time) = at(entry.beat);
        timeline.push(TimelineRow {
            beat: entry.beat,
            bar_beat,
            story_time,
            seat: seat.map(seat_name),
            kind: kind.into(),
            what,
        });
    }
    let action_items = notes
        .iter()
        .filter_map(|n| {
            let rest = n.text.trim_start().strip_prefix(ACTION_MARKER)?;
            Some(NoteRow {
                text: rest.trim().to_string(),
                ..n.clone()
            })
        })
        .collect();
    let red_herrings = s
        .red_herrings
        .iter()
        .zip(&drill.herrings)
        .zip(herring_by)
        .map(|((h, followed), by)| HerringRow {
            id: h.id.clone(),
            text: h.text.clone(),
            followed: *followed,
            by,
        })
        .collect();

    let mut decisions: Vec<DecisionFill> = s
        .debrief
        .decisions
        .iter()
        .map(|r: &DecisionRow| {
            let (what_we_did, when) = what_we_did(drill, r, &seat_name);
            DecisionFill {
                decision: r.decision.clone(),
                why_difficult: r.why_difficult.clone(),
                cues: r.cues.clone(),
                sources: r.sources.clone(),
                strategy: r.strategy.clone(),
                novice_error: r.novice_error.clone(),
                uncertainty: r.uncertainty.clone(),
                point: r.point.clone(),
                what_we_did,
                when,
            }
        })
        .collect();
    // The table the seats built after the drill, when they did: its rows as they left them.
    if let Some(t) = &drill.drt {
        use crate::drt::Column as C;
        decisions = t
            .rows
            .iter()
            .map(|r| DecisionFill {
                decision: r.cell(C::Decision).into(),
                why_difficult: r.cell(C::WhyDifficult).into(),
                cues: r.cell(C::Cues).into(),
                sources: r.cell(C::Sources).into(),
                strategy: r.cell(C::Strategy).into(),
                novice_error: r.cell(C::NoviceError).into(),
                uncertainty: r.cell(C::Uncertainty).into(),
                point: r.point.clone(),
                what_we_did: r.moment.what.clone(),
                when: r.moment.when.clone(),
            })
            .collect();
    }

    let (first, values) = track::held(drill);
    let (signals, budgets) = track::tracks(drill, first, values);
    Debrief {
        scenario: ScenarioInfo {
            id: s.meta.id.clone(),
            title: s.meta.title.clone(),
            summary: s.meta.summary.clone(),
            difficulty: s.meta.difficulty.label().into(),
            content_hash: s.content_hash.clone(),
            story_seconds_per_beat: s.tempo.story_seconds_per_beat,
        },
        started: None,
        incomplete: None,
        seed: drill.seed,
        outcome,
        seats: seat_rows,
        objectives,
        times,
        timeline,
        red_herrings,
        hints,
        hints_available: s.hints.len(),
        notes,
        action_items,
        questions: s.debrief.questions.clone(),
        decisions,
        signals,
        alerts: track::alert_spans(drill),
        budgets,
        ghost: None,
        state: s
            .flags
            .iter()
            .zip(&drill.flags)
            .map(|(f, v)| StateRow {
                id: f.id.clone(),
                name: f.name.clone(),
                value: f.show(*v),
                visible: f.visible,
            })
            .collect(),
    }
}

/// A DRT row's "what we did" and "when", from the decision point it names: the option chosen
/// and by whom (or that time ran out), and the beat with its story time.
fn what_we_did(
    drill: &Drill,
    row: &DecisionRow,
    seat_name: &dyn Fn(SeatId) -> String,
) -> (String, String) {
    let s = &drill.scenario;
    let Some(d) = row.point.as_deref().and_then(|p| s.decision_index(p)) else {
        return (String::new(), String::new());
    };
    let st = &drill.decisions()[d];
    let at = |b: u64| format!("{} ({})", s.bar_beat(b), story_clock(s.story_seconds(b)));
    match (st.chosen, st.opened) {
        (Some(c), _) => {
            let label = &s.decisions[d].options[c.option].label;
            let who = c
                .seat
                .map_or("nobody: time ran out, the default".into(), seat_name);
            (format!("{label} ({who})"), at(c.beat))
        }
        (None, Some(o)) if st.lapsed => ("nothing: time ran out".into(), at(o)),
        (None, Some(o)) => ("not decided yet".into(), format!("asked at {}", at(o))),
        (None, None) => ("never asked".into(), String::new()),
    }
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Page => "page",
    }
}

fn seat_row(s: &Scenario, seat: SeatId, name: &str, role: Option<&str>) -> SeatRow {
    let role_name = match role {
        None => "every role".to_string(),
        Some(r) => s.role(r).map_or_else(|| r.to_string(), |d| d.name.clone()),
    };
    SeatRow {
        seat,
        name: name.to_string(),
        role: role.map(str::to_string),
        role_name,
    }
}

/// The report as pretty JSON, with a final newline.
pub fn json(d: &Debrief) -> String {
    let mut out = serde_json::to_string_pretty(d).expect("a debrief always serializes");
    out.push('\n');
    out
}
