//! `gamelan vista import grafana` on real public dashboards (tests/fixtures/grafana, with their
//! licences): the report and the vista file of each are golden, every generated file passes
//! `gamelan check`, bad dashboards fail at their file:line:col, and no dashboard text panics
//! the importer. `gamelan check` on vista files, themes and directories is here too.

mod common;

use gamelan::vista::grafana::{self, Offline, Options};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/grafana")
        .join(name)
}

/// The values a test gives each dashboard's variables, so the golden files do not depend on
/// any server.
fn vars(name: &str) -> BTreeMap<String, String> {
    let pairs: &[(&str, &str)] = match name {
        "node-exporter-full.json" => &[
            ("job", "node"),
            ("nodename", "host"),
            ("node", "127.0.0.1:9100"),
        ],
        "node-exporter-full-old.json" => {
            &[("job", "node"), ("node", "127.0.0.1"), ("port", "9100")]
        }
        "haproxy.json" => &[("host", "127.0.0.1:8404")],
        "unbound-full.json" => &[("instance", "127.0.0.1:9167")],
        _ => &[],
    };
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn import(name: &str, all_rows: bool) -> grafana::Import {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let opts = Options {
        vars: vars(name),
        all_rows,
        ..Options::default()
    };
    let file = format!("tests/fixtures/grafana/{name}");
    grafana::import(&text, &file, &opts, &Offline("offline in tests".into()))
        .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d)))
}

const DASHBOARDS: [&str; 5] = [
    "node-exporter-full.json",
    "node-exporter-full-old.json",
    "haproxy.json",
    "unbound-full.json",
    "k8s-system-api-server.json",
];

#[test]
fn golden_reports_and_vistas() {
    for name in DASHBOARDS {
        let i = import(name, false);
        let stem = name.trim_end_matches(".json");
        insta::assert_snapshot!(format!("{stem}.report"), i.report.to_string());
        let toml = i
            .toml
            .unwrap_or_else(|| panic!("{name}: no vista\n{}", i.report));
        insta::assert_snapshot!(format!("{stem}.vista"), toml);
    }
}

#[test]
fn what_each_schema_carries_over() {
    // Current schema: open rows only by default, collapsed ones on request.
    let full = import("node-exporter-full.json", false);
    assert_eq!(full.report.mapped.len(), 15);
    assert!(full.report.mapped.iter().all(|m| !m.title.is_empty()));
    let all = import("node-exporter-full.json", true);
    assert_eq!(all.report.mapped.len(), 48, "the vista's bound");
    assert!(
        all.report
            .dropped
            .iter()
            .any(|d| d.reason.contains("at most 48 panes"))
    );
    let toml = full.toml.unwrap();
    // Variables substituted, the rate interval resolved, a percentage threshold made absolute.
    assert!(
        toml.contains(r#"instance="127.0.0.1:9100",job="node""#),
        "{toml}"
    );
    assert!(!toml.contains("$__rate_interval") && !toml.contains("$node"));
    // Classic schema: singlestat thresholds and a span of 2 (of 12) in every row.
    let old = import("node-exporter-full-old.json", false);
    let cfg = gamelan::vista::VistaConfig::parse(old.toml.as_deref().unwrap(), "old").unwrap();
    let cpu = cfg.panes.iter().find(|p| p.title == "CPU Busy").unwrap();
    assert_eq!(
        (cpu.warn, cpu.crit, cpu.unit.as_str()),
        (Some(85.0), Some(95.0), "%")
    );
    assert_eq!(cpu.kind, gamelan::vista::Display::Gauge);
    // Tables become lists, the heatmap is dropped with its reason.
    let k8s = import("k8s-system-api-server.json", false);
    assert!(
        k8s.report
            .mapped
            .iter()
            .any(|m| m.grafana_kind == "table" && m.kind == gamelan::vista::Display::List)
    );
    let unbound = import("unbound-full.json", true);
    assert!(
        unbound
            .report
            .dropped
            .iter()
            .any(|d| d.kind == "heatmap" && d.reason.contains("heatmap"))
    );
}

#[test]
fn every_generated_vista_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for name in DASHBOARDS {
        for all in [false, true] {
            let toml = import(name, all).toml.unwrap();
            std::fs::write(dir.path().join(format!("{n}-{name}.toml")), toml).unwrap();
            n += 1;
        }
    }
    let out = common::gamelan("grafana-check", &["check", dir.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text.matches(": ok (vista").count(), n, "{text}");
}

#[test]
fn the_command_writes_a_file_and_prints_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("vista.toml");
    let out = common::gamelan(
        "grafana-cmd",
        &[
            "vista",
            "import",
            "grafana",
            "tests/fixtures/grafana/node-exporter-full.json",
            "-o",
            out_file.to_str().unwrap(),
            "--offline",
            "--var",
            "job=node",
            "--var",
            "node=a:9100",
            "--var",
            "nodename=a",
            "--row",
            "basic",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("4 mapped"), "{text}");
    assert!(text.contains("not picked by --row"), "{text}");
    assert!(
        text.contains(&format!("wrote {} (4 panes)", out_file.display())),
        "{text}"
    );
    let cfg = gamelan::vista::VistaConfig::load(&out_file).unwrap();
    assert_eq!(cfg.panes.len(), 4);
    // Run again: the file (perhaps edited since) is kept, and the command says so.
    std::fs::write(&out_file, "# edited by hand\n").unwrap();
    let again = common::gamelan(
        "grafana-cmd",
        &[
            "vista",
            "import",
            "grafana",
            "tests/fixtures/grafana/node-exporter-full.json",
            "-o",
            out_file.to_str().unwrap(),
            "--offline",
        ],
    );
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already exists; nothing was written"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        "# edited by hand\n"
    );
    // A folder that does not exist yet (a new user's config directory) is made.
    let nested = dir.path().join("new/gamelan/vista.toml");
    let made = common::gamelan(
        "grafana-cmd",
        &[
            "vista",
            "import",
            "grafana",
            "tests/fixtures/grafana/node-exporter-full.json",
            "-o",
            nested.to_str().unwrap(),
            "--offline",
        ],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(nested.exists());
    // Without -o the vista goes to standard output and the report to standard error.
    let out = common::gamelan(
        "grafana-cmd",
        &[
            "vista",
            "import",
            "grafana",
            "tests/fixtures/grafana/k8s-system-api-server.json",
            "--offline",
        ],
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# Imported from"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mapped:"));
}

#[test]
fn bad_json_fails_at_its_position_in_import_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"title\": \"broken\",\n  \"panels\": [\n    { \"type\": \"graph\" }\n    { \"type\": \"stat\" }\n  ]\n}\n",
    )
    .unwrap();
    let b = bad.to_str().unwrap();
    let out = common::gamelan(
        "grafana-bad",
        &["vista", "import", "grafana", b, "--offline"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{b}:5:5: not JSON: expected `,` or `]`")),
        "{err}"
    );
    let out = common::gamelan("grafana-bad", &["check", b]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("{b}:5:5: not JSON")), "{text}");
    // JSON that is no dashboard, and a file that is not there.
    std::fs::write(&bad, "[1, 2]").unwrap();
    let out = common::gamelan("grafana-bad", &["vista", "--grafana", b]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Grafana dashboard"));
    let out = common::gamelan(
        "grafana-bad",
        &["vista", "import", "grafana", "/nonexistent.json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent.json"));
}

#[test]
fn a_dashboard_with_no_prometheus_panel_says_so() {
    for args in [
        &[
            "vista",
            "import",
            "grafana",
            "tests/fixtures/grafana/no-prometheus.json",
        ][..],
        &[
            "vista",
            "--grafana",
            "tests/fixtures/grafana/no-prometheus.json",
            "--offline",
        ][..],
    ] {
        let out = common::gamelan("grafana-none", args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("nothing to import: none of its 4 panels is a Prometheus panel"),
            "{err}"
        );
        assert!(
            err.contains("its datasource is `loki`, not Prometheus"),
            "{err}"
        );
        assert!(err.contains("a text panel has no data"), "{err}");
    }
}

#[test]
fn grafana_options_need_a_dashboard() {
    for args in [
        &["vista", "--var", "job=x"][..],
        &["vista", "--prometheus", "http://127.0.0.1:9"][..],
    ] {
        let out = common::gamelan("grafana-opts", args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("go with --grafana"),
            "{args:?}"
        );
    }
}

#[test]
fn check_takes_vista_files_and_themes_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let vista = dir.path().join("v.toml");
    std::fs::write(
        &vista,
        "[vista]\ncolumns = 3\n\n[[panes]]\nid = \"a\"\nspan = 9\nsource = { type = \"host\" }\n",
    )
    .unwrap();
    let theme = dir.path().join("t.toml");
    std::fs::write(
        &theme,
        "inherits = \"dark\"\n[styles]\nwarning = \"chartreuse-ish\"\n",
    )
    .unwrap();
    let good = dir.path().join("sub");
    std::fs::create_dir(&good).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("vista.example.toml"),
        good.join("vista.toml"),
    )
    .unwrap();
    let out = common::gamelan("grafana-kinds", &["check", dir.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let v = vista.display().to_string();
    let t = theme.display().to_string();
    assert!(text.contains(&format!("{v}:6:8: ")), "{text}");
    assert!(text.contains(&format!("{t}:3:11: ")), "{text}");
    assert!(text.contains("sub/vista.toml: ok (vista"), "{text}");
}

/// A small seeded generator, so a failure names a case that can be run again.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn mutated_dashboards_never_panic_and_what_imports_loads() {
    let base = std::fs::read_to_string(fixture("k8s-system-api-server.json")).unwrap();
    let bytes = base.as_bytes();
    let mut rng = Lcg(15);
    let swaps: [&[u8]; 6] = [
        b"null",
        b"[]",
        b"{}",
        b"-1e999",
        b"\"$__all\"",
        b"99999999999",
    ];
    for case in 0..300 {
        let mut m = bytes.to_vec();
        match case % 3 {
            0 => m.truncate(rng.next() as usize % m.len()),
            1 => {
                for _ in 0..8 {
                    let at = rng.next() as usize % m.len();
                    m[at] = b"{}[],:\"0a$\\"[rng.next() as usize % 11];
                }
            }
            _ => {
                // Replace a value after a colon with something of another shape.
                let at = rng.next() as usize % m.len();
                if let Some(colon) = m[at..].iter().position(|&c| c == b':') {
                    let start = at + colon + 1;
                    let end = m[start..]
                        .iter()
                        .position(|&c| c == b',' || c == b'}')
                        .map_or(m.len(), |e| start + e);
                    let with = swaps[rng.next() as usize % swaps.len()];
                    m.splice(start..end, with.iter().copied());
                }
            }
        }
        let text = String::from_utf8_lossy(&m);
        let result = grafana::import(&text, "m.json", &Options::default(), &Offline("t".into()));
        if let Ok(i) = result
            && let Some(toml) = &i.toml
        {
            gamelan::vista::VistaConfig::parse(toml, "out").unwrap_or_else(|d| {
                panic!("case {case}: the import wrote a vista that does not load: {d:?}")
            });
        }
    }
}
