//! Prometheus sources over its HTTP API (`/api/v1/query`, `/api/v1/query_range`,
//! `/api/v1/alerts`), with a small blocking client ([`Client`]) that `gamelan capture` uses too.
//! Credentials, headers, the CA and the errors that say what to fix are [`super::http`]'s.

use crate::vista::config::{PromAlerts, PromQuery, PromSlo, QueryMode};
use crate::vista::state::{AlertItem, History, Reading, SloReading, Value};
use crate::vista::time::{now_unix, prometheus_duration};
use std::time::Duration;

mod client;
mod series;

pub use client::Client;
pub use series::{PromSeries, parse_result};

/// `type = "prometheus"`.
pub struct QuerySource {
    def: PromQuery,
    client: Client,
    /// A range pane's history as far as the server was asked for it (see [`RangeTail`]).
    tail: RangeTail,
}

/// How long after its time a range query's point may still change on the server (a scrape
/// still running, a late sample): until then it is asked for again. Prometheus' default scrape
/// timeout is 10 s.
pub const SETTLE: f64 = 30.0;

/// What a range pane already holds, so that each poll asks only for the points that are new or
/// may still change: a poll at a 1 s refresh of a 1-day chart at a 5-minute step asks for
/// nothing most seconds, instead of the whole window again.
#[derive(Debug, Clone, Default)]
pub struct RangeTail {
    /// The newest point time asked for, and the label sets the server answered with.
    until: Option<f64>,
    ids: std::collections::BTreeSet<String>,
}

/// What one range poll asks for: `None` for the whole window, `Some(from)` for only the points
/// from `from` to `end` (after `end` when nothing needs asking).
pub fn tail_from(held: Option<f64>, start: f64, end: f64, step: f64, now: f64) -> Option<f64> {
    let until = held?;
    if until < start || until > end {
        return None;
    }
    let unsettled = ((now - SETTLE) / step).ceil() * step;
    Some((until + step).min(unsettled).max(start))
}

impl QuerySource {
    pub fn new(def: PromQuery, timeout: Duration) -> QuerySource {
        QuerySource {
            client: Client::with_access(&def.url, &def.access, timeout),
            def,
            tail: RangeTail::default(),
        }
    }

    fn histories(&self, series: Vec<PromSeries>) -> Vec<History> {
        let legend = self.def.legend.as_deref();
        series
            .into_iter()
            .map(|s| History {
                id: s.key(),
                label: s.legend(legend, &self.def.query),
                unit: String::new(),
                points: s.points,
            })
            .collect()
    }

    /// A range poll: the whole window the first time (or after a gap wider than it, or a series
    /// the pane has not seen), else only the new and unsettled points.
    fn poll_range(&mut self, now: f64) -> Result<Reading, String> {
        let step = self.def.step.as_secs_f64().max(0.001);
        let end = (now / step).floor() * step;
        // On the step's grid, so that every poll's points fall on the same times.
        let start = ((end - self.def.window.as_secs_f64()) / step).ceil() * step;
        if let Some(from) = tail_from(self.tail.until, start, end, step, now) {
            let series = if from > end {
                Vec::new()
            } else {
                self.client
                    .query_range(&self.def.query, from, end, self.def.step)?
            };
            if series.iter().all(|s| self.tail.ids.contains(&s.key())) {
                self.tail.until = Some(end);
                return Ok(Reading::Tail {
                    from,
                    start,
                    histories: self.histories(series),
                });
            }
        }
        let series = self
            .client
            .query_range(&self.def.query, start, end, self.def.step)?;
        self.tail.ids = series.iter().map(PromSeries::key).collect();
        self.tail.until = Some(end);
        Ok(Reading::History(self.histories(series)))
    }
}

impl super::BlockingSource for QuerySource {
    fn poll(&mut self) -> Result<Reading, String> {
        let now = now_unix();
        let legend = self.def.legend.as_deref();
        match self.def.mode {
            QueryMode::Instant => {
                let series = self.client.query(&self.def.query, None)?;
                let values = series
                    .iter()
                    .filter_map(|s| {
                        let (_, v) = *s.points.last()?;
                        Some(Value {
                            id: s.key(),
                            label: s.legend(legend, &self.def.query),
                            unit: String::new(),
                            value: v,
                        })
                    })
                    .collect();
                Ok(Reading::Values { at: now, values })
            }
            QueryMode::Range => self.poll_range(now),
        }
    }
}

/// `type = "prometheus_slo"`.
pub struct SloSource {
    def: PromSlo,
    client: Client,
}

impl SloSource {
    pub fn new(def: PromSlo, timeout: Duration) -> SloSource {
        SloSource {
            client: Client::with_access(&def.url, &def.access, timeout),
            def,
        }
    }

    /// Events counted by `expr` over the `window` ending at `now`: with `$window` in the
    /// expression, its value now; else the growth of the (counter) expression across the window,
    /// counting a series that did not exist at the start as 0.
    fn count(&self, expr: &str, window: Duration, now: f64) -> Result<f64, String> {
        let sum = |series: Vec<PromSeries>| {
            series
                .iter()
                .filter_map(|s| s.points.last())
                .map(|p| p.1)
                .filter(|v| v.is_finite())
                .sum::<f64>()
        };
        if expr.contains("$window") {
            let q = expr.replace("$window", &prometheus_duration(window));
            Ok(sum(self.client.query(&q, Some(now))?))
        } else {
            let end = sum(self.client.query(expr, Some(now))?);
            let start = sum(self.client.query(expr, Some(now - window.as_secs_f64()))?);
            Ok((end - start).max(0.0))
        }
    }
}

/// Attainment, budget left and burn rate from good/total counts (objective as a fraction).
pub fn slo_figures(good: f64, total: f64, objective: f64) -> (Option<f64>, Option<f64>) {
    if total <= 0.0 || !total.is_finite() {
        return (None, None);
    }
    let attainment = (good / total).clamp(0.0, 1.0);
    let burn = (1.0 - attainment) / (1.0 - objective);
    (Some(attainment), Some(burn))
}

impl super::BlockingSource for SloSource {
    fn poll(&mut self) -> Result<Reading, String> {
        let now = now_unix();
        let objective = self.def.objective / 100.0;
        let good = self
            .count(&self.def.good, self.def.window, now)
            .map_err(|e| format!("good: {e}"))?;
        let total = self
            .count(&self.def.total, self.def.window, now)
            .map_err(|e| format!("total: {e}"))?;
        let (attainment, spent) = slo_figures(good, total, objective);
        // Over the SLO window, "burn" is the share of the budget spent.
        let burn_rate = if self.def.burn_window == self.def.window {
            spent
        } else {
            let g = self
                .count(&self.def.good, self.def.burn_window, now)
                .map_err(|e| format!("good: {e}"))?;
            let t = self
                .count(&self.def.total, self.def.burn_window, now)
                .map_err(|e| format!("total: {e}"))?;
            slo_figures(g, t, objective).1
        };
        Ok(Reading::Slo(SloReading {
            objective,
            window: self.def.window,
            burn_window: self.def.burn_window,
            good,
            total,
            attainment,
            budget_left: spent.map(|s| 1.0 - s),
            burn_rate,
            at: now,
        }))
    }
}

/// `type = "prometheus_alerts"`.
pub struct AlertsSource {
    def: PromAlerts,
    client: Client,
}

impl AlertsSource {
    pub fn new(def: PromAlerts, timeout: Duration) -> AlertsSource {
        AlertsSource {
            client: Client::with_access(&def.url, &def.access, timeout),
            def,
        }
    }
}

impl super::BlockingSource for AlertsSource {
    fn poll(&mut self) -> Result<Reading, String> {
        let mut alerts = self.client.alerts()?;
        if !self.def.pending {
            alerts.retain(AlertItem::is_firing);
        }
        Ok(Reading::Alerts(alerts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value as Json;

    #[test]
    fn results_and_legends() {
        let data: Json = serde_json::from_str(
            r#"{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"p"},"value":[1.5,"1"]},{"metric":{},"value":[1.5,"NaN"]}]}"#,
        )
        .unwrap();
        let s = parse_result(&data).unwrap();
        assert_eq!(s[0].key(), "up{job=\"p\"}");
        assert_eq!(s[0].legend(None, "q"), "up{job=\"p\"}");
        assert_eq!(s[0].legend(Some("{{job}} / {{ instance }}"), "q"), "p / ");
        assert_eq!(s[1].legend(None, "sum(x)"), "sum(x)");
        assert!(s[1].points[0].1.is_nan());
        let (a, burn) = slo_figures(999.0, 1000.0, 0.999);
        assert!((a.unwrap() - 0.999).abs() < 1e-12 && (burn.unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(slo_figures(0.0, 0.0, 0.999), (None, None));
    }

    #[test]
    fn range_polls_ask_only_for_new_and_unsettled_points() {
        let (start, end, step) = (288.0, 86_400.0, 288.0);
        assert_eq!(
            tail_from(None, start, end, step, end + 1.0),
            None,
            "first poll: all"
        );
        assert_eq!(
            tail_from(Some(100.0), start, end, step, end + 1.0),
            None,
            "a gap wider than the window: all"
        );
        assert_eq!(
            tail_from(Some(end + step), start, end, step, end),
            None,
            "the clock went back: all"
        );
        // Just after a new point: ask again for it until it settles.
        let from = tail_from(Some(end), start, end, step, end + 1.0).unwrap();
        assert_eq!(from, end);
        // Settled, nothing new: nothing to ask (from is past end).
        let from = tail_from(Some(end), start, end, step, end + SETTLE + 1.0).unwrap();
        assert!(from > end, "{from}");
        // The step crossed: the new point only.
        let from = tail_from(Some(end - step), start, end, step, end + SETTLE + 1.0).unwrap();
        assert_eq!(from, end);
        // A small step: the last SETTLE seconds, not the whole window.
        let from = tail_from(Some(end), end - 600.0, end, 1.0, end + 0.5).unwrap();
        assert_eq!(from, end - 29.0);
    }
}
