//! Time-series plots: a braille canvas (2×4 dots a cell) that several series share, each in its
//! own style, or one glyph per series and cell when colours cannot tell them apart; "nice" axis
//! ticks for values (1, 2, 5 × 10ⁿ) and for time (seconds to days), and compact value labels
//! with units. Pure, allocation-light: one cell array per plot, reused across series.

use crate::decade::{decade, pow10};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Glyphs marking series when colour does not (mono themes, `NO_COLOR`).
pub const GLYPHS: [char; 6] = ['•', '+', '×', 'o', '◆', '▲'];

/// One plot's canvas: which dots are lit in each cell, and which series lit them last.
pub struct Canvas {
    area: Rect,
    dots: Vec<u8>,
    owner: Vec<u8>,
    /// One glyph a cell (`true`) or braille dots (`false`).
    glyphs: bool,
}

/// The braille bit of dot (`dx` 0..2, `dy` 0..4) within a cell.
const BITS: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];

impl Canvas {
    pub fn new(area: Rect, glyphs: bool) -> Canvas {
        let n = usize::from(area.width) * usize::from(area.height);
        Canvas {
            area,
            dots: vec![0; n],
            owner: vec![u8::MAX; n],
            glyphs,
        }
    }

    /// Dots across and down (cells in glyph mode).
    pub fn resolution(&self) -> (i64, i64) {
        let (w, h) = (i64::from(self.area.width), i64::from(self.area.height));
        if self.glyphs { (w, h) } else { (w * 2, h * 4) }
    }

    fn set(&mut self, x: i64, y: i64, series: u8) {
        let (rw, rh) = self.resolution();
        if x < 0 || y < 0 || x >= rw || y >= rh {
            return;
        }
        let (cx, cy, bit) = if self.glyphs {
            (x, y, 1)
        } else {
            (x / 2, y / 4, BITS[(x % 2) as usize][(y % 4) as usize])
        };
        let i = (cy * i64::from(self.area.width) + cx) as usize;
        self.dots[i] |= bit;
        self.owner[i] = series;
    }

    /// Lights dots `y0..=y1` (either order) of column `x`.
    fn fill(&mut self, x: i64, y0: i64, y1: i64, series: u8) {
        for y in y0.min(y1)..=y0.max(y1) {
            self.set(x, y, series);
        }
    }

    /// Plots one series: `points` are `(x, y)` as fractions of the plot (0..1, y up); a point
    /// `None` breaks the line (a gap in the data).
    pub fn series(&mut self, series: u8, points: impl IntoIterator<Item = Option<(f64, f64)>>) {
        let (rw, rh) = self.resolution();
        let to_dot = |(fx, fy): (f64, f64)| {
            let x = (fx * (rw - 1) as f64).round() as i64;
            let y = ((1.0 - fy.clamp(0.0, 1.0)) * (rh - 1) as f64).round() as i64;
            (x, y)
        };
        let mut last: Option<(i64, i64)> = None;
        for p in points {
            let Some(p) = p.filter(|p| p.0.is_finite() && p.1.is_finite()) else {
                last = None;
                continue;
            };
            let (x, y) = to_dot(p);
            match last {
                // Glyph mode marks each cell once: a line of glyphs would be unreadable.
                Some((lx, ly)) if !self.glyphs => {
                    let dx = x - lx;
                    if dx <= 0 {
                        self.fill(x, ly, y, series);
                    } else {
                        for k in 1..=dx {
                            let y0 = ly + (y - ly) * (k - 1) / dx;
                            let y1 = ly + (y - ly) * k / dx;
                            self.fill(lx + k, y0, y1, series);
                        }
                    }
                }
                _ => self.set(x, y, series),
            }
            last = Some((x, y));
        }
    }

    /// Whether the cell at (`x`, `y`) (buffer coordinates) has a dot.
    pub fn is_lit(&self, x: u16, y: u16) -> bool {
        let a = self.area;
        x >= a.x
            && y >= a.y
            && x < a.right()
            && y < a.bottom()
            && self.dots[usize::from(y - a.y) * usize::from(a.width) + usize::from(x - a.x)] != 0
    }

    /// Writes the lit cells into `buf`, series `n` in `style(n)`.
    pub fn draw(&self, buf: &mut Buffer, style: impl Fn(usize) -> Style) {
        let a = self.area;
        for (i, (&d, &o)) in self.dots.iter().zip(&self.owner).enumerate() {
            if d == 0 {
                continue;
            }
            let (x, y) = (
                a.x + (i % usize::from(a.width)) as u16,
                a.y + (i / usize::from(a.width)) as u16,
            );
            let c = if self.glyphs {
                GLYPHS[usize::from(o) % GLYPHS.len()]
            } else {
                char::from_u32(0x2800 + u32::from(d)).unwrap_or('⣿')
            };
            buf[(x, y)].set_char(c).set_style(style(usize::from(o)));
        }
    }
}

/// Whether a unit counts bytes (its ticks and labels then use powers of 1024).
pub fn is_bytes(unit: &str) -> bool {
    unit.starts_with('B') || unit.eq_ignore_ascii_case("bytes")
}

/// [`value_ticks`] for a unit: round in KiB, MiB… when it counts bytes.
pub fn unit_ticks(lo: f64, hi: f64, n: usize, unit: &str) -> Vec<f64> {
    if !is_bytes(unit) {
        return value_ticks(lo, hi, n);
    }
    let mut k = 0;
    while k < 5 && hi.abs().max(lo.abs()) >= 1024f64.powi(k + 1) {
        k += 1;
    }
    let m = 1024f64.powi(k);
    value_ticks(lo / m, hi / m, n)
        .into_iter()
        .map(|v| v * m)
        .collect()
}

/// About `n` round values (1, 2 or 5 × 10ⁿ apart) covering `lo..=hi`, low to high.
pub fn value_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || n == 0 {
        return Vec::new();
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = pow10(decade(raw));
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    (0..=n * 2 + 2)
        .map(|k| first + step * k as f64)
        .take_while(|v| *v <= hi + step * 1e-9)
        .map(|v| if v.abs() < step * 1e-9 { 0.0 } else { v })
        .collect()
}

/// Time tick spacings, in seconds.
const TIME_STEPS: [f64; 20] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0,
    10800.0, 21600.0, 43200.0, 86400.0, 172_800.0, 604_800.0,
];

/// Round times for a time axis over `t0..t1` (unix seconds) drawn `cols` cells wide, each
/// label about `label_w` cells: as many as fit with two cells between them. `offset` is the
/// local time's offset from UTC in seconds, so ticks fall on local round minutes and hours.
pub fn time_ticks(t0: f64, t1: f64, cols: u16, offset: i64) -> (f64, Vec<f64>) {
    let span = t1 - t0;
    if !(span.is_finite() && span > 0.0) || cols < 6 {
        return (60.0, Vec::new());
    }
    let fits = |step: f64| {
        let w = if step < 60.0 { 8.0 } else { 5.0 };
        span / step * (w + 2.0) <= f64::from(cols)
    };
    let step = TIME_STEPS
        .iter()
        .copied()
        .find(|s| fits(*s))
        .unwrap_or(604_800.0);
    let off = offset as f64;
    let first = ((t0 + off) / step).ceil() * step - off;
    let ticks = (0..64)
        .map(|k| first + step * f64::from(k))
        .take_while(|t| *t <= t1)
        .collect();
    (step, ticks)
}

/// A time of day as a tick label: `HH:MM`, with seconds when ticks are under a minute apart,
/// and the day of the month (`D 14:00` → `3d` style kept short) when a day or more apart.
pub fn time_label(t: f64, step: f64, offset: i64) -> String {
    let s = (t.floor() as i64 + offset).rem_euclid(86_400);
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if step < 60.0 {
        format!("{h:02}:{m:02}:{sec:02}")
    } else if step >= 86_400.0 {
        let days = (t.floor() as i64 + offset).div_euclid(86_400);
        let (_, mo, d) = civil(days);
        format!("{mo:02}-{d:02}")
    } else {
        format!("{h:02}:{m:02}")
    }
}

/// Year, month, day of a count of days since 1970-01-01 (the proleptic Gregorian calendar).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A value with its unit, short enough for an axis: SI prefixes (k, M, G, T), binary ones
/// (Ki, Mi, Gi) for bytes, and no more digits than the tick spacing `step` needs.
pub fn value_label(v: f64, unit: &str, step: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v == 0.0 {
        return if unit == "%" { "0%".into() } else { "0".into() };
    }
    let bytes = is_bytes(unit);
    let (base, prefixes): (f64, &[&str]) = if bytes {
        (1024.0, &["", "Ki", "Mi", "Gi", "Ti", "Pi"])
    } else {
        (1000.0, &["", "k", "M", "G", "T", "P"])
    };
    let mut k = 0;
    let big = v.abs().max(step.abs());
    while k + 1 < prefixes.len() && big >= base.powi(k as i32 + 1) {
        k += 1;
    }
    let scaled = v / base.powi(k as i32);
    let sstep = (step / base.powi(k as i32)).abs();
    let digits = if sstep == 0.0 || sstep >= 1.0 {
        0
    } else {
        (-decade(sstep)).clamp(0, 3) as usize
    };
    let unit = match (unit, bytes) {
        ("bytes", _) => "B",
        (u, _) => u,
    };
    let text = format!("{scaled:.digits$}{}{unit}", prefixes[k]);
    if text.starts_with("-0") && scaled.abs() < 0.5 * 10f64.powi(-(digits as i32)) {
        text[1..].to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_ticks_are_round() {
        assert_eq!(value_ticks(0.0, 100.0, 4), vec![0.0, 50.0, 100.0]);
        assert_eq!(value_ticks(0.0, 1.0, 4), vec![0.0, 0.5, 1.0]);
        assert_eq!(value_ticks(3.0, 17.0, 3), vec![5.0, 10.0, 15.0]);
        assert!(value_ticks(1.0, 1.0, 3).is_empty());
        assert!(value_ticks(f64::NAN, 1.0, 3).is_empty());
    }

    #[test]
    fn time_ticks_fall_on_round_local_times() {
        // 10 minutes over 60 columns: a tick every 2 minutes.
        let (step, t) = time_ticks(1000.0, 1600.0, 60, 0);
        assert_eq!(step, 120.0);
        assert_eq!(t[0], 1080.0);
        assert_eq!(time_label(1080.0, step, 0), "00:18");
        assert_eq!(time_label(1080.0, step, 3600), "01:18");
        assert_eq!(time_label(1080.0, 10.0, 0), "00:18:00");
        assert_eq!(time_label(86_400.0 * 31.0, 86_400.0, 0), "02-01");
        // Half-hour offsets (India) still land on local round minutes.
        let (step, t) = time_ticks(0.0, 7200.0, 80, 19_800);
        assert_eq!(step, 900.0);
        assert!(t.iter().all(|t| (*t as i64 + 19_800) % 900 == 0), "{t:?}");
        assert!(time_ticks(0.0, 0.0, 80, 0).1.is_empty());
    }

    #[test]
    fn labels_carry_units_and_prefixes() {
        assert_eq!(value_label(50.0, "%", 25.0), "50%");
        assert_eq!(value_label(2048.0, "B/s", 1024.0), "2KiB/s");
        assert_eq!(value_label(1.5e6, "", 5e5), "1.5M");
        assert_eq!(value_label(0.25, "s", 0.05), "0.25s");
        assert_eq!(value_label(-0.0001, "", 0.5), "0.0");
        assert_eq!(value_label(0.0, "B/s", 1e6), "0");
        assert_eq!(
            unit_ticks(0.0, 3.0 * 1024.0 * 1024.0, 3, "B/s"),
            vec![0.0, 1048576.0, 2097152.0, 3145728.0]
        );
    }

    #[test]
    fn braille_dots_and_glyphs() {
        let area = Rect::new(0, 0, 4, 2);
        let mut c = Canvas::new(area, false);
        assert_eq!(c.resolution(), (8, 8));
        c.series(0, [Some((0.0, 0.0)), Some((1.0, 1.0))]);
        let mut buf = Buffer::empty(area);
        c.draw(&mut buf, |_| Style::default());
        assert_eq!(buf[(0, 1)].symbol(), "⣠", "bottom-left dot, then climbing");
        assert!(c.is_lit(3, 0) && !c.is_lit(0, 0));
        let mut g = Canvas::new(area, true);
        g.series(1, [Some((0.0, 1.0)), None, Some((1.0, 0.0))]);
        let mut buf = Buffer::empty(area);
        g.draw(&mut buf, |_| Style::default());
        assert_eq!(buf[(0, 0)].symbol(), "+");
        assert_eq!(buf[(3, 1)].symbol(), "+");
        assert_eq!(buf[(1, 0)].symbol(), " ");
    }
}
