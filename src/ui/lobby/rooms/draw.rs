//! Drawing the SSH lobby: where the list, the detail and the status line go at any size, the
//! rows of open drills, sessions and scenarios, the role screen, the scenario's card.

use super::{MIN, RoleOption, Row, SshLobby, Step};
use crate::keymap::{self, Act, Scope};
use crate::ui::help;
use crate::ui::lobby::list::{Line, draw_lines};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

impl SshLobby {
    /// The lines of the screen on show, for a list `w` columns wide.
    pub(super) fn lines(&self, w: u16) -> Vec<Line> {
        match &self.step {
            Step::Main => self.main_lines(w.saturating_sub(2) as usize),
            Step::Roles {
                target,
                options,
                selected,
            } => self.role_lines(target, options, *selected, w.saturating_sub(2) as usize),
        }
    }

    /// Where the list, the detail and the status line go; `None` when `area` is too small.
    pub(super) fn areas(&self, area: Rect) -> Option<(Rect, Rect, Rect)> {
        if area.width < MIN.0 || area.height < MIN.1 {
            return None;
        }
        let (body, status) = crate::ui::status_split(area);
        // Wide: the list on the left, the selected scenario on the right. Narrow: the list
        // on top, the scenario under it when there is room for a few lines of it.
        if body.width >= 100 {
            let w = body.width * 55 / 100;
            return Some((
                Rect { width: w, ..body },
                Rect {
                    x: body.x + w,
                    width: body.width - w,
                    ..body
                },
                status,
            ));
        }
        let need = self.lines(body.width).len() as u16 + 2;
        Some(if body.height >= need + 7 {
            (
                Rect {
                    height: need,
                    ..body
                },
                Rect {
                    y: body.y + need,
                    height: body.height - need,
                    ..body
                },
                status,
            )
        } else {
            (body, Rect { height: 0, ..body }, status)
        })
    }

    /// Draws the screen on show into `area`.
    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        if !crate::ui::prepare(buf, area, MIN, theme) {
            return;
        }
        let Some((list, detail, status)) = self.areas(area) else {
            return;
        };
        let k = |a| keymap::key_label(self.scope(), a);
        let (title, hint) = match &self.step {
            Step::Main => (
                format!("gamelan · welcome, {}", clean(&self.user)),
                match &self.theme {
                    Some(th) => format!(
                        " {}{} choose · {} pick · {} recordings · t {th} · {} keys · {} quit ",
                        k(Act::Prev),
                        k(Act::Next),
                        k(Act::Choose),
                        k(Act::Recordings),
                        k(Act::Help),
                        k(Act::Quit)
                    ),
                    None => format!(
                        " {}{} choose · {} pick · {} recordings · {} keys · {} quit ",
                        k(Act::Prev),
                        k(Act::Next),
                        k(Act::Choose),
                        k(Act::Recordings),
                        k(Act::Help),
                        k(Act::Quit)
                    ),
                },
            ),
            Step::Roles { target, .. } => (
                match target {
                    Row::Room(n) => format!("join {} · pick your role", clean(n)),
                    Row::Scenario(_) => "new drill · pick your role".to_string(),
                    Row::Session(n) => format!("join the session {}", clean(n)),
                    Row::Setlist(_) => "new session".to_string(),
                },
                format!(
                    " {}{} choose · {} join · {} keys · {} back ",
                    k(Act::Prev),
                    k(Act::Next),
                    k(Act::Choose),
                    k(Act::Help),
                    k(Act::Back)
                ),
            ),
        };
        let inner = block(buf, list, title, true, theme);
        draw_lines(buf, inner, &self.lines(list.width), theme);
        if detail.width >= 20 && detail.height >= 3 {
            let row = match &self.step {
                Step::Main => self.selected.clone(),
                Step::Roles { target, .. } => Some(target.clone()),
            };
            self.draw_detail(buf, detail, row.as_ref(), theme);
        }
        buf.set_style(status, theme.style(Meaning::Status));
        let (text, meaning) = match &self.flash {
            Some(f) => (format!(" {} ", clean(f)), Meaning::StatusError),
            None => (hint, Meaning::Status),
        };
        paint::stringn(
            buf,
            status.x,
            status.y,
            fit(&text, status.width as usize),
            status.width as usize,
            theme.style(meaning),
        );
        if let Some(top) = self.help {
            help::draw(buf, area, "lobby keys", &self.help_lines(), top, theme);
        }
    }

    fn main_lines(&self, w: usize) -> Vec<Line> {
        let mut lines = Vec::new();
        lines.push(Line::heading("Open drills: join one"));
        if self.rooms.is_empty() {
            lines.push(Line::muted("  none yet: start one below"));
        }
        for (pick, r) in self.rooms.iter().enumerate() {
            let sel = self.selected.as_ref() == Some(&Row::Room(r.name.clone()));
            let present = r.seats.iter().filter(|s| s.present).count();
            let text = format!(
                "{} {}  {} {} · {} seated",
                if sel { "▸" } else { " " },
                clean(&r.name),
                r.status,
                r.at,
                present
            );
            lines.push(Line::item(fit(&text, w), sel, pick));
            let seats: Vec<String> = r
                .seats
                .iter()
                .map(|s| {
                    let role = s.role.as_deref().map_or("solo".into(), clean);
                    if s.conducts {
                        format!("{} ({role}, conducts)", clean(&s.name))
                    } else if s.present {
                        format!("{} ({role})", clean(&s.name))
                    } else {
                        format!("{} ({role}, away)", clean(&s.name))
                    }
                })
                .collect();
            if !seats.is_empty() {
                lines.push(Line::muted(&fit(&format!("    {}", seats.join(", ")), w)).picks(pick));
            }
        }
        lines.extend(self.session_lines(w, self.rooms.len()));
        lines.push(Line::blank());
        lines.push(Line::heading("Scenarios: start a new drill"));
        let shown = self.filter.visible(&self.catalogue.entries);
        let filter = self
            .filter
            .line(Scope::Rooms, shown.len(), self.catalogue.entries.len());
        lines.push(if self.filter.narrows() || self.filter.is_typing() {
            Line::heading(&fit(&format!("  {filter}"), w))
        } else {
            Line::muted(&fit(&format!("  {filter}"), w))
        });
        if shown.is_empty() && !self.catalogue.entries.is_empty() {
            let [what, how] = self.filter.nothing_matches(Scope::Rooms);
            lines.push(Line::warning(&fit(&format!("  {what}"), w)));
            lines.push(Line::muted(&fit(&format!("  {how}"), w)));
        }
        for (pos, i) in shown.into_iter().enumerate() {
            let e = &self.catalogue.entries[i];
            let sel = self.selected.as_ref() == Some(&Row::Scenario(i));
            let m = &e.scenario.meta;
            let tag = format!(" {}", m.difficulty.label());
            let room = w.saturating_sub(tag.chars().count());
            let name = fit(
                &format!(
                    "{} {} · {}",
                    if sel { "▸" } else { " " },
                    clean(&m.id),
                    clean(&m.title)
                ),
                room,
            );
            lines.push(Line::item(
                format!("{name:<room$}{tag}"),
                sel,
                self.rooms.len() + self.sessions.len() + pos,
            ));
        }
        lines.extend(self.setlist_lines(
            w,
            self.rooms.len() + self.sessions.len() + self.catalogue.entries.len(),
        ));
        for p in self.catalogue.problems.iter().take(3) {
            lines.push(Line::warning(&fit(&format!("skipped: {p}"), w)));
        }
        lines
    }

    fn role_lines(
        &self,
        target: &Row,
        options: &[RoleOption],
        selected: usize,
        w: usize,
    ) -> Vec<Line> {
        let mut lines = self.session_heading(target, w);
        if let Some(s) = self.scenario_of(target) {
            lines.push(Line::heading(&fit(&clean(&s.meta.title), w)));
        }
        if let Row::Room(n) = target
            && let Some(r) = self.room(n)
        {
            let seats: Vec<String> = r
                .seats
                .iter()
                .filter(|s| s.present)
                .map(|s| {
                    if s.conducts {
                        format!("{} (conducts)", clean(&s.name))
                    } else {
                        clean(&s.name)
                    }
                })
                .collect();
            let who = if seats.is_empty() {
                "nobody seated".to_string()
            } else {
                format!("seated: {}", seats.join(", "))
            };
            lines.push(Line::muted(&fit(
                &format!("{} {} · {who}", r.status, r.at),
                w,
            )));
        }
        if let Row::Scenario(_) = target {
            for l in wrap(
                "Whoever opens a drill conducts it until a facilitator joins.",
                w,
            ) {
                lines.push(Line::muted(&l));
            }
        }
        lines.push(Line::blank());
        for (i, o) in options.iter().enumerate() {
            let sel = i == selected;
            lines.push(Line::item(
                fit(&format!("{} {}", if sel { "▸" } else { " " }, o.label), w),
                sel,
                i,
            ));
            if !o.detail.is_empty() {
                lines.push(Line::muted(&fit(&format!("    {}", o.detail), w)).picks(i));
            }
        }
        lines
    }

    fn draw_detail(&self, buf: &mut Buffer, r: Rect, row: Option<&Row>, theme: &Theme) {
        if self.draw_session_detail(buf, r, row, theme) {
            return;
        }
        let Some(s) = row.and_then(|row| self.scenario_of(row)) else {
            return;
        };
        let inner = block(buf, r, clean(&s.meta.id), false, theme);
        let bpm = self.tempo.unwrap_or(s.tempo.bpm);
        let lines = crate::ui::lobby::card::lines(s, None, bpm, inner.width as usize, false);
        crate::ui::lobby::card::draw(buf, inner, &lines, theme);
    }
}
