//! One Grafana panel as one vista pane: its kind, its datasource, its queries joined and
//! substituted, its unit, thresholds and tour note, and notes on what changed on the way.

use super::model::{Dashboard, Datasource, Panel};
use super::{MISSING, SCRAPE_INTERVAL, builtins, emit, expr, fields};
use crate::clock::parse_duration;
use crate::vista::config::Display;
use std::collections::HashSet;
use std::time::Duration;

/// The plugin type behind a datasource, as far as the dashboard says.
pub(super) fn plugin(dash: &Dashboard, ds: &Datasource) -> Result<String, String> {
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
pub(super) fn pane(
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
