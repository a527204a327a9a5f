//! The top of every session screen: the one-line [`strip`] (also drawn over the drill
//! console in a drill segment), the setlist with each segment's clock against its plan, this
//! seat and the roles, and on wide screens every seat with its role.

use super::layout::Layout;
use crate::session::state::{Phase, SegmentStatus};
use crate::session::{SeatId, Session, clock};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::text::{clean, fit, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// Session seconds of `beats`.
pub fn secs(s: &Session, beats: u64) -> u64 {
    s.plan.setlist.seconds(beats)
}

/// A segment's clock against its plan: `12:03 / 10:00`, and how far over, if it is.
pub fn segment_clock(s: &Session, i: usize) -> (String, Option<String>) {
    let elapsed = secs(s, s.segments[i].elapsed);
    let planned = secs(s, s.planned(i));
    let over = (elapsed > planned).then(|| format!("+{} over", clock(elapsed - planned)));
    (format!("{} / {}", clock(elapsed), clock(planned)), over)
}

/// The session's one-line strip: the title, the segment in progress and its clock against
/// the plan. Drawn on the top line of `area`; returns the column where the clock starts.
pub fn strip(buf: &mut Buffer, area: Rect, session: &Session, theme: &Theme) -> u16 {
    if area.width == 0 || area.height == 0 {
        return area.x;
    }
    let r = Rect { height: 1, ..area };
    let bar = theme.style(Meaning::Status);
    buf.set_style(r, bar);
    let s = session;
    let n = s.segments.len();
    let title = clean(&s.plan.setlist.title);
    let (left, right, right_style) = match (&s.phase, s.current()) {
        (Phase::In { .. }, Some(i)) => {
            let seg = &s.plan.setlist.segments[i];
            let (c, over) = segment_clock(s, i);
            let style = if over.is_some() {
                theme.style(Meaning::Critical).add_modifier(Modifier::BOLD)
            } else {
                theme.style(Meaning::Accent)
            };
            let right = match over {
                Some(o) => format!(" {c} {o} "),
                None => format!(" {c} "),
            };
            (
                format!(
                    " ▶ {}/{n} {} · {}",
                    i + 1,
                    seg.kind.name(),
                    clean(&seg.title)
                ),
                right,
                style,
            )
        }
        (Phase::Ended { reason }, _) => (
            format!(" ■ ended: {}", clean(reason)),
            format!(" {} ", clock(secs(s, s.beat))),
            theme.style(Meaning::Muted),
        ),
        _ => {
            let here = s.seats.iter().filter(|x| x.present).count();
            let who = s
                .conductor()
                .or(s.facilitator)
                .map_or("the facilitator", |f| s.seat_name(f));
            (
                format!(" ◇ gathering · {here} here · {} starts it", clean(who)),
                format!(" {n} segments "),
                theme.style(Meaning::Muted),
            )
        }
    };
    let w = r.width as usize;
    let rw = width(&right).min(w);
    let (x, _) = buf.set_stringn(
        r.x,
        r.y,
        fit(&left, w.saturating_sub(rw)),
        w.saturating_sub(rw),
        bar.add_modifier(Modifier::BOLD),
    );
    let room = (r.right() - x) as usize;
    // The session's title between the segment and its clock, when there is room for it.
    let t = format!(" │ {title}");
    if room > rw + 12 {
        buf.set_stringn(
            x,
            r.y,
            fit(&t, room - rw - 1),
            room - rw - 1,
            theme
                .style(Meaning::Muted)
                .patch(Style::default().bg(bar.bg.unwrap_or_default())),
        );
    }
    buf.set_stringn(r.right() - rw as u16, r.y, fit(&right, rw), rw, right_style);
    r.right() - rw as u16
}

/// A hint over the strip drawn by [`strip`] (which returned `clock_x`): `open`, the whole line
/// (what the next key does); else just left of the clock, over the title.
pub fn strip_hint(
    buf: &mut Buffer,
    area: Rect,
    clock_x: u16,
    hint: &str,
    open: bool,
    theme: &Theme,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let bar = theme.style(Meaning::Status);
    if open {
        let r = Rect { height: 1, ..area };
        buf.set_style(r, bar);
        let w = r.width as usize;
        // The whole line: nothing of the strip under it may show through.
        buf.set_stringn(r.x, r.y, " ".repeat(w), w, bar);
        let text = format!(" {hint}");
        buf.set_stringn(
            r.x,
            r.y,
            fit(&text, w),
            w,
            theme.style(Meaning::Accent).add_modifier(Modifier::BOLD),
        );
        return;
    }
    let text = format!(" {hint} ");
    let tw = width(&text) as u16;
    let x = clock_x.saturating_sub(tw).max(area.x + area.width / 2);
    let room = clock_x.saturating_sub(x) as usize;
    if room >= width(&text) {
        buf.set_stringn(
            x,
            area.y,
            &text,
            room,
            theme.style(Meaning::Accent).add_modifier(Modifier::BOLD),
        );
    }
}

fn glyph(st: SegmentStatus) -> &'static str {
    match st {
        SegmentStatus::Done => "✓",
        SegmentStatus::Current => "▶",
        SegmentStatus::Skipped => "↷",
        SegmentStatus::NotReached => "·",
    }
}

/// One chip of the setlist line at a level of detail (0 the most), titles cut to `title_w`.
fn chip(s: &Session, i: usize, level: u8, title_w: usize) -> String {
    let seg = &s.plan.setlist.segments[i];
    let st = s.segments[i].status;
    let planned = clock(secs(s, s.planned(i)));
    let time = if st == SegmentStatus::NotReached && s.segments[i].elapsed == 0 {
        planned
    } else {
        format!("{}/{planned}", clock(secs(s, s.segments[i].elapsed)))
    };
    let g = glyph(st);
    match level {
        0 => format!("{g}{} {} {time}", i + 1, fit(&clean(&seg.title), title_w)),
        1 => format!("{g}{} {} {time}", i + 1, seg.kind.name()),
        2 => format!("{g}{} {time}", i + 1),
        _ => format!("{g}{}", i + 1),
    }
}

fn draw_setlist(buf: &mut Buffer, r: Rect, s: &Session, theme: &Theme) {
    let n = s.segments.len();
    let w = r.width as usize;
    // Titles share what the clocks leave of the line.
    let title_w = (w / n.max(1)).saturating_sub(18).clamp(12, 48);
    let level = (0..4u8)
        .find(|l| {
            (0..n)
                .map(|i| width(&chip(s, i, *l, title_w)) + 2)
                .sum::<usize>()
                <= w
        })
        .unwrap_or(3);
    let mut x = r.x;
    for i in 0..n {
        let st = &s.segments[i];
        let style = match st.status {
            SegmentStatus::Current if st.overtime => theme.style(Meaning::Critical),
            SegmentStatus::Current => theme.style(Meaning::Selection).add_modifier(Modifier::BOLD),
            SegmentStatus::Done if st.overtime => theme.style(Meaning::Warning),
            SegmentStatus::Done => theme.style(Meaning::Healthy),
            SegmentStatus::Skipped => theme.style(Meaning::Muted),
            SegmentStatus::NotReached => theme.style(Meaning::Text),
        };
        let text = format!(" {} ", chip(s, i, level, title_w));
        let room = r.right().saturating_sub(x) as usize;
        if room == 0 {
            break;
        }
        let (nx, _) = buf.set_stringn(x, r.y, fit(&text, room), room, style);
        x = nx;
    }
}

/// This seat's role, as the people line and the seats panel say it.
pub fn role(s: &Session, seat: SeatId) -> String {
    let Some(me) = s.seat(seat) else {
        return "not joined yet".into();
    };
    if me.observer {
        return "observer".into();
    }
    let mut roles = Vec::new();
    if s.facilitator == Some(seat) {
        roles.push("facilitator");
    }
    if s.stand_in() == Some(seat) {
        roles.push("conducts while the facilitator is away");
    }
    if s.presenter == Some(seat) {
        roles.push("presenter");
    }
    if roles.is_empty() {
        roles.push("participant");
    }
    roles.join(" · ")
}

fn draw_people(buf: &mut Buffer, r: Rect, s: &Session, seat: SeatId, theme: &Theme) {
    let observer = s.seat(seat).is_some_and(|m| m.observer);
    let me = format!(" you: {} · {} ", clean(s.seat_name(seat)), role(s, seat));
    let mut x = r.x;
    let w = r.width as usize;
    let (nx, _) = buf.set_stringn(x, r.y, fit(&me, w), w, theme.style(Meaning::Title));
    x = nx;
    if observer {
        let badge = " OBSERVER · read-only ";
        let room = r.right().saturating_sub(x) as usize;
        let (nx, _) = buf.set_stringn(
            x,
            r.y,
            fit(badge, room),
            room,
            theme
                .style(Meaning::Warning)
                .add_modifier(Modifier::REVERSED),
        );
        x = nx;
    }
    let name =
        |id: Option<SeatId>| id.map_or_else(|| "nobody".to_string(), |i| clean(s.seat_name(i)));
    let here: Vec<String> = s
        .seats
        .iter()
        .filter(|x| x.present && !x.observer)
        .map(|x| clean(&x.name))
        .collect();
    let watching = s.seats.iter().filter(|x| x.present && x.observer).count();
    let facilitator = match s.stand_in() {
        Some(c) => format!("{} (away; {} conducts)", name(s.facilitator), name(Some(c))),
        None => name(s.facilitator),
    };
    let mut rest = format!(
        " │ facilitator {} · presenter {} │ here: {}",
        facilitator,
        name(s.presenter),
        if here.is_empty() {
            "nobody".to_string()
        } else {
            here.join(" ")
        }
    );
    if watching > 0 {
        rest.push_str(&format!(" +{watching} observing"));
    }
    let room = r.right().saturating_sub(x) as usize;
    buf.set_stringn(x, r.y, fit(&rest, room), room, theme.style(Meaning::Muted));
}

fn draw_seats(buf: &mut Buffer, r: Rect, s: &Session, seat: SeatId, theme: &Theme) {
    let present = s.seats.iter().filter(|x| x.present).count();
    let inner = block(
        buf,
        r,
        format!("seats · {present} here of {}", s.seats.len()),
        false,
        theme,
    );
    let w = inner.width as usize;
    let mut rows: Vec<&crate::session::state::Seat> = s.seats.iter().collect();
    // Participants first, then observers; those here before those who left.
    rows.sort_by_key(|x| (x.observer, !x.present));
    for (n, x) in rows.iter().enumerate().take(inner.height as usize) {
        let dot = if x.present { "●" } else { "○" };
        let line = format!("{dot} {} · {}", clean(&x.name), role(s, x.id));
        let style = if x.id == seat {
            theme.style(Meaning::Selection)
        } else if !x.present {
            theme.style(Meaning::Muted)
        } else if x.observer {
            theme.style(Meaning::Info)
        } else {
            theme.style(Meaning::Text)
        };
        buf.set_stringn(inner.x, inner.y + n as u16, fit(&line, w), w, style);
    }
    if rows.len() > inner.height as usize && inner.height > 0 {
        let more = format!("+{} more", rows.len() - inner.height as usize + 1);
        buf.set_stringn(
            inner.x,
            inner.bottom() - 1,
            fit(&more, w),
            w,
            theme.style(Meaning::Muted),
        );
    }
}

/// Draws the strip, the setlist line, the people line and the seats panel where `l` puts
/// them.
pub fn draw(buf: &mut Buffer, l: &Layout, s: &Session, seat: SeatId, theme: &Theme) {
    let _ = strip(buf, l.strip, s, theme);
    if let Some(r) = l.setlist {
        draw_setlist(buf, r, s, theme);
    }
    if let Some(r) = l.people {
        draw_people(buf, r, s, seat, theme);
    }
    if let Some(r) = l.seats {
        draw_seats(buf, r, s, seat, theme);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn an_open_hint_takes_the_whole_strip() {
        let mut s = Session::new(
            Arc::new(crate::session::bundled::plan("weekly").unwrap()),
            1,
        );
        s.apply(&crate::session::SessionInput::new(
            0,
            0,
            crate::session::SessionAction::Join { name: "ana".into() },
        ));
        let area = Rect::new(0, 0, 120, 1);
        let mut buf = Buffer::empty(area);
        let theme = Theme::default();
        let x = strip(&mut buf, area, &s, &theme);
        strip_hint(&mut buf, area, x, "setlist: > next", true, &theme);
        let line: String = (0..area.width).map(|i| buf[(i, 0)].symbol()).collect();
        assert_eq!(line.trim_end(), " setlist: > next");
    }
}
