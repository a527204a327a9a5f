//! What a session room runs beside the current segment: a walkthrough's vista (the real
//! vista runner on a vista.toml, or a drill's simulation for a scenario's vista) or a drill
//! segment's drill (a drill [`Room`] of its own, with the session's participants seated in it).
//! Both are shells around the pure core: what they learn reaches the session only as a
//! recorded room input (`show_vista`, `drill_report`).

use crate::drill::{Action, Drill, SeatId};
use crate::room::{Naming, Room, RoomState};
use crate::scenario::Scenario;
use crate::session::VistaShape;
use crate::vista::{VistaConfig, VistaHandle, VistaSnapshot};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::watch;

/// What the shell resolved for one segment: what the room runs while it is current.
#[derive(Debug, Clone, Default)]
pub enum StagePlan {
    /// Nothing beside the session (a wheel, a discussion).
    #[default]
    Nothing,
    /// A walkthrough of a vista.toml, polled live by the vista runner.
    Vista {
        shape: VistaShape,
        config: Arc<VistaConfig>,
    },
    /// A walkthrough of a scenario's simulated signals.
    Simulated {
        shape: VistaShape,
        scenario: Arc<Scenario>,
        seed: u64,
    },
    /// A matrix segment whose matrix is saved back to the user's file at the end.
    Matrix { save_to: Option<PathBuf> },
    /// A DRT segment: the scenario its table starts from (or the drill segment's run of it).
    Drt { scenario: Arc<Scenario> },
    /// A drill segment's drill.
    Drill {
        scenario: Arc<Scenario>,
        seed: u64,
        /// The tempo to run it at, when the shell overrides the scenario's.
        tempo: Option<u32>,
    },
}

impl StagePlan {
    /// The vista a walkthrough of this plan shows, for the session's `show_vista`.
    pub fn shape(&self) -> Option<&VistaShape> {
        match self {
            StagePlan::Vista { shape, .. } | StagePlan::Simulated { shape, .. } => Some(shape),
            _ => None,
        }
    }
}

/// The drill segment's drill as every seat sees it: its room and each participant's seat
/// in it (by session seat).
#[derive(Debug, Clone)]
pub struct DrillStage {
    pub segment: usize,
    pub room: Room,
    pub seats: Arc<BTreeMap<SeatId, SeatId>>,
}

impl DrillStage {
    /// The drill seat of session seat `seat`, if it plays in the drill.
    pub fn seat_of(&self, seat: SeatId) -> Option<SeatId> {
        self.seats.get(&seat).copied()
    }
}

/// What runs now.
pub(super) enum Live {
    Nothing,
    /// The vista runner's tasks (stopped when dropped) and its feed.
    Vista {
        segment: usize,
        _handle: VistaHandle,
        feed: watch::Receiver<Arc<VistaSnapshot>>,
    },
    Simulated {
        segment: usize,
        sim: Box<super::sim::SimVista>,
    },
    Drill {
        stage: DrillStage,
        state: watch::Receiver<RoomState>,
    },
}

impl Live {
    pub(super) fn segment(&self) -> Option<usize> {
        match self {
            Live::Nothing => None,
            Live::Vista { segment, .. } | Live::Simulated { segment, .. } => Some(*segment),
            Live::Drill { stage, .. } => Some(stage.segment),
        }
    }

    pub(super) fn drill(&self) -> Option<&DrillStage> {
        match self {
            Live::Drill { stage, .. } => Some(stage),
            _ => None,
        }
    }

    /// The vista's newest snapshot, in a walkthrough.
    pub(super) fn vista(&mut self) -> Option<Arc<VistaSnapshot>> {
        match self {
            Live::Vista { feed, .. } => Some(feed.borrow_and_update().clone()),
            Live::Simulated { sim, .. } => Some(sim.snapshot()),
            _ => None,
        }
    }
}

/// Starts the vista of a walkthrough segment whose charts open at `range` seconds.
pub(super) fn start_vista(segment: usize, plan: &StagePlan, range: u64) -> Live {
    match plan {
        StagePlan::Vista { config, .. } => {
            let handle = crate::vista::spawn(config);
            let feed = handle.subscribe();
            Live::Vista {
                segment,
                _handle: handle,
                feed,
            }
        }
        StagePlan::Simulated { scenario, seed, .. } => Live::Simulated {
            segment,
            sim: Box::new(super::sim::SimVista::new(scenario.clone(), *seed, range)),
        },
        _ => Live::Nothing,
    }
}

/// Opens a drill segment's drill, recorded in `recordings` when given, and seats the
/// session's present participants (`(seat, name)`, the facilitator first) in it.
pub(super) async fn start_drill(
    segment: usize,
    scenario: Arc<Scenario>,
    seed: u64,
    tempo: Option<u32>,
    recordings: Option<PathBuf>,
    people: Vec<(SeatId, String)>,
    name: &str,
) -> (Live, Option<String>) {
    let mut drill = Drill::new(scenario, seed);
    if let Some(bpm) = tempo {
        drill.bpm = crate::drill::clamp_tempo(bpm);
    }
    let mut notice = None;
    let recorder = match recordings {
        None => None,
        Some(dir) => {
            let header = crate::record::Header::for_drill(&drill, Vec::new());
            let path = crate::record::default_path(&dir, &header);
            let made = tokio::task::spawn_blocking(move || {
                crate::record::Recorder::create(&path, &header)
            })
            .await;
            match made {
                Ok(Ok(r)) => Some(r),
                Ok(Err(e)) => {
                    notice = Some(format!("the drill is not recorded: {e}"));
                    None
                }
                Err(e) => {
                    notice = Some(format!("the drill is not recorded: {e}"));
                    None
                }
            }
        }
    };
    let room = Room::spawn(format!("{name}-drill-{}", segment + 1), drill, recorder);
    let mut seats = BTreeMap::new();
    for (seat, who) in people {
        if let Ok(s) = room.take_seat(&who, None, Naming::Exact).await {
            seats.insert(seat, s.id);
        }
    }
    let state = room.state();
    let stage = DrillStage {
        segment,
        room,
        seats: Arc::new(seats),
    };
    (Live::Drill { stage, state }, notice)
}

/// Ends a drill that is still going (the facilitator moved on, or the session closed), the
/// way a headless run does, and closes its room; returns the drill as it ended.
pub(super) async fn stop_drill(stage: &DrillStage, reason: &str) -> Arc<Drill> {
    let drill = stage.room.drill();
    if !drill.is_ended()
        && let Ok(s) = stage.room.take_seat("session", None, Naming::Derived).await
    {
        let _ = stage
            .room
            .send(
                s.id,
                Action::End {
                    reason: reason.to_string(),
                },
            )
            .await;
    }
    stage.room.close(reason).await;
    stage.room.drill()
}

/// A present participant sat down (or came back) during the drill: a seat in it too.
pub(super) async fn seat_in_drill(stage: &mut DrillStage, seat: SeatId, name: &str) {
    if let Ok(s) = stage.room.take_seat(name, None, Naming::Exact).await {
        let mut seats = (*stage.seats).clone();
        seats.insert(seat, s.id);
        stage.seats = Arc::new(seats);
    }
}

/// A participant left the session during the drill: they leave the drill too.
pub(super) async fn leave_drill(stage: &DrillStage, seat: SeatId) {
    if let Some(id) = stage.seat_of(seat) {
        let _ = stage.room.send(id, Action::Leave).await;
    }
}

/// Whether the drill's own state says it is over.
pub(super) fn drill_over(state: &RoomState) -> bool {
    state.drill.is_ended() || state.closed.is_some()
}
