//! Decision Requirements Tables, pure: the seven columns of the method, a table built from what
//! a team actually did in a drill, and multi-seat editing as inputs.
//!
//! A table starts from the scenario's own `[[debrief.decisions]]` rows, the decision points the
//! drill asked (what was chosen, by whom, at which beat, the signals then) and every scribe's
//! "decision here" ([`crate::drill::Action::DecisionHere`]). Seats then edit it with
//! [`DrtInput`]s: one editor per cell at a time ([`Table::apply`] refuses a claim on a held
//! cell), text typed in bounded pieces, and a seat that drops releases its claims and keeps what
//! it typed. Like the drill, it knows no terminal, file or clock.

mod build;
mod edit;
mod export;
mod import;
mod save;
#[cfg(test)]
mod tests;

pub use build::{from_drill, from_scenario};
pub use edit::{DrtInput, MAX_CELL_CHARS, MAX_ROWS, MAX_TYPED_CHARS, Rejected};
pub use export::{csv, json, markdown};
pub use import::from_csv;
pub use save::{LineDiff, diff_lines, save_rows};

use crate::drill::SeatId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The seven columns of a Decision Requirements Table, in the method's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// The demanding decision.
    Decision,
    /// Why it is difficult.
    WhyDifficult,
    /// The critical cues an expert notices.
    Cues,
    /// Where those cues are read.
    Sources,
    /// Common novice errors.
    NoviceError,
    /// Expert strategies.
    Strategy,
    /// Sources of uncertainty.
    Uncertainty,
}

/// Every column, in order.
pub const COLUMNS: [Column; 7] = [
    Column::Decision,
    Column::WhyDifficult,
    Column::Cues,
    Column::Sources,
    Column::NoviceError,
    Column::Strategy,
    Column::Uncertainty,
];

impl Column {
    /// The field name in scenario files, CSV headers and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Column::Decision => "decision",
            Column::WhyDifficult => "why_difficult",
            Column::Cues => "cues",
            Column::Sources => "sources",
            Column::NoviceError => "novice_error",
            Column::Strategy => "strategy",
            Column::Uncertainty => "uncertainty",
        }
    }

    /// The heading people read.
    pub fn title(self) -> &'static str {
        match self {
            Column::Decision => "demanding decision",
            Column::WhyDifficult => "why difficult",
            Column::Cues => "critical cues",
            Column::Sources => "information sources",
            Column::NoviceError => "novice errors",
            Column::Strategy => "expert strategies",
            Column::Uncertainty => "sources of uncertainty",
        }
    }

    pub fn index(self) -> usize {
        COLUMNS.iter().position(|c| *c == self).unwrap_or(0)
    }

    pub fn from_key(key: &str) -> Option<Column> {
        COLUMNS.into_iter().find(|c| c.key() == key)
    }
}

/// Where a row came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Origin {
    /// The scenario's own row (its index in `[[debrief.decisions]]`).
    Scenario { index: usize },
    /// A decision point the drill asked and the scenario had no row for.
    Point,
    /// A scribe's "decision here" at a beat.
    Mark,
    /// Added by a seat while building the table, or read from a CSV.
    Added,
}

/// What the drill shows about a row's moment: the beat, what was chosen and by whom, and the
/// signals' values then. Empty for rows the drill never reached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Moment {
    /// The beat, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beat: Option<u64>,
    /// `bar:beat (story time)`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub when: String,
    /// What was chosen and by whom, or who marked it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub what: String,
    /// `name value unit` for each signal at that beat.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signals: Vec<String>,
}

impl Moment {
    /// One line: what, when and the signals.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.what.is_empty() {
            parts.push(self.what.clone());
        }
        if !self.when.is_empty() {
            parts.push(format!("at {}", self.when));
        }
        if !self.signals.is_empty() {
            parts.push(self.signals.join(", "));
        }
        parts.join("; ")
    }
}

/// One row: the seven cells, the decision point it names, and the drill's moment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Row {
    /// The cells in [`COLUMNS`] order.
    pub cells: [String; 7],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
    pub origin: Origin,
    #[serde(default)]
    pub moment: Moment,
}

impl Row {
    /// An empty row from `origin`.
    pub fn new(origin: Origin) -> Row {
        Row {
            cells: Default::default(),
            point: None,
            origin,
            moment: Moment::default(),
        }
    }

    pub fn cell(&self, c: Column) -> &str {
        &self.cells[c.index()]
    }

    pub fn set(&mut self, c: Column, text: impl Into<String>) {
        self.cells[c.index()] = text.into();
    }
}

/// A cell's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Cell {
    pub row: usize,
    pub column: Column,
}

/// A Decision Requirements Table and who is editing which cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Table {
    /// The scenario's id (empty when built from a CSV alone).
    #[serde(default)]
    pub scenario: String,
    pub rows: Vec<Row>,
    /// Who holds each claimed cell: one editor per cell, one cell per seat.
    #[serde(skip)]
    pub claims: BTreeMap<Cell, SeatId>,
}

impl Table {
    /// The cell `seat` holds, if any.
    pub fn claim_of(&self, seat: SeatId) -> Option<Cell> {
        self.claims
            .iter()
            .find(|(_, s)| **s == seat)
            .map(|(c, _)| *c)
    }

    /// Who holds `cell`, if anyone.
    pub fn holder(&self, cell: Cell) -> Option<SeatId> {
        self.claims.get(&cell).copied()
    }
}
