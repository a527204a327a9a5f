//! The Decision Requirements Table of the report: the scenario's rows, with what the team did.

use super::DecisionFill;
use super::seats::Seats;
use crate::clock::story_clock;
use crate::drill::{Drill, SeatId};
use crate::scenario::DecisionRow;

/// The scenario's DRT rows, each with the choice the drill recorded at its decision point;
/// or, when the seats built the table after the drill, its rows as they left them.
pub(super) fn fill(drill: &Drill, seats: &Seats) -> Vec<DecisionFill> {
    if let Some(t) = &drill.drt {
        use crate::drt::Column as C;
        return t
            .rows
            .iter()
            .map(|r| DecisionFill {
                decision: r.cell(C::Decision).into(),
                why_difficult: r.cell(C::WhyDifficult).into(),
                cues: r.cell(C::Cues).into(),
                sources: r.cell(C::Sources).into(),
                strategy: r.cell(C::Strategy).into(),
                novice_error: r.cell(C::NoviceError).into(),
                uncertainty: r.cell(C::Uncertainty).into(),
                point: r.point.clone(),
                what_we_did: r.moment.what.clone(),
                when: r.moment.when.clone(),
            })
            .collect();
    }
    let seat_name = |id: SeatId| seats.name(id);
    drill
        .scenario
        .debrief
        .decisions
        .iter()
        .map(|r: &DecisionRow| {
            let (what_we_did, when) = what_we_did(drill, r, &seat_name);
            DecisionFill {
                decision: r.decision.clone(),
                why_difficult: r.why_difficult.clone(),
                cues: r.cues.clone(),
                sources: r.sources.clone(),
                strategy: r.strategy.clone(),
                novice_error: r.novice_error.clone(),
                uncertainty: r.uncertainty.clone(),
                point: r.point.clone(),
                what_we_did,
                when,
            }
        })
        .collect()
}

/// A DRT row's "what we did" and "when", from the decision point it names: the option chosen
/// and by whom (or that time ran out), and the beat with its story time.
fn what_we_did(
    drill: &Drill,
    row: &DecisionRow,
    seat_name: &dyn Fn(SeatId) -> String,
) -> (String, String) {
    let s = &drill.scenario;
    let Some(d) = row.point.as_deref().and_then(|p| s.decision_index(p)) else {
        return (String::new(), String::new());
    };
    let st = &drill.decisions()[d];
    let at = |b: u64| format!("{} ({})", s.bar_beat(b), story_clock(s.story_seconds(b)));
    match (st.chosen, st.opened) {
        (Some(c), _) => {
            let label = &s.decisions[d].options[c.option].label;
            let who = c
                .seat
                .map_or("nobody: time ran out, the default".into(), seat_name);
            (format!("{label} ({who})"), at(c.beat))
        }
        (None, Some(o)) if st.lapsed => ("nothing: time ran out".into(), at(o)),
        (None, Some(o)) => ("not decided yet".into(), format!("asked at {}", at(o))),
        (None, None) => ("never asked".into(), String::new()),
    }
}
