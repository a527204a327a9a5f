//! Saving a table into a scenario file's `[[debrief.decisions]]` rows, so the next run of the
//! drill starts from what the team learned. Pure: the old text in, the new text out (checked by
//! loading it), and a line diff for the person to review before the shell writes anything.

use super::{Column, Table};
use crate::diag::Diagnostic;
use crate::scenario::limits::MAX_LIST;

/// One line of a reviewed change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineDiff {
    Same(String),
    Removed(String),
    Added(String),
}

impl std::fmt::Display for LineDiff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineDiff::Same(l) => write!(f, "  {l}"),
            LineDiff::Removed(l) => write!(f, "- {l}"),
            LineDiff::Added(l) => write!(f, "+ {l}"),
        }
    }
}

/// The scenario text with its `[[debrief.decisions]]` tables replaced by the table's rows
/// (those with a decision), in place of the first one (or at the end). The result must load as
/// a scenario with exactly those rows, or the problems come back positioned in the new text.
pub fn save_rows(file: &str, src: &str, t: &Table) -> Result<String, Vec<Diagnostic>> {
    let rows: Vec<_> = t
        .rows
        .iter()
        .filter(|r| !r.cell(Column::Decision).trim().is_empty())
        .collect();
    if rows.len() > MAX_LIST {
        return Err(vec![Diagnostic::whole(
            file,
            format!(
                "the table has {} rows with a decision; a scenario holds at most {MAX_LIST}",
                rows.len()
            ),
        )]);
    }
    let mut blocks = String::new();
    for r in &rows {
        blocks.push_str("[[debrief.decisions]]\n");
        if let Some(p) = &r.point {
            blocks.push_str(&format!("point = {}\n", quote(p)));
        }
        // The order scenario files use, so a saved file differs only where the team wrote.
        for c in FILE_ORDER {
            let text = r.cell(c);
            let optional = matches!(c, Column::Sources | Column::Uncertainty);
            if !(optional && text.is_empty()) {
                blocks.push_str(&format!("{} = {}\n", c.key(), quote(text)));
            }
        }
        blocks.push('\n');
    }
    let lines: Vec<&str> = src.split_inclusive('\n').collect();
    let mut out = String::with_capacity(src.len() + blocks.len());
    let (mut i, mut placed) = (0, false);
    while i < lines.len() {
        if lines[i].trim() == "[[debrief.decisions]]" {
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with('[') {
                i += 1;
            }
            if !placed {
                out.push_str(&blocks);
                placed = true;
            }
            continue;
        }
        out.push_str(lines[i]);
        i += 1;
    }
    if !placed && !blocks.is_empty() {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        out.push_str(blocks.trim_end());
        out.push('\n');
    }
    let saved = crate::scenario::load_str(&out, file)?;
    let same = saved.debrief.decisions.len() == rows.len()
        && saved.debrief.decisions.iter().zip(&rows).all(|(d, r)| {
            d.decision == r.cell(Column::Decision)
                && d.uncertainty == r.cell(Column::Uncertainty)
                && d.point == r.point
        });
    if !same {
        return Err(vec![Diagnostic::whole(
            file,
            "the scenario's decision rows could not be replaced in place (a multi-line string \
             starting with `[`?); edit the file by hand",
        )]);
    }
    Ok(out)
}

const FILE_ORDER: [Column; 7] = [
    Column::Decision,
    Column::WhyDifficult,
    Column::Cues,
    Column::Strategy,
    Column::NoviceError,
    Column::Sources,
    Column::Uncertainty,
];

/// A TOML basic string.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The most lines [`diff_lines`] compares line by line; longer texts differ as a whole.
pub const MAX_DIFF_LINES: usize = 4000;

/// A line diff of `old` to `new` (longest common subsequence), for review.
pub fn diff_lines(old: &str, new: &str) -> Vec<LineDiff> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    if a.len() > MAX_DIFF_LINES || b.len() > MAX_DIFF_LINES {
        let mut d: Vec<LineDiff> = a.iter().map(|l| LineDiff::Removed(l.to_string())).collect();
        d.extend(b.iter().map(|l| LineDiff::Added(l.to_string())));
        return d;
    }
    // Skip the common head and tail so the table is only as large as the change.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let w = mb.len() + 1;
    let mut lcs = vec![0u32; (ma.len() + 1) * w];
    for i in (0..ma.len()).rev() {
        for j in (0..mb.len()).rev() {
            lcs[i * w + j] = if ma[i] == mb[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let mut d: Vec<LineDiff> = a[..head]
        .iter()
        .map(|l| LineDiff::Same(l.to_string()))
        .collect();
    let (mut i, mut j) = (0, 0);
    while i < ma.len() || j < mb.len() {
        if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
            d.push(LineDiff::Same(ma[i].to_string()));
            (i, j) = (i + 1, j + 1);
        } else if j < mb.len() && (i == ma.len() || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j]) {
            d.push(LineDiff::Added(mb[j].to_string()));
            j += 1;
        } else {
            d.push(LineDiff::Removed(ma[i].to_string()));
            i += 1;
        }
    }
    d.extend(
        a[a.len() - tail..]
            .iter()
            .map(|l| LineDiff::Same(l.to_string())),
    );
    d
}
