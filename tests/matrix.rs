//! Knowledge matrices through the real binary: `gamelan check` on good and bad matrix files,
//! `matrix import csv` (with positioned errors), `matrix export` as Markdown and CSV, and
//! `matrix import prometheus` against a real Prometheus on loopback, plain (`up` by job and
//! instance) and through a vista datasource that wants basic auth.

mod common;

use common::peers::{DEADLINE, PromSetup, Prometheus};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn gamelan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gamelan"))
        .args(args)
        .current_dir(dir)
        .env("GAMELAN_CONFIG_DIR", dir.join("config"))
        .env("GAMELAN_DATA_DIR", dir.join("data"))
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn check_reads_the_bundled_matrix_and_positions_every_problem_of_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = gamelan(root, &["check", "sessions/checkout.matrix.toml"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(
            "sessions/checkout.matrix.toml: ok (matrix `Checkout critical path`: 4 rows, 7 columns"
        ),
        "{}",
        text(&o)
    );
    std::fs::write(
        dir.path().join("bad.matrix.toml"),
        "[matrix]\ntitle = \"t\"\n[[rows]]\nid = \"api\"\n[[columns]]\nid = \"db\"\nkind = \"dependancy\"\n[[cells]]\nrow = \"ap\"\ncol = \"db\"\nmark = \"hard\"\n",
    )
    .unwrap();
    let o = gamelan(dir.path(), &["check", "bad.matrix.toml"]);
    assert!(!o.status.success());
    let t = text(&o);
    assert!(
        t.contains(
            "bad.matrix.toml:7:8: unknown column kind `dependancy`; did you mean `dependency`?"
        ),
        "{t}"
    );
    assert!(
        t.contains("bad.matrix.toml:9:7: no row named `ap`; did you mean `api`?"),
        "{t}"
    );
    // A matrix that does not parse is still judged a matrix.
    std::fs::write(dir.path().join("broken.toml"), "[matrix]\ntitle = = 1\n").unwrap();
    let t = text(&gamelan(dir.path(), &["check", "broken.toml"]));
    assert!(t.starts_with("broken.toml:2:9:"), "{t}");
}

#[test]
fn csv_imports_exports_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("path.csv"),
        "service,payments-db,ana (person),platform (team)\ncheckout-api,\"hard: writes every order, then charges\",owner,\npayments,unknown,,knows\n",
    )
    .unwrap();
    let o = gamelan(
        d,
        &[
            "matrix",
            "import",
            "csv",
            "path.csv",
            "-o",
            "path.matrix.toml",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("wrote path.matrix.toml: 2 rows, 3 columns, 2 risks"),
        "{}",
        text(&o)
    );
    let o = gamelan(
        d,
        &[
            "matrix",
            "import",
            "csv",
            "path.csv",
            "-o",
            "path.matrix.toml",
        ],
    );
    assert!(!o.status.success() && text(&o).contains("already exists"));
    let o = gamelan(d, &["check", "path.matrix.toml"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = gamelan(
        d,
        &["matrix", "export", "path.matrix.toml", "--format", "md"],
    );
    let md = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(md.starts_with("# path\n"), "{md}");
    assert!(
        md.contains("| checkout-api | hard* | **owner** |  |"),
        "{md}"
    );
    assert!(
        md.contains("- unknown: nobody knows whether payments depends on payments-db"),
        "{md}"
    );
    assert!(
        md.contains("- single point of knowledge: only ana owns checkout-api"),
        "{md}"
    );
    let o = gamelan(
        d,
        &[
            "matrix",
            "export",
            "path.matrix.toml",
            "--format",
            "csv",
            "-o",
            "again.csv",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(d.join("again.csv")).unwrap(),
        std::fs::read_to_string(d.join("path.csv")).unwrap()
    );
    std::fs::write(
        d.join("bad.csv"),
        "service,db,ana (persn)\napi,hrd,\nweb,soft\n",
    )
    .unwrap();
    let o = gamelan(
        d,
        &[
            "matrix",
            "import",
            "csv",
            "bad.csv",
            "-o",
            "bad.matrix.toml",
        ],
    );
    let t = text(&o);
    assert!(!o.status.success() && !d.join("bad.matrix.toml").exists());
    assert!(
        t.contains("bad.csv:1:12: unknown column kind `persn`; did you mean `person`?"),
        "{t}"
    );
    assert!(
        t.contains("bad.csv:2:5: unknown mark `hrd`; did you mean `hard`?"),
        "{t}"
    );
    assert!(
        t.contains("bad.csv:3:9: this row has 2 fields; the header has 3"),
        "{t}"
    );
}

/// Waits until `up` has a series for the server's own job.
fn scraped(prom: &Prometheus) {
    let client =
        gamelan::vista::source::prometheus::Client::new(&prom.url(), Duration::from_secs(5));
    let wait = Instant::now() + DEADLINE;
    while client.query("up", None).map_or(true, |s| s.is_empty()) {
        assert!(Instant::now() < wait, "no scrape after {DEADLINE:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn prometheus_series_import_as_rows_and_columns() {
    let Some(prom) = Prometheus::start() else {
        return;
    };
    scraped(&prom);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let url = prom.url();
    let o = gamelan(
        d,
        &[
            "matrix",
            "import",
            "prometheus",
            "--url",
            &url,
            "--query",
            "up",
            "--rows",
            "job",
            "--cols",
            "instance",
            "-o",
            "up.matrix.toml",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let t = std::fs::read_to_string(d.join("up.matrix.toml")).unwrap();
    let port = url.rsplit(':').next().unwrap();
    assert!(t.contains("title = \"Matrix of `up`\""), "{t}");
    assert!(t.contains("[[rows]]\nid = \"prometheus\"\n"), "{t}");
    assert!(
        t.contains(&format!(
            "id = \"127-0-0-1-{port}\"\nname = \"127.0.0.1:{port}\""
        )),
        "{t}"
    );
    assert!(
        t.contains("mark = \"unknown\"\nnote = \"seen in `up`\""),
        "{t}"
    );
    assert!(gamelan(d, &["check", "up.matrix.toml"]).status.success());
    // A label the series do not have says which ones they do.
    let o = gamelan(
        d,
        &[
            "matrix",
            "import",
            "prometheus",
            "--prometheus",
            &url,
            "--rows",
            "service",
            "--cols",
            "instance",
            "-o",
            "none.matrix.toml",
        ],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("labels: __name__, instance, job"),
        "{}",
        text(&o)
    );
}

#[test]
fn prometheus_import_goes_through_a_datasource_with_its_credentials() {
    const PASSWORD: &str = "correct horse battery staple";
    let hash = bcrypt::hash(PASSWORD, 4).unwrap();
    let Some(prom) = Prometheus::start_with(PromSetup {
        web_config: Some(format!("basic_auth_users:\n  ops: '{hash}'\n")),
        ..PromSetup::default()
    }) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("pw"), PASSWORD).unwrap();
    std::fs::write(d.join("wrong"), "nope").unwrap();
    let vista = format!(
        "[vista]\ntitle = \"v\"\n\n[datasource.prod]\ntype = \"prometheus\"\nurl = \"{url}\"\nbasic_auth = {{ username = \"ops\", password_file = \"{pw}\" }}\n\n[datasource.stale]\ntype = \"prometheus\"\nurl = \"{url}\"\nbasic_auth = {{ username = \"ops\", password_file = \"{wrong}\" }}\n\n[[panes]]\nid = \"x\"\nsource = {{ type = \"prometheus\", datasource = \"prod\", query = \"vector(1)\" }}\n",
        url = prom.url(),
        pw = d.join("pw").display(),
        wrong = d.join("wrong").display(),
    );
    std::fs::write(d.join("vista.toml"), vista).unwrap();
    let query = r#"label_replace(label_replace(vector(1), "service", "checkout-api", "", ""), "owner", "ana", "", "")"#;
    let args = |ds: &'static str, out: &'static str| {
        vec![
            "matrix",
            "import",
            "prometheus",
            "--prometheus",
            ds,
            "--vista",
            "vista.toml",
            "--query",
            query,
            "--rows",
            "service",
            "--cols",
            "owner",
            "--kind",
            "person",
            "--mark",
            "owner",
            "-o",
            out,
        ]
    };
    // The server takes a moment to listen; a refused connection is tried again.
    let wait = Instant::now() + DEADLINE;
    let o = loop {
        let o = gamelan(d, &args("prod", "owners.matrix.toml"));
        if o.status.success() || !text(&o).contains("Connection refused") || Instant::now() > wait {
            break o;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(o.status.success(), "{}", text(&o));
    let t = std::fs::read_to_string(d.join("owners.matrix.toml")).unwrap();
    assert!(
        t.contains("row = \"checkout-api\"\ncol = \"ana\"\nmark = \"owner\""),
        "{t}"
    );
    let o = gamelan(d, &args("stale", "stale.matrix.toml"));
    assert!(!o.status.success());
    assert!(text(&o).contains("refused user `ops`"), "{}", text(&o));
}
