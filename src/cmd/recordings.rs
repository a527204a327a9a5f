//! `gamelan recordings`, and opening a recording for replay and debrief.

use super::shell::*;
use crate::config::Paths;
use crate::record::{self};
use crate::scenario::{self, Catalogue};
use color_eyre::eyre::{Result, eyre};
use std::io::Write;
use std::path::PathBuf;

/// Where a recording is read from, and against which scenario.
#[derive(Debug, clap::Args)]
pub struct RecordingArgs {
    /// Recording file (a path, or a file name in the data directory's recordings folder).
    pub recording: PathBuf,
    /// Scenario to replay against (id or file); default: the one the recording names.
    #[arg(long)]
    pub scenario: Option<String>,
    /// Replay even if the scenario changed since the recording was made.
    #[arg(long)]
    pub force: bool,
}

/// A recording argument as a path: the file, or a file of that name in the recordings folder.
pub(crate) fn recording_path(paths: &Paths, arg: &std::path::Path) -> PathBuf {
    if !arg.exists() && arg.components().count() == 1 && paths.recordings().join(arg).exists() {
        return paths.recordings().join(arg);
    }
    arg.to_path_buf()
}

pub(crate) fn open_recording(
    paths: &Paths,
    args: &RecordingArgs,
) -> Result<(record::Recording, scenario::Entry)> {
    let mut path = args.recording.clone();
    if !path.exists() && path.components().count() == 1 && paths.recordings().join(&path).exists() {
        path = paths.recordings().join(&path);
    }
    let rec = record::Recording::load(&path).map_err(|d| eyre!("{d}"))?;
    let catalogue = Catalogue::load(Some(&paths.scenarios()));
    let resolved = record::resolve(
        &rec,
        &catalogue,
        args.scenario.as_deref(),
        &mut record::SourceCache::default(),
    )
    .map_err(|d| eyre!("{}", crate::diag::render(&d)))?;
    if let Some(note) = &resolved.note {
        eprintln!("note: {note}");
    }
    Ok((rec, resolved.entry))
}

pub(crate) fn open_replay(paths: &Paths, args: &RecordingArgs) -> Result<record::Replay> {
    let (rec, entry) = open_recording(paths, args)?;
    let name = rec
        .path
        .as_ref()
        .map_or_else(String::new, |p| p.display().to_string());
    let replay =
        record::Replay::open(rec, entry.scenario, args.force).map_err(|e| eyre!("{name}: {e}"))?;
    for w in replay.warnings() {
        eprintln!("warning: {w}");
    }
    Ok(replay)
}

/// `gamelan recordings`.
#[derive(Debug, Default, clap::Args)]
pub struct RecordingsArgs {
    /// Also list the drills that never started (opened and left at the briefing).
    #[arg(long)]
    pub all: bool,
}

pub(crate) fn run(paths: &Paths, args: &RecordingsArgs, out: &mut dyn Write) -> Result<()> {
    let dir = paths.recordings();
    let catalogue = Catalogue::load(Some(&paths.scenarios()));
    // Session recordings are listed beside drills, with their own summary.
    let mut list: Vec<record::Summary> = record::summaries(&dir, &catalogue)
        .into_iter()
        .map(|s| crate::cmd::session::summary_of(&s.path).unwrap_or(s))
        .collect();
    if list.is_empty() {
        writeln!(out, "no recordings in {}", dir.display())?;
        return Ok(());
    }
    let total = list.len();
    if !args.all {
        list.retain(|s| !s.never_started);
    }
    let hidden = total - list.len();
    let hidden_note = match hidden {
        0 => None,
        1 => Some("1 drill that never started is not listed (--all lists it)".to_string()),
        n => Some(format!(
            "{n} drills that never started are not listed (--all lists them)"
        )),
    };
    if list.is_empty() {
        writeln!(out, "no started drills in {}", dir.display())?;
        if let Some(note) = hidden_note {
            writeln!(out, "{note}")?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "{:<21} {:<18} {:>6} {:>8}  {:<44} PATH",
        "STARTED", "SCENARIO", "BEATS", "STORY", "OUTCOME"
    )?;
    for s in list {
        let story = s
            .story_seconds
            .map_or_else(|| "-".into(), crate::clock::story_clock);
        writeln!(
            out,
            "{:<21} {:<18} {:>6} {:>8}  {:<44} {}",
            s.started,
            truncate(&s.scenario, 18),
            s.beats,
            story,
            s.outcome,
            s.path.display()
        )?;
    }
    if let Some(note) = hidden_note {
        writeln!(out, "{note}")?;
    }
    Ok(())
}
