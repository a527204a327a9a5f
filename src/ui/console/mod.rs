//! The drill console: a pure function from (drill, seat view, theme) to a buffer. Nothing here
//! reads a clock or a terminal, so every frame can be rebuilt from a recording and tested with
//! ratatui's TestBackend.

mod feed;
pub mod hit;
mod overlays;
mod score;
mod signals;
mod status;

use crate::debrief::VistaRow;
use crate::drill::Drill;
use crate::ui::chrome::{Chrome, LivePanes};
use crate::ui::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use crate::ui::seat::{Pane, SeatView};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::timeline;
use crate::ui::widgets::block;
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, width};
use feed::feed;
use overlays::overlays;
pub use overlays::{briefing, briefing_lines};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use score::{cues, runbook};
use signals::{health, signals};
use status::status;

/// The health pane split in two when there is room for live panes on its right.
fn beside(r: Rect) -> Option<(Rect, Rect)> {
    if r.width < 60 || r.height < 3 {
        return None;
    }
    let left = Rect {
        width: r.width / 2,
        ..r
    };
    let right = Rect {
        x: r.x + left.width,
        width: r.width - left.width,
        ..r
    };
    Some((left, right))
}

/// Splits the health pane to show live panes on its right, one above the other.
fn live_panes(buf: &mut Buffer, r: Rect, live: &LivePanes, theme: &Theme) -> Rect {
    let panes = &live.vista.panes;
    let Some((left, right)) = beside(r).filter(|_| !panes.is_empty()) else {
        return r;
    };
    let n = panes.len().min((right.height / 3).max(1) as usize);
    for (i, p) in panes.iter().take(n).enumerate() {
        let y0 = right.y + (u32::from(right.height) * i as u32 / n as u32) as u16;
        let y1 = right.y + (u32::from(right.height) * (i as u32 + 1) / n as u32) as u16;
        let pr = Rect {
            y: y0,
            height: y1 - y0,
            ..right
        };
        super::vista::draw_pane(buf, pr, p, live.now, false, theme);
    }
    left
}

/// In a replay, where the live panes stood: the vista the drill ran beside, by name, with
/// its panes' titles (their data was live, so the recording has none of it).
fn recorded_vista(buf: &mut Buffer, r: Rect, v: &VistaRow, theme: &Theme) -> Rect {
    let Some((left, right)) = beside(r) else {
        return r;
    };
    let inner = block(
        buf,
        right,
        format!("live vista · {}", clean(&v.file)),
        false,
        theme,
    );
    let mut lines: Vec<(String, Meaning)> = Vec::new();
    match &v.problem {
        Some(p) => lines.push((clean(p), Meaning::Warning)),
        None => {
            lines.push((clean(&v.title), Meaning::Title));
            lines.extend(
                v.panes
                    .iter()
                    .map(|p| (format!("· {}", clean(p)), Meaning::Text)),
            );
        }
    }
    lines.push(("live data: not in the recording".into(), Meaning::Muted));
    let rows = usize::from(inner.height);
    if lines.len() > rows && rows > 0 {
        // The last row says how many panes did not fit, and that the data is not recorded.
        let hidden = lines.len() - rows;
        lines.truncate(rows - 1);
        lines.push((
            format!("+{hidden} more · live, not recorded"),
            Meaning::Muted,
        ));
    }
    for (i, (text, m)) in lines.iter().enumerate().take(rows) {
        paint::stringn(
            buf,
            inner.x,
            inner.y + i as u16,
            text,
            usize::from(inner.width),
            theme.style(*m),
        );
    }
    left
}

/// Draws the whole console for one seat.
pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    drill: &Drill,
    seat: &SeatView,
    theme: &Theme,
    chrome: &Chrome,
) {
    if !super::prepare(buf, area, (MIN_WIDTH, MIN_HEIGHT), theme) {
        return;
    }
    let zoom = seat.zoom.then_some(seat.focus);
    let s = &drill.scenario;
    let a = layout::layout(area, zoom, s.signals.len(), s.cues.len());
    if !a.header.is_empty() {
        header(buf, a.header, drill, theme, chrome.vista.as_ref());
    }
    for pane in Pane::ALL {
        let r = a.pane(pane);
        if r.width < 3 || r.height < 2 {
            continue;
        }
        let inner = block(
            buf,
            r,
            pane_title(pane, drill, seat),
            seat.focus == pane,
            theme,
        );
        match pane {
            Pane::Signals => signals(buf, inner, drill, theme, a.condensed && !seat.zoom),
            Pane::Health => {
                let inner = match (&chrome.live, &chrome.vista) {
                    (Some(live), _) => live_panes(buf, inner, live, theme),
                    (None, Some(v)) => recorded_vista(buf, inner, v, theme),
                    (None, None) => inner,
                };
                health(buf, inner, drill, theme, drill.facilitates(seat.seat))
            }
            Pane::Feed => feed(buf, inner, drill, seat, theme),
            Pane::Runbook => runbook(buf, inner, drill, seat, theme),
            Pane::Cues => cues(buf, inner, drill, seat, theme, &a),
        }
    }
    timeline::draw(buf, a.timeline, drill, theme, chrome);
    status(buf, a.status, drill, seat, theme, chrome);
    overlays(buf, area, drill, seat, theme);
}

fn pane_title(pane: Pane, drill: &Drill, seat: &SeatView) -> String {
    match pane {
        Pane::Runbook => match seat.page_shown(drill) {
            Some(p) => {
                let visible: Vec<usize> = (0..drill.revealed.len())
                    .filter(|i| drill.revealed[*i])
                    .collect();
                let n = visible.iter().position(|v| *v == p).map_or(0, |n| n + 1);
                format!(
                    "runbook {n}/{}: {}",
                    visible.len(),
                    clean(&drill.scenario.runbook[p].title)
                )
            }
            None => "runbook".into(),
        },
        Pane::Signals => format!("vista · {}", clean(&drill.scenario.meta.id)),
        p => p.title().into(),
    }
}

fn header(buf: &mut Buffer, r: Rect, drill: &Drill, theme: &Theme, vista: Option<&VistaRow>) {
    let s = &drill.scenario;
    let seats: Vec<String> = drill
        .seats
        .iter()
        .filter(|x| x.present)
        .map(|x| {
            format!(
                "{} ({})",
                clean(&x.name),
                x.role
                    .as_deref()
                    .map_or("solo".into(), |r| role_name(drill, r))
            )
        })
        .collect();
    let mut left = format!(
        " gamelan · {} · {}",
        clean(&s.meta.title),
        s.meta.difficulty.label()
    );
    if let Some(v) = vista {
        let n = v.panes.len();
        left.push_str(&format!(
            " · beside the live vista {} ({n} pane{})",
            clean(&v.file),
            if n == 1 { "" } else { "s" }
        ));
    }
    let right = format!("seats: {} ", seats.join(", "));
    paint::stringn(
        buf,
        r.x,
        r.y,
        &left,
        r.width as usize,
        theme.style(Meaning::Title).add_modifier(Modifier::BOLD),
    );
    let rw = width(&right) as u16;
    if rw + width(&left) as u16 + 2 <= r.width {
        paint::string(
            buf,
            r.right() - rw,
            r.y,
            &right,
            theme.style(Meaning::Muted),
        );
    }
}

fn role_name(drill: &Drill, role: &str) -> String {
    drill
        .scenario
        .role(role)
        .map_or_else(|| role.to_string(), |r| clean(&r.name))
}
