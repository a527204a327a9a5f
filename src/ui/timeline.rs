//! The metronome timeline along the bottom: bars and beats, the position with its pulse,
//! upcoming (non-surprise) injects, lifecycle marks, and optionally a ghost run's marks.

use super::theme::{Meaning, Theme};
use crate::drill::{Drill, Event};
use crate::scenario::Mark;
use crate::ui::chrome::Chrome;
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, fit};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

const MARK_LETTERS: [char; 4] = ['D', 'A', 'M', 'R'];

pub fn draw(buf: &mut Buffer, r: Rect, drill: &Drill, theme: &Theme, chrome: &Chrome) {
    if r.height < 2 || r.width < 10 {
        return;
    }
    let s = &drill.scenario;
    let muted = theme.style(Meaning::Muted);
    // Title rule with the beat-in-bar pulse on the right.
    let bpb = u64::from(s.tempo.beats_per_bar);
    for x in r.x..r.right() {
        buf[(x, r.y)]
            .set_char('─')
            .set_style(theme.style(Meaning::Border));
    }
    paint::stringn(
        buf,
        r.x + 1,
        r.y,
        " timeline ",
        r.width as usize - 1,
        theme.style(Meaning::Title),
    );
    let mut pulse = String::from(" ♩ ");
    for b in 0..bpb.min(16) {
        pulse.push(if b == drill.beat % bpb { '●' } else { '○' });
        pulse.push(' ');
    }
    let pw = pulse.chars().count() as u16;
    if pw + 12 < r.width {
        let st = if chrome.pulse {
            theme.style(Meaning::Pulse).add_modifier(Modifier::BOLD)
        } else {
            muted
        };
        paint::string(buf, r.right() - pw - 1, r.y, &pulse, st);
    }

    let len = s.length_beats.max(1);
    let w = u64::from(r.width);
    let col = |beat: u64| r.x + (beat.min(len - 1) * w / len) as u16;
    let ruler_y = r.y + 1;
    let played = theme.style(Meaning::Accent);
    let pos = col(drill.beat);
    let bars = s.bars().max(1);
    let label_every = (1..).find(|k| bars / k * 4 <= w).unwrap_or(1).max(1);
    for x in r.x..r.right() {
        let st = if x <= pos { played } else { muted };
        buf[(x, ruler_y)].set_char('┈').set_style(st);
    }
    for bar in 0..bars {
        let x = col(bar * bpb);
        let st = if x <= pos { played } else { muted };
        buf[(x, ruler_y)].set_char('│').set_style(st);
        if bar % label_every == 0 {
            let label = (bar + 1).to_string();
            if x + 1 + label.len() as u16 <= r.right()
                && col((bar + 1) * bpb) > x + label.len() as u16
            {
                paint::string(buf, x + 1, ruler_y, &label, st);
            }
        }
    }
    let pos_style = if chrome.pulse {
        theme
            .style(Meaning::Pulse)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    } else {
        theme.style(Meaning::Pulse).add_modifier(Modifier::BOLD)
    };
    buf[(pos, ruler_y)].set_char('◉').set_style(pos_style);

    if r.height < 3 {
        return;
    }
    let mark_y = r.y + 2;
    for (at, i) in drill.upcoming() {
        let st = if s.injects[i].channel == crate::scenario::Channel::Page {
            theme.style(Meaning::Critical)
        } else {
            theme.style(Meaning::Inject)
        };
        buf[(col(at), mark_y)].set_char('◆').set_style(st);
    }
    for e in &drill.log {
        if let Event::InjectFired { .. } = e.event {
            buf[(col(e.beat), mark_y)].set_char('◇').set_style(muted);
        }
        if let Event::CueApplied { .. } = e.event {
            buf[(col(e.beat), mark_y)]
                .set_char('▴')
                .set_style(theme.style(Meaning::Cue));
        }
    }
    for (series, beats) in s.events.iter().zip(&drill.markers) {
        for b in beats {
            buf[(col(*b), mark_y)]
                .set_char(series.glyph)
                .set_style(theme.style(Meaning::Inject).add_modifier(Modifier::BOLD));
        }
    }
    for st in drill.decisions() {
        if let Some(c) = st.chosen {
            buf[(col(c.beat), mark_y)]
                .set_char('◈')
                .set_style(theme.style(Meaning::Accent).add_modifier(Modifier::BOLD));
        } else if let Some(o) = st.opened {
            buf[(col(o), mark_y)]
                .set_char('?')
                .set_style(theme.style(Meaning::Accent).add_modifier(Modifier::BOLD));
        }
    }
    for m in Mark::ALL {
        if let Some(b) = drill.marks[m.index()] {
            buf[(col(b), mark_y)]
                .set_char(MARK_LETTERS[m.index()])
                .set_style(theme.style(Meaning::Mark).add_modifier(Modifier::BOLD));
        }
    }
    if r.height < 4 {
        return;
    }
    let info_y = r.y + 3;
    if let Some(g) = &chrome.ghost {
        let gs = theme.style(Meaning::Ghost);
        let label = fit(
            &format!(" ghost: {} (d a m r marks, ▵ cues)", clean(&g.label)),
            (r.width / 2) as usize,
        );
        let lw = crate::ui::widgets::text::width(&label) as u16;
        paint::string(buf, r.right() - lw, info_y, &label, gs);
        for b in &g.cues {
            buf[(col(*b), info_y)].set_char('▵').set_style(gs);
        }
        for m in Mark::ALL {
            if let Some(b) = g.marks[m.index()] {
                buf[(col(b), info_y)]
                    .set_char(MARK_LETTERS[m.index()].to_ascii_lowercase())
                    .set_style(gs.add_modifier(Modifier::BOLD));
            }
        }
    } else {
        let next = drill.upcoming().min_by_key(|(at, _)| *at);
        let text = match next {
            Some((at, i)) => {
                let inj = &s.injects[i];
                format!(
                    "next ◆ {}  {} · {}",
                    s.bar_beat(at),
                    clean(&inj.persona),
                    inj.channel.label()
                )
            }
            None => "no more scheduled injects".into(),
        };
        let legend = if s.decisions.is_empty() {
            "◆ inject ▴ cue D A M R marks"
        } else {
            "◆ inject ▴ cue ? ◈ decision D A M R marks"
        };
        paint::stringn(buf, r.x, info_y, &text, r.width as usize, muted);
        let lw = legend.chars().count() as u16;
        if lw + text.chars().count() as u16 + 3 < r.width {
            paint::string(buf, r.right() - lw, info_y, legend, muted);
        }
    }
}
