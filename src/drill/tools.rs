//! Rate effects (an amount added every beat while a condition holds, the sum kept) and view
//! effects (the players' pane of a signal goes stale, slow or blank). A view effect changes
//! what the screens draw, never the simulated system: alerts and objectives read the truth.

use super::Drill;
use crate::scenario::limits::VALUE_LIMIT;
use crate::scenario::{CondId, EffectOrigin, View};
use serde::Serialize;

/// A running rate effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActiveRate {
    pub origin: EffectOrigin,
    pub signal: usize,
    pub per_beat: f64,
    pub while_: Option<CondId>,
    /// What it has added up to so far.
    pub sum: f64,
    /// First beat of the fade once cleared; it stops adding then.
    pub end: Option<u64>,
    pub release: u32,
}

impl ActiveRate {
    /// Strength in [0, 1] of the sum at `beat`.
    pub fn level(&self, beat: u64) -> f64 {
        match self.end {
            Some(end) if beat >= end => {
                if self.release == 0 {
                    return 0.0;
                }
                (1.0 - (beat - end) as f64 / f64::from(self.release)).max(0.0)
            }
            _ => 1.0,
        }
    }

    pub fn finished(&self, beat: u64) -> bool {
        self.end
            .is_some_and(|end| beat >= end.saturating_add(u64::from(self.release)))
    }

    pub fn clear(&mut self, beat: u64, release: u32) {
        if self.end.is_none_or(|end| end > beat) {
            self.end = Some(beat);
            self.release = release;
        }
    }
}

/// A running view effect on the players' panes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActiveView {
    pub origin: EffectOrigin,
    /// `None`: every pane.
    pub signal: Option<usize>,
    pub view: View,
    pub start: u64,
    /// The first beat it no longer applies; `None` until cleared.
    pub end: Option<u64>,
}

/// What the players' pane of a signal shows now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneView {
    Live,
    /// Frozen at the value of beat `since`.
    Stale {
        since: u64,
    },
    /// Running `lag` beats behind.
    Slow {
        lag: u32,
    },
    /// No data.
    Blank,
}

impl Drill {
    /// Rate effects add their step (while their condition holds); finished ones go.
    pub(super) fn integrate_rates(&mut self) {
        let beat = self.beat;
        self.rates.retain(|r| !r.finished(beat));
        for i in 0..self.rates.len() {
            let r = &self.rates[i];
            if r.end.is_none() && r.while_.is_none_or(|c| self.holds(c)) {
                let r = &mut self.rates[i];
                r.sum = (r.sum + r.per_beat).clamp(-VALUE_LIMIT, VALUE_LIMIT);
            }
        }
        self.views.retain(|v| v.end.is_none_or(|end| beat < end));
    }

    /// What the rate effects add to `signal` at this beat.
    pub(super) fn rate_sum(&self, signal: usize) -> f64 {
        self.rates
            .iter()
            .filter(|r| r.signal == signal)
            .map(|r| r.sum * r.level(self.beat))
            .sum()
    }

    /// How the players' pane of `signal` is drawn: blank wins over stale, stale over slow.
    pub fn pane_view(&self, signal: usize) -> PaneView {
        let mut out = PaneView::Live;
        for v in self
            .views
            .iter()
            .filter(|v| v.signal.is_none_or(|s| s == signal))
        {
            out = match (out, v.view) {
                (_, View::Blank) | (PaneView::Blank, _) => PaneView::Blank,
                (PaneView::Stale { since }, View::Stale) => PaneView::Stale {
                    since: since.min(v.start),
                },
                (_, View::Stale) => PaneView::Stale { since: v.start },
                (s @ PaneView::Stale { .. }, View::Slow(_)) => s,
                (PaneView::Slow { lag }, View::Slow(l)) => PaneView::Slow { lag: lag.max(l) },
                (PaneView::Live, View::Slow(l)) => PaneView::Slow { lag: l },
            };
        }
        out
    }
}
