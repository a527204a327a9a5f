//! The lobbies' lists: lines that may be chosen, drawn scrolled so the selection stays in
//! view, and found again under a click.

use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::paint;
use crate::ui::widgets::text::fit;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// The inside of a framed pane.
pub(super) fn inside(r: Rect) -> Rect {
    Rect::new(
        r.x + 1,
        r.y + 1,
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

/// One line of a lobby list.
pub(super) struct Line {
    pub text: String,
    pub meaning: Meaning,
    pub selected: bool,
    /// What a click on the line chooses: a row of the first screen, or a role option.
    pub pick: Option<usize>,
}

impl Line {
    pub(super) fn heading(t: &str) -> Line {
        Line {
            text: t.to_string(),
            meaning: Meaning::Title,
            selected: false,
            pick: None,
        }
    }
    pub(super) fn muted(t: &str) -> Line {
        Line {
            text: t.to_string(),
            meaning: Meaning::Muted,
            selected: false,
            pick: None,
        }
    }
    pub(super) fn warning(t: &str) -> Line {
        Line {
            text: t.to_string(),
            meaning: Meaning::Warning,
            selected: false,
            pick: None,
        }
    }
    pub(super) fn text(t: String) -> Line {
        Line {
            text: t,
            meaning: Meaning::Text,
            selected: false,
            pick: None,
        }
    }
    pub(super) fn blank() -> Line {
        Line::text(String::new())
    }
    pub(super) fn item(text: String, selected: bool, pick: usize) -> Line {
        Line {
            text,
            meaning: Meaning::Text,
            selected,
            pick: Some(pick),
        }
    }

    /// The same line, chosen by a click as `pick`.
    pub(super) fn picks(self, pick: usize) -> Line {
        Line {
            pick: Some(pick),
            ..self
        }
    }
}

/// The first line shown in a list `h` rows high, so that the selected line stays visible
/// with a line of context under it (its seats or description).
pub(super) fn top_line(lines: &[Line], h: usize) -> usize {
    let sel = lines.iter().position(|l| l.selected).unwrap_or(0);
    (sel + 2)
        .saturating_sub(h)
        .min(lines.len().saturating_sub(h))
}

/// Draws `lines` into `r`, scrolled so that the selected line stays visible.
pub(super) fn draw_lines(buf: &mut Buffer, r: Rect, lines: &[Line], theme: &Theme) {
    let h = r.height as usize;
    if h == 0 || r.width == 0 {
        return;
    }
    let top = top_line(lines, h);
    for (i, l) in lines.iter().skip(top).take(h).enumerate() {
        let style = if l.selected {
            theme
                .style(Meaning::Selection)
                .add_modifier(Modifier::REVERSED)
        } else {
            theme.style(l.meaning)
        };
        let w = r.width as usize;
        let text = if l.selected {
            format!("{:<w$}", fit(&l.text, w))
        } else {
            fit(&l.text, w)
        };
        paint::stringn(buf, r.x, r.y + i as u16, text, w, style);
    }
}
