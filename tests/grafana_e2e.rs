//! The Node Exporter Full dashboard (tests/fixtures/grafana) imported and shown against a real
//! Prometheus scraping a real node exporter (Debian's `prometheus` and
//! `prometheus-node-exporter`), both on free loopback ports: the variables are resolved from
//! the server's labels, every pane's query succeeds and shows values, and `gamelan vista
//! --grafana` draws them in a pseudo-terminal.
//!
//! The binaries are /usr/bin/prometheus and /usr/bin/prometheus-node-exporter (or
//! $GAMELAN_PROMETHEUS and $GAMELAN_NODE_EXPORTER). CI installs both, so a missing one fails
//! the test; GAMELAN_SKIP_PROMETHEUS=1 skips it instead.

mod common;

use common::{Term, wait_pane};
use gamelan::vista::{self, Status, VistaConfig};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(40);

fn binary(env: &str, default: &str, package: &str) -> Option<PathBuf> {
    if std::env::var("GAMELAN_SKIP_PROMETHEUS").is_ok_and(|v| v == "1") {
        eprintln!("GAMELAN_SKIP_PROMETHEUS=1: skipping the Grafana end-to-end test");
        return None;
    }
    let bin = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        bin.exists(),
        "{} is missing: install Debian's `{package}` package (apt-get install {package}), or \
         set GAMELAN_SKIP_PROMETHEUS=1 to skip this test",
        bin.display()
    );
    Some(bin)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process for this test, killed on drop (and by the kernel if the test dies).
struct Peer(Child);

impl Peer {
    fn spawn(bin: &Path, args: &[String], log: &Path) -> Peer {
        let log = std::fs::File::create(log).unwrap();
        let mut cmd = Command::new(bin);
        cmd.args(args)
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
        Peer(cmd.spawn().unwrap())
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until Prometheus has scraped the node exporter (`up{job="node"} == 1`).
fn wait_scraped(url: &str, dir: &Path) {
    let client = vista::source::prometheus::Client::new(url, Duration::from_secs(2));
    let end = Instant::now() + DEADLINE;
    loop {
        if let Ok(s) = client.query(r#"up{job="node"} == 1"#, None)
            && !s.is_empty()
        {
            return;
        }
        assert!(
            Instant::now() < end,
            "the node exporter was not scraped in {DEADLINE:?}:\n{}\n{}",
            std::fs::read_to_string(dir.join("prometheus.log")).unwrap_or_default(),
            std::fs::read_to_string(dir.join("node.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn node_exporter_full_against_a_real_prometheus_and_node_exporter() {
    let Some(prom) = binary("GAMELAN_PROMETHEUS", "/usr/bin/prometheus", "prometheus") else {
        return;
    };
    let Some(node) = binary(
        "GAMELAN_NODE_EXPORTER",
        "/usr/bin/prometheus-node-exporter",
        "prometheus-node-exporter",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (node_port, prom_port) = (free_port(), free_port());
    let _node = Peer::spawn(
        &node,
        &[format!("--web.listen-address=127.0.0.1:{node_port}")],
        &d.join("node.log"),
    );
    std::fs::write(
        d.join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: node\n    \
             static_configs:\n      - targets: [\"127.0.0.1:{node_port}\"]\n"
        ),
    )
    .unwrap();
    let _prom = Peer::spawn(
        &prom,
        &[
            format!("--config.file={}", d.join("prometheus.yml").display()),
            format!("--storage.tsdb.path={}", d.join("data").display()),
            format!("--web.listen-address=127.0.0.1:{prom_port}"),
            "--log.level=warn".into(),
        ],
        &d.join("prometheus.log"),
    );
    let url = format!("http://127.0.0.1:{prom_port}");
    wait_scraped(&url, d);

    // The import asks the server for the variables' values.
    let dashboard = "tests/fixtures/grafana/node-exporter-full.json";
    let out_file = d.join("vista.toml");
    let out = common::gamelan(
        "grafana-e2e",
        &[
            "vista",
            "import",
            "grafana",
            dashboard,
            "--prometheus",
            &url,
            "--refresh",
            "1s",
            "--window",
            "5m",
            "-o",
            out_file.to_str().unwrap(),
        ],
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        report.contains(&format!(
            "$job = node: the first of 1 value(s) of label_values(node_uname_info, job) on {url}"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!("$node = 127.0.0.1:{node_port}: ")),
        "{report}"
    );
    assert!(!report.contains("had no value"), "{report}");
    let check = common::gamelan("grafana-e2e", &["check", out_file.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Every pane's query succeeds, and these show values from this machine.
    let cfg = VistaConfig::load(&out_file).unwrap();
    assert_eq!(cfg.panes.len(), 15);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut h = vista::spawn(&cfg);
        for p in &cfg.panes {
            let st = wait_pane(&h, &p.id, "a successful poll", |s| s.status == Status::Ok).await;
            assert!(
                st.current_error().is_none(),
                "{}: {:?}",
                p.id,
                st.current_error()
            );
        }
        for id in [
            "cpu-busy",
            "ram-used",
            "root-fs-used",
            "cpu-cores",
            "ram-total",
            "uptime",
            "cpu-basic",
            "memory-basic",
            "disk-space-used-basic",
        ] {
            let st = wait_pane(&h, id, "a value", |s| {
                s.series
                    .iter()
                    .any(|x| x.latest().is_some_and(f64::is_finite))
            })
            .await;
            if id == "cpu-busy" || id == "ram-used" {
                let v = st.series[0].latest().unwrap();
                assert!((0.0..=100.0).contains(&v), "{id}: {v}");
            }
            if id == "cpu-cores" {
                let cores = std::thread::available_parallelism().map_or(0, |n| n.get()) as f64;
                assert!(
                    st.series[0].latest().unwrap() >= 1.0 && cores >= 1.0,
                    "{id}"
                );
            }
        }
        // The queries joined with `or` keep each legend.
        let mem = wait_pane(&h, "memory-basic", "legends", |s| s.series.len() >= 4).await;
        let labels: Vec<&str> = mem.series.iter().map(|s| s.label.as_str()).collect();
        assert!(
            labels.contains(&"Total") && labels.contains(&"Used"),
            "{labels:?}"
        );
        h.shutdown();
    });

    // Viewed directly, as a user would.
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("grafana-e2e");
    let absolute = Path::new(env!("CARGO_MANIFEST_DIR")).join(dashboard);
    let args = [
        "vista",
        "--grafana",
        absolute.to_str().unwrap(),
        "--prometheus",
        &url,
        "--refresh",
        "1s",
        "--window",
        "5m",
    ];
    let mut term = Term::spawn(
        "vista-grafana",
        common::BIN,
        &args,
        &[
            ("GAMELAN_CONFIG_DIR", home.join("config").as_os_str()),
            ("GAMELAN_DATA_DIR", home.join("data").as_os_str()),
        ],
        120,
        40,
    );
    term.wait_all(&["Node Exporter Full", "15 of 125 panels imported"]);
    let screen = term.wait_until("values in the panes", |t| {
        // The chart of the joined CPU queries with its legend and a y axis in percent, the
        // uptime, no failing pane.
        t.contains("1━ Busy")
            && t.lines().any(|l| l.contains("%┤"))
            && t.contains("│Uptime ")
            && t.contains("all sources ok")
    });
    assert!(screen.contains("Memory Basic"), "{screen}");
    term.press("q");
    assert!(term.wait_exit().success());
}
