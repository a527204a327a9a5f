//! The seats a report names: the drill's own, then those only a recording's header knows.

use super::SeatRow;
use crate::drill::{Drill, SeatId};
use crate::record::SeatEntry;
use crate::scenario::Scenario;
use std::collections::HashMap;

/// The report's seat rows with an index by seat, so every event looks its seat up in O(1).
pub(super) struct Seats {
    rows: Vec<SeatRow>,
    row_of: HashMap<SeatId, usize>,
}

impl Seats {
    /// Seats that joined the drill take precedence over the header's.
    pub fn new(drill: &Drill, seats: &[SeatEntry]) -> Seats {
        let s: &Scenario = &drill.scenario;
        let mut seat_rows: Vec<SeatRow> = Vec::with_capacity(drill.seats.len());
        let mut row_of: HashMap<SeatId, usize> = HashMap::with_capacity(drill.seats.len());
        let known = drill
            .seats
            .iter()
            .map(|x| (x.id, x.name.as_str(), x.role.as_deref()))
            .chain(
                seats
                    .iter()
                    .map(|e| (e.seat, e.name.as_str(), e.role.as_deref())),
            );
        for (id, name, role) in known {
            if let std::collections::hash_map::Entry::Vacant(v) = row_of.entry(id) {
                v.insert(seat_rows.len());
                seat_rows.push(seat_row(s, id, name, role));
            }
        }
        Seats {
            rows: seat_rows,
            row_of,
        }
    }

    pub fn row(&self, id: SeatId) -> Option<&SeatRow> {
        self.row_of.get(&id).map(|i| &self.rows[*i])
    }

    /// The seat's name, or `seat N` for a seat nobody named.
    pub fn name(&self, id: SeatId) -> String {
        self.row(id)
            .map_or_else(|| format!("seat {id}"), |r| r.name.clone())
    }

    pub fn into_rows(self) -> Vec<SeatRow> {
        self.rows
    }
}

fn seat_row(s: &Scenario, seat: SeatId, name: &str, role: Option<&str>) -> SeatRow {
    let role_name = match role {
        None => "every role".to_string(),
        Some(r) => s.role(r).map_or_else(|| r.to_string(), |d| d.name.clone()),
    };
    SeatRow {
        seat,
        name: name.to_string(),
        role: role.map(str::to_string),
        role_name,
    }
}
