//! The command line. Each subcommand is a thin call into the library.

use crate::config::{Paths, Settings};
use crate::diag::{self, Diagnostic};
use crate::drill::Drill;
use crate::headless;
use crate::record;
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
    /// The morning vista: live telemetry panes (this machine by default) with a guided tour.
    Vista {
        /// Vista config (default: vista.toml in the config directory, else this machine).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Validate scenario files; prints every problem as file:line:col: message.
    Check {
        /// Scenario files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Record series from Prometheus as a scenario fragment ([[signals]] with samples to replay).
    Capture(crate::vista::capture::CaptureArgs),
    /// List recorded drills: start, scenario, duration, outcome, file.
    Recordings,
    /// Write the after-action report of a recorded drill.
    Debrief(DebriefArgs),
    /// Step through a recorded drill; `--headless --to BEAT` prints the state at a beat.
    Replay(ReplayArgs),
    /// Serve drills over SSH: `ssh -p PORT NAME@HOST` opens a lobby (see docs/ssh.md).
    Serve(crate::serve::ServeArgs),
    /// Host a drill others on this machine can join: `gamelan join NAME`.
    Host(crate::host::HostArgs),
    /// Join a drill hosted on this machine (NAME may be left out when only one is open).
    Join(crate::host::JoinArgs),
    /// List the drills open on this machine: name, scenario, state, seats.
    Drills,
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
    /// Record the drill's inputs to PATH (JSON Lines), or with no PATH to the data
    /// directory's recordings folder; replay with `gamelan replay`.
    #[arg(long, value_name = "PATH")]
    pub record: Option<Option<PathBuf>>,
    /// A vista file whose live panes are shown beside the drill (overrides the scenario's).
    #[arg(long, value_name = "FILE")]
    pub vista: Option<PathBuf>,
    /// Test hook: milliseconds to sleep after each beat of a recorded headless play.
    #[arg(long, hide = true, default_value_t = 0)]
    pub pace_ms: u64,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let paths = Paths::discover();
    match cli.command {
        Some(Command::Scenarios) => scenarios(&paths),
        Some(Command::Vista { config }) => {
            crate::morning::run(&paths, &load_settings(&paths), cli.theme.as_deref(), config)
        }
        Some(Command::Check { files }) => check(&files),
        Some(Command::Capture(args)) => capture(&args),
        Some(Command::Recordings) => recordings(&paths),
        Some(Command::Host(args)) => {
            let settings = load_settings(&paths);
            crate::host::host(&paths, &settings, cli.theme.as_deref(), &args)
        }
        Some(Command::Join(args)) => crate::host::join(&paths, &args),
        Some(Command::Drills) => crate::host::drills(&paths),
        Some(Command::Serve(args)) => serve(&paths, cli.theme.as_deref(), &args),
        Some(Command::Debrief(args)) => debrief(&paths, &args),
        Some(Command::Replay(args)) => replay(&paths, cli.theme.as_deref(), &args),
        Some(Command::Play(args)) if args.headless => play_headless(&paths, &args),
        Some(Command::Play(args)) => {
            let entry = find_scenario(&paths, &args.scenario)?;
            let settings = load_settings(&paths);
            let record = args.record.clone().flatten();
            let opts = crate::app::PlayOptions {
                seed: args.seed,
                tempo: args.tempo,
                record,
                vista: args.vista.clone(),
            };
            crate::app::play(&paths, &settings, cli.theme.as_deref(), entry, opts)
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

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

fn check(files: &[PathBuf]) -> Result<()> {
    let mut problems = 0;
    for f in files {
        match scenario::load_file(f) {
            Ok(s) => println!(
                "{}: ok ({}: {} signals, {} injects, {} cues)",
                f.display(),
                s.meta.id,
                s.signals.len(),
                s.injects.len(),
                s.cues.len()
            ),
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
    let cues = args
        .cues
        .as_ref()
        .ok_or_else(|| eyre!("--headless needs --cues FILE"))?;
    let name = cues.display().to_string();
    let src = std::fs::read_to_string(cues)
        .map_err(|e| eyre!("{}", Diagnostic::whole(&name, format!("cannot read: {e}"))))?;
    let script = headless::parse_script(&src, &name, &entry.scenario)
        .map_err(|d| eyre!("{}", diag::render(&d)))?;
    let mut drill = Drill::new(entry.scenario.clone(), args.seed);
    if let Some(bpm) = args.tempo {
        drill.bpm = bpm;
    }
    if args.record.is_some() {
        return play_headless_recorded(paths, args, drill, &script);
    }
    headless::run(&mut drill, &script, None);
    print!("{}", headless::outcome_markdown(&drill));
    Ok(())
}

// ---- recordings, replay, debrief (issue 3) ----

/// Where a recording is read from, and against which scenario.
#[derive(Debug, clap::Args)]
pub struct RecordingArgs {
    /// Recording file (a path, or a file name in the data directory's recordings folder).
    pub recording: PathBuf,
    /// Scenario to replay against (id or file); default: the one the recording names.
    #[arg(long)]
    pub scenario: Option<String>,
    /// Replay even if the scenario changed since the recording was made.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct DebriefArgs {
    #[command(flatten)]
    pub source: RecordingArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = DebriefFormat::Markdown)]
    pub format: DebriefFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DebriefFormat {
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    #[command(flatten)]
    pub source: RecordingArgs,
    /// Print the state at `--to` as Markdown instead of opening the replay console.
    #[arg(long)]
    pub headless: bool,
    /// Beat to stop at: a beat number or `bar:beat` (default: the end of the recording).
    #[arg(long, value_name = "BEAT")]
    pub to: Option<String>,
    /// Another recording of the same scenario to overlay on the timeline (e.g. an expert's).
    #[arg(long, value_name = "OTHER.jsonl")]
    pub ghost: Option<PathBuf>,
}

/// The interactive replay: the console rebuilt from the recording, with transport keys.
fn replay_console(
    paths: &Paths,
    theme: Option<&str>,
    args: &ReplayArgs,
    replay: record::Replay,
) -> Result<()> {
    let ghost = match &args.ghost {
        None => None,
        Some(path) => {
            let rec = record::Recording::load(path).map_err(|d| eyre!("{d}"))?;
            let g =
                record::Ghost::from_recording(&rec, replay.scenario().clone(), args.source.force)
                    .map_err(|e| eyre!("{}: {e}", path.display()))?;
            let label = path
                .file_stem()
                .map_or_else(|| "ghost".into(), |s| s.to_string_lossy().into_owned());
            Some(crate::trainer::ghost_overlay(&label, &g))
        }
    };
    let settings = load_settings(paths);
    let (theme, _) = crate::app::theme_for(paths, &settings, theme);
    crate::trainer::run(paths, theme, crate::trainer::Trainer::new(replay, ghost))
}

fn play_headless_recorded(
    paths: &Paths,
    args: &PlayArgs,
    mut drill: Drill,
    script: &[headless::ScriptLine],
) -> Result<()> {
    // The script's inputs come from `headless::run` itself; they are then performed on the
    // drill the way a live drill takes them: recorded and flushed, then applied.
    let inputs = headless::run(&mut drill.clone(), script, None);
    let header = record::Header::for_drill(&drill, record::seats_at_start(&inputs));
    let path = match &args.record {
        Some(Some(p)) => p.clone(),
        _ => record::default_path(&paths.recordings(), &header),
    };
    let mut recorder = record::Recorder::create(&path, &header)?;
    let pace = std::time::Duration::from_millis(args.pace_ms);
    let performed = record::perform(&mut drill, &inputs, &mut recorder, pace);
    let status = recorder.finish();
    if performed.is_err() || !status.complete {
        bail!("{}", status.exit_message());
    }
    print!("{}", headless::outcome_markdown(&drill));
    eprintln!("{}", status.exit_message());
    Ok(())
}

fn open_recording(
    paths: &Paths,
    args: &RecordingArgs,
) -> Result<(record::Recording, scenario::Entry)> {
    let mut path = args.recording.clone();
    if !path.exists() && path.components().count() == 1 && paths.recordings().join(&path).exists() {
        path = paths.recordings().join(&path);
    }
    let rec = record::Recording::load(&path).map_err(|d| eyre!("{d}"))?;
    let catalogue = Catalogue::load(Some(&paths.scenarios()));
    let entry = record::scenario_for(&rec, &catalogue, args.scenario.as_deref())
        .map_err(|d| eyre!("{}", diag::render(&d)))?;
    Ok((rec, entry))
}

fn open_replay(paths: &Paths, args: &RecordingArgs) -> Result<record::Replay> {
    let (rec, entry) = open_recording(paths, args)?;
    let name = rec
        .path
        .as_ref()
        .map_or_else(String::new, |p| p.display().to_string());
    let replay =
        record::Replay::open(rec, entry.scenario, args.force).map_err(|e| eyre!("{name}: {e}"))?;
    for w in replay.warnings() {
        eprintln!("warning: {w}");
    }
    Ok(replay)
}

fn recordings(paths: &Paths) -> Result<()> {
    let dir = paths.recordings();
    let catalogue = Catalogue::load(Some(&paths.scenarios()));
    let list = record::summaries(&dir, &catalogue);
    if list.is_empty() {
        println!("no recordings in {}", dir.display());
        return Ok(());
    }
    println!(
        "{:<21} {:<18} {:>6} {:>8}  {:<44} PATH",
        "STARTED", "SCENARIO", "BEATS", "STORY", "OUTCOME"
    );
    for s in list {
        let story = s
            .story_seconds
            .map_or_else(|| "-".into(), headless::story_clock);
        println!(
            "{:<21} {:<18} {:>6} {:>8}  {:<44} {}",
            s.started,
            truncate(&s.scenario, 18),
            s.beats,
            story,
            s.outcome,
            s.path.display()
        );
    }
    Ok(())
}

fn debrief(paths: &Paths, args: &DebriefArgs) -> Result<()> {
    let replay = open_replay(paths, &args.source)?;
    let report = crate::debrief::from_replay(&replay);
    let text = match args.format {
        DebriefFormat::Markdown => crate::debrief::markdown(&report),
        DebriefFormat::Json => crate::debrief::json(&report),
    };
    match &args.output {
        Some(file) => std::fs::write(file, text)
            .map_err(|e| eyre!("{}: cannot write: {e}", file.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}

fn replay(paths: &Paths, theme: Option<&str>, args: &ReplayArgs) -> Result<()> {
    let replay = open_replay(paths, &args.source)?;
    if !args.headless {
        return replay_console(paths, theme, args, replay);
    }
    let last = replay.last_beat();
    let beat = match &args.to {
        None => last,
        Some(text) => {
            let bpb = replay.scenario().tempo.beats_per_bar;
            scenario::position::Position::parse(text)
                .and_then(|p| p.resolve(bpb))
                .map_err(|e| eyre!("--to: {e}"))?
        }
    };
    if beat > last {
        eprintln!("note: the recording ends at beat {last}; showing that beat");
    }
    print!("{}", headless::outcome_markdown(&replay.state_at(beat)));
    Ok(())
}

// ---- capture (issue 5) ----

/// `gamelan capture`: the fragment goes to the file (or stdout), the summary to stderr.
fn capture(args: &crate::vista::capture::CaptureArgs) -> Result<()> {
    let summary = crate::vista::capture::run(args).map_err(|e| eyre!("capture: {e}"))?;
    eprintln!("{summary}");
    Ok(())
}

// ---- serve (SSH seats) ----

/// `gamelan serve`: drills over SSH until SIGINT/SIGTERM.
fn serve(paths: &Paths, theme: Option<&str>, args: &crate::serve::ServeArgs) -> Result<()> {
    let settings = load_settings(paths);
    crate::serve::run(paths, &settings, theme, args)
}
