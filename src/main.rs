use clap::Parser;
use std::io::Write;

fn main() {
    gamelan::cmd::shell::one_heap();
    if let Err(e) = gamelan::cmd::shell::install_hooks() {
        let _ = writeln!(std::io::stderr(), "gamelan: {e}");
    }
    if let Err(err) = gamelan::cli::run(gamelan::cli::Cli::parse()) {
        // User-facing errors (bad files, missing terminal) print as plain messages; a stop
        // signal or a closed pipe ends quietly with its conventional status. Panics still get
        // color-eyre's full report after the terminal is restored.
        let (status, message) = gamelan::cmd::exit::status_of(&err);
        if let Some(m) = message {
            let _ = writeln!(std::io::stderr(), "{m}");
        }
        std::process::exit(status);
    }
}
