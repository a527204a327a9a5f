//! An imported dashboard as a user sees it: Node Exporter Full (tests/fixtures/grafana) with a
//! Prometheus annotation added to its annotation list, imported as `gamelan vista --grafana`
//! does, then drawn from a fixed snapshot (series named by the panels' `legendFormat`, as the
//! Prometheus source names them) at 80x24 and 200x50, in the dark, high-contrast and mono
//! themes: several series a pane with their names, units on the y axis, thresholds, the
//! annotation's markers, the cursor.

mod common;

use common::screen::{self, press_vista as press, rows as text};
use gamelan::ui::theme::Theme;
use gamelan::ui::vista::VistaView;
use gamelan::vista::annotation::{Mark, MarkSet};
use gamelan::vista::config::SourceDef;
use gamelan::vista::grafana::{self, Offline, Options};
use gamelan::vista::source::prometheus::PromSeries;
use gamelan::vista::state::{History, Reading, Value};
use gamelan::vista::{PaneState, VistaConfig, VistaSnapshot};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::collections::BTreeMap;
use std::sync::Arc;

/// 14:00:00 UTC on some day.
const NOW: f64 = 1_764_597_600.0;

/// The dashboard with a reboot annotation over Prometheus, as a team would have it.
fn dashboard() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/grafana/node-exporter-full.json"
    );
    let mut d: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let list = d["annotations"]["list"].as_array_mut().unwrap();
    list.push(serde_json::json!({
        "datasource": {"type": "prometheus", "uid": "${ds_prometheus}"},
        "enable": true,
        "name": "Reboots",
        "expr": "changes(node_boot_time_seconds{instance=\"$node\",job=\"$job\"}[5m]) > 0",
        "titleFormat": "reboot",
        "textFormat": "{{instance}}"
    }));
    d.to_string()
}

fn import() -> grafana::Import {
    let opts = Options {
        vars: [
            ("job", "node"),
            ("nodename", "host"),
            ("node", "127.0.0.1:9100"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        ..Options::default()
    };
    grafana::import(
        &dashboard(),
        "node-exporter-full.json",
        &opts,
        &Offline("offline in tests".into()),
    )
    .unwrap()
}

/// The legend names a joined query carries (`label_replace(…, "gamelan_legend", "NAME", …)`).
fn legends(query: &str) -> Vec<String> {
    let key = "\"gamelan_legend\", \"";
    query
        .match_indices(key)
        .map(|(i, _)| {
            let rest = &query[i + key.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// A value for series `k` of a pane in `unit` at fraction `x` of the window.
fn wave(unit: &str, k: usize, x: f64) -> f64 {
    let s = (x * 9.0 + k as f64).sin();
    match unit {
        "%" => (12.0 + 10.0 * k as f64 + 6.0 * s).clamp(0.0, 100.0),
        u if u.starts_with('B') => 2.0e9 * (k as f64 + 1.0) + 4.0e8 * s,
        u if u.starts_with("b/") => 8.0e6 * (k as f64 + 1.0) + 2.0e6 * s,
        "s" => 86_400.0 * 3.0,
        _ => 4.0 + k as f64 + s,
    }
}

fn snapshot(cfg: &VistaConfig) -> VistaSnapshot {
    let mut states = Vec::new();
    for def in &cfg.panes {
        let SourceDef::Prometheus(q) = &def.source else {
            panic!("{}: a Prometheus pane", def.id)
        };
        // The labels the node exporter's series carry; `${1}` is what a legend's
        // `label_replace` captures from them.
        let query = q.query.replace("${1}", "eth0");
        let names = legends(&query);
        let base = BTreeMap::from(
            [
                ("device", "eth0"),
                ("mountpoint", "/"),
                ("instance", "127.0.0.1:9100"),
                ("job", "node"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        let series: Vec<PromSeries> = if names.is_empty() {
            vec![PromSeries {
                labels: base.clone(),
                points: Vec::new(),
            }]
        } else {
            names
                .iter()
                .map(|n| {
                    let mut labels = base.clone();
                    labels.insert("gamelan_legend".to_string(), n.clone());
                    PromSeries {
                        labels,
                        points: Vec::new(),
                    }
                })
                .collect()
        };
        let mut st = PaneState::new(cfg.history, 1);
        let unit = def.unit.as_str();
        if matches!(q.mode, gamelan::vista::config::model::QueryMode::Range) {
            let (w, step) = (q.window.as_secs_f64(), q.step.as_secs_f64());
            let n = (w / step) as usize;
            let histories = series
                .iter()
                .enumerate()
                .map(|(k, s)| History {
                    id: s.key(),
                    label: s.legend(q.legend.as_deref(), &q.query),
                    unit: String::new(),
                    points: (0..=n)
                        .map(|i| {
                            let t = NOW - w + i as f64 * step;
                            (t, wave(unit, k, i as f64 / n as f64))
                        })
                        .collect(),
                })
                .collect();
            st.apply(Reading::History(histories), NOW);
        } else {
            let values = series
                .iter()
                .enumerate()
                .map(|(k, s)| Value {
                    id: s.key(),
                    label: s.legend(q.legend.as_deref(), &q.query),
                    unit: String::new(),
                    value: wave(unit, k, 0.5),
                })
                .collect();
            st.apply(Reading::Values { at: NOW, values }, NOW);
        }
        states.push(st);
    }
    let mut snap = VistaSnapshot::new(cfg, states);
    let mut reboots = MarkSet {
        id: cfg.annotations[0].id.clone(),
        ..MarkSet::default()
    };
    reboots.set(vec![Mark {
        at: NOW - 6.0 * 3600.0,
        text: "reboot: 127.0.0.1:9100".into(),
    }]);
    snap.marks = Arc::new(vec![reboots]);
    snap
}

fn render(snap: &VistaSnapshot, view: &mut VistaView, w: u16, h: u16, theme: &Theme) -> Buffer {
    screen::vista(snap, view, NOW, (w, h), theme)
}

#[test]
fn the_prometheus_annotation_is_imported_and_the_rest_reported() {
    let i = import();
    let toml = i.toml.as_deref().unwrap();
    assert!(toml.contains("[[annotations]]\nid = \"reboots\""), "{toml}");
    assert!(
        toml.contains(
            "query = 'changes(node_boot_time_seconds{instance=\"127.0.0.1:9100\",job=\"node\"}[5m]) > 0'"
        ),
        "{toml}"
    );
    assert!(toml.contains("text = \"reboot: {{instance}}\""), "{toml}");
    let report = i.report.to_string();
    assert!(
        report.contains("[[annotations]] reboots ← \"Reboots\""),
        "{report}"
    );
    assert!(
        report.contains("skipped annotation \"Annotations & Alerts\": Grafana's own annotations"),
        "{report}"
    );
    let cfg = VistaConfig::parse(toml, "imported.toml").unwrap();
    assert_eq!(cfg.annotations.len(), 1);
}

#[test]
fn the_imported_dashboard_at_80x24_and_200x50() {
    let cfg = VistaConfig::parse(import().toml.as_deref().unwrap(), "imported.toml").unwrap();
    let snap = snapshot(&cfg);
    let dark = Theme::bundled("dark").unwrap();
    let small = text(&render(&snap, &mut VistaView::default(), 80, 24, &dark));
    insta::assert_snapshot!("node_exporter_full_80x24", small);
    let big = text(&render(&snap, &mut VistaView::default(), 200, 50, &dark));
    insta::assert_snapshot!("node_exporter_full_200x50", big);
    for name in ["Busy System", "Busy User", "Idle", "RAM Used"] {
        assert!(big.contains(name), "legendFormat name {name}:\n{big}");
    }
    assert!(big.contains("%┤"), "a y axis in percent:\n{big}");
    assert!(big.contains("GiB┤"), "a y axis in binary bytes:\n{big}");
    assert!(big.contains('▼'), "the reboot marker:\n{big}");
    assert!(
        big.contains("Rx eth0") && big.contains("━ /"),
        "legends from labels:\n{big}"
    );
    // A stat's name and value never run together, and bytes are binary.
    assert!(!big.contains("Cores3") && big.contains("GiB│"), "{big}");
    // The cursor on the marker says what happened.
    let mut view = VistaView::default();
    let area = Rect::new(0, 0, 200, 50);
    view.sync(&snap, NOW);
    let chart = cfg.panes.iter().position(|p| p.id == "cpu-basic").unwrap();
    view.focus = chart;
    press(&mut view, &snap, ",", area);
    let at = |v: &VistaView| v.nav.cursor_at(v.nav.window(v.span(), NOW)).unwrap();
    while at(&view) > NOW - 6.0 * 3600.0 {
        press(&mut view, &snap, ",", area);
    }
    let t = text(&render(&snap, &mut view, 200, 50, &dark));
    assert!(t.contains("reboot: 127.0.0.1:9100"), "{t}");
}

#[test]
fn the_imported_dashboard_in_high_contrast_and_mono() {
    let cfg = VistaConfig::parse(import().toml.as_deref().unwrap(), "imported.toml").unwrap();
    let snap = snapshot(&cfg);
    let mono = Theme::bundled("mono").unwrap();
    let t = text(&render(&snap, &mut VistaView::default(), 200, 50, &mono));
    insta::assert_snapshot!("node_exporter_full_mono_200x50", t);
    assert!(
        t.contains("1• Busy System") && t.contains("2+ Busy User"),
        "series told apart by glyphs:\n{t}"
    );
    let hc = Theme::bundled("high-contrast").unwrap();
    let buf = render(&snap, &mut VistaView::default(), 200, 50, &hc);
    insta::assert_snapshot!("node_exporter_full_high_contrast_200x50", text(&buf));
}
