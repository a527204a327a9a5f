//! The panels of either schema in one list: each panel's fields, and where it sits on the
//! 24-column grid (the current schema's `gridPos`, the classic schema's rows and spans).

use super::json::{arr, datasource, num, steps, str_of, strings, target, uint};
use super::{Panel, Place, Thresholds};
use serde_json::Value as Json;

/// What every panel carries, whatever the schema; `row`, `collapsed` and `place` are the caller's.
pub(super) fn panel(p: &Json, row: Option<&str>, collapsed: bool, place: Place) -> Panel {
    let kind = str_of(p, "type");
    let defaults = p
        .get("fieldConfig")
        .and_then(|f| f.get("defaults"))
        .unwrap_or(&Json::Null);
    let left_axis = arr(p, "yaxes").first().cloned().unwrap_or(Json::Null);
    let unit = [
        defaults.get("unit"),
        left_axis.get("format"),
        p.get("format"),
    ]
    .into_iter()
    .flatten()
    .filter_map(Json::as_str)
    .find(|u| !u.is_empty())
    .map(str::to_string);
    let gauge_cfg = p.get("gauge").unwrap_or(&Json::Null);
    let min = num(defaults.get("min"))
        .or_else(|| num(left_axis.get("min")))
        .or_else(|| num(gauge_cfg.get("minValue")));
    let max = num(defaults.get("max"))
        .or_else(|| num(left_axis.get("max")))
        .or_else(|| num(gauge_cfg.get("maxValue")));
    let thresholds = if let Some(t) = defaults.get("thresholds") {
        steps(t)
    } else if let Some(list) = p.get("thresholds").and_then(Json::as_array) {
        Thresholds::Graph(
            list.iter()
                .filter_map(|t| {
                    let v = num(t.get("value"))?;
                    Some((v, str_of(t, "op") != "lt", str_of(t, "colorMode")))
                })
                .collect(),
        )
    } else if let Some(s) = p.get("thresholds").and_then(Json::as_str) {
        let values: Vec<f64> = s
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .filter(|x: &f64| x.is_finite())
            .collect();
        if values.is_empty() {
            Thresholds::None
        } else {
            Thresholds::Singlestat(values, strings(p.get("colors")))
        }
    } else {
        Thresholds::None
    };
    let calc = p
        .get("options")
        .and_then(|o| o.get("reduceOptions"))
        .map(|r| strings(r.get("calcs")))
        .and_then(|c| c.into_iter().next());
    Panel {
        id: p.get("id").and_then(Json::as_i64),
        title: str_of(p, "title"),
        kind,
        description: str_of(p, "description"),
        row: row.map(str::to_string),
        collapsed,
        place,
        datasource: datasource(p.get("datasource")),
        targets: arr(p, "targets").iter().map(target).collect(),
        unit,
        min,
        max,
        thresholds,
        repeat: p
            .get("repeat")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        transformations: arr(p, "transformations").len(),
        gauge: gauge_cfg
            .get("show")
            .and_then(Json::as_bool)
            .unwrap_or(false),
        interval: p
            .get("interval")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        calc,
    }
}

pub(super) fn grid_pos(p: &Json) -> Place {
    let g = p.get("gridPos").unwrap_or(&Json::Null);
    Place {
        x: uint(g, "x"),
        y: uint(g, "y"),
        w: uint(g, "w").max(1),
        h: uint(g, "h").max(1),
    }
}

/// The current schema: panels in order, a `row` panel opening a row; a collapsed row carries
/// its panels inside it, an open one is followed by them.
/// Inside a row, panels are put in reading order (top to bottom, left to right), as Grafana
/// draws them whatever order the JSON lists them in.
pub(super) fn current_panels(list: &[Json]) -> Vec<Panel> {
    let mut out = Vec::new();
    let mut this_row: Vec<Panel> = Vec::new();
    let mut flush = |this_row: &mut Vec<Panel>| {
        this_row.sort_by_key(|p| (p.place.y, p.place.x));
        out.append(this_row);
    };
    let mut row: Option<String> = None;
    let mut collapsed = false;
    for p in list {
        if str_of(p, "type") == "row" {
            flush(&mut this_row);
            row = Some(str_of(p, "title"));
            collapsed = p.get("collapsed").and_then(Json::as_bool).unwrap_or(false);
            for inner in arr(p, "panels") {
                this_row.push(panel(inner, row.as_deref(), true, grid_pos(inner)));
            }
            continue;
        }
        this_row.push(panel(p, row.as_deref(), collapsed, grid_pos(p)));
    }
    flush(&mut this_row);
    out
}

/// The classic schema: rows of panels, each `span` twelfths wide, wrapping inside the row; a
/// row's `height` (`"250px"`) sets its panels' height.
pub(super) fn classic_panels(rows: &[Json]) -> Vec<Panel> {
    let mut out = Vec::new();
    let mut y = 0u32;
    for r in rows {
        let title = str_of(r, "title");
        let collapsed = r.get("collapse").and_then(Json::as_bool).unwrap_or(false);
        let px = match r.get("height") {
            Some(Json::String(s)) => s.trim_end_matches("px").trim().parse().unwrap_or(250.0),
            other => num(other).unwrap_or(250.0),
        };
        let h = ((px / 30.0).round() as u32).clamp(1, 100);
        let mut x = 0u32;
        for p in arr(r, "panels") {
            let w = num(p.get("span")).map_or(12, |s| (s.clamp(1.0, 12.0) * 2.0).round() as u32);
            if x + w > 24 {
                x = 0;
                y += h;
            }
            out.push(panel(p, Some(&title), collapsed, Place { x, y, w, h }));
            x += w;
        }
        y += h;
    }
    out
}
