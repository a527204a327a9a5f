//! A small blocking client of one Prometheus server's HTTP API: instant and range queries
//! and its alerts, each answer checked and its errors said in a way that says what to fix.

use super::series::{PromSeries, labels, parse_result};
use crate::vista::config::Access;
use crate::vista::source::http::Http;
use crate::vista::source::one_line;
use crate::vista::state::AlertItem;
use crate::vista::time::parse_rfc3339;
use serde_json::Value as Json;
use std::time::Duration;

/// A blocking client for one Prometheus server.
#[derive(Debug, Clone)]
pub struct Client {
    http: Http,
}

fn time_param(t: f64) -> String {
    format!("{t:.3}")
}

impl Client {
    /// A client for the server at `base` (e.g. `http://127.0.0.1:9090`); each request gives up
    /// after `timeout`.
    pub fn new(base: &str, timeout: Duration) -> Client {
        Client::with_access(base, &Access::default(), timeout)
    }

    /// A client that sends the credentials and headers of `access` and trusts its CA file.
    pub fn with_access(base: &str, access: &Access, timeout: Duration) -> Client {
        Client {
            http: Http::new(base, access, timeout),
        }
    }

    pub fn base(&self) -> &str {
        self.http.base()
    }

    /// GETs an API path and returns the answer's `data`, or Prometheus' own error message.
    pub fn api(&self, path: &str, params: &[(&str, &str)]) -> Result<Json, String> {
        let answer = self.http.get(path, params)?;
        let (status, body) = (answer.status, answer.body);
        let mut json: Json = serde_json::from_str(&body).map_err(|_| {
            let hint = if status == 404 {
                " (is it a Prometheus server, with the right path prefix in the url?)"
            } else {
                ""
            };
            format!(
                "HTTP {status} from {}{path}: not a Prometheus API answer{hint}: {}",
                self.base(),
                one_line(&body, 120)
            )
        })?;
        match json.get("status").and_then(Json::as_str) {
            Some("success") => Ok(json
                .as_object_mut()
                .and_then(|m| m.remove("data"))
                .unwrap_or(Json::Null)),
            _ => {
                let kind = json
                    .get("errorType")
                    .and_then(Json::as_str)
                    .unwrap_or("error");
                let msg = json
                    .get("error")
                    .and_then(Json::as_str)
                    .unwrap_or("no message");
                Err(format!(
                    "Prometheus {kind} (HTTP {status}): {}",
                    one_line(msg, 300)
                ))
            }
        }
    }

    /// An instant query, at `time` (unix seconds) or now.
    pub fn query(&self, query: &str, time: Option<f64>) -> Result<Vec<PromSeries>, String> {
        let t = time.map(time_param);
        let mut params = vec![("query", query)];
        if let Some(t) = &t {
            params.push(("time", t));
        }
        parse_result(&self.api("/api/v1/query", &params)?)
    }

    /// A range query from `start` to `end` (unix seconds) every `step`.
    pub fn query_range(
        &self,
        query: &str,
        start: f64,
        end: f64,
        step: Duration,
    ) -> Result<Vec<PromSeries>, String> {
        let (s, e) = (time_param(start), time_param(end));
        let step = format!("{:.3}", step.as_secs_f64().max(0.001));
        parse_result(&self.api(
            "/api/v1/query_range",
            &[
                ("query", query),
                ("start", &s),
                ("end", &e),
                ("step", &step),
            ],
        )?)
    }

    /// Active alerts (firing and pending).
    pub fn alerts(&self) -> Result<Vec<AlertItem>, String> {
        let data = self.api("/api/v1/alerts", &[])?;
        let list = data
            .get("alerts")
            .and_then(Json::as_array)
            .ok_or("no alerts list in the answer")?;
        let mut out: Vec<AlertItem> = list
            .iter()
            .map(|a| {
                let mut lbl = labels(&a["labels"]);
                let ann = labels(&a["annotations"]);
                let name = lbl.remove("alertname").unwrap_or_default();
                let severity = lbl.remove("severity").unwrap_or_default();
                let summary = ["summary", "description", "message"]
                    .iter()
                    .find_map(|k| ann.get(*k).filter(|s| !s.is_empty()))
                    .map(|s| one_line(s, 300))
                    .unwrap_or_default();
                AlertItem {
                    name,
                    state: a["state"].as_str().unwrap_or("").to_string(),
                    severity,
                    summary,
                    labels: lbl
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                    active_at: a["activeAt"].as_str().and_then(parse_rfc3339),
                    value: a["value"].as_str().unwrap_or("").to_string(),
                }
            })
            .collect();
        out.sort_by(|a, b| {
            (!a.is_firing(), a.active_at.unwrap_or(f64::MAX), &a.name)
                .partial_cmp(&(!b.is_firing(), b.active_at.unwrap_or(f64::MAX), &b.name))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        Ok(out)
    }
}
