//! A scenario's injects and expected actions as MSEL CSV rows.

use super::{COLUMNS, Kind, time_text};
use crate::scenario::{Measure, Scenario};

/// The MSEL of `s`: a header row, then one row per inject (scripted at its time; a
/// contingency at its suggested time, if any) and one per cue, as an expected action (at the
/// deadline of an objective that asks for it, if any). Rows are in time order; rows without a
/// time come last, injects before expected actions, each in scenario order.
pub fn export(s: &Scenario) -> String {
    struct Row {
        at: Option<u64>,
        kind: Kind,
        order: usize,
        cells: [String; 11],
    }
    let mut rows: Vec<Row> = Vec::new();
    let time = |beat: Option<u64>| beat.map(|b| time_text(s.story_seconds(b)));
    for (i, inj) in s.injects.iter().enumerate() {
        // An inject without a time (it fires when its condition first holds) is, on a
        // facilitator's sheet, one they deliver when the moment comes: a contingency.
        let (kind, at) = match (inj.contingency, inj.at) {
            (false, Some(at)) => (Kind::Inject, Some(at)),
            (true, _) => (Kind::Contingency, inj.suggest),
            (false, None) => (Kind::Contingency, None),
        };
        let mut notes = Vec::new();
        if inj.surprise {
            notes.push("surprise: not announced as upcoming".to_string());
        }
        if inj.when.is_some() {
            notes.push("fires only when its condition holds".to_string());
        }
        if !inj.effects.is_empty() {
            notes.push(format!("changes {} signal(s)", inj.effects.len()));
        }
        rows.push(Row {
            at,
            kind,
            order: i,
            cells: [
                String::new(),
                time(at).unwrap_or_default(),
                kind.label().into(),
                inj.persona.clone(),
                "Players".into(),
                inj.channel.label().into(),
                inj.text.clone(),
                String::new(),
                String::new(),
                notes.join("; "),
                inj.id.clone(),
            ],
        });
    }
    for (i, cue) in s.cues.iter().enumerate() {
        // The first objective that asks for this cue, by a deadline if it has one.
        let objective = s.objectives.iter().find_map(|o| match o.measure {
            Measure::CueBy { cue: c, by } if c == i => Some((o, by)),
            _ => None,
        });
        let at = objective.and_then(|(_, by)| by);
        let roles: Vec<String> = cue
            .roles
            .iter()
            .map(|r| s.role(r).map_or_else(|| r.clone(), |d| d.name.clone()))
            .collect();
        let mut notes = vec![format!("key {}", cue.key)];
        if cue.delay_beats > 0 {
            notes.push(format!(
                "lands {} later",
                time_text(s.story_seconds(u64::from(cue.delay_beats)))
            ));
        }
        rows.push(Row {
            at,
            kind: Kind::Expected,
            order: i,
            cells: [
                String::new(),
                time(at).unwrap_or_default(),
                Kind::Expected.label().into(),
                roles.join("; "),
                String::new(),
                "Cue".into(),
                String::new(),
                cue.label.clone(),
                // The text an import writes when the sheet gave none is left out again.
                objective
                    .filter(|(o, by)| {
                        by.is_none_or(|b| {
                            o.text != format!("{} by {}", cue.label, time_text(s.story_seconds(b)))
                        })
                    })
                    .map_or_else(String::new, |(o, _)| o.text.clone()),
                notes.join("; "),
                cue.id.clone(),
            ],
        });
    }
    rows.sort_by_key(|r| {
        (
            r.at.is_none(),
            r.at.unwrap_or(0),
            r.kind != Kind::Inject && r.kind != Kind::Contingency,
            r.order,
        )
    });
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)
        .expect("writing to memory never fails");
    for (n, mut r) in rows.into_iter().enumerate() {
        r.cells[0] = (n + 1).to_string();
        w.write_record(&r.cells)
            .expect("writing to memory never fails");
    }
    String::from_utf8(w.into_inner().expect("writing to memory never fails"))
        .expect("CSV of UTF-8 fields is UTF-8")
}
