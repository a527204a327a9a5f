//! gamelan: a terminal rehearsal console for on-call teams. The library holds everything; the
//! binary only parses arguments. See DESIGN notes in the README for the shape: a pure drill
//! core ([`drill`]) fed by inputs, with thin shells (terminal, recording) around it. It
//! exports what the binary, the tests and the benches use; the rest is `pub(crate)`.

pub mod cli;
pub mod clock;
pub mod cmd;
pub mod config;
pub mod debrief;
pub mod decade;
pub mod diag;
pub mod drill;
pub mod drt;
pub(crate) mod fnv;
pub mod headless;
pub mod history;
pub mod input;
pub mod keymap;
pub mod matrix;
pub(crate) mod metronome;
pub mod msel;
pub mod record;
pub mod room;
pub mod scenario;
pub mod seat;
pub mod session;
pub(crate) mod theme_files;
pub mod ui;
pub mod vista;
pub(crate) mod watch;
