//! Lenient reading of a dashboard's JSON values: a field of an unexpected shape reads as
//! absent (an empty string, no number), never as an error; the variables, datasources,
//! queries and thresholds every panel and dashboard carries.

use super::{Datasource, Step, Target, Thresholds, Variable};
use serde_json::Value as Json;

pub(super) fn arr<'a>(v: &'a Json, key: &str) -> &'a [Json] {
    v.get(key)
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

pub(super) fn str_of(v: &Json, key: &str) -> String {
    v.get(key)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A number written as a number or as a string (`"100"`), as classic dashboards do.
pub(super) fn num(v: Option<&Json>) -> Option<f64> {
    match v? {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

pub(super) fn uint(v: &Json, key: &str) -> u32 {
    num(v.get(key)).map_or(0, |x| x.clamp(0.0, 10_000.0) as u32)
}

/// Strings of a value that is a string or a list of strings.
pub(super) fn strings(v: Option<&Json>) -> Vec<String> {
    match v {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(a)) => a
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

pub(super) fn variable(v: &Json) -> Option<Variable> {
    let name = str_of(v, "name");
    if name.is_empty() {
        return None;
    }
    // `query` is a string, or (newer Prometheus variables) an object holding one.
    let query = match v.get("query") {
        Some(Json::String(s)) => s.clone(),
        Some(q @ Json::Object(_)) => str_of(q, "query"),
        _ => String::new(),
    };
    let current = strings(v.get("current").and_then(|c| c.get("value")));
    let options = arr(v, "options")
        .iter()
        .flat_map(|o| strings(o.get("value")))
        .collect();
    Some(Variable {
        name,
        kind: str_of(v, "type"),
        query,
        current,
        options,
        multi: v.get("multi").and_then(Json::as_bool).unwrap_or(false),
        include_all: v.get("includeAll").and_then(Json::as_bool).unwrap_or(false),
        custom_all: v
            .get("allValue")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        regex: str_of(v, "regex"),
        sort: v.get("sort").and_then(Json::as_u64).unwrap_or(0),
    })
}

/// A datasource as a panel or a query names it.
pub fn datasource(v: Option<&Json>) -> Datasource {
    let from_name = |s: &str| match s {
        "" | "default" => Datasource::Default,
        "-- Mixed --" => Datasource::Mixed,
        "-- Grafana --" | "-- Dashboard --" | "grafana" => Datasource::Builtin(s.to_string()),
        s => Datasource::Named(s.to_string()),
    };
    match v {
        None | Some(Json::Null) => Datasource::Default,
        Some(Json::String(s)) => from_name(s),
        Some(o @ Json::Object(_)) => {
            let uid = str_of(o, "uid");
            match str_of(o, "type").as_str() {
                "datasource" if uid == "grafana" || uid == "-- Dashboard --" => {
                    Datasource::Builtin(uid)
                }
                "datasource" if uid == "-- Mixed --" => Datasource::Mixed,
                "" => from_name(&uid),
                t => Datasource::Typed(t.to_string()),
            }
        }
        Some(_) => Datasource::Default,
    }
}

pub(super) fn target(t: &Json) -> Target {
    Target {
        ref_id: str_of(t, "refId"),
        expr: str_of(t, "expr"),
        legend: str_of(t, "legendFormat"),
        hidden: t.get("hide").and_then(Json::as_bool).unwrap_or(false),
        datasource: t.get("datasource").map(|d| datasource(Some(d))),
    }
}

pub(super) fn steps(t: &Json) -> Thresholds {
    let steps: Vec<Step> = arr(t, "steps")
        .iter()
        .map(|s| Step {
            value: num(s.get("value")),
            color: str_of(s, "color"),
        })
        .collect();
    if steps.is_empty() {
        return Thresholds::None;
    }
    Thresholds::Steps {
        percentage: str_of(t, "mode") == "percentage",
        steps,
    }
}
