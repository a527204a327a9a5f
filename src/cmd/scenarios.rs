//! `gamelan scenarios`: the catalogue as a table.

use super::shell::*;
use crate::config::Paths;
use crate::scenario::Catalogue;
use color_eyre::eyre::Result;
use std::io::Write;

pub(crate) fn run(paths: &Paths, out: &mut dyn Write) -> Result<()> {
    let cat = Catalogue::load(Some(&paths.scenarios()));
    writeln!(
        out,
        "{:<18} {:<13} {:>5}  {:<48} SOURCE",
        "ID", "DIFFICULTY", "MIN", "TITLE"
    )?;
    for e in &cat.entries {
        let m = &e.scenario.meta;
        writeln!(
            out,
            "{:<18} {:<13} {:>5}  {:<48} {}",
            m.id,
            m.difficulty.label(),
            m.duration_minutes,
            truncate(&m.title, 48),
            e.origin.label()
        )?;
    }
    for d in &cat.problems {
        eprintln!("skipped: {d}");
    }
    Ok(())
}
