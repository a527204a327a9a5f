//! A matrix as a simple spreadsheet (docs/matrix-format.md § CSV): the header names the
//! columns after a first cell for the services (`service,payments-db,ana (person)`), each later
//! line is one service, its cells a mark word, optionally followed by `: note` (`hard: writes
//! every order`), or `: note` alone, or empty. Ids are made from the names ([`super::slug`]).
//! [`from_csv`] reports every problem at its `file:line:col`; [`to_csv`] writes the same form,
//! so an exported matrix imports back.

use super::{
    Column, ColumnKind, MAX_COLUMNS, MAX_NAME, MAX_NOTE, MAX_ROWS, Mark, Matrix, Service, slug,
};
use crate::diag::csv_field_span as field_span;
use crate::diag::{Checker, Diagnostic};
use std::collections::HashSet;

/// Reads a matrix from CSV text titled `title`; `file` names it in diagnostics.
pub fn from_csv(file: &str, src: &str, title: &str) -> Result<Matrix, Vec<Diagnostic>> {
    let mut ck = Checker::new(file, src);
    if src.len() > super::MAX_FILE_BYTES {
        ck.whole(format!(
            "the file is {} bytes; a matrix CSV may be at most {}",
            src.len(),
            super::MAX_FILE_BYTES
        ));
        return Err(ck.finish());
    }
    let mut rd = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(src.as_bytes());
    let mut records = rd.records();
    let Some(head) = crate::diag::csv_header(
        &mut records,
        src,
        &mut ck,
        "service,payments-db,ana (person)",
    ) else {
        return Err(ck.finish());
    };
    let start = head.position().map_or(0, |p| p.byte() as usize);
    if head.len() < 2 {
        ck.error(
            field_span(src, start, 0),
            "the header needs a first cell for the services and at least one column",
        );
        return Err(ck.finish());
    }
    ck.count(
        field_span(src, start, 0),
        "columns",
        head.len() - 1,
        MAX_COLUMNS,
    );
    let mut columns = Vec::new();
    let mut ok_cols = Vec::new();
    let mut seen = HashSet::new();
    for (i, name) in head.iter().enumerate().skip(1).take(MAX_COLUMNS) {
        let span = field_span(src, start, i);
        match column(name) {
            Err(e) => {
                ck.error(span, e);
                ok_cols.push(false);
            }
            Ok(c) if !seen.insert(c.id.clone()) => {
                ck.error(span, format!("a second column with id `{}`", c.id));
                ok_cols.push(false);
            }
            Ok(c) => {
                columns.push(c);
                ok_cols.push(true);
            }
        }
    }
    let mut rows = Vec::new();
    let mut cells: Vec<(usize, usize, Option<Mark>, String)> = Vec::new();
    let mut seen = HashSet::new();
    for (start, rec) in crate::diag::csv_records(records, src, &mut ck) {
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != head.len() {
            ck.error(
                field_span(src, start, rec.len().min(head.len())),
                format!(
                    "this row has {} fields; the header has {}",
                    rec.len(),
                    head.len()
                ),
            );
            continue;
        }
        if rows.len() == MAX_ROWS {
            ck.error(
                field_span(src, start, 0),
                format!("a matrix holds at most {MAX_ROWS} rows"),
            );
            break;
        }
        let name = rec.get(0).unwrap_or_default().trim();
        let id = slug(name);
        let span = field_span(src, start, 0);
        if id.is_empty() {
            ck.error(span, "a row needs a service name with a letter or digit");
            continue;
        }
        if !ck.text(span.clone(), "the service name", name, MAX_NAME) {
            continue;
        }
        if !seen.insert(id.clone()) {
            ck.error(span, format!("a second row with id `{id}`"));
            continue;
        }
        let r = rows.len();
        rows.push(Service {
            id,
            name: name.to_string(),
            about: String::new(),
        });
        let mut c = 0;
        for (i, field) in rec.iter().enumerate().skip(1) {
            if !ok_cols.get(i - 1).copied().unwrap_or(false) {
                continue;
            }
            let span = field_span(src, start, i);
            match cell(field) {
                Ok((None, note)) if note.is_empty() => {}
                Ok((mark, note)) => {
                    if ck.text(span.clone(), "the note", &note, MAX_NOTE) {
                        let kind = columns[c].kind;
                        if mark.is_some_and(Mark::is_knowledge) && !kind.knows() {
                            ck.error(
                                span,
                                format!(
                                    "`{}` is a dependency: only people and teams know or own a service; name the column `{} (person)` or `{0} (team)`",
                                    columns[c].name, columns[c].name
                                ),
                            );
                        } else {
                            cells.push((r, c, mark, note));
                        }
                    }
                }
                Err(e) => ck.error(span, e),
            }
            c += 1;
        }
    }
    if rows.is_empty() && ck.is_clean() {
        ck.whole("the CSV has a header but no service rows");
    }
    let mut m = Matrix::new(title, rows, columns);
    for (r, c, mark, note) in cells {
        // Checked above: these cannot fail.
        let _ = m.set_mark(r, c, mark, "");
        let _ = m.set_note(r, c, &note, "");
    }
    ck.result(m)
}

/// A header cell: `name`, or `name (person)`, `name (team)`, `name (dependency)`.
fn column(field: &str) -> Result<Column, String> {
    let field = field.trim();
    let (name, kind) = match field.strip_suffix(')').and_then(|f| f.rsplit_once('(')) {
        Some((name, kind)) => {
            let kind = kind.trim();
            let k = ColumnKind::from_name(kind).ok_or_else(|| {
                match crate::diag::suggest(kind, ColumnKind::NAMES.iter().copied()) {
                    Some(s) => format!("unknown column kind `{kind}`; did you mean `{s}`?"),
                    None => format!(
                        "unknown column kind `{kind}`; expected one of {}",
                        ColumnKind::NAMES.join(", ")
                    ),
                }
            })?;
            (name.trim(), k)
        }
        None => (field, ColumnKind::Dependency),
    };
    let id = slug(name);
    if id.is_empty() {
        return Err("a column needs a name with a letter or digit".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!(
            "the column name is {} characters long; at most {MAX_NAME} are allowed",
            name.chars().count()
        ));
    }
    Ok(Column {
        id,
        name: name.to_string(),
        kind,
    })
}

/// A cell: `mark`, `mark: note`, `: note` or empty.
fn cell(field: &str) -> Result<(Option<Mark>, String), String> {
    let (word, note) = match field.split_once(':') {
        Some((w, n)) => (w.trim(), n.trim()),
        None => (field.trim(), ""),
    };
    let note = super::clean(note, usize::MAX);
    if word.is_empty() {
        return Ok((None, note));
    }
    match Mark::from_name(&word.to_lowercase()) {
        Some(m) => Ok((Some(m), note)),
        None => Err(
            match crate::diag::suggest(word, Mark::NAMES.iter().copied()) {
                Some(s) => format!("unknown mark `{word}`; did you mean `{s}`?"),
                None => format!(
                    "unknown mark `{word}`; a cell is one of {} (optionally `: note`), or empty",
                    Mark::NAMES.join(", ")
                ),
            },
        ),
    }
}

/// The matrix as CSV in the form [`from_csv`] reads.
pub fn to_csv(m: &Matrix) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut head = vec!["service".to_string()];
    head.extend(m.columns.iter().map(|c| match c.kind {
        ColumnKind::Dependency => c.name.clone(),
        k => format!("{} ({})", c.name, k.label()),
    }));
    let _ = w.write_record(&head);
    for (r, row) in m.rows.iter().enumerate() {
        let mut rec = vec![row.name.clone()];
        for c in 0..m.columns.len() {
            let cell = m.cell(r, c).cloned().unwrap_or_default();
            let mark = cell.mark.map_or("", Mark::name);
            rec.push(if cell.note.is_empty() {
                mark.to_string()
            } else {
                format!("{mark}: {}", cell.note)
            });
        }
        let _ = w.write_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
