//! Grafana's template syntax in queries and legends (`$job`, `${node}`, `${var:regex}`,
//! `[[var]]`, the built-in `$__rate_interval`, `$__interval`, `$__range`), and the PromQL that
//! puts several queries of one panel into one vista pane.

use super::vars::VarValue;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Grafana's own pattern for a variable reference: `$name`, `[[name:format]]`,
/// `${name.field:format}`.
static VARIABLE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^\}]+))?(?::([^\}]+))?\}",
    )
    .expect("a valid pattern")
});

/// What a reference may be replaced with: the dashboard's variables and the built-ins.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub vars: BTreeMap<String, VarValue>,
    /// `__interval`, `__rate_interval`, `__range`… as text.
    pub builtins: BTreeMap<String, String>,
}

/// A text with its references replaced, and the names that had no value (left as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substituted {
    pub text: String,
    pub missing: Vec<String>,
}

impl Scope {
    /// Replaces every reference it knows. Names starting with a digit (`$1` in a
    /// `label_replace` replacement) are PromQL's, never a variable, and are left alone.
    pub fn substitute(&self, text: &str) -> Substituted {
        let mut missing = Vec::new();
        let out = VARIABLE.replace_all(text, |c: &regex::Captures| {
            let whole = c.get(0).map_or("", |m| m.as_str()).to_string();
            let name = c
                .get(1)
                .or_else(|| c.get(2))
                .or_else(|| c.get(4))
                .map_or("", |m| m.as_str());
            let format = c.get(3).or_else(|| c.get(6)).map(|m| m.as_str());
            if name.starts_with(|ch: char| ch.is_ascii_digit()) {
                return whole;
            }
            if let Some(b) = self.builtins.get(name) {
                return b.clone();
            }
            match self.vars.get(name) {
                Some(v) if !v.values.is_empty() || v.all => v.render(format),
                _ => {
                    if !missing.iter().any(|m| m == name) {
                        missing.push(name.to_string());
                    }
                    whole
                }
            }
        });
        Substituted {
            text: out.into_owned(),
            missing,
        }
    }
}

/// Escapes a value for a regular expression inside a PromQL string, as Grafana's Prometheus
/// datasource does for multi-valued variables (`a.b` → `a\\.b`).
pub fn regex_escape(value: &str) -> String {
    let mut out = String::new();
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\\\\\"),
            '$' | '^' | '*' | '{' | '}' | '[' | ']' | '\'' | '+' | '?' | '.' | '(' | ')' | '|' => {
                out.push_str("\\\\");
                out.push(ch);
            }
            c => out.push(c),
        }
    }
    out
}

/// A PromQL double-quoted string literal.
pub fn promql_string(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The label that carries each query's legend when several queries share one pane.
pub const LEGEND_LABEL: &str = "gamelan_legend";

/// A Grafana legend template (`{{device}} read`) split into text and label names.
fn template_parts(template: &str) -> Vec<(bool, String)> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        if open > 0 {
            parts.push((false, rest[..open].to_string()));
        }
        let name = after[..close].trim().trim_start_matches('.').to_string();
        parts.push((true, name));
        rest = &after[close + 2..];
    }
    if !rest.is_empty() {
        parts.push((false, rest.to_string()));
    }
    parts
}

/// `expr` with a [`LEGEND_LABEL`] added to each series that spells out `template`, using
/// `label_replace` (and `label_join` when the template names several labels), so that the
/// queries of a panel keep their own legends once joined with `or`.
pub fn with_legend_label(expr: &str, template: &str) -> String {
    let parts = template_parts(template);
    let mut labels: Vec<&str> = Vec::new();
    for (is_label, text) in &parts {
        if *is_label && !labels.contains(&text.as_str()) {
            labels.push(text);
        }
    }
    // The replacement: literal `$` doubled, each label as `${n}`.
    let mut replacement = String::new();
    for (is_label, text) in &parts {
        if *is_label {
            let n = labels.iter().position(|l| l == text).unwrap_or(0) + 1;
            replacement.push_str(&format!("${{{n}}}"));
        } else {
            replacement.push_str(&text.replace('$', "$$"));
        }
    }
    let repl = promql_string(&replacement);
    let dst = promql_string(LEGEND_LABEL);
    match labels.as_slice() {
        [] => format!("label_replace({expr}, {dst}, {repl}, \"\", \"\")"),
        [one] => format!(
            "label_replace({expr}, {dst}, {repl}, {}, \"(.*)\")",
            promql_string(one)
        ),
        many => {
            // Join the labels with a separator no label value holds (the unit separator,
            // written as PromQL's `\x1f` escape), then split them apart.
            let names: Vec<String> = many.iter().map(|l| promql_string(l)).collect();
            let pattern = vec!["(.*)"; many.len()].join("\\x1f");
            format!(
                "label_replace(label_join({expr}, {dst}, \"\\x1f\", {}), {dst}, {repl}, {dst}, \"{pattern}\")",
                names.join(", "),
            )
        }
    }
}

/// A multiplication of the whole expression (`percentunit` shown as percent).
pub fn scaled(expr: &str, factor: f64) -> String {
    format!("({expr}) * {factor}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        let mut s = Scope::default();
        s.vars.insert("job".into(), VarValue::single("node"));
        s.vars.insert(
            "dev".into(),
            VarValue {
                values: vec!["sda".into(), "nvme0n1".into()],
                multi: true,
                ..VarValue::default()
            },
        );
        s.vars.insert(
            "host".into(),
            VarValue {
                values: vec!["a.example".into()],
                multi: true,
                ..VarValue::default()
            },
        );
        s.builtins.insert("__rate_interval".into(), "1m".into());
        s
    }

    #[test]
    fn every_syntax_is_replaced() {
        let got = scope().substitute(
            r#"rate(x{job="$job",d=~"${dev}",h=~"[[host]]"}[$__rate_interval]) + ${job:raw}"#,
        );
        assert_eq!(
            got.text,
            r#"rate(x{job="node",d=~"(sda|nvme0n1)",h=~"a\\.example"}[1m]) + node"#
        );
        assert!(got.missing.is_empty());
    }

    #[test]
    fn unknown_names_stay_and_are_listed_but_group_refs_do_not() {
        let got = scope().substitute(r#"label_replace(up{i="$inst"}, "a", "$1", "b", "(.*)")"#);
        assert_eq!(
            got.text,
            r#"label_replace(up{i="$inst"}, "a", "$1", "b", "(.*)")"#
        );
        assert_eq!(got.missing, ["inst"]);
    }

    #[test]
    fn legends_become_labels() {
        assert_eq!(
            with_legend_label("up", "Up $"),
            r#"label_replace(up, "gamelan_legend", "Up $$", "", "")"#
        );
        assert_eq!(
            with_legend_label("up", "{{job}} / {{ job }}"),
            r#"label_replace(up, "gamelan_legend", "${1} / ${1}", "job", "(.*)")"#
        );
        let two = with_legend_label("up", "{{job}}:{{instance}}");
        assert_eq!(
            two,
            r#"label_replace(label_join(up, "gamelan_legend", "\x1f", "job", "instance"), "gamelan_legend", "${1}:${2}", "gamelan_legend", "(.*)\x1f(.*)")"#
        );
    }
}
