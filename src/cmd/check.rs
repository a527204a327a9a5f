//! `gamelan check`: every problem of every file, as file:line:col. A file is a setlist or a
//! deck when it has a `[setlist]` or `[deck]` table, else a scenario.

use crate::config::Paths;
use crate::scenario::{self};
use color_eyre::eyre::{Result, bail};
use std::io::Write;
use std::path::PathBuf;

pub(crate) fn run(paths: &Paths, files: &[PathBuf], out: &mut dyn Write) -> Result<()> {
    let mut problems = 0;
    for f in files {
        let text = std::fs::read_to_string(f).ok();
        let kind = text.as_deref().and_then(crate::cmd::session::kind_of);
        let result = match (kind, text) {
            (Some("setlist"), Some(t)) => crate::cmd::session::check_setlist(paths, f, t),
            (Some(_), Some(t)) => crate::cmd::session::check_deck(f, &t),
            _ => scenario::load_file(f).map(|s| {
                format!(
                    "{}: {} signals, {} injects, {} cues",
                    s.meta.id,
                    s.signals.len(),
                    s.injects.len(),
                    s.cues.len()
                )
            }),
        };
        match result {
            Ok(summary) => writeln!(out, "{}: ok ({summary})", f.display())?,
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
