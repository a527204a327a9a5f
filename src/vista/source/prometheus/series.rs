//! The series of a query's answer: label sets, points, stable keys and legends.

use crate::vista::source::one_line;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// One series of a query result.
#[derive(Debug, Clone, PartialEq)]
pub struct PromSeries {
    pub labels: BTreeMap<String, String>,
    /// `(unix seconds, value)`; NaN and infinities are kept as Prometheus sent them.
    pub points: Vec<(f64, f64)>,
}

impl PromSeries {
    /// A stable key for the label set: `{a="1",b="2"}` (with `__name__` first when present).
    pub fn key(&self) -> String {
        if self.labels.is_empty() {
            return "value".into();
        }
        let name = self.labels.get("__name__").map_or("", String::as_str);
        let rest: Vec<String> = self
            .labels
            .iter()
            .filter(|(k, _)| *k != "__name__")
            .map(|(k, v)| format!("{k}={v:?}"))
            .collect();
        format!("{name}{{{}}}", rest.join(","))
    }

    /// A legend: the `legend` template with `{{label}}` filled in, else `name{labels}`, else
    /// `fallback` (the query) for a series without labels.
    pub fn legend(&self, template: Option<&str>, fallback: &str) -> String {
        if let Some(t) = template {
            return fill_template(t, &self.labels);
        }
        let name = self.labels.get("__name__").cloned().unwrap_or_default();
        let rest: Vec<String> = self
            .labels
            .iter()
            .filter(|(k, _)| *k != "__name__")
            .map(|(k, v)| format!("{k}={v:?}"))
            .collect();
        match (name.is_empty(), rest.is_empty()) {
            (true, true) => one_line(fallback, 60),
            (false, true) => name,
            (_, false) => format!("{name}{{{}}}", rest.join(",")),
        }
    }
}

fn fill_template(t: &str, labels: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after.find("}}") {
            Some(close) => {
                let key = after[..close].trim().trim_start_matches('.');
                out.push_str(labels.get(key).map_or("", String::as_str));
                rest = &after[close + 2..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn num(v: &Json) -> Option<f64> {
    match v {
        Json::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "+Inf" | "Inf" => Some(f64::INFINITY),
            "-Inf" => Some(f64::NEG_INFINITY),
            s => s.parse().ok(),
        },
        Json::Number(n) => n.as_f64(),
        _ => None,
    }
}

fn point(v: &Json) -> Option<(f64, f64)> {
    Some((v.get(0)?.as_f64()?, num(v.get(1)?)?))
}

pub(super) fn labels(v: &Json) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Parses the `data` of a query answer (vector, matrix or scalar).
pub fn parse_result(data: &Json) -> Result<Vec<PromSeries>, String> {
    let kind = data.get("resultType").and_then(Json::as_str).unwrap_or("");
    let result = data.get("result").ok_or("no result in the answer")?;
    match kind {
        "vector" => Ok(result
            .as_array()
            .ok_or("vector result is not an array")?
            .iter()
            .map(|s| PromSeries {
                labels: labels(&s["metric"]),
                points: point(&s["value"]).into_iter().collect(),
            })
            .collect()),
        "matrix" => Ok(result
            .as_array()
            .ok_or("matrix result is not an array")?
            .iter()
            .map(|s| PromSeries {
                labels: labels(&s["metric"]),
                points: s["values"]
                    .as_array()
                    .map(|a| a.iter().filter_map(point).collect())
                    .unwrap_or_default(),
            })
            .collect()),
        "scalar" => Ok(vec![PromSeries {
            labels: BTreeMap::new(),
            points: point(result).into_iter().collect(),
        }]),
        "string" => Err("the query returns a string, not numbers".into()),
        other => Err(format!("unknown result type `{other}`")),
    }
}
