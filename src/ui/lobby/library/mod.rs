//! The trainer's library: the recordings of a data directory, filtered by scenario, seat or
//! outcome, opened as a replay or a debrief, two runs of one scenario compared (one as the
//! ghost), and a recording deleted or renamed after a yes. Pure like the other lobbies: it
//! returns [`LibraryCommand`]s and the shell does the file work, then hands back fresh rows.

mod draw;
#[cfg(test)]
mod tests;

use crate::input::{Input, KeyCode};
use crate::keymap::{self, Act, Scope};
use crate::ui::help;
use crate::ui::theme::Meaning;
use crate::ui::widgets::document::{DocCommand, Document};
use std::path::PathBuf;

/// One recording as the library lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryRow {
    pub path: PathBuf,
    /// When it started (RFC 3339).
    pub started: String,
    pub scenario: String,
    /// The names of its seats.
    pub seats: Vec<String>,
    /// How it ended, or why it cannot be replayed.
    pub outcome: String,
    pub beats: u64,
    /// Story time at the end (`-` when unknown).
    pub story: String,
}

impl LibraryRow {
    /// The file's name.
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }

    /// The outcome the filter groups by: how it ended, without the objectives count.
    pub fn outcome_kind(&self) -> &str {
        self.outcome.split(',').next().unwrap_or("").trim()
    }
}

/// What the library asks the shell for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LibraryCommand {
    /// Open the replay console on `run`, with `ghost` on its timeline.
    Replay {
        run: PathBuf,
        ghost: Option<PathBuf>,
    },
    /// Build the debrief of `run` (beside `ghost`'s marks) and show it with [`Library::show`].
    Debrief {
        run: PathBuf,
        ghost: Option<PathBuf>,
    },
    /// Write the HTML debrief of `run` (beside `ghost`'s marks) beside it; the shell says
    /// where on the status line.
    DebriefHtml {
        run: PathBuf,
        ghost: Option<PathBuf>,
    },
    /// Delete the file (the user said yes).
    Delete(PathBuf),
    /// Rename the file to `to`, a plain file name in the same folder (the user said yes).
    Rename { from: PathBuf, to: String },
    /// Save a shown debrief.
    Save { to: PathBuf, text: String },
    /// Back to the lobby.
    Back,
    /// Leave at once (ctrl-c).
    Quit,
}

/// A question on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// Typing a new name for the row.
    Naming { row: usize, text: String },
    /// Delete the row? y / n.
    Delete { row: usize },
    /// Rename the row to this name? y / n.
    Rename { row: usize, to: String },
}

/// The filters in force: each `None` or one value the rows carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub scenario: Option<String>,
    pub seat: Option<String>,
    pub outcome: Option<String>,
}

/// The library's state.
#[derive(Debug, Clone)]
pub struct Library {
    rows: Vec<LibraryRow>,
    /// The rows the filters let through, as indices into `rows`.
    shown: Vec<usize>,
    /// The selection, an index into `shown`.
    selected: usize,
    pub filters: Filters,
    /// The row marked as the ghost, by path (it survives a refresh).
    pub ghost: Option<PathBuf>,
    pub prompt: Option<Prompt>,
    pub help: Option<usize>,
    pub document: Option<Document>,
    /// A message for the status line.
    pub flash: Option<String>,
    /// Where the recordings are (named in the title).
    pub dir: String,
    /// Deleting and renaming are allowed (not over SSH: the server's files are read-only there).
    pub editable: bool,
}

/// Longest a new name may be.
pub const MAX_NAME: usize = 120;

impl Library {
    pub fn new(dir: &str, rows: Vec<LibraryRow>, editable: bool) -> Library {
        let mut l = Library {
            rows: Vec::new(),
            shown: Vec::new(),
            selected: 0,
            filters: Filters::default(),
            ghost: None,
            prompt: None,
            help: None,
            document: None,
            flash: None,
            dir: dir.to_string(),
            editable,
        };
        l.set_rows(rows);
        l
    }

    /// Takes a fresh listing, keeping the selection on the same file where it still is.
    pub fn set_rows(&mut self, rows: Vec<LibraryRow>) {
        let keep = self.selected_row().map(|r| r.path.clone());
        self.rows = rows;
        if self
            .ghost
            .as_ref()
            .is_some_and(|g| !self.rows.iter().any(|r| &r.path == g))
        {
            self.ghost = None;
        }
        self.refilter(keep);
    }

    /// Applies the filters; the selection stays on `keep` if it is still shown.
    fn refilter(&mut self, keep: Option<PathBuf>) {
        let f = &self.filters;
        self.shown = (0..self.rows.len())
            .filter(|&i| {
                let r = &self.rows[i];
                f.scenario.as_ref().is_none_or(|s| &r.scenario == s)
                    && f.seat.as_ref().is_none_or(|s| r.seats.contains(s))
                    && f.outcome.as_ref().is_none_or(|o| r.outcome_kind() == o)
            })
            .collect();
        self.selected = keep
            .and_then(|p| self.shown.iter().position(|&i| self.rows[i].path == p))
            .unwrap_or(0)
            .min(self.shown.len().saturating_sub(1));
    }

    pub fn rows(&self) -> &[LibraryRow] {
        &self.rows
    }

    /// The rows on show, in order.
    pub fn shown(&self) -> impl Iterator<Item = &LibraryRow> {
        self.shown.iter().map(|&i| &self.rows[i])
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_row(&self) -> Option<&LibraryRow> {
        self.shown.get(self.selected).map(|&i| &self.rows[i])
    }

    fn ghost_row(&self) -> Option<&LibraryRow> {
        let g = self.ghost.as_ref()?;
        self.rows.iter().find(|r| &r.path == g)
    }

    /// Moves the selection to the recording at `path` (one just renamed), if it is shown.
    pub fn select(&mut self, path: &std::path::Path) {
        if let Some(i) = self.shown.iter().position(|&i| self.rows[i].path == path) {
            self.selected = i;
        }
    }

    /// Shows a document (the debrief the shell built) over the list.
    pub fn show(&mut self, doc: Document) {
        self.document = Some(doc);
    }

    /// The scope the keys are read in.
    pub fn scope(&self) -> Scope {
        match self.prompt {
            Some(Prompt::Delete { .. } | Prompt::Rename { .. }) => Scope::Confirm,
            _ => Scope::Library,
        }
    }

    pub fn help_lines() -> Vec<help::Line> {
        let mut lines = vec![
            help::Line::text("gamelan · recordings", Meaning::Title),
            help::Line::blank(),
        ];
        lines.extend(help::lines(Scope::Library));
        lines.push(help::Line::blank());
        lines.push(help::Line::text("when asked", Meaning::Title));
        lines.extend(help::lines(Scope::Confirm));
        lines
    }

    /// The next value of a filter: cycles through the values the rows carry, then off.
    fn next_value(values: Vec<String>, now: &Option<String>) -> Option<String> {
        let mut values = values;
        values.sort();
        values.dedup();
        match now {
            None => values.into_iter().next(),
            Some(v) => values.into_iter().skip_while(|x| x != v).nth(1),
        }
    }

    fn ghost_for(&self, run: &LibraryRow) -> Option<PathBuf> {
        self.ghost_row()
            .filter(|g| g.path != run.path)
            .map(|g| g.path.clone())
    }

    /// Handles an input on a screen of size `area`.
    pub fn on_input(
        &mut self,
        input: &Input,
        area: ratatui::layout::Rect,
    ) -> Option<LibraryCommand> {
        if let Some(doc) = &mut self.document {
            match doc.on_input(input, area) {
                Some(DocCommand::Close) => self.document = None,
                Some(DocCommand::Quit) => return Some(LibraryCommand::Quit),
                Some(DocCommand::Save) => {
                    if let Some(to) = doc.save_to.clone() {
                        return Some(LibraryCommand::Save {
                            to,
                            text: doc.body.clone(),
                        });
                    }
                    doc.saved(Err("not saved".into()));
                }
                None => {}
            }
            return None;
        }
        if let Some(top) = self.help {
            if let Input::Key(k) = input
                && keymap::lookup(Scope::Library, *k) == Some(Act::Abort)
            {
                return Some(LibraryCommand::Quit);
            }
            self.help = help::on_input(top, input, area, &Self::help_lines());
            return None;
        }
        if let Some(Prompt::Naming { row, text }) = &mut self.prompt {
            let Input::Key(k) = input else { return None };
            if keymap::lookup(Scope::Library, *k) == Some(Act::Abort) {
                return Some(LibraryCommand::Quit);
            }
            match k.code {
                KeyCode::Esc => self.prompt = None,
                KeyCode::Backspace => drop(text.pop()),
                KeyCode::Enter => {
                    let row = *row;
                    match plain_name(text) {
                        Ok(to) => self.prompt = Some(Prompt::Rename { row, to }),
                        Err(e) => self.flash = Some(e),
                    }
                }
                KeyCode::Char(c) if !c.is_control() && text.chars().count() < MAX_NAME => {
                    text.push(c);
                }
                _ => {}
            }
            return None;
        }
        let key = match input {
            Input::Key(k) => *k,
            Input::Mouse(m) if self.prompt.is_none() && m.wheel() != 0 => {
                self.move_by(m.wheel());
                return None;
            }
            _ => return None,
        };
        if let Some(p) = self.prompt.clone() {
            match keymap::lookup(Scope::Confirm, key) {
                Some(Act::Abort) => return Some(LibraryCommand::Quit),
                Some(Act::Yes) => {
                    self.prompt = None;
                    return match p {
                        Prompt::Delete { row } => {
                            Some(LibraryCommand::Delete(self.rows[row].path.clone()))
                        }
                        Prompt::Rename { row, to } => Some(LibraryCommand::Rename {
                            from: self.rows[row].path.clone(),
                            to,
                        }),
                        Prompt::Naming { .. } => None,
                    };
                }
                Some(Act::No) => {
                    self.prompt = None;
                    self.flash = Some("left as it was".into());
                }
                _ => {}
            }
            return None;
        }
        let act = keymap::lookup(Scope::Library, key)?;
        self.flash = None;
        let n = self.shown.len();
        match act {
            Act::Abort => return Some(LibraryCommand::Quit),
            Act::Back | Act::Quit => return Some(LibraryCommand::Back),
            Act::Help => self.help = Some(0),
            Act::Prev => self.move_by(-1),
            Act::Next => self.move_by(1),
            Act::Top => self.selected = 0,
            Act::Bottom => self.selected = n.saturating_sub(1),
            Act::FilterScenario => {
                let values = self.rows.iter().map(|r| r.scenario.clone()).collect();
                self.filters.scenario = Self::next_value(values, &self.filters.scenario);
                self.keep_selection();
            }
            Act::FilterSeat => {
                let values = self.rows.iter().flat_map(|r| r.seats.clone()).collect();
                self.filters.seat = Self::next_value(values, &self.filters.seat);
                self.keep_selection();
            }
            Act::FilterOutcome => {
                let values = self
                    .rows
                    .iter()
                    .map(|r| r.outcome_kind().to_string())
                    .collect();
                self.filters.outcome = Self::next_value(values, &self.filters.outcome);
                self.keep_selection();
            }
            Act::ClearFilters => {
                self.filters = Filters::default();
                self.keep_selection();
                self.flash = Some(format!("all {} recordings", self.rows.len()));
            }
            _ => return self.on_row(act),
        }
        None
    }

    /// The actions on the selected row.
    fn on_row(&mut self, act: Act) -> Option<LibraryCommand> {
        let Some(&row) = self.shown.get(self.selected) else {
            self.flash = Some("no recording here".into());
            return None;
        };
        let run = self.rows[row].clone();
        match act {
            Act::Choose => {
                return Some(LibraryCommand::Replay {
                    ghost: self.ghost_for(&run),
                    run: run.path,
                });
            }
            Act::Debrief => {
                return Some(LibraryCommand::Debrief {
                    ghost: self.ghost_for(&run),
                    run: run.path,
                });
            }
            Act::DebriefHtml => {
                return Some(LibraryCommand::DebriefHtml {
                    ghost: self.ghost_for(&run),
                    run: run.path,
                });
            }
            Act::MarkGhost => {
                if self.ghost.as_ref() == Some(&run.path) {
                    self.ghost = None;
                    self.flash = Some("ghost unmarked".into());
                } else {
                    self.ghost = Some(run.path.clone());
                    self.flash = Some(format!(
                        "ghost: {} · {} or {} on another run compares",
                        run.name(),
                        keymap::key_label(Scope::Library, Act::Choose),
                        keymap::key_label(Scope::Library, Act::Debrief)
                    ));
                    // Showing only the runs it can be compared with.
                    self.filters.scenario = Some(run.scenario.clone());
                    self.keep_selection();
                }
            }
            Act::Delete | Act::Rename if !self.editable => {
                self.flash =
                    Some("the server's recordings cannot be deleted or renamed from here".into());
            }
            Act::Delete => self.prompt = Some(Prompt::Delete { row }),
            Act::Rename => {
                let name = run.name();
                let stem = name.strip_suffix(".jsonl").unwrap_or(&name).to_string();
                self.prompt = Some(Prompt::Naming { row, text: stem });
            }
            _ => {}
        }
        None
    }

    fn keep_selection(&mut self) {
        let keep = self.selected_row().map(|r| r.path.clone());
        self.refilter(keep);
    }

    fn move_by(&mut self, by: isize) {
        let n = self.shown.len();
        if n > 0 {
            self.selected = (self.selected as isize + by).rem_euclid(n as isize) as usize;
        }
    }
}

/// A new name for a recording: a plain file name (no folder, not hidden, no control
/// characters), given `.jsonl` when it has no such ending.
pub fn plain_name(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a recording needs a name".into());
    }
    if t.contains('/') || t.contains('\\') || t.starts_with('.') {
        return Err(format!(
            "`{t}`: a plain name, without folders or a leading dot"
        ));
    }
    if t.chars().any(char::is_control) {
        return Err("a name cannot hold control characters".into());
    }
    Ok(if t.ends_with(".jsonl") {
        t.to_string()
    } else {
        format!("{t}.jsonl")
    })
}
