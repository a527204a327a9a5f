//! The session's write-up: who came, what each segment produced (remarks by pane, wheel
//! turns, drill outcomes, notes), the knowledge gaps the wheel found and the action items.
//! [`build`] is a pure fold over the state and its log; [`markdown`] is for people and
//! [`json`] is the same struct through serde.

use super::deck::FacilitatorNote;
use super::input::{DrillOutcome, SessionEvent};
use super::setlist::{SegmentKind, VistaSource};
use super::state::{Activity, Note, Phase, SegmentStatus, Session};
use super::{SeatId, clock};
use crate::debrief::ACTION_MARKER;
use serde::Serialize;

mod markdown;
mod matrix;
pub use markdown::markdown;
pub use matrix::RiskRow;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Writeup {
    pub title: String,
    pub summary: String,
    /// When the session started (RFC 3339), when the shell knows it.
    pub started: Option<String>,
    pub seed: u64,
    pub plan_hash: String,
    pub status: String,
    /// Session time from the start to the last beat, and the plan's total (`H:MM:SS`).
    pub length: String,
    pub planned: String,
    /// The same in seconds, for programs.
    pub length_seconds: u64,
    pub planned_seconds: u64,
    pub people: Vec<Person>,
    pub segments: Vec<SegmentReport>,
    /// Notes taken before the first segment or after the end.
    pub notes: Vec<NoteRow>,
    pub gaps: Vec<Gap>,
    pub action_items: Vec<ActionItem>,
    pub refused: Vec<Refusal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    /// `facilitator`, `presenter`, `participant` or `observer`.
    pub role: String,
    pub joined: String,
    /// The segments they were in, 1-based.
    pub segments: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentReport {
    pub number: usize,
    pub title: String,
    pub kind: String,
    /// `done`, `skipped`, `current` or `not reached`.
    pub status: String,
    pub planned: String,
    pub extended: Option<String>,
    pub spent: String,
    /// The plan (extensions included) and the time spent, in seconds.
    pub planned_seconds: u64,
    pub spent_seconds: u64,
    pub overtime: bool,
    pub notes: Vec<NoteRow>,
    pub detail: Detail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detail {
    Walkthrough {
        vista: Option<String>,
        source: String,
        /// The shown vista's panes, by title, in its order.
        panes: Vec<String>,
        /// The vista file the recording carries for this walkthrough, read with nothing but
        /// the recording (see [`Writeup::with_vistas`]).
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<crate::debrief::VistaRow>,
        remarks: Vec<RemarkRow>,
    },
    Wheel {
        deck: String,
        turns: Vec<TurnRow>,
        retired: Vec<String>,
    },
    Drill {
        scenario: String,
        runs: Vec<DrillOutcome>,
    },
    Discussion {
        prompt: String,
    },
    Matrix {
        matrix: String,
        rows: usize,
        columns: usize,
        /// How many cells carry each mark.
        marks: String,
        /// The grid as a Markdown table (risks in bold, `*` where a note is).
        grid: String,
        /// `service × column: note (by)`.
        notes: Vec<String>,
        risks: Vec<RiskRow>,
    },
    /// A DRT segment: the seven-column table as the seats left it.
    Drt {
        scenario: String,
        /// Whether it started from the drill segment's run (else the scenario's own rows).
        from_drill: bool,
        /// The table as Markdown (the seven columns and what the drill showed).
        markdown: String,
        table: crate::drt::Table,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteRow {
    pub time: String,
    pub who: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemarkRow {
    pub time: String,
    pub who: String,
    pub pane: String,
    pub question: bool,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TurnRow {
    pub number: usize,
    pub time: String,
    pub person: String,
    pub spun_by: String,
    pub theme: String,
    pub prompt: String,
    pub question: String,
    /// `found`, `found with help`, `not found`, `passed`, or `open`.
    pub result: String,
    pub took: Option<String>,
    pub overtime: bool,
    pub escalations: Vec<String>,
    /// How they went about it: the notes taken during the turn.
    pub notes: Vec<NoteRow>,
    pub facilitator: Option<FacilitatorNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub segment: usize,
    pub turn: usize,
    pub person: String,
    pub gap: String,
    pub escalations: Vec<String>,
    /// Where the deck says the truth lives, if it says.
    pub truth: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionItem {
    pub time: String,
    pub text: String,
    /// `note by ana`, `gap from turn 3 (wheel)`.
    pub from: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub time: String,
    pub who: String,
    pub what: String,
    pub reason: String,
}

impl Writeup {
    /// The write-up with each walkthrough's vista file as a recording carries it: its name,
    /// hash, title and panes, read from the carried text with this build (a problem with it
    /// is said in its place), so a debrief anywhere names what the walkthrough showed.
    pub fn with_vistas(mut self, vistas: &[super::record::SegmentVista]) -> Writeup {
        for v in vistas {
            if let Some(SegmentReport {
                detail: Detail::Walkthrough { file, .. },
                ..
            }) = self.segments.get_mut(v.segment)
            {
                *file = Some(crate::debrief::VistaRow::of(&v.vista));
            }
        }
        self
    }
}

/// The write-up of `s` as it stands.
pub fn build(s: &Session, started: Option<String>) -> Writeup {
    let list = &s.plan.setlist;
    let time = |beat: u64| clock(list.seconds(beat));
    let name = |seat: SeatId| s.seat_name(seat).to_string();
    let notes = |ns: &[Note]| -> Vec<NoteRow> {
        ns.iter()
            .map(|n| NoteRow {
                time: time(n.beat),
                who: name(n.seat),
                text: n.text.clone(),
            })
            .collect()
    };
    let mut items: Vec<(u64, ActionItem)> = Vec::new();
    let todo = |items: &mut Vec<(u64, ActionItem)>, ns: &[Note]| {
        for n in ns {
            if let Some(rest) = n.text.strip_prefix(ACTION_MARKER) {
                items.push((
                    n.beat,
                    ActionItem {
                        time: time(n.beat),
                        text: rest.trim().to_string(),
                        from: format!("note by {}", name(n.seat)),
                    },
                ));
            }
        }
    };
    todo(&mut items, &s.notes);
    let mut gaps = Vec::new();
    let mut segments = Vec::new();
    for (i, (seg, st)) in list.segments.iter().zip(&s.segments).enumerate() {
        todo(&mut items, &st.notes);
        let detail = match (&seg.kind, &st.activity) {
            (SegmentKind::Walkthrough { vista, .. }, Activity::Walkthrough(w)) => {
                Detail::Walkthrough {
                    vista: w.vista.as_ref().map(|v| v.title.clone()),
                    source: match (&w.vista, vista) {
                        (Some(v), _) => v.source.clone(),
                        (None, VistaSource::Presenter) => "the presenter's vista".into(),
                        (None, VistaSource::File { file }) => file.name.clone(),
                        (None, VistaSource::Scenario { scenario }) => {
                            format!("scenario {}", scenario.name)
                        }
                    },
                    panes: w
                        .vista
                        .iter()
                        .flat_map(|v| v.panes.iter().map(|p| p.title.clone()))
                        .collect(),
                    file: None,
                    remarks: w
                        .remarks
                        .iter()
                        .map(|r| RemarkRow {
                            time: time(r.beat),
                            who: name(r.seat),
                            pane: r.pane_title.clone(),
                            question: r.question,
                            text: r.text.clone(),
                        })
                        .collect(),
                }
            }
            (SegmentKind::Wheel { .. }, Activity::Wheel(w)) => {
                let deck = s.plan.decks[i].as_ref();
                let mut turns = Vec::new();
                for (n, t) in w.turns.iter().enumerate() {
                    todo(&mut items, &t.notes);
                    let Some(d) = deck else { continue };
                    let (theme, prompt) = (t.spin.theme(), t.spin.prompt);
                    let note = d.note(theme, prompt).cloned();
                    if t.is_gap() {
                        let gap = Gap {
                            segment: i + 1,
                            turn: n + 1,
                            person: name(t.spin.person),
                            gap: d.gap(theme, prompt),
                            escalations: t.escalations.clone(),
                            truth: note
                                .as_ref()
                                .map(|n| n.truth.clone())
                                .filter(|t| !t.is_empty()),
                        };
                        let mut text = gap.gap.clone();
                        if let Some(truth) = &gap.truth {
                            let truth = truth.trim_end_matches('.');
                            text.push_str(&format!("; where the truth lives: {truth}"));
                        }
                        let at = t.closed.unwrap_or(t.spin.at);
                        items.push((
                            at,
                            ActionItem {
                                time: time(at),
                                text,
                                from: format!("gap, segment {} turn {}", i + 1, n + 1),
                            },
                        ));
                        gaps.push(gap);
                    }
                    turns.push(TurnRow {
                        number: n + 1,
                        time: time(t.spin.at),
                        person: name(t.spin.person),
                        spun_by: name(t.spun_by),
                        theme: d.themes[theme].name.clone(),
                        prompt: d.prompts[prompt].id.clone(),
                        question: d.question(theme, prompt),
                        result: t.result.map_or("open", |r| r.label()).to_string(),
                        took: t.closed.map(|c| time(c.saturating_sub(t.spin.at))),
                        overtime: t.overtime,
                        escalations: t.escalations.clone(),
                        notes: notes(&t.notes),
                        facilitator: note,
                    });
                }
                Detail::Wheel {
                    deck: deck.map_or_else(String::new, |d| d.title.clone()),
                    turns,
                    retired: deck.map_or_else(Vec::new, |d| {
                        d.themes
                            .iter()
                            .zip(&w.retired)
                            .filter(|(_, r)| **r)
                            .map(|(t, _)| t.name.clone())
                            .collect()
                    }),
                }
            }
            (_, Activity::Drill(d)) => {
                let at = s
                    .history
                    .iter()
                    .rev()
                    .find(|v| v.segment == i)
                    .map_or(0, |v| v.to.unwrap_or(s.beat));
                for (n, run) in d.runs.iter().enumerate() {
                    for item in &run.action_items {
                        items.push((
                            at,
                            ActionItem {
                                time: time(at),
                                text: item.clone(),
                                from: format!("drill run {} of {}", n + 1, run.scenario),
                            },
                        ));
                    }
                }
                Detail::Drill {
                    scenario: d.scenario.clone(),
                    runs: d.runs.clone(),
                }
            }
            (_, Activity::Matrix(m)) => {
                let at = s
                    .history
                    .iter()
                    .rev()
                    .find(|v| v.segment == i)
                    .map_or(s.beat, |v| v.to.unwrap_or(s.beat));
                let (detail, found) = matrix::detail(&m.matrix, i + 1, time(at));
                // A matrix nobody looked at found nothing yet.
                if st.status != SegmentStatus::NotReached {
                    items.extend(found.into_iter().map(|f| (at, f)));
                }
                detail
            }
            (_, Activity::Drt(d)) => Detail::Drt {
                scenario: d.scenario.clone(),
                from_drill: d.from_drill,
                markdown: crate::drt::markdown(&d.table),
                table: d.table.clone(),
            },
            (SegmentKind::Discussion { prompt }, _) => Detail::Discussion {
                prompt: prompt.clone(),
            },
            _ => Detail::Discussion {
                prompt: String::new(),
            },
        };
        segments.push(SegmentReport {
            number: i + 1,
            title: seg.title.clone(),
            kind: seg.kind.name().to_string(),
            status: match st.status {
                SegmentStatus::NotReached => "not reached",
                SegmentStatus::Current => "current",
                SegmentStatus::Done => "done",
                SegmentStatus::Skipped => "skipped",
            }
            .to_string(),
            planned: time(seg.planned),
            extended: (st.extra > 0).then(|| time(st.extra)),
            spent: time(st.elapsed),
            planned_seconds: list.seconds(s.planned(i)),
            spent_seconds: list.seconds(st.elapsed),
            overtime: st.overtime,
            notes: notes(&st.notes),
            detail,
        });
    }
    items.sort_by_key(|(b, _)| *b);
    let planned: u64 = list.segments.iter().map(|g| g.planned).sum();
    let people = s
        .seats
        .iter()
        .map(|p| Person {
            name: p.name.clone(),
            role: if s.facilitator == Some(p.id) {
                "facilitator"
            } else if s.presenter == Some(p.id) {
                "presenter"
            } else if p.observer {
                "observer"
            } else {
                "participant"
            }
            .to_string(),
            joined: time(p.joined),
            segments: p.segments.iter().map(|i| i + 1).collect(),
        })
        .collect();
    let refused = s
        .log
        .iter()
        .filter_map(|l| match &l.event {
            SessionEvent::Refused { seat, what, reason } => Some(Refusal {
                time: time(l.beat),
                who: name(*seat),
                what: what.clone(),
                reason: reason.clone(),
            }),
            _ => None,
        })
        .collect();
    Writeup {
        title: list.title.clone(),
        summary: list.summary.clone(),
        started,
        seed: s.seed,
        plan_hash: s.plan_hash.clone(),
        status: match &s.phase {
            Phase::Gathering => "gathering".into(),
            Phase::In { segment } => format!("in progress (segment {})", segment + 1),
            Phase::Ended { reason } => format!("ended ({reason})"),
        },
        length: time(s.beat),
        planned: time(planned),
        length_seconds: list.seconds(s.beat),
        planned_seconds: list.seconds(planned),
        people,
        segments,
        notes: notes(&s.notes),
        gaps,
        action_items: items.into_iter().map(|(_, i)| i).collect(),
        refused,
    }
}

/// The write-up as pretty JSON, with a final newline.
pub fn json(w: &Writeup) -> String {
    let mut out = serde_json::to_string_pretty(w).expect("a write-up always serializes");
    out.push('\n');
    out
}
