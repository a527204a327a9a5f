//! Vista sources against real processes and files: `sh -c` commands (numbers, lines, failure and
//! recovery, a hung command that times out without holding up another pane), a log file that is
//! appended to, truncated and rotated, this machine's /proc, and config errors with positions.

mod common;

use common::{vista_config, wait_pane};

use gamelan::vista::{self, PaneState, Status, VistaConfig};
use std::path::Path;
use std::time::{Duration, Instant};

fn value(s: &PaneState, id: &str) -> Option<f64> {
    s.series(id).and_then(|x| x.latest())
}

fn texts(s: &PaneState) -> Vec<String> {
    s.lines.iter().map(|l| l.text.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_numbers_and_lines() {
    let cfg = vista_config(
        r#"
[vista]
refresh = "200ms"

[[panes]]
id = "nums"
note = "numbers"
source = { type = "command", command = "echo 'rx=12 tx=3.5'; echo 'load 0.25 of 4'", names = ["first"] }

[[panes]]
id = "log"
kind = "log"
source = { type = "command", command = "printf 'ok\nERROR disk full\nWARN slow\n'", parse = "lines", lines = 2, highlight = ["ERROR", "WARN"] }
"#,
    );
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "nums", "numbers", |s| s.status == Status::Ok).await;
    assert_eq!(value(&s, "rx"), Some(12.0));
    assert_eq!(value(&s, "tx"), Some(3.5));
    assert_eq!(value(&s, "first"), Some(0.25));
    assert_eq!(value(&s, "2"), Some(4.0));
    assert_eq!(s.series("2").unwrap().label, "#2");
    let s = wait_pane(&h, "log", "lines", |s| s.status == Status::Ok).await;
    assert_eq!(texts(&s), vec!["ERROR disk full", "WARN slow"]);
    assert_eq!(
        s.lines.iter().map(|l| l.highlight).collect::<Vec<_>>(),
        vec![Some(0), Some(1)]
    );
    // Values keep accumulating in the ring, one per poll.
    wait_pane(&h, "nums", "three points", |s| {
        s.series("rx").is_some_and(|x| x.points.len() >= 3)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_command_reports_then_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("up");
    let cfg = vista_config(&format!(
        r#"
[vista]
refresh = "200ms"
max_backoff = "1s"

[[panes]]
id = "flaky"
source = {{ type = "command", command = "test -f '{}' && echo value=1 || {{ echo 'service down' >&2; exit 3; }}" }}
"#,
        flag.display()
    ));
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "flaky", "an error", |s| {
        s.status == Status::Error && s.failures >= 2
    })
    .await;
    let err = s.current_error().unwrap();
    assert_eq!(err.message, "exit status 3: service down");
    assert!(s.next_poll.is_some());
    std::fs::write(&flag, "").unwrap();
    let s = wait_pane(&h, "flaky", "recovery", |s| s.status == Status::Ok).await;
    assert_eq!(value(&s, "value"), Some(1.0));
    assert_eq!(s.failures, 0);
    assert!(
        s.last_error.is_some(),
        "the last error is remembered after recovery"
    );
}

fn running(pattern: &str) -> bool {
    std::process::Command::new("pgrep")
        .arg("-f")
        .arg(pattern)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hung_command_times_out_without_blocking_others() {
    // A unique duration names the hung process so that we can check it was killed.
    let cfg = vista_config(
        r#"
[vista]
refresh = "100ms"

[[panes]]
id = "hung"
refresh = "1h"
timeout = "300ms"
source = { type = "command", command = "sleep 31.4159 | cat; echo 1" }

[[panes]]
id = "quick"
source = { type = "command", command = "echo 7" }
"#,
    );
    let h = vista::spawn(&cfg);
    let started = Instant::now();
    let s = wait_pane(&h, "hung", "a timeout", |s| s.status == Status::Error).await;
    assert!(
        s.current_error()
            .unwrap()
            .message
            .starts_with("timed out after 300ms (killed)"),
        "{:?}",
        s.last_error
    );
    let quick = h.snapshot().pane("quick").unwrap().state.clone();
    assert_eq!(quick.status, Status::Ok);
    assert!(
        quick.polls >= 2,
        "the quick pane kept polling while the other hung ({} polls)",
        quick.polls
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    // The whole process group was killed, the pipeline's `sleep` included.
    let end = Instant::now() + Duration::from_secs(5);
    while running("sleep 31.4159") && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        !running("sleep 31.4159"),
        "the timed-out command is still running"
    );
    drop(h);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_handle_stops_the_tasks() {
    let cfg = vista_config(
        r#"
[[panes]]
id = "slow"
refresh = "100ms"
timeout = "10s"
source = { type = "command", command = "sleep 27.1828" }
"#,
    );
    let h = vista::spawn(&cfg);
    let end = Instant::now() + Duration::from_secs(5);
    while !running("sleep 27.1828") && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(running("sleep 27.1828"));
    assert!(h.is_running());
    drop(h);
    let end = Instant::now() + Duration::from_secs(5);
    while running("sleep 27.1828") && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        !running("sleep 27.1828"),
        "dropping the vista killed its command"
    );
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_tail_follows_appends_truncation_and_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    std::fs::write(&log, "boot\nINFO ready\n").unwrap();
    let cfg = vista_config(&format!(
        r#"
[[panes]]
id = "log"
refresh = "100ms"
note = "errors in red"
source = {{ type = "file", path = "{}", lines = 5, highlight = ["ERROR", "WARN(ING)?"] }}
"#,
        log.display()
    ));
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "log", "the first lines", |s| s.lines.len() == 2).await;
    assert_eq!(texts(&s), vec!["boot", "INFO ready"]);

    append(&log, "ERROR payment failed\nWARNING slow\npartial");
    let s = wait_pane(&h, "log", "appended lines", |s| s.lines.len() == 4).await;
    assert_eq!(texts(&s)[2..], ["ERROR payment failed", "WARNING slow"]);
    assert_eq!(
        s.lines.iter().map(|l| l.highlight).collect::<Vec<_>>(),
        vec![None, None, Some(0), Some(1)]
    );
    append(&log, " line\n");
    let s = wait_pane(&h, "log", "the completed line", |s| {
        s.lines.back().is_some_and(|l| l.text == "partial line")
    })
    .await;
    assert_eq!(s.lines.len(), 5);

    // Truncation (copytruncate): the file shrinks, the tail starts over.
    std::fs::write(&log, "fresh\n").unwrap();
    let s = wait_pane(&h, "log", "truncation", |s| {
        s.lines.back().is_some_and(|l| l.text == "fresh")
    })
    .await;
    let marker = &s.lines[s.lines.len() - 2];
    assert!(
        marker.marker && marker.text.contains("truncated"),
        "{marker:?}"
    );

    // Rotation: the last words of the old file, then the new file from its start.
    append(&log, "last words\n");
    tokio::time::sleep(Duration::from_millis(20)).await;
    std::fs::rename(&log, dir.path().join("app.log.1")).unwrap();
    std::fs::write(&log, "new file ERROR\n").unwrap();
    let s = wait_pane(&h, "log", "rotation", |s| {
        s.lines.back().is_some_and(|l| l.text == "new file ERROR")
    })
    .await;
    let all = texts(&s);
    assert!(all.iter().any(|t| t == "last words"), "{all:?}");
    assert!(
        s.lines
            .iter()
            .any(|l| l.marker && l.text.contains("rotated")),
        "{all:?}"
    );
    assert_eq!(s.lines.back().unwrap().highlight, Some(0));
    assert!(s.lines.len() <= 5);

    // A missing file is an error that keeps the lines; it recovers when the file returns.
    std::fs::remove_file(&log).unwrap();
    let s = wait_pane(&h, "log", "the missing-file error", |s| {
        s.status == Status::Error
    })
    .await;
    assert!(
        s.current_error().unwrap().message.contains("No such file"),
        "{:?}",
        s.last_error
    );
    assert!(!s.lines.is_empty());
    std::fs::write(&log, "back\n").unwrap();
    wait_pane(&h, "log", "recovery", |s| {
        s.status == Status::Ok && s.lines.back().is_some_and(|l| l.text == "back")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_tail_starts_at_the_end_of_a_big_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("big.log");
    let text: String = (0..100_000).map(|i| format!("line {i}\n")).collect();
    std::fs::write(&log, text).unwrap();
    let cfg = vista_config(&format!(
        "[[panes]]\nid = \"big\"\nsource = {{ type = \"file\", path = \"{}\", lines = 3 }}\n",
        log.display()
    ));
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "big", "the tail", |s| s.status == Status::Ok).await;
    assert_eq!(texts(&s), vec!["line 99997", "line 99998", "line 99999"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_source_reads_this_machine() {
    let cfg = vista::default_config();
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "cpu", "cpu", |s| value(s, "cpu").is_some()).await;
    let cpu = value(&s, "cpu").unwrap();
    assert!((0.0..=100.0).contains(&cpu), "cpu {cpu}");
    let s = wait_pane(&h, "memory", "memory", |s| value(s, "memory").is_some()).await;
    let mem = value(&s, "memory").unwrap();
    assert!(mem > 0.0 && mem <= 100.0, "memory {mem}");
    assert!(s.series("memory").unwrap().label.contains("GiB"));
    let s = wait_pane(&h, "load", "load", |s| value(s, "load15").is_some()).await;
    for id in ["load1", "load5", "load15"] {
        assert!(value(&s, id).unwrap() >= 0.0);
    }
    let s = wait_pane(&h, "disk", "disks", |s| !s.series.is_empty()).await;
    for d in &s.series {
        assert!(d.id.starts_with("disk:/"), "{}", d.id);
        let v = d.latest().unwrap();
        assert!((0.0..=100.0).contains(&v), "{} {v}", d.id);
    }
    assert!(
        s.series
            .iter()
            .all(|d| !d.id.starts_with("disk:/proc") && !d.id.starts_with("disk:/sys"))
    );
    let s = wait_pane(&h, "net", "network", |s| value(s, "rx").is_some()).await;
    assert!(value(&s, "rx").unwrap() >= 0.0 && value(&s, "tx").unwrap() >= 0.0);
    let s = wait_pane(&h, "top", "processes", |s| s.status == Status::Ok).await;
    let rows = texts(&s);
    assert!(rows[0].contains("%CPU") && s.lines[0].marker, "{rows:?}");
    assert!(rows.len() > 1 && rows.len() <= 12, "{rows:?}");
    for r in &rows[1..] {
        let mut f = r.split_whitespace();
        let cpu: f64 = f.next().unwrap().parse().unwrap();
        let mem: f64 = f.next().unwrap().parse().unwrap();
        assert!(cpu >= 0.0 && (0.0..=100.0).contains(&mem), "{r}");
        assert!(f.next().is_some(), "a name: {r}");
    }
}

#[test]
fn the_process_list_takes_a_pane_of_its_own() {
    let errs = VistaConfig::parse(
        "[[panes]]\nid = \"x\"\nsource = { type = \"host\", metrics = [\"cpu\", \"processes\"] }\n\n\
         [[panes]]\nid = \"y\"\nsource = { type = \"host\", metrics = [\"cpu\"], lines = 5 }\n",
        "v.toml",
    )
    .unwrap_err();
    let text = gamelan::diag::render(&errs);
    assert!(
        text.contains("v.toml:3:37: `processes` is a list of lines: give it a pane of its own"),
        "{text}"
    );
    assert!(
        text.contains("v.toml:7:54: `lines` is for the process list"),
        "{text}"
    );
    let cfg = vista_config(
        "[[panes]]\nid = \"top\"\nsource = { type = \"host\", metrics = [\"processes\"], lines = 5 }\n",
    );
    assert_eq!(cfg.panes[0].kind, vista::Display::List);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_now_and_reload_keep_history() {
    let cfg = vista_config(
        "[[panes]]\nid = \"a\"\nrefresh = \"1h\"\nsource = { type = \"command\", command = \"echo 1\" }\n",
    );
    let mut h = vista::spawn(&cfg);
    wait_pane(&h, "a", "the first poll", |s| s.polls == 1).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    h.refresh_now();
    wait_pane(&h, "a", "a forced poll", |s| s.polls == 2).await;
    let mut next = cfg.clone();
    next.panes.push(vista::default_config().panes[1].clone());
    h.reload(&next);
    assert_eq!(h.snapshot().panes.len(), 2);
    assert_eq!(
        h.snapshot().pane("a").unwrap().state.polls,
        2,
        "an unchanged pane keeps its state"
    );
    wait_pane(&h, "memory", "the new pane", |s| s.status == Status::Ok).await;
}

#[test]
fn config_errors_have_positions() {
    let bad = r#"[vista]
refresh = "1 sec"
columns = 2

[[panes]]
id = "a"
kind = "alerts"
source = { type = "command", command = "echo 1", query = "up" }

[[panes]]
id = "a"
source = { type = "prometheus", query = "up" }

[[panes]]
id = "c"
span = 3
source = { type = "file", path = "/x", highlight = ["ok", "(unclosed"] }
"#;
    let errs = VistaConfig::parse(bad, "v.toml").unwrap_err();
    let text = gamelan::diag::render(&errs);
    let expect = [
        "v.toml:2:11: refresh: bad duration `1 sec`",
        "v.toml:7:8: a alerts pane cannot show a command source (it can show it as: chart, gauge, list)",
        "v.toml:8:58: `query` is not a field of a command source",
        "v.toml:11:6: duplicate pane id `a`",
        "v.toml:12:10: a prometheus source needs `url` or `datasource` (or set `prometheus = URL` in [vista])",
        "v.toml:16:8: span must be between 1 and the number of columns (2)",
        "v.toml:17:59: bad highlight pattern `(unclosed`",
    ];
    for e in expect {
        assert!(text.contains(e), "missing `{e}` in:\n{text}");
    }
    assert_eq!(errs.len(), expect.len(), "{text}");

    let errs = VistaConfig::parse(
        "[[panes]]\nid = \"x\"\nsource = { type = \"host\" }\ncolour = 1\n",
        "v.toml",
    )
    .unwrap_err();
    assert!(
        errs[0]
            .to_string()
            .starts_with("v.toml:4:1: unknown field `colour`"),
        "{}",
        errs[0]
    );
    let errs = VistaConfig::parse(
        "[[panes]]\nid = \"x\"\nsource = { type = \"ftp\" }\n",
        "v.toml",
    )
    .unwrap_err();
    assert!(errs[0].to_string().starts_with("v.toml:3:"), "{}", errs[0]);
    assert!(
        errs[0].message.contains("unknown variant `ftp`"),
        "{}",
        errs[0]
    );
    let errs = VistaConfig::parse("[vista]\ntitle = \"empty\"\n", "v.toml").unwrap_err();
    assert!(errs[0].message.contains("at least one [[panes]]"));
}

#[test]
fn defaults_and_grid() {
    let cfg = vista_config(
        r#"
[vista]
title = "t"
refresh = "2s"
timeout = "1s"
columns = 2
prometheus = "http://127.0.0.1:9/"

[[panes]]
id = "p"
span = 2
height = 2
source = { type = "prometheus", query = "up", mode = "range", window = "10m" }

[[panes]]
id = "s"
refresh = "500ms"
source = { type = "prometheus_slo", good = "g", total = "t", objective = 99.5 }

[[panes]]
id = "al"
source = { type = "prometheus_alerts" }
"#,
    );
    let p = &cfg.panes[0];
    assert_eq!(
        (p.refresh, p.timeout, p.kind, p.title.as_str()),
        (
            Duration::from_secs(2),
            Duration::from_secs(1),
            vista::Display::Chart,
            "p"
        )
    );
    let vista::SourceDef::Prometheus(q) = &p.source else {
        panic!()
    };
    assert_eq!(
        (q.url.as_str(), q.step),
        ("http://127.0.0.1:9", Duration::from_secs(2))
    );
    assert_eq!(cfg.panes[1].kind, vista::Display::Slo);
    assert_eq!(cfg.panes[1].refresh, Duration::from_millis(500));
    let vista::SourceDef::PrometheusSlo(s) = &cfg.panes[1].source else {
        panic!()
    };
    assert_eq!(
        (s.window, s.burn_window),
        (Duration::from_secs(30 * 86_400), Duration::from_secs(3600))
    );
    assert_eq!(cfg.panes[2].kind, vista::Display::Alerts);
    let g = cfg.grid();
    assert_eq!(g.rows.len(), 2);
    assert_eq!((g.rows[0].height, g.rows[0].cells[0].span), (2, 2));
    assert_eq!(g.rows[1].cells.len(), 2);
}

#[test]
fn durations_and_times() {
    use vista::{format_duration, parse_duration, parse_time};
    assert_eq!(parse_duration("1s"), Ok(Duration::from_secs(1)));
    assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
    assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
    assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
    assert_eq!(parse_duration("30d"), Ok(Duration::from_secs(30 * 86_400)));
    assert_eq!(parse_duration(" 1w "), Ok(Duration::from_secs(7 * 86_400)));
    for bad in ["", "1", "s", "1x", "-1s", "1 s", "1.2.3s"] {
        assert!(parse_duration(bad).is_err(), "{bad:?} should not parse");
    }
    assert_eq!(format_duration(Duration::from_millis(2500)), "2s500ms");
    assert_eq!(parse_time("2024-05-01T10:00:00Z", 0.0), Ok(1_714_557_600.0));
    assert_eq!(parse_time("-2h", 7200.0), Ok(0.0));
    assert_eq!(parse_time("now", 5.0), Ok(5.0));
    assert_eq!(parse_time("1714557600", 0.0), Ok(1_714_557_600.0));
}

#[test]
fn shipped_examples_parse() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in [
        "vista.example.toml",
        "docs/vista-prometheus.example.toml",
        "docs/vista-node.example.toml",
    ] {
        let cfg = VistaConfig::load(&root.join(f))
            .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d)));
        assert!(
            cfg.panes.iter().all(|p| !p.note.is_empty()),
            "{f}: every pane has a tour note"
        );
    }
    let prom = VistaConfig::load(&root.join("docs/vista-prometheus.example.toml")).unwrap();
    assert_eq!(prom.panes.len(), 9);
    // Every complete example in the format doc parses.
    let doc = std::fs::read_to_string(root.join("docs/vista-format.md")).unwrap();
    let mut n = 0;
    for block in doc.split("```toml\n").skip(1) {
        let block = block.split("```").next().unwrap();
        if block.contains("[[panes]]") && !block.contains("# fragment") {
            VistaConfig::parse(block, "docs/vista-format.md")
                .unwrap_or_else(|d| panic!("{}\n{block}", gamelan::diag::render(&d)));
            n += 1;
        }
    }
    assert!(n >= 2, "found {n} complete examples in the doc");
    let prom_text =
        std::fs::read_to_string(root.join("docs/vista-prometheus.example.toml")).unwrap();
    assert!(
        doc.contains(&prom_text),
        "the doc shows docs/vista-prometheus.example.toml verbatim"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_poll_marks_the_pane_stale_then_ok() {
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("slow");
    let cfg = vista_config(&format!(
        "[[panes]]\nid = \"s\"\nrefresh = \"100ms\"\ntimeout = \"10s\"\n\
         source = {{ type = \"command\", command = \"if [ -f '{}' ]; then rm '{}'; sleep 2.5; fi; echo 1\" }}\n",
        flag.display(),
        flag.display()
    ));
    let h = vista::spawn(&cfg);
    wait_pane(&h, "s", "ok", |s| s.status == Status::Ok).await;
    std::fs::write(&flag, "").unwrap();
    let s = wait_pane(&h, "s", "stale", |s| s.status == Status::Stale).await;
    assert!(s.has_data() && s.current_error().is_none());
    let s = wait_pane(&h, "s", "ok again", |s| s.status == Status::Ok).await;
    assert_eq!(s.failures, 0, "slow is not failed");
}

#[test]
fn numbers_in_vista_toml_are_finite_and_in_range() {
    let bad = r#"[vista]
refresh = "2d"
history = 5
max_backoff = "500ms"

[[panes]]
id = "a"
min = nan
warn = inf
crit = -inf
timeout = "2h"
height = 11
source = { type = "prometheus_slo", url = "http://127.0.0.1:9", good = "g", total = "t", objective = nan, window = "1000d" }

[[panes]]
id = "b"
max = 1e300
source = { type = "prometheus", url = "http://127.0.0.1:9", query = "up", mode = "range", window = "1h", step = "0s" }

[[panes]]
id = "c"
source = { type = "prometheus_slo", url = "http://127.0.0.1:9", good = "g", total = "t", objective = 99.9, window = "1h", burn_window = "2h" }
"#;
    let errs = VistaConfig::parse(bad, "v.toml").unwrap_err();
    let text = gamelan::diag::render(&errs);
    let expect = [
        "v.toml:2:11: refresh must be between 100ms and 1d",
        "v.toml:3:11: history must be between 10 and 10000 points",
        "v.toml:4:15: max_backoff must be between 1s and 1d",
        "v.toml:8:7: min must be a finite number between -1e18 and 1e18, not NaN",
        "v.toml:9:8: warn must be a finite number between -1e18 and 1e18, not inf",
        "v.toml:10:8: crit must be a finite number between -1e18 and 1e18, not -inf",
        "v.toml:11:11: timeout must be between 10ms and 1h",
        "v.toml:12:10: height must be between 1 and 10",
        "v.toml:13:102: objective is a percentage below 100",
        "v.toml:13:116: window must be between 1s and 400d",
        "v.toml:17:7: max must be a finite number between -1e18 and 1e18, not 1e300",
        "v.toml:18:113: step must be between 1ms and 1d",
        "v.toml:22:137: burn_window (2h) cannot be longer than the SLO window (1h)",
    ];
    for e in expect {
        assert!(text.contains(e), "missing `{e}` in:\n{text}");
    }
    assert_eq!(errs.len(), expect.len(), "{text}");
}

#[test]
fn counts_in_vista_toml_are_bounded() {
    let mut src = String::new();
    for i in 0..50 {
        src.push_str(&format!(
            "[[panes]]\nid = \"p{i}\"\nsource = {{ type = \"host\" }}\n\n"
        ));
    }
    let errs = VistaConfig::parse(&src, "v.toml").unwrap_err();
    assert_eq!(errs.len(), 1, "{}", gamelan::diag::render(&errs));
    assert_eq!(
        errs[0].to_string(),
        "v.toml:193:1: a vista has at most 48 panes (this file has 50)"
    );
    let patterns = (0..17)
        .map(|i| format!("\"w{i}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let errs = VistaConfig::parse(
        &format!(
            "[[panes]]\nid = \"f\"\nsource = {{ type = \"file\", path = \"/x\", highlight = [{patterns}] }}\n"
        ),
        "v.toml",
    )
    .unwrap_err();
    assert!(
        errs[0].message.contains("at most 16 highlight patterns"),
        "{}",
        errs[0]
    );
}

#[test]
fn a_config_that_is_not_a_regular_file_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("vista.toml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    for (path, what) in [
        (fifo.as_path(), "a FIFO (named pipe), not a regular file"),
        (
            Path::new("/dev/zero"),
            "a character device, not a regular file",
        ),
        (dir.path(), "a directory, not a regular file"),
    ] {
        let errs = VistaConfig::load(path).unwrap_err();
        assert!(
            errs[0].to_string().contains(what),
            "{}: {}",
            path.display(),
            errs[0]
        );
    }
    let big = dir.path().join("big.toml");
    std::fs::write(&big, "#".repeat(2 << 20)).unwrap();
    let errs = VistaConfig::load(&big).unwrap_err();
    assert!(
        errs[0].to_string().contains("larger than 1024 KiB"),
        "{}",
        errs[0]
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runaway_command_is_stopped_and_a_long_one_keeps_its_tail() {
    let cfg = vista_config(
        r#"
[[panes]]
id = "yes"
refresh = "1h"
timeout = "30s"
source = { type = "command", command = "yes vista-runaway-2718", parse = "lines" }

[[panes]]
id = "seq"
refresh = "1h"
source = { type = "command", command = "seq 1 200000", parse = "lines", lines = 3 }
"#,
    );
    let started = Instant::now();
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "yes", "the runaway stopped", |s| {
        s.status == Status::Error
    })
    .await;
    let msg = &s.current_error().unwrap().message;
    assert!(
        msg.contains("stopped (killed)") && msg.contains("more than 8 MiB"),
        "{msg}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "stopped at its output bound, not at its 30s timeout"
    );
    let end = Instant::now() + Duration::from_secs(5);
    while running("yes vista-runaway-2718") && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!running("yes vista-runaway-2718"), "the runaway is gone");
    let s = wait_pane(&h, "seq", "the tail", |s| s.status == Status::Ok).await;
    assert_eq!(texts(&s), vec!["199998", "199999", "200000"]);
}

#[test]
fn a_file_pane_on_a_fifo_is_refused_and_quitting_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.log");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let cfg = vista_config(&format!(
        "[[panes]]\nid = \"pipe\"\nrefresh = \"100ms\"\ntimeout = \"1s\"\n\
         source = {{ type = \"file\", path = \"{}\" }}\n",
        fifo.display()
    ));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let h = rt.block_on(async { vista::spawn(&cfg) });
    let s = rt.block_on(wait_pane(&h, "pipe", "the refusal", |s| {
        s.status == Status::Error
    }));
    let msg = &s.current_error().unwrap().message;
    assert!(
        msg.ends_with(
            "pipe.log: a FIFO (named pipe), not a regular file (only regular files are read)"
        ),
        "{msg}"
    );
    // Quitting drops the vista and its runtime; a poll blocked in open(2) would hold it forever.
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        drop(h);
        drop(rt);
        let _ = done.send(());
    });
    finished
        .recv_timeout(Duration::from_secs(5))
        .expect("the vista's runtime did not shut down: a poll is stuck on the FIFO");
}
