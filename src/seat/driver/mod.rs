//! The remote seat: bytes in, bytes out, and a size. The SSH lobby, the SSH drill seat and the
//! joined terminal (Unix socket) all run on one [`Peer`]: a virtual screen at the peer's size
//! that sends only what changed (like tmux) in the peer's colours, and one key loop with the
//! escape timeout. A slow peer never stalls the room: when its output queue is full the frame
//! is dropped, and a full redraw follows within [`RETRY`]. [`drive`] plays a drill on it and
//! says why the seat ended as a [`SeatEnd`].

pub mod colour;
mod screen;

pub use colour::ColourDepth;
pub use screen::{PeerBackend, PeerScreen, RETRY, Sink};

use super::SeatSession;
use super::keybytes::KeyParser;
use crate::drill::{Action, Drill};
use crate::input::Input;
use crate::room::{Room, Seated};
use crate::ui::seat::Mode;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::io;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

/// Largest seat drawn; bigger windows are clamped.
pub const MAX_COLS: u16 = 500;
pub const MAX_ROWS: u16 = 200;

/// How long a lone ESC waits for the rest of an escape sequence before it is the Esc key.
pub const ESC_TIMEOUT: Duration = Duration::from_millis(40);

/// What the transport tells the seat.
#[derive(Debug)]
pub enum SeatIn {
    Bytes(Vec<u8>),
    Resize { cols: u16, rows: u16 },
}

/// Clamps a peer's window size to something drawable.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    (
        cols.clamp(1, u32::from(MAX_COLS)) as u16,
        rows.clamp(1, u32::from(MAX_ROWS)) as u16,
    )
}

/// Escape codes that set up a peer's terminal for the console, and give it back.
pub const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[2J\x1b[?1000h\x1b[?1006h\x1b[?2004h";
pub const LEAVE: &[u8] = b"\x1b[?2004l\x1b[?1006l\x1b[?1000l\x1b[0m\x1b[?25h\x1b[?1049l";

/// Why a remote seat ended: what the transport prints, the exit status it gives, and whether
/// the player may be coming back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatEnd {
    /// The player left: quit the drill, or the lobby.
    Left,
    /// The room closed under the seat, for this reason.
    RoomClosed(String),
    /// The peer's connection went away; the player may come back for the seat.
    PeerGone,
    /// The seat was turned away before it sat down (a join refused, a bad command).
    Refused(String),
    /// The seat's screen could not be drawn.
    Failed(String),
}

impl SeatEnd {
    /// The line for the peer once its terminal is back.
    pub fn message(&self) -> String {
        match self {
            SeatEnd::Left => "left the drill".into(),
            SeatEnd::RoomClosed(reason) => format!("the drill ended: {reason}"),
            SeatEnd::PeerGone => "disconnected".into(),
            SeatEnd::Refused(reason) => reason.clone(),
            SeatEnd::Failed(e) => format!("the seat failed: {e}"),
        }
    }

    /// Whether this is an ending the player chose or expected (exit status 0).
    pub fn is_clean(&self) -> bool {
        matches!(self, SeatEnd::Left | SeatEnd::RoomClosed(_))
    }
}

impl From<io::Error> for SeatEnd {
    fn from(e: io::Error) -> SeatEnd {
        SeatEnd::Failed(e.to_string())
    }
}

/// Runs a seat's future on a task of its own, so that a panic in it (drawing a frame, say)
/// ends that seat only: the error says what happened, for the transport to tell the player
/// after it has given the terminal back.
pub async fn guarded<T: Send + 'static>(
    seat: impl std::future::Future<Output = T> + Send + 'static,
) -> Result<T, String> {
    match tokio::spawn(seat).await {
        Ok(done) => Ok(done),
        Err(e) if e.is_panic() => {
            let why = e.into_panic();
            let what = why
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| why.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "an internal error".into());
            Err(format!(
                "the seat failed ({}); your terminal is back",
                crate::ui::widgets::text::clean(&what)
            ))
        }
        Err(_) => Err("the seat was stopped".into()),
    }
}

/// What happened at the peer.
#[derive(Debug)]
pub enum PeerEvent {
    /// Keys were pressed, the mouse used, or text pasted.
    Input(Vec<Input>),
    /// The screen needs drawing again (a resize, or a dropped frame to make good).
    Redraw,
    /// The peer's input closed.
    Gone,
}

/// One remote peer: its input, its bounded output queue, its screen and its keys.
pub struct Peer {
    input: mpsc::Receiver<SeatIn>,
    output: mpsc::Sender<Vec<u8>>,
    screen: PeerScreen,
    parser: KeyParser,
    esc_deadline: Option<Instant>,
    entered: bool,
}

impl Peer {
    /// A peer whose terminal is `size` and shows `depth` colours. Nothing is sent until the
    /// first frame.
    pub fn new(
        input: mpsc::Receiver<SeatIn>,
        output: mpsc::Sender<Vec<u8>>,
        size: (u16, u16),
        depth: ColourDepth,
    ) -> io::Result<Peer> {
        let (cols, rows) = clamp_size(u32::from(size.0), u32::from(size.1));
        Ok(Peer {
            input,
            output,
            screen: PeerScreen::new(cols, rows, depth)?,
            parser: KeyParser::default(),
            esc_deadline: None,
            entered: false,
        })
    }

    /// The peer's window size now.
    pub fn size(&self) -> (u16, u16) {
        self.screen.size()
    }

    /// Draws a frame and sends what changed; the first frame switches the peer's terminal to
    /// the alternate screen.
    pub fn show(&mut self, draw: impl FnOnce(&mut Buffer, Rect)) -> io::Result<()> {
        if !self.entered {
            self.entered = true;
            let _ = self.output.try_send(ENTER.to_vec());
        }
        self.screen.show(&self.output, draw).map(|_| ())
    }

    /// The peer's screen, for hit-testing its clicks.
    pub fn area(&self) -> ratatui::layout::Rect {
        let (cols, rows) = self.screen.size();
        ratatui::layout::Rect::new(0, 0, cols, rows)
    }

    /// Waits for the next thing the seat must handle. Cancel-safe: use it in `select!` beside
    /// the room's or lobby's own changes.
    pub async fn next(&mut self) -> PeerEvent {
        loop {
            let retry = self.screen.retry_at();
            tokio::select! {
                msg = self.input.recv() => match msg {
                    None => return PeerEvent::Gone,
                    Some(SeatIn::Resize { cols, rows }) => {
                        let (c, r) = clamp_size(u32::from(cols), u32::from(rows));
                        // A failed resize fails the next draw the same way, which ends the
                        // seat with the reason.
                        let _ = self.screen.resize(c, r);
                        return PeerEvent::Redraw;
                    }
                    Some(SeatIn::Bytes(b)) => {
                        let inputs = self.parser.feed(&b);
                        self.esc_deadline = Some(Instant::now() + ESC_TIMEOUT);
                        if !inputs.is_empty() {
                            return PeerEvent::Input(inputs);
                        }
                    }
                },
                _ = sleep_until(self.esc_deadline.unwrap_or_else(Instant::now)), if self.esc_deadline.is_some() => {
                    self.esc_deadline = None;
                    let inputs = self.parser.flush();
                    if !inputs.is_empty() {
                        return PeerEvent::Input(inputs);
                    }
                }
                _ = sleep_until(retry.unwrap_or_else(Instant::now)), if retry.is_some() => {
                    self.screen.retry_due();
                    return PeerEvent::Redraw;
                }
            }
        }
    }

    /// Gives the peer's terminal back (main screen, cursor shown), if it was taken; waits at
    /// most a second for room in the queue.
    pub async fn give_back(&mut self) {
        if std::mem::take(&mut self.entered) {
            let send = self.output.send(LEAVE.to_vec());
            let _ = tokio::time::timeout(Duration::from_secs(1), send).await;
        }
    }

    /// Sends raw bytes (a last message), waiting at most a second for room in the queue.
    pub async fn send(&self, bytes: Vec<u8>) {
        let _ = tokio::time::timeout(Duration::from_secs(1), self.output.send(bytes)).await;
    }
}

/// The theme a seat of `depth` colours is drawn in: without colour for a terminal that shows
/// none (meanings kept apart by emphasis), else the theme itself, its colours brought down to
/// the depth as each cell is sent.
pub fn theme_for_depth(theme: &Theme, depth: ColourDepth) -> Theme {
    match depth {
        ColourDepth::None => theme.clone().without_colour(),
        _ => theme.clone(),
    }
}

/// The status line's hints for a remote seat: its name first, so a player always sees which
/// seat is theirs (`ana-2 · ? keys · q quit`), and in the briefing who conducts.
pub fn seat_hints(name: &str, drill: &Drill, session: &SeatSession) -> String {
    if drill.is_ended() {
        return format!("{name} · d debrief · q quit");
    }
    if session.view.mode == Mode::Briefing
        && !drill.conducts(session.seat)
        && let Some(c) = drill.conductor()
    {
        return format!("{name} · {} conducts · q quit", c.name);
    }
    format!("{name} · ? keys · q quit")
}

/// Plays `seat` of `room` on `peer` until the player leaves, the peer goes or the room closes.
/// The seat leaves the room exactly once, whatever ended it, so its name can come back; the
/// caller gives the terminal back.
pub async fn drive(room: Room, seat: Seated, theme: &Theme, peer: &mut Peer) -> SeatEnd {
    let end = play(&room, &seat, theme, peer).await;
    if end != SeatEnd::Left {
        // The player did not leave by a key (which sent Leave itself): the seat is no longer
        // present all the same.
        let _ = room.send(seat.id, Action::Leave).await;
    }
    end
}

async fn play(room: &Room, seat: &Seated, theme: &Theme, peer: &mut Peer) -> SeatEnd {
    let mut session = SeatSession::new(room.clone(), seat.id);
    let mut state_rx = room.state();
    // Every wakeup below changes what the seat shows, so each turn of the loop draws (and
    // ratatui sends only the cells that changed).
    loop {
        let state = state_rx.borrow_and_update().clone();
        if let Some(reason) = &state.closed {
            return SeatEnd::RoomClosed(reason.clone());
        }
        session.chrome.hints = Some(seat_hints(&seat.name, &state.drill, &session));
        if let Err(e) = peer.show(|buf, area| session.draw(buf, area, theme, &state)) {
            return e.into();
        }
        let wake = session.wakeup();
        tokio::select! {
            ev = peer.next() => match ev {
                PeerEvent::Gone => return SeatEnd::PeerGone,
                PeerEvent::Redraw => {}
                PeerEvent::Input(inputs) => {
                    let area = peer.area();
                    for input in inputs {
                        if session.on_input(&input, &state, area).await {
                            return match room.is_closed() {
                                true => SeatEnd::RoomClosed(closed_reason(room)),
                                false => SeatEnd::Left,
                            };
                        }
                    }
                }
            },
            changed = state_rx.changed() => {
                if changed.is_err() {
                    return SeatEnd::RoomClosed(closed_reason(room));
                }
                session.observe(&state_rx.borrow());
            }
            _ = sleep_until(wake.unwrap_or_else(Instant::now)), if wake.is_some() => {
                session.on_wakeup();
            }
        }
    }
}

/// Why the room closed, as it said, or a plain reason when it vanished without saying.
fn closed_reason(room: &Room) -> String {
    room.state()
        .borrow()
        .closed
        .clone()
        .unwrap_or_else(|| "the drill closed".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_seat_ends_alone_and_says_why() {
        let other = tokio::spawn(async { 41 + 1 });
        let failed = guarded(async {
            if std::hint::black_box(true) {
                panic!("min > max, or either was NaN");
            }
            0
        })
        .await;
        let why = failed.unwrap_err();
        assert!(why.contains("min > max"), "{why}");
        assert!(why.contains("your terminal is back"), "{why}");
        assert_eq!(other.await.unwrap(), 42, "the other task ran on");
        assert_eq!(guarded(async { 7 }).await, Ok(7));
    }
    use crate::scenario::bundled;

    fn drill() -> Drill {
        Drill::new(bundled().remove(0).scenario, 1)
    }

    /// A peer whose frames nobody takes for a while gets a full redraw within RETRY once
    /// its queue has room again, even when nothing else changes.
    #[tokio::test(start_paused = true)]
    async fn a_dropped_frame_is_redrawn_in_full_soon_after() {
        let (_in_tx, input) = mpsc::channel(4);
        let (output, mut frames) = mpsc::channel(1);
        let mut peer = Peer::new(input, output, (40, 10), ColourDepth::Ansi256).unwrap();
        // ENTER fills the one-frame queue: the first frame is dropped.
        peer.show(|buf, _| buf.set_string(0, 0, "hello", ratatui::style::Style::new()))
            .unwrap();
        assert_eq!(frames.recv().await.unwrap(), ENTER);
        assert!(frames.try_recv().is_err(), "the frame was dropped");
        let start = Instant::now();
        assert!(matches!(peer.next().await, PeerEvent::Redraw));
        assert!(Instant::now() - start <= RETRY);
        peer.show(|buf, _| buf.set_string(0, 0, "hello", ratatui::style::Style::new()))
            .unwrap();
        let redraw = String::from_utf8(frames.recv().await.unwrap()).unwrap();
        assert!(
            redraw.contains("\x1b[J") && redraw.contains("hello"),
            "{redraw:?}"
        );
        // Nothing changed since: the next frame sends (almost) nothing, and no retry is due.
        peer.show(|buf, _| buf.set_string(0, 0, "hello", ratatui::style::Style::new()))
            .unwrap();
        let again = frames.recv().await.unwrap();
        assert!(!String::from_utf8_lossy(&again).contains("hello"));
        assert!(peer.screen.retry_at().is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_lone_escape_becomes_the_esc_key_after_the_timeout() {
        let (in_tx, input) = mpsc::channel(4);
        let (output, _frames) = mpsc::channel(4);
        let mut peer = Peer::new(input, output, (80, 24), ColourDepth::Ansi256).unwrap();
        in_tx.send(SeatIn::Bytes(b"\x1b".to_vec())).await.unwrap();
        let start = Instant::now();
        let PeerEvent::Input(keys) = peer.next().await else {
            panic!("expected keys")
        };
        assert_eq!(
            keys[0],
            Input::Key(crate::input::Key::plain(crate::input::KeyCode::Esc))
        );
        assert!(Instant::now() - start >= ESC_TIMEOUT);
        // An arrow key split across two chunks is one key, not Esc then text.
        in_tx.send(SeatIn::Bytes(b"\x1b[".to_vec())).await.unwrap();
        in_tx.send(SeatIn::Bytes(b"A".to_vec())).await.unwrap();
        let PeerEvent::Input(keys) = peer.next().await else {
            panic!("expected keys")
        };
        assert_eq!(keys.len(), 1);
        assert_eq!(
            keys[0],
            Input::Key(crate::input::Key::plain(crate::input::KeyCode::Up))
        );
        drop(in_tx);
        assert!(matches!(peer.next().await, PeerEvent::Gone));
    }

    #[tokio::test(start_paused = true)]
    async fn colour_is_drawn_in_the_peers_depth() {
        use ratatui::style::{Color, Style};
        let frame = |depth| async move {
            let (_in_tx, input) = mpsc::channel(1);
            let (output, mut frames) = mpsc::channel(4);
            let mut peer = Peer::new(input, output, (10, 1), depth).unwrap();
            let style = Style::new().fg(Color::Rgb(255, 135, 0));
            peer.show(|buf, _| buf.set_string(0, 0, "x", style))
                .unwrap();
            frames.recv().await.unwrap();
            String::from_utf8(frames.recv().await.unwrap()).unwrap()
        };
        assert!(
            frame(ColourDepth::TrueColour)
                .await
                .contains("38;2;255;135;0")
        );
        assert!(frame(ColourDepth::Ansi256).await.contains("38;5;208"));
        // Yellow, one of the 16 (crossterm writes those as palette entries 0-15).
        let sixteen = frame(ColourDepth::Ansi16).await;
        assert!(
            sixteen.contains("38;5;3;") && !sixteen.contains("38;2;"),
            "{sixteen:?}"
        );
        let none = frame(ColourDepth::None).await;
        assert!(!none.contains("38;"), "{none:?}");
    }

    /// A joined seat that quits is recorded as leaving once: by its key, not again by the
    /// driver on the way out.
    #[tokio::test]
    async fn a_seat_that_quits_is_recorded_leaving_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let d = drill();
        let header = crate::record::Header::for_drill(&d, Vec::new());
        let recorder = crate::record::Recorder::create(&path, &header).unwrap();
        let room = Room::spawn("t".into(), d, Some(recorder));
        let seat = room
            .take_seat("bo", None, crate::room::Naming::Exact)
            .await
            .unwrap();
        let (in_tx, input) = mpsc::channel(4);
        let (output, mut frames) = mpsc::channel(64);
        tokio::spawn(async move { while frames.recv().await.is_some() {} });
        let mut peer = Peer::new(input, output, (80, 24), ColourDepth::Ansi256).unwrap();
        in_tx.send(SeatIn::Bytes(b"q".to_vec())).await.unwrap();
        let end = drive(room.clone(), seat, &Theme::default(), &mut peer).await;
        assert_eq!(end, SeatEnd::Left);
        room.close("done").await;
        room.state().wait_for(|s| s.closed.is_some()).await.unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let leaves = text
            .lines()
            .filter(|l| l.contains(r#""do":"leave""#))
            .count();
        assert_eq!(leaves, 1, "{text}");
    }
}
