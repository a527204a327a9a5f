//! Named datasources (`[datasource.NAME]`): the servers a vista reads, with what each request
//! carries (credentials, headers) and which CA its TLS certificate must come from. A secret is
//! never written in the file: the file names the file or the environment variable holding it,
//! and the source reads it at each request, so a rotated token is picked up without a reload.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use toml::Spanned;

/// The kinds of server a datasource can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatasourceKind {
    Prometheus,
    Alertmanager,
}

impl DatasourceKind {
    pub fn label(self) -> &'static str {
        match self {
            DatasourceKind::Prometheus => "prometheus",
            DatasourceKind::Alertmanager => "alertmanager",
        }
    }
}

/// `[datasource.NAME]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasourceSpec {
    #[serde(rename = "type")]
    pub kind: Spanned<DatasourceKind>,
    pub url: Option<Spanned<String>>,
    /// The datasource of its type that panes naming none use.
    pub default: Option<Spanned<bool>>,
    pub ca_file: Option<Spanned<String>>,
    pub bearer_token_file: Option<Spanned<String>>,
    pub bearer_token_env: Option<Spanned<String>>,
    /// Read only to refuse it with a message that says where the token goes instead.
    pub bearer_token: Option<Spanned<toml::Value>>,
    pub basic_auth: Option<Spanned<BasicAuthSpec>>,
    /// Header name to a value: a string, or `{ file = PATH }` / `{ env = NAME }` for a secret.
    pub headers: Option<Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>,
}

/// `basic_auth = { ... }` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicAuthSpec {
    pub username: Option<Spanned<String>>,
    pub password_file: Option<Spanned<String>>,
    pub password_env: Option<Spanned<String>>,
    /// Read only to refuse it.
    pub password: Option<Spanned<toml::Value>>,
}

/// A checked datasource.
#[derive(Debug, Clone, PartialEq)]
pub struct Datasource {
    pub name: String,
    pub kind: DatasourceKind,
    /// Base URL, without a trailing `/`.
    pub url: String,
    /// Marked `default = true`.
    pub default: bool,
    pub access: Access,
}

/// What every request to a server carries, and the CA its certificate must chain to. The
/// default is a plain request with the built-in web roots.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Access {
    /// The datasource the pane reads through, for messages; `None` for a bare `url`.
    pub datasource: Option<String>,
    pub auth: Auth,
    pub headers: Vec<Header>,
    /// PEM file of the CA(s) to trust instead of the built-in web roots.
    pub ca_file: Option<PathBuf>,
}

/// Credentials sent with each request.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Auth {
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Basic <user:password>`.
    Basic { username: String, password: Secret },
}

/// Where a secret lives: never in the vista file itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Secret {
    /// A file whose content (surrounding whitespace trimmed) is the secret.
    File(PathBuf),
    /// An environment variable of the gamelan process.
    Env(String),
}

impl Secret {
    /// Where it comes from, for messages (`the file /run/token`, `$PROM_TOKEN`); never the value.
    pub fn describe(&self) -> String {
        match self {
            Secret::File(p) => format!("the file {}", p.display()),
            Secret::Env(v) => format!("${v}"),
        }
    }
}

/// One extra request header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub name: String,
    pub value: HeaderValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue {
    Text(String),
    Secret(Secret),
}

impl Access {
    /// The credentials in words, for messages: `user `ops` with the password from $PW`.
    pub fn describe_auth(&self) -> Option<String> {
        match &self.auth {
            Auth::None => None,
            Auth::Bearer(s) => Some(format!("the bearer token from {}", s.describe())),
            Auth::Basic { username, password } => Some(format!(
                "user `{username}` with the password from {}",
                password.describe()
            )),
        }
    }

    /// How a message names the server's configuration: `datasource `prod`` or `the pane's url`.
    pub fn owner(&self) -> String {
        match &self.datasource {
            Some(d) => format!("datasource `{d}`"),
            None => "the pane's source".into(),
        }
    }
}
