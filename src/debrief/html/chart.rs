//! The debrief's charts as inline SVG: a strip of lanes (lifecycle marks, injects, each
//! seat's cues, alert firings, the reference run's cues) and one chart per signal (its
//! values, healthy band, alerts on it, error budget left), all on one time axis so a
//! column of the page is one moment of the drill.

use super::esc;
use crate::clock::story_clock;
use crate::debrief::numbers::num;
use crate::debrief::{Debrief, SignalTrack};
use crate::scenario::Mark;
use std::fmt::Write as _;

/// The width of every chart's view box; the plot runs from `LEFT` to `WIDTH - RIGHT`.
const WIDTH: f64 = 960.0;
const LEFT: f64 = 120.0;
const RIGHT: f64 = 56.0;
const LANE: f64 = 20.0;
const PLOT_H: f64 = 110.0;

/// The shared time axis.
pub(super) struct Axis {
    last: u64,
    seconds_per_beat: u64,
}

impl Axis {
    fn x(&self, beat: u64) -> f64 {
        LEFT + beat.min(self.last) as f64 / self.last.max(1) as f64 * (WIDTH - LEFT - RIGHT)
    }

    /// Story time labels at a round step, at most about ten of them.
    fn ticks(&self) -> Vec<(u64, String)> {
        let total = self.last * self.seconds_per_beat;
        let step = [60, 120, 300, 600, 900, 1800, 3600, 7200, 14400]
            .into_iter()
            .find(|s| total / s <= 10)
            .unwrap_or(28800);
        let spb = self.seconds_per_beat.max(1);
        (0..=total / step)
            .map(|i| {
                let secs = i * step;
                let clock = story_clock(secs);
                (secs / spb, clock[..clock.len() - 3].to_string())
            })
            .collect()
    }

    /// The tick lines and labels along the bottom of a plot from `top` to `bottom`.
    fn draw(&self, s: &mut String, top: f64, bottom: f64) {
        for (beat, label) in self.ticks() {
            let x = self.x(beat);
            let _ = write!(
                s,
                "<line class=\"grid\" x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\"/>\
                 <text class=\"tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>",
                bottom + 12.0
            );
        }
    }
}

fn mark_letter(m: Mark) -> &'static str {
    match m {
        Mark::Detected => "D",
        Mark::Acknowledged => "A",
        Mark::Mitigated => "M",
        Mark::Resolved => "R",
    }
}

/// Every chart of the report, lanes first.
pub(super) fn all(h: &mut String, d: &Debrief) {
    let axis = Axis {
        last: d
            .outcome
            .beat
            .max(d.ghost.as_ref().map_or(0, |g| g.last_beat)),
        seconds_per_beat: u64::from(d.scenario.story_seconds_per_beat),
    };
    lanes(h, d, &axis);
    for t in &d.signals {
        signal(h, d, t, &axis);
    }
}

/// The vertical lines of this run's marks (and the reference run's), from `top` to `bottom`;
/// `labels`: the rows to letter this run's and the reference run's marks in.
fn mark_lines(
    s: &mut String,
    d: &Debrief,
    axis: &Axis,
    top: f64,
    bottom: f64,
    labels: Option<(f64, f64)>,
) {
    for t in &d.times {
        let Some(b) = t.beat else { continue };
        let x = axis.x(b);
        let _ = write!(
            s,
            "<line class=\"mark\" x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\"><title>{} at beat {b}</title></line>",
            t.mark.label()
        );
    }
    if let Some((row, ghost_row)) = labels {
        let ours: Vec<(Mark, u64)> = d
            .times
            .iter()
            .filter_map(|t| t.beat.map(|b| (t.mark, b)))
            .collect();
        letters(s, axis, &ours, row, "mark-label");
        if let Some(g) = &d.ghost {
            letters(s, axis, &g.marks, ghost_row, "ghost-label");
        }
    }
    if let Some(g) = &d.ghost {
        for (m, b) in &g.marks {
            let x = axis.x(*b);
            let _ = write!(
                s,
                "<line class=\"ghost\" x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\"><title>reference {} at beat {b}</title></line>",
                m.label()
            );
        }
    }
}

/// The marks' letters in a lane, those at one beat together (`MR`: mitigated and resolved).
fn letters(s: &mut String, axis: &Axis, marks: &[(Mark, u64)], row: f64, class: &str) {
    let mut at: Vec<(u64, String)> = Vec::new();
    for (m, b) in marks {
        match at.iter_mut().find(|(beat, _)| beat == b) {
            Some((_, l)) => l.push_str(mark_letter(*m)),
            None => at.push((*b, mark_letter(*m).to_string())),
        }
    }
    for (b, l) in at {
        let _ = write!(
            s,
            "<text class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\">{l}</text>",
            axis.x(b) + 2.0,
            row + 4.0
        );
    }
}

/// One lane's label on the left.
fn lane_label(s: &mut String, y: f64, text: &str) {
    let _ = write!(
        s,
        "<text class=\"lane\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}<title>{}</title></text>\
         <line class=\"lane-rule\" x1=\"{LEFT}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
        LEFT - 6.0,
        y + 4.0,
        esc(&clip(text, 15)),
        esc(text),
        y,
        WIDTH - RIGHT,
        y
    );
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn lanes(h: &mut String, d: &Debrief, axis: &Axis) {
    // Lanes: marks (and the reference run's), injects, one a seat that cued, one an alert
    // that fired, the reference run's cues.
    let mut seats: Vec<&str> = Vec::new();
    for r in d.timeline.iter().filter(|r| r.kind == "cue") {
        if let Some(name) = r.seat.as_deref()
            && !seats.contains(&name)
        {
            seats.push(name);
        }
    }
    let mut alerts: Vec<&str> = Vec::new();
    for a in &d.alerts {
        if !alerts.contains(&a.id.as_str()) {
            alerts.push(&a.id);
        }
    }
    let ghost = d.ghost.as_ref();
    let ghost_cues = ghost.is_some_and(|g| !g.cues.is_empty());
    let mut rows: Vec<String> = vec!["lifecycle".into()];
    if ghost.is_some() {
        rows.push("reference marks".into());
    }
    rows.push("injects".into());
    rows.extend(seats.iter().map(|n| format!("cues · {n}")));
    if alerts.is_empty() {
        rows.push("alerts".into());
    }
    rows.extend(alerts.iter().map(|a| a.to_string()));
    if ghost_cues {
        rows.push("reference cues".into());
    }
    let top = 8.0;
    let bottom = top + LANE * rows.len() as f64;
    let height = bottom + 18.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<figure class=\"lanes\"><figcaption>Marks, injects, cues by seat, alerts <span class=\"muted\">· D detected, A acknowledged, M mitigated, R resolved</span></figcaption>\
         <svg class=\"chart\" role=\"img\" aria-label=\"events over the drill\" viewBox=\"0 0 {WIDTH} {height:.0}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    axis.draw(&mut s, top, bottom);
    let y = |i: usize| top + LANE * i as f64 + LANE / 2.0;
    for (i, label) in rows.iter().enumerate() {
        lane_label(&mut s, y(i), label);
    }
    let row_of = |label: &str| rows.iter().position(|r| r == label).map(y);
    let ghost_row = row_of("reference marks").unwrap_or(0.0);
    mark_lines(&mut s, d, axis, top, bottom, Some((y(0), ghost_row)));
    let inject_row = row_of("injects").unwrap_or(0.0);
    for r in d.timeline.iter().filter(|r| r.kind == "inject") {
        let x = axis.x(r.beat);
        let _ = write!(
            s,
            "<rect class=\"inject\" x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" transform=\"rotate(45 {x:.1} {inject_row:.1})\"><title>{} inject: {}</title></rect>",
            x - 3.5,
            inject_row - 3.5,
            esc(&r.story_time),
            esc(&r.what)
        );
    }
    for name in &seats {
        let row = row_of(&format!("cues · {name}")).unwrap_or(0.0);
        for r in d
            .timeline
            .iter()
            .filter(|r| r.kind == "cue" && r.seat.as_deref() == Some(name))
        {
            let _ = write!(
                s,
                "<circle class=\"cue\" cx=\"{:.1}\" cy=\"{row:.1}\" r=\"4\"><title>{} {}: {}</title></circle>",
                axis.x(r.beat),
                esc(&r.story_time),
                esc(name),
                esc(&r.what)
            );
        }
    }
    for a in &d.alerts {
        let row = row_of(&a.id).unwrap_or(0.0);
        let x0 = axis.x(a.from);
        let x1 = axis.x(a.to.unwrap_or(d.outcome.beat)).max(x0 + 2.0);
        let _ = write!(
            s,
            "<rect class=\"alert sev-{}\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"8\"><title>{} ({}) firing from beat {}{}</title></rect>",
            esc(&a.severity),
            row - 4.0,
            x1 - x0,
            esc(&a.id),
            esc(&a.severity),
            a.from,
            a.to.map_or_else(|| " to the end".into(), |t| format!(" to {t}"))
        );
    }
    if let Some(g) = ghost.filter(|_| ghost_cues) {
        let row = row_of("reference cues").unwrap_or(0.0);
        for (beat, id) in &g.cues {
            let _ = write!(
                s,
                "<circle class=\"ghost-cue\" cx=\"{:.1}\" cy=\"{row:.1}\" r=\"4\"><title>reference run: {} at beat {beat}</title></circle>",
                axis.x(*beat),
                esc(id)
            );
        }
    }
    s.push_str("</svg></figure>\n");
    h.push_str(&s);
}

/// The value range a chart shows: the values, and the healthy band where it is near them.
fn y_range(t: &SignalTrack) -> (f64, f64) {
    let (lo, hi) = t.range();
    let (mut lo, mut hi) = (f64::from(lo), f64::from(hi));
    let span = (hi - lo).max(hi.abs() * 0.1).max(1e-9);
    for b in t.healthy {
        if b.is_finite() && b >= lo - span && b <= hi + span {
            lo = lo.min(b);
            hi = hi.max(b);
        }
    }
    // A chart of values that are never negative does not dip below zero for padding.
    let floor = if lo >= 0.0 { 0.0 } else { f64::NEG_INFINITY };
    if hi - lo < 1e-9 {
        ((lo - 1.0).max(floor), hi + 1.0)
    } else {
        let pad = (hi - lo) * 0.06;
        ((lo - pad).max(floor), hi + pad)
    }
}

fn signal(h: &mut String, d: &Debrief, t: &SignalTrack, axis: &Axis) {
    let top = 8.0;
    let bottom = top + PLOT_H;
    let (lo, hi) = y_range(t);
    let y = |v: f64| bottom - (v.clamp(lo, hi) - lo) / (hi - lo) * PLOT_H;
    let unit = if t.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", t.unit)
    };
    let slo = t.slo.as_ref().map_or_else(String::new, |s| {
        format!(" · SLO {}% ({})", num(s.target), s.measure)
    });
    let mut s = String::new();
    let _ = write!(
        s,
        "<figure class=\"signal\" id=\"signal-{}\"><figcaption>{}{} <span class=\"muted\">· healthy {} to {}{}</span></figcaption>\
         <svg class=\"chart\" role=\"img\" aria-label=\"{} over the drill\" viewBox=\"0 0 {WIDTH} {:.0}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(&t.id),
        esc(&t.name),
        esc(&unit),
        num(t.healthy[0]),
        num(t.healthy[1]),
        esc(&slo),
        esc(&t.name),
        bottom + 18.0
    );
    // The healthy band, clipped to the plot.
    let (band_top, band_bottom) = (y(t.healthy[1]), y(t.healthy[0]));
    if band_bottom - band_top > 0.5 {
        let _ = write!(
            s,
            "<rect class=\"healthy\" x=\"{LEFT}\" y=\"{band_top:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
            WIDTH - LEFT - RIGHT,
            band_bottom - band_top
        );
    }
    for a in d.alerts.iter().filter(|a| a.signal == t.id) {
        let x0 = axis.x(a.from);
        let x1 = axis.x(a.to.unwrap_or(d.outcome.beat)).max(x0 + 2.0);
        let _ = write!(
            s,
            "<rect class=\"alert-span sev-{}\" x=\"{x0:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{PLOT_H:.1}\"><title>{} firing</title></rect>",
            esc(&a.severity),
            x1 - x0,
            esc(&a.id)
        );
    }
    axis.draw(&mut s, top, bottom);
    let _ = write!(
        s,
        "<rect class=\"frame\" x=\"{LEFT}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{PLOT_H:.1}\"/>\
         <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
         <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        WIDTH - LEFT - RIGHT,
        LEFT - 6.0,
        top + 9.0,
        num(hi),
        LEFT - 6.0,
        bottom,
        num(lo)
    );
    mark_lines(&mut s, d, axis, top, bottom, None);
    let points = polyline(&t.values, t.first_beat, axis, |v| y(f64::from(v)));
    let _ = write!(s, "<polyline class=\"value\" points=\"{}\"/>", points);
    if !t.budget_left.is_empty() {
        let floor = t
            .budget_left
            .iter()
            .fold(0.0f32, |m, v| m.min(*v))
            .max(-1.0);
        let f = f64::from(floor);
        let by = |v: f32| bottom - (f64::from(v.clamp(floor, 1.0)) - f) / (1.0 - f) * PLOT_H;
        let points = polyline(&t.budget_left, t.first_beat, axis, by);
        let end = t.budget_left.last().copied().unwrap_or(1.0);
        if floor < 0.0 {
            // Overspent: where the budget ran out.
            let y0 = by(0.0);
            let _ = write!(
                s,
                "<line class=\"budget-zero\" x1=\"{LEFT}\" y1=\"{y0:.1}\" x2=\"{:.1}\" y2=\"{y0:.1}\"/>\
                 <text class=\"tick budget-axis\" x=\"{:.1}\" y=\"{:.1}\">0%</text>",
                WIDTH - RIGHT,
                WIDTH - RIGHT + 4.0,
                y0 + 4.0
            );
        }
        let _ = write!(
            s,
            "<polyline class=\"budget\" points=\"{}\"><title>error budget left: {:.0}% at the end</title></polyline>\
             <text class=\"tick budget-axis\" x=\"{:.1}\" y=\"{:.1}\">100%</text>\
             <text class=\"tick budget-axis\" x=\"{:.1}\" y=\"{:.1}\">{:.0}%</text>",
            points,
            end * 100.0,
            WIDTH - RIGHT + 4.0,
            top + 9.0,
            WIDTH - RIGHT + 4.0,
            bottom,
            floor * 100.0
        );
    }
    s.push_str("</svg></figure>\n");
    h.push_str(&s);
}

/// Most points a line gets: about two for each unit of the plot's width.
const MAX_POINTS: usize = 1600;

/// The points of a line through `values` (one a beat from `first`). A long drill keeps the
/// lowest and the highest value of each slice of beats, in the order they came, so a spike
/// survives and the page stays small.
fn polyline(values: &[f32], first: u64, axis: &Axis, y: impl Fn(f32) -> f64) -> String {
    let mut out = String::with_capacity(values.len().min(MAX_POINTS) * 12);
    let mut point = |i: usize, v: f32| {
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "{:.1},{:.1}", axis.x(first + i as u64), y(v));
    };
    if values.len() <= MAX_POINTS {
        for (i, v) in values.iter().enumerate() {
            point(i, *v);
        }
        return out;
    }
    let slices = MAX_POINTS / 2;
    for k in 0..slices {
        let (a, b) = (k * values.len() / slices, (k + 1) * values.len() / slices);
        let slice = &values[a..b.max(a + 1)];
        let (mut lo, mut hi) = (0, 0);
        for (j, v) in slice.iter().enumerate() {
            if *v < slice[lo] {
                lo = j;
            }
            if *v > slice[hi] {
                hi = j;
            }
        }
        let (p, q) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        point(a + p, slice[p]);
        if q != p {
            point(a + q, slice[q]);
        }
    }
    out
}

#[cfg(test)]
pub(super) fn tests_axis(last: u64) -> Axis {
    Axis {
        last,
        seconds_per_beat: 30,
    }
}

#[cfg(test)]
pub(super) fn tests_polyline(values: &[f32], axis: &Axis) -> String {
    polyline(values, 0, axis, f64::from)
}

#[cfg(test)]
pub(super) fn tests_x(axis: &Axis, beat: u64) -> f64 {
    axis.x(beat)
}
