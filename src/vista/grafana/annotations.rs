//! A dashboard's annotation list (`annotations.list[]`) as `[[annotations]]` query sources:
//! a Prometheus annotation (its `expr`, or `target.expr` in current schemas) becomes a query
//! marker with its `titleFormat`/`textFormat` as the text template; Grafana's own annotation
//! store (the built-in "Annotations & Alerts", tag queries), other datasources and switched-off
//! entries are skipped, each with the reason.

use super::model::{Dashboard, Datasource, datasource};
use super::{expr, panel};
use crate::vista::config::annotations::MAX_SOURCES;
use serde_json::Value as Json;

/// One entry of the dashboard's annotation list, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub enabled: bool,
    /// `builtIn: 1`: Grafana's "Annotations & Alerts" of the dashboard's own store.
    pub builtin: bool,
    pub datasource: Datasource,
    pub expr: String,
    /// `titleFormat` and `textFormat`, `{{label}}` templates.
    pub title: String,
    pub text: String,
    /// `target.type` of a Grafana store query (`dashboard`, `tags`), empty otherwise.
    pub store: String,
}

fn str_at(v: &Json, key: &str) -> String {
    v.get(key)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The annotation list of a dashboard object.
pub fn parse(d: &Json) -> Vec<Rule> {
    let list = d
        .get("annotations")
        .and_then(|a| a.get("list"))
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    list.iter()
        .filter(|a| a.is_object())
        .map(|a| {
            let target = a.get("target").unwrap_or(&Json::Null);
            let expr = Some(str_at(a, "expr"))
                .filter(|e| !e.trim().is_empty())
                .unwrap_or_else(|| str_at(target, "expr"));
            Rule {
                name: str_at(a, "name"),
                enabled: a.get("enable").and_then(Json::as_bool).unwrap_or(true),
                builtin: a
                    .get("builtIn")
                    .and_then(Json::as_u64)
                    .is_some_and(|b| b == 1),
                datasource: datasource(a.get("datasource")),
                expr,
                title: str_at(a, "titleFormat"),
                text: str_at(a, "textFormat"),
                store: str_at(target, "type"),
            }
        })
        .collect()
}

/// An annotation source as it will be written.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkPlan {
    pub id: String,
    pub name: String,
    pub query: String,
    pub text: Option<String>,
}

/// The annotation sources of a dashboard, and a line for each entry skipped.
pub fn plan(dash: &Dashboard, scope: &expr::Scope) -> (Vec<MarkPlan>, Vec<String>) {
    let (mut plans, mut skipped) = (Vec::new(), Vec::new());
    for r in &dash.annotations {
        let name = if r.name.is_empty() {
            "(unnamed)"
        } else {
            &r.name
        };
        let skip = |why: &str| format!("annotation \"{name}\": {why}");
        if r.builtin || matches!(r.datasource, Datasource::Builtin(_)) {
            let what = match r.store.as_str() {
                "tags" => "Grafana's annotation store, by tag",
                _ => "Grafana's own annotations and alerts of this dashboard",
            };
            skipped.push(skip(&format!("{what}, not a Prometheus query")));
            continue;
        }
        match panel::plugin(dash, &r.datasource) {
            Ok(p) if p == "prometheus" => {}
            Ok(p) => {
                skipped.push(skip(&format!("its datasource is `{p}`, not Prometheus")));
                continue;
            }
            Err(e) => {
                skipped.push(skip(&e));
                continue;
            }
        }
        if r.expr.trim().is_empty() {
            skipped.push(skip("it has no query"));
            continue;
        }
        if !r.enabled {
            skipped.push(skip("switched off in the dashboard"));
            continue;
        }
        if plans.len() >= MAX_SOURCES {
            skipped.push(skip(&format!(
                "a vista holds at most {MAX_SOURCES} annotation sources"
            )));
            continue;
        }
        let sub = scope.substitute(&r.expr);
        if !sub.missing.is_empty() {
            skipped.push(skip(&format!(
                "${} has no value; pass --var {}=VALUE",
                sub.missing.join(", $"),
                sub.missing[0]
            )));
            continue;
        }
        let text = [&r.title, &r.text]
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.trim().to_string())
            .collect::<Vec<_>>()
            .join(": ");
        let mut id = slug(name);
        let base = id.clone();
        let mut n = 2;
        while plans.iter().any(|p: &MarkPlan| p.id == id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        plans.push(MarkPlan {
            id,
            name: name.to_string(),
            query: sub.text,
            text: (!text.is_empty()).then_some(text),
        });
    }
    (plans, skipped)
}

/// An id from a name: lower-case letters, digits and dashes.
fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() { "annotation".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DASH: &str = r#"{"title": "t", "panels": [], "annotations": {"list": [
      {"builtIn": 1, "datasource": {"type": "datasource", "uid": "grafana"}, "enable": true, "name": "Annotations & Alerts", "target": {"type": "dashboard"}},
      {"datasource": {"type": "datasource", "uid": "grafana"}, "enable": true, "name": "oncall", "target": {"type": "tags", "tags": ["oncall"]}},
      {"datasource": {"type": "prometheus", "uid": "p"}, "enable": true, "name": "Restarts", "expr": "changes(process_start_time_seconds{job=\"$job\"}[2m]) > 0", "titleFormat": "restart", "textFormat": "{{instance}}"},
      {"datasource": "${DS_PROMETHEUS}", "enable": true, "name": "Deploys", "target": {"expr": "deploy_info{env=\"$env\"}", "refId": "Anno"}},
      {"datasource": {"type": "loki", "uid": "l"}, "enable": true, "name": "logs", "expr": "{app=\"x\"}"},
      {"datasource": {"type": "prometheus", "uid": "p"}, "enable": false, "name": "off", "expr": "up == 0"}
    ]}}"#;

    #[test]
    fn prometheus_annotations_become_query_sources_and_the_rest_is_said() {
        let dash = crate::vista::grafana::model::parse(DASH, "d.json").unwrap();
        let mut scope = expr::Scope::default();
        scope.builtins.insert("job".into(), "node".into());
        let (plans, skipped) = plan(&dash, &scope);
        assert_eq!(plans.len(), 1, "{plans:?} {skipped:?}");
        assert_eq!(plans[0].id, "restarts");
        assert_eq!(
            plans[0].query,
            "changes(process_start_time_seconds{job=\"node\"}[2m]) > 0"
        );
        assert_eq!(plans[0].text.as_deref(), Some("restart: {{instance}}"));
        let all = skipped.join("\n");
        assert!(
            all.contains("\"Annotations & Alerts\": Grafana's own annotations"),
            "{all}"
        );
        assert!(
            all.contains("\"oncall\": Grafana's annotation store, by tag"),
            "{all}"
        );
        assert!(all.contains("\"Deploys\": $env has no value"), "{all}");
        assert!(all.contains("\"logs\": its datasource is `loki`"), "{all}");
        assert!(all.contains("\"off\": switched off"), "{all}");
        scope.builtins.insert("env".into(), "prod".into());
        let (plans, _) = plan(&dash, &scope);
        assert_eq!(plans[1].query, "deploy_info{env=\"prod\"}");
        assert_eq!(plans[1].text, None);
    }
}
