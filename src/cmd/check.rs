//! `gamelan check`: every problem of every file, as file:line:col, then the warnings about the
//! files that are valid (legal, but almost certainly a mistake; they do not fail the check). A
//! file is a setlist or a deck when it has a `[setlist]` or `[deck]` table, a vista file when
//! it has `[vista]` or `[[panes]]` (and no `[scenario]`), a theme when it has `[styles]` or
//! `inherits` (or a `name` beside a misspelt `[styles]`), the settings file when it has a
//! `theme` or a `tempo` number at the top, a Grafana dashboard when it ends in `.json`, else a scenario. A directory stands
//! for the `.toml` and `.json` files under it.

use crate::config::Paths;
use crate::diag;
use crate::scenario::{self, Scenario};
use color_eyre::eyre::{Result, bail};
use std::io::Write;
use std::path::PathBuf;

pub(crate) fn run(paths: &Paths, files: &[PathBuf], out: &mut dyn Write) -> Result<()> {
    let mut problems = 0;
    let files = crate::cmd::check_kinds::expand(files);
    for f in &files {
        if f.extension().is_some_and(|e| e == "json") {
            let result = crate::cmd::check_kinds::check_dashboard(f);
            problems += report(out, f, result)?;
            continue;
        }
        // Read once, bounded, so a device or a huge file is an error rather than a hang.
        let text = diag::read_text(f, scenario::limits::MAX_FILE_BYTES);
        let kind = text.as_ref().ok().and_then(|t| {
            crate::cmd::session::kind_of(t).or_else(|| crate::cmd::check_kinds::kind_of(t))
        });
        let result = match (kind, text) {
            (Some("setlist"), Ok(t)) => crate::cmd::session::check_setlist(paths, f, t),
            (Some("vista"), Ok(t)) => crate::cmd::check_kinds::check_vista(f, &t),
            (Some("theme"), Ok(_)) => crate::cmd::check_kinds::check_theme(f),
            (Some("settings"), Ok(t)) => crate::cmd::check_kinds::check_settings(f, &t),
            (Some("matrix"), Ok(t)) => crate::cmd::matrix::check(f, &t),
            (Some(_), Ok(t)) => crate::cmd::session::check_deck(f, &t),
            _ => scenario::lint_file(f).map(|(s, warnings)| {
                for w in &warnings {
                    let _ = writeln!(out, "{w}");
                }
                summary(&s, warnings.len())
            }),
        };
        problems += report(out, f, result)?;
    }
    if files.is_empty() {
        bail!("no .toml or .json files to check");
    }
    if problems > 0 {
        bail!("{problems} problem(s) found");
    }
    Ok(())
}

/// Prints one file's outcome; returns how many problems it had.
fn report(
    out: &mut dyn Write,
    f: &std::path::Path,
    result: std::result::Result<String, Vec<diag::Diagnostic>>,
) -> Result<usize> {
    match result {
        Ok(summary) => {
            writeln!(out, "{}: ok ({summary})", f.display())?;
            Ok(0)
        }
        Err(diags) => {
            for d in &diags {
                writeln!(out, "{d}")?;
            }
            Ok(diags.len())
        }
    }
}

/// What a valid scenario holds, and how many warnings it had.
fn summary(s: &Scenario, warnings: usize) -> String {
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
    let warned = match warnings {
        0 => String::new(),
        1 => "; 1 warning".into(),
        n => format!("; {n} warnings"),
    };
    format!("{}: {}{warned}", s.meta.id, parts.join(", "))
}
