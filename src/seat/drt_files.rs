//! The file work of the Decision Requirements Table view, for every shell that shows it (a
//! drill's seats, the replay console, a session's seats): exports into the data directory,
//! a CSV read back, and saving into the scenario file after the person reviewed the diff.

use crate::config::Paths;
use crate::drt::{DrtInput, Table};
use crate::scenario::Origin;
use crate::ui::drt::{DrtCommand, DrtView, Format};
use std::path::PathBuf;

/// A save the person is reviewing: where it goes and the whole new text.
#[derive(Debug, Clone)]
struct Plan {
    path: PathBuf,
    text: String,
}

/// One view's file work, and the save under review.
#[derive(Debug, Default)]
pub struct DrtFiles {
    pending: Option<Plan>,
}

/// Where exports go: `DATA/drt/`.
pub fn export_dir(paths: &Paths) -> PathBuf {
    paths.data.join("drt")
}

impl DrtFiles {
    /// Does the file part of `cmd` (a no-op for edits and closing), reporting on `view`; an
    /// import read well comes back as the edit to send.
    pub fn run(&mut self, cmd: &DrtCommand, t: &Table, view: &mut DrtView) -> Option<DrtInput> {
        let paths = Paths::discover();
        match cmd {
            DrtCommand::Export(f) => {
                let r = export(&paths, t, *f);
                if let (Ok(p), Format::Csv) = (&r, f) {
                    view.last_csv = Some(p.clone());
                }
                view.said(r.map(|p| format!("exported to {p}")));
                None
            }
            DrtCommand::Import(path) => match import(path) {
                Ok(rows) => {
                    view.said(Ok(format!("imported {} rows from {path}", rows.len())));
                    Some(DrtInput::Import { rows })
                }
                Err(e) => {
                    view.said(Err(e));
                    None
                }
            },
            DrtCommand::PrepareSave => {
                match prepare(&paths, t) {
                    Ok((plan, copy, diff)) => {
                        view.review(plan.path.display().to_string(), copy, diff);
                        self.pending = Some(plan);
                    }
                    Err(e) => view.said(Err(e)),
                }
                None
            }
            DrtCommand::WriteSave => {
                let r = match self.pending.take() {
                    None => Err("nothing reviewed to write".into()),
                    Some(p) => {
                        write(&p.path, &p.text).map(|()| format!("saved into {}", p.path.display()))
                    }
                };
                view.said(r);
                None
            }
            DrtCommand::Edit(_) | DrtCommand::Close | DrtCommand::Quit => None,
        }
    }
}

fn stem(t: &Table) -> &str {
    if t.scenario.is_empty() {
        "table"
    } else {
        &t.scenario
    }
}

/// Writes `t` as `DATA/drt/SCENARIO.drt.EXT`; the path written.
pub fn export(paths: &Paths, t: &Table, f: Format) -> Result<String, String> {
    let dir = export_dir(paths);
    let path = dir.join(format!("{}.drt.{}", stem(t), f.extension()));
    write(&path, &f.render(t))?;
    Ok(path.display().to_string())
}

fn write(path: &std::path::Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The rows of the CSV at `path`, or its first problem as `file:line:col: message`.
pub fn import(path: &str) -> Result<Vec<crate::drt::Row>, String> {
    let text = crate::diag::read_text(std::path::Path::new(path), 4 << 20)
        .map_err(|d| crate::diag::render(&[d]))?;
    crate::drt::from_csv(path, &text)
        .map(|t| t.rows)
        .map_err(|d| {
            let n = d.len();
            let first = crate::diag::render(&d[..1]);
            let first = first.lines().next().unwrap_or_default().to_string();
            if n > 1 {
                format!("{first} (and {} more: gamelan check {path})", n - 1)
            } else {
                first
            }
        })
}

/// The scenario file to write, its new text and the diff: the user's own file in place; a
/// bundled scenario as a copy in the config directory's scenarios (which the catalogue then
/// prefers).
fn prepare(paths: &Paths, t: &Table) -> Result<(Plan, bool, Vec<crate::drt::LineDiff>), String> {
    if t.scenario.is_empty() {
        return Err("this table names no scenario to save into".into());
    }
    let entry = crate::scenario::find_in(Some(&paths.scenarios()), &t.scenario)
        .map_err(|d| crate::diag::render(&d))?;
    let (path, copy, old) = match &entry.origin {
        Origin::File(p) => {
            let old = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            (p.clone(), false, old)
        }
        _ => (
            paths.scenarios().join(format!("{}.toml", t.scenario)),
            true,
            entry.scenario.source.to_string(),
        ),
    };
    let name = path.display().to_string();
    let text = crate::drt::save_rows(&name, &old, t).map_err(|d| crate::diag::render(&d))?;
    let diff = crate::drt::diff_lines(&old, &text);
    Ok((Plan { path, text }, copy, diff))
}
