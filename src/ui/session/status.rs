//! The bottom line of a session screen: the text being typed, a message (what a key did, or
//! why it could not), the room's refusal of this seat's last input, or the keys that matter
//! here for this seat's role.

use super::SessionSeat;
use super::mode::Mode;
use crate::keymap::{self, Act, Scope};
use crate::session::state::Phase;
use crate::session::{SegmentKind, Session, SessionEvent};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::text::{clean, fit, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// Beats a refusal of this seat's input stays on its status line.
const REFUSAL_BEATS: u64 = 5;

fn k(a: Act) -> String {
    keymap::key_label(Scope::Session, a)
}

/// The room's latest refusal of this seat's input, while it is recent: `(beat, text)`.
fn refusal(v: &SessionSeat, s: &Session) -> Option<(u64, String)> {
    s.log
        .iter()
        .rev()
        .take_while(|l| l.beat + REFUSAL_BEATS >= s.beat)
        .find_map(|l| match &l.event {
            SessionEvent::Refused { seat, what, reason } if *seat == v.seat => {
                Some((l.beat, format!("refused {what}: {reason}")))
            }
            _ => None,
        })
}

/// Beats a room notice (a seat came or went, a role changed hands) stays on the status line.
const NOTICE_BEATS: u64 = 3;

/// The room's latest news about the others, while it is recent: a seat joined, rejoined or
/// left, the presenter or facilitator role changed hands, who conducts while the facilitator
/// is away. A seat is not told of itself, nor of what happened before it came.
pub fn room_notice(v: &SessionSeat, s: &Session) -> Option<String> {
    // What happened before this seat arrived is no news to it.
    let since = s.seat(v.seat).map_or(0, |m| m.joined);
    s.log
        .iter()
        .rev()
        .take_while(|l| l.beat + NOTICE_BEATS >= s.beat && l.beat >= since)
        .find_map(|l| {
            let name = |id| clean(s.seat_name(id));
            match &l.event {
                SessionEvent::Joined { seat, .. } | SessionEvent::Left { seat }
                    if *seat == v.seat =>
                {
                    None
                }
                SessionEvent::Joined {
                    seat,
                    observer,
                    rejoin,
                    ..
                } => Some(match (observer, rejoin) {
                    (true, _) => format!("{} joined to observe", name(*seat)),
                    (false, true) => format!("{} is back", name(*seat)),
                    (false, false) => format!("{} joined", name(*seat)),
                }),
                SessionEvent::Left { seat } => Some(match s.stand_in() {
                    // The facilitator went: who conducts in the meantime is news too.
                    Some(c) if s.facilitator == Some(*seat) && c == v.seat => {
                        format!("{} left · you conduct now", name(*seat))
                    }
                    Some(c) if s.facilitator == Some(*seat) => {
                        format!("{} left · {} conducts now", name(*seat), name(c))
                    }
                    _ => format!("{} left", name(*seat)),
                }),
                // The roles a seat gets by arriving first are no news to it.
                SessionEvent::PresenterIs { seat } | SessionEvent::FacilitatorIs { seat }
                    if *seat == v.seat && s.seat(v.seat).is_some_and(|m| m.joined == l.beat) =>
                {
                    None
                }
                SessionEvent::PresenterIs { seat } if *seat == v.seat => {
                    Some("you present now: everyone follows you".into())
                }
                SessionEvent::PresenterIs { seat } => Some(format!("{} presents now", name(*seat))),
                SessionEvent::FacilitatorIs { seat } if *seat == v.seat => {
                    Some("you facilitate now".into())
                }
                SessionEvent::FacilitatorIs { seat } => {
                    Some(format!("{} facilitates now", name(*seat)))
                }
                _ => None,
            }
        })
}

/// The keys worth showing for this seat where the session stands, most useful first, in
/// at most `room` cells: what does not fit goes, but `?` and `q` always stay, and so does
/// the facilitator's key to move on (cut to `> next` when room is short).
pub fn hints(v: &SessionSeat, s: &Session, room: usize) -> String {
    let mut h = hint_list(v, s);
    let next = k(Act::SegmentNext);
    let mut nav = h
        .iter()
        .position(|x| x.starts_with(&format!("{next} ")))
        .map(|i| h.remove(i));
    let tail = h.split_off(h.len().saturating_sub(2));
    let join = |h: &[String], nav: &Option<String>| {
        let mut all = h.to_vec();
        all.extend(nav.clone());
        all.extend_from_slice(&tail);
        all.join(" · ")
    };
    if let Some(n) = &mut nav
        && n.contains(" · ")
        && width(&join(&h, &Some(n.clone()))) > room
    {
        *n = format!("{next} next");
    }
    while width(&join(&h, &nav)) > room && h.len() > 1 {
        h.pop();
    }
    // The segment's main key stays, cut to its first hint, while there is any room for it.
    if width(&join(&h, &nav)) > room
        && let Some(first) = h.first_mut()
        && let Some((main, _)) = first.split_once(" · ")
    {
        *first = main.to_string();
    }
    if width(&join(&h, &nav)) > room && nav.is_some() {
        h.clear();
    }
    join(&h, &nav)
}

fn hint_list(v: &SessionSeat, s: &Session) -> Vec<String> {
    let me = s.seat(v.seat);
    let observer = me.is_some_and(|m| m.observer);
    let fac = s.conducts(v.seat) && !observer;
    let presenter = s.presenter == Some(v.seat) && !observer;
    let mut h: Vec<String> = Vec::new();
    let kind = s.current().map(|i| &s.plan.setlist.segments[i].kind);
    if observer {
        h.push("read-only".into());
    }
    match (&s.phase, kind) {
        (Phase::Ended { .. }, _) => h.push("↑↓ PgUp PgDn scroll the write-up".into()),
        (_, Some(SegmentKind::Walkthrough { .. })) if presenter => {
            h.push(format!(
                "{} focus · {} zoom · {} tour · [ ] range",
                k(Act::FocusNext),
                k(Act::Zoom),
                k(Act::Tour)
            ));
            h.push(format!("{} remark · {} ask", k(Act::Remark), k(Act::Ask)));
        }
        (_, Some(SegmentKind::Walkthrough { .. })) => {
            h.push(format!(
                "{} look around · {} follow/look",
                k(Act::FocusNext),
                k(Act::LookAround)
            ));
            if !observer {
                h.push(format!("{} remark · {} ask", k(Act::Remark), k(Act::Ask)));
            }
        }
        (_, Some(SegmentKind::Wheel { .. })) if !observer => {
            let i = s.current().unwrap_or(0);
            let turn = s.open_turn(i).filter(|(_, t)| s.beat >= t.spin.stops_at());
            let turning = s.open_turn(i).is_some() && turn.is_none();
            match turn {
                _ if turning => h.push("the wheel is turning…".into()),
                Some(_) if fac => h.push(format!(
                    "1 found · 2 with help · 3 not found · {} escalate · {} pass",
                    k(Act::Escalate),
                    k(Act::Pass)
                )),
                Some((_, t)) if t.spin.person == v.seat => h.push(format!(
                    "your turn: {} escalate to… · {} pass · {} note",
                    k(Act::Escalate),
                    k(Act::Pass),
                    k(Act::Note)
                )),
                Some(_) => h.push(format!("{} note", k(Act::Note))),
                None if fac => h.push(format!(
                    "{} spin · {} spin for… · {} themes",
                    k(Act::Spin),
                    k(Act::SpinFor),
                    k(Act::Themes)
                )),
                None => h.push(format!("{} spin", k(Act::Spin))),
            }
        }
        _ if !observer => h.push(format!("{} note", k(Act::Note))),
        _ => {}
    }
    if fac && !s.is_ended() {
        match s.phase {
            Phase::Gathering => h.push(format!("{} start", k(Act::SegmentNext))),
            _ => h.push(format!(
                "{} next · {} 5 more minutes · {} skip",
                k(Act::SegmentNext),
                k(Act::Extend),
                k(Act::Skip)
            )),
        }
    }
    h.push(format!("{} keys", k(Act::Help)));
    h.push(format!("{} leave", k(Act::Quit)));
    h
}

pub(super) fn draw(buf: &mut Buffer, r: Rect, v: &SessionSeat, s: &Session, theme: &Theme) {
    let bar = theme.style(Meaning::Status);
    buf.set_style(r, bar);
    let w = r.width as usize;
    let (text, style) = match &v.mode {
        Mode::Entry(e) => {
            let head = format!(" {}: ", e.kind.prompt());
            let tail = " ▏ enter sends · esc drops";
            let room = w.saturating_sub(width(&head) + width(tail));
            // The end of what is typed stays in view.
            let typed = clean(&e.text);
            let chars: Vec<char> = typed.chars().collect();
            let mut shown = String::new();
            for c in chars.iter().rev() {
                if width(&shown) + 1 >= room {
                    break;
                }
                shown.insert(0, *c);
            }
            (
                format!("{head}{shown}{tail}"),
                theme.style(Meaning::Accent).add_modifier(Modifier::BOLD),
            )
        }
        Mode::Pick(_) => (" ↑↓ choose · enter pick · esc cancel".to_string(), bar),
        Mode::Confirm(_) => (" y or enter: yes · any other key: no".to_string(), bar),
        Mode::Browse => {
            let said = match (&v.flash, refusal(v, s), &v.notice) {
                (Some(f), Some((at, r)), _) if at >= f.beat => {
                    Some((r, theme.style(Meaning::StatusError)))
                }
                (Some(f), _, _) if f.error => {
                    Some((clean(&f.text), theme.style(Meaning::StatusError)))
                }
                (Some(f), _, _) => Some((clean(&f.text), theme.style(Meaning::Info))),
                (None, Some((_, r)), _) => Some((r, theme.style(Meaning::StatusError))),
                (None, None, Some(n)) => Some((clean(n), theme.style(Meaning::StatusError))),
                _ => room_notice(v, s).map(|n| (n, theme.style(Meaning::Info))),
            };
            // The seat's own message (the answer to its key, the room's refusal of it) takes
            // the keys' place when both cannot fit; news and problems never do.
            let own = v.flash.is_some() || refusal(v, s).is_some();
            let essential = width(&hints(v, s, 0)) + 3;
            match said {
                Some((text, style)) if own && width(&text) + essential > w => {
                    (format!(" {text} "), style)
                }
                Some((text, style)) => return beside_hints(buf, r, (v, s), &text, style, theme),
                None => (format!(" {}", hints(v, s, w.saturating_sub(1))), bar),
            }
        }
    };
    buf.set_stringn(r.x, r.y, fit(&text, w), w, style);
}

/// A message on the left and the keys right-aligned on one line: the essential keys (help,
/// the segment's main key, the facilitator's next, leave) always show, the message takes
/// what is left, and the other keys come back as room allows.
fn beside_hints(
    buf: &mut Buffer,
    r: Rect,
    (v, s): (&SessionSeat, &Session),
    text: &str,
    style: ratatui::style::Style,
    theme: &Theme,
) {
    let w = r.width as usize;
    let said = format!(" {text} ");
    let essential = width(&hints(v, s, 0)) + 1;
    let keys = hints(v, s, w.saturating_sub(width(&said) + 2).max(essential));
    let keys = fit(&format!("{keys} "), w);
    let kw = width(&keys);
    buf.set_stringn(r.x, r.y, fit(&said, w - kw), w - kw, style);
    let x = r.x + (w - kw) as u16;
    buf.set_stringn(x, r.y, &keys, kw, theme.style(Meaning::Status));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{SessionAction as A, SessionInput, bundled};
    use std::sync::Arc;

    #[test]
    fn the_others_coming_and_going_is_news_for_a_few_beats() {
        let mut s = Session::new(Arc::new(bundled::plan("weekly").unwrap()), 1);
        let ana = SessionSeat::new(0);
        let bo = SessionSeat::new(1);
        let at = |s: &mut Session, beat, seat, action| {
            s.apply(&SessionInput::new(beat, seat, action));
        };
        at(&mut s, 0, 0, A::Join { name: "ana".into() });
        assert_eq!(room_notice(&ana, &s), None, "nobody is told of themselves");
        at(&mut s, 1, 1, A::Join { name: "bo".into() });
        assert_eq!(room_notice(&ana, &s).as_deref(), Some("bo joined"));
        at(&mut s, 2, 0, A::HandPresenter { to: 1 });
        assert_eq!(room_notice(&ana, &s).as_deref(), Some("bo presents now"));
        assert_eq!(
            room_notice(&bo, &s).as_deref(),
            Some("you present now: everyone follows you")
        );
        at(&mut s, 3, 1, A::Leave);
        assert_eq!(room_notice(&ana, &s).as_deref(), Some("bo left"));
        at(&mut s, 4, 1, A::Join { name: "bo".into() });
        assert_eq!(room_notice(&ana, &s).as_deref(), Some("bo is back"));
        at(&mut s, 10, 0, A::Note { text: "x".into() });
        assert_eq!(room_notice(&ana, &s), None, "old news is gone");
        // The facilitator goes: who conducts meanwhile is part of the news.
        at(&mut s, 11, 2, A::Join { name: "cy".into() });
        at(&mut s, 20, 0, A::Leave);
        let cy = SessionSeat::new(2);
        assert_eq!(
            room_notice(&cy, &s).as_deref(),
            Some("ana left · bo conducts now")
        );
        assert_eq!(
            room_notice(&bo, &s).as_deref(),
            Some("ana left · you conduct now")
        );
    }

    fn line(v: &SessionSeat, s: &Session, w: u16) -> String {
        let r = Rect::new(0, 0, w, 1);
        let mut buf = Buffer::empty(r);
        draw(&mut buf, r, v, s, &Theme::default());
        (0..w).map(|x| buf[(x, 0)].symbol()).collect()
    }

    #[test]
    fn a_notice_leaves_the_essential_keys_in_view() {
        let mut s = Session::new(Arc::new(bundled::plan("weekly").unwrap()), 1);
        let at = |s: &mut Session, beat, seat, action| {
            s.apply(&SessionInput::new(beat, seat, action));
        };
        at(&mut s, 0, 0, A::Join { name: "ana".into() });
        at(&mut s, 1, 0, A::Next);
        at(&mut s, 2, 0, A::Next); // the wheel
        at(&mut s, 3, 1, A::Join { name: "bo".into() });
        let ana = SessionSeat::new(0);
        let bo = SessionSeat::new(1);
        for w in [80, 200] {
            let l = line(&ana, &s, w);
            for want in ["bo joined", "space spin", "> next", "? keys", "q leave"] {
                assert!(l.contains(want), "{w} columns: {want:?} in {l:?}");
            }
        }
        let wide = line(&ana, &s, 200);
        assert!(
            wide.contains("d themes") && wide.contains("s skip"),
            "{wide}"
        );
        // bo's own arrival is no news to bo: the keys, whole.
        let own = line(&bo, &s, 80);
        assert!(own.trim_start().starts_with("space spin"), "{own:?}");
        // A notice too long for the line is cut; the keys stay whole.
        at(
            &mut s,
            4,
            2,
            A::Join {
                name: "c".repeat(64),
            },
        );
        let l = line(&ana, &s, 80);
        assert!(
            l.contains("…") && l.trim_end().ends_with("q leave"),
            "{l:?}"
        );
    }
}
