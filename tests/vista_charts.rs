//! Charts as a user sees them: axes, several series, thresholds, the cursor and markers, at
//! 80x24 and 160x48, in the dark, high-contrast and mono themes; and the keys that move time.

mod common;

use common::screen::{self, find, press_vista as press, rows as text};
use gamelan::input::{Input, Key, KeyCode, Mouse, MouseKind};
use gamelan::ui::theme::{Meaning, Theme};
use gamelan::ui::vista::VistaView;
use gamelan::ui::vista_input::hit_areas;
use gamelan::vista::annotation::{Mark, MarkSet};
use gamelan::vista::state::{Reading, Value};
use gamelan::vista::{PaneState, VistaConfig, VistaSnapshot};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::sync::Arc;

const CONFIG: &str = r#"[vista]
title = "charts"
columns = 2
history = 600

[[panes]]
id = "cpu"
title = "CPU by mode"
unit = "%"
min = 0
max = 100
warn = 70
crit = 90
span = 2
source = { type = "command", command = "x" }

[[panes]]
id = "net"
title = "Network"
unit = "B/s"
source = { type = "command", command = "x" }

[[panes]]
id = "load"
title = "Load"
source = { type = "command", command = "x" }
"#;

/// 14:00:00 UTC on some day.
const T0: f64 = 1_764_597_600.0;

fn value(id: &str, v: f64) -> Value {
    Value {
        id: id.into(),
        label: id.into(),
        unit: String::new(),
        value: v,
    }
}

fn snapshot() -> VistaSnapshot {
    let cfg = VistaConfig::parse(CONFIG, "t.toml").unwrap();
    let mut panes = Vec::new();
    for pane in 0..3 {
        let mut st = PaneState::new(cfg.history, 1);
        for i in 0..600 {
            let t = T0 + f64::from(i);
            let x = f64::from(i) / 40.0;
            let values = match pane {
                0 => vec![
                    value("user", 30.0 + 25.0 * x.sin()),
                    value("system", 10.0 + 5.0 * (x * 0.7).cos()),
                    value("iowait", if i > 450 { 95.0 } else { 2.0 }),
                ],
                1 => vec![
                    value("rx", 2.0e6 + 1.0e6 * x.cos()),
                    value("tx", 5.0e5 + 2.0e5 * x.sin()),
                ],
                _ => vec![value("1m", 1.0 + f64::from(i) / 300.0)],
            };
            st.apply(Reading::Values { at: t, values }, t);
        }
        panes.push(st);
    }
    let mut snap = VistaSnapshot::new(&cfg, panes);
    let mut deploys = MarkSet {
        id: "deploys".into(),
        ..MarkSet::default()
    };
    deploys.set(vec![Mark {
        at: T0 + 420.0,
        text: "deploy api v1.2 (rollout 42)".into(),
    }]);
    snap.marks = Arc::new(vec![deploys]);
    snap
}

/// The fixture drawn as at 14:10, the end of its ten minutes.
fn render(snap: &VistaSnapshot, view: &mut VistaView, w: u16, h: u16, theme: &Theme) -> Buffer {
    screen::vista(snap, view, T0 + 600.0, (w, h), theme)
}

#[test]
fn charts_have_axes_legends_thresholds_and_markers() {
    let snap = snapshot();
    let dark = Theme::bundled("dark").unwrap();
    for (w, h) in [(80, 24), (160, 48)] {
        let buf = render(&snap, &mut VistaView::default(), w, h, &dark);
        let t = text(&buf);
        insta::assert_snapshot!(format!("charts_{w}x{h}"), t);
        assert!(
            t.contains("14:0"),
            "a time axis in local (here UTC) time:\n{t}"
        );
        assert!(
            t.contains("100%┤") && t.contains(" 0%┤"),
            "y ticks with units:\n{t}"
        );
        assert!(
            t.contains("Mi┤") && t.contains("B/s "),
            "bytes get binary prefixes, the unit under the axis:\n{t}"
        );
        assert!(
            t.contains("1━ user") && t.contains("3━ iowait"),
            "a legend:\n{t}"
        );
        assert!(t.contains('▼'), "the marker is drawn:\n{t}");
        assert!(t.contains('╌'), "thresholds are drawn:\n{t}");
        // Each series in its own palette colour.
        let (x, y) = find(&buf, "1━").unwrap();
        let (x2, y2) = find(&buf, "2━").unwrap();
        assert_eq!(buf[(x + 1, y)].fg, dark.series(0).fg.unwrap());
        assert_eq!(buf[(x2 + 1, y2)].fg, dark.series(1).fg.unwrap());
        assert_ne!(dark.series(0).fg, dark.series(1).fg);
        // The iowait value is past `crit`, so its legend value is critical.
        let (vx, vy) = find(&buf, "95.0 %").unwrap();
        assert_eq!(buf[(vx, vy)].fg, dark.style(Meaning::Critical).fg.unwrap());
    }
}

#[test]
fn the_cursor_shows_each_series_value_and_the_markers_text() {
    let snap = snapshot();
    let dark = Theme::default();
    let area = Rect::new(0, 0, 160, 48);
    let mut view = VistaView::default();
    view.sync(&snap, T0 + 600.0);
    // The cursor lands on the newest point, then walks back to the marker at 14:07.
    press(&mut view, &snap, ",", area);
    let buf = render(&snap, &mut view, 160, 48, &dark);
    assert!(text(&buf).contains("@14:10:00"), "{}", text(&buf));
    let at = |v: &VistaView| v.nav.cursor_at(v.nav.window(v.span(), T0 + 600.0)).unwrap();
    let mut steps = 0;
    while at(&view) > T0 + 420.0 {
        press(&mut view, &snap, ",", area);
        steps += 1;
    }
    assert_eq!(steps, 45, "one key, one column: 600 s over 151 columns");
    let buf = render(&snap, &mut view, 160, 48, &dark);
    let t = text(&buf);
    insta::assert_snapshot!("cursor_on_marker_160x48", t);
    assert!(t.contains("▼ 14:07:00 deploy api v1.2"), "{t}");
    assert!(t.contains("@14:0"), "{t}");
    // At the cursor, iowait was low (the spike came later).
    assert!(t.contains("2.00 %"), "{t}");
    press(&mut view, &snap, "c", area);
    assert_eq!(view.nav.cursor, None);
}

#[test]
fn a_click_places_the_cursor_and_the_wheel_zooms() {
    let snap = snapshot();
    let area = Rect::new(0, 0, 80, 24);
    let mut view = VistaView::default();
    view.sync(&snap, T0 + 600.0);
    let areas = hit_areas(&snap, &view, area);
    let (_, r) = areas[0];
    // The middle of the first pane's plot.
    let x = (r.x + 1 + 7 + r.right() - 1) / 2;
    let click = Mouse::new(MouseKind::Down(gamelan::input::Button::Left), x, r.y + 4);
    view.on_input(&Input::Mouse(click), 3, &areas, area);
    let (t0, t1) = view.nav.window(view.span(), T0 + 600.0);
    let at = view.nav.cursor_at((t0, t1)).unwrap();
    assert!((at - (t0 + t1) / 2.0).abs() < 15.0, "{at} in {t0}..{t1}");
    let wheel = Mouse::new(MouseKind::ScrollUp, x, r.y + 4);
    view.on_input(&Input::Mouse(wheel), 3, &areas, area);
    assert_eq!(view.nav.span, Some(300.0), "the wheel zooms in");
}

#[test]
fn time_keys_zoom_pan_and_come_back_live() {
    let snap = snapshot();
    let area = Rect::new(0, 0, 80, 24);
    let mut view = VistaView::default();
    view.sync(&snap, T0 + 600.0);
    press(&mut view, &snap, "+", area);
    assert_eq!(view.nav.span, Some(300.0));
    press(&mut view, &snap, "[[", area);
    assert_eq!(view.nav.end, Some(T0 + 450.0));
    let buf = render(&snap, &mut view, 80, 24, &Theme::default());
    let t = text(&buf);
    assert!(t.contains("⏸ 14:02–14:07 · l live"), "{t}");
    press(&mut view, &snap, "]]]", area);
    assert!(view.nav.is_live(), "forward past now is live");
    press(&mut view, &snap, "[l", area);
    assert!(view.nav.is_live());
    press(&mut view, &snap, "--", area);
    assert_eq!(view.nav.span, Some(900.0));
}

#[test]
fn series_toggle_and_search_by_title() {
    let snap = snapshot();
    let area = Rect::new(0, 0, 80, 24);
    let mut view = VistaView::default();
    view.sync(&snap, T0 + 600.0);
    press(&mut view, &snap, "3", area);
    assert_eq!(view.hidden, vec![("cpu".to_string(), "iowait".to_string())]);
    let t = text(&render(&snap, &mut view, 160, 48, &Theme::default()));
    assert!(t.contains("iowait off"), "{t}");
    press(&mut view, &snap, "30", area);
    assert!(view.hidden.is_empty());
    press(&mut view, &snap, "/LoA", area);
    assert_eq!(view.search.as_deref(), Some("LoA"));
    let t = text(&render(&snap, &mut view, 80, 24, &Theme::default()));
    assert!(t.contains("/LoA"), "{t}");
    view.on_input(&Input::Key(Key::plain(KeyCode::Enter)), 3, &[], area);
    assert_eq!(view.focus, 2);
    press(&mut view, &snap, "/n", area);
    view.on_input(&Input::Key(Key::plain(KeyCode::Enter)), 3, &[], area);
    assert_eq!(view.focus, 1, "`n` typed in a search is text: Network");
    view.query = "o".into();
    press(&mut view, &snap, "n", area);
    assert_eq!(view.focus, 2, "n: the next title with an o (Load)");
    press(&mut view, &snap, "N", area);
    assert_eq!(view.focus, 1);
    press(&mut view, &snap, "/zzz", area);
    view.on_input(&Input::Key(Key::plain(KeyCode::Enter)), 3, &[], area);
    assert!(view.notice.as_deref().unwrap().contains("zzz"));
}

#[test]
fn mono_tells_series_apart_by_glyph_and_high_contrast_by_colour() {
    let snap = snapshot();
    let mono = Theme::bundled("mono").unwrap();
    assert!(!mono.series_by_colour(3));
    let buf = render(&snap, &mut VistaView::default(), 80, 24, &mono);
    let t = text(&buf);
    insta::assert_snapshot!("charts_mono_80x24", t);
    assert!(
        t.contains("1• user") && t.contains("2+ system") && t.contains("3× iowait"),
        "{t}"
    );
    assert!(
        !t.contains('⣿') && t.contains('×'),
        "glyphs, not braille:\n{t}"
    );
    assert!(!Theme::default().without_colour().series_by_colour(2));
    let hc = Theme::bundled("high-contrast").unwrap();
    assert!(hc.series_by_colour(6), "six distinct colours");
    let buf = render(&snap, &mut VistaView::default(), 80, 24, &hc);
    insta::assert_snapshot!("charts_high_contrast_80x24", text(&buf));
    let (x, y) = find(&buf, "2━").unwrap();
    assert_eq!(buf[(x + 1, y)].fg, hc.series(1).fg.unwrap());
    for theme in gamelan::ui::theme::bundled_names() {
        let t = Theme::bundled(theme).unwrap();
        assert!(
            t.series_by_colour(6) || *theme == "mono",
            "{theme}: a palette of six colours"
        );
    }
}

#[test]
fn any_size_and_odd_data_never_panic() {
    let snap = snapshot();
    let mut view = VistaView::default();
    view.nav.cursor = Some(1e12);
    view.nav.span = Some(15.0);
    view.nav.end = Some(0.0);
    for (w, h) in [(1, 1), (20, 6), (24, 7), (33, 9), (80, 24), (500, 200)] {
        render(&snap, &mut view, w, h, &Theme::default());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_and_file_annotations_reach_the_snapshot_and_bad_lines_are_positioned() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("changes.jsonl");
    std::fs::write(
        &jsonl,
        "{\"time\": 1764597720, \"text\": \"flag checkout on\"}\nnot json\n",
    )
    .unwrap();
    let src = format!(
        "[[panes]]\nid = \"a\"\nsource = {{ type = \"command\", command = \"echo v=1\" }}\n\n\
         [[annotations]]\nid = \"deploys\"\ncommand = \"echo '1764597600 deploy api v1.2'; echo later\"\n\n\
         [[annotations]]\nid = \"changes\"\nfile = \"{}\"\nrefresh = \"1s\"\n",
        jsonl.display()
    );
    let cfg = VistaConfig::parse(&src, "v.toml").unwrap();
    let h = gamelan::vista::spawn(&cfg);
    let mut rx = h.subscribe();
    let ready =
        |s: &VistaSnapshot| s.marks.len() == 2 && s.marks.iter().all(|m| !m.marks.is_empty());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut snap = rx.borrow_and_update().clone();
    while !ready(&snap) {
        assert!(std::time::Instant::now() < deadline, "{:?}", snap.marks);
        let _ = tokio::time::timeout(std::time::Duration::from_millis(200), rx.changed()).await;
        snap = rx.borrow_and_update().clone();
    }
    assert_eq!(snap.marks[0].marks[0].text, "deploy api v1.2");
    assert_eq!(
        snap.marks[0].error.as_deref(),
        Some("deploys: line 2: `later` is not a time (unix seconds or RFC 3339, then the text)")
    );
    assert_eq!(snap.marks[1].marks[0].at, 1_764_597_720.0);
    let err = snap.marks[1].error.clone().unwrap();
    assert!(
        err.starts_with(&format!("{}:2:2: expected", jsonl.display())),
        "{err}"
    );
    // The file is watched: an appended line appears without a restart.
    std::fs::write(
        &jsonl,
        "{\"time\": 1764597720, \"text\": \"flag checkout on\"}\n{\"time\": \"2025-12-01T14:05:00Z\", \"text\": \"config push\"}\n",
    )
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let snap = rx.borrow_and_update().clone();
        if snap.marks[1].marks.len() == 2 {
            assert_eq!(snap.marks[1].error, None);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{:?}", snap.marks);
        let _ = tokio::time::timeout(std::time::Duration::from_millis(200), rx.changed()).await;
    }
    // The status line shows a source's problem.
    let snap = rx.borrow_and_update().clone();
    let mut view = VistaView::default();
    let buf = render(&snap, &mut view, 160, 24, &Theme::default());
    assert!(text(&buf).contains("deploys: line 2"), "{}", text(&buf));
}
