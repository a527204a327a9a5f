//! What a pane holds between polls: series (rings), lines, the SLO or alerts reading, and how
//! the source is doing. The runner writes it; the UI reads it under the pane's lock.

use super::ring::Ring;
use std::collections::VecDeque;
use std::time::Duration;

/// The most series one pane keeps; a query that returns more shows the first ones and counts the rest.
pub const MAX_SERIES: usize = 32;

/// How a pane's source is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    /// No poll has finished yet.
    #[default]
    Waiting,
    /// The last poll succeeded.
    Ok,
    /// The last poll succeeded, but the current one has been running for longer than two
    /// intervals: the data shown is getting old.
    Stale,
    /// The last poll failed (see `last_error`); earlier data stays visible and the source is
    /// retried with backoff (see `next_poll`).
    Error,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Ok => "ok",
            Status::Stale => "stale",
            Status::Error => "error",
        }
    }
}

/// One time series of a pane.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Stable key within the pane (e.g. `cpu`, `disk:/`, a Prometheus label set).
    pub id: String,
    /// What to print in a legend.
    pub label: String,
    pub unit: String,
    /// `(unix seconds, value)`, oldest first.
    pub points: Ring<(f64, f64)>,
}

impl Series {
    pub fn latest(&self) -> Option<f64> {
        self.points.latest_value()
    }
}

/// One line of a log or list pane.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Index of the first `highlight` pattern that matches the line.
    pub highlight: Option<u8>,
    /// When it was read (unix seconds).
    pub at: f64,
    /// A note from gamelan itself rather than the source ("file truncated", "rotated").
    pub marker: bool,
}

impl Line {
    pub fn new(text: impl Into<String>, highlight: Option<u8>, at: f64) -> Line {
        Line {
            text: text.into(),
            highlight,
            at,
            marker: false,
        }
    }

    pub fn marker(text: impl Into<String>, at: f64) -> Line {
        Line {
            text: text.into(),
            highlight: None,
            at,
            marker: true,
        }
    }
}

/// The state of an SLO at the last poll. Ratios are fractions (0.999), not percents.
#[derive(Debug, Clone, PartialEq)]
pub struct SloReading {
    /// The objective as a fraction (99.9% is 0.999).
    pub objective: f64,
    pub window: Duration,
    pub burn_window: Duration,
    /// Good and total events over `window`.
    pub good: f64,
    pub total: f64,
    /// good / total over `window`; `None` when there was no traffic.
    pub attainment: Option<f64>,
    /// Error budget left over `window`: 1 − (1 − attainment) / (1 − objective). 1 is untouched,
    /// 0 is spent, below 0 is overspent.
    pub budget_left: Option<f64>,
    /// (1 − attainment over `burn_window`) / (1 − objective): 1 spends the budget exactly over
    /// the window; 14.4 over 1h is the classic fast-burn page.
    pub burn_rate: Option<f64>,
    /// When it was read (unix seconds).
    pub at: f64,
}

/// One alert from Prometheus.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertItem {
    pub name: String,
    /// `firing` or `pending`.
    pub state: String,
    /// The `severity` label, empty when absent.
    pub severity: String,
    /// The `summary` annotation (or `description`, or `message`), empty when absent.
    pub summary: String,
    /// The other labels, `key=value` joined by spaces.
    pub labels: String,
    /// When it became active (unix seconds).
    pub active_at: Option<f64>,
    pub value: String,
}

impl AlertItem {
    pub fn is_firing(&self) -> bool {
        self.state == "firing"
    }
}

/// A value of one series at one time, as a source reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub value: f64,
}

/// A whole series history, as a range query reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub points: Vec<(f64, f64)>,
}

/// What one successful poll produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// One value per series at `at`, appended to each series.
    Values {
        at: f64,
        values: Vec<Value>,
    },
    /// Whole histories: the pane's series become exactly these.
    History(Vec<History>),
    /// The newest part of the histories a range query keeps up to date: every series' points
    /// from `from` on become exactly these (a series without any keeps only its older ones),
    /// points before `start` (the window's edge) go, and a series left empty goes. The pane
    /// ends as a whole [`Reading::History`] of `start..` would leave it, when the points before
    /// `from` did not change on the server.
    Tail {
        from: f64,
        start: f64,
        histories: Vec<History>,
    },
    /// Lines, either replacing what the pane shows or appended to it.
    Lines {
        lines: Vec<Line>,
        replace: bool,
    },
    Slo(SloReading),
    Alerts(Vec<AlertItem>),
    /// Alert groups and silences from Alertmanager: they replace the last ones.
    Alertmanager(super::alert_groups::AlertGroups),
}

/// Everything a pane shows, plus how its source is doing.
#[derive(Debug, Clone)]
pub struct PaneState {
    pub status: Status,
    pub series: Vec<Series>,
    /// Series the source reported beyond [`MAX_SERIES`] at the last poll (not shown).
    pub hidden_series: usize,
    /// Log or list lines, oldest first, at most `line_capacity`.
    pub lines: VecDeque<Line>,
    pub line_capacity: usize,
    pub slo: Option<SloReading>,
    pub alerts: Vec<AlertItem>,
    /// An Alertmanager pane's groups and silences.
    pub alert_groups: Option<super::alert_groups::AlertGroups>,
    /// Unix seconds of the last successful poll.
    pub last_success: Option<f64>,
    /// The last failure; kept after recovery so the UI can say "recovered".
    pub last_error: Option<PaneError>,
    /// Failures in a row (0 when the last poll succeeded).
    pub failures: u32,
    /// Unix seconds of the next poll (a retry when failing).
    pub next_poll: Option<f64>,
    /// How long the last finished poll took.
    pub last_duration: Option<Duration>,
    /// Polls finished, successful or not.
    pub polls: u64,
    /// Bumped on every change; the UI can skip redrawing a pane whose version it has drawn.
    pub version: u64,
    history: usize,
}

/// A source failure.
#[derive(Debug, Clone, PartialEq)]
pub struct PaneError {
    pub message: String,
    /// Unix seconds.
    pub at: f64,
}

impl PaneState {
    /// An empty pane keeping `history` points per series and `line_capacity` lines.
    pub fn new(history: usize, line_capacity: usize) -> PaneState {
        PaneState {
            status: Status::Waiting,
            series: Vec::new(),
            hidden_series: 0,
            lines: VecDeque::with_capacity(line_capacity.clamp(1, 10_000)),
            line_capacity: line_capacity.max(1),
            slo: None,
            alerts: Vec::new(),
            alert_groups: None,
            last_success: None,
            last_error: None,
            failures: 0,
            next_poll: None,
            last_duration: None,
            polls: 0,
            version: 0,
            history: history.max(1),
        }
    }

    /// Points kept per series.
    pub fn history(&self) -> usize {
        self.history
    }

    pub fn series(&self, id: &str) -> Option<&Series> {
        self.series.iter().find(|s| s.id == id)
    }

    /// Whether any data (series, lines, SLO, alerts) has ever arrived.
    pub fn has_data(&self) -> bool {
        self.last_success.is_some()
    }

    /// The error shown now: the last error while the pane is failing.
    pub fn current_error(&self) -> Option<&PaneError> {
        if self.status == Status::Error {
            self.last_error.as_ref()
        } else {
            None
        }
    }

    fn series_mut(&mut self, id: &str, label: &str, unit: &str) -> Option<&mut Series> {
        let i = match self.series.iter().position(|s| s.id == id) {
            Some(i) => i,
            None if self.series.len() < MAX_SERIES => {
                self.series.push(Series {
                    id: id.into(),
                    label: label.into(),
                    unit: unit.into(),
                    points: Ring::new(self.history),
                });
                self.series.len() - 1
            }
            None => return None,
        };
        let s = &mut self.series[i];
        if s.label != label {
            label.clone_into(&mut s.label);
        }
        if s.unit != unit {
            unit.clone_into(&mut s.unit);
        }
        Some(s)
    }

    /// Takes in a successful poll's reading.
    pub fn apply(&mut self, reading: Reading, now: f64) {
        match reading {
            Reading::Values { at, values } => {
                self.hidden_series = 0;
                for v in values {
                    match self.series_mut(&v.id, &v.label, &v.unit) {
                        Some(s) if v.value.is_finite() => s.points.push((at, v.value)),
                        Some(_) => {}
                        None => self.hidden_series += 1,
                    }
                }
            }
            Reading::History(histories) => {
                self.hidden_series = 0;
                let mut keep = Vec::with_capacity(histories.len());
                for h in histories {
                    match self.series_mut(&h.id, &h.label, &h.unit) {
                        Some(s) => {
                            s.points
                                .replace_with(h.points.into_iter().filter(|p| p.1.is_finite()));
                            keep.push(h.id);
                        }
                        None => self.hidden_series += 1,
                    }
                }
                self.series.retain(|s| keep.contains(&s.id));
            }
            Reading::Tail {
                from,
                start,
                histories,
            } => {
                for s in &mut self.series {
                    s.points.pop_back_while(|p| p.0 >= from);
                    s.points.pop_front_while(|p| p.0 < start);
                }
                for h in histories {
                    if let Some(s) = self.series_mut(&h.id, &h.label, &h.unit) {
                        for p in h
                            .points
                            .into_iter()
                            .filter(|p| p.0 >= from && p.1.is_finite())
                        {
                            s.points.push(p);
                        }
                    }
                }
                self.series.retain(|s| !s.points.is_empty());
            }
            Reading::Lines { lines, replace } => {
                if replace {
                    self.lines.clear();
                }
                let skip = lines.len().saturating_sub(self.line_capacity);
                for l in lines.into_iter().skip(skip) {
                    if self.lines.len() == self.line_capacity {
                        self.lines.pop_front();
                    }
                    self.lines.push_back(l);
                }
            }
            Reading::Slo(slo) => {
                let at = slo.at;
                if let Some(a) = slo.attainment
                    && let Some(s) = self.series_mut("attainment", "attainment", "%")
                {
                    s.points.push((at, a * 100.0));
                }
                if let Some(b) = slo.burn_rate
                    && let Some(s) = self.series_mut(
                        "burn_rate",
                        &format!(
                            "burn rate ({})",
                            super::time::format_duration(slo.burn_window)
                        ),
                        "x",
                    )
                {
                    s.points.push((at, b));
                }
                if let Some(b) = slo.budget_left
                    && let Some(s) = self.series_mut("budget_left", "error budget left", "%")
                {
                    s.points.push((at, b * 100.0));
                }
                self.slo = Some(slo);
            }
            Reading::Alerts(alerts) => self.alerts = alerts,
            Reading::Alertmanager(groups) => self.alert_groups = Some(groups),
        }
        self.status = Status::Ok;
        self.failures = 0;
        self.last_success = Some(now);
    }

    /// Records a failed poll; the data already held stays.
    pub fn fail(&mut self, message: String, now: f64) {
        self.status = Status::Error;
        self.failures = self.failures.saturating_add(1);
        self.last_error = Some(PaneError { message, at: now });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(id: &str, value: f64) -> Value {
        Value {
            id: id.into(),
            label: id.into(),
            unit: String::new(),
            value,
        }
    }

    #[test]
    fn values_append_and_errors_keep_data() {
        let mut p = PaneState::new(3, 5);
        for t in 0..5 {
            p.apply(
                Reading::Values {
                    at: f64::from(t),
                    values: vec![v("a", f64::from(t)), v("b", f64::NAN)],
                },
                0.0,
            );
        }
        assert_eq!(p.series("a").unwrap().points.len(), 3);
        assert!(
            p.series("b").unwrap().points.is_empty(),
            "NaN is not plotted"
        );
        p.fail("boom".into(), 9.0);
        assert_eq!(p.status, Status::Error);
        assert_eq!(p.series("a").unwrap().latest(), Some(4.0));
        p.apply(
            Reading::History(vec![History {
                id: "c".into(),
                label: "c".into(),
                unit: String::new(),
                points: vec![(1.0, 1.0)],
            }]),
            10.0,
        );
        assert_eq!(p.series.len(), 1, "a history replaces the series");
        assert_eq!((p.status, p.failures), (Status::Ok, 0));
    }

    fn history(id: &str, points: &[(f64, f64)]) -> History {
        History {
            id: id.into(),
            label: id.into(),
            unit: String::new(),
            points: points.to_vec(),
        }
    }

    #[test]
    fn a_tail_leaves_what_a_whole_history_would() {
        let pts = |r: std::ops::Range<i32>| -> Vec<(f64, f64)> {
            r.map(|t| (f64::from(t), f64::from(t) * 2.0)).collect()
        };
        let mut tail = PaneState::new(100, 1);
        tail.apply(
            Reading::History(vec![history("a", &pts(0..10)), history("b", &pts(0..2))]),
            0.0,
        );
        // The window moved on to 2..12; point 9 changed on the server, 10 and 11 are new; b has
        // nothing after 2 and its old points left the window; c is empty.
        let mut new_a = pts(9..12);
        new_a[0].1 = -1.0;
        tail.apply(
            Reading::Tail {
                from: 9.0,
                start: 2.0,
                histories: vec![history("a", &new_a)],
            },
            1.0,
        );
        let mut a = pts(2..12);
        a[7].1 = -1.0;
        let mut whole = PaneState::new(100, 1);
        whole.apply(Reading::History(vec![history("a", &a)]), 1.0);
        let points = |p: &PaneState| -> Vec<Vec<(f64, f64)>> {
            p.series
                .iter()
                .map(|s| s.points.iter().copied().collect())
                .collect()
        };
        assert_eq!(points(&tail), points(&whole));
        assert_eq!(tail.series.len(), 1, "b left the window");
        assert_eq!(tail.status, Status::Ok);
    }

    #[test]
    fn lines_are_bounded() {
        let mut p = PaneState::new(3, 2);
        p.apply(
            Reading::Lines {
                lines: (0..5)
                    .map(|i| Line::new(i.to_string(), None, 0.0))
                    .collect(),
                replace: false,
            },
            0.0,
        );
        p.apply(
            Reading::Lines {
                lines: vec![Line::new("x", Some(0), 0.0)],
                replace: false,
            },
            0.0,
        );
        assert_eq!(
            p.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            vec!["4", "x"]
        );
    }
}
