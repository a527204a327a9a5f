//! `gamelan capture`: real series from Prometheus as a scenario fragment.

use color_eyre::eyre::{Result, eyre};

pub(crate) fn run(args: &crate::vista::capture::CaptureArgs) -> Result<()> {
    let summary = crate::vista::capture::run(args).map_err(|e| eyre!("capture: {e}"))?;
    eprintln!("{summary}");
    Ok(())
}

// ---- serve (SSH seats) ----
