//! `gamelan export …` and `gamelan import …`: a scenario to and from the formats other tools
//! keep exercises in. Today the MSEL (docs/msel.md); other formats join as more subcommands.

use super::shell::find_scenario;
use crate::config::Paths;
use crate::diag;
use color_eyre::eyre::{Result, bail, eyre};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    /// A scenario's injects and expected actions as an MSEL (Master Scenario Events List) CSV.
    Msel {
        /// Bundled scenario id or path to a scenario file.
        scenario: String,
        /// Write the CSV to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE.csv")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// An MSEL CSV into a scenario skeleton (ID.toml) that passes `gamelan check`.
    Msel {
        /// The MSEL, as CSV with a header row.
        file: PathBuf,
        /// The scenario to write: ID.toml (its name is the scenario's id). Never overwritten.
        #[arg(short, long, value_name = "ID.toml")]
        output: PathBuf,
        /// The scenario's title (default: from the MSEL's file name).
        #[arg(long)]
        title: Option<String>,
    },
}

/// The largest MSEL read: 8 MiB, a scenario file's bound.
const MAX_MSEL_BYTES: usize = crate::scenario::limits::MAX_FILE_BYTES;

pub(crate) fn export(paths: &Paths, cmd: &ExportCommand, out: &mut dyn Write) -> Result<()> {
    let ExportCommand::Msel { scenario, output } = cmd;
    let entry = find_scenario(paths, scenario)?;
    let csv = crate::msel::export(&entry.scenario);
    match output {
        Some(file) => {
            std::fs::write(file, csv)
                .map_err(|e| eyre!("{}: cannot write: {e}", file.display()))?;
            eprintln!("wrote {}", file.display());
        }
        None => out.write_all(csv.as_bytes())?,
    }
    Ok(())
}

pub(crate) fn import(cmd: &ImportCommand, out: &mut dyn Write) -> Result<()> {
    let ImportCommand::Msel {
        file,
        output,
        title,
    } = cmd;
    if output.extension().is_none_or(|x| x != "toml") {
        bail!("{}: the scenario is written as ID.toml", output.display());
    }
    let id = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if output.exists() {
        bail!("{} already exists; nothing was written", output.display());
    }
    let name = file.display().to_string();
    let src = diag::read_text(file, MAX_MSEL_BYTES).map_err(|d| eyre!("{d}"))?;
    let opts = crate::msel::ImportOptions {
        id,
        title: title.clone(),
    };
    let toml =
        crate::msel::import(&src, &name, &opts).map_err(|d| eyre!("{}", diag::render(&d)))?;
    // The skeleton must load as it is written; if it does not, that is gamelan's bug, not the
    // user's, and nothing is written.
    if let Err(d) = crate::scenario::load_str(&toml, &output.display().to_string()) {
        bail!(
            "the skeleton made from {name} does not load (a gamelan bug):\n{}",
            diag::render(&d)
        );
    }
    std::fs::write(output, &toml).map_err(|e| eyre!("{}: cannot write: {e}", output.display()))?;
    writeln!(out, "wrote {}", output.display())?;
    writeln!(
        out,
        "next: fill in its TODOs, then gamelan check {}",
        output.display()
    )?;
    Ok(())
}
