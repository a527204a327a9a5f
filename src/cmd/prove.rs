//! `gamelan prove`: every scenario's winning and losing cue scripts across a range of seeds.
//! A bundled scenario's scripts are compiled in; a file's are found beside it (`ID.win.cues`,
//! `ID.lose.cues`) or in `tests/scripts/`.

use crate::config::Paths;
use crate::diag;
use crate::drill::prove::prove;
use crate::drill::script::{MAX_SCRIPT_BYTES, ScriptLine, parse_script};
use crate::scenario::{self, Catalogue, Entry, Origin};
use color_eyre::eyre::{Result, bail};
use std::io::Write;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct ProveArgs {
    /// Bundled scenario ids or scenario files (default: every bundled scenario).
    pub scenarios: Vec<String>,
    /// Seeds to prove on: `A..B` (both included) or one seed.
    #[arg(long, default_value = "1..20", value_parser = parse_seeds)]
    pub seeds: RangeInclusive<u64>,
}

/// `A..B` (inclusive) or `N`.
pub fn parse_seeds(s: &str) -> Result<RangeInclusive<u64>, String> {
    let num = |t: &str| {
        t.trim()
            .parse::<u64>()
            .map_err(|_| format!("`{t}` is not a seed (a whole number)"))
    };
    let (a, b) = match s.split_once("..") {
        Some((a, b)) => (num(a)?, num(b.trim_start_matches('='))?),
        None => (num(s)?, num(s)?),
    };
    if a > b {
        return Err(format!(
            "the range {a}..{b} is empty; write the smaller seed first"
        ));
    }
    if b - a >= 100_000 {
        return Err("at most 100000 seeds at a time".into());
    }
    Ok(a..=b)
}

pub(crate) fn run(paths: &Paths, args: &ProveArgs, out: &mut dyn Write) -> Result<()> {
    let started = std::time::Instant::now();
    let entries: Vec<Result<Entry, String>> = if args.scenarios.is_empty() {
        scenario::bundled().into_iter().map(Ok).collect()
    } else {
        let catalogue = Catalogue::load(Some(&paths.scenarios()));
        args.scenarios
            .iter()
            .map(|a| scenario::find(&catalogue, a).map_err(|d| diag::render(&d)))
            .collect()
    };
    let (mut failures, mut failed, mut runs) = (0, 0, 0);
    for entry in &entries {
        let entry = match entry {
            Ok(e) => e,
            Err(msg) => {
                writeln!(out, "{msg}")?;
                failures += 1;
                failed += 1;
                continue;
            }
        };
        let s = &entry.scenario;
        let id = &s.meta.id;
        let scripts =
            scripts(entry).and_then(|(win, lose)| Ok((parse(&win, s)?, parse(&lose, s)?)));
        let (win, lose) = match scripts {
            Ok(x) => x,
            Err(msg) => {
                writeln!(out, "{id}: {msg}")?;
                failures += 1;
                failed += 1;
                continue;
            }
        };
        let proof = prove(s, &win, &lose, args.seeds.clone());
        runs += proof.runs;
        if proof.failures.is_empty() {
            let (lo, hi) = proof.lose_missed.unwrap_or((0, 0));
            let missed = if lo == hi {
                lo.to_string()
            } else {
                format!("{lo} to {hi}")
            };
            writeln!(
                out,
                "{id}: ok (seeds {}..{}: the winning path meets all {} objectives; the losing path misses {missed})",
                args.seeds.start(),
                args.seeds.end(),
                s.objectives.len()
            )?;
        } else {
            failed += 1;
            failures += proof.failures.len();
            for f in &proof.failures {
                writeln!(out, "{id}: {}", f.describe(s))?;
            }
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "proved {} scenario(s), {runs} runs, in {:.0} ms",
        entries.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    if failures > 0 {
        bail!("{failures} failure(s) in {failed} scenario(s)");
    }
    Ok(())
}

/// A script's text and the name to report it by.
struct Script {
    name: String,
    src: String,
}

fn parse(script: &Script, s: &scenario::Scenario) -> Result<Vec<ScriptLine>, String> {
    parse_script(&script.src, &script.name, s).map_err(|d| diag::render(&d))
}

/// The winning and losing scripts of a scenario.
fn scripts(entry: &Entry) -> Result<(Script, Script), String> {
    let id = &entry.scenario.meta.id;
    match &entry.origin {
        Origin::Bundled => {
            let (win, lose) = scenario::bundled_scripts(id).ok_or("no bundled scripts for it")?;
            let script = |kind: &str, src: &str| Script {
                name: format!("scenarios/{id}.{kind}.cues"),
                src: src.to_string(),
            };
            Ok((script("win", win), script("lose", lose)))
        }
        Origin::File(path) => Ok((find(path, id, "win")?, find(path, id, "lose")?)),
        Origin::Recording(_) => Err("a scenario read from a recording has no cue scripts".into()),
    }
}

/// `ID.KIND.cues` beside the scenario file (by its file name, then by its id), else in
/// `tests/scripts/`.
fn find(path: &Path, id: &str, kind: &str) -> Result<Script, String> {
    let dir = path.parent().unwrap_or(Path::new(""));
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let mut tried: Vec<PathBuf> = Vec::new();
    for name in stem.iter().map(String::as_str).chain([id]) {
        tried.push(dir.join(format!("{name}.{kind}.cues")));
    }
    tried.push(Path::new("tests/scripts").join(format!("{id}.{kind}.cues")));
    tried.dedup();
    for p in &tried {
        match diag::read_text_if_exists(p, MAX_SCRIPT_BYTES) {
            Ok(Some(src)) => {
                return Ok(Script {
                    name: p.display().to_string(),
                    src,
                });
            }
            Ok(None) => {}
            Err(d) => return Err(d.to_string()),
        }
    }
    let what = if kind == "win" { "winning" } else { "losing" };
    let looked: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
    Err(format!(
        "no {what} cue script (looked for {})",
        looked.join(", ")
    ))
}
