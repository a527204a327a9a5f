//! The command line. Each subcommand is a thin call into the library.

use crate::config::{Paths, Settings};
use crate::diag::{self, Diagnostic};
use crate::drill::Drill;
use crate::headless;
use crate::scenario::{self, Catalogue};
use clap::{Parser, Subcommand};
use color_eyre::eyre::{Result, bail, eyre};
use std::path::PathBuf;

/// gamelan: rehearse incidents in your terminal.
///
/// With no subcommand, opens the lobby: pick a scenario and press Enter.
#[derive(Debug, Parser)]
#[command(name = "gamelan", version, about, long_about = None)]
pub struct Cli {
    /// Theme name: dark, light, high-contrast, mono, or a file in the themes directory.
    #[arg(long, global = true)]
    pub theme: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the scenarios on offer (bundled and your own).
    Scenarios,
    /// Play a scenario: a bundled id or a path to a TOML file.
    Play(PlayArgs),
    /// Validate scenario files; prints every problem as file:line:col: message.
    Check {
        /// Scenario files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct PlayArgs {
    /// Bundled scenario id or path to a scenario file.
    pub scenario: String,
    /// Seed for the simulation's randomness (same seed, same drill).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Metronome tempo in beats per minute (default: the scenario's).
    #[arg(long)]
    pub tempo: Option<u32>,
    /// Run without a terminal, driven by a cue script; prints the outcome as Markdown.
    #[arg(long, requires = "cues")]
    pub headless: bool,
    /// Cue script for --headless: one `BEAT CUE` per line (e.g. `12 ack`, `3:2 rollback`).
    #[arg(long)]
    pub cues: Option<PathBuf>,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let paths = Paths::discover();
    match cli.command {
        Some(Command::Scenarios) => scenarios(&paths),
        Some(Command::Check { files }) => check(&files),
        Some(Command::Play(args)) if args.headless => play_headless(&paths, &args),
        Some(Command::Play(args)) => {
            let entry = find_scenario(&paths, &args.scenario)?;
            let settings = load_settings(&paths);
            crate::app::play(&paths, &settings, cli.theme.as_deref(), entry, args.seed, args.tempo)
        }
        None => {
            let settings = load_settings(&paths);
            crate::app::lobby(&paths, &settings, cli.theme.as_deref())
        }
    }
}

fn load_settings(paths: &Paths) -> Settings {
    Settings::load(&paths.settings_file()).unwrap_or_else(|d| {
        eprintln!("{}\n(using default settings)", diag::render(&d));
        Settings::default()
    })
}

fn find_scenario(paths: &Paths, arg: &str) -> Result<scenario::Entry> {
    let catalogue = Catalogue::load(Some(&paths.scenarios()));
    scenario::find(&catalogue, arg).map_err(|d| eyre!("{}", diag::render(&d)))
}

fn scenarios(paths: &Paths) -> Result<()> {
    let cat = Catalogue::load(Some(&paths.scenarios()));
    println!("{:<18} {:<13} {:>5}  {:<48} SOURCE", "ID", "DIFFICULTY", "MIN", "TITLE");
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

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).chain(['…']).collect() }
}

fn check(files: &[PathBuf]) -> Result<()> {
    let mut problems = 0;
    for f in files {
        match scenario::load_file(f) {
            Ok(s) => println!("{}: ok ({}: {} signals, {} injects, {} cues)", f.display(), s.meta.id, s.signals.len(), s.injects.len(), s.cues.len()),
            Err(diags) => {
                problems += diags.len();
                for d in diags {
                    println!("{d}");
                }
            }
        }
    }
    if problems > 0 {
        bail!("{problems} problem(s) found");
    }
    Ok(())
}

fn play_headless(paths: &Paths, args: &PlayArgs) -> Result<()> {
    let entry = find_scenario(paths, &args.scenario)?;
    let cues = args.cues.as_ref().ok_or_else(|| eyre!("--headless needs --cues FILE"))?;
    let name = cues.display().to_string();
    let src = std::fs::read_to_string(cues).map_err(|e| eyre!("{}", Diagnostic::whole(&name, format!("cannot read: {e}"))))?;
    let script = headless::parse_script(&src, &name, &entry.scenario).map_err(|d| eyre!("{}", diag::render(&d)))?;
    let mut drill = Drill::new(entry.scenario.clone(), args.seed);
    if let Some(bpm) = args.tempo {
        drill.bpm = bpm;
    }
    headless::run(&mut drill, &script, None);
    print!("{}", headless::outcome_markdown(&drill));
    Ok(())
}
