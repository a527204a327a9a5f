//! A full-screen, scrollable text document (the debrief, the outcome) with a key legend.

use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::text::{fit, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// A document being read, and where.
#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    pub body: String,
    pub scroll: usize,
    /// Shown on the bottom line (keys, or the result of the last save).
    pub footer: String,
    /// Where `s` saves the body; `None` means the document cannot be saved.
    pub save_to: Option<std::path::PathBuf>,
}

impl Document {
    pub fn new(
        title: impl Into<String>,
        body: impl Into<String>,
        footer: impl Into<String>,
    ) -> Document {
        Document {
            title: title.into(),
            body: body.into(),
            scroll: 0,
            footer: footer.into(),
            save_to: None,
        }
    }

    /// Writes the body to `save_to` and says how it went on the footer.
    pub fn save(&mut self) {
        self.footer = match &self.save_to {
            None => "nothing to save to: this drill was not recorded".into(),
            Some(p) => match std::fs::write(p, &self.body) {
                Ok(()) => format!("saved to {} · q back", p.display()),
                Err(e) => format!("could not save to {}: {e}", p.display()),
            },
        };
    }

    pub fn scroll_by(&mut self, lines: isize) {
        self.scroll = self.scroll.saturating_add_signed(lines);
    }

    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        buf.set_style(area, theme.style(Meaning::Text));
        if area.width < 4 || area.height < 3 {
            return;
        }
        let (body_area, status) = crate::ui::status_split(area);
        let inner = block(buf, body_area, self.title.clone(), true, theme);
        let lines = wrap(&self.body, inner.width.saturating_sub(1).max(1) as usize);
        let max_scroll = lines.len().saturating_sub(inner.height as usize);
        let scroll = self.scroll.min(max_scroll);
        for (n, l) in lines
            .iter()
            .skip(scroll)
            .take(inner.height as usize)
            .enumerate()
        {
            let st = if l.starts_with('#') {
                theme.style(Meaning::Title)
            } else if l.starts_with('|') {
                theme.style(Meaning::Muted)
            } else {
                theme.style(Meaning::Text)
            };
            buf.set_stringn(
                inner.x + 1,
                inner.y + n as u16,
                l,
                inner.width.saturating_sub(1) as usize,
                st,
            );
        }
        buf.set_style(status, theme.style(Meaning::Status));
        let pos = format!(
            " {}/{} ",
            (scroll + inner.height as usize).min(lines.len()),
            lines.len()
        );
        buf.set_stringn(
            status.x,
            status.y,
            fit(&format!(" {}", self.footer), area.width as usize),
            area.width as usize,
            theme.style(Meaning::Status),
        );
        if pos.len() as u16 + 10 < area.width {
            buf.set_string(
                status.right() - pos.len() as u16,
                status.y,
                &pos,
                theme.style(Meaning::Muted),
            );
        }
    }
}
