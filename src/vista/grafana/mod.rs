//! Grafana dashboards as vistas (docs/grafana-import.md): `gamelan vista import grafana` and
//! `gamelan vista --grafana`. Pure: dashboard text in, vista.toml text and a [`Report`] of what
//! was mapped and what was dropped out; the one thing it asks the outside world (which values a
//! template variable's `label_values()` query finds) goes through [`vars::LabelValues`].
//!
//! The seams: [`model`] (the JSON of either schema in one shape), [`vars`] (template
//! variables), [`expr`] (substitution and joining a panel's queries), [`fields`] (units and
//! thresholds), [`layout`] (the 24-column grid as the vista's), [`emit`] (the TOML) and
//! [`report`].

pub mod emit;
pub mod expr;
pub mod fields;
pub mod layout;
pub mod model;
pub mod report;
pub mod vars;

use crate::clock::{parse_duration, prometheus_duration};
use crate::diag::Diagnostic;
use crate::vista::config::{Display, MAX_PANES, VistaConfig};
use model::{Dashboard, Datasource, Panel};
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
const MISSING: &str = "\u{0}missing:";

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
fn builtins(window: Duration, min_interval: Duration) -> (Duration, BTreeMap<String, String>) {
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
        match pane(dash, p, &scope, window, &mut ids) {
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
    let cells = layout::place(&plans.iter().map(|(r, pl, _)| (*r, *pl)).collect::<Vec<_>>());
    let mut panes: Vec<emit::PanePlan> = plans.into_iter().map(|(_, _, p)| p).collect();
    for (pane, cell) in panes.iter_mut().zip(&cells) {
        pane.span = cell.span;
        pane.height = cell.height;
    }
    if panes.is_empty() {
        return Import { toml: None, report };
    }
    let toml = emit::vista(dash, &report, opts, refresh, &panes);
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

/// The plugin type behind a datasource, as far as the dashboard says.
fn plugin(dash: &Dashboard, ds: &Datasource) -> Result<String, String> {
    let named = |name: &str| -> String {
        let var = name
            .trim_start_matches('$')
            .trim_start_matches('{')
            .trim_end_matches('}');
        if let Some((_, plugin)) = dash.inputs.iter().find(|(n, _)| n == var) {
            return plugin.clone();
        }
        if let Some(v) = dash
            .variables
            .iter()
            .find(|v| v.name == var && v.kind == "datasource")
        {
            return v.query.clone();
        }
        let lower = name.to_lowercase();
        for known in [
            "loki",
            "elasticsearch",
            "influx",
            "graphite",
            "mysql",
            "postgres",
            "tempo",
        ] {
            if lower.contains(known) {
                return known.to_string();
            }
        }
        "prometheus".to_string()
    };
    match ds {
        Datasource::Default => Ok("prometheus".into()),
        Datasource::Typed(t) => Ok(t.clone()),
        Datasource::Named(n) => Ok(named(n)),
        Datasource::Mixed => Ok("mixed".into()),
        Datasource::Builtin(b) => Err(format!(
            "its datasource is Grafana's built-in `{b}` (test data, annotations), not Prometheus"
        )),
    }
}

/// The vista kind for a Grafana panel type, or why there is none.
fn kind_for(p: &Panel) -> Result<Display, String> {
    Ok(match p.kind.as_str() {
        "timeseries" | "graph" => Display::Chart,
        "stat" | "singlestat" if p.gauge || (p.min.is_some() && p.max.is_some()) => Display::Gauge,
        "stat" | "singlestat" => Display::List,
        "gauge" | "bargauge" => Display::Gauge,
        "table" | "table-old" => Display::List,
        "text" => return Err("a text panel has no data".into()),
        "heatmap" => return Err("a heatmap of buckets has no vista kind".into()),
        "logs" => return Err("a logs panel needs a log datasource, not Prometheus".into()),
        "alertlist" => {
            return Err(
                "Grafana's own alert list (a prometheus_alerts pane shows Prometheus' alerts)"
                    .into(),
            );
        }
        "dashlist" | "news" | "welcome" | "gettingstarted" | "annolist" => {
            return Err("a Grafana navigation panel, no data".into());
        }
        "" => return Err("a panel without a type".into()),
        other => return Err(format!("the vista has no kind for `{other}` panels")),
    })
}

/// One panel as a pane, with notes about what changed on the way, or why it cannot be.
fn pane(
    dash: &Dashboard,
    p: &Panel,
    scope: &expr::Scope,
    window: Duration,
    ids: &mut HashSet<String>,
) -> Result<(emit::PanePlan, Vec<String>), String> {
    let kind = kind_for(p)?;
    let ds = plugin(dash, &p.datasource)?;
    if ds != "prometheus" && ds != "mixed" {
        return Err(format!("its datasource is `{ds}`, not Prometheus"));
    }
    let mut notes = Vec::new();
    let mut targets = Vec::new();
    for t in &p.targets {
        if t.hidden || t.expr.trim().is_empty() {
            continue;
        }
        if let Some(tds) = &t.datasource
            && ds == "mixed"
        {
            match plugin(dash, tds) {
                Ok(x) if x == "prometheus" => {}
                Ok(x) => {
                    notes.push(format!("query {} goes to `{x}`: left out", t.ref_id));
                    continue;
                }
                Err(e) => {
                    notes.push(format!("query {}: {e}: left out", t.ref_id));
                    continue;
                }
            }
        }
        targets.push(t);
    }
    if targets.is_empty() {
        return Err("no Prometheus query in it".into());
    }
    // This panel's interval (its own lowest interval may raise it).
    let min_interval = p
        .interval
        .as_deref()
        .map(|i| scope.substitute(i).text)
        .and_then(|i| parse_duration(i.trim_start_matches('>')).ok())
        .unwrap_or(SCRAPE_INTERVAL);
    let (step, b) = builtins(window, min_interval.max(Duration::from_secs(1)));
    let scope = expr::Scope {
        vars: scope.vars.clone(),
        builtins: scope.builtins.clone().into_iter().chain(b).collect(),
    };
    let mut missing: Vec<String> = Vec::new();
    let mut sub = |text: &str| {
        let s = scope.substitute(text);
        for m in s.missing {
            if !missing.contains(&m) {
                missing.push(m);
            }
        }
        s.text
    };
    let legend_of = |l: &str| -> Option<String> {
        let l = l.trim();
        (!l.is_empty() && l != "__auto").then(|| l.to_string())
    };
    let (mut query, legend) = match targets.as_slice() {
        // A stat or gauge of one unnamed query shows the panel's name, as Grafana does.
        [one] => (
            sub(&one.expr),
            legend_of(&one.legend)
                .map(|l| sub(&l))
                .or_else(|| {
                    let single = kind != Display::Chart && !p.kind.starts_with("table");
                    single.then(|| sub(p.title.trim()))
                })
                .filter(|l| !l.is_empty()),
        ),
        many => {
            let parts: Vec<String> = many
                .iter()
                .map(|t| {
                    let legend = legend_of(&t.legend).unwrap_or_else(|| t.ref_id.clone());
                    expr::with_legend_label(&sub(&t.expr), &sub(&legend))
                })
                .collect();
            notes.push(format!(
                "{} queries joined with `or`, each legend kept in a `{}` label",
                many.len(),
                expr::LEGEND_LABEL
            ));
            (
                parts.join(" or "),
                Some(format!("{{{{{}}}}}", expr::LEGEND_LABEL)),
            )
        }
    };
    let title = if p.title.trim().is_empty() {
        format!("panel {}", p.id.unwrap_or_default())
    } else {
        sub(p.title.trim())
    };
    for m in &missing {
        notes.push(format!("{}{m}", MISSING));
    }
    let unit = fields::unit(p.unit.as_deref().unwrap_or(""));
    if unit.factor != 1.0 {
        query = expr::scaled(&query, unit.factor);
        notes.push(format!(
            "a 0–1 ratio shown as %: the query is multiplied by {}",
            unit.factor
        ));
    }
    let levels = fields::levels(&p.thresholds, p.min, p.max, unit.factor);
    notes.extend(levels.note.clone());
    if let Some(r) = &p.repeat {
        notes.push(format!(
            "repeated over ${r} in Grafana: one pane, for the value(s) ${r} has here"
        ));
    }
    if p.transformations > 0 {
        notes.push(format!(
            "{} transformation(s) not applied",
            p.transformations
        ));
    }
    if let Some(c) = &p.calc
        && !matches!(c.as_str(), "lastNotNull" | "last")
        && kind != Display::Chart
    {
        notes.push(format!("shows the latest value, not the panel's `{c}`"));
    }
    let mode_range = kind == Display::Chart;
    let plan = emit::PanePlan {
        id: unique_id(&title, p.id, ids),
        title,
        kind,
        note: plain(&p.description),
        span: 1,
        height: 1,
        unit: unit.label,
        min: p.min.map(|v| v * unit.factor),
        max: p.max.map(|v| v * unit.factor),
        warn: levels.warn,
        crit: levels.crit,
        query,
        range: mode_range.then_some((window, step)),
        legend,
    };
    Ok((plan, notes))
}

/// A pane id from a title: lower case, words joined by `-`, unique.
fn unique_id(title: &str, panel: Option<i64>, ids: &mut HashSet<String>) -> String {
    let mut slug = String::new();
    for ch in title.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(40).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        slug = format!("panel-{}", panel.unwrap_or_default());
    }
    let mut id = slug.clone();
    let mut n = 2;
    while !ids.insert(id.clone()) {
        id = format!("{slug}-{n}");
        n += 1;
    }
    id
}

/// A description as one paragraph of plain text for the tour: whitespace collapsed, at most
/// 600 characters.
fn plain(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 600 {
        let cut: String = joined.chars().take(599).collect();
        format!("{cut}…")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests;
