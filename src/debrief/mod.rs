//! The debrief: the after-action report of one drill, as a fold over its log.
//!
//! [`build`] is pure (a drill and the seats in, a [`Debrief`] out), so the console can show it
//! the moment a drill ends and `gamelan debrief` can print it from a recording. [`markdown`]
//! renders it for people; the JSON form is the same struct through serde.

use crate::record::Replay;

mod build;
mod decisions;
pub(crate) mod html;
mod markdown;
mod model;
mod numbers;
mod seats;
mod timeline;
mod track;

pub use build::build;
pub use html::html;
pub use markdown::markdown;
pub use model::*;
pub use track::{AlertSpan, BudgetAt, BudgetRow, GhostRow, SignalTrack, SloInfo};

/// Every note that starts with this marker becomes an action item.
pub const ACTION_MARKER: &str = "TODO:";

/// The report of a replayed recording: its final state, with the header's start time and
/// seats, and whether the recording is complete.
pub fn from_replay(replay: &Replay) -> Debrief {
    let mut report = build(replay.final_drill(), &replay.header().seats);
    report.started = Some(replay.header().started.clone());
    report.incomplete = replay.recording().completeness.note();
    report.vista = replay.header().vista.as_ref().map(VistaRow::of);
    if let Some(values) = track::replayed(replay) {
        (report.signals, report.budgets) = track::tracks(replay.final_drill(), 0, values);
    }
    report
}

/// The report as pretty JSON, with a final newline.
pub fn json(d: &Debrief) -> String {
    let mut out = serde_json::to_string_pretty(d).expect("a debrief always serializes");
    out.push('\n');
    out
}
