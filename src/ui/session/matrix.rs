//! A matrix segment on a seat: the grid of services against dependencies, people and teams,
//! each cell its mark's glyph, this seat's cursor on one cell, risks in the warning colour
//! (unknown cells, the one person who knows a service, rows nobody knows); under it the cell
//! under the cursor in full (mark, note, who set it) and the risks as a list. The cursor is
//! the seat's own; the marks are everyone's.

use super::SessionSeat;
use crate::matrix::{Matrix, Risk};
use crate::session::Session;
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::text::{clean, fit, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// Widest a row's name is drawn.
const NAME_W: usize = 24;
/// Widest a column is drawn.
const COL_W: usize = 12;

/// The cursor kept inside the matrix.
pub fn cursor(v: &SessionSeat, m: &Matrix) -> (usize, usize) {
    (
        v.cell.0.min(m.rows.len().saturating_sub(1)),
        v.cell.1.min(m.columns.len().saturating_sub(1)),
    )
}

/// The first of `n` items to show so that `at` is visible in `room` of them.
fn window(at: usize, n: usize, room: usize) -> usize {
    if room == 0 || n <= room {
        return 0;
    }
    at.saturating_sub(room / 2).min(n - room)
}

pub(super) fn draw(
    buf: &mut Buffer,
    body: Rect,
    v: &SessionSeat,
    s: &Session,
    i: usize,
    theme: &Theme,
) {
    let Some(m) = s.matrix(i) else { return };
    let risks = m.risks();
    let title = format!(
        "{} · {} risk{}",
        clean(&m.title),
        risks.len(),
        if risks.len() == 1 { "" } else { "s" }
    );
    let inner = block(buf, body, title, false, theme);
    if inner.width < 8 || inner.height < 3 || m.rows.is_empty() || m.columns.is_empty() {
        return;
    }
    let (cr, cc) = cursor(v, m);
    // The grid takes what it needs, leaving at least 3 lines (2 on a short body) for the cell
    // under the cursor, the keys and the risks.
    let below = if inner.height >= 10 { 3 } else { 2 };
    let grid_h = (m.rows.len() as u16 + 1)
        .min(inner.height.saturating_sub(below))
        .max(2);
    let name_w = m
        .rows
        .iter()
        .map(|r| width(&r.name))
        .max()
        .unwrap_or(4)
        .clamp(4, NAME_W)
        .min(inner.width as usize / 3);
    let avail = (inner.width as usize).saturating_sub(name_w + 1);
    let natural = m
        .columns
        .iter()
        .map(|c| width(&c.name) + 1)
        .max()
        .unwrap_or(3)
        .clamp(5, COL_W);
    // Narrower columns (names cut short) rather than columns out of sight, down to 6.
    let col_w = natural.min((avail / m.columns.len()).max(6));
    let cols_shown = (avail / col_w).max(1);
    let first_col = window(cc, m.columns.len(), cols_shown);
    let rows_shown = (grid_h as usize).saturating_sub(1).max(1);
    let first_row = window(cr, m.rows.len(), rows_shown);
    let (x0, y0) = (inner.x, inner.y);
    // The header: column names, people and teams marked by their style.
    let more_left = if first_col > 0 { "‹" } else { " " };
    buf.set_stringn(x0, y0, more_left, name_w, theme.style(Meaning::Muted));
    for (k, c) in m
        .columns
        .iter()
        .enumerate()
        .skip(first_col)
        .take(cols_shown)
    {
        let x = x0 + (name_w + 1 + (k - first_col) * col_w) as u16;
        let style = if k == cc {
            theme.style(Meaning::Focus).add_modifier(Modifier::BOLD)
        } else if c.kind.knows() {
            theme.style(Meaning::Accent)
        } else {
            theme.style(Meaning::Title)
        };
        buf.set_stringn(x, y0, fit(&clean(&c.name), col_w - 1), col_w - 1, style);
    }
    if first_col + cols_shown < m.columns.len() {
        let x = inner.right().saturating_sub(1);
        buf.set_stringn(x, y0, "›", 1, theme.style(Meaning::Muted));
    }
    for (r, row) in m.rows.iter().enumerate().skip(first_row).take(rows_shown) {
        let y = y0 + 1 + (r - first_row) as u16;
        let nobody = risks.contains(&Risk::Nobody { row: r });
        let style = if r == cr {
            theme.style(Meaning::Focus).add_modifier(Modifier::BOLD)
        } else if nobody {
            theme.style(Meaning::Warning)
        } else {
            theme.style(Meaning::Text)
        };
        buf.set_stringn(x0, y, fit(&clean(&row.name), name_w), name_w, style);
        for c in first_col..(first_col + cols_shown).min(m.columns.len()) {
            let x = x0 + (name_w + 1 + (c - first_col) * col_w) as u16;
            let cell = m.cell(r, c).cloned().unwrap_or_default();
            let glyph = cell.mark.map_or('·', crate::matrix::Mark::glyph);
            let text = format!("{glyph}{}", if cell.note.is_empty() { ' ' } else { '*' });
            let mut style = if m.is_risk(&risks, r, c) {
                theme.style(Meaning::Critical).add_modifier(Modifier::BOLD)
            } else if cell.mark.is_some() {
                theme.style(Meaning::Text)
            } else {
                theme.style(Meaning::Muted)
            };
            if (r, c) == (cr, cc) {
                style = theme.style(Meaning::Selection).add_modifier(Modifier::BOLD);
                buf.set_stringn(x, y, format!("[{text}]"), col_w, style);
            } else {
                buf.set_stringn(x + 1, y, text, col_w - 1, style);
            }
        }
    }
    let mut y = y0 + grid_h + u16::from(inner.height > grid_h + below + 1);
    let wd = inner.width as usize;
    let line = |buf: &mut Buffer, y: &mut u16, text: String, m: Meaning| {
        if *y < inner.bottom() {
            buf.set_stringn(x0, *y, fit(&text, wd), wd, theme.style(m));
            *y += 1;
        }
    };
    let row = &m.rows[cr];
    let col = &m.columns[cc];
    let cell = m.cell(cr, cc).cloned().unwrap_or_default();
    let mark = cell.mark.map_or("no mark", crate::matrix::Mark::name);
    let by = if cell.by.is_empty() {
        String::new()
    } else {
        format!(" · set by {}", clean(&cell.by))
    };
    line(
        buf,
        &mut y,
        format!(
            "{} × {} ({}): {mark}{by}",
            clean(&row.name),
            clean(&col.name),
            col.kind.label()
        ),
        Meaning::Title,
    );
    if !cell.note.is_empty() {
        line(
            buf,
            &mut y,
            format!("  note: {}", clean(&cell.note)),
            Meaning::Text,
        );
    }
    let hint = "h hard · f soft · u unknown · k knows · o owner · x clear · c/enter note";
    line(buf, &mut y, hint.to_string(), Meaning::Muted);
    for r in &risks {
        line(
            buf,
            &mut y,
            format!("⚠ {}: {}", r.kind(), r.text(m)),
            Meaning::Warning,
        );
    }
}
