//! A remote seat: bytes in, bytes out, and a size. The SSH channel and the joined terminal
//! both run this driver; it renders the seat's view at the peer's size (like tmux) and sends
//! only what changed. A slow peer never stalls the room: when its output queue is full the
//! frame is dropped and the next one is a full redraw.

use super::SeatSession;
use super::keybytes::KeyParser;
use crate::drill::SeatId;
use crate::room::Room;
use crate::ui::theme::Theme;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

/// How soon a seat whose frame was dropped gets its full redraw.
const RETRY: Duration = Duration::from_millis(250);

/// Largest seat drawn; bigger windows are clamped.
pub const MAX_COLS: u16 = 500;
pub const MAX_ROWS: u16 = 200;

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

/// Bytes written by ratatui for one frame, taken out to send to the peer.
#[derive(Clone, Default)]
pub struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Sink {
    /// Takes the bytes written so far.
    pub fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

/// A crossterm backend that writes escape codes for a peer's terminal and answers size and
/// cursor questions itself. `CrosstermBackend` would ask the *server's* terminal (ratatui's
/// `Terminal::clear` and `resize` query `size()` and `get_cursor_position()`): that fails with
/// ENXIO in a daemon without a controlling terminal (`gamelan serve`), and on a host with one
/// it sends a cursor-position query to the host's own terminal.
pub struct PeerBackend<W: Write> {
    inner: CrosstermBackend<W>,
    size: Size,
    cursor: Position,
}

impl<W: Write> PeerBackend<W> {
    pub fn new(writer: W, cols: u16, rows: u16) -> PeerBackend<W> {
        PeerBackend {
            inner: CrosstermBackend::new(writer),
            size: Size::new(cols, rows),
            cursor: Position::ORIGIN,
        }
    }

    /// The peer's window changed size.
    pub fn set_size(&mut self, cols: u16, rows: u16) {
        self.size = Size::new(cols, rows);
    }
}

impl<W: Write> Backend for PeerBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.cursor = position.into();
        self.inner.set_cursor_position(self.cursor)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// A virtual screen of the peer's size.
struct Screen {
    terminal: Terminal<PeerBackend<Sink>>,
    sink: Sink,
    full_redraw: bool,
}

impl Screen {
    fn new(cols: u16, rows: u16) -> io::Result<Screen> {
        let sink = Sink::default();
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
        };
        let terminal = Terminal::with_options(PeerBackend::new(sink.clone(), cols, rows), options)?;
        Ok(Screen {
            terminal,
            sink,
            full_redraw: true,
        })
    }

    fn resize(&mut self, cols: u16, rows: u16) -> io::Result<()> {
        self.terminal.backend_mut().set_size(cols, rows);
        self.terminal.resize(Rect::new(0, 0, cols, rows))?;
        self.full_redraw = true;
        Ok(())
    }
}

/// Escape codes that set up a peer's terminal for the console (alternate screen, no cursor,
/// and [`super::keybytes::MOUSE_ON`]: mouse reports and bracketed paste), and give it back.
pub const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[2J\x1b[?1000h\x1b[?1006h\x1b[?2004h";
pub const LEAVE: &[u8] = b"\x1b[?2004l\x1b[?1006l\x1b[?1000l\x1b[0m\x1b[?25h\x1b[?1049l";

/// Runs a remote seat until its peer leaves (input closes or it quits) or the room closes.
/// Returns why it ended, for the transport to print after the terminal is given back.
pub async fn drive(
    room: Room,
    seat: SeatId,
    theme: Theme,
    size: (u16, u16),
    input: mpsc::Receiver<SeatIn>,
    output: mpsc::Sender<Vec<u8>>,
) -> io::Result<String> {
    let result = drive_inner(room.clone(), seat, theme, size, input, output.clone()).await;
    // Whatever ended the seat (the peer, the room, a drawing error), it is no longer present,
    // so its name can come back; and the peer's terminal is given back if it still listens.
    let _ = room.send(seat, crate::drill::Action::Leave).await;
    let _ = tokio::time::timeout(Duration::from_secs(1), output.send(LEAVE.to_vec())).await;
    result
}

async fn drive_inner(
    room: Room,
    seat: SeatId,
    theme: Theme,
    size: (u16, u16),
    mut input: mpsc::Receiver<SeatIn>,
    output: mpsc::Sender<Vec<u8>>,
) -> io::Result<String> {
    let mut session = SeatSession::new(room.clone(), seat);
    let mut state_rx = room.state();
    let mut screen = Screen::new(size.0, size.1)?;
    let mut parser = KeyParser::default();
    let _ = output.try_send(ENTER.to_vec());
    let mut dirty = true;
    let mut esc_deadline: Option<Instant> = None;
    let mut retry: Option<Instant> = None;
    let mut area = screen.terminal.get_frame().area();
    let reason = loop {
        let state = state_rx.borrow_and_update().clone();
        if let Some(reason) = &state.closed {
            break format!("the drill ended: {reason}");
        }
        if dirty {
            if screen.full_redraw {
                screen.terminal.clear()?;
            }
            area = screen.terminal.get_frame().area();
            screen
                .terminal
                .draw(|f| session.draw(f.buffer_mut(), area, &theme, &state))?;
            let bytes = screen.sink.take();
            // Frames are dropped, never queued without bound, when the peer is slow.
            screen.full_redraw = output.try_send(bytes).is_err();
            // A dropped frame is made good soon even if nothing else changes (a briefing).
            retry = screen.full_redraw.then(|| Instant::now() + RETRY);
            dirty = false;
        }
        let wake = session.wakeup();
        tokio::select! {
            msg = input.recv() => match msg {
                None => {
                    break "disconnected".to_string();
                }
                Some(SeatIn::Resize { cols, rows }) => {
                    let (c, r) = clamp_size(u32::from(cols), u32::from(rows));
                    screen.resize(c, r)?;
                    dirty = true;
                }
                Some(SeatIn::Bytes(b)) => {
                    for input in parser.feed(&b) {
                        if session.on_input(&input, &state, area).await {
                            return Ok("left the drill".into());
                        }
                        dirty |= input.redraws();
                    }
                    esc_deadline = Some(Instant::now() + Duration::from_millis(40));
                }
            },
            changed = state_rx.changed() => {
                if changed.is_err() {
                    break "the drill ended".to_string();
                }
                session.observe(&state_rx.borrow());
                dirty = true;
            }
            _ = sleep_until(wake.unwrap_or_else(Instant::now)), if wake.is_some() => {
                session.on_wakeup();
                dirty = true;
            }
            _ = sleep_until(retry.unwrap_or_else(Instant::now)), if retry.is_some() => {
                retry = None;
                dirty = true;
            }
            _ = sleep_until(esc_deadline.unwrap_or_else(Instant::now)), if esc_deadline.is_some() => {
                esc_deadline = None;
                for input in parser.flush() {
                    if session.on_input(&input, &state, area).await {
                        return Ok("left the drill".into());
                    }
                    dirty = true;
                }
            }
        }
    };
    Ok(reason)
}
