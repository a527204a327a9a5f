//! The joined terminal: a seat over a Unix socket. The host renders the seat (see
//! [`driver::drive`]) and the joining side is a thin raw-mode pipe: its key bytes and window
//! size go in, the host's screen updates come out. This module holds the wire protocol, the
//! socket files under the runtime directory, the host's accept loop and the joining side's pipe.
//!
//! Wire format: every message is one frame, `type: u8`, `length: u32` big-endian, then
//! `length` bytes of payload (at most [`MAX_FRAME`]). Hello, Query, Info and Bye carry small
//! JSON objects; Input and Output carry raw terminal bytes; Resize carries two big-endian u16
//! (columns, rows). A malformed frame closes that connection with a Bye saying what was wrong;
//! it never reaches the room. docs/pairs.md documents the protocol for other clients.

mod files;
mod host;
mod join;
mod session;
mod wire;

pub use files::*;
pub use host::*;
pub use join::*;
pub use wire::*;
