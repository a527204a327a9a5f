//! What the matrix says the team does not know: each unknown cell, each service only one
//! person knows or owns, and (when the matrix asks people at all) each service nobody does.

use super::{ColumnKind, Mark, Matrix};
use serde::Serialize;

/// One knowledge risk, by row and column index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "risk", rename_all = "snake_case")]
pub enum Risk {
    /// Nobody knows what this cell should say.
    Unknown { row: usize, col: usize },
    /// Only the person in `col` knows or owns the service in `row`: a single point of
    /// knowledge.
    SinglePerson { row: usize, col: usize },
    /// No person or team knows or owns the service in `row`.
    Nobody { row: usize },
}

impl Risk {
    pub fn row(self) -> usize {
        match self {
            Risk::Unknown { row, .. } | Risk::SinglePerson { row, .. } | Risk::Nobody { row } => {
                row
            }
        }
    }

    /// A short name of the kind: `unknown`, `single point of knowledge`, `nobody knows`.
    pub fn kind(self) -> &'static str {
        match self {
            Risk::Unknown { .. } => "unknown",
            Risk::SinglePerson { .. } => "single point of knowledge",
            Risk::Nobody { .. } => "nobody knows",
        }
    }

    /// The risk as a sentence about `m`, for the write-up and the exports.
    pub fn text(self, m: &Matrix) -> String {
        let row = |r: usize| m.rows.get(r).map_or("?", |s| s.name.as_str());
        let col = |c: usize| m.columns.get(c);
        match self {
            Risk::Unknown { row: r, col: c } => match col(c) {
                Some(c) if c.kind == ColumnKind::Dependency => {
                    format!("nobody knows whether {} depends on {}", row(r), c.name)
                }
                Some(c) => format!("nobody knows what {} knows of {}", c.name, row(r)),
                None => format!("an unknown cell of {}", row(r)),
            },
            Risk::SinglePerson { row: r, col: c } => {
                let who = col(c).map_or("?", |c| c.name.as_str());
                match m.cell(r, c).and_then(|x| x.mark) {
                    Some(Mark::Owner) => format!(
                        "only {who} owns {} and nobody else knows how it works",
                        row(r)
                    ),
                    _ => format!("only {who} knows how {} works", row(r)),
                }
            }
            Risk::Nobody { row: r } => format!("nobody said they know how {} works", row(r)),
        }
    }
}

impl Matrix {
    /// Every risk, row by row: the row's unknown cells left to right, then its knowledge risk.
    pub fn risks(&self) -> Vec<Risk> {
        let mut out = Vec::new();
        let people = self.has_people();
        for r in 0..self.rows.len() {
            let mut knowers = Vec::new();
            for (c, col) in self.columns.iter().enumerate() {
                let Some(cell) = self.cell(r, c) else {
                    continue;
                };
                match cell.mark {
                    Some(Mark::Unknown) => out.push(Risk::Unknown { row: r, col: c }),
                    Some(m) if m.is_knowledge() && col.kind.knows() => knowers.push(c),
                    _ => {}
                }
            }
            match knowers.as_slice() {
                [] if people => out.push(Risk::Nobody { row: r }),
                [c] if self.columns[*c].kind == ColumnKind::Person => {
                    out.push(Risk::SinglePerson { row: r, col: *c })
                }
                _ => {}
            }
        }
        out
    }

    /// Whether the cell is part of a risk (an unknown, or the one person who knows).
    pub fn is_risk(&self, risks: &[Risk], row: usize, col: usize) -> bool {
        risks.iter().any(|r| match *r {
            Risk::Unknown { row: a, col: b } | Risk::SinglePerson { row: a, col: b } => {
                a == row && b == col
            }
            Risk::Nobody { .. } => false,
        })
    }
}
