//! The open drills of one `gamelan serve`: [`Rooms`] of drill [`Room`]s, named
//! `<scenario>-<n>`, and what the lobby shows of each. A drill lives while any seat is
//! connected; when the last one goes it closes at once if everyone quit (or the drill is
//! over), and otherwise lingers a while so a dropped client can take its seat back.

use crate::drill::{Drill, Status};
use crate::record::Recorder;
use crate::room::Room;
use crate::scenario::Scenario;
use std::sync::Arc;
use std::time::Duration;

pub use super::rooms::{Departure, OpenRoom, Rooms};

/// At most this many drills are open at once.
pub const MAX_DRILLS: usize = 64;

/// The open drills of a serve.
pub type Registry = Rooms<Room>;

impl OpenRoom for Room {
    fn name(&self) -> &str {
        &self.name
    }
    fn is_closed(&self) -> bool {
        Room::is_closed(self)
    }
    fn ended(&self) -> bool {
        matches!(self.drill().status, Status::Ended(_))
    }
    async fn shut(&self, reason: String) {
        let _ = self.close(&reason).await;
    }
    async fn closed(&self) {
        let mut state = self.state();
        let _ = state.wait_for(|s| s.closed.is_some()).await;
    }
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

impl Rooms<Room> {
    /// A registry whose drills linger `linger` after their last connection dropped.
    pub fn new(linger: Duration) -> Arc<Registry> {
        Rooms::with_limit(linger, MAX_DRILLS, "drills")
    }

    /// Opens a new drill with one connection already counted (the caller's), and returns
    /// its room. The name is `<scenario id>-<n>`, never reused while the server runs.
    pub fn open(
        self: &Arc<Self>,
        drill: Drill,
        recorder: Option<Recorder>,
    ) -> Result<Room, String> {
        let id = drill.scenario.meta.id.clone();
        self.open_named(&id, |name| Room::spawn(name, drill, recorder))
    }

    /// The open drills, by name.
    pub fn list(&self) -> Vec<RoomInfo> {
        self.each(|room| {
            let state = room.state();
            let state = state.borrow();
            let d = &state.drill;
            RoomInfo {
                name: room.name.clone(),
                scenario: d.scenario.clone(),
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
