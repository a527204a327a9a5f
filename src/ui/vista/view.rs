//! One viewer's state of the vista between frames: focus, zoom, tour, search, the time
//! window, and what it took from the last snapshot for its inputs.

use super::nav::{TimeNav, natural_span};
use crate::vista::backfill::Backfill;
use crate::vista::{Display, VistaSnapshot};

/// One viewer's state: focus, zoom, tour, and what the status line says.
#[derive(Debug, Clone, Default)]
pub struct VistaView {
    pub focus: usize,
    pub zoom: bool,
    /// The help overlay is open, scrolled to this line.
    pub help: Option<usize>,
    /// The tour is on: the focused pane's note is shown.
    pub touring: bool,
    /// A reload problem (`file:line:col: message`), kept until a good reload.
    pub notice: Option<String>,
    /// The time window, the cursor.
    pub nav: TimeNav,
    /// `(pane id, series id)` of the series switched off.
    pub hidden: Vec<(String, String)>,
    /// The search being typed after `/`.
    pub search: Option<String>,
    /// The last search, for `n` and `N`.
    pub query: String,
    /// History fetched beyond the panes' rings (Prometheus panes panned into the past).
    pub backfill: Vec<Backfill>,
    /// The local time's offset from UTC in seconds (the shell sets it; 0 shows UTC).
    pub utc_offset: i64,
    /// What [`VistaView::sync`] copied from the last snapshot, for inputs.
    pub seen: Seen,
}

/// What the view knows of the vista between frames (set by [`VistaView::sync`]).
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// The clock at the last frame, unix seconds.
    pub now: f64,
    pub titles: Vec<String>,
    /// Each pane's own span (see [`nav::natural_span`]).
    pub spans: Vec<f64>,
    /// The focused pane's id and series ids.
    pub focus_id: String,
    pub focus_series: Vec<String>,
}

impl VistaView {
    /// Takes what inputs need from the snapshot about to be drawn at `now`.
    pub fn sync(&mut self, snap: &VistaSnapshot, now: f64) {
        self.seen.now = now;
        if self.seen.titles.len() != snap.panes.len()
            || self
                .seen
                .titles
                .iter()
                .zip(&snap.panes)
                .any(|(t, p)| *t != p.def.title)
        {
            self.seen.titles = snap.panes.iter().map(|p| p.def.title.clone()).collect();
        }
        self.seen.spans.clear();
        self.seen
            .spans
            .extend(snap.panes.iter().map(|p| natural_span(&p.def, &p.state)));
        if let Some(p) = snap
            .panes
            .get(self.focus.min(snap.panes.len().saturating_sub(1)))
        {
            if self.seen.focus_id != p.def.id {
                self.seen.focus_id.clone_from(&p.def.id);
            }
            if self.seen.focus_series.len() != p.state.series.len()
                || self
                    .seen
                    .focus_series
                    .iter()
                    .zip(&p.state.series)
                    .any(|(a, b)| *a != b.id)
            {
                self.seen.focus_series = p.state.series.iter().map(|s| s.id.clone()).collect();
            }
        }
    }

    /// The span in force for the focused pane.
    pub fn span(&self) -> f64 {
        let own = self.seen.spans.get(self.focus).copied().unwrap_or(600.0);
        self.nav.span.unwrap_or(own.max(1.0))
    }

    /// The windows older than a Prometheus pane's ring that the screen shows and no backfill
    /// covers yet: `(pane index, start, end)` for the shell to fetch.
    pub fn wanted_history(&self, snap: &VistaSnapshot, now: f64) -> Vec<(usize, f64, f64)> {
        if self.nav.is_live() && self.nav.span.is_none() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, p) in snap.panes.iter().enumerate() {
            if p.def.kind != Display::Chart || !crate::vista::backfill::can_backfill(&p.def) {
                continue;
            }
            let (t0, t1) = self.nav.window(natural_span(&p.def, &p.state), now);
            let held = p
                .state
                .series
                .iter()
                .filter_map(|s| s.points.first().map(|p| p.0))
                .fold(f64::INFINITY, f64::min);
            let covered = self
                .backfill
                .iter()
                .any(|b| b.pane == p.def.id && b.covers(t0, t1.min(held)));
            if t0 < held - p.def.refresh.as_secs_f64() * 2.0 && !covered {
                out.push((i, t0, t1));
            }
        }
        out
    }

    /// Keeps a fetched history (one a pane: the newest replaces the older).
    pub fn take_history(&mut self, b: Backfill) {
        self.backfill.retain(|o| o.pane != b.pane);
        if let Some(e) = &b.error {
            self.notice = Some(e.clone());
        }
        self.backfill.push(b);
    }
}
