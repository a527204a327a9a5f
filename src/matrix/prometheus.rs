//! A matrix from the series of a real vista: each series of a query (`up`, or any query by
//! label) links the value of one label (the row, e.g. `job`) to the value of another (the
//! column, e.g. `instance`). [`from_series`] is pure: the shell fetches the series through the
//! vista's HTTP client (so a datasource's credentials work) and hands over their labels.

use super::{Column, ColumnKind, MAX_COLUMNS, MAX_NAME, MAX_ROWS, Mark, Matrix, Service, slug};
use std::collections::BTreeMap;

/// How the series become a matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub title: String,
    /// The label whose values are the rows (services).
    pub rows: String,
    /// The label whose values are the columns.
    pub cols: String,
    /// What the columns are.
    pub kind: ColumnKind,
    /// The mark a cell gets where a series links its row and column (`None`: left empty, the
    /// session fills it).
    pub mark: Option<Mark>,
    /// The query, for the notes.
    pub query: String,
}

/// What the import made, and what it left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub matrix: Matrix,
    /// Series without one of the two labels.
    pub skipped: usize,
}

/// Rows and columns from the label sets of a query's series, in sorted order; a cell is marked
/// where a series has both values. Too many rows or columns, or no usable series, is an error
/// that says what to change.
pub fn from_series(shape: &Shape, series: &[BTreeMap<String, String>]) -> Result<Imported, String> {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let mut skipped = 0;
    for s in series {
        match (s.get(&shape.rows), s.get(&shape.cols)) {
            (Some(r), Some(c)) if !slug(r).is_empty() && !slug(c).is_empty() => {
                pairs.push((r.as_str(), c.as_str()))
            }
            _ => skipped += 1,
        }
    }
    if pairs.is_empty() {
        let seen: std::collections::BTreeSet<&str> = series
            .iter()
            .flat_map(|s| s.keys().map(String::as_str))
            .collect();
        return Err(format!(
            "none of the {} series of `{}` has both labels `{}` and `{}` (their labels: {})",
            series.len(),
            shape.query,
            shape.rows,
            shape.cols,
            if seen.is_empty() {
                "none".to_string()
            } else {
                seen.into_iter().collect::<Vec<_>>().join(", ")
            }
        ));
    }
    let rows = unique(pairs.iter().map(|p| p.0), "rows", &shape.rows, MAX_ROWS)?;
    let cols = unique(
        pairs.iter().map(|p| p.1),
        "columns",
        &shape.cols,
        MAX_COLUMNS,
    )?;
    let mut m = Matrix::new(
        &shape.title,
        rows.iter()
            .map(|(id, name)| Service {
                id: id.clone(),
                name: name.clone(),
                about: String::new(),
            })
            .collect(),
        cols.iter()
            .map(|(id, name)| Column {
                id: id.clone(),
                name: name.clone(),
                kind: shape.kind,
            })
            .collect(),
    );
    m.summary = format!(
        "Imported from the Prometheus query `{}`: rows by `{}`, columns by `{}`.",
        shape.query, shape.rows, shape.cols
    );
    let mark = shape
        .mark
        .filter(|k| !k.is_knowledge() || shape.kind.knows());
    for (r, c) in pairs {
        let (Some(ri), Some(ci)) = (m.row_index(&slug(r)), m.column_index(&slug(c))) else {
            continue;
        };
        if mark.is_some() {
            let _ = m.set_mark(ri, ci, mark, "");
            let _ = m.set_note(ri, ci, &format!("seen in `{}`", shape.query), "");
        }
    }
    Ok(Imported { matrix: m, skipped })
}

/// Sorted `(id, name)` of the values; two values with one id are one entry.
fn unique<'a>(
    values: impl Iterator<Item = &'a str>,
    what: &str,
    label: &str,
    max: usize,
) -> Result<Vec<(String, String)>, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for v in values {
        let name: String = v.chars().take(MAX_NAME).collect();
        map.entry(slug(v)).or_insert(name);
    }
    if map.len() > max {
        return Err(format!(
            "`{label}` has {} values; a matrix holds at most {max} {what}: filter the query (e.g. `up{{job=~\"a|b\"}}`)",
            map.len()
        ));
    }
    Ok(map.into_iter().collect())
}
