//! A DRT segment's table as the session applies it: the room seeds it when the segment starts
//! (the scenario's rows, or the table of the drill segment just played), then any present
//! participant edits it with [`DrtInput`]s under the table's own rule (one editor per cell);
//! a seat that leaves lets its cells go and keeps its text. Called from `apply`.

use super::apply::Refusal;
use super::input::SessionEvent;
use super::state::{Activity, Session};
use super::{ROOM, SeatId, limits};
use crate::drt::{DrtInput, Table};

impl Session {
    /// The room's starting table for DRT segment `segment` (once; later seeds are refused).
    pub(super) fn drt_seed(
        &mut self,
        segment: usize,
        table: &Table,
        from_drill: bool,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let Some(Activity::Drt(d)) = self.segments.get_mut(segment).map(|s| &mut s.activity) else {
            return Err("that is not a DRT segment".into());
        };
        if d.seeded {
            return Err("this table was already started".into());
        }
        if table.rows.len() > crate::drt::MAX_ROWS {
            return Err(format!(
                "a table holds at most {} rows",
                crate::drt::MAX_ROWS
            ));
        }
        d.table = Table {
            scenario: d.scenario.clone(),
            rows: table.rows.clone(),
            claims: Default::default(),
        };
        d.seeded = true;
        d.from_drill = from_drill;
        out.push(SessionEvent::DrtEdited {
            seat: ROOM,
            segment,
        });
        Ok(())
    }

    /// One participant's edit of the current DRT segment's table.
    pub(super) fn drt_edit(
        &mut self,
        seat: SeatId,
        edit: &DrtInput,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let i = self.current().ok_or("no segment is running")?;
        let beat = self.beat;
        let Activity::Drt(d) = &mut self.segments[i].activity else {
            return Err("this is not a DRT segment".into());
        };
        if d.edits.len() >= limits::NOTES * 20 {
            return Err(format!("at most {} edits a table", limits::NOTES * 20));
        }
        if matches!(edit, DrtInput::Drop) {
            return Err("a seat's cells go when it leaves".into());
        }
        if let Err(e) = d.table.apply(seat, edit) {
            return Err(match e {
                crate::drt::Rejected::Held { by } => {
                    format!("{} is editing that cell", self.seat_name(by))
                }
                e => e.to_string(),
            });
        }
        d.edits.push((beat, seat));
        out.push(SessionEvent::DrtEdited { seat, segment: i });
        Ok(())
    }

    /// `seat` left: every cell it held in any table is let go, its text kept.
    pub(super) fn drt_drop(&mut self, seat: SeatId) {
        for s in &mut self.segments {
            if let Activity::Drt(d) = &mut s.activity {
                let _ = d.table.apply(seat, &DrtInput::Drop);
            }
        }
    }

    /// The table of segment `i`, if it is a DRT segment.
    pub fn drt(&self, i: usize) -> Option<&Table> {
        match &self.segments.get(i)?.activity {
            Activity::Drt(d) => Some(&d.table),
            _ => None,
        }
    }
}

/// The script's DRT words, `(word, what follows it)`.
pub(super) const WORDS: &[(&str, &str)] = &[
    ("drt-claim", "ROW COLUMN"),
    ("drt-type", "TEXT"),
    ("drt-backspace", ""),
    ("drt-release", ""),
    ("drt-add", ""),
    ("drt-delete", "ROW"),
];

/// A script line's DRT word as the action it sends: `drt-claim ROW COLUMN` (a row number from
/// 1, a column key such as `cues`), `drt-type TEXT`, `drt-backspace`, `drt-release`,
/// `drt-add`, `drt-delete ROW`. `None` when `word` is not one; `(column, message)` on a problem.
pub(super) fn script_step(
    word: &str,
    wcol: usize,
    args: &[(usize, &str)],
    rest: &str,
) -> Option<Result<super::SessionAction, (usize, String)>> {
    let usage = WORDS.iter().find(|(w, _)| *w == word)?.1;
    let n_args = usage.split_whitespace().count();
    let row = |(c, w): (usize, &str)| -> Result<usize, (usize, String)> {
        match w.parse::<usize>() {
            Ok(n) if (1..=crate::drt::MAX_ROWS).contains(&n) => Ok(n - 1),
            _ => Err((
                c,
                format!(
                    "`{word}`: `{w}` is not a row number (1 to {})",
                    crate::drt::MAX_ROWS
                ),
            )),
        }
    };
    let edit = (|| {
        if usage != "TEXT"
            && let Some(&(c, w)) = args.get(n_args)
        {
            return Err((
                c,
                format!("`{word}` takes {n_args} argument(s), not `{w}` too"),
            ));
        }
        if args.len() < n_args || (usage == "TEXT" && rest.is_empty()) {
            return Err((
                wcol,
                format!("`{word}` needs {usage}, e.g. `drt-claim 1 cues`"),
            ));
        }
        Ok(match word {
            "drt-claim" => {
                let (c, w) = args[1];
                let Some(column) = crate::drt::Column::from_key(w) else {
                    let keys: Vec<&str> = crate::drt::COLUMNS.iter().map(|c| c.key()).collect();
                    return Err((
                        c,
                        format!("`{w}` is not a DRT column; columns: {}", keys.join(", ")),
                    ));
                };
                DrtInput::Claim {
                    row: row(args[0])?,
                    column,
                }
            }
            "drt-type" => {
                let text: String = rest.chars().filter(|c| !c.is_control()).collect();
                if text.chars().count() > crate::drt::MAX_TYPED_CHARS {
                    return Err((
                        wcol,
                        format!(
                            "`drt-type` types at most {} characters a line",
                            crate::drt::MAX_TYPED_CHARS
                        ),
                    ));
                }
                DrtInput::Type { text }
            }
            "drt-backspace" => DrtInput::Backspace,
            "drt-release" => DrtInput::Release,
            "drt-add" => DrtInput::AddRow,
            _ => DrtInput::DeleteRow { row: row(args[0])? },
        })
    })();
    Some(edit.map(|edit| super::SessionAction::Drt { edit }))
}
