//! `gamelan new ID`: a starter scenario with its winning and losing cue scripts, which pass
//! `gamelan check` and `gamelan prove` as written.

use color_eyre::eyre::{Result, bail};
use std::io::Write;
use std::path::PathBuf;

const STARTER: &str = include_str!("new/starter.toml");
const WIN: &str = include_str!("new/starter.win.cues");
const LOSE: &str = include_str!("new/starter.lose.cues");
/// The id the starter is written with, replaced by the new one.
const STARTER_ID: &str = "disk-full";

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The new scenario's id (letters, digits, - and _): names ID.toml, ID.win.cues, ID.lose.cues.
    pub id: String,
    /// Where to write the three files (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// The starter files for `id`: (file name, text).
pub fn starter(id: &str) -> [(String, String); 3] {
    let toml = STARTER
        .replace(&format!("id = \"{STARTER_ID}\""), &format!("id = \"{id}\""))
        .replace("ID.", &format!("{id}."));
    [
        (format!("{id}.toml"), toml),
        (format!("{id}.win.cues"), WIN.to_string()),
        (format!("{id}.lose.cues"), LOSE.to_string()),
    ]
}

pub(crate) fn run(args: &NewArgs, out: &mut dyn Write) -> Result<()> {
    let id = &args.id;
    let ok = !id.is_empty()
        && id.len() <= crate::scenario::limits::MAX_SCENARIO_ID_CHARS
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        bail!(
            "`{id}` cannot be a scenario id: 1 to 40 letters, digits, - or _, starting with a letter or digit"
        );
    }
    let files = starter(id);
    let taken: Vec<String> = files
        .iter()
        .map(|(name, _)| args.dir.join(name))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !taken.is_empty() {
        bail!("{} already exist(s); nothing was written", taken.join(", "));
    }
    std::fs::create_dir_all(&args.dir)
        .map_err(|e| color_eyre::eyre::eyre!("cannot create {}: {e}", args.dir.display()))?;
    for (name, text) in &files {
        let path = args.dir.join(name);
        std::fs::write(&path, text)
            .map_err(|e| color_eyre::eyre::eyre!("cannot write {}: {e}", path.display()))?;
        writeln!(out, "wrote {}", path.display())?;
    }
    let toml = args.dir.join(&files[0].0);
    writeln!(
        out,
        "next: gamelan check {0} && gamelan prove {0}",
        toml.display()
    )?;
    Ok(())
}
