//! `gamelan check`: every problem of every file, as file:line:col.

use crate::scenario::{self};
use color_eyre::eyre::{Result, bail};
use std::io::Write;
use std::path::PathBuf;

pub(crate) fn run(files: &[PathBuf], out: &mut dyn Write) -> Result<()> {
    let mut problems = 0;
    for f in files {
        match scenario::load_file(f) {
            Ok(s) => writeln!(
                out,
                "{}: ok ({}: {} signals, {} injects, {} cues)",
                f.display(),
                s.meta.id,
                s.signals.len(),
                s.injects.len(),
                s.cues.len()
            )?,
            Err(diags) => {
                problems += diags.len();
                for d in diags {
                    writeln!(out, "{d}")?;
                }
            }
        }
    }
    if problems > 0 {
        bail!("{problems} problem(s) found");
    }
    Ok(())
}
