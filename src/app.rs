//! The interactive shell (placeholder while the console is being written).

use crate::config::{Paths, Settings};
use crate::scenario::Entry;
use color_eyre::eyre::{Result, bail};

/// Installs color-eyre's report and panic hooks.
pub fn install_hooks() -> Result<()> {
    color_eyre::install()
}

pub fn lobby(_paths: &Paths, _settings: &Settings, _theme: Option<&str>) -> Result<()> {
    bail!("the lobby is not built yet")
}

pub fn play(_paths: &Paths, _settings: &Settings, _theme: Option<&str>, _entry: Entry, _seed: u64, _tempo: Option<u32>) -> Result<()> {
    bail!("the console is not built yet")
}
