//! `type = "alertmanager"`: alert groups and silences over Alertmanager's API v2
//! (`/api/v2/alerts/groups`, `/api/v2/silences`), through the vista's one HTTP client
//! ([`super::http`]), so credentials, the CA and the errors that say what to fix are the same as
//! for Prometheus.

use super::http::Http;
use super::one_line;
use crate::vista::alert_groups::{AlertGroups, AmState, Listing, RawAlert, Silence};
use crate::vista::config::AmAlerts;
use crate::vista::state::Reading;
use crate::vista::time::{now_unix, parse_rfc3339};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::time::Duration;

/// Polls one Alertmanager.
pub struct AlertmanagerSource {
    def: AmAlerts,
    http: Http,
}

impl AlertmanagerSource {
    pub fn new(def: AmAlerts, timeout: Duration) -> AlertmanagerSource {
        AlertmanagerSource {
            http: Http::new(&def.url, &def.access, timeout),
            def,
        }
    }

    fn json(&self, path: &str, params: &[(&str, &str)]) -> Result<Json, String> {
        let answer = self.http.get(path, params)?;
        if !(200..300).contains(&answer.status) {
            // Alertmanager answers a bad filter with 400 and a JSON string or object.
            let msg = serde_json::from_str::<Json>(&answer.body)
                .ok()
                .and_then(|j| match j {
                    Json::String(s) => Some(s),
                    Json::Object(o) => o.get("message").and_then(Json::as_str).map(String::from),
                    _ => None,
                })
                .unwrap_or_else(|| answer.body.clone());
            let hint = if answer.status == 404 {
                " (is it an Alertmanager with API v2, with the right path prefix in the url?)"
            } else {
                ""
            };
            return Err(format!(
                "Alertmanager HTTP {} from {}{path}{hint}: {}",
                answer.status,
                self.http.base(),
                one_line(&msg, 300)
            ));
        }
        serde_json::from_str(&answer.body).map_err(|_| {
            format!(
                "HTTP {} from {}{path}: not an Alertmanager API v2 answer: {}",
                answer.status,
                self.http.base(),
                one_line(&answer.body, 120)
            )
        })
    }
}

fn strings(v: &Json) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn list(v: &Json) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// The alerts of a `/api/v2/alerts/groups` answer, each with its group's labels.
pub fn parse_groups(data: &Json) -> Result<Vec<RawAlert>, String> {
    let groups = data.as_array().ok_or("the alert groups are not a list")?;
    let mut out = Vec::new();
    for g in groups {
        let group_labels = strings(&g["labels"]);
        for a in g["alerts"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let status = &a["status"];
            let silenced_by = list(&status["silencedBy"]);
            let inhibited_by = list(&status["inhibitedBy"]);
            let state = match status["state"].as_str() {
                Some("suppressed") if !silenced_by.is_empty() => AmState::Silenced,
                Some("suppressed") => AmState::Inhibited,
                _ => AmState::Firing,
            };
            let ann = strings(&a["annotations"]);
            out.push(RawAlert {
                fingerprint: a["fingerprint"].as_str().unwrap_or_default().to_string(),
                labels: strings(&a["labels"]),
                summary: ["summary", "description", "message"]
                    .iter()
                    .find_map(|k| ann.get(*k).filter(|s| !s.is_empty()))
                    .map(|s| one_line(s, 300))
                    .unwrap_or_default(),
                starts_at: a["startsAt"].as_str().and_then(parse_rfc3339),
                state,
                silenced_by,
                inhibited_by,
                group_labels: group_labels.clone(),
            });
        }
    }
    Ok(out)
}

/// The silences of a `/api/v2/silences` answer.
pub fn parse_silences(data: &Json) -> Result<Vec<Silence>, String> {
    let list = data.as_array().ok_or("the silences are not a list")?;
    Ok(list
        .iter()
        .map(|s| {
            let matchers = s["matchers"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|m| {
                    let eq = m["isEqual"].as_bool().unwrap_or(true);
                    let re = m["isRegex"].as_bool().unwrap_or(false);
                    let op = match (eq, re) {
                        (true, false) => "=",
                        (false, false) => "!=",
                        (true, true) => "=~",
                        (false, true) => "!~",
                    };
                    format!(
                        "{}{op}{:?}",
                        m["name"].as_str().unwrap_or_default(),
                        m["value"].as_str().unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            Silence {
                id: s["id"].as_str().unwrap_or_default().to_string(),
                matchers,
                state: s["status"]["state"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                starts_at: s["startsAt"].as_str().and_then(parse_rfc3339),
                ends_at: s["endsAt"].as_str().and_then(parse_rfc3339),
                created_by: one_line(s["createdBy"].as_str().unwrap_or_default(), 60),
                comment: one_line(s["comment"].as_str().unwrap_or_default(), 200),
            }
        })
        .collect())
}

impl super::BlockingSource for AlertmanagerSource {
    fn poll(&mut self) -> Result<Reading, String> {
        let mut params = vec![
            ("active", "true"),
            ("silenced", "true"),
            ("inhibited", "true"),
        ];
        for f in &self.def.filter {
            params.push(("filter", f));
        }
        let alerts = parse_groups(&self.json("/api/v2/alerts/groups", &params)?)?;
        let silences = parse_silences(&self.json("/api/v2/silences", &[])?)?;
        let listing = Listing {
            group_by: self.def.group_by.clone(),
            silenced: self.def.silenced,
            inhibited: self.def.inhibited,
            silences: self.def.silences,
        };
        Ok(Reading::Alertmanager(AlertGroups::build(
            alerts,
            silences,
            &listing,
            now_unix(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_groups_and_silences_of_api_v2() {
        let groups: Json = serde_json::from_str(
            r#"[{"labels":{"alertname":"Down"},"receiver":{"name":"r"},"alerts":[
              {"fingerprint":"f1","labels":{"alertname":"Down","severity":"page"},
               "annotations":{"description":"host down"},"startsAt":"2024-05-01T10:00:00Z",
               "status":{"state":"active","silencedBy":[],"inhibitedBy":[]}},
              {"fingerprint":"f2","labels":{"alertname":"Down"},"annotations":{},
               "startsAt":"2024-05-01T10:00:00.5Z",
               "status":{"state":"suppressed","silencedBy":["s1"],"inhibitedBy":[]}},
              {"fingerprint":"f3","labels":{"alertname":"Down"},"annotations":{},
               "status":{"state":"suppressed","silencedBy":[],"inhibitedBy":["f1"]}}]}]"#,
        )
        .unwrap();
        let a = parse_groups(&groups).unwrap();
        assert_eq!(
            a.iter().map(|a| a.state).collect::<Vec<_>>(),
            [AmState::Firing, AmState::Silenced, AmState::Inhibited]
        );
        assert_eq!(a[0].summary, "host down");
        assert_eq!(a[0].starts_at, Some(1_714_557_600.0));
        assert_eq!(a[2].group_labels["alertname"], "Down");
        let sil: Json = serde_json::from_str(
            r#"[{"id":"s1","status":{"state":"active"},"createdBy":"ops","comment":"deploy",
                 "startsAt":"2024-05-01T10:00:00Z","endsAt":"2024-05-01T11:00:00Z",
                 "matchers":[{"name":"alertname","value":"Down","isRegex":false,"isEqual":true},
                             {"name":"job","value":"a|b","isRegex":true,"isEqual":false}]}]"#,
        )
        .unwrap();
        let s = parse_silences(&sil).unwrap();
        assert_eq!(s[0].matchers, r#"alertname="Down", job!~"a|b""#);
        assert_eq!(s[0].ends_at, Some(1_714_561_200.0));
        assert!(parse_groups(&serde_json::json!({"a": 1})).is_err());
    }
}
