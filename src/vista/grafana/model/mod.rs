//! A Grafana dashboard's JSON read into one plain shape, whatever its schema: the classic one
//! (`rows[]`, each with `panels[]` sized by a 12-column `span`) and the current one (`panels[]`
//! placed by `gridPos` on a 24-column grid, `row` panels, a collapsed row holding its panels).
//! Reading is lenient: dashboards differ wildly in what they carry, so a field of an unexpected
//! shape is treated as absent, and only text that is not JSON at all is an error.

use crate::diag::Diagnostic;
use serde_json::Value as Json;

mod json;
mod panels;

pub use json::datasource;
use json::{arr, str_of, variable};
use panels::{classic_panels, current_panels};

/// A dashboard, normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub title: String,
    /// `schemaVersion` (0 when absent).
    pub schema: u64,
    /// Whether it used the classic `rows[]` layout.
    pub classic: bool,
    /// `time.from` (`now-24h`).
    pub time_from: Option<String>,
    /// `refresh` (`1m`), when it auto-refreshes.
    pub refresh: Option<String>,
    /// `__inputs` of a dashboard exported for sharing: `DS_PROMETHEUS` and the plugin it stands for.
    pub inputs: Vec<(String, String)>,
    pub variables: Vec<Variable>,
    pub panels: Vec<Panel>,
    /// `annotations.list[]`.
    pub annotations: Vec<super::annotations::Rule>,
}

/// A template variable (`templating.list[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub name: String,
    /// `query`, `custom`, `constant`, `interval`, `textbox`, `datasource`, `adhoc`…
    pub kind: String,
    /// The query text (`label_values(up, job)`), or the options of a custom / interval variable.
    pub query: String,
    /// What `current.value` holds (several when multi-valued); `$__all` stands for "All".
    pub current: Vec<String>,
    /// Values listed in `options[]`.
    pub options: Vec<String>,
    pub multi: bool,
    pub include_all: bool,
    pub custom_all: Option<String>,
    /// `regex`: a `/pattern/` filtering (and, with a group, extracting) the values found.
    pub regex: String,
    /// `sort`: 0 none, 1/2 alphabetical up/down, 3/4 numerical, 5/6 case-insensitive.
    pub sort: u64,
}

/// A panel's place on the 24-column grid, in Grafana's units (a unit of height is ~30 px).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Place {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// Where a panel's queries go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Datasource {
    /// None named: the dashboard's default.
    Default,
    /// A plugin type (`prometheus`, `loki`…), known from the panel, an input or a variable.
    Typed(String),
    /// Only a name we cannot type (`"Prometheus"`, `"${DS_X}"` without an input).
    Named(String),
    /// `-- Mixed --`: each query names its own.
    Mixed,
    /// `-- Grafana --` (built-in test data, annotations) or `-- Dashboard --`.
    Builtin(String),
}

/// One query of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub ref_id: String,
    pub expr: String,
    pub legend: String,
    pub hidden: bool,
    pub datasource: Option<Datasource>,
}

/// A threshold step: from `value` up (`None`: from minus infinity), in `color`.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub value: Option<f64>,
    pub color: String,
}

/// Thresholds as the dashboard wrote them, in one of its three forms.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Thresholds {
    #[default]
    None,
    /// `fieldConfig.defaults.thresholds`: steps, absolute or as a percentage of min..max.
    Steps { percentage: bool, steps: Vec<Step> },
    /// A classic graph's `thresholds[]`: a value, `gt`/`lt`, and `warning`/`critical`.
    Graph(Vec<(f64, bool, String)>),
    /// A singlestat's `"70,90"` with its three `colors` (the first for the lowest values).
    Singlestat(Vec<f64>, Vec<String>),
}

/// One panel, with the row it sits in.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub id: Option<i64>,
    pub title: String,
    /// `type`: `timeseries`, `graph`, `stat`, `gauge`…
    pub kind: String,
    pub description: String,
    /// Title of the row it sits in (`None` above the first row).
    pub row: Option<String>,
    /// Whether that row is collapsed when the dashboard opens.
    pub collapsed: bool,
    pub place: Place,
    pub datasource: Datasource,
    pub targets: Vec<Target>,
    /// Unit id (`percent`, `bytes`, `s`…): `fieldConfig.defaults.unit`, a graph's left y axis
    /// `format`, or a singlestat's `format`.
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub thresholds: Thresholds,
    /// `repeat`: the variable the panel is repeated over.
    pub repeat: Option<String>,
    /// `transformations[]` count (a table's joins and renames).
    pub transformations: usize,
    /// A singlestat drawn as a gauge (`gauge.show`).
    pub gauge: bool,
    /// `interval`: the panel's lowest query interval (`30s`, `$interval`).
    pub interval: Option<String>,
    /// `reduceOptions.calcs[0]` of a stat, gauge or bar gauge (`lastNotNull`, `mean`…).
    pub calc: Option<String>,
}

/// The largest dashboard read (node-exporter-full is under half a MiB).
pub const MAX_DASHBOARD_BYTES: u64 = 16 << 20;

/// Reads dashboard JSON. Text that is not JSON is an error at its line and column; an object
/// that is not a dashboard (no `panels` and no `rows`) is an error about the whole file.
pub fn parse(text: &str, file: &str) -> Result<Dashboard, Diagnostic> {
    let json: Json = serde_json::from_str(text).map_err(|e| json_error(text, file, &e))?;
    // An export through the HTTP API wraps the dashboard: `{"dashboard": {...}, "meta": {...}}`.
    let d = match json.get("dashboard") {
        Some(inner) if inner.is_object() && json.get("panels").is_none() => inner,
        _ => &json,
    };
    if !d.is_object() {
        return Err(Diagnostic::at(
            file,
            text,
            Some(0..0),
            "not a Grafana dashboard: the JSON is not an object",
        ));
    }
    let rows = d.get("rows").and_then(Json::as_array);
    let panels = d.get("panels").and_then(Json::as_array);
    if rows.is_none() && panels.is_none() {
        return Err(Diagnostic::whole(
            file,
            "not a Grafana dashboard: it has neither `panels` nor `rows`",
        ));
    }
    let inputs = arr(d, "__inputs")
        .iter()
        .filter(|i| str_of(i, "type") == "datasource")
        .map(|i| (str_of(i, "name"), str_of(i, "pluginId")))
        .collect();
    let variables = arr(d.get("templating").unwrap_or(&Json::Null), "list")
        .iter()
        .filter_map(variable)
        .collect();
    let classic = rows.is_some_and(|r| !r.is_empty()) && panels.is_none_or(|p| p.is_empty());
    let panels = if classic {
        classic_panels(rows.map(Vec::as_slice).unwrap_or_default())
    } else {
        current_panels(panels.map(Vec::as_slice).unwrap_or_default())
    };
    Ok(Dashboard {
        title: str_of(d, "title"),
        schema: d.get("schemaVersion").and_then(Json::as_u64).unwrap_or(0),
        classic,
        time_from: d
            .get("time")
            .and_then(|t| t.get("from"))
            .and_then(Json::as_str)
            .map(str::to_string),
        refresh: d
            .get("refresh")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        inputs,
        variables,
        panels,
        annotations: super::annotations::parse(d),
    })
}

/// A JSON syntax error at its line and column.
fn json_error(text: &str, file: &str, e: &serde_json::Error) -> Diagnostic {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the position goes in front instead.
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m)
        .to_string();
    if e.line() == 0 {
        return Diagnostic::whole(file, format!("not JSON: {msg}"));
    }
    // serde_json counts columns in bytes; the diagnostic counts characters.
    let line_start: usize = text
        .split_inclusive('\n')
        .take(e.line() - 1)
        .map(str::len)
        .sum();
    let mut at = (line_start + e.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    Diagnostic::at(file, text, Some(at..at), format!("not JSON: {msg}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_json_is_positioned() {
        let e = parse("{\n  \"panels\": [1,\n  ]\n}", "d.json").unwrap_err();
        assert_eq!((e.line, e.col), (3, 3), "{e}");
        assert!(e.message.starts_with("not JSON"), "{e}");
    }

    #[test]
    fn column_counts_characters() {
        let e = parse("{\"title\": \"é\" x}", "d.json").unwrap_err();
        assert_eq!((e.line, e.col), (1, 15), "{e}");
    }

    #[test]
    fn not_a_dashboard() {
        let e = parse("{\"a\": 1}", "d.json").unwrap_err();
        assert!(e.message.contains("neither"), "{e}");
        assert!(parse("[1]", "d.json").is_err());
    }

    #[test]
    fn collapsed_rows_hold_their_panels() {
        let d = parse(
            r#"{"panels": [
              {"type": "row", "title": "A", "collapsed": false, "gridPos": {"x":0,"y":0,"w":24,"h":1}},
              {"type": "stat", "title": "s", "gridPos": {"x":0,"y":1,"w":6,"h":4}},
              {"type": "row", "title": "B", "collapsed": true, "panels": [
                {"type": "graph", "title": "g", "gridPos": {"x":0,"y":6,"w":12,"h":8}}
              ]}
            ]}"#,
            "d.json",
        )
        .unwrap();
        let got: Vec<_> = d
            .panels
            .iter()
            .map(|p| (p.title.as_str(), p.row.as_deref(), p.collapsed))
            .collect();
        assert_eq!(got, [("s", Some("A"), false), ("g", Some("B"), true)]);
    }

    #[test]
    fn panels_of_a_row_are_read_in_grid_order() {
        let d = parse(
            r#"{"panels": [
              {"type": "stat", "title": "below", "gridPos": {"x":0,"y":4,"w":6,"h":4}},
              {"type": "stat", "title": "right", "gridPos": {"x":6,"y":0,"w":6,"h":4}},
              {"type": "stat", "title": "left", "gridPos": {"x":0,"y":0,"w":6,"h":4}},
              {"type": "row", "title": "R", "gridPos": {"x":0,"y":8,"w":24,"h":1}},
              {"type": "stat", "title": "r2", "gridPos": {"x":6,"y":9,"w":6,"h":4}},
              {"type": "stat", "title": "r1", "gridPos": {"x":0,"y":9,"w":6,"h":4}}
            ]}"#,
            "d.json",
        )
        .unwrap();
        let titles: Vec<_> = d.panels.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["left", "right", "below", "r1", "r2"]);
    }

    #[test]
    fn classic_rows_wrap_by_span() {
        let d = parse(
            r#"{"rows": [{"title": "r", "height": "300px", "panels": [
                {"type": "graph", "span": 8}, {"type": "graph", "span": 6}]}]}"#,
            "d.json",
        )
        .unwrap();
        assert!(d.classic);
        let places: Vec<_> = d.panels.iter().map(|p| p.place).collect();
        assert_eq!(
            places[0],
            Place {
                x: 0,
                y: 0,
                w: 16,
                h: 10
            }
        );
        assert_eq!(
            places[1],
            Place {
                x: 0,
                y: 10,
                w: 12,
                h: 10
            }
        );
    }

    #[test]
    fn api_export_is_unwrapped() {
        let d = parse(
            r#"{"dashboard": {"title": "t", "panels": []}, "meta": {}}"#,
            "d",
        )
        .unwrap();
        assert_eq!(d.title, "t");
    }
}
