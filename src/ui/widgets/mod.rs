//! Widgets every screen shares: titled blocks, popups, prose reflow, charts, text fitting and
//! scrolling documents. They draw into a buffer from values and know no drill.

pub mod chart;
pub mod document;
pub mod paint;
pub mod plot;
pub mod quantity;
pub mod text;

use crate::ui::theme::{Meaning, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, BorderType, Clear, Widget};
use text::{fit, width};

/// Draws a pane's frame and returns the inside.
pub fn block(buf: &mut Buffer, r: Rect, title: String, focused: bool, theme: &Theme) -> Rect {
    let title_style = if focused {
        theme.style(Meaning::Focus).add_modifier(Modifier::BOLD)
    } else {
        theme.style(Meaning::Title)
    };
    let kind = if focused {
        BorderType::Thick
    } else {
        BorderType::Rounded
    };
    let title = ratatui::text::Span::styled(
        format!(" {} ", fit(&title, r.width.saturating_sub(4) as usize)),
        title_style,
    );
    paint::bordered(buf, r, kind, theme.block_border(focused), title);
    Block::bordered().inner(r)
}

pub fn popup(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2));
    let h = h.min(area.height.saturating_sub(2));
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub fn text_popup(
    buf: &mut Buffer,
    area: Rect,
    title: &str,
    lines: &[(String, Style)],
    theme: &Theme,
    min_w: u16,
) {
    let w = lines
        .iter()
        .map(|(l, _)| width(l) as u16)
        .max()
        .unwrap_or(10)
        .max(min_w)
        + 4;
    let r = popup(area, w, lines.len() as u16 + 2);
    Clear.render(r, buf);
    paint::fill_style(buf, r, theme.style(Meaning::Text));
    let inner = block(buf, r, title.to_string(), true, theme);
    for (n, (l, st)) in lines.iter().enumerate().take(inner.height as usize) {
        paint::stringn(
            buf,
            inner.x + 1,
            inner.y + n as u16,
            l,
            inner.width.saturating_sub(1) as usize,
            *st,
        );
    }
}

/// Joins hard-wrapped lines into paragraphs (blank lines stay paragraph breaks), for prose
/// written across several lines in a TOML string.
pub fn reflow(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}
