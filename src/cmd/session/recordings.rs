//! Session recordings among the others: `gamelan debrief` and `gamelan replay` print a
//! session recording's write-up, and `gamelan recordings` lists sessions beside drills.

use crate::cmd::debrief::DebriefFormat;
use crate::diag;
use crate::session::record;
use crate::session::state::Phase;
use crate::session::writeup;
use color_eyre::eyre::{Result, eyre};
use std::path::Path;

/// Reads `path` if it is a session recording: its text, or `None` (a drill's, or unreadable:
/// the caller treats it as a drill's).
fn session_text(path: &Path) -> Option<String> {
    // Read as recordings are: a regular file of bounded size, never blocking on a FIFO.
    let bytes = crate::record::file::read_regular(
        path,
        crate::record::MAX_RECORDING_BYTES,
        crate::record::decode::too_big,
    )
    .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    record::is_session_recording(text.lines().next().unwrap_or("")).then_some(text)
}

/// The write-up of a session recording at `path`, or `None` when the file is not one (it is
/// a drill's: the caller debriefs it as such).
pub(crate) fn writeup_of_recording(path: &Path, format: DebriefFormat) -> Result<Option<String>> {
    let Some(text) = session_text(path) else {
        return Ok(None);
    };
    let name = path.display().to_string();
    let rec = record::parse(&text, &name).map_err(|d| eyre!("{}", diag::render(&d)))?;
    let session = rec.replay().map_err(|d| eyre!("{}", diag::render(&d)))?;
    // The walkthroughs' vista files come from the recording, never from this machine.
    let w =
        writeup::build(&session, Some(rec.header.started.clone())).with_vistas(&rec.header.vistas);
    Ok(Some(match format {
        DebriefFormat::Markdown => writeup::markdown(&w),
        DebriefFormat::Json => writeup::json(&w),
    }))
}

/// A session recording's line in `gamelan recordings`, or `None` when `path` is not one.
pub(crate) fn summary_of(path: &Path) -> Option<crate::record::Summary> {
    let text = session_text(path)?;
    let mut summary = crate::record::Summary {
        path: path.to_path_buf(),
        started: String::new(),
        scenario: "session".into(),
        beats: 0,
        story_seconds: None,
        outcome: String::new(),
        // A session is listed whatever happened in it: who came is its record.
        never_started: false,
    };
    let name = path.display().to_string();
    let rec = match record::parse(&text, &name) {
        Ok(r) => r,
        Err(d) => {
            summary.outcome = format!(
                "unreadable: {}",
                d.first().map_or_else(String::new, |d| d.message.clone())
            );
            return Some(summary);
        }
    };
    summary.started.clone_from(&rec.header.started);
    summary.scenario = format!("session {}", rec.header.title);
    let session = match rec.replay() {
        Ok(s) => s,
        Err(d) => {
            summary.outcome = format!(
                "cannot replay: {}",
                d.first().map_or_else(String::new, |d| d.message.clone())
            );
            return Some(summary);
        }
    };
    summary.beats = session.beat;
    summary.story_seconds = Some(session.plan.setlist.seconds(session.beat));
    let people = session.seats.iter().filter(|s| !s.observer).count();
    let observers = session.seats.len() - people;
    let status = match &session.phase {
        Phase::Gathering => "gathering".to_string(),
        Phase::In { segment } => format!(
            "stopped in segment {} of {}",
            segment + 1,
            session.segments.len()
        ),
        Phase::Ended { reason } => format!("ended ({reason})"),
    };
    summary.outcome = format!("{status}, {people} people, {observers} observing");
    Some(summary)
}
