//! The lobby an SSH channel sees first: the open drills (join one) and the scenarios (start a
//! new drill), then the roles of the chosen drill. A plain struct with `on_key` and `draw`, so
//! it is tested with a `TestBackend`; every name a user or author wrote is drawn through
//! [`clean`], so no name can drive the peer's terminal.

use crate::room::registry::RoomInfo;
use crate::scenario::{Catalogue, Scenario};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::text::{clean, fit, wrap};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// What the player chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// Start a drill of the catalogue's entry `entry`, seated as `role` (`None`: every role).
    New {
        entry: usize,
        role: Option<String>,
    },
    /// Join the open drill `room` as `role`.
    Join {
        room: String,
        role: Option<String>,
    },
    Quit,
}

/// A row of the first screen.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Row {
    Room(String),
    Scenario(usize),
}

/// A choice on the role screen.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RoleOption {
    role: Option<String>,
    label: String,
    detail: String,
}

#[derive(Debug, Clone)]
enum Step {
    Main,
    Roles {
        target: Row,
        options: Vec<RoleOption>,
        selected: usize,
    },
}

/// One channel's lobby.
#[derive(Debug, Clone)]
pub struct SshLobby {
    pub user: String,
    pub catalogue: Catalogue,
    rooms: Vec<RoomInfo>,
    selected: Option<Row>,
    step: Step,
    /// A message for the status line (a drill that closed, a join that failed).
    pub flash: Option<String>,
    /// The tempo new drills get here (`serve --tempo`), when it overrides the scenario's.
    pub tempo: Option<u32>,
    /// This seat's theme and colours, for the hint line (`t` changes the theme).
    pub theme: Option<String>,
}

impl SshLobby {
    pub fn new(user: &str, catalogue: Catalogue, rooms: Vec<RoomInfo>) -> SshLobby {
        let mut lobby = SshLobby {
            user: user.to_string(),
            catalogue,
            rooms: Vec::new(),
            selected: None,
            step: Step::Main,
            flash: None,
            tempo: None,
            theme: None,
        };
        lobby.set_rooms(rooms);
        lobby
    }

    /// Takes a fresh list of open drills; returns whether anything visible changed.
    pub fn set_rooms(&mut self, rooms: Vec<RoomInfo>) -> bool {
        if rooms == self.rooms && self.selected.is_some() {
            return false;
        }
        self.rooms = rooms;
        let rows = self.rows();
        if self.selected.as_ref().is_none_or(|s| !rows.contains(s)) {
            self.selected = rows.first().cloned();
        }
        if let Step::Roles {
            target: Row::Room(name),
            ..
        } = &self.step
            && !self.rooms.iter().any(|r| &r.name == name)
        {
            self.flash = Some(format!("{} has closed", clean(name)));
            self.step = Step::Main;
        }
        true
    }

    fn rows(&self) -> Vec<Row> {
        self.rooms
            .iter()
            .map(|r| Row::Room(r.name.clone()))
            .chain((0..self.catalogue.entries.len()).map(Row::Scenario))
            .collect()
    }

    fn room(&self, name: &str) -> Option<&RoomInfo> {
        self.rooms.iter().find(|r| r.name == name)
    }

    fn scenario_of(&self, row: &Row) -> Option<&Scenario> {
        match row {
            Row::Room(n) => self.room(n).map(|r| &*r.scenario),
            Row::Scenario(i) => self.catalogue.entries.get(*i).map(|e| &*e.scenario),
        }
    }

    fn role_options(&self, row: &Row) -> Vec<RoleOption> {
        let Some(s) = self.scenario_of(row) else {
            return Vec::new();
        };
        let role_label = |r: &Option<String>| match r {
            None => "every role".to_string(),
            Some(id) => s.role(id).map_or_else(|| clean(id), |d| clean(&d.name)),
        };
        let mut out = Vec::new();
        if let Row::Room(n) = row
            && let Some(seat) = self.room(n).and_then(|r| r.absent_seat(&self.user))
        {
            out.push(RoleOption {
                role: seat.role.clone(),
                label: format!("Take your seat back ({})", role_label(&seat.role)),
                detail: "You were here before; your seat kept its place.".into(),
            });
        }
        for r in &s.roles {
            out.push(RoleOption {
                role: Some(r.id.clone()),
                label: if r.facilitator {
                    format!("{} (runs the drill)", clean(&r.name))
                } else {
                    clean(&r.name)
                },
                detail: clean(&r.description),
            });
        }
        out.push(RoleOption {
            role: None,
            label: "Every role (solo)".into(),
            detail: "Play every part, and run the drill yourself.".into(),
        });
        out
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Option<Pick> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(Pick::Quit);
        }
        self.flash = None;
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
                match key.code {
                    KeyCode::Char('q') | KeyCode::Esc => return Some(Pick::Quit),
                    KeyCode::Up | KeyCode::Char('k') if n > 0 => {
                        self.selected = Some(rows[(at + n - 1) % n].clone());
                    }
                    KeyCode::Down | KeyCode::Char('j') if n > 0 => {
                        self.selected = Some(rows[(at + 1) % n].clone());
                    }
                    KeyCode::Home => self.selected = rows.first().cloned(),
                    KeyCode::End => self.selected = rows.last().cloned(),
                    KeyCode::Enter | KeyCode::Right if n > 0 => {
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
                match key.code {
                    KeyCode::Esc | KeyCode::Char('q') | KeyCode::Left | KeyCode::Backspace => {
                        return None;
                    }
                    KeyCode::Up | KeyCode::Char('k') => selected = (selected + n - 1) % n,
                    KeyCode::Down | KeyCode::Char('j') => selected = (selected + 1) % n,
                    KeyCode::Enter | KeyCode::Right => {
                        if let Some(o) = options.get(selected) {
                            let role = o.role.clone();
                            return Some(match target {
                                Row::Room(room) => Pick::Join { room, role },
                                Row::Scenario(entry) => Pick::New { entry, role },
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

    /// Back to the first screen (after a join failed), with a message.
    pub fn back(&mut self, flash: String) {
        self.step = Step::Main;
        self.flash = Some(flash);
    }

    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        if !crate::ui::prepare(buf, area, (20, 6), theme) {
            return;
        }
        let (body, status) = crate::ui::status_split(area);
        let (title, hint) = match &self.step {
            Step::Main => (
                format!("gamelan · welcome, {}", clean(&self.user)),
                match &self.theme {
                    Some(t) => format!(" ↑↓ choose · Enter pick · t {t} · q quit "),
                    None => " ↑↓ choose · Enter pick · q quit ".to_string(),
                },
            ),
            Step::Roles { target, .. } => (
                match target {
                    Row::Room(n) => format!("join {} · pick your role", clean(n)),
                    Row::Scenario(_) => "new drill · pick your role".to_string(),
                },
                " ↑↓ choose · Enter join · Esc back ".to_string(),
            ),
        };
        // Wide: the list on the left, the selected scenario on the right. Narrow: the list
        // on top, the scenario under it when there is room for a few lines of it.
        let wide = body.width >= 100;
        let lines = |w: u16| match &self.step {
            Step::Main => self.main_lines(w.saturating_sub(2) as usize),
            Step::Roles {
                target,
                options,
                selected,
            } => self.role_lines(target, options, *selected, w.saturating_sub(2) as usize),
        };
        let (list, detail) = if wide {
            let w = body.width * 55 / 100;
            (
                Rect { width: w, ..body },
                Rect {
                    x: body.x + w,
                    width: body.width - w,
                    ..body
                },
            )
        } else {
            let need = lines(body.width).len() as u16 + 2;
            if body.height >= need + 7 {
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
                )
            } else {
                (body, Rect { height: 0, ..body })
            }
        };
        let inner = block(buf, list, title, true, theme);
        draw_lines(buf, inner, &lines(list.width), theme);
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
            None => (hint.to_string(), Meaning::Status),
        };
        buf.set_stringn(
            status.x,
            status.y,
            fit(&text, status.width as usize),
            status.width as usize,
            theme.style(meaning),
        );
    }

    fn main_lines(&self, w: usize) -> Vec<Line> {
        let mut lines = Vec::new();
        lines.push(Line::heading("Open drills: join one"));
        if self.rooms.is_empty() {
            lines.push(Line::muted("  none yet: start one below"));
        }
        for r in &self.rooms {
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
            lines.push(Line::item(fit(&text, w), sel));
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
                lines.push(Line::muted(&fit(&format!("    {}", seats.join(", ")), w)));
            }
        }
        lines.push(Line::blank());
        lines.push(Line::heading("Scenarios: start a new drill"));
        for (i, e) in self.catalogue.entries.iter().enumerate() {
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
            lines.push(Line::item(format!("{name:<room$}{tag}"), sel));
        }
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
        let mut lines = Vec::new();
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
            ));
            if !o.detail.is_empty() {
                lines.push(Line::muted(&fit(&format!("    {}", o.detail), w)));
            }
        }
        lines
    }

    fn draw_detail(&self, buf: &mut Buffer, r: Rect, row: Option<&Row>, theme: &Theme) {
        let Some(s) = row.and_then(|row| self.scenario_of(row)) else {
            return;
        };
        let inner = block(buf, r, clean(&s.meta.id), false, theme);
        let w = inner.width as usize;
        let mut lines = vec![Line::heading(&fit(&clean(&s.meta.title), w))];
        lines.push(Line::muted(&fit(
            &format!(
                "{} · about {} min · {} BPM",
                s.meta.difficulty.label(),
                s.meta.duration_minutes,
                self.tempo.unwrap_or(s.tempo.bpm)
            ),
            w,
        )));
        lines.push(Line::blank());
        for l in wrap(&s.meta.summary, w) {
            lines.push(Line::text(l));
        }
        lines.push(Line::blank());
        let roles: Vec<String> = s.roles.iter().map(|r| clean(&r.name)).collect();
        for l in wrap(&format!("Roles: {}", roles.join(", ")), w) {
            lines.push(Line::muted(&l));
        }
        draw_lines(buf, inner, &lines, theme);
    }
}

/// One line of a lobby list.
struct Line {
    text: String,
    meaning: Meaning,
    selected: bool,
}

impl Line {
    fn heading(t: &str) -> Line {
        Line {
            text: t.to_string(),
            meaning: Meaning::Title,
            selected: false,
        }
    }
    fn muted(t: &str) -> Line {
        Line {
            text: t.to_string(),
            meaning: Meaning::Muted,
            selected: false,
        }
    }
    fn warning(t: &str) -> Line {
        Line {
            text: t.to_string(),
            meaning: Meaning::Warning,
            selected: false,
        }
    }
    fn text(t: String) -> Line {
        Line {
            text: t,
            meaning: Meaning::Text,
            selected: false,
        }
    }
    fn blank() -> Line {
        Line::text(String::new())
    }
    fn item(text: String, selected: bool) -> Line {
        Line {
            text,
            meaning: Meaning::Text,
            selected,
        }
    }
}

/// Draws `lines` into `r`, scrolled so that the selected line stays visible.
fn draw_lines(buf: &mut Buffer, r: Rect, lines: &[Line], theme: &Theme) {
    let h = r.height as usize;
    if h == 0 || r.width == 0 {
        return;
    }
    let sel = lines.iter().position(|l| l.selected).unwrap_or(0);
    // Keep a line of context under the selection (its seats or description).
    let top = (sel + 2)
        .saturating_sub(h)
        .min(lines.len().saturating_sub(h));
    for (i, l) in lines.iter().skip(top).take(h).enumerate() {
        let style = if l.selected {
            theme
                .style(Meaning::Selection)
                .add_modifier(Modifier::REVERSED)
        } else {
            theme.style(l.meaning)
        };
        let w = r.width as usize;
        let text = if l.selected {
            format!("{:<w$}", fit(&l.text, w))
        } else {
            fit(&l.text, w)
        };
        buf.set_stringn(r.x, r.y + i as u16, text, w, style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::room::registry::SeatLine;
    use crate::scenario::bundled;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn text(lobby: &SshLobby, w: u16, h: u16) -> String {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        lobby.draw(&mut buf, area, &Theme::default());
        (0..h)
            .map(|y| {
                (0..w)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn catalogue() -> Catalogue {
        Catalogue {
            entries: bundled(),
            problems: Vec::new(),
        }
    }

    fn room(name: &str, seats: Vec<SeatLine>) -> RoomInfo {
        RoomInfo {
            name: name.into(),
            scenario: bundled().remove(0).scenario,
            status: "running",
            at: "3:2".into(),
            seats,
        }
    }

    #[test]
    fn new_drill_then_role() {
        let mut l = SshLobby::new("ana", catalogue(), Vec::new());
        let t = text(&l, 80, 24);
        assert!(t.contains("welcome, ana"), "{t}");
        assert!(t.contains("none yet"), "{t}");
        assert!(t.contains("bad-deploy"), "{t}");
        assert_eq!(l.on_key(key(KeyCode::Down)), None);
        assert_eq!(l.on_key(key(KeyCode::Enter)), None);
        let t = text(&l, 80, 24);
        assert!(
            t.contains("pick your role") && t.contains("Every role"),
            "{t}"
        );
        assert_eq!(l.on_key(key(KeyCode::Down)), None);
        assert_eq!(
            l.on_key(key(KeyCode::Enter)),
            Some(Pick::New {
                entry: 1,
                role: Some(catalogue().entries[1].scenario.roles[1].id.clone())
            })
        );
    }

    #[test]
    fn join_offers_the_seat_back_and_escapes_names() {
        let seats = vec![
            SeatLine {
                name: "ana".into(),
                role: Some("operator".into()),
                present: false,
                conducts: false,
            },
            SeatLine {
                name: "b\u{1b}[31mo".into(),
                role: None,
                present: true,
                conducts: true,
            },
        ];
        let mut l = SshLobby::new("ana", catalogue(), vec![room("bad-deploy-1", seats)]);
        let t = text(&l, 120, 30);
        assert!(
            t.contains("bad-deploy-1") && t.contains("ana (operator, away)"),
            "{t}"
        );
        assert!(!t.contains('\u{1b}'), "control characters are escaped: {t}");
        assert!(t.contains("b\u{fffd}[31mo (solo, conducts)"), "{t}");
        l.on_key(key(KeyCode::Enter));
        let t = text(&l, 80, 24);
        assert!(t.contains("Take your seat back"), "{t}");
        assert!(t.contains("seated: b\u{fffd}[31mo (conducts)"), "{t}");
        assert_eq!(
            l.on_key(key(KeyCode::Enter)),
            Some(Pick::Join {
                room: "bad-deploy-1".into(),
                role: Some("operator".into())
            })
        );
    }

    #[test]
    fn a_room_that_closes_sends_the_role_screen_back() {
        let mut l = SshLobby::new("ana", catalogue(), vec![room("x-1", Vec::new())]);
        l.on_key(key(KeyCode::Enter));
        assert!(l.set_rooms(Vec::new()));
        assert!(text(&l, 80, 24).contains("x-1 has closed"));
        assert_eq!(l.on_key(key(KeyCode::Char('q'))), Some(Pick::Quit));
    }

    #[test]
    fn any_size_draws() {
        let l = SshLobby::new("ana", catalogue(), vec![room("x-1", Vec::new())]);
        for (w, h) in [(1, 1), (19, 5), (20, 6), (80, 24), (500, 200)] {
            let _ = text(&l, w, h);
        }
    }
}
