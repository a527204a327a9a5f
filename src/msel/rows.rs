//! Reading an MSEL's rows: the header row names the columns, each later row is checked cell
//! by cell, and a bad cell is reported at its `file:line:col`.

use super::{Column, Kind, column_of};
use crate::diag::{Checker, Diagnostic};
use crate::scenario::limits::{
    MAX_ID_CHARS, MAX_LINE_CHARS, MAX_STORY_SECONDS_PER_BEAT, MAX_TEXT_CHARS,
};
use std::collections::HashSet;

/// One row as read, its cells checked.
pub(super) struct Row {
    pub kind: Kind,
    /// Story seconds from the start.
    pub at: Option<u64>,
    pub from: String,
    pub method: crate::scenario::Channel,
    pub inject: String,
    pub expected: String,
    pub objective: String,
    /// A cue key asked for in `Notes` (`key g`), as gamelan's export writes it.
    pub key: Option<char>,
    /// Ids given in the `Ref` column.
    pub reference: Option<String>,
    pub line: usize,
}

/// The first line of an empty MSEL's explanation: the columns gamelan's export writes.
const EXAMPLE_HEADER: &str = "Scenario Time,Type,From,Method,Inject,Expected Action";

pub(super) fn read_rows(src: &str, file: &str, problems: &mut Vec<Diagnostic>) -> Vec<Row> {
    let mut ck = Checker::new(file, src);
    let rows = rows_checked(src, &mut ck);
    problems.extend(ck.finish());
    rows
}

fn rows_checked(src: &str, ck: &mut Checker<'_>) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(src.as_bytes());
    let mut records = reader.records();
    let Some(headers) = crate::diag::csv_header(&mut records, src, ck, EXAMPLE_HEADER) else {
        return Vec::new();
    };
    let mut columns: Vec<Option<Column>> = headers.iter().map(column_of).collect();
    // The first of two columns of the same meaning counts.
    let mut seen = HashSet::new();
    for c in &mut columns {
        if let Some(col) = c
            && !seen.insert(*col)
        {
            *c = None;
        }
    }
    let has = |c: Column| columns.contains(&Some(c));
    if !has(Column::Time) || !(has(Column::Inject) || has(Column::Expected)) {
        ck.error(
            0..0,
            format!(
                "not an MSEL: the first line must name the columns, with at least `Scenario Time` and `Inject` \
                 or `Expected Action` (found: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        );
        return Vec::new();
    }
    let mut rows = Vec::new();
    for (start, record) in crate::diag::csv_records(records, src, ck) {
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |c: Column| -> (&str, usize) {
            columns
                .iter()
                .position(|x| *x == Some(c))
                .map_or(("", start), |i| {
                    (
                        record.get(i).unwrap_or("").trim(),
                        crate::diag::csv_field_span(src, start, i).start,
                    )
                })
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let mut bad = |(_, byte): (&str, usize), msg: String| ck.error(byte..byte, msg);
        let (inject, expected) = (cell(Column::Inject).0, cell(Column::Expected).0);
        let kind = match normal(cell(Column::Type).0).as_str() {
            "inject" | "event" | "injectevent" | "message" => Kind::Inject,
            "" if !inject.is_empty() => Kind::Inject,
            "contingency" | "contingencyinject" => Kind::Contingency,
            "expectedaction" | "expected" | "action" | "playeraction" | "" => Kind::Expected,
            other => {
                bad(
                    cell(Column::Type),
                    format!("`Type` must be Inject, Contingency or Expected Action, not `{other}`"),
                );
                continue;
            }
        };
        let time = cell(Column::Time);
        let at_secs = if time.0.is_empty() {
            if kind == Kind::Inject {
                bad(
                    time,
                    "an inject needs its `Scenario Time` (H:MM:SS from the start), or Type Contingency".into(),
                );
                continue;
            }
            None
        } else {
            match parse_time(time.0) {
                Ok(s) => Some(s),
                Err(m) => {
                    bad(time, m);
                    continue;
                }
            }
        };
        // An expected action's text is its `Expected Action`, else what `Inject` says.
        let text_cell = if kind == Kind::Expected && !expected.is_empty() {
            cell(Column::Expected)
        } else {
            cell(Column::Inject)
        };
        if text_cell.0.is_empty() {
            let what = if kind == Kind::Expected {
                "an expected action needs its text in `Expected Action`"
            } else {
                "an inject needs its text in `Inject`"
            };
            bad(text_cell, what.into());
            continue;
        }
        let limit = if kind == Kind::Expected {
            MAX_LINE_CHARS
        } else {
            MAX_TEXT_CHARS
        };
        if text_cell.0.chars().count() > limit {
            bad(
                text_cell,
                format!("this text is longer than {limit} characters, the most it may be"),
            );
            continue;
        }
        let from = cell(Column::From);
        if from.0.chars().count() > MAX_LINE_CHARS {
            bad(
                from,
                format!("`From` is longer than {MAX_LINE_CHARS} characters"),
            );
            continue;
        }
        if kind == Kind::Inject && !expected.is_empty() && expected.chars().count() > MAX_LINE_CHARS
        {
            bad(
                cell(Column::Expected),
                format!("this text is longer than {MAX_LINE_CHARS} characters, the most it may be"),
            );
            continue;
        }
        let method = cell(Column::Method);
        let channel = if kind == Kind::Expected {
            crate::scenario::Channel::Chat
        } else {
            match channel(method.0) {
                Some(c) => c,
                None => {
                    bad(
                        method,
                        format!(
                            "`Method` `{}` is not a way gamelan delivers an inject: page, chat, phone, status, email, \
                             ticket or log (or pager, slack, call, voice, status page, e-mail, logs)",
                            method.0
                        ),
                    );
                    continue;
                }
            }
        };
        let reference = cell(Column::Ref);
        let reference_id = if reference.0.is_empty() {
            None
        } else if is_id(reference.0) {
            Some(reference.0.to_string())
        } else {
            bad(
                reference,
                format!(
                    "`Ref` `{}` cannot be an id: 1 to {MAX_ID_CHARS} characters, no spaces, no #",
                    reference.0
                ),
            );
            continue;
        };
        rows.push(Row {
            kind,
            at: at_secs,
            from: from.0.to_string(),
            method: channel,
            inject: if kind == Kind::Expected {
                String::new()
            } else {
                inject.to_string()
            },
            expected: if kind == Kind::Expected {
                text_cell.0.to_string()
            } else {
                expected.to_string()
            },
            objective: cell(Column::Objective).0.to_string(),
            key: note_key(cell(Column::Notes).0),
            reference: reference_id,
            line,
        });
    }
    rows
}

/// `key g` in a note: the cue key a row asks for.
fn note_key(notes: &str) -> Option<char> {
    let rest = notes.split("key ").nth(1)?;
    let mut chars = rest.chars();
    let c = chars.next()?;
    chars
        .next()
        .is_none_or(|n| !n.is_alphanumeric())
        .then_some(c)
}

fn normal(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn channel(method: &str) -> Option<crate::scenario::Channel> {
    use crate::scenario::Channel as C;
    Some(match normal(method).as_str() {
        "page" | "pager" | "pagerduty" | "alert" => C::Page,
        "" | "chat" | "slack" | "message" | "im" | "teams" => C::Chat,
        "phone" | "call" | "phonecall" | "voice" | "verbal" => C::Phone,
        "status" | "statuspage" => C::Status,
        "email" | "mail" => C::Email,
        "ticket" | "jira" => C::Ticket,
        "log" | "logs" => C::Log,
        _ => return None,
    })
}

fn is_id(s: &str) -> bool {
    let n = s.chars().count();
    (1..=MAX_ID_CHARS).contains(&n)
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '#')
}

/// `H:MM:SS`, `H:MM`, `T+H:MM:SS`, or whole minutes (`12`, `12 min`).
fn parse_time(text: &str) -> Result<u64, String> {
    let t = text.trim().trim_start_matches("T+").trim_start_matches('+');
    let bad = || {
        format!(
            "`Scenario Time` `{text}` is not a time from the start of the exercise: write H:MM:SS (0:12:30), H:MM or minutes"
        )
    };
    let parts: Vec<&str> = t.split(':').collect();
    let num = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
    let secs = match parts.as_slice() {
        [h, m, s] => {
            let (m, s) = (num(m)?, num(s)?);
            if m > 59 || s > 59 {
                return Err(bad());
            }
            num(h)? * 3600 + m * 60 + s
        }
        [h, m] => {
            let m = num(m)?;
            if m > 59 {
                return Err(bad());
            }
            num(h)? * 3600 + m * 60
        }
        [m] => {
            let m = m
                .trim()
                .trim_end_matches("minutes")
                .trim_end_matches("min")
                .trim_end_matches('m');
            num(m)? * 60
        }
        _ => return Err(bad()),
    };
    let most = crate::scenario::limits::MAX_BEATS * u64::from(MAX_STORY_SECONDS_PER_BEAT);
    if secs > most {
        return Err(format!(
            "`Scenario Time` `{text}` is more than {} hours into the exercise, the longest a scenario's story may be",
            most / 3600
        ));
    }
    Ok(secs)
}
