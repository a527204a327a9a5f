//! `gamelan check`: every problem of every file, as file:line:col, then the warnings about
//! the files that are valid (legal, but almost certainly a mistake; they do not fail the check).

use crate::scenario::{self};
use color_eyre::eyre::{Result, bail};
use std::io::Write;
use std::path::PathBuf;

pub(crate) fn run(files: &[PathBuf], out: &mut dyn Write) -> Result<()> {
    let mut problems = 0;
    for f in files {
        match scenario::lint_file(f) {
            Ok((s, warnings)) => {
                for w in &warnings {
                    writeln!(out, "{w}")?;
                }
                let mut parts = vec![
                    format!("{} signals", s.signals.len()),
                    format!("{} injects", s.injects.len()),
                    format!("{} cues", s.cues.len()),
                ];
                if !s.decisions.is_empty() {
                    parts.push(format!("{} decision points", s.decisions.len()));
                }
                if !s.flags.is_empty() {
                    parts.push(format!("{} flags", s.flags.len()));
                }
                let warned = match warnings.len() {
                    0 => String::new(),
                    1 => "; 1 warning".into(),
                    n => format!("; {n} warnings"),
                };
                writeln!(
                    out,
                    "{}: ok ({}: {}{warned})",
                    f.display(),
                    s.meta.id,
                    parts.join(", ")
                )?
            }
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
