//! What the views' unit tests share: a drawn buffer read back as the text a user would see,
//! and the inputs they press.

use crate::input::{Input, Key, KeyCode};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The screen most view tests draw at.
pub(crate) const SCREEN: Rect = Rect::new(0, 0, 80, 24);

/// The buffer's rows as text, untrimmed, joined by newlines.
pub(crate) fn rows(buf: &Buffer) -> String {
    let a = buf.area;
    (0..a.height)
        .map(|y| {
            (0..a.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `draw` paints on an empty `w`x`h` screen, as [`rows`].
pub(crate) fn drawn(w: u16, h: u16, draw: impl FnOnce(&mut Buffer, Rect)) -> String {
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    draw(&mut buf, area);
    rows(&buf)
}

/// A key without modifiers.
pub(crate) fn key(code: KeyCode) -> Input {
    Input::Key(Key::plain(code))
}

/// A typed character.
pub(crate) fn ch(c: char) -> Input {
    Input::Key(Key::char(c))
}
