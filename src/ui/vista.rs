//! The morning vista: a grid of live telemetry panes, each drawn from its source's latest
//! published snapshot, with its health (ok, stale, error and the last good data) in its own
//! frame, and a tour that walks the panes one note at a time. Drawing is a pure function of a
//! [`VistaSnapshot`], the view state and a `now` (unix seconds) the shell passes in: nothing
//! here waits, locks or reads a clock.

mod alert_groups;
pub mod chart;
mod kinds;
pub mod nav;

use super::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit, width, wrap};
use crate::vista::annotation::{self, MarkSet};
use crate::vista::backfill::Backfill;
use crate::vista::{Display, Grid, PaneDef, PaneSnapshot, Status, VistaSnapshot};
use kinds::{alerts, gauges, list, log, slo};
use nav::{TimeNav, natural_span};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::widgets::{Clear, Widget};

/// One viewer's state: focus, zoom, tour, and what the status line says.
#[derive(Debug, Clone, Default)]
pub struct VistaView {
    pub focus: usize,
    pub zoom: bool,
    /// The help overlay is open, scrolled to this line.
    pub help: Option<usize>,
    /// The tour is on: the focused pane's note is shown.
    pub touring: bool,
    /// A reload problem (`file:line:col: message`), kept until a good reload.
    pub notice: Option<String>,
    /// The time window, the cursor.
    pub nav: TimeNav,
    /// `(pane id, series id)` of the series switched off.
    pub hidden: Vec<(String, String)>,
    /// The search being typed after `/`.
    pub search: Option<String>,
    /// The last search, for `n` and `N`.
    pub query: String,
    /// History fetched beyond the panes' rings (Prometheus panes panned into the past).
    pub backfill: Vec<Backfill>,
    /// The local time's offset from UTC in seconds (the shell sets it; 0 shows UTC).
    pub utc_offset: i64,
    /// What [`VistaView::sync`] copied from the last snapshot, for inputs.
    pub seen: Seen,
}

/// What the view knows of the vista between frames (set by [`VistaView::sync`]).
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// The clock at the last frame, unix seconds.
    pub now: f64,
    pub titles: Vec<String>,
    /// Each pane's own span (see [`nav::natural_span`]).
    pub spans: Vec<f64>,
    /// The focused pane's id and series ids.
    pub focus_id: String,
    pub focus_series: Vec<String>,
}

impl VistaView {
    /// Takes what inputs need from the snapshot about to be drawn at `now`.
    pub fn sync(&mut self, snap: &VistaSnapshot, now: f64) {
        self.seen.now = now;
        if self.seen.titles.len() != snap.panes.len()
            || self
                .seen
                .titles
                .iter()
                .zip(&snap.panes)
                .any(|(t, p)| *t != p.def.title)
        {
            self.seen.titles = snap.panes.iter().map(|p| p.def.title.clone()).collect();
        }
        self.seen.spans.clear();
        self.seen
            .spans
            .extend(snap.panes.iter().map(|p| natural_span(&p.def, &p.state)));
        if let Some(p) = snap
            .panes
            .get(self.focus.min(snap.panes.len().saturating_sub(1)))
        {
            if self.seen.focus_id != p.def.id {
                self.seen.focus_id.clone_from(&p.def.id);
            }
            if self.seen.focus_series.len() != p.state.series.len()
                || self
                    .seen
                    .focus_series
                    .iter()
                    .zip(&p.state.series)
                    .any(|(a, b)| *a != b.id)
            {
                self.seen.focus_series = p.state.series.iter().map(|s| s.id.clone()).collect();
            }
        }
    }

    /// The span in force for the focused pane.
    pub fn span(&self) -> f64 {
        let own = self.seen.spans.get(self.focus).copied().unwrap_or(600.0);
        self.nav.span.unwrap_or(own.max(1.0))
    }

    /// The windows older than a Prometheus pane's ring that the screen shows and no backfill
    /// covers yet: `(pane index, start, end)` for the shell to fetch.
    pub fn wanted_history(&self, snap: &VistaSnapshot, now: f64) -> Vec<(usize, f64, f64)> {
        if self.nav.is_live() && self.nav.span.is_none() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, p) in snap.panes.iter().enumerate() {
            if p.def.kind != Display::Chart || !crate::vista::backfill::can_backfill(&p.def) {
                continue;
            }
            let (t0, t1) = self.nav.window(natural_span(&p.def, &p.state), now);
            let held = p
                .state
                .series
                .iter()
                .filter_map(|s| s.points.first().map(|p| p.0))
                .fold(f64::INFINITY, f64::min);
            let covered = self
                .backfill
                .iter()
                .any(|b| b.pane == p.def.id && b.covers(t0, t1.min(held)));
            if t0 < held - p.def.refresh.as_secs_f64() * 2.0 && !covered {
                out.push((i, t0, t1));
            }
        }
        out
    }

    /// Keeps a fetched history (one a pane: the newest replaces the older).
    pub fn take_history(&mut self, b: Backfill) {
        self.backfill.retain(|o| o.pane != b.pane);
        if let Some(e) = &b.error {
            self.notice = Some(e.clone());
        }
        self.backfill.push(b);
    }
}

/// What every chart shares besides its pane: the view's window and the markers.
pub struct Look<'a> {
    pub nav: &'a TimeNav,
    pub hidden: &'a [(String, String)],
    pub marks: &'a [MarkSet],
    pub backfill: &'a [Backfill],
    pub utc_offset: i64,
}

impl Look<'_> {
    const LIVE: TimeNav = TimeNav {
        span: None,
        end: None,
        cursor: None,
    };

    /// Live, nothing hidden, no markers: how a drill's live pane draws.
    pub fn plain() -> Look<'static> {
        Look {
            nav: &Self::LIVE,
            hidden: &[],
            marks: &[],
            backfill: &[],
            utc_offset: 0,
        }
    }
}

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
        tour_card(buf, body, &p.def, view.focus, panes.len(), theme);
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

fn age(secs: f64) -> String {
    if secs < 90.0 {
        format!("{secs:.0}s")
    } else if secs < 5400.0 {
        format!("{:.0}m", secs / 60.0)
    } else {
        format!("{:.0}h", secs / 3600.0)
    }
}

/// Draws one pane: its frame with a health badge (the age of its data at `now`), an error line
/// when failing, then its data (a chart live, with nothing hidden and no markers).
pub fn draw_pane(
    buf: &mut Buffer,
    r: Rect,
    pane: &PaneSnapshot,
    now: f64,
    focused: bool,
    theme: &Theme,
) {
    draw_pane_with(buf, r, pane, now, focused, theme, &Look::plain());
}

/// [`draw_pane`] with the view's window, cursor, hidden series and markers.
pub fn draw_pane_with(
    buf: &mut Buffer,
    r: Rect,
    pane: &PaneSnapshot,
    now: f64,
    focused: bool,
    theme: &Theme,
    look: &Look<'_>,
) {
    let (def, st) = (&*pane.def, &pane.state);
    let badge = match st.status {
        Status::Waiting => "…".to_string(),
        Status::Ok => st
            .last_success
            .map_or_else(String::new, |t| age((now - t).max(0.0))),
        Status::Stale => "stale".into(),
        Status::Error => "error".into(),
    };
    let inner = block(
        buf,
        r,
        format!("{} · {badge}", clean(&def.title)),
        focused,
        theme,
    );
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let mut body = inner;
    if st.status == Status::Error
        && let Some(e) = &st.last_error
    {
        let retry = st.next_poll.map_or_else(String::new, |t| {
            format!(" · retry in {}", age((t - now).max(0.0)))
        });
        let msg = format!("▲ {}{retry}", clean(&e.message));
        // With no data to show, the whole pane may say what is wrong and what to fix.
        let most = if st.has_data() {
            2
        } else {
            inner.height as usize
        };
        for (n, l) in wrap(&msg, inner.width as usize)
            .iter()
            .take(most.min(inner.height as usize))
            .enumerate()
        {
            paint::stringn(
                buf,
                inner.x,
                inner.y + n as u16,
                l,
                inner.width as usize,
                theme.style(Meaning::Critical),
            );
        }
        let used = wrap(&msg, inner.width as usize).len().min(most) as u16;
        body = Rect {
            y: inner.y + used,
            height: inner.height.saturating_sub(used),
            ..inner
        };
    } else if st.status == Status::Waiting {
        paint::stringn(
            buf,
            inner.x,
            inner.y,
            "waiting for the first reading…",
            inner.width as usize,
            theme.style(Meaning::Muted),
        );
        return;
    }
    if body.height == 0 {
        return;
    }
    match def.kind {
        Display::Chart => {
            let (t0, t1) = look.nav.window(natural_span(def, st), now);
            let hidden: Vec<String> = look
                .hidden
                .iter()
                .filter(|(p, _)| *p == def.id)
                .map(|(_, s)| s.clone())
                .collect();
            let marks = annotation::in_window(look.marks, t0, t1);
            let cx = chart::ChartCtx {
                t0,
                t1,
                cursor: look.nav.cursor_at((t0, t1)),
                hidden: &hidden,
                marks: &marks,
                backfill: look.backfill.iter().find(|b| b.pane == def.id),
                offset: look.utc_offset,
            };
            chart::draw(buf, body, def, st, &cx, theme);
        }
        Display::Gauge => gauges(buf, body, def, st, theme),
        Display::List => list(buf, body, def, st, theme),
        Display::Log => log(buf, body, st, theme),
        Display::Slo => slo(buf, body, st, theme),
        Display::Alerts => match &st.alert_groups {
            Some(g) => alert_groups::draw(buf, body, g, now, theme),
            None => alerts(buf, body, st, theme),
        },
    }
}

fn tour_card(buf: &mut Buffer, body: Rect, def: &PaneDef, n: usize, total: usize, theme: &Theme) {
    let w = body.width.saturating_sub(4).clamp(20, 72);
    let note = if def.note.trim().is_empty() {
        "(no note for this pane yet: add `note = \"…\"` in vista.toml)"
    } else {
        def.note.trim()
    };
    let lines = wrap(
        &crate::ui::widgets::reflow(note),
        w.saturating_sub(4) as usize,
    );
    let h = lines.len() as u16 + 4;
    let r = Rect {
        x: body.x + (body.width.saturating_sub(w)) / 2,
        y: body.bottom().saturating_sub(h + 1),
        width: w.min(body.width),
        height: h.min(body.height),
    };
    Clear.render(r, buf);
    buf.set_style(r, theme.style(Meaning::Text));
    let inner = block(
        buf,
        r,
        format!("tour {}/{} · {}", n + 1, total, clean(&def.title)),
        true,
        theme,
    );
    for (i, l) in lines
        .iter()
        .enumerate()
        .take(inner.height.saturating_sub(1) as usize)
    {
        paint::stringn(
            buf,
            inner.x + 1,
            inner.y + i as u16,
            l,
            inner.width.saturating_sub(1) as usize,
            theme.style(Meaning::Text),
        );
    }
    if inner.height > 0 {
        paint::stringn(
            buf,
            inner.x + 1,
            inner.bottom() - 1,
            "→ next · ← back · esc ends the tour",
            inner.width as usize,
            theme.style(Meaning::Muted),
        );
    }
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
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
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
