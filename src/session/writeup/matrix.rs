//! A matrix segment in the write-up: the grid as the seats left it, its notes, and each risk
//! (unknowns, single points of knowledge, services nobody knows) as an action item.

use super::{ActionItem, Detail};
use crate::matrix::Matrix;
use serde::Serialize;

/// One risk the matrix shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskRow {
    /// `unknown`, `single point of knowledge` or `nobody knows`.
    pub kind: String,
    pub service: String,
    pub text: String,
}

/// The detail of a matrix segment, and its action items (at `at`, numbered `number`).
pub(super) fn detail(m: &Matrix, number: usize, time: String) -> (Detail, Vec<ActionItem>) {
    let risks: Vec<RiskRow> = m
        .risks()
        .into_iter()
        .map(|r| RiskRow {
            kind: r.kind().to_string(),
            service: m
                .rows
                .get(r.row())
                .map_or_else(String::new, |s| s.name.clone()),
            text: r.text(m),
        })
        .collect();
    let items = risks
        .iter()
        .map(|r| ActionItem {
            time: time.clone(),
            text: format!("{}: {}", r.kind, r.text),
            from: format!("matrix, segment {number}"),
        })
        .collect();
    let [hard, soft, unknown, knows, owner] = m.counts();
    let detail = Detail::Matrix {
        matrix: m.title.clone(),
        rows: m.rows.len(),
        columns: m.columns.len(),
        marks: format!("{hard} hard, {soft} soft, {unknown} unknown, {knows} knows, {owner} owner"),
        grid: crate::matrix::export::grid(m),
        notes: crate::matrix::export::notes(m),
        risks,
    };
    (detail, items)
}
