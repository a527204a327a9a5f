//! The peer's screen on the server: a ratatui terminal of the peer's size whose backend writes
//! escape codes into a buffer (sent to the peer as one frame), in the peer's colour depth.
//! ratatui diffs each frame against the last, so only what changed is sent; a frame the peer
//! could not take is made good by a full redraw soon after.

use super::colour::ColourDepth;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// How soon a seat whose frame was dropped gets its full redraw.
pub const RETRY: Duration = Duration::from_millis(250);

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

/// A crossterm backend that writes escape codes for a peer's terminal, in the peer's colour
/// depth, and answers size and cursor questions itself. `CrosstermBackend` would ask the
/// *server's* terminal (ratatui's `Terminal::clear` and `resize` query `size()` and
/// `get_cursor_position()`): that fails with ENXIO in a daemon without a controlling terminal
/// (`gamelan serve`), and on a host with one it sends a cursor-position query to the host's
/// own terminal.
pub struct PeerBackend<W: Write> {
    inner: CrosstermBackend<W>,
    size: Size,
    cursor: Position,
    depth: ColourDepth,
}

impl<W: Write> PeerBackend<W> {
    pub fn new(writer: W, cols: u16, rows: u16, depth: ColourDepth) -> PeerBackend<W> {
        PeerBackend {
            inner: CrosstermBackend::new(writer),
            size: Size::new(cols, rows),
            cursor: Position::ORIGIN,
            depth,
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
        if self.depth == ColourDepth::TrueColour {
            return self.inner.draw(content);
        }
        let depth = self.depth;
        let cells: Vec<(u16, u16, Cell)> = content
            .map(|(x, y, c)| {
                let mut c = c.clone();
                c.fg = depth.map(c.fg);
                c.bg = depth.map(c.bg);
                (x, y, c)
            })
            .collect();
        self.inner.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
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

/// A virtual screen of the peer's size: draws frames, sends what changed, and redraws in full
/// after a frame the peer could not take.
pub struct PeerScreen {
    terminal: Terminal<PeerBackend<Sink>>,
    sink: Sink,
    /// The next frame clears the screen and draws everything.
    full: bool,
    /// When a dropped frame is made good, even if nothing else changes.
    retry: Option<Instant>,
}

impl PeerScreen {
    pub fn new(cols: u16, rows: u16, depth: ColourDepth) -> io::Result<PeerScreen> {
        let sink = Sink::default();
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
        };
        let backend = PeerBackend::new(sink.clone(), cols, rows, depth);
        let terminal = Terminal::with_options(backend, options)?;
        Ok(PeerScreen {
            terminal,
            sink,
            full: true,
            retry: None,
        })
    }

    /// The peer's window changed size; the next frame is drawn in full.
    pub fn resize(&mut self, cols: u16, rows: u16) -> io::Result<()> {
        self.terminal.backend_mut().set_size(cols, rows);
        self.terminal.resize(Rect::new(0, 0, cols, rows))?;
        self.full = true;
        Ok(())
    }

    /// The peer's size.
    pub fn size(&self) -> (u16, u16) {
        let s = self.terminal.backend().size;
        (s.width, s.height)
    }

    /// Draws a frame and queues what changed for the peer. A frame the queue cannot take is
    /// dropped, never waited for; the next frame is then a full redraw, due within
    /// [`RETRY`]. Returns whether the frame was queued.
    pub fn show(
        &mut self,
        out: &mpsc::Sender<Vec<u8>>,
        draw: impl FnOnce(&mut Buffer, Rect),
    ) -> io::Result<bool> {
        if self.full {
            self.terminal.clear()?;
        }
        self.terminal.draw(|f| {
            let area = f.area();
            draw(f.buffer_mut(), area);
        })?;
        let bytes = self.sink.take();
        let sent = out.try_send(bytes).is_ok();
        self.full = !sent;
        self.retry = (!sent).then(|| Instant::now() + RETRY);
        Ok(sent)
    }

    /// When the full redraw of a dropped frame is due.
    pub fn retry_at(&self) -> Option<Instant> {
        self.retry
    }

    /// The retry time came: the caller redraws.
    pub fn retry_due(&mut self) {
        self.retry = None;
    }
}
