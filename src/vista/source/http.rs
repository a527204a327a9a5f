//! The one HTTP client of the vista's servers (Prometheus, Alertmanager): a base URL plus the
//! [`Access`] of its datasource (credentials read from their file or environment variable at
//! each request, extra headers, a CA file as the only trusted roots). Failures come back as
//! one-line messages that say what to fix: 401 and 403 name the credentials that were sent,
//! TLS failures say whether the CA, the host name or the dates are wrong. Requests to loopback
//! never go through an `HTTP_PROXY` from the environment.

use super::one_line;
use crate::vista::config::{Access, Auth, HeaderValue, Secret};
use base64::Engine as _;
use rustls::CertificateError;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Largest API answer read (a wide range query can be big; the vista keeps only what it shows).
pub const MAX_BODY: u64 = 64 << 20;
/// Largest secret (token or password file) read.
const MAX_SECRET: u64 = 64 << 10;
/// Largest CA file read.
const MAX_CA_FILE: u64 = 1 << 20;

/// A blocking client for one server. Cloning shares the connection pool.
#[derive(Debug, Clone)]
pub struct Http {
    base: String,
    access: Access,
    timeout: Duration,
    /// Built on first use (reading the CA file); a failed build is retried at the next request,
    /// so a fixed CA file is picked up without a reload.
    agent: Arc<Mutex<Option<ureq::Agent>>>,
}

/// A successful answer (any status but 401 and 403, which are errors).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Http {
    /// A client for the server at `base` (`http://127.0.0.1:9090`); each request gives up after
    /// `timeout`.
    pub fn new(base: &str, access: &Access, timeout: Duration) -> Http {
        Http {
            base: base.trim_end_matches('/').to_string(),
            access: access.clone(),
            timeout,
            agent: Arc::new(Mutex::new(None)),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn agent(&self) -> Result<ureq::Agent, String> {
        let mut slot = self.agent.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(a) = slot.as_ref() {
            return Ok(a.clone());
        }
        let mut cfg = ureq::Agent::config_builder()
            .timeout_global(Some(self.timeout))
            .http_status_as_error(false)
            .user_agent(concat!("gamelan/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&self.base) {
            cfg = cfg.proxy(None);
        }
        if let Some(ca) = &self.access.ca_file {
            let roots = read_ca_file(ca)
                .map_err(|e| format!("{}: ca_file {}: {e}", self.access.owner(), ca.display()))?;
            cfg = cfg.tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build());
        }
        let agent: ureq::Agent = cfg.build().into();
        *slot = Some(agent.clone());
        Ok(agent)
    }

    /// GETs `path` (below the base URL) with query `params`.
    pub fn get(&self, path: &str, params: &[(&str, &str)]) -> Result<Answer, String> {
        let agent = self.agent()?;
        let url = format!("{}{path}", self.base);
        let mut req = agent.get(&url);
        for (k, v) in params {
            req = req.query(*k, *v);
        }
        match &self.access.auth {
            Auth::None => {}
            Auth::Bearer(s) => {
                let token = self.secret(s, "bearer token")?;
                req = req.header("Authorization", format!("Bearer {token}"));
            }
            Auth::Basic { username, password } => {
                let pw = self.secret(password, "password")?;
                let b64 =
                    base64::engine::general_purpose::STANDARD.encode(format!("{username}:{pw}"));
                req = req.header("Authorization", format!("Basic {b64}"));
            }
        }
        for h in &self.access.headers {
            let value = match &h.value {
                HeaderValue::Text(t) => t.clone(),
                HeaderValue::Secret(s) => self.secret(s, &format!("`{}` header", h.name))?,
            };
            req = req.header(h.name.as_str(), value);
        }
        let mut resp = req.call().map_err(|e| self.transport_error(e))?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .lossy_utf8(true)
            .read_to_string()
            .map_err(|e| format!("reading the answer from {}: {e}", self.base))?;
        if status == 401 || status == 403 {
            return Err(auth_error(status, &self.base, path, &self.access));
        }
        if status == 400 && body.contains("HTTP request to an HTTPS server") {
            return Err(format!(
                "{} speaks TLS: write https:// in the url of {}",
                self.base,
                self.access.owner()
            ));
        }
        Ok(Answer { status, body })
    }

    /// A secret's value, read now (a rotated token is used from the next request on).
    fn secret(&self, s: &Secret, what: &str) -> Result<String, String> {
        let value = match s {
            Secret::File(p) => {
                crate::vista::regular::read_to_string(p, MAX_SECRET).map_err(|e| {
                    format!(
                        "{}: the {what} file {}: {e}",
                        self.access.owner(),
                        p.display()
                    )
                })?
            }
            Secret::Env(v) => std::env::var(v).map_err(|_| {
                format!(
                    "{}: the {what} comes from ${v}, which is not set in gamelan's environment",
                    self.access.owner()
                )
            })?,
        };
        let value = value.trim().to_string();
        if value.is_empty() {
            return Err(format!(
                "{}: the {what} in {} is empty",
                self.access.owner(),
                s.describe()
            ));
        }
        if value.chars().any(|c| c.is_control()) {
            return Err(format!(
                "{}: the {what} in {} holds a control character (only its first line?)",
                self.access.owner(),
                s.describe()
            ));
        }
        Ok(value)
    }

    fn transport_error(&self, e: ureq::Error) -> String {
        if let Some(tls) = rustls_error(&e) {
            // Build the agent again at the next request, so a fixed CA file is read.
            *self.agent.lock().unwrap_or_else(|p| p.into_inner()) = None;
            return tls_error(tls, &self.base, &self.access);
        }
        match e {
            ureq::Error::Timeout(_) => format!("{}: timed out", self.base),
            e => format!("cannot reach {}: {e}", self.base),
        }
    }
}

/// The rustls error inside a ureq error, whichever way it was wrapped.
fn rustls_error(e: &ureq::Error) -> Option<&rustls::Error> {
    match e {
        ureq::Error::Rustls(r) => Some(r),
        ureq::Error::Io(io) => io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()),
        _ => None,
    }
}

fn read_ca_file(path: &std::path::Path) -> Result<ureq::tls::RootCerts, String> {
    let text = crate::vista::regular::read_to_string(path, MAX_CA_FILE)?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(text.as_bytes()) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => {}
            Err(e) => return Err(format!("not a PEM file: {e}")),
        }
    }
    if certs.is_empty() {
        return Err("holds no certificate (-----BEGIN CERTIFICATE-----)".into());
    }
    Ok(ureq::tls::RootCerts::new_with_certs(&certs))
}

/// The message for a 401 or 403: what was sent, and what to change.
pub fn auth_error(status: u16, base: &str, path: &str, access: &Access) -> String {
    let owner = access.owner();
    match (status, access.describe_auth()) {
        (401, None) => format!(
            "HTTP 401 Unauthorized from {base}: the server wants credentials; {}",
            match &access.datasource {
                Some(d) => format!(
                    "give datasource `{d}` bearer_token_file, bearer_token_env or basic_auth"
                ),
                None => "declare a [datasource.NAME] with bearer_token_file, bearer_token_env or \
                         basic_auth and write `datasource = \"NAME\"` in the pane's source"
                    .into(),
            }
        ),
        (401, Some(sent)) => format!(
            "HTTP 401 Unauthorized from {base}: the server refused {sent} ({owner}); check that \
             secret (mistyped, expired, or meant for another server?)"
        ),
        (_, None) => format!(
            "HTTP 403 Forbidden from {base}: {path} is refused to requests without credentials; \
             give {owner} credentials the server accepts"
        ),
        (_, Some(sent)) => format!(
            "HTTP 403 Forbidden from {base}: the server knows {sent} ({owner}) but does not let it \
             read {path}; ask for that access or use other credentials"
        ),
    }
}

/// The message for a failed TLS handshake: which of CA, name, dates or protocol is wrong.
pub fn tls_error(e: &rustls::Error, base: &str, access: &Access) -> String {
    let owner = access.owner();
    let ca = |fix: &str| match &access.ca_file {
        Some(p) => format!(
            "TLS: the certificate of {base} is not signed by the CA in ca_file {} ({owner}): {fix}",
            p.display()
        ),
        None => format!(
            "TLS: the certificate of {base} is signed by a CA gamelan does not trust: set \
             `ca_file` on {} to that CA's PEM file",
            access
                .datasource
                .as_ref()
                .map_or("a [datasource.NAME]".to_string(), |d| format!(
                    "datasource `{d}`"
                ))
        ),
    };
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => {
                ca("is it the CA that signed the server's certificate?")
            }
            CertificateError::BadSignature => ca("the signature does not match"),
            CertificateError::NotValidForName => format!(
                "TLS: the certificate of {base} is not for that host name: use a name the \
                 certificate lists in the url"
            ),
            CertificateError::NotValidForNameContext {
                expected,
                presented,
            } => format!(
                "TLS: the certificate of {base} is for {}, not {}: use one of those names in the url",
                if presented.is_empty() {
                    "no name".to_string()
                } else {
                    presented
                        .iter()
                        .map(|p| bare_name(p))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                expected.to_str()
            ),
            CertificateError::Expired => format!(
                "TLS: the certificate of {base} has expired: renew it on the server (or check this machine's clock)"
            ),
            CertificateError::ExpiredContext { not_after, .. } => format!(
                "TLS: the certificate of {base} expired on {}: renew it on the server (or check this machine's clock)",
                crate::clock::format_rfc3339(not_after.as_secs() as f64)
            ),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => format!(
                "TLS: the certificate of {base} is not valid yet: check the clocks of this machine and the server"
            ),
            other => format!("TLS: the certificate of {base} is not accepted: {other:?}"),
        },
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            format!("TLS: {base} does not answer in TLS: is it http:// rather than https://?")
        }
        rustls::Error::AlertReceived(a) => format!(
            "TLS: {base} refused the handshake ({a:?}): does it want a client certificate, or a TLS version gamelan does not speak?"
        ),
        other => format!(
            "TLS with {base} failed: {}",
            one_line(&other.to_string(), 200)
        ),
    }
}

/// A presented name as rustls writes it (`DnsName("prom.test")`), bare: `prom.test`.
fn bare_name(p: &str) -> &str {
    match (p.find('"'), p.rfind('"')) {
        (Some(a), Some(b)) if b > a => &p[a + 1..b],
        _ => p,
    }
}

pub(crate) fn is_loopback(url: &str) -> bool {
    let host = url.split_once("://").map_or(url, |(_, r)| r);
    let host = host.split(['/', '?']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = if let Some(h) = host.strip_prefix('[') {
        h.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn access(auth: Auth) -> Access {
        Access {
            datasource: Some("prod".into()),
            auth,
            ..Access::default()
        }
    }

    #[test]
    fn loopback_detection() {
        assert!(is_loopback("http://127.0.0.1:9090"));
        assert!(is_loopback("http://localhost/prom"));
        assert!(is_loopback("http://[::1]:9090/"));
        assert!(!is_loopback("https://prom.example.com:443"));
    }

    #[test]
    fn auth_errors_name_what_was_sent_and_what_to_fix() {
        let basic = access(Auth::Basic {
            username: "ops".into(),
            password: Secret::Env("PW".into()),
        });
        let m = auth_error(401, "http://p", "/api/v1/query", &basic);
        assert!(
            m.contains("refused user `ops` with the password from $PW (datasource `prod`)"),
            "{m}"
        );
        let m = auth_error(401, "http://p", "/api/v1/query", &access(Auth::None));
        assert!(
            m.contains("give datasource `prod` bearer_token_file"),
            "{m}"
        );
        let m = auth_error(401, "http://p", "/x", &Access::default());
        assert!(m.contains("declare a [datasource.NAME]"), "{m}");
        let bearer = access(Auth::Bearer(Secret::File(PathBuf::from("/run/t"))));
        let m = auth_error(403, "http://p", "/api/v2/silences", &bearer);
        assert!(
            m.starts_with("HTTP 403 Forbidden from http://p: the server knows the bearer token from the file /run/t"),
            "{m}"
        );
        assert!(m.contains("read /api/v2/silences"), "{m}");
    }

    /// One request to a loopback listener that answers `status`: the request head it got.
    fn exchange(access: &Access, status: u16) -> (Result<Answer, String>, String) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).unwrap() == 1 {
                head.push(byte[0]);
            }
            let body = "{}";
            write!(
                conn,
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            String::from_utf8(head).unwrap()
        });
        let r = Http::new(&base, access, Duration::from_secs(5))
            .get("/api/v1/query", &[("query", "up")]);
        (r, server.join().unwrap().to_ascii_lowercase())
    }

    #[test]
    fn credentials_and_headers_are_sent_from_their_files() {
        let dir = tempfile::tempdir().unwrap();
        let pw = dir.path().join("pw");
        std::fs::write(&pw, "s3cret\n").unwrap();
        let key = dir.path().join("key");
        std::fs::write(&key, "  k-123 \n").unwrap();
        let access = Access {
            datasource: Some("prod".into()),
            auth: Auth::Basic {
                username: "ops".into(),
                password: Secret::File(pw.clone()),
            },
            headers: vec![
                crate::vista::config::Header {
                    name: "X-Scope-OrgID".into(),
                    value: HeaderValue::Text("team-a".into()),
                },
                crate::vista::config::Header {
                    name: "X-Api-Key".into(),
                    value: HeaderValue::Secret(Secret::File(key)),
                },
            ],
            ca_file: None,
        };
        let (r, head) = exchange(&access, 200);
        assert_eq!(r.unwrap().status, 200);
        // base64("ops:s3cret")
        assert!(
            head.contains("authorization: basic b3bzonmzy3jlda==\r\n"),
            "{head}"
        );
        assert!(
            head.contains("x-scope-orgid: team-a") && head.contains("x-api-key: k-123\r\n"),
            "{head}"
        );
        let bearer = Access {
            auth: Auth::Bearer(Secret::File(pw)),
            headers: Vec::new(),
            ..access
        };
        let (r, head) = exchange(&bearer, 403);
        assert!(head.contains("authorization: bearer s3cret\r\n"), "{head}");
        let m = r.unwrap_err();
        assert!(
            m.starts_with("HTTP 403 Forbidden from http://127.0.0.1:"),
            "{m}"
        );
        assert!(
            m.contains("knows the bearer token from the file") && m.contains("read /api/v1/query"),
            "{m}"
        );
    }

    #[test]
    fn tls_errors_say_which_part_is_wrong() {
        let a = access(Auth::None);
        let unknown = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let m = tls_error(&unknown, "https://p", &a);
        assert!(m.contains("set `ca_file` on datasource `prod`"), "{m}");
        let with_ca = Access {
            ca_file: Some(PathBuf::from("/etc/ca.pem")),
            ..a.clone()
        };
        let m = tls_error(&unknown, "https://p", &with_ca);
        assert!(
            m.contains("not signed by the CA in ca_file /etc/ca.pem"),
            "{m}"
        );
        let name = rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
            expected: rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap(),
            presented: vec!["DnsName(\"prom.test\")".into()],
        });
        let m = tls_error(&name, "https://127.0.0.1:1", &a);
        assert!(
            m.contains("is for prom.test, not 127.0.0.1: use one of those names"),
            "{m}"
        );
        let expired = rustls::Error::InvalidCertificate(CertificateError::ExpiredContext {
            time: rustls::pki_types::UnixTime::since_unix_epoch(Duration::from_secs(2_000_000_000)),
            not_after: rustls::pki_types::UnixTime::since_unix_epoch(Duration::from_secs(
                1_000_000_000,
            )),
        });
        let m = tls_error(&expired, "https://p", &a);
        assert!(
            m.contains("expired on 2001-09-09T01:46:40Z: renew it"),
            "{m}"
        );
    }
}
