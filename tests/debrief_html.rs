//! The HTML debrief in a real headless browser (Debian's `chromium`): `gamelan debrief REC
//! --format html` of a recorded winning path, with the mixed run as its ghost, is loaded,
//! laid out, screenshotted and printed to PDF. The page must log nothing to the console
//! (no script error, no blocked fetch), and its own script must find every chart laid out.
//! A page with a deliberate script error proves the console check can fail.
//!
//! The browser is `chromium` on the PATH (or $GAMELAN_CHROMIUM); when it is missing the tests
//! say so and skip. CI installs it (.ci/run).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GAMELAN_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&path)
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file());
    if found.is_none() {
        eprintln!(
            "chromium is not installed (apt-get install chromium): skipping the headless browser test"
        );
    }
    found
}

/// What one headless run printed.
struct Run {
    stdout: String,
    stderr: String,
}

/// Runs chromium headless on `page` with `args`, offline and with a fresh profile, killed
/// after a minute.
fn headless(bin: &Path, profile: &Path, page: &Path, args: &[String]) -> Run {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
            "--hide-scrollbars",
            // Resolving any name fails: nothing can leave the machine.
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The page's console messages and load errors in chromium's log.
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Uncaught")
                || l.contains("Refused to")
                || l.contains("net::ERR_")
        })
        .collect()
}

fn page(dir: &Path) -> PathBuf {
    let rec = format!("{ROOT}/tests/fixtures/recordings/bad-deploy.win.jsonl");
    let ghost = format!("{ROOT}/tests/fixtures/recordings/bad-deploy.mixed.jsonl");
    // The fixtures were recorded with bad-deploy as it was then, kept beside the pins.
    let scenario = format!("{ROOT}/tests/fixtures/pinned/bad-deploy.toml");
    let out = dir.join("debrief.html");
    let run = common::gamelan_with_data(
        dir,
        &[
            "debrief",
            &rec,
            "--format",
            "html",
            "-o",
            out.to_str().unwrap(),
            "--ghost",
            &ghost,
            "--scenario",
            &scenario,
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

#[test]
fn the_html_debrief_renders_in_a_real_browser_without_errors() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = page(dir.path());
    let html = std::fs::read_to_string(&page).unwrap();
    let charts = html.matches("<svg class=\"chart\"").count();
    assert_eq!(
        charts, 6,
        "the lanes and one chart for each of bad-deploy's five signals"
    );

    // Loaded and laid out: the page's script counts the charts with a real size.
    let profile = dir.path().join("profile");
    let dom = headless(&bin, &profile, &page, &["--dump-dom".into()]);
    assert!(
        dom.stdout
            .contains(&format!("data-charts-drawn=\"{charts}\"")),
        "not every chart was laid out:\n{}\n{}",
        &dom.stdout[..dom.stdout.len().min(2000)],
        dom.stderr
    );
    assert!(dom.stdout.contains("<polyline class=\"value\""));
    assert!(dom.stdout.contains("Error budget left"));
    assert!(
        dom.stdout.contains("reference (beat)"),
        "the ghost's column"
    );
    let console = console_lines(&dom.stderr);
    assert!(console.is_empty(), "the page logged: {console:#?}");

    // A screenshot at a desktop size.
    let png = dir.path().join("shot.png");
    let shot = headless(
        &bin,
        &profile,
        &page,
        &[
            "--window-size=1200,1600".into(),
            format!("--screenshot={}", png.display()),
        ],
    );
    let bytes =
        std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot: {e}\n{}", shot.stderr));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // Width and height from the IHDR chunk.
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((w, h), (1200, 1600));
    assert!(bytes.len() > 30_000, "a page of charts is not a blank PNG");
    assert!(console_lines(&shot.stderr).is_empty(), "{}", shot.stderr);

    // Printed: A4 pages, the charts on a page of their own after the summary.
    let pdf = dir.path().join("debrief.pdf");
    let print = headless(
        &bin,
        &profile,
        &page,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("no PDF: {e}\n{}", print.stderr));
    assert!(bytes.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page\n").count()
        + text.matches("/Type /Page>").count()
        + text.matches("/Type /Page/").count();
    assert!(
        pages >= 3,
        "a summary, the charts and the timeline: {pages} pages"
    );
    assert!(console_lines(&print.stderr).is_empty(), "{}", print.stderr);
}

#[test]
fn the_console_check_sees_a_broken_page() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>no_such_function();</script></head><body>x</body></html>",
    )
    .unwrap();
    let run = headless(
        &bin,
        &dir.path().join("profile"),
        &broken,
        &["--dump-dom".into()],
    );
    assert!(
        !console_lines(&run.stderr).is_empty(),
        "a script error must show in the log:\n{}",
        run.stderr
    );
}

/// A data directory with five recorded runs of bad-deploy (won and lost on different days)
/// and one of queue-backlog, as a team's week of practice leaves it.
fn practised(data: &Path) -> PathBuf {
    let dir = data.join("recordings");
    std::fs::create_dir_all(&dir).unwrap();
    for (kind, day) in [
        ("lose", 1),
        ("win", 8),
        ("lose", 15),
        ("win", 22),
        ("win", 29),
    ] {
        common::recordings::record_on_day(data, &dir, "bad-deploy", kind, day);
    }
    common::recordings::record_on_day(data, &dir, "queue-backlog", "win", 10);
    dir
}

#[test]
fn the_history_page_and_the_debriefs_trend_render_in_a_real_browser() {
    let Some(bin) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let dir = practised(data.path());
    let page = data.path().join("history.html");
    let run = common::gamelan_with_data(
        data.path(),
        &["history", "--format", "html", "-o", page.to_str().unwrap()],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    let charts = html.matches("<svg class=\"chart").count();
    assert_eq!(charts, 4, "two trend charts for each of two scenarios");
    assert_eq!(html.matches("<tr><td>2025-05-").count(), 6, "every run");
    let profile = data.path().join("profile");
    let dom = headless(&bin, &profile, &page, &["--dump-dom".into()]);
    assert!(
        dom.stdout
            .contains(&format!("data-charts-drawn=\"{charts}\"")),
        "not every chart was laid out:\n{}",
        dom.stderr
    );
    assert!(
        dom.stdout
            .contains("<polyline class=\"run-line m-resolve\"")
    );
    let console = console_lines(&dom.stderr);
    assert!(console.is_empty(), "the page logged: {console:#?}");
    let png = data.path().join("history.png");
    let shot = headless(
        &bin,
        &profile,
        &page,
        &[
            "--window-size=1100,1400".into(),
            format!("--screenshot={}", png.display()),
        ],
    );
    let bytes =
        std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot: {e}\n{}", shot.stderr));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(bytes.len() > 20_000, "a page of charts is not a blank PNG");

    // One scenario only: queue-backlog's runs are left out.
    let one = common::gamelan_with_data(
        data.path(),
        &["history", "--format", "html", "--scenario", "bad-deploy"],
    );
    let one = String::from_utf8_lossy(&one.stdout);
    assert_eq!(one.matches("<svg class=\"chart").count(), 2);
    assert!(!one.contains("queue-backlog"));

    // The debrief of the third run shows the scenario over time, that run marked; the lone
    // queue-backlog run has no earlier run, so no section.
    let third = dir.join("2025-05-15-bad-deploy-lose.jsonl");
    let out = data.path().join("debrief.html");
    let run = common::gamelan_with_data(
        data.path(),
        &[
            "debrief",
            third.to_str().unwrap(),
            "--format",
            "html",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<h2>This scenario over time</h2>"));
    assert_eq!(html.matches(">this run</text>").count(), 1);
    let charts = html.matches("<svg class=\"chart").count();
    assert_eq!(charts, 6 + 2, "the drill's charts and the two trends");
    let dom = headless(&bin, &profile, &out, &["--dump-dom".into()]);
    assert!(
        dom.stdout
            .contains(&format!("data-charts-drawn=\"{charts}\"")),
        "{}",
        dom.stderr
    );
    assert!(console_lines(&dom.stderr).is_empty(), "{}", dom.stderr);
    let lone = common::gamelan_with_data(
        data.path(),
        &[
            "debrief",
            dir.join("2025-05-10-queue-backlog-win.jsonl")
                .to_str()
                .unwrap(),
            "--format",
            "html",
        ],
    );
    assert!(!String::from_utf8_lossy(&lone.stdout).contains("This scenario over time"));
}
