//! The lobbies: the local catalogue of scenarios, and the SSH lobby of open rooms and roles.

pub mod card;
pub mod catalogue;
pub mod filter;
mod list;
pub mod rooms;
