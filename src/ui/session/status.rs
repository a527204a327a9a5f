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

/// The keys worth showing for this seat where the session stands, most useful first, in
/// at most `room` cells: what does not fit goes, but `?` and `q` always stay.
pub fn hints(v: &SessionSeat, s: &Session, room: usize) -> String {
    let mut h = hint_list(v, s);
    let keep = 2;
    while h.len() > keep + 1 && width(&h.join(" · ")) > room {
        h.remove(h.len() - keep - 1);
    }
    h.join(" · ")
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
        Mode::Browse => match (&v.flash, refusal(v, s), &v.notice) {
            (Some(f), Some((at, r)), _) if at >= f.beat => {
                (format!(" {r} "), theme.style(Meaning::StatusError))
            }
            (Some(f), _, _) if f.error => (
                format!(" {} ", clean(&f.text)),
                theme.style(Meaning::StatusError),
            ),
            (Some(f), _, _) => (format!(" {} ", clean(&f.text)), theme.style(Meaning::Info)),
            (None, Some((_, r)), _) => (format!(" {r} "), theme.style(Meaning::StatusError)),
            (None, None, Some(n)) => (format!(" {} ", clean(n)), theme.style(Meaning::StatusError)),
            _ => (format!(" {}", hints(v, s, w.saturating_sub(1))), bar),
        },
    };
    buf.set_stringn(r.x, r.y, fit(&text, w), w, style);
}
