//! The drill over time: every signal's value at every beat, its healthy band and SLO, the
//! error budget left at each beat, alert firings as spans, and the budget at each lifecycle
//! mark. The Markdown and HTML debriefs both draw their charts from these rows, so a value
//! is worked out once.
//!
//! A drill keeps the last [`HISTORY`] values of each signal, which covers the whole of every
//! drill of up to that many beats: the live drill and its recording give the same rows. A
//! longer recording is played once more to sample every beat ([`replayed`]).

use crate::drill::{Drill, Event, HISTORY};
use crate::record::Replay;
use crate::scenario::{Mark, Scenario, SloMeasure};
use serde::Serialize;

/// One signal over the drill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalTrack {
    pub id: String,
    pub name: String,
    pub unit: String,
    /// `[low, high]`: where the signal sits when the system is healthy.
    pub healthy: [f64; 2],
    /// The signal's service-level objective, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slo: Option<SloInfo>,
    /// An alert watches it or it has an SLO: the Markdown debrief charts it.
    pub key: bool,
    /// The beat of `values[0]`: 0, unless a live drill outgrew its history.
    pub first_beat: u64,
    /// The value at each beat from `first_beat` to the end.
    pub values: Vec<f32>,
    /// With an SLO: the fraction of the error budget left at each beat (can go negative).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub budget_left: Vec<f32>,
}

impl SignalTrack {
    /// The smallest and largest value (0, 0 for no values).
    pub fn range(&self) -> (f32, f32) {
        let mut it = self.values.iter().copied();
        let first = it.next().unwrap_or(0.0);
        it.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v)))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloInfo {
    /// Target, in percent.
    pub target: f64,
    /// `ratio` (the signal is the percentage of bad events) or `healthy` (a beat outside the
    /// healthy band is bad).
    pub measure: String,
}

/// An alert's firing, from the beat it fired to the beat it resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertSpan {
    pub id: String,
    /// The id of the signal it watches.
    pub signal: String,
    pub severity: String,
    pub from: u64,
    /// `None`: still firing when the drill stopped.
    pub to: Option<u64>,
}

/// An SLO's error budget at the lifecycle marks and at the end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetRow {
    pub signal: String,
    pub name: String,
    pub target: f64,
    /// One per mark, in [`Mark::ALL`] order.
    pub at_marks: Vec<BudgetAt>,
    /// The fraction left at the end (can go negative: overspent).
    pub end: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetAt {
    pub mark: Mark,
    /// The beat the mark was reached, if it was.
    pub beat: Option<u64>,
    /// The fraction left at that beat (`None`: not reached, or before a live drill's history).
    pub left: Option<f64>,
}

/// The values of a drill's signals it still holds, and the beat of the first.
pub(super) fn held(drill: &Drill) -> (u64, Vec<Vec<f32>>) {
    let n = drill.signals.first().map_or(0, |s| s.history.len());
    let first = (drill.beat + 1).saturating_sub(n as u64);
    let values = drill
        .signals
        .iter()
        .map(|s| s.history.iter().copied().collect())
        .collect();
    (first, values)
}

/// Every beat's values of a replayed recording, when its final drill no longer holds them
/// all (`None` when it does: see the module notes).
pub(super) fn replayed(replay: &Replay) -> Option<Vec<Vec<f32>>> {
    let last = replay.final_drill();
    if (last.beat as usize) < HISTORY {
        return None;
    }
    let mut drill = crate::record::replay::initial_drill(replay.header(), last.scenario.clone());
    let beats = last.beat as usize + 1;
    let mut values: Vec<Vec<f32>> = vec![Vec::with_capacity(beats); drill.signals.len()];
    let sample = |drill: &Drill, values: &mut Vec<Vec<f32>>| {
        for (v, s) in values.iter_mut().zip(&drill.signals) {
            v.push(s.value as f32);
        }
    };
    sample(&drill, &mut values);
    for r in &replay.recording().inputs {
        let before = drill.beat;
        drill.apply(&r.input);
        if drill.beat != before {
            sample(&drill, &mut values);
        }
    }
    Some(values)
}

/// The tracks and budget rows of `drill` from its values per beat (starting at `first`).
pub(super) fn tracks(
    drill: &Drill,
    first: u64,
    values: Vec<Vec<f32>>,
) -> (Vec<SignalTrack>, Vec<BudgetRow>) {
    let s: &Scenario = &drill.scenario;
    let mut tracks = Vec::with_capacity(s.signals.len());
    let mut budgets = Vec::new();
    for (i, (def, values)) in s.signals.iter().zip(values).enumerate() {
        let watched = s.alerts.iter().any(|a| a.signal == i);
        let mut budget_left = Vec::new();
        if let (Some(slo), Some(end)) = (def.slo, drill.budget_left(i)) {
            // From the exact budget at the end, back through each beat's bad share: the same
            // numbers whether the values start at beat 0 or later.
            let budget = slo.allowed_bad() * slo.window_beats as f64;
            let bad = |v: f32| match slo.measure {
                SloMeasure::Ratio => (f64::from(v) / 100.0).clamp(0.0, 1.0),
                SloMeasure::Healthy => f64::from(u8::from(!def.is_healthy(f64::from(v)))),
            };
            budget_left = vec![0.0; values.len()];
            let mut left = end;
            for (k, v) in values.iter().enumerate().rev() {
                budget_left[k] = left.min(1.0) as f32;
                left += bad(*v) / budget;
            }
            let at = |beat: u64| {
                let k = beat.checked_sub(first)? as usize;
                budget_left.get(k).map(|l| f64::from(*l))
            };
            budgets.push(BudgetRow {
                signal: def.id.clone(),
                name: def.name.clone(),
                target: slo.target,
                at_marks: Mark::ALL
                    .iter()
                    .map(|&mark| {
                        let beat = drill.marks[mark.index()];
                        BudgetAt {
                            mark,
                            beat,
                            left: beat.and_then(at),
                        }
                    })
                    .collect(),
                end,
            });
        }
        tracks.push(SignalTrack {
            id: def.id.clone(),
            name: def.name.clone(),
            unit: def.unit.clone(),
            healthy: [def.healthy.0, def.healthy.1],
            slo: def.slo.map(|slo| SloInfo {
                target: slo.target,
                measure: match slo.measure {
                    SloMeasure::Ratio => "ratio".into(),
                    SloMeasure::Healthy => "healthy".into(),
                },
            }),
            key: watched || def.slo.is_some(),
            first_beat: first,
            values,
            budget_left,
        });
    }
    (tracks, budgets)
}

/// Every alert firing in the drill's log, in the order they fired.
pub(super) fn alert_spans(drill: &Drill) -> Vec<AlertSpan> {
    let s = &drill.scenario;
    let mut spans: Vec<AlertSpan> = Vec::new();
    let mut open: Vec<Option<usize>> = vec![None; s.alerts.len()];
    for e in &drill.log {
        match e.event {
            Event::AlertFiring { alert } => {
                let a = &s.alerts[alert];
                open[alert] = Some(spans.len());
                spans.push(AlertSpan {
                    id: a.id.clone(),
                    signal: s.signals[a.signal].id.clone(),
                    severity: super::timeline::severity_label(a.severity).into(),
                    from: e.beat,
                    to: None,
                });
            }
            Event::AlertResolved { alert } => {
                if let Some(i) = open[alert].take() {
                    spans[i].to = Some(e.beat);
                }
            }
            _ => {}
        }
    }
    spans
}

/// What a reference run did, to compare with on the same axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GhostRow {
    /// What to call it (the recording's file name).
    pub label: String,
    /// Lifecycle marks reached, in order of beat.
    pub marks: Vec<(Mark, u64)>,
    /// Cues applied: beat and cue id.
    pub cues: Vec<(u64, String)>,
    /// The beat it ended (or stopped).
    pub last_beat: u64,
}

impl GhostRow {
    pub fn new(label: &str, ghost: &crate::record::Ghost) -> GhostRow {
        GhostRow {
            label: label.to_string(),
            marks: ghost.marks.clone(),
            cues: ghost.cues.iter().map(|c| (c.beat, c.id.clone())).collect(),
            last_beat: ghost.last_beat,
        }
    }

    /// The beat the reference run reached `mark`.
    pub fn mark(&self, mark: Mark) -> Option<u64> {
        self.marks.iter().find(|(m, _)| *m == mark).map(|(_, b)| *b)
    }
}
