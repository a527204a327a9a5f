//! A room: one authoritative drill in a tokio task. Seats send it inputs over a channel; it
//! applies them in order (recording each), ticks the metronome, and publishes every new state
//! on a `watch` channel that each seat redraws from. Nothing here knows about terminals.

pub mod registry;
pub mod rooms;
pub mod session;

use crate::drill::{Action, Drill, Input, SeatId, Status};
use crate::metronome::Metronome;
use crate::record::{Recorder, RecordingStatus};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::{Instant, sleep_until};

/// Messages a room accepts.
#[derive(Debug)]
pub enum RoomMsg {
    /// An input from a seat that has joined.
    Input(Input),
    /// A new seat (or a returning one, matched by name while absent) asks for a seat.
    Join {
        name: String,
        role: Option<String>,
        naming: Naming,
        reply: oneshot::Sender<Result<Seated, String>>,
    },
    /// Start the metronome (the briefing is over).
    Start,
    /// End the room and tell every seat why.
    Close { reason: String },
}

/// How a seat's name is chosen when it joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// Exactly this name (`--as`, the hosting terminal): refused while a present seat holds it.
    Exact,
    /// A name derived from the one given (the user's): the first of `NAME`, `NAME-2`,
    /// `NAME-3`… that no present seat holds, so a second terminal of the same account always
    /// gets a seat. An absent seat of that name is taken back, as with an exact name.
    Derived,
}

/// The most seat names [`Naming::Derived`] tries (`NAME` … `NAME-99`).
pub const MAX_DERIVED: usize = 99;

/// A seat the room gave out: its id and the name it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seated {
    pub id: SeatId,
    pub name: String,
}

/// What seats watch: the newest drill state, and whether the room is closed.
#[derive(Debug, Clone)]
pub struct RoomState {
    pub drill: Arc<Drill>,
    /// Set when the room has closed; seats show the reason and leave.
    pub closed: Option<String>,
    /// The metronome is running (the briefing is over).
    pub started: bool,
    /// A recording problem to show on every seat's status line.
    pub notice: Option<String>,
    /// The recording's final status, once the room has closed and finished it.
    pub recording: Option<RecordingStatus>,
}

/// A handle to a running room; cheap to clone.
#[derive(Debug, Clone)]
pub struct Room {
    pub name: String,
    /// Where the room records its inputs, if it does; the debrief is saved beside it.
    pub recording: Option<std::path::PathBuf>,
    tx: mpsc::Sender<RoomMsg>,
    state: watch::Receiver<RoomState>,
}

impl Room {
    /// Starts a room task for `drill`, recording to `recorder` when given.
    pub fn spawn(name: String, drill: Drill, recorder: Option<Recorder>) -> Room {
        let (tx, rx) = mpsc::channel(256);
        let initial = RoomState {
            drill: Arc::new(drill.clone()),
            closed: None,
            started: false,
            notice: None,
            recording: None,
        };
        let (state_tx, state) = watch::channel(initial);
        let recording = recorder.as_ref().map(|r| r.path().to_path_buf());
        tokio::spawn(run(drill, recorder, rx, state_tx));
        Room {
            name,
            recording,
            tx,
            state,
        }
    }

    pub fn state(&self) -> watch::Receiver<RoomState> {
        self.state.clone()
    }

    /// The current drill state.
    pub fn drill(&self) -> Arc<Drill> {
        self.state.borrow().drill.clone()
    }

    /// Joins as a new seat named exactly `name`, or takes back an absent seat of that name.
    pub async fn join(&self, name: &str, role: Option<&str>) -> Result<SeatId, String> {
        self.take_seat(name, role, Naming::Exact)
            .await
            .map(|s| s.id)
    }

    /// Joins as a new seat (or takes back an absent one), named as `naming` says.
    pub async fn take_seat(
        &self,
        name: &str,
        role: Option<&str>,
        naming: Naming,
    ) -> Result<Seated, String> {
        let (reply, rx) = oneshot::channel();
        let msg = RoomMsg::Join {
            name: name.to_string(),
            role: role.map(str::to_string),
            naming,
            reply,
        };
        self.tx
            .send(msg)
            .await
            .map_err(|_| "the drill has closed".to_string())?;
        rx.await.map_err(|_| "the drill has closed".to_string())?
    }

    /// Sends an input; fails only when the room is gone.
    pub async fn send(&self, seat: SeatId, action: Action) -> Result<(), String> {
        self.tx
            .send(RoomMsg::Input(Input::new(seat, action)))
            .await
            .map_err(|_| "the drill has closed".to_string())
    }

    pub async fn start(&self) {
        let _ = self.tx.send(RoomMsg::Start).await;
    }

    /// Ends the room and waits until it has closed, its recording finished; returns the
    /// recording's final status.
    pub async fn close(&self, reason: &str) -> Option<RecordingStatus> {
        let _ = self
            .tx
            .send(RoomMsg::Close {
                reason: reason.to_string(),
            })
            .await;
        let mut state = self.state.clone();
        let _ = state.wait_for(|s| s.closed.is_some()).await;
        state.borrow().recording.clone()
    }

    pub fn is_closed(&self) -> bool {
        self.tx.is_closed() || self.state.borrow().closed.is_some()
    }
}

struct Core {
    drill: Drill,
    journal: Journal,
    notice: Option<String>,
}

/// The recording, written off the runtime's threads: each input is written and flushed on the
/// blocking pool while the room task waits for it, so the input is on disk (in the OS) before
/// the room applies and publishes it, and a slow disk holds up only this room, never the
/// threads that serve other seats and rooms.
struct Journal {
    recorder: Option<Recorder>,
}

impl Journal {
    /// Writes one input at `beat`; what to tell the seats the moment recording stopped.
    async fn write(&mut self, beat: u64, input: &Input) -> Option<String> {
        let mut rec = self.recorder.take()?;
        let line = input.clone();
        let written = tokio::task::spawn_blocking(move || {
            // A failed write stops the recorder cleanly; its status says so just below.
            let _ = rec.record(beat, &line);
            let stopped = rec.take_stopped();
            (rec, stopped)
        })
        .await;
        match written {
            Ok((rec, stopped)) => {
                self.recorder = Some(rec);
                stopped.map(|s| s.to_string())
            }
            Err(e) => Some(format!(
                "the recorder stopped ({e}); nothing more is recorded"
            )),
        }
    }

    /// Ends the recording with its end line (off the runtime's threads), once.
    async fn finish(&mut self) -> Option<RecordingStatus> {
        let mut rec = self.recorder.take()?;
        tokio::task::spawn_blocking(move || rec.finish()).await.ok()
    }
}

impl Core {
    async fn apply(&mut self, input: Input) {
        if let Some(stopped) = self.journal.write(self.drill.beat, &input).await {
            self.notice = Some(stopped);
        }
        self.drill.apply(&input);
    }

    /// Whether a present seat holds `name`.
    fn held(&self, name: &str) -> bool {
        self.drill.seats.iter().any(|s| s.present && s.name == name)
    }

    /// The name a joining seat gets, or why it gets none.
    fn pick_name(&self, name: &str, naming: Naming) -> Result<String, String> {
        let base = crate::drill::seat_name(name);
        match naming {
            Naming::Exact if self.held(&base) => Err(format!(
                "`{base}` is already in this drill; pick another name"
            )),
            Naming::Exact => Ok(base),
            Naming::Derived => (1..=MAX_DERIVED)
                .map(|n| derived_name(&base, n))
                .find(|n| !self.held(n))
                .ok_or_else(|| {
                    format!("every seat name from `{base}` to `{base}-{MAX_DERIVED}` is taken")
                }),
        }
    }

    async fn join(
        &mut self,
        name: String,
        role: Option<String>,
        naming: Naming,
    ) -> Result<Seated, String> {
        if let Some(r) = &role
            && self.drill.scenario.role(r).is_none()
        {
            let known: Vec<&str> = self
                .drill
                .scenario
                .roles
                .iter()
                .map(|r| r.id.as_str())
                .collect();
            return Err(format!(
                "no role `{r}` in this scenario (roles: {})",
                known.join(", ")
            ));
        }
        let name = self.pick_name(&name, naming)?;
        let returning = self
            .drill
            .seats
            .iter()
            .find(|s| !s.present && s.name == name)
            .map(|s| s.id);
        let seat = returning
            .unwrap_or_else(|| self.drill.seats.iter().map(|s| s.id + 1).max().unwrap_or(0));
        let before = self.drill.log.len();
        let join = Action::Join {
            name: name.clone(),
            role,
        };
        self.apply(Input::new(seat, join)).await;
        match self.drill.log[before..]
            .iter()
            .find_map(|e| match &e.event {
                crate::drill::Event::Rejected { reason, .. } => Some(reason.clone()),
                _ => None,
            }) {
            Some(reason) => Err(reason),
            None => Ok(Seated { id: seat, name }),
        }
    }
}

/// The `n`th name derived from `base`: `base` itself, then `base-2`, `base-3`…, cut so that
/// it stays within what the drill keeps of a name.
pub fn derived_name(base: &str, n: usize) -> String {
    if n <= 1 {
        return crate::drill::seat_name(base);
    }
    let suffix = format!("-{n}");
    // The drill keeps at most 64 characters of a name (`drill::seat_name`).
    let keep = 64 - suffix.chars().count();
    let mut name: String = base.chars().take(keep).collect();
    name.push_str(&suffix);
    name
}

async fn run(
    drill: Drill,
    recorder: Option<Recorder>,
    mut rx: mpsc::Receiver<RoomMsg>,
    out: watch::Sender<RoomState>,
) {
    let mut metronome = Metronome::new(drill.bpm);
    let mut core = Core {
        drill,
        journal: Journal { recorder },
        notice: None,
    };
    let mut started = false;
    let mut closed = None;
    while closed.is_none() {
        let beat = metronome.next().map(Instant::from_std);
        tokio::select! {
            msg = rx.recv() => match msg {
                None => closed = Some("the host left".to_string()),
                Some(RoomMsg::Input(input)) => core.apply(input).await,
                Some(RoomMsg::Join { name, role, naming, reply }) => {
                    let _ = reply.send(core.join(name, role, naming).await);
                }
                Some(RoomMsg::Start) => started = true,
                Some(RoomMsg::Close { reason }) => closed = Some(reason),
            },
            _ = async { sleep_until(beat.unwrap_or_else(Instant::now)).await }, if beat.is_some() => {
                metronome.beat(Instant::now().into_std());
                core.apply(Input::new(0, Action::Tick)).await;
            }
        }
        let now = Instant::now().into_std();
        metronome.set_bpm(core.drill.bpm, now);
        let should_tick = started && core.drill.status == Status::Running;
        if should_tick && !metronome.running() {
            metronome.start(now);
        } else if !should_tick {
            metronome.stop();
        }
        let mut recording = None;
        if closed.is_some()
            && let Some(status) = core.journal.finish().await
        {
            if !status.complete {
                core.notice = Some(status.to_string());
            }
            recording = Some(status);
        }
        let state = RoomState {
            drill: Arc::new(core.drill.clone()),
            closed: closed.clone(),
            started,
            notice: core.notice.clone(),
            recording,
        };
        out.send_replace(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::bundled;

    #[tokio::test(start_paused = true)]
    async fn seats_share_one_drill_and_the_metronome_ticks_after_start() {
        let s = bundled().into_iter().next().unwrap().scenario;
        let room = Room::spawn("t".into(), Drill::new(s, 1), None);
        let a = room.join("ana", None).await.unwrap();
        let b = room.join("bo", None).await.unwrap();
        assert_ne!(a, b);
        let mut state = room.state();
        room.send(a, Action::Cue { cue: "ack".into() })
            .await
            .unwrap();
        state
            .wait_for(|s| s.drill.cues_done[0].is_some())
            .await
            .unwrap();
        assert_eq!(room.drill().beat, 0, "no beats before start");
        room.start().await;
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        assert!(
            room.drill().beat >= 2,
            "beats at 60 BPM: {}",
            room.drill().beat
        );
        // A seat that leaves can take its seat back by name.
        room.send(b, Action::Leave).await.unwrap();
        state
            .wait_for(|s| s.drill.seats.iter().any(|x| x.id == b && !x.present))
            .await
            .unwrap();
        assert_eq!(room.join("bo", None).await.unwrap(), b);
        room.close("done").await;
        state.wait_for(|s| s.closed.is_some()).await.unwrap();
    }

    fn bad_deploy() -> Drill {
        let s = bundled()
            .into_iter()
            .find(|e| e.scenario.meta.id == "bad-deploy")
            .unwrap()
            .scenario;
        Drill::new(s, 1)
    }

    fn join(d: &mut Drill, seat: SeatId, name: &str, role: Option<&str>) {
        d.apply(&Input::new(
            seat,
            Action::Join {
                name: name.into(),
                role: role.map(str::to_string),
            },
        ));
    }

    fn paused_by(d: &mut Drill, seat: SeatId) -> bool {
        d.apply(&Input::new(seat, Action::Pause));
        let paused = d.status == Status::Paused;
        d.apply(&Input::new(seat, Action::Resume));
        paused
    }

    #[test]
    fn without_a_facilitator_the_first_seat_conducts() {
        let mut d = bad_deploy();
        join(&mut d, 0, "ana", Some("commander"));
        join(&mut d, 1, "bo", Some("operator"));
        assert!(d.conducts(0) && !d.conducts(1));
        assert_eq!(d.conductor().map(|s| s.id), Some(0));
        assert!(paused_by(&mut d, 0), "the lead may pause");
        assert!(!paused_by(&mut d, 1));
        // The lead leaves: the next seat in join order conducts; back, it leads again.
        d.apply(&Input::new(0, Action::Leave));
        assert!(d.conducts(1));
        join(&mut d, 0, "ana", Some("commander"));
        assert!(d.conducts(0) && !d.conducts(1));
        // A facilitator sits down: it conducts, and the lead no longer does.
        join(&mut d, 2, "cy", Some("facilitator"));
        assert!(d.conducts(2) && !d.conducts(0));
        assert_eq!(d.conductor().map(|s| s.id), Some(2));
        assert!(!paused_by(&mut d, 0));
        // Every role may always conduct, alongside a facilitator.
        join(&mut d, 3, "dee", None);
        assert!(d.conducts(3) && d.conducts(2));
        assert!(!d.conducts(9), "a seat that never joined");
    }

    #[tokio::test(start_paused = true)]
    async fn a_pair_without_a_facilitator_can_start() {
        let room = Room::spawn("t".into(), bad_deploy(), None);
        let ic = room.join("ana", Some("commander")).await.unwrap();
        let op = room.join("bo", Some("operator")).await.unwrap();
        let state = room.state().borrow().clone();
        let mut bo = crate::seat::SeatSession::new(room.clone(), op);
        let enter =
            crate::input::Input::Key(crate::input::Key::plain(crate::input::KeyCode::Enter));
        let area = ratatui::layout::Rect::new(0, 0, 80, 24);
        assert!(!bo.on_input(&enter, &state, area).await);
        let flash = bo.view.flash.clone().unwrap().text;
        assert_eq!(flash, "waiting for ana to start");
        let mut ana = crate::seat::SeatSession::new(room.clone(), ic);
        assert!(!ana.on_input(&enter, &state, area).await);
        let mut rx = room.state();
        rx.wait_for(|s| s.started).await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn a_second_terminal_of_one_account_gets_a_seat_of_its_own() {
        let room = Room::spawn("t".into(), bad_deploy(), None);
        let host = room.join("ana", None).await.unwrap();
        let derived = |role| room.take_seat("ana", Some(role), Naming::Derived);
        let two = derived("operator").await.unwrap();
        assert_eq!(two.name, "ana-2");
        assert_ne!(two.id, host);
        assert_eq!(derived("commander").await.unwrap().name, "ana-3");
        // An exact name someone present holds stays a refusal.
        let taken = room.take_seat("ana-2", None, Naming::Exact).await;
        assert!(taken.unwrap_err().contains("already in this drill"));
        // ana-2 drops; the next derived join takes that seat back (same id), not a new one.
        room.send(two.id, Action::Leave).await.unwrap();
        let back = derived("operator").await.unwrap();
        assert_eq!(back, two);
        // Names stay within what the drill keeps.
        let long = "x".repeat(70);
        room.join(&long, None).await.unwrap();
        let cut = room.take_seat(&long, None, Naming::Derived).await.unwrap();
        assert_eq!(cut.name.chars().count(), 64);
        assert!(cut.name.ends_with("-2"));
        assert_eq!(derived_name("bo", 1), "bo");
    }
}
