//! The morning vista: a grid of live telemetry panes, each drawn from its source's latest
//! state, with its health (ok, stale, error and the last good data) in its own frame, and a
//! tour that walks the panes one note at a time.

use super::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::chart::{self, Scale};
use crate::ui::widgets::text::{clean, fit, number, width, wrap};
use crate::vista::{Display, Level, PaneDef, PaneState, Status, VistaHandle};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
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
}

fn now_unix() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
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
pub fn pane_areas(handle: &VistaHandle, body: Rect) -> Vec<(usize, Rect)> {
    let grid = handle.config().grid();
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

/// Draws the whole vista.
pub fn draw(buf: &mut Buffer, area: Rect, handle: &VistaHandle, view: &VistaView, theme: &Theme) {
    if !super::prepare(buf, area, (20, 6), theme) {
        return;
    }
    let cfg = handle.config();
    let header = Rect { height: 1, ..area };
    let (_, status) = super::status_split(area);
    let body = body_area(area);
    let title = format!(
        " gamelan vista · {} · {} panes",
        clean(&cfg.title),
        cfg.panes.len()
    );
    buf.set_stringn(
        header.x,
        header.y,
        &title,
        area.width as usize,
        theme.style(Meaning::Title).add_modifier(Modifier::BOLD),
    );
    let panes = handle.panes();
    if panes.is_empty() {
        buf.set_stringn(
            body.x + 1,
            body.y + 1,
            "This vista has no panes: add [[panes]] to vista.toml (see docs/vista-format.md).",
            body.width as usize,
            theme.style(Meaning::Muted),
        );
    } else if view.zoom {
        let p = view.focus.min(panes.len() - 1);
        draw_pane(buf, body, &panes[p].def, &panes[p].state(), true, theme);
    } else {
        for (i, r) in pane_areas(handle, body) {
            if r.width >= 4 && r.height >= 3 {
                draw_pane(
                    buf,
                    r,
                    &panes[i].def,
                    &panes[i].state(),
                    i == view.focus,
                    theme,
                );
            }
        }
    }
    status_line(buf, status, handle, view, theme);
    if view.touring
        && let Some(p) = panes.get(view.focus)
    {
        tour_card(buf, body, &p.def, view.focus, panes.len(), theme);
    }
    if let Some(top) = view.help {
        super::help::draw(buf, area, "vista keys", &help_lines(), top, theme);
    }
}

fn status_line(buf: &mut Buffer, r: Rect, handle: &VistaHandle, view: &VistaView, theme: &Theme) {
    let bar = theme.style(Meaning::Status);
    buf.set_style(r, bar);
    let failing = handle
        .panes()
        .iter()
        .filter(|p| p.state().status == Status::Error)
        .count();
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
    let (x, _) = buf.set_stringn(r.x, r.y, &left, r.width as usize, st);
    let right = match &view.notice {
        Some(n) => (format!(" {} ", clean(n)), theme.style(Meaning::StatusError)),
        None => (
            " t tour · tab focus · enter zoom · r refresh · ? keys · q quit ".to_string(),
            bar,
        ),
    };
    let room = (r.right() - x) as usize;
    if room > 4 {
        let text = fit(&right.0, room);
        buf.set_stringn(r.right() - width(&text) as u16, r.y, &text, room, right.1);
    }
}

fn level_style(level: Level, theme: &Theme) -> Style {
    match level {
        Level::Normal => theme.style(Meaning::Healthy),
        Level::Warning => theme.style(Meaning::Warning),
        Level::Critical => theme.style(Meaning::Critical),
    }
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

/// Draws one pane: its frame with a health badge, an error line when failing, then its data.
pub fn draw_pane(
    buf: &mut Buffer,
    r: Rect,
    def: &PaneDef,
    st: &PaneState,
    focused: bool,
    theme: &Theme,
) {
    let now = now_unix();
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
        for (n, l) in wrap(&msg, inner.width as usize)
            .iter()
            .take(2.min(inner.height as usize))
            .enumerate()
        {
            buf.set_stringn(
                inner.x,
                inner.y + n as u16,
                l,
                inner.width as usize,
                theme.style(Meaning::Critical),
            );
        }
        let used = wrap(&msg, inner.width as usize).len().min(2) as u16;
        body = Rect {
            y: inner.y + used,
            height: inner.height.saturating_sub(used),
            ..inner
        };
    } else if st.status == Status::Waiting {
        buf.set_stringn(
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
        Display::Chart => charts(buf, body, def, st, theme),
        Display::Gauge => gauges(buf, body, def, st, theme),
        Display::List => list(buf, body, def, st, theme),
        Display::Log => log(buf, body, st, theme),
        Display::Slo => slo(buf, body, st, theme),
        Display::Alerts => alerts(buf, body, st, theme),
    }
}

fn unit<'a>(def: &'a PaneDef, series_unit: &'a str) -> &'a str {
    if def.unit.is_empty() {
        series_unit
    } else {
        &def.unit
    }
}

fn charts(buf: &mut Buffer, r: Rect, def: &PaneDef, st: &PaneState, theme: &Theme) {
    let shown: Vec<_> = st.series.iter().filter(|s| !s.points.is_empty()).collect();
    if shown.is_empty() {
        buf.set_stringn(
            r.x,
            r.y,
            "no data yet",
            r.width as usize,
            theme.style(Meaning::Muted),
        );
        return;
    }
    let per = (r.height as usize / shown.len()).max(2);
    for (n, s) in shown.iter().enumerate() {
        let y = r.y + (n * per) as u16;
        if y >= r.bottom() {
            break;
        }
        let h = (per as u16).min(r.bottom() - y);
        let latest = s.latest().unwrap_or(f64::NAN);
        let label = format!(
            "{} ",
            fit(&clean(&s.label), (r.width as usize / 2).saturating_sub(1))
        );
        let (x, _) = buf.set_stringn(r.x, y, &label, r.width as usize, theme.style(Meaning::Text));
        let val = format!("{} {}", number(latest), clean(unit(def, &s.unit)));
        if x < r.right() {
            buf.set_stringn(
                x,
                y,
                &val,
                (r.right() - x) as usize,
                level_style(def.level(latest), theme).add_modifier(Modifier::BOLD),
            );
        }
        if h > 1 {
            let cr = Rect::new(r.x, y + 1, r.width, h - 1);
            let n = s.points.len().min(cr.width as usize);
            let values: Vec<f64> = s
                .points
                .iter()
                .skip(s.points.len() - n)
                .map(|(_, v)| *v)
                .collect();
            let mut include = vec![def.min.unwrap_or(0.0f64.min(latest))];
            include.extend(def.max);
            let scale = Scale::fit(values.iter().copied(), &include);
            let reference = def.warn.map(|w| (w, theme.style(Meaning::Band)));
            chart::columns(
                buf,
                cr,
                &values,
                scale,
                |v| level_style(def.level(v), theme),
                reference,
            );
        }
    }
}

fn gauges(buf: &mut Buffer, r: Rect, def: &PaneDef, st: &PaneState, theme: &Theme) {
    let label_w = (r.width as usize / 3).clamp(4, 24);
    for (n, s) in st.series.iter().enumerate().take(r.height as usize) {
        let y = r.y + n as u16;
        let v = s.latest().unwrap_or(f64::NAN);
        let (lo, hi) = (
            def.min.unwrap_or(0.0),
            def.max.unwrap_or(if v > 100.0 { v * 1.25 } else { 100.0 }),
        );
        let frac = ((v - lo) / (hi - lo).max(1e-9)).clamp(0.0, 1.0);
        let val = format!(" {} {}", number(v), clean(unit(def, &s.unit)));
        let bar_w = (r.width as usize)
            .saturating_sub(label_w + width(&val) + 3)
            .max(1);
        let full = if v.is_finite() {
            (frac * bar_w as f64).round() as usize
        } else {
            0
        };
        let st_ = level_style(def.level(v), theme);
        let mut x = r.x;
        for (t, style) in [
            (
                format!("{:<label_w$} ", fit(&clean(&s.label), label_w)),
                theme.style(Meaning::Text),
            ),
            ("▕".into(), theme.style(Meaning::Muted)),
            ("█".repeat(full), st_),
            ("░".repeat(bar_w - full), theme.style(Meaning::Band)),
            ("▏".into(), theme.style(Meaning::Muted)),
            (val, st_),
        ] {
            if x >= r.right() {
                break;
            }
            x = buf.set_stringn(x, y, &t, (r.right() - x) as usize, style).0;
        }
    }
}

fn list(buf: &mut Buffer, r: Rect, def: &PaneDef, st: &PaneState, theme: &Theme) {
    if !st.lines.is_empty() {
        return log(buf, r, st, theme);
    }
    for (n, s) in st.series.iter().enumerate().take(r.height as usize) {
        let v = s.latest().unwrap_or(f64::NAN);
        let val = format!("{} {}", number(v), clean(unit(def, &s.unit)));
        let y = r.y + n as u16;
        buf.set_stringn(
            r.x,
            y,
            fit(&clean(&s.label), r.width as usize),
            r.width as usize,
            theme.style(Meaning::Text),
        );
        let vw = width(&val) as u16;
        if vw + 2 < r.width {
            buf.set_string(r.right() - vw, y, &val, level_style(def.level(v), theme));
        }
    }
}

fn log(buf: &mut Buffer, r: Rect, st: &PaneState, theme: &Theme) {
    let w = r.width as usize;
    let mut rows: Vec<(String, Style)> = Vec::new();
    for l in st.lines.iter().rev() {
        let style = match (l.marker, l.highlight) {
            (true, _) => theme.style(Meaning::Muted),
            (_, Some(0)) => theme.style(Meaning::Critical),
            (_, Some(1)) => theme.style(Meaning::Warning),
            (_, Some(_)) => theme.style(Meaning::Accent),
            _ => theme.style(Meaning::Text),
        };
        for part in wrap(&clean(&l.text), w).into_iter().rev() {
            rows.push((part, style));
        }
        if rows.len() >= r.height as usize {
            break;
        }
    }
    let visible = rows.len().min(r.height as usize);
    for (n, (t, style)) in rows[..visible].iter().rev().enumerate() {
        buf.set_stringn(r.x, r.bottom() - visible as u16 + n as u16, t, w, *style);
    }
}

fn slo(buf: &mut Buffer, r: Rect, st: &PaneState, theme: &Theme) {
    let Some(s) = &st.slo else {
        buf.set_stringn(
            r.x,
            r.y,
            "no SLO reading yet",
            r.width as usize,
            theme.style(Meaning::Muted),
        );
        return;
    };
    let pct = |x: Option<f64>| x.map_or_else(|| "–".to_string(), |v| format!("{:.3}%", v * 100.0));
    let left = s.budget_left.unwrap_or(1.0);
    let lm = if left < 0.25 {
        Meaning::Critical
    } else if left < 0.5 {
        Meaning::Warning
    } else {
        Meaning::Healthy
    };
    let burn = s.burn_rate.unwrap_or(0.0);
    let bm = if burn >= 14.4 {
        Meaning::Critical
    } else if burn > 1.0 {
        Meaning::Warning
    } else {
        Meaning::Healthy
    };
    let bar_w = (r.width as usize).saturating_sub(18).clamp(4, 40);
    let full = (left.clamp(0.0, 1.0) * bar_w as f64).round() as usize;
    let lines: Vec<Vec<(String, Style)>> = vec![
        vec![
            ("objective ".into(), theme.style(Meaning::Muted)),
            (
                format!("{:.3}%", s.objective * 100.0),
                theme.style(Meaning::Text),
            ),
            (
                format!(" over {}", crate::vista::format_duration(s.window)),
                theme.style(Meaning::Muted),
            ),
        ],
        vec![
            ("attained  ".into(), theme.style(Meaning::Muted)),
            (
                pct(s.attainment),
                theme.style(lm).add_modifier(Modifier::BOLD),
            ),
        ],
        vec![
            ("budget    ".into(), theme.style(Meaning::Muted)),
            ("█".repeat(full), theme.style(lm)),
            ("░".repeat(bar_w - full), theme.style(Meaning::Band)),
            (format!(" {:.0}% left", left * 100.0), theme.style(lm)),
        ],
        vec![
            ("burn rate ".into(), theme.style(Meaning::Muted)),
            (
                s.burn_rate
                    .map_or_else(|| "–".into(), |b| format!("{b:.2}×")),
                theme.style(bm).add_modifier(Modifier::BOLD),
            ),
            (
                format!(" over {}", crate::vista::format_duration(s.burn_window)),
                theme.style(Meaning::Muted),
            ),
        ],
        vec![(
            format!("{} good of {} events", number(s.good), number(s.total)),
            theme.style(Meaning::Muted),
        )],
    ];
    for (n, parts) in lines.iter().enumerate().take(r.height as usize) {
        let mut x = r.x;
        for (t, style) in parts {
            if x >= r.right() {
                break;
            }
            x = buf
                .set_stringn(x, r.y + n as u16, t, (r.right() - x) as usize, *style)
                .0;
        }
    }
}

fn alerts(buf: &mut Buffer, r: Rect, st: &PaneState, theme: &Theme) {
    if st.alerts.is_empty() {
        buf.set_stringn(
            r.x,
            r.y,
            "✓ nothing firing",
            r.width as usize,
            theme.style(Meaning::Healthy),
        );
        return;
    }
    let mut y = r.y;
    for a in &st.alerts {
        if y >= r.bottom() {
            break;
        }
        let style = if !a.is_firing() {
            theme.style(Meaning::Muted)
        } else if a.severity == "critical" || a.severity == "page" {
            theme.style(Meaning::Critical)
        } else {
            theme.style(Meaning::Warning)
        };
        let head = format!(
            "{} {} {}",
            if a.is_firing() { "▲" } else { "·" },
            clean(&a.name),
            clean(&a.severity)
        );
        buf.set_stringn(
            r.x,
            y,
            fit(&head, r.width as usize),
            r.width as usize,
            style.add_modifier(Modifier::BOLD),
        );
        y += 1;
        if y < r.bottom() && !a.summary.is_empty() {
            buf.set_stringn(
                r.x + 2,
                y,
                fit(&clean(&a.summary), r.width.saturating_sub(2) as usize),
                r.width as usize,
                theme.style(Meaning::Text),
            );
            y += 1;
        }
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
        buf.set_stringn(
            inner.x + 1,
            inner.y + i as u16,
            l,
            inner.width.saturating_sub(1) as usize,
            theme.style(Meaning::Text),
        );
    }
    if inner.height > 0 {
        buf.set_stringn(
            inner.x + 1,
            inner.bottom() - 1,
            "→ next · ← back · esc ends the tour",
            inner.width as usize,
            theme.style(Meaning::Muted),
        );
    }
}
