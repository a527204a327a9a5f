//! The commands: one file a command, each a thin shell that reads files, prepares the terminal
//! or the runtime, and calls the library. `shell` holds what they share.

pub(crate) mod capture;
pub(crate) mod check;
pub(crate) mod check_kinds;
pub(crate) mod completions;
pub(crate) mod debrief;
pub(crate) mod drills;
pub(crate) mod exchange;
pub mod exit;
pub(crate) mod history;
pub(crate) mod host;
pub(crate) mod join;
pub(crate) mod library;
pub(crate) mod lobby;
pub mod man;
pub(crate) mod matrix;
pub mod new;
pub(crate) mod play;
pub mod prove;
pub(crate) mod recordings;
pub(crate) mod replay;
pub(crate) mod scenarios;
pub(crate) mod schema;
pub(crate) mod serve;
pub mod session;
pub mod shell;
pub mod signals;
pub(crate) mod vista;
pub mod vista_import;
