//! Spin the Wheel of Expertise on a seat: the wheel drawn as a turning drum of the deck's
//! themes that slows on the beat ([`wheel::frame`]) and rests on the draw, then the question,
//! the person, the turn's timer, escalations and notes; the facilitator alone sees the deck's
//! notes for the prompt. Every seat draws the same spin from the same beats.

use super::SessionSeat;
use super::header::secs;
use super::list::{self, Row, wrapped};
use crate::session::deck::Deck;
use crate::session::state::{Activity, Turn, WheelState};
use crate::session::wheel::{self, SPIN_BEATS};
use crate::session::{SegmentKind, Session, clock};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::text::{clean, fit, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// The wheel on the left (or on top, on a narrow screen) and the turn beside it.
fn parts(body: Rect) -> (Rect, Rect) {
    if body.width >= 70 {
        let w = (body.width * 2 / 5).clamp(26, 50);
        let left = Rect { width: w, ..body };
        (
            left,
            Rect::new(left.right(), body.y, body.width - w, body.height),
        )
    } else {
        let h = (body.height / 2).clamp(5, 9).min(body.height);
        super::layout::top(body, h)
    }
}

fn state(s: &Session, i: usize) -> Option<(&WheelState, &Deck)> {
    match (&s.segments.get(i)?.activity, s.plan.decks.get(i)?) {
        (Activity::Wheel(w), Some(d)) => Some((w, d)),
        _ => None,
    }
}

/// Beats of a turn's timer in segment `i`.
fn turn_beats(s: &Session, i: usize) -> u64 {
    match &s.plan.setlist.segments[i].kind {
        SegmentKind::Wheel { turn, .. } => *turn,
        _ => 0,
    }
}

pub(super) fn draw(
    buf: &mut Buffer,
    body: Rect,
    v: &SessionSeat,
    s: &Session,
    i: usize,
    theme: &Theme,
) {
    let (left, right) = parts(body);
    let Some((w, deck)) = state(s, i) else {
        let inner = block(buf, body, "the wheel".into(), false, theme);
        let rows = wrapped(
            "This wheel has no deck.",
            inner.width as usize,
            0,
            Meaning::Warning,
        );
        list::draw(buf, inner, &rows, 0, theme);
        return;
    };
    draw_reel(buf, left, s, w, deck, theme);
    block(buf, right, "the turn".into(), false, theme);
    let (inner, rows) = scroll_rows(v, s, i, body);
    list::draw(buf, inner, &rows, v.scroll_now(s), theme);
}

/// The turn column's inside and rows, for drawing and for scrolling.
pub(super) fn scroll_rows(v: &SessionSeat, s: &Session, i: usize, body: Rect) -> (Rect, Vec<Row>) {
    let (_, right) = parts(body);
    let inner = Rect::new(
        right.x + 2,
        right.y + 1,
        right.width.saturating_sub(4),
        right.height.saturating_sub(2),
    );
    let Some((w, deck)) = state(s, i) else {
        return (inner, Vec::new());
    };
    (inner, turn_rows(v, s, i, w, deck, inner.width as usize))
}

fn spinning(s: &Session, t: &Turn) -> bool {
    s.beat < t.spin.stops_at()
}

fn draw_reel(buf: &mut Buffer, r: Rect, s: &Session, w: &WheelState, deck: &Deck, theme: &Theme) {
    let last = w.turns.last();
    let on_wheel: Vec<usize> = (0..deck.themes.len())
        .filter(|t| !w.retired.get(*t).copied().unwrap_or(false))
        .collect();
    let (slots, slot, prompt, turning, beats) = match last {
        Some(t) => {
            let beats = s.beat.saturating_sub(t.spin.at);
            let f = wheel::frame(&t.spin, beats as f64);
            (t.spin.slots.clone(), f.slot, f.prompt, !f.stopped, beats)
        }
        None => (on_wheel.clone(), 0, 0, false, 0),
    };
    let title = format!("the wheel · {} themes", on_wheel.len());
    let inner = block(buf, r, title, turning, theme);
    if inner.height == 0 || inner.width < 4 || slots.is_empty() {
        return;
    }
    // The drum, with the prompt and the wheel's state under it when there is room.
    let extra = if inner.height >= 7 { 3 } else { 0 };
    let drum = Rect {
        height: inner.height - extra,
        ..inner
    };
    let n = slots.len() as isize;
    // Each theme shows once: a drum taller than the wheel has themes shows them all.
    let half = ((drum.height as isize - 1) / 2).min((n - 1) / 2);
    let below = (drum.height as isize - 1 - half).min(n - 1 - half);
    let cy = drum.y as isize + (drum.height as isize - 1) / 2;
    let wd = inner.width as usize;
    for d in -half..=below {
        let k = (slot as isize + d).rem_euclid(n) as usize;
        let name = deck
            .themes
            .get(slots[k])
            .map_or_else(String::new, |t| clean(&t.name));
        let (text, style) = match d.abs() {
            0 => (
                format!("▶ {} ◀", fit(&name, wd.saturating_sub(4))),
                theme.style(Meaning::Selection).add_modifier(Modifier::BOLD),
            ),
            1 => (fit(&name, wd.saturating_sub(4)), theme.style(Meaning::Text)),
            _ => (
                fit(&name, wd.saturating_sub(6)),
                theme.style(Meaning::Muted),
            ),
        };
        let x = inner.x + (wd.saturating_sub(width(&text)) / 2) as u16;
        buf.set_stringn(x, (cy + d) as u16, &text, wd, style);
    }
    // The drum's rims, above and below the themes in view.
    let widest = slots
        .iter()
        .filter_map(|t| deck.themes.get(*t))
        .map(|t| width(&clean(&t.name)))
        .max()
        .unwrap_or(0)
        .min(wd.saturating_sub(4))
        + 4;
    let rim_x = inner.x + (wd.saturating_sub(widest) / 2) as u16;
    for (y, (l, rgt)) in [(cy - half - 1, ('╭', '╮')), (cy + below + 1, ('╰', '╯'))] {
        if y >= drum.y as isize && y < drum.bottom() as isize {
            let rim = format!("{l}{}{rgt}", "─".repeat(widest.saturating_sub(2)));
            buf.set_stringn(rim_x, y as u16, &rim, wd, theme.style(Meaning::Border));
        }
    }
    if extra == 0 {
        return;
    }
    // The prompt and the wheel's state just under the drum's lower rim.
    let y = ((cy + below + 3).max(0) as u16).min(drum.bottom() + 1);
    let prompts: Vec<String> = deck
        .prompts
        .iter()
        .enumerate()
        .map(|(p, x)| {
            if p == prompt {
                format!("[{}]", clean(&x.id))
            } else {
                clean(&x.id)
            }
        })
        .collect();
    buf.set_stringn(
        inner.x + 1,
        y,
        fit(&format!("asks: {}", prompts.join(" ")), wd - 1),
        wd - 1,
        theme.style(Meaning::Accent),
    );
    let line = match last {
        None => "at rest · space spins".to_string(),
        Some(_) if turning => {
            let spinner = ["◐", "◓", "◑", "◒"][(beats % 4) as usize];
            let left = SPIN_BEATS.saturating_sub(beats);
            format!("{spinner} turning… slowing, {left} beats to rest")
        }
        Some(_) => "■ stopped on the draw".to_string(),
    };
    buf.set_stringn(
        inner.x + 1,
        y + 1,
        fit(&line, wd - 1),
        wd - 1,
        theme.style(Meaning::Muted),
    );
}

fn took(s: &Session, t: &Turn) -> u64 {
    let end = t.closed.unwrap_or(s.beat);
    secs(s, end.saturating_sub(t.spin.stops_at()))
}

fn turn_rows(
    v: &SessionSeat,
    s: &Session,
    i: usize,
    w: &WheelState,
    deck: &Deck,
    wd: usize,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let name = |id| clean(s.seat_name(id));
    let facilitator = s.facilitator == Some(v.seat);
    match w.turns.last() {
        None => {
            rows.extend(wrapped(
                "No turn yet. space spins the wheel: it picks a theme, a question and who answers. Not knowing is a finding, not a failure.",
                wd,
                0,
                Meaning::Text,
            ));
        }
        Some(t) if spinning(s, t) => {
            rows.push(Row::bold(
                format!("Turn {} · spun by {}", w.turns.len(), name(t.spun_by)),
                Meaning::Title,
            ));
            rows.push(Row::new("The wheel is turning…", Meaning::Accent));
        }
        Some(t) => {
            let (theme_i, prompt) = (t.spin.theme(), t.spin.prompt);
            let ok = theme_i < deck.themes.len() && prompt < deck.prompts.len();
            rows.push(Row::new(
                format!("Turn {} · spun by {}", w.turns.len(), name(t.spun_by)),
                Meaning::Muted,
            ));
            if ok {
                for mut r in wrapped(&deck.question(theme_i, prompt), wd, 0, Meaning::Title) {
                    r.bold = true;
                    rows.push(r);
                }
                let th = &deck.themes[theme_i];
                let about = if th.about.is_empty() {
                    th.kind.label().to_string()
                } else {
                    format!(
                        "{} — {}",
                        th.kind.label(),
                        crate::ui::widgets::reflow(&th.about)
                    )
                };
                rows.extend(wrapped(&about, wd, 0, Meaning::Muted));
            }
            rows.push(Row::blank());
            match t.result {
                None => {
                    rows.extend(wrapped(
                        &format!(
                            "{} answers: show how you would find it, or who you would call.",
                            name(t.spin.person)
                        ),
                        wd,
                        0,
                        Meaning::Accent,
                    ));
                    rows.push(timer(s, i, t, wd));
                }
                Some(r) => rows.push(Row::bold(
                    format!(
                        "{}: {} in {}{}",
                        name(t.spin.person),
                        r.label(),
                        clock(took(s, t)),
                        if t.overtime { " (over time)" } else { "" }
                    ),
                    if t.is_gap() {
                        Meaning::Warning
                    } else {
                        Meaning::Healthy
                    },
                )),
            }
            if !t.escalations.is_empty() {
                rows.extend(wrapped(
                    &format!(
                        "would escalate to: {}",
                        t.escalations
                            .iter()
                            .map(|e| clean(e))
                            .collect::<Vec<_>>()
                            .join(" · ")
                    ),
                    wd,
                    2,
                    Meaning::Info,
                ));
            }
            if !t.notes.is_empty() {
                rows.push(Row::new("how they went about it:", Meaning::Muted));
                for n in &t.notes {
                    rows.extend(wrapped(
                        &format!(
                            "{} {}: {}",
                            clock(secs(s, n.beat)),
                            name(n.seat),
                            clean(&n.text)
                        ),
                        wd,
                        2,
                        Meaning::Text,
                    ));
                }
            }
            if facilitator && ok {
                rows.push(Row::blank());
                rows.push(Row::bold("for the facilitator only", Meaning::Warning));
                if let Some(fnote) = deck.note(theme_i, prompt) {
                    if !fnote.answer.is_empty() {
                        rows.extend(wrapped(
                            &format!(
                                "a good answer: {}",
                                crate::ui::widgets::reflow(&fnote.answer)
                            ),
                            wd,
                            2,
                            Meaning::Text,
                        ));
                    }
                    if !fnote.truth.is_empty() {
                        rows.extend(wrapped(
                            &format!(
                                "the truth lives in: {}",
                                crate::ui::widgets::reflow(&fnote.truth)
                            ),
                            wd,
                            2,
                            Meaning::Text,
                        ));
                    }
                } else {
                    rows.push(Row::new(
                        "the deck has no notes for this question",
                        Meaning::Muted,
                    ));
                }
                let pn = &deck.prompts[prompt].note;
                if !pn.is_empty() {
                    rows.extend(wrapped(
                        &format!("about the question: {}", crate::ui::widgets::reflow(pn)),
                        wd,
                        2,
                        Meaning::Text,
                    ));
                }
            }
            if t.result.is_some() {
                rows.push(Row::new("space spins again", Meaning::Muted));
            }
        }
    }
    if w.turns.len() > 1 || w.turns.first().is_some_and(|t| !t.is_open()) {
        rows.push(Row::blank());
        rows.push(Row::bold(
            format!("turns · {}", w.turns.len()),
            Meaning::Title,
        ));
        for (k, t) in w.turns.iter().enumerate() {
            let what = deck
                .themes
                .get(t.spin.theme())
                .zip(deck.prompts.get(t.spin.prompt))
                .map_or_else(String::new, |(th, p)| {
                    format!("{} / {}", clean(&th.name), clean(&p.id))
                });
            let result = t.result.map_or("open", |r| r.label());
            let meaning = if t.is_gap() {
                Meaning::Warning
            } else if t.is_open() {
                Meaning::Accent
            } else {
                Meaning::Text
            };
            rows.extend(wrapped(
                &format!(
                    "{}. {} · {what} · {result} {}",
                    k + 1,
                    name(t.spin.person),
                    clock(took(s, t))
                ),
                wd,
                3,
                meaning,
            ));
        }
    }
    let retired: Vec<String> = deck
        .themes
        .iter()
        .enumerate()
        .filter(|(t, _)| w.retired.get(*t).copied().unwrap_or(false))
        .map(|(_, th)| clean(&th.name))
        .collect();
    if !retired.is_empty() {
        rows.extend(wrapped(
            &format!("retired: {}", retired.join(" · ")),
            wd,
            2,
            Meaning::Muted,
        ));
    }
    rows
}

/// The turn's timer against the setlist's turn length, as a bar.
fn timer(s: &Session, i: usize, t: &Turn, wd: usize) -> Row {
    let limit = secs(s, turn_beats(s, i));
    let spent = took(s, t);
    let text = if spent > limit {
        format!(
            "⏱ {} / {} · over time +{}",
            clock(spent),
            clock(limit),
            clock(spent - limit)
        )
    } else {
        format!("⏱ {} / {} ", clock(spent), clock(limit))
    };
    let room = wd.saturating_sub(width(&text)).min(20);
    let full = if limit == 0 {
        room
    } else {
        (spent.min(limit) as usize * room) / limit as usize
    };
    let bar = format!("{}{}", "▰".repeat(full), "▱".repeat(room - full));
    let meaning = if spent > limit {
        Meaning::Critical
    } else {
        Meaning::Accent
    };
    Row::bold(
        if spent > limit {
            text
        } else {
            format!("{text}{bar}")
        },
        meaning,
    )
}
