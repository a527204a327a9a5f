//! The morning vista's inputs: keys through the keymap, clicks on panes (a double click
//! zooms), help scrolling. Pure, so it is tested without a terminal or live sources.

use crate::input::Input;
use crate::input::KeyCode;
use crate::keymap::{self, Act, Scope};
use crate::ui::help;
use crate::ui::vista::{VistaView, body_area, chart, help_lines, nav, pane_areas};
use crate::vista::VistaSnapshot;
use ratatui::layout::{Position, Rect};

/// What an input asks of the vista shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VistaCommand {
    Refresh,
    Quit,
}

/// Where each pane is drawn on a screen of size `area` (all of the body when zoomed), for
/// clicks.
pub fn hit_areas(snap: &VistaSnapshot, view: &VistaView, area: Rect) -> Vec<(usize, Rect)> {
    if area.width < 20 || area.height < 6 {
        return Vec::new();
    }
    let body = body_area(area);
    let n = snap.panes.len();
    if view.zoom && n > 0 {
        return vec![(view.focus.min(n - 1), body)];
    }
    pane_areas(&snap.grid, body)
}

impl VistaView {
    /// Handles an input on a screen of size `area` with `panes` panes drawn at `areas`
    /// (from [`hit_areas`]).
    pub fn on_input(
        &mut self,
        input: &Input,
        panes: usize,
        areas: &[(usize, Rect)],
        area: Rect,
    ) -> Option<VistaCommand> {
        if let Input::Key(k) = input
            && keymap::lookup(Scope::Vista, *k) == Some(Act::Abort)
        {
            return Some(VistaCommand::Quit);
        }
        if let Some(top) = self.help {
            self.help = help::on_input(top, input, area, &help_lines());
            return None;
        }
        let n = panes.max(1);
        if self.search.is_some() {
            self.on_search_input(input);
            return None;
        }
        let act = match input {
            Input::Key(k) => keymap::lookup(Scope::Vista, *k)?,
            Input::Mouse(m) if m.is_click() => {
                let at = Position::new(m.col, m.row);
                let (i, r) = areas.iter().find(|(_, r)| r.contains(at))?;
                self.focus = (*i).min(n - 1);
                if m.is_double() {
                    self.zoom = !self.zoom;
                } else if let Some(inner) = chart_body(*r) {
                    let cols = chart::plot_columns(inner);
                    if m.col >= cols.0 {
                        let span = self.span();
                        let w = self.nav.window(span, self.seen.now);
                        let t = chart::time_at(m.col, cols, w.0, w.1);
                        self.nav.place_cursor(t, w);
                    }
                }
                return None;
            }
            Input::Mouse(m) if m.wheel() != 0 => {
                self.nav.zoom(m.wheel().signum() as i32, self.span());
                return None;
            }
            _ => return None,
        };
        match act {
            Act::Quit | Act::Abort => return Some(VistaCommand::Quit),
            Act::Help => self.help = Some(0),
            Act::Tour => self.touring = !self.touring,
            Act::Refresh => return Some(VistaCommand::Refresh),
            Act::Next => self.focus = (self.focus + 1) % n,
            Act::Prev => self.focus = (self.focus + n - 1) % n,
            Act::Zoom => self.zoom = !self.zoom,
            Act::Unzoom if self.touring => self.touring = false,
            Act::Unzoom => self.zoom = false,
            Act::TimeIn => self.nav.zoom(-1, self.span()),
            Act::TimeOut => self.nav.zoom(1, self.span()),
            Act::PanBack => self.nav.pan(-1, self.span(), self.seen.now),
            Act::PanForward => self.nav.pan(1, self.span(), self.seen.now),
            Act::Live if self.nav.is_live() && self.nav.span.is_none() => {
                self.notice = Some("live, each pane over its own span".into());
            }
            Act::Live if self.nav.is_live() => self.nav.span = None,
            Act::Live => self.nav.live(),
            Act::CursorBack | Act::CursorForward => {
                let w = focused_plot_width(areas, self.focus);
                let dir = if act == Act::CursorBack { -1 } else { 1 };
                self.nav.move_cursor(dir, self.span(), w);
            }
            Act::CursorOff if self.nav.cursor.is_some() => self.nav.cursor = None,
            Act::CursorOff => self.nav.cursor = Some(0.0),
            Act::ToggleSeries => {
                if let Input::Key(k) = input
                    && let Some(d) = k.typed().and_then(|c| c.to_digit(10))
                {
                    self.toggle_series(d as usize - 1);
                }
            }
            Act::AllSeries => {
                let id = &self.seen.focus_id;
                let before = self.hidden.len();
                self.hidden.retain(|(p, _)| p != id);
                if before == self.hidden.len() {
                    self.notice = Some("every series of this chart is on".into());
                }
            }
            Act::Search => self.search = Some(String::new()),
            Act::SearchNext | Act::SearchPrev => {
                let back = act == Act::SearchPrev;
                match nav::find(&self.seen.titles, &self.query, self.focus, back) {
                    Some(i) => self.focus = i,
                    None if self.query.is_empty() => {
                        self.notice = Some("nothing to find yet: `/` and a title".into());
                    }
                    None => self.notice = Some(format!("no pane titled like `{}`", self.query)),
                }
            }
            _ => {}
        }
        None
    }

    /// Switches series `i` of the focused pane off, or back on.
    fn toggle_series(&mut self, i: usize) {
        let Some(s) = self.seen.focus_series.get(i) else {
            self.notice = Some(format!("this pane has no series {}", i + 1));
            return;
        };
        let key = (self.seen.focus_id.clone(), s.clone());
        match self.hidden.iter().position(|h| *h == key) {
            Some(k) => {
                self.hidden.remove(k);
            }
            None => self.hidden.push(key),
        }
    }

    /// A key while the search is being typed: text, backspace, enter jumps, esc cancels.
    fn on_search_input(&mut self, input: &Input) {
        let Input::Key(k) = input else { return };
        let Some(q) = self.search.as_mut() else {
            return;
        };
        match k.code {
            KeyCode::Esc => self.search = None,
            KeyCode::Backspace => {
                q.pop();
            }
            KeyCode::Enter => {
                self.query = self.search.take().unwrap_or_default();
                match nav::find(&self.seen.titles, &self.query, self.focus, false) {
                    Some(i) => self.focus = i,
                    None => self.notice = Some(format!("no pane titled like `{}`", self.query)),
                }
            }
            _ => {
                if let Some(c) = k.typed()
                    && q.chars().count() < 64
                {
                    q.push(c);
                }
            }
        }
    }
}

/// A pane's body inside its frame, where a chart draws.
fn chart_body(r: Rect) -> Option<Rect> {
    (r.width > 2 && r.height > 2).then(|| Rect::new(r.x + 1, r.y + 1, r.width - 2, r.height - 2))
}

/// The plot's width in the focused pane, for moving the cursor one column.
fn focused_plot_width(areas: &[(usize, Rect)], focus: usize) -> u16 {
    areas
        .iter()
        .find(|(i, _)| *i == focus)
        .and_then(|(_, r)| chart_body(*r))
        .map_or(60, |b| chart::plot_columns(b).1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Button, Key, KeyCode, Mouse, MouseKind};

    fn key(c: KeyCode) -> Input {
        Input::Key(Key::plain(c))
    }

    const SCREEN: Rect = Rect::new(0, 0, 80, 24);

    #[test]
    fn tour_walks_the_panes_and_esc_ends_it() {
        let mut v = VistaView::default();
        let go = |v: &mut VistaView, c| v.on_input(&key(c), 3, &[], SCREEN);
        assert_eq!(go(&mut v, KeyCode::Char('t')), None);
        assert!(v.touring);
        go(&mut v, KeyCode::Right);
        go(&mut v, KeyCode::Right);
        go(&mut v, KeyCode::Right);
        assert_eq!(v.focus, 0, "wraps around");
        go(&mut v, KeyCode::Left);
        assert_eq!(v.focus, 2);
        go(&mut v, KeyCode::Esc);
        assert!(!v.touring);
        assert_eq!(go(&mut v, KeyCode::Char('q')), Some(VistaCommand::Quit));
    }

    #[test]
    fn a_click_focuses_a_pane_and_a_double_click_zooms_it() {
        let mut v = VistaView::default();
        let areas = [(0, Rect::new(0, 1, 40, 22)), (1, Rect::new(40, 1, 40, 22))];
        let mut click = Mouse::new(MouseKind::Down(Button::Left), 50, 5);
        assert_eq!(v.on_input(&Input::Mouse(click), 2, &areas, SCREEN), None);
        assert_eq!((v.focus, v.zoom), (1, false));
        click.clicks = 2;
        v.on_input(&Input::Mouse(click), 2, &areas, SCREEN);
        assert_eq!((v.focus, v.zoom), (1, true));
        // A click on the title line hits no pane.
        let off = Mouse::new(MouseKind::Down(Button::Left), 5, 0);
        v.on_input(&Input::Mouse(off), 2, &areas, SCREEN);
        assert_eq!(v.focus, 1);
    }

    #[test]
    fn help_opens_scrolls_and_closes() {
        let mut v = VistaView::default();
        let tall = Rect::new(0, 0, 100, 60);
        v.on_input(&key(KeyCode::Char('?')), 3, &[], tall);
        assert_eq!(v.help, Some(0));
        // Scrolling a help that fits changes nothing and keeps it open.
        v.on_input(&key(KeyCode::Down), 3, &[], tall);
        assert_eq!(v.help, Some(0));
        v.on_input(&key(KeyCode::Char('x')), 3, &[], tall);
        assert_eq!(v.help, None);
        let tiny = Rect::new(0, 0, 30, 8);
        v.on_input(&key(KeyCode::Char('?')), 3, &[], tiny);
        v.on_input(&key(KeyCode::Down), 3, &[], tiny);
        assert_eq!(v.help, Some(1), "a help taller than the screen scrolls");
    }
}
