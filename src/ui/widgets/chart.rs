//! Column charts in eighth blocks: one widget for the drill's simulated signals and the
//! vista's live series. Newest value on the right; an optional reference line (a healthy
//! band's edge, a threshold) is drawn faintly where the columns do not reach.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A chart's vertical scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
}

impl Scale {
    /// A scale covering `values` and the fixed points `include` (e.g. zero, a band edge),
    /// with a little headroom above.
    pub fn fit(values: impl IntoIterator<Item = f64>, include: &[f64]) -> Scale {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values
            .into_iter()
            .chain(include.iter().copied())
            .filter(|v| v.is_finite())
        {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if !lo.is_finite() {
            return Scale { lo: 0.0, hi: 1.0 };
        }
        let head = ((hi - lo).abs() * 0.08).max(hi.abs() * 0.02).max(1e-9);
        Scale { lo, hi: hi + head }
    }
}

/// Draws the last `r.width` of `values` as columns; `style` colours each column by its value,
/// `reference` draws a line at that value in `reference_style`.
pub fn columns(
    buf: &mut Buffer,
    r: Rect,
    values: &[f64],
    scale: Scale,
    style: impl Fn(f64) -> Style,
    reference: Option<(f64, Style)>,
) {
    if r.width == 0 || r.height == 0 {
        return;
    }
    let span = (scale.hi - scale.lo).max(1e-9);
    if let Some((at, st)) = reference
        && r.height > 1
    {
        let row = ((at - scale.lo) / span * f64::from(r.height)).floor();
        if row >= 0.0 && row < f64::from(r.height) {
            let y = r.bottom() - 1 - row as u16;
            for x in r.x..r.right() {
                buf[(x, y)].set_char('┄').set_style(st);
            }
        }
    }
    let n = values.len().min(r.width as usize);
    let x0 = r.right() - n as u16;
    let eighths = f64::from(r.height) * 8.0;
    for (k, &v) in values[values.len() - n..].iter().enumerate() {
        if !v.is_finite() {
            continue;
        }
        let filled = ((v - scale.lo) / span * eighths)
            .round()
            .clamp(0.0, eighths) as u32;
        let st = style(v);
        let x = x0 + k as u16;
        for row in 0..r.height {
            let level = filled.saturating_sub(u32::from(row) * 8).min(8);
            if level == 0 {
                break;
            }
            buf[(x, r.bottom() - 1 - row)]
                .set_char(EIGHTHS[level as usize])
                .set_style(st);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_columns_right_aligned_and_survives_odd_input() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 2));
        let area = buf.area;
        let scale = Scale::fit([0.0, 4.0], &[]);
        columns(
            &mut buf,
            area,
            &[0.0, 2.0, 4.0, f64::NAN],
            scale,
            |_| Style::default(),
            None,
        );
        assert_eq!(buf[(5, 1)].symbol(), " ", "NaN is skipped");
        assert_eq!(buf[(4, 0)].symbol(), "▇");
        assert_eq!(buf[(2, 1)].symbol(), " ");
        let empty = Scale::fit([], &[]);
        assert_eq!(empty, Scale { lo: 0.0, hi: 1.0 });
        columns(
            &mut buf,
            Rect::new(0, 0, 0, 0),
            &[1.0],
            empty,
            |_| Style::default(),
            None,
        );
    }
}
