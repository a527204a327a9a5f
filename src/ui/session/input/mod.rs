//! A session seat's inputs: keys through the keymap's [`Scope::Session`], the modes of
//! [`super::mode`] (typing, picking, confirming), pastes into an entry, and the mouse. What a
//! seat may not do is said on the status line and sends nothing, so an observer's key or a
//! participant's facilitator key never reaches the room.

mod matrix;
mod mouse;
pub(super) mod walkthrough;

use super::mode::{Choice, Confirm, Entry, EntryKind, Mode, Picker, PickerKind, choices};
use super::{Flash, SessionCommand, SessionSeat, help_lines, scroll_key};
use crate::input::{Input, Key, KeyCode};
use crate::keymap::{self, Act, Scope};
use crate::session::state::Activity;
use crate::session::walkthrough::Walkthrough;
use crate::session::{Mark, SegmentKind, Session, SessionAction as A};
use crate::ui::help;
use ratatui::layout::Rect;

/// Minutes one press of extend adds to the segment's plan.
pub const EXTEND_MINUTES: u64 = 5;

/// What a key needs of the seat pressing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
    Participant,
    Facilitator,
    Presenter,
}

pub(super) type Out = Vec<SessionCommand>;

pub(super) fn act(a: A) -> Out {
    vec![SessionCommand::Act(a)]
}

pub(super) fn on_input(v: &mut SessionSeat, input: &Input, s: &Session, area: Rect) -> Out {
    if let Input::Key(k) = input
        && keymap::lookup(Scope::Session, *k) == Some(Act::Abort)
    {
        return vec![SessionCommand::Quit];
    }
    match input {
        Input::Resize(..) => return Vec::new(),
        Input::Paste(text) => {
            if let Mode::Entry(e) = &mut v.mode {
                e.push(text);
            }
            return Vec::new();
        }
        _ => {}
    }
    if let Some(top) = v.help {
        v.help = help::on_input(top, input, area, &help_lines());
        return Vec::new();
    }
    match input {
        Input::Key(k) => on_key(v, *k, s, area),
        Input::Mouse(m) => mouse::on_mouse(v, m, s, area),
        _ => Vec::new(),
    }
}

fn on_key(v: &mut SessionSeat, key: Key, s: &Session, area: Rect) -> Out {
    v.flash = None;
    v.now = s.beat;
    match std::mem::replace(&mut v.mode, Mode::Browse) {
        Mode::Entry(e) => entry_key(v, key, e, s),
        Mode::Pick(p) => pick_key(v, key, p, s),
        Mode::Confirm(c) => match (key.code, key.typed()) {
            (KeyCode::Enter, _) | (_, Some('y' | 'Y')) => confirmed(c),
            _ => Vec::new(),
        },
        Mode::Browse if let Some(out) = super::drt::on_key(v, key, s, area) => out,
        Mode::Browse => match keymap::lookup(Scope::Session, key) {
            Some(a) => on_act(v, a, s, area),
            None => {
                say(
                    v,
                    format!(
                        "nothing on `{}` — press {} for the keys",
                        key.label(),
                        keymap::key_label(Scope::Session, Act::Help)
                    ),
                    true,
                );
                Vec::new()
            }
        },
    }
}

pub(super) fn say(v: &mut SessionSeat, text: impl Into<String>, error: bool) {
    v.flash = Some(Flash {
        text: text.into(),
        error,
        beat: v.now,
    });
}

fn confirmed(c: Confirm) -> Out {
    match c {
        Confirm::Skip => act(A::Skip),
        Confirm::End => act(A::End {
            reason: String::new(),
        }),
        Confirm::Leave => vec![SessionCommand::Quit],
    }
}

fn entry_key(v: &mut SessionSeat, key: Key, mut e: Entry, s: &Session) -> Out {
    if let EntryKind::CellNote { row, col } = e.kind
        && key.code == KeyCode::Enter
    {
        return matrix::send_note(v, s, row, col, e.text.trim());
    }
    match key.code {
        KeyCode::Enter if !e.text.trim().is_empty() => {
            let text = e.text.trim().to_string();
            let (a, said) = match e.kind {
                EntryKind::Note => (A::Note { text }, "note sent"),
                EntryKind::Remark { pane } => (
                    A::Remark {
                        pane: Some(pane),
                        text,
                        question: false,
                    },
                    "remark sent",
                ),
                EntryKind::Ask { pane } => (
                    A::Remark {
                        pane: Some(pane),
                        text,
                        question: true,
                    },
                    "question sent",
                ),
                EntryKind::Escalate => (A::Escalate { to: text }, "escalation noted"),
                EntryKind::CellNote { .. } => return Vec::new(),
            };
            say(v, said, false);
            return act(a);
        }
        KeyCode::Enter | KeyCode::Esc => return Vec::new(),
        KeyCode::Backspace => {
            e.text.pop();
        }
        _ => {
            if let Some(c) = key.typed() {
                e.push(&c.to_string());
            }
        }
    }
    v.mode = Mode::Entry(e);
    Vec::new()
}

fn pick_key(v: &mut SessionSeat, key: Key, mut p: Picker, s: &Session) -> Out {
    let rows = choices(p.kind, s);
    let n = rows.len();
    match (key.code, key.typed()) {
        (KeyCode::Esc, _) | (_, Some('q')) => return Vec::new(),
        (KeyCode::Up, _) | (_, Some('k')) => p.at = p.at.min(n.saturating_sub(1)).saturating_sub(1),
        (KeyCode::Down, _) | (_, Some('j')) => p.at = (p.at + 1).min(n.saturating_sub(1)),
        (KeyCode::Home, _) => p.at = 0,
        (KeyCode::End, _) => p.at = n.saturating_sub(1),
        (KeyCode::Enter | KeyCode::Right, _) => return pick(v, p.kind, rows.get(p.at)),
        (_, Some(c)) if c.is_ascii_digit() && c != '0' => {
            let i = c as usize - '1' as usize;
            return pick(v, p.kind, rows.get(i));
        }
        _ => {}
    }
    v.mode = Mode::Pick(p);
    Vec::new()
}

pub(super) fn pick(v: &mut SessionSeat, kind: PickerKind, row: Option<&(String, Choice)>) -> Out {
    let Some((_, choice)) = row else {
        say(v, "nothing picked", false);
        return Vec::new();
    };
    match (kind, choice.clone()) {
        (PickerKind::Presenter, Choice::Seat(to)) => act(A::HandPresenter { to }),
        (PickerKind::Facilitator, Choice::Seat(to)) => act(A::HandFacilitator { to }),
        (PickerKind::SpinFor, Choice::Seat(person)) => act(A::SpinFor { person }),
        (PickerKind::Theme, Choice::Theme(theme, true)) => act(A::Restore { theme }),
        (PickerKind::Theme, Choice::Theme(theme, false)) => act(A::Retire { theme }),
        _ => Vec::new(),
    }
}

/// Checks that this seat may do `what`; says why not on the status line.
pub(super) fn may(v: &mut SessionSeat, s: &Session, need: Need, what: &str) -> bool {
    let why = match s.seat(v.seat) {
        None => Some("you have not joined this session yet".to_string()),
        Some(me) if !me.present => Some("you have left this session".to_string()),
        Some(me) if me.observer => Some(format!("observers can't {what}")),
        Some(_) => match need {
            Need::Participant => None,
            Need::Facilitator if s.conducts(v.seat) => None,
            Need::Presenter if s.presenter == Some(v.seat) => None,
            Need::Facilitator => Some(match s.stand_in() {
                Some(c) => format!(
                    "only the facilitator can {what} ({} conducts while {} is away)",
                    s.seat_name(c),
                    s.facilitator.map_or("the facilitator", |f| s.seat_name(f))
                ),
                None => format!(
                    "only the facilitator can {what} ({} facilitates)",
                    s.facilitator.map_or("nobody", |f| s.seat_name(f))
                ),
            }),
            Need::Presenter => Some(format!(
                "only the presenter can {what} ({} presents); {} looks around on your own",
                s.presenter.map_or("nobody", |p| s.seat_name(p)),
                keymap::key_label(Scope::Session, Act::LookAround)
            )),
        },
    };
    match why {
        Some(w) => {
            say(v, w, true);
            false
        }
        None => true,
    }
}

/// The walkthrough in progress, or a message saying there is none.
pub(super) fn walkthrough<'s>(
    v: &mut SessionSeat,
    s: &'s Session,
) -> Option<(usize, &'s Walkthrough)> {
    if let Some(i) = s.current()
        && let Activity::Walkthrough(w) = &s.segments[i].activity
    {
        return Some((i, w));
    }
    say(v, "that key is for a walkthrough's vista", true);
    None
}

fn is_wheel(v: &mut SessionSeat, s: &Session) -> Option<usize> {
    if let Some(i) = s.current()
        && matches!(s.plan.setlist.segments[i].kind, SegmentKind::Wheel { .. })
    {
        return Some(i);
    }
    say(v, "that key is for the Wheel of Expertise", true);
    None
}

fn on_act(v: &mut SessionSeat, a: Act, s: &Session, area: Rect) -> Out {
    use Need::*;
    if let Some(out) = matrix::on_act(v, a, s) {
        return out;
    }
    match a {
        Act::Help => v.help = Some(0),
        Act::Quit | Act::Abort if s.is_ended() => return vec![SessionCommand::Quit],
        Act::Quit | Act::Abort => v.mode = Mode::Confirm(Confirm::Leave),
        Act::Note if may(v, s, Participant, "write notes") => {
            v.mode = Mode::Entry(Entry::new(EntryKind::Note))
        }
        Act::ScrollUp => scroll(v, s, area, -1),
        Act::ScrollDown => scroll(v, s, area, 1),
        Act::PageUp => scroll(v, s, area, -10),
        Act::PageDown => scroll(v, s, area, 10),
        Act::Top => scroll(v, s, area, isize::MIN / 2),
        Act::Bottom => scroll(v, s, area, isize::MAX / 2),
        Act::FocusNext | Act::FocusPrev | Act::Zoom | Act::Unzoom | Act::LookAround => {
            return walkthrough::look(v, a, s);
        }
        Act::Tour => return walkthrough::present(v, a, s),
        Act::RangeShorter | Act::RangeLonger | Act::PanBack | Act::PanForward | Act::Live => {
            return walkthrough::time(v, a, s);
        }
        Act::Remark | Act::Ask => {
            let what = if a == Act::Remark {
                "remark on panes"
            } else {
                "ask questions"
            };
            if may(v, s, Participant, what)
                && let Some((_, w)) = walkthrough(v, s)
            {
                if w.vista.is_none() {
                    say(v, "the vista is not shown yet", true);
                } else {
                    let pane = v.lens_now(s).remark_pane(w);
                    let kind = if a == Act::Remark {
                        EntryKind::Remark { pane }
                    } else {
                        EntryKind::Ask { pane }
                    };
                    v.mode = Mode::Entry(Entry::new(kind));
                }
            }
        }
        Act::Spin | Act::SpinFor | Act::Escalate | Act::Pass | Act::Themes => {
            return wheel(v, a, s);
        }
        Act::Found | Act::Helped | Act::NotFound => return mark(v, a, s),
        Act::SegmentNext | Act::SegmentBack | Act::Extend | Act::Skip | Act::EndSession => {
            return navigate(v, a, s);
        }
        Act::HandPresenter | Act::HandFacilitator => {
            let (kind, what) = if a == Act::HandPresenter {
                (PickerKind::Presenter, "hand the presenter role")
            } else {
                (PickerKind::Facilitator, "hand the facilitator role")
            };
            if may(v, s, Facilitator, what) {
                v.mode = Mode::Pick(Picker { kind, at: 0 });
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Scrolls the body's list by `by` rows, within what the body holds at this size.
pub(super) fn scroll(v: &mut SessionSeat, s: &Session, area: Rect, by: isize) {
    let max = super::body_scroll_max(v, s, area);
    let now = v.scroll_now(s).min(max);
    v.scroll = (scroll_key(s), now.saturating_add_signed(by).min(max));
}

fn wheel(v: &mut SessionSeat, a: Act, s: &Session) -> Out {
    let what = match a {
        Act::Spin => "spin the wheel",
        Act::SpinFor => "spin for someone",
        Act::Escalate => "escalate",
        Act::Pass => "pass a turn",
        _ => "retire or restore themes",
    };
    let need = match a {
        Act::SpinFor | Act::Themes => Need::Facilitator,
        _ => Need::Participant,
    };
    if !may(v, s, need, what) {
        return Vec::new();
    }
    let Some(i) = is_wheel(v, s) else {
        return Vec::new();
    };
    let open = s.open_turn(i).map(|(_, t)| t.spin.person);
    match (a, open) {
        (Act::Themes, _) => {
            v.mode = Mode::Pick(Picker {
                kind: PickerKind::Theme,
                at: 0,
            })
        }
        (Act::Spin | Act::SpinFor, Some(p)) => say(
            v,
            format!(
                "{}'s turn is open: it is marked or passed first",
                s.seat_name(p)
            ),
            true,
        ),
        (Act::Spin, None) => return act(A::Spin),
        (Act::SpinFor, None) => {
            v.mode = Mode::Pick(Picker {
                kind: PickerKind::SpinFor,
                at: 0,
            })
        }
        (_, None) => say(v, "no turn is open: spin first", true),
        (_, Some(p)) if p != v.seat && !s.conducts(v.seat) => {
            say(v, format!("it is {}'s turn", s.seat_name(p)), true)
        }
        (Act::Escalate, Some(_)) => v.mode = Mode::Entry(Entry::new(EntryKind::Escalate)),
        (Act::Pass, Some(_)) => return act(A::Pass),
        _ => {}
    }
    Vec::new()
}

fn mark(v: &mut SessionSeat, a: Act, s: &Session) -> Out {
    if !may(v, s, Need::Facilitator, "mark a turn") {
        return Vec::new();
    }
    let Some(i) = is_wheel(v, s) else {
        return Vec::new();
    };
    if s.open_turn(i).is_none() {
        say(v, "no turn is open: spin first", true);
        return Vec::new();
    }
    let result = match a {
        Act::Found => Mark::Found,
        Act::Helped => Mark::Helped,
        _ => Mark::NotFound,
    };
    act(A::Mark { result })
}

fn navigate(v: &mut SessionSeat, a: Act, s: &Session) -> Out {
    let what = match a {
        Act::SegmentNext => "move to the next segment",
        Act::SegmentBack => "go back a segment",
        Act::Extend => "extend a segment",
        Act::Skip => "skip a segment",
        _ => "end the session",
    };
    if !may(v, s, Need::Facilitator, what) {
        return Vec::new();
    }
    if s.is_ended() {
        say(v, "the session has ended", true);
        return Vec::new();
    }
    let current = s.current();
    match (a, current) {
        (Act::SegmentNext, _) => return act(A::Next),
        (Act::EndSession, _) => v.mode = Mode::Confirm(Confirm::End),
        (_, None) => say(v, "the session has not started: > starts it", true),
        (Act::SegmentBack, Some(0)) => say(v, "this is the first segment", true),
        (Act::SegmentBack, Some(_)) => return act(A::Back),
        (Act::Extend, Some(_)) => {
            let beats = EXTEND_MINUTES * u64::from(s.plan.setlist.bpm);
            say(
                v,
                format!("{EXTEND_MINUTES} more minutes for this segment"),
                false,
            );
            return act(A::Extend { beats });
        }
        (Act::Skip, Some(_)) => v.mode = Mode::Confirm(Confirm::Skip),
        _ => {}
    }
    Vec::new()
}
