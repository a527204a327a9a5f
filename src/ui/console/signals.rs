//! The vista half of the console: each signal's value, chart and healthy band; alerts, the SLO
//! and gauges.

use crate::clock::story_clock;
use crate::drill::{Drill, PaneView};
use crate::scenario::{Severity, Show};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::chart::{self, Scale};
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit, number, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// Style for a value of a signal: healthy, near the edge, or out of range.
pub(super) fn value_style(drill: &Drill, i: usize, v: f64, theme: &Theme) -> Style {
    let def = &drill.scenario.signals[i];
    if def.is_healthy(v) {
        theme.style(Meaning::Healthy)
    } else {
        let (lo, hi) = def.healthy;
        let span = (hi - lo).abs().max(1e-9);
        let out = if v > hi {
            (v - hi) / span
        } else {
            (lo - v) / span
        };
        if out < 0.25 {
            theme.style(Meaning::Warning)
        } else {
            theme.style(Meaning::Critical)
        }
    }
}

/// What the players' pane of signal `i` shows: the values it may draw (oldest first) and, when
/// a view effect degrades it, a label saying so. Blank shows nothing; stale stops at the beat
/// it froze; slow leaves out the newest `lag` beats.
pub(super) fn seen(drill: &Drill, i: usize) -> (Vec<f64>, Option<String>) {
    let hist = &drill.signals[i].history;
    let all = || hist.iter().map(|v| f64::from(*v));
    let keep = |drop: u64| {
        let drop = usize::try_from(drop).unwrap_or(usize::MAX).min(hist.len());
        all().take(hist.len() - drop).collect()
    };
    match drill.pane_view(i) {
        PaneView::Live => (all().collect(), None),
        PaneView::Blank => (Vec::new(), Some("no data".into())),
        PaneView::Stale { since } => (
            keep(drill.beat.saturating_sub(since)),
            Some(format!("stale since {}", drill.scenario.bar_beat(since))),
        ),
        PaneView::Slow { lag } => (keep(u64::from(lag)), Some(format!("{lag} beats behind"))),
    }
}

/// The value the players see of signal `i` (`None`: no data).
fn seen_value(drill: &Drill, i: usize) -> (Option<f64>, Option<String>) {
    let (values, label) = seen(drill, i);
    match label {
        None => (Some(drill.signals[i].value), None),
        Some(l) => (values.last().copied(), Some(l)),
    }
}

pub(super) fn signals(buf: &mut Buffer, r: Rect, drill: &Drill, theme: &Theme, one_line: bool) {
    let s = &drill.scenario;
    let charts: Vec<usize> = (0..s.signals.len())
        .filter(|i| one_line || s.signals[*i].show == Show::Chart)
        .collect();
    if charts.is_empty() || r.height == 0 {
        return;
    }
    let per = (r.height as usize / charts.len()).max(1);
    if one_line || per < 3 {
        for (row, &i) in charts.iter().enumerate().take(r.height as usize) {
            let y = r.y + row as u16;
            let label_w = (r.width as usize * 2 / 5).clamp(6, 24);
            let def = &s.signals[i];
            let (v, degraded) = seen_value(drill, i);
            paint::stringn(
                buf,
                r.x,
                y,
                fit(&clean(&def.name), label_w),
                label_w,
                theme.style(Meaning::Text),
            );
            let val = format!("{:>7}", v.map_or("—".into(), number));
            let vx = r.x + label_w as u16 + 1;
            let vst = v.map_or(theme.style(Meaning::Muted), |v| {
                value_style(drill, i, v, theme)
            });
            paint::stringn(buf, vx, y, &val, 7, vst.add_modifier(Modifier::BOLD));
            let cx = vx + 8;
            if cx < r.right() {
                let cr = Rect::new(cx, y, r.right() - cx, 1);
                chart(buf, cr, drill, i, theme);
                if let Some(l) = degraded {
                    degraded_tag(buf, cr, &l, theme);
                }
            }
        }
        return;
    }
    for (n, &i) in charts.iter().enumerate() {
        let y = r.y + (n * per) as u16;
        let h = per.min((r.bottom() - y) as usize) as u16;
        let def = &s.signals[i];
        let (v, degraded) = seen_value(drill, i);
        let title = format!("{} ", clean(&def.name));
        paint::stringn(
            buf,
            r.x,
            y,
            &title,
            r.width as usize,
            theme.style(Meaning::Text).add_modifier(Modifier::BOLD),
        );
        let val = match (v, &degraded) {
            (Some(v), None) => format!("{} {}", number(v), clean(&def.unit)),
            (Some(v), Some(l)) => format!("{} {} ({l})", number(v), clean(&def.unit)),
            (None, l) => format!("— ({})", l.as_deref().unwrap_or("no data")),
        };
        let tx = r.x + width(&title) as u16;
        if tx < r.right() {
            let st = match (v, &degraded) {
                (Some(v), None) => value_style(drill, i, v, theme),
                _ => theme.style(Meaning::Warning),
            };
            paint::stringn(
                buf,
                tx,
                y,
                &val,
                (r.right() - tx) as usize,
                st.add_modifier(Modifier::BOLD),
            );
        }
        let band = format!(
            "healthy {}–{}",
            number(def.healthy.0),
            number(def.healthy.1)
        );
        let bw = width(&band) as u16;
        if width(&title) as u16 + width(&val) as u16 + bw + 2 < r.width {
            paint::string(buf, r.right() - bw, y, &band, theme.style(Meaning::Muted));
        }
        if h > 1 {
            chart(buf, Rect::new(r.x, y + 1, r.width, h - 1), drill, i, theme);
        }
    }
}

/// A column chart of a signal's recent history, newest on the right, with its healthy band's
/// edge drawn as a faint line where the bars do not reach.
/// The event markers on a chart's top row, newest on the right like the columns; the chart
/// shows beats up to `newest`.
fn markers(buf: &mut Buffer, r: Rect, drill: &Drill, newest: u64, theme: &Theme) {
    let st = theme.style(Meaning::Inject).add_modifier(Modifier::BOLD);
    for (series, beats) in drill.scenario.events.iter().zip(&drill.markers) {
        for &b in beats.iter().filter(|b| **b <= newest) {
            let back = newest - b;
            if back < u64::from(r.width) {
                buf[(r.right() - 1 - back as u16, r.y)]
                    .set_char(series.glyph)
                    .set_style(st);
            }
        }
    }
}

/// A degraded pane says so on its chart, so nobody reads a frozen line as a calm one.
fn degraded_tag(buf: &mut Buffer, r: Rect, label: &str, theme: &Theme) {
    let tag = format!(" {label} ");
    let w = width(&tag) as u16;
    if w <= r.width {
        paint::string(
            buf,
            r.x,
            r.y + r.height.saturating_sub(1) / 2,
            &tag,
            theme
                .style(Meaning::Warning)
                .add_modifier(Modifier::REVERSED | Modifier::BOLD),
        );
    }
}

pub(super) fn chart(buf: &mut Buffer, r: Rect, drill: &Drill, i: usize, theme: &Theme) {
    let def = &drill.scenario.signals[i];
    let (seen, degraded) = seen(drill, i);
    let n = seen.len().min(r.width as usize);
    let values: Vec<f64> = seen[seen.len() - n..].to_vec();
    let floor = def.healthy.0.min(0.0_f64.max(def.min));
    let scale = Scale::fit(values.iter().copied(), &[floor, def.healthy.1 * 1.2]);
    let band = (def.healthy.1, theme.style(Meaning::Band));
    chart::columns(
        buf,
        r,
        &values,
        scale,
        |v| value_style(drill, i, v, theme),
        Some(band),
    );
    if !drill.markers.is_empty() && r.height > 1 {
        // Markers follow the columns: a slow or stale pane shows its markers where its
        // newest column is.
        let newest = drill
            .beat
            .saturating_sub((drill.signals[i].history.len() - seen.len()) as u64);
        markers(buf, r, drill, newest, theme);
    }
    if let Some(l) = degraded.filter(|_| r.height > 1) {
        degraded_tag(buf, r, &l, theme);
    }
}

/// The alerts, SLOs and gauges, then the scenario's state: every flag and counter for a seat
/// that `facilitates` (with contingencies whose suggested time has come), the visible ones
/// for the others.
pub(super) fn health(buf: &mut Buffer, r: Rect, drill: &Drill, theme: &Theme, facilitates: bool) {
    let s = &drill.scenario;
    let mut y = r.y;
    let w = r.width as usize;
    let mut line = |buf: &mut Buffer, parts: &[(String, Style)]| {
        if y >= r.bottom() {
            return;
        }
        let mut x = r.x;
        for (t, st) in parts {
            if x >= r.right() {
                break;
            }
            let (nx, _) = paint::stringn(buf, x, y, t, (r.right() - x) as usize, *st);
            x = nx;
        }
        y += 1;
    };
    let firing: Vec<usize> = (0..s.alerts.len())
        .filter(|i| drill.alerts[*i].firing_since.is_some())
        .collect();
    if firing.is_empty() {
        line(
            buf,
            &[("✓ no alerts firing".into(), theme.style(Meaning::Healthy))],
        );
    }
    for i in &firing {
        let a = &s.alerts[*i];
        let since = drill.beat - drill.alerts[*i].firing_since.unwrap_or(drill.beat);
        let (tag, st) = match a.severity {
            Severity::Page => ("PAGE", theme.style(Meaning::Critical)),
            Severity::Warning => ("WARN", theme.style(Meaning::Warning)),
            Severity::Info => ("INFO", theme.style(Meaning::Info)),
        };
        let mins = story_clock(s.story_seconds(since));
        line(
            buf,
            &[
                (format!("▲ {tag} "), st.add_modifier(Modifier::BOLD)),
                (format!("{} ", clean(&a.id)), st),
                (format!("for {mins}"), theme.style(Meaning::Muted)),
            ],
        );
    }
    for (i, def) in s.signals.iter().enumerate() {
        if let (Some(slo), Some(left), Some(burn)) =
            (def.slo, drill.budget_left(i), drill.burn_rate(i))
        {
            let label = if w >= 60 {
                format!("SLO {} {}% ", fit(&clean(&def.name), w / 3), slo.target)
            } else {
                format!("SLO {}% ", slo.target)
            };
            let st = if left < 0.25 {
                Meaning::Critical
            } else if left < 0.5 {
                Meaning::Warning
            } else {
                Meaning::Healthy
            };
            let bar_w = (w.saturating_sub(width(&label) + 22)).clamp(4, 30);
            let full = ((left.clamp(0.0, 1.0)) * bar_w as f64).round() as usize;
            let bar: String = "█".repeat(full) + &"░".repeat(bar_w - full);
            let burn_st = if burn > 1.0 {
                theme.style(Meaning::Critical)
            } else {
                theme.style(Meaning::Muted)
            };
            line(
                buf,
                &[
                    (label, theme.style(Meaning::Text)),
                    (bar, theme.style(st)),
                    (format!(" {:>3.0}% left ", left * 100.0), theme.style(st)),
                    (format!("burn {burn:.1}×"), burn_st),
                ],
            );
        }
    }
    for (i, def) in s
        .signals
        .iter()
        .enumerate()
        .filter(|(_, d)| d.show == Show::Gauge)
    {
        let (seen_v, degraded) = seen_value(drill, i);
        let v = seen_v.unwrap_or(0.0);
        let max = if def.max < f64::MAX / 2.0 {
            def.max
        } else {
            def.healthy.1.max(v) * 1.25
        };
        let min = if def.min > f64::MIN / 2.0 {
            def.min
        } else {
            0.0
        };
        let frac = ((v - min) / (max - min).max(1e-9)).clamp(0.0, 1.0);
        let label = format!("{} ", fit(&clean(&def.name), (w / 3).max(6)));
        let bar_w = w.saturating_sub(width(&label) + 12).clamp(4, 40);
        let full = if seen_v.is_some() {
            (frac * bar_w as f64).round() as usize
        } else {
            0
        };
        let st = match degraded {
            None => value_style(drill, i, v, theme),
            Some(_) => theme.style(Meaning::Warning),
        };
        let value = match (seen_v, &degraded) {
            (Some(v), None) => format!(" {} {}", number(v), clean(&def.unit)),
            (Some(v), Some(l)) => format!(" {} {} ({l})", number(v), clean(&def.unit)),
            (None, l) => format!(" — ({})", l.as_deref().unwrap_or("no data")),
        };
        line(
            buf,
            &[
                (
                    format!("{label:<width$}", width = (w / 3).max(6) + 1),
                    theme.style(Meaning::Text),
                ),
                ("▕".into(), theme.style(Meaning::Muted)),
                ("█".repeat(full), st),
                ("░".repeat(bar_w - full), theme.style(Meaning::Band)),
                ("▏".into(), theme.style(Meaning::Muted)),
                (value, st),
            ],
        );
    }
    let shown: Vec<String> = s
        .flags
        .iter()
        .zip(&drill.flags)
        .filter(|(f, _)| facilitates || f.visible)
        .map(|(f, v)| {
            let hidden = if f.visible { "" } else { "·" };
            format!("{hidden}{} {}", clean(&f.name), f.show(*v))
        })
        .collect();
    if !shown.is_empty() {
        let title = if facilitates {
            "state (· hidden from players) "
        } else {
            "state "
        };
        line(
            buf,
            &[
                (title.into(), theme.style(Meaning::Title)),
                (shown.join("  "), theme.style(Meaning::Text)),
            ],
        );
    }
    if facilitates {
        for (i, inj) in s.injects.iter().enumerate() {
            if let Some(at) = inj.suggest
                && !drill.injects_done[i]
                && drill.beat >= at
            {
                line(
                    buf,
                    &[
                        (
                            "⚑ suggested ".into(),
                            theme.style(Meaning::Accent).add_modifier(Modifier::BOLD),
                        ),
                        (
                            format!("fire `{}` (c) since {}", clean(&inj.id), s.bar_beat(at)),
                            theme.style(Meaning::Text),
                        ),
                    ],
                );
            }
        }
    }
}
