//! Session scripts: one action per line, `BEAT SEAT ACTION ARGS`, `#` starts a comment
//! (docs/session-format.md). A script is what `gamelan session --headless` plays, so a
//! setlist and its decks can be tested in CI like a scenario's cue scripts.
//!
//! Parsing checks everything it can on its own (the words, durations, seats named, theme
//! ids); what depends on the session as it runs (a pane of the vista shown, a drill's cue) is
//! resolved by the runner, which reports it at the same `file:line:col`.

//!
//! The model and [`parse`] are here; `rows` splits the text into words with their columns,
//! `words` reads each line's beat, seat and action.

mod rows;
mod words;

use super::input::SessionAction;
use super::setlist::Plan;
use super::{SeatId, limits};
use crate::diag::Diagnostic;
use rows::{rows, valid_seat};
use words::Cx;

/// Most lines a script may hold.
pub const MAX_LINES: usize = 100_000;

/// One script line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptLine {
    pub beat: u64,
    pub seat: SeatId,
    pub step: Step,
    /// Where it was written: 1-based line, and the column of the action word.
    pub line: usize,
    pub col: usize,
}

/// What a line does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A session action, complete.
    Act(SessionAction),
    /// Presenter: focus a pane (its id or 1-based number).
    Focus(String),
    /// Presenter: the tour at a pane, or off.
    Tour(Option<String>),
    /// A remark or question, on a named pane or the one in focus.
    Remark {
        pane: Option<String>,
        text: String,
        question: bool,
    },
    /// Words for the drill of the current drill segment, as in a cue script (`ack`, `note
    /// TEXT`, `hint`…); `col` is where they start.
    Drill { words: String, col: usize },
}

/// A parsed script: its lines and the seats it names, in order of first appearance (a
/// seat's id is its index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub lines: Vec<ScriptLine>,
    pub seats: Vec<String>,
}

/// Parses a script for `plan`; every problem is reported with its position.
pub fn parse(src: &str, file: &str, plan: &Plan) -> Result<Script, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let rows = rows(src);
    if rows.len() > MAX_LINES {
        return Err(vec![Diagnostic::whole(
            file,
            format!(
                "{} lines; a script may have at most {MAX_LINES}",
                rows.len()
            ),
        )]);
    }
    // Seats are numbered by their first appearance as the actor of a line.
    let mut seats: Vec<String> = Vec::new();
    for r in &rows {
        if let Some(name) = r.words.get(1)
            && valid_seat(name.1).is_ok()
            && !seats.iter().any(|s| s == name.1)
            && seats.len() < limits::SEATS
        {
            seats.push(name.1.to_string());
        }
    }
    let themes: Vec<&str> = plan
        .decks
        .iter()
        .flatten()
        .flat_map(|d| d.themes.iter().map(|t| t.id.as_str()))
        .collect();
    let matrices: Vec<&crate::matrix::Matrix> = plan.matrices.iter().flatten().collect();
    let cx = Cx {
        bpm: plan.setlist.bpm,
        seats: &seats,
        themes: &themes,
        matrices: &matrices,
    };
    let mut lines = Vec::new();
    let mut last = 0;
    for r in &rows {
        let mut err = |col: usize, message: String| {
            diags.push(Diagnostic {
                file: file.to_string(),
                line: r.line,
                col,
                message,
            })
        };
        match cx.line(r, last) {
            Ok(l) => {
                last = l.beat;
                lines.push(l);
            }
            Err((col, msg)) => err(col, msg),
        }
    }
    if diags.is_empty() {
        Ok(Script { lines, seats })
    } else {
        Err(diags)
    }
}
