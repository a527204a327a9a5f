//! A header for a drill starting now: the one place a recording reads the wall clock, so that
//! [`super::header`] stays a pure function of what it is given.

use super::header::{Header, SeatEntry};
use crate::drill::Drill;
use crate::scenario::Scenario;

impl Header {
    /// A header for a drill about to start (or just started: `drill.bpm` is the start tempo)
    /// at wall-clock time now.
    pub fn for_drill(drill: &Drill, seats: Vec<SeatEntry>) -> Header {
        Header::new(&drill.scenario, drill.seed, drill.bpm, seats)
    }

    /// A header started now (see [`Header::started_at`]).
    pub fn new(scenario: &Scenario, seed: u64, tempo: u32, seats: Vec<SeatEntry>) -> Header {
        let now = super::rfc3339(std::time::SystemTime::now());
        Header::started_at(scenario, seed, tempo, seats, now)
    }
}
