//! What opens over the console: the briefing, help, notes, the contingency picker, the end.

use crate::drill::{Drill, Status, Verdict};
use crate::keymap::{self, Act, Scope};
use crate::ui::help::{Line, Scroller};
use crate::ui::seat::{Mode, SeatView, briefing_hint, contingencies};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::text::{clean, fit};
use crate::ui::widgets::{reflow, text_popup};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// The briefing's lines: the title, the scenario's briefing (or summary), its numbers.
pub fn briefing_lines(drill: &Drill) -> Vec<Line> {
    let s = &drill.scenario;
    let mut lines = vec![
        Line::text(clean(&s.meta.title), Meaning::Title),
        Line::blank(),
    ];
    let brief = if s.meta.briefing.trim().is_empty() {
        &s.meta.summary
    } else {
        &s.meta.briefing
    };
    for p in reflow(brief.trim()).split('\n') {
        lines.push(Line::text(p, Meaning::Text));
    }
    lines.push(Line::blank());
    lines.push(Line::text(
        format!(
            "{} signals · {} cues · {} bars at {} BPM · one beat = {} s of story time",
            s.signals.len(),
            s.cues.len(),
            s.bars(),
            drill.bpm,
            s.tempo.story_seconds_per_beat
        ),
        Meaning::Muted,
    ));
    lines
}

/// The briefing popup: it scrolls when longer than the screen, and its footer always says
/// what the briefing's keys do.
pub fn briefing<'a>(lines: &'a [Line], hint: &'a str) -> Scroller<'a> {
    Scroller {
        title: "briefing",
        lines,
        hint: Some(hint),
        max_width: 76,
    }
}

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
    if let Some(top) = seat.help {
        let lines = seat.help_lines(drill);
        crate::ui::help::draw(buf, area, "help", &lines, top, theme);
        return;
    }
    match &seat.mode {
        Mode::Briefing => {
            let lines = briefing_lines(drill);
            let hint = briefing_hint();
            briefing(&lines, &hint).draw(buf, area, seat.briefing_top, theme);
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
                    format!(
                        "{}  debrief: timeline, times to detect/ack/mitigate/resolve, notes",
                        keymap::key_label(Scope::Ended, Act::Debrief)
                    ),
                    k,
                ),
                (
                    format!(
                        "{}  leave       {}  put this away",
                        keymap::key_label(Scope::Ended, Act::Quit),
                        keymap::key_label(Scope::Ended, Act::Unzoom)
                    ),
                    k,
                ),
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
