//! The console drawn into ratatui's TestBackend: snapshots at 80x24 and 160x48, styles where
//! colour carries meaning, and every size from 1x1 to 500x200 without a panic.

use gamelan::drill::Drill;
use gamelan::headless::{self, parse_script};
use gamelan::scenario::{Scenario, bundled};
use gamelan::ui::chrome::Chrome;
use gamelan::ui::console;
use gamelan::ui::seat::{Mode, Pane, SeatView};
use gamelan::ui::theme::{Meaning, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::sync::Arc;

fn scenario(id: &str) -> Arc<Scenario> {
    bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == id)
        .expect("bundled")
        .scenario
}

/// bad-deploy played by the winning script up to `beat`.
fn drill_at(beat: u64) -> Drill {
    let s = scenario("bad-deploy");
    let src = std::fs::read_to_string("scenarios/bad-deploy.win.cues").unwrap();
    let script = parse_script(&src, "win", &s).unwrap();
    let mut d = Drill::new(s, 1);
    headless::run(&mut d, &script, Some(beat));
    d
}

fn playing() -> SeatView {
    let mut v = SeatView::new(headless::SCRIPT_SEAT);
    v.mode = Mode::Playing;
    v
}

fn render(w: u16, h: u16, drill: &Drill, view: &SeatView, chrome: &Chrome) -> Buffer {
    let theme = Theme::bundled("dark").unwrap();
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        let area = f.area();
        console::draw(f.buffer_mut(), area, drill, view, &theme, chrome);
    })
    .unwrap();
    t.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let a = buf.area;
    let mut out = String::new();
    for y in 0..a.height {
        let mut line = String::new();
        for x in 0..a.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn condensed_80x24_shows_vista_score_and_timeline() {
    let d = drill_at(22);
    let buf = render(80, 24, &d, &playing(), &Chrome::default());
    let t = text(&buf);
    for needle in [
        "vista", "feed", "runbook", "cues", "timeline", "[a]", "[r]", "RUNNING", "bar 6:3",
    ] {
        assert!(t.contains(needle), "missing {needle:?} in\n{t}");
    }
    insta::assert_snapshot!("console_80x24", t);
}

#[test]
fn roomy_160x48_has_charts_header_and_next_inject() {
    let d = drill_at(14);
    let buf = render(160, 48, &d, &playing(), &Chrome::default());
    let t = text(&buf);
    for needle in [
        "gamelan · Checkout 5xx",
        "healthy",
        "SLO",
        "next ◆",
        "Roll back checkout-api",
    ] {
        assert!(t.contains(needle), "missing {needle:?} in\n{t}");
    }
    insta::assert_snapshot!("console_160x48", t);
}

#[test]
fn briefing_help_and_zoom_overlays() {
    let d = drill_at(0);
    let t = text(&render(80, 24, &d, &SeatView::new(0), &Chrome::default()));
    assert!(
        t.contains("briefing") && t.contains("Enter starts the metronome"),
        "{t}"
    );
    let mut v = playing();
    v.help = true;
    let t = text(&render(100, 40, &d, &v, &Chrome::default()));
    assert!(
        t.contains("keys in force")
            && t.contains("Acknowledge the page")
            && t.contains("pause / resume"),
        "{t}"
    );
    let mut v = playing();
    v.focus = Pane::Runbook;
    v.zoom = true;
    let t = text(&render(80, 24, &d, &v, &Chrome::default()));
    assert!(
        t.contains("runbook 1/1: Checkout 5xx: first five minutes") && !t.contains("╭ feed"),
        "{t}"
    );
}

#[test]
fn firing_page_is_drawn_in_the_critical_style() {
    let d = drill_at(12);
    let buf = render(160, 48, &d, &playing(), &Chrome::default());
    let theme = Theme::bundled("dark").unwrap();
    let critical = theme.style(Meaning::Critical);
    let t = text(&buf);
    let (y, line) = t
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("▲ PAGE"))
        .expect("a firing page");
    let x = line.chars().position(|c| c == '▲').unwrap() as u16;
    let cell = &buf[(x + 1, y as u16)];
    assert_eq!(cell.fg, critical.fg.unwrap(), "page marker colour");
}

#[test]
fn ended_drill_offers_the_debrief() {
    let d = drill_at(1000);
    assert!(d.is_ended());
    let t = text(&render(80, 24, &d, &playing(), &Chrome::default()));
    assert!(
        t.contains("ENDED (resolved)") && t.contains("d debrief"),
        "{t}"
    );
}

#[test]
fn every_size_from_1x1_to_500x200_draws_without_panic() {
    let d = drill_at(30);
    let mut v = playing();
    let sizes = (1..=12u16).flat_map(|w| (1..=12u16).map(move |h| (w * 7 - 6, h * 5 - 4)));
    for (w, h) in sizes.chain([
        (1, 1),
        (40, 12),
        (39, 12),
        (80, 24),
        (500, 200),
        (500, 1),
        (1, 200),
    ]) {
        for zoom in [false, true] {
            v.zoom = zoom;
            v.help = w % 2 == 0;
            let _ = render(
                w,
                h,
                &d,
                &v,
                &Chrome {
                    pulse: true,
                    ..Chrome::default()
                },
            );
        }
    }
    let t = text(&render(20, 5, &d, &v, &Chrome::default()));
    assert!(t.contains("terminal too small"), "{t}");
}

#[test]
fn hostile_text_never_reaches_the_terminal() {
    let src = std::fs::read_to_string("scenarios/bad-deploy.toml")
        .unwrap()
        .replace(
            "checkout-api v2.41.0 rolled out to 100%",
            "\\u001b[2J\\u001b]0;pwned\\u0007 rolled out",
        );
    let s = Arc::new(gamelan::scenario::load_str(&src, "hostile.toml").unwrap());
    let mut d = Drill::new(s, 1);
    headless::run(&mut d, &[], Some(8));
    let buf = render(160, 48, &d, &playing(), &Chrome::default());
    let t = text(&buf);
    assert!(!t.contains('\u{1b}') && !t.contains('\u{7}'), "{t}");
    assert!(t.contains("\u{fffd}[2J"), "{t}");
}

#[test]
fn live_vista_panes_are_drawn_beside_the_drill() {
    use gamelan::ui::chrome::LivePanes;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let cfg = gamelan::vista::VistaConfig::parse(
        "[vista]\nrefresh = \"100ms\"\n\n[[panes]]\nid = \"real\"\ntitle = \"Real queue depth\"\nkind = \"list\"\n\
         source = { type = \"command\", command = \"echo depth=1234\", parse = \"numbers\" }\n",
        "live.toml",
    )
    .unwrap();
    let handle = rt.block_on(async { gamelan::vista::spawn(&cfg) });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while handle.panes()[0].state().series.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the command pane never read a value"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let live = LivePanes(Arc::new(handle));
    let d = drill_at(14);
    let t = text(&render(
        160,
        48,
        &d,
        &playing(),
        &Chrome {
            live: Some(live),
            ..Chrome::default()
        },
    ));
    assert!(t.contains("Real queue depth") && t.contains("1234"), "{t}");
    assert!(
        t.contains("▲ PAGE"),
        "the drill's own alerts stay visible:\n{t}"
    );
    drop(rt);
}
