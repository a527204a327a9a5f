//! Who is in a drill: seats joining and coming back, their names, and who conducts and who
//! facilitates.

use super::{Drill, Event, SeatId};
use serde::Serialize;

/// A participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeatInfo {
    pub id: SeatId,
    pub name: String,
    pub role: Option<String>,
    pub present: bool,
}

impl Drill {
    pub(super) fn join(&mut self, seat: SeatId, name: &str, role: Option<&str>) {
        if let Some(r) = role
            && self.scenario.role(r).is_none()
        {
            return self.reject(seat, "join", &format!("no role `{r}` in this scenario"));
        }
        let name = seat_name(name);
        let info = SeatInfo {
            id: seat,
            name,
            role: role.map(str::to_string),
            present: true,
        };
        if self.seat_index.len() != self.seats.len() {
            // `seats` was changed from outside the core: index it afresh.
            self.seat_index = (self.seats.iter().enumerate())
                .map(|(i, s)| (s.id, i))
                .collect();
        }
        match self.seat_pos(seat) {
            Some(i) => self.seats[i] = info,
            None => {
                self.seat_index.insert(seat, self.seats.len());
                self.seats.push(info);
            }
        }
        self.push(Event::Joined { seat });
    }

    /// Where seat `id` is in `seats`: through the index, or by a scan when `seats` was changed
    /// from outside the core and no longer matches it.
    pub(super) fn seat_pos(&self, id: SeatId) -> Option<usize> {
        match self.seat_index.get(&id) {
            Some(&i) if self.seats.get(i).is_some_and(|s| s.id == id) => Some(i),
            None if self.seat_index.len() == self.seats.len() => None,
            _ => self.seats.iter().position(|s| s.id == id),
        }
    }

    /// Whether `seat` may conduct: start the metronome, pause, change the tempo, reveal hints,
    /// fire contingencies, end the drill. A seat that may facilitate (a facilitator role, or
    /// every role) always conducts. When no such seat is present, the lead conducts: the first
    /// seat in join order that is still present. The seat that opened the drill is the lead;
    /// if it leaves, the next seat to have joined takes over, and it leads again when it takes
    /// its seat back (a returning seat keeps its place). The shells ask this too, so the
    /// briefing's Enter and the core agree.
    pub fn conducts(&self, seat: SeatId) -> bool {
        let Some(info) = self.seat_pos(seat).map(|i| &self.seats[i]) else {
            return false;
        };
        self.may_facilitate(info) || self.conductor().is_some_and(|c| c.id == seat)
    }

    /// The seat to name as conducting: the first present seat that may facilitate, else the
    /// lead (see [`Drill::conducts`]); `None` when nobody is present.
    pub fn conductor(&self) -> Option<&SeatInfo> {
        let present = || self.seats.iter().filter(|s| s.present);
        present()
            .find(|s| self.may_facilitate(s))
            .or_else(|| present().next())
    }

    /// Whether `seat` sees the facilitator's view: hidden flags, suggested contingencies. A
    /// seat in a facilitator role or playing every role does.
    pub fn facilitates(&self, seat: SeatId) -> bool {
        self.seats
            .iter()
            .find(|s| s.id == seat)
            .is_some_and(|s| self.may_facilitate(s))
    }

    /// A facilitator role, or every role (`None`).
    fn may_facilitate(&self, seat: &SeatInfo) -> bool {
        match &seat.role {
            None => true,
            Some(r) => self.scenario.role(r).is_some_and(|r| r.facilitator),
        }
    }

    /// Seat name for display.
    pub fn seat_name(&self, seat: SeatId) -> &str {
        self.seat_pos(seat)
            .map_or("?", |i| self.seats[i].name.as_str())
    }
}

/// A seat name as the shells show and compare it: what the drill keeps ([`seat_name`]),
/// without surrounding spaces.
pub fn display_seat_name(name: &str) -> String {
    seat_name(name).trim().to_string()
}

/// A seat's name as the drill keeps it: no control characters, at most 64 characters.
/// Transports use it too, so a returning seat's name matches the stored one.
pub fn seat_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(64).collect()
}
