//! Grid placement: panes fill rows in order, wrapping when the next one does not fit.

/// Pane placement: rows of cells, each row as tall as its tallest pane's `height` weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub columns: u16,
    pub rows: Vec<GridRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// Relative height weight of the row.
    pub height: u16,
    pub cells: Vec<GridCell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridCell {
    /// Index into `VistaConfig::panes`.
    pub pane: usize,
    /// First column (0-based) and columns spanned.
    pub col: u16,
    pub span: u16,
}

impl Grid {
    /// Lays out panes given as `(span, height)` in order.
    pub fn layout(columns: u16, panes: impl IntoIterator<Item = (u16, u16)>) -> Grid {
        let columns = columns.max(1);
        let mut rows: Vec<GridRow> = Vec::new();
        let mut col = columns; // forces a new row first
        for (i, (span, height)) in panes.into_iter().enumerate() {
            let span = span.clamp(1, columns);
            if col + span > columns {
                rows.push(GridRow {
                    height: 0,
                    cells: Vec::new(),
                });
                col = 0;
            }
            let row = rows.last_mut().expect("a row was pushed");
            row.cells.push(GridCell { pane: i, col, span });
            row.height = row.height.max(height.max(1));
            col += span;
        }
        Grid { columns, rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_wraps_in_order() {
        let g = Grid::layout(3, [(1, 1), (2, 2), (2, 1), (1, 1), (5, 1)]);
        assert_eq!(g.rows.len(), 3);
        assert_eq!(g.rows[0].height, 2);
        assert_eq!(
            g.rows[1]
                .cells
                .iter()
                .map(|c| (c.pane, c.col, c.span))
                .collect::<Vec<_>>(),
            vec![(2, 0, 2), (3, 2, 1)]
        );
        assert_eq!(g.rows[2].cells[0].span, 3);
    }
}
