//! The mouse on a session screen: the wheel scrolls (or moves a picker's choice), a click
//! picks a picker's row or focuses the walkthrough's pane under it (through the same calls as
//! the keys); a prompt takes keys only.

use super::walkthrough::click_pane;
use super::{Out, pick, scroll};
use crate::input::Mouse;
use crate::session::Session;
use crate::ui::session::SessionSeat;
use crate::ui::session::mode::{Mode, choices};
use ratatui::layout::{Position, Rect};

pub(super) fn on_mouse(v: &mut SessionSeat, m: &Mouse, s: &Session, area: Rect) -> Out {
    if m.wheel() != 0 {
        match &mut v.mode {
            Mode::Pick(p) => {
                let n = choices(p.kind, s).len();
                p.at =
                    p.at.saturating_add_signed(m.wheel())
                        .min(n.saturating_sub(1));
            }
            _ => scroll(v, s, area, m.wheel() * 3),
        }
        return Vec::new();
    }
    if !m.is_click() {
        return Vec::new();
    }
    let at = Position::new(m.col, m.row);
    match v.mode.clone() {
        Mode::Pick(p) => {
            let rows = choices(p.kind, s);
            let (r, y0) = crate::ui::session::mode::picker_rect(area, rows.len());
            let (first, shown) = crate::ui::session::mode::picker_window(r, rows.len(), p.at);
            v.mode = Mode::Browse;
            if r.contains(at) && m.row >= y0 && usize::from(m.row - y0) < shown {
                return pick(v, p.kind, rows.get(first + usize::from(m.row - y0)));
            }
            Vec::new()
        }
        Mode::Browse => {
            let hit = v.drawn.pane_at(at);
            let Some(pane) = hit else {
                return Vec::new();
            };
            click_pane(v, s, pane, m.is_double())
        }
        // A prompt takes keys only: the mouse never answers a question.
        _ => Vec::new(),
    }
}
