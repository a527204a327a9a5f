//! A positioned walk over a TOML document, shared by the setlist and deck loaders. Serde stops
//! at the first problem of a table; this walker reads every field by hand so that every
//! problem is collected with its `file:line:col`: unknown keys (with a did-you-mean), wrong
//! types, strings that are too long or hold control characters, numbers that are not finite
//! or out of range, and arrays with too many entries.

use crate::diag::Diagnostic;
use std::ops::{Range, RangeInclusive};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Largest session file read (setlists and decks are small hand-written files).
pub const MAX_FILE_BYTES: usize = 512 * 1024;

/// What a string may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// One line: no control characters at all.
    Line,
    /// Prose: newlines and tabs allowed, no other control characters.
    Block,
}

/// Collects diagnostics for one file.
pub struct Reader<'a> {
    pub file: &'a str,
    pub src: &'a str,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// Parses `src`; syntax errors (every one the parser recovers from) are returned at once.
    pub fn parse(
        src: &'a str,
        file: &'a str,
    ) -> Result<(Reader<'a>, DeTable<'a>), Vec<Diagnostic>> {
        if src.len() > MAX_FILE_BYTES {
            return Err(vec![Diagnostic::whole(
                file,
                format!(
                    "the file is {} bytes; session files may be at most {MAX_FILE_BYTES}",
                    src.len()
                ),
            )]);
        }
        let (doc, errors) = DeTable::parse_recoverable(src);
        if !errors.is_empty() {
            return Err(errors
                .iter()
                .map(|e| Diagnostic::from_toml(file, src, e))
                .collect());
        }
        let reader = Reader {
            file,
            src,
            diags: Vec::new(),
        };
        Ok((reader, doc.into_inner()))
    }

    pub fn err(&mut self, span: Range<usize>, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(self.file, self.src, Some(span), msg));
    }

    pub fn whole(&mut self, msg: impl Into<String>) {
        self.diags.push(Diagnostic::whole(self.file, msg));
    }

    /// 1-based line and column of a byte offset, for references the shell resolves later.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        crate::diag::line_col(self.src, offset)
    }

    /// The diagnostics sorted by position, or `ok` when there are none.
    pub fn finish<T>(mut self, ok: Option<T>) -> Result<T, Vec<Diagnostic>> {
        if self.diags.is_empty() {
            return ok.ok_or_else(|| vec![Diagnostic::whole(self.file, "incomplete file")]);
        }
        self.diags.sort_by_key(|d| (d.line, d.col));
        self.diags.dedup();
        Err(self.diags)
    }

    /// Reports every key of `table` not in `known`, suggesting the nearest known key.
    pub fn unknown_keys(&mut self, table: &DeTable<'_>, known: &[&str], what: &str) {
        for (key, _) in table.iter() {
            let name: &str = key.get_ref();
            if !known.contains(&name) {
                let msg = unknown(&format!("key in {what}"), name, known);
                self.err(key.span(), msg);
            }
        }
    }

    /// A sub-table `key` of `table`: `None` (with a problem when `required`) when it is
    /// missing or not a table.
    pub fn table<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        key: &str,
        required: bool,
    ) -> Option<(Range<usize>, &'t DeTable<'i>)> {
        match table.get(key) {
            Some(v) => match v.get_ref() {
                DeValue::Table(t) => Some((v.span(), t)),
                _ => {
                    self.err(
                        v.span(),
                        format!("`{key}` must be a table: write it as [{key}]"),
                    );
                    None
                }
            },
            None => {
                if required {
                    self.whole(format!("missing the [{key}] table"));
                }
                None
            }
        }
    }

    /// The tables of an array of tables `key` (`[[key]]`), at most `max` of them.
    pub fn tables<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        key: &str,
        max: usize,
    ) -> Vec<(Range<usize>, &'t DeTable<'i>)> {
        let Some(v) = table.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.err(
                v.span(),
                format!("`{key}` must be an array of tables: write each entry as [[{key}]]"),
            );
            return Vec::new();
        };
        if items.len() > max {
            self.err(
                v.span(),
                format!(
                    "{} [[{key}]] entries; at most {max} are allowed",
                    items.len()
                ),
            );
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate().take(max) {
            match item.get_ref() {
                DeValue::Table(t) => out.push((item.span(), t)),
                other => self.err(
                    item.span(),
                    format!("{key}[{i}] must be a table, not a {}", other.type_str()),
                ),
            }
        }
        out
    }

    /// A string field: at most `max` characters of the kind `text` allows.
    pub fn string(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        what: &str,
        text: Text,
        max: usize,
    ) -> Option<Spanned<String>> {
        let v = table.get(key)?;
        let DeValue::String(s) = v.get_ref() else {
            self.err(
                v.span(),
                format!(
                    "{what}: `{key}` must be a string, not a {}",
                    v.get_ref().type_str()
                ),
            );
            return None;
        };
        let n = s.chars().count();
        if n > max {
            self.err(
                v.span(),
                format!("{what}: `{key}` is {n} characters long; at most {max} are allowed"),
            );
            return None;
        }
        let bad = s
            .chars()
            .find(|c| c.is_control() && !(text == Text::Block && (*c == '\n' || *c == '\t')));
        if let Some(c) = bad {
            self.err(
                v.span(),
                format!(
                    "{what}: `{key}` holds the control character {}",
                    c.escape_default()
                ),
            );
            return None;
        }
        Some(Spanned::new(v.span(), s.to_string()))
    }

    /// A required string field.
    pub fn required_string(
        &mut self,
        table: &DeTable<'_>,
        span: &Range<usize>,
        key: &str,
        what: &str,
        text: Text,
        max: usize,
    ) -> Option<Spanned<String>> {
        if table.get(key).is_none() {
            self.err(span.clone(), format!("{what}: missing `{key}`"));
            return None;
        }
        self.string(table, key, what, text, max)
    }

    /// A number field (integer or float): finite and within `range`.
    pub fn number(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        what: &str,
        range: RangeInclusive<f64>,
    ) -> Option<Spanned<f64>> {
        let v = table.get(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            other => {
                self.err(
                    v.span(),
                    format!(
                        "{what}: `{key}` must be a number, not a {}",
                        other.type_str()
                    ),
                );
                return None;
            }
        };
        match n {
            Some(n) if n.is_finite() && range.contains(&n) => Some(Spanned::new(v.span(), n)),
            Some(n) if !n.is_finite() => {
                self.err(
                    v.span(),
                    format!("{what}: `{key}` must be a finite number, not {n}"),
                );
                None
            }
            _ => {
                self.err(
                    v.span(),
                    format!(
                        "{what}: `{key}` must be between {} and {}",
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
        }
    }

    /// An integer field within `range`.
    pub fn integer(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        what: &str,
        range: RangeInclusive<u64>,
    ) -> Option<Spanned<u64>> {
        let v = table.get(key)?;
        let DeValue::Integer(i) = v.get_ref() else {
            self.err(
                v.span(),
                format!(
                    "{what}: `{key}` must be a whole number, not a {}",
                    v.get_ref().type_str()
                ),
            );
            return None;
        };
        match u64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) if range.contains(&n) => Some(Spanned::new(v.span(), n)),
            _ => {
                self.err(
                    v.span(),
                    format!(
                        "{what}: `{key}` must be between {} and {}",
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
        }
    }

    /// An identifier field: letters, digits, `-` and `_`, at most 64 characters.
    pub fn id(
        &mut self,
        table: &DeTable<'_>,
        span: &Range<usize>,
        key: &str,
        what: &str,
    ) -> Option<Spanned<String>> {
        let s = self.required_string(table, span, key, what, Text::Line, 64)?;
        if !is_id(s.get_ref()) {
            self.err(
                s.span(),
                format!(
                    "{what}: `{key}` `{}` must be letters, digits, - or _",
                    s.get_ref()
                ),
            );
            return None;
        }
        Some(s)
    }
}

/// Letters, digits, `-` and `_`, not empty.
pub fn is_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(crate::diag::is_id_char)
}

/// "unknown key `minuts`; did you mean `minutes`?", or the list of what is known.
pub fn unknown(what: &str, got: &str, known: &[&str]) -> String {
    match did_you_mean(got, known.iter().copied()) {
        Some(k) => format!("unknown {what} `{got}`; did you mean `{k}`?"),
        None if known.is_empty() => format!("unknown {what} `{got}`"),
        None => format!(
            "unknown {what} `{got}`; expected one of: {}",
            known.join(", ")
        ),
    }
}

/// The known name nearest to `got`, if it is close enough to be a typo.
pub fn did_you_mean<'k>(got: &str, known: impl Iterator<Item = &'k str>) -> Option<&'k str> {
    let limit = (got.chars().count() / 3).clamp(1, 3);
    if got.chars().count() > 64 {
        return None;
    }
    known
        .map(|k| (distance(&got.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Edit distance in characters, a swap of two neighbours counting as one edit (`bmp` is one
/// edit from `bpm`).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * w + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                v
            };
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_only_for_near_misses() {
        let known = ["minutes", "title", "kind"];
        assert_eq!(
            did_you_mean("minuts", known.iter().copied()),
            Some("minutes")
        );
        assert_eq!(did_you_mean("Titel", known.iter().copied()), Some("title"));
        assert_eq!(did_you_mean("colour", known.iter().copied()), None);
        assert!(unknown("key", "zzz", &known).contains("expected one of: minutes"));
    }

    #[test]
    fn numbers_are_finite_and_bounded() {
        let src = "a = nan\nb = 1e400\nc = 1_000\nd = -inf\ne = 0x10\n";
        let (mut r, doc) = Reader::parse(src, "t.toml").unwrap();
        assert!(r.number(&doc, "a", "t", 0.0..=10.0).is_none());
        assert!(r.number(&doc, "b", "t", 0.0..=10.0).is_none());
        assert_eq!(
            r.number(&doc, "c", "t", 0.0..=2000.0)
                .map(|s| s.into_inner()),
            Some(1000.0)
        );
        assert!(r.number(&doc, "d", "t", 0.0..=10.0).is_none());
        assert_eq!(
            r.integer(&doc, "e", "t", 0..=20).map(|s| s.into_inner()),
            Some(16)
        );
        let msgs: Vec<String> = r.diags.iter().map(ToString::to_string).collect();
        assert!(
            msgs[0].starts_with("t.toml:1:5: t: `a` must be a finite number"),
            "{msgs:?}"
        );
        assert!(msgs[1].starts_with("t.toml:2:5:"), "{msgs:?}");
        assert!(
            msgs[2].starts_with("t.toml:4:5: t: `d` must be a finite"),
            "{msgs:?}"
        );
    }
}
