//! The open sessions of one `gamelan serve`, beside its drills: a map from a unique name
//! (`<setlist>-<n>`) to its [`SessionRoom`], with how many channels are seated in it. Like a
//! drill, a session lives while any seat is connected; when the last one goes it closes at
//! once if everyone quit, and otherwise lingers so a dropped client can take its seat back.

use super::{SessionRoom, SessionSpec};
use crate::room::rooms::{OpenRoom, Rooms};
use crate::session::state::Phase;
use std::sync::Arc;
use std::time::Duration;

/// At most this many sessions are open at once.
pub const MAX_SESSIONS: usize = 16;

/// One open session as the lobby shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub name: String,
    pub title: String,
    /// `gathering`, `3/5 Spin the wheel` or `ended`.
    pub at: String,
    /// Present participants' names, the facilitator first.
    pub people: Vec<String>,
    pub observers: usize,
    /// Names whose seat waits for them (they dropped or quit).
    pub away: Vec<String>,
}

impl SessionInfo {
    /// Where a session stands, in a few words.
    pub fn at_of(s: &crate::session::Session) -> String {
        match &s.phase {
            Phase::Gathering => "gathering".into(),
            Phase::In { segment } => format!(
                "{}/{} {}",
                segment + 1,
                s.plan.setlist.segments.len(),
                s.plan.setlist.segments[*segment].title
            ),
            Phase::Ended { .. } => "ended".into(),
        }
    }
}

/// The open sessions of a serve.
pub type SessionRegistry = Rooms<SessionRoom>;

impl OpenRoom for SessionRoom {
    fn name(&self) -> &str {
        &self.name
    }
    fn is_closed(&self) -> bool {
        SessionRoom::is_closed(self)
    }
    /// A session's seats may come back until it closes, ended or not.
    fn ended(&self) -> bool {
        false
    }
    async fn shut(&self, reason: String) {
        let _ = self.close(&reason).await;
    }
    async fn closed(&self) {
        let mut state = self.state();
        let _ = state.wait_for(|s| s.closed.is_some()).await;
    }
}

impl Rooms<SessionRoom> {
    /// A registry whose sessions linger `linger` after their last connection dropped.
    pub fn new(linger: Duration) -> Arc<SessionRegistry> {
        Rooms::with_limit(linger, MAX_SESSIONS, "sessions")
    }

    /// Opens a session of setlist `id` with one connection counted (the caller's); `spec`
    /// is given the room's name.
    pub fn open(
        self: &Arc<Self>,
        id: &str,
        make: impl FnOnce(String) -> SessionSpec,
    ) -> Result<SessionRoom, String> {
        self.open_named(id, |name| SessionRoom::spawn(make(name)))
    }

    /// The open sessions, by name.
    pub fn list(&self) -> Vec<SessionInfo> {
        self.each(|room| {
            let s = room.session();
            let mut people: Vec<&crate::session::state::Seat> = s
                .seats
                .iter()
                .filter(|x| x.present && !x.observer)
                .collect();
            people.sort_by_key(|x| (Some(x.id) != s.facilitator, x.id));
            SessionInfo {
                name: room.name.clone(),
                title: s.plan.setlist.title.clone(),
                at: SessionInfo::at_of(&s),
                people: people.iter().map(|x| x.name.clone()).collect(),
                observers: s.seats.iter().filter(|x| x.present && x.observer).count(),
                away: s
                    .seats
                    .iter()
                    .filter(|x| !x.present)
                    .map(|x| x.name.clone())
                    .collect(),
            }
        })
    }
}
