//! The Decision Requirements Table view: a seat's cursor, scroll and prompts over a shared
//! [`Table`], and its keys turned into [`DrtCommand`]s. Pure: the table's edits go out as
//! [`DrtInput`]s for the room (or the session) to apply in one order for every seat; exports,
//! imports and saving are file work the shell does and reports back with [`DrtView::said`] and
//! [`DrtView::review`]. Drawn by [`draw`] after a drill, in the replay and in a session's `drt`
//! segment alike.

mod draw;
mod review;
#[cfg(test)]
mod tests;

pub use draw::{draw, layout};

use crate::drill::SeatId;
use crate::drt::{COLUMNS, Cell, Column, DrtInput, LineDiff, Table};
use crate::input::{Input, Key, KeyCode};
use crate::keymap::{self, Act, Scope};
use crate::ui::help;
use ratatui::layout::Rect;

/// An export's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
    Json,
}

impl Format {
    /// The file extension the shell writes.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The table in this format.
    pub fn render(self, t: &Table) -> String {
        match self {
            Format::Markdown => crate::drt::markdown(t),
            Format::Csv => crate::drt::csv(t),
            Format::Json => crate::drt::json(t),
        }
    }
}

/// What a key asks of the shell around the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrtCommand {
    /// An edit for the room, from this seat.
    Edit(DrtInput),
    /// Write the table in this format into the data directory; say where with `said`.
    Export(Format),
    /// Read the CSV at this path; on success send `DrtInput::Import`, else `said` the problem.
    Import(String),
    /// Work out the scenario file's new text and its diff; show it with `review`.
    PrepareSave,
    /// The person confirmed the reviewed diff: write it.
    WriteSave,
    /// Back to the screen the table was opened from.
    Close,
    /// Leave altogether (Ctrl-C).
    Quit,
}

/// A reviewed change to a scenario file, as the shell prepared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Where it would be written, as shown.
    pub target: String,
    /// True when the scenario is bundled and this writes a copy into the config directory.
    pub copy: bool,
    pub diff: Vec<LineDiff>,
    /// The first diff line shown.
    pub top: usize,
}

/// What the keyboard is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Browse,
    /// Typing into the cursor's cell (claimed when this mode began).
    Editing,
    /// Typing the path of a CSV to import.
    ImportPath(String),
    /// Asked whether to delete the cursor's row.
    ConfirmDelete,
    /// A diff is shown; `y` writes it.
    Review(Review),
}

/// One seat's view of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrtView {
    pub seat: SeatId,
    pub row: usize,
    pub column: Column,
    /// The first row drawn.
    pub top: usize,
    pub mode: Mode,
    /// The last message: an export's path, a refusal, a problem (`true`: an error).
    pub status: Option<(String, bool)>,
    /// The help overlay, scrolled to this line.
    pub help: Option<usize>,
    /// What the import prompt starts with (the last CSV exported).
    pub last_csv: Option<String>,
    /// Whether `S` may save into the scenario here (not in a session's view).
    pub can_save: bool,
    /// The seats' names, for the claim marks (the shell keeps it current).
    pub names: Vec<(SeatId, String)>,
    /// A row this seat added that the table may not show yet: the cursor waits on it.
    pub adding: Option<usize>,
}

impl DrtView {
    pub fn new(seat: SeatId) -> DrtView {
        DrtView {
            seat,
            row: 0,
            column: Column::Decision,
            top: 0,
            mode: Mode::Browse,
            status: None,
            help: None,
            last_csv: None,
            can_save: true,
            names: Vec::new(),
            adding: None,
        }
    }

    /// A seat's name, or `seat N` when the shell gave none.
    pub fn name(&self, seat: SeatId) -> String {
        self.names
            .iter()
            .find(|(s, _)| *s == seat)
            .map_or_else(|| format!("seat {seat}"), |(_, n)| n.clone())
    }

    /// The cell under the cursor.
    pub fn cell(&self) -> Cell {
        Cell {
            row: self.row,
            column: self.column,
        }
    }

    /// The shell's report of a file operation, on the status line.
    pub fn said(&mut self, result: Result<String, String>) {
        self.status = Some(match result {
            Ok(m) => (m, false),
            Err(m) => (m, true),
        });
    }

    /// The shell prepared a save: show its diff for review.
    pub fn review(&mut self, target: String, copy: bool, diff: Vec<LineDiff>) {
        self.mode = Mode::Review(Review {
            target,
            copy,
            diff,
            top: 0,
        });
    }

    /// The help overlay's lines.
    pub fn help_lines() -> Vec<help::Line> {
        let mut lines = help::lines(Scope::Drt);
        lines.push(help::Line::blank());
        lines.push(help::Line::text(
            "while editing a cell every key types into it; backspace erases",
            crate::ui::theme::Meaning::Muted,
        ));
        lines
    }

    /// Keeps the cursor inside the table (rows come and go as other seats edit).
    fn clamp(&mut self, t: &Table) {
        if self.adding.is_some_and(|r| r < t.rows.len()) {
            self.adding = None;
        }
        if self.adding.is_none() {
            self.row = self.row.min(t.rows.len().saturating_sub(1));
        }
    }

    /// Handles one input on a screen of size `area`.
    pub fn on_input(&mut self, input: &Input, t: &Table, area: Rect) -> Vec<DrtCommand> {
        self.clamp(t);
        match input {
            Input::Key(k) => self.on_key(*k, t, area),
            Input::Paste(text) => {
                let holds = self.holds(t);
                match &mut self.mode {
                    Mode::Editing if holds => DrtInput::typing(text)
                        .into_iter()
                        .map(DrtCommand::Edit)
                        .collect(),
                    Mode::ImportPath(p) => {
                        p.extend(text.chars().filter(|c| !c.is_control()));
                        Vec::new()
                    }
                    _ => Vec::new(),
                }
            }
            Input::Mouse(m) => {
                let w = m.wheel();
                if w != 0 && self.mode == Mode::Browse {
                    self.move_row(t, w);
                } else if let Mode::Review(r) = &mut self.mode {
                    r.top = r.top.saturating_add_signed(w * 3).min(r.diff.len());
                }
                Vec::new()
            }
            Input::Resize(..) => Vec::new(),
        }
    }

    /// Whether this seat holds the cursor's cell (or its claim is on its way: nobody holds it).
    fn holds(&self, t: &Table) -> bool {
        t.holder(self.cell()).is_none_or(|s| s == self.seat)
    }

    fn on_key(&mut self, key: Key, t: &Table, area: Rect) -> Vec<DrtCommand> {
        if keymap::lookup(Scope::Drt, key) == Some(Act::Abort) {
            return vec![DrtCommand::Quit];
        }
        if let Some(top) = self.help {
            self.help = help::on_input(top, &Input::Key(key), area, &Self::help_lines());
            return Vec::new();
        }
        match std::mem::replace(&mut self.mode, Mode::Browse) {
            Mode::Browse => self.browse_key(key, t, area),
            Mode::Editing => self.edit_key(key, t),
            Mode::ImportPath(path) => self.path_key(key, path),
            Mode::ConfirmDelete => match keymap::lookup(Scope::Confirm, key) {
                Some(Act::Yes) => vec![DrtCommand::Edit(DrtInput::DeleteRow { row: self.row })],
                _ => Vec::new(),
            },
            Mode::Review(mut r) => match keymap::lookup(Scope::Confirm, key) {
                Some(Act::Yes) => vec![DrtCommand::WriteSave],
                Some(Act::No) => {
                    self.status = Some(("nothing written".into(), false));
                    Vec::new()
                }
                _ => {
                    let page = area.height.saturating_sub(6).max(1) as isize;
                    let by = match key.code {
                        KeyCode::Up => -1,
                        KeyCode::Down => 1,
                        KeyCode::PageUp => -page,
                        KeyCode::PageDown | KeyCode::Char(' ') => page,
                        _ => 0,
                    };
                    r.top = r.top.saturating_add_signed(by).min(r.diff.len());
                    self.mode = Mode::Review(r);
                    Vec::new()
                }
            },
        }
    }

    fn browse_key(&mut self, key: Key, t: &Table, area: Rect) -> Vec<DrtCommand> {
        let page = layout(area, t, self).rows_shown.max(1) as isize;
        let Some(act) = keymap::lookup(Scope::Drt, key) else {
            if key.typed().is_some() {
                self.status = Some((
                    format!(
                        "{} edits this cell · {} keys",
                        keymap::key_label(Scope::Drt, Act::Edit),
                        keymap::key_label(Scope::Drt, Act::Help)
                    ),
                    false,
                ));
            }
            return Vec::new();
        };
        self.status = None;
        match act {
            Act::ScrollUp => self.move_row(t, -1),
            Act::ScrollDown => self.move_row(t, 1),
            Act::PageUp => self.move_row(t, -page),
            Act::PageDown => self.move_row(t, page),
            Act::Top => self.move_row(t, isize::MIN / 2),
            Act::Bottom => self.move_row(t, isize::MAX / 2),
            Act::Prev => self.column = COLUMNS[(self.column.index() + 6) % 7],
            Act::Next => self.column = COLUMNS[(self.column.index() + 1) % 7],
            Act::Edit if t.rows.is_empty() && self.adding.is_none() => {
                self.status = Some(("no rows yet: a adds one".into(), false));
            }
            Act::Edit => match t.holder(self.cell()) {
                Some(by) if by != self.seat => {
                    self.status = Some((format!("{} is editing that cell", self.name(by)), true));
                }
                _ => {
                    self.mode = Mode::Editing;
                    let c = self.cell();
                    return vec![DrtCommand::Edit(DrtInput::Claim {
                        row: c.row,
                        column: c.column,
                    })];
                }
            },
            Act::AddRow => {
                // The new row is the last: the cursor goes to it.
                self.row = t.rows.len();
                self.adding = Some(self.row);
                self.column = Column::Decision;
                return vec![DrtCommand::Edit(DrtInput::AddRow)];
            }
            Act::DeleteRow if !t.rows.is_empty() => self.mode = Mode::ConfirmDelete,
            Act::ExportMarkdown => return vec![DrtCommand::Export(Format::Markdown)],
            Act::ExportCsv => return vec![DrtCommand::Export(Format::Csv)],
            Act::ExportJson => return vec![DrtCommand::Export(Format::Json)],
            Act::ImportCsv => {
                self.mode = Mode::ImportPath(self.last_csv.clone().unwrap_or_default());
            }
            Act::SaveScenario if self.can_save => return vec![DrtCommand::PrepareSave],
            Act::SaveScenario => {
                self.status = Some((
                    "this table is saved with the session's write-up; export it to keep a copy"
                        .into(),
                    false,
                ));
            }
            Act::Help => self.help = Some(0),
            Act::Back => return vec![DrtCommand::Close],
            _ => {}
        }
        self.scroll_to_cursor(area, t);
        Vec::new()
    }

    fn edit_key(&mut self, key: Key, t: &Table) -> Vec<DrtCommand> {
        if !self.holds(t) {
            let by = t.holder(self.cell()).unwrap_or_default();
            self.status = Some((format!("{} is editing that cell", self.name(by)), true));
            return Vec::new();
        }
        let edit = match key.code {
            KeyCode::Enter | KeyCode::Esc => {
                self.status = Some(("cell let go; its text stays".into(), false));
                return vec![DrtCommand::Edit(DrtInput::Release)];
            }
            KeyCode::Backspace => DrtInput::Backspace,
            _ => match key.typed() {
                Some(c) if !c.is_control() => DrtInput::Type {
                    text: c.to_string(),
                },
                _ => {
                    self.mode = Mode::Editing;
                    return Vec::new();
                }
            },
        };
        self.mode = Mode::Editing;
        vec![DrtCommand::Edit(edit)]
    }

    fn path_key(&mut self, key: Key, mut path: String) -> Vec<DrtCommand> {
        match key.code {
            KeyCode::Enter if !path.trim().is_empty() => {
                return vec![DrtCommand::Import(path.trim().to_string())];
            }
            KeyCode::Enter | KeyCode::Esc => return Vec::new(),
            KeyCode::Backspace => {
                path.pop();
            }
            _ => {
                if let Some(c) = key.typed().filter(|c| !c.is_control())
                    && path.chars().count() < 4096
                {
                    path.push(c);
                }
            }
        }
        self.mode = Mode::ImportPath(path);
        Vec::new()
    }

    fn move_row(&mut self, t: &Table, by: isize) {
        self.adding = None;
        let last = t.rows.len().saturating_sub(1) as isize;
        self.row = (self.row as isize).saturating_add(by).clamp(0, last.max(0)) as usize;
    }

    /// Scrolls so the cursor's row is drawn.
    pub fn scroll_to_cursor(&mut self, area: Rect, t: &Table) {
        if self.row < self.top {
            self.top = self.row;
        }
        while self.top < self.row && !layout(area, t, self).row_drawn(self.row) {
            self.top += 1;
        }
    }
}
