//! A script's text as rows of words, each with its 1-based column, and the seat names a
//! script may use.

use crate::session::limits;

/// A non-empty line split into words with their 1-based columns, and the text after each.
pub(super) struct Row<'a> {
    pub line: usize,
    pub words: Vec<(usize, &'a str)>,
    pub text: &'a str,
}

pub(super) fn rows(src: &str) -> Vec<Row<'_>> {
    let mut out = Vec::new();
    for (n, raw) in src.lines().enumerate() {
        let text = raw.split('#').next().unwrap_or("");
        let mut words = Vec::new();
        let mut start: Option<(usize, usize)> = None;
        for (col, (i, c)) in (1..).zip(text.char_indices()) {
            if c.is_whitespace() {
                if let Some((b, cl)) = start.take() {
                    words.push((cl, &text[b..i]));
                }
            } else if start.is_none() {
                start = Some((i, col));
            }
        }
        if let Some((b, cl)) = start {
            words.push((cl, &text[b..]));
        }
        if !words.is_empty() {
            out.push(Row {
                line: n + 1,
                words,
                text,
            });
        }
    }
    out
}

pub(super) fn valid_seat(name: &str) -> Result<(), String> {
    if name == "room" {
        return Err("`room` is the room itself; a script acts as people".into());
    }
    let ok = name.chars().count() <= limits::NAME
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a seat name (letters, digits, -, _ or ., at most {} characters)",
            limits::NAME
        ))
    }
}

/// The text of `line` from character column `col` on.
pub(super) fn rest_from(line: &str, col: usize) -> &str {
    let at = line
        .char_indices()
        .nth(col - 1)
        .map_or(line.len(), |(i, _)| i);
    &line[at..]
}

/// `rest` starts at column `start`; the part of it from column `col` on.
pub(super) fn rest_from_args(rest: &str, start: usize, col: usize) -> &str {
    rest_from(rest, col - start + 1).trim_end()
}
