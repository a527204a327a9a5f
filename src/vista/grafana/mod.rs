//! Grafana dashboards as vistas (docs/grafana-import.md): `gamelan vista import grafana` and
//! `gamelan vista --grafana`. Pure: dashboard text in, vista.toml text and a [`Report`] of what
//! was mapped and what was dropped out; the one thing it asks the outside world (which values a
//! template variable's `label_values()` query finds) goes through [`vars::LabelValues`].
//!
//! The seams: [`model`] (the JSON of either schema in one shape), [`vars`] (template
//! variables), [`expr`] (substitution and joining a panel's queries), [`fields`] (units and
//! thresholds), [`layout`] (the 24-column grid as the vista's), [`emit`] (the TOML) and
//! [`report`]; [`panel`] makes one pane of one panel.

pub mod annotations;
pub mod emit;
pub mod expr;
pub mod fields;
pub mod layout;
pub mod model;
mod panel;
pub mod report;
pub mod vars;

use crate::clock::{parse_duration, prometheus_duration};
use crate::diag::Diagnostic;
use crate::vista::config::{MAX_PANES, VistaConfig};
use model::{Dashboard, Panel};
pub use report::{Dropped, Mapped, Report};
use std::collections::{BTreeMap, HashSet};
use std::time::Duration;
pub use vars::{LabelValues, Offline};

/// What the user chose on the command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Prometheus every pane queries (`[vista] prometheus`).
    pub prometheus: String,
    /// `--var name=value`.
    pub vars: BTreeMap<String, String>,
    /// `--row TITLE`: import only the rows whose title contains one of these (any case).
    pub rows: Vec<String>,
    /// `--all-rows`: collapsed rows too (by default only what the dashboard shows when opened).
    pub all_rows: bool,
    /// `--window`: the range charts show (default: the dashboard's time range).
    pub window: Option<Duration>,
    /// `--refresh`: the poll interval (default: the dashboard's refresh, else 30s).
    pub refresh: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            prometheus: "http://127.0.0.1:9090".into(),
            vars: BTreeMap::new(),
            rows: Vec::new(),
            all_rows: false,
            window: None,
            refresh: None,
        }
    }
}

/// The outcome: the vista file (none when no panel could be shown) and the report.
#[derive(Debug, Clone)]
pub struct Import {
    pub toml: Option<String>,
    pub report: Report,
}

/// Marks a pane note naming a variable without a value (gathered into one report note).
pub(crate) const MISSING: &str = "\u{0}missing:";

/// The interval Prometheus is assumed to scrape at (Grafana's own default).
pub const SCRAPE_INTERVAL: Duration = Duration::from_secs(15);
/// Points a chart asks for over its window.
const POINTS: u64 = 300;
/// The window when the dashboard's time range cannot be read.
const DEFAULT_WINDOW: Duration = Duration::from_secs(3600);
/// The refresh when the dashboard has none.
const DEFAULT_REFRESH: Duration = Duration::from_secs(30);

/// Imports dashboard text; `file` names it in errors and in the vista's header.
pub fn import(
    text: &str,
    file: &str,
    opts: &Options,
    labels: &dyn LabelValues,
) -> Result<Import, Vec<Diagnostic>> {
    let dash = model::parse(text, file).map_err(|d| vec![d])?;
    Ok(convert(&dash, file, opts, labels))
}

/// `now-24h`, `now-7d`, `now-1M` as a duration.
fn time_range(from: &str) -> Option<Duration> {
    let rel = from.trim().strip_prefix("now-")?;
    let rel = rel.split('/').next()?;
    let (num, unit) = rel.split_at(rel.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = num.parse().ok()?;
    let secs = match unit {
        "M" => 30 * 86_400,
        "y" => 365 * 86_400,
        u => parse_duration(&format!("1{u}")).ok()?.as_secs(),
    };
    Some(Duration::from_secs(n.checked_mul(secs)?))
}

/// The built-in variables for a window and a panel's lowest interval.
pub(crate) fn builtins(
    window: Duration,
    min_interval: Duration,
) -> (Duration, BTreeMap<String, String>) {
    let auto = Duration::from_secs(window.as_secs().div_ceil(POINTS).max(1));
    let interval = auto.max(min_interval);
    let rate = (interval + SCRAPE_INTERVAL).max(SCRAPE_INTERVAL * 4);
    let ms = |d: Duration| d.as_millis().to_string();
    let b = BTreeMap::from([
        ("__interval".to_string(), prometheus_duration(interval)),
        ("__interval_ms".to_string(), ms(interval)),
        ("__rate_interval".to_string(), prometheus_duration(rate)),
        ("__rate_interval_ms".to_string(), ms(rate)),
        ("__range".to_string(), prometheus_duration(window)),
        ("__range_s".to_string(), window.as_secs().to_string()),
        ("__range_ms".to_string(), ms(window)),
    ]);
    (interval, b)
}

/// The dashboard as a vista.
pub fn convert(dash: &Dashboard, file: &str, opts: &Options, labels: &dyn LabelValues) -> Import {
    let window = opts
        .window
        .or_else(|| dash.time_from.as_deref().and_then(time_range))
        .unwrap_or(DEFAULT_WINDOW)
        .clamp(Duration::from_secs(60), Duration::from_secs(400 * 86_400));
    let refresh = opts
        .refresh
        .or_else(|| dash.refresh.as_deref().and_then(|r| parse_duration(r).ok()))
        .unwrap_or(DEFAULT_REFRESH)
        .clamp(Duration::from_secs(1), Duration::from_secs(86_400));
    let (interval, base) = builtins(window, SCRAPE_INTERVAL);
    let mut scope = expr::Scope {
        builtins: base,
        ..expr::Scope::default()
    };
    for v in dash.variables.iter().filter(|v| v.kind == "interval") {
        scope.builtins.insert(
            format!("__auto_interval_{}", v.name),
            prometheus_duration(interval),
        );
    }
    let (mut scope, var_reports) = vars::resolve(&dash.variables, &opts.vars, &scope, labels);
    for v in scope.vars.values_mut() {
        if v.values == ["auto"] {
            v.values = vec![prometheus_duration(interval)];
        }
    }
    let mut report = Report {
        file: file.to_string(),
        title: dash.title.clone(),
        schema: dash.schema,
        classic: dash.classic,
        panels: dash.panels.len(),
        prometheus: opts.prometheus.clone(),
        window,
        refresh,
        vars: var_reports,
        ..Report::default()
    };
    let mut plans: Vec<(usize, model::Place, emit::PanePlan)> = Vec::new();
    let mut ids = HashSet::new();
    let mut row_index = 0usize;
    let mut last_row: Option<&Option<String>> = None;
    for p in &dash.panels {
        if last_row != Some(&p.row) {
            row_index += 1;
            last_row = Some(&p.row);
        }
        let drop = |reason: String| Dropped {
            panel: p.id,
            title: p.title.clone(),
            kind: p.kind.clone(),
            row: p.row.clone(),
            reason,
        };
        if let Some(reason) = row_choice(p, opts) {
            report.dropped.push(drop(reason));
            continue;
        }
        match panel::pane(dash, p, &scope, window, &mut ids) {
            Ok((plan, notes)) => {
                if plans.len() >= MAX_PANES {
                    ids.remove(&plan.id);
                    report.dropped.push(drop(format!(
                        "the vista holds at most {MAX_PANES} panes; pick rows with --row"
                    )));
                    continue;
                }
                report.mapped.push(Mapped {
                    id: plan.id.clone(),
                    kind: plan.kind,
                    panel: p.id,
                    title: p.title.clone(),
                    grafana_kind: p.kind.clone(),
                    row: p.row.clone(),
                    notes,
                });
                plans.push((row_index, p.place, plan));
            }
            Err(reason) => report.dropped.push(drop(reason)),
        }
    }
    // Variables without a value are said once for the whole import, not on every pane.
    let mut missing: Vec<String> = Vec::new();
    for m in &mut report.mapped {
        m.notes.retain(|n| match n.strip_prefix(MISSING) {
            Some(name) => {
                if !missing.iter().any(|x| x == name) {
                    missing.push(name.to_string());
                }
                false
            }
            None => true,
        });
    }
    if !missing.is_empty() {
        let flags: Vec<String> = missing.iter().map(|m| format!("--var {m}=VALUE")).collect();
        report.notes.push(format!(
            "${} had no value: the queries keep them as written and those panes will show \
             Prometheus' error; pass {}",
            missing.join(", $"),
            flags.join(" ")
        ));
    }
    let (marks, skipped) = annotations::plan(dash, &scope);
    report.annotations = marks
        .iter()
        .map(|m| format!("[[annotations]] {} ← \"{}\"", m.id, m.name))
        .collect();
    report.skipped_annotations = skipped;
    let cells = layout::place(&plans.iter().map(|(r, pl, _)| (*r, *pl)).collect::<Vec<_>>());
    let mut panes: Vec<emit::PanePlan> = plans.into_iter().map(|(_, _, p)| p).collect();
    for (pane, cell) in panes.iter_mut().zip(&cells) {
        pane.span = cell.span;
        pane.height = cell.height;
    }
    if panes.is_empty() {
        return Import { toml: None, report };
    }
    let toml = emit::vista(dash, &report, opts, refresh, &panes, &marks, window);
    // The file written must load: a problem here is the importer's, said as such.
    if let Err(diags) = VistaConfig::parse(&toml, "imported vista") {
        for d in diags {
            report
                .notes
                .push(format!("the generated vista does not load: {d}"));
        }
        return Import { toml: None, report };
    }
    Import {
        toml: Some(toml),
        report,
    }
}

/// Why a panel is left out by row (collapsed, or not among `--row`), if it is.
fn row_choice(p: &Panel, opts: &Options) -> Option<String> {
    let title = p.row.as_deref().unwrap_or("");
    if !opts.rows.is_empty() {
        let lower = title.to_lowercase();
        let picked = opts.rows.iter().any(|r| lower.contains(&r.to_lowercase()));
        return (!picked).then(|| format!("in row \"{title}\", not picked by --row"));
    }
    (p.collapsed && !opts.all_rows).then(|| {
        format!("in collapsed row \"{title}\" (import it with --row \"{title}\" or --all-rows)")
    })
}

#[cfg(test)]
mod tests;
