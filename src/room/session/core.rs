//! The session room's task: the metronome, the inputs in order (each recorded, then applied),
//! what the room does about the events (start and stop a segment's vista or drill, seat
//! people in the drill, save the write-up), and one published snapshot per change.

use super::drt_files;
use super::journal::{self, SessionRecorder};
use super::stage::{self, Live, StagePlan};
use super::{Saved, SessionMsg, SessionSpec, SessionState};
use crate::metronome::Metronome;
use crate::room::{Naming, Seated, derived_name};
use crate::session::input::DrillOutcome;
use crate::session::{ROOM, SeatId, Session, SessionAction, SessionEvent, SessionInput};
use crate::session::{clean, limits, writeup};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep_until};

struct Core {
    name: String,
    session: Session,
    /// The room's beat: every input is stamped with it.
    beat: u64,
    recorder: Option<SessionRecorder>,
    recording: Option<PathBuf>,
    stages: Vec<StagePlan>,
    live: Live,
    vista: Option<Arc<crate::vista::VistaSnapshot>>,
    drill_recordings: Option<PathBuf>,
    started: String,
    notice: Option<String>,
    saved: Option<Saved>,
    /// The last drill that ran, by segment: a DRT segment after it starts from its table.
    finished: Option<(usize, crate::drill::Drill)>,
    /// Where each DRT segment's table was last saved, by segment.
    tables: Vec<(usize, (PathBuf, PathBuf))>,
    /// The notice saying where the write-up went: news for the seats, not a problem.
    saved_notice: Option<String>,
}

pub(super) async fn run(
    spec: SessionSpec,
    session: Session,
    mut rx: mpsc::Receiver<SessionMsg>,
    out: watch::Sender<SessionState>,
) {
    let mut metronome = Metronome::new(session.plan.setlist.bpm);
    metronome.start(Instant::now().into_std());
    let mut core = Core {
        name: spec.name,
        recording: spec.recorder.as_ref().map(|r| r.path().to_path_buf()),
        session,
        beat: 0,
        recorder: spec.recorder,
        stages: spec.stages,
        live: Live::Nothing,
        vista: None,
        drill_recordings: spec.drill_recordings,
        started: spec.started,
        notice: None,
        saved: None,
        finished: None,
        tables: Vec::new(),
        saved_notice: None,
    };
    let mut closed: Option<String> = None;
    while closed.is_none() {
        let next = metronome.next().map(Instant::from_std);
        tokio::select! {
            msg = rx.recv() => match msg {
                None => closed = Some("the facilitator left".into()),
                Some(SessionMsg::Act { seat, action }) => {
                    if seat == ROOM {
                        // Only the room itself reports; a seat claiming to be it is refused
                        // by the core, but never reaches it with the room's id.
                        continue;
                    }
                    core.apply(seat, action).await;
                }
                Some(SessionMsg::Join { name, observer, naming, reply }) => {
                    let _ = reply.send(core.join(&name, observer, naming).await);
                }
                Some(SessionMsg::Close { reason }) => closed = Some(reason),
            },
            _ = async { sleep_until(next.unwrap_or_else(Instant::now)).await }, if next.is_some() => {
                metronome.beat(Instant::now().into_std());
                core.beat += 1;
                core.apply(ROOM, SessionAction::Tick).await;
                core.on_beat();
            }
            over = drill_over(&mut core.live) => {
                if over {
                    core.drill_ended().await;
                }
            }
        }
        if core.session.is_ended() {
            metronome.stop();
        }
        if let Some(reason) = &closed {
            core.close(reason).await;
        }
        out.send_replace(core.snapshot(closed.clone()));
    }
}

/// Resolves when the drill segment's drill has changed; `true` when it is over.
async fn drill_over(live: &mut Live) -> bool {
    match live {
        Live::Drill { state, .. } => match state.changed().await {
            Ok(()) => stage::drill_over(&state.borrow()),
            Err(_) => true,
        },
        _ => std::future::pending().await,
    }
}

impl Core {
    fn snapshot(&self, closed: Option<String>) -> SessionState {
        SessionState {
            session: Arc::new(self.session.clone()),
            vista: self.vista.clone(),
            drill: self.live.drill().cloned(),
            closed,
            notice: self.notice.clone(),
            saved: self.saved.clone(),
        }
    }

    /// A beat went by: the walkthrough's vista as of now.
    fn on_beat(&mut self) {
        if let Live::Simulated { sim, .. } = &mut self.live {
            // The story moves on the session's clock, never the wall clock.
            sim.set_session_bpm(self.session.plan.setlist.bpm);
            sim.beat();
        }
        self.vista = self.live.vista();
    }

    /// Records and applies `seat`'s `action`, then what the room must do about its events
    /// (which may be more room inputs, applied in turn); returns the events of `action`.
    async fn apply(&mut self, seat: SeatId, action: SessionAction) -> Vec<SessionEvent> {
        let mut queue = VecDeque::from([(seat, action)]);
        let mut first: Option<Vec<SessionEvent>> = None;
        let mut ended = false;
        let mut tables_left = Vec::new();
        while let Some((seat, action)) = queue.pop_front() {
            let input = SessionInput::new(self.beat, seat, action);
            self.record(&input).await;
            let events = self.session.apply(&input);
            for e in &events {
                ended |= matches!(e, SessionEvent::Ended { .. });
                if let SessionEvent::SegmentLeft { segment, .. } = e
                    && self.session.drt(*segment).is_some()
                {
                    tables_left.push(*segment);
                }
                self.react(e, &mut queue).await;
            }
            first.get_or_insert(events);
        }
        if ended {
            self.save().await;
        } else {
            for segment in tables_left {
                if let Err(e) = self.save_tables(Some(segment)).await {
                    self.notice = Some(e);
                }
            }
        }
        first.unwrap_or_default()
    }

    async fn record(&mut self, input: &SessionInput) {
        let Some(mut rec) = self.recorder.take() else {
            return;
        };
        let line = input.clone();
        let written = tokio::task::spawn_blocking(move || {
            rec.record(&line);
            let stopped = rec.take_stopped();
            (rec, stopped)
        })
        .await;
        match written {
            Ok((rec, stopped)) => {
                self.recorder = Some(rec);
                if stopped.is_some() {
                    self.notice = stopped;
                }
            }
            Err(e) => self.notice = Some(format!("the recorder stopped ({e})")),
        }
    }

    /// What the room does about one event.
    async fn react(&mut self, event: &SessionEvent, queue: &mut VecDeque<(SeatId, SessionAction)>) {
        match event {
            SessionEvent::SegmentStarted { segment, .. } => self.start_stage(*segment, queue).await,
            SessionEvent::SegmentLeft { segment, .. } if self.live.segment() == Some(*segment) => {
                self.stop_stage("the session moved on", queue).await;
            }
            SessionEvent::Joined { seat, observer, .. } => {
                let name = self.session.seat_name(*seat).to_string();
                if let Live::Drill { stage, .. } = &mut self.live {
                    if *observer {
                        stage::leave_drill(stage, *seat).await;
                    } else {
                        stage::seat_in_drill(stage, *seat, &name).await;
                    }
                }
            }
            SessionEvent::Left { seat } => {
                if let Live::Drill { stage, .. } = &self.live {
                    stage::leave_drill(stage, *seat).await;
                }
            }
            _ => {}
        }
    }

    async fn start_stage(&mut self, segment: usize, queue: &mut VecDeque<(SeatId, SessionAction)>) {
        let plan = self.stages.get(segment).cloned().unwrap_or_default();
        match &plan {
            StagePlan::Nothing | StagePlan::Matrix { .. } => {}
            StagePlan::Drt { scenario } => {
                let after = match &self.session.plan.setlist.segments[segment].kind {
                    crate::session::SegmentKind::Drt { drill, .. } => *drill,
                    _ => None,
                };
                let ran = self
                    .finished
                    .as_ref()
                    .filter(|(seg, _)| Some(*seg) == after)
                    .map(|(_, d)| crate::drt::from_drill(d));
                let from_drill = ran.is_some();
                let table = ran.unwrap_or_else(|| crate::drt::from_scenario(scenario.clone()));
                queue.push_back((
                    ROOM,
                    SessionAction::DrtSeed {
                        segment,
                        table,
                        from_drill,
                    },
                ));
            }
            StagePlan::Vista { shape, .. } | StagePlan::Simulated { shape, .. } => {
                let range = match &self.session.plan.setlist.segments[segment].kind {
                    crate::session::SegmentKind::Walkthrough { range, .. } => *range,
                    _ => 3600,
                };
                self.live = stage::start_vista(segment, &plan, range);
                if let Live::Simulated { sim, .. } = &mut self.live {
                    sim.set_session_bpm(self.session.plan.setlist.bpm);
                }
                self.vista = self.live.vista();
                queue.push_back((
                    ROOM,
                    SessionAction::ShowVista {
                        segment,
                        vista: shape.clone(),
                    },
                ));
            }
            StagePlan::Drill {
                scenario,
                seed,
                tempo,
            } => {
                let (live, notice) = stage::start_drill(
                    segment,
                    scenario.clone(),
                    *seed,
                    *tempo,
                    self.drill_recordings.clone(),
                    self.people(),
                    &self.name,
                )
                .await;
                self.live = live;
                if notice.is_some() {
                    self.notice = notice;
                }
            }
        }
    }

    /// The present participants, the facilitator first (so the drill's conductor is theirs).
    fn people(&self) -> Vec<(SeatId, String)> {
        let s = &self.session;
        let mut people: Vec<(SeatId, String)> = s
            .seats
            .iter()
            .filter(|x| x.present && !x.observer)
            .map(|x| (x.id, x.name.clone()))
            .collect();
        people.sort_by_key(|(id, _)| (Some(*id) != s.conductor(), *id));
        people
    }

    /// Stops what runs beside the current segment; a drill's outcome is reported.
    async fn stop_stage(&mut self, reason: &str, queue: &mut VecDeque<(SeatId, SessionAction)>) {
        let live = std::mem::replace(&mut self.live, Live::Nothing);
        self.vista = None;
        if let Live::Drill { stage, .. } = live {
            let drill = stage::stop_drill(&stage, reason).await;
            self.finished = Some((stage.segment, (*drill).clone()));
            queue.push_back((
                ROOM,
                SessionAction::DrillReport {
                    segment: stage.segment,
                    outcome: DrillOutcome::of(&drill),
                },
            ));
        }
    }

    /// The drill ended on its own (resolved, out of time, ended by its conductor): its
    /// outcome goes to the session and every seat comes back to the session's screen.
    async fn drill_ended(&mut self) {
        let mut queue = VecDeque::new();
        self.stop_stage("the drill ended", &mut queue).await;
        for (seat, action) in queue {
            self.apply(seat, action).await;
        }
    }

    async fn join(&mut self, name: &str, observer: bool, naming: Naming) -> Result<Seated, String> {
        let base = clean(name, limits::NAME);
        if base.is_empty() {
            return Err("a seat needs a name".into());
        }
        let held = |n: &str| self.session.seats.iter().any(|s| s.present && s.name == n);
        let name = match naming {
            Naming::Exact if held(&base) => {
                return Err(format!(
                    "`{base}` is already in this session; pick another name"
                ));
            }
            Naming::Exact => base,
            Naming::Derived => (1..=crate::room::MAX_DERIVED)
                .map(|n| derived_name(&base, n))
                .find(|n| !held(n))
                .ok_or_else(|| format!("every seat name from `{base}` on is taken"))?,
        };
        let id = self
            .session
            .seats
            .iter()
            .find(|s| !s.present && s.name == name)
            .map(|s| s.id)
            .unwrap_or_else(|| {
                self.session
                    .seats
                    .iter()
                    .map(|s| s.id + 1)
                    .max()
                    .unwrap_or(0)
            });
        let action = if observer {
            SessionAction::Observe { name: name.clone() }
        } else {
            SessionAction::Join { name: name.clone() }
        };
        let events = self.apply(id, action).await;
        match events.iter().find_map(|e| match e {
            SessionEvent::Refused { reason, .. } => Some(reason.clone()),
            _ => None,
        }) {
            Some(reason) => Err(reason),
            None => Ok(Seated { id, name }),
        }
    }

    /// Saves DRT segment `only`'s table (`None`: every one reached) beside the recording, on
    /// the blocking pool, and keeps where.
    async fn save_tables(&mut self, only: Option<usize>) -> Result<(), String> {
        let Some(rec) = self.recording.as_deref() else {
            return Ok(());
        };
        let files = drt_files::to_save(&self.session, rec, only);
        if files.is_empty() {
            return Ok(());
        }
        let segments: Vec<usize> = files.iter().map(|f| f.segment).collect();
        let paths = tokio::task::spawn_blocking(move || drt_files::save(&files))
            .await
            .map_err(|e| format!("the DRT table was not saved: {e}"))??;
        for (segment, p) in segments.into_iter().zip(paths) {
            self.tables.retain(|(s, _)| *s != segment);
            self.tables.push((segment, p));
        }
        self.tables.sort_by_key(|(s, _)| *s);
        Ok(())
    }

    /// Saves the write-up beside the recording (on the blocking pool).
    async fn save(&mut self) {
        let vistas = self
            .recorder
            .as_ref()
            .map_or(&[][..], SessionRecorder::vistas);
        let w = writeup::build(&self.session, Some(self.started.clone())).with_vistas(vistas);
        let (md, js) = (writeup::markdown(&w), writeup::json(&w));
        let inputs = self.recorder.as_ref().map_or(0, SessionRecorder::inputs);
        let mut saved = Saved {
            recording: self.recording.clone(),
            writeup: None,
            inputs,
            matrices: Vec::new(),
            drt: Vec::new(),
            problem: self
                .notice
                .clone()
                .filter(|n| Some(n) != self.saved_notice.as_ref()),
        };
        match self.save_tables(None).await {
            Ok(()) => saved.drt = self.tables.iter().map(|(_, p)| p.clone()).collect(),
            Err(e) => saved.problem = Some(e),
        }
        let matrices =
            journal::matrices_to_save(&self.session, &self.stages, self.recording.as_deref());
        if !matrices.is_empty() {
            let written =
                tokio::task::spawn_blocking(move || journal::save_matrices(&matrices)).await;
            match written {
                Ok(Ok(paths)) => saved.matrices = paths,
                Ok(Err(e)) => saved.problem = Some(e),
                Err(e) => saved.problem = Some(format!("the matrix was not saved: {e}")),
            }
        }
        if let Some(path) = self.recording.clone() {
            let written =
                tokio::task::spawn_blocking(move || journal::save_writeup(&path, &md, &js)).await;
            match written {
                Ok(Ok(paths)) => {
                    self.notice = Some(format!("write-up saved to {}", paths.0.display()));
                    self.saved_notice = self.notice.clone();
                    saved.writeup = Some(paths);
                }
                Ok(Err(e)) => saved.problem = Some(format!("the write-up was not saved: {e}")),
                Err(e) => saved.problem = Some(format!("the write-up was not saved: {e}")),
            }
        }
        self.saved = Some(saved);
    }

    /// The room closes: the drill stops, the recording is finished, the write-up saved.
    async fn close(&mut self, reason: &str) {
        let mut queue = VecDeque::new();
        self.stop_stage(reason, &mut queue).await;
        for (seat, action) in queue {
            self.apply(seat, action).await;
        }
        if let Some(mut rec) = self.recorder.take() {
            let finished = tokio::task::spawn_blocking(move || {
                let failure = rec.finish();
                (rec, failure)
            })
            .await;
            if let Ok((rec, failure)) = finished {
                if failure.is_some() {
                    self.notice = failure;
                }
                self.recorder = Some(rec);
            }
        }
        self.save().await;
        self.recorder = None;
    }
}
