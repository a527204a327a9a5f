//! Themes (being written).
