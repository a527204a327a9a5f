//! The lobbies: the local catalogue of scenarios, the SSH lobby of open rooms and roles, and
//! the recordings library both open.

pub mod card;
pub mod catalogue;
pub mod filter;
pub mod library;
mod list;
pub mod rooms;
