//! A matrix segment's keys on a seat: the arrows, tab and the paging keys move this seat's
//! cursor over the grid (instead of scrolling), the mark keys set the cell under it for
//! everyone, and `c` or enter opens a note on it. Only present participants send edits.

use super::{Need, Out, act, may, say};
use crate::keymap::Act;
use crate::matrix::Mark;
use crate::session::{Session, SessionAction as A};
use crate::ui::session::SessionSeat;
use crate::ui::session::mode::{Entry, EntryKind, Mode};

/// Handles `a` when the current segment is a matrix; `None` leaves it to the other keys.
pub(super) fn on_act(v: &mut SessionSeat, a: Act, s: &Session) -> Option<Out> {
    let i = s.current()?;
    let m = s.matrix(i)?;
    if m.rows.is_empty() || m.columns.is_empty() {
        return None;
    }
    let (rows, cols) = (m.rows.len(), m.columns.len());
    let (r, c) = crate::ui::session::matrix::cursor(v, m);
    let moved = |v: &mut SessionSeat, r: usize, c: usize| {
        v.cell = (r.min(rows - 1), c.min(cols - 1));
        Some(Vec::new())
    };
    let mark = |v: &mut SessionSeat, mark: Option<Mark>| {
        if !may(v, s, Need::Participant, "mark the matrix") {
            return Some(Vec::new());
        }
        if let Some(k) = mark
            && k.is_knowledge()
            && !m.columns[c].kind.knows()
        {
            say(
                v,
                format!(
                    "{} is a dependency: only people and teams know or own",
                    m.columns[c].name
                ),
                true,
            );
            return Some(Vec::new());
        }
        Some(act(A::MatrixMark {
            row: m.rows[r].id.clone(),
            col: m.columns[c].id.clone(),
            mark,
        }))
    };
    match a {
        Act::ScrollUp => moved(v, r.saturating_sub(1), c),
        Act::ScrollDown => moved(v, r + 1, c),
        Act::FocusPrev => moved(v, r, c.saturating_sub(1)),
        Act::FocusNext => moved(v, r, c + 1),
        Act::PageUp => moved(v, r.saturating_sub(10), c),
        Act::PageDown => moved(v, r + 10, c),
        Act::Top => moved(v, 0, 0),
        Act::Bottom => moved(v, rows - 1, cols - 1),
        Act::MarkHard => mark(v, Some(Mark::Hard)),
        Act::MarkSoft => mark(v, Some(Mark::Soft)),
        Act::MarkUnknown => mark(v, Some(Mark::Unknown)),
        Act::MarkKnows => mark(v, Some(Mark::Knows)),
        Act::MarkOwner => mark(v, Some(Mark::Owner)),
        Act::MarkClear => mark(v, None),
        Act::CellNote | Act::Zoom => {
            if may(v, s, Need::Participant, "write on the matrix") {
                let mut e = Entry::new(EntryKind::CellNote { row: r, col: c });
                e.push(&m.cell(r, c).map(|x| x.note.clone()).unwrap_or_default());
                v.mode = Mode::Entry(e);
            }
            Some(Vec::new())
        }
        _ => None,
    }
}

/// Sends the note typed on cell `(row, col)` (an empty one clears the cell's note).
pub(super) fn send_note(
    v: &mut SessionSeat,
    s: &Session,
    row: usize,
    col: usize,
    text: &str,
) -> Out {
    let Some(m) = s.current().and_then(|i| s.matrix(i)) else {
        say(v, "the matrix segment is over; the note was not sent", true);
        return Vec::new();
    };
    let (Some(r), Some(c)) = (m.rows.get(row), m.columns.get(col)) else {
        return Vec::new();
    };
    say(
        v,
        if text.is_empty() {
            "note cleared"
        } else {
            "note sent"
        },
        false,
    );
    act(A::MatrixNote {
        row: r.id.clone(),
        col: c.id.clone(),
        text: text.to_string(),
    })
}
