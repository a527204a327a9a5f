//! The vista against real Prometheus servers that want credentials and TLS: a server started
//! with a `--web.config.file` requiring basic auth (a bcrypt hash made here), and servers with
//! certificates from a CA made here (rcgen). Right credentials and CA read; a wrong password, no
//! credentials, a missing password file, an unknown CA, another CA, a wrong host name, an
//! expired certificate and the wrong scheme each give a pane error that says what to fix.

mod common;

use common::peers::{PromSetup, Prometheus};
use common::{vista_config, wait_pane};
use gamelan::vista::{self, PaneState, Status};
use std::path::Path;

const USER: &str = "ops";
const PASSWORD: &str = "correct horse battery staple";

/// A web config requiring basic auth for `ops` (bcrypt at the lowest cost, to start fast).
fn basic_auth_users() -> String {
    let hash = bcrypt::hash(PASSWORD, 4).unwrap();
    format!("basic_auth_users:\n  {USER}: '{hash}'\n")
}

fn error(s: &PaneState) -> String {
    s.current_error()
        .map(|e| e.message.clone())
        .unwrap_or_default()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_auth_reads_with_the_right_password_and_says_what_is_wrong_otherwise() {
    let Some(prom) = Prometheus::start_with(PromSetup {
        web_config: Some(basic_auth_users()),
        ..PromSetup::default()
    }) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good", &format!("{PASSWORD}\n"));
    let wrong = write(dir.path(), "wrong", "hunter2\n");
    let missing = dir.path().join("missing").display().to_string();
    let cfg = vista_config(&format!(
        r#"
[vista]
refresh = "300ms"
max_backoff = "1s"

[datasource.good]
type = "prometheus"
url = "{url}"
default = true
basic_auth = {{ username = "{USER}", password_file = "{good}" }}
headers = {{ "X-Scope-OrgID" = "team-a" }}

[datasource.wrong]
type = "prometheus"
url = "{url}"
basic_auth = {{ username = "{USER}", password_file = "{wrong}" }}

[datasource.anonymous]
type = "prometheus"
url = "{url}"

[datasource.lost]
type = "prometheus"
url = "{url}"
basic_auth = {{ username = "{USER}", password_file = "{missing}" }}

[[panes]]
id = "good"
source = {{ type = "prometheus", query = "vector(7)" }}

[[panes]]
id = "wrong"
source = {{ type = "prometheus", datasource = "wrong", query = "vector(7)" }}

[[panes]]
id = "anonymous"
source = {{ type = "prometheus", datasource = "anonymous", query = "vector(7)" }}

[[panes]]
id = "lost"
source = {{ type = "prometheus", datasource = "lost", query = "vector(7)" }}

[[panes]]
id = "alerts"
source = {{ type = "prometheus_alerts" }}
"#,
        url = prom.url()
    ));
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "good", "the value through basic auth", |s| {
        s.series.first().and_then(|x| x.latest()) == Some(7.0)
    })
    .await;
    assert_eq!(s.status, Status::Ok);
    wait_pane(&h, "alerts", "alerts through basic auth", |s| {
        s.alerts.iter().any(|a| a.name == "AlwaysFiring")
    })
    .await;
    let s = wait_pane(&h, "wrong", "a 401 for the wrong password", |s| {
        error(s).contains("401")
    })
    .await;
    let m = error(&s);
    assert!(
        m.starts_with(&format!("HTTP 401 Unauthorized from {}", prom.url())),
        "{m}"
    );
    assert!(
        m.contains(&format!(
            "refused user `ops` with the password from the file {wrong} (datasource `wrong`)"
        )),
        "{m}"
    );
    assert!(
        !m.contains("hunter2"),
        "a message never shows the secret: {m}"
    );
    let s = wait_pane(&h, "anonymous", "a 401 without credentials", |s| {
        error(s).contains("401")
    })
    .await;
    assert!(
        error(&s).contains("the server wants credentials; give datasource `anonymous`"),
        "{}",
        error(&s)
    );
    let s = wait_pane(&h, "lost", "the missing password file", |s| {
        s.status == Status::Error
    })
    .await;
    assert!(
        error(&s).contains(&format!(
            "datasource `lost`: the password file {missing}: cannot read: No such file"
        )),
        "{}",
        error(&s)
    );
    // The secret is read at each request: fixing the file fixes the pane, no reload needed.
    std::fs::write(&wrong, PASSWORD).unwrap();
    wait_pane(
        &h,
        "wrong",
        "recovery once the password file is right",
        |s| s.status == Status::Ok && s.series.first().and_then(|x| x.latest()) == Some(7.0),
    )
    .await;
    assert_eq!(
        h.snapshot().pane("anonymous").unwrap().state.status,
        Status::Error
    );
}

/// A CA and a server certificate for `localhost` it signed, as PEM: (ca, cert, key).
fn tls_files(expired: bool) -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "gamelan test CA");
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let mut leaf = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    leaf.distinguished_name
        .push(DnType::CommonName, "localhost");
    if expired {
        leaf.not_before = rcgen::date_time_ymd(2020, 1, 1);
        leaf.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let key = KeyPair::generate().unwrap();
    let cert = leaf.signed_by(&key, &ca).unwrap();
    (ca.pem(), cert.pem(), key.serialize_pem())
}

fn tls_server(dir: &Path, tag: &str, expired: bool) -> Option<(Prometheus, String)> {
    let (ca, cert, key) = tls_files(expired);
    let cert = write(dir, &format!("{tag}-cert.pem"), &cert);
    let key = write(dir, &format!("{tag}-key.pem"), &key);
    let ca = write(dir, &format!("{tag}-ca.pem"), &ca);
    let web = format!(
        "tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n{}",
        basic_auth_users()
    );
    let prom = Prometheus::start_with(PromSetup {
        web_config: Some(web),
        ..PromSetup::default()
    })?;
    Some((prom, ca))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_trusts_the_ca_file_and_names_what_is_wrong_with_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let Some((prom, ca)) = tls_server(dir.path(), "good", false) else {
        return;
    };
    let Some((old, _)) = tls_server(dir.path(), "old", true) else {
        return;
    };
    let (other_ca, _, _) = tls_files(false);
    let other_ca = write(dir.path(), "other-ca.pem", &other_ca);
    let not_pem = write(dir.path(), "not-pem.txt", "hello\n");
    let password = write(dir.path(), "password", PASSWORD);
    let port = prom.server.port;
    let auth = format!(r#"basic_auth = {{ username = "{USER}", password_file = "{password}" }}"#);
    let ds = |name: &str, url: &str, ca: Option<&str>| {
        let ca = ca.map_or(String::new(), |c| format!("ca_file = \"{c}\"\n"));
        format!("[datasource.{name}]\ntype = \"prometheus\"\nurl = \"{url}\"\n{ca}{auth}\n\n")
    };
    let localhost = format!("https://localhost:{port}");
    let mut src = String::from("[vista]\nrefresh = \"300ms\"\nmax_backoff = \"1s\"\n\n");
    src += &ds("good", &localhost, Some(&ca));
    src += &ds("unknown", &localhost, None);
    src += &ds("other", &localhost, Some(&other_ca));
    src += &ds("name", &format!("https://127.0.0.1:{port}"), Some(&ca));
    src += &ds("plain", &format!("http://localhost:{port}"), Some(&ca));
    src += &ds("notpem", &localhost, Some(&not_pem));
    src += &ds(
        "expired",
        &format!("https://localhost:{}", old.server.port),
        Some(&ca),
    );
    for name in [
        "good", "unknown", "other", "name", "plain", "notpem", "expired",
    ] {
        src += &format!(
            "[[panes]]\nid = \"{name}\"\nsource = {{ type = \"prometheus\", datasource = \"{name}\", query = \"vector(3)\" }}\n\n"
        );
    }
    let h = vista::spawn(&vista_config(&src));
    wait_pane(&h, "good", "a value over TLS with the CA file", |s| {
        s.series.first().and_then(|x| x.latest()) == Some(3.0)
    })
    .await;
    let expect = [
        (
            "unknown",
            "is signed by a CA gamelan does not trust: set `ca_file` on datasource `unknown`"
                .to_string(),
        ),
        (
            "other",
            format!("is not signed by the CA in ca_file {other_ca} (datasource `other`)"),
        ),
        (
            "name",
            "is for localhost, not 127.0.0.1: use one of those names in the url".to_string(),
        ),
        (
            "plain",
            format!("http://localhost:{port} speaks TLS: write https://"),
        ),
        (
            "notpem",
            format!("datasource `notpem`: ca_file {not_pem}: holds no certificate"),
        ),
        (
            "expired",
            "expired on 2021-01-01T00:00:00Z: renew it".to_string(),
        ),
    ];
    for (pane, needle) in expect {
        let s = wait_pane(&h, pane, &needle, |s| error(s).contains(needle.as_str())).await;
        assert_eq!(s.status, Status::Error);
    }
    // The CA file is read again after a failure: the right CA fixes the pane.
    std::fs::copy(&ca, &other_ca).unwrap();
    wait_pane(&h, "other", "recovery with the right CA in the file", |s| {
        s.status == Status::Ok
    })
    .await;
}

/// As a user runs it: `gamelan vista` in a real terminal at 80x24 reads an authenticated
/// Prometheus with the password from an environment variable, a pane with a wrong password
/// says so in its own frame, the rest keeps running, an inline password in an edit is refused
/// with its position, and q gives the terminal back.
#[test]
fn the_console_shows_auth_errors_in_their_panes_and_keeps_running() {
    let Some(prom) = Prometheus::start_with(PromSetup {
        web_config: Some(basic_auth_users()),
        ..PromSetup::default()
    }) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let good = format!(
        r#"[vista]
title = "auth check"
refresh = "300ms"
columns = 2

[datasource.prod]
type = "prometheus"
url = "{url}"
basic_auth = {{ username = "{USER}", password_env = "GAMELAN_TEST_PROM_PASSWORD" }}

[datasource.stale]
type = "prometheus"
url = "{url}"
basic_auth = {{ username = "{USER}", password_env = "GAMELAN_TEST_OLD_PASSWORD" }}

[[panes]]
id = "answer"
title = "Answer"
kind = "list"
source = {{ type = "prometheus", datasource = "prod", query = "vector(42)", legend = "answer" }}

[[panes]]
id = "old"
title = "Old password"
source = {{ type = "prometheus", datasource = "stale", query = "vector(1)" }}
"#,
        url = prom.url()
    );
    let cfg = dir.path().join("vista.toml");
    std::fs::write(&cfg, &good).unwrap();
    // From its directory, so that the status line's `vista.toml:line:col` fits in 80 columns.
    let script = format!(
        "cd '{}' && \"$G\" vista --config vista.toml; echo EXIT=$?; stty -a",
        dir.path().display()
    );
    let config_dir = dir.path().join("config");
    let t = common::Term::sh(
        "vista-auth",
        &script,
        &[
            ("GAMELAN_CONFIG_DIR", config_dir.as_os_str()),
            ("GAMELAN_TEST_PROM_PASSWORD", std::ffi::OsStr::new(PASSWORD)),
            (
                "GAMELAN_TEST_OLD_PASSWORD",
                std::ffi::OsStr::new("last year's"),
            ),
        ],
        80,
        24,
    );
    t.wait_for("auth check");
    t.wait_line(&["answer", "42"]);
    let screen = t.wait_for("HTTP 401");
    assert!(screen.contains("refused user `ops`"), "{screen}");
    assert!(
        !screen.contains("last year"),
        "the secret never reaches the screen:\n{screen}"
    );
    std::fs::write(
        &cfg,
        good.replace(
            r#"password_env = "GAMELAN_TEST_OLD_PASSWORD""#,
            r#"password = "hunter2""#,
        ),
    )
    .unwrap();
    let screen = t.wait_for("kept the last good vista: vista.toml:14:45: datasource `sta");
    assert!(screen.contains("kept the last good vista"), "{screen}");
    t.wait_line(&["answer", "42"]);
    t.press("q");
    let screen = t.wait_stty();
    assert!(screen.contains("EXIT=0"), "{screen}");
}

/// `gamelan capture --prometheus NAME` reads through the `[datasource.NAME]` of vista.toml,
/// credentials included; a refused one fails with the same message a pane shows.
#[test]
fn capture_reads_through_a_named_datasource() {
    let Some(prom) = Prometheus::start_with(PromSetup {
        web_config: Some(basic_auth_users()),
        ..PromSetup::default()
    }) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good", PASSWORD);
    let wrong = write(dir.path(), "wrong", "nope");
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("vista.toml"),
        format!(
            "[datasource.prod]\ntype = \"prometheus\"\nurl = \"{url}\"\nbasic_auth = {{ username = \"{USER}\", password_file = \"{good}\" }}\n\n\
             [datasource.old]\ntype = \"prometheus\"\nurl = \"{url}\"\nbasic_auth = {{ username = \"{USER}\", password_file = \"{wrong}\" }}\n",
            url = prom.url()
        ),
    )
    .unwrap();
    let out = dir.path().join("captured.toml");
    let capture = |source: &str| {
        std::process::Command::new(common::BIN)
            .args([
                "capture",
                "--prometheus",
                source,
                "--query",
                "seven=vector(7)",
            ])
            .args(["--from", "-3s", "--step", "1s", "-o"])
            .arg(&out)
            .env("GAMELAN_CONFIG_DIR", &config)
            .output()
            .unwrap()
    };
    // Prometheus answers once it is ready; until then the capture fails and is tried again.
    let end = std::time::Instant::now() + common::peers::DEADLINE;
    let r = loop {
        let r = capture("prod");
        if r.status.success() || std::time::Instant::now() > end {
            break r;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{stderr}");
    assert!(
        stderr.contains("captured 1 signal(s), 4 samples each"),
        "{stderr}"
    );
    assert!(std::fs::read_to_string(&out).unwrap().contains("7.0"));
    let r = capture("old");
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(!r.status.success());
    assert!(
        stderr.contains("HTTP 401 Unauthorized") && stderr.contains("(datasource `old`)"),
        "{stderr}"
    );
    let r = capture("nowhere");
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(stderr.contains("has no [datasource.nowhere]"), "{stderr}");
}
