//! Template variables given values, in the order Grafana does it: `--var name=value` first;
//! then, for a `label_values()` query, the values the Prometheus the vista points at holds
//! (keeping the dashboard's current value when it is one of them, as a dashboard refreshed on
//! load does); then the dashboard's saved current value; then its first saved option. The
//! Prometheus is reached through [`LabelValues`], so this stays pure.

use super::expr::{Scope, regex_escape};
use super::model::Variable;
use std::collections::BTreeMap;

/// Asks the Prometheus the vista points at which values a label takes.
pub trait LabelValues {
    /// Values of `label` over the series `selector` matches (every series when `None`).
    fn label_values(&self, label: &str, selector: Option<&str>) -> Result<Vec<String>, String>;
    /// The server, for the report.
    fn describe(&self) -> String;
}

/// No Prometheus to ask (the import was told not to, or none is set): every query says why.
pub struct Offline(pub String);

impl LabelValues for Offline {
    fn label_values(&self, _: &str, _: Option<&str>) -> Result<Vec<String>, String> {
        Err(self.0.clone())
    }
    fn describe(&self) -> String {
        "no Prometheus".into()
    }
}

/// A variable's value as it goes into queries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VarValue {
    pub values: Vec<String>,
    /// "All" was chosen: every value, or `custom_all`.
    pub all: bool,
    pub custom_all: Option<String>,
    /// Multi-valued or with "All": values are regex-escaped and joined as `(a|b)`.
    pub multi: bool,
}

impl VarValue {
    pub fn single(v: &str) -> VarValue {
        VarValue {
            values: vec![v.to_string()],
            ..VarValue::default()
        }
    }

    /// The text put into a query, in Grafana's `format` (`${var:raw}`, `${var:csv}`…).
    pub fn render(&self, format: Option<&str>) -> String {
        if self.all
            && let Some(c) = &self.custom_all
            && format.is_none()
        {
            return c.clone();
        }
        if self.all && self.values.is_empty() {
            return ".*".into();
        }
        let escaped = || -> Vec<String> { self.values.iter().map(|v| regex_escape(v)).collect() };
        let regex = |vals: Vec<String>| {
            if vals.len() == 1 {
                vals[0].clone()
            } else {
                format!("({})", vals.join("|"))
            }
        };
        match format {
            None if self.multi || self.all => regex(escaped()),
            None | Some("raw") | Some("text") => self.values.join(","),
            Some("regex") => regex(escaped()),
            Some("pipe") => self.values.join("|"),
            Some("csv") => self.values.join(","),
            Some("glob") if self.values.len() > 1 => format!("{{{}}}", self.values.join(",")),
            Some("doublequote") => self
                .values
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(","),
            Some("singlequote") => self
                .values
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(","),
            Some(_) => self.values.join(","),
        }
    }
}

/// How a variable got its value, for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct VarReport {
    pub name: String,
    /// The value as shown (`node`, `(a|b)`, `All`), empty when none was found.
    pub shown: String,
    /// Where it came from, or why there is none.
    pub origin: String,
}

/// Gives every variable a value; `flags` are `--var name=value`.
pub fn resolve(
    vars: &[Variable],
    flags: &BTreeMap<String, String>,
    base: &Scope,
    labels: &dyn LabelValues,
) -> (Scope, Vec<VarReport>) {
    let mut scope = base.clone();
    let mut reports = Vec::new();
    for v in vars {
        let (value, origin) = one(v, flags, &scope, labels);
        let shown = match &value {
            Some(x) if x.all => "All".to_string(),
            Some(x) if x.values == [""] => "\"\"".to_string(),
            Some(x) => x.render(None),
            None => String::new(),
        };
        if let Some(x) = value {
            scope.vars.insert(v.name.clone(), x);
        }
        reports.push(VarReport {
            name: v.name.clone(),
            shown,
            origin,
        });
    }
    for name in flags.keys() {
        if !vars.iter().any(|v| &v.name == name) {
            reports.push(VarReport {
                name: name.clone(),
                shown: String::new(),
                origin: "--var names no variable of this dashboard; ignored".into(),
            });
        }
    }
    (scope, reports)
}

fn value_of(v: &Variable, values: Vec<String>) -> VarValue {
    VarValue {
        all: false,
        multi: v.multi || v.include_all,
        custom_all: v.custom_all.clone(),
        values,
    }
}

fn all_of(v: &Variable, values: Vec<String>) -> VarValue {
    VarValue {
        all: true,
        ..value_of(v, values)
    }
}

fn is_all(current: &[String]) -> bool {
    current.iter().any(|c| c == "$__all")
}

fn one(
    v: &Variable,
    flags: &BTreeMap<String, String>,
    scope: &Scope,
    labels: &dyn LabelValues,
) -> (Option<VarValue>, String) {
    if let Some(f) = flags.get(&v.name) {
        return (Some(value_of(v, vec![f.clone()])), "from --var".into());
    }
    let saved: Vec<String> = v
        .current
        .iter()
        .filter(|c| !c.is_empty() && *c != "$__all")
        .cloned()
        .collect();
    match v.kind.as_str() {
        "datasource" => (
            Some(VarValue::single(&v.query)),
            format!(
                "a datasource variable: queries go to the vista's Prometheus ({})",
                v.query
            ),
        ),
        "adhoc" => (
            None,
            "ad hoc filters are not applied: add the matchers to the queries".into(),
        ),
        "query" => query_var(v, &saved, scope, labels),
        _ => {
            // custom, constant, interval, textbox: the saved value, else the first option.
            let options = if v.options.is_empty() {
                split_options(&v.query)
            } else {
                v.options.clone()
            };
            if is_all(&v.current) && v.include_all {
                let opts: Vec<String> = options.into_iter().filter(|o| o != "$__all").collect();
                return (
                    Some(all_of(v, opts)),
                    format!("the dashboard's {} value", v.kind),
                );
            }
            if !saved.is_empty() {
                return (
                    Some(value_of(v, saved)),
                    format!("the dashboard's current value ({})", v.kind),
                );
            }
            match options.into_iter().find(|o| o != "$__all") {
                Some(first) => (
                    Some(value_of(v, vec![first])),
                    format!("the first option of the {} variable", v.kind),
                ),
                None => (None, format!("a {} variable without any value", v.kind)),
            }
        }
    }
}

fn query_var(
    v: &Variable,
    saved: &[String],
    scope: &Scope,
    labels: &dyn LabelValues,
) -> (Option<VarValue>, String) {
    let query = scope.substitute(&v.query);
    let asked = match parse_label_values(&query.text) {
        None => Err(format!(
            "`{}` is not a label_values() query, the one kind the import can ask",
            v.query
        )),
        Some(_) if !query.missing.is_empty() => Err(format!(
            "`{}` needs ${} first",
            v.query,
            query.missing.join(", $")
        )),
        Some((label, selector)) => labels
            .label_values(&label, selector.as_deref())
            .map(|vals| refine(v, vals)),
    };
    match asked {
        Ok(found) if !found.is_empty() => {
            let from = format!("{} on {}", query.text, labels.describe());
            if is_all(&v.current) && v.include_all {
                return (Some(all_of(v, found)), format!("All: {from}"));
            }
            if !saved.is_empty() && saved.iter().all(|s| found.contains(s)) {
                return (
                    Some(value_of(v, saved.to_vec())),
                    format!("the dashboard's current value, found by {from}"),
                );
            }
            let n = found.len();
            let first = found.into_iter().next().unwrap_or_default();
            (
                Some(value_of(v, vec![first])),
                format!("the first of {n} value(s) of {from}"),
            )
        }
        Ok(_) if saved.is_empty() && !(is_all(&v.current) && v.include_all) => (
            // What Grafana does with a variable whose query finds nothing: it is empty, so
            // `cluster=~"$cluster"` matches the series without that label.
            Some(value_of(v, vec![String::new()])),
            format!(
                "empty: {} found no values on {}, and Grafana leaves such a variable empty",
                query.text,
                labels.describe()
            ),
        ),
        other => {
            let why = match other {
                Ok(_) => format!("{} found no values on {}", query.text, labels.describe()),
                Err(e) => e,
            };
            if is_all(&v.current) && v.include_all {
                return (Some(all_of(v, Vec::new())), format!("All ({why})"));
            }
            if !saved.is_empty() {
                return (
                    Some(value_of(v, saved.to_vec())),
                    format!("the dashboard's saved value ({why})"),
                );
            }
            match v.options.iter().find(|o| !o.is_empty() && *o != "$__all") {
                Some(o) => (
                    Some(value_of(v, vec![o.clone()])),
                    format!("the dashboard's first saved option ({why})"),
                ),
                None => (
                    None,
                    format!("no value ({why}); pass --var {}=VALUE", v.name),
                ),
            }
        }
    }
}

/// `label_values(selector, label)` or `label_values(label)`.
pub fn parse_label_values(q: &str) -> Option<(String, Option<String>)> {
    let inner = q
        .trim()
        .strip_prefix("label_values")?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    // The label is after the last comma outside braces and quotes.
    let (mut depth, mut quote, mut split) = (0i32, None, None);
    for (i, ch) in inner.char_indices() {
        match (ch, quote) {
            ('"' | '\'' | '`', None) => quote = Some(ch),
            (c, Some(q)) if c == q => quote = None,
            ('{' | '(' | '[', None) => depth += 1,
            ('}' | ')' | ']', None) => depth -= 1,
            (',', None) if depth == 0 => split = Some(i),
            _ => {}
        }
    }
    let (selector, label) = match split {
        Some(i) => (Some(inner[..i].trim().to_string()), inner[i + 1..].trim()),
        None => (None, inner.trim()),
    };
    let ok = !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '_');
    ok.then(|| (label.to_string(), selector.filter(|s| !s.is_empty())))
}

/// The options of a custom or interval variable: `a,b,c` or `text : value` pairs.
fn split_options(q: &str) -> Vec<String> {
    q.split(',')
        .map(|o| {
            o.rsplit_once(" : ")
                .map_or(o, |(_, v)| v)
                .trim()
                .to_string()
        })
        .filter(|o| !o.is_empty())
        .collect()
}

/// The variable's `regex` and `sort` applied to the values found.
fn refine(v: &Variable, mut values: Vec<String>) -> Vec<String> {
    let pattern = v.regex.trim();
    if let Some(body) = pattern.strip_prefix('/')
        && let Some((re, flags)) = body.rsplit_once('/')
    {
        let re = if flags.contains('i') {
            format!("(?i){re}")
        } else {
            re.to_string()
        };
        if let Ok(re) = regex::Regex::new(&re) {
            values = values
                .iter()
                .filter_map(|val| {
                    let c = re.captures(val)?;
                    let m = c.name("value").or_else(|| c.get(1)).or_else(|| c.get(0))?;
                    Some(m.as_str().to_string())
                })
                .collect();
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    values.retain(|x| seen.insert(x.clone()));
    match v.sort {
        1 | 2 => values.sort(),
        3 | 4 => values.sort_by(|a, b| {
            let (x, y) = (a.parse::<f64>(), b.parse::<f64>());
            match (x, y) {
                (Ok(x), Ok(y)) => x.total_cmp(&y),
                _ => a.cmp(b),
            }
        }),
        5 | 6 => values.sort_by_key(|a| a.to_lowercase()),
        _ => {}
    }
    if matches!(v.sort, 2 | 4 | 6) {
        values.reverse();
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl LabelValues for Fake {
        fn label_values(&self, label: &str, sel: Option<&str>) -> Result<Vec<String>, String> {
            match (label, sel) {
                ("job", Some("node_uname_info")) => Ok(vec!["node".into(), "alpha".into()]),
                ("instance", Some(r#"up{job="node"}"#)) => {
                    Ok(vec!["h:9100".into(), "g:9100".into()])
                }
                _ => Ok(vec![]),
            }
        }
        fn describe(&self) -> String {
            "fake".into()
        }
    }

    fn var(name: &str, kind: &str, query: &str) -> Variable {
        Variable {
            name: name.into(),
            kind: kind.into(),
            query: query.into(),
            current: vec![],
            options: vec![],
            multi: false,
            include_all: false,
            custom_all: None,
            regex: String::new(),
            sort: 1,
        }
    }

    #[test]
    fn label_values_parse() {
        assert_eq!(
            parse_label_values(r#"label_values(up{job="a,b"}, instance)"#),
            Some(("instance".into(), Some(r#"up{job="a,b"}"#.into())))
        );
        assert_eq!(
            parse_label_values("label_values(job)"),
            Some(("job".into(), None))
        );
        assert_eq!(parse_label_values("query_result(up)"), None);
    }

    #[test]
    fn chained_queries_resolve_in_order_and_flags_win() {
        let vars = [
            var("job", "query", "label_values(node_uname_info, job)"),
            var("node", "query", r#"label_values(up{job="$job"}, instance)"#),
        ];
        let (scope, rep) = resolve(&vars, &BTreeMap::new(), &Scope::default(), &Fake);
        assert_eq!(scope.vars["job"].values, ["alpha"], "{rep:?}");
        // `alpha` has no instances in the fake: the second query finds nothing, and the
        // variable is empty as in Grafana.
        assert!(rep[1].origin.contains("found no values"), "{rep:?}");
        assert_eq!(scope.vars["node"].values, [""]);
        assert_eq!(rep[1].shown, "\"\"");
        let flags = BTreeMap::from([("job".to_string(), "node".to_string())]);
        let (scope, rep) = resolve(&vars, &flags, &Scope::default(), &Fake);
        assert_eq!(scope.vars["node"].values, ["g:9100"], "{rep:?}");
        assert_eq!(rep[0].origin, "from --var");
    }

    #[test]
    fn offline_falls_back_to_saved_values_or_says_what_to_pass() {
        let mut v = var("job", "query", "label_values(up, job)");
        let (_, rep) = resolve(
            &[v.clone()],
            &BTreeMap::new(),
            &Scope::default(),
            &Offline("down".into()),
        );
        assert_eq!(rep[0].origin, "no value (down); pass --var job=VALUE");
        v.current = vec!["node".into()];
        let (scope, rep) = resolve(
            &[v],
            &BTreeMap::new(),
            &Scope::default(),
            &Offline("down".into()),
        );
        assert_eq!(scope.vars["job"].values, ["node"]);
        assert!(rep[0].origin.contains("saved value (down)"));
    }

    #[test]
    fn regex_extracts_and_custom_splits() {
        let mut v = var("port", "query", r#"label_values(up{job="node"}, instance)"#);
        v.regex = "/[^:]+:(.*)/".into();
        let (scope, _) = resolve(&[v], &BTreeMap::new(), &Scope::default(), &Fake);
        assert_eq!(scope.vars["port"].values, ["9100"]);
        let c = var("q", "custom", "0.5 : p50, 0.99 : p99");
        let (scope, _) = resolve(&[c], &BTreeMap::new(), &Scope::default(), &Fake);
        assert_eq!(scope.vars["q"].values, ["p50"]);
    }

    #[test]
    fn all_renders_a_regex() {
        let v = VarValue {
            values: vec!["a".into(), "b.c".into()],
            all: true,
            multi: true,
            custom_all: None,
        };
        assert_eq!(v.render(None), "(a|b\\\\.c)");
        assert_eq!(
            VarValue {
                custom_all: Some(".+".into()),
                ..v
            }
            .render(None),
            ".+"
        );
    }
}
