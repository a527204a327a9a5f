//! A table read back from CSV, with every problem at its `file:line:col`.

use super::edit::{MAX_CELL_CHARS, MAX_ROWS};
use super::export::CSV_EXTRA;
use super::{COLUMNS, Column, Origin, Row, Table};
use crate::diag::{Checker, Diagnostic};

/// Reads a table from CSV text (`file` names it in diagnostics). The header names the columns
/// by their keys in any order: `decision` is required, every other column, `point` and
/// `moment` (ignored) are optional; anything else is an error with a suggestion.
pub fn from_csv(file: &str, src: &str) -> Result<Table, Vec<Diagnostic>> {
    let mut ck = Checker::new(file, src);
    let mut rd = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(src.as_bytes());
    let mut records = rd.records();
    let known: Vec<&str> = COLUMNS.iter().map(|c| c.key()).chain(CSV_EXTRA).collect();
    let Some(head) =
        crate::diag::csv_header(&mut records, src, &mut ck, "decision,why_difficult,cues")
    else {
        return Err(ck.finish());
    };
    let start = head.position().map_or(0, |p| p.byte() as usize);
    let mut columns: Vec<Option<&str>> = Vec::with_capacity(head.len());
    for (i, name) in head.iter().enumerate() {
        let name = name.trim();
        let span = crate::diag::csv_field_span(src, start, i);
        if !known.contains(&name) {
            ck.unknown(span, "column", name, &known);
            columns.push(None);
        } else if columns.contains(&Some(name)) {
            ck.error(span, format!("column `{name}` is named twice"));
            columns.push(None);
        } else {
            columns.push(Some(name));
        }
    }
    if !columns.contains(&Some("decision")) {
        ck.error(
            crate::diag::csv_field_span(src, start, 0),
            "the header has no `decision` column",
        );
    }
    let mut rows = Vec::new();
    for (start, rec) in crate::diag::csv_records(records, src, &mut ck) {
        if rec.len() != head.len() {
            ck.error(
                crate::diag::csv_field_span(src, start, rec.len().min(head.len())),
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
                crate::diag::csv_field_span(src, start, 0),
                format!("a table holds at most {MAX_ROWS} rows"),
            );
            break;
        }
        let mut row = Row::new(Origin::Added);
        for (i, (field, name)) in rec.iter().zip(&columns).enumerate() {
            let Some(name) = name else { continue };
            if *name == "point" {
                row.point = (!field.trim().is_empty()).then(|| field.trim().to_string());
            } else if let Some(c) = Column::from_key(name)
                && ck.text(
                    crate::diag::csv_field_span(src, start, i),
                    name,
                    field,
                    MAX_CELL_CHARS,
                )
            {
                row.set(c, field);
            }
        }
        // A row with nothing written (an export of a row just added) is left out.
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if row.cell(Column::Decision).trim().is_empty() {
            ck.error(
                crate::diag::csv_field_span(src, start, 0),
                "a row needs a `decision`",
            );
        }
        rows.push(row);
    }
    ck.result(Table {
        scenario: String::new(),
        rows,
        claims: Default::default(),
    })
}
