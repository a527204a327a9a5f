//! A session seat's inputs: keys through the keymap's [`Scope::Session`], the modes of
//! [`super::mode`] (typing, picking, confirming), pastes into an entry, and the mouse. What a
//! seat may not do is said on the status line and sends nothing, so an observer's key or a
//! participant's facilitator key never reaches the room.

use super::mode::{Choice, Confirm, Entry, EntryKind, Mode, Picker, PickerKind, choices};
use super::{Flash, SessionCommand, SessionSeat, help_lines, scroll_key};
use crate::input::{Input, Key, KeyCode, Mouse};
use crate::keymap::{self, Act, Scope};
use crate::session::state::Activity;
use crate::session::walkthrough::Walkthrough;
use crate::session::{Mark, SegmentKind, Session, SessionAction as A};
use crate::ui::help;
use ratatui::layout::{Position, Rect};

/// Minutes one press of extend adds to the segment's plan.
pub const EXTEND_MINUTES: u64 = 5;

/// The time ranges `[` and `]` step through, in seconds.
const RANGES: &[u64] = &[
    300,
    900,
    3600,
    3 * 3600,
    6 * 3600,
    12 * 3600,
    86_400,
    7 * 86_400,
    30 * 86_400,
];

/// What a key needs of the seat pressing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Participant,
    Facilitator,
    Presenter,
}

type Out = Vec<SessionCommand>;

fn act(a: A) -> Out {
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
        Input::Mouse(m) => on_mouse(v, m, s, area),
        _ => Vec::new(),
    }
}

fn on_key(v: &mut SessionSeat, key: Key, s: &Session, area: Rect) -> Out {
    v.flash = None;
    v.now = s.beat;
    match std::mem::replace(&mut v.mode, Mode::Browse) {
        Mode::Entry(e) => entry_key(v, key, e),
        Mode::Pick(p) => pick_key(v, key, p, s),
        Mode::Confirm(c) => match (key.code, key.typed()) {
            (KeyCode::Enter, _) | (_, Some('y' | 'Y')) => confirmed(c),
            _ => Vec::new(),
        },
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

fn say(v: &mut SessionSeat, text: impl Into<String>, error: bool) {
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

fn entry_key(v: &mut SessionSeat, key: Key, mut e: Entry) -> Out {
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

fn pick(v: &mut SessionSeat, kind: PickerKind, row: Option<&(String, Choice)>) -> Out {
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
fn may(v: &mut SessionSeat, s: &Session, need: Need, what: &str) -> bool {
    let why = match s.seat(v.seat) {
        None => Some("you have not joined this session yet".to_string()),
        Some(me) if !me.present => Some("you have left this session".to_string()),
        Some(me) if me.observer => Some(format!("observers can't {what}")),
        Some(_) => match need {
            Need::Participant => None,
            Need::Facilitator if s.facilitator == Some(v.seat) => None,
            Need::Presenter if s.presenter == Some(v.seat) => None,
            Need::Facilitator => Some(format!(
                "only the facilitator can {what} ({} facilitates)",
                s.facilitator.map_or("nobody", |f| s.seat_name(f))
            )),
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
fn walkthrough<'s>(v: &mut SessionSeat, s: &'s Session) -> Option<(usize, &'s Walkthrough)> {
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
            return look(v, a, s);
        }
        Act::Tour | Act::RangeShorter | Act::RangeLonger => return present(v, a, s),
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
fn scroll(v: &mut SessionSeat, s: &Session, area: Rect, by: isize) {
    let max = super::body_scroll_max(v, s, area);
    let now = v.scroll_now(s).min(max);
    v.scroll = (scroll_key(s), now.saturating_add_signed(by).min(max));
}

/// Focus and zoom: the presenter's move everyone; anyone else looks around alone.
fn look(v: &mut SessionSeat, a: Act, s: &Session) -> Out {
    let Some((i, w)) = walkthrough(v, s) else {
        return Vec::new();
    };
    let n = w.panes().max(1);
    let drives =
        s.presenter == Some(v.seat) && s.seat(v.seat).is_some_and(|m| m.present && !m.observer);
    if drives && a != Act::LookAround {
        if w.vista.is_none() {
            say(v, "the vista is not shown yet", true);
            return Vec::new();
        }
        let step = |d: usize| (w.focus + d) % n;
        return match (a, w.tour) {
            (Act::FocusNext, Some(_)) => act(A::Tour {
                step: Some(step(1)),
            }),
            (Act::FocusPrev, Some(_)) => act(A::Tour {
                step: Some(step(n - 1)),
            }),
            (Act::FocusNext, None) => act(A::Focus { pane: step(1) }),
            (Act::FocusPrev, None) => act(A::Focus { pane: step(n - 1) }),
            (Act::Zoom, _) => act(A::Zoom { on: !w.zoom }),
            (Act::Unzoom, Some(_)) => act(A::Tour { step: None }),
            (Act::Unzoom, None) if w.zoom => act(A::Zoom { on: false }),
            _ => Vec::new(),
        };
    }
    let mut lens = v.lens_now(s);
    let view = lens.view(w);
    match a {
        Act::LookAround if lens.looking => lens.snap_back(),
        Act::LookAround => lens.look_around(w),
        Act::FocusNext => lens.focus(w, (view.focus + 1) % n),
        Act::FocusPrev => lens.focus(w, (view.focus + n - 1) % n),
        Act::Zoom => lens.zoom(w, !view.zoom),
        Act::Unzoom if view.zoom => lens.zoom(w, false),
        _ => return Vec::new(),
    }
    v.lens = lens;
    v.lens_segment = Some(i);
    let who = s.presenter.map_or("the presenter", |p| s.seat_name(p));
    if lens.looking {
        let key = keymap::key_label(Scope::Session, Act::LookAround);
        say(
            v,
            format!("looking around on your own · {key} snaps back to {who}"),
            false,
        );
    } else {
        say(v, format!("following {who} again"), false);
    }
    Vec::new()
}

/// The presenter's tour and time range.
fn present(v: &mut SessionSeat, a: Act, s: &Session) -> Out {
    let what = match a {
        Act::Tour => "start or stop the tour",
        _ => "change the time range",
    };
    if !may(v, s, Need::Presenter, what) {
        return Vec::new();
    }
    let Some((_, w)) = walkthrough(v, s) else {
        return Vec::new();
    };
    if w.vista.is_none() {
        say(v, "the vista is not shown yet", true);
        return Vec::new();
    }
    let range = |seconds: Option<&u64>| match seconds {
        Some(&seconds) => act(A::Range { seconds }),
        None => Vec::new(),
    };
    match a {
        Act::Tour if w.tour.is_some() => act(A::Tour { step: None }),
        Act::Tour => act(A::Tour {
            step: Some(w.focus),
        }),
        Act::RangeShorter => range(RANGES.iter().rev().find(|r| **r < w.range)),
        Act::RangeLonger => range(RANGES.iter().find(|r| **r > w.range)),
        _ => Vec::new(),
    }
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
        (_, Some(p)) if p != v.seat && s.facilitator != Some(v.seat) => {
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

fn on_mouse(v: &mut SessionSeat, m: &Mouse, s: &Session, area: Rect) -> Out {
    if m.wheel() != 0 {
        match &mut v.mode {
            Mode::Pick(p) => {
                let n = choices(p.kind, s).len();
                p.at =
                    p.at.saturating_add_signed(m.wheel())
                        .min(n.saturating_sub(1));
            }
            _ => scroll(v, s, area, m.wheel() * 3),
        }
        return Vec::new();
    }
    if !m.is_click() {
        return Vec::new();
    }
    let at = Position::new(m.col, m.row);
    match v.mode.clone() {
        Mode::Pick(p) => {
            let rows = choices(p.kind, s);
            let (r, y0) = super::mode::picker_rect(area, rows.len());
            let (first, shown) = super::mode::picker_window(r, rows.len(), p.at);
            v.mode = Mode::Browse;
            if r.contains(at) && m.row >= y0 && usize::from(m.row - y0) < shown {
                return pick(v, p.kind, rows.get(first + usize::from(m.row - y0)));
            }
            Vec::new()
        }
        Mode::Browse => {
            let hit = v.drawn.pane_at(at);
            let Some(pane) = hit else {
                return Vec::new();
            };
            click_pane(v, s, pane, m.is_double())
        }
        // A prompt takes keys only: the mouse never answers a question.
        _ => Vec::new(),
    }
}

/// A click on a pane of the walkthrough: the presenter focuses it for everyone (a double
/// click zooms); anyone else looks at it on their own.
fn click_pane(v: &mut SessionSeat, s: &Session, pane: usize, double: bool) -> Out {
    let Some((i, w)) = walkthrough(v, s) else {
        return Vec::new();
    };
    v.flash = None;
    let drives =
        s.presenter == Some(v.seat) && s.seat(v.seat).is_some_and(|m| m.present && !m.observer);
    if drives {
        if double {
            return act(A::Zoom { on: !w.zoom });
        }
        if pane == w.focus {
            return Vec::new();
        }
        return match w.tour {
            Some(_) => act(A::Tour { step: Some(pane) }),
            None => act(A::Focus { pane }),
        };
    }
    let mut lens = v.lens_now(s);
    let zoom = lens.view(w).zoom;
    lens.focus(w, pane);
    if double {
        lens.zoom(w, !zoom);
    }
    v.lens = lens;
    v.lens_segment = Some(i);
    Vec::new()
}
