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
    let head_w = 1 + chrome.mode.as_ref().map_or(0, |m| width(m) + 2) + width(&state);
    let met = drill
        .objectives
        .iter()
        .filter(|v| matches!(v, Verdict::Met(_)))
        .count();
    let tempo = format!("  ♩={}", drill.bpm);
    let place = format!("  bar {}", s.bar_beat(drill.beat));
    let story = format!("  story {}", story_clock(s.story_seconds(drill.beat)));
    let goals = format!("  goals {met}/{}", s.objectives.len());
    // What is said (the seat's own message, a problem, the room's news) and the keys: both
    // show. When the line is short the optional keys go first, then the story clock and the
    // tempo; help, quit and the first hint always stay, except for the seat's own message
    // (the answer to the key just pressed), which takes the keys' place when both cannot fit.
    let own = seat.flash.is_some();
    let message = if let Some(f) = &seat.flash {
        let m = if f.error {
            Meaning::StatusError
        } else {
            Meaning::Accent
        };
        Some((clean(&f.text), theme.style(m)))
    } else if let Some(n) = &chrome.notice {
        Some((clean(n), theme.style(Meaning::StatusError)))
    } else {
        (chrome.news.as_ref()).map(|n| (clean(n), theme.style(Meaning::Info)))
    };
    let (keys, key_style) = keys(drill, chrome, bar);
    let essential = width(&fit_keys(&keys, 0));
    let msg_w = message.as_ref().map_or(0, |(m, _)| width(m) + 2);
    let readings: [&[&String]; 3] = [
        &[&tempo, &place, &story, &goals],
        &[&tempo, &place, &goals],
        &[&place, &goals],
    ];
    let fits = |parts: &[&String]| {
        let rw: usize = parts.iter().map(|p| width(p)).sum();
        head_w + rw + msg_w + essential + 4 <= w
    };
    let found = readings.iter().find(|parts| fits(parts));
    let shown = found.unwrap_or(&readings[2]);
    let instead = own && found.is_none();
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
    for part in shown.iter() {
        put(buf, part, bar);
    }
    let used = (x - r.x) as usize;
    if used + 2 >= w {
        return;
    }
    let room = w - used - 2;
    if let (true, Some((m, style))) = (instead, &message) {
        let text = fit(&format!(" {m} "), room);
        let tx = r.right() - width(&text).min(room) as u16;
        paint::stringn(buf, tx, r.y, &text, room, *style);
        return;
    }
    let keys = fit_keys(&keys, room.saturating_sub(msg_w));
    let text = fit(&format!(" {keys} "), room);
    let kw = width(&text).min(room);
    paint::stringn(buf, r.right() - kw as u16, r.y, &text, room, key_style);
    if let Some((m, style)) = message
        && room > kw + 2
    {
        let mw = room - kw - 1;
        paint::stringn(buf, x + 1, r.y, fit(&format!(" {m} "), mw), mw, style);
    }
}

/// The key hints for the status line: the shell's (a replay's transport, a seat's name and
/// its session), else the drill's own.
fn keys(drill: &Drill, chrome: &Chrome, bar: Style) -> (String, Style) {
    if let Some(h) = &chrome.hints {
        (h.clone(), bar)
    } else if drill.is_ended() {
        let k = |a| keymap::key_label(Scope::Ended, a);
        (
            format!(
                "{} debrief · {} html · {} table · {} quit",
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
                "{} keys · {} pause · {} note · {} quit",
                k(Act::Help),
                k(Act::Pause),
                k(Act::Note),
                k(Act::Quit)
            ),
            bar,
        )
    }
}

/// `keys` (hints joined by ` · `) in at most `room` cells: the optional hints go from the
/// end first; the first (the seat's name, or the main key), help and quit always stay.
pub fn fit_keys(keys: &str, room: usize) -> String {
    let help = format!("{} ", keymap::key_label(Scope::Drill, Act::Help));
    let quit = format!("{} ", keymap::key_label(Scope::Drill, Act::Quit));
    let mut items: Vec<&str> = keys.split(" · ").collect();
    let kept = |i: usize, h: &str| i == 0 || h.starts_with(&help) || h.starts_with(&quit);
    while width(&items.join(" · ")) > room {
        let Some(i) = (0..items.len()).rev().find(|&i| !kept(i, items[i])) else {
            break;
        };
        items.remove(i);
    }
    items.join(" · ")
}
