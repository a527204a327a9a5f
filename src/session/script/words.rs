//! Each script line read: its beat (a number or a session time), its seat, and its action
//! word with what follows, checked against the setlist (seats, themes, matrices).

use super::rows::{Row, rest_from, rest_from_args, valid_seat};
use super::{ScriptLine, Step};
use crate::session::input::{Mark, SessionAction};
use crate::session::reader::did_you_mean;
use crate::session::{SeatId, parse_duration};

const WORDS: &[&str] = &[
    "join",
    "observe",
    "leave",
    "next",
    "back",
    "skip",
    "extend",
    "end",
    "presenter",
    "facilitator",
    "note",
    "remark",
    "ask",
    "focus",
    "zoom",
    "tour",
    "range",
    "pan",
    "spin",
    "spin-for",
    "escalate",
    "pass",
    "found",
    "helped",
    "not-found",
    "retire",
    "restore",
    "drill",
    "tick",
    "mark",
    "cell-note",
];

pub(super) struct Cx<'a> {
    pub bpm: u32,
    pub seats: &'a [String],
    pub themes: &'a [&'a str],
    /// The setlist's matrices: a `mark` or `cell-note` names a row and column of one.
    pub matrices: &'a [&'a crate::matrix::Matrix],
}

type Fail = (usize, String);

impl Cx<'_> {
    pub(super) fn line(&self, r: &Row<'_>, last: u64) -> Result<ScriptLine, Fail> {
        let (bcol, beat_word) = r.words[0];
        let beat = self.beat(beat_word).map_err(|m| (bcol, m))?;
        if beat < last {
            return Err((
                bcol,
                format!(
                    "beat {beat} comes before the previous line's beat {last}; keep the script in order"
                ),
            ));
        }
        let Some(&(scol, seat)) = r.words.get(1) else {
            return Err((
                bcol,
                "expected a seat and an action after the beat, e.g. `0 ana join`".into(),
            ));
        };
        valid_seat(seat).map_err(|m| (scol, m))?;
        let seat_id = self.seat(seat).map_err(|m| (scol, m))?;
        let Some(&(wcol, word)) = r.words.get(2) else {
            return Err((
                scol,
                format!("expected an action after `{seat}`, e.g. `next` or `note TEXT`"),
            ));
        };
        let args = &r.words[3..];
        let rest = args
            .first()
            .map_or("", |(c, _)| rest_from(r.text, *c))
            .trim_end();
        let step = match self.step(word, wcol, args, rest)? {
            Step::Act(SessionAction::Join { .. }) => Step::Act(SessionAction::Join {
                name: seat.to_string(),
            }),
            Step::Act(SessionAction::Observe { .. }) => Step::Act(SessionAction::Observe {
                name: seat.to_string(),
            }),
            step => step,
        };
        Ok(ScriptLine {
            beat,
            seat: seat_id,
            step,
            line: r.line,
            col: wcol,
        })
    }

    /// `120` (beats) or a session time like `12m30s`.
    fn beat(&self, w: &str) -> Result<u64, String> {
        if let Ok(b) = w.parse::<u64>() {
            return Ok(b);
        }
        if w.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("beat `{w}` is too large"));
        }
        let secs = parse_duration(w)
            .map_err(|_| format!("`{w}` is not a beat (`120`) or a session time (`12m30s`)"))?;
        Ok(secs.saturating_mul(u64::from(self.bpm)) / 60)
    }

    fn seat(&self, name: &str) -> Result<SeatId, String> {
        self.seats
            .iter()
            .position(|s| s == name)
            .map(|i| i as SeatId)
            .ok_or_else(|| {
                let known: Vec<&str> = self.seats.iter().map(String::as_str).collect();
                match did_you_mean(name, known.iter().copied()) {
                    Some(k) => format!("no seat `{name}` acts in this script; did you mean `{k}`?"),
                    None => format!("no seat `{name}` acts in this script"),
                }
            })
    }

    /// `ROW COL` of a `mark` or `cell-note` line: ids of a row and a column of one of the
    /// setlist's matrices.
    fn cell(
        &self,
        word: &str,
        wcol: usize,
        args: &[(usize, &str)],
    ) -> Result<(String, String), Fail> {
        let (Some(&(rc, row)), Some(&(cc, col))) = (args.first(), args.get(1)) else {
            return Err((
                wcol,
                format!("`{word}` needs a row and a column id, e.g. `{word} checkout-api ana …`"),
            ));
        };
        if self.matrices.is_empty() {
            return Err((
                wcol,
                format!("`{word}` is for a matrix segment, and this setlist has none"),
            ));
        }
        let rows: Vec<&str> = self
            .matrices
            .iter()
            .flat_map(|m| m.rows.iter().map(|r| r.id.as_str()))
            .collect();
        let cols: Vec<&str> = self
            .matrices
            .iter()
            .flat_map(|m| m.columns.iter().map(|c| c.id.as_str()))
            .collect();
        let known = |got: &str, ids: &[&str], what: &str, at: usize| -> Result<(), Fail> {
            if ids.contains(&got) {
                return Ok(());
            }
            let hint = did_you_mean(got, ids.iter().copied())
                .map_or_else(String::new, |k| format!("; did you mean `{k}`?"));
            Err((
                at,
                format!("no {what} `{got}` in this setlist's matrices{hint}"),
            ))
        };
        known(row, &rows, "row", rc)?;
        known(col, &cols, "column", cc)?;
        Ok((row.to_string(), col.to_string()))
    }

    fn duration(&self, arg: Option<&(usize, &str)>, word: &str, wcol: usize) -> Result<u64, Fail> {
        let &(col, w) = arg.ok_or((wcol, format!("`{word}` needs a duration, like `5m`")))?;
        parse_duration(w).map_err(|e| (col, format!("`{word}`: {e}")))
    }

    fn step(
        &self,
        word: &str,
        wcol: usize,
        args: &[(usize, &str)],
        rest: &str,
    ) -> Result<Step, Fail> {
        use SessionAction as A;
        let none = |s: Step| {
            if let Some((c, w)) = args.first() {
                Err((*c, format!("`{word}` takes nothing after it, not `{w}`")))
            } else {
                Ok(s)
            }
        };
        let text = |what: &str| {
            if rest.is_empty() {
                Err((wcol, format!("`{word}` needs {what}")))
            } else {
                Ok(rest.to_string())
            }
        };
        let seat_arg = || -> Result<SeatId, Fail> {
            let &(c, w) = args
                .first()
                .ok_or((wcol, format!("`{word}` needs a seat name")))?;
            self.seat(w).map_err(|m| (c, m))
        };
        let theme_arg = || -> Result<String, Fail> {
            let &(c, w) = args
                .first()
                .ok_or((wcol, format!("`{word}` needs a theme id")))?;
            if self.themes.contains(&w) {
                Ok(w.to_string())
            } else {
                let hint = did_you_mean(w, self.themes.iter().copied())
                    .map_or_else(String::new, |k| format!("; did you mean `{k}`?"));
                Err((c, format!("no theme `{w}` in this setlist's decks{hint}")))
            }
        };
        if let Some(step) = crate::session::drt::script_step(word, wcol, args, rest) {
            return step.map(Step::Act);
        }
        let act = |a: SessionAction| none(Step::Act(a));
        match word {
            "join" => act(A::Join {
                name: String::new(),
            }),
            "observe" => act(A::Observe {
                name: String::new(),
            }),
            "leave" => act(A::Leave),
            "next" => act(A::Next),
            "back" => act(A::Back),
            "skip" => act(A::Skip),
            "tick" => act(A::Tick),
            "spin" => act(A::Spin),
            "pass" => act(A::Pass),
            "found" => act(A::Mark {
                result: Mark::Found,
            }),
            "helped" => act(A::Mark {
                result: Mark::Helped,
            }),
            "not-found" => act(A::Mark {
                result: Mark::NotFound,
            }),
            "end" => Ok(Step::Act(A::End {
                reason: rest.to_string(),
            })),
            "extend" => {
                let secs = self.duration(args.first(), word, wcol)?;
                let beats = secs.saturating_mul(u64::from(self.bpm)) / 60;
                if beats == 0 {
                    return Err((args[0].0, "`extend` needs at least one beat".into()));
                }
                Ok(Step::Act(A::Extend { beats }))
            }
            "range" => Ok(Step::Act(A::Range {
                seconds: self.duration(args.first(), word, wcol)?,
            })),
            "pan" => crate::session::walkthrough::script_pan(args, wcol).map(Step::Act),
            "presenter" => Ok(Step::Act(A::HandPresenter { to: seat_arg()? })),
            "facilitator" => Ok(Step::Act(A::HandFacilitator { to: seat_arg()? })),
            "spin-for" => Ok(Step::Act(A::SpinFor {
                person: seat_arg()?,
            })),
            "retire" => Ok(Step::Act(A::Retire {
                theme: theme_arg()?,
            })),
            "restore" => Ok(Step::Act(A::Restore {
                theme: theme_arg()?,
            })),
            "note" => Ok(Step::Act(A::Note {
                text: text("the note's text")?,
            })),
            "escalate" => Ok(Step::Act(A::Escalate {
                to: text("who they would call")?,
            })),
            "zoom" => match args.first().map(|(_, w)| *w) {
                None | Some("on") => Ok(Step::Act(A::Zoom { on: true })),
                Some("off") => Ok(Step::Act(A::Zoom { on: false })),
                Some(w) => Err((args[0].0, format!("`zoom` takes `on` or `off`, not `{w}`"))),
            },
            "focus" => {
                let &(_, p) = args
                    .first()
                    .ok_or((wcol, "`focus` needs a pane (its id or number)".to_string()))?;
                Ok(Step::Focus(p.to_string()))
            }
            "tour" => match args.first().map(|(_, w)| *w) {
                None => Err((
                    wcol,
                    "`tour` needs a pane (its id or number) or `off`".into(),
                )),
                Some("off") => Ok(Step::Tour(None)),
                Some(p) => Ok(Step::Tour(Some(p.to_string()))),
            },
            "remark" | "ask" => {
                let (pane, text) = match args.first() {
                    Some((_, w)) if w.starts_with('@') && w.len() > 1 => {
                        let after = args
                            .get(1)
                            .map_or("", |(c, _)| rest_from_args(rest, args[0].0, *c));
                        (Some(w[1..].to_string()), after.to_string())
                    }
                    _ => (None, rest.to_string()),
                };
                if text.is_empty() {
                    return Err((wcol, format!("`{word}` needs its text")));
                }
                Ok(Step::Remark {
                    pane,
                    text,
                    question: word == "ask",
                })
            }
            "mark" => {
                let (row, col) = self.cell(word, wcol, args)?;
                let &(mc, m) = args.get(2).ok_or((
                    wcol,
                    format!(
                        "`mark` needs a mark after the cell: {} or clear",
                        crate::matrix::Mark::NAMES.join(", ")
                    ),
                ))?;
                let mark = match (m, crate::matrix::Mark::from_name(m)) {
                    ("clear", _) => None,
                    (_, Some(k)) => Some(k),
                    _ => {
                        let names: Vec<&str> = crate::matrix::Mark::NAMES
                            .iter()
                            .copied()
                            .chain(["clear"])
                            .collect();
                        let hint = did_you_mean(m, names.iter().copied()).map_or_else(
                            || format!("; marks: {}", names.join(", ")),
                            |k| format!("; did you mean `{k}`?"),
                        );
                        return Err((mc, format!("unknown mark `{m}`{hint}")));
                    }
                };
                if let Some(&(c, w)) = args.get(3) {
                    return Err((
                        c,
                        format!("`mark` takes a row, a column and a mark, not `{w}` after them"),
                    ));
                }
                Ok(Step::Act(A::MatrixMark { row, col, mark }))
            }
            "cell-note" => {
                let (row, col) = self.cell(word, wcol, args)?;
                let text = args
                    .get(2)
                    .map_or("", |(c, _)| rest_from_args(rest, args[0].0, *c));
                if text.is_empty() {
                    return Err((wcol, "`cell-note` needs its text after the cell".into()));
                }
                Ok(Step::Act(A::MatrixNote {
                    row,
                    col,
                    text: text.to_string(),
                }))
            }
            "drill" => {
                let &(col, _) = args.first().ok_or((
                    wcol,
                    "`drill` needs a cue or a drill action, e.g. `drill ack`".to_string(),
                ))?;
                Ok(Step::Drill {
                    words: rest.to_string(),
                    col,
                })
            }
            other => {
                let words: Vec<&str> = WORDS
                    .iter()
                    .copied()
                    .chain(crate::session::drt::WORDS.iter().map(|(w, _)| *w))
                    .collect();
                let msg = match did_you_mean(other, words.iter().copied()) {
                    Some(k) => format!("unknown action `{other}`; did you mean `{k}`?"),
                    None => format!("unknown action `{other}`; actions: {}", words.join(", ")),
                };
                Err((wcol, msg))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Step, parse};
    use crate::session::SessionAction;
    use crate::session::setlist::{self, Plan};

    fn plan() -> Plan {
        let s = setlist::load_str(
            "[setlist]\ntitle = \"t\"\n[[segments]]\nkind = \"discussion\"\nminutes = 5\n",
            "s.toml",
        )
        .unwrap();
        Plan::resolve(s, |_| unreachable!()).unwrap()
    }

    #[test]
    fn lines_parse_with_seats_in_order_of_appearance() {
        let s = parse(
            "# a comment\n0 ana join\n0 bo observe   # trailing\n1m ana next\n90 ana note TODO: write it down  \n95 ana remark @cpu the line is flat\n96 bo ask why?\n",
            "t.script",
            &plan(),
        )
        .unwrap();
        assert_eq!(s.seats, vec!["ana", "bo"]);
        assert_eq!(s.lines[2].beat, 60);
        assert_eq!(
            s.lines[3].step,
            Step::Act(SessionAction::Note {
                text: "TODO: write it down".into()
            })
        );
        assert_eq!(
            s.lines[4].step,
            Step::Remark {
                pane: Some("cpu".into()),
                text: "the line is flat".into(),
                question: false
            }
        );
        assert_eq!((s.lines[5].line, s.lines[5].col), (7, 7));
    }

    #[test]
    fn problems_are_positioned() {
        let errs = parse(
            "0 ana join\n5 ana next\n3 ana next\n7 ana nxt\n8 ana extend 5\n9 ana presenter bob\n10 room next\n11 ana retire x\n",
            "t.script",
            &plan(),
        )
        .unwrap_err();
        let msgs: Vec<String> = errs.iter().map(ToString::to_string).collect();
        let want = [
            "t.script:3:1: beat 3 comes before the previous line's beat 5",
            "t.script:4:7: unknown action `nxt`; did you mean `next`?",
            "t.script:5:14: `extend`: `5` is not a duration",
            "t.script:6:17: no seat `bob` acts in this script",
            "t.script:7:4: `room` is the room itself",
            "t.script:8:15: no theme `x` in this setlist's decks",
        ];
        for w in want {
            assert!(
                msgs.iter().any(|m| m.starts_with(w)),
                "missing {w:?} in {msgs:#?}"
            );
        }
    }
}
