//! Looking closer at the vista: the time window every chart shows (zoomed, panned or live), the
//! value cursor, the series a viewer switched off, and the search over pane titles. Pure view
//! state; the shell passes the clock in ([`super::VistaView::sync`]).

use crate::vista::{PaneDef, PaneState, QueryMode, SourceDef};

/// The spans zooming steps through, in seconds (15 s to a week).
pub const SPANS: [f64; 16] = [
    15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0,
    43200.0, 86400.0, 172_800.0, 604_800.0,
];

/// The window the charts show and where the cursor is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeNav {
    /// Seconds shown; `None`: each pane's own span (what it holds, see [`natural_span`]).
    pub span: Option<f64>,
    /// The window's right edge, unix seconds; `None`: live, the edge is now.
    pub end: Option<f64>,
    /// The cursor, in seconds before the window's right edge (so it keeps its place on the
    /// screen while a live window moves).
    pub cursor: Option<f64>,
}

/// The span a pane shows when the viewer has not zoomed: a range query's window, else the
/// time its points cover rounded up to a zoom step, at least a minute and at most what its
/// history can hold at its refresh.
pub fn natural_span(def: &PaneDef, st: &PaneState) -> f64 {
    if let SourceDef::Prometheus(q) = &def.source
        && q.mode == QueryMode::Range
    {
        return q.window.as_secs_f64().max(1.0);
    }
    let cap = (st.history() as f64 * def.refresh.as_secs_f64()).max(60.0);
    let held = st
        .series
        .iter()
        .filter_map(|s| s.points.time_bounds())
        .map(|(a, b)| b - a)
        .fold(0.0, f64::max);
    SPANS
        .iter()
        .copied()
        .find(|s| *s >= held)
        .unwrap_or(cap)
        .clamp(60.0, cap)
}

impl TimeNav {
    /// Whether the right edge follows now.
    pub fn is_live(&self) -> bool {
        self.end.is_none()
    }

    /// The window `(start, end)` for a pane whose own span is `natural`, at `now`.
    pub fn window(&self, natural: f64, now: f64) -> (f64, f64) {
        let span = self.span.unwrap_or(natural);
        let end = self.end.unwrap_or(now);
        (end - span, end)
    }

    /// The cursor's time in a window ending at `end` and `span` long (clamped into it).
    pub fn cursor_at(&self, (t0, t1): (f64, f64)) -> Option<f64> {
        self.cursor.map(|back| (t1 - back).clamp(t0, t1))
    }

    /// One zoom step in (`dir` < 0, a shorter span) or out, from the span in force `current`.
    /// Zooming keeps the cursor's time (or the right edge) in place.
    pub fn zoom(&mut self, dir: i32, current: f64) {
        let next = if dir < 0 {
            SPANS.iter().rev().copied().find(|s| *s < current * 0.99)
        } else {
            SPANS.iter().copied().find(|s| *s > current * 1.01)
        };
        let Some(next) = next else { return };
        if let Some(back) = self.cursor {
            // The cursor stays at its time: the window shrinks or grows around it.
            let frac = (back / current).clamp(0.0, 1.0);
            let new_back = frac * next;
            if let Some(end) = self.end.as_mut() {
                *end += new_back - back;
            }
            self.cursor = Some(new_back);
        }
        self.span = Some(next);
    }

    /// Pans a quarter of the window back (`dir` < 0) or forward; forward past `now` is live.
    pub fn pan(&mut self, dir: i32, current: f64, now: f64) {
        let end = self.end.unwrap_or(now) + f64::from(dir.signum()) * current / 4.0;
        self.span.get_or_insert(current);
        self.end = if end >= now { None } else { Some(end) };
    }

    /// Back to live: the right edge follows now again; the zoom stays.
    pub fn live(&mut self) {
        self.end = None;
    }

    /// Moves the cursor `cols` columns of a plot `plot_w` wide showing `current` seconds
    /// (placing it on the newest point first).
    pub fn move_cursor(&mut self, cols: i32, current: f64, plot_w: u16) {
        let per = current / f64::from(plot_w.saturating_sub(1).max(1));
        let back = match self.cursor {
            None => 0.0,
            Some(b) => b - f64::from(cols) * per,
        };
        self.cursor = Some(back.clamp(0.0, current));
    }

    /// Places the cursor at time `t` of the window `(t0, t1)`.
    pub fn place_cursor(&mut self, t: f64, (t0, t1): (f64, f64)) {
        self.cursor = Some((t1 - t.clamp(t0, t1)).max(0.0));
    }
}

/// The next pane after `from` (or before it, `back`) whose title contains `query`
/// (case-insensitive), wrapping around; `from` itself is checked last.
pub fn find(titles: &[String], query: &str, from: usize, back: bool) -> Option<usize> {
    let n = titles.len();
    if n == 0 || query.is_empty() {
        return None;
    }
    let q = query.to_lowercase();
    (1..=n)
        .map(|k| {
            if back {
                (from + n * 2 - k) % n
            } else {
                (from + k) % n
            }
        })
        .find(|&i| titles[i].to_lowercase().contains(&q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_pan_and_live() {
        let mut n = TimeNav::default();
        assert_eq!(n.window(600.0, 1000.0), (400.0, 1000.0));
        n.zoom(-1, 600.0);
        assert_eq!(n.span, Some(300.0));
        n.zoom(1, 300.0);
        n.zoom(1, 600.0);
        assert_eq!(n.span, Some(900.0));
        n.pan(-1, 900.0, 1000.0);
        assert_eq!(
            n.window(600.0, 5000.0),
            (-125.0, 775.0),
            "a panned window stays put"
        );
        n.pan(1, 900.0, 1000.0);
        assert!(n.is_live(), "panning forward past now is live");
        n.pan(-1, 900.0, 1000.0);
        n.live();
        assert!(n.is_live());
        for _ in 0..40 {
            n.zoom(-1, n.span.unwrap());
        }
        assert_eq!(n.span, Some(15.0), "the shortest span");
    }

    #[test]
    fn the_cursor_moves_by_columns_and_keeps_its_time_on_zoom() {
        let mut n = TimeNav {
            end: Some(1000.0),
            span: Some(600.0),
            ..TimeNav::default()
        };
        n.move_cursor(-1, 600.0, 61);
        assert_eq!(
            n.cursor,
            Some(0.0),
            "the first press lands on the newest point"
        );
        n.move_cursor(-3, 600.0, 61);
        assert_eq!(n.cursor, Some(30.0));
        assert_eq!(n.cursor_at(n.window(0.0, 0.0)), Some(970.0));
        n.zoom(-1, 600.0);
        let (t0, t1) = n.window(0.0, 0.0);
        assert_eq!(
            n.cursor_at((t0, t1)),
            Some(970.0),
            "the cursor's time is kept"
        );
        assert_eq!(t1 - t0, 300.0);
        n.place_cursor(800.0, (t0, t1));
        assert_eq!(n.cursor_at((t0, t1)), Some(800.0));
        n.move_cursor(-10_000, 300.0, 61);
        assert_eq!(n.cursor, Some(300.0), "clamped to the window");
    }

    #[test]
    fn search_wraps_and_goes_both_ways() {
        let t: Vec<String> = ["CPU", "Disk", "cpu steal", "Net"]
            .map(String::from)
            .to_vec();
        assert_eq!(find(&t, "cpu", 0, false), Some(2));
        assert_eq!(find(&t, "cpu", 2, false), Some(0));
        assert_eq!(find(&t, "CPU", 0, true), Some(2));
        assert_eq!(find(&t, "net", 3, false), Some(3), "itself, last");
        assert_eq!(find(&t, "gpu", 0, false), None);
        assert_eq!(find(&t, "", 0, false), None);
    }
}
