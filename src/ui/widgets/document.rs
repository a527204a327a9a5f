//! A full-screen, scrollable text document (the debrief, the outcome) with a key legend.

use crate::input::Input;
use crate::keymap::{self, Act, Scope};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{fit, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// What a document asks of the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocCommand {
    /// Write the body to `save_to`, then report with [`Document::saved`].
    Save,
    Close,
    /// Leave the screen altogether (Ctrl-C).
    Quit,
}

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

    /// Says on the footer how saving to `save_to` went (the shell writes the file).
    pub fn saved(&mut self, result: Result<(), String>) {
        self.footer = match (&self.save_to, result) {
            (None, _) => "nothing to save to: this drill was not recorded".into(),
            (Some(p), Ok(())) => format!("saved to {} · q back", p.display()),
            (Some(p), Err(e)) => format!("could not save to {}: {e}", p.display()),
        };
    }

    pub fn scroll_by(&mut self, lines: isize) {
        self.scroll = self.scroll.saturating_add_signed(lines);
    }

    /// The body's lines as drawn in `area`, and the inside of its frame.
    fn laid_out(&self, area: Rect) -> (Vec<String>, Rect) {
        let (body_area, _) = crate::ui::status_split(area);
        let inner = Rect::new(
            body_area.x + 1,
            body_area.y + 1,
            body_area.width.saturating_sub(2),
            body_area.height.saturating_sub(2),
        );
        let lines = wrap(&self.body, inner.width.saturating_sub(1).max(1) as usize);
        (lines, inner)
    }

    /// Handles an input on a screen of size `area`: scrolls, or asks the shell to save or
    /// close the document.
    pub fn on_input(&mut self, input: &Input, area: Rect) -> Option<DocCommand> {
        let (lines, inner) = self.laid_out(area);
        let max = lines.len().saturating_sub(inner.height as usize) as isize;
        let page = (inner.height as isize - 1).max(1);
        let by = match input {
            Input::Key(k) => match keymap::lookup(Scope::Document, *k) {
                Some(Act::ScrollUp) => -1,
                Some(Act::ScrollDown) => 1,
                Some(Act::PageUp) => -page,
                Some(Act::PageDown) => page,
                Some(Act::Save) => return Some(DocCommand::Save),
                Some(Act::Back) => return Some(DocCommand::Close),
                Some(Act::Abort) => return Some(DocCommand::Quit),
                _ => 0,
            },
            Input::Mouse(m) => m.wheel() * 3,
            _ => 0,
        };
        self.scroll = (self.scroll.min(max as usize) as isize + by).clamp(0, max) as usize;
        None
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
            paint::stringn(
                buf,
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
        paint::stringn(
            buf,
            status.x,
            status.y,
            fit(&format!(" {}", self.footer), area.width as usize),
            area.width as usize,
            theme.style(Meaning::Status),
        );
        if pos.len() as u16 + 10 < area.width {
            paint::string(
                buf,
                status.right() - pos.len() as u16,
                status.y,
                &pos,
                theme.style(Meaning::Muted),
            );
        }
    }
}
