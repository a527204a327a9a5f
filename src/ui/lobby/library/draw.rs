//! Drawing the library: the list of recordings (with the filters in its title), the selected
//! recording's detail, and a status line that holds the keys, a message or a question. Every
//! name from a file goes through [`clean`].

use super::{Library, LibraryRow, Prompt};
use crate::keymap::{self, Act, Scope};
use crate::ui::lobby::list::{Line, draw_lines};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::text::{clean, fit};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The smallest size the library draws at.
const MIN: (u16, u16) = (20, 6);

/// Lines of the detail pane under the list (with its frame).
const DETAIL: u16 = 6;

impl Library {
    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        if let Some(doc) = &self.document {
            doc.draw(buf, area, theme);
            return;
        }
        if !crate::ui::prepare(buf, area, MIN, theme) {
            return;
        }
        let (body, status) = crate::ui::status_split(area);
        let detail_h = if body.height >= DETAIL + 6 { DETAIL } else { 0 };
        let list = Rect {
            height: body.height - detail_h,
            ..body
        };
        let inner = block(buf, list, self.title(), true, theme);
        draw_lines(buf, inner, &self.lines(inner.width as usize), theme);
        if detail_h > 0 {
            let r = Rect {
                y: body.y + list.height,
                height: detail_h,
                ..body
            };
            self.draw_detail(buf, r, theme);
        }
        self.draw_status(buf, status, theme);
        if let Some(top) = self.help {
            crate::ui::help::draw(
                buf,
                area,
                "recordings keys",
                &Self::help_lines(),
                top,
                theme,
            );
        }
    }

    fn title(&self) -> String {
        let mut t = format!("recordings · {} of {}", self.shown.len(), self.rows.len());
        let f = &self.filters;
        for (what, v) in [
            ("scenario", &f.scenario),
            ("seat", &f.seat),
            ("outcome", &f.outcome),
        ] {
            if let Some(v) = v {
                t.push_str(&format!(" · {what} {}", clean(v)));
            }
        }
        t
    }

    fn lines(&self, w: usize) -> Vec<Line> {
        if self.rows.is_empty() {
            return vec![
                Line::muted(&fit(&format!("No recordings in {}.", clean(&self.dir)), w)),
                Line::muted(&fit("Every drill played is recorded here.", w)),
            ];
        }
        if self.shown.is_empty() {
            let k = keymap::key_label(Scope::Library, Act::ClearFilters);
            return vec![Line::muted(&fit(
                &format!("None match the filters ({k}: all)."),
                w,
            ))];
        }
        self.shown()
            .enumerate()
            .map(|(i, r)| {
                let sel = i == self.selected;
                let ghost = if self.ghost.as_ref() == Some(&r.path) {
                    "◌"
                } else {
                    " "
                };
                let mark = if sel { "▸" } else { " " };
                Line::item(fit(&format!("{mark}{ghost}{}", row_text(r, w)), w), sel, i)
            })
            .collect()
    }

    fn draw_detail(&self, buf: &mut Buffer, r: Rect, theme: &Theme) {
        let Some(row) = self.selected_row() else {
            block(buf, r, "recording".into(), false, theme);
            return;
        };
        let inner = block(buf, r, clean(&row.name()), false, theme);
        let w = inner.width as usize;
        let seats = if row.seats.is_empty() {
            "nobody joined".to_string()
        } else {
            row.seats
                .iter()
                .map(|s| clean(s))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut lines = vec![
            Line::text(fit(
                &format!(
                    "{} · {} · {} beats, story {}",
                    clean(&row.scenario),
                    clean(&row.outcome),
                    row.beats,
                    row.story
                ),
                w,
            )),
            Line::muted(&fit(&format!("seats: {seats}"), w)),
            Line::muted(&fit(&format!("started {}", clean(&row.started)), w)),
        ];
        match self.ghost_row() {
            Some(g) if g.path == row.path => lines.push(Line::muted(&fit(
                "this is the ghost: choose another run of its scenario to compare",
                w,
            ))),
            Some(g) => lines.push(Line::muted(&fit(
                &format!("compared with the ghost {}", clean(&g.name())),
                w,
            ))),
            None => {}
        }
        draw_lines(buf, inner, &lines, theme);
    }

    fn draw_status(&self, buf: &mut Buffer, status: Rect, theme: &Theme) {
        buf.set_style(status, theme.style(Meaning::Status));
        let k = |a| keymap::key_label(Scope::Library, a);
        let yes_no = format!(
            "{} yes · {} no",
            keymap::key_label(Scope::Confirm, Act::Yes),
            keymap::key_label(Scope::Confirm, Act::No)
        );
        let name = |row: usize| clean(&self.rows[row].name());
        let (text, meaning) = match (&self.prompt, &self.flash) {
            (Some(Prompt::Naming { text, .. }), flash) => (
                format!(
                    " new name: {}▌ (enter · esc){}",
                    clean(text),
                    flash
                        .as_ref()
                        .map_or_else(String::new, |f| format!(" {}", clean(f)))
                ),
                Meaning::Warning,
            ),
            (Some(Prompt::Delete { row }), _) => (
                format!(" delete {}? {yes_no}", name(*row)),
                Meaning::Warning,
            ),
            (Some(Prompt::Rename { row, to }), _) => (
                format!(" rename {} to {}? {yes_no}", name(*row), clean(to)),
                Meaning::Warning,
            ),
            (None, Some(f)) => (format!(" {} ", clean(f)), Meaning::Status),
            (None, None) => (
                format!(
                    " {}{} · {} replay · {} debrief · {} ghost · {}{}{} filter · {} keys · {} back ",
                    k(Act::Prev),
                    k(Act::Next),
                    k(Act::Choose),
                    k(Act::Debrief),
                    k(Act::MarkGhost),
                    k(Act::FilterScenario),
                    k(Act::FilterSeat),
                    k(Act::FilterOutcome),
                    k(Act::Help),
                    k(Act::Back)
                ),
                Meaning::Status,
            ),
        };
        buf.set_stringn(
            status.x,
            status.y,
            fit(&text, status.width as usize),
            status.width as usize,
            theme.style(meaning),
        );
    }
}

/// A row as the list shows it, in columns that fit `w`: the start (date and minute), the
/// scenario, the outcome, the seats.
fn row_text(r: &LibraryRow, w: usize) -> String {
    let started: String = r.started.replace('T', " ").chars().take(16).collect();
    let seats = r
        .seats
        .iter()
        .map(|s| clean(s))
        .collect::<Vec<_>>()
        .join(",");
    if w < 60 {
        return format!(
            "{} {}",
            fit(&clean(&r.scenario), 16),
            clean(r.outcome_kind())
        );
    }
    let base = format!(
        "{started:<16} {:<20} {:<18} ",
        fit(&clean(&r.scenario), 20),
        fit(&clean(r.outcome_kind()), 18)
    );
    if w < 120 {
        return base + &seats;
    }
    // Wide: the length and the file's name too.
    format!(
        "{base}{:<24} {:>5} beats {:>8}  {}",
        fit(&seats, 24),
        r.beats,
        r.story,
        clean(&r.name())
    )
}
