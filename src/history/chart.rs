//! The history as text: a table of every run, a chart per scenario of its lifecycle times run
//! after run, and the machine formats (CSV, JSON). Pure: rows in, text out.

use super::{Row, Series};
use crate::scenario::Mark;

/// The table's header and one line per row.
pub fn table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<20}  {:<20} {:>5}  {:<17} {:>6} {:>6} {:>6} {:>6}  {:>5} {:>5} {:>8}\n",
        "STARTED",
        "SCENARIO",
        "SEED",
        "OUTCOME",
        "DETECT",
        "ACK",
        "MITIG",
        "RESOLV",
        "GOALS",
        "HINTS",
        "HERRINGS"
    );
    for r in rows {
        let mins = r.minutes().map(minutes);
        let outcome = if r.incomplete {
            format!("{} (cut)", r.outcome)
        } else {
            r.outcome.clone()
        };
        out.push_str(&format!(
            "{:<20}  {:<20} {:>5}  {:<17} {:>6} {:>6} {:>6} {:>6}  {:>5} {:>5} {:>8}\n",
            r.started,
            cut(&r.scenario, 20),
            r.seed,
            cut(&outcome, 17),
            mins[0],
            mins[1],
            mins[2],
            mins[3],
            format!("{}/{}", r.objectives_met, r.objectives_total),
            format!("{}/{}", r.hints_used, r.hints_available),
            format!("{}/{}", r.herrings_followed, r.herrings_total),
        ));
    }
    out
}

/// A narrower table for the console's history view: the day, the scenario (cut to what
/// fits `width`), the four times, objectives met. Each line fits `width` (at least 50).
pub fn compact_table(rows: &[Row], width: usize) -> String {
    let name = width.saturating_sub(47).clamp(8, 30);
    let line = |day: &str, sc: &str, t: [String; 4], goals: &str| {
        format!(
            "{day:<10}  {:<name$} {:>6} {:>6} {:>6} {:>6}  {goals:>5}\n",
            cut(sc, name),
            t[0],
            t[1],
            t[2],
            t[3]
        )
    };
    let mut out = line(
        "DAY",
        "SCENARIO",
        ["DETECT", "ACK", "MITIG", "RESOLV"].map(String::from),
        "GOALS",
    );
    for r in rows {
        out.push_str(&line(
            day(&r.started),
            &r.scenario,
            r.minutes().map(minutes),
            &format!("{}/{}", r.objectives_met, r.objectives_total),
        ));
    }
    out
}

/// Story minutes as the table and chart show them: `12.5`, or `-` when not reached.
fn minutes(m: Option<f64>) -> String {
    m.map_or_else(|| "-".into(), |m| format!("{m:.1}"))
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Labels of the chart's rows, in [`Mark::ALL`] order.
const LABELS: [&str; 4] = ["detect", "acknowledge", "mitigate", "resolve"];

/// The chart of each series in `width` columns: per lifecycle mark a bar per run (oldest on
/// the left; taller is slower, scaled to the slowest run or the target, whichever is more;
/// `·` not reached), the target and the first, last and best times; then objectives met,
/// hints used and red herrings followed per run, as digits. The newest runs that fit are shown.
pub fn chart(series: &[Series], width: usize) -> String {
    let mut out = String::new();
    // "  acknowledge   ≤12  " before the bars, "  first  last  best" after them.
    let (left, right) = (21, 19);
    let room = width.saturating_sub(left + right).max(4);
    for s in series {
        let shown = s.runs.len().min(room);
        let runs = &s.runs[s.runs.len() - shown..];
        let span = match (s.runs.first(), s.runs.last()) {
            (Some(a), Some(b)) if a.started != b.started => {
                format!("{} to {}", day(&a.started), day(&b.started))
            }
            (Some(a), _) => day(&a.started).to_string(),
            _ => String::new(),
        };
        let count = if shown < s.runs.len() {
            format!("the last {shown} of {} runs", s.runs.len())
        } else {
            plural(s.runs.len(), "run")
        };
        let title = format!("{} · {count}, {span} · {}", s.scenario, s.title);
        out.push_str(&cut(&title, width.max(8)));
        out.push('\n');
        out.push_str(&format!(
            "  {:<12} {:>4}  {:<w$}  {:>5} {:>5} {:>5}\n",
            "minutes",
            "goal",
            "oldest → newest",
            "first",
            "last",
            "best",
            w = shown.max(15)
        ));
        for mark in Mark::ALL {
            let i = mark.index();
            let target = s.targets[i];
            let slowest = runs
                .iter()
                .filter_map(|p| p.minutes[i])
                .fold(f64::from(target.unwrap_or(0)), f64::max);
            let bars: String = runs
                .iter()
                .map(|p| match p.minutes[i] {
                    None => '·',
                    Some(_) if slowest <= 0.0 => BARS[0],
                    Some(m) => {
                        BARS[((m / slowest * 8.0).ceil() as usize)
                            .saturating_sub(1)
                            .min(7)]
                    }
                })
                .collect();
            let first = runs.first().and_then(|p| p.minutes[i]);
            let last = runs.last().and_then(|p| p.minutes[i]);
            out.push_str(&format!(
                "  {:<12} {:>4}  {:<w$}  {:>5} {:>5} {:>5}\n",
                LABELS[i],
                target.map_or_else(|| "-".into(), |t| format!("≤{t}")),
                bars,
                minutes(first),
                minutes(last),
                minutes(s.best(mark)),
                w = shown.max(15)
            ));
        }
        let digits = |f: &dyn Fn(&super::Point) -> usize| -> String {
            runs.iter()
                .map(|p| match f(p) {
                    n @ 0..=9 => char::from(b'0' + n as u8),
                    _ => '+',
                })
                .collect()
        };
        let total = runs.last().map_or(0, |p| p.objectives_total);
        out.push_str(&format!(
            "  {:<12} {:>4}  {}\n",
            "objectives",
            format!("{total}"),
            digits(&|p| p.objectives_met)
        ));
        out.push_str(&format!(
            "  {:<12} {:>4}  {}\n",
            "hints",
            "",
            digits(&|p| p.hints_used)
        ));
        out.push_str(&format!(
            "  {:<12} {:>4}  {}\n\n",
            "herrings",
            "",
            digits(&|p| p.herrings_followed)
        ));
    }
    out
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

/// The rows as CSV, one column per [`Row`] field, a header line first.
pub fn csv(rows: &[Row]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    if rows.is_empty() {
        // The header alone still says what the columns would be.
        let _ = w.write_record(COLUMNS);
    }
    for r in rows {
        w.serialize(r).expect("a row always serializes");
    }
    String::from_utf8(w.into_inner().expect("writing to memory never fails"))
        .expect("CSV of UTF-8 fields is UTF-8")
}

/// The CSV columns, in order (the [`Row`] fields).
pub const COLUMNS: &[&str] = &[
    "started",
    "scenario",
    "title",
    "scenario_hash",
    "seed",
    "outcome",
    "incomplete",
    "beats",
    "story_minutes",
    "detect_minutes",
    "acknowledge_minutes",
    "mitigate_minutes",
    "resolve_minutes",
    "detect_target",
    "acknowledge_target",
    "mitigate_target",
    "resolve_target",
    "objectives_met",
    "objectives_total",
    "hints_used",
    "hints_available",
    "herrings_followed",
    "herrings_total",
    "recording",
];

/// The rows and the series as one JSON document: `{"rows": [...], "series": [...]}`.
pub fn json(rows: &[Row], series: &[Series]) -> String {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        rows: &'a [Row],
        series: &'a [Series],
    }
    let mut text =
        serde_json::to_string_pretty(&Doc { rows, series }).expect("history always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Point, series};

    fn row(started: &str, ack: Option<f64>, met: usize) -> Row {
        Row {
            started: started.into(),
            scenario: "bad-deploy".into(),
            title: "Checkout 5xx".into(),
            scenario_hash: "0".repeat(16),
            seed: 1,
            outcome: "ended (resolved)".into(),
            incomplete: false,
            beats: 36,
            story_minutes: 18.0,
            detect_minutes: Some(2.0),
            acknowledge_minutes: ack,
            mitigate_minutes: Some(10.0),
            resolve_minutes: None,
            detect_target: Some(10),
            acknowledge_target: Some(12),
            mitigate_target: Some(25),
            resolve_target: None,
            objectives_met: met,
            objectives_total: 5,
            hints_used: 1,
            hints_available: 3,
            herrings_followed: 0,
            herrings_total: 2,
            recording: format!("{started}.jsonl"),
        }
    }

    #[test]
    fn the_chart_draws_one_bar_per_run_scaled_to_the_slowest_or_the_target() {
        let rows = vec![
            row("2025-05-01T14:00:00Z", Some(24.0), 2),
            row("2025-05-08T14:00:00Z", Some(12.0), 4),
            row("2025-05-15T14:00:00Z", None, 5),
        ];
        let text = chart(&series(&rows), 80);
        let ack = text
            .lines()
            .find(|l| l.trim_start().starts_with("acknowledge"))
            .unwrap();
        assert!(ack.contains("≤12  █▄·"), "{text}");
        assert!(ack.trim_end().ends_with("24.0     -  12.0"), "{ack}");
        let goals = text.lines().find(|l| l.contains("objectives")).unwrap();
        assert!(goals.ends_with("245"), "{goals}");
        assert!(
            text.starts_with("bad-deploy · 3 runs, 2025-05-01 to 2025-05-15 · Checkout 5xx"),
            "{text}"
        );
        // Narrow: only the newest runs that fit.
        let many: Vec<Row> = (0..40)
            .map(|i| {
                row(
                    &format!("2025-06-{:02}T14:00:00Z", i % 28 + 1),
                    Some(f64::from(i)),
                    3,
                )
            })
            .collect();
        let text = chart(&series(&many), 60);
        assert!(text.contains("the last 20 of 40 runs"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");
    }

    #[test]
    fn machine_formats_carry_every_field() {
        let rows = vec![row("2025-05-01T14:00:00Z", None, 2)];
        let text = csv(&rows);
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), COLUMNS.join(","));
        let line = lines.next().unwrap();
        assert!(
            line.contains(",2.0,,10.0,,10,12,25,,2,5,1,3,0,2,"),
            "{line}"
        );
        assert_eq!(csv(&[]).trim_end(), COLUMNS.join(","));
        let doc: serde_json::Value = serde_json::from_str(&json(&rows, &series(&rows))).unwrap();
        assert_eq!(
            doc["rows"][0]["acknowledge_minutes"],
            serde_json::Value::Null
        );
        assert_eq!(doc["series"][0]["runs"][0]["minutes"][2], 10.0);
        let _: Option<Point> = None;
        assert!(table(&rows).lines().nth(1).unwrap().contains("bad-deploy"));
    }
}
