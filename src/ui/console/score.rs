//! The score: the open runbook page and the cues with their keys.

use crate::drill::Drill;
use crate::ui::layout::Areas;
use crate::ui::seat::SeatView;
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::text::{clean, fit, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

pub(super) fn runbook(buf: &mut Buffer, r: Rect, drill: &Drill, seat: &SeatView, theme: &Theme) {
    let Some(p) = seat.page_shown(drill) else {
        buf.set_stringn(
            r.x,
            r.y,
            "no page open yet",
            r.width as usize,
            theme.style(Meaning::Muted),
        );
        return;
    };
    let page = &drill.scenario.runbook[p];
    let lines = wrap(page.body.trim(), r.width as usize);
    for (n, l) in lines
        .iter()
        .skip(seat.runbook_scroll)
        .take(r.height as usize)
        .enumerate()
    {
        buf.set_stringn(
            r.x,
            r.y + n as u16,
            l,
            r.width as usize,
            theme.style(Meaning::Text),
        );
    }
}

pub(super) fn cues(
    buf: &mut Buffer,
    r: Rect,
    drill: &Drill,
    seat: &SeatView,
    theme: &Theme,
    a: &Areas,
) {
    let s = &drill.scenario;
    let role = drill
        .seats
        .iter()
        .find(|x| x.id == seat.seat)
        .and_then(|x| x.role.clone());
    let grid = a.condensed && !seat.zoom;
    let col_w = if grid {
        (r.width / (r.width / 26).max(1)).max(10)
    } else {
        r.width
    };
    let per_col = r.height.max(1) as usize;
    for (i, cue) in s.cues.iter().enumerate() {
        let (col, row) = if grid {
            (i / per_col, i % per_col)
        } else {
            (0, i)
        };
        let x = r.x + col as u16 * col_w;
        let y = r.y + row as u16;
        if y >= r.bottom() || x >= r.right() {
            continue;
        }
        let done = drill.cues_done[i].is_some();
        let allowed = role
            .as_ref()
            .is_none_or(|r| cue.roles.is_empty() || cue.roles.contains(r));
        let ready = cue.requires.iter().all(|q| drill.cues_done[*q].is_some());
        let (mark, st) = if done && !cue.repeatable {
            ("✓", theme.style(Meaning::Muted))
        } else if !allowed || !ready {
            ("·", theme.style(Meaning::Muted))
        } else {
            (" ", theme.style(Meaning::Text))
        };
        let key = format!("[{}]", clean(&cue.key.to_string()));
        let w = (r.right() - x).min(col_w) as usize;
        let (kx, _) = buf.set_stringn(
            x,
            y,
            &key,
            w,
            if st == theme.style(Meaning::Text) {
                theme.style(Meaning::Cue).add_modifier(Modifier::BOLD)
            } else {
                st
            },
        );
        let rest = format!("{mark}{}", clean(&cue.label));
        let mut extra = String::new();
        if !grid {
            if !allowed {
                extra = format!("  ({} only)", cue.roles.join("/"));
            } else if let Some(q) = cue.requires.iter().find(|q| drill.cues_done[**q].is_none()) {
                extra = format!("  (after [{}])", clean(&s.cues[*q].key.to_string()));
            } else if cue.delay_beats > 0 && !done {
                extra = format!("  ~{} beats", cue.delay_beats);
            }
        }
        let used = (kx - x) as usize;
        if used < w {
            let text = fit(&format!("{rest}{extra}"), w - used - 1);
            buf.set_stringn(kx, y, &text, w - used, st);
        }
    }
}
