//! `gamelan completions SHELL`: a completion script generated from the command line's
//! definition, so it never drifts from the real flags.

use crate::cli::Cli;
use clap::CommandFactory;
use clap_complete::Shell;
use color_eyre::eyre::Result;
use std::io::Write;

/// Writes the completion script for `shell`.
pub(crate) fn run(shell: Shell, out: &mut dyn Write) -> Result<()> {
    // clap_complete panics on a failed write; render in memory, write through `out`.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "gamelan", &mut script);
    out.write_all(&script)?;
    Ok(())
}
