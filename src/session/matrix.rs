//! A matrix segment's edits as the session applies them: any present participant sets a
//! cell's mark or note, by row and column id; the matrix itself checks what a cell may hold.
//! Called from `apply`, which has already checked that the seat is a present participant.

use super::apply::Refusal;
use super::input::SessionEvent;
use super::state::{Activity, Session};
use super::{SeatId, limits};
use crate::matrix::Mark;

impl Session {
    /// The current matrix segment's index, with a refusal otherwise.
    fn matrix_segment(&self) -> Result<usize, Refusal> {
        let i = self.current().ok_or("no segment is running")?;
        match self.segments[i].activity {
            Activity::Matrix(_) => Ok(i),
            _ => Err("this is not a matrix segment".into()),
        }
    }

    fn matrix_edit(
        &mut self,
        seat: SeatId,
        row: &str,
        col: &str,
        out: &mut Vec<SessionEvent>,
        edit: impl FnOnce(&mut crate::matrix::Matrix, usize, usize, &str) -> Result<(), Refusal>,
    ) -> Result<(), Refusal> {
        let i = self.matrix_segment()?;
        let name = self.seat_name(seat).to_string();
        let beat = self.beat;
        let Activity::Matrix(m) = &mut self.segments[i].activity else {
            return Err("this is not a matrix segment".into());
        };
        let (r, c) = m.matrix.locate(row, col)?;
        if m.edits.len() >= limits::NOTES * 5 {
            return Err(format!("at most {} edits a matrix", limits::NOTES * 5));
        }
        edit(&mut m.matrix, r, c, &name)?;
        m.edits.push((beat, seat, r, c));
        out.push(SessionEvent::MatrixEdited {
            seat,
            segment: i,
            row: r,
            col: c,
        });
        Ok(())
    }

    pub(super) fn matrix_mark(
        &mut self,
        seat: SeatId,
        row: &str,
        col: &str,
        mark: Option<Mark>,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        self.matrix_edit(seat, row, col, out, |m, r, c, by| {
            m.set_mark(r, c, mark, by)
        })
    }

    pub(super) fn matrix_note(
        &mut self,
        seat: SeatId,
        row: &str,
        col: &str,
        text: &str,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        self.matrix_edit(seat, row, col, out, |m, r, c, by| {
            m.set_note(r, c, text, by)
        })
    }

    /// The matrix of segment `i`, if it is a matrix segment.
    pub fn matrix(&self, i: usize) -> Option<&crate::matrix::Matrix> {
        match &self.segments.get(i)?.activity {
            Activity::Matrix(m) => Some(&m.matrix),
            _ => None,
        }
    }
}
