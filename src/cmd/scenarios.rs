//! `gamelan scenarios`: the catalogue as a table, filtered and sorted like the lobby.

use super::shell::*;
use crate::config::Paths;
use crate::scenario::query::{Query, Sort};
use crate::scenario::{Catalogue, Difficulty};
use color_eyre::eyre::{Result, eyre};
use std::io::Write;

/// `gamelan scenarios [filters]`.
#[derive(Debug, Clone, clap::Args)]
pub struct ScenariosArgs {
    /// Only this failure family (deploy, dependency, capacity, network, data, security, config, clock and so on).
    #[arg(long, value_name = "FAMILY")]
    pub family: Option<String>,
    /// Only scenarios with this tag (or family).
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Only this difficulty: intro, intermediate, advanced or expert.
    #[arg(long, value_name = "LEVEL")]
    pub difficulty: Option<String>,
    /// Only sessions planned for at most this many minutes.
    #[arg(long, value_name = "N")]
    pub max_minutes: Option<u32>,
    /// Order: id, difficulty, minutes or family.
    #[arg(long, value_name = "ORDER", default_value = "id")]
    pub sort: String,
    /// Also print each scenario's summary and the public write-up it is drawn from.
    #[arg(long)]
    pub long: bool,
}

impl ScenariosArgs {
    fn query(&self) -> Result<Query> {
        let difficulty = match &self.difficulty {
            None => None,
            Some(d) => Some(Difficulty::parse(d).ok_or_else(|| {
                eyre!("--difficulty {d}: expected intro, intermediate, advanced or expert")
            })?),
        };
        let sort = Sort::parse(&self.sort).ok_or_else(|| {
            eyre!(
                "--sort {}: expected id, difficulty, minutes or family",
                self.sort
            )
        })?;
        Ok(Query {
            family: self.family.clone(),
            tag: self.tag.clone(),
            difficulty,
            max_minutes: self.max_minutes,
            sort,
        })
    }
}

pub(crate) fn run(paths: &Paths, args: &ScenariosArgs, out: &mut dyn Write) -> Result<()> {
    let query = args.query()?;
    let cat = Catalogue::load(Some(&paths.scenarios()));
    let picked = query.select(&cat.entries);
    let id_w = picked
        .iter()
        .map(|&i| cat.entries[i].scenario.meta.id.chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    writeln!(
        out,
        "{:<id_w$} {:<13} {:>5}  {:<11} {:<48} ORIGIN",
        "ID", "DIFFICULTY", "MIN", "FAMILY", "TITLE"
    )?;
    for &i in &picked {
        let e = &cat.entries[i];
        let m = &e.scenario.meta;
        writeln!(
            out,
            "{:<id_w$} {:<13} {:>5}  {:<11} {:<48} {}",
            m.id,
            m.difficulty.label(),
            m.duration_minutes,
            truncate(m.family.as_deref().unwrap_or("-"), 11),
            truncate(&m.title, 48),
            e.origin.label()
        )?;
        if args.long {
            writeln!(out, "{:id_w$}   {}", "", m.summary.trim())?;
            if let Some(src) = &m.source {
                writeln!(out, "{:id_w$}   drawn from: {}", "", src.line())?;
            }
        }
    }
    if picked.is_empty() {
        writeln!(out, "no scenario matches ({})", query.describe())?;
    }
    for d in &cat.problems {
        eprintln!("skipped: {d}");
    }
    Ok(())
}
