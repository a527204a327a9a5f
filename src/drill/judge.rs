//! Judging objectives, and the error budget and burn rate they and the screens read.

use super::{Drill, Event, Verdict};
use crate::scenario::{Measure, SloMeasure};

impl Drill {
    pub(super) fn evaluate_objectives(&mut self, at_end: bool) {
        let scenario = self.scenario.clone();
        let beat = self.beat;
        for (i, o) in scenario.objectives.iter().enumerate() {
            if self.objectives[i] != Verdict::Pending {
                continue;
            }
            let within = |done: Option<u64>, by: Option<u64>| {
                done.is_some_and(|d| by.is_none_or(|by| d <= by))
            };
            let late = |by: Option<u64>| by.is_some_and(|by| beat > by);
            let mut when = beat;
            let verdict = match o.measure {
                Measure::MarkBy { mark, by } => {
                    let done = self.marks[mark.index()];
                    if within(done, by) {
                        when = done.unwrap_or(beat);
                        Some(true)
                    } else if late(by) || at_end {
                        Some(false)
                    } else {
                        None
                    }
                }
                Measure::CueBy { cue, by } => {
                    if within(self.cues_done[cue], by) {
                        when = self.cues_done[cue].unwrap_or(beat);
                        Some(true)
                    } else if late(by) || at_end {
                        Some(false)
                    } else {
                        None
                    }
                }
                Measure::AvoidCue { cue } => {
                    if self.cues_done[cue].is_some() {
                        Some(false)
                    } else if at_end {
                        Some(true)
                    } else {
                        None
                    }
                }
                Measure::HealthyBy { signal, by } => (beat >= by || at_end)
                    .then(|| scenario.signals[signal].is_healthy(self.signals[signal].value)),
                Measure::Holds { cond, by } => {
                    if self.holds(cond) && by.is_none_or(|by| beat <= by) {
                        Some(true)
                    } else if late(by) || at_end {
                        Some(false)
                    } else {
                        None
                    }
                }
                Measure::Never { cond } => {
                    if self.holds(cond) {
                        Some(false)
                    } else if at_end {
                        Some(true)
                    } else {
                        None
                    }
                }
                Measure::BudgetLeft { signal, min } => {
                    let left = self.budget_left(signal).unwrap_or(1.0);
                    if left < min {
                        Some(false)
                    } else if at_end {
                        Some(true)
                    } else {
                        None
                    }
                }
            };
            if let Some(met) = verdict {
                self.objectives[i] = if met {
                    Verdict::Met(when)
                } else {
                    Verdict::Missed(beat)
                };
                self.push(Event::Objective { objective: i, met });
            }
        }
    }

    /// Fraction of the SLO's error budget still unspent (can go negative).
    pub fn budget_left(&self, signal: usize) -> Option<f64> {
        let slo = self.scenario.signals[signal].slo?;
        let budget = slo.allowed_bad() * slo.window_beats as f64;
        Some(1.0 - self.signals[signal].bad / budget)
    }

    /// How fast the budget burns right now: 1.0 spends it exactly over the window.
    pub fn burn_rate(&self, signal: usize) -> Option<f64> {
        let def = &self.scenario.signals[signal];
        let slo = def.slo?;
        let value = self.signals[signal].value;
        let bad = match slo.measure {
            SloMeasure::Ratio => (value / 100.0).clamp(0.0, 1.0),
            SloMeasure::Healthy => f64::from(u8::from(!def.is_healthy(value))),
        };
        Some(bad / slo.allowed_bad())
    }
}
