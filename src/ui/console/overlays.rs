//! What opens over the console: the briefing, help, notes, the contingency picker, the end.

use crate::drill::{Drill, Status, Verdict};
use crate::ui::seat::{Mode, SeatView, contingencies};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::text::{clean, fit, wrap};
use crate::ui::widgets::{reflow, text_popup};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

pub(super) fn overlays(
    buf: &mut Buffer,
    area: Rect,
    drill: &Drill,
    seat: &SeatView,
    theme: &Theme,
) {
    let s = &drill.scenario;
    let t = theme.style(Meaning::Text);
    let k = theme.style(Meaning::Cue).add_modifier(Modifier::BOLD);
    let m = theme.style(Meaning::Muted);
    if seat.help {
        let mut lines = vec![(
            format!("{} — keys in force", clean(&s.meta.title)),
            theme.style(Meaning::Title),
        )];
        lines.push((String::new(), t));
        for c in &s.cues {
            let roles = if c.roles.is_empty() {
                String::new()
            } else {
                format!("  ({})", c.roles.join(", "))
            };
            lines.push((
                format!(
                    "  {}      {}{roles}",
                    clean(&c.key.to_string()),
                    clean(&c.label)
                ),
                k,
            ));
        }
        lines.push((String::new(), t));
        for (key, what) in crate::ui::help::CONSOLE_KEYS {
            lines.push((format!("  {key:<6} {what}"), t));
        }
        lines.push((String::new(), t));
        lines.push(("any key closes this".into(), m));
        text_popup(buf, area, "help", &lines, theme, 40);
        return;
    }
    match &seat.mode {
        Mode::Briefing => {
            let width = (area.width.saturating_sub(8)).clamp(20, 76) as usize;
            let mut lines = vec![
                (
                    clean(&s.meta.title),
                    theme.style(Meaning::Title).add_modifier(Modifier::BOLD),
                ),
                (String::new(), t),
            ];
            let brief = if s.meta.briefing.trim().is_empty() {
                &s.meta.summary
            } else {
                &s.meta.briefing
            };
            for l in wrap(&reflow(brief.trim()), width) {
                lines.push((l, t));
            }
            lines.push((String::new(), t));
            for l in wrap(
                &format!(
                    "{} signals · {} cues · {} bars at {} BPM · one beat = {} s of story time",
                    s.signals.len(),
                    s.cues.len(),
                    s.bars(),
                    drill.bpm,
                    s.tempo.story_seconds_per_beat
                ),
                width,
            ) {
                lines.push((l, m));
            }
            lines.push((String::new(), t));
            lines.push(("Enter starts the metronome · ? keys · q leaves".into(), k));
            text_popup(buf, area, "briefing", &lines, theme, 40);
        }
        Mode::Playing if drill.is_ended() && !seat.end_dismissed => {
            let met = drill
                .objectives
                .iter()
                .filter(|v| matches!(v, Verdict::Met(_)))
                .count();
            let reason = match &drill.status {
                Status::Ended(r) => clean(r),
                _ => String::new(),
            };
            let lines = vec![
                (
                    format!("The drill has ended ({reason})."),
                    theme.style(Meaning::Title),
                ),
                (
                    format!("Objectives met: {met} of {}", s.objectives.len()),
                    t,
                ),
                (String::new(), t),
                (
                    "d  debrief: timeline, times to detect/ack/mitigate/resolve, notes".into(),
                    k,
                ),
                ("q  leave       esc  put this away".into(), k),
            ];
            text_popup(buf, area, "hot wash", &lines, theme, 30);
        }
        Mode::Contingency => {
            let mut lines = vec![(
                "Fire a contingency inject:".to_string(),
                theme.style(Meaning::Title),
            )];
            for (n, i) in contingencies(drill).enumerate().take(9) {
                let inj = &s.injects[i];
                lines.push((
                    format!(
                        "  {}  {} — {}",
                        n + 1,
                        clean(&inj.id),
                        fit(&clean(&inj.text), 50)
                    ),
                    t,
                ));
            }
            lines.push(("any other key cancels".into(), m));
            text_popup(buf, area, "contingency", &lines, theme, 30);
        }
        _ => {}
    }
}
