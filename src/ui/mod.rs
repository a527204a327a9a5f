//! Drawing: pure functions from drill state and a seat's view to a ratatui buffer.

pub mod chrome;
pub mod console;
pub mod drt;
pub mod help;
pub mod history;
pub mod layout;
pub mod lobby;
pub mod replay;
pub mod seat;
pub mod session;
#[cfg(test)]
pub(crate) mod testing;
pub mod theme;
pub mod timeline;
pub mod vista;
pub mod vista_input;
pub mod widgets;

use crate::ui::widgets::paint;
use crate::ui::widgets::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use theme::{Meaning, Theme};

/// Paints the screen's background and, when `area` is smaller than `min`, a "terminal too
/// small" notice instead of the screen; returns whether the screen fits.
pub fn prepare(buf: &mut Buffer, area: Rect, min: (u16, u16), theme: &Theme) -> bool {
    paint::fill_style(buf, area, theme.style(Meaning::Text));
    if area.width >= min.0 && area.height >= min.1 {
        return true;
    }
    // What it is, what it needs: the user can see which way to resize.
    let msg = format!(
        "terminal too small: {}x{}, need {}x{}",
        area.width, area.height, min.0, min.1
    );
    for (i, line) in text::wrap(&msg, area.width.max(1) as usize)
        .iter()
        .enumerate()
        .take(area.height as usize)
    {
        paint::stringn(
            buf,
            area.x,
            area.y + i as u16,
            line,
            area.width as usize,
            theme.style(Meaning::Warning),
        );
    }
    false
}

/// Splits off the bottom line of `area` for a status bar: `(body, status)`. `area` must be at
/// least one line high (screens check that with [`prepare`] first).
pub fn status_split(area: Rect) -> (Rect, Rect) {
    let body = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    (
        body,
        Rect {
            y: area.y + body.height,
            height: area.height - body.height,
            ..area
        },
    )
}
