//! The matrix as Markdown: the grid (each cell its mark word, a `*` where a note is), the notes
//! below it, and the risks the team should act on.

use super::{ColumnKind, Matrix};

/// The grid as a Markdown table, rows of services against the columns.
pub fn grid(m: &Matrix) -> String {
    let mut out = String::from("| service |");
    for c in &m.columns {
        let name = esc(&c.name);
        match c.kind {
            ColumnKind::Dependency => out.push_str(&format!(" {name} |")),
            k => out.push_str(&format!(" {name} ({}) |", k.label())),
        }
    }
    out.push_str("\n| --- |");
    for _ in &m.columns {
        out.push_str(" --- |");
    }
    out.push('\n');
    let risks = m.risks();
    for (r, row) in m.rows.iter().enumerate() {
        out.push_str(&format!("| {} |", esc(&row.name)));
        for c in 0..m.columns.len() {
            let cell = m.cell(r, c).cloned().unwrap_or_default();
            let mut text = cell.mark.map_or(String::new(), |k| k.name().to_string());
            let risk = m.is_risk(&risks, r, c);
            if risk {
                text = format!("**{text}**");
            }
            if !cell.note.is_empty() {
                text.push_str(if risk { " *" } else { "*" });
            }
            out.push_str(&format!(" {text} |"));
        }
        out.push('\n');
    }
    out
}

/// The notes, one bullet a noted cell: `service × column: note (by)`.
pub fn notes(m: &Matrix) -> Vec<String> {
    m.filled()
        .filter(|(_, _, c)| !c.note.is_empty())
        .map(|(r, c, cell)| {
            let by = if cell.by.is_empty() {
                String::new()
            } else {
                format!(" ({})", cell.by)
            };
            format!(
                "{} × {}: {}{by}",
                m.rows[r].name, m.columns[c].name, cell.note
            )
        })
        .collect()
}

/// The whole matrix as a Markdown document.
pub fn markdown(m: &Matrix) -> String {
    let mut out = format!("# {}\n\n", m.title);
    if !m.summary.is_empty() {
        out.push_str(&format!("{}\n\n", m.summary.trim()));
    }
    out.push_str(&grid(m));
    out.push_str(
        "\nMarks: hard and soft dependency, unknown, knows (\"I know how this works\"), owner. \
         **Bold**: a risk; `*`: a note.\n",
    );
    let notes = notes(m);
    if !notes.is_empty() {
        out.push_str("\n## Notes\n\n");
        for n in notes {
            out.push_str(&format!("- {n}\n"));
        }
    }
    let risks = m.risks();
    out.push_str("\n## Risks\n\n");
    if risks.is_empty() {
        out.push_str(
            "None: every cell is known and every service has more than one person who knows it.\n",
        );
    }
    for r in risks {
        out.push_str(&format!("- {}: {}\n", r.kind(), r.text(m)));
    }
    out
}

/// A table cell's text: `|` escaped, one line.
fn esc(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
