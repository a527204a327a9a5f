//! The morning vista: a grid of live telemetry panes, each drawn from its source's latest
//! published snapshot, with its health (ok, stale, error and the last good data) in its own
//! frame, and a tour that walks the panes one note at a time. Drawing is a pure function of a
//! [`VistaSnapshot`], the view state and a `now` (unix seconds) the shell passes in: nothing
//! here waits, locks or reads a clock.

mod alert_groups;
pub mod chart;
mod kinds;
pub mod nav;
mod pane;
mod tour;
mod view;

pub use pane::{Look, draw_pane, draw_pane_with};
pub use view::{Seen, VistaView};

use super::theme::{Meaning, Theme};
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit, width};
use crate::vista::{Grid, VistaSnapshot};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// Where the panes go in a screen of size `area`: under the title line, above the status
/// line. At least 6 rows high (the vista's smallest size).
pub fn body_area(area: Rect) -> Rect {
    let (rest, _) = super::status_split(area);
    Rect {
        y: rest.y + 1,
        height: rest.height.saturating_sub(1),
        ..rest
    }
}

/// The vista's help overlay lines, from the keymap.
pub fn help_lines() -> Vec<super::help::Line> {
    let mut lines = vec![
        super::help::Line::text("gamelan vista", Meaning::Title),
        super::help::Line::blank(),
    ];
    lines.extend(super::help::lines(crate::keymap::Scope::Vista));
    lines
}

/// Rectangles of each pane from the config's grid.
pub fn pane_areas(grid: &Grid, body: Rect) -> Vec<(usize, Rect)> {
    let total: u32 = grid
        .rows
        .iter()
        .map(|r| u32::from(r.height))
        .sum::<u32>()
        .max(1);
    let mut out = Vec::new();
    let mut y = body.y;
    let mut acc = 0u32;
    for (n, row) in grid.rows.iter().enumerate() {
        acc += u32::from(row.height);
        let bottom = if n + 1 == grid.rows.len() {
            body.bottom()
        } else {
            body.y + (u32::from(body.height) * acc / total) as u16
        };
        let h = bottom.saturating_sub(y);
        for cell in &row.cells {
            let cols = u32::from(grid.columns.max(1));
            let x0 = body.x + (u32::from(body.width) * u32::from(cell.col) / cols) as u16;
            let x1 =
                body.x + (u32::from(body.width) * u32::from(cell.col + cell.span) / cols) as u16;
            out.push((cell.pane, Rect::new(x0, y, x1.saturating_sub(x0), h)));
        }
        y = bottom;
    }
    out
}

/// Draws the whole vista as `snap` holds it, ages counted to `now` (unix seconds).
pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    snap: &VistaSnapshot,
    now: f64,
    view: &VistaView,
    theme: &Theme,
) {
    if !super::prepare(buf, area, (20, 6), theme) {
        return;
    }
    let cfg = &snap.config;
    let header = Rect { height: 1, ..area };
    let (_, status) = super::status_split(area);
    let body = body_area(area);
    let title = format!(
        " gamelan vista · {} · {} panes",
        clean(&cfg.title),
        cfg.panes.len()
    );
    paint::stringn(
        buf,
        header.x,
        header.y,
        &title,
        area.width as usize,
        theme.style(Meaning::Title).add_modifier(Modifier::BOLD),
    );
    let panes = &snap.panes;
    if panes.is_empty() {
        paint::stringn(
            buf,
            body.x + 1,
            body.y + 1,
            "This vista has no panes: add [[panes]] to vista.toml (see docs/vista-format.md).",
            body.width as usize,
            theme.style(Meaning::Muted),
        );
    } else {
        let look = Look {
            nav: &view.nav,
            hidden: &view.hidden,
            marks: &snap.marks,
            backfill: &view.backfill,
            utc_offset: view.utc_offset,
        };
        if view.zoom {
            let p = view.focus.min(panes.len() - 1);
            draw_pane_with(buf, body, &panes[p], now, true, theme, &look);
        } else {
            for (i, r) in pane_areas(&snap.grid, body) {
                if r.width >= 4
                    && r.height >= 3
                    && let Some(p) = panes.get(i)
                {
                    draw_pane_with(buf, r, p, now, i == view.focus, theme, &look);
                }
            }
        }
    }
    status_line(buf, status, snap, view, theme);
    if view.touring
        && let Some(p) = panes.get(view.focus)
    {
        tour::tour_card(buf, body, &p.def, view.focus, panes.len(), theme);
    }
    if let Some(top) = view.help {
        super::help::draw(buf, area, "vista keys", &help_lines(), top, theme);
    }
}

fn status_line(buf: &mut Buffer, r: Rect, snap: &VistaSnapshot, view: &VistaView, theme: &Theme) {
    let bar = theme.style(Meaning::Status);
    buf.set_style(r, bar);
    let failing = snap.failing();
    let left = if failing > 0 {
        format!(" {failing} pane(s) failing ")
    } else {
        " all sources ok ".to_string()
    };
    let st = if failing > 0 {
        theme.style(Meaning::StatusError)
    } else {
        theme.style(Meaning::Healthy)
    };
    let (x, _) = paint::stringn(buf, r.x, r.y, &left, r.width as usize, st);
    let when = if view.nav.is_live() {
        match view.nav.span {
            Some(s) => format!("live · {} ", crate::vista::format_duration(secs(s))),
            None => String::new(),
        }
    } else {
        let (t0, t1) = view.nav.window(view.span(), view.seen.now);
        let step = if t1 - t0 < 120.0 { 1.0 } else { 60.0 };
        format!(
            "⏸ {}–{} · l live ",
            crate::ui::widgets::plot::time_label(t0, step, view.utc_offset),
            crate::ui::widgets::plot::time_label(t1, step, view.utc_offset)
        )
    };
    let (x, _) = paint::stringn(
        buf,
        x,
        r.y,
        &when,
        r.right().saturating_sub(x) as usize,
        theme.style(Meaning::Accent),
    );
    let marks_error = snap.marks.iter().find_map(|m| m.error.as_ref());
    let right = match (&view.search, view.notice.as_ref().or(marks_error)) {
        (Some(q), _) => (format!(" /{}▏ enter jumps · esc ", clean(q)), bar),
        (None, Some(n)) => (format!(" {} ", clean(n)), theme.style(Meaning::StatusError)),
        (None, None) => (
            " t tour · tab focus · enter zoom · +/- [ ] time · , . cursor · / find · ? keys · q quit "
                .to_string(),
            bar,
        ),
    };
    let room = (r.right() - x) as usize;
    if room > 4 {
        let text = fit(&right.0, room);
        paint::stringn(
            buf,
            r.right() - width(&text) as u16,
            r.y,
            &text,
            room,
            right.1,
        );
    }
}

fn secs(s: f64) -> std::time::Duration {
    std::time::Duration::from_secs_f64(if s.is_finite() {
        s.clamp(0.0, 1e9)
    } else {
        0.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vista::state::{Reading, Value};
    use crate::vista::{PaneState, VistaConfig, VistaSnapshot};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    const CONFIG: &str = r#"[vista]
title = "snapshot test"
columns = 3

[[panes]]
id = "cpu"
title = "CPU"
unit = "%"
min = 0
max = 100
warn = 80
crit = 95
source = { type = "command", command = "x" }

[[panes]]
id = "broken"
title = "Broken"
source = { type = "command", command = "x" }

[[panes]]
id = "new"
title = "New"
source = { type = "command", command = "x" }
"#;

    fn snapshot() -> VistaSnapshot {
        let cfg = VistaConfig::parse(CONFIG, "t.toml").unwrap();
        let mut cpu = PaneState::new(cfg.history, 1);
        for (t, v) in [(90.0, 40.0), (95.0, 60.0), (100.0, 97.5)] {
            cpu.apply(
                Reading::Values {
                    at: t,
                    values: vec![Value {
                        id: "cpu".into(),
                        label: "cpu busy".into(),
                        unit: "%".into(),
                        value: v,
                    }],
                },
                t,
            );
        }
        let mut broken = PaneState::new(cfg.history, 1);
        broken.fail("connection refused".into(), 130.0);
        broken.next_poll = Some(150.0);
        VistaSnapshot::new(&cfg, vec![cpu, broken])
    }

    fn render(snap: &VistaSnapshot, now: f64, w: u16, h: u16) -> Buffer {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| {
            let area = f.area();
            draw(
                f.buffer_mut(),
                area,
                snap,
                now,
                &VistaView::default(),
                &Theme::default(),
            );
        })
        .unwrap();
        t.backend().buffer().clone()
    }

    fn text(buf: &Buffer) -> String {
        crate::ui::testing::rows(buf)
    }

    fn find(buf: &Buffer, needle: &str) -> (u16, u16) {
        let t = text(buf);
        for (y, line) in t.lines().enumerate() {
            if let Some(i) = line.find(needle) {
                return (line[..i].chars().count() as u16, y as u16);
            }
        }
        panic!("`{needle}` not on screen:\n{t}");
    }

    #[test]
    fn draws_each_pane_from_the_snapshot_at_the_given_now() {
        let snap = snapshot();
        let buf = render(&snap, 142.0, 120, 30);
        let t = text(&buf);
        assert!(t.contains("gamelan vista · snapshot test · 3 panes"), "{t}");
        assert!(t.contains("CPU · 42s"), "the data's age at `now`:\n{t}");
        assert!(t.contains("97.5 %"), "{t}");
        assert!(t.contains("▲ connection refused · retry in 8s"), "{t}");
        assert!(t.contains("Broken · error"), "{t}");
        assert!(t.contains("waiting for the first reading…"), "{t}");
        assert!(t.contains("1 pane(s) failing"), "{t}");
        let theme = Theme::default();
        let (x, y) = find(&buf, "97.5 %");
        assert_eq!(
            buf[(x, y)].fg,
            theme.style(Meaning::Critical).fg.unwrap(),
            "past `crit` is drawn as critical"
        );
        // Another `now` changes the ages and nothing else: the frame depends only on its inputs.
        let later = text(&render(&snap, 202.0, 120, 30));
        assert!(
            later.contains("CPU · 2m") && later.contains("retry in 0s"),
            "{later}"
        );
        assert_eq!(
            text(&render(&snap, 142.0, 120, 30)),
            t,
            "same inputs, same frame"
        );
    }

    #[test]
    fn zoom_tour_and_any_size_from_a_snapshot() {
        let snap = snapshot();
        let view = VistaView {
            focus: 1,
            zoom: true,
            touring: true,
            ..VistaView::default()
        };
        let area = Rect::new(0, 0, 100, 30);
        let mut buf = Buffer::empty(area);
        draw(&mut buf, area, &snap, 142.0, &view, &Theme::default());
        let t = text(&buf);
        assert!(t.contains("tour 2/3 · Broken"), "{t}");
        assert!(!t.contains("CPU ·"), "only the zoomed pane:\n{t}");
        for (w, h) in [(1, 1), (5, 3), (20, 6), (80, 24), (500, 200)] {
            let area = Rect::new(0, 0, w, h);
            let mut buf = Buffer::empty(area);
            draw(&mut buf, area, &snap, 142.0, &view, &Theme::default());
        }
        let empty = VistaSnapshot::new(
            &VistaConfig {
                panes: Vec::new(),
                ..snap.config.as_ref().clone()
            },
            Vec::new(),
        );
        let mut buf = Buffer::empty(area);
        draw(&mut buf, area, &empty, 0.0, &view, &Theme::default());
        assert!(text(&buf).contains("This vista has no panes"));
    }
}
