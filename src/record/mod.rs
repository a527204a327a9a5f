//! Recordings: the append-only log of a drill's inputs, and replay, seek, fork and ghosts
//! over it ([`replay`]). The format is described in docs/recording-format.md.
//!
//! Because the drill core is deterministic, a recording is only the header (scenario, its
//! content hash, seed, tempo) and the inputs in order; replaying them rebuilds every state.
//! [`header`] and [`decode`] are pure (bytes in, a checked [`Recording`] out); [`file`] opens
//! files, [`recorder`] writes them, and a header started now reads the clock in `start`.

pub mod decode;
pub mod file;
pub mod header;
pub mod recorder;
pub mod replay;
pub mod source;
mod start;

#[cfg(test)]
mod proptests;

pub use decode::{Completeness, MAX_RECORDING_BYTES, Recorded, Recording, end_line, input_line};
pub use header::{CarriedVista, FORMAT_VERSION, Header, Parent, SeatEntry};
pub use recorder::{Failure, Recorder, RecordingStatus, Sink};
pub use replay::{Fork, Ghost, GhostCue, Replay, ReplayError, SNAPSHOT_EVERY};
pub use source::{Resolved, SourceCache, ghost_scenario, resolve};

use crate::diag::Diagnostic;
use crate::drill::{Action, Drill, Input, Status};
use crate::scenario::{Catalogue, Entry};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// RFC 3339 UTC to the second, e.g. `2025-05-01T14:03:09Z`.
pub fn rfc3339(t: SystemTime) -> String {
    crate::clock::format_rfc3339(crate::clock::to_unix(t))
}

/// Opens a new drill's recording at `path`. When it cannot be created the drill runs
/// unrecorded rather than not at all, and the notice says why.
pub fn create_or_notice(path: &Path, header: &Header) -> (Option<Recorder>, Option<String>) {
    match Recorder::create(path, header) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(format!("not recording: {e}"))),
    }
}

/// Where a new recording goes by default: `<dir>/<started>-<scenario>.jsonl`, with the
/// start time written without colons (`2025-05-01T140309Z`) so the name is portable, and a
/// `-2`, `-3`… suffix if that name is taken.
pub fn default_path(dir: &Path, header: &Header) -> PathBuf {
    unused_path(
        dir,
        &header.started,
        &crate::diag::id_safe(&header.scenario, usize::MAX),
    )
}

/// `<dir>/<stamp>-<name>.jsonl` with `started` (RFC 3339) written without colons, and a `-2`,
/// `-3`… suffix while that name is taken: one naming rule for drill and session recordings.
pub fn unused_path(dir: &Path, started: &str, name: &str) -> PathBuf {
    let stamp: String = started.chars().filter(|c| *c != ':').collect();
    let base = format!("{stamp}-{name}");
    let mut path = dir.join(format!("{base}.jsonl"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{base}-{n}.jsonl"));
        n += 1;
    }
    path
}

/// Applies `inputs` to `drill` the way a live drill does: each input is recorded at the
/// drill's beat and flushed before it is applied; after each tick the call sleeps `pace`
/// (zero for headless play at full speed).
pub fn perform(
    drill: &mut Drill,
    inputs: &[Input],
    rec: &mut Recorder,
    pace: Duration,
) -> io::Result<()> {
    for input in inputs {
        rec.record(drill.beat, input)?;
        drill.apply(input);
        if input.action == Action::Tick && !pace.is_zero() {
            std::thread::sleep(pace);
        }
    }
    Ok(())
}

/// The seats that join before the first tick of `inputs`: the seats known at the start, for
/// a header.
pub fn seats_at_start(inputs: &[Input]) -> Vec<SeatEntry> {
    let mut seats: Vec<SeatEntry> = Vec::new();
    for input in inputs.iter().take_while(|i| i.action != Action::Tick) {
        if let Action::Join { name, role } = &input.action {
            seats.retain(|s| s.seat != input.seat);
            seats.push(SeatEntry {
                seat: input.seat,
                name: name.clone(),
                role: role.clone(),
            });
        }
    }
    seats
}

/// The scenario to replay `rec` against ([`resolve`], without its note).
pub fn scenario_for(
    rec: &Recording,
    catalogue: &Catalogue,
    chosen: Option<&str>,
) -> Result<Entry, Vec<Diagnostic>> {
    resolve(rec, catalogue, chosen, &mut SourceCache::default()).map(|r| r.entry)
}

/// One line of `gamelan recordings`.
#[derive(Debug, Clone)]
pub struct Summary {
    pub path: PathBuf,
    pub started: String,
    pub scenario: String,
    /// The last beat of the rebuilt drill.
    pub beats: u64,
    /// Story time at that beat (`None` when the scenario is unknown).
    pub story_seconds: Option<u64>,
    /// How it ended, or why it could not be replayed.
    pub outcome: String,
    /// No beat was ever ticked: the drill was opened and left at its briefing.
    /// `gamelan recordings` hides these unless asked (`--all`).
    pub never_started: bool,
}

/// Reads and replays every `*.jsonl` in `dir`, oldest first. Unreadable files are listed
/// with their problem rather than left out.
pub fn summaries(dir: &Path, catalogue: &Catalogue) -> Vec<Summary> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut cache = SourceCache::default();
    let mut out: Vec<Summary> = files
        .iter()
        .map(|p| summarize_with(p, catalogue, &mut cache))
        .collect();
    out.sort_by(|a, b| a.started.cmp(&b.started).then_with(|| a.path.cmp(&b.path)));
    out
}

/// Reads and replays one recording for the listing.
pub fn summarize(path: &Path, catalogue: &Catalogue) -> Summary {
    summarize_with(path, catalogue, &mut SourceCache::default())
}

/// [`summarize`], compiling the scenarios recordings carry through `cache`.
pub fn summarize_with(path: &Path, catalogue: &Catalogue, cache: &mut SourceCache) -> Summary {
    let mut summary = Summary {
        path: path.to_path_buf(),
        started: String::new(),
        scenario: String::new(),
        beats: 0,
        story_seconds: None,
        outcome: String::new(),
        never_started: false,
    };
    let rec = match Recording::load(path) {
        Ok(r) => r,
        Err(e) => {
            summary.outcome = format!("unreadable: {}", e.message);
            return summary;
        }
    };
    summary.started.clone_from(&rec.header.started);
    summary.scenario.clone_from(&rec.header.scenario);
    summary.beats = rec.last_recorded_beat();
    summary.never_started = !rec.inputs.iter().any(|r| r.input.action == Action::Tick);
    let entry = match resolve(&rec, catalogue, None, cache) {
        Ok(r) => r.entry,
        Err(d) => {
            summary.outcome = if rec.header.scenario_source.is_some() {
                let first = d.first().map_or_else(String::new, ToString::to_string);
                format!("embedded scenario does not load: {first}")
            } else {
                "scenario not found".into()
            };
            if let Some(note) = rec.completeness.note() {
                summary.outcome = format!("{note}, {}", summary.outcome);
            }
            return summary;
        }
    };
    let changed = replay::check_scenario(&rec.header, &entry.scenario).is_err();
    let drill = replay::rebuild(&rec, entry.scenario.clone());
    summary.beats = drill.beat;
    summary.story_seconds = Some(drill.scenario.story_seconds(drill.beat));
    let status = match &drill.status {
        Status::Ended(reason) => format!("ended ({reason})"),
        Status::Paused | Status::Running => "stopped".into(),
    };
    let met = drill
        .objectives
        .iter()
        .filter(|v| matches!(v, crate::drill::Verdict::Met(_)))
        .count();
    summary.outcome = format!(
        "{status}, objectives {met} of {} met",
        drill.objectives.len()
    );
    if changed {
        summary.outcome.push_str(" (scenario changed since)");
    }
    if let Some(note) = rec.completeness.note() {
        summary.outcome = format!("{note}: {}", summary.outcome);
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn formats_utc_times() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(1_746_108_189)),
            "2025-05-01T14:03:09Z"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(4_102_444_799)),
            "2099-12-31T23:59:59Z"
        );
    }
}
