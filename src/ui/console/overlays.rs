//! What opens over the console: the briefing, help, notes, the contingency picker, the end.

use crate::drill::{Drill, Status, Verdict};
use crate::keymap::{self, Act, Scope};
use crate::ui::help::{Line, Scroller};
use crate::ui::seat::{Mode, SeatView, briefing_hint, contingencies};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit, wrap};
use crate::ui::widgets::{block, reflow, text_popup};
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
                        "{}  write the HTML debrief (charts) beside the recording",
                        keymap::key_label(Scope::Ended, Act::DebriefHtml)
                    ),
                    k,
                ),
                (
                    format!(
                        "{}  the Decision Requirements Table: build it together",
                        keymap::key_label(Scope::Ended, Act::Table)
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
                let when = inj.suggest.map_or(String::new(), |at| {
                    let rel = if at > drill.beat {
                        format!("in {} beats", at - drill.beat)
                    } else if at == drill.beat {
                        "now".into()
                    } else {
                        format!("{} beats ago", drill.beat - at)
                    };
                    format!("  (suggested {}, {rel})", s.bar_beat(at))
                });
                lines.push((
                    format!(
                        "  {}  {} — {}{when}",
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
        Mode::Playing if !drill.is_ended() => decision_prompt(buf, area, drill, theme),
        _ => {}
    }
}

/// The open decision points, in a box over the feed and the runbook (clear of the charts and
/// the cue bar): each prompt with its options and the key that chooses each, the cue's key or,
/// marked as such, the facilitator's.
fn decision_prompt(buf: &mut Buffer, area: Rect, drill: &Drill, theme: &Theme) {
    let s = &drill.scenario;
    let open: Vec<usize> = drill.open_decisions().collect();
    if open.is_empty() || area.width < 24 || area.height < 8 {
        return;
    }
    let a = crate::ui::layout::layout(area, None, s.signals.len(), s.cues.len());
    let (x, top) = if a.feed.width >= 24 {
        (a.feed.x, a.feed.y)
    } else {
        (
            area.x + area.width.saturating_sub(40).max(area.x),
            area.y + 1,
        )
    };
    let w = if a.feed.width >= 24 {
        a.feed.width.max(a.runbook.width).min(area.right() - x)
    } else {
        area.width.min(40)
    };
    let bottom = if a.cues.height > 0 && a.cues.y > top {
        a.cues.y
    } else {
        area.bottom().saturating_sub(2)
    };
    let inner_w = w.saturating_sub(4) as usize;
    let k = theme.style(Meaning::Cue).add_modifier(Modifier::BOLD);
    let t = theme.style(Meaning::Text);
    let m = theme.style(Meaning::Muted);
    let mut lines = Vec::new();
    for d in open {
        let dec = &s.decisions[d];
        for l in wrap(&clean(&dec.prompt), inner_w) {
            lines.push((l, theme.style(Meaning::Title)));
        }
        for o in &dec.options {
            let (key, who) = match o.choice {
                crate::scenario::Choice::Cue(c) => (s.cues[c].key, String::new()),
                crate::scenario::Choice::Key(c) => (c, " (facilitator)".into()),
            };
            lines.push((
                fit(
                    &format!("[{}] {}{who}", clean(&key.to_string()), clean(&o.label)),
                    inner_w,
                ),
                k,
            ));
        }
        if let (Some(opened), Some(within)) = (drill.decisions()[d].opened, dec.within) {
            let left = (opened + u64::from(within)).saturating_sub(drill.beat);
            let then = dec.default.map_or("it lapses".into(), |o| {
                format!("default: {}", clean(&dec.options[o].label))
            });
            lines.push((fit(&format!("{left} beats left, then {then}"), inner_w), m));
        }
    }
    let h = (lines.len() as u16 + 2).min(bottom.saturating_sub(top));
    if h < 3 {
        return;
    }
    let r = Rect::new(x, top, w, h);
    ratatui::widgets::Widget::render(ratatui::widgets::Clear, r, buf);
    buf.set_style(r, t);
    let inner = block(buf, r, "decision".into(), true, theme);
    for (n, (l, st)) in lines.iter().enumerate().take(inner.height as usize) {
        paint::stringn(
            buf,
            inner.x + 1,
            inner.y + n as u16,
            l,
            inner.width.saturating_sub(1) as usize,
            *st,
        );
    }
}
