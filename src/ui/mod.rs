//! Drawing: pure functions from drill state and a seat's view to a ratatui buffer.

pub mod chart;
pub mod console;
pub mod document;
pub mod help;
pub mod layout;
pub mod lobby;
pub mod seat;
pub mod text;
pub mod theme;
pub mod timeline;
pub mod vista;
