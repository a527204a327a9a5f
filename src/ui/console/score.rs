//! The score: the open runbook page and the cues with their keys.

use crate::drill::Drill;
use crate::ui::layout::Areas;
use crate::ui::seat::SeatView;
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

pub(super) fn runbook(buf: &mut Buffer, r: Rect, drill: &Drill, seat: &SeatView, theme: &Theme) {
    let Some(p) = seat.page_shown(drill) else {
        paint::stringn(
            buf,
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
        paint::stringn(
            buf,
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
    for (i, cell) in cue_cells(r, s.cues.len(), grid) {
        let cue = &s.cues[i];
        let (x, y) = (cell.x, cell.y);
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
        let w = cell.width as usize;
        let (kx, _) = paint::stringn(
            buf,
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
            paint::stringn(buf, kx, y, &text, w - used, st);
        }
    }
}

/// Where each cue is drawn inside the cues pane's `inner` area: a grid of columns about 26
/// wide when `grid`, else one per line. Cues that do not fit are left out. Drawing and
/// clicks both use it, so a click lands on the cue drawn under it.
pub(crate) fn cue_cells(inner: Rect, n: usize, grid: bool) -> Vec<(usize, Rect)> {
    let col_w = if grid {
        (inner.width / (inner.width / 26).max(1)).max(10)
    } else {
        inner.width
    };
    let per_col = inner.height.max(1) as usize;
    (0..n)
        .filter_map(|i| {
            let (col, row) = if grid {
                (i / per_col, i % per_col)
            } else {
                (0, i)
            };
            let x = u32::from(inner.x) + col as u32 * u32::from(col_w);
            let y = u32::from(inner.y) + row as u32;
            if y >= u32::from(inner.bottom()) || x >= u32::from(inner.right()) {
                return None;
            }
            let (x, y) = (x as u16, y as u16);
            Some((i, Rect::new(x, y, (inner.right() - x).min(col_w), 1)))
        })
        .collect()
}
