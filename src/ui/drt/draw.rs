//! Drawing the table: every column side by side on a wide screen; on a narrow one the
//! decision stays pinned on the left and the other columns scroll with the cursor, so a cell
//! is never cut to a few letters. Below, the cursor's row in full: where it came from (the
//! scenario, a decision point taken, a scribe's mark), the drill's moment and the whole cell.

use super::{DrtView, Mode};
use crate::drt::{COLUMNS, Cell, Column, Origin, Row, Table};
use crate::ui::help;
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::text::{fit, wrap};
use crate::ui::widgets::{block, paint};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// The narrowest a data column is drawn.
const MIN_COLUMN: u16 = 24;
/// The "from" column's width.
const FROM: u16 = 12;

/// Where everything goes on a screen of one size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub title: Rect,
    /// The column headings, then the rows below them.
    pub table: Rect,
    pub detail: Rect,
    pub status: Rect,
    /// The data columns drawn: each with its x and width.
    pub columns: Vec<(Column, u16, u16)>,
    /// The rows drawn: index, y, height.
    pub rows: Vec<(usize, u16, u16)>,
    pub rows_shown: usize,
}

impl Layout {
    /// Whether row `r` is drawn whole.
    pub fn row_drawn(&self, r: usize) -> bool {
        self.rows.iter().any(|(i, ..)| *i == r)
    }
}

/// The columns shown at `width` with the cursor on `cursor`: all seven when they fit, else the
/// decision and as many of the others as fit, the cursor's among them.
fn columns_shown(width: u16, cursor: Column) -> Vec<Column> {
    let usable = width.saturating_sub(FROM + 1);
    let n = usize::from(usable / (MIN_COLUMN + 1)).clamp(2, 7);
    if n == 7 {
        return COLUMNS.to_vec();
    }
    let others = n - 1;
    let at = cursor.index().max(1);
    let start = at.saturating_sub(others - 1).max(1).min(7 - others);
    std::iter::once(Column::Decision)
        .chain(COLUMNS[start..start + others].iter().copied())
        .collect()
}

/// How many lines a row takes at most.
fn max_row_lines(area: Rect) -> usize {
    if area.height >= 40 { 5 } else { 3 }
}

/// The lines of one cell as drawn in `w` columns (the claim's mark first).
fn cell_lines(row: &Row, c: Column, w: u16, mark: Option<String>) -> Vec<String> {
    let text = row.cell(c);
    let shown = match mark {
        Some(m) => format!("{m} {text}"),
        None => text.to_string(),
    };
    wrap(&shown, usize::from(w.saturating_sub(1)).max(1))
}

fn origin_lines(row: &Row) -> Vec<String> {
    let kind = match row.origin {
        Origin::Scenario { .. } => "scenario",
        Origin::Point => "point taken",
        Origin::Mark => "scribe mark",
        Origin::Added => "added",
    };
    let mut out = vec![kind.to_string()];
    if let Some(b) = row.moment.when.split(' ').next().filter(|s| !s.is_empty()) {
        out.push(format!("at {b}"));
    }
    out
}

/// The layout of `t` as `view` shows it in `area`.
pub fn layout(area: Rect, t: &Table, view: &DrtView) -> Layout {
    let detail_h: u16 = if area.height >= 40 { 10 } else { 7 };
    let title = Rect::new(area.x, area.y, area.width, 1.min(area.height));
    let status = Rect::new(
        area.x,
        area.bottom().saturating_sub(1),
        area.width,
        1.min(area.height),
    );
    let rest = area.height.saturating_sub(2);
    let detail_h = detail_h.min(rest / 2);
    let table = Rect::new(area.x, area.y + 1, area.width, rest - detail_h);
    let detail = Rect::new(area.x, table.bottom(), area.width, detail_h);
    let shown = columns_shown(area.width, view.column);
    let n = shown.len() as u16;
    let avail = area.width.saturating_sub(FROM + 1);
    let w = avail / n.max(1);
    let mut x = area.x + FROM + 1;
    let mut columns = Vec::new();
    for (i, c) in shown.into_iter().enumerate() {
        let cw = if i as u16 == n - 1 {
            area.right().saturating_sub(x)
        } else {
            w
        };
        columns.push((c, x, cw));
        x += cw;
    }
    let mut rows = Vec::new();
    let mut y = table.y + 2;
    let max_lines = max_row_lines(area);
    for (i, row) in t.rows.iter().enumerate().skip(view.top) {
        let lines = columns
            .iter()
            .map(|(c, _, cw)| cell_lines(row, *c, *cw, mark(t, view, i, *c)).len())
            .chain([origin_lines(row).len()])
            .max()
            .unwrap_or(1)
            .clamp(1, max_lines) as u16;
        if y + lines > table.bottom() {
            break;
        }
        rows.push((i, y, lines));
        y += lines;
    }
    let rows_shown = rows.len();
    Layout {
        title,
        table,
        detail,
        status,
        columns,
        rows,
        rows_shown,
    }
}

/// The claim mark of a cell: `✎name` when someone is editing it.
fn mark(t: &Table, view: &DrtView, row: usize, column: Column) -> Option<String> {
    t.holder(Cell { row, column })
        .map(|s| format!("✎{}", view.name(s)))
}

/// Draws the table view.
pub fn draw(buf: &mut Buffer, area: Rect, t: &Table, view: &DrtView, theme: &Theme) {
    paint::fill_style(buf, area, theme.style(Meaning::Text));
    if area.width < 20 || area.height < 8 {
        paint::stringn(
            buf,
            area.x,
            area.y,
            "too small",
            usize::from(area.width),
            theme.style(Meaning::Warning),
        );
        return;
    }
    let l = layout(area, t, view);
    draw_title(buf, &l, t, view, theme);
    draw_table(buf, &l, t, view, theme);
    draw_detail(buf, l.detail, t, view, theme);
    draw_status(buf, l.status, view, theme);
    if let Mode::Review(r) = &view.mode {
        super::review::draw(buf, area, r, theme);
    }
    if let Some(top) = view.help {
        help::draw(buf, area, "table keys", &DrtView::help_lines(), top, theme);
    }
}

fn draw_title(buf: &mut Buffer, l: &Layout, t: &Table, view: &DrtView, theme: &Theme) {
    let shown: Vec<usize> = l.columns.iter().map(|(c, ..)| c.index() + 1).collect();
    let cols = if shown.len() == 7 {
        "all 7 columns".to_string()
    } else {
        let more_left = shown.get(1).is_some_and(|i| *i > 2);
        let more_right = shown.last().is_some_and(|i| *i < 7);
        format!(
            "columns {} of 7 {}{}",
            shown
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(","),
            if more_left { "◂" } else { " " },
            if more_right { "▸" } else { " " },
        )
    };
    let scenario = if t.scenario.is_empty() {
        "imported"
    } else {
        t.scenario.as_str()
    };
    let rows = if t.rows.is_empty() {
        "no rows".to_string()
    } else {
        format!("row {} of {}", view.row + 1, t.rows.len())
    };
    let text = format!(" Decision Requirements Table · {scenario} · {rows} · {cols}");
    buf.set_style(l.title, theme.style(Meaning::Status));
    paint::stringn(
        buf,
        l.title.x,
        l.title.y,
        fit(&text, usize::from(l.title.width)),
        usize::from(l.title.width),
        theme.style(Meaning::Title).add_modifier(Modifier::BOLD),
    );
}

fn draw_table(buf: &mut Buffer, l: &Layout, t: &Table, view: &DrtView, theme: &Theme) {
    let head = theme.style(Meaning::Title).add_modifier(Modifier::BOLD);
    let muted = theme.style(Meaning::Muted);
    let y = l.table.y;
    paint::stringn(buf, l.table.x, y, "from", usize::from(FROM), head);
    for (c, x, w) in &l.columns {
        let st = if *c == view.column {
            theme.style(Meaning::Focus).add_modifier(Modifier::BOLD)
        } else {
            head
        };
        paint::stringn(
            buf,
            *x,
            y,
            fit(c.title(), usize::from(w.saturating_sub(1))),
            usize::from(*w),
            st,
        );
    }
    let rule: String = "─".repeat(usize::from(l.table.width));
    paint::stringn(
        buf,
        l.table.x,
        y + 1,
        &rule,
        usize::from(l.table.width),
        theme.style(Meaning::Border),
    );
    if t.rows.is_empty() {
        paint::stringn(
            buf,
            l.table.x + 1,
            y + 2,
            "no rows yet: a adds one, i imports a CSV",
            usize::from(l.table.width),
            muted,
        );
    }
    for (i, ry, h) in &l.rows {
        let row = &t.rows[*i];
        let current = *i == view.row;
        let from_st = if current {
            theme.style(Meaning::Accent)
        } else {
            muted
        };
        for (n, line) in origin_lines(row).iter().take(usize::from(*h)).enumerate() {
            paint::stringn(
                buf,
                l.table.x,
                ry + n as u16,
                fit(line, usize::from(FROM - 1)),
                usize::from(FROM),
                from_st,
            );
        }
        for (c, x, w) in &l.columns {
            let holder = t.holder(Cell {
                row: *i,
                column: *c,
            });
            let cursor = current && *c == view.column;
            let mut st = match holder {
                Some(s) if s == view.seat => theme.style(Meaning::Accent),
                Some(_) => theme.style(Meaning::Warning),
                None if row.cell(*c).trim().is_empty() => muted,
                None => theme.style(Meaning::Text),
            };
            if cursor {
                st = st.add_modifier(Modifier::REVERSED);
            }
            let mut lines = cell_lines(row, *c, *w, mark(t, view, *i, *c));
            if lines.len() == 1 && lines[0].trim().is_empty() {
                lines[0] = "·".into();
            }
            let cut = lines.len() > usize::from(*h);
            lines.truncate(usize::from(*h));
            if cut && let Some(last) = lines.last_mut() {
                *last = fit(&format!("{last} …"), usize::from(w.saturating_sub(1)));
            }
            for (n, line) in lines.iter().enumerate() {
                let text = if cursor {
                    format!("{line:<width$}", width = usize::from(w.saturating_sub(1)))
                } else {
                    line.clone()
                };
                paint::stringn(
                    buf,
                    *x,
                    ry + n as u16,
                    text,
                    usize::from(w.saturating_sub(1)),
                    st,
                );
            }
        }
    }
    if let Some((_, ry, h)) = l.rows.last()
        && l.rows.last().map(|r| r.0 + 1) < Some(t.rows.len())
        && ry + h < l.table.bottom()
    {
        let more = t.rows.len() - l.rows.last().map_or(0, |r| r.0 + 1);
        paint::stringn(
            buf,
            l.table.x + 1,
            ry + h,
            format!("↓ {more} more"),
            usize::from(l.table.width),
            muted,
        );
    }
    if view.top > 0 {
        let x = l.table.right().saturating_sub(10);
        paint::stringn(buf, x, y + 1, format!(" ↑ {} more ", view.top), 10, muted);
    }
}

fn draw_detail(buf: &mut Buffer, r: Rect, t: &Table, view: &DrtView, theme: &Theme) {
    if r.height < 3 {
        return;
    }
    let Some(row) = t.rows.get(view.row) else {
        block(buf, r, "row".into(), false, theme);
        return;
    };
    let title = match (&row.origin, &row.point) {
        (Origin::Scenario { index }, Some(p)) => format!(
            "row {} · the scenario's row {} · decision point `{p}`",
            view.row + 1,
            index + 1
        ),
        (Origin::Scenario { index }, None) => {
            format!("row {} · the scenario's row {}", view.row + 1, index + 1)
        }
        (Origin::Point, p) => format!(
            "row {} · decision point `{}` taken in the drill",
            view.row + 1,
            p.as_deref().unwrap_or("?")
        ),
        (Origin::Mark, _) => format!("row {} · a scribe's \"decision here\"", view.row + 1),
        (Origin::Added, _) => format!("row {} · added while building the table", view.row + 1),
    };
    let inner = block(buf, r, title, false, theme);
    let w = usize::from(inner.width.saturating_sub(2)).max(1);
    let mut lines: Vec<(String, Style)> = Vec::new();
    let m = &row.moment;
    if !m.what.is_empty() || !m.when.is_empty() {
        let at = if m.when.is_empty() {
            String::new()
        } else {
            format!(" at {}", m.when)
        };
        for l in wrap(&format!("{}{at}", m.what), w) {
            lines.push((l, theme.style(Meaning::Info)));
        }
    }
    if !m.signals.is_empty() {
        for l in wrap(&format!("signals then: {}", m.signals.join(", ")), w) {
            lines.push((l, theme.style(Meaning::Muted)));
        }
    }
    let editing = view.mode == Mode::Editing && t.holder(view.cell()) == Some(view.seat);
    let caret = if editing { "▏" } else { "" };
    let who = match t.holder(view.cell()) {
        Some(s) if s == view.seat => " (you are editing)".to_string(),
        Some(s) => format!(" ({} is editing)", view.name(s)),
        None => String::new(),
    };
    let text = format!(
        "{}{who}: {}{caret}",
        view.column.title(),
        row.cell(view.column)
    );
    let cell = wrap(&text, w);
    // The cell's end (where typing goes) stays in sight.
    let room = usize::from(inner.height).saturating_sub(lines.len().min(2));
    lines.truncate(usize::from(inner.height).saturating_sub(cell.len().min(room)));
    let skip = cell.len().saturating_sub(room);
    for l in cell.into_iter().skip(skip) {
        lines.push((l, theme.style(Meaning::Text)));
    }
    for (n, (l, st)) in lines.iter().take(usize::from(inner.height)).enumerate() {
        paint::stringn(buf, inner.x + 1, inner.y + n as u16, l, w, *st);
    }
}

fn draw_status(buf: &mut Buffer, r: Rect, view: &DrtView, theme: &Theme) {
    buf.set_style(r, theme.style(Meaning::Status));
    let (text, st) = match (&view.mode, &view.status) {
        (Mode::ImportPath(p), _) => (
            format!(" import CSV from: {p}▏  (enter reads it, esc cancels)"),
            theme.style(Meaning::Accent),
        ),
        (Mode::ConfirmDelete, _) => (
            format!(" delete row {}? y deletes · n keeps it", view.row + 1),
            theme.style(Meaning::Warning),
        ),
        (Mode::Review(_), _) => (
            " y writes the file · n leaves it as it is · ↑↓ scroll the diff".into(),
            theme.style(Meaning::Accent),
        ),
        (Mode::Editing, _) => (
            format!(
                " editing {}: type · backspace erases · enter or esc lets it go",
                view.column.title()
            ),
            theme.style(Meaning::Accent),
        ),
        (_, Some((m, err))) => (
            format!(" {m}"),
            theme.style(if *err {
                Meaning::Critical
            } else {
                Meaning::Info
            }),
        ),
        _ => {
            let save = if view.can_save { " · S save" } else { "" };
            (
                format!(
                    " enter edit · a add · x del · m/c/j export · i import{save} · ? keys · q back"
                ),
                theme.style(Meaning::Muted),
            )
        }
    };
    paint::stringn(
        buf,
        r.x,
        r.y,
        fit(&text, usize::from(r.width)),
        usize::from(r.width),
        st,
    );
}
