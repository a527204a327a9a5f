//! Scrolling popups: the help overlay every screen shares, and the drill's briefing. Help
//! lines come from the keymap (plus, in a drill, the scenario's cues). A popup longer than
//! the screen scrolls with ↑↓ PgUp PgDn Home End or the wheel, and its footer says so, so
//! every line is reachable at any terminal size.

use crate::input::Input;
use crate::keymap::{self, Act, HelpLine, Scope, Who};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit, width, wrap};
use crate::ui::widgets::{block, popup};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};

/// Width of the key column in help lines.
const KEYS_W: usize = 14;

/// One line of a popup: prose, or a key and what it does (wrapped under its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub keys: Option<String>,
    pub text: String,
    pub meaning: Meaning,
}

impl Line {
    pub fn text(text: impl Into<String>, meaning: Meaning) -> Line {
        Line {
            keys: None,
            text: text.into(),
            meaning,
        }
    }

    pub fn blank() -> Line {
        Line::text("", Meaning::Text)
    }

    pub fn key(keys: impl Into<String>, text: impl Into<String>, meaning: Meaning) -> Line {
        Line {
            keys: Some(keys.into()),
            text: text.into(),
            meaning,
        }
    }

    /// The line as drawn at `w` columns: one or more rows.
    fn rows(&self, w: usize) -> Vec<String> {
        match &self.keys {
            None if self.text.is_empty() => vec![String::new()],
            None => wrap(&self.text, w),
            Some(keys) => {
                let col = KEYS_W.max(width(keys) + 1);
                let indent = 2 + col;
                if w <= indent + 8 {
                    return wrap(&format!("{keys}  {}", self.text), w);
                }
                wrap(&self.text, w - indent)
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| {
                        if i == 0 {
                            let pad = col - width(keys);
                            format!("  {keys}{}{t}", " ".repeat(pad))
                        } else {
                            format!("{}{t}", " ".repeat(indent))
                        }
                    })
                    .collect()
            }
        }
    }

    /// Columns the line wants before wrapping.
    fn natural_width(&self) -> usize {
        match &self.keys {
            None => width(&self.text),
            Some(k) => 2 + KEYS_W.max(width(k) + 1) + width(&self.text),
        }
    }
}

/// Help lines for the keymap's `scope`.
pub fn lines(scope: Scope) -> Vec<Line> {
    keymap::help(scope).iter().map(line).collect()
}

fn line(h: &HelpLine) -> Line {
    let who = match h.who {
        Who::Anyone => "",
        Who::Facilitator => " (facilitator)",
    };
    Line::key(h.keys.clone(), format!("{}{who}", h.text), Meaning::Text)
}

/// A popup of lines that scrolls when it does not fit.
pub struct Scroller<'a> {
    pub title: &'a str,
    pub lines: &'a [Line],
    /// The footer when everything fits; `None` for a help overlay ("any other key closes").
    pub hint: Option<&'a str>,
    /// Widest the text may be.
    pub max_width: u16,
}

impl<'a> Scroller<'a> {
    /// A help overlay: any key that does not scroll closes it.
    pub fn help(title: &'a str, lines: &'a [Line]) -> Scroller<'a> {
        Scroller {
            title,
            lines,
            hint: None,
            max_width: 96,
        }
    }

    /// The frame in `area`, the rows of text inside it, and how many rows the footer takes
    /// (two when a hint must share it with the scroll position).
    fn layout(&self, area: Rect) -> (Rect, Vec<(String, Meaning)>, u16) {
        let hint_w = width(self.hint.unwrap_or(""));
        let want = self
            .lines
            .iter()
            .map(Line::natural_width)
            .chain([hint_w])
            .max()
            .unwrap_or(10)
            .clamp(44, usize::from(self.max_width)) as u16;
        // The frame, a margin of one column, and the text.
        let w = want.saturating_add(3).min(area.width.saturating_sub(2));
        let text_w = usize::from(w.saturating_sub(3)).max(1);
        let rows: Vec<(String, Meaning)> = self
            .lines
            .iter()
            .flat_map(|l| l.rows(text_w).into_iter().map(|r| (r, l.meaning)))
            .collect();
        let fits = rows.len() as u16 + 3 <= area.height.saturating_sub(2);
        let footer_h = if fits || self.hint.is_none() { 1 } else { 2 };
        // Rows, the footer, and the frame.
        let r = popup(area, w, (rows.len() as u16).saturating_add(2 + footer_h));
        (r, rows, footer_h)
    }

    /// Rows of text visible at once in a frame.
    fn visible(frame: Rect, footer_h: u16) -> usize {
        frame.height.saturating_sub(2 + footer_h) as usize
    }

    /// The furthest the popup can scroll in `area`.
    pub fn max_scroll(&self, area: Rect) -> usize {
        let (r, rows, f) = self.layout(area);
        rows.len().saturating_sub(Self::visible(r, f).max(1))
    }

    /// Scrolls from `top` as `act` asks; other actions leave it where it is.
    pub fn scroll(&self, top: usize, act: Act, area: Rect) -> usize {
        let (r, _, f) = self.layout(area);
        let max = self.max_scroll(area);
        let page = Self::visible(r, f).max(2) - 1;
        let top = top.min(max);
        match act {
            Act::ScrollUp => top.saturating_sub(1),
            Act::ScrollDown => (top + 1).min(max),
            Act::PageUp => top.saturating_sub(page),
            Act::PageDown => (top + page).min(max),
            Act::Top => 0,
            Act::Bottom => max,
            _ => top,
        }
    }

    /// Scrolls from `top` by `steps` turns of the wheel.
    pub fn wheel(&self, top: usize, steps: isize, area: Rect) -> usize {
        top.saturating_add_signed(steps * 3)
            .min(self.max_scroll(area))
    }

    /// Applies an input to an open help overlay scrolled to `top`: the new top line, or
    /// `None` when the input closes it (a key that does not scroll, a click).
    pub fn on_input(&self, top: usize, input: &Input, area: Rect) -> Option<usize> {
        match input {
            Input::Key(k) => match keymap::lookup(Scope::Help, *k) {
                Some(Act::Abort) | None => None,
                Some(act) => Some(self.scroll(top, act, area)),
            },
            Input::Mouse(m) if m.wheel() != 0 => Some(self.wheel(top, m.wheel(), area)),
            Input::Mouse(m) if m.is_click() => None,
            _ => Some(top),
        }
    }

    /// The footer's rows: where the view is when it scrolls, and the hint.
    fn footer(&self, top: usize, shown: usize, total: usize) -> Vec<String> {
        let end = self.hint.unwrap_or("any other key closes this");
        if total <= shown {
            return vec![end.to_string()];
        }
        let keys = keymap::help(Scope::Help)
            .first()
            .map_or_else(String::new, |h| h.keys.clone());
        let at = format!(
            "{keys}: {}–{} of {total}",
            top + 1,
            (top + shown).min(total)
        );
        match self.hint {
            None => vec![format!("{at} · other keys close")],
            Some(hint) => vec![at, hint.to_string()],
        }
    }

    /// Draws the popup over `area`, scrolled to `top`.
    pub fn draw(&self, buf: &mut Buffer, area: Rect, top: usize, theme: &Theme) {
        let (r, rows, f) = self.layout(area);
        if r.width < 3 || r.height < 3 {
            return;
        }
        Clear.render(r, buf);
        buf.set_style(r, theme.style(Meaning::Text));
        let inner = block(buf, r, self.title.to_string(), true, theme);
        let shown = Self::visible(r, f);
        let top = top.min(self.max_scroll(area));
        let w = inner.width.saturating_sub(1) as usize;
        for (n, (l, m)) in rows.iter().skip(top).take(shown).enumerate() {
            paint::stringn(buf, inner.x + 1, inner.y + n as u16, l, w, theme.style(*m));
        }
        let footer = self.footer(top, shown, rows.len());
        let muted = theme.style(Meaning::Muted);
        for (i, l) in footer.iter().rev().enumerate() {
            let Some(y) = inner.bottom().checked_sub(1 + i as u16) else {
                break;
            };
            if y < inner.y {
                break;
            }
            let style = if self.hint.is_some_and(|h| h == l) {
                theme.style(Meaning::Cue)
            } else {
                muted
            };
            paint::stringn(buf, inner.x + 1, y, fit(l, w), w, style);
        }
    }
}

/// A help overlay's response to an input (see [`Scroller::on_input`]).
pub fn on_input(top: usize, input: &Input, area: Rect, lines: &[Line]) -> Option<usize> {
    Scroller::help("help", lines).on_input(top, input, area)
}

/// Draws a help overlay titled `title`, scrolled to `top`.
pub fn draw(buf: &mut Buffer, area: Rect, title: &str, lines: &[Line], top: usize, theme: &Theme) {
    Scroller::help(title, lines).draw(buf, area, top, theme);
}

/// The drill console's help: the scenario's cues, then the console's keys for `scope`
/// ([`Scope::Drill`], or [`Scope::Replay`] for the replay console's transport).
pub fn console_lines(drill: &crate::drill::Drill, scope: Scope) -> Vec<Line> {
    let s = &drill.scenario;
    let title = clean(&s.meta.title);
    let mut out = Vec::new();
    if scope == Scope::Replay {
        out.push(Line::text(format!("{title} — replay keys"), Meaning::Title));
        out.push(Line::blank());
        out.extend(lines(Scope::Replay));
        return out;
    }
    out.push(Line::text(
        format!("{title} — keys in force"),
        Meaning::Title,
    ));
    out.push(Line::blank());
    for c in &s.cues {
        let roles = if c.roles.is_empty() {
            String::new()
        } else {
            format!("  ({})", c.roles.join(", "))
        };
        out.push(Line::key(
            clean(&c.key.to_string()),
            format!("{}{roles}", clean(&c.label)),
            Meaning::Cue,
        ));
    }
    out.push(Line::blank());
    out.extend(lines(Scope::Drill));
    let during = keymap::help(Scope::Drill);
    let after: Vec<HelpLine> = keymap::help(Scope::Ended)
        .into_iter()
        .filter(|h| !during.contains(h))
        .collect();
    if !after.is_empty() {
        out.push(Line::blank());
        out.push(Line::text("After the drill ends", Meaning::Title));
        out.extend(after.iter().map(line));
    }
    out
}
