//! The knowledge matrix of a critical path: rows are the services on it, columns are what they
//! depend on or the people and teams who know them, and each cell holds a [`Mark`] (hard or soft
//! dependency, unknown, "I know how this works", owner) with an optional note. What a team does
//! not know is computed, not typed: [`Matrix::risks`] finds the unknown cells and the services
//! only one person knows or owns (or nobody does).
//!
//! Pure like the rest of the core: [`file`] reads and writes the TOML format
//! (docs/matrix-format.md) with positioned problems, [`csv`] imports and exports a simple
//! spreadsheet, [`export`] writes Markdown, [`prometheus`] turns a query's series into rows and
//! columns. The shells read and write the files.

pub mod csv;
pub mod export;
pub mod file;
pub mod prometheus;
mod risk;

pub use risk::Risk;

use serde::Serialize;

/// Most rows (services) a matrix holds.
pub const MAX_ROWS: usize = 200;
/// Most columns (dependencies, people, teams) a matrix holds.
pub const MAX_COLUMNS: usize = 100;
/// Characters of a cell's note.
pub const MAX_NOTE: usize = 500;
/// Characters of a row's or column's name, and of who set a cell.
pub const MAX_NAME: usize = 80;
/// Characters of an id.
pub const MAX_ID: usize = 64;
/// Characters of the title.
pub const MAX_TITLE: usize = 120;
/// Characters of the summary and of a row's `about`.
pub const MAX_SUMMARY: usize = 2000;
/// Largest matrix file read (TOML or CSV).
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// A whole matrix. `cells` is row-major: `rows.len() * columns.len()` entries.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Matrix {
    pub title: String,
    pub summary: String,
    pub rows: Vec<Service>,
    pub columns: Vec<Column>,
    pub cells: Vec<Cell>,
}

/// A row: one service on the critical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub about: String,
}

/// A column: something the services depend on, or someone who may know them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Column {
    pub id: String,
    pub name: String,
    pub kind: ColumnKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Dependency,
    Person,
    Team,
}

impl ColumnKind {
    pub const NAMES: &[&str] = &["dependency", "person", "team"];
    pub const ALL: [ColumnKind; 3] = [ColumnKind::Dependency, ColumnKind::Person, ColumnKind::Team];

    pub fn label(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn from_name(s: &str) -> Option<ColumnKind> {
        Self::NAMES
            .iter()
            .position(|n| *n == s)
            .map(|i| Self::ALL[i])
    }

    /// People and teams can know or own a service; a dependency cannot.
    pub fn knows(self) -> bool {
        self != ColumnKind::Dependency
    }
}

/// What a cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// The service fails when this fails.
    Hard,
    /// The service degrades when this fails.
    Soft,
    /// Nobody in the room knows: a risk.
    Unknown,
    /// "I know how this works."
    Knows,
    /// Owns it: answers for it.
    Owner,
}

impl Mark {
    pub const NAMES: &[&str] = &["hard", "soft", "unknown", "knows", "owner"];
    pub const ALL: [Mark; 5] = [
        Mark::Hard,
        Mark::Soft,
        Mark::Unknown,
        Mark::Knows,
        Mark::Owner,
    ];

    /// The word files, scripts and exports use.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn from_name(s: &str) -> Option<Mark> {
        Self::NAMES
            .iter()
            .position(|n| *n == s)
            .map(|i| Self::ALL[i])
    }

    /// One character for the grid.
    pub fn glyph(self) -> char {
        match self {
            Mark::Hard => 'H',
            Mark::Soft => 's',
            Mark::Unknown => '?',
            Mark::Knows => 'K',
            Mark::Owner => 'O',
        }
    }

    /// Knows or owns: the cell says someone can answer for the service.
    pub fn is_knowledge(self) -> bool {
        matches!(self, Mark::Knows | Mark::Owner)
    }
}

/// One cell: a mark, a note, and who last set either.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Cell {
    pub mark: Option<Mark>,
    pub note: String,
    /// Who set it last (a seat's name), empty when not known.
    pub by: String,
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        self.mark.is_none() && self.note.is_empty()
    }
}

/// Why an edit was not made.
pub type Refusal = String;

impl Matrix {
    /// An empty matrix of these rows and columns.
    pub fn new(title: &str, rows: Vec<Service>, columns: Vec<Column>) -> Matrix {
        let cells = vec![Cell::default(); rows.len() * columns.len()];
        Matrix {
            title: title.to_string(),
            summary: String::new(),
            rows,
            columns,
            cells,
        }
    }

    pub fn row_index(&self, id: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.id == id)
    }

    pub fn column_index(&self, id: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.id == id)
    }

    pub fn cell(&self, row: usize, col: usize) -> Option<&Cell> {
        if row >= self.rows.len() || col >= self.columns.len() {
            return None;
        }
        self.cells.get(row * self.columns.len() + col)
    }

    fn cell_mut(&mut self, row: usize, col: usize) -> Result<&mut Cell, Refusal> {
        if row >= self.rows.len() || col >= self.columns.len() {
            return Err(format!("no cell at row {} column {}", row + 1, col + 1));
        }
        let n = self.columns.len();
        self.cells
            .get_mut(row * n + col)
            .ok_or_else(|| "the matrix is malformed".to_string())
    }

    /// The cell of a row and column named by id, or why not (with a did-you-mean).
    pub fn locate(&self, row: &str, col: &str) -> Result<(usize, usize), Refusal> {
        let r = self.row_index(row).ok_or_else(|| {
            let ids: Vec<&str> = self.rows.iter().map(|r| r.id.as_str()).collect();
            missing("service", row, &ids)
        })?;
        let c = self.column_index(col).ok_or_else(|| {
            let ids: Vec<&str> = self.columns.iter().map(|c| c.id.as_str()).collect();
            missing("column", col, &ids)
        })?;
        Ok((r, c))
    }

    /// Sets (or with `None` clears) a cell's mark; `by` is who did it. Knowing and owning
    /// are for people and teams, not for a dependency.
    pub fn set_mark(
        &mut self,
        row: usize,
        col: usize,
        mark: Option<Mark>,
        by: &str,
    ) -> Result<(), Refusal> {
        if let Some(m) = mark
            && m.is_knowledge()
            && let Some(c) = self.columns.get(col)
            && !c.kind.knows()
        {
            return Err(format!(
                "`{}` is a dependency: only people and teams know or own a service",
                c.name
            ));
        }
        let cell = self.cell_mut(row, col)?;
        cell.mark = mark;
        cell.by = clean(by, MAX_NAME);
        Ok(())
    }

    /// Sets (or with empty text clears) a cell's note.
    pub fn set_note(
        &mut self,
        row: usize,
        col: usize,
        text: &str,
        by: &str,
    ) -> Result<(), Refusal> {
        let cell = self.cell_mut(row, col)?;
        cell.note = clean(text, MAX_NOTE);
        cell.by = clean(by, MAX_NAME);
        Ok(())
    }

    /// Cells that hold something, as `(row, column, cell)`.
    pub fn filled(&self) -> impl Iterator<Item = (usize, usize, &Cell)> {
        let n = self.columns.len().max(1);
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(move |(i, c)| (i / n, i % n, c))
    }

    /// How many cells carry each mark, in [`Mark::ALL`] order.
    pub fn counts(&self) -> [usize; 5] {
        let mut out = [0; 5];
        for c in &self.cells {
            if let Some(m) = c.mark {
                out[m as usize] += 1;
            }
        }
        out
    }

    /// Whether any column is a person or a team, so knowledge can be asked of every row.
    pub fn has_people(&self) -> bool {
        self.columns.iter().any(|c| c.kind.knows())
    }
}

/// A stable id from a name: lower-case letters, digits, `-` and `_`; anything else becomes `-`
/// (runs of them one), trimmed, at most [`MAX_ID`] characters. Empty for a name with no letter
/// or digit.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(MAX_ID).collect();
    out.trim_end_matches('-').to_string()
}

/// Letters, digits, `-`, `_` and `.`, 1 to [`MAX_ID`] characters.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= MAX_ID
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

/// One line of text as a cell keeps it: control characters become spaces, trimmed, bounded.
pub fn clean(text: &str, max: usize) -> String {
    let kept: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .chars()
        .take(max)
        .collect();
    kept.trim_end().to_string()
}

fn missing(what: &str, got: &str, ids: &[&str]) -> String {
    let got = clean(got, MAX_ID);
    match crate::diag::suggest(&got, ids.iter().copied()) {
        Some(s) => format!("no {what} `{got}` in the matrix; did you mean `{s}`?"),
        None => format!(
            "no {what} `{got}` in the matrix (known: {})",
            crate::diag::name_list(ids)
        ),
    }
}

#[cfg(test)]
mod tests;
