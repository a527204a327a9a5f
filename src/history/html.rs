//! The team's record as one self-contained HTML page (`gamelan history --format html`), and
//! the trend charts it draws per scenario, which the debrief's page reuses for its "this
//! scenario over time" section. Pure: rows in, text out. The page shares the debrief's style
//! sheet and its escaping, and like it fetches nothing (its Content-Security-Policy forbids it).

use super::{Point, Row, Series};
use crate::debrief::html::{STYLE, esc};
use crate::scenario::Mark;
use std::fmt::Write as _;

/// Counts the charts the browser laid out and says so on the page (`data-charts-drawn`), as
/// the debrief's page does, so a headless browser's DOM shows the page rendered.
const SCRIPT: &str = "document.addEventListener('DOMContentLoaded',function(){var n=0;\
document.querySelectorAll('svg.chart').forEach(function(s){if(s.getBBox().width>0)n++;});\
document.body.setAttribute('data-charts-drawn',String(n));});";

const WIDTH: f64 = 960.0;
const LEFT: f64 = 120.0;
const RIGHT: f64 = 56.0;
const PLOT_H: f64 = 150.0;
const LANE: f64 = 22.0;
/// Per-run value labels are written only up to this many runs; past it the chart would be
/// unreadable, and each point keeps its tooltip.
const LABELLED_RUNS: usize = 30;

/// Class and letter of each mark's line, in [`Mark::ALL`] order.
const MARKS: [(&str, &str); 4] = [
    ("m-detect", "detect"),
    ("m-ack", "acknowledge"),
    ("m-mitigate", "mitigate"),
    ("m-resolve", "resolve"),
];

/// The whole page: a summary, per scenario its trend charts, and the table of every run.
/// `source` names where the recordings were read; `never_started` and `skipped` are counted.
pub fn page(
    rows: &[Row],
    series: &[Series],
    source: &str,
    never_started: usize,
    skipped: usize,
) -> String {
    let mut h = String::with_capacity(32 * 1024 + rows.len() * 400);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"gamelan history\">\n\
         <title>The team's record</title>\n<style>\n{STYLE}</style>\n<script>{SCRIPT}</script>\n</head>\n<body>\n<main>\n"
    );
    let _ = writeln!(
        h,
        "<header>\n<h1>The team's record</h1>\n<p class=\"id\">{}</p>\n<p class=\"summary\">{} of {} · are we getting better?</p>",
        esc(source),
        plural(rows.len(), "recorded drill"),
        plural(series.len(), "scenario"),
    );
    let mut left_out = Vec::new();
    if never_started > 0 {
        left_out.push(format!(
            "{} that never started",
            plural(never_started, "drill")
        ));
    }
    if skipped > 0 {
        left_out.push(format!(
            "{} that could not be read or replayed",
            plural(skipped, "recording")
        ));
    }
    if !left_out.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"muted\">Left out: {}.</p>",
            left_out.join("; ")
        );
    }
    h.push_str("</header>\n");
    if rows.is_empty() {
        h.push_str("<p class=\"muted\">No recorded drills.</p>\n");
    }
    for s in series {
        let _ = writeln!(
            h,
            "<section class=\"trend\" id=\"s-{}\">\n<h2>{} <code>{}</code></h2>",
            esc(&s.scenario),
            esc(&s.title),
            esc(&s.scenario)
        );
        summary(&mut h, s);
        trends(&mut h, s, None);
        h.push_str("</section>\n");
    }
    if !rows.is_empty() {
        table(&mut h, rows);
    }
    h.push_str(
        "<footer class=\"muted\">gamelan history · times in story minutes from the start of each drill</footer>\n</main>\n</body>\n</html>\n",
    );
    h
}

/// The first, last and best time to each mark, against its target.
pub fn summary(h: &mut String, s: &Series) {
    let span = match (s.runs.first(), s.runs.last()) {
        (Some(a), Some(b)) if day(&a.started) != day(&b.started) => {
            format!(", {} to {}", day(&a.started), day(&b.started))
        }
        (Some(a), _) => format!(", {}", day(&a.started)),
        _ => String::new(),
    };
    let _ = writeln!(
        h,
        "<p class=\"muted\">{}{span}; oldest on the left.</p>\n<table class=\"best\">\n<thead><tr><th>minutes to</th><th>target</th><th>first</th><th>last</th><th>best</th></tr></thead>\n<tbody>",
        plural(s.runs.len(), "run")
    );
    for mark in Mark::ALL {
        let i = mark.index();
        let first = s.runs.first().and_then(|p| p.minutes[i]);
        let last = s.runs.last().and_then(|p| p.minutes[i]);
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            MARKS[i].1,
            s.targets[i].map_or_else(|| "–".into(), |t| format!("≤ {t}")),
            minutes(first),
            minutes(last),
            minutes(s.best(mark)),
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

/// The two trend charts of a scenario: time to each mark run after run (with the targets
/// dashed), then objectives met, hints used and herrings followed. `current`, the index of
/// a run in `s.runs`, is drawn as "this run".
pub fn trends(h: &mut String, s: &Series, current: Option<usize>) {
    let n = s.runs.len();
    let x = |i: usize| {
        if n <= 1 {
            LEFT + (WIDTH - LEFT - RIGHT) / 2.0
        } else {
            LEFT + i as f64 / (n - 1) as f64 * (WIDTH - LEFT - RIGHT)
        }
    };
    let top = 10.0;
    let bottom = top + PLOT_H;
    let most = s
        .runs
        .iter()
        .flat_map(|p| p.minutes.iter().flatten().copied())
        .chain(s.targets.iter().flatten().map(|t| f64::from(*t)))
        .fold(1.0, f64::max)
        * 1.08;
    let y = |m: f64| bottom - m / most * PLOT_H;
    let height = bottom + 30.0;
    let _ = write!(
        h,
        "<figure>\n<figcaption>Story minutes to each mark, run after run \
         <span class=\"legend\">{}</span> <span class=\"muted\">(dashed: the target; a gap: the mark was not reached)</span></figcaption>\n\
         <svg class=\"chart trend\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{} minutes to each mark over time\">",
        MARKS
            .iter()
            .map(|(class, label)| format!("<span class=\"key {class}\">■</span> {label}"))
            .collect::<Vec<_>>()
            .join(" "),
        esc(&s.scenario)
    );
    let _ = write!(
        h,
        "<rect class=\"frame\" x=\"{LEFT}\" y=\"{top}\" width=\"{:.1}\" height=\"{PLOT_H}\"/>",
        WIDTH - LEFT - RIGHT
    );
    // A horizontal rule and label at a round number of minutes, about five of them.
    let step = [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 240.0]
        .into_iter()
        .find(|s| most / s <= 6.0)
        .unwrap_or(480.0);
    let mut m = 0.0;
    while m <= most {
        let yy = y(m);
        let _ = write!(
            h,
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\"/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{m} min</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            yy + 4.0
        );
        m += step;
    }
    days_axis(h, s, &x, top, bottom);
    if let Some(c) = current.filter(|c| *c < n) {
        let xx = x(c);
        let _ = write!(
            h,
            "<line class=\"current\" x1=\"{xx:.1}\" y1=\"{top}\" x2=\"{xx:.1}\" y2=\"{bottom}\"/>\
             <text class=\"current-label\" x=\"{xx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">this run</text>",
            top + 9.0
        );
    }
    for (i, (class, label)) in MARKS.iter().enumerate() {
        if let Some(t) = s.targets[i] {
            let yy = y(f64::from(t));
            let _ = write!(
                h,
                "<line class=\"target {class}\" x1=\"{LEFT}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\"><title>{label} target: {t} min</title></line>\
                 <text class=\"target-label {class}\" x=\"{:.1}\" y=\"{:.1}\">≤{t}</text>",
                WIDTH - RIGHT,
                WIDTH - RIGHT + 4.0,
                yy + 4.0
            );
        }
        // One polyline a stretch of runs that reached the mark.
        let mut stretch: Vec<String> = Vec::new();
        let flush = |h: &mut String, stretch: &mut Vec<String>| {
            if stretch.len() > 1 {
                let _ = write!(
                    h,
                    "<polyline class=\"run-line {class}\" points=\"{}\"/>",
                    stretch.join(" ")
                );
            }
            stretch.clear();
        };
        for (r, p) in s.runs.iter().enumerate() {
            match p.minutes[i] {
                Some(m) => stretch.push(format!("{:.1},{:.1}", x(r), y(m))),
                None => flush(h, &mut stretch),
            }
        }
        flush(h, &mut stretch);
        for (r, p) in s.runs.iter().enumerate() {
            if let Some(m) = p.minutes[i] {
                let _ = write!(
                    h,
                    "<circle class=\"run-dot {class}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\"><title>{} · {label}: {} min</title></circle>",
                    x(r),
                    y(m),
                    if n > 100 { 1.5 } else { 3.0 },
                    esc(&p.started),
                    minutes(Some(m))
                );
            }
        }
    }
    h.push_str("</svg>\n</figure>\n");
    counts(h, s, &x, current);
}

/// Objectives met, hints used and red herrings followed: one lane each, a bar a run.
fn counts(h: &mut String, s: &Series, x: &dyn Fn(usize) -> f64, current: Option<usize>) {
    let n = s.runs.len();
    type Count = fn(&Point) -> usize;
    let lanes: [(&str, &str, Count, usize); 3] = [
        (
            "objectives met",
            "c-goals",
            |p| p.objectives_met,
            s.runs.iter().map(|p| p.objectives_total).max().unwrap_or(0),
        ),
        ("hints used", "c-hints", |p| p.hints_used, 0),
        (
            "herrings followed",
            "c-herrings",
            |p| p.herrings_followed,
            0,
        ),
    ];
    let top = 6.0;
    let height = top + LANE * 3.0 + 26.0;
    let _ = write!(
        h,
        "<figure>\n<figcaption>Objectives met, hints used, red herrings followed</figcaption>\n\
         <svg class=\"chart counts\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{} objectives, hints and herrings over time\">",
        esc(&s.scenario)
    );
    let bar = ((WIDTH - LEFT - RIGHT) / n.max(1) as f64 * 0.6).clamp(1.0, 16.0);
    for (l, (label, class, of, scale)) in lanes.iter().enumerate() {
        let y0 = top + LANE * l as f64;
        let most = s.runs.iter().map(of).max().unwrap_or(0).max(*scale).max(1);
        let _ = write!(
            h,
            "<text class=\"lane\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>\
             <line class=\"lane-rule\" x1=\"{LEFT}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
            LEFT - 6.0,
            y0 + LANE - 7.0,
            y0 + LANE,
            WIDTH - RIGHT,
            y0 + LANE
        );
        for (r, p) in s.runs.iter().enumerate() {
            let v = of(p);
            let bh = v as f64 / most as f64 * (LANE - 4.0);
            let label = if *class == "c-goals" {
                format!("{v}/{}", p.objectives_total)
            } else {
                v.to_string()
            };
            let _ = write!(
                h,
                "<rect class=\"count {class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{bh:.1}\"><title>{} · {label}: {}</title></rect>",
                x(r) - bar / 2.0,
                y0 + LANE - bh,
                esc(&p.started),
                label
            );
            if n <= LABELLED_RUNS {
                let _ = write!(
                    h,
                    "<text class=\"count-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{v}</text>",
                    x(r),
                    y0 + LANE - bh - 2.0
                );
            }
        }
    }
    let bottom = top + LANE * 3.0;
    if let Some(c) = current.filter(|c| *c < n) {
        let xx = x(c);
        let _ = write!(
            h,
            "<line class=\"current\" x1=\"{xx:.1}\" y1=\"{top}\" x2=\"{xx:.1}\" y2=\"{bottom}\"/>"
        );
    }
    days_axis(h, s, x, bottom, bottom);
    h.push_str("</svg>\n</figure>\n");
}

/// The runs' days along the bottom, at most about eight labels.
fn days_axis(h: &mut String, s: &Series, x: &dyn Fn(usize) -> f64, top: f64, bottom: f64) {
    let n = s.runs.len();
    let every = n.div_ceil(8).max(1);
    for (r, p) in s.runs.iter().enumerate() {
        if r % every != 0 && r + 1 != n {
            continue;
        }
        if r + 1 == n && r % every != 0 && r % every < every / 2 {
            continue;
        }
        let xx = x(r);
        if top < bottom {
            let _ = write!(
                h,
                "<line class=\"grid\" x1=\"{xx:.1}\" y1=\"{top:.1}\" x2=\"{xx:.1}\" y2=\"{bottom:.1}\"/>"
            );
        }
        let _ = write!(
            h,
            "<text class=\"tick\" x=\"{xx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            bottom + 14.0,
            esc(day(&p.started))
        );
    }
}

/// Every run, as `gamelan history` prints its table.
fn table(h: &mut String, rows: &[Row]) {
    h.push_str(
        "<section class=\"runs\">\n<h2>Every run</h2>\n<table>\n<thead><tr><th>started</th><th>scenario</th><th>seed</th><th>outcome</th>\
         <th>detect</th><th>ack</th><th>mitigate</th><th>resolve</th><th>objectives</th><th>hints</th><th>herrings</th></tr></thead>\n<tbody>\n",
    );
    for r in rows {
        let outcome = if r.incomplete {
            format!("{} (cut)", r.outcome)
        } else {
            r.outcome.clone()
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td>",
            esc(&r.started),
            esc(&r.scenario),
            r.seed,
            esc(&outcome)
        );
        for (m, t) in r.minutes().into_iter().zip(r.targets()) {
            let late = matches!((m, t), (Some(m), Some(t)) if m > f64::from(t));
            let class = if late { " class=\"bad\"" } else { "" };
            let _ = write!(h, "<td{class}>{}</td>", minutes(m));
        }
        let _ = writeln!(
            h,
            "<td>{}/{}</td><td>{}/{}</td><td>{}/{}</td></tr>",
            r.objectives_met,
            r.objectives_total,
            r.hints_used,
            r.hints_available,
            r.herrings_followed,
            r.herrings_total
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn minutes(m: Option<f64>) -> String {
    m.map_or_else(|| "–".into(), |m| format!("{m:.1}"))
}

fn day(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(started: &str, ack: Option<f64>, met: usize, hints: usize) -> Row {
        Row {
            started: started.into(),
            scenario: "bad-deploy".into(),
            title: "Checkout <5xx>".into(),
            scenario_hash: "h".into(),
            seed: 1,
            outcome: "ended (resolved)".into(),
            incomplete: false,
            beats: 90,
            story_minutes: 45.0,
            detect_minutes: Some(2.5),
            acknowledge_minutes: ack,
            mitigate_minutes: Some(20.0),
            resolve_minutes: ack.map(|a| a + 20.0),
            detect_target: Some(12),
            acknowledge_target: Some(15),
            mitigate_target: Some(30),
            resolve_target: Some(45),
            objectives_met: met,
            objectives_total: 5,
            hints_used: hints,
            hints_available: 3,
            herrings_followed: 0,
            herrings_total: 1,
            recording: format!("{started}.jsonl"),
        }
    }

    #[test]
    fn the_page_charts_each_scenario_and_lists_every_run_escaped() {
        let rows = vec![
            row("2025-05-01T14:00:00Z", Some(8.0), 5, 0),
            row("2025-05-02T14:00:00Z", None, 3, 2),
            row("2025-05-03T14:00:00Z", Some(16.0), 5, 1),
        ];
        let series = super::super::series(&rows);
        let page = page(&rows, &series, "/srv/<team>", 2, 1);
        assert_eq!(page.matches("<svg class=\"chart").count(), 2);
        assert!(page.contains("Checkout &lt;5xx&gt;"));
        assert!(page.contains("/srv/&lt;team&gt;"));
        assert!(!page.contains("<team>"));
        assert!(page.contains("2 drills that never started"));
        assert!(page.contains("1 recording that could not be read"));
        // The run that never acknowledged breaks the acknowledge line in two single points:
        // no polyline for it, a dot for each run that did.
        assert_eq!(page.matches("run-line m-ack").count(), 0);
        assert_eq!(page.matches("run-dot m-ack").count(), 2);
        assert_eq!(page.matches("run-line m-detect").count(), 1);
        // Late against the 15-minute target is flagged in the table.
        assert!(page.contains("<td class=\"bad\">16.0</td>"));
        assert_eq!(page.matches("<tr><td>2025-05-0").count(), 3);
        assert!(page.contains("class=\"target m-resolve\""));
        assert!(!page.contains("this run"));
    }

    #[test]
    fn trends_mark_the_current_run_and_survive_one_run_or_a_thousand() {
        let one = super::super::series(&[row("2025-05-01T14:00:00Z", Some(8.0), 5, 0)]);
        let mut h = String::new();
        trends(&mut h, &one[0], Some(0));
        assert!(h.contains("this run"));
        assert!(!h.contains("NaN"));
        let many: Vec<Row> = (0..1000)
            .map(|i| {
                row(
                    &format!("2025-{:02}-{:02}T14:00:00Z", i % 12 + 1, i % 28 + 1),
                    Some(i as f64 % 20.0),
                    i % 6,
                    i % 3,
                )
            })
            .collect();
        let s = super::super::series(&many);
        let mut h = String::new();
        trends(&mut h, &s[0], None);
        assert!(!h.contains("NaN"));
        assert!(!h.contains("count-label"), "no per-run labels past 30 runs");
        let days = h.matches("text-anchor=\"middle\">2025-").count();
        assert!(days <= 2 * 9, "at most nine day labels a chart: {days}");
    }
}
