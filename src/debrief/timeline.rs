//! The timeline: every logged event as one row, with the notes, hints and herrings it gathers.

use super::seats::Seats;
use super::{HintRow, NoteRow, TimelineRow};
use crate::clock::story_clock;
use crate::drill::{Drill, Event, SeatId};
use crate::scenario::Severity;

/// What one pass over the log gathers.
pub(super) struct Folded {
    pub timeline: Vec<TimelineRow>,
    pub hints: Vec<HintRow>,
    pub notes: Vec<NoteRow>,
    /// Who first followed each red herring.
    pub herring_by: Vec<Option<String>>,
}

/// Folds the drill's log into its timeline rows, in order.
pub(super) fn fold(drill: &Drill, seats: &Seats) -> Folded {
    let s = &drill.scenario;
    let seat_name = |id: SeatId| seats.name(id);
    let row = |id: SeatId| seats.row(id);
    let at = |beat: u64| (s.bar_beat(beat), story_clock(s.story_seconds(beat)));
    let mut timeline = Vec::new();
    let mut hints = Vec::new();
    let mut notes = Vec::new();
    let mut herring_by: Vec<Option<String>> = vec![None; s.red_herrings.len()];
    for entry in &drill.log {
        let (seat, kind, what): (Option<SeatId>, &str, String) = match &entry.event {
            Event::InjectFired { inject, by_hand } => {
                let i = &s.injects[*inject];
                let hand = if *by_hand { " (fired by hand)" } else { "" };
                (
                    None,
                    "inject",
                    format!("{} on {}: {}{hand}", i.persona, i.channel.label(), i.text),
                )
            }
            Event::InjectSkipped { inject } => (
                None,
                "inject skipped",
                format!(
                    "`{}` did not fire: its condition was not met",
                    s.injects[*inject].id
                ),
            ),
            Event::AlertFiring { alert } => {
                let a = &s.alerts[*alert];
                (
                    None,
                    "alert",
                    format!(
                        "{} firing ({}): {}",
                        a.id,
                        severity_label(a.severity),
                        a.summary
                    ),
                )
            }
            Event::AlertResolved { alert } => (
                None,
                "alert resolved",
                format!("{} resolved", s.alerts[*alert].id),
            ),
            Event::CueApplied { seat, cue } => {
                let c = &s.cues[*cue];
                let lands = if c.delay_beats > 0 {
                    format!(", lands in {} beats", c.delay_beats)
                } else {
                    String::new()
                };
                (
                    Some(*seat),
                    "cue",
                    format!("{} (`{}`){lands}", c.label, c.id),
                )
            }
            Event::CueLanded { seat, cue } => {
                let c = &s.cues[*cue];
                // A cue with outcomes answers on its `outcome` row.
                let response = c.response.as_ref().filter(|_| c.outcomes.is_empty());
                let answer = response.map_or_else(String::new, |r| {
                    format!(" — {} on {}: {}", r.persona, r.channel.label(), r.text)
                });
                (
                    Some(*seat),
                    "cue landed",
                    format!("`{}` landed{answer}", c.id),
                )
            }
            Event::Rejected { seat, what, reason } => {
                (Some(*seat), "rejected", format!("{what}: {reason}"))
            }
            Event::Marked { mark } => (None, "mark", mark.label().to_string()),
            Event::Note { seat, text } => {
                let (bar_beat, story_time) = at(entry.beat);
                notes.push(NoteRow {
                    beat: entry.beat,
                    bar_beat,
                    story_time,
                    seat: seat_name(*seat),
                    text: text.clone(),
                });
                (Some(*seat), "note", text.clone())
            }
            Event::DecisionHere { seat, text, .. } => (Some(*seat), "decision here", text.clone()),
            Event::Hint { seat, index } => {
                let text = s
                    .hints
                    .get(*index)
                    .map_or_else(String::new, |h| h.text.clone());
                hints.push(HintRow {
                    beat: entry.beat,
                    seat: seat_name(*seat),
                    text: text.clone(),
                });
                (Some(*seat), "hint", text)
            }
            Event::HerringFollowed { seat, herring } => {
                let h = &s.red_herrings[*herring];
                herring_by[*herring].get_or_insert_with(|| seat_name(*seat));
                (
                    Some(*seat),
                    "red herring",
                    format!("followed `{}`: {}", h.id, h.text),
                )
            }
            Event::Objective { objective, met } => {
                let verdict = if *met { "met" } else { "missed" };
                (
                    None,
                    "objective",
                    format!("{verdict}: {}", s.objectives[*objective].text),
                )
            }
            Event::Paused { seat } => (Some(*seat), "paused", "paused the drill".into()),
            Event::Resumed { seat } => (Some(*seat), "resumed", "resumed the drill".into()),
            Event::Tempo { seat, bpm } => (Some(*seat), "tempo", format!("tempo set to {bpm} BPM")),
            Event::Joined { seat } => {
                let role = row(*seat).map_or("", |r| r.role_name.as_str());
                (Some(*seat), "joined", format!("joined as {role}"))
            }
            Event::Left { seat } => (Some(*seat), "left", "left the drill".into()),
            Event::Ended { reason } => (None, "ended", format!("drill ended ({reason})")),
            Event::CueOutcome { seat, cue, outcome } => {
                let c = &s.cues[*cue];
                let r = outcome
                    .and_then(|o| c.outcomes[o].response.as_ref())
                    .or(c.response.as_ref());
                let which =
                    outcome.map_or("its own effects".into(), |o| format!("outcome {}", o + 1));
                let answer = r.map_or_else(String::new, |r| {
                    format!(" — {} on {}: {}", r.persona, r.channel.label(), r.text)
                });
                (
                    Some(*seat),
                    "outcome",
                    format!("`{}` landed with {which}{answer}", c.id),
                )
            }
            Event::DecisionOpened { decision } => {
                let d = &s.decisions[*decision];
                (None, "decision", format!("`{}` asked: {}", d.id, d.prompt))
            }
            Event::DecisionMade {
                decision,
                option,
                seat,
            } => {
                let d = &s.decisions[*decision];
                let how = if seat.is_none() {
                    " (time ran out: the default)"
                } else {
                    ""
                };
                (
                    *seat,
                    "decided",
                    format!(
                        "`{}`: {} (`{}`){how}",
                        d.id, d.options[*option].label, d.options[*option].id
                    ),
                )
            }
            Event::DecisionLapsed { decision } => (
                None,
                "decision lapsed",
                format!(
                    "`{}`: time ran out with nothing chosen",
                    s.decisions[*decision].id
                ),
            ),
            Event::FlagSet { flag, value } => {
                let f = &s.flags[*flag];
                (None, "state", format!("`{}` = {}", f.id, f.show(*value)))
            }
        };
        let (bar_beat, story_time) = at(entry.beat);
        timeline.push(TimelineRow {
            beat: entry.beat,
            bar_beat,
            story_time,
            seat: seat.map(seat_name),
            kind: kind.into(),
            what,
        });
    }
    Folded {
        timeline,
        hints,
        notes,
        herring_by,
    }
}

pub(super) fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Page => "page",
    }
}
