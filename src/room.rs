//! A room: one authoritative drill in a tokio task. Seats send it inputs over a channel; it
//! applies them in order (recording each), ticks the metronome, and publishes every new state
//! on a `watch` channel that each seat redraws from. Nothing here knows about terminals.

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
    /// A new seat (or a returning one, matched by name while absent) asks for a seat id.
    Join {
        name: String,
        role: Option<String>,
        reply: oneshot::Sender<Result<SeatId, String>>,
    },
    /// Start the metronome (the briefing is over).
    Start,
    /// End the room and tell every seat why.
    Close { reason: String },
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

    /// Joins as a new seat, or takes back an absent seat of the same name.
    pub async fn join(&self, name: &str, role: Option<&str>) -> Result<SeatId, String> {
        let (reply, rx) = oneshot::channel();
        let msg = RoomMsg::Join {
            name: name.to_string(),
            role: role.map(str::to_string),
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
    recorder: Option<Recorder>,
    notice: Option<String>,
}

impl Core {
    fn apply(&mut self, input: Input) {
        match &mut self.recorder {
            Some(r) => {
                r.apply(&mut self.drill, &input);
                if let Some(status) = r.take_stopped() {
                    self.notice = Some(status.to_string());
                }
            }
            None => {
                self.drill.apply(&input);
            }
        }
    }

    fn join(&mut self, name: String, role: Option<String>) -> Result<SeatId, String> {
        let name = crate::drill::seat_name(&name);
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
        if self.drill.seats.iter().any(|s| s.present && s.name == name) {
            return Err(format!(
                "`{name}` is already in this drill; pick another name"
            ));
        }
        let returning = self
            .drill
            .seats
            .iter()
            .find(|s| !s.present && s.name == name)
            .map(|s| s.id);
        let seat = returning
            .unwrap_or_else(|| self.drill.seats.iter().map(|s| s.id + 1).max().unwrap_or(0));
        let before = self.drill.log.len();
        self.apply(Input::new(seat, Action::Join { name, role }));
        match self.drill.log[before..]
            .iter()
            .find_map(|e| match &e.event {
                crate::drill::Event::Rejected { reason, .. } => Some(reason.clone()),
                _ => None,
            }) {
            Some(reason) => Err(reason),
            None => Ok(seat),
        }
    }
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
        recorder,
        notice: None,
    };
    let mut started = false;
    let mut closed = None;
    while closed.is_none() {
        let beat = metronome.next().map(Instant::from_std);
        tokio::select! {
            msg = rx.recv() => match msg {
                None => closed = Some("the host left".to_string()),
                Some(RoomMsg::Input(input)) => core.apply(input),
                Some(RoomMsg::Join { name, role, reply }) => {
                    let _ = reply.send(core.join(name, role));
                }
                Some(RoomMsg::Start) => started = true,
                Some(RoomMsg::Close { reason }) => closed = Some(reason),
            },
            _ = async { sleep_until(beat.unwrap_or_else(Instant::now)).await }, if beat.is_some() => {
                metronome.beat(Instant::now().into_std());
                core.apply(Input::new(0, Action::Tick));
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
            && let Some(mut r) = core.recorder.take()
        {
            let status = r.finish();
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
}
