//! The morning vista's inputs: keys through the keymap, clicks on panes (a double click
//! zooms), help scrolling. Pure, so it is tested without a terminal or live sources.

use crate::input::Input;
use crate::keymap::{self, Act, Scope};
use crate::ui::help;
use crate::ui::vista::{VistaView, body_area, help_lines, pane_areas};
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
        let act = match input {
            Input::Key(k) => keymap::lookup(Scope::Vista, *k)?,
            Input::Mouse(m) if m.is_click() => {
                let at = Position::new(m.col, m.row);
                let (i, _) = areas.iter().find(|(_, r)| r.contains(at))?;
                self.focus = (*i).min(n - 1);
                if m.is_double() {
                    self.zoom = !self.zoom;
                }
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
            _ => {}
        }
        None
    }
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
        v.on_input(&key(KeyCode::Char('?')), 3, &[], SCREEN);
        assert_eq!(v.help, Some(0));
        // Scrolling a help that fits changes nothing and keeps it open.
        v.on_input(&key(KeyCode::Down), 3, &[], SCREEN);
        assert_eq!(v.help, Some(0));
        v.on_input(&key(KeyCode::Char('x')), 3, &[], SCREEN);
        assert_eq!(v.help, None);
        let tiny = Rect::new(0, 0, 30, 8);
        v.on_input(&key(KeyCode::Char('?')), 3, &[], tiny);
        v.on_input(&key(KeyCode::Down), 3, &[], tiny);
        assert_eq!(v.help, Some(1), "a help taller than the screen scrolls");
    }
}
