//! Checks of `[datasource.NAME]` tables and of which server a source reads: its own `url`, a
//! named datasource, or the default one. A secret written into the file (a token, a password,
//! a credential header, a password in a URL) is refused at its position with the way to keep
//! it out of the file.

use super::Checker;
use crate::vista::config::datasource::*;
use crate::vista::config::model::SourceType;
use crate::vista::config::spec::{Defaults, SourceSpec};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// Most datasources of one vista.
pub const MAX_DATASOURCES: usize = 16;
/// Most extra headers of one datasource.
pub const MAX_HEADERS: usize = 16;

/// Header names whose value is a credential: a literal value for them is refused.
const SECRET_HEADER_WORDS: [&str; 7] = [
    "authorization",
    "cookie",
    "token",
    "secret",
    "password",
    "key",
    "auth",
];

/// A word with its article: `a prometheus`, `an alertmanager`.
fn a(word: &str) -> String {
    let an = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if an { "an" } else { "a" })
}

/// The kind of server a source type reads.
pub(super) fn server_kind(ty: SourceType) -> DatasourceKind {
    match ty {
        SourceType::Alertmanager => DatasourceKind::Alertmanager,
        _ => DatasourceKind::Prometheus,
    }
}

type DatasourceTables = BTreeMap<Spanned<String>, Spanned<DatasourceSpec>>;

impl Checker<'_> {
    /// Checks every `[datasource.NAME]`, and that each kind has at most one default.
    pub(super) fn datasources(
        &mut self,
        specs: &DatasourceTables,
        vista_prometheus: bool,
        vista_alertmanager: bool,
    ) -> Vec<Datasource> {
        let mut out: Vec<Datasource> = Vec::new();
        for (i, (name, spec)) in specs.iter().enumerate() {
            if i == MAX_DATASOURCES {
                self.err(
                    name.span(),
                    format!("a vista has at most {MAX_DATASOURCES} datasources"),
                );
                break;
            }
            let n = name.get_ref();
            if n.is_empty() || !n.chars().all(crate::diag::is_id_char) {
                self.err(
                    name.span(),
                    format!("datasource name `{n}` must be letters, digits, - or _"),
                );
                continue;
            }
            if let Some(d) = self.datasource(n, spec) {
                let in_vista = match d.kind {
                    DatasourceKind::Prometheus => vista_prometheus,
                    DatasourceKind::Alertmanager => vista_alertmanager,
                };
                let at = spec.get_ref().default.as_ref().map(Spanned::span);
                if let (true, Some(at)) = (d.default, at) {
                    if let Some(other) = out.iter().find(|o| o.default && o.kind == d.kind) {
                        self.err(
                            at,
                            format!(
                                "datasource `{}` is already the default {}: only one may be",
                                other.name,
                                d.kind.label()
                            ),
                        );
                    } else if in_vista {
                        self.err(
                            at,
                            format!(
                                "[vista] {0} already names the default {0}: keep one of the two",
                                d.kind.label()
                            ),
                        );
                    }
                }
                out.push(d);
            }
        }
        out
    }

    fn datasource(&mut self, name: &str, spec: &Spanned<DatasourceSpec>) -> Option<Datasource> {
        let s = spec.get_ref();
        if let Some(t) = &s.bearer_token {
            self.err(
                t.span(),
                format!(
                    "datasource `{name}`: a token is never written in the vista file; put it in a \
                     file and write `bearer_token_file = \"PATH\"`, or in an environment variable \
                     and write `bearer_token_env = \"NAME\"`"
                ),
            );
        }
        let bearer = self.secret(
            &s.bearer_token_file,
            &s.bearer_token_env,
            "bearer_token_file",
            "bearer_token_env",
        );
        let basic = s.basic_auth.as_ref().and_then(|b| self.basic(name, b));
        let auth = match (bearer, basic) {
            (Some(_), Some(_)) => {
                let at = s.basic_auth.as_ref().map_or(spec.span(), Spanned::span);
                self.err(
                    at,
                    format!("datasource `{name}`: give a bearer token or basic_auth, not both"),
                );
                Auth::None
            }
            (Some(b), None) => Auth::Bearer(b),
            (None, Some((username, password))) => Auth::Basic { username, password },
            (None, None) => Auth::None,
        };
        let headers = self.headers(name, &s.headers);
        let ca_file = s.ca_file.as_ref().and_then(|c| {
            let p = c.get_ref().trim();
            if p.is_empty() {
                self.err(c.span(), "`ca_file` cannot be empty");
                None
            } else {
                Some(super::source::expand_home(p))
            }
        });
        let url = match &s.url {
            Some(u) => self.checked_url(u.get_ref(), u.span())?,
            None => {
                self.err(spec.span(), format!("datasource `{name}` needs `url`"));
                return None;
            }
        };
        Some(Datasource {
            name: name.to_string(),
            kind: *s.kind.get_ref(),
            url,
            default: s.default.as_ref().is_some_and(|d| *d.get_ref()),
            access: Access {
                datasource: Some(name.to_string()),
                auth,
                headers,
                ca_file,
            },
        })
    }

    fn basic(&mut self, name: &str, b: &Spanned<BasicAuthSpec>) -> Option<(String, Secret)> {
        let spec = b.get_ref();
        if let Some(p) = &spec.password {
            self.err(
                p.span(),
                format!(
                    "datasource `{name}`: a password is never written in the vista file; put it \
                     in a file and write `password_file = \"PATH\"`, or in an environment \
                     variable and write `password_env = \"NAME\"`"
                ),
            );
            return None;
        }
        let username = match &spec.username {
            Some(u) if !u.get_ref().is_empty() && !u.get_ref().contains(':') => u.get_ref().clone(),
            Some(u) => {
                self.err(u.span(), "`username` must be non-empty and without `:`");
                return None;
            }
            None => {
                self.err(
                    b.span(),
                    format!("datasource `{name}`: basic_auth needs `username`"),
                );
                return None;
            }
        };
        match self.secret(
            &spec.password_file,
            &spec.password_env,
            "password_file",
            "password_env",
        ) {
            Some(p) => Some((username, p)),
            None => {
                if spec.password_file.is_none() && spec.password_env.is_none() {
                    self.err(
                        b.span(),
                        format!(
                            "datasource `{name}`: basic_auth needs `password_file` or `password_env`"
                        ),
                    );
                }
                None
            }
        }
    }

    /// A secret named by a file or an environment variable (not both).
    fn secret(
        &mut self,
        file: &Option<Spanned<String>>,
        env: &Option<Spanned<String>>,
        file_key: &str,
        env_key: &str,
    ) -> Option<Secret> {
        match (file, env) {
            (Some(_), Some(e)) => {
                self.err(
                    e.span(),
                    format!("give `{file_key}` or `{env_key}`, not both"),
                );
                None
            }
            (Some(f), None) => self.secret_file(f, file_key),
            (None, Some(e)) => self.secret_env(e, env_key),
            (None, None) => None,
        }
    }

    fn secret_file(&mut self, f: &Spanned<String>, key: &str) -> Option<Secret> {
        let p = f.get_ref().trim();
        if p.is_empty() {
            self.err(f.span(), format!("`{key}` cannot be empty"));
            return None;
        }
        Some(Secret::File(super::source::expand_home(p)))
    }

    fn secret_env(&mut self, e: &Spanned<String>, key: &str) -> Option<Secret> {
        let v = e.get_ref();
        let valid = v
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            self.err(
                e.span(),
                format!(
                    "`{key}` names an environment variable (letters, digits and _, like PROM_TOKEN), not `{v}`"
                ),
            );
            return None;
        }
        Some(Secret::Env(v.clone()))
    }

    fn headers(
        &mut self,
        name: &str,
        h: &Option<Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>,
    ) -> Vec<Header> {
        let Some(h) = h else { return Vec::new() };
        if h.get_ref().len() > MAX_HEADERS {
            self.err(
                h.span(),
                format!("a datasource has at most {MAX_HEADERS} headers"),
            );
        }
        let mut out = Vec::new();
        for (k, v) in h.get_ref().iter().take(MAX_HEADERS) {
            let key = k.get_ref();
            let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
            if key.is_empty() || !key.chars().all(token) {
                self.err(k.span(), format!("`{key}` is not a valid HTTP header name"));
                continue;
            }
            let lower = key.to_ascii_lowercase();
            if ["host", "content-length", "transfer-encoding", "connection"]
                .contains(&lower.as_str())
            {
                self.err(
                    k.span(),
                    format!("the `{key}` header is set by gamelan itself"),
                );
                continue;
            }
            let value = match v.get_ref() {
                toml::Value::String(text) => {
                    if SECRET_HEADER_WORDS.iter().any(|w| lower.contains(w)) {
                        self.err(
                            v.span(),
                            format!(
                                "datasource `{name}`: the `{key}` header carries a credential, which \
                                 is never written in the vista file; write `{key} = {{ file = \"PATH\" }}` \
                                 or `{key} = {{ env = \"NAME\" }}` (or use bearer_token_file / basic_auth)"
                            ),
                        );
                        continue;
                    }
                    if text.chars().any(|c| c.is_control() && c != '\t') {
                        self.err(
                            v.span(),
                            format!("the `{key}` header's value has a control character"),
                        );
                        continue;
                    }
                    HeaderValue::Text(text.clone())
                }
                toml::Value::Table(t) => {
                    let file = t.get("file").and_then(toml::Value::as_str);
                    let env = t.get("env").and_then(toml::Value::as_str);
                    let spanned = |s: &str| Spanned::new(v.span(), s.to_string());
                    let secret = match (file, env, t.len()) {
                        (Some(f), None, 1) => self.secret_file(&spanned(f), "file"),
                        (None, Some(e), 1) => self.secret_env(&spanned(e), "env"),
                        _ => {
                            self.err(
                                v.span(),
                                format!(
                                    "the `{key}` header's value is a string, `{{ file = \"PATH\" }}` or `{{ env = \"NAME\" }}`"
                                ),
                            );
                            None
                        }
                    };
                    match secret {
                        Some(s) => HeaderValue::Secret(s),
                        None => continue,
                    }
                }
                _ => {
                    self.err(
                        v.span(),
                        format!(
                            "the `{key}` header's value is a string, `{{ file = \"PATH\" }}` or `{{ env = \"NAME\" }}`"
                        ),
                    );
                    continue;
                }
            };
            out.push(Header {
                name: key.clone(),
                value,
            });
        }
        out
    }

    /// A base URL: http(s), no password in it, no trailing `/`.
    pub(super) fn checked_url(&mut self, raw: &str, span: Range<usize>) -> Option<String> {
        let url = raw.trim();
        if !(url.starts_with("http://") || url.starts_with("https://"))
            || url.len() <= "https://".len()
        {
            self.err(
                span,
                format!("url `{url}` must start with http:// or https://"),
            );
            return None;
        }
        let authority = url
            .split_once("://")
            .map_or("", |(_, r)| r)
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            let msg = if userinfo.contains(':') {
                "a password is never written in the vista file: take it out of the url and \
                 declare a [datasource.NAME] with basic_auth = { username = \"…\", password_file = \"PATH\" } \
                 (or password_env = \"NAME\")"
            } else {
                "give the user name as basic_auth = { username = \"…\", password_file = \"PATH\" } \
                 on a [datasource.NAME], not in the url"
            };
            self.err(span, msg);
            return None;
        }
        Some(url.trim_end_matches('/').to_string())
    }

    /// The server a source reads: its `url`, its `datasource`, or the default for its kind.
    pub(super) fn server(
        &mut self,
        s: &SourceSpec,
        defaults: &Defaults,
        at: &Range<usize>,
    ) -> Option<(String, Access)> {
        let ty = *s.kind.get_ref();
        let kind = server_kind(ty);
        if let (Some(_), Some(d)) = (&s.url, &s.datasource) {
            self.err(d.span(), "give `url` or `datasource`, not both");
            return None;
        }
        if let Some(u) = &s.url {
            return Some((self.checked_url(u.get_ref(), u.span())?, Access::default()));
        }
        if let Some(d) = &s.datasource {
            let name = d.get_ref();
            let Some(ds) = defaults.datasources.iter().find(|x| &x.name == name) else {
                let names: Vec<&str> = defaults
                    .datasources
                    .iter()
                    .map(|x| x.name.as_str())
                    .collect();
                let hint = crate::diag::suggest(name, names.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        if names.is_empty() {
                            format!("; declare it as [datasource.{name}]")
                        } else {
                            format!(" (there are: {})", names.join(", "))
                        }
                    });
                self.err(d.span(), format!("no datasource `{name}`{hint}"));
                return None;
            };
            if ds.kind != kind {
                self.err(
                    d.span(),
                    format!(
                        "datasource `{name}` is {} server; {} source reads {} one",
                        a(ds.kind.label()),
                        a(ty.label()),
                        a(kind.label())
                    ),
                );
                return None;
            }
            return Some((ds.url.clone(), ds.access.clone()));
        }
        let of_kind: Vec<&Datasource> = defaults
            .datasources
            .iter()
            .filter(|x| x.kind == kind)
            .collect();
        let vista_url = match kind {
            DatasourceKind::Prometheus => &defaults.prometheus,
            DatasourceKind::Alertmanager => &defaults.alertmanager,
        };
        if let Some(d) = of_kind.iter().find(|d| d.default) {
            return Some((d.url.clone(), d.access.clone()));
        }
        if let Some(u) = vista_url {
            return Some((self.checked_url(u, at.clone())?, Access::default()));
        }
        if let [only] = of_kind.as_slice() {
            return Some((only.url.clone(), only.access.clone()));
        }
        let msg = if of_kind.is_empty() {
            format!(
                "{} source needs `url` or `datasource` (or set `{} = URL` in [vista])",
                a(ty.label()),
                kind.label()
            )
        } else {
            format!(
                "{} source needs `datasource`: there are several {} datasources ({}) and none is `default = true`",
                a(ty.label()),
                kind.label(),
                of_kind
                    .iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        self.err(at.clone(), msg);
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::vista::config::*;

    fn parse(src: &str) -> Result<VistaConfig, String> {
        VistaConfig::parse(src, "v.toml").map_err(|d| crate::diag::render(&d))
    }

    /// The position of the first diagnostic and its text.
    fn first_error(src: &str) -> (usize, usize, String) {
        let d = VistaConfig::parse(src, "v.toml").unwrap_err();
        (d[0].line, d[0].col, d[0].message.clone())
    }

    const TWO: &str = r#"
[datasource.prod]
type = "prometheus"
url = "https://prom.example:9090/"
default = true
ca_file = "/etc/gamelan/ca.pem"
basic_auth = { username = "ops", password_file = "/run/secrets/prom" }
headers = { "X-Scope-OrgID" = "team-a", "X-Api-Key" = { env = "PROM_KEY" } }

[datasource.am]
type = "alertmanager"
url = "http://127.0.0.1:9093"
bearer_token_env = "AM_TOKEN"

[[panes]]
id = "up"
source = { type = "prometheus", query = "up" }

[[panes]]
id = "other"
source = { type = "prometheus", url = "http://127.0.0.1:9091", query = "up" }

[[panes]]
id = "alerts"
source = { type = "alertmanager", group_by = ["severity"], filter = ['team="a"'] }
"#;

    #[test]
    fn panes_read_named_and_default_datasources() {
        let cfg = parse(TWO).unwrap();
        let SourceDef::Prometheus(q) = &cfg.panes[0].source else {
            panic!()
        };
        assert_eq!(q.url, "https://prom.example:9090");
        assert_eq!(q.access.datasource.as_deref(), Some("prod"));
        assert_eq!(
            q.access.auth,
            Auth::Basic {
                username: "ops".into(),
                password: Secret::File("/run/secrets/prom".into())
            }
        );
        assert_eq!(
            q.access.ca_file.as_deref(),
            Some(std::path::Path::new("/etc/gamelan/ca.pem"))
        );
        assert_eq!(q.access.headers.len(), 2);
        assert_eq!(
            q.access.headers[0].value,
            HeaderValue::Secret(Secret::Env("PROM_KEY".into()))
        );
        let SourceDef::Prometheus(q) = &cfg.panes[1].source else {
            panic!()
        };
        assert_eq!(
            (q.url.as_str(), &q.access),
            ("http://127.0.0.1:9091", &Access::default())
        );
        let SourceDef::Alertmanager(a) = &cfg.panes[2].source else {
            panic!()
        };
        assert_eq!(a.url, "http://127.0.0.1:9093");
        assert_eq!(a.access.auth, Auth::Bearer(Secret::Env("AM_TOKEN".into())));
        assert_eq!(
            (a.group_by.as_slice(), a.filter.as_slice()),
            (
                &["severity".to_string()][..],
                &["team=\"a\"".to_string()][..]
            )
        );
        assert!(a.silenced && a.inhibited && a.silences);
        assert_eq!(cfg.panes[2].kind, Display::Alerts);
    }

    #[test]
    fn secrets_written_in_the_file_are_refused_where_they_are() {
        let (l, c, m) = first_error(
            "[datasource.p]\ntype = \"prometheus\"\nurl = \"http://prom\"\nbearer_token = \"abc\"\n[[panes]]\nid = \"a\"\nsource = { type = \"prometheus\", query = \"up\" }\n",
        );
        assert_eq!((l, c), (4, 16), "{m}");
        assert!(
            m.contains("a token is never written in the vista file")
                && m.contains("bearer_token_file"),
            "{m}"
        );
        let (l, c, m) = first_error(
            "[datasource.p]\ntype = \"prometheus\"\nurl = \"http://prom\"\nbasic_auth = { username = \"u\", password = \"hunter2\" }\n[[panes]]\nid = \"a\"\nsource = { type = \"prometheus\", query = \"up\" }\n",
        );
        assert_eq!((l, c), (4, 43), "{m}");
        assert!(
            m.contains("password_file") && m.contains("password_env"),
            "{m}"
        );
        let (l, _, m) = first_error(
            "[datasource.p]\ntype = \"prometheus\"\nurl = \"http://prom\"\nheaders = { Authorization = \"Bearer abc\" }\n[[panes]]\nid = \"a\"\nsource = { type = \"prometheus\", query = \"up\" }\n",
        );
        assert_eq!(l, 4);
        assert!(
            m.contains("the `Authorization` header carries a credential"),
            "{m}"
        );
        let (l, c, m) = first_error(
            "[[panes]]\nid = \"a\"\nsource = { type = \"prometheus\", url = \"https://u:pw@prom\", query = \"up\" }\n",
        );
        assert_eq!((l, c), (3, 39), "{m}");
        assert!(
            m.contains("a password is never written in the vista file"),
            "{m}"
        );
        for bad in [
            "bearer_token_env = \"1X\"",
            "bearer_token_file = \"/a\"\nbearer_token_env = \"B\"",
            "bearer_token_env = \"A\"\nbasic_auth = { username = \"u\", password_env = \"P\" }",
            "basic_auth = { username = \"u\" }",
            "headers = { \"X-Y\" = { file = \"/a\", env = \"B\" } }",
            "headers = { \"Bad Name\" = \"x\" }",
        ] {
            let src = format!(
                "[datasource.p]\ntype = \"prometheus\"\nurl = \"http://prom\"\n{bad}\n[[panes]]\nid = \"a\"\nsource = {{ type = \"prometheus\", query = \"up\" }}\n"
            );
            let (l, _, m) = first_error(&src);
            assert!(l >= 4, "{bad}: {m}");
        }
    }

    #[test]
    fn which_datasource_a_pane_reads_is_never_a_guess() {
        let pane = |src: &str| {
            format!(
                "[datasource.prod]\ntype = \"prometheus\"\nurl = \"http://prom\"\n[datasource.staging]\ntype = \"prometheus\"\nurl = \"http://srom\"\n[datasource.am]\ntype = \"alertmanager\"\nurl = \"http://arom\"\n[[panes]]\nid = \"a\"\nsource = {{ type = \"prometheus\", query = \"up\"{src} }}\n"
            )
        };
        let (l, _, m) = first_error(&pane(""));
        assert_eq!(l, 12);
        assert!(
            m.contains(
                "several prometheus datasources (prod, staging) and none is `default = true`"
            ),
            "{m}"
        );
        let (_, _, m) = first_error(&pane(", datasource = \"prdo\""));
        assert!(
            m.contains("no datasource `prdo`; did you mean `prod`?"),
            "{m}"
        );
        let (_, _, m) = first_error(&pane(", datasource = \"am\""));
        assert!(
            m.contains(
                "datasource `am` is an alertmanager server; a prometheus source reads a prometheus one"
            ),
            "{m}"
        );
        let (_, _, m) = first_error(&pane(", datasource = \"prod\", url = \"http://xrom\""));
        assert!(m.contains("give `url` or `datasource`, not both"), "{m}");
        assert!(parse(&pane(", datasource = \"staging\"")).is_ok());
        let (_, _, m) = first_error(
            "[vista]\nprometheus = \"http://vrom\"\n[datasource.p]\ntype = \"prometheus\"\nurl = \"http://prom\"\ndefault = true\n[[panes]]\nid = \"a\"\nsource = { type = \"prometheus\", query = \"up\" }\n",
        );
        assert!(
            m.contains("[vista] prometheus already names the default prometheus"),
            "{m}"
        );
        let (_, _, m) = first_error(
            "[[panes]]\nid = \"a\"\nsource = { type = \"alertmanager\", url = \"http://am:9093\", filter = [\"severity\"] }\n",
        );
        assert!(m.contains("is not a matcher"), "{m}");
        let (_, _, m) =
            first_error("[[panes]]\nid = \"a\"\nsource = { type = \"alertmanager\" }\n");
        assert!(
            m.contains("an alertmanager source needs `url` or `datasource`"),
            "{m}"
        );
        let cfg = parse("[vista]\nalertmanager = \"http://127.0.0.1:9093\"\n[[panes]]\nid = \"a\"\nsource = { type = \"alertmanager\", silences = false }\n").unwrap();
        let SourceDef::Alertmanager(a) = &cfg.panes[0].source else {
            panic!()
        };
        assert!(!a.silences && a.url == "http://127.0.0.1:9093");
    }
}
