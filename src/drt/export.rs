//! A table as Markdown (for the write-up), CSV (for a spreadsheet, read back by
//! [`super::from_csv`]) and JSON (the whole value).

use super::{COLUMNS, Table};
use std::fmt::Write as _;

/// The CSV header: the seven column keys, the decision point, and the drill's moment (written
/// for people, ignored on import).
pub const CSV_EXTRA: [&str; 2] = ["point", "moment"];

/// A Markdown table with the seven columns and what the drill showed.
pub fn markdown(t: &Table) -> String {
    let mut md = String::new();
    let heads: Vec<&str> = COLUMNS.iter().map(|c| c.title()).collect();
    let _ = writeln!(md, "| {} | what the drill showed |", heads.join(" | "));
    let _ = writeln!(md, "|{}", " --- |".repeat(COLUMNS.len() + 1));
    for r in &t.rows {
        let cells: Vec<String> = r.cells.iter().map(|c| cell(c)).collect();
        let _ = writeln!(
            md,
            "| {} | {} |",
            cells.join(" | "),
            cell(&r.moment.summary())
        );
    }
    if t.rows.is_empty() {
        let _ = writeln!(md, "\n(no rows yet)");
    }
    md
}

/// One Markdown cell: pipes escaped, line breaks as `<br>`, empty as a dash.
fn cell(s: &str) -> String {
    if s.trim().is_empty() {
        return "-".into();
    }
    s.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// CSV with a header line; every field quoted when it needs to be.
pub fn csv(t: &Table) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let head = COLUMNS.iter().map(|c| c.key()).chain(CSV_EXTRA);
    // Writing into a Vec cannot fail.
    let _ = w.write_record(head);
    for r in &t.rows {
        let point = r.point.clone().unwrap_or_default();
        let fields = r.cells.iter().cloned().chain([point, r.moment.summary()]);
        let _ = w.write_record(fields);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The table as pretty JSON, with a final newline.
pub fn json(t: &Table) -> String {
    let mut out = serde_json::to_string_pretty(t).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}
