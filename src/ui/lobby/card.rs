//! The scenario card both lobbies show beside their lists: title, difficulty and length, the
//! summary, where the drill is drawn from, what it asks of the team, and its roles.

use crate::scenario::{Measure, Scenario};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// What the card says about `s`, wrapped to `w` columns. `origin` names where the file came
/// from (the local lobby shows it); `bpm` is the tempo the drill would start at; `objectives`
/// adds the objectives (the roomier local lobby has space for them).
pub fn lines(
    s: &Scenario,
    origin: Option<&str>,
    bpm: u32,
    w: usize,
    objectives: bool,
) -> Vec<(String, Meaning)> {
    let mut out = vec![(fit(&clean(&s.meta.title), w), Meaning::Title)];
    let mut facts = vec![
        s.meta.difficulty.label().to_string(),
        format!("about {} min", s.meta.duration_minutes),
        format!("{} bars at {bpm} BPM", s.bars()),
    ];
    if let Some(f) = &s.meta.family {
        facts.push(clean(f));
    }
    if let Some(o) = origin {
        facts.push(o.to_string());
    }
    out.extend(muted(&facts.join(" · "), w));
    out.push((String::new(), Meaning::Text));
    out.extend(
        wrap(&s.meta.summary, w)
            .into_iter()
            .map(|l| (l, Meaning::Text)),
    );
    if let Some(src) = &s.meta.source {
        out.push((String::new(), Meaning::Text));
        out.extend(muted(&format!("Drawn from: {}", clean(&src.line())), w));
    }
    if objectives {
        out.push((String::new(), Meaning::Text));
        out.push(("Objectives".into(), Meaning::Title));
        for o in &s.objectives {
            let how = match o.measure {
                Measure::MarkBy { mark, .. } => mark.label().to_string(),
                Measure::CueBy { cue, .. } => format!("cue {}", s.cues[cue].id),
                Measure::AvoidCue { .. } => "avoid".into(),
                Measure::HealthyBy { .. } | Measure::BudgetLeft { .. } => "signal".into(),
                Measure::Holds { .. } | Measure::Never { .. } => "condition".into(),
            };
            out.extend(
                wrap(&format!("• {} ({how})", clean(&o.text)), w)
                    .into_iter()
                    .map(|l| (l, Meaning::Text)),
            );
        }
    }
    out.push((String::new(), Meaning::Text));
    let roles: Vec<String> = s.roles.iter().map(|r| clean(&r.name)).collect();
    out.extend(muted(&format!("Roles: {}", roles.join(", ")), w));
    out
}

fn muted(text: &str, w: usize) -> Vec<(String, Meaning)> {
    wrap(text, w)
        .into_iter()
        .map(|l| (l, Meaning::Muted))
        .collect()
}

/// Draws `lines` from the top of `inner`, as many as fit.
pub fn draw(buf: &mut Buffer, inner: Rect, lines: &[(String, Meaning)], theme: &Theme) {
    let w = inner.width as usize;
    for (n, (l, m)) in lines.iter().enumerate().take(inner.height as usize) {
        paint::stringn(buf, inner.x, inner.y + n as u16, l, w, theme.style(*m));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_names_its_source_and_fits_any_width() {
        let cat = crate::scenario::bundled();
        let sourced = cat
            .iter()
            .find(|e| e.scenario.meta.source.is_some())
            .expect("a bundled drill with a source");
        let text: Vec<String> = lines(&sourced.scenario, Some("bundled"), 60, 40, true)
            .into_iter()
            .map(|(l, _)| l)
            .collect();
        assert!(
            text.iter().any(|l| l.starts_with("Drawn from:")),
            "{text:?}"
        );
        for w in [1, 5, 200] {
            for (l, _) in lines(&cat[0].scenario, None, 60, w, false) {
                assert!(
                    crate::ui::widgets::text::width(&l) <= w.max(1),
                    "{l:?} at {w}"
                );
            }
        }
    }
}
