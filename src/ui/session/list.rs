//! A scrolling list of rows, the part of each session body that can outgrow the screen
//! (remarks, turns, notes, the write-up). Bodies build their rows with [`wrapped`], draw them
//! with [`draw`], and tell the input side how far they scroll with [`max_scroll`], from the
//! same rows at the same size.

use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::text::{fit, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// One drawn row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub text: String,
    pub meaning: Meaning,
    pub bold: bool,
}

impl Row {
    pub fn new(text: impl Into<String>, meaning: Meaning) -> Row {
        Row {
            text: text.into(),
            meaning,
            bold: false,
        }
    }

    pub fn bold(text: impl Into<String>, meaning: Meaning) -> Row {
        Row {
            bold: true,
            ..Row::new(text, meaning)
        }
    }

    pub fn blank() -> Row {
        Row::new("", Meaning::Text)
    }
}

/// `text` wrapped to `w` cells, continuation rows indented by `indent`.
pub fn wrapped(text: &str, w: usize, indent: usize, meaning: Meaning) -> Vec<Row> {
    let w = w.max(indent + 4);
    let mut out = Vec::new();
    for (n, line) in wrap(text, w - indent).into_iter().enumerate() {
        let line = if n == 0 {
            line
        } else {
            format!("{}{line}", " ".repeat(indent))
        };
        out.push(Row::new(line, meaning));
    }
    if out.is_empty() {
        out.push(Row::new("", meaning));
    }
    out
}

/// The furthest `rows` scroll in `r`.
pub fn max_scroll(r: Rect, rows: &[Row]) -> usize {
    rows.len().saturating_sub(usize::from(r.height).max(1))
}

/// Draws `rows` in `r` from row `scroll` (clamped); the last line says how many more rows
/// are below when they do not fit, and the first how many are above.
pub fn draw(buf: &mut Buffer, r: Rect, rows: &[Row], scroll: usize, theme: &Theme) {
    if r.width == 0 || r.height == 0 {
        return;
    }
    let h = usize::from(r.height);
    let top = scroll.min(max_scroll(r, rows));
    let w = usize::from(r.width);
    for (n, row) in rows.iter().skip(top).take(h).enumerate() {
        let mut style = theme.style(row.meaning);
        if row.bold {
            style = style.add_modifier(Modifier::BOLD);
        }
        buf.set_stringn(r.x, r.y + n as u16, fit(&row.text, w), w, style);
    }
    let muted = theme.style(Meaning::Muted);
    let below = rows.len().saturating_sub(top + h);
    if below > 0 && h > 1 {
        let y = r.bottom() - 1;
        buf.set_style(Rect::new(r.x, y, r.width, 1), theme.style(Meaning::Text));
        let t = format!("↓ {below} more (↓ PgDn)");
        buf.set_stringn(r.x, y, " ".repeat(w), w, muted);
        buf.set_stringn(r.x, y, fit(&t, w), w, muted);
    }
    if top > 0 && h > 2 {
        let t = format!("↑ {top} more");
        buf.set_stringn(r.x, r.y, " ".repeat(w), w, muted);
        buf.set_stringn(r.x, r.y, fit(&t, w), w, muted);
    }
}
