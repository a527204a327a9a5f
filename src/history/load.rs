//! Reading a directory of recordings into [`Row`]s, fast enough for a thousand: each file is
//! read once, a `--scenario` filter looks at the header line alone before anything else is
//! parsed, each scenario a recording carries is compiled once per content hash, and a drill is
//! rebuilt straight through (no seek snapshots). Files are spread over the machine's cores.

use super::Row;
use crate::drill::Action;
use crate::record::file::read_regular;
use crate::record::{self, MAX_RECORDING_BYTES, Recording, SourceCache};
use crate::scenario::Catalogue;
use std::path::{Path, PathBuf};

/// What a directory of recordings holds for the history.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// One row a recorded drill, by start.
    pub rows: Vec<Row>,
    /// Drills opened and left at their briefing (no beat ticked): not part of the record.
    pub never_started: usize,
    /// Recordings that could not be read or replayed, each as `file: problem`.
    pub problems: Vec<String>,
}

/// The rows of every `*.jsonl` in `dir` (only those of scenario `only`, when given). A
/// directory that cannot be read is a problem, not a panic.
pub fn rows(dir: &Path, catalogue: &Catalogue, only: Option<&str>) -> Loaded {
    let files = match std::fs::read_dir(dir) {
        Ok(read) => {
            let mut files: Vec<PathBuf> = read
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect();
            files.sort();
            files
        }
        Err(e) => {
            return Loaded {
                problems: vec![format!("{}: cannot read the directory: {e}", dir.display())],
                ..Loaded::default()
            };
        }
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
        .min(files.len().max(1));
    let chunk = files.len().div_ceil(workers).max(1);
    let parts: Vec<Loaded> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || rows_of(part, catalogue, only)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut all = Loaded::default();
    for p in parts {
        all.rows.extend(p.rows);
        all.never_started += p.never_started;
        all.problems.extend(p.problems);
    }
    super::sort_rows(&mut all.rows);
    all
}

fn rows_of(files: &[PathBuf], catalogue: &Catalogue, only: Option<&str>) -> Loaded {
    let mut out = Loaded::default();
    let mut cache = SourceCache::default();
    for path in files {
        match row_of(path, catalogue, only, &mut cache) {
            Ok(Some(row)) => out.rows.push(row),
            Ok(None) => {}
            Err(Skip::NeverStarted) => out.never_started += 1,
            Err(Skip::Problem(p)) => out.problems.push(p),
        }
    }
    out
}

enum Skip {
    NeverStarted,
    Problem(String),
}

/// The row of one recording; `Ok(None)` when it is of another scenario than `only`.
fn row_of(
    path: &Path,
    catalogue: &Catalogue,
    only: Option<&str>,
    cache: &mut SourceCache,
) -> Result<Option<Row>, Skip> {
    let name = path.display().to_string();
    let bytes = read_regular(path, MAX_RECORDING_BYTES, record::decode::too_big)
        .map_err(|m| Skip::Problem(format!("{name}: {m}")))?;
    if let Some(id) = only {
        // The header line alone says whose recording it is.
        let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
        let header = std::str::from_utf8(first)
            .ok()
            .and_then(|l| record::header::parse(l).ok());
        if header.is_some_and(|h| h.scenario != id) {
            return Ok(None);
        }
    }
    let mut rec = Recording::parse(&bytes, &name).map_err(|d| Skip::Problem(d.to_string()))?;
    rec.path = Some(path.to_path_buf());
    if only.is_some_and(|id| rec.header.scenario != id) {
        return Ok(None);
    }
    if !rec.inputs.iter().any(|r| r.input.action == Action::Tick) {
        return Err(Skip::NeverStarted);
    }
    let entry = record::resolve(&rec, catalogue, None, cache)
        .map_err(|d| Skip::Problem(crate::diag::render(&d)))?
        .entry;
    if let Err(e) = record::replay::check_scenario(&rec.header, &entry.scenario) {
        return Err(Skip::Problem(format!("{name}: {e}")));
    }
    let drill = record::replay::rebuild(&rec, entry.scenario);
    let incomplete = rec.completeness.note().is_some();
    Ok(Some(Row::of(&drill, &rec.header, &name, incomplete)))
}
