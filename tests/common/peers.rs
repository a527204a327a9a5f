//! Real servers on loopback for the vista's tests: Prometheus, Alertmanager and the node exporter
//! from Debian's packages (`prometheus`, `prometheus-alertmanager`, `prometheus-node-exporter`).
//! Each test starts its own on free 127.0.0.1 ports with a temporary directory, and the servers
//! are killed when dropped (and by the kernel if the test process dies first).
//!
//! A missing binary skips the test with a message that says which package to install; CI sets
//! GAMELAN_REQUIRE_PEERS=1 (in .ci/run), where a missing binary is a failure instead.
//! GAMELAN_SKIP_PROMETHEUS=1 skips every test that needs one of these servers.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Longest wait for any one server condition.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// The binary (`$env` overrides `default`), or `None` after saying why the test is skipped.
pub fn binary(default: &str, env: &str, package: &str) -> Option<PathBuf> {
    if std::env::var("GAMELAN_SKIP_PROMETHEUS").is_ok_and(|v| v == "1") {
        eprintln!("GAMELAN_SKIP_PROMETHEUS=1: skipping a test that needs {package}");
        return None;
    }
    let bin = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    if bin.exists() {
        return Some(bin);
    }
    let msg = format!(
        "{} is missing: install Debian's `{package}` package (apt-get install {package}) or set {env}",
        bin.display()
    );
    assert!(
        !std::env::var("GAMELAN_REQUIRE_PEERS").is_ok_and(|v| v == "1"),
        "{msg} (GAMELAN_REQUIRE_PEERS=1: the test must run)"
    );
    eprintln!("SKIPPED: {msg}");
    None
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A plain agent for readiness checks and test set-up, never through a proxy.
pub fn agent(ca_pem: Option<&str>) -> ureq::Agent {
    let mut cfg = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(2)))
        .proxy(None)
        .http_status_as_error(false);
    if let Some(pem) = ca_pem {
        let certs: Vec<_> = ureq::tls::parse_pem(pem.as_bytes())
            .filter_map(|i| match i {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        cfg = cfg.tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
                .build(),
        );
    }
    cfg.build().into()
}

/// One server process, its output in `<dir>/<name>.log`.
pub struct Server {
    pub name: &'static str,
    pub port: u16,
    bin: PathBuf,
    args: Vec<String>,
    log: PathBuf,
    child: Option<Child>,
}

impl Server {
    pub fn new(name: &'static str, bin: PathBuf, dir: &Path, port: u16, args: Vec<String>) -> Self {
        Server {
            name,
            port,
            bin,
            args,
            log: dir.join(format!("{name}.log")),
            child: None,
        }
    }

    /// Starts the process (again, after [`Server::stop`]: same port, same files).
    pub fn launch(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let mut cmd = Command::new(&self.bin);
        cmd.args(&self.args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        // SAFETY: prctl is async-signal-safe; it only asks the kernel to kill the server if
        // this test process dies without running its destructors.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        self.child = Some(cmd.spawn().unwrap());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits (bounded) until `ready` says the server answers; panics with its log otherwise.
    pub fn wait_until(&mut self, what: &str, ready: impl Fn() -> bool) {
        let end = Instant::now() + DEADLINE;
        loop {
            if ready() {
                return;
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                panic!(
                    "{} exited ({status}) before {what}:\n{}",
                    self.name,
                    self.log()
                );
            }
            assert!(
                Instant::now() < end,
                "{}: no {what} after {DEADLINE:?}:\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until GET `url` answers 200.
    pub fn wait_ok(&mut self, url: &str, agent: &ureq::Agent, auth: Option<&str>) {
        self.wait_until(&format!("200 from {url}"), || {
            let mut req = agent.get(url);
            if let Some(a) = auth {
                req = req.header("Authorization", a);
            }
            req.call().is_ok_and(|r| r.status() == 200)
        });
    }

    /// Stops the server gracefully (SIGTERM), killing it if it takes too long.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // SAFETY: signals our own child process.
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        let end = Instant::now() + Duration::from_secs(15);
        while Instant::now() < end {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// How a test's Prometheus is set up beyond scraping itself every second.
#[derive(Default)]
pub struct PromSetup {
    /// A `--web.config.file` (TLS, basic auth). Prometheus then does not scrape itself.
    pub web_config: Option<String>,
    /// Extra rule lines under the one rule group (each rule `  - alert: …`, indented by 6).
    pub rules: String,
    /// Alertmanager ports to send alerts to.
    pub alertmanagers: Vec<u16>,
    /// Extra scrape jobs: `(job, "127.0.0.1:port")`.
    pub scrape: Vec<(String, String)>,
}

/// A Prometheus server for one test.
pub struct Prometheus {
    pub dir: tempfile::TempDir,
    pub server: Server,
    /// `http` or `https`.
    pub scheme: &'static str,
}

/// The rule every test Prometheus has: an alert that always fires.
const ALWAYS_FIRING: &str = r#"      - alert: AlwaysFiring
        expr: vector(1) > 0
        labels:
          severity: page
          team: core
        annotations:
          summary: "always firing, for the vista test"
"#;

impl Prometheus {
    /// A server scraping itself every second, with the always-firing rule.
    pub fn start() -> Option<Prometheus> {
        Prometheus::start_with(PromSetup::default())
    }

    pub fn start_with(setup: PromSetup) -> Option<Prometheus> {
        let bin = binary("/usr/bin/prometheus", "GAMELAN_PROMETHEUS", "prometheus")?;
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let rules = dir.path().join("rules.yml");
        std::fs::write(
            &rules,
            format!(
                "groups:\n  - name: gamelan-test\n    rules:\n{ALWAYS_FIRING}{}",
                setup.rules
            ),
        )
        .unwrap();
        let mut scrape = Vec::new();
        if setup.web_config.is_none() {
            scrape.push(("prometheus".to_string(), format!("127.0.0.1:{port}")));
        }
        scrape.extend(setup.scrape);
        let mut yml = format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - {}\nscrape_configs:\n",
            rules.display()
        );
        for (job, target) in &scrape {
            yml += &format!(
                "  - job_name: {job}\n    static_configs:\n      - targets: [\"{target}\"]\n"
            );
        }
        if !setup.alertmanagers.is_empty() {
            let targets: Vec<String> = setup
                .alertmanagers
                .iter()
                .map(|p| format!("\"127.0.0.1:{p}\""))
                .collect();
            yml += &format!(
                "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [{}]\n",
                targets.join(", ")
            );
        }
        std::fs::write(dir.path().join("prometheus.yml"), yml).unwrap();
        let mut args = vec![
            format!(
                "--config.file={}",
                dir.path().join("prometheus.yml").display()
            ),
            format!("--storage.tsdb.path={}", dir.path().join("data").display()),
            format!("--web.listen-address=127.0.0.1:{port}"),
            "--rules.alert.resend-delay=1s".into(),
            "--log.level=warn".into(),
        ];
        let scheme = match &setup.web_config {
            Some(web) => {
                let path = dir.path().join("web.yml");
                std::fs::write(&path, web).unwrap();
                args.push(format!("--web.config.file={}", path.display()));
                if web.contains("tls_server_config") {
                    "https"
                } else {
                    "http"
                }
            }
            None => "http",
        };
        let server = Server::new("prometheus", bin, dir.path(), port, args);
        let mut p = Prometheus {
            dir,
            server,
            scheme,
        };
        p.launch();
        Some(p)
    }

    pub fn url(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme, self.server.port)
    }

    /// Starts the process and, unless it wants credentials or TLS, waits until it is ready.
    pub fn launch(&mut self) {
        self.server.launch();
        if self.scheme == "http" && !self.dir.path().join("web.yml").exists() {
            let url = format!("{}/-/ready", self.url());
            self.server.wait_ok(&url, &agent(None), None);
        }
    }

    pub fn stop(&mut self) {
        self.server.stop();
    }

    pub fn log(&self) -> String {
        self.server.log()
    }

    /// Waits until `query` has a value (Prometheus scrapes itself first a few seconds after start).
    pub async fn wait_scraped(&self, query: &str) {
        let client =
            gamelan::vista::source::prometheus::Client::new(&self.url(), Duration::from_secs(5));
        let end = Instant::now() + DEADLINE;
        loop {
            let r = client.query(query, None);
            if r.as_ref().is_ok_and(|s| !s.is_empty()) {
                break;
            }
            assert!(
                Instant::now() < end,
                "`{query}` has no value after {DEADLINE:?}: {r:?}\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // One more scrape, so that the series has two samples.
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }

    /// Some requests that are not 2xx, so that an SLO has something to count.
    pub fn bad_requests(&self, n: usize) {
        let agent = agent(None);
        for _ in 0..n {
            let r = agent
                .get(&format!("{}/api/v1/query", self.url()))
                .query("query", "this is not promql (")
                .call()
                .unwrap();
            assert_eq!(r.status(), 400);
        }
    }
}

/// An Alertmanager for one test, clustering off.
pub struct Alertmanager {
    pub dir: tempfile::TempDir,
    pub server: Server,
}

impl Alertmanager {
    /// Starts one with `config` (alertmanager.yml) and waits until it is ready.
    pub fn start(config: &str) -> Option<Alertmanager> {
        Alertmanager::start_with(config, None)
    }

    /// The same behind a `--web.config.file`; then it waits until the server answers at all.
    pub fn start_with(config: &str, web_config: Option<&str>) -> Option<Alertmanager> {
        let bin = binary(
            "/usr/bin/prometheus-alertmanager",
            "GAMELAN_ALERTMANAGER",
            "prometheus-alertmanager",
        )?;
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let cfg = dir.path().join("alertmanager.yml");
        std::fs::write(&cfg, config).unwrap();
        let mut args = vec![
            format!("--config.file={}", cfg.display()),
            format!("--storage.path={}", dir.path().join("data").display()),
            format!("--web.listen-address=127.0.0.1:{port}"),
            "--cluster.listen-address=".into(),
            "--log.level=warn".into(),
        ];
        if let Some(web) = web_config {
            let path = dir.path().join("web.yml");
            std::fs::write(&path, web).unwrap();
            args.push(format!("--web.config.file={}", path.display()));
        }
        let mut server = Server::new("alertmanager", bin, dir.path(), port, args);
        server.launch();
        let url = format!("http://127.0.0.1:{port}/-/ready");
        let agent = agent(None);
        if web_config.is_some() {
            server.wait_until("an answer", || agent.get(&url).call().is_ok());
        } else {
            server.wait_ok(&url, &agent, None);
        }
        Some(Alertmanager { dir, server })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.server.port)
    }
}

/// A node exporter for one test.
pub struct NodeExporter {
    pub server: Server,
    _dir: tempfile::TempDir,
}

impl NodeExporter {
    pub fn start() -> Option<NodeExporter> {
        let bin = binary(
            "/usr/bin/prometheus-node-exporter",
            "GAMELAN_NODE_EXPORTER",
            "prometheus-node-exporter",
        )?;
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let args = vec![
            format!("--web.listen-address=127.0.0.1:{port}"),
            "--log.level=warn".into(),
        ];
        let mut server = Server::new("node-exporter", bin, dir.path(), port, args);
        server.launch();
        let url = format!("http://127.0.0.1:{port}/metrics");
        server.wait_ok(&url, &agent(None), None);
        Some(NodeExporter { server, _dir: dir })
    }

    pub fn target(&self) -> String {
        format!("127.0.0.1:{}", self.server.port)
    }
}
