//! The command line. Each subcommand is a thin call into the library.

use crate::cmd::{
    self, debrief::DebriefArgs, play::PlayArgs, replay::ReplayArgs, shell::load_settings,
};
use crate::config::Paths;
use clap::{Parser, Subcommand};
use color_eyre::eyre::Result;
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
    Serve(crate::cmd::serve::ServeArgs),
    /// Host a drill others on this machine can join: `gamelan join NAME`.
    Host(crate::cmd::host::HostArgs),
    /// Join a drill hosted on this machine (NAME may be left out when only one is open).
    Join(crate::cmd::join::JoinArgs),
    /// List the drills open on this machine: name, scenario, state, seats.
    Drills,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let paths = Paths::discover();
    let theme = cli.theme.as_deref();
    match cli.command {
        Some(Command::Scenarios) => cmd::scenarios::run(&paths),
        Some(Command::Vista { config }) => {
            cmd::vista::run(&paths, &load_settings(&paths), theme, config)
        }
        Some(Command::Check { files }) => cmd::check::run(&files),
        Some(Command::Capture(args)) => cmd::capture::run(&args),
        Some(Command::Recordings) => cmd::recordings::run(&paths),
        Some(Command::Host(args)) => cmd::host::run(&paths, &load_settings(&paths), theme, &args),
        Some(Command::Join(args)) => cmd::join::run(&paths, &args),
        Some(Command::Drills) => cmd::drills::run(&paths),
        Some(Command::Serve(args)) => cmd::serve::run(&paths, &load_settings(&paths), theme, &args),
        Some(Command::Debrief(args)) => cmd::debrief::run(&paths, &args),
        Some(Command::Replay(args)) => cmd::replay::run(&paths, theme, &args),
        Some(Command::Play(args)) => cmd::play::run(&paths, &load_settings(&paths), theme, &args),
        None => cmd::lobby::run(&paths, &load_settings(&paths), theme),
    }
}
