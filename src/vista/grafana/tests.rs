//! The importer on small dashboards written here; the real public ones are in
//! tests/grafana_import.rs.

use super::*;

fn run(json: &str) -> Import {
    import(
        json,
        "d.json",
        &Options::default(),
        &Offline("not asked".into()),
    )
    .unwrap()
}

#[test]
fn a_dashboard_without_prometheus_panels_yields_no_vista() {
    let i = run(r#"{"title": "logs", "panels": [
        {"type": "logs", "title": "app", "datasource": {"type": "loki", "uid": "x"}, "targets": [{"expr": "{app=\"a\"}"}]},
        {"type": "timeseries", "title": "rate", "datasource": {"type": "loki", "uid": "x"}, "targets": [{"expr": "rate({app=\"a\"}[1m])"}]},
        {"type": "text", "title": "read me"}
    ]}"#);
    assert!(i.toml.is_none());
    let text = i.report.to_string();
    assert!(
        text.contains("its datasource is `loki`, not Prometheus"),
        "{text}"
    );
    assert!(text.contains("a text panel has no data"), "{text}");
}
