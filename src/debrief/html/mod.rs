//! The debrief as one self-contained HTML page: inline CSS, inline SVG charts drawn here, no
//! network (its Content-Security-Policy forbids every fetch), and a print stylesheet, so it
//! opens in any browser and prints as a report. Every piece of scenario, seat or note text
//! goes through [`esc`]: a scenario is untrusted input.

mod chart;

use super::numbers::{num, percent};
use super::{ACTION_MARKER, Debrief};
use std::fmt::Write as _;

pub(crate) const STYLE: &str = include_str!("style.css");

/// Counts the charts the browser laid out and says so on the page (`data-charts-drawn`), so
/// a headless browser's DOM shows the page rendered; nothing else runs.
const SCRIPT: &str = "document.addEventListener('DOMContentLoaded',function(){var n=0;\
document.querySelectorAll('svg.chart').forEach(function(s){if(s.getBBox().width>0)n++;});\
document.body.setAttribute('data-charts-drawn',String(n));});";

/// The report as an HTML document.
pub fn html(d: &Debrief) -> String {
    html_with_history(d, &[])
}

/// The report as an HTML document with a "this scenario over time" section drawn from
/// `runs`, the history rows the shell found for this scenario (this run among them, matched
/// by its start and seed). Without another run of the scenario there is no section.
pub fn html_with_history(d: &Debrief, runs: &[crate::history::Row]) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let title = format!("Debrief: {} ({})", d.scenario.title, d.scenario.id);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"gamelan debrief\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n<script>{SCRIPT}</script>\n</head>\n<body>\n<main>\n",
        esc(&title)
    );
    header(&mut h, d);
    lifecycle(&mut h, d);
    budgets(&mut h, d);
    over_time(&mut h, d, runs);
    let _ = writeln!(
        h,
        "<section class=\"charts\">\n<h2>The drill over time</h2>\n<p class=\"muted\">One shared axis in story time. \
         Shaded green: each signal's healthy band; shaded red, amber, blue: an alert on it firing (page, warning, info); \
         dashed: the SLO's error budget left (right-hand scale); vertical lines: lifecycle marks{}.</p>",
        if d.ghost.is_some() {
            " (dotted: the reference run's)"
        } else {
            ""
        }
    );
    chart::all(&mut h, d);
    h.push_str("</section>\n");
    decisions(&mut h, d);
    objectives(&mut h, d);
    notes(&mut h, d);
    hot_wash(&mut h, d);
    timeline(&mut h, d);
    let _ = writeln!(
        h,
        "<footer class=\"muted\">gamelan debrief · scenario content hash {} · seed {}</footer>\n</main>\n</body>\n</html>",
        esc(&d.scenario.content_hash),
        d.seed
    );
    h
}

fn header(h: &mut String, d: &Debrief) {
    let o = &d.outcome;
    let status = match &o.reason {
        Some(r) => format!("{} ({r})", o.status),
        None => o.status.clone(),
    };
    let class = match (o.status.as_str(), o.reason.as_deref()) {
        ("ended", Some("resolved")) => "good",
        ("ended", _) => "bad",
        _ => "warn",
    };
    let _ = writeln!(
        h,
        "<header>\n<h1>{}</h1>\n<p class=\"id\">{} · {}</p>\n<p class=\"summary\">{}</p>",
        esc(&d.scenario.title),
        esc(&d.scenario.id),
        esc(&d.scenario.difficulty),
        esc(&d.scenario.summary)
    );
    let _ = writeln!(
        h,
        "<div class=\"outcome\"><span class=\"badge {class}\">{}</span> \
         <span>at beat {} (bar {}), story time {}</span> · <span>objectives {} of {} met</span></div>",
        esc(&status),
        o.beat,
        esc(&o.bar_beat),
        esc(&o.story_time),
        o.objectives_met,
        o.objectives_total
    );
    h.push_str("<dl class=\"facts\">");
    if let Some(s) = &d.started {
        let _ = write!(h, "<dt>started</dt><dd>{}</dd>", esc(s));
    }
    let _ = write!(h, "<dt>seed</dt><dd>{}</dd>", d.seed);
    let seats: Vec<String> = d
        .seats
        .iter()
        .map(|s| format!("{} ({})", esc(&s.name), esc(&s.role_name)))
        .collect();
    let _ = write!(h, "<dt>seats</dt><dd>{}</dd>", seats.join(", "));
    if let Some(g) = &d.ghost {
        let _ = write!(h, "<dt>reference run</dt><dd>{}</dd>", esc(&g.label));
    }
    let _ = write!(
        h,
        "<dt>vista</dt><dd>{}</dd>",
        d.vista.as_ref().map_or_else(
            || "the drill's own signals, simulated from the scenario".into(),
            |v| format!("live, beside the drill: {}", esc(&v.summary()))
        )
    );
    h.push_str("</dl>\n");
    if let Some(note) = &d.incomplete {
        let _ = writeln!(
            h,
            "<p class=\"warning\">The recording is {}: it stopped before it was closed, so the drill may have gone on after this report ends.</p>",
            esc(note)
        );
    }
    h.push_str("</header>\n");
}

fn lifecycle(h: &mut String, d: &Debrief) {
    let ghost = d.ghost.as_ref();
    h.push_str(
        "<section class=\"lifecycle\">\n<h2>Time to detect, acknowledge, mitigate, resolve</h2>\n<table>\n<thead><tr><th>mark</th><th>beat</th><th>story minutes</th><th>target</th><th>verdict</th>",
    );
    if ghost.is_some() {
        h.push_str("<th>reference (beat)</th>");
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for t in &d.times {
        let verdict_class = match t.verdict.as_str() {
            "on target" => "good",
            "late" | "missed" => "bad",
            _ => "muted",
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><span class=\"badge {verdict_class}\">{}</span></td>",
            t.mark.label(),
            t.beat.map_or_else(|| "–".into(), |b| b.to_string()),
            t.minutes.map_or_else(|| "–".into(), |m| format!("{m:.1}")),
            t.target_minutes
                .map_or_else(|| "–".into(), |m| format!("{m} min")),
            if t.verdict.is_empty() {
                "no target"
            } else {
                &t.verdict
            }
        );
        if let Some(g) = ghost {
            let _ = write!(
                h,
                "<td>{}</td>",
                g.mark(t.mark).map_or_else(|| "–".into(), |b| b.to_string())
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn budgets(h: &mut String, d: &Debrief) {
    if d.budgets.is_empty() {
        return;
    }
    h.push_str(
        "<section class=\"budgets\">\n<h2>Error budget left</h2>\n<table>\n<thead><tr><th>SLO</th><th>target</th><th>at detected</th><th>at acknowledged</th><th>at mitigated</th><th>at resolved</th><th>at the end</th></tr></thead>\n<tbody>\n",
    );
    for b in &d.budgets {
        let _ = write!(
            h,
            "<tr><td>{} <code>{}</code></td><td>{}%</td>",
            esc(&b.name),
            esc(&b.signal),
            num(b.target)
        );
        for a in &b.at_marks {
            match (a.beat, a.left) {
                (Some(beat), Some(left)) => {
                    let _ = write!(
                        h,
                        "<td>{} <span class=\"muted\">beat {beat}</span></td>",
                        percent(left)
                    );
                }
                _ => h.push_str("<td>–</td>"),
            }
        }
        let class = if b.end < 0.0 { "bad" } else { "" };
        let _ = writeln!(h, "<td class=\"{class}\">{}</td></tr>", percent(b.end));
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// This scenario's runs over time, this one marked, when there was at least one other run.
fn over_time(h: &mut String, d: &Debrief, runs: &[crate::history::Row]) {
    let series = crate::history::series(runs);
    let Some(s) = series.iter().find(|s| s.scenario == d.scenario.id) else {
        return;
    };
    if s.runs.len() < 2 {
        return;
    }
    let current = s
        .runs
        .iter()
        .position(|p| Some(&p.started) == d.started.as_ref() && p.seed == d.seed);
    let _ = writeln!(
        h,
        "<section class=\"over-time\">\n<h2>This scenario over time</h2>\n<p class=\"muted\">Every recorded run of <code>{}</code> in the data directory{}.</p>",
        esc(&d.scenario.id),
        if current.is_some() {
            ", this one marked"
        } else {
            ""
        }
    );
    crate::history::html::summary(h, s);
    crate::history::html::trends(h, s, current);
    h.push_str("</section>\n");
}

fn decisions(h: &mut String, d: &Debrief) {
    h.push_str("<section class=\"decisions\">\n<h2>Decision points</h2>\n");
    let taken: Vec<_> = d
        .timeline
        .iter()
        .filter(|r| matches!(r.kind.as_str(), "decision" | "decided" | "decision lapsed"))
        .collect();
    if taken.is_empty() {
        h.push_str("<p class=\"muted\">None asked in this drill.</p>\n");
    } else {
        h.push_str("<table>\n<thead><tr><th>story time</th><th>bar:beat</th><th>seat</th><th>event</th><th>what</th></tr></thead>\n<tbody>\n");
        for r in taken {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.story_time),
                esc(&r.bar_beat),
                r.seat.as_deref().map_or_else(|| "–".into(), esc),
                esc(&r.kind),
                esc(&r.what)
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("<h2>Decision Requirements Table</h2>\n");
    if d.decisions.is_empty() {
        h.push_str("<p class=\"muted\">This scenario has no DRT rows.</p>\n");
    } else {
        h.push_str("<table class=\"drt\">\n<thead><tr><th>demanding decision</th><th>why difficult</th><th>critical cues</th><th>information sources</th><th>novice errors</th><th>expert strategies</th><th>sources of uncertainty</th><th>what we did</th><th>when</th></tr></thead>\n<tbody>\n");
        for r in &d.decisions {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.decision),
                esc(&r.why_difficult),
                esc(&r.cues),
                esc(&r.sources),
                esc(&r.novice_error),
                esc(&r.strategy),
                esc(&r.uncertainty),
                esc(&r.what_we_did),
                esc(&r.when)
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    if !d.state.is_empty() {
        h.push_str("<h3>State at the end</h3>\n<table>\n<thead><tr><th>flag</th><th>value</th><th>seen by</th></tr></thead>\n<tbody>\n");
        for f in &d.state {
            let _ = writeln!(
                h,
                "<tr><td>{} <code>{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(&f.name),
                esc(&f.id),
                esc(&f.value),
                if f.visible {
                    "everyone"
                } else {
                    "the facilitator"
                }
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");
}

fn objectives(h: &mut String, d: &Debrief) {
    h.push_str("<section class=\"objectives\">\n<h2>Objectives</h2>\n<ul class=\"checks\">\n");
    for o in &d.objectives {
        let class = match o.verdict.as_str() {
            "met" => "good",
            "missed" => "bad",
            _ => "muted",
        };
        let when = o.beat.map_or_else(String::new, |b| format!(" at beat {b}"));
        let _ = writeln!(
            h,
            "<li><span class=\"badge {class}\">{}</span> {}<span class=\"muted\">{when}</span></li>",
            esc(&o.verdict),
            esc(&o.text)
        );
    }
    h.push_str("</ul>\n<h3>Red herrings</h3>\n<ul>\n");
    if d.red_herrings.is_empty() {
        h.push_str("<li class=\"muted\">none in this scenario</li>\n");
    }
    for r in &d.red_herrings {
        let followed = match (r.followed, &r.by) {
            (Some(b), Some(by)) => format!("followed at beat {b} by {}", esc(by)),
            (Some(b), None) => format!("followed at beat {b}"),
            _ => "not followed".into(),
        };
        let _ = writeln!(
            h,
            "<li><code>{}</code> — {followed}: {}</li>",
            esc(&r.id),
            esc(&r.text)
        );
    }
    let _ = writeln!(
        h,
        "</ul>\n<h3>Hints used ({} of {})</h3>\n<ul>",
        d.hints.len(),
        d.hints_available
    );
    if d.hints.is_empty() {
        h.push_str("<li class=\"muted\">none</li>\n");
    }
    for r in &d.hints {
        let _ = writeln!(
            h,
            "<li>beat {} ({}): {}</li>",
            r.beat,
            esc(&r.seat),
            esc(&r.text)
        );
    }
    h.push_str("</ul>\n</section>\n");
}

fn notes(h: &mut String, d: &Debrief) {
    h.push_str("<section class=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
    if d.notes.is_empty() {
        h.push_str("<li class=\"muted\">none</li>\n");
    }
    for n in &d.notes {
        let _ = writeln!(
            h,
            "<li><span class=\"muted\">{} · {}</span> {}: {}</li>",
            esc(&n.story_time),
            esc(&n.bar_beat),
            esc(&n.seat),
            esc(&n.text)
        );
    }
    h.push_str("</ul>\n<h2>Action items</h2>\n<ul class=\"todo\">\n");
    if d.action_items.is_empty() {
        let _ = writeln!(
            h,
            "<li class=\"muted\">none (notes starting with <code>{ACTION_MARKER}</code> become action items)</li>"
        );
    }
    for n in &d.action_items {
        let _ = writeln!(
            h,
            "<li>☐ {} <span class=\"muted\">({}, beat {})</span></li>",
            esc(&n.text),
            esc(&n.seat),
            n.beat
        );
    }
    h.push_str("</ul>\n</section>\n");
}

fn hot_wash(h: &mut String, d: &Debrief) {
    h.push_str("<section class=\"hotwash\">\n<h2>Hot wash</h2>\n<ol>\n");
    if d.questions.is_empty() {
        h.push_str("<li class=\"muted\">(this scenario has no questions)</li>\n");
    }
    for q in &d.questions {
        let _ = writeln!(h, "<li>{}</li>", esc(q));
    }
    h.push_str("</ol>\n</section>\n");
}

fn timeline(h: &mut String, d: &Debrief) {
    h.push_str("<section class=\"timeline\">\n<h2>Timeline</h2>\n<table>\n<thead><tr><th>beat</th><th>bar:beat</th><th>story time</th><th>seat</th><th>event</th><th>what happened</th></tr></thead>\n<tbody>\n");
    for r in &d.timeline {
        let _ = writeln!(
            h,
            "<tr class=\"k-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.kind.replace(' ', "-"),
            r.beat,
            esc(&r.bar_beat),
            esc(&r.story_time),
            r.seat.as_deref().map_or_else(|| "–".into(), esc),
            esc(&r.kind),
            esc(&r.what)
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// Text for HTML (element content and quoted attribute values alike): `& < > " '` as
/// entities, and control characters shown as escapes (`\u{1b}`) rather than passed on.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
