//! The headless runner: plays a [`Script`] against a [`Session`] with no terminal, doing
//! what the live room's shell would do. When a walkthrough starts it shows the segment's
//! vista (a [`VistaShape`] the command loaded); when a drill segment starts it runs the
//! scenario's drill alongside, forwards the script's `drill` lines to it, keeps it in step
//! with the session clock (at the scenario's own tempo), and reports its outcome when the
//! drill ends or its segment is left. Everything it applies is returned, in order: a
//! recording of the run.

use super::input::{DrillOutcome, SessionAction, SessionEvent, SessionInput, VistaShape};
use super::script::{Script, ScriptLine, Step};
use super::setlist::SegmentKind;
use super::state::Activity;
use super::{ROOM, SeatId, Session};
use crate::diag::Diagnostic;
use crate::drill::{Action, Drill, Input};
use crate::scenario::Scenario;
use std::collections::HashSet;
use std::sync::Arc;

/// What the shell resolved for each segment before the run.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// Per segment: the vista a walkthrough shows.
    pub vistas: Vec<Option<VistaShape>>,
    /// Per segment: the scenario a drill segment runs (or a DRT segment builds its table of).
    pub drills: Vec<Option<Arc<Scenario>>>,
}

/// A drill running beside its segment.
struct Live {
    segment: usize,
    drill: Drill,
    joined: HashSet<SeatId>,
    /// The session beat the drill was last brought up to, and the remainder of the tempo
    /// conversion (in drill-beat × session-bpm units).
    synced: u64,
    carry: u64,
}

struct Runner<'a> {
    session: &'a mut Session,
    env: &'a Env,
    file: &'a str,
    names: &'a [String],
    inputs: Vec<SessionInput>,
    live: Option<Live>,
    /// The last drill that ran, by segment: a DRT segment after it starts from its table.
    finished: Option<(usize, Drill)>,
}

/// Plays `script` on `session`; returns every input applied (the script's and the room's),
/// or the script's problems with their positions.
pub fn run(
    session: &mut Session,
    script: &Script,
    env: &Env,
    file: &str,
) -> Result<Vec<SessionInput>, Vec<Diagnostic>> {
    let mut r = Runner {
        session,
        env,
        file,
        names: &script.seats,
        inputs: Vec::new(),
        live: None,
        finished: None,
    };
    for line in &script.lines {
        r.line(line).map_err(|d| vec![d])?;
    }
    if let Some(live) = r.live.take() {
        let beat = r.session.beat;
        r.report(live, beat);
    }
    Ok(r.inputs)
}

impl Runner<'_> {
    fn err(&self, line: &ScriptLine, col: usize, message: String) -> Diagnostic {
        Diagnostic {
            file: self.file.to_string(),
            line: line.line,
            col,
            message,
        }
    }

    fn line(&mut self, line: &ScriptLine) -> Result<(), Diagnostic> {
        self.sync_drill(line.beat);
        let action = match &line.step {
            Step::Act(a) => a.clone(),
            Step::Drill { words, col } => return self.drill_line(line, words, *col),
            Step::Focus(p) => SessionAction::Focus {
                pane: self.pane(line, p)?,
            },
            Step::Tour(None) => SessionAction::Tour { step: None },
            Step::Tour(Some(p)) => SessionAction::Tour {
                step: Some(self.pane(line, p)?),
            },
            Step::Remark {
                pane,
                text,
                question,
            } => SessionAction::Remark {
                pane: match pane {
                    Some(p) => Some(self.pane(line, p)?),
                    None => None,
                },
                text: text.clone(),
                question: *question,
            },
        };
        self.apply(SessionInput::new(line.beat, line.seat, action));
        Ok(())
    }

    /// Applies one input and does what the shell does about its events.
    fn apply(&mut self, input: SessionInput) {
        let beat = input.beat;
        let events = self.session.apply(&input);
        self.inputs.push(input);
        for e in events {
            match e {
                SessionEvent::SegmentLeft { segment, .. } => {
                    if let Some(mut live) = self.live.take_if(|l| l.segment == segment) {
                        // The facilitator moved on: the drill's room is closed.
                        if !live.drill.is_ended() {
                            let room = |action| Input::new(ROOM, action);
                            live.drill.apply(&room(Action::Join {
                                name: "session".into(),
                                role: None,
                            }));
                            live.drill.apply(&room(Action::End {
                                reason: "the session moved on".into(),
                            }));
                        }
                        self.report(live, beat);
                    }
                }
                SessionEvent::SegmentStarted { segment, .. } => self.started(segment, beat),
                _ => {}
            }
        }
    }

    fn started(&mut self, segment: usize, beat: u64) {
        let kind = &self.session.plan.setlist.segments[segment].kind;
        match kind {
            SegmentKind::Walkthrough { .. } => {
                if let Some(Some(vista)) = self.env.vistas.get(segment) {
                    self.apply(SessionInput::new(
                        beat,
                        ROOM,
                        SessionAction::ShowVista {
                            segment,
                            vista: vista.clone(),
                        },
                    ));
                }
            }
            SegmentKind::Drill { seed, .. } => {
                if let Some(Some(scenario)) = self.env.drills.get(segment) {
                    let seed = seed.unwrap_or(self.session.seed);
                    self.live = Some(Live {
                        segment,
                        drill: Drill::new(scenario.clone(), seed),
                        joined: HashSet::new(),
                        synced: beat,
                        carry: 0,
                    });
                }
            }
            SegmentKind::Drt { drill, .. } => {
                let ran = self
                    .finished
                    .as_ref()
                    .filter(|(seg, _)| Some(*seg) == *drill)
                    .map(|(_, d)| crate::drt::from_drill(d));
                let from_drill = ran.is_some();
                let table = ran.or_else(|| {
                    self.env
                        .drills
                        .get(segment)
                        .cloned()
                        .flatten()
                        .map(crate::drt::from_scenario)
                });
                if let Some(table) = table {
                    self.apply(SessionInput::new(
                        beat,
                        ROOM,
                        SessionAction::DrtSeed {
                            segment,
                            table,
                            from_drill,
                        },
                    ));
                }
            }
            _ => {}
        }
    }

    /// Brings the live drill up to session beat `beat`, at the drill's tempo; reports it if
    /// it ended on the way.
    fn sync_drill(&mut self, beat: u64) {
        let bpm = u64::from(self.session.plan.setlist.bpm.max(1));
        let Some(live) = self.live.as_mut() else {
            return;
        };
        let elapsed = beat.saturating_sub(live.synced);
        live.synced = live.synced.max(beat);
        if live.drill.status != crate::drill::Status::Running {
            live.carry = 0;
        } else {
            let due = elapsed
                .saturating_mul(u64::from(live.drill.bpm))
                .saturating_add(live.carry);
            live.carry = due % bpm;
            for _ in 0..due / bpm {
                if live.drill.is_ended() {
                    break;
                }
                live.drill.apply(&Input::new(0, Action::Tick));
            }
        }
        if live.drill.is_ended()
            && let Some(live) = self.live.take()
        {
            self.report(live, beat);
        }
    }

    fn report(&mut self, live: Live, beat: u64) {
        self.apply(SessionInput::new(
            beat,
            ROOM,
            SessionAction::DrillReport {
                segment: live.segment,
                outcome: DrillOutcome::of(&live.drill),
            },
        ));
        self.finished = Some((live.segment, live.drill));
    }

    /// A pane of the current walkthrough's vista, by id or number.
    fn pane(&self, line: &ScriptLine, name: &str) -> Result<usize, Diagnostic> {
        let vista = self
            .session
            .current()
            .and_then(|i| match &self.session.segments[i].activity {
                Activity::Walkthrough(w) => w.vista.as_ref(),
                _ => None,
            });
        // Outside a walkthrough the core refuses the action itself; any index will do.
        let Some(v) = vista else { return Ok(0) };
        v.pane(name).ok_or_else(|| {
            let ids: Vec<&str> = v.panes.iter().map(|p| p.id.as_str()).collect();
            self.err(
                line,
                line.col,
                format!(
                    "no pane `{name}` in the vista `{}`; its panes: {} (or 1 to {})",
                    v.title,
                    ids.join(", "),
                    ids.len()
                ),
            )
        })
    }

    fn drill_line(&mut self, line: &ScriptLine, words: &str, col: usize) -> Result<(), Diagnostic> {
        let seat = self.session.seat(line.seat);
        if !seat.is_some_and(|s| s.present && !s.observer) {
            return Err(self.err(
                line,
                line.col,
                format!(
                    "`{}` cannot act in the drill: only a present participant can (observers act on nothing)",
                    self.names[line.seat as usize]
                ),
            ));
        }
        let Some(live) = self.live.as_mut() else {
            return Err(self.err(
                line,
                line.col,
                "no drill is running here: `drill` lines go in a drill segment, before its drill ends".into(),
            ));
        };
        let scenario = live.drill.scenario.clone();
        let parsed = crate::headless::parse_script(&format!("0 {words}"), self.file, &scenario);
        let action = match parsed {
            Ok(mut l) if l.len() == 1 => l.remove(0).action,
            Ok(_) => return Err(self.err(line, col, "expected one drill action".into())),
            Err(d) => {
                let d = &d[0];
                return Err(self.err(line, (col + d.col).saturating_sub(3), d.message.clone()));
            }
        };
        if live.joined.insert(line.seat) {
            let name = self.names[line.seat as usize].clone();
            live.drill
                .apply(&Input::new(line.seat, Action::Join { name, role: None }));
        }
        live.drill.apply(&Input::new(line.seat, action));
        if live.drill.is_ended()
            && let Some(live) = self.live.take()
        {
            self.report(live, line.beat);
        }
        Ok(())
    }
}
