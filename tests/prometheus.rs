//! The vista against a real Prometheus server (Debian's `prometheus` package) on loopback:
//! range and instant panes, an SLO pane, the alerts API, a server that stops and comes back, and
//! `gamelan capture`. Each test starts its own server on a free port with a temporary data
//! directory, scraping itself every second, and kills it when done (also on panic).
//!
//! The server binary is /usr/bin/prometheus (or $GAMELAN_PROMETHEUS); the servers are
//! `common::peers`', shared with the other tests of real servers (a missing binary skips, and
//! fails under CI's GAMELAN_REQUIRE_PEERS=1).

mod common;

use common::peers::{DEADLINE, Prometheus};
use common::{vista_config, wait_pane};

use gamelan::vista::{self, Status};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn range_and_instant_panes_get_real_values() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    let cfg = vista_config(&format!(
        r#"
[vista]
refresh = "500ms"
prometheus = "{}"

[[panes]]
id = "up"
source = {{ type = "prometheus", query = "up", mode = "range", window = "1m", step = "1s", legend = "{{{{job}}}}" }}

[[panes]]
id = "reqs"
kind = "list"
source = {{ type = "prometheus", query = "sum by (handler) (prometheus_http_requests_total)", legend = "{{{{handler}}}}" }}

[[panes]]
id = "bad"
source = {{ type = "prometheus", query = "rate(up[" }}
"#,
        prom.url()
    ));
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "up", "a scraped `up` series", |s| {
        s.series.first().is_some_and(|x| x.latest() == Some(1.0))
    })
    .await;
    let up = &s.series[0];
    assert_eq!(up.label, "prometheus");
    assert!(up.id.contains("instance=\"127.0.0.1:"), "{}", up.id);
    let (t0, t1) = up.points.time_bounds().unwrap();
    assert!(
        t1 - t0 <= 60.0 && t1 > 1.0e9,
        "times are unix seconds within the window: {t0}..{t1}"
    );
    // The range pane is refetched whole: with a 1s step its points grow as scrapes arrive.
    wait_pane(&h, "up", "several points", |s| {
        s.series.first().is_some_and(|x| x.points.len() >= 3)
    })
    .await;

    let s = wait_pane(&h, "reqs", "request counters", |s| {
        s.series.iter().any(|x| x.label == "/api/v1/query")
    })
    .await;
    assert!(s.series.iter().all(|x| x.latest().unwrap() >= 1.0));

    let s = wait_pane(&h, "bad", "a PromQL error", |s| s.status == Status::Error).await;
    let msg = &s.current_error().unwrap().message;
    assert!(msg.starts_with("Prometheus bad_data (HTTP 400)"), "{msg}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slo_pane_computes_attainment_and_burn() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    // One failed request now, so that the 400 series exists before the batch below: increase()
    // cannot see the first value of a series that is born already counting.
    prom.bad_requests(1);
    let cfg = vista_config(&format!(
        r#"
[vista]
refresh = "500ms"
prometheus = "{}"

[[panes]]
id = "counters"
note = "raw counters, differenced across the window"
source = {{ type = "prometheus_slo", good = 'sum(prometheus_http_requests_total{{code=~"2.."}})', total = "sum(prometheus_http_requests_total)", objective = 99.0, window = "30d", burn_window = "1h" }}

[[panes]]
id = "templated"
source = {{ type = "prometheus_slo", good = 'sum(increase(prometheus_http_requests_total{{code=~"2.."}}[$window]))', total = "sum(increase(prometheus_http_requests_total[$window]))", objective = 99.0, window = "5m", burn_window = "5m" }}
"#,
        prom.url()
    ));
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "counters", "attainment", |s| {
        s.slo.as_ref().is_some_and(|r| r.attainment.is_some())
    })
    .await;
    let r = s.slo.unwrap();
    assert!(r.total >= 1.0 && r.good <= r.total, "{r:?}");
    assert!((r.objective - 0.99).abs() < 1e-12);
    assert_eq!(r.window, Duration::from_secs(30 * 86_400));

    // Failed requests pull attainment under 100% and make the budget burn.
    prom.wait_scraped("prometheus_http_requests_total{code=\"400\"}")
        .await;
    prom.bad_requests(20);
    let s = wait_pane(&h, "counters", "a burning budget", |s| {
        s.slo
            .as_ref()
            .is_some_and(|r| r.burn_rate.is_some_and(|b| b > 0.0))
    })
    .await;
    let r = s.slo.clone().unwrap();
    let a = r.attainment.unwrap();
    assert!(a > 0.0 && a < 1.0, "attainment {a}");
    let burn = r.burn_rate.unwrap();
    assert!(
        (burn - (1.0 - a) / 0.01).abs() < 1e-6,
        "burn {burn} for attainment {a}: both windows hold all data"
    );
    assert!((r.budget_left.unwrap() - (1.0 - burn)).abs() < 1e-9);
    assert!(
        s.series("attainment").is_some() && s.series("burn_rate").is_some(),
        "SLO history is charted"
    );

    let s = wait_pane(&h, "templated", "a burning budget ($window)", |s| {
        s.slo
            .as_ref()
            .is_some_and(|r| r.burn_rate.is_some_and(|b| b > 0.0))
    })
    .await;
    let a = s.slo.unwrap().attainment.unwrap();
    assert!(a > 0.0 && a < 1.0, "attainment {a}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_pane_lists_firing_alerts() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    let cfg = vista_config(&format!(
        "[[panes]]\nid = \"alerts\"\nrefresh = \"500ms\"\nsource = {{ type = \"prometheus_alerts\", url = \"{}\" }}\n",
        prom.url()
    ));
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "alerts", "AlwaysFiring", |s| {
        s.alerts.iter().any(|a| a.name == "AlwaysFiring")
    })
    .await;
    let a = s.alerts.iter().find(|a| a.name == "AlwaysFiring").unwrap();
    assert!(a.is_firing());
    assert_eq!(a.severity, "page");
    assert_eq!(a.summary, "always firing, for the vista test");
    assert!(a.active_at.is_some_and(|t| t > 1.0e9), "{a:?}");
    assert_eq!(a.value, "1e+00");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopped_server_turns_the_pane_to_error_and_recovers() {
    let Some(mut prom) = Prometheus::start() else {
        return;
    };
    let cfg = vista_config(&format!(
        r#"
[vista]
refresh = "500ms"
timeout = "2s"
max_backoff = "2s"

[[panes]]
id = "up"
source = {{ type = "prometheus", url = "{}", query = "up" }}

[[panes]]
id = "local"
source = {{ type = "command", command = "echo 1" }}
"#,
        prom.url()
    ));
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "up", "a value", |s| {
        s.status == Status::Ok && !s.series.is_empty()
    })
    .await;
    let points = s.series[0].points.len();

    prom.stop();
    let local_before = h.snapshot().pane("local").unwrap().state.polls;
    let s = wait_pane(&h, "up", "an error", |s| {
        s.status == Status::Error && s.failures >= 2
    })
    .await;
    let msg = &s.current_error().unwrap().message;
    assert!(
        msg.starts_with(&format!("cannot reach {}", prom.url())),
        "{msg}"
    );
    assert!(
        s.series[0].points.len() >= points,
        "the last good data stays visible"
    );
    // The other pane kept polling meanwhile (bounded wait: polls are 500 ms apart).
    wait_pane(&h, "local", "another poll of the other pane", |s| {
        s.polls > local_before
    })
    .await;

    let stopped_at = s.last_error.as_ref().unwrap().at;
    let started = Instant::now();
    prom.launch(); // same port, same data directory
    let s = wait_pane(&h, "up", "recovery", |s| {
        s.status == Status::Ok && s.last_success.is_some_and(|t| t > stopped_at)
    })
    .await;
    assert_eq!(s.failures, 0);
    eprintln!(
        "recovered {:?} after the server was ready again",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capture_writes_replayable_signals() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    // Let a few scrapes land.
    let wait = Instant::now() + DEADLINE;
    let client = vista::source::prometheus::Client::new(&prom.url(), Duration::from_secs(5));
    while client
        .query("count_over_time(up[1m])", None)
        .ok()
        .and_then(|s| s.first().and_then(|x| x.points.first().map(|p| p.1)))
        .unwrap_or(0.0)
        < 5.0
    {
        assert!(Instant::now() < wait, "no scrapes after {DEADLINE:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("captured.toml");
    let status = Command::new(env!("CARGO_BIN_EXE_gamelan"))
        .args(["capture", "--prometheus", &prom.url()])
        .args([
            "--query",
            "up=up",
            "--query",
            "reqs=sum(prometheus_http_requests_total)",
        ])
        .args(["--from", "-4s", "--to", "now", "--step", "1s", "-o"])
        .arg(&file)
        .env("GAMELAN_CONFIG_DIR", out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(status.status.success(), "capture failed: {stderr}");
    assert!(
        stderr.contains("captured 2 signal(s), 5 samples each"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("story_seconds_per_beat = 1"), "{text}");
    let doc: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let signals = doc["signals"].as_array().unwrap();
    assert_eq!(signals.len(), 2);
    let up = signals[0].as_table().unwrap();
    assert_eq!(up["id"].as_str(), Some("up"));
    let samples: Vec<f64> = up["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_float().unwrap())
        .collect();
    assert_eq!(samples, vec![1.0; 5]);
    let reqs: Vec<f64> = signals[1]["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_float().unwrap())
        .collect();
    assert!(
        reqs.windows(2).all(|w| w[1] >= w[0]) && reqs[0] > 0.0,
        "a counter never falls: {reqs:?}"
    );
    assert!(up["healthy"].as_array().is_some() && up["baseline"].as_float() == Some(1.0));

    // The fragment is valid scenario signals, and the drill replays the captured values.
    let scenario = format!(
        "[scenario]\nid = \"captured\"\ntitle = \"t\"\nsummary = \"s\"\ndifficulty = \"intro\"\n\
         duration_minutes = 5\nlength_bars = 2\n\n[tempo]\nbpm = 60\nbeats_per_bar = 4\n\
         story_seconds_per_beat = 1\n\n[[cues]]\nid = \"ack\"\nkey = \"a\"\nlabel = \"ack\"\n\n{text}"
    );
    let loaded = gamelan::scenario::load_str(&scenario, "captured.toml")
        .unwrap_or_else(|d| panic!("{}\n{scenario}", gamelan::diag::render(&d)));
    assert_eq!(loaded.signals.len(), 2);
    let drill = gamelan::drill::Drill::new(std::sync::Arc::new(loaded), 1);
    assert_eq!(drill.signals[0].value, 1.0, "`up` replays its captured 1.0");

    // A query with no data is an error that names it.
    let status = Command::new(env!("CARGO_BIN_EXE_gamelan"))
        .args([
            "capture",
            "--prometheus",
            &prom.url(),
            "--query",
            "none=nonexistent_metric",
            "--from",
            "-10s",
            "--step",
            "1s",
        ])
        .env("GAMELAN_CONFIG_DIR", out.path())
        .output()
        .unwrap();
    assert!(!status.status.success());
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(stderr.contains("query `none` returned no data"), "{stderr}");
    assert!(Path::new(&file).exists());
}

/// The host vista's panes as PromQL (docs/vista-node.example.toml) over a real node exporter
/// scraped by a real Prometheus agree with the host source reading this same machine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_panes_over_a_real_node_exporter_agree_with_the_host_source() {
    let Some(node) = common::peers::NodeExporter::start() else {
        return;
    };
    let Some(prom) = Prometheus::start_with(common::peers::PromSetup {
        scrape: vec![("node".into(), node.target())],
        ..Default::default()
    }) else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("docs/vista-node.example.toml")).unwrap();
    let text = text
        .replace("http://127.0.0.1:9090", &prom.url())
        .replace("refresh = \"5s\"", "refresh = \"500ms\"")
        .replace("refresh = \"30s\"", "refresh = \"1s\"")
        .replace("step = \"15s\"", "step = \"1s\"");
    let mut cfg = vista_config(&text);
    // The host source beside them, on the same machine.
    let host = vista_config(
        "[[panes]]\nid = \"host\"\nrefresh = \"500ms\"\nsource = { type = \"host\", metrics = [\"memory\", \"load\", \"disk\"] }\n",
    );
    cfg.panes.extend(host.panes);
    let h = vista::spawn(&cfg);
    let target = node.target();
    let one = |s: &gamelan::vista::PaneState, label: &str| {
        s.series
            .iter()
            .find(|x| x.label == label)
            .and_then(|x| x.latest())
    };
    let s = wait_pane(&h, "memory", "memory used", |s| one(s, &target).is_some()).await;
    let mem = one(&s, &target).unwrap();
    let load = wait_pane(&h, "load", "load averages", |s| s.series.len() == 3).await;
    let disk = wait_pane(&h, "disk", "the root filesystem", |s| one(s, "/").is_some()).await;
    let cpu = wait_pane(&h, "cpu", "CPU busy", |s| one(s, &target).is_some()).await;
    let net = wait_pane(&h, "net", "rx and tx", |s| {
        one(s, "rx").is_some() && one(s, "tx").is_some()
    })
    .await;
    let host = wait_pane(&h, "host", "host figures", |s| {
        s.series("memory").is_some() && s.series("load15").is_some() && s.series("disk:/").is_some()
    })
    .await;
    let host_mem = host.series("memory").unwrap().latest().unwrap();
    assert!(
        (mem - host_mem).abs() < 5.0,
        "memory through node exporter {mem:.1}% vs host {host_mem:.1}%"
    );
    let (l15, host_l15) = (
        one(&load, "node_load15").unwrap(),
        host.series("load15").unwrap().latest().unwrap(),
    );
    assert!(
        (l15 - host_l15).abs() < 1.0,
        "load15 {l15} vs host {host_l15}"
    );
    let (d, host_d) = (
        one(&disk, "/").unwrap(),
        host.series("disk:/").unwrap().latest().unwrap(),
    );
    assert!(
        (d - host_d).abs() < 1.0,
        "disk / {d:.2}% vs host {host_d:.2}%"
    );
    let c = one(&cpu, &target).unwrap();
    assert!((0.0..=100.0).contains(&c), "cpu {c}");
    assert!(one(&net, "rx").unwrap() >= 0.0 && one(&net, "tx").unwrap() >= 0.0);
}

/// Panning a Prometheus pane to a window older than its ring fetches that window with a range
/// query, and the chart draws those older points; a query annotation puts markers on charts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panning_beyond_the_ring_fetches_history_and_query_annotations_mark_charts() {
    use gamelan::input::{Input, Key};
    use gamelan::ui::theme::Theme;
    use gamelan::ui::vista::{VistaView, draw};
    use ratatui::{buffer::Buffer, layout::Rect};
    let Some(prom) = Prometheus::start() else {
        return;
    };
    // Let the server scrape itself for a while: history the pane's tiny ring cannot hold.
    let client = vista::source::prometheus::Client::new(&prom.url(), Duration::from_secs(2));
    let end = Instant::now() + DEADLINE + DEADLINE;
    loop {
        let now = vista::time::now_unix();
        let got = client
            .query_range("up", now - 60.0, now, Duration::from_secs(1))
            .map(|s| s.first().map_or(0, |s| s.points.len()))
            .unwrap_or(0);
        if got >= 18 {
            break;
        }
        assert!(Instant::now() < end, "the server scraped {got} times");
        std::thread::sleep(Duration::from_millis(500));
    }
    let cfg = vista_config(&format!(
        "[vista]\nprometheus = \"{url}\"\nhistory = 10\n\n\
         [[panes]]\nid = \"up\"\ntitle = \"Up\"\nrefresh = \"100ms\"\nsource = {{ type = \"prometheus\", query = \"up\", legend = \"{{{{job}}}}\" }}\n\n\
         [[annotations]]\nid = \"scrapes\"\nquery = \"up\"\ntext = \"{{{{job}}}} came up\"\nwindow = \"1h\"\nrefresh = \"1s\"\n",
        url = prom.url()
    ));
    let h = vista::spawn(&cfg);
    let st = wait_pane(&h, "up", "a full ring", |s| {
        s.series.first().is_some_and(|x| x.points.len() == 10)
    })
    .await;
    let ring_first = st.series[0].points.first().unwrap().0;
    let mut rx = h.subscribe();
    let end = Instant::now() + DEADLINE;
    let snap = loop {
        let snap = rx.borrow_and_update().clone();
        if snap.marks.first().is_some_and(|m| !m.marks.is_empty()) {
            break snap;
        }
        assert!(Instant::now() < end, "no query markers: {:?}", snap.marks);
        let _ = tokio::time::timeout(Duration::from_millis(200), rx.changed()).await;
    };
    assert_eq!(snap.marks[0].marks[0].text, "prometheus came up");
    assert_eq!(snap.marks[0].error, None);
    // Zoom in to 15 s and pan back: the window now starts before the ring's oldest point.
    let area = Rect::new(0, 0, 80, 24);
    let now = vista::time::now_unix();
    let mut view = VistaView::default();
    view.sync(&snap, now);
    for c in "++[".chars() {
        view.on_input(&Input::Key(Key::char(c)), 1, &[], area);
    }
    let wanted = view.wanted_history(&snap, now);
    assert_eq!(wanted.len(), 1, "the pane wants its history: {wanted:?}");
    let (i, t0, t1) = wanted[0];
    assert!(t0 < ring_first, "{t0} {ring_first}");
    let def = snap.panes[i].def.clone();
    let back = tokio::task::spawn_blocking(move || vista::backfill::fetch(&def, t0, t1, 80))
        .await
        .unwrap();
    assert_eq!(back.error, None);
    let older = back.series[0]
        .points
        .iter()
        .filter(|p| p.0 < ring_first)
        .count();
    assert!(older >= 3, "points older than the ring: {:?}", back.series);
    view.take_history(back);
    assert!(
        view.wanted_history(&snap, now).is_empty(),
        "covered now: no second fetch"
    );
    let mut buf = Buffer::empty(area);
    draw(&mut buf, area, &snap, now, &view, &Theme::default());
    // Braille dots across the older part of the window (left of the ring's points).
    let row_has_dots = (0..area.height).any(|y| {
        (9..30).any(|x| {
            buf[(x, y)]
                .symbol()
                .chars()
                .any(|c| ('\u{2801}'..='\u{28ff}').contains(&c))
        })
    });
    let text: String = (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(
        row_has_dots,
        "{text}\n{:?}\n{:?}",
        view.backfill, snap.panes[0].state.series
    );
    assert!(text.contains("⏸"), "{text}");
    drop(prom);
}

/// A range pane at a 1 s refresh asks for the whole window once, then only for the points that
/// are new or may still change, and ends with what a whole fetch shows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn range_polls_fetch_only_new_points_and_match_a_whole_fetch() {
    use gamelan::vista::config::SourceDef;
    use gamelan::vista::source::BlockingSource;
    use gamelan::vista::source::prometheus::{QuerySource, SETTLE};
    use gamelan::vista::{PaneState, Reading};
    let Some(prom) = Prometheus::start() else {
        return;
    };
    prom.wait_scraped("up").await;
    let cfg = vista_config(&format!(
        "[[panes]]\nid = \"up\"\nsource = {{ type = \"prometheus\", url = \"{}\", query = \"up\", mode = \"range\", window = \"10m\", step = \"1s\" }}\n",
        prom.url()
    ));
    let SourceDef::Prometheus(def) = cfg.panes[0].source.clone() else {
        panic!("a prometheus pane");
    };
    let poll = |src: QuerySource| async move {
        tokio::task::spawn_blocking(move || {
            let mut src = src;
            let r = src.poll().unwrap();
            (src, r)
        })
        .await
        .unwrap()
    };
    let src = QuerySource::new(def.clone(), Duration::from_secs(5));
    let (src, first) = poll(src).await;
    assert!(matches!(first, Reading::History(_)), "{first:?}");
    let mut live = PaneState::new(1000, 1);
    live.apply(first, 0.0);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (_, second) = poll(src).await;
    let Reading::Tail { histories, .. } = &second else {
        panic!("the second poll asks only for the tail: {second:?}");
    };
    assert!(!histories.is_empty());
    for h in histories {
        assert!(
            h.points.len() as f64 <= SETTLE + 1.0,
            "{} points asked for again, not the window's 600",
            h.points.len()
        );
    }
    live.apply(second, 0.0);
    let (_, whole) = poll(QuerySource::new(def, Duration::from_secs(5))).await;
    let mut fresh = PaneState::new(1000, 1);
    fresh.apply(whole, 0.0);
    let (a, b) = (&live.series[0].points, &fresh.series[0].points);
    let until = a.last().unwrap().0.min(b.last().unwrap().0);
    let since = a.first().unwrap().0.max(b.first().unwrap().0);
    let part = |r: &gamelan::vista::Ring<(f64, f64)>| -> Vec<(f64, f64)> {
        r.iter()
            .copied()
            .filter(|p| p.0 >= since && p.0 <= until)
            .collect()
    };
    assert!(part(a).len() >= 3, "{:?}", part(a));
    assert_eq!(
        part(a),
        part(b),
        "the tail-kept pane shows what a whole fetch shows"
    );
}
