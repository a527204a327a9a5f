//! What every open room of a `gamelan serve` shares, drill or session: a map from a unique
//! name (`<id>-<n>`, never reused while the server runs) to the room and who is connected to
//! it, a version that changes whenever the map or a presence does (the lobbies redraw on it),
//! and the rule for closing a room when its last connection goes: at once when nobody is
//! expected back, after a linger time when someone dropped.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

/// How a seat left its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// The player quit (or the drill closed under them).
    Quit,
    /// The connection dropped; the player may come back for the seat.
    Dropped,
}

/// Who is connected to one open room (a drill or a session), so the last connection out
/// closes it: at once when nobody is expected back, after a linger time when someone dropped.
#[derive(Debug)]
struct Presence {
    /// Connections seated in the room right now.
    connected: usize,
    /// Bumped on every attach, so a linger timer knows whether someone came back.
    generation: u64,
    /// Names whose connection dropped and who have not come back.
    dropped: HashSet<String>,
}

/// What the last connection out means for its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closing {
    Now,
    /// Close unless someone attached after this generation.
    AfterLinger(u64),
}

impl Presence {
    /// The room's opener, already counted in.
    fn opened() -> Presence {
        Presence {
            connected: 1,
            generation: 0,
            dropped: HashSet::new(),
        }
    }

    fn arrive(&mut self, who: &str) {
        self.connected += 1;
        self.generation += 1;
        self.dropped.remove(who);
    }

    /// `who` sat down: no longer expected back.
    fn seated(&mut self, who: &str) {
        self.dropped.remove(who);
    }

    /// Counts `who` out; `Some` when that was the last connection. A room that `ended`
    /// waits for nobody.
    fn leave(&mut self, who: &str, how: Departure, ended: bool) -> Option<Closing> {
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
    fn still_empty(&self, generation: u64) -> bool {
        self.connected == 0 && self.generation == generation
    }
}

/// A room a [`Rooms`] map can hold: it has a name, closes on request and says when it closed.
pub trait OpenRoom: Clone + Send + Sync + 'static {
    fn name(&self) -> &str;
    fn is_closed(&self) -> bool;
    /// Over, so nobody who dropped is waited for.
    fn ended(&self) -> bool;
    /// Ends the room with `reason` and waits until it has closed.
    fn shut(&self, reason: String) -> impl Future<Output = ()> + Send;
    /// Resolves once the room has closed, whoever closed it.
    fn closed(&self) -> impl Future<Output = ()> + Send;
}

struct Entry<R> {
    room: R,
    presence: Presence,
}

struct Inner<R> {
    rooms: BTreeMap<String, Entry<R>>,
    counters: HashMap<String, u64>,
}

/// The open rooms of one kind; shared behind an `Arc`.
pub struct Rooms<R> {
    inner: Mutex<Inner<R>>,
    version: watch::Sender<u64>,
    linger: Duration,
    /// At most this many open at once, and what they are called in the refusal.
    max: usize,
    kind: &'static str,
}

impl<R: OpenRoom> Rooms<R> {
    /// An empty map of at most `max` rooms (`kind` names them in messages) that linger
    /// `linger` after their last connection dropped.
    pub fn with_limit(linger: Duration, max: usize, kind: &'static str) -> Arc<Rooms<R>> {
        Arc::new(Rooms {
            inner: Mutex::new(Inner {
                rooms: BTreeMap::new(),
                counters: HashMap::new(),
            }),
            version: watch::channel(0).0,
            linger,
            max,
            kind,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner<R>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn bump(&self) {
        self.version.send_modify(|v| *v += 1);
    }

    /// Changes whenever a room opens or closes or a seat comes or goes.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// Opens a room named `<id>-<n>` (the id cleaned to letters, digits, `-` and `_`) with one
    /// connection already counted (the caller's); `make` builds it given its name. The room
    /// is forgotten once it closes, whoever closed it.
    pub fn open_named(
        self: &Arc<Self>,
        id: &str,
        make: impl FnOnce(String) -> R,
    ) -> Result<R, String> {
        let room = {
            let mut inner = self.lock();
            if inner.rooms.len() >= self.max {
                return Err(format!(
                    "{} {} are open already; join one",
                    self.max, self.kind
                ));
            }
            let id = crate::diag::id_safe(id, 40);
            let n = inner.counters.entry(id.clone()).or_insert(0);
            *n += 1;
            let name = format!("{id}-{n}");
            let room = make(name.clone());
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
            watched.closed().await;
            me.lock().rooms.remove(watched.name());
            me.bump();
        });
        Ok(room)
    }

    /// Counts a new connection into room `name`, for `who`.
    pub fn attach(&self, name: &str, who: &str) -> Option<R> {
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

    /// `who` sat down in room `name`: it is no longer expected back.
    pub fn seated(&self, name: &str, who: &str) {
        if let Some(e) = self.lock().rooms.get_mut(name) {
            e.presence.seated(who);
        }
    }

    /// Counts a connection out of room `name`. When it was the last, the room closes now if
    /// nobody is expected back (or it is over), or after the linger time if someone dropped.
    pub fn detach(self: &Arc<Self>, name: &str, who: &str, how: Departure) {
        let close = {
            let mut inner = self.lock();
            let Some(e) = inner.rooms.get_mut(name) else {
                return;
            };
            let ended = e.room.ended();
            e.presence
                .leave(who, how, ended)
                .map(|c| (e.room.clone(), c))
        };
        self.bump();
        let Some((room, closing)) = close else { return };
        let me = self.clone();
        let name = room.name().to_string();
        let wait = self.linger;
        tokio::spawn(async move {
            match closing {
                Closing::Now => room.shut("everyone left".into()).await,
                Closing::AfterLinger(generation) => {
                    tokio::time::sleep(wait).await;
                    let still_empty = me
                        .lock()
                        .rooms
                        .get(&name)
                        .is_some_and(|e| e.presence.still_empty(generation));
                    if still_empty {
                        room.shut(format!("nobody came back within {} s", wait.as_secs()))
                            .await;
                    }
                }
            }
        });
    }

    /// The open rooms, by name, each as `show` describes it.
    pub fn each<T>(&self, show: impl Fn(&R) -> T) -> Vec<T> {
        self.lock()
            .rooms
            .values()
            .filter(|e| !e.room.is_closed())
            .map(|e| show(&e.room))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.lock().rooms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Closes every room (the server is stopping); each seat is told `reason`.
    pub async fn close_all(&self, reason: &str) {
        let rooms: Vec<R> = self.lock().rooms.values().map(|e| e.room.clone()).collect();
        for r in rooms {
            r.shut(reason.to_string()).await;
        }
    }
}
