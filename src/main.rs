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

// The C maths library's `pow` and `log2`, which dependencies call (tokio's scheduler
// statistics, big-number formatting in the SSH keys), defined here in Rust. They were the
// binary's only references to `libm.so`: without them the loader maps no C maths library,
// whose load-time work kept about 350 KiB of it resident in every console.
/// `x` to the power `y`, as C's `pow`.
#[unsafe(no_mangle)]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// The base-2 logarithm of `x`, as C's `log2`.
#[unsafe(no_mangle)]
pub extern "C" fn log2(x: f64) -> f64 {
    libm::log2(x)
}
