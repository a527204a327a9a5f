//! What is drawn at a cell of the console: which pane, and which cue. It lays the console out
//! exactly as [`super::draw`] does, so a click maps to what the seat sees under the pointer.

use super::score::cue_cells;
use crate::drill::Drill;
use crate::ui::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use crate::ui::seat::{Pane, SeatView};
use ratatui::layout::{Position, Rect};

/// A place on the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    /// Somewhere in a pane (its frame included).
    Pane(Pane),
    /// On the cue with this index, in the cues pane.
    Cue(Pane, usize),
}

/// What is at (`col`, `row`) of a console of size `area` drawn for `seat`.
pub fn spot(area: Rect, drill: &Drill, seat: &SeatView, col: u16, row: u16) -> Option<Spot> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let at = Position::new(col, row);
    let s = &drill.scenario;
    let zoom = seat.zoom.then_some(seat.focus);
    let a = layout::layout(area, zoom, s.signals.len(), s.cues.len());
    let pane = Pane::ALL.into_iter().find(|p| {
        let r = a.pane(*p);
        r.width >= 3 && r.height >= 2 && r.contains(at)
    })?;
    if pane == Pane::Cues {
        let r = a.pane(pane);
        let inner = Rect::new(r.x + 1, r.y + 1, r.width - 2, r.height - 2);
        let grid = a.condensed && !seat.zoom;
        if let Some((i, _)) = cue_cells(inner, s.cues.len(), grid)
            .into_iter()
            .find(|(_, c)| c.contains(at))
        {
            return Some(Spot::Cue(pane, i));
        }
    }
    Some(Spot::Pane(pane))
}
