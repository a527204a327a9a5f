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

/// What a command's file work found, to be shown on the view (on the seat's own task).
enum Done {
    Exported(Format, Result<String, String>),
    Imported(String, Result<Vec<crate::drt::Row>, String>),
    Prepared(Result<(Plan, bool, Vec<crate::drt::LineDiff>), String>),
    Saved(Result<String, String>),
    Nothing,
}

impl DrtFiles {
    /// Does the file part of `cmd` (a no-op for edits and closing), reporting on `view`; an
    /// import read well comes back as the edit to send. Blocks on the file system: for a
    /// blocking context (the replay console's loop, the SSH library's file work).
    pub fn run(&mut self, cmd: &DrtCommand, t: &Table, view: &mut DrtView) -> Option<DrtInput> {
        let pending = self.take_for(cmd);
        let done = work(cmd, t, pending);
        self.show(done, view)
    }

    /// [`DrtFiles::run`] with the file work on tokio's blocking pool, so a seat's task (which
    /// shares its thread with the room and the other seats) never waits on a disk.
    pub async fn run_off_thread(
        &mut self,
        cmd: &DrtCommand,
        t: &Table,
        view: &mut DrtView,
    ) -> Option<DrtInput> {
        if matches!(
            cmd,
            DrtCommand::Edit(_) | DrtCommand::Close | DrtCommand::Quit
        ) {
            return None;
        }
        let pending = self.take_for(cmd);
        let (cmd, t) = (cmd.clone(), t.clone());
        let done = tokio::task::spawn_blocking(move || work(&cmd, &t, pending))
            .await
            .unwrap_or_else(|e| Done::Saved(Err(format!("the file work stopped: {e}"))));
        self.show(done, view)
    }

    /// The reviewed save, handed to the work that writes it.
    fn take_for(&mut self, cmd: &DrtCommand) -> Option<Plan> {
        match cmd {
            DrtCommand::WriteSave => self.pending.take(),
            _ => None,
        }
    }

    fn show(&mut self, done: Done, view: &mut DrtView) -> Option<DrtInput> {
        match done {
            Done::Exported(f, r) => {
                if let (Ok(p), Format::Csv) = (&r, f) {
                    view.last_csv = Some(p.clone());
                }
                view.said(r.map(|p| format!("exported to {p}")));
                None
            }
            Done::Imported(path, Ok(rows)) => {
                view.said(Ok(format!("imported {} rows from {path}", rows.len())));
                Some(DrtInput::Import { rows })
            }
            Done::Imported(_, Err(e)) | Done::Prepared(Err(e)) => {
                view.said(Err(e));
                None
            }
            Done::Prepared(Ok((plan, copy, diff))) => {
                view.review(plan.path.display().to_string(), copy, diff);
                self.pending = Some(plan);
                None
            }
            Done::Saved(r) => {
                view.said(r);
                None
            }
            Done::Nothing => None,
        }
    }
}

/// The file system part of `cmd`: everything that reads or writes a file.
fn work(cmd: &DrtCommand, t: &Table, pending: Option<Plan>) -> Done {
    let paths = Paths::discover();
    match cmd {
        DrtCommand::Export(f) => Done::Exported(*f, export(&paths, t, *f)),
        DrtCommand::Import(path) => Done::Imported(path.clone(), import(path)),
        DrtCommand::PrepareSave => Done::Prepared(prepare(&paths, t)),
        DrtCommand::WriteSave => Done::Saved(match pending {
            None => Err("nothing reviewed to write".into()),
            Some(p) => write(&p.path, &p.text).map(|()| format!("saved into {}", p.path.display())),
        }),
        DrtCommand::Edit(_) | DrtCommand::Close | DrtCommand::Quit => Done::Nothing,
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
