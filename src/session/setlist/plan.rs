//! A setlist with what its segments name resolved: each wheel segment's deck, each matrix
//! segment's matrix.

use super::{Reference, SegmentKind, Setlist};
use crate::diag::Diagnostic;
use crate::session::deck::Deck;

/// A setlist with the deck of each wheel segment: what a [`Session`](crate::session::Session) runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Plan {
    pub setlist: Setlist,
    /// One entry per segment: the deck of a wheel segment, `None` for the others.
    pub decks: Vec<Option<Deck>>,
    /// One entry per segment: the matrix a matrix segment starts from, `None` for the others.
    pub matrices: Vec<Option<crate::matrix::Matrix>>,
}

impl Plan {
    /// Resolves every wheel segment's deck with `deck`; every failure is reported.
    pub fn resolve(
        setlist: Setlist,
        mut deck: impl FnMut(&Reference) -> Result<Deck, Vec<Diagnostic>>,
    ) -> Result<Plan, Vec<Diagnostic>> {
        let mut decks = Vec::new();
        let mut problems = Vec::new();
        for seg in &setlist.segments {
            decks.push(match &seg.kind {
                SegmentKind::Wheel { deck: r, .. } => match deck(r) {
                    Ok(d) => Some(d),
                    Err(d) => {
                        problems.extend(d);
                        None
                    }
                },
                _ => None,
            });
        }
        if problems.is_empty() {
            let matrices = vec![None; setlist.segments.len()];
            Ok(Plan {
                setlist,
                decks,
                matrices,
            })
        } else {
            Err(problems)
        }
    }

    /// Resolves every matrix segment's matrix with `matrix`; every failure is reported.
    pub fn with_matrices(
        mut self,
        mut matrix: impl FnMut(&Reference) -> Result<crate::matrix::Matrix, Vec<Diagnostic>>,
    ) -> Result<Plan, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        for (i, seg) in self.setlist.segments.iter().enumerate() {
            if let SegmentKind::Matrix { matrix: r } = &seg.kind {
                match matrix(r) {
                    Ok(m) => self.matrices[i] = Some(m),
                    Err(d) => problems.extend(d),
                }
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// A fingerprint of the setlist, its decks and its matrices.
    pub fn content_hash(&self) -> String {
        let mut h = crate::fnv::Fnv::default();
        h.write(self.setlist.content_hash.as_bytes());
        for d in self.decks.iter().flatten() {
            h.write(d.content_hash.as_bytes());
        }
        for m in self.matrices.iter().flatten() {
            h.write(crate::matrix::file::to_toml(m).as_bytes());
        }
        format!("{:016x}", h.finish())
    }
}
