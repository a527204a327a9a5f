//! A table from what a drill did: the scenario's rows, the decision points it asked and the
//! scribes' "decision here" marks, each with the moment the drill shows for it.

use super::{Column, Moment, Origin, Row, Table};
use crate::clock::story_clock;
use crate::diag::number;
use crate::drill::{Drill, Event};

/// The table of `drill` as it stands (a finished drill, a replay's state at any beat).
///
/// Rows come in this order: the scenario's own rows (a row naming a decision point gets that
/// point's moment), then each decision point the drill opened that no scenario row names (its
/// prompt as the demanding decision), then each "decision here" in the order pressed (its
/// text, or the beat, as the decision; the signals exactly as they were).
pub fn from_drill(drill: &Drill) -> Table {
    let s = &drill.scenario;
    let mut rows = Vec::new();
    for (index, r) in s.debrief.decisions.iter().enumerate() {
        let mut row = Row::new(Origin::Scenario { index });
        row.set(Column::Decision, &r.decision);
        row.set(Column::WhyDifficult, &r.why_difficult);
        row.set(Column::Cues, &r.cues);
        row.set(Column::Sources, &r.sources);
        row.set(Column::NoviceError, &r.novice_error);
        row.set(Column::Strategy, &r.strategy);
        row.set(Column::Uncertainty, &r.uncertainty);
        row.point = r.point.clone();
        if let Some(d) = r.point.as_deref().and_then(|p| s.decision_index(p)) {
            row.moment = point_moment(drill, d);
        }
        rows.push(row);
    }
    for (d, def) in s.decisions.iter().enumerate() {
        let named = s
            .debrief
            .decisions
            .iter()
            .any(|r| r.point.as_deref() == Some(def.id.as_str()));
        if named || drill.decisions()[d].opened.is_none() {
            continue;
        }
        let mut row = Row::new(Origin::Point);
        row.set(Column::Decision, &def.prompt);
        row.point = Some(def.id.clone());
        row.moment = point_moment(drill, d);
        rows.push(row);
    }
    for entry in &drill.log {
        if let Event::DecisionHere { seat, text, values } = &entry.event {
            let mut row = Row::new(Origin::Mark);
            let decision = if text.is_empty() {
                format!("decision at {}", s.bar_beat(entry.beat))
            } else {
                text.clone()
            };
            row.set(Column::Decision, decision);
            row.moment = Moment {
                beat: Some(entry.beat),
                when: when(drill, entry.beat),
                what: format!("marked by {}", drill.seat_name(*seat)),
                signals: signal_values(drill, values),
            };
            rows.push(row);
        }
    }
    rows.truncate(super::MAX_ROWS);
    Table {
        scenario: s.meta.id.clone(),
        rows,
        claims: Default::default(),
    }
}

/// The table of a scenario before any drill: its own rows (a DRT session segment that does not
/// follow a drill of the same scenario starts here).
pub fn from_scenario(scenario: std::sync::Arc<crate::scenario::Scenario>) -> Table {
    from_drill(&Drill::new(scenario, 0))
}

fn when(drill: &Drill, beat: u64) -> String {
    let s = &drill.scenario;
    format!(
        "{} ({})",
        s.bar_beat(beat),
        story_clock(s.story_seconds(beat))
    )
}

/// `name value unit` for each signal.
fn signal_values(drill: &Drill, values: &[f64]) -> Vec<String> {
    drill
        .scenario
        .signals
        .iter()
        .zip(values)
        .map(|(sig, v)| {
            let v = number((v * 100.0).round() / 100.0);
            if sig.unit.is_empty() {
                format!("{} {v}", sig.name)
            } else {
                format!("{} {v} {}", sig.name, sig.unit)
            }
        })
        .collect()
}

/// The signals at `beat`, from the history the drill keeps (none when it is too far back).
fn values_at(drill: &Drill, beat: u64) -> Option<Vec<f64>> {
    let back = usize::try_from(drill.beat.checked_sub(beat)?).ok()?;
    drill
        .signals
        .iter()
        .map(|st| {
            let i = st.history.len().checked_sub(1 + back)?;
            st.history.get(i).map(|v| f64::from(*v))
        })
        .collect()
}

/// A decision point's moment: the option chosen and by whom (or that time ran out), its beat
/// and the signals then.
fn point_moment(drill: &Drill, d: usize) -> Moment {
    let s = &drill.scenario;
    let st = &drill.decisions()[d];
    let (what, beat) = match (st.chosen, st.opened) {
        (Some(c), _) => {
            let who = c
                .seat
                .map_or("nobody: time ran out, the default".to_string(), |x| {
                    drill.seat_name(x).to_string()
                });
            (
                format!("chose {} ({who})", s.decisions[d].options[c.option].label),
                Some(c.beat),
            )
        }
        (None, Some(o)) if st.lapsed => ("nothing chosen: time ran out".to_string(), Some(o)),
        (None, Some(o)) => ("asked, not decided yet".to_string(), Some(o)),
        (None, None) => ("never asked".to_string(), None),
    };
    Moment {
        beat,
        when: beat.map(|b| when(drill, b)).unwrap_or_default(),
        what,
        signals: beat
            .and_then(|b| values_at(drill, b))
            .map(|v| signal_values(drill, &v))
            .unwrap_or_default(),
    }
}
