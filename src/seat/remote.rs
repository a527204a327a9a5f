//! A remote seat: bytes in, bytes out, and a size. The SSH channel and the joined terminal
//! both run this driver; it renders the seat's view at the peer's size (like tmux) and sends
//! only what changed. A slow peer never stalls the room: when its output queue is full the
//! frame is dropped and the next one is a full redraw.

use super::SeatSession;
use super::keys::KeyParser;
use crate::drill::SeatId;
use crate::room::Room;
use crate::ui::theme::Theme;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

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

/// Bytes written by ratatui for one frame.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

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
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

/// A virtual screen of the peer's size.
struct Screen {
    terminal: Terminal<CrosstermBackend<Sink>>,
    sink: Sink,
    full_redraw: bool,
}

impl Screen {
    fn new(cols: u16, rows: u16) -> io::Result<Screen> {
        let sink = Sink::default();
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
        };
        let terminal = Terminal::with_options(CrosstermBackend::new(sink.clone()), options)?;
        Ok(Screen {
            terminal,
            sink,
            full_redraw: true,
        })
    }

    fn resize(&mut self, cols: u16, rows: u16) -> io::Result<()> {
        self.terminal.resize(Rect::new(0, 0, cols, rows))?;
        self.full_redraw = true;
        Ok(())
    }
}

/// Escape codes that set up a peer's terminal for the console, and give it back.
pub const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[2J";
pub const LEAVE: &[u8] = b"\x1b[0m\x1b[?25h\x1b[?1049l";

/// Runs a remote seat until its peer leaves (input closes or it quits) or the room closes.
/// Returns why it ended, for the transport to print after the terminal is given back.
pub async fn drive(
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
    let reason = loop {
        let state = state_rx.borrow_and_update().clone();
        if let Some(reason) = &state.closed {
            break format!("the drill ended: {reason}");
        }
        if dirty {
            if screen.full_redraw {
                screen.terminal.clear()?;
            }
            let area = screen.terminal.get_frame().area();
            screen
                .terminal
                .draw(|f| session.draw(f.buffer_mut(), area, &theme, &state))?;
            let bytes = screen.sink.take();
            // Frames are dropped, never queued without bound, when the peer is slow.
            screen.full_redraw = output.try_send(bytes).is_err();
            dirty = false;
        }
        let wake = session.wakeup();
        tokio::select! {
            msg = input.recv() => match msg {
                None => {
                    let _ = room.send(seat, crate::drill::Action::Leave).await;
                    break "disconnected".to_string();
                }
                Some(SeatIn::Resize { cols, rows }) => {
                    let (c, r) = clamp_size(u32::from(cols), u32::from(rows));
                    screen.resize(c, r)?;
                    dirty = true;
                }
                Some(SeatIn::Bytes(b)) => {
                    for key in parser.feed(&b) {
                        if session.on_key(key, &state).await {
                            let _ = output.send(LEAVE.to_vec()).await;
                            return Ok("left the drill".into());
                        }
                    }
                    esc_deadline = Some(Instant::now() + Duration::from_millis(40));
                    dirty = true;
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
            _ = sleep_until(esc_deadline.unwrap_or_else(Instant::now)), if esc_deadline.is_some() => {
                esc_deadline = None;
                for key in parser.flush() {
                    if session.on_key(key, &state).await {
                        let _ = output.send(LEAVE.to_vec()).await;
                        return Ok("left the drill".into());
                    }
                    dirty = true;
                }
            }
        }
    };
    let _ = output.send(LEAVE.to_vec()).await;
    Ok(reason)
}
