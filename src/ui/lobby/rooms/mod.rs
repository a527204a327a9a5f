//! The lobby an SSH channel sees first: the open drills (join one) and the scenarios (start a
//! new drill), then the roles of the chosen drill. A plain struct with `on_input` and `draw`, so
//! it is tested with a `TestBackend`; every name a user or author wrote is drawn through
//! [`clean`], so no name can drive the peer's terminal.

use crate::keymap::Scope;
use crate::room::registry::RoomInfo;
use crate::scenario::{Catalogue, Scenario};
use crate::ui::help;
use crate::ui::lobby::filter::Filter;

mod draw;
mod input;
mod sessions;
use crate::ui::theme::Meaning;
use crate::ui::widgets::text::clean;
pub use sessions::Setlist;

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
    /// Open the recordings library (the server's data directory).
    Library,
    /// Join the open session `name`, as an observer or taking part.
    Session {
        name: String,
        observe: bool,
    },
    /// Open a session of the setlist `setlist` (its id), and facilitate it.
    NewSession {
        setlist: String,
    },
    Quit,
}

/// A row of the first screen.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Row {
    Room(String),
    Scenario(usize),
    /// An open session, by name.
    Session(String),
    /// A setlist to open a session of.
    Setlist(usize),
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
    /// The help overlay is open, scrolled to this line.
    pub help: Option<usize>,
    /// The filter and sort of the scenarios on offer.
    pub filter: Filter,
    /// The open sessions, and the setlists a new one may be opened from.
    sessions: Vec<crate::room::session::registry::SessionInfo>,
    pub setlists: Vec<Setlist>,
}

/// The smallest size the lobby draws at.
const MIN: (u16, u16) = (20, 6);

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
            help: None,
            filter: Filter::default(),
            sessions: Vec::new(),
            setlists: Vec::new(),
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
            .chain(self.sessions.iter().map(|s| Row::Session(s.name.clone())))
            .chain(
                self.filter
                    .visible(&self.catalogue.entries)
                    .into_iter()
                    .map(Row::Scenario),
            )
            .chain((0..self.setlists.len()).map(Row::Setlist))
            .collect()
    }

    fn room(&self, name: &str) -> Option<&RoomInfo> {
        self.rooms.iter().find(|r| r.name == name)
    }

    fn scenario_of(&self, row: &Row) -> Option<&Scenario> {
        match row {
            Row::Room(n) => self.room(n).map(|r| &*r.scenario),
            Row::Scenario(i) => self.catalogue.entries.get(*i).map(|e| &*e.scenario),
            Row::Session(_) | Row::Setlist(_) => None,
        }
    }

    fn role_options(&self, row: &Row) -> Vec<RoleOption> {
        if let Some(options) = self.session_options(row) {
            return options;
        }
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

    fn scope(&self) -> Scope {
        match self.step {
            Step::Main => Scope::Rooms,
            Step::Roles { .. } => Scope::Roles,
        }
    }

    /// The help overlay's lines for the screen on show, from the keymap.
    pub fn help_lines(&self) -> Vec<help::Line> {
        let title = match self.step {
            Step::Main => "gamelan · open drills and scenarios",
            Step::Roles { .. } => "gamelan · pick your role",
        };
        let mut lines = vec![help::Line::text(title, Meaning::Title), help::Line::blank()];
        lines.extend(help::lines(self.scope()));
        lines
    }

    /// Back to the first screen (after a join failed), with a message.
    pub fn back(&mut self, flash: String) {
        self.step = Step::Main;
        self.flash = Some(flash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::room::registry::SeatLine;
    use crate::scenario::bundled;

    use crate::input::{Input, KeyCode};
    use crate::ui::testing::{SCREEN, drawn, key};
    use crate::ui::theme::Theme;

    fn text(lobby: &SshLobby, w: u16, h: u16) -> String {
        drawn(w, h, |buf, area| lobby.draw(buf, area, &Theme::default()))
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
        assert_eq!(l.on_input(&key(KeyCode::Down), SCREEN), None);
        assert_eq!(l.on_input(&key(KeyCode::Enter), SCREEN), None);
        let t = text(&l, 80, 24);
        assert!(
            t.contains("pick your role") && t.contains("Every role"),
            "{t}"
        );
        assert_eq!(l.on_input(&key(KeyCode::Down), SCREEN), None);
        assert_eq!(
            l.on_input(&key(KeyCode::Enter), SCREEN),
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
        l.on_input(&key(KeyCode::Enter), SCREEN);
        let t = text(&l, 80, 24);
        assert!(t.contains("Take your seat back"), "{t}");
        assert!(t.contains("seated: b\u{fffd}[31mo (conducts)"), "{t}");
        assert_eq!(
            l.on_input(&key(KeyCode::Enter), SCREEN),
            Some(Pick::Join {
                room: "bad-deploy-1".into(),
                role: Some("operator".into())
            })
        );
    }

    #[test]
    fn a_room_that_closes_sends_the_role_screen_back() {
        let mut l = SshLobby::new("ana", catalogue(), vec![room("x-1", Vec::new())]);
        l.on_input(&key(KeyCode::Enter), SCREEN);
        assert!(l.set_rooms(Vec::new()));
        assert!(text(&l, 80, 24).contains("x-1 has closed"));
        assert_eq!(
            l.on_input(&key(KeyCode::Char('q')), SCREEN),
            Some(Pick::Quit)
        );
    }

    #[test]
    fn every_lobby_key_does_something_and_question_mark_shows_them() {
        use crate::keymap::{KEYMAP, Scope};
        for scope in [Scope::Rooms, Scope::Roles] {
            for b in KEYMAP.iter().filter(|b| b.scopes.contains(&scope)) {
                for k in b.keys {
                    let mut l = SshLobby::new(
                        "ana",
                        catalogue(),
                        vec![room("a-1", Vec::new()), room("b-1", Vec::new())],
                    );
                    l.selected = Some(Row::Room("b-1".into()));
                    if scope == Scope::Roles {
                        l.on_input(&key(KeyCode::Enter), SCREEN);
                        l.on_input(&key(KeyCode::Down), SCREEN);
                    }
                    let before = format!("{l:?}");
                    let asked = l.on_input(&Input::Key(*k), SCREEN);
                    assert!(
                        asked.is_some() || format!("{l:?}") != before,
                        "{scope:?}: {} ({:?}) did nothing",
                        k.label(),
                        b.act
                    );
                }
            }
        }
        let mut l = SshLobby::new("ana", catalogue(), Vec::new());
        assert_eq!(l.on_input(&key(KeyCode::Char('?')), SCREEN), None);
        let t = text(&l, 80, 24);
        assert!(
            t.contains("lobby keys") && t.contains("pick: join the drill"),
            "{t}"
        );
        l.on_input(&key(KeyCode::Esc), SCREEN);
        assert!(l.help.is_none(), "any other key closes help");
    }

    #[test]
    fn clicks_choose_rows_and_roles() {
        use crate::input::{Button, Mouse, MouseKind};
        let mut l = SshLobby::new("ana", catalogue(), vec![room("x-1", Vec::new())]);
        let t = text(&l, 80, 24);
        let (y, line) = t
            .lines()
            .enumerate()
            .find(|(_, line)| line.contains("queue-backlog"))
            .unwrap();
        let x = line.chars().position(|c| c == 'q').unwrap() as u16;
        let press = |clicks| {
            Input::Mouse(Mouse {
                clicks,
                ..Mouse::new(MouseKind::Down(Button::Left), x, y as u16)
            })
        };
        assert_eq!(l.on_input(&press(1), SCREEN), None);
        assert!(
            text(&l, 80, 24)
                .lines()
                .nth(y)
                .unwrap()
                .contains("▸ queue-backlog")
        );
        assert_eq!(l.on_input(&press(2), SCREEN), None);
        let t = text(&l, 80, 24);
        assert!(t.contains("new drill · pick your role"), "{t}");
        let (y, line) = t
            .lines()
            .enumerate()
            .find(|(_, line)| line.contains("Every role (solo)"))
            .unwrap();
        let x = line.chars().position(|c| c == 'E').unwrap() as u16;
        let pick = Input::Mouse(Mouse {
            clicks: 2,
            ..Mouse::new(MouseKind::Down(Button::Left), x, y as u16)
        });
        l.on_input(
            &Input::Mouse(Mouse::new(MouseKind::Down(Button::Left), x, y as u16)),
            SCREEN,
        );
        let queue_backlog = l
            .catalogue
            .entries
            .iter()
            .position(|e| e.scenario.meta.id == "queue-backlog")
            .unwrap();
        assert_eq!(
            l.on_input(&pick, SCREEN),
            Some(Pick::New {
                entry: queue_backlog,
                role: None
            })
        );
    }

    #[test]
    fn any_size_draws() {
        let l = SshLobby::new("ana", catalogue(), vec![room("x-1", Vec::new())]);
        for (w, h) in [(1, 1), (19, 5), (20, 6), (80, 24), (500, 200)] {
            let _ = text(&l, w, h);
        }
    }
}
