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
}
