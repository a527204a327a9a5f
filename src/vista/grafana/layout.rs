//! Grafana's 24-column grid as the vista's grid (docs/vista-format.md, "Layout"): 12 columns,
//! panes flowing left to right and wrapping. A line of the dashboard (panels side by side)
//! becomes a row of panes, each half its Grafana width; the last pane of a line is widened to
//! the end of the row, so the next line starts a row of its own as it does in Grafana. Heights
//! become relative weights.

use super::model::Place;

/// Columns of the imported vista: half of Grafana's 24.
pub const COLUMNS: u16 = 12;

/// A pane's place in the vista: columns spanned and relative height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub span: u16,
    pub height: u16,
}

/// A Grafana height (units of ~30 px; a typical graph is 8) as a vista weight (1–10).
fn height(h: u32) -> u16 {
    ((f64::from(h) / 3.0).round() as u16).clamp(1, 10)
}

fn column(x: u32) -> u16 {
    ((f64::from(x.min(24)) / 2.0).round() as u16).min(COLUMNS)
}

/// Places panels given in dashboard order, each with its row index (a new Grafana row always
/// starts a new vista row).
pub fn place(panels: &[(usize, Place)]) -> Vec<Cell> {
    let mut cells: Vec<Cell> = Vec::with_capacity(panels.len());
    // The current line: its row, where its last pane ends (in Grafana columns), its members.
    let mut line: Vec<usize> = Vec::new();
    let mut line_row = usize::MAX;
    let mut line_end = 0u32;
    let mut used = 0u16;
    let close = |line: &mut Vec<usize>, cells: &mut Vec<Cell>, used: u16| {
        if let Some(&last) = line.last()
            && used < COLUMNS
        {
            cells[last].span += COLUMNS - used;
        }
        let tallest = line.iter().map(|&i| cells[i].height).max().unwrap_or(1);
        for &i in line.iter() {
            cells[i].height = tallest;
        }
        line.clear();
    };
    for (i, &(row, p)) in panels.iter().enumerate() {
        let start = column(p.x);
        let end = column(p.x.saturating_add(p.w)).max(start + 1);
        let mut span = (end - start).clamp(1, COLUMNS);
        let continues = row == line_row && p.x >= line_end && used + span <= COLUMNS;
        if !continues {
            close(&mut line, &mut cells, used);
            used = 0;
            line_row = row;
        }
        if used + span > COLUMNS {
            span = COLUMNS - used;
        }
        cells.push(Cell {
            span,
            height: height(p.h),
        });
        line.push(i);
        used += span;
        line_end = p.x.saturating_add(p.w);
    }
    close(&mut line, &mut cells, used);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: u32, y: u32, w: u32, h: u32) -> Place {
        Place { x, y, w, h }
    }

    #[test]
    fn a_line_fills_a_row_and_the_next_line_starts_a_new_one() {
        let cells = place(&[
            (0, at(0, 0, 6, 4)),
            (0, at(6, 0, 6, 4)),
            (0, at(12, 0, 8, 8)),
            (0, at(0, 8, 12, 8)),
            (1, at(0, 16, 24, 8)),
        ]);
        let got: Vec<_> = cells.iter().map(|c| (c.span, c.height)).collect();
        // 3 + 3 + 4 (widened to 6, since 20..24 is empty), heights the tallest of the line.
        assert_eq!(got, [(3, 3), (3, 3), (6, 3), (12, 3), (12, 3)]);
    }

    #[test]
    fn the_grid_the_vista_draws_matches() {
        let panes = [
            (0, at(0, 0, 3, 4)),
            (0, at(3, 0, 3, 4)),
            (0, at(6, 0, 18, 4)),
            (0, at(0, 4, 24, 8)),
        ];
        let cells = place(&panes);
        let g = crate::vista::Grid::layout(COLUMNS, cells.iter().map(|c| (c.span, c.height)));
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.rows[0].cells.len(), 3);
    }

    #[test]
    fn odd_sizes_stay_in_bounds() {
        let cells = place(&[
            (0, at(23, 0, 500, 1)),
            (0, at(0, 0, 0, 0)),
            (3, at(1, 1, 1, 99)),
        ]);
        for c in &cells {
            assert!(
                (1..=COLUMNS).contains(&c.span) && (1..=10).contains(&c.height),
                "{c:?}"
            );
        }
    }
}
