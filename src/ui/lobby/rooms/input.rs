//! The SSH lobby's inputs: keys through the keymap, clicks on its rows and roles (a double
//! click picks), the wheel, and its help overlay.

use super::{Pick, Row, SshLobby, Step};
use crate::input::Input;
use crate::keymap::{self, Act, Scope};
use crate::ui::help;
use crate::ui::lobby::filter::Changed;
use crate::ui::lobby::list::{inside, top_line};
use ratatui::layout::Rect;

impl SshLobby {
    /// Handles an input on a screen of size `area`.
    pub fn on_input(&mut self, input: &Input, area: Rect) -> Option<Pick> {
        let scope = self.scope();
        if let Input::Key(k) = input
            && keymap::lookup(scope, *k) == Some(Act::Abort)
        {
            return Some(Pick::Quit);
        }
        if let Some(top) = self.help {
            self.help = help::on_input(top, input, area, &self.help_lines());
            return None;
        }
        if self.filter.is_typing() {
            self.filter_input(input);
            return None;
        }
        let act = match input {
            Input::Key(k) => keymap::lookup(scope, *k)?,
            Input::Mouse(m) if m.wheel() < 0 => Act::Prev,
            Input::Mouse(m) if m.wheel() > 0 => Act::Next,
            Input::Mouse(m) if m.is_click() => {
                let pick = self.pick_at(area, m.col, m.row)?;
                self.select(pick);
                if !m.is_double() {
                    return None;
                }
                Act::Choose
            }
            _ => return None,
        };
        self.flash = None;
        if act == Act::Help {
            self.help = Some(0);
            return None;
        }
        if matches!(self.step, Step::Main) && self.filter_input(input) {
            return None;
        }
        let step = std::mem::replace(&mut self.step, Step::Main);
        match step {
            Step::Main => {
                let rows = self.rows();
                let n = rows.len();
                let at = self
                    .selected
                    .as_ref()
                    .and_then(|s| rows.iter().position(|r| r == s))
                    .unwrap_or(0);
                match act {
                    Act::Quit => return Some(Pick::Quit),
                    Act::Recordings => return Some(Pick::Library),
                    Act::Prev if n > 0 => self.selected = Some(rows[(at + n - 1) % n].clone()),
                    Act::Next if n > 0 => self.selected = Some(rows[(at + 1) % n].clone()),
                    Act::Top => self.selected = rows.first().cloned(),
                    Act::Bottom => self.selected = rows.last().cloned(),
                    Act::Choose if n > 0 => {
                        let target = rows[at].clone();
                        let options = self.role_options(&target);
                        self.step = Step::Roles {
                            target,
                            options,
                            selected: 0,
                        };
                    }
                    _ => {}
                }
            }
            Step::Roles {
                target,
                options,
                mut selected,
            } => {
                let n = options.len().max(1);
                match act {
                    Act::Back => return None,
                    Act::Prev => selected = (selected + n - 1) % n,
                    Act::Next => selected = (selected + 1) % n,
                    Act::Choose => {
                        if let Some(o) = options.get(selected) {
                            let role = o.role.clone();
                            return Some(match target {
                                Row::Room(room) => Pick::Join { room, role },
                                Row::Scenario(entry) => Pick::New { entry, role },
                                Row::Session(name) => Pick::Session {
                                    name,
                                    observe: role.as_deref() == Some(super::sessions::OBSERVE),
                                },
                                Row::Setlist(i) => Pick::NewSession {
                                    setlist: self
                                        .setlists
                                        .get(i)
                                        .map_or_else(String::new, |s| s.id.clone()),
                                },
                            });
                        }
                    }
                    _ => {}
                }
                self.step = Step::Roles {
                    target,
                    options,
                    selected,
                };
            }
        }
        None
    }

    /// Applies a filter key on the first screen; the row selected stays selected when the
    /// filter still shows it, else the first row is.
    fn filter_input(&mut self, input: &Input) -> bool {
        match self
            .filter
            .on_input(Scope::Rooms, input, &self.catalogue.entries)
        {
            Changed::No => false,
            Changed::Nothing(word) => {
                self.flash = Some(word.to_string());
                true
            }
            Changed::Yes => {
                // A filter is about scenarios: a scenario it still shows stays selected, else
                // the first one it shows is, so a fallback onto another row (a setlist, when
                // nothing matched) never outlives the filter that caused it.
                let rows = self.rows();
                let kept = matches!(&self.selected, Some(s @ Row::Scenario(_)) if rows.contains(s));
                if !kept {
                    let first = rows.iter().find(|r| matches!(r, Row::Scenario(_))).cloned();
                    self.selected = first.or_else(|| {
                        self.selected
                            .clone()
                            .filter(|s| rows.contains(s))
                            .or_else(|| rows.first().cloned())
                    });
                }
                true
            }
        }
    }

    /// Selects what line `pick` of the screen on show stands for.
    fn select(&mut self, pick: usize) {
        match &mut self.step {
            Step::Main => self.selected = self.rows().get(pick).cloned(),
            Step::Roles { selected, .. } => *selected = pick,
        }
    }

    /// The row (first screen) or role option (role screen) drawn at (`col`, `row`).
    fn pick_at(&self, area: Rect, col: u16, row: u16) -> Option<usize> {
        let (list, _, _) = self.areas(area)?;
        let inner = inside(list);
        if !inner.contains(ratatui::layout::Position::new(col, row)) {
            return None;
        }
        let lines = self.lines(list.width);
        let top = top_line(&lines, inner.height as usize);
        lines.get(top + (row - inner.y) as usize)?.pick
    }
}
