//! Building the report from a drill: the outcome, objectives, lifecycle times and every row.

use super::seats::Seats;
use super::*;
use crate::clock::story_clock;
use crate::drill::{Drill, Status, Verdict};
use crate::record::SeatEntry;
use crate::scenario::{Mark, Scenario};

/// Builds the report of `drill` (the scenario is the drill's). `seats` adds seats known
/// outside the drill, such as a recording header's; seats that joined the drill take
/// precedence. Linear in the log and the seats: seats are looked up through an index.
pub fn build(drill: &Drill, seats: &[SeatEntry]) -> Debrief {
    let s: &Scenario = &drill.scenario;
    let seats = Seats::new(drill, seats);
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

    let timeline::Folded {
        timeline,
        hints,
        notes,
        herring_by,
    } = timeline::fold(drill, &seats);
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

    let decisions = decisions::fill(drill, &seats);
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
        seats: seats.into_rows(),
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
        vista: None,
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
