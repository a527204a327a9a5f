//! The matrix file (docs/matrix-format.md): `[matrix]` with a title, `[[rows]]` of services,
//! `[[columns]]` of dependencies, people and teams, and `[[cells]]` that name a row and a
//! column by id with a mark and a note. [`load_str`] reports every problem at its
//! `file:line:col` through the shared [`Checker`]; [`to_toml`] writes a matrix back so that
//! [`load_str`] reads the same matrix again.

use super::{
    Cell, Column, ColumnKind, MAX_COLUMNS, MAX_ID, MAX_NAME, MAX_NOTE, MAX_ROWS, MAX_SUMMARY,
    MAX_TITLE, Mark, Matrix, Service, is_id,
};
use crate::diag::{Checker, Diagnostic};
use std::collections::HashSet;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// File names ending in this are matrices (beside a setlist, or bundled).
pub const SUFFIX: &str = ".matrix.toml";

/// Whether TOML text is a matrix file: a top-level `[matrix]` table (judged by the table
/// headers when it does not parse, so a broken matrix still gets the matrix's diagnostics).
pub fn is_matrix(text: &str) -> bool {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return doc.get_ref().get("matrix").is_some();
    }
    text.lines().any(|l| l.trim_start().starts_with("[matrix]"))
}

/// Reads a matrix from TOML text; `file` names it in diagnostics.
pub fn load_str(src: &str, file: &str) -> Result<Matrix, Vec<Diagnostic>> {
    if src.len() > super::MAX_FILE_BYTES {
        return Err(vec![Diagnostic::whole(
            file,
            format!(
                "the file is {} bytes; a matrix file may be at most {}",
                src.len(),
                super::MAX_FILE_BYTES
            ),
        )]);
    }
    let mut cx = Checker::new(file, src);
    let (doc, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        for e in &errors {
            cx.toml(e);
        }
        return Err(cx.finish());
    }
    let doc = doc.into_inner();
    let mut w = Walk { cx };
    w.keys(
        &doc,
        &["matrix", "rows", "columns", "cells"],
        "a matrix (top level)",
    );
    let mut title = None;
    let mut summary = String::new();
    match doc.get("matrix").map(|v| (v.span(), v.get_ref())) {
        Some((span, DeValue::Table(t))) => {
            w.keys(t, &["title", "summary"], "[matrix]");
            title = w.string(t, &span, "title", "[matrix]", MAX_TITLE, true, false);
            summary = w
                .string(t, &span, "summary", "[matrix]", MAX_SUMMARY, false, true)
                .unwrap_or_default();
        }
        Some((span, _)) => {
            w.cx.error(span, "`matrix` must be a table: write it as [matrix]")
        }
        None => w.cx.whole("missing the [matrix] table (with its `title`)"),
    }
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (i, (span, t)) in w.tables(&doc, "rows", MAX_ROWS).into_iter().enumerate() {
        let what = format!("rows[{i}]");
        w.keys(t, &["id", "name", "about"], &what);
        let id = w.id(t, &span, &what, &mut seen, "row");
        let name = w.string(t, &span, "name", &what, MAX_NAME, false, false);
        let about = w.string(t, &span, "about", &what, MAX_SUMMARY, false, true);
        if let Some(id) = id {
            rows.push(Service {
                name: name.unwrap_or_else(|| id.clone()),
                id,
                about: about.unwrap_or_default(),
            });
        }
    }
    let mut columns = Vec::new();
    let mut seen = HashSet::new();
    for (i, (span, t)) in w
        .tables(&doc, "columns", MAX_COLUMNS)
        .into_iter()
        .enumerate()
    {
        let what = format!("columns[{i}]");
        w.keys(t, &["id", "name", "kind"], &what);
        let id = w.id(t, &span, &what, &mut seen, "column");
        let name = w.string(t, &span, "name", &what, MAX_NAME, false, false);
        let kind = match w.spanned(t, &span, "kind", &what, 32, false) {
            None => Some(ColumnKind::Dependency),
            Some((k, at)) => ColumnKind::from_name(&k).or_else(|| {
                w.cx.unknown(at, "column kind", &k, ColumnKind::NAMES);
                None
            }),
        };
        if let (Some(id), Some(kind)) = (id, kind) {
            columns.push(Column {
                name: name.unwrap_or_else(|| id.clone()),
                id,
                kind,
            });
        }
    }
    if rows.is_empty() && w.cx.is_clean() {
        w.cx.whole("a matrix needs at least one [[rows]] entry (a service)");
    }
    if columns.is_empty() && w.cx.is_clean() {
        w.cx.whole("a matrix needs at least one [[columns]] entry (a dependency, person or team)");
    }
    let mut m = Matrix::new("", rows, columns);
    let max_cells = MAX_ROWS * MAX_COLUMNS;
    let row_ids: Vec<String> = m.rows.iter().map(|r| r.id.clone()).collect();
    let col_ids: Vec<String> = m.columns.iter().map(|c| c.id.clone()).collect();
    let row_ids: Vec<&str> = row_ids.iter().map(String::as_str).collect();
    let col_ids: Vec<&str> = col_ids.iter().map(String::as_str).collect();
    let mut set = HashSet::new();
    for (i, (span, t)) in w.tables(&doc, "cells", max_cells).into_iter().enumerate() {
        let what = format!("cells[{i}]");
        w.keys(t, &["row", "col", "mark", "note", "by"], &what);
        let row = w.spanned(t, &span, "row", &what, MAX_ID, true);
        let col = w.spanned(t, &span, "col", &what, MAX_ID, true);
        let r = row.and_then(|(s, at)| w.cx.lookup(at, "row", &s, &row_ids));
        let c = col.and_then(|(s, at)| w.cx.lookup(at, "column", &s, &col_ids));
        let mark = match w.spanned(t, &span, "mark", &what, 32, false) {
            None => Some(None),
            Some((k, at)) => match Mark::from_name(&k) {
                Some(m) => Some(Some(m)),
                None => {
                    w.cx.unknown(at, "mark", &k, Mark::NAMES);
                    None
                }
            },
        };
        let note = w
            .string(t, &span, "note", &what, MAX_NOTE, false, false)
            .unwrap_or_default();
        let by = w
            .string(t, &span, "by", &what, MAX_NAME, false, false)
            .unwrap_or_default();
        let (Some(r), Some(c), Some(mark)) = (r, c, mark) else {
            continue;
        };
        if !set.insert((r, c)) {
            w.cx.error(
                span.clone(),
                format!(
                    "{what}: a second entry for row `{}` column `{}`",
                    row_ids[r], col_ids[c]
                ),
            );
            continue;
        }
        if mark.is_none() && note.is_empty() {
            w.cx.error(
                span.clone(),
                format!("{what}: give a `mark`, a `note` or both"),
            );
            continue;
        }
        if let Err(e) = m.set_mark(r, c, mark, &by) {
            w.cx.error(span.clone(), format!("{what}: {e}"));
            continue;
        }
        let cell = &mut m.cells[r * col_ids.len() + c];
        cell.note = note;
    }
    m.title = title.unwrap_or_default();
    m.summary = summary;
    w.cx.result(m)
}

/// A checker walking TOML tables, collecting every problem.
struct Walk<'a> {
    cx: Checker<'a>,
}

impl Walk<'_> {
    fn keys(&mut self, t: &DeTable<'_>, known: &[&str], what: &str) {
        for (k, _) in t.iter() {
            let name: &str = k.get_ref();
            if !known.contains(&name) {
                self.cx
                    .unknown(k.span(), &format!("key in {what}"), name, known);
            }
        }
    }

    fn tables<'t, 'i>(
        &mut self,
        doc: &'t DeTable<'i>,
        key: &str,
        max: usize,
    ) -> Vec<(Range<usize>, &'t DeTable<'i>)> {
        let Some(v) = doc.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.cx.error(
                v.span(),
                format!("`{key}` must be an array of tables: write each entry as [[{key}]]"),
            );
            return Vec::new();
        };
        self.cx
            .count(v.span(), &format!("[[{key}]] entries"), items.len(), max);
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate().take(max) {
            match item.get_ref() {
                DeValue::Table(t) => out.push((item.span(), t)),
                other => self.cx.error(
                    item.span(),
                    format!("{key}[{i}] must be a table, not a {}", other.type_str()),
                ),
            }
        }
        out
    }

    /// A string and its span; `None` (with a problem when `required` or malformed) otherwise.
    fn spanned(
        &mut self,
        t: &DeTable<'_>,
        span: &Range<usize>,
        key: &str,
        what: &str,
        max: usize,
        required: bool,
    ) -> Option<(String, Range<usize>)> {
        let Some(v) = t.get(key) else {
            if required {
                self.cx
                    .error(span.clone(), format!("{what}: missing `{key}`"));
            }
            return None;
        };
        let DeValue::String(s) = v.get_ref() else {
            self.cx.error(
                v.span(),
                format!(
                    "{what}: `{key}` must be a string, not a {}",
                    v.get_ref().type_str()
                ),
            );
            return None;
        };
        if !self.cx.text(v.span(), &format!("{what}: `{key}`"), s, max) {
            return None;
        }
        Some((s.to_string(), v.span()))
    }

    /// A string field; `block` allows newlines and tabs, any other control character is
    /// refused.
    #[allow(clippy::too_many_arguments)]
    fn string(
        &mut self,
        t: &DeTable<'_>,
        span: &Range<usize>,
        key: &str,
        what: &str,
        max: usize,
        required: bool,
        block: bool,
    ) -> Option<String> {
        let (s, at) = self.spanned(t, span, key, what, max, required)?;
        let bad = s
            .chars()
            .find(|c| c.is_control() && !(block && (*c == '\n' || *c == '\t')));
        if let Some(c) = bad {
            self.cx.error(
                at,
                format!(
                    "{what}: `{key}` holds the control character {}",
                    c.escape_default()
                ),
            );
            return None;
        }
        Some(s)
    }

    fn id(
        &mut self,
        t: &DeTable<'_>,
        span: &Range<usize>,
        what: &str,
        seen: &mut HashSet<String>,
        kind: &str,
    ) -> Option<String> {
        let (id, at) = self.spanned(t, span, "id", what, MAX_ID, true)?;
        if !is_id(&id) {
            self.cx.error(
                at,
                format!("{what}: `id` `{id}` must be letters, digits, -, _ or ."),
            );
            return None;
        }
        if !seen.insert(id.clone()) {
            self.cx
                .error(at, format!("{what}: a second {kind} with id `{id}`"));
            return None;
        }
        Some(id)
    }
}

/// A TOML string literal.
fn lit(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The matrix as a matrix file: [`load_str`] of it gives the same matrix back.
pub fn to_toml(m: &Matrix) -> String {
    let mut out = String::from("# A knowledge matrix (docs/matrix-format.md).\n\n[matrix]\n");
    out.push_str(&format!("title = {}\n", lit(&m.title)));
    if !m.summary.is_empty() {
        out.push_str(&format!("summary = {}\n", lit(&m.summary)));
    }
    for r in &m.rows {
        out.push_str(&format!("\n[[rows]]\nid = {}\n", lit(&r.id)));
        if r.name != r.id {
            out.push_str(&format!("name = {}\n", lit(&r.name)));
        }
        if !r.about.is_empty() {
            out.push_str(&format!("about = {}\n", lit(&r.about)));
        }
    }
    for c in &m.columns {
        out.push_str(&format!("\n[[columns]]\nid = {}\n", lit(&c.id)));
        if c.name != c.id {
            out.push_str(&format!("name = {}\n", lit(&c.name)));
        }
        out.push_str(&format!("kind = {}\n", lit(c.kind.label())));
    }
    for (r, c, cell) in m.filled() {
        out.push_str(&format!(
            "\n[[cells]]\nrow = {}\ncol = {}\n",
            lit(&m.rows[r].id),
            lit(&m.columns[c].id)
        ));
        write_cell(&mut out, cell);
    }
    out
}

fn write_cell(out: &mut String, cell: &Cell) {
    if let Some(mark) = cell.mark {
        out.push_str(&format!("mark = {}\n", lit(mark.name())));
    }
    if !cell.note.is_empty() {
        out.push_str(&format!("note = {}\n", lit(&cell.note)));
    }
    if !cell.by.is_empty() {
        out.push_str(&format!("by = {}\n", lit(&cell.by)));
    }
}
