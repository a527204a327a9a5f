//! The compiled vista: plain values the runner and the UI use, every default resolved.

use super::datasource::Access;
use crate::vista::time::format_duration;
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// A whole vista: defaults from `[vista]` already applied to every pane.
#[derive(Debug, Clone, PartialEq)]
pub struct VistaConfig {
    pub title: String,
    /// Default poll interval of a pane.
    pub refresh: Duration,
    /// Default time a poll may take before it counts as failed.
    pub timeout: Duration,
    /// Longest wait between retries of a failing source.
    pub max_backoff: Duration,
    /// Panes are laid out in order, left to right, into this many columns.
    pub columns: u16,
    /// Points kept per series.
    pub history: usize,
    pub panes: Vec<PaneDef>,
    /// Where deploy and change markers come from (`[[annotations]]`).
    pub annotations: Vec<super::annotations::AnnotationDef>,
}

/// One pane: what it shows, how, and the tour note.
#[derive(Debug, Clone, PartialEq)]
pub struct PaneDef {
    pub id: String,
    pub title: String,
    pub kind: Display,
    /// The tour text: what to look for here.
    pub note: String,
    pub refresh: Duration,
    pub timeout: Duration,
    /// Columns this pane spans (1..=columns).
    pub span: u16,
    /// Relative height of the pane's row (the tallest pane of a row sets it).
    pub height: u16,
    /// Unit shown beside values (the source's own unit when empty).
    pub unit: String,
    /// Scale of a gauge or chart; found from the data when absent.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Values at or past these are shown as warning / critical (direction from warn < crit).
    pub warn: Option<f64>,
    pub crit: Option<f64>,
    pub source: SourceDef,
}

impl PaneDef {
    /// How a value compares with the pane's thresholds.
    pub fn level(&self, value: f64) -> Level {
        let rising = match (self.warn, self.crit) {
            (Some(w), Some(c)) => c >= w,
            _ => true,
        };
        let past = |t: f64| if rising { value >= t } else { value <= t };
        if self.crit.is_some_and(past) {
            Level::Critical
        } else if self.warn.is_some_and(past) {
            Level::Warning
        } else {
            Level::Normal
        }
    }
}

/// Threshold level of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Normal,
    Warning,
    Critical,
}

/// How a pane draws its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Display {
    /// Line chart of every series over time.
    Chart,
    /// The latest value of each series as a bar between min and max.
    Gauge,
    /// The latest value of each series as a table, or the lines of a list source.
    List,
    /// The tail of a log, newest at the bottom, with highlights.
    Log,
    /// SLO attainment, burn rate and error budget left.
    Slo,
    /// Firing (and optionally pending) alerts.
    Alerts,
}

impl Display {
    pub fn label(self) -> &'static str {
        match self {
            Display::Chart => "chart",
            Display::Gauge => "gauge",
            Display::List => "list",
            Display::Log => "log",
            Display::Slo => "slo",
            Display::Alerts => "alerts",
        }
    }
}

/// Where a pane's data comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceDef {
    Prometheus(PromQuery),
    PrometheusSlo(PromSlo),
    PrometheusAlerts(PromAlerts),
    Command(CommandDef),
    Host(HostDef),
    File(FileDef),
    Alertmanager(AmAlerts),
}

impl SourceDef {
    pub fn type_name(&self) -> &'static str {
        self.source_type().label()
    }

    pub fn source_type(&self) -> SourceType {
        match self {
            SourceDef::Prometheus(_) => SourceType::Prometheus,
            SourceDef::PrometheusSlo(_) => SourceType::PrometheusSlo,
            SourceDef::PrometheusAlerts(_) => SourceType::PrometheusAlerts,
            SourceDef::Command(_) => SourceType::Command,
            SourceDef::Host(_) => SourceType::Host,
            SourceDef::File(_) => SourceType::File,
            SourceDef::Alertmanager(_) => SourceType::Alertmanager,
        }
    }

    /// A one-line description for the pane's border or the tour ("prometheus: up", "file: /var/log/syslog").
    pub fn describe(&self) -> String {
        match self {
            SourceDef::Prometheus(q) => format!("prometheus {}: {}", q.mode.label(), q.query),
            SourceDef::PrometheusSlo(s) => {
                format!("SLO {}% over {}", s.objective, format_duration(s.window))
            }
            SourceDef::PrometheusAlerts(a) => format!("alerts from {}", a.url),
            SourceDef::Command(c) => format!("$ {}", c.command),
            SourceDef::Host(h) => {
                format!(
                    "host: {}",
                    h.metrics
                        .iter()
                        .map(|m| m.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            SourceDef::File(f) => format!("file: {}", f.path.display()),
            SourceDef::Alertmanager(a) => format!("alert groups from {}", a.url),
        }
    }
}

/// `type = "prometheus"`: a PromQL query, instant (one value per poll) or range (the last `window`).
#[derive(Debug, Clone, PartialEq)]
pub struct PromQuery {
    pub url: String,
    pub query: String,
    pub mode: QueryMode,
    /// Resolution of a range query.
    pub step: Duration,
    /// How far back a range query looks.
    pub window: Duration,
    /// Series label template: `{{label}}` is replaced by the label's value.
    pub legend: Option<String>,
    /// Credentials, headers and CA of the server.
    pub access: Access,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryMode {
    Instant,
    Range,
}

impl QueryMode {
    pub fn label(self) -> &'static str {
        match self {
            QueryMode::Instant => "instant",
            QueryMode::Range => "range",
        }
    }
}

/// `type = "prometheus_slo"`: attainment = good / total over `window`, burn rate over `burn_window`.
#[derive(Debug, Clone, PartialEq)]
pub struct PromSlo {
    pub url: String,
    /// PromQL counting good events; `$window` is replaced by the window, else the expression is
    /// taken as a cumulative counter and differenced across the window.
    pub good: String,
    pub total: String,
    /// Objective in percent, e.g. 99.9.
    pub objective: f64,
    pub window: Duration,
    pub burn_window: Duration,
    pub access: Access,
}

/// `type = "prometheus_alerts"`: the server's alerts from `/api/v1/alerts`.
#[derive(Debug, Clone, PartialEq)]
pub struct PromAlerts {
    pub url: String,
    /// Also list pending alerts (firing ones always show).
    pub pending: bool,
    pub access: Access,
}

/// `type = "alertmanager"`: alert groups, silences and inhibitions from Alertmanager's API v2.
#[derive(Debug, Clone, PartialEq)]
pub struct AmAlerts {
    pub url: String,
    pub access: Access,
    /// Labels the alerts are grouped by; empty: the groups Alertmanager's routes make.
    pub group_by: Vec<String>,
    /// Alertmanager matchers (`severity="page"`) an alert must match to be listed.
    pub filter: Vec<String>,
    /// List silenced alerts (muted, with the silence); else only the count.
    pub silenced: bool,
    /// List inhibited alerts (muted, with what inhibits them); else only the count.
    pub inhibited: bool,
    /// List the active and pending silences.
    pub silences: bool,
}

/// `type = "command"`: a shell command run with `sh -c` each interval.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandDef {
    pub command: String,
    pub parse: Parse,
    /// Lines kept (`parse = "lines"`).
    pub lines: usize,
    /// Names for numbers found by position (`parse = "numbers"`).
    pub names: Vec<String>,
    pub highlight: Vec<Highlight>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Parse {
    /// Every number in the output is a series value (`name=value` names it).
    Numbers,
    /// The last lines of the output.
    Lines,
}

/// `type = "host"`: this machine (Linux or macOS).
#[derive(Debug, Clone, PartialEq)]
pub struct HostDef {
    pub metrics: Vec<HostMetric>,
    /// Lines of the process list (`metrics = ["processes"]`), its header included.
    pub lines: usize,
}

impl HostDef {
    /// Whether this is the process list (lines, not series).
    pub fn is_processes(&self) -> bool {
        self.metrics == [HostMetric::Processes]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HostMetric {
    /// Busy CPU percent across all cores.
    Cpu,
    /// Memory used percent (total minus available).
    Memory,
    /// Load average 1/5/15 minutes.
    Load,
    /// Used percent of each real mounted filesystem.
    Disk,
    /// Received and sent bytes per second over every interface but loopback.
    Net,
    /// The busiest processes (CPU and memory share, name): a list of lines, on a pane of its own.
    Processes,
}

impl HostMetric {
    /// The metrics of a host source that names none: every series (not `processes`).
    pub const ALL: [HostMetric; 5] = [
        HostMetric::Cpu,
        HostMetric::Memory,
        HostMetric::Load,
        HostMetric::Disk,
        HostMetric::Net,
    ];

    pub fn label(self) -> &'static str {
        match self {
            HostMetric::Cpu => "cpu",
            HostMetric::Memory => "memory",
            HostMetric::Load => "load",
            HostMetric::Disk => "disk",
            HostMetric::Net => "net",
            HostMetric::Processes => "processes",
        }
    }
}

/// `type = "file"`: the tail of a (log) file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileDef {
    pub path: PathBuf,
    pub lines: usize,
    pub highlight: Vec<Highlight>,
}

/// A highlight pattern: a regular expression (a plain word matches itself).
#[derive(Debug, Clone)]
pub struct Highlight {
    pub pattern: String,
    pub regex: regex::Regex,
}

impl Highlight {
    pub fn new(pattern: &str) -> Result<Highlight, String> {
        regex::Regex::new(pattern)
            .map(|regex| Highlight {
                pattern: pattern.to_string(),
                regex,
            })
            .map_err(|e| {
                format!(
                    "bad highlight pattern `{pattern}`: {}",
                    e.to_string().lines().last().unwrap_or("")
                )
            })
    }

    /// Index of the first pattern that matches `line`.
    pub fn first_match(patterns: &[Highlight], line: &str) -> Option<u8> {
        patterns
            .iter()
            .position(|h| h.regex.is_match(line))
            .map(|i| i.min(255) as u8)
    }
}

impl PartialEq for Highlight {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern
    }
}

/// The source types, as written in `type = "..."`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    Prometheus,
    PrometheusSlo,
    PrometheusAlerts,
    Command,
    Host,
    File,
    Alertmanager,
}

impl SourceType {
    pub fn label(self) -> &'static str {
        match self {
            SourceType::Prometheus => "prometheus",
            SourceType::PrometheusSlo => "prometheus_slo",
            SourceType::PrometheusAlerts => "prometheus_alerts",
            SourceType::Command => "command",
            SourceType::Host => "host",
            SourceType::File => "file",
            SourceType::Alertmanager => "alertmanager",
        }
    }

    /// The fields a source of this type takes (besides `type`).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            SourceType::Prometheus => &[
                "url",
                "datasource",
                "query",
                "mode",
                "step",
                "window",
                "legend",
            ],
            SourceType::PrometheusSlo => &[
                "url",
                "datasource",
                "good",
                "total",
                "objective",
                "window",
                "burn_window",
            ],
            SourceType::PrometheusAlerts => &["url", "datasource", "pending"],
            SourceType::Command => &["command", "parse", "lines", "names", "highlight"],
            SourceType::Host => &["metrics", "lines"],
            SourceType::File => &["path", "lines", "highlight"],
            SourceType::Alertmanager => &[
                "url",
                "datasource",
                "group_by",
                "filter",
                "silenced",
                "inhibited",
                "silences",
            ],
        }
    }
}

/// The display used when a pane does not name one.
pub fn default_kind(source: &SourceDef) -> Display {
    match source {
        SourceDef::Host(h) if h.is_processes() => Display::List,
        SourceDef::Prometheus(_) | SourceDef::Host(_) => Display::Chart,
        SourceDef::PrometheusSlo(_) => Display::Slo,
        SourceDef::PrometheusAlerts(_) | SourceDef::Alertmanager(_) => Display::Alerts,
        SourceDef::Command(c) if c.parse == Parse::Lines => Display::Log,
        SourceDef::Command(_) => Display::Chart,
        SourceDef::File(_) => Display::Log,
    }
}

/// The displays that can show a source.
pub fn kinds_for(source: &SourceDef) -> &'static [Display] {
    use Display::*;
    match source {
        SourceDef::Host(h) if h.is_processes() => &[List, Log],
        SourceDef::Prometheus(_) | SourceDef::Host(_) => &[Chart, Gauge, List],
        SourceDef::PrometheusSlo(_) => &[Slo, Chart, Gauge, List],
        SourceDef::PrometheusAlerts(_) => &[Alerts, List],
        SourceDef::Alertmanager(_) => &[Alerts],
        SourceDef::Command(c) if c.parse == Parse::Lines => &[Log, List],
        SourceDef::Command(_) => &[Chart, Gauge, List],
        SourceDef::File(_) => &[Log, List],
    }
}
