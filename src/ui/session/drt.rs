//! A DRT segment on a seat: the shared table drawn by the DRT view itself
//! ([`crate::ui::drt::draw`]) with this seat's own [`DrtView`] (cursor, editing), its edits
//! sent to the session as recorded inputs. The facilitator's segment keys (`>` `<` `+`) and
//! `q` still reach the session while the view is browsing.

use super::SessionSeat;
use super::input::{Need, Out, act, may, say};
use crate::input::{Input, Key};
use crate::keymap::{self, Act, Scope};
use crate::session::{Session, SessionAction as A};
use crate::ui::drt::{DrtCommand, DrtView, Mode};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// This seat's view, kept in step with the session's seat names.
fn view_of(v: &SessionSeat, s: &Session) -> DrtView {
    let mut view = v.drt.clone();
    view.can_save = false;
    view.names = s.seats.iter().map(|x| (x.id, x.name.clone())).collect();
    view
}

pub(super) fn draw(
    buf: &mut Buffer,
    body: Rect,
    v: &SessionSeat,
    s: &Session,
    i: usize,
    theme: &Theme,
) {
    let Some(t) = s.drt(i) else { return };
    let mut view = view_of(v, s);
    view.scroll_to_cursor(body, t);
    crate::ui::drt::draw(buf, body, t, &view, theme);
}

/// Handles `key` when the current segment is a DRT; `None` leaves it to the session's keys.
pub(super) fn on_key(v: &mut SessionSeat, key: Key, s: &Session, area: Rect) -> Option<Out> {
    let i = s.current()?;
    let t = s.drt(i)?;
    let browsing = v.drt.mode == Mode::Browse && v.drt.help.is_none();
    let session_key = keymap::lookup(Scope::Session, key);
    if browsing
        && matches!(
            session_key,
            Some(Act::SegmentNext | Act::SegmentBack | Act::Extend | Act::Quit)
        )
    {
        return None;
    }
    let mut view = view_of(v, s);
    let commands = view.on_input(&Input::Key(key), t, area);
    v.drt = view;
    let mut out = Vec::new();
    for c in commands {
        match c {
            DrtCommand::Edit(edit) => {
                if !may(v, s, Need::Participant, "edit the table") {
                    v.drt.mode = Mode::Browse;
                    return Some(Vec::new());
                }
                out.extend(act(A::Drt { edit }));
            }
            DrtCommand::Close | DrtCommand::Quit => return None,
            DrtCommand::Export(_)
            | DrtCommand::Import(_)
            | DrtCommand::PrepareSave
            | DrtCommand::WriteSave => say(
                v,
                "in a session the table goes into the write-up (Markdown and JSON) at the end",
                false,
            ),
        }
    }
    Some(out)
}
