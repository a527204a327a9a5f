use clap::Parser;

fn main() {
    if let Err(e) = gamelan::cmd::shell::install_hooks() {
        eprintln!("gamelan: {e}");
    }
    if let Err(err) = gamelan::cli::run(gamelan::cli::Cli::parse()) {
        // User-facing errors (bad files, missing terminal) print as plain messages; panics
        // still get color-eyre's full report after the terminal is restored.
        eprintln!("error: {err}");
        for cause in err.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        std::process::exit(1);
    }
}
