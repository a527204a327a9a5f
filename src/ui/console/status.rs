//! The status line: drill state, tempo, story clock, goals, notices and key hints.

use crate::clock::story_clock;
use crate::drill::{Drill, Status, Verdict};
use crate::keymap::{self, Act, Scope};
use crate::ui::chrome::Chrome;
use crate::ui::seat::{Mode, SeatView};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

pub(super) fn status(
    buf: &mut Buffer,
    r: Rect,
    drill: &Drill,
    seat: &SeatView,
    theme: &Theme,
    chrome: &Chrome,
) {
    if r.height == 0 {
        return;
    }
    let bar = theme.style(Meaning::Status);
    buf.set_style(r, bar);
    let w = r.width as usize;
    let s = &drill.scenario;
    match &seat.mode {
        Mode::Note { text, .. } => {
            let prompt = format!(
                " note @ {}: {}▌  (Enter saves · Esc cancels)",
                s.bar_beat(drill.beat),
                text
            );
            paint::stringn(buf, r.x, r.y, &prompt, w, bar.add_modifier(Modifier::BOLD));
            return;
        }
        Mode::ConfirmQuit => {
            paint::stringn(
                buf,
                r.x,
                r.y,
                " Leave the drill while it runs? y quits · any other key stays",
                w,
                theme
                    .style(Meaning::Warning)
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            );
            return;
        }
        _ => {}
    }
    let (state, st) = match &drill.status {
        Status::Running if seat.mode == Mode::Briefing => ("READY".to_string(), Meaning::Accent),
        Status::Running => ("▶ RUNNING".to_string(), Meaning::Healthy),
        Status::Paused => ("⏸ PAUSED".to_string(), Meaning::Warning),
        Status::Ended(r) => (format!("■ ENDED ({})", clean(r)), Meaning::Title),
    };
    let right = if let Some(f) = &seat.flash {
        (
            format!(" {} ", clean(&f.text)),
            if f.error {
                theme.style(Meaning::StatusError)
            } else {
                theme.style(Meaning::Accent)
            },
        )
    } else if let Some(n) = &chrome.notice {
        (format!(" {} ", clean(n)), theme.style(Meaning::StatusError))
    } else if let Some(h) = &chrome.hints {
        (format!(" {h} "), bar)
    } else if seat.mode == Mode::Briefing {
        // The briefing's own keys: space and the cues do nothing until the drill starts.
        (format!(" {} ", crate::ui::seat::briefing_hint()), bar)
    } else if drill.is_ended() {
        let k = |a| keymap::key_label(Scope::Ended, a);
        (
            format!(
                " {} debrief · {} html · {} table · {} quit ",
                k(Act::Debrief),
                k(Act::DebriefHtml),
                k(Act::Table),
                k(Act::Quit)
            ),
            bar.add_modifier(Modifier::BOLD),
        )
    } else {
        let k = |a| keymap::key_label(Scope::Drill, a);
        (
            format!(
                " {} keys · {} pause · {} note · {} quit ",
                k(Act::Help),
                k(Act::Pause),
                k(Act::Note),
                k(Act::Quit)
            ),
            bar,
        )
    };
    let mut x = r.x;
    let mut put = |buf: &mut Buffer, t: &str, style: Style| {
        if x < r.right() {
            let (nx, _) = paint::stringn(buf, x, r.y, t, (r.right() - x) as usize, style);
            x = nx;
        }
    };
    put(buf, " ", bar);
    if let Some(m) = &chrome.mode {
        put(
            buf,
            &format!("{m} "),
            theme
                .style(Meaning::Accent)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
        );
        put(buf, " ", bar);
    }
    put(buf, &state, theme.style(st).add_modifier(Modifier::BOLD));
    let met = drill
        .objectives
        .iter()
        .filter(|v| matches!(v, Verdict::Met(_)))
        .count();
    let stats = format!(
        "  ♩={}  bar {}  story {}  goals {met}/{}",
        drill.bpm,
        s.bar_beat(drill.beat),
        story_clock(s.story_seconds(drill.beat)),
        s.objectives.len()
    );
    // A message (a flash, a notice) is worth more than the clock: on a narrow line the
    // tempo, bar, story time and goals make way for it.
    let speaking = seat.flash.is_some() || chrome.notice.is_some();
    let lead_w = 1 + chrome.mode.as_ref().map_or(0, |m| width(m) + 2) + width(&state);
    if !speaking || lead_w + width(&stats) + width(&right.0) + 2 <= w {
        put(buf, &stats, bar);
    }
    let used = (x - r.x) as usize;
    let rw = width(&right.0);
    if used + 2 < w {
        let room = w - used - 2;
        let text = fit(&right.0, room);
        let tx = r.right() - width(&text).min(room) as u16;
        let _ = rw;
        paint::stringn(buf, tx, r.y, &text, room, right.1);
    }
}
