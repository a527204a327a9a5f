//! The feed: injects, responses and alerts as they arrive, newest last.

use crate::drill::{Drill, Event};
use crate::scenario::{Channel, Severity};
use crate::ui::seat::SeatView;
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, width, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// One line (before wrapping) in the feed: a tag, who, what.
pub(super) struct FeedItem {
    beat: u64,
    tag: String,
    who: String,
    text: String,
    style: Style,
}

pub(super) fn feed_item(drill: &Drill, beat: u64, ev: &Event, theme: &Theme) -> Option<FeedItem> {
    let s = &drill.scenario;
    let item = |tag: &str, who: String, text: String, m: Meaning| {
        Some(FeedItem {
            beat,
            tag: tag.into(),
            who,
            text,
            style: theme.style(m),
        })
    };
    match ev {
        Event::InjectFired { inject, .. } => {
            let inj = &s.injects[*inject];
            let m = if inj.channel == Channel::Page {
                Meaning::Critical
            } else if inj.surprise {
                Meaning::Surprise
            } else {
                Meaning::Inject
            };
            item(
                channel_tag(inj.channel),
                clean(&inj.persona),
                clean(&inj.text),
                m,
            )
        }
        Event::CueApplied { seat, cue } => item(
            "cue",
            clean(drill.seat_name(*seat)),
            clean(&s.cues[*cue].label),
            Meaning::Cue,
        ),
        Event::CueLanded { cue, .. } if s.cues[*cue].outcomes.is_empty() => {
            let r = s.cues[*cue].response.as_ref()?;
            item(
                channel_tag(r.channel),
                clean(&r.persona),
                clean(&r.text),
                Meaning::Inject,
            )
        }
        Event::AlertFiring { alert } => {
            let a = &s.alerts[*alert];
            let m = match a.severity {
                Severity::Page => Meaning::Critical,
                Severity::Warning => Meaning::Warning,
                Severity::Info => Meaning::Info,
            };
            item(
                "alert",
                format!("FIRING {}", clean(&a.id)),
                clean(&a.summary),
                m,
            )
        }
        Event::AlertResolved { alert } => item(
            "alert",
            format!("resolved {}", clean(&s.alerts[*alert].id)),
            String::new(),
            Meaning::Healthy,
        ),
        Event::Marked { mark } => item(
            "mark",
            String::new(),
            format!("● {}", mark.label()),
            Meaning::Mark,
        ),
        Event::Note { seat, text } => item(
            "note",
            clean(drill.seat_name(*seat)),
            clean(text),
            Meaning::Muted,
        ),
        Event::DecisionHere { seat, text, .. } => item(
            "decision",
            clean(drill.seat_name(*seat)),
            if text.is_empty() {
                "decision here (for the DRT)".into()
            } else {
                clean(text)
            },
            Meaning::Muted,
        ),
        Event::Hint { index, .. } => item(
            "hint",
            String::new(),
            clean(&s.hints[*index].text),
            Meaning::Accent,
        ),
        Event::Objective { objective, met } => {
            let o = &s.objectives[*objective];
            item(
                "goal",
                if *met { "met".into() } else { "missed".into() },
                clean(&o.text),
                if *met {
                    Meaning::Healthy
                } else {
                    Meaning::Warning
                },
            )
        }
        Event::Paused { seat } => item(
            "drill",
            clean(drill.seat_name(*seat)),
            "paused".into(),
            Meaning::Muted,
        ),
        Event::Resumed { seat } => item(
            "drill",
            clean(drill.seat_name(*seat)),
            "resumed".into(),
            Meaning::Muted,
        ),
        Event::Tempo { bpm, .. } => item(
            "drill",
            String::new(),
            format!("tempo {bpm} BPM"),
            Meaning::Muted,
        ),
        Event::Joined { seat } => item(
            "seat",
            clean(drill.seat_name(*seat)),
            "joined".into(),
            Meaning::Muted,
        ),
        Event::Left { seat } => item(
            "seat",
            clean(drill.seat_name(*seat)),
            "left".into(),
            Meaning::Muted,
        ),
        Event::Ended { reason } => item(
            "drill",
            String::new(),
            format!("ended: {}", clean(reason)),
            Meaning::Title,
        ),
        // A cue with outcomes answers on the event that says which one it landed with.
        Event::CueLanded { .. } => None,
        Event::CueOutcome { cue, outcome, .. } => {
            let c = &s.cues[*cue];
            let r = outcome
                .and_then(|o| c.outcomes[o].response.as_ref())
                .or(c.response.as_ref())?;
            item(
                channel_tag(r.channel),
                clean(&r.persona),
                clean(&r.text),
                Meaning::Inject,
            )
        }
        Event::DecisionOpened { decision } => item(
            "decide",
            String::new(),
            format!("? {}", clean(&s.decisions[*decision].prompt)),
            Meaning::Accent,
        ),
        Event::DecisionMade {
            decision,
            option,
            seat,
        } => {
            let o = &s.decisions[*decision].options[*option];
            let who = seat.map_or("time ran out".into(), |x| clean(drill.seat_name(x)));
            let answer = o.response.as_ref().map_or_else(String::new, |r| {
                format!(" — {}: {}", clean(&r.persona), clean(&r.text))
            });
            item(
                "decide",
                who,
                format!("chose {}{answer}", clean(&o.label)),
                Meaning::Accent,
            )
        }
        Event::DecisionLapsed { decision } => item(
            "decide",
            "time ran out".into(),
            format!("no choice: {}", clean(&s.decisions[*decision].prompt)),
            Meaning::Muted,
        ),
        // Hidden flags are the facilitator's: only visible ones reach the shared feed.
        Event::FlagSet { flag, value } if s.flags[*flag].visible => {
            let f = &s.flags[*flag];
            item("state", clean(&f.name), f.show(*value), Meaning::Muted)
        }
        Event::Rejected { .. }
        | Event::InjectSkipped { .. }
        | Event::HerringFollowed { .. }
        | Event::FlagSet { .. } => None,
    }
}

pub(super) fn channel_tag(c: Channel) -> &'static str {
    c.label()
}

pub(super) fn feed(buf: &mut Buffer, r: Rect, drill: &Drill, seat: &SeatView, theme: &Theme) {
    if r.height == 0 || r.width < 4 {
        return;
    }
    let w = r.width as usize;
    let bpb = drill.scenario.tempo.beats_per_bar;
    // Walk back from the newest entry, wrapping each, until the pane (plus scroll) is full.
    let want = r.height as usize + seat.feed_scroll;
    let mut lines: Vec<(String, Style, Style, String)> = Vec::new();
    for e in drill.log.iter().rev() {
        let Some(it) = feed_item(drill, e.beat, &e.event, theme) else {
            continue;
        };
        let stamp = crate::scenario::position::bar_beat(it.beat, bpb);
        let head = if w < 44 {
            format!("{stamp:>5}")
        } else {
            format!("{stamp:>5} {:<6}", it.tag)
        };
        let body = if it.who.is_empty() {
            it.text.clone()
        } else if it.text.is_empty() {
            it.who.clone()
        } else {
            format!("{}: {}", it.who, it.text)
        };
        let indent = width(&head) + 1;
        let wrapped = wrap(&body, w.saturating_sub(indent).max(8));
        for (k, l) in wrapped.into_iter().enumerate().rev() {
            let h = if k == 0 { head.clone() } else { String::new() };
            lines.push((h, theme.style(Meaning::Muted), it.style, l));
        }
        if lines.len() >= want {
            break;
        }
    }
    if lines.is_empty() {
        paint::stringn(
            buf,
            r.x,
            r.y,
            "quiet so far: injects, alerts and cues appear here",
            w,
            theme.style(Meaning::Muted),
        );
        return;
    }
    let skip = seat.feed_scroll.min(lines.len().saturating_sub(1));
    let visible: Vec<_> = lines.iter().skip(skip).take(r.height as usize).collect();
    let start_y = r.bottom() - visible.len() as u16;
    for (n, (head, hs, bs, body)) in visible.iter().rev().enumerate() {
        let y = start_y + n as u16;
        let hw = width(head).min(w);
        paint::stringn(buf, r.x, y, head, w, *hs);
        let indent = if w < 44 { 6 } else { 12 };
        let x = r.x
            + if head.is_empty() {
                indent.min(r.width - 1)
            } else {
                hw as u16 + 1
            };
        if x < r.right() {
            paint::stringn(buf, x, y, body, (r.right() - x) as usize, *bs);
        }
    }
    if skip > 0 {
        let tag = format!(" ↓ {skip} newer ");
        let tw = width(&tag) as u16;
        if tw < r.width {
            paint::string(
                buf,
                r.right() - tw,
                r.bottom() - 1,
                &tag,
                theme
                    .style(Meaning::Accent)
                    .add_modifier(Modifier::REVERSED),
            );
        }
    }
}
