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
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A reference run of the same scenario: its lifecycle marks and cues beside these.
    #[arg(long, value_name = "OTHER.jsonl")]
    pub ghost: Option<PathBuf>,
}

/// The forms of a written report (a session's write-up has these two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DebriefFormat {
    Markdown,
    Json,
}

/// The forms of a drill's debrief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Json,
    /// One self-contained page with charts, for a browser or to print.
    Html,
}

pub(crate) fn run(paths: &Paths, args: &DebriefArgs, out: &mut dyn Write) -> Result<()> {
    // A session recording gets the session's write-up.
    let path = crate::cmd::recordings::recording_path(paths, &args.source.recording);
    let as_session = match args.format {
        ReportFormat::Markdown => DebriefFormat::Markdown,
        // A session's write-up has no page of its own yet: say so rather than guess.
        ReportFormat::Json | ReportFormat::Html => DebriefFormat::Json,
    };
    let session = crate::cmd::session::writeup_of_recording(&path, as_session)?;
    if session.is_some() && args.format == ReportFormat::Html {
        return Err(eyre!(
            "{}: a session recording's write-up comes as markdown or json, not html",
            path.display()
        ));
    }
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
    let mut report = crate::debrief::from_replay(&replay);
    if let Some(path) = &args.ghost {
        let rec = crate::record::Recording::load(path).map_err(|d| eyre!("{d}"))?;
        let ghost = crate::record::Ghost::from_recording(
            &rec,
            replay.scenario().clone(),
            args.source.force,
        )
        .map_err(|e| eyre!("{}: {e}", path.display()))?;
        report.ghost = Some(crate::debrief::GhostRow::new(&label_of(path), &ghost));
    }
    Ok(match args.format {
        ReportFormat::Markdown => crate::debrief::markdown(&report),
        ReportFormat::Json => crate::debrief::json(&report),
        ReportFormat::Html => {
            let catalogue = crate::scenario::Catalogue::load(Some(&paths.scenarios()));
            let runs = scenario_runs(&paths.recordings(), &catalogue, &replay);
            crate::debrief::html::html_with_history(&report, &runs)
        }
    })
}

/// Every recorded run of the replayed scenario in `dir` (the data directory's recordings),
/// this one included (added when its file lies elsewhere), for the page's "this scenario over
/// time".
pub(crate) fn scenario_runs(
    dir: &std::path::Path,
    catalogue: &crate::scenario::Catalogue,
    replay: &crate::record::Replay,
) -> Vec<crate::history::Row> {
    let id = &replay.header().scenario;
    let mut rows = if dir.is_dir() {
        crate::history::load::rows(dir, catalogue, Some(id)).rows
    } else {
        Vec::new()
    };
    let header = replay.header();
    if !rows
        .iter()
        .any(|r| r.started == header.started && r.seed == header.seed)
    {
        let rec = replay.recording();
        let name = rec
            .path
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        rows.push(crate::history::Row::of(
            replay.final_drill(),
            header,
            &name,
            rec.completeness.note().is_some(),
        ));
    }
    rows
}

/// What a reference run is called: its file name without the extension.
pub(crate) fn label_of(path: &std::path::Path) -> String {
    path.file_stem()
        .map_or_else(|| "reference".into(), |s| s.to_string_lossy().into_owned())
}
