//! `[[annotations]]` in vista.toml: where deploy and change markers come from. One of
//! `command` (each output line a time and a text), `file` (JSON Lines: `{"time": …, "text": …}`,
//! re-read when it changes) or `query` (a PromQL expression: a marker where each series starts
//! to have a non-zero value, its text from the `text` template). Checked here with positions.

use super::datasource::{Access, Datasource, DatasourceKind};
use crate::diag::Checker;
use crate::vista::time::{format_duration, parse_duration};
use serde::Deserialize;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;

/// Most annotation sources of one vista.
pub const MAX_SOURCES: usize = 8;
/// How often a source is read again, unless it says.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(30);
/// How far back a query annotation looks, unless it says.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(86_400);
/// Poll intervals of an annotation source.
pub const REFRESH: RangeInclusive<Duration> = Duration::from_secs(1)..=Duration::from_secs(86_400);
/// How far back a query annotation may look.
pub const WINDOW: RangeInclusive<Duration> =
    Duration::from_secs(60)..=Duration::from_secs(30 * 86_400);

/// `[[annotations]]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationSpec {
    pub id: Spanned<String>,
    pub command: Option<Spanned<String>>,
    pub file: Option<Spanned<String>>,
    pub query: Option<Spanned<String>>,
    /// The Prometheus server of a `query` (else `datasource`, else the vista's default).
    pub url: Option<Spanned<String>>,
    /// A `[datasource.NAME]` of type prometheus, so a query annotation carries its credentials.
    pub datasource: Option<Spanned<String>>,
    /// A query marker's text: `{{label}}` is replaced by the label's value.
    pub text: Option<Spanned<String>>,
    pub window: Option<Spanned<String>>,
    pub refresh: Option<Spanned<String>>,
    pub timeout: Option<Spanned<String>>,
}

/// One compiled annotation source.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationDef {
    pub id: String,
    pub source: MarkSource,
    pub refresh: Duration,
    pub timeout: Duration,
}

/// Where an annotation source's markers come from.
#[derive(Debug, Clone, PartialEq)]
pub enum MarkSource {
    /// `sh -c COMMAND`; each output line is `TIME TEXT` (unix seconds or RFC 3339).
    Command(String),
    /// A JSON Lines file.
    File(PathBuf),
    /// A PromQL query over the last `window`.
    Query {
        url: String,
        /// The credentials, headers and CA of the datasource the query reads through.
        access: Access,
        query: String,
        text: Option<String>,
        window: Duration,
    },
}

/// The server a query annotation reads: its `url`, its `datasource`, the default Prometheus
/// datasource, `[vista] prometheus`, or the only Prometheus datasource, in that order.
fn server(
    a: &AnnotationSpec,
    prometheus: Option<&str>,
    datasources: &[Datasource],
    ck: &mut Checker<'_>,
) -> Option<(String, Access)> {
    if let (Some(_), Some(d)) = (&a.url, &a.datasource) {
        ck.error(d.span(), "give `url` or `datasource`, not both");
        return None;
    }
    if let Some(u) = &a.url {
        return Some((
            u.get_ref().trim_end_matches('/').to_string(),
            Access::default(),
        ));
    }
    let proms = || {
        datasources
            .iter()
            .filter(|d| d.kind == DatasourceKind::Prometheus)
    };
    if let Some(d) = &a.datasource {
        let name = d.get_ref();
        return match datasources.iter().find(|x| &x.name == name) {
            Some(ds) if ds.kind == DatasourceKind::Prometheus => {
                Some((ds.url.clone(), ds.access.clone()))
            }
            Some(ds) => {
                ck.error(
                    d.span(),
                    format!(
                        "datasource `{name}` is an {} server; a query annotation reads a prometheus one",
                        ds.kind.label()
                    ),
                );
                None
            }
            None => {
                let hint = crate::diag::suggest(name, proms().map(|x| x.name.as_str()))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("; declare it as [datasource.{name}]"));
                ck.error(d.span(), format!("no datasource `{name}`{hint}"));
                None
            }
        };
    }
    if let Some(d) = proms().find(|d| d.default) {
        return Some((d.url.clone(), d.access.clone()));
    }
    if let Some(u) = prometheus {
        return Some((u.trim_end_matches('/').to_string(), Access::default()));
    }
    match proms().collect::<Vec<_>>().as_slice() {
        [only] => Some((only.url.clone(), only.access.clone())),
        _ => None,
    }
}

fn duration(
    ck: &mut Checker<'_>,
    d: Option<&Spanned<String>>,
    what: &str,
    bounds: &RangeInclusive<Duration>,
    default: Duration,
) -> Duration {
    let Some(d) = d else { return default };
    match parse_duration(d.get_ref()) {
        Ok(v) if bounds.contains(&v) => v,
        Ok(_) => {
            ck.error(
                d.span(),
                format!(
                    "{what} must be between {} and {}",
                    format_duration(*bounds.start()),
                    format_duration(*bounds.end())
                ),
            );
            default
        }
        Err(e) => {
            ck.error(d.span(), format!("{what}: {e}"));
            default
        }
    }
}

/// Checks the `[[annotations]]` tables; `prometheus` is `[vista] prometheus`, `datasources`
/// the checked `[datasource.NAME]` tables, `timeout` the vista's default poll timeout.
pub fn compile(
    specs: &[Spanned<AnnotationSpec>],
    prometheus: Option<&str>,
    datasources: &[Datasource],
    timeout: Duration,
    ck: &mut Checker<'_>,
) -> Vec<AnnotationDef> {
    if let Some(extra) = specs.get(MAX_SOURCES) {
        ck.error(
            extra.span(),
            format!("a vista has at most {MAX_SOURCES} [[annotations]] sources"),
        );
    }
    let mut out: Vec<AnnotationDef> = Vec::new();
    for spec in specs.iter().take(MAX_SOURCES) {
        let a = spec.get_ref();
        let before = ck.problems();
        let id = a.id.get_ref();
        if id.is_empty() || !id.chars().all(crate::diag::is_id_char) {
            ck.error(
                a.id.span(),
                format!("annotation id `{id}` must be letters, digits, - or _"),
            );
        } else if out.iter().any(|o| o.id == *id) {
            ck.error(a.id.span(), format!("duplicate annotation id `{id}`"));
        }
        let given: Vec<_> = [
            a.command.as_ref().map(|s| ("command", s)),
            a.file.as_ref().map(|s| ("file", s)),
            a.query.as_ref().map(|s| ("query", s)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let source = match given.as_slice() {
            [] => {
                ck.error(
                    spec.span(),
                    "an annotation source needs one of `command`, `file` or `query`",
                );
                None
            }
            [(_, _), (second, s), ..] => {
                ck.error(
                    s.span(),
                    format!(
                        "`{second}` and `{}` in one annotation source: use one, or two sources",
                        given[0].0
                    ),
                );
                None
            }
            [("command", c)] => Some(MarkSource::Command(c.get_ref().clone())),
            [("file", f)] => Some(MarkSource::File(PathBuf::from(f.get_ref()))),
            [(_, q)] => {
                let server = server(a, prometheus, datasources, ck);
                if server.is_none() && ck.problems() == before {
                    ck.error(
                        q.span(),
                        "a query annotation needs `url` or `datasource` (or `prometheus` in [vista])",
                    );
                }
                if let Some(t) = &a.text {
                    ck.text(
                        t.span(),
                        "text",
                        t.get_ref(),
                        crate::vista::annotation::MAX_TEXT,
                    );
                }
                let window = duration(ck, a.window.as_ref(), "window", &WINDOW, DEFAULT_WINDOW);
                server.map(|(url, access)| MarkSource::Query {
                    url,
                    access,
                    query: q.get_ref().clone(),
                    text: a.text.as_ref().map(|t| t.get_ref().clone()),
                    window,
                })
            }
        };
        if a.query.is_none() {
            for (name, f) in [
                ("url", &a.url),
                ("datasource", &a.datasource),
                ("text", &a.text),
                ("window", &a.window),
            ] {
                if let Some(f) = f {
                    ck.error(
                        f.span(),
                        format!("`{name}` belongs to a `query` annotation"),
                    );
                }
            }
        }
        let refresh = duration(ck, a.refresh.as_ref(), "refresh", &REFRESH, DEFAULT_REFRESH);
        let timeout = duration(
            ck,
            a.timeout.as_ref(),
            "timeout",
            &(Duration::from_millis(10)..=Duration::from_secs(3600)),
            timeout,
        );
        if let Some(source) = source
            && ck.problems() == before
        {
            out.push(AnnotationDef {
                id: id.clone(),
                source,
                refresh,
                timeout,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::vista::VistaConfig;

    const PANE: &str = "[[panes]]\nid = \"a\"\nsource = { type = \"host\" }\n";

    #[test]
    fn sources_compile_with_defaults() {
        let src = format!(
            "[vista]\nprometheus = \"http://127.0.0.1:9\"\n{PANE}\n[[annotations]]\nid = \"d\"\ncommand = \"echo\"\n\n\
             [[annotations]]\nid = \"q\"\nquery = \"up == 0\"\ntext = \"{{{{job}}}} down\"\n"
        );
        let cfg = VistaConfig::parse(&src, "v.toml").unwrap();
        assert_eq!(cfg.annotations.len(), 2);
        assert_eq!(cfg.annotations[0].refresh, super::DEFAULT_REFRESH);
        assert!(matches!(
            &cfg.annotations[1].source,
            super::MarkSource::Query { url, .. } if url == "http://127.0.0.1:9"
        ));
    }

    /// A query annotation reads through a named datasource, credentials and all, or through
    /// the default Prometheus datasource when it names none.
    #[test]
    fn query_annotations_read_through_datasources() {
        let src = format!(
            "[datasource.prod]\ntype = \"prometheus\"\nurl = \"https://prom.example:9090/\"\n\
             bearer_token_env = \"PROM_TOKEN\"\n\n[datasource.am]\ntype = \"alertmanager\"\n\
             url = \"http://127.0.0.1:9093\"\n\n{PANE}\n[[annotations]]\nid = \"named\"\n\
             query = \"changes(up[5m]) > 0\"\ndatasource = \"prod\"\n\n\
             [[annotations]]\nid = \"only\"\nquery = \"up\"\n"
        );
        let cfg = VistaConfig::parse(&src, "v.toml").unwrap();
        for a in &cfg.annotations {
            let super::MarkSource::Query { url, access, .. } = &a.source else {
                panic!("{a:?}");
            };
            assert_eq!(url, "https://prom.example:9090", "{}", a.id);
            assert_eq!(access.datasource.as_deref(), Some("prod"), "{}", a.id);
        }
        let bad = format!(
            "[datasource.am]\ntype = \"alertmanager\"\nurl = \"http://127.0.0.1:9093\"\n\n{PANE}\n\
             [[annotations]]\nid = \"a\"\nquery = \"up\"\ndatasource = \"am\"\n\n\
             [[annotations]]\nid = \"b\"\nquery = \"up\"\ndatasource = \"prdo\"\n\n\
             [[annotations]]\nid = \"c\"\nquery = \"up\"\nurl = \"http://x\"\ndatasource = \"am\"\n"
        );
        let got: Vec<String> = VistaConfig::parse(&bad, "v.toml")
            .unwrap_err()
            .iter()
            .map(|d| d.to_string())
            .collect();
        for w in [
            "v.toml:12:14: datasource `am` is an alertmanager server; a query annotation reads a prometheus one",
            "v.toml:17:14: no datasource `prdo`; declare it as [datasource.prdo]",
            "v.toml:23:14: give `url` or `datasource`, not both",
        ] {
            assert!(got.iter().any(|g| g == w), "{w} not in {got:#?}");
        }
    }

    #[test]
    fn bad_sources_are_positioned() {
        let src = format!(
            "{PANE}\n[[annotations]]\nid = \"a b\"\ncommand = \"x\"\nfile = \"y\"\n\n\
             [[annotations]]\nid = \"q\"\nquery = \"up\"\n\n[[annotations]]\nid = \"t\"\nfile = \"f\"\ntext = \"x\"\nrefresh = \"0s\"\n\n\
             [[annotations]]\nid = \"n\"\n"
        );
        let diags = VistaConfig::parse(&src, "v.toml").unwrap_err();
        let got: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        let want = [
            "v.toml:6:6: annotation id `a b` must be letters, digits, - or _",
            "v.toml:8:8: `file` and `command` in one annotation source: use one, or two sources",
            "v.toml:12:9: a query annotation needs `url` or `datasource` (or `prometheus` in [vista])",
            "v.toml:17:8: `text` belongs to a `query` annotation",
            "v.toml:18:11: refresh must be between 1s and 1d",
            "an annotation source needs one of `command`, `file` or `query`",
        ];
        for w in want {
            assert!(got.iter().any(|g| g.contains(w)), "{w} not in {got:#?}");
        }
        let bogus = format!("{PANE}[[annotations]]\nid = \"z\"\ncommand = \"x\"\nbogus = 1\n");
        let d = VistaConfig::parse(&bogus, "v.toml").unwrap_err();
        assert!(
            d[0].to_string()
                .starts_with("v.toml:7:1: unknown field `bogus`"),
            "{d:?}"
        );
    }
}
