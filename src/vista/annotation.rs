//! Annotations: deploy and change markers drawn on every chart at their time, so "what changed
//! at 14:02?" is answered on the chart. They come from a command (each output line a time and a
//! text), a JSON Lines file (watched), or a Prometheus query (a marker where the series has a
//! value), as `[[annotations]]` in vista.toml say. Bounded: at most [`MAX_MARKS`] a source, each
//! text at most [`MAX_TEXT`] characters.

/// The most markers one annotation source keeps (the newest).
pub const MAX_MARKS: usize = 500;
/// The longest text of a marker, in characters (longer ones are cut with `…`).
pub const MAX_TEXT: usize = 200;

/// One marker.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Unix seconds.
    pub at: f64,
    pub text: String,
}

/// What one annotation source holds now.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MarkSet {
    /// The source's `id` in vista.toml.
    pub id: String,
    /// Oldest first.
    pub marks: Vec<Mark>,
    /// The last problem (a failed poll, or the first bad line as `file:line:col: message`);
    /// the marks read before it stay.
    pub error: Option<String>,
}

impl MarkSet {
    /// Replaces the marks with `marks`, sorted, the newest [`MAX_MARKS`] kept, texts cut.
    pub fn set(&mut self, mut marks: Vec<Mark>) {
        marks.retain(|m| m.at.is_finite());
        marks.sort_by(|a, b| a.at.total_cmp(&b.at));
        let skip = marks.len().saturating_sub(MAX_MARKS);
        marks.drain(..skip);
        for m in &mut marks {
            m.text = cut(&m.text);
        }
        self.marks = marks;
    }
}

/// `text` on one line, at most [`MAX_TEXT`] characters.
pub fn cut(text: &str) -> String {
    crate::vista::source::one_line(&crate::vista::source::sanitize(text), MAX_TEXT)
}

/// The most lines of one command's output or one file read for markers.
pub const MAX_LINES: usize = 10_000;

/// A time as annotation sources write it: unix seconds, or RFC 3339.
fn time(text: &str) -> Option<f64> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return t.parse().ok();
    }
    crate::clock::parse_rfc3339(t)
}

/// A command's output: each non-empty line `TIME TEXT` (unix seconds or RFC 3339, then the
/// text). Bad lines are skipped; the first is reported as `origin: line N: …`.
pub fn parse_lines(out: &str, origin: &str) -> (Vec<Mark>, Option<String>) {
    let (mut marks, mut error) = (Vec::new(), None);
    for (n, line) in out.lines().enumerate().take(MAX_LINES) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (head, text) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        match time(head) {
            Some(at) => marks.push(Mark {
                at,
                text: text.trim().to_string(),
            }),
            None if error.is_none() => {
                error = Some(format!(
                    "{origin}: line {}: `{}` is not a time (unix seconds or RFC 3339, then the text)",
                    n + 1,
                    one_line_cut(head, 40)
                ));
            }
            None => {}
        }
    }
    (marks, error)
}

fn one_line_cut(s: &str, n: usize) -> String {
    crate::vista::source::one_line(&crate::vista::source::sanitize(s), n)
}

/// A JSON Lines file: each non-empty line `{"time": …, "text": …}`, `time` in unix seconds or
/// RFC 3339. Bad lines are skipped; the first is reported as `file:line:col: …`.
pub fn parse_jsonl(src: &str, file: &str) -> (Vec<Mark>, Option<String>) {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Row {
        time: serde_json::Value,
        text: String,
    }
    let (mut marks, mut error) = (Vec::new(), None);
    for (n, line) in src.lines().enumerate().take(MAX_LINES) {
        if line.trim().is_empty() {
            continue;
        }
        let row = serde_json::from_str::<Row>(line).map_err(|e| (e.column().max(1), e.to_string()));
        let at = row.as_ref().map_err(Clone::clone).and_then(|r| {
            let at = match &r.time {
                serde_json::Value::Number(x) => x.as_f64(),
                serde_json::Value::String(t) => time(t),
                _ => None,
            };
            let col = line.find("\"time\"").map_or(1, |i| i + 1);
            at.ok_or((
                col,
                "`time` must be unix seconds or an RFC 3339 string".to_string(),
            ))
        });
        match (row, at) {
            (Ok(r), Ok(at)) => marks.push(Mark { at, text: r.text }),
            (_, Err((col, msg))) if error.is_none() => {
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                error = Some(format!("{file}:{}:{col}: {msg}", n + 1));
            }
            _ => {}
        }
    }
    (marks, error)
}

/// Markers from a range query's series: one where each series starts to have a non-zero value
/// (after a gap longer than `step` or a zero), its text the `template` filled with the series'
/// labels (else its label set).
pub fn query_marks(
    series: &[crate::vista::source::prometheus::PromSeries],
    template: Option<&str>,
    query: &str,
    step: f64,
) -> Vec<Mark> {
    let mut out = Vec::new();
    for s in series {
        let text = s.legend(template, query);
        let mut last: Option<f64> = None;
        for &(t, v) in &s.points {
            let on = v.is_finite() && v != 0.0;
            let starts = on && last.is_none_or(|l| t - l > step * 1.5);
            if starts {
                out.push(Mark {
                    at: t,
                    text: text.clone(),
                });
            }
            last = if on { Some(t) } else { None };
        }
    }
    out
}

/// Every marker of every set between `t0` and `t1`, oldest first.
pub fn in_window(sets: &[MarkSet], t0: f64, t1: f64) -> Vec<&Mark> {
    let mut out: Vec<&Mark> = sets
        .iter()
        .flat_map(|s| s.marks.iter())
        .filter(|m| m.at >= t0 && m.at <= t1)
        .collect();
    out.sort_by(|a, b| a.at.total_cmp(&b.at));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_sorted_bounded_and_cut() {
        let mut s = MarkSet::default();
        let many = (0..MAX_MARKS + 10)
            .rev()
            .map(|i| Mark {
                at: i as f64,
                text: "x".repeat(if i == 0 { 10 } else { 300 }),
            })
            .chain([Mark {
                at: f64::NAN,
                text: "nan".into(),
            }])
            .collect();
        s.set(many);
        assert_eq!(s.marks.len(), MAX_MARKS);
        assert_eq!(s.marks[0].at, 10.0, "the newest are kept");
        assert_eq!(s.marks[1].text.chars().count(), MAX_TEXT);
        assert_eq!(in_window(&[s], 100.0, 101.0).len(), 2);
    }

    #[test]
    fn command_lines_take_unix_seconds_or_rfc3339() {
        let out = "1764597600 deploy api v1.2\n\n2025-12-01T14:05:00Z flag checkout on\nsoon oops\nlater\n";
        let (m, e) = parse_lines(out, "deploys");
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].text, "deploy api v1.2");
        assert_eq!(m[1].at, 1_764_597_900.0);
        assert_eq!(
            e.unwrap(),
            "deploys: line 4: `soon` is not a time (unix seconds or RFC 3339, then the text)"
        );
    }

    #[test]
    fn json_lines_report_the_first_bad_line_with_its_position() {
        let src = "{\"time\": 1764597600, \"text\": \"deploy\"}\n{\"time\": \"2025-12-01T14:05:00Z\", \"text\": \"flag\"}\n{\"time\": true, \"text\": \"x\"}\n{\"text\": 1}\nnot json\n";
        let (m, e) = parse_jsonl(src, "changes.jsonl");
        assert_eq!(m.len(), 2);
        assert_eq!(
            e.unwrap(),
            "changes.jsonl:3:2: `time` must be unix seconds or an RFC 3339 string"
        );
        let (_, e) = parse_jsonl("{\"time\": 1, \"text\": \"a\", \"extra\": 2}\n", "f");
        assert!(e.unwrap().starts_with("f:1:"), "unknown fields are errors");
    }
}
