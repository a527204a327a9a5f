//! The walkthrough on a seat: the presenter's vista drawn live from the room's snapshot with
//! the vista's own pane widgets, following the presenter's focus, zoom, tour and range (or
//! this seat's own focus and zoom while it looks around), and the remarks and questions on
//! the pane in focus beside it, for everyone. Without a snapshot it says what is missing.

use super::header::secs;
use super::list::{self, Row, wrapped};
use super::{SessionScreen, SessionSeat};
use crate::keymap::{self, Act, Scope};
use crate::session::setlist::VistaSource;
use crate::session::walkthrough::{Lens, View, Walkthrough};
use crate::session::{SegmentKind, Session, clock, format_duration};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::vista::nav::TimeNav;
use crate::ui::vista::{Look, draw_pane_with, pane_areas};
use crate::ui::widgets::block;
use crate::ui::widgets::text::{clean, fit, width, wrap};
use crate::vista::VistaSnapshot;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::widgets::{Clear, Widget};

/// The parts of a walkthrough's body: the lens line, the vista, the remarks column.
struct Parts {
    lens: Rect,
    vista: Rect,
    remarks: Option<Rect>,
}

fn parts(body: Rect) -> Parts {
    let (lens, rest) = super::layout::top(body, 1);
    let w = (rest.width / 3).clamp(24, 44);
    let (vista, remarks) = if rest.width >= 64 {
        super::layout::side(rest, w, 30)
    } else if rest.height >= 14 {
        let (v, r) = super::layout::top(rest, rest.height - 6);
        (v, Some(r))
    } else {
        (rest, None)
    };
    Parts {
        lens,
        vista,
        remarks,
    }
}

fn walkthrough(s: &Session, i: usize) -> Option<&Walkthrough> {
    match &s.segments.get(i)?.activity {
        crate::session::state::Activity::Walkthrough(w) => Some(w),
        _ => None,
    }
}

/// The rows of the remarks column (inside its frame) at width `w`.
fn remark_rows(s: &Session, w: &Walkthrough, view: &View, width: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    let on: Vec<_> = w.remarks_on(view.focus).collect();
    if on.is_empty() {
        rows.extend(wrapped(
            "No remarks on this pane yet: r remarks, a asks a question.",
            width,
            0,
            Meaning::Muted,
        ));
    }
    for r in on {
        let who = clean(s.seat_name(r.seat));
        let mark = if r.question { "? " } else { "" };
        let text = format!("{} {who}: {mark}{}", clock(secs(s, r.beat)), clean(&r.text));
        let meaning = if r.question {
            Meaning::Accent
        } else {
            Meaning::Text
        };
        rows.extend(wrapped(&text, width, 2, meaning));
    }
    let elsewhere: Vec<String> = w
        .vista
        .iter()
        .flat_map(|v| v.panes.iter().enumerate())
        .filter(|(p, _)| *p != view.focus)
        .filter_map(|(p, pane)| {
            let n = w.remarks_on(p).count();
            (n > 0).then(|| format!("{n} on {}", clean(&pane.title)))
        })
        .collect();
    if !elsewhere.is_empty() {
        rows.push(Row::blank());
        rows.extend(wrapped(
            &format!("elsewhere: {}", elsewhere.join(" · ")),
            width,
            2,
            Meaning::Muted,
        ));
    }
    rows
}

/// The remarks column's inside and rows, for drawing and for scrolling.
pub(super) fn scroll_rows(v: &SessionSeat, s: &Session, i: usize, body: Rect) -> (Rect, Vec<Row>) {
    let Some(w) = walkthrough(s, i) else {
        return (Rect::default(), Vec::new());
    };
    let Some(r) = parts(body).remarks else {
        return (Rect::default(), Vec::new());
    };
    let inner = Rect::new(
        r.x + 1,
        r.y + 1,
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    );
    let view = v.lens_now(s).view(w);
    (inner, remark_rows(s, w, &view, inner.width as usize))
}

/// What a seat says when no vista can be drawn yet.
fn source_text(s: &Session, i: usize) -> String {
    match &s.plan.setlist.segments[i].kind {
        SegmentKind::Walkthrough { vista, .. } => match vista {
            VistaSource::Presenter => format!(
                "{}'s own vista.toml",
                s.presenter.map_or("the presenter", |p| s.seat_name(p))
            ),
            VistaSource::File { file } => format!("the vista file {}", clean(&file.name)),
            VistaSource::Scenario { scenario } => {
                format!("the simulated vista of scenario {}", clean(&scenario.name))
            }
        },
        _ => "a vista".into(),
    }
}

pub(super) fn draw(
    buf: &mut Buffer,
    body: Rect,
    v: &SessionSeat,
    screen: &SessionScreen<'_>,
    i: usize,
    theme: &Theme,
) {
    let s = screen.session;
    let Some(w) = walkthrough(s, i) else { return };
    let p = parts(body);
    let view = v.lens_now(s).view(w);
    lens_line(buf, p.lens, s, v.seat, w, &view, theme);
    match (&w.vista, screen.vista) {
        (None, _) => {
            let mut text = format!("Loading {} for this walkthrough…", source_text(s, i));
            if let Some(n) = &v.notice {
                text.push_str(&format!("\n\n{}", clean(n)));
            }
            message(buf, p.vista, &text, theme);
        }
        (Some(_), Some(snap)) => draw_vista(buf, p.vista, v, screen, snap, w, &view, theme),
        (Some(shape), None) => {
            let titles: Vec<String> = shape.panes.iter().map(|p| clean(&p.title)).collect();
            draw_placeholders(buf, p.vista, v, &titles, w, &view, theme);
        }
    }
    if let Some(r) = p.remarks {
        let title = w
            .vista
            .as_ref()
            .and_then(|x| x.panes.get(view.focus))
            .map_or_else(
                || "remarks".to_string(),
                |p| format!("remarks · {}", clean(&p.title)),
            );
        block(buf, r, title, false, theme);
        let (inner, rows) = scroll_rows(v, s, i, body);
        list::draw(buf, inner, &rows, v.scroll_now(s), theme);
    }
}

fn message(buf: &mut Buffer, r: Rect, text: &str, theme: &Theme) {
    let inner = block(buf, r, "vista".into(), false, theme);
    let rows = wrapped(
        text,
        inner.width.saturating_sub(2) as usize,
        0,
        Meaning::Muted,
    );
    let r = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    list::draw(buf, r, &rows, 0, theme);
}

fn lens_line(
    buf: &mut Buffer,
    r: Rect,
    s: &Session,
    seat: crate::session::SeatId,
    w: &Walkthrough,
    view: &View,
    theme: &Theme,
) {
    let presenter = clean(s.presenter.map_or("the presenter", |p| s.seat_name(p)));
    let n = w.panes();
    let mut where_ = if n == 0 {
        "no panes yet".to_string()
    } else {
        let title = w
            .vista
            .as_ref()
            .and_then(|v| v.panes.get(view.focus))
            .map_or_else(String::new, |p| clean(&p.title));
        format!("pane {}/{n} {title}", view.focus + 1)
    };
    if view.zoom {
        where_.push_str(" · zoomed");
    }
    if let Some(t) = view.tour {
        where_.push_str(&format!(" · tour {}/{n}", t + 1));
    }
    where_.push_str(&format!(" · range {}", format_duration(view.range)));
    // A panned view says so first, where even a narrow screen shows it.
    let at = super::input::walkthrough::when(view, w, s);
    let panned = at.as_ref().map_or_else(String::new, |a| format!(" · {a}"));
    let presents = s.presenter == Some(seat) && s.seat(seat).is_some_and(|m| !m.observer);
    let live_key = keymap::key_label(Scope::Session, Act::Live);
    let (text, meaning) = if presents {
        let back = if at.is_some() {
            format!(" · {live_key} back to live")
        } else {
            String::new()
        };
        (
            format!(" ▶ you present: everyone follows you{panned} · {where_}{back}"),
            Meaning::Accent,
        )
    } else if view.following {
        (
            format!(" ▶ following {presenter}{panned} · {where_} · l looks around"),
            Meaning::Info,
        )
    } else {
        let theirs = Lens::default().view(w);
        let theirs_at = super::input::walkthrough::when(&theirs, w, s)
            .map_or_else(String::new, |a| format!(" · {a}"));
        (
            format!(
                " ◎ LOOKING AROUND on your own{panned} · {where_} · l snaps back to {presenter} (pane {}{theirs_at})",
                w.focus + 1
            ),
            Meaning::Warning,
        )
    };
    let wd = r.width as usize;
    buf.set_stringn(
        r.x,
        r.y,
        fit(&text, wd),
        wd,
        theme.style(meaning).add_modifier(Modifier::BOLD),
    );
}

/// The index in the walkthrough's panes of snapshot pane `k` (matched by id, else by place).
fn shape_index(w: &Walkthrough, snap: &VistaSnapshot, k: usize) -> Option<usize> {
    let id = &snap.panes.get(k)?.def.id;
    match &w.vista {
        Some(shape) => shape.panes.iter().position(|p| &p.id == id),
        None => Some(k),
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_vista(
    buf: &mut Buffer,
    r: Rect,
    v: &SessionSeat,
    screen: &SessionScreen<'_>,
    snap: &VistaSnapshot,
    w: &Walkthrough,
    view: &View,
    theme: &Theme,
) {
    let mut drawn = Vec::new();
    if view.zoom {
        if let Some(k) =
            (0..snap.panes.len()).find(|k| shape_index(w, snap, *k) == Some(view.focus))
        {
            drawn.push((view.focus, r, k));
        }
    } else {
        for (k, rect) in pane_areas(&snap.grid, r) {
            if rect.width >= 4
                && rect.height >= 3
                && let Some(p) = shape_index(w, snap, k)
            {
                drawn.push((p, rect, k));
            }
        }
    }
    if drawn.is_empty() {
        message(
            buf,
            r,
            "The presenter's vista has none of the shown panes yet.",
            theme,
        );
    }
    // Every follower's charts show the presenter's time window (the setlist's range, then the
    // presenter's, live or panned back); a seat looking around, its own. A simulated vista
    // ends at its own story time, on which its points are stamped.
    let now = snap.clock.unwrap_or(screen.now);
    let s = screen.session;
    let behind = view.pan.behind(s.beat, w.pace(), s.plan.setlist.bpm);
    let nav = TimeNav {
        span: Some(view.range as f64),
        end: (!view.pan.is_live()).then_some(now - behind as f64),
        cursor: None,
    };
    let look = Look {
        nav: &nav,
        ..Look::plain()
    };
    for (p, rect, k) in &drawn {
        draw_pane_with(
            buf,
            *rect,
            &snap.panes[*k],
            now,
            *p == view.focus,
            theme,
            &look,
        );
        badge(buf, *rect, w, *p, theme);
        v.drawn.push(*p, *rect);
    }
    if let Some(t) = view.tour {
        let note = (0..snap.panes.len())
            .find(|k| shape_index(w, snap, *k) == Some(t))
            .map(|k| snap.panes[k].def.note.trim().to_string())
            .unwrap_or_default();
        tour_card(buf, r, w, t, &note, theme);
    }
}

fn draw_placeholders(
    buf: &mut Buffer,
    r: Rect,
    v: &SessionSeat,
    titles: &[String],
    w: &Walkthrough,
    view: &View,
    theme: &Theme,
) {
    let n = titles.len();
    if n == 0 {
        message(buf, r, "The shown vista has no panes.", theme);
        return;
    }
    let cols = if n <= 2 {
        n
    } else if r.width >= 120 {
        3
    } else {
        2
    } as u16;
    let rows = (n as u16).div_ceil(cols);
    let cells: Vec<(usize, Rect)> = if view.zoom {
        vec![(view.focus.min(n - 1), r)]
    } else {
        (0..n)
            .map(|p| {
                let (c, row) = (p as u16 % cols, p as u16 / cols);
                let x0 = r.x + r.width * c / cols;
                let x1 = r.x + r.width * (c + 1) / cols;
                let y0 = r.y + r.height * row / rows;
                let y1 = r.y + r.height * (row + 1) / rows;
                (p, Rect::new(x0, y0, x1 - x0, y1 - y0))
            })
            .collect()
    };
    for (p, rect) in cells {
        if rect.width < 4 || rect.height < 3 {
            continue;
        }
        let inner = block(
            buf,
            rect,
            format!("{} · …", titles[p]),
            p == view.focus,
            theme,
        );
        buf.set_stringn(
            inner.x,
            inner.y,
            fit("waiting for its data…", inner.width as usize),
            inner.width as usize,
            theme.style(Meaning::Muted),
        );
        badge(buf, rect, w, p, theme);
        v.drawn.push(p, rect);
    }
    if let Some(t) = view.tour {
        tour_card(buf, r, w, t, "", theme);
    }
}

/// How many remarks and questions a pane has, on its top border.
fn badge(buf: &mut Buffer, r: Rect, w: &Walkthrough, pane: usize, theme: &Theme) {
    let (mut remarks, mut questions) = (0, 0);
    for x in w.remarks_on(pane) {
        if x.question {
            questions += 1;
        } else {
            remarks += 1;
        }
    }
    let mut text = String::new();
    if remarks > 0 {
        text.push_str(&format!(" ✎{remarks}"));
    }
    if questions > 0 {
        text.push_str(&format!(" ?{questions}"));
    }
    if text.is_empty() {
        return;
    }
    text.push(' ');
    let tw = width(&text) as u16;
    if r.width > tw + 12 && r.height > 0 {
        buf.set_stringn(
            r.right() - tw - 1,
            r.y,
            &text,
            tw as usize,
            theme.style(Meaning::Accent).add_modifier(Modifier::BOLD),
        );
    }
}

fn tour_card(
    buf: &mut Buffer,
    body: Rect,
    w: &Walkthrough,
    step: usize,
    note: &str,
    theme: &Theme,
) {
    let cw = body.width.saturating_sub(4).clamp(20, 72).min(body.width);
    let note = if note.is_empty() {
        "(no note for this pane: the presenter tells it in their own words)".to_string()
    } else {
        crate::ui::widgets::reflow(note)
    };
    let lines = wrap(&note, cw.saturating_sub(4) as usize);
    let h = (lines.len() as u16 + 2)
        .min(body.height.saturating_sub(2))
        .max(3);
    if body.height < 5 || cw < 12 {
        return;
    }
    let r = Rect {
        x: body.x + (body.width - cw) / 2,
        y: body.bottom().saturating_sub(h + 1),
        width: cw,
        height: h,
    };
    Clear.render(r, buf);
    buf.set_style(r, theme.style(Meaning::Text));
    let title = w
        .vista
        .as_ref()
        .and_then(|v| v.panes.get(step))
        .map_or_else(String::new, |p| clean(&p.title));
    let inner = block(
        buf,
        r,
        format!("tour {}/{} · {title}", step + 1, w.panes()),
        true,
        theme,
    );
    for (n, l) in lines.iter().enumerate().take(inner.height as usize) {
        buf.set_stringn(
            inner.x + 1,
            inner.y + n as u16,
            l,
            inner.width.saturating_sub(1) as usize,
            theme.style(Meaning::Text),
        );
    }
}
