//! The recordings library from the local lobby: the file side of `ui::lobby::library` (the
//! rows of the data directory, opening a replay or a debrief, deleting and renaming after the
//! user said yes), shared with the SSH lobby, which lists the server's recordings.

use crate::cmd::signals::Stop;
use crate::config::Paths;
use crate::drill::Action;
use crate::record::{self, Ghost, Recording, Replay};
use crate::scenario::Catalogue;
use crate::seat::local::LocalInput;
use crate::theme_files::LiveTheme;
use crate::ui::lobby::library::{Library, LibraryCommand, LibraryRow};
use crate::ui::replay::Trainer;
use crate::ui::widgets::document::Document;
use color_eyre::eyre::Result;
use ratatui::DefaultTerminal;
use std::path::{Path, PathBuf};

/// Every recording of `dir`, oldest first, as the library lists it.
pub(crate) fn rows(dir: &Path, catalogue: &Catalogue) -> Vec<LibraryRow> {
    record::summaries(dir, catalogue)
        .into_iter()
        .map(|s| {
            let seats = Recording::load(&s.path)
                .map(|r| seat_names(&r))
                .unwrap_or_default();
            LibraryRow {
                started: s.started,
                scenario: s.scenario,
                seats,
                outcome: s.outcome,
                beats: s.beats,
                story: s
                    .story_seconds
                    .map_or_else(|| "-".into(), crate::clock::story_clock),
                path: s.path,
            }
        })
        .collect()
}

/// The names of a recording's seats: those of its header, then those that joined, once each.
fn seat_names(rec: &Recording) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let joined = rec.inputs.iter().filter_map(|r| match &r.input.action {
        Action::Join { name, .. } => Some(name.clone()),
        _ => None,
    });
    for n in rec
        .header
        .seats
        .iter()
        .map(|s| s.name.clone())
        .chain(joined)
    {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}

/// A recording rebuilt against the scenario it names.
pub(crate) fn open(path: &Path, catalogue: &Catalogue) -> Result<Replay, String> {
    let rec = Recording::load(path).map_err(|d| d.to_string())?;
    let entry = record::scenario_for(&rec, catalogue, None)
        .map_err(|d| crate::diag::render(&d).trim_end().to_string())?;
    Replay::open(rec, entry.scenario, false).map_err(|e| format!("{}: {e}", path.display()))
}

/// Another recording of `replay`'s scenario, as its ghost, and what to call it.
fn ghost(path: &Path, replay: &Replay) -> Result<(String, Ghost), String> {
    let rec = Recording::load(path).map_err(|d| d.to_string())?;
    let g = Ghost::from_recording(&rec, replay.scenario().clone(), false)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((crate::cmd::debrief::label_of(path), g))
}

/// The replay console's state for `run`, with `other` as its ghost.
pub(crate) fn trainer(
    run: &Path,
    other: Option<&Path>,
    catalogue: &Catalogue,
) -> Result<Trainer, String> {
    let replay = open(run, catalogue)?;
    let overlay = match other {
        Some(p) => {
            let (label, g) = ghost(p, &replay)?;
            Some(crate::ui::replay::ghost_overlay(&label, &g))
        }
        None => None,
    };
    Ok(Trainer::new(replay, overlay))
}

/// The Markdown debrief of `run` (beside `other`'s marks), as a document that saves beside
/// the recording.
pub(crate) fn debrief(
    run: &Path,
    other: Option<&Path>,
    catalogue: &Catalogue,
) -> Result<Document, String> {
    let replay = open(run, catalogue)?;
    let mut report = crate::debrief::from_replay(&replay);
    if let Some(p) = other {
        let (label, g) = ghost(p, &replay)?;
        report.ghost = Some(crate::debrief::GhostRow::new(&label, &g));
    }
    let title = match &report.ghost {
        Some(g) => format!("debrief · against {}", g.label),
        None => "debrief".into(),
    };
    let mut doc = Document::new(
        title,
        crate::debrief::markdown(&report),
        "s save · ↑↓ scroll · q back",
    );
    doc.save_to = Some(run.with_extension("debrief.md"));
    Ok(doc)
}

/// The HTML debrief of `run` (beside `other`'s marks) written beside it, as `gamelan debrief
/// RUN --format html` writes it (this scenario over time from `dir`'s recordings); the
/// message for the status line. Blocking: the shells call it off the runtime's threads.
pub(crate) fn write_html(
    run: &Path,
    other: Option<&Path>,
    catalogue: &Catalogue,
    dir: &Path,
) -> String {
    let written = (|| -> Result<PathBuf, String> {
        let replay = open(run, catalogue)?;
        let mut report = crate::debrief::from_replay(&replay);
        if let Some(p) = other {
            let (label, g) = ghost(p, &replay)?;
            report.ghost = Some(crate::debrief::GhostRow::new(&label, &g));
        }
        let runs = crate::cmd::debrief::scenario_runs(dir, catalogue, &replay);
        let page = crate::debrief::html::html_with_history(&report, &runs);
        let to = run.with_extension("debrief.html");
        std::fs::write(&to, page).map_err(|e| format!("could not write {}: {e}", to.display()))?;
        Ok(to)
    })();
    match written {
        Ok(to) => format!("wrote {}", to.display()),
        Err(e) => e,
    }
}

/// What a library command's file work came to, for the library to show. The work blocks
/// (reading and rebuilding a recording, deleting, renaming), so it is a value: a shell that
/// serves other seats does it on the blocking pool and applies the result on its task.
#[derive(Debug)]
pub(crate) enum FilesDone {
    /// A document to show (the debrief).
    Show(Document),
    /// A message for the status line.
    Flash(String),
    /// A shown document was saved, or why not.
    Saved(Result<(), String>),
    /// Nothing the command asks of the files.
    Nothing,
}

impl FilesDone {
    /// Shows the result on `lib`.
    pub(crate) fn apply(self, lib: &mut Library) {
        match self {
            FilesDone::Show(doc) => lib.show(doc),
            FilesDone::Flash(m) => lib.flash = Some(m),
            FilesDone::Saved(result) => {
                if let Some(doc) = &mut lib.document {
                    doc.saved(result);
                }
            }
            FilesDone::Nothing => {}
        }
    }
}

/// Does what a library command asks of the files (deleting and renaming only in an
/// `editable` library). Blocking.
pub(crate) fn file_work(cmd: &LibraryCommand, editable: bool, catalogue: &Catalogue) -> FilesDone {
    match cmd {
        LibraryCommand::Debrief { run, ghost } => match debrief(run, ghost.as_deref(), catalogue) {
            Ok(doc) => FilesDone::Show(doc),
            Err(e) => FilesDone::Flash(e),
        },
        LibraryCommand::Save { to, text } => {
            FilesDone::Saved(std::fs::write(to, text).map_err(|e| e.to_string()))
        }
        LibraryCommand::Delete(path) if editable => {
            FilesDone::Flash(match std::fs::remove_file(path) {
                Ok(()) => format!("deleted {}", file_name(path)),
                Err(e) => format!("could not delete {}: {e}", file_name(path)),
            })
        }
        LibraryCommand::Rename { from, to } if editable => {
            let target = from.with_file_name(to);
            FilesDone::Flash(if target.exists() {
                format!("{to} exists already: nothing renamed")
            } else {
                match std::fs::rename(from, &target) {
                    Ok(()) => format!("renamed {} to {to}", file_name(from)),
                    Err(e) => format!("could not rename {}: {e}", file_name(from)),
                }
            })
        }
        _ => FilesDone::Nothing,
    }
}

/// Does what a library command asks of the files, here and now (the local lobby: this
/// terminal is the only seat its runtime serves).
pub(crate) fn act_on_files(lib: &mut Library, cmd: &LibraryCommand, catalogue: &Catalogue) {
    file_work(cmd, lib.editable, catalogue).apply(lib);
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// The library in this terminal until the user goes back (`Ok(false)`) or quits everything
/// (`Ok(true)`); a replay forked from it goes into `made`.
pub(crate) async fn session(
    term: &mut DefaultTerminal,
    events: &mut LocalInput,
    paths: &Paths,
    theme: &mut LiveTheme,
    made: &mut crate::cmd::play::RecordingsMade,
) -> Result<bool> {
    let dir: PathBuf = paths.recordings();
    let catalogue = || Catalogue::load(Some(&paths.scenarios()));
    let mut lib = Library::new(&dir.display().to_string(), rows(&dir, &catalogue()), true);
    let mut stop = Stop::listen()?;
    let mut area = ratatui::layout::Rect::default();
    loop {
        term.draw(|f| {
            area = f.area();
            lib.draw(f.buffer_mut(), area, &theme.theme);
        })?;
        let ev = tokio::select! {
            ev = events.next() => ev,
            r = stop.stopped() => return r.map(|()| true),
        };
        let Some(ev) = ev else { return Ok(true) };
        let Some(cmd) = lib.on_input(&ev?, area) else {
            continue;
        };
        match &cmd {
            LibraryCommand::Back => return Ok(false),
            LibraryCommand::Quit => return Ok(true),
            LibraryCommand::Replay { run, ghost } => {
                match trainer(run, ghost.as_deref(), &catalogue()) {
                    Ok(mut t) => {
                        let forked = crate::cmd::replay::trainer_and_fork(
                            term, events, paths, theme, &mut t,
                        )
                        .await?;
                        lib.flash = made.fork(forked);
                    }
                    Err(e) => lib.flash = Some(e),
                }
            }
            LibraryCommand::Delete(_) | LibraryCommand::Rename { .. } => {
                act_on_files(&mut lib, &cmd, &catalogue());
            }
            LibraryCommand::DebriefHtml { run, ghost } => {
                let (run, ghost, cat, dir) = (run.clone(), ghost.clone(), catalogue(), dir.clone());
                let said = tokio::task::spawn_blocking(move || {
                    write_html(&run, ghost.as_deref(), &cat, &dir)
                })
                .await;
                lib.flash = Some(said.unwrap_or_else(|e| format!("could not write: {e}")));
                continue;
            }
            _ => {
                act_on_files(&mut lib, &cmd, &catalogue());
                continue;
            }
        }
        // A replay may have forked a new recording; a file may be gone or renamed.
        let flash = lib.flash.take();
        lib.set_rows(rows(&dir, &catalogue()));
        if let LibraryCommand::Rename { from, to } = &cmd {
            lib.select(&from.with_file_name(to));
        }
        lib.flash = flash;
    }
}
