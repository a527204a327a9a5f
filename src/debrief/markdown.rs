//! The debrief as Markdown, for people: every piece of user or author text escaped.

use super::numbers::{num, percent};
use super::{ACTION_MARKER, Debrief};
use std::fmt::Write as _;

/// The report as Markdown. User and author text is escaped: control characters are shown as
/// escapes (`\u{1b}`), and `|` in table cells as `\|`.
pub fn markdown(d: &Debrief) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Debrief: {} ({})\n",
        text(&d.scenario.title),
        text(&d.scenario.id)
    );
    let _ = writeln!(md, "{}\n", text(&d.scenario.summary));
    if let Some(started) = &d.started {
        let _ = writeln!(md, "- started: {}", text(started));
    }
    if let Some(v) = &d.vista {
        let _ = writeln!(md, "- live vista beside the drill: {}", text(&v.summary()));
    }
    if let Some(note) = &d.incomplete {
        let _ = writeln!(
            md,
            "- recording: {}: it stopped before it was closed, so the drill may have gone on after this report ends",
            text(note)
        );
    }
    let o = &d.outcome;
    let status = match &o.reason {
        Some(r) => format!("{} ({})", o.status, text(r)),
        None => o.status.clone(),
    };
    let _ = writeln!(
        md,
        "- difficulty: {}\n- seed: {}",
        d.scenario.difficulty, d.seed
    );
    let _ = writeln!(
        md,
        "- outcome: {status} at beat {} (bar {}), story time {}",
        o.beat, o.bar_beat, o.story_time
    );
    let _ = writeln!(
        md,
        "- objectives: {} of {} met\n",
        o.objectives_met, o.objectives_total
    );

    let _ = writeln!(
        md,
        "## Seats\n\n| seat | name | role |\n| --- | --- | --- |"
    );
    for s in &d.seats {
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            s.seat,
            cell(&s.name),
            cell(&s.role_name)
        );
    }

    let _ = writeln!(md, "\n## Objectives\n");
    for o in &d.objectives {
        let check = if o.verdict == "met" { "x" } else { " " };
        let when = o.beat.map_or_else(String::new, |b| format!(" at beat {b}"));
        let _ = writeln!(md, "- [{check}] {} — {}{when}", text(&o.text), o.verdict);
    }

    let _ = writeln!(
        md,
        "\n## Time to detect, acknowledge, mitigate, resolve\n\n| mark | beat | story minutes | target | |\n| --- | --- | --- | --- | --- |"
    );
    for t in &d.times {
        let beat = t.beat.map_or_else(|| "-".into(), |b| b.to_string());
        let minutes = t.minutes.map_or_else(|| "-".into(), |m| format!("{m:.1}"));
        let target = t
            .target_minutes
            .map_or_else(|| "-".into(), |m| format!("{m}"));
        let _ = writeln!(
            md,
            "| {} | {beat} | {minutes} | {target} | {} |",
            t.mark.label(),
            t.verdict
        );
    }

    ghost(&mut md, d);
    budgets(&mut md, d);
    signal_charts(&mut md, d);

    let _ = writeln!(
        md,
        "\n## Timeline\n\n| beat | bar:beat | story time | seat | event | what happened |\n| --- | --- | --- | --- | --- | --- |"
    );
    for r in &d.timeline {
        let seat = r.seat.as_deref().map_or_else(|| "-".into(), cell);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {seat} | {} | {} |",
            r.beat,
            r.bar_beat,
            r.story_time,
            r.kind,
            cell(&r.what)
        );
    }

    let _ = writeln!(md, "\n## Red herrings\n");
    if d.red_herrings.is_empty() {
        let _ = writeln!(md, "- none in this scenario");
    }
    for h in &d.red_herrings {
        let followed = match (h.followed, &h.by) {
            (Some(b), Some(by)) => format!("followed at beat {b} by {}", text(by)),
            (Some(b), None) => format!("followed at beat {b}"),
            _ => "not followed".into(),
        };
        let _ = writeln!(md, "- `{}` — {followed}: {}", text(&h.id), text(&h.text));
    }

    let _ = writeln!(
        md,
        "\n## Hints used ({} of {})\n",
        d.hints.len(),
        d.hints_available
    );
    if d.hints.is_empty() {
        let _ = writeln!(md, "- none");
    }
    for h in &d.hints {
        let _ = writeln!(
            md,
            "- beat {} ({}): {}",
            h.beat,
            text(&h.seat),
            text(&h.text)
        );
    }

    let _ = writeln!(md, "\n## Notes\n");
    if d.notes.is_empty() {
        let _ = writeln!(md, "- none");
    }
    for n in &d.notes {
        let _ = writeln!(
            md,
            "- beat {} ({}, {}) {}: {}",
            n.beat,
            n.bar_beat,
            n.story_time,
            text(&n.seat),
            text(&n.text)
        );
    }

    let _ = writeln!(md, "\n## Action items\n");
    if d.action_items.is_empty() {
        let _ = writeln!(
            md,
            "- none (notes starting with `{ACTION_MARKER}` become action items)"
        );
    }
    for n in &d.action_items {
        let _ = writeln!(
            md,
            "- [ ] {} ({}, beat {})",
            text(&n.text),
            text(&n.seat),
            n.beat
        );
    }

    let _ = writeln!(md, "\n## Hot wash\n");
    if d.questions.is_empty() {
        let _ = writeln!(md, "- (this scenario has no questions)");
    }
    for (i, q) in d.questions.iter().enumerate() {
        let _ = writeln!(md, "{}. {}", i + 1, text(q));
    }

    let _ = writeln!(
        md,
        "\n## Decision Requirements Table\n\n| demanding decision | why difficult | critical cues | information sources | novice errors | expert strategies | sources of uncertainty | what we did | when |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for r in &d.decisions {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&r.decision),
            cell(&r.why_difficult),
            cell(&r.cues),
            cell(&r.sources),
            cell(&r.novice_error),
            cell(&r.strategy),
            cell(&r.uncertainty),
            cell(&r.what_we_did),
            cell(&r.when)
        );
    }
    if !d.state.is_empty() {
        let _ = writeln!(
            md,
            "\n## State at the end\n\n| flag | value | seen by |\n| --- | --- | --- |"
        );
        for f in &d.state {
            let who = if f.visible {
                "everyone"
            } else {
                "the facilitator"
            };
            let _ = writeln!(
                md,
                "| {} (`{}`) | {} | {who} |",
                cell(&f.name),
                cell(&f.id),
                f.value
            );
        }
    }
    md
}

/// This run's lifecycle marks beside a reference run's (`--ghost`).
fn ghost(md: &mut String, d: &Debrief) {
    let Some(g) = &d.ghost else { return };
    let _ = writeln!(
        md,
        "\n## Against the reference run {}\n\n| mark | this run (beat) | reference (beat) | difference (beats) |\n| --- | --- | --- | --- |",
        text(&g.label)
    );
    for t in &d.times {
        let theirs = g.mark(t.mark);
        let show = |b: Option<u64>| b.map_or_else(|| "-".into(), |b| b.to_string());
        let diff = match (t.beat, theirs) {
            (Some(a), Some(b)) => format!("{:+}", a as i64 - b as i64),
            _ => "-".into(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {diff} |",
            t.mark.label(),
            show(t.beat),
            show(theirs)
        );
    }
}

/// The error budget of each SLO at each lifecycle mark and at the end.
fn budgets(md: &mut String, d: &Debrief) {
    if d.budgets.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "\n## Error budget left\n\n| SLO | target | at detected | at acknowledged | at mitigated | at resolved | at the end |\n| --- | --- | --- | --- | --- | --- | --- |"
    );
    for b in &d.budgets {
        let marks: Vec<String> = b
            .at_marks
            .iter()
            .map(|a| match (a.beat, a.left) {
                (Some(beat), Some(left)) => format!("{} (beat {beat})", percent(left)),
                _ => "-".into(),
            })
            .collect();
        let _ = writeln!(
            md,
            "| {} (`{}`) | {}% | {} | {} |",
            cell(&b.name),
            cell(&b.signal),
            b.target,
            marks.join(" | "),
            percent(b.end)
        );
    }
}

/// Columns of a text chart.
const CHART_COLUMNS: usize = 60;
const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A compact text chart per key signal (watched by an alert or with an SLO): its values over
/// the drill, its budget left, and where the lifecycle marks fell, on one axis.
fn signal_charts(md: &mut String, d: &Debrief) {
    let key: Vec<_> = d.signals.iter().filter(|t| t.key).collect();
    if key.is_empty() {
        return;
    }
    let last = d.outcome.beat;
    let first = key.iter().map(|t| t.first_beat).min().unwrap_or(0);
    let beats = (last + 1).saturating_sub(first).max(1) as usize;
    let cols = beats.min(CHART_COLUMNS);
    // Beat b falls in column (b - first) * cols / beats.
    let col = |beat: u64| (beat.saturating_sub(first) as usize * cols / beats).min(cols - 1);
    let _ = writeln!(
        md,
        "\n## Signals\n\nOne column is {}; marks: D detected, A acknowledged, M mitigated, R resolved.\n\n```text",
        if cols == beats {
            "a beat".to_string()
        } else {
            format!("about {:.1} beats", beats as f64 / cols as f64)
        }
    );
    let mut marks = vec![' '; cols];
    for t in &d.times {
        if let Some(b) = t.beat {
            marks[col(b)] = t
                .mark
                .label()
                .chars()
                .next()
                .unwrap_or(' ')
                .to_ascii_uppercase();
        }
    }
    let marks: String = marks.into_iter().collect();
    for t in key {
        let unit = if t.unit.is_empty() {
            String::new()
        } else {
            format!(" ({})", text(&t.unit))
        };
        let (lo, hi) = t.range();
        let _ = writeln!(
            md,
            "▸ {}{unit}: {} to {}, healthy {} to {}",
            text(&t.name),
            num(lo.into()),
            num(hi.into()),
            num(t.healthy[0]),
            num(t.healthy[1])
        );
        let offset = col(t.first_beat);
        let _ = writeln!(
            md,
            "  value  {}{}",
            " ".repeat(offset),
            sparkline(&t.values, cols - offset, lo, hi)
        );
        if let (Some(slo), Some(end)) = (&t.slo, t.budget_left.last()) {
            let _ = writeln!(
                md,
                "  budget {}{} {}% SLO, {} at the end",
                " ".repeat(offset),
                sparkline(&t.budget_left, cols - offset, 0.0, 1.0),
                slo.target,
                percent((*end).into())
            );
        }
        let _ = writeln!(md, "  marks  {}", marks.trim_end());
    }
    let _ = writeln!(md, "```");
}

/// `values` in `cols` columns (each the mean of its beats), scaled from `lo` to `hi`.
fn sparkline(values: &[f32], cols: usize, lo: f32, hi: f32) -> String {
    let n = values.len();
    if n == 0 || cols == 0 {
        return String::new();
    }
    let cols = cols.min(n);
    (0..cols)
        .map(|c| {
            let part = &values[c * n / cols..((c + 1) * n / cols).max(c * n / cols + 1)];
            let mean = part.iter().sum::<f32>() / part.len() as f32;
            let level = if hi > lo {
                ((mean - lo) / (hi - lo) * 7.0).round().clamp(0.0, 7.0) as usize
            } else {
                3
            };
            LEVELS[level]
        })
        .collect()
}

/// Text outside tables: control characters escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Text in a table cell: control characters escaped and pipes too.
fn cell(s: &str) -> String {
    text(s).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_from_lowest_to_highest_and_average_buckets() {
        assert_eq!(sparkline(&[0.0, 7.0, 3.5], 3, 0.0, 7.0), "▁█▅");
        assert_eq!(sparkline(&[0.0, 0.0, 7.0, 7.0], 2, 0.0, 7.0), "▁█");
        assert_eq!(sparkline(&[5.0; 4], 10, 5.0, 5.0), "▄▄▄▄");
        assert_eq!(sparkline(&[], 10, 0.0, 1.0), "");
    }

    #[test]
    fn escapes_user_text() {
        assert_eq!(text("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\\n");
        assert_eq!(cell("rm | grep\t"), "rm \\| grep\\t");
    }
}
