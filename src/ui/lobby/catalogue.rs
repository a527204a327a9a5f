//! The lobby: the scenarios on offer, filtered and sorted as the person asks, with enough
//! detail to choose one.

use crate::input::Input;
use crate::keymap::{self, Act, Scope};
use crate::scenario::{Catalogue, Entry};
use crate::ui::help;
use crate::ui::lobby::filter::{Changed, Filter};
use crate::ui::lobby::list::inside;
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// The lobby's state.
#[derive(Debug, Clone)]
pub struct Lobby {
    pub catalogue: Catalogue,
    /// The position of the selected entry among those the filter shows.
    pub selected: usize,
    /// The filter and sort in force.
    pub filter: Filter,
    /// The help overlay is open, scrolled to this line.
    pub help: Option<usize>,
    /// A notice for the status line (a bad theme edit), shown when the catalogue has no
    /// problem to show.
    pub notice: Option<String>,
}

/// The smallest size the lobby draws at.
const MIN: (u16, u16) = (20, 6);

/// What a key in the lobby asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LobbyCommand {
    /// Start the catalogue's entry at this index.
    Start(usize),
    /// Open the morning vista.
    Vista,
    /// Open the recordings library.
    Recordings,
    /// Open the team's record (`ui::history`).
    History,
    Quit,
}

impl Lobby {
    pub fn new(catalogue: Catalogue) -> Lobby {
        Lobby {
            catalogue,
            selected: 0,
            filter: Filter::default(),
            help: None,
            notice: None,
        }
    }

    /// The catalogue's entries the filter shows, in its order (indices into the catalogue).
    pub fn shown(&self) -> Vec<usize> {
        self.filter.visible(&self.catalogue.entries)
    }

    pub fn selected(&self) -> Option<&Entry> {
        let i = *self.shown().get(self.selected)?;
        self.catalogue.entries.get(i)
    }

    /// Takes a reloaded catalogue, keeping the selection in range.
    pub fn set_catalogue(&mut self, catalogue: Catalogue) {
        self.catalogue = catalogue;
        self.selected = self.selected.min(self.shown().len().saturating_sub(1));
    }

    /// Applies a filter key; the entry selected stays selected when the filter still shows it.
    fn filter_input(&mut self, input: &Input) -> bool {
        let before = self.shown().get(self.selected).copied();
        match self
            .filter
            .on_input(Scope::Lobby, input, &self.catalogue.entries)
        {
            Changed::No => false,
            Changed::Nothing(word) => {
                self.notice = Some(word.to_string());
                true
            }
            Changed::Yes => {
                self.notice = None;
                let shown = self.shown();
                self.selected = before
                    .and_then(|b| shown.iter().position(|&i| i == b))
                    .unwrap_or(0);
                true
            }
        }
    }

    /// The lobby's help overlay lines, from the keymap.
    pub fn help_lines() -> Vec<help::Line> {
        let mut lines = vec![
            help::Line::text("gamelan · the lobby", Meaning::Title),
            help::Line::blank(),
        ];
        lines.extend(help::lines(Scope::Lobby));
        lines
    }

    /// Handles an input on a screen of size `area`.
    pub fn on_input(&mut self, input: &Input, area: Rect) -> Option<LobbyCommand> {
        if let Input::Key(k) = input
            && keymap::lookup(Scope::Lobby, *k) == Some(Act::Abort)
        {
            return Some(LobbyCommand::Quit);
        }
        if let Some(top) = self.help {
            self.help = help::on_input(top, input, area, &Self::help_lines());
            return None;
        }
        if self.filter_input(input) {
            return None;
        }
        let shown = self.shown();
        let n = shown.len();
        let act = match input {
            Input::Key(k) => keymap::lookup(Scope::Lobby, *k)?,
            Input::Mouse(m) if m.wheel() < 0 => Act::Prev,
            Input::Mouse(m) if m.wheel() > 0 => Act::Next,
            Input::Mouse(m) if m.is_click() => {
                let i = self.row_at(area, m.col, m.row)?;
                self.selected = i;
                if !m.is_double() {
                    return None;
                }
                Act::Choose
            }
            _ => return None,
        };
        match act {
            Act::Quit | Act::Abort => return Some(LobbyCommand::Quit),
            Act::Vista => return Some(LobbyCommand::Vista),
            Act::Recordings => return Some(LobbyCommand::Recordings),
            Act::History => return Some(LobbyCommand::History),
            Act::Help => self.help = Some(0),
            Act::Prev if n > 0 => self.selected = (self.selected + n - 1) % n,
            Act::Next if n > 0 => self.selected = (self.selected + 1) % n,
            Act::Choose if n > 0 => {
                return Some(LobbyCommand::Start(shown[self.selected.min(n - 1)]));
            }
            _ => {}
        }
        None
    }

    /// Where the list, the detail and the status line go in `area`; `None` when too small.
    fn areas(&self, area: Rect) -> Option<(Rect, Rect, Rect)> {
        if area.width < MIN.0 || area.height < MIN.1 {
            return None;
        }
        let (body, status) = crate::ui::status_split(area);
        let wide = body.width >= 90;
        let list_w = if wide {
            body.width * 45 / 100
        } else {
            body.width
        };
        let list_h = if wide {
            body.height
        } else {
            (self.shown().len().max(2) as u16 + 3)
                .min(body.height / 2)
                .max(4)
        };
        let list = Rect {
            width: list_w,
            height: list_h,
            ..body
        };
        let detail = if wide {
            Rect {
                x: body.x + list_w,
                width: body.width - list_w,
                ..body
            }
        } else {
            Rect {
                y: body.y + list_h,
                height: body.height - list_h,
                ..body
            }
        };
        Some((list, detail, status))
    }

    /// The first entry shown in a list with `rows` rows: the selection stays in view.
    fn top(&self, rows: usize) -> usize {
        (self.selected + 1).saturating_sub(rows.max(1))
    }

    /// The rows of the list under its filter line.
    fn rows(inner: Rect) -> Rect {
        Rect {
            y: inner.y + 1,
            height: inner.height.saturating_sub(1),
            ..inner
        }
    }

    /// The position (among those shown) of the entry drawn at (`col`, `row`).
    fn row_at(&self, area: Rect, col: u16, row: u16) -> Option<usize> {
        let (list, _, _) = self.areas(area)?;
        let rows = Self::rows(inside(list));
        if !rows.contains(ratatui::layout::Position::new(col, row)) {
            return None;
        }
        let i = self.top(rows.height as usize) + (row - rows.y) as usize;
        (i < self.shown().len()).then_some(i)
    }

    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        if !crate::ui::prepare(buf, area, MIN, theme) {
            return;
        }
        let Some((list, detail, status)) = self.areas(area) else {
            return;
        };
        let whole = block(buf, list, "gamelan · pick a drill".into(), true, theme);
        let shown = self.shown();
        self.draw_filter(buf, whole, shown.len(), theme);
        let inner = Self::rows(whole);
        let top = self.top(inner.height as usize);
        if shown.is_empty() && !self.catalogue.entries.is_empty() {
            for (y, line) in self.filter.nothing_matches(Scope::Lobby).iter().enumerate() {
                if (y as u16) < inner.height {
                    buf.set_stringn(
                        inner.x,
                        inner.y + y as u16,
                        fit(line, inner.width as usize),
                        inner.width as usize,
                        theme.style(if y == 0 {
                            Meaning::Warning
                        } else {
                            Meaning::Muted
                        }),
                    );
                }
            }
        }
        for (i, e) in shown
            .iter()
            .map(|&i| &self.catalogue.entries[i])
            .enumerate()
            .skip(top)
            .take(inner.height as usize)
        {
            let m = &e.scenario.meta;
            let sel = i == self.selected;
            let st = if sel {
                theme
                    .style(Meaning::Selection)
                    .add_modifier(Modifier::REVERSED)
            } else {
                theme.style(Meaning::Text)
            };
            let tag = format!(" {:<12}", m.difficulty.label());
            let line = format!("{} {}", if sel { "▸" } else { " " }, clean(&m.title));
            let w = inner.width as usize;
            let room = w.saturating_sub(tag.len());
            paint::stringn(
                buf,
                inner.x,
                inner.y + (i - top) as u16,
                format!("{:<room$}", fit(&line, room)),
                room,
                st,
            );
            if w > tag.len() + 10 {
                paint::stringn(
                    buf,
                    inner.x + room as u16,
                    inner.y + (i - top) as u16,
                    &tag,
                    tag.len(),
                    theme.style(Meaning::Muted),
                );
            }
        }
        if detail.height >= 3 && detail.width >= 10 {
            self.draw_detail(buf, detail, theme);
        }
        buf.set_style(status, theme.style(Meaning::Status));
        let problem = (self.catalogue.problems.first().map(ToString::to_string))
            .or_else(|| self.notice.clone());
        let hint = match &problem {
            Some(p) => format!(" {p} "),
            None => {
                let k = |a| keymap::key_label(Scope::Lobby, a);
                format!(
                    " {}{} choose · {} start · {} morning vista · {} recordings · {} keys · {} quit ",
                    k(Act::Prev),
                    k(Act::Next),
                    k(Act::Choose),
                    k(Act::Vista),
                    k(Act::Recordings),
                    k(Act::Help),
                    k(Act::Quit)
                )
            }
        };
        let st = if problem.is_none() {
            theme.style(Meaning::Status)
        } else {
            theme.style(Meaning::StatusError)
        };
        paint::stringn(
            buf,
            status.x,
            status.y,
            fit(&hint, status.width as usize),
            status.width as usize,
            st,
        );
        if let Some(top) = self.help {
            help::draw(buf, area, "lobby keys", &Self::help_lines(), top, theme);
        }
    }

    /// The filter line: what is shown and the keys that change it, marked when it narrows.
    fn draw_filter(&self, buf: &mut Buffer, inner: Rect, shown: usize, theme: &Theme) {
        if inner.height == 0 {
            return;
        }
        let line = self
            .filter
            .line(Scope::Lobby, shown, self.catalogue.entries.len());
        let st = if self.filter.narrows() || self.filter.is_typing() {
            theme.style(Meaning::Title)
        } else {
            theme.style(Meaning::Muted)
        };
        buf.set_stringn(
            inner.x,
            inner.y,
            fit(&line, inner.width as usize),
            inner.width as usize,
            st,
        );
    }

    fn draw_detail(&self, buf: &mut Buffer, r: Rect, theme: &Theme) {
        let Some(e) = self.selected() else {
            let (title, text) = if self.catalogue.entries.is_empty() {
                ("no scenarios", "No scenarios found.")
            } else {
                ("no match", "No drill matches the filter.")
            };
            let inner = block(buf, r, title.into(), false, theme);
            paint::stringn(
                buf,
                inner.x,
                inner.y,
                text,
                inner.width as usize,
                theme.style(Meaning::Muted),
            );
            return;
        };
        let s = &e.scenario;
        let inner = block(buf, r, clean(&s.meta.id), false, theme);
        let origin = e.origin.label();
        let lines = super::card::lines(s, Some(&origin), s.tempo.bpm, inner.width as usize, true);
        super::card::draw(buf, inner, &lines, theme);
    }
}
