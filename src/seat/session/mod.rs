//! A seat in a live session: one participant's (or observer's) view of a [`SessionRoom`].
//! Between drills the seat is the session's screen ([`crate::ui::session`]): its keys become
//! session actions for the room (an observer's are sent too, and the room refuses them). In a
//! drill segment the seat sits in the segment's drill room and draws the drill console under
//! the session's strip, with the drill's own keys; an observer watches the drill and its
//! drill actions never leave the seat. When the drill is over the seat is back on the
//! session's screen. [`drive`] plays a seat on a remote peer; [`local`] on this terminal.

pub mod local;

use crate::drill::Drill;
use crate::drill::SeatId;
use crate::input::Input;
use crate::input::Key;
use crate::keymap::{self, Act, Scope};
use crate::room::session::{DrillStage, SessionRoom, SessionState};
use crate::room::{Room, RoomState, Seated};
use crate::seat::SeatSession;
use crate::seat::driver::{Peer, PeerEvent, SeatEnd};
use crate::session::Session;
use crate::session::SessionAction;
use crate::ui::seat::{Command, Flash, Mode};
use crate::ui::session::{EXTEND_MINUTES, SessionCommand, SessionScreen, SessionSeat};
use crate::ui::session::{strip, strip_hint};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use tokio::sync::watch;
use tokio::time::{Instant, sleep_until};

/// The drill seat an observer watches a drill through: it never joins the drill.
pub const WATCHING: SeatId = SeatId::MAX - 1;

/// The seat's place in the drill segment's drill.
pub struct DrillSeat {
    pub segment: usize,
    pub room: Room,
    /// This seat's id in the drill, or [`WATCHING`].
    pub id: SeatId,
    pub seat: SeatSession,
    state: watch::Receiver<RoomState>,
    /// The drill's room has gone; the session's next snapshot takes the seat back.
    gone: bool,
    /// The setlist key was pressed: the next key moves the setlist.
    pub setlist: bool,
}

/// One seat of a session.
pub struct SessionSeatState {
    pub room: SessionRoom,
    pub seat: SeatId,
    pub name: String,
    pub observer: bool,
    pub ui: SessionSeat,
    pub drill: Option<DrillSeat>,
}

impl SessionSeatState {
    pub fn new(room: SessionRoom, seated: &Seated, observer: bool) -> SessionSeatState {
        SessionSeatState {
            room,
            seat: seated.id,
            name: seated.name.clone(),
            observer,
            ui: SessionSeat::new(seated.id),
            drill: None,
        }
    }

    /// Takes in a new snapshot: sits down in the drill segment's drill, or gets up from it.
    pub fn observe(&mut self, state: &SessionState) {
        // Where the write-up went, and what went wrong recording or saving, for the screens.
        if let Some(saved) = &state.saved {
            self.ui.saved = saved
                .writeup
                .as_ref()
                .map(|(md, json)| format!("{} and {}", md.display(), json.display()));
            self.ui.tables = (saved.drt.iter())
                .map(|(md, csv)| format!("{} and {}", md.display(), csv.display()))
                .collect();
        }
        self.ui.notice = state
            .notice
            .clone()
            .or_else(|| state.saved.as_ref().and_then(|s| s.problem.clone()));
        match (&state.drill, &self.drill) {
            (Some(stage), Some(d))
                if d.segment == stage.segment && d.room.name == stage.room.name =>
            {
                // Seated after the drill started (a late joiner): take the real seat.
                if let Some(id) = stage.seat_of(self.seat).filter(|_| !self.observer)
                    && d.id != id
                {
                    self.sit(stage);
                }
            }
            (Some(stage), _) => self.sit(stage),
            (None, Some(_)) => self.drill = None,
            (None, None) => {}
        }
        // The drill console shows the session's news and problems as the session's screen
        // does, from the same notices.
        if let Some(d) = &mut self.drill {
            d.seat.chrome.news = self.ui.news(&state.session);
            if self.ui.notice.is_some() {
                d.seat.chrome.notice = self.ui.notice.clone();
            }
        }
    }

    fn sit(&mut self, stage: &DrillStage) {
        let id = match self.observer {
            true => WATCHING,
            false => stage.seat_of(self.seat).unwrap_or(WATCHING),
        };
        let mut seat = SeatSession::new(stage.room.clone(), id);
        seat.chrome.hints = Some(self.drill_hints(stage));
        self.drill = Some(DrillSeat {
            segment: stage.segment,
            room: stage.room.clone(),
            id,
            seat,
            state: stage.room.state(),
            gone: false,
            setlist: false,
        });
    }

    fn drill_hints(&self, _stage: &DrillStage) -> String {
        let who = if self.observer {
            format!("{} (observing)", self.name)
        } else {
            self.name.clone()
        };
        format!("{who} · session {} · ? keys · q leave", self.room.name)
    }

    /// Resolves when the drill this seat sits in changed (and takes it in); never while the
    /// seat is on the session's screen.
    pub async fn drill_changed(&mut self) {
        match &mut self.drill {
            Some(d) if !d.gone => {
                if d.state.changed().await.is_err() {
                    d.gone = true;
                } else {
                    let st = d.state.borrow().clone();
                    d.seat.observe(&st);
                }
            }
            _ => std::future::pending().await,
        }
    }

    /// When the seat next needs a redraw on its own (the drill's pulse going dark).
    pub fn wakeup(&self) -> Option<Instant> {
        self.drill.as_ref().and_then(|d| d.seat.wakeup())
    }

    pub fn on_wakeup(&mut self) {
        if let Some(d) = &mut self.drill {
            d.seat.on_wakeup();
        }
    }

    /// The parts of a frame: the strip's line and the drill console's area.
    fn split(area: Rect) -> (Rect, Rect) {
        if area.height < 2 {
            return (Rect { height: 0, ..area }, area);
        }
        (
            Rect { height: 1, ..area },
            Rect {
                y: area.y + 1,
                height: area.height - 1,
                ..area
            },
        )
    }

    /// Handles one input on a screen of size `area`; true when the seat leaves.
    pub async fn on_input(&mut self, input: &Input, state: &SessionState, area: Rect) -> bool {
        if let Some(d) = &mut self.drill {
            let (_, console) = Self::split(area);
            let drill = d.state.borrow().clone();
            if let Some(action) = setlist_key(d, input, &drill.drill, &state.session, self.seat) {
                if let Some(a) = action
                    && self.room.act(self.seat, a).await.is_err()
                {
                    return true;
                }
                return false;
            }
            for cmd in d.seat.view.on_input(input, &drill.drill, console) {
                match cmd {
                    Command::Quit => {
                        let _ = self.room.act(self.seat, SessionAction::Leave).await;
                        return true;
                    }
                    Command::Start if d.id != WATCHING && drill.drill.conducts(d.id) => {
                        d.seat.view.mode = Mode::Playing;
                        d.room.start().await;
                    }
                    Command::Start => {
                        d.seat.view.mode = Mode::Briefing;
                        d.seat.view.flash = Some(Flash {
                            text: SeatSession::waiting_for_conductor(&drill.drill),
                            error: false,
                        });
                    }
                    Command::Drill(_) if d.id == WATCHING => {
                        d.seat.view.flash = Some(Flash {
                            text: "observers watch the drill; they do not act in it".into(),
                            error: true,
                        });
                    }
                    Command::Drill(a) => {
                        let _ = d.room.send(d.id, a).await;
                    }
                    // The drill's own debrief waits for the session's write-up.
                    Command::Debrief | Command::DebriefHtml | Command::Table => {}
                }
            }
            return false;
        }
        for cmd in self.ui.on_input(input, &state.session, area) {
            match cmd {
                SessionCommand::Act(SessionAction::Leave) | SessionCommand::Quit => {
                    let _ = self.room.act(self.seat, SessionAction::Leave).await;
                    return true;
                }
                SessionCommand::Act(a) => {
                    if self.room.act(self.seat, a).await.is_err() {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Draws this seat's frame: the session's screen, or in a drill the session's strip over
    /// the drill console.
    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme, state: &SessionState) {
        match &self.drill {
            Some(d) => {
                let (top, console) = Self::split(area);
                let drill = d.state.borrow().clone();
                d.seat.draw(buf, console, theme, &drill);
                if top.height > 0 {
                    let hint = setlist_hint(d, &state.session, self.seat);
                    let clock_x = strip(buf, top, &state.session, theme);
                    if let Some(h) = hint {
                        strip_hint(buf, top, clock_x, &h, d.setlist, theme);
                    }
                }
            }
            None => {
                let screen = SessionScreen {
                    session: &state.session,
                    vista: state.vista.as_deref(),
                    now: crate::vista::time::now_unix(),
                };
                self.ui.draw(buf, area, &screen, theme);
            }
        }
    }
}

/// The setlist keys inside a drill segment's console: the setlist key (a facilitator's, or
/// the seat conducting while the facilitator is away), then `>` next, `<` back, `+` five more
/// minutes or `s` skip; any other key leaves the setlist as it is. `None`: the key is the
/// drill's (keys typed into a note or the help always are); `Some(action)`: the key was the
/// setlist's, with the session action to send, if any.
fn setlist_key(
    d: &mut DrillSeat,
    input: &Input,
    drill: &Drill,
    s: &Session,
    me: SeatId,
) -> Option<Option<SessionAction>> {
    let Input::Key(key) = input else {
        return None;
    };
    if d.setlist {
        d.setlist = false;
        let beats = EXTEND_MINUTES * u64::from(s.plan.setlist.bpm);
        let action = match keymap::lookup(Scope::Session, *key) {
            Some(Act::SegmentNext) => Some(SessionAction::Next),
            Some(Act::SegmentBack) if s.current().is_some_and(|i| i > 0) => {
                Some(SessionAction::Back)
            }
            Some(Act::Extend) => Some(SessionAction::Extend { beats }),
            Some(Act::Skip) => Some(SessionAction::Skip),
            _ => None,
        };
        d.seat.view.flash = Some(Flash {
            text: match &action {
                Some(SessionAction::Extend { .. }) => {
                    format!("{EXTEND_MINUTES} more minutes for this segment")
                }
                Some(a) => format!("setlist: {}", a.name()),
                None => "the setlist is left as it is".into(),
            },
            error: false,
        });
        return Some(action);
    }
    let typing = !matches!(d.seat.view.mode, Mode::Playing | Mode::Briefing);
    if typing || d.seat.view.help.is_some() || !is_setlist_key(*key, drill) {
        return None;
    }
    if s.conducts(me) {
        d.setlist = true;
        d.seat.view.flash = None;
    } else {
        d.seat.view.flash = Some(Flash {
            text: format!(
                "only the facilitator moves the setlist ({} conducts)",
                s.conductor().map_or("nobody", |c| s.seat_name(c))
            ),
            error: true,
        });
    }
    Some(None)
}

/// Whether `key` is the setlist key here (the console reserves it, so no cue can bind it).
fn is_setlist_key(key: Key, drill: &Drill) -> bool {
    let scope = if drill.is_ended() {
        Scope::Ended
    } else {
        Scope::Drill
    };
    keymap::lookup(scope, key) == Some(Act::Setlist)
}

/// The strip's hint for the setlist keys: for the seat that conducts the session, the
/// setlist key, or, once pressed, what the next key does.
fn setlist_hint(d: &DrillSeat, s: &Session, me: SeatId) -> Option<String> {
    if !s.conducts(me) {
        return None;
    }
    let k = |a| keymap::key_label(Scope::Session, a);
    Some(if d.setlist {
        format!(
            "setlist: {} next · {} back · {} {EXTEND_MINUTES} more minutes · {} skip · any other key: none",
            k(Act::SegmentNext),
            k(Act::SegmentBack),
            k(Act::Extend),
            k(Act::Skip)
        )
    } else {
        format!("{} setlist", keymap::key_label(Scope::Drill, Act::Setlist))
    })
}

/// Plays a session seat on a remote `peer` until the person leaves, the peer goes or the room
/// closes; the seat leaves the session exactly once, whatever ended it. The caller gives the
/// terminal back.
pub async fn drive(
    room: SessionRoom,
    seated: Seated,
    observer: bool,
    theme: &Theme,
    peer: &mut Peer,
) -> SeatEnd {
    let mut seat = SessionSeatState::new(room.clone(), &seated, observer);
    let end = play(&mut seat, theme, peer).await;
    if end != SeatEnd::Left {
        let _ = room.act(seated.id, SessionAction::Leave).await;
    }
    end
}

async fn play(seat: &mut SessionSeatState, theme: &Theme, peer: &mut Peer) -> SeatEnd {
    let mut rx = seat.room.state();
    loop {
        let state = rx.borrow_and_update().clone();
        if let Some(reason) = &state.closed {
            return SeatEnd::RoomClosed(reason.clone());
        }
        seat.observe(&state);
        if let Err(e) = peer.show(|buf, area| seat.draw(buf, area, theme, &state)) {
            return e.into();
        }
        let wake = seat.wakeup();
        tokio::select! {
            ev = peer.next() => match ev {
                PeerEvent::Gone => return SeatEnd::PeerGone,
                PeerEvent::Redraw => {}
                PeerEvent::Input(inputs) => {
                    let area = peer.area();
                    for input in inputs {
                        if seat.on_input(&input, &state, area).await {
                            return match seat.room.is_closed() {
                                true => SeatEnd::RoomClosed(closed_reason(&seat.room)),
                                false => SeatEnd::Left,
                            };
                        }
                    }
                }
            },
            changed = rx.changed() => {
                if changed.is_err() {
                    return SeatEnd::RoomClosed(closed_reason(&seat.room));
                }
            }
            () = seat.drill_changed() => {}
            _ = sleep_until(wake.unwrap_or_else(Instant::now)), if wake.is_some() => {
                seat.on_wakeup();
            }
        }
    }
}

/// Why the session closed, as it said.
pub fn closed_reason(room: &SessionRoom) -> String {
    room.state()
        .borrow()
        .closed
        .clone()
        .unwrap_or_else(|| "the session closed".into())
}
