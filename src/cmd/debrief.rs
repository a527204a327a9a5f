//! `gamelan debrief`: the after-action report of a recording.

use crate::cmd::recordings::RecordingArgs;
use crate::cmd::recordings::open_replay;
use crate::config::Paths;
use color_eyre::eyre::{Result, eyre};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct DebriefArgs {
    #[command(flatten)]
    pub source: RecordingArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = DebriefFormat::Markdown)]
    pub format: DebriefFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DebriefFormat {
    Markdown,
    Json,
}

pub(crate) fn run(paths: &Paths, args: &DebriefArgs, out: &mut dyn Write) -> Result<()> {
    // A session recording gets the session's write-up.
    let path = crate::cmd::recordings::recording_path(paths, &args.source.recording);
    let session = crate::cmd::session::writeup_of_recording(&path, args.format)?;
    let text = match session {
        Some(text) => text,
        None => drill_report(paths, args)?,
    };
    match &args.output {
        Some(file) => std::fs::write(file, text)
            .map_err(|e| eyre!("{}: cannot write: {e}", file.display()))?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(())
}

fn drill_report(paths: &Paths, args: &DebriefArgs) -> Result<String> {
    let replay = open_replay(paths, &args.source)?;
    let report = crate::debrief::from_replay(&replay);
    Ok(match args.format {
        DebriefFormat::Markdown => crate::debrief::markdown(&report),
        DebriefFormat::Json => crate::debrief::json(&report),
    })
}
