//! A session room: one authoritative [`Session`] in a tokio task, like a drill's room. Seats
//! send it actions; it stamps each with its metronome's beat, records it (flushed before it
//! is applied), applies it, and publishes one shared snapshot on a `watch` channel: the
//! session, the walkthrough's vista and the drill segment's drill room. The metronome ticks
//! at the setlist's tempo and each beat publishes one snapshot that every seat draws at its
//! own size. What the room runs beside a segment (a vista, a drill) is in [`stage`]; its
//! recording in [`journal`]; its DRT tables saved beside the recording in [`drt_files`]; the
//! open sessions of a `serve` in [`registry`].

mod core;
pub mod drt_files;
pub mod journal;
pub mod registry;
mod sim;
pub mod stage;

pub use journal::SessionRecorder;
pub use sim::SimVista;
pub use stage::{DrillStage, StagePlan};

use crate::room::{Naming, Seated};
use crate::session::{Plan, SeatId, Session, SessionAction};
use crate::vista::VistaSnapshot;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, watch};

/// What a session room needs to open.
pub struct SessionSpec {
    /// The room's name, which others join by.
    pub name: String,
    pub plan: Arc<Plan>,
    pub seed: u64,
    /// Per segment, what runs beside it.
    pub stages: Vec<StagePlan>,
    pub recorder: Option<SessionRecorder>,
    /// When the session started (RFC 3339), for the write-up.
    pub started: String,
    /// Where the drill segments' drills are recorded (`None`: not recorded).
    pub drill_recordings: Option<PathBuf>,
}

/// Messages a session room accepts.
#[derive(Debug)]
pub enum SessionMsg {
    /// An action of a seated person.
    Act { seat: SeatId, action: SessionAction },
    /// A new seat, or a returning one (matched by name while absent).
    Join {
        name: String,
        observer: bool,
        naming: Naming,
        reply: oneshot::Sender<Result<Seated, String>>,
    },
    /// End the room and tell every seat why.
    Close { reason: String },
}

/// What the room saved when the session ended or the room closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub recording: Option<PathBuf>,
    /// The write-up, Markdown and JSON, beside the recording.
    pub writeup: Option<(PathBuf, PathBuf)>,
    /// Inputs recorded.
    pub inputs: u64,
    /// The matrices the session filled, where they were saved (beside the write-up, and back
    /// to the user's own files).
    pub matrices: Vec<PathBuf>,
    /// Each DRT segment's table, Markdown and CSV, beside the recording.
    pub drt: Vec<(PathBuf, PathBuf)>,
    /// What went wrong recording or saving, if anything.
    pub problem: Option<String>,
}

impl Saved {
    /// One line for the terminal once it is back.
    pub fn message(&self) -> String {
        let mut out = match &self.recording {
            Some(p) => format!(
                "session recorded to {} ({} inputs; gamelan debrief {0})",
                p.display(),
                self.inputs
            ),
            None => "the session was not recorded".to_string(),
        };
        if let Some((md, js)) = &self.writeup {
            out.push_str(&format!(
                "\nwrite-up saved to {} and {}",
                md.display(),
                js.display()
            ));
        }
        for m in &self.matrices {
            out.push_str(&format!("\nmatrix saved to {}", m.display()));
        }
        for (md, csv) in &self.drt {
            out.push_str(&format!(
                "\nDRT table saved to {} and {}",
                md.display(),
                csv.display()
            ));
        }
        if let Some(p) = &self.problem {
            out.push_str(&format!("\n{p}"));
        }
        out
    }
}

/// The one snapshot every seat draws from.
#[derive(Debug, Clone)]
pub struct SessionState {
    pub session: Arc<Session>,
    /// A walkthrough's vista, as of the last beat.
    pub vista: Option<Arc<VistaSnapshot>>,
    /// A drill segment's drill, while it runs.
    pub drill: Option<DrillStage>,
    /// Set when the room has closed: seats show the reason and leave.
    pub closed: Option<String>,
    /// A recording problem (or where the write-up went) for every seat's status line.
    pub notice: Option<String>,
    /// What was saved, once the session ended (again when the room closed).
    pub saved: Option<Saved>,
}

/// A handle to a running session room; cheap to clone.
#[derive(Debug, Clone)]
pub struct SessionRoom {
    pub name: String,
    /// Where the room records, if it does.
    pub recording: Option<PathBuf>,
    tx: mpsc::Sender<SessionMsg>,
    state: watch::Receiver<SessionState>,
}

/// What a send fails with once the room is gone.
pub const CLOSED: &str = "the session has closed";

impl SessionRoom {
    /// Starts a session room task on the current runtime.
    pub fn spawn(spec: SessionSpec) -> SessionRoom {
        let (tx, rx) = mpsc::channel(1024);
        let session = Session::new(spec.plan.clone(), spec.seed);
        let initial = SessionState {
            session: Arc::new(session.clone()),
            vista: None,
            drill: None,
            closed: None,
            notice: None,
            saved: None,
        };
        let (state_tx, state) = watch::channel(initial);
        let recording = spec.recorder.as_ref().map(|r| r.path().to_path_buf());
        let name = spec.name.clone();
        tokio::spawn(core::run(spec, session, rx, state_tx));
        SessionRoom {
            name,
            recording,
            tx,
            state,
        }
    }

    pub fn state(&self) -> watch::Receiver<SessionState> {
        self.state.clone()
    }

    /// The session as last published.
    pub fn session(&self) -> Arc<Session> {
        self.state.borrow().session.clone()
    }

    /// Takes a seat as a participant (`observer: false`) or an observer, named as `naming`
    /// says; a returning name takes its absent seat back and lands in the current segment.
    pub async fn join(&self, name: &str, observer: bool, naming: Naming) -> Result<Seated, String> {
        let (reply, rx) = oneshot::channel();
        let msg = SessionMsg::Join {
            name: name.to_string(),
            observer,
            naming,
            reply,
        };
        self.tx.send(msg).await.map_err(|_| CLOSED.to_string())?;
        rx.await.map_err(|_| CLOSED.to_string())?
    }

    /// Sends a seat's action; fails only when the room is gone. Whether the session allows
    /// it is the core's call (a refusal is recorded and logged).
    pub async fn act(&self, seat: SeatId, action: SessionAction) -> Result<(), String> {
        self.tx
            .send(SessionMsg::Act { seat, action })
            .await
            .map_err(|_| CLOSED.to_string())
    }

    /// Ends the room and waits until it has closed (its drill stopped, its recording and
    /// write-up saved); returns what was saved.
    pub async fn close(&self, reason: &str) -> Option<Saved> {
        let _ = self
            .tx
            .send(SessionMsg::Close {
                reason: reason.to_string(),
            })
            .await;
        let mut state = self.state.clone();
        let _ = state.wait_for(|s| s.closed.is_some()).await;
        state.borrow().saved.clone()
    }

    pub fn is_closed(&self) -> bool {
        self.tx.is_closed() || self.state.borrow().closed.is_some()
    }
}

#[cfg(test)]
mod tests;
