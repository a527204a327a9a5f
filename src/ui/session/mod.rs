//! A seat's screen in a live session: the setlist strip with each segment's clock against its
//! plan, and the current segment drawn for this seat (the presenter's vista in a walkthrough,
//! the wheel, the notes of a discussion, the write-up at the end).
//!
//! Pure like the drill's seat view ([`crate::ui::seat`]): [`SessionSeat::on_input`] turns a
//! key into [`SessionCommand`]s for the shell, and [`SessionSeat::draw`] draws from a snapshot
//! of the room's [`Session`]. A drill segment is drawn by the drill console, with [`strip`] on
//! its top line so every seat still sees where the session stands.
//!
//! - `layout`: where the header, body, side panel and status line go (drawing and clicks
//!   share it);
//! - `header`: the strip, the setlist line and who is here;
//! - `input` and `mode`: keys through the keymap's [`Scope::Session`](crate::keymap::Scope),
//!   text entries, pickers and confirmations;
//! - `walkthrough`, `wheel`, `notes`, `end`: one body per segment kind;
//! - `status`: hints, prompts and messages on the bottom line; `help`: the `?` overlay.

mod drt;
mod end;
mod header;
mod help;
mod input;
mod layout;
mod list;
mod matrix;
mod mode;
mod notes;
mod status;
mod walkthrough;
mod wheel;

pub use header::{strip, strip_hint};
pub use help::help_lines;
pub use input::EXTEND_MINUTES;
pub use mode::{Confirm, Entry, EntryKind, Mode, Picker, PickerKind};

use crate::session::state::Phase;
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

/// A short message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    /// The session's beat when it was said: a refusal from the room after it takes its place.
    pub beat: u64,
}

/// Per-seat view state of a session screen.
#[derive(Debug, Clone)]
pub struct SessionSeat {
    pub seat: SeatId,
    /// Following the presenter, or looking around alone (walkthrough).
    pub lens: Lens,
    /// The help overlay is open, scrolled to this line.
    pub help: Option<usize>,
    /// Typing, picking, confirming, or none of these.
    pub mode: Mode,
    pub flash: Option<Flash>,
    /// Lines scrolled down in the body's list (notes, turns, the write-up), and where it was
    /// scrolled (see `scroll_key`): another segment starts at the top.
    pub scroll: (Option<usize>, usize),
    /// The segment the lens was set in: in another segment the seat follows again.
    pub lens_segment: Option<usize>,
    /// Where the shell saved the write-up, when it has (shown at the end).
    pub saved: Option<String>,
    /// Where the shell saved each DRT segment's table (`X.drt.md and X.drt.csv`), shown at
    /// the end beside the write-up's paths.
    pub tables: Vec<String>,
    /// A problem the shell wants this seat to see (a vista that failed to load).
    pub notice: Option<String>,
    /// Where the walkthrough's panes were last drawn, so a click lands on what it hit.
    pub drawn: PaneHits,
    /// This seat's cursor on a matrix segment's grid: `(row, column)`.
    pub cell: (usize, usize),
    /// This seat's view of a DRT segment's table (its cursor, its editing).
    pub drt: crate::ui::drt::DrtView,
    /// The session's beat at this seat's last key, for its messages.
    now: u64,
}

/// The panes of the last frame drawn, `(pane, area)`: written by [`SessionSeat::draw`]
/// (which only borrows the seat) and read by the next click.
#[derive(Debug, Default)]
pub struct PaneHits(std::sync::Mutex<Vec<(usize, Rect)>>);

impl Clone for PaneHits {
    fn clone(&self) -> PaneHits {
        PaneHits(std::sync::Mutex::new(self.all()))
    }
}

impl PaneHits {
    fn with<T>(&self, f: impl FnOnce(&mut Vec<(usize, Rect)>) -> T) -> T {
        let mut g = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut g)
    }

    fn clear(&self) {
        self.with(Vec::clear);
    }

    fn push(&self, pane: usize, r: Rect) {
        self.with(|v| v.push((pane, r)));
    }

    /// Every pane drawn last, with its area.
    pub fn all(&self) -> Vec<(usize, Rect)> {
        self.with(|v| v.clone())
    }

    /// The pane drawn under `at`, if any.
    pub fn pane_at(&self, at: ratatui::layout::Position) -> Option<usize> {
        self.with(|v| v.iter().find(|(_, r)| r.contains(at)).map(|(p, _)| *p))
    }
}

impl SessionSeat {
    pub fn new(seat: SeatId) -> SessionSeat {
        SessionSeat {
            seat,
            lens: Lens::default(),
            help: None,
            mode: Mode::Browse,
            flash: None,
            scroll: (None, 0),
            lens_segment: None,
            saved: None,
            tables: Vec::new(),
            notice: None,
            drawn: PaneHits::default(),
            cell: (0, 0),
            drt: crate::ui::drt::DrtView::new(seat),
            now: 0,
        }
    }

    /// Handles one input on a screen of size `area`; returns what the shell should do.
    pub fn on_input(
        &mut self,
        input: &crate::input::Input,
        session: &Session,
        area: Rect,
    ) -> Vec<SessionCommand> {
        input::on_input(self, input, session, area)
    }

    /// The room's news for this seat while it is recent (who joined, left or came back, who
    /// presents, facilitates or conducts now): the session's status line shows it, and so
    /// does the drill console in a drill segment, from this one path.
    pub fn news(&self, session: &Session) -> Option<String> {
        status::room_notice(self, session)
    }

    /// The lens in force in the current segment: a lens set in another segment follows, and
    /// the presenter always sees what everyone follows.
    pub fn lens_now(&self, session: &Session) -> Lens {
        let presents = session.presenter == Some(self.seat);
        if !presents && self.lens_segment.is_some() && self.lens_segment == session.current() {
            self.lens
        } else {
            Lens::default()
        }
    }

    /// How far the body's list is scrolled in the current segment (or at the end).
    pub fn scroll_now(&self, session: &Session) -> usize {
        if self.scroll.0 == scroll_key(session) {
            self.scroll.1
        } else {
            0
        }
    }

    /// Draws this seat's screen.
    pub fn draw(&self, buf: &mut Buffer, area: Rect, screen: &SessionScreen<'_>, theme: &Theme) {
        if !crate::ui::prepare(buf, area, layout::MIN, theme) {
            return;
        }
        let s = screen.session;
        self.drawn.clear();
        let l = layout::Layout::of(area);
        header::draw(buf, &l, s, self.seat, theme);
        match (&s.phase, s.current()) {
            (Phase::Ended { .. }, _) => end::draw(buf, l.body, self, s, theme),
            (_, Some(i)) => match &s.plan.setlist.segments[i].kind {
                crate::session::SegmentKind::Walkthrough { .. } => {
                    walkthrough::draw(buf, l.body, self, screen, i, theme)
                }
                crate::session::SegmentKind::Wheel { .. } => {
                    wheel::draw(buf, l.body, self, s, i, theme)
                }
                crate::session::SegmentKind::Drill { .. } => {
                    notes::drill(buf, l.body, self, s, i, theme)
                }
                crate::session::SegmentKind::Discussion { .. } => {
                    notes::discussion(buf, l.body, self, s, i, theme)
                }
                crate::session::SegmentKind::Matrix { .. } => {
                    matrix::draw(buf, l.body, self, s, i, theme)
                }
                crate::session::SegmentKind::Drt { .. } => {
                    drt::draw(buf, l.body, self, s, i, theme)
                }
            },
            _ => notes::gathering(buf, l.body, self, s, theme),
        }
        status::draw(buf, l.status, self, s, theme);
        match &self.mode {
            Mode::Pick(p) => mode::draw_picker(buf, area, p, s, theme),
            Mode::Confirm(c) => mode::draw_confirm(buf, area, *c, theme),
            _ => {}
        }
        if let Some(top) = self.help {
            crate::ui::help::draw(buf, area, "session keys", &help_lines(), top, theme);
        }
    }
}

/// The furthest the body's list scrolls on a screen of size `area`.
fn body_scroll_max(v: &SessionSeat, s: &Session, area: Rect) -> usize {
    let body = layout::Layout::of(area).body;
    let (r, rows) = match (&s.phase, s.current()) {
        (Phase::Ended { .. }, _) => end::scroll_rows(v, s, body),
        (_, Some(i)) => match &s.plan.setlist.segments[i].kind {
            crate::session::SegmentKind::Walkthrough { .. } => {
                walkthrough::scroll_rows(v, s, i, body)
            }
            crate::session::SegmentKind::Wheel { .. } => wheel::scroll_rows(v, s, i, body),
            _ => notes::scroll_rows(v, s, Some(i), body),
        },
        _ => notes::scroll_rows(v, s, None, body),
    };
    list::max_scroll(r, &rows)
}

/// What the body's scroll is kept against: the segment in progress, `None` before the
/// start, and past every segment at the end.
fn scroll_key(session: &Session) -> Option<usize> {
    match session.phase {
        Phase::Gathering => None,
        Phase::In { segment } => Some(segment),
        Phase::Ended { .. } => Some(usize::MAX),
    }
}
