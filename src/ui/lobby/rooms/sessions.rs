//! The SSH lobby's sessions: the open ones (join one, taking part or observing) beside the open
//! drills, and the setlists a new session can be opened from (its opener facilitates).

use super::{RoleOption, Row, SshLobby};
use crate::room::session::registry::SessionInfo;
use crate::ui::lobby::list::Line;
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::text::{clean, fit, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The role option that joins a session as an observer.
pub const OBSERVE: &str = "observe";

/// A setlist on offer: its id (what `session ID` opens) and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setlist {
    pub id: String,
    pub title: String,
    /// The segments, in order, as `kind: title`.
    pub segments: Vec<String>,
}

impl SshLobby {
    /// Takes a fresh list of open sessions; returns whether anything visible changed.
    pub fn set_sessions(&mut self, sessions: Vec<SessionInfo>) -> bool {
        if sessions == self.sessions {
            return false;
        }
        // A selection at the top stays at the top, so a session that opens is the first row.
        let at_top = self.selected.is_none() || self.selected == self.rows().first().cloned();
        self.sessions = sessions;
        let rows = self.rows();
        if at_top || self.selected.as_ref().is_none_or(|s| !rows.contains(s)) {
            self.selected = rows.first().cloned();
        }
        if let super::Step::Roles {
            target: Row::Session(name),
            ..
        } = &self.step
            && !self.sessions.iter().any(|s| &s.name == name)
        {
            self.flash = Some(format!("{} has closed", clean(name)));
            self.step = super::Step::Main;
        }
        true
    }

    fn session(&self, name: &str) -> Option<&SessionInfo> {
        self.sessions.iter().find(|s| s.name == name)
    }

    /// The choices for a session row or a setlist row; `None` for drills and scenarios.
    pub(super) fn session_options(&self, row: &Row) -> Option<Vec<RoleOption>> {
        match row {
            Row::Session(name) => {
                let back = self
                    .session(name)
                    .is_some_and(|s| s.away.contains(&self.user));
                Some(vec![
                    RoleOption {
                        role: None,
                        label: if back {
                            "Take your seat back".into()
                        } else {
                            "Take part".into()
                        },
                        detail: "Spin, answer, note and remark; the facilitator moves the setlist."
                            .into(),
                    },
                    RoleOption {
                        role: Some(OBSERVE.into()),
                        label: "Observe".into(),
                        detail: "See every screen as it happens; act on nothing.".into(),
                    },
                ])
            }
            Row::Setlist(_) => Some(vec![RoleOption {
                role: None,
                label: "Open it and facilitate".into(),
                detail: "You move through the setlist; others join from this lobby.".into(),
            }]),
            _ => None,
        }
    }

    /// The heading of a session's (or setlist's) choice screen.
    pub(super) fn session_heading(&self, row: &Row, w: usize) -> Vec<Line> {
        match row {
            Row::Session(name) => match self.session(name) {
                Some(s) => vec![
                    Line::heading(&fit(&clean(&s.title), w)),
                    Line::muted(&fit(&people(s), w)),
                ],
                None => Vec::new(),
            },
            Row::Setlist(i) => match self.setlists.get(*i) {
                Some(s) => vec![Line::heading(&fit(&clean(&s.title), w))],
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// The open sessions, their rows picked from `first` on.
    pub(super) fn session_lines(&self, w: usize, first: usize) -> Vec<Line> {
        let mut lines = Vec::new();
        if self.sessions.is_empty() && self.setlists.is_empty() {
            return lines;
        }
        lines.push(Line::blank());
        lines.push(Line::heading("Open sessions: join one"));
        if self.sessions.is_empty() {
            lines.push(Line::muted("  none yet: open one below"));
        }
        for (i, s) in self.sessions.iter().enumerate() {
            let sel = self.selected.as_ref() == Some(&Row::Session(s.name.clone()));
            let text = format!(
                "{} {}  {} · {} here, {} observing",
                if sel { "▸" } else { " " },
                clean(&s.name),
                clean(&s.at),
                s.people.len(),
                s.observers
            );
            lines.push(Line::item(fit(&text, w), sel, first + i));
            lines.push(Line::muted(&fit(&format!("    {}", people(s)), w)).picks(first + i));
        }
        lines
    }

    /// The setlists on offer, their rows picked from `first` on.
    pub(super) fn setlist_lines(&self, w: usize, first: usize) -> Vec<Line> {
        let mut lines = Vec::new();
        if self.setlists.is_empty() {
            return lines;
        }
        lines.push(Line::blank());
        lines.push(Line::heading("Setlists: open a weekly session"));
        for (i, s) in self.setlists.iter().enumerate() {
            let sel = self.selected.as_ref() == Some(&Row::Setlist(i));
            let text = format!(
                "{} {} · {}",
                if sel { "▸" } else { " " },
                clean(&s.id),
                clean(&s.title)
            );
            lines.push(Line::item(fit(&text, w), sel, first + i));
        }
        lines
    }

    /// Draws what a session or setlist row is; false for other rows.
    pub(super) fn draw_session_detail(
        &self,
        buf: &mut Buffer,
        r: Rect,
        row: Option<&Row>,
        theme: &Theme,
    ) -> bool {
        let (title, body): (String, Vec<String>) = match row {
            Some(Row::Session(name)) => match self.session(name) {
                Some(s) => (
                    clean(&s.name),
                    vec![clean(&s.title), clean(&s.at), people(s)],
                ),
                None => return false,
            },
            Some(Row::Setlist(i)) => match self.setlists.get(*i) {
                Some(s) => {
                    let mut body = vec![clean(&s.title), String::new()];
                    body.extend(s.segments.iter().map(|l| format!("· {}", clean(l))));
                    (clean(&s.id), body)
                }
                None => return false,
            },
            _ => return false,
        };
        let inner = block(buf, r, title, false, theme);
        let w = inner.width as usize;
        let mut y = inner.y;
        for para in body {
            for line in wrap(&para, w.max(1)) {
                if y >= inner.y + inner.height {
                    return true;
                }
                buf.set_stringn(inner.x, y, &line, w, theme.style(Meaning::Text));
                y += 1;
            }
            if para.is_empty() {
                y += 1;
            }
        }
        true
    }
}

/// Who is in a session, the facilitator first.
fn people(s: &SessionInfo) -> String {
    let mut who: Vec<String> = s.people.iter().map(|n| clean(n)).collect();
    if let Some(first) = who.first_mut() {
        first.push_str(" (facilitates)");
    }
    if who.is_empty() {
        "nobody here yet".into()
    } else {
        format!("here: {}", who.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::KeyCode;
    use crate::scenario::{Catalogue, bundled};
    use crate::ui::lobby::rooms::Pick;
    use crate::ui::testing::{drawn, key};

    fn text(l: &SshLobby, w: u16, h: u16) -> String {
        drawn(w, h, |buf, area| l.draw(buf, area, &Theme::default()))
    }

    fn lobby() -> SshLobby {
        let catalogue = Catalogue {
            entries: bundled().into_iter().take(2).collect(),
            problems: Vec::new(),
        };
        let mut l = SshLobby::new("bo", catalogue, Vec::new());
        l.setlists = vec![Setlist {
            id: "weekly".into(),
            title: "The weekly session".into(),
            segments: vec!["walkthrough: Morning vista".into()],
        }];
        l.set_sessions(vec![SessionInfo {
            name: "weekly-1".into(),
            title: "The weekly session".into(),
            at: "2/4 Spin the wheel".into(),
            people: vec!["ana".into(), "cy".into()],
            observers: 3,
            away: vec!["bo".into()],
        }]);
        l
    }

    const AREA: Rect = Rect::new(0, 0, 120, 40);

    #[test]
    fn open_sessions_are_listed_beside_drills_and_joined_as_observer() {
        let mut l = lobby();
        let t = text(&l, 120, 40);
        assert!(t.contains("Open sessions: join one"), "{t}");
        assert!(
            t.contains("weekly-1  2/4 Spin the wheel · 2 here, 3 observing"),
            "{t}"
        );
        assert!(t.contains("here: ana (facilitates), cy"), "{t}");
        assert!(t.contains("Setlists: open a weekly session"), "{t}");
        // The session is the first row (no drills are open): choose it, then Observe.
        assert_eq!(l.on_input(&key(KeyCode::Enter), AREA), None);
        let t = text(&l, 120, 40);
        assert!(
            t.contains("Take your seat back") && t.contains("Observe"),
            "{t}"
        );
        l.on_input(&key(KeyCode::Down), AREA);
        assert_eq!(
            l.on_input(&key(KeyCode::Enter), AREA),
            Some(Pick::Session {
                name: "weekly-1".into(),
                observe: true
            })
        );
    }

    #[test]
    fn a_setlist_opens_a_session_and_a_closed_session_sends_the_screen_back() {
        let mut l = lobby();
        // The setlist is the last row.
        l.on_input(&key(KeyCode::End), AREA);
        l.on_input(&key(KeyCode::Enter), AREA);
        assert!(text(&l, 120, 40).contains("Open it and facilitate"));
        assert_eq!(
            l.on_input(&key(KeyCode::Enter), AREA),
            Some(Pick::NewSession {
                setlist: "weekly".into()
            })
        );
        l.on_input(&key(KeyCode::Home), AREA);
        l.on_input(&key(KeyCode::Enter), AREA);
        assert!(l.set_sessions(Vec::new()));
        assert!(text(&l, 80, 24).contains("weekly-1 has closed"));
        for (w, h) in [(1, 1), (20, 6), (80, 24), (500, 200)] {
            let _ = text(&l, w, h);
        }
    }
}
