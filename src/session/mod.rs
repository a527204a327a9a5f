//! The weekly practice session, as a pure core like the drill's: a setlist of segments
//! (walkthrough, wheel, drill, discussion, matrix) run as one state machine driven by recorded
//! inputs.
//!
//! - [`setlist`] and [`deck`]: the files and their loaders (positioned diagnostics);
//! - [`input`]: [`SessionInput`], everything a person or the room can do, and the events;
//! - [`state`]: the [`Session`] itself; [`Session::apply`] changes it (in `apply`);
//! - [`wheel`]: the seeded spin and its animation as a pure function of beats;
//! - [`walkthrough`]: what a seat shows of the presenter's vista (follow or look around);
//! - [`writeup`]: who came, what each segment produced, gaps and action items;
//! - [`script`] and [`headless`]: session scripts and the runner behind `gamelan session
//!   --headless`; [`record`]: the recording format; [`bundled`]: the setlists and decks
//!   compiled into the binary.
//!
//! Nothing here does I/O: the shells read the files and hand over text, and everything the
//! shells learn (a vista's panes, a drill's outcome) arrives as an input, so a recording
//! replays a session exactly.

mod apply;
pub mod bundled;
pub mod deck;
mod drt;
pub mod headless;
pub mod input;
mod matrix;
pub(crate) mod reader;
pub mod record;
pub mod script;
pub mod setlist;
pub mod state;
mod turn;
pub mod walkthrough;
pub mod wheel;
pub mod writeup;

pub use apply::apply;
pub use deck::Deck;
pub use input::{Mark, SessionAction, SessionEvent, SessionInput, VistaShape};
pub use setlist::{Plan, Segment, SegmentKind, Setlist};
pub use state::Session;

/// Identifies a seat within one session (the same numbering as a drill's seats).
pub type SeatId = crate::drill::SeatId;

/// The room itself: ticks, and what the shell reports (a vista's panes, a drill's outcome).
/// No person sits here; inputs from it are the only ones that may carry those reports.
pub const ROOM: SeatId = SeatId::MAX;

/// Bounds on what one session holds, so that no input, however many, grows it without limit.
pub mod limits {
    /// Seats a session knows (present or not): 25 active seats and 100 observers fit easily.
    pub const SEATS: usize = 512;
    /// Characters of a seat's name.
    pub const NAME: usize = 64;
    /// Characters of a note, remark, escalation or reason.
    pub const TEXT: usize = 500;
    /// Notes or remarks kept per segment (or per wheel turn).
    pub const NOTES: usize = 2000;
    /// Wheel turns per wheel segment.
    pub const TURNS: usize = 500;
    /// Escalation targets named in one turn.
    pub const ESCALATIONS: usize = 8;
    /// Panes a shown vista may have.
    pub const PANES: usize = 64;
    /// Drill runs kept per drill segment.
    pub const DRILL_RUNS: usize = 16;
    /// Objectives kept in one drill outcome.
    pub const OBJECTIVES: usize = 64;
    /// Events kept in the session's log (the oldest refusals go first beyond this).
    pub const LOG: usize = 100_000;
    /// Longest a session may be planned for, in minutes (24 hours).
    pub const SESSION_MINUTES: f64 = 24.0 * 60.0;
}

/// FNV-1a 64 of a file's text as 16 hex digits: tells two versions of a file apart.
pub fn content_hash(src: &str) -> String {
    format!("{:016x}", crate::fnv::fnv1a(src.as_bytes()))
}

/// Text as the core keeps it: control characters (newlines too) become spaces, surrounding
/// space is trimmed, and at most `max` characters are kept.
pub fn clean(text: &str, max: usize) -> String {
    let kept: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .skip_while(|c| c.is_whitespace())
        .take(max)
        .collect();
    kept.trim_end().to_string()
}

/// A duration written as `90s`, `10m`, `1h30m` or `2d`, in seconds. Parts combine; a bare
/// number has no unit and is refused (minutes or seconds are never guessed).
pub fn parse_duration(s: &str) -> Result<u64, String> {
    let bad = || format!("`{s}` is not a duration like `90s`, `10m` or `1h30m`");
    if s.is_empty() {
        return Err(bad());
    }
    let mut total: u64 = 0;
    let mut num: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            let n = num
                .unwrap_or(0)
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d)));
            num = Some(n.ok_or_else(bad)?);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n = num.take().ok_or_else(bad)?;
        total = n
            .checked_mul(unit)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(bad)?;
    }
    if num.is_some() {
        return Err(bad());
    }
    Ok(total)
}

/// Seconds as `1h30m`, `10m`, `45s`: the inverse of [`parse_duration`] for display.
pub fn format_duration(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    for (n, unit) in [(d, 'd'), (h, 'h'), (m, 'm'), (s, 's')] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// A clock reading `M:SS` (or `H:MM:SS` past an hour) for `secs`.
pub fn clock(secs: u64) -> String {
    if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_trip_and_refuse_bare_numbers() {
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert!(parse_duration("90").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("99999999999999999999s").is_err());
        assert!(parse_duration("1x").is_err());
        assert_eq!(format_duration(5400), "1h30m");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(clock(754), "12:34");
        assert_eq!(clock(3723), "1:02:03");
    }

    #[test]
    fn clean_text_is_one_bounded_line() {
        assert_eq!(clean("  a\nb\u{1b}c  ", 10), "a b c");
        assert_eq!(clean("abcdef", 3), "abc");
    }
}
