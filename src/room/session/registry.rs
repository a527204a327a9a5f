//! The open sessions of one `gamelan serve`, beside its drills: a map from a unique name
//! (`<setlist>-<n>`) to its [`SessionRoom`], with how many channels are seated in it. Like a
//! drill, a session lives while any seat is connected; when the last one goes it closes at
//! once if everyone quit, and otherwise lingers so a dropped client can take its seat back.

use super::{SessionRoom, SessionSpec};
use crate::room::registry::{Departure, Presence, close_when_empty};
use crate::session::state::Phase;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

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

struct Entry {
    room: SessionRoom,
    presence: Presence,
}

/// The shared registry of sessions.
pub struct SessionRegistry {
    inner: Mutex<Inner>,
    version: watch::Sender<u64>,
    linger: Duration,
}

#[derive(Default)]
struct Inner {
    rooms: BTreeMap<String, Entry>,
    counters: HashMap<String, u64>,
}

impl SessionRegistry {
    pub fn new(linger: Duration) -> Arc<SessionRegistry> {
        Arc::new(SessionRegistry {
            inner: Mutex::new(Inner::default()),
            version: watch::channel(0).0,
            linger,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn bump(&self) {
        self.version.send_modify(|v| *v += 1);
    }

    /// Changes whenever a session opens or closes or a seat comes or goes.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// The name the next session of setlist `id` gets.
    fn next_name(inner: &mut Inner, id: &str) -> String {
        let id: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let n = inner.counters.entry(id.clone()).or_insert(0);
        *n += 1;
        format!("{id}-{n}")
    }

    /// Opens a session of setlist `id` with one connection counted (the caller's); `spec`
    /// is given the room's name.
    pub fn open(
        self: &Arc<Self>,
        id: &str,
        make: impl FnOnce(String) -> SessionSpec,
    ) -> Result<SessionRoom, String> {
        let room = {
            let mut inner = self.lock();
            if inner.rooms.len() >= MAX_SESSIONS {
                return Err(format!(
                    "{MAX_SESSIONS} sessions are open already; join one"
                ));
            }
            let name = Self::next_name(&mut inner, id);
            let room = SessionRoom::spawn(make(name.clone()));
            inner.rooms.insert(
                name,
                Entry {
                    room: room.clone(),
                    presence: Presence::opened(),
                },
            );
            room
        };
        self.bump();
        let me = self.clone();
        let watched = room.clone();
        tokio::spawn(async move {
            let mut state = watched.state();
            let _ = state.wait_for(|s| s.closed.is_some()).await;
            me.lock().rooms.remove(&watched.name);
            me.bump();
        });
        Ok(room)
    }

    /// Counts a new connection into session `name`, for `who`.
    pub fn attach(&self, name: &str, who: &str) -> Option<SessionRoom> {
        let room = {
            let mut inner = self.lock();
            let e = inner.rooms.get_mut(name)?;
            if e.room.is_closed() {
                return None;
            }
            e.presence.arrive(who);
            e.room.clone()
        };
        self.bump();
        Some(room)
    }

    /// Counts a connection out; the last one closes the session now, or after the linger
    /// time when someone dropped.
    pub fn detach(self: &Arc<Self>, name: &str, who: &str, how: Departure) {
        let close = {
            let mut inner = self.lock();
            let Some(e) = inner.rooms.get_mut(name) else {
                return;
            };
            e.presence
                .leave(who, how, false)
                .map(|c| (e.room.clone(), c))
        };
        self.bump();
        let Some((room, closing)) = close else { return };
        let me = self.clone();
        let name = room.name.clone();
        close_when_empty(
            closing,
            self.linger,
            move |why| async move {
                let _ = room.close(&why).await;
            },
            move |generation| {
                me.lock()
                    .rooms
                    .get(&name)
                    .is_some_and(|e| e.presence.still_empty(generation))
            },
        );
    }

    /// The open sessions, by name.
    pub fn list(&self) -> Vec<SessionInfo> {
        let inner = self.lock();
        inner
            .rooms
            .iter()
            .filter(|(_, e)| !e.room.is_closed())
            .map(|(name, e)| {
                let s = e.room.session();
                let mut people: Vec<&crate::session::state::Seat> = s
                    .seats
                    .iter()
                    .filter(|x| x.present && !x.observer)
                    .collect();
                people.sort_by_key(|x| (Some(x.id) != s.facilitator, x.id));
                SessionInfo {
                    name: name.clone(),
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
            .collect()
    }

    pub fn len(&self) -> usize {
        self.lock().rooms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Closes every session (the server is stopping).
    pub async fn close_all(&self, reason: &str) {
        let rooms: Vec<SessionRoom> = self.lock().rooms.values().map(|e| e.room.clone()).collect();
        for r in rooms {
            r.close(reason).await;
        }
    }
}
