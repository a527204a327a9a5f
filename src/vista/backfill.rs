//! History beyond the ring: when a viewer pans a Prometheus pane to a window older than the
//! points the pane holds, the shell asks the server for that window with a range query and the
//! chart draws those points before the ring's. One fetch a pane and window; bounded in points.

use super::config::{PaneDef, SourceDef};
use super::source::prometheus::Client;
use super::state::History;
use std::time::Duration;

/// The most points a backfill asks Prometheus for, per series (its own limit is 11,000).
pub const MAX_POINTS: f64 = 2000.0;

/// Points of one pane's series over one window, from a range query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Backfill {
    /// The pane's id.
    pub pane: String,
    /// The window asked for, unix seconds.
    pub start: f64,
    pub end: f64,
    /// Seconds between points.
    pub step: f64,
    pub series: Vec<History>,
    /// Why the fetch failed, if it did (shown on the status line; the ring still draws).
    pub error: Option<String>,
}

impl Backfill {
    /// Whether this backfill covers `start..end`.
    pub fn covers(&self, start: f64, end: f64) -> bool {
        self.start <= start + self.step && self.end >= end - self.step
    }
}

/// Whether a pane's history can be fetched for any window (a Prometheus query pane).
pub fn can_backfill(def: &PaneDef) -> bool {
    matches!(def.source, SourceDef::Prometheus(_))
}

/// The window a backfill of `start..end` asks for, and its step: a little wider than the
/// window (so a small pan needs no new fetch), about two points a column of `cols`.
pub fn plan(start: f64, end: f64, cols: u16) -> (f64, f64, f64) {
    let span = (end - start).max(1.0);
    let (s, e) = (start - span * 0.25, end + span * 0.25);
    let step = ((e - s) / (f64::from(cols.max(1)) * 2.0))
        .max((e - s) / MAX_POINTS)
        .max(1.0)
        .ceil();
    ((s / step).floor() * step, (e / step).ceil() * step, step)
}

/// Fetches `start..end` of a Prometheus pane (blocking: run it on the blocking pool).
pub fn fetch(def: &PaneDef, start: f64, end: f64, cols: u16) -> Backfill {
    let (s, e, step) = plan(start, end, cols);
    let mut out = Backfill {
        pane: def.id.clone(),
        start: s,
        end: e,
        step,
        ..Backfill::default()
    };
    let SourceDef::Prometheus(q) = &def.source else {
        out.error = Some("only Prometheus panes keep history beyond the ring".into());
        return out;
    };
    let client = Client::with_access(&q.url, &q.access, def.timeout);
    match client.query_range(&q.query, s, e, Duration::from_secs_f64(step)) {
        Ok(series) => {
            out.series = series
                .into_iter()
                .take(super::state::MAX_SERIES)
                .map(|p| History {
                    id: p.key(),
                    label: p.legend(q.legend.as_deref(), &q.query),
                    unit: String::new(),
                    points: p.points,
                })
                .collect();
        }
        Err(e) => out.error = Some(format!("{}: history: {e}", def.id)),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_wider_than_the_window_and_bounded() {
        let (s, e, step) = plan(1000.0, 1600.0, 60);
        assert!(s <= 850.0 && e >= 1750.0, "{s} {e}");
        assert_eq!(step, 8.0);
        let (s, e, step) = plan(0.0, 86_400.0 * 30.0, 500);
        assert!((e - s) / step <= MAX_POINTS + 1.0);
        let b = Backfill {
            start: s,
            end: e,
            step,
            ..Backfill::default()
        };
        assert!(b.covers(0.0, 86_400.0) && !b.covers(-1e7, 0.0));
    }
}
