//! `gamelan capture`: real series from Prometheus as a scenario fragment.

use color_eyre::eyre::{Result, eyre};

pub(crate) fn run(args: &crate::vista::capture::CaptureArgs) -> Result<()> {
    // `--prometheus NAME` names a datasource of the user's vista.toml.
    let vista = crate::vista::config::default_path(&crate::config::Paths::discover());
    let summary = crate::vista::capture::run(args, &vista).map_err(|e| eyre!("capture: {e}"))?;
    eprintln!("{summary}");
    Ok(())
}

// ---- serve (SSH seats) ----
