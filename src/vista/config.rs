//! `vista.toml`: the panes of the morning vista and where their data comes from
//! (docs/vista-format.md). The file is read in two steps: serde reads the *spec* types, which
//! keep the position of every value, then [`compile_panes`] checks them and resolves defaults
//! into the plain [`PaneDef`] the runner and the UI use. A scenario can embed the same
//! `[[panes]]` tables: deserialize `Vec<Spanned<PaneSpec>>` and call [`compile_panes`].

use super::time::{format_duration, parse_duration};
use crate::config::Paths;
use crate::diag::{Diagnostic, parse_toml};
use serde::Deserialize;
use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;

/// The file name of the user's vista in the config directory.
pub const FILE_NAME: &str = "vista.toml";

/// Most columns a vista may have.
pub const MAX_COLUMNS: u16 = 12;
/// Lowest refresh interval accepted.
pub const MIN_REFRESH: Duration = Duration::from_millis(100);

/// Where the user's vista lives: `<config dir>/vista.toml`.
pub fn default_path(paths: &Paths) -> PathBuf {
    paths.config.join(FILE_NAME)
}

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
}

/// `type = "prometheus_alerts"`: the server's alerts from `/api/v1/alerts`.
#[derive(Debug, Clone, PartialEq)]
pub struct PromAlerts {
    pub url: String,
    /// Also list pending alerts (firing ones always show).
    pub pending: bool,
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

/// `type = "host"`: this machine, from /proc and statvfs.
#[derive(Debug, Clone, PartialEq)]
pub struct HostDef {
    pub metrics: Vec<HostMetric>,
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
}

impl HostMetric {
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
        }
    }

    /// The fields a source of this type takes (besides `type`).
    fn fields(self) -> &'static [&'static str] {
        match self {
            SourceType::Prometheus => &["url", "query", "mode", "step", "window", "legend"],
            SourceType::PrometheusSlo => {
                &["url", "good", "total", "objective", "window", "burn_window"]
            }
            SourceType::PrometheusAlerts => &["url", "pending"],
            SourceType::Command => &["command", "parse", "lines", "names", "highlight"],
            SourceType::Host => &["metrics"],
            SourceType::File => &["path", "lines", "highlight"],
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The file as written.

/// The whole file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VistaFileSpec {
    pub vista: Option<VistaSpec>,
    #[serde(default)]
    pub panes: Vec<Spanned<PaneSpec>>,
}

/// `[vista]` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VistaSpec {
    pub title: Option<String>,
    pub refresh: Option<Spanned<String>>,
    pub timeout: Option<Spanned<String>>,
    pub max_backoff: Option<Spanned<String>>,
    pub columns: Option<Spanned<u16>>,
    pub history: Option<Spanned<usize>>,
    /// Default `url` of every Prometheus source.
    pub prometheus: Option<String>,
}

/// `[[panes]]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaneSpec {
    pub id: Spanned<String>,
    pub title: Option<String>,
    pub kind: Option<Spanned<Display>>,
    #[serde(default)]
    pub note: String,
    pub refresh: Option<Spanned<String>>,
    pub timeout: Option<Spanned<String>>,
    pub span: Option<Spanned<u16>>,
    pub height: Option<Spanned<u16>>,
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub warn: Option<f64>,
    pub crit: Option<f64>,
    pub source: Spanned<SourceSpec>,
}

/// A pane's `source` table as written: every field of every type, checked against `type`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    #[serde(rename = "type")]
    pub kind: Spanned<SourceType>,
    pub url: Option<Spanned<String>>,
    pub query: Option<Spanned<String>>,
    pub mode: Option<Spanned<QueryMode>>,
    pub step: Option<Spanned<String>>,
    pub window: Option<Spanned<String>>,
    pub legend: Option<Spanned<String>>,
    pub good: Option<Spanned<String>>,
    pub total: Option<Spanned<String>>,
    pub objective: Option<Spanned<f64>>,
    pub burn_window: Option<Spanned<String>>,
    pub pending: Option<Spanned<bool>>,
    pub command: Option<Spanned<String>>,
    pub parse: Option<Spanned<Parse>>,
    pub lines: Option<Spanned<usize>>,
    pub names: Option<Spanned<Vec<String>>>,
    pub highlight: Option<Spanned<Vec<Spanned<String>>>>,
    pub metrics: Option<Spanned<Vec<HostMetric>>>,
    pub path: Option<Spanned<String>>,
}

impl SourceSpec {
    /// The fields that were written, with their spans.
    fn present(&self) -> Vec<(&'static str, Range<usize>)> {
        let mut out = Vec::new();
        let mut add = |name: &'static str, span: Option<Range<usize>>| {
            if let Some(s) = span {
                out.push((name, s));
            }
        };
        add("url", self.url.as_ref().map(Spanned::span));
        add("query", self.query.as_ref().map(Spanned::span));
        add("mode", self.mode.as_ref().map(Spanned::span));
        add("step", self.step.as_ref().map(Spanned::span));
        add("window", self.window.as_ref().map(Spanned::span));
        add("legend", self.legend.as_ref().map(Spanned::span));
        add("good", self.good.as_ref().map(Spanned::span));
        add("total", self.total.as_ref().map(Spanned::span));
        add("objective", self.objective.as_ref().map(Spanned::span));
        add("burn_window", self.burn_window.as_ref().map(Spanned::span));
        add("pending", self.pending.as_ref().map(Spanned::span));
        add("command", self.command.as_ref().map(Spanned::span));
        add("parse", self.parse.as_ref().map(Spanned::span));
        add("lines", self.lines.as_ref().map(Spanned::span));
        add("names", self.names.as_ref().map(Spanned::span));
        add("highlight", self.highlight.as_ref().map(Spanned::span));
        add("metrics", self.metrics.as_ref().map(Spanned::span));
        add("path", self.path.as_ref().map(Spanned::span));
        out
    }
}

/// Pane-level defaults that `[vista]` (or a scenario) supplies.
#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    pub refresh: Duration,
    pub timeout: Duration,
    pub columns: u16,
    pub prometheus: Option<String>,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            refresh: Duration::from_secs(1),
            timeout: Duration::from_secs(5),
            columns: 3,
            prometheus: None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Loading.

impl VistaConfig {
    /// Reads and checks a vista file.
    pub fn load(path: &Path) -> Result<VistaConfig, Vec<Diagnostic>> {
        let name = path.display().to_string();
        let src = std::fs::read_to_string(path)
            .map_err(|e| vec![Diagnostic::whole(&name, format!("cannot read: {e}"))])?;
        VistaConfig::parse(&src, &name)
    }

    /// The user's vista (`<config dir>/vista.toml`), or the built-in host vista when there is none.
    /// A file that exists but is bad is an error: the caller shows it and may fall back to
    /// [`default_config`] (or keep the last good config when reloading).
    pub fn load_or_default(paths: &Paths) -> Result<VistaConfig, Vec<Diagnostic>> {
        let path = default_path(paths);
        if path.exists() {
            VistaConfig::load(&path)
        } else {
            Ok(default_config())
        }
    }

    /// Parses and checks vista source text; `file` names it in diagnostics. Every problem is
    /// reported with its file:line:col.
    pub fn parse(src: &str, file: &str) -> Result<VistaConfig, Vec<Diagnostic>> {
        let spec: VistaFileSpec = parse_toml(file, src)?;
        let mut cx = Checker {
            file,
            src,
            diags: Vec::new(),
        };
        let v = spec.vista.unwrap_or_default();
        let dflt = Defaults::default();
        let refresh = cx
            .duration(v.refresh.as_ref(), "refresh")
            .unwrap_or(dflt.refresh);
        let timeout = cx
            .duration(v.timeout.as_ref(), "timeout")
            .unwrap_or(dflt.timeout);
        let max_backoff = cx
            .duration(v.max_backoff.as_ref(), "max_backoff")
            .unwrap_or(Duration::from_secs(30));
        let columns = match &v.columns {
            Some(c) if !(1..=MAX_COLUMNS).contains(c.get_ref()) => {
                cx.err(
                    c.span(),
                    format!("columns must be between 1 and {MAX_COLUMNS}"),
                );
                dflt.columns
            }
            Some(c) => *c.get_ref(),
            None => dflt.columns,
        };
        let history = match &v.history {
            Some(h) if !(10..=100_000).contains(h.get_ref()) => {
                cx.err(h.span(), "history must be between 10 and 100000 points");
                super::ring::DEFAULT_CAPACITY
            }
            Some(h) => *h.get_ref(),
            None => super::ring::DEFAULT_CAPACITY,
        };
        if let Some(b) = &v.max_backoff
            && parse_duration(b.get_ref()).is_ok_and(|d| d < Duration::from_secs(1))
        {
            cx.err(b.span(), "max_backoff must be at least 1s");
        }
        let defaults = Defaults {
            refresh,
            timeout,
            columns,
            prometheus: v.prometheus.clone(),
        };
        if spec.panes.is_empty() {
            cx.diags.push(Diagnostic::at(
                file,
                src,
                None,
                "a vista needs at least one [[panes]] entry",
            ));
        }
        let panes = compile_panes(&spec.panes, &defaults, file, src, &mut cx.diags);
        if !cx.diags.is_empty() {
            cx.diags.sort_by_key(|d| (d.line, d.col));
            cx.diags.dedup();
            return Err(cx.diags);
        }
        Ok(VistaConfig {
            title: v.title.unwrap_or_else(|| "morning vista".into()),
            refresh,
            timeout,
            max_backoff: max_backoff.max(Duration::from_secs(1)),
            columns,
            history,
            panes,
        })
    }

    /// Where each pane goes: panes fill rows left to right in order, wrapping when the next one
    /// does not fit in `columns`.
    pub fn grid(&self) -> Grid {
        Grid::layout(self.columns, self.panes.iter().map(|p| (p.span, p.height)))
    }
}

/// Checks pane specs (from a vista file or a scenario) and resolves their defaults. Problems are
/// appended to `diags`; panes with problems are left out of the result.
pub fn compile_panes(
    specs: &[Spanned<PaneSpec>],
    defaults: &Defaults,
    file: &str,
    src: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PaneDef> {
    let mut cx = Checker {
        file,
        src,
        diags: Vec::new(),
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for spec in specs {
        let p = spec.get_ref();
        let id = p.id.get_ref();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            cx.err(
                p.id.span(),
                format!("pane id `{id}` must be letters, digits, - or _"),
            );
        } else if !seen.insert(id.clone()) {
            cx.err(p.id.span(), format!("duplicate pane id `{id}`"));
        }
        let before = cx.diags.len();
        if let Some(pane) = cx.pane(p, defaults)
            && cx.diags.len() == before
        {
            out.push(pane);
        }
    }
    diags.append(&mut cx.diags);
    out
}

struct Checker<'a> {
    file: &'a str,
    src: &'a str,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn err(&mut self, span: Range<usize>, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(self.file, self.src, Some(span), msg));
    }

    fn duration(&mut self, d: Option<&Spanned<String>>, what: &str) -> Option<Duration> {
        let d = d?;
        match parse_duration(d.get_ref()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.err(d.span(), format!("{what}: {e}"));
                None
            }
        }
    }

    fn required<'s>(
        &mut self,
        v: &'s Option<Spanned<String>>,
        name: &str,
        ty: SourceType,
        at: &Range<usize>,
    ) -> Option<&'s str> {
        match v {
            Some(s) if !s.get_ref().trim().is_empty() => Some(s.get_ref().as_str()),
            Some(s) => {
                self.err(s.span(), format!("`{name}` cannot be empty"));
                None
            }
            None => {
                self.err(
                    at.clone(),
                    format!("a {} source needs `{name}`", ty.label()),
                );
                None
            }
        }
    }

    fn url(&mut self, s: &SourceSpec, defaults: &Defaults, at: &Range<usize>) -> Option<String> {
        let (url, span) = match (&s.url, &defaults.prometheus) {
            (Some(u), _) => (u.get_ref().trim().to_string(), u.span()),
            (None, Some(d)) => (d.trim().to_string(), at.clone()),
            (None, None) => {
                self.err(
                    at.clone(),
                    format!(
                        "a {} source needs `url` (or set `prometheus = URL` in [vista])",
                        s.kind.get_ref().label()
                    ),
                );
                return None;
            }
        };
        if !(url.starts_with("http://") || url.starts_with("https://"))
            || url.len() <= "https://".len()
        {
            self.err(
                span,
                format!("url `{url}` must start with http:// or https://"),
            );
            return None;
        }
        Some(url.trim_end_matches('/').to_string())
    }

    fn highlights(&mut self, h: &Option<Spanned<Vec<Spanned<String>>>>) -> Vec<Highlight> {
        let Some(h) = h else { return Vec::new() };
        h.get_ref()
            .iter()
            .filter_map(|p| match Highlight::new(p.get_ref()) {
                Ok(h) => Some(h),
                Err(e) => {
                    self.err(p.span(), e);
                    None
                }
            })
            .collect()
    }

    fn lines(&mut self, l: &Option<Spanned<usize>>, default: usize) -> usize {
        match l {
            Some(n) if !(1..=10_000).contains(n.get_ref()) => {
                self.err(n.span(), "lines must be between 1 and 10000");
                default
            }
            Some(n) => *n.get_ref(),
            None => default,
        }
    }

    fn source(&mut self, spec: &Spanned<SourceSpec>, defaults: &Defaults) -> Option<SourceDef> {
        let at = spec.span();
        let s = spec.get_ref();
        let ty = *s.kind.get_ref();
        for (name, span) in s.present() {
            if !ty.fields().contains(&name) {
                self.err(
                    span,
                    format!(
                        "`{name}` is not a field of a {} source (it takes: type, {})",
                        ty.label(),
                        ty.fields().join(", ")
                    ),
                );
            }
        }
        let def = match ty {
            SourceType::Prometheus => {
                let url = self.url(s, defaults, &at);
                let query = self
                    .required(&s.query, "query", ty, &at)
                    .map(str::to_string);
                let mode = s.mode.as_ref().map_or(QueryMode::Instant, |m| *m.get_ref());
                let window = self
                    .duration(s.window.as_ref(), "window")
                    .unwrap_or(Duration::from_secs(15 * 60));
                let default_step = Duration::from_secs((window.as_secs() / 300).max(1));
                let step = self
                    .duration(s.step.as_ref(), "step")
                    .unwrap_or(default_step);
                if let Some(st) = &s.step
                    && step < Duration::from_millis(1)
                {
                    self.err(st.span(), "step must be positive");
                }
                if let Some(w) = &s.window
                    && window < Duration::from_secs(1)
                {
                    self.err(w.span(), "window must be at least 1s");
                }
                if mode == QueryMode::Range
                    && step > Duration::ZERO
                    && window.as_secs_f64() / step.as_secs_f64() > 11_000.0
                {
                    self.err(
                        s.step.as_ref().map_or(at.clone(), Spanned::span),
                        format!("window / step gives more than 11000 points (Prometheus' limit); raise step to at least {}", format_duration(window / 11_000 + Duration::from_millis(1))),
                    );
                }
                SourceDef::Prometheus(PromQuery {
                    url: url?,
                    query: query?,
                    mode,
                    step,
                    window,
                    legend: s.legend.as_ref().map(|l| l.get_ref().clone()),
                })
            }
            SourceType::PrometheusSlo => {
                let url = self.url(s, defaults, &at);
                let good = self.required(&s.good, "good", ty, &at).map(str::to_string);
                let total = self
                    .required(&s.total, "total", ty, &at)
                    .map(str::to_string);
                let objective = match &s.objective {
                    Some(o) if !(0.0 < *o.get_ref() && *o.get_ref() < 100.0) => {
                        self.err(o.span(), "objective is a percentage below 100, like 99.9");
                        None
                    }
                    Some(o) => Some(*o.get_ref()),
                    None => {
                        self.err(
                            at.clone(),
                            "a prometheus_slo source needs `objective` (percent, like 99.9)",
                        );
                        None
                    }
                };
                let window = self
                    .duration(s.window.as_ref(), "window")
                    .unwrap_or(Duration::from_secs(30 * 86_400));
                let burn_window = self
                    .duration(s.burn_window.as_ref(), "burn_window")
                    .unwrap_or(Duration::from_secs(3600));
                for (d, v) in [(&s.window, window), (&s.burn_window, burn_window)] {
                    if let Some(d) = d
                        && v < Duration::from_secs(1)
                    {
                        self.err(d.span(), "an SLO window must be at least 1s");
                    }
                }
                SourceDef::PrometheusSlo(PromSlo {
                    url: url?,
                    good: good?,
                    total: total?,
                    objective: objective?,
                    window,
                    burn_window,
                })
            }
            SourceType::PrometheusAlerts => SourceDef::PrometheusAlerts(PromAlerts {
                url: self.url(s, defaults, &at)?,
                pending: s.pending.as_ref().is_some_and(|p| *p.get_ref()),
            }),
            SourceType::Command => {
                let command = self
                    .required(&s.command, "command", ty, &at)
                    .map(str::to_string);
                let parse = s.parse.as_ref().map_or(Parse::Numbers, |p| *p.get_ref());
                SourceDef::Command(CommandDef {
                    command: command?,
                    parse,
                    lines: self.lines(&s.lines, 50),
                    names: s
                        .names
                        .as_ref()
                        .map(|n| n.get_ref().clone())
                        .unwrap_or_default(),
                    highlight: self.highlights(&s.highlight),
                })
            }
            SourceType::Host => {
                let metrics = match &s.metrics {
                    Some(m) if m.get_ref().is_empty() => {
                        self.err(
                            m.span(),
                            "metrics cannot be empty; leave it out for all of them",
                        );
                        HostMetric::ALL.to_vec()
                    }
                    Some(m) => {
                        let mut v = m.get_ref().clone();
                        let mut seen = HashSet::new();
                        v.retain(|x| seen.insert(*x));
                        v
                    }
                    None => HostMetric::ALL.to_vec(),
                };
                SourceDef::Host(HostDef { metrics })
            }
            SourceType::File => {
                let path = self.required(&s.path, "path", ty, &at).map(expand_home);
                SourceDef::File(FileDef {
                    path: path?,
                    lines: self.lines(&s.lines, 200),
                    highlight: self.highlights(&s.highlight),
                })
            }
        };
        Some(def)
    }

    fn pane(&mut self, p: &PaneSpec, defaults: &Defaults) -> Option<PaneDef> {
        let refresh = self
            .duration(p.refresh.as_ref(), "refresh")
            .unwrap_or(defaults.refresh);
        let timeout = self
            .duration(p.timeout.as_ref(), "timeout")
            .unwrap_or(defaults.timeout);
        if refresh < MIN_REFRESH {
            let span = p.refresh.as_ref().map_or(p.id.span(), Spanned::span);
            self.err(
                span,
                format!("refresh must be at least {}", format_duration(MIN_REFRESH)),
            );
        }
        if timeout < Duration::from_millis(10) {
            let span = p.timeout.as_ref().map_or(p.id.span(), Spanned::span);
            self.err(span, "timeout must be at least 10ms");
        }
        let span = match &p.span {
            Some(s) if *s.get_ref() == 0 || *s.get_ref() > defaults.columns => {
                self.err(
                    s.span(),
                    format!(
                        "span must be between 1 and the number of columns ({})",
                        defaults.columns
                    ),
                );
                1
            }
            Some(s) => *s.get_ref(),
            None => 1,
        };
        let height = match &p.height {
            Some(h) if !(1..=10).contains(h.get_ref()) => {
                self.err(h.span(), "height is a relative weight between 1 and 10");
                1
            }
            Some(h) => *h.get_ref(),
            None => 1,
        };
        if let (Some(lo), Some(hi)) = (p.min, p.max)
            && lo >= hi
        {
            self.err(
                p.id.span(),
                format!("pane `{}`: min must be below max", p.id.get_ref()),
            );
        }
        let source = self.source(&p.source, defaults)?;
        let kind = match &p.kind {
            Some(k) => {
                let kind = *k.get_ref();
                if !compatible(kind, &source) {
                    self.err(
                        k.span(),
                        format!(
                            "a {} pane cannot show a {} source (it can show it as: {})",
                            kind.label(),
                            source.type_name(),
                            kinds_for(&source)
                                .iter()
                                .map(|k| k.label())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
                kind
            }
            None => default_kind(&source),
        };
        Some(PaneDef {
            id: p.id.get_ref().clone(),
            title: p.title.clone().unwrap_or_else(|| p.id.get_ref().clone()),
            kind,
            note: p.note.trim().to_string(),
            refresh,
            timeout,
            span,
            height,
            unit: p.unit.clone().unwrap_or_default(),
            min: p.min,
            max: p.max,
            warn: p.warn,
            crit: p.crit,
            source,
        })
    }
}

fn expand_home(p: &str) -> PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(p),
    }
}

/// The display used when a pane does not name one.
pub fn default_kind(source: &SourceDef) -> Display {
    match source {
        SourceDef::Prometheus(_) | SourceDef::Host(_) => Display::Chart,
        SourceDef::PrometheusSlo(_) => Display::Slo,
        SourceDef::PrometheusAlerts(_) => Display::Alerts,
        SourceDef::Command(c) if c.parse == Parse::Lines => Display::Log,
        SourceDef::Command(_) => Display::Chart,
        SourceDef::File(_) => Display::Log,
    }
}

/// The displays that can show a source.
pub fn kinds_for(source: &SourceDef) -> &'static [Display] {
    use Display::*;
    match source {
        SourceDef::Prometheus(_) | SourceDef::Host(_) => &[Chart, Gauge, List],
        SourceDef::PrometheusSlo(_) => &[Slo, Chart, Gauge, List],
        SourceDef::PrometheusAlerts(_) => &[Alerts, List],
        SourceDef::Command(c) if c.parse == Parse::Lines => &[Log, List],
        SourceDef::Command(_) => &[Chart, Gauge, List],
        SourceDef::File(_) => &[Log, List],
    }
}

fn compatible(kind: Display, source: &SourceDef) -> bool {
    kinds_for(source).contains(&kind)
}

// ---------------------------------------------------------------------------------------------
// Grid placement.

/// Pane placement: rows of cells, each row as tall as its tallest pane's `height` weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub columns: u16,
    pub rows: Vec<GridRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// Relative height weight of the row.
    pub height: u16,
    pub cells: Vec<GridCell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridCell {
    /// Index into `VistaConfig::panes`.
    pub pane: usize,
    /// First column (0-based) and columns spanned.
    pub col: u16,
    pub span: u16,
}

impl Grid {
    /// Lays out panes given as `(span, height)` in order.
    pub fn layout(columns: u16, panes: impl IntoIterator<Item = (u16, u16)>) -> Grid {
        let columns = columns.max(1);
        let mut rows: Vec<GridRow> = Vec::new();
        let mut col = columns; // forces a new row first
        for (i, (span, height)) in panes.into_iter().enumerate() {
            let span = span.clamp(1, columns);
            if col + span > columns {
                rows.push(GridRow {
                    height: 0,
                    cells: Vec::new(),
                });
                col = 0;
            }
            let row = rows.last_mut().expect("a row was pushed");
            row.cells.push(GridCell { pane: i, col, span });
            row.height = row.height.max(height.max(1));
            col += span;
        }
        Grid { columns, rows }
    }
}

// ---------------------------------------------------------------------------------------------
// The built-in vista.

/// The vista used when the user has no `vista.toml`: this machine, from /proc and statvfs.
pub fn default_config() -> VistaConfig {
    let host = |metrics: &[HostMetric]| {
        SourceDef::Host(HostDef {
            metrics: metrics.to_vec(),
        })
    };
    let pane = |id: &str, title: &str, kind: Display, source: SourceDef, note: &str| PaneDef {
        id: id.into(),
        title: title.into(),
        kind,
        note: note.into(),
        refresh: Duration::from_secs(1),
        timeout: Duration::from_secs(5),
        span: 1,
        height: 1,
        unit: String::new(),
        min: None,
        max: None,
        warn: None,
        crit: None,
        source,
    };
    let mut cpu = pane(
        "cpu",
        "CPU busy",
        Display::Chart,
        host(&[HostMetric::Cpu]),
        "CPU busy across all cores. A flat line near 100% means work is queueing somewhere; \
         short spikes are normal. Compare with load: high load with low CPU points at I/O waits.",
    );
    (cpu.min, cpu.max, cpu.warn, cpu.crit, cpu.unit) =
        (Some(0.0), Some(100.0), Some(80.0), Some(95.0), "%".into());
    let mut mem = pane(
        "memory",
        "Memory used",
        Display::Gauge,
        host(&[HostMetric::Memory]),
        "Memory in use, not counting what the kernel can give back (page cache). Above 90% the \
         OOM killer is close: look for one process growing.",
    );
    (mem.min, mem.max, mem.warn, mem.crit, mem.unit) =
        (Some(0.0), Some(100.0), Some(80.0), Some(90.0), "%".into());
    let mut load = pane(
        "load",
        "Load average",
        Display::Chart,
        host(&[HostMetric::Load]),
        "Runnable (and uninterruptible) tasks averaged over 1, 5 and 15 minutes. Read it against \
         the number of cores: 1m above 5m above 15m means pressure is building right now.",
    );
    load.min = Some(0.0);
    let mut disk = pane(
        "disk",
        "Disk used",
        Display::Gauge,
        host(&[HostMetric::Disk]),
        "Used space of each real filesystem. A full disk stops databases and logs; anything above \
         85% deserves a ticket today, above 95% a page.",
    );
    disk.refresh = Duration::from_secs(10);
    (disk.min, disk.max, disk.warn, disk.crit, disk.unit) =
        (Some(0.0), Some(100.0), Some(85.0), Some(95.0), "%".into());
    let mut net = pane(
        "net",
        "Network",
        Display::Chart,
        host(&[HostMetric::Net]),
        "Bytes per second received and sent over every interface but loopback. A sudden drop to \
         zero is as alarming as a spike: traffic stopped arriving.",
    );
    (net.min, net.unit) = (Some(0.0), "B/s".into());
    let mut top = pane(
        "top",
        "Busiest processes",
        Display::List,
        SourceDef::Command(CommandDef {
            command: "ps -eo pcpu,pmem,comm --sort=-pcpu | head -n 12".into(),
            parse: Parse::Lines,
            lines: 12,
            names: Vec::new(),
            highlight: Vec::new(),
        }),
        "The processes using the most CPU right now (%CPU, %MEM, name). Is the top one what you \
         expect this machine to be doing?",
    );
    top.refresh = Duration::from_secs(3);
    VistaConfig {
        title: "this machine".into(),
        refresh: Duration::from_secs(1),
        timeout: Duration::from_secs(5),
        max_backoff: Duration::from_secs(30),
        columns: 3,
        history: super::ring::DEFAULT_CAPACITY,
        panes: vec![cpu, mem, load, disk, net, top],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_wraps_in_order() {
        let g = Grid::layout(3, [(1, 1), (2, 2), (2, 1), (1, 1), (5, 1)]);
        assert_eq!(g.rows.len(), 3);
        assert_eq!(g.rows[0].height, 2);
        assert_eq!(
            g.rows[1]
                .cells
                .iter()
                .map(|c| (c.pane, c.col, c.span))
                .collect::<Vec<_>>(),
            vec![(2, 0, 2), (3, 2, 1)]
        );
        assert_eq!(g.rows[2].cells[0].span, 3);
    }

    #[test]
    fn default_config_is_valid_shape() {
        let c = default_config();
        assert!(c.panes.len() >= 5);
        for p in &c.panes {
            assert!(compatible(p.kind, &p.source), "{}", p.id);
            assert!(!p.note.is_empty());
        }
    }
}
