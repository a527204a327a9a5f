//! A seat's screen in a live session: the setlist strip with each segment's clock against its
//! plan, and the current segment drawn for this seat (the presenter's vista in a walkthrough,
//! the wheel, the notes of a discussion, the write-up at the end).
//!
//! Pure like the drill's seat view ([`crate::ui::seat`]): [`SessionSeat::on_input`] turns a
//! key into [`SessionCommand`]s for the shell, and [`SessionSeat::draw`] draws from a snapshot
//! of the room's [`Session`]. A drill segment is drawn by the drill console, with [`strip`] on
//! its top line so every seat still sees where the session stands.

use crate::input::Input;
use crate::session::walkthrough::Lens;
use crate::session::{SeatId, Session, SessionAction};
use crate::ui::theme::Theme;
use crate::vista::VistaSnapshot;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// What a key asks of the shell around a session seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionCommand {
    /// An input for the session core, from this seat.
    Act(SessionAction),
    /// Leave the session (the room records the seat as leaving).
    Quit,
}

/// What the room shares with every seat when it draws: the session and, in a walkthrough,
/// the shown vista's latest snapshot.
pub struct SessionScreen<'a> {
    pub session: &'a Session,
    pub vista: Option<&'a VistaSnapshot>,
    /// Unix seconds, for the vista's ages.
    pub now: f64,
}

/// Per-seat view state of a session screen.
#[derive(Debug, Clone)]
pub struct SessionSeat {
    pub seat: SeatId,
    /// Following the presenter, or looking around alone (walkthrough).
    pub lens: Lens,
    /// The help overlay is open, scrolled to this line.
    pub help: Option<usize>,
}

impl SessionSeat {
    pub fn new(seat: SeatId) -> SessionSeat {
        SessionSeat {
            seat,
            lens: Lens::default(),
            help: None,
        }
    }

    /// Handles one input on a screen of size `area`; returns what the shell should do.
    pub fn on_input(
        &mut self,
        input: &Input,
        session: &Session,
        area: Rect,
    ) -> Vec<SessionCommand> {
        let _ = (input, session, area);
        Vec::new()
    }

    /// Draws this seat's screen.
    pub fn draw(&self, buf: &mut Buffer, area: Rect, screen: &SessionScreen<'_>, theme: &Theme) {
        strip(buf, area, screen.session, theme);
    }
}

/// The session's one-line strip: the title, the segment in progress and its clock against
/// the plan. Drawn on the top line of `area`.
pub fn strip(buf: &mut Buffer, area: Rect, session: &Session, theme: &Theme) {
    let _ = (buf, area, session, theme);
}
