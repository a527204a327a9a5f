//! examples/node-exporter.vista.toml against a real prometheus-node-exporter and a real
//! Prometheus scraping it, both on free loopback ports: every pane of the example gets data,
//! and its charts draw several series. Both binaries come from Debian's packages, which CI
//! installs; set GAMELAN_SKIP_PROMETHEUS=1 to skip.

mod common;

use common::wait_pane;
use gamelan::vista::{self, VistaConfig};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn(bin: &str, args: &[String]) -> Killed {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: prctl is async-signal-safe; the server dies with this test process.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    Killed(cmd.spawn().unwrap_or_else(|e| panic!("{bin}: {e}")))
}

#[test]
fn the_example_parses() {
    let cfg = VistaConfig::load(std::path::Path::new("examples/node-exporter.vista.toml"))
        .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d)));
    assert_eq!(cfg.panes.len(), 7);
    assert_eq!(cfg.annotations.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pane_of_the_node_exporter_example_gets_data() {
    if std::env::var("GAMELAN_SKIP_PROMETHEUS").is_ok_and(|v| v == "1") {
        eprintln!("GAMELAN_SKIP_PROMETHEUS=1: skipping the node exporter test");
        return;
    }
    for b in ["/usr/bin/prometheus", "/usr/bin/prometheus-node-exporter"] {
        assert!(
            std::path::Path::new(b).exists(),
            "{b} is missing: apt-get install prometheus prometheus-node-exporter"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let (node, prom) = (free_port(), free_port());
    let _node = spawn(
        "/usr/bin/prometheus-node-exporter",
        &[format!("--web.listen-address=127.0.0.1:{node}")],
    );
    let yml = dir.path().join("prometheus.yml");
    std::fs::write(
        &yml,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: [\"127.0.0.1:{node}\"]\n"
        ),
    )
    .unwrap();
    let _prom = spawn(
        "/usr/bin/prometheus",
        &[
            format!("--config.file={}", yml.display()),
            format!("--storage.tsdb.path={}", dir.path().join("data").display()),
            format!("--web.listen-address=127.0.0.1:{prom}"),
            "--log.level=warn".into(),
        ],
    );
    let src = std::fs::read_to_string("examples/node-exporter.vista.toml")
        .unwrap()
        .replace("http://127.0.0.1:9090", &format!("http://127.0.0.1:{prom}"))
        .replace(
            "/tmp/gamelan-changes.jsonl",
            &dir.path().join("changes.jsonl").display().to_string(),
        );
    let cfg = VistaConfig::parse(&src, "node.toml").unwrap();
    let h = vista::spawn(&cfg);
    let start = Instant::now();
    for (id, series) in [
        ("cpu", 3),
        ("load", 3),
        ("memory", 3),
        ("disk", 2),
        ("net", 2),
        ("filesystems", 1),
        ("context", 2),
    ] {
        let st = wait_pane(&h, id, &format!("{series} series with data"), |s| {
            s.series.iter().filter(|x| !x.points.is_empty()).count() >= series
        })
        .await;
        assert!(st.current_error().is_none(), "{id}: {:?}", st.last_error);
    }
    assert!(start.elapsed() < Duration::from_secs(60));
}
