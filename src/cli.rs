//! The command line. Each subcommand is a thin call into the library.

use crate::cmd::exit::Output;
use crate::cmd::{
    self,
    debrief::DebriefArgs,
    play::PlayArgs,
    replay::ReplayArgs,
    shell::{load_settings, load_settings_noisy},
};
use crate::config::Paths;
use clap::{Parser, Subcommand};
use color_eyre::eyre::Result;
use std::io::Write;
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
    Scenarios(cmd::scenarios::ScenariosArgs),
    /// Play a scenario: a bundled id or a path to a TOML file.
    Play(PlayArgs),
    /// The morning vista: live telemetry panes (this machine by default) with a guided tour.
    Vista {
        /// Vista config (default: vista.toml in the config directory, else this machine).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// View a Grafana dashboard directly, imported as `vista import grafana` does.
        #[arg(long, value_name = "DASHBOARD.json", conflicts_with = "config")]
        grafana: Option<PathBuf>,
        #[command(flatten)]
        grafana_opts: cmd::vista_import::GrafanaOpts,
        #[command(subcommand)]
        action: Option<cmd::vista_import::VistaAction>,
    },
    /// Validate scenario, setlist and deck files; prints every problem as file:line:col: message, and warnings.
    Check {
        /// Files to check (scenarios, setlists, decks).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Prove scenarios: the winning cue script meets every objective and the losing one does not, on every seed.
    Prove(cmd::prove::ProveArgs),
    /// Print the JSON Schema of the scenario format, for editors (see docs/scenario-format.md).
    Schema,
    /// Write a starter scenario ID.toml with ID.win.cues and ID.lose.cues.
    New(cmd::new::NewArgs),
    /// Record series from Prometheus as a scenario fragment ([[signals]] with samples to replay).
    Capture(crate::vista::capture::CaptureArgs),
    /// A weekly practice session from a setlist; `--headless --script FILE` prints its write-up.
    Session(crate::cmd::session::SessionArgs),
    /// List recorded drills: start, scenario, duration, outcome, file (`--all` adds drills that never started).
    Recordings(cmd::recordings::RecordingsArgs),
    /// Write the after-action report of a recorded drill.
    Debrief(DebriefArgs),
    /// Step through a recorded drill; `--headless --to BEAT` prints the state at a beat.
    Replay(ReplayArgs),
    /// Serve drills over SSH: `ssh -p PORT NAME@HOST` opens a lobby (see docs/ssh.md).
    Serve(crate::cmd::serve::ServeArgs),
    /// Host a drill others on this machine can join: `gamelan join NAME`.
    Host(crate::cmd::host::HostArgs),
    /// Join a drill hosted on this machine (NAME may be left out when only one is open).
    Join(crate::cmd::join::JoinArgs),
    /// List the drills open on this machine: name, scenario, state, seats.
    Drills,
    /// Print a shell completion script (e.g. `gamelan completions bash > ~/.local/share/bash-completion/completions/gamelan`).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page as roff (`gamelan man | man -l -`).
    Man,
    /// The team's record: every recorded drill as a table and a chart per scenario of time to detect, acknowledge, mitigate and resolve.
    History(cmd::history::HistoryArgs),
    /// Write a scenario in another tool's format: `gamelan export msel ID -o FILE.csv`.
    #[command(subcommand)]
    Export(cmd::exchange::ExportCommand),
    /// Make a scenario from another tool's format: `gamelan import msel FILE.csv -o ID.toml`.
    #[command(subcommand)]
    Import(cmd::exchange::ImportCommand),
    /// Knowledge matrices: `matrix import csv|prometheus ... -o M.matrix.toml`, `matrix export M.matrix.toml --format md|csv`.
    #[command(subcommand)]
    Matrix(cmd::matrix::MatrixCommand),
}

/// Runs the parsed command line. Everything a command prints to standard output goes through
/// one [`Output`]: when a write failed, that decides the ending (a quiet 141 for a closed
/// pipe, a clear error for a full disk), whatever the command made of it.
pub fn run(cli: Cli) -> Result<()> {
    let mut out = Output::new(std::io::stdout());
    let result = dispatch(cli, &mut out);
    out.finish()?;
    result
}

fn dispatch(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let paths = Paths::discover();
    let theme = cli.theme.as_deref();
    match cli.command {
        Some(Command::Scenarios(args)) => cmd::scenarios::run(&paths, &args, out),
        Some(Command::Vista {
            action: Some(cmd::vista_import::VistaAction::Import(from)),
            ..
        }) => match from {
            cmd::vista_import::ImportFrom::Grafana(args) => cmd::vista_import::run(&args, out),
        },
        Some(Command::Vista {
            grafana: Some(dashboard),
            grafana_opts,
            ..
        }) => cmd::vista::run_grafana(
            &paths,
            &load_settings(&paths),
            theme,
            &dashboard,
            &grafana_opts,
        ),
        Some(Command::Vista {
            config,
            grafana_opts,
            ..
        }) => {
            if grafana_opts.any() {
                color_eyre::eyre::bail!(
                    "--var, --prometheus, --row, --all-rows, --window, --refresh and --offline go with --grafana DASHBOARD.json"
                );
            }
            cmd::vista::run(&paths, &load_settings(&paths), theme, config)
        }
        Some(Command::Check { files }) => cmd::check::run(&paths, &files, out),
        Some(Command::Session(args)) => {
            cmd::session::run(&paths, &load_settings(&paths), theme, &args, out)
        }
        Some(Command::Prove(args)) => cmd::prove::run(&paths, &args, out),
        Some(Command::Schema) => cmd::schema::run(out),
        Some(Command::New(args)) => cmd::new::run(&args, out),
        Some(Command::Capture(args)) => cmd::capture::run(&args),
        Some(Command::Recordings(args)) => cmd::recordings::run(&paths, &args, out),
        Some(Command::Host(args)) => cmd::host::run(&paths, &load_settings(&paths), theme, &args),
        Some(Command::Join(args)) => cmd::join::run(&paths, &args),
        Some(Command::Drills) => cmd::drills::run(&paths, out),
        Some(Command::Serve(args)) => {
            cmd::serve::run(&paths, &load_settings_noisy(&paths), theme, &args)
        }
        Some(Command::Debrief(args)) => cmd::debrief::run(&paths, &args, out),
        Some(Command::Replay(args)) => cmd::replay::run(&paths, theme, &args, out),
        Some(Command::Play(args)) => {
            // Headless, there is no status line to show a bad config.toml on.
            let settings = if args.headless {
                load_settings_noisy(&paths)
            } else {
                load_settings(&paths)
            };
            cmd::play::run(&paths, &settings, theme, &args, out)
        }
        Some(Command::Completions { shell }) => cmd::completions::run(shell, out),
        Some(Command::Man) => cmd::man::run(out),
        Some(Command::History(args)) => cmd::history::run(&paths, &args, out),
        Some(Command::Export(c)) => cmd::exchange::export(&paths, &c, out),
        Some(Command::Import(c)) => cmd::exchange::import(&c, out),
        Some(Command::Matrix(c)) => cmd::matrix::run(&paths, &c, out),
        None => cmd::lobby::run(&paths, &load_settings(&paths), theme),
    }
}
