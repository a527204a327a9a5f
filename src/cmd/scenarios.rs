//! `gamelan scenarios`: the catalogue as a table.

use super::shell::*;
use crate::config::Paths;
use crate::scenario::Catalogue;
use color_eyre::eyre::Result;

pub(crate) fn run(paths: &Paths) -> Result<()> {
    let cat = Catalogue::load(Some(&paths.scenarios()));
    println!(
        "{:<18} {:<13} {:>5}  {:<48} SOURCE",
        "ID", "DIFFICULTY", "MIN", "TITLE"
    );
    for e in &cat.entries {
        let m = &e.scenario.meta;
        println!(
            "{:<18} {:<13} {:>5}  {:<48} {}",
            m.id,
            m.difficulty.label(),
            m.duration_minutes,
            truncate(&m.title, 48),
            e.origin.label()
        );
    }
    for d in &cat.problems {
        eprintln!("skipped: {d}");
    }
    Ok(())
}
