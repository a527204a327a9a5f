//! `gamelan schema`: the scenario format's JSON Schema, for editors.

use color_eyre::eyre::Result;
use std::io::Write;

pub(crate) fn run(out: &mut dyn Write) -> Result<()> {
    out.write_all(crate::scenario::SCHEMA.as_bytes())?;
    Ok(())
}
