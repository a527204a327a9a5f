//! How each kind of pane draws its data (charts apart, in `chart`): gauges, lists, log tails, SLOs and alerts,
//! each from the pane's snapshot state alone.

use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::paint;
use crate::ui::widgets::quantity::value_text;
use crate::ui::widgets::text::{clean, fit, number, width, wrap};
use crate::vista::{Level, PaneDef, PaneState};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

fn level_style(level: Level, theme: &Theme) -> Style {
    match level {
        Level::Normal => theme.style(Meaning::Healthy),
        Level::Warning => theme.style(Meaning::Warning),
        Level::Critical => theme.style(Meaning::Critical),
    }
}

fn unit<'a>(def: &'a PaneDef, series_unit: &'a str) -> &'a str {
    if def.unit.is_empty() {
        series_unit
    } else {
        &def.unit
    }
}

pub(super) fn gauges(buf: &mut Buffer, r: Rect, def: &PaneDef, st: &PaneState, theme: &Theme) {
    let label_w = (r.width as usize / 3).clamp(4, 24);
    for (n, s) in st.series.iter().enumerate().take(r.height as usize) {
        let y = r.y + n as u16;
        let v = s.latest().unwrap_or(f64::NAN);
        let (lo, hi) = (
            def.min.unwrap_or(0.0),
            def.max.unwrap_or(if v > 100.0 { v * 1.25 } else { 100.0 }),
        );
        let frac = ((v - lo) / (hi - lo).max(1e-9)).clamp(0.0, 1.0);
        let val = format!(" {}", value_text(v, unit(def, &s.unit)));
        let bar_w = (r.width as usize)
            .saturating_sub(label_w + width(&val) + 3)
            .max(1);
        let full = if v.is_finite() {
            (frac * bar_w as f64).round() as usize
        } else {
            0
        };
        let st_ = level_style(def.level(v), theme);
        let mut x = r.x;
        for (t, style) in [
            (
                format!("{:<label_w$} ", fit(&clean(&s.label), label_w)),
                theme.style(Meaning::Text),
            ),
            ("▕".into(), theme.style(Meaning::Muted)),
            ("█".repeat(full), st_),
            ("░".repeat(bar_w - full), theme.style(Meaning::Band)),
            ("▏".into(), theme.style(Meaning::Muted)),
            (val, st_),
        ] {
            if x >= r.right() {
                break;
            }
            x = paint::stringn(buf, x, y, &t, (r.right() - x) as usize, style).0;
        }
    }
}

pub(super) fn list(buf: &mut Buffer, r: Rect, def: &PaneDef, st: &PaneState, theme: &Theme) {
    if !st.lines.is_empty() {
        return log(buf, r, st, theme);
    }
    for (n, s) in st.series.iter().enumerate().take(r.height as usize) {
        let v = s.latest().unwrap_or(f64::NAN);
        // Bytes in binary units, as the charts write them (`1.49GiB`, not `1.6G B`), times
        // as durations (`8h 41m`, not `31.3k s`).
        let val = value_text(v, unit(def, &s.unit));
        let y = r.y + n as u16;
        let vw = width(&val) as u16;
        let shown = vw + 2 < r.width;
        // The label leaves a space before the value, so the two never run together.
        let label_w = if shown {
            usize::from(r.width - vw - 1)
        } else {
            usize::from(r.width)
        };
        paint::stringn(
            buf,
            r.x,
            y,
            fit(&clean(&s.label), label_w),
            label_w,
            theme.style(Meaning::Text),
        );
        if shown {
            paint::string(
                buf,
                r.right() - vw,
                y,
                &val,
                level_style(def.level(v), theme),
            );
        }
    }
}

pub(super) fn log(buf: &mut Buffer, r: Rect, st: &PaneState, theme: &Theme) {
    let w = r.width as usize;
    let mut rows: Vec<(String, Style)> = Vec::new();
    for l in st.lines.iter().rev() {
        let style = match (l.marker, l.highlight) {
            (true, _) => theme.style(Meaning::Muted),
            (_, Some(0)) => theme.style(Meaning::Critical),
            (_, Some(1)) => theme.style(Meaning::Warning),
            (_, Some(_)) => theme.style(Meaning::Accent),
            _ => theme.style(Meaning::Text),
        };
        for part in wrap(&clean(&l.text), w).into_iter().rev() {
            rows.push((part, style));
        }
        if rows.len() >= r.height as usize {
            break;
        }
    }
    let visible = rows.len().min(r.height as usize);
    for (n, (t, style)) in rows[..visible].iter().rev().enumerate() {
        paint::stringn(
            buf,
            r.x,
            r.bottom() - visible as u16 + n as u16,
            t,
            w,
            *style,
        );
    }
}

pub(super) fn slo(buf: &mut Buffer, r: Rect, st: &PaneState, theme: &Theme) {
    let Some(s) = &st.slo else {
        paint::stringn(
            buf,
            r.x,
            r.y,
            "no SLO reading yet",
            r.width as usize,
            theme.style(Meaning::Muted),
        );
        return;
    };
    let pct = |x: Option<f64>| x.map_or_else(|| "–".to_string(), |v| format!("{:.3}%", v * 100.0));
    let left = s.budget_left.unwrap_or(1.0);
    let lm = if left < 0.25 {
        Meaning::Critical
    } else if left < 0.5 {
        Meaning::Warning
    } else {
        Meaning::Healthy
    };
    let burn = s.burn_rate.unwrap_or(0.0);
    let bm = if burn >= 14.4 {
        Meaning::Critical
    } else if burn > 1.0 {
        Meaning::Warning
    } else {
        Meaning::Healthy
    };
    let bar_w = (r.width as usize).saturating_sub(18).clamp(4, 40);
    let full = (left.clamp(0.0, 1.0) * bar_w as f64).round() as usize;
    let lines: Vec<Vec<(String, Style)>> = vec![
        vec![
            ("objective ".into(), theme.style(Meaning::Muted)),
            (
                format!("{:.3}%", s.objective * 100.0),
                theme.style(Meaning::Text),
            ),
            (
                format!(" over {}", crate::vista::format_duration(s.window)),
                theme.style(Meaning::Muted),
            ),
        ],
        vec![
            ("attained  ".into(), theme.style(Meaning::Muted)),
            (
                pct(s.attainment),
                theme.style(lm).add_modifier(Modifier::BOLD),
            ),
        ],
        vec![
            ("budget    ".into(), theme.style(Meaning::Muted)),
            ("█".repeat(full), theme.style(lm)),
            ("░".repeat(bar_w - full), theme.style(Meaning::Band)),
            (format!(" {:.0}% left", left * 100.0), theme.style(lm)),
        ],
        vec![
            ("burn rate ".into(), theme.style(Meaning::Muted)),
            (
                s.burn_rate
                    .map_or_else(|| "–".into(), |b| format!("{b:.2}×")),
                theme.style(bm).add_modifier(Modifier::BOLD),
            ),
            (
                format!(" over {}", crate::vista::format_duration(s.burn_window)),
                theme.style(Meaning::Muted),
            ),
        ],
        vec![(
            format!("{} good of {} events", number(s.good), number(s.total)),
            theme.style(Meaning::Muted),
        )],
    ];
    for (n, parts) in lines.iter().enumerate().take(r.height as usize) {
        let mut x = r.x;
        for (t, style) in parts {
            if x >= r.right() {
                break;
            }
            x = buf
                .set_stringn(x, r.y + n as u16, t, (r.right() - x) as usize, *style)
                .0;
        }
    }
}

pub(super) fn alerts(buf: &mut Buffer, r: Rect, st: &PaneState, theme: &Theme) {
    if st.alerts.is_empty() {
        paint::stringn(
            buf,
            r.x,
            r.y,
            "✓ nothing firing",
            r.width as usize,
            theme.style(Meaning::Healthy),
        );
        return;
    }
    let mut y = r.y;
    for a in &st.alerts {
        if y >= r.bottom() {
            break;
        }
        let style = if !a.is_firing() {
            theme.style(Meaning::Muted)
        } else if a.severity == "critical" || a.severity == "page" {
            theme.style(Meaning::Critical)
        } else {
            theme.style(Meaning::Warning)
        };
        let head = format!(
            "{} {} {}",
            if a.is_firing() { "▲" } else { "·" },
            clean(&a.name),
            clean(&a.severity)
        );
        paint::stringn(
            buf,
            r.x,
            y,
            fit(&head, r.width as usize),
            r.width as usize,
            style.add_modifier(Modifier::BOLD),
        );
        y += 1;
        if y < r.bottom() && !a.summary.is_empty() {
            paint::stringn(
                buf,
                r.x + 2,
                y,
                fit(&clean(&a.summary), r.width.saturating_sub(2) as usize),
                r.width as usize,
                theme.style(Meaning::Text),
            );
            y += 1;
        }
    }
}
