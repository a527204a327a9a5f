//! Evaluating conditions against the drill's state. Pure reads: a condition never changes the
//! drill, so the same state always gives the same answer.

use super::{Drill, Verdict};
use crate::scenario::{Cond, CondId};

impl Drill {
    /// Whether the scenario's condition `c` holds now.
    pub fn holds(&self, c: CondId) -> bool {
        self.scenario.conds.get(c).is_some_and(|c| self.eval(c))
    }

    fn eval(&self, c: &Cond) -> bool {
        let within =
            |done: Option<u64>, by: Option<u64>| done.is_some_and(|d| by.is_none_or(|by| d <= by));
        match c {
            Cond::Applied { cue, by } => within(self.cues_done[*cue], *by),
            Cond::Landed { cue, by } => within(self.cues_landed[*cue], *by),
            Cond::Before { first, then } => {
                let (a, b) = (self.applied_order[*first], self.applied_order[*then]);
                a != 0 && (b == 0 || a < b)
            }
            Cond::Flag { flag, test } => test.holds(self.flags[*flag]),
            Cond::Signal { signal, test, held } => match held {
                Some((slot, beats)) => self.held[*slot] >= *beats,
                None => test.holds(self.signals[*signal].value),
            },
            Cond::Objective(o) => matches!(self.objectives[*o], Verdict::Met(_)),
            Cond::Decided { decision, option } => self.decision_states[*decision]
                .chosen
                .is_some_and(|c| option.is_none_or(|o| c.option == o)),
            Cond::Since(b) => self.beat >= *b,
            Cond::All(v) => v.iter().all(|c| self.eval(c)),
            Cond::Any(v) => v.iter().any(|c| self.eval(c)),
            Cond::Not(c) => !self.eval(c),
        }
    }

    /// Counts, after the signals have moved, the beats each `for_beats` test has held.
    pub(super) fn count_held(&mut self) {
        let scenario = self.scenario.clone();
        for (slot, h) in scenario.held.iter().enumerate() {
            let n = &mut self.held[slot];
            *n = if h.test.holds(self.signals[h.signal].value) {
                n.saturating_add(1)
            } else {
                0
            };
        }
    }
}
