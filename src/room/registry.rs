//! The open drills of one `gamelan serve`: a shared map from a unique room name
//! (`<scenario>-<n>`) to its [`Room`], with how many SSH channels are seated in it. A drill lives
//! while any seat is connected; when the last one goes it closes at once if everyone quit (or
//! the drill is over), and otherwise lingers a while so a dropped client can take its seat back.

use crate::drill::{Drill, Status};
use crate::record::Recorder;
use crate::room::Room;
use crate::scenario::Scenario;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

/// At most this many drills are open at once.
pub const MAX_DRILLS: usize = 64;

/// How a seat left its drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// The player quit (or the drill closed under them).
    Quit,
    /// The connection dropped; the player may come back for the seat.
    Dropped,
}

/// Who is connected to one open room (a drill or a session), so the last connection out
/// closes it: at once when nobody is expected back, after a linger time when someone dropped.
/// Both registries keep one per room; the rule lives here once.
#[derive(Debug)]
pub(crate) struct Presence {
    /// Connections seated in the room right now.
    connected: usize,
    /// Bumped on every attach, so a linger timer knows whether someone came back.
    generation: u64,
    /// Names whose connection dropped and who have not come back.
    dropped: HashSet<String>,
}

/// What the last connection out means for its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Closing {
    Now,
    /// Close unless someone attached after this generation.
    AfterLinger(u64),
}

impl Presence {
    /// The room's opener, already counted in.
    pub(crate) fn opened() -> Presence {
        Presence {
            connected: 1,
            generation: 0,
            dropped: HashSet::new(),
        }
    }

    pub(crate) fn arrive(&mut self, who: &str) {
        self.connected += 1;
        self.generation += 1;
        self.dropped.remove(who);
    }

    /// `who` sat down: no longer expected back.
    pub(crate) fn seated(&mut self, who: &str) {
        self.dropped.remove(who);
    }

    /// Counts `who` out; `Some` when that was the last connection. A room that `ended`
    /// waits for nobody.
    pub(crate) fn leave(&mut self, who: &str, how: Departure, ended: bool) -> Option<Closing> {
        self.connected = self.connected.saturating_sub(1);
        if how == Departure::Dropped {
            self.dropped.insert(who.to_string());
        } else {
            self.dropped.remove(who);
        }
        match self.connected {
            0 if self.dropped.is_empty() || ended => Some(Closing::Now),
            0 => Some(Closing::AfterLinger(self.generation)),
            _ => None,
        }
    }

    /// Still nobody here since `generation`.
    pub(crate) fn still_empty(&self, generation: u64) -> bool {
        self.connected == 0 && self.generation == generation
    }
}

/// Carries out a [`Closing`]: `close(reason)` now, or after `wait` when `still_empty` (asked
/// then, with the generation) says nobody came back.
pub(crate) fn close_when_empty<F, Fut>(
    closing: Closing,
    wait: Duration,
    close: F,
    still_empty: impl FnOnce(u64) -> bool + Send + 'static,
) where
    F: FnOnce(String) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        match closing {
            Closing::Now => close("everyone left".into()).await,
            Closing::AfterLinger(generation) => {
                tokio::time::sleep(wait).await;
                if still_empty(generation) {
                    close(format!("nobody came back within {} s", wait.as_secs())).await;
                }
            }
        }
    });
}

/// One open drill as the lobby shows it.
#[derive(Debug, Clone)]
pub struct RoomInfo {
    pub name: String,
    pub scenario: Arc<Scenario>,
    /// briefing, running, paused or ended.
    pub status: &'static str,
    /// `bar:beat` now.
    pub at: String,
    pub seats: Vec<SeatLine>,
}

impl PartialEq for RoomInfo {
    fn eq(&self, o: &Self) -> bool {
        self.name == o.name
            && Arc::ptr_eq(&self.scenario, &o.scenario)
            && self.status == o.status
            && self.at == o.at
            && self.seats == o.seats
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatLine {
    pub name: String,
    pub role: Option<String>,
    pub present: bool,
    /// This seat conducts the drill (see [`Drill::conducts`]).
    pub conducts: bool,
}

impl RoomInfo {
    /// Whether `name` has a seat here that is waiting for it (it dropped or quit).
    pub fn absent_seat(&self, name: &str) -> Option<&SeatLine> {
        self.seats.iter().find(|s| !s.present && s.name == name)
    }
}

struct Entry {
    room: Room,
    scenario: Arc<Scenario>,
    /// The SSH channels seated in this room.
    presence: Presence,
}

/// The shared registry; cheap to clone behind an `Arc`.
pub struct Registry {
    inner: Mutex<Inner>,
    version: watch::Sender<u64>,
    linger: Duration,
}

#[derive(Default)]
struct Inner {
    rooms: BTreeMap<String, Entry>,
    counters: HashMap<String, u64>,
}

impl Registry {
    /// A registry whose drills linger `linger` after their last connection dropped.
    pub fn new(linger: Duration) -> Arc<Registry> {
        Arc::new(Registry {
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

    /// Changes whenever a drill opens or closes or a seat comes or goes.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// Opens a new drill with one connection already counted (the caller's), and returns
    /// its room. The name is `<scenario id>-<n>`, never reused while the server runs.
    pub fn open(
        self: &Arc<Self>,
        drill: Drill,
        recorder: Option<Recorder>,
    ) -> Result<Room, String> {
        let scenario = drill.scenario.clone();
        let room = {
            let mut inner = self.lock();
            if inner.rooms.len() >= MAX_DRILLS {
                return Err(format!("{MAX_DRILLS} drills are open already; join one"));
            }
            let id: String = scenario
                .meta
                .id
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
            let name = format!("{id}-{n}");
            let room = Room::spawn(name.clone(), drill, recorder);
            inner.rooms.insert(
                name,
                Entry {
                    room: room.clone(),
                    scenario,
                    presence: Presence::opened(),
                },
            );
            room
        };
        self.bump();
        // Forget the room once it closes, whoever closed it.
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

    /// Counts a new connection into drill `name`, for `who`.
    pub fn attach(&self, name: &str, who: &str) -> Option<Room> {
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

    /// `who` sat down in drill `name`: it is no longer expected back.
    pub fn seated(&self, name: &str, who: &str) {
        if let Some(e) = self.lock().rooms.get_mut(name) {
            e.presence.seated(who);
        }
    }

    /// Counts a connection out of drill `name`. When it was the last, the drill closes now if
    /// nobody is expected back, or after the linger time if someone dropped.
    pub fn detach(self: &Arc<Self>, name: &str, who: &str, how: Departure) {
        let close = {
            let mut inner = self.lock();
            let Some(e) = inner.rooms.get_mut(name) else {
                return;
            };
            let ended = matches!(e.room.drill().status, Status::Ended(_));
            e.presence
                .leave(who, how, ended)
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

    /// The open drills, by name.
    pub fn list(&self) -> Vec<RoomInfo> {
        let inner = self.lock();
        inner
            .rooms
            .iter()
            .filter(|(_, e)| !e.room.is_closed())
            .map(|(name, e)| {
                let state = e.room.state();
                let state = state.borrow();
                let d = &state.drill;
                RoomInfo {
                    name: name.clone(),
                    scenario: e.scenario.clone(),
                    status: match (&d.status, state.started) {
                        (Status::Ended(_), _) => "ended",
                        (_, false) => "briefing",
                        (Status::Paused, _) => "paused",
                        (Status::Running, _) => "running",
                    },
                    at: d.scenario.bar_beat(d.beat),
                    seats: d
                        .seats
                        .iter()
                        .map(|s| SeatLine {
                            name: s.name.clone(),
                            role: s.role.clone(),
                            present: s.present,
                            conducts: s.present && d.conducts(s.id),
                        })
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

    /// Closes every drill (the server is stopping); each seat is told `reason`.
    pub async fn close_all(&self, reason: &str) {
        let rooms: Vec<Room> = self.lock().rooms.values().map(|e| e.room.clone()).collect();
        for r in rooms {
            r.close(reason).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::bundled;

    fn drill() -> Drill {
        Drill::new(bundled().remove(0).scenario, 1)
    }

    async fn closed(room: &Room) -> String {
        let mut st = room.state();
        let s = st.wait_for(|s| s.closed.is_some()).await.unwrap();
        s.closed.clone().unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn names_are_unique_and_rooms_close_when_everyone_left() {
        let reg = Registry::new(Duration::from_secs(30));
        let a = reg.open(drill(), None).unwrap();
        let b = reg.open(drill(), None).unwrap();
        assert_ne!(a.name, b.name);
        assert!(
            a.name.ends_with("-1") && b.name.ends_with("-2"),
            "{}",
            b.name
        );
        assert!(reg.attach(&a.name, "bo").is_some());
        assert_eq!(reg.list().len(), 2);
        reg.detach(&a.name, "ana", Departure::Quit);
        assert!(!a.is_closed(), "bo is still there");
        reg.detach(&a.name, "bo", Departure::Quit);
        assert_eq!(closed(&a).await, "everyone left");
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(reg.list().len(), 1);
        assert!(reg.attach(&a.name, "ana").is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_dropped_seat_keeps_the_room_open_for_a_while() {
        let reg = Registry::new(Duration::from_secs(30));
        let a = reg.open(drill(), None).unwrap();
        reg.detach(&a.name, "ana", Departure::Dropped);
        tokio::time::sleep(Duration::from_secs(20)).await;
        assert!(!a.is_closed());
        // Coming back cancels the timer.
        assert!(reg.attach(&a.name, "ana").is_some());
        tokio::time::sleep(Duration::from_secs(20)).await;
        assert!(!a.is_closed());
        reg.detach(&a.name, "ana", Departure::Dropped);
        assert_eq!(closed(&a).await, "nobody came back within 30 s");
    }
}
