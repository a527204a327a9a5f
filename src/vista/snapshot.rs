//! What the screen draws from: whole, immutable values. Each pane's task publishes a
//! [`PaneSnapshot`] after every change (a copy of its series rings, lines, health and error, and
//! the times of its last poll); the runner keeps them in one [`VistaSnapshot`] behind an `Arc`
//! in a `watch` channel. A view borrows a snapshot and a `now` and draws; it never waits for a
//! source, takes a lock or reads a clock, so a frame is a pure function of its inputs.

use super::config::{Grid, PaneDef, VistaConfig};
use super::state::{PaneState, Status};
use std::sync::Arc;

/// One pane as last published.
#[derive(Debug, Clone)]
pub struct PaneSnapshot {
    pub def: Arc<PaneDef>,
    pub state: PaneState,
    /// Which running task this pane came from (stable across reloads that keep the pane).
    pub(crate) slot: u64,
}

impl PaneSnapshot {
    /// A pane's definition with a given state (for tests and for panes that have not polled).
    pub fn new(def: Arc<PaneDef>, state: PaneState) -> PaneSnapshot {
        PaneSnapshot {
            def,
            state,
            slot: 0,
        }
    }
}

/// The whole vista at one moment: its config, where each pane goes, and every pane.
#[derive(Debug, Clone)]
pub struct VistaSnapshot {
    pub config: Arc<VistaConfig>,
    pub grid: Grid,
    /// In the config's order.
    pub panes: Vec<Arc<PaneSnapshot>>,
    /// Bumped on every publish.
    pub version: u64,
    /// The annotation sources' markers, in the config's order.
    pub marks: Arc<Vec<super::annotation::MarkSet>>,
    /// The time on the vista's own clock when this was taken, when it is not the wall clock:
    /// a simulated vista's story time, which its points are stamped with and its charts end at.
    pub clock: Option<f64>,
}

/// Lines a pane of this definition keeps.
pub fn line_capacity(def: &PaneDef) -> usize {
    use super::config::SourceDef;
    match &def.source {
        SourceDef::File(f) => f.lines,
        SourceDef::Command(c) => c.lines,
        SourceDef::Host(h) if h.is_processes() => h.lines,
        _ => 1,
    }
}

impl VistaSnapshot {
    /// A vista whose panes hold the given states, in the config's order (a pane without a state
    /// is waiting). Handy for drawing a known vista in a test.
    pub fn new(config: &VistaConfig, states: Vec<PaneState>) -> VistaSnapshot {
        let mut states = states.into_iter();
        let panes = config
            .panes
            .iter()
            .map(|def| {
                let state = states
                    .next()
                    .unwrap_or_else(|| PaneState::new(config.history, line_capacity(def)));
                Arc::new(PaneSnapshot::new(Arc::new(def.clone()), state))
            })
            .collect();
        VistaSnapshot {
            config: Arc::new(config.clone()),
            grid: config.grid(),
            panes,
            version: 0,
            marks: Arc::default(),
            clock: None,
        }
    }

    /// The pane with this id.
    pub fn pane(&self, id: &str) -> Option<&PaneSnapshot> {
        self.panes.iter().map(Arc::as_ref).find(|p| p.def.id == id)
    }

    /// Panes whose last poll failed.
    pub fn failing(&self) -> usize {
        self.panes
            .iter()
            .filter(|p| p.state.status == Status::Error)
            .count()
    }
}
