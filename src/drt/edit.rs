//! Editing a table as inputs, so every seat's edit can be recorded and replayed, and a room can
//! apply them in one order for every seat.

use super::{COLUMNS, Cell, Column, Origin, Row, Table};
use crate::drill::SeatId;
use serde::{Deserialize, Serialize};

/// The most characters one cell holds (a scenario text's bound).
pub const MAX_CELL_CHARS: usize = crate::scenario::limits::MAX_TEXT_CHARS;
/// The most characters one `Type` input carries: a paste is split into several inputs.
pub const MAX_TYPED_CHARS: usize = 256;
/// The most rows a table holds (a scenario's `[[debrief.decisions]]` bound is lower: saving
/// checks it).
pub const MAX_ROWS: usize = 64;

/// One seat's edit of a table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "drt", rename_all = "snake_case")]
pub enum DrtInput {
    /// Take a cell to edit it; a seat holding another cell lets that one go first.
    Claim { row: usize, column: Column },
    /// Append text to the cell the seat holds.
    Type { text: String },
    /// Remove the last character of the cell the seat holds.
    Backspace,
    /// Let the held cell go; its text stays.
    Release,
    /// The seat left: every claim it held is released, everything it typed stays.
    Drop,
    /// Append an empty row.
    AddRow,
    /// Remove a row nobody else is editing (claims on later rows move up with them).
    DeleteRow { row: usize },
    /// Replace every row with these (a CSV read back); refused while another seat edits.
    Import { rows: Vec<Row> },
}

/// Why an input changed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    NoSuchCell,
    /// Another seat is editing that cell.
    Held {
        by: SeatId,
    },
    /// The seat holds no cell to type into.
    NoClaim,
    TooLong,
    TooManyRows,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejected::NoSuchCell => write!(f, "there is no such cell"),
            Rejected::Held { by } => write!(f, "seat {by} is editing that cell"),
            Rejected::NoClaim => write!(f, "take a cell first (Enter)"),
            Rejected::TooLong => write!(
                f,
                "a cell holds at most {MAX_CELL_CHARS} characters, an edit {MAX_TYPED_CHARS}"
            ),
            Rejected::TooManyRows => write!(f, "a table holds at most {MAX_ROWS} rows"),
        }
    }
}

impl DrtInput {
    /// `Type` inputs for `text`, each within [`MAX_TYPED_CHARS`] (control characters dropped).
    pub fn typing(text: &str) -> Vec<DrtInput> {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_control()).collect();
        chars
            .chunks(MAX_TYPED_CHARS)
            .map(|c| DrtInput::Type {
                text: c.iter().collect(),
            })
            .collect()
    }
}

impl Table {
    /// Applies one seat's input. Nothing changes when it is refused; never panics.
    pub fn apply(&mut self, seat: SeatId, input: &DrtInput) -> Result<(), Rejected> {
        match input {
            DrtInput::Claim { row, column } => {
                let cell = Cell {
                    row: *row,
                    column: *column,
                };
                if *row >= self.rows.len() {
                    return Err(Rejected::NoSuchCell);
                }
                match self.holder(cell) {
                    Some(by) if by != seat => return Err(Rejected::Held { by }),
                    Some(_) => return Ok(()),
                    None => {}
                }
                self.claims.retain(|_, s| *s != seat);
                self.claims.insert(cell, seat);
                Ok(())
            }
            DrtInput::Type { text } => {
                let cell = self.claim_of(seat).ok_or(Rejected::NoClaim)?;
                let typed: String = text.chars().filter(|c| !c.is_control()).collect();
                let n = typed.chars().count();
                let slot = &mut self.rows[cell.row].cells[cell.column.index()];
                if n > MAX_TYPED_CHARS || slot.chars().count() + n > MAX_CELL_CHARS {
                    return Err(Rejected::TooLong);
                }
                slot.push_str(&typed);
                Ok(())
            }
            DrtInput::Backspace => {
                let cell = self.claim_of(seat).ok_or(Rejected::NoClaim)?;
                self.rows[cell.row].cells[cell.column.index()].pop();
                Ok(())
            }
            DrtInput::Release | DrtInput::Drop => {
                self.claims.retain(|_, s| *s != seat);
                Ok(())
            }
            DrtInput::AddRow => {
                if self.rows.len() >= MAX_ROWS {
                    return Err(Rejected::TooManyRows);
                }
                self.rows.push(Row::new(Origin::Added));
                Ok(())
            }
            DrtInput::DeleteRow { row } => {
                if *row >= self.rows.len() {
                    return Err(Rejected::NoSuchCell);
                }
                if let Some((_, by)) = self
                    .claims
                    .iter()
                    .find(|(c, s)| c.row == *row && **s != seat)
                {
                    return Err(Rejected::Held { by: *by });
                }
                self.rows.remove(*row);
                self.claims = std::mem::take(&mut self.claims)
                    .into_iter()
                    .filter(|(c, _)| c.row != *row)
                    .map(|(c, s)| {
                        let moved = if c.row > *row { c.row - 1 } else { c.row };
                        (Cell { row: moved, ..c }, s)
                    })
                    .collect();
                Ok(())
            }
            DrtInput::Import { rows } => {
                if let Some((_, by)) = self.claims.iter().find(|(_, s)| **s != seat) {
                    return Err(Rejected::Held { by: *by });
                }
                if rows.len() > MAX_ROWS {
                    return Err(Rejected::TooManyRows);
                }
                if rows
                    .iter()
                    .flat_map(|r| &r.cells)
                    .any(|c| c.chars().count() > MAX_CELL_CHARS)
                {
                    return Err(Rejected::TooLong);
                }
                self.rows = rows.clone();
                self.claims.clear();
                Ok(())
            }
        }
    }

    /// The next cell after `cell` in reading order (wrapping), for a view's cursor.
    pub fn next_cell(&self, cell: Cell) -> Cell {
        let i = cell.column.index();
        if i + 1 < COLUMNS.len() {
            Cell {
                row: cell.row,
                column: COLUMNS[i + 1],
            }
        } else {
            Cell {
                row: (cell.row + 1) % self.rows.len().max(1),
                column: COLUMNS[0],
            }
        }
    }
}
