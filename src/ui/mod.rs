//! Drawing: pure functions from drill state to a ratatui buffer.

pub mod theme;
