//! The imported vista written as vista.toml text: a header saying where it came from, `[vista]`,
//! then one commented `[[panes]]` table per pane in dashboard order, then the dropped panels as
//! comments, so the file explains itself when opened later.

use super::Options;
use super::model::Dashboard;
use super::report::Report;
use crate::clock::format_duration;
use crate::vista::config::Display;
use crate::vista::config::check::MAX_MAGNITUDE;
use std::fmt::Write as _;
use std::time::Duration;

/// One pane as it will be written.
#[derive(Debug, Clone, PartialEq)]
pub struct PanePlan {
    pub id: String,
    pub title: String,
    pub kind: Display,
    pub note: String,
    pub span: u16,
    pub height: u16,
    pub unit: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub warn: Option<f64>,
    pub crit: Option<f64>,
    pub query: String,
    /// A range query's window and step; `None` for an instant query.
    pub range: Option<(Duration, Duration)>,
    pub legend: Option<String>,
}

/// A TOML string: basic, escaped.
fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A finite number inside the vista's bounds, as TOML.
fn number(x: f64) -> Option<String> {
    (x.is_finite() && x.abs() <= MAX_MAGNITUDE).then(|| toml::Value::Float(x).to_string())
}

/// A comment line: one line, no control characters.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The whole file.
pub fn vista(
    dash: &Dashboard,
    report: &Report,
    opts: &Options,
    refresh: Duration,
    panes: &[PanePlan],
    marks: &[super::annotations::MarkPlan],
    window: Duration,
) -> String {
    let mut out = String::new();
    let name = if dash.title.is_empty() {
        "a Grafana dashboard".to_string()
    } else {
        format!("the Grafana dashboard \"{}\"", dash.title)
    };
    let _ = writeln!(
        out,
        "# Imported from {} ({}) by `gamelan vista import grafana`.",
        comment(&name),
        comment(&report.file)
    );
    let _ = writeln!(
        out,
        "# {} of {} panels became panes; the {} dropped are listed at the end. See docs/grafana-import.md.",
        report.mapped.len(),
        report.panels,
        report.dropped.len()
    );
    let values: Vec<String> = report
        .vars
        .iter()
        .filter(|v| !v.shown.is_empty())
        .map(|v| format!("{}={}", v.name, v.shown))
        .collect();
    if !values.is_empty() {
        let _ = writeln!(out, "# Variables: {}", comment(&values.join(", ")));
    }
    out.push_str("\n[vista]\n");
    let title = if dash.title.is_empty() {
        "imported dashboard"
    } else {
        &dash.title
    };
    let _ = writeln!(out, "title = {}", string(title));
    let _ = writeln!(out, "refresh = {}", string(&format_duration(refresh)));
    let _ = writeln!(out, "columns = {}", super::layout::COLUMNS);
    let _ = writeln!(out, "prometheus = {}", string(&opts.prometheus));
    for (p, m) in panes.iter().zip(&report.mapped) {
        out.push('\n');
        let mut from = format!("# Grafana {} panel", m.grafana_kind);
        if let Some(id) = m.panel {
            let _ = write!(from, " {id}");
        }
        if let Some(row) = &m.row {
            let _ = write!(from, ", row \"{row}\"");
        }
        let _ = writeln!(out, "{}", comment(&from));
        out.push_str("[[panes]]\n");
        pane(&mut out, p);
    }
    for m in marks {
        out.push('\n');
        let _ = writeln!(out, "# Grafana annotation {}", comment(&string(&m.name)));
        out.push_str("[[annotations]]\n");
        let _ = writeln!(out, "id = {}", string(&m.id));
        let _ = writeln!(out, "query = {}", string(&m.query));
        if let Some(t) = &m.text {
            let _ = writeln!(out, "text = {}", string(t));
        }
        let window = window.clamp(
            *crate::vista::config::annotations::WINDOW.start(),
            *crate::vista::config::annotations::WINDOW.end(),
        );
        let _ = writeln!(out, "window = {}", string(&format_duration(window)));
    }
    if !report.skipped_annotations.is_empty() {
        out.push_str("\n# Annotations skipped:\n");
        for s in &report.skipped_annotations {
            let _ = writeln!(out, "# - {}", comment(s));
        }
    }
    if !report.dropped.is_empty() {
        out.push_str("\n# Dropped panels:\n");
        for d in &report.dropped {
            let _ = writeln!(out, "# - {}", comment(&d.line()));
        }
    }
    out
}

fn pane(out: &mut String, p: &PanePlan) {
    let _ = writeln!(out, "id = {}", string(&p.id));
    let _ = writeln!(out, "title = {}", string(&p.title));
    let _ = writeln!(out, "kind = {}", string(p.kind.label()));
    if !p.note.is_empty() {
        let _ = writeln!(out, "note = {}", string(&p.note));
    }
    if p.span > 1 {
        let _ = writeln!(out, "span = {}", p.span);
    }
    if p.height > 1 {
        let _ = writeln!(out, "height = {}", p.height);
    }
    if !p.unit.is_empty() {
        let _ = writeln!(out, "unit = {}", string(&p.unit));
    }
    // A scale the vista would refuse (min not below max) is left to the data.
    let (min, max) = if matches!((p.min, p.max), (Some(a), Some(b)) if a >= b) {
        (None, None)
    } else {
        (p.min.and_then(number), p.max.and_then(number))
    };
    for (key, v) in [
        ("min", min),
        ("max", max),
        ("warn", p.warn.and_then(number)),
        ("crit", p.crit.and_then(number)),
    ] {
        if let Some(v) = v {
            let _ = writeln!(out, "{key} = {v}");
        }
    }
    let mut source = format!("{{ type = \"prometheus\", query = {}", string(&p.query));
    match p.range {
        Some((window, step)) => {
            let _ = write!(
                source,
                ", mode = \"range\", window = {}, step = {}",
                string(&format_duration(window)),
                string(&format_duration(step))
            );
        }
        None => source.push_str(", mode = \"instant\""),
    }
    if let Some(l) = &p.legend {
        let _ = write!(source, ", legend = {}", string(l));
    }
    source.push_str(" }");
    let _ = writeln!(out, "source = {source}");
}
