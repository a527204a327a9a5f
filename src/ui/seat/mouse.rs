//! The mouse on a seat's console: a click focuses the pane under it (a double click zooms),
//! a click on a cue presses it through [`SeatView::press`], the same call as its key, and the
//! wheel scrolls the pane under the pointer, the help or a long briefing.

use super::{Command, Mode, SeatView};
use crate::drill::Drill;
use crate::input::{Input, Mouse};
use crate::keymap::Act;
use crate::ui::console::hit::{self, Spot};
use crate::ui::help;
use ratatui::layout::Rect;

impl SeatView {
    pub(super) fn on_mouse(&mut self, m: &Mouse, drill: &Drill, area: Rect) -> Vec<Command> {
        if m.wheel() == 0 && !m.is_click() {
            return Vec::new();
        }
        if let Some(top) = self.help {
            let lines = self.help_lines(drill);
            self.help = help::on_input(top, &Input::Mouse(*m), area, &lines);
            return Vec::new();
        }
        if self.mode == Mode::Briefing && m.wheel() != 0 {
            self.scroll_briefing(Act::ScrollDown, m.wheel(), drill, area);
            return Vec::new();
        }
        // Prompts and the briefing take keys only; the mouse never answers a question.
        if self.mode != Mode::Playing {
            return Vec::new();
        }
        if m.is_click() && drill.is_ended() && !self.end_dismissed {
            self.end_dismissed = true;
            return Vec::new();
        }
        let spot = hit::spot(area, drill, self, m.col, m.row);
        if m.wheel() != 0 {
            if let Some(Spot::Pane(p) | Spot::Cue(p, _)) = spot {
                let up = m.wheel() < 0;
                self.scroll(p, 3, up);
            }
            return Vec::new();
        }
        match spot {
            // The first press of a double click on a cue has pressed it; the second does
            // nothing more, so a double click never applies a cue twice.
            Some(Spot::Cue(_, _)) if m.is_double() => Vec::new(),
            Some(Spot::Cue(p, i)) => {
                self.flash = None;
                self.focus = p;
                let key = drill.scenario.cues[i].key;
                self.press(key, drill)
            }
            Some(Spot::Pane(p)) => {
                self.flash = None;
                self.focus = p;
                if m.is_double() {
                    self.zoom = !self.zoom;
                }
                Vec::new()
            }
            None => Vec::new(),
        }
    }
}
