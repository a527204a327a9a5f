//! The morning vista's engine: live panes fed by sources (host, Prometheus, commands, log
//! files), each polled by its own task into ring buffers, never blocking another pane or the UI
//! ("Live sources are tasks" in DESIGN.md). Each task publishes whole values: the screen (in
//! `ui`) draws a [`VistaSnapshot`] at a given `now`, and redraws when [`VistaHandle::subscribe`]
//! sees a new one.
//!
//! ```no_run
//! # async fn demo() {
//! use gamelan::vista;
//! let config = vista::default_config(); // or VistaConfig::load(path) / load_or_default(&paths)
//! let handle = vista::spawn(&config);
//! let mut snapshots = handle.subscribe();
//! while snapshots.changed().await.is_ok() {
//!     let snap = snapshots.borrow_and_update().clone();
//!     for pane in &snap.panes {
//!         let st = &pane.state;
//!         println!("{}: {:?} {} series", pane.def.title, st.status, st.series.len());
//!     }
//! }
//! # }
//! ```
//!
//! The file format is described in docs/vista-format.md.

pub mod alert_groups;
pub mod annotation;
pub mod backfill;
pub mod capture;
pub mod config;
pub mod grafana;
pub mod regular;
pub mod ring;
pub mod runner;
pub mod snapshot;
pub mod source;
pub mod state;
/// Times and durations as vista files and `capture` write them (the project's one clock module).
pub use crate::clock as time;

pub use config::{
    Access, AmAlerts, Auth, CommandDef, Datasource, DatasourceKind, Defaults, Display, FileDef,
    Grid, GridCell, GridRow, Highlight, HostDef, HostMetric, Level, PaneDef, PaneSpec, Parse,
    PromAlerts, PromQuery, PromSlo, QueryMode, SourceDef, SourceSpec, SourceType, VistaConfig,
    compile_panes, default_config,
};
pub use ring::Ring;
pub use runner::{VistaHandle, backoff, spawn, spawn_on};
pub use snapshot::{PaneSnapshot, VistaSnapshot};
pub use source::Source;
pub use state::{AlertItem, Line, PaneError, PaneState, Reading, Series, SloReading, Status};
pub use time::{format_duration, parse_duration, parse_time};
