//! A chart pane: every series of the pane over the visible time window on one braille plot
//! (or one glyph a series when the theme's palette has no colours), a legend with each series'
//! value (at the cursor when there is one), a y axis with round ticks in the pane's unit, a time
//! axis, the warn/crit thresholds, the cursor, and the annotation markers. Its horizontal
//! geometry depends only on the pane's size, so a click maps to a time without the data.

use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::paint;
use crate::ui::widgets::plot::{self, Canvas, GLYPHS};
use crate::ui::widgets::text::{clean, fit, width};
use crate::vista::annotation::Mark;
use crate::vista::backfill::Backfill;
use crate::vista::{Level, PaneDef, PaneState, Series};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// Width of the y-axis labels and their tick mark.
const AXIS_W: u16 = 7;

/// What the view adds to a pane's data: the window, the cursor, hidden series, markers.
pub struct ChartCtx<'a> {
    /// The visible window, unix seconds.
    pub t0: f64,
    pub t1: f64,
    /// The cursor's time, when one is placed.
    pub cursor: Option<f64>,
    /// Ids of this pane's series the viewer switched off.
    pub hidden: &'a [String],
    /// Markers inside the window.
    pub marks: &'a [&'a Mark],
    /// Older points fetched for a window beyond what the pane holds.
    pub backfill: Option<&'a Backfill>,
    /// The local time's offset from UTC, seconds.
    pub offset: i64,
}

/// Where the plot goes inside a chart pane's body `r`: `(x, width)` of the plotted columns.
pub fn plot_columns(r: Rect) -> (u16, u16) {
    let axis = if r.width >= 24 { AXIS_W } else { 0 };
    (r.x + axis, r.width.saturating_sub(axis))
}

/// The time at column `x` of a plot `(px, pw)` over `t0..t1`.
pub fn time_at(x: u16, (px, pw): (u16, u16), t0: f64, t1: f64) -> f64 {
    let f = f64::from(x.saturating_sub(px)) / f64::from(pw.saturating_sub(1).max(1));
    t0 + f.clamp(0.0, 1.0) * (t1 - t0)
}

fn column_of(t: f64, (px, pw): (u16, u16), t0: f64, t1: f64) -> Option<u16> {
    let f = (t - t0) / (t1 - t0);
    (0.0..=1.0)
        .contains(&f)
        .then(|| px + (f * f64::from(pw.saturating_sub(1))).round() as u16)
}

fn level_style(level: Level, theme: &Theme) -> Style {
    match level {
        Level::Normal => theme.style(Meaning::Healthy),
        Level::Warning => theme.style(Meaning::Warning),
        Level::Critical => theme.style(Meaning::Critical),
    }
}

/// The points of `s` (and of its backfill) a window shows: one before `t0` so the line enters
/// from the edge, everything up to `t1`.
fn visible<'a>(
    s: &'a Series,
    back: Option<&'a [(f64, f64)]>,
    t0: f64,
    t1: f64,
) -> impl Iterator<Item = (f64, f64)> + 'a {
    let first = s.points.first().map_or(f64::INFINITY, |p| p.0);
    let back = back.unwrap_or(&[]);
    let b0 = back.partition_point(|p| p.0 < t0).saturating_sub(1);
    let older = back[b0..].iter().copied().take_while(move |p| p.0 < first);
    let k = s.points.partition_point(|p| p.0 < t0).saturating_sub(1);
    older
        .chain(s.points.iter_from(k).copied())
        .take_while(move |p| p.0 <= t1)
}

/// The value of a series at time `t`: the last point at or before it.
fn value_at(s: &Series, back: Option<&[(f64, f64)]>, t: f64) -> Option<f64> {
    let i = s.points.partition_point(|p| p.0 <= t);
    if i > 0 {
        return s.points.iter_from(i - 1).next().map(|p| p.1);
    }
    let back = back?;
    let i = back.partition_point(|p| p.0 <= t);
    (i > 0).then(|| back[i - 1].1)
}

fn unit<'a>(def: &'a PaneDef, s: &'a Series) -> &'a str {
    if def.unit.is_empty() {
        &s.unit
    } else {
        &def.unit
    }
}

/// Draws a chart pane's body.
pub fn draw(
    buf: &mut Buffer,
    r: Rect,
    def: &PaneDef,
    st: &PaneState,
    cx: &ChartCtx<'_>,
    theme: &Theme,
) {
    let back = |s: &Series| {
        cx.backfill
            .and_then(|b| b.series.iter().find(|h| h.id == s.id))
            .map(|h| h.points.as_slice())
    };
    let all: Vec<(usize, &Series)> = st
        .series
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.points.is_empty() || back(s).is_some())
        .collect();
    if all.is_empty() {
        let msg = "no data yet";
        paint::stringn(
            buf,
            r.x,
            r.y,
            msg,
            r.width as usize,
            theme.style(Meaning::Muted),
        );
        return;
    }
    let shown: Vec<(usize, &Series)> = all
        .iter()
        .copied()
        .filter(|(_, s)| !cx.hidden.contains(&s.id))
        .collect();
    let glyphs = !theme.series_by_colour(all.len());
    let series_style = |n: usize| theme.series(n);
    legend(buf, r, def, &all, cx, glyphs, theme, &back);
    if r.height < 3 {
        return;
    }
    let axis_row = r.height >= 5;
    let plot_rows = Rect {
        y: r.y + 1,
        height: r.height - 1 - u16::from(axis_row),
        ..r
    };
    let (px, pw) = plot_columns(r);
    let area = Rect {
        x: px,
        width: pw,
        ..plot_rows
    };
    if pw < 2 {
        return;
    }
    // The scale: what the window shows, the pane's fixed min/max, rounded to ticks.
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (_, s) in &shown {
        for (_, v) in visible(s, back(s), cx.t0, cx.t1) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if let Some(m) = def.min {
        lo = lo.min(m);
    } else if lo > 0.0 && lo < hi * 0.5 {
        lo = 0.0;
    }
    if let Some(m) = def.max {
        hi = hi.max(m);
    }
    if hi - lo < 1e-9 {
        hi = lo + lo.abs().max(1.0);
    }
    let n_ticks = usize::from(area.height / 2).clamp(1, 6);
    let u = shown.first().map_or("", |(_, s)| unit(def, s));
    let raw = plot::unit_ticks(lo, hi, n_ticks, u);
    let step = match raw.as_slice() {
        [a, b, ..] => b - a,
        _ => (hi - lo) / n_ticks as f64,
    };
    if step > 0.0 {
        lo = (lo / step).floor() * step;
        hi = (hi / step).ceil() * step;
    }
    let span = (hi - lo).max(1e-9);
    let row_of = |v: f64| -> Option<u16> {
        let f = (v - lo) / span;
        (0.0..=1.0)
            .contains(&f)
            .then(|| area.bottom() - 1 - (f * f64::from(area.height - 1)).round() as u16)
    };
    // Thresholds, under everything else.
    for (t, m) in [(def.warn, Meaning::Warning), (def.crit, Meaning::Critical)] {
        if let Some(y) = t.and_then(row_of) {
            let style = theme
                .style(m)
                .remove_modifier(Modifier::REVERSED | Modifier::BOLD);
            for x in area.x..area.right() {
                buf[(x, y)].set_char('╌').set_style(style);
            }
        }
    }
    // Markers and the cursor.
    let col = |t: f64| column_of(t, (px, pw), cx.t0, cx.t1);
    let mark_style = theme.style(Meaning::Annotation);
    for m in cx.marks {
        if let Some(x) = col(m.at) {
            for y in area.y..area.bottom() {
                buf[(x, y)].set_char('┊').set_style(mark_style);
            }
            buf[(x, area.y)].set_char('▼').set_style(mark_style);
        }
    }
    let cursor_x = cx.cursor.and_then(col);
    if let Some(x) = cursor_x {
        for y in area.y..area.bottom() {
            buf[(x, y)]
                .set_char('│')
                .set_style(theme.style(Meaning::Accent));
        }
    }
    // The series.
    let mut canvas = Canvas::new(area, glyphs);
    let (t0, tspan) = (cx.t0, (cx.t1 - cx.t0).max(1e-9));
    let gap = gap_after(def, cx);
    let mut pts: Vec<Option<(f64, f64)>> = Vec::new();
    for (n, s) in &shown {
        pts.clear();
        let mut prev = f64::NEG_INFINITY;
        for (t, v) in visible(s, back(s), cx.t0, cx.t1) {
            if t - prev > gap {
                pts.push(None);
            }
            prev = t;
            pts.push(Some(((t - t0) / tspan, (v - lo) / span)));
        }
        canvas.series(*n as u8, pts.iter().copied());
    }
    canvas.draw(buf, series_style);
    // The axes.
    let muted = theme.style(Meaning::Muted);
    if px > r.x {
        for y in area.y..area.bottom() {
            buf[(px - 1, y)].set_char('│').set_style(muted);
        }
        // Labels carry the unit when it fits (`50%`, `0.25s`); a longer one (`B/s`) is
        // written once, under the axis, and the labels keep its prefix (`2Mi`).
        let max = (AXIS_W - 2) as usize;
        // A duration (`1h30m`) says its own units: nothing to strip.
        let long = crate::ui::widgets::quantity::seconds_per(u).is_none()
            && plot::value_ticks(lo, hi, n_ticks)
                .iter()
                .any(|v| width(&plot::value_label(*v, u, step)) > max);
        for v in plot::unit_ticks(lo, hi, n_ticks, u) {
            if let Some(y) = row_of(v) {
                let full = plot::value_label(v, u, step);
                let text = if long {
                    full.strip_suffix(u).unwrap_or(&full).to_string()
                } else {
                    full
                };
                let label = fit(&text, max);
                let lw = width(&label) as u16;
                paint::stringn(buf, px - 1 - lw, y, &label, lw as usize, muted);
                buf[(px - 1, y)].set_char('┤').set_style(muted);
            }
        }
    }
    if axis_row {
        let y = r.bottom() - 1;
        let u = shown.first().map_or("", |(_, s)| unit(def, s));
        let mut free = r.x;
        if px > r.x && !u.is_empty() && width(u) + 2 > (AXIS_W - 2) as usize {
            let u = fit(&clean(u), (AXIS_W - 2) as usize);
            free = paint::stringn(buf, r.x, y, &u, u.len(), muted).0 + 1;
        }
        let (step, ticks) = plot::time_ticks(cx.t0, cx.t1, pw, cx.offset);
        for t in ticks {
            let Some(x) = col(t) else { continue };
            let label = plot::time_label(t, step, cx.offset);
            let lw = width(&label) as u16;
            let start = x.saturating_sub(lw / 2).max(r.x);
            if start < free || start + lw > r.right() {
                continue;
            }
            paint::stringn(buf, start, y, &label, lw as usize, muted);
            if let Some(cell) = buf.cell_mut((x, y.saturating_sub(1)))
                && !canvas.is_lit(x, y - 1)
                && cell.symbol() == " "
            {
                cell.set_char('┴').set_style(muted);
            }
            free = start + lw + 1;
        }
    }
    // What the cursor points at: a marker's text.
    if let (Some(x), Some(t)) = (cursor_x, cx.cursor) {
        let near = cx
            .marks
            .iter()
            .filter(|m| col(m.at).is_some_and(|mx| mx.abs_diff(x) <= 1))
            .min_by(|a, b| (a.at - t).abs().total_cmp(&(b.at - t).abs()));
        if let Some(m) = near {
            let text = format!(
                "▼ {} {}",
                plot::time_label(m.at, 1.0, cx.offset),
                clean(&m.text)
            );
            let avail = r.right().saturating_sub(px) as usize;
            let text = fit(&text, avail);
            let w = width(&text) as u16;
            let start = if x + w < r.right() {
                x
            } else {
                r.right().saturating_sub(w)
            };
            paint::stringn(buf, start.max(px), area.y, &text, avail, mark_style);
        }
    }
}

/// Points further apart than this are not joined: the source was down or the pane new.
fn gap_after(def: &PaneDef, cx: &ChartCtx<'_>) -> f64 {
    let step = cx.backfill.map_or(0.0, |b| b.step);
    (def.refresh.as_secs_f64().max(step) * 3.0).max(1.0)
}

/// The legend line: each series' number (its toggle key), swatch, label and value (at the
/// cursor, or the latest), the value coloured by the pane's thresholds.
#[allow(clippy::too_many_arguments)]
fn legend<'a>(
    buf: &mut Buffer,
    r: Rect,
    def: &PaneDef,
    all: &[(usize, &'a Series)],
    cx: &ChartCtx<'_>,
    glyphs: bool,
    theme: &Theme,
    back: &dyn Fn(&'a Series) -> Option<&'a [(f64, f64)]>,
) {
    let mut x = r.x;
    if let Some(t) = cx.cursor {
        let stamp = format!("@{} ", plot::time_label(t, 1.0, cx.offset));
        x = paint::stringn(
            buf,
            x,
            r.y,
            &stamp,
            r.width as usize,
            theme.style(Meaning::Accent),
        )
        .0;
    }
    let n = all.len();
    let per = (r.right().saturating_sub(x) as usize / n.max(1)).max(6);
    // Too little room for every label and value: labels only (the cursor shows values), and
    // also when labels cut to make room for values would no longer tell the series apart
    // (`Busy System`, `Busy User` both `Busy …`) but whole without them.
    let fits = |extra: usize| {
        all.iter()
            .all(|(_, s)| width(&clean(&s.label)) + extra <= per)
    };
    // One series has nothing to be told apart from: its value stays, its label is cut.
    let roomy = (n == 1 && per >= 12) || (per >= 16 && (fits(13) || !fits(4)));
    for (i, s) in all {
        if x >= r.right() {
            break;
        }
        let off = cx.hidden.contains(&s.id);
        let v = match cx.cursor {
            Some(t) => value_at(s, back(s), t),
            None => s
                .latest()
                .or_else(|| back(s).and_then(|p| p.last().map(|p| p.1))),
        };
        let u = unit(def, s);
        let val = match v {
            None => "–".into(),
            Some(_) if !roomy && cx.cursor.is_none() => String::new(),
            Some(v) => crate::ui::widgets::quantity::value_text(v, u),
        };
        let swatch = if glyphs {
            GLYPHS[i % GLYPHS.len()].to_string()
        } else {
            "━".to_string()
        };
        let key = if n > 1 && *i < 9 {
            format!("{}", i + 1)
        } else {
            String::new()
        };
        let sw = theme.series(*i);
        let label_w = per.saturating_sub(width(&val) + width(&key) + 3).max(3);
        let (muted, text) = (theme.style(Meaning::Muted), theme.style(Meaning::Text));
        let parts: [(String, Style); 4] = [
            (key, muted),
            (swatch, if off { muted } else { sw }),
            (
                format!(" {} ", fit(&clean(&s.label), label_w)),
                if off { muted } else { text },
            ),
            (
                if off { "off".into() } else { val },
                if off {
                    muted
                } else {
                    level_style(def.level(v.unwrap_or(f64::NAN)), theme)
                        .add_modifier(Modifier::BOLD)
                },
            ),
        ];
        for (t, style) in parts {
            if x >= r.right() {
                break;
            }
            x = paint::stringn(buf, x, r.y, &t, (r.right() - x) as usize, style).0;
        }
        x = x.saturating_add(1);
    }
}
