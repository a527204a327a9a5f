//! The walkthrough's keys and clicks: the presenter's focus, zoom, tour, range and pan go to
//! the room for everyone; anyone else's focus, zoom, range and pan only move their own lens
//! (looking around).

use super::{Need, Out, act, may, say, walkthrough};
use crate::keymap::{self, Act, Scope};
use crate::session::walkthrough::{MAX_PAN, Pan, Walkthrough};
use crate::session::{Session, SessionAction as A};
use crate::ui::session::SessionSeat;

/// The time ranges `[` and `]` step through, in seconds.
pub(super) const RANGES: &[u64] = &[
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

/// Focus and zoom: the presenter's move everyone; anyone else looks around alone.
pub(super) fn look(v: &mut SessionSeat, a: Act, s: &Session) -> Out {
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

/// The presenter's tour.
pub(super) fn present(v: &mut SessionSeat, a: Act, s: &Session) -> Out {
    if !may(v, s, Need::Presenter, "start or stop the tour") {
        return Vec::new();
    }
    let Some((_, w)) = walkthrough(v, s) else {
        return Vec::new();
    };
    if w.vista.is_none() {
        say(v, "the vista is not shown yet", true);
        return Vec::new();
    }
    match a {
        Act::Tour if w.tour.is_some() => act(A::Tour { step: None }),
        Act::Tour => act(A::Tour {
            step: Some(w.focus),
        }),
        _ => Vec::new(),
    }
}

/// The charts' time: range shorter or longer, pan back or forward a quarter of the range
/// (paused there, as the vista's pan is), back to live. The presenter's move everyone; anyone
/// else's move their own lens (looking around, with its own range and pan).
pub(super) fn time(v: &mut SessionSeat, a: Act, s: &Session) -> Out {
    let Some((i, w)) = walkthrough(v, s) else {
        return Vec::new();
    };
    if w.vista.is_none() {
        say(v, "the vista is not shown yet", true);
        return Vec::new();
    }
    let bpm = s.plan.setlist.bpm;
    let drives =
        s.presenter == Some(v.seat) && s.seat(v.seat).is_some_and(|m| m.present && !m.observer);
    let mut lens = v.lens_now(s);
    let view = lens.view(w);
    let behind = view.pan.behind(s.beat, w.pace(), bpm);
    let step = (view.range / 4).max(1);
    let (range, pan) = match a {
        Act::RangeShorter => match RANGES.iter().rev().find(|r| **r < view.range) {
            Some(&r) => (r, None),
            None => return edge(v, "the charts are at the shortest range"),
        },
        Act::RangeLonger => match RANGES.iter().find(|r| **r > view.range) {
            Some(&r) => (r, None),
            None => return edge(v, "the charts are at the longest range"),
        },
        Act::PanBack if behind >= MAX_PAN => {
            return edge(v, "the charts are as far back as a pan goes");
        }
        Act::PanBack => (view.range, Some(((behind + step).min(MAX_PAN), true))),
        Act::PanForward | Act::Live if view.pan.is_live() => {
            return edge(v, "the charts are already live");
        }
        Act::PanForward if behind > step => (view.range, Some((behind - step, true))),
        Act::PanForward | Act::Live => (view.range, Some((0, false))),
        _ => return Vec::new(),
    };
    if drives {
        return match pan {
            Some((back, paused)) => act(A::Pan { back, paused }),
            None => act(A::Range { seconds: range }),
        };
    }
    match pan {
        Some((back, paused)) => lens.pan(w, Pan::new(back, paused, s.beat)),
        None => lens.range(w, range),
    }
    v.lens = lens;
    v.lens_segment = Some(i);
    let who = s.presenter.map_or("the presenter", |p| s.seat_name(p));
    let key = keymap::key_label(Scope::Session, Act::LookAround);
    let view = lens.view(w);
    let at = when(&view, w, s).unwrap_or_else(|| "live".into());
    say(
        v,
        format!(
            "looking around on your own: range {} · {at} · {key} snaps back to {who}",
            crate::session::format_duration(view.range)
        ),
        false,
    );
    Vec::new()
}

/// Where a view's charts end when they are not live, for the lens line and the status line:
/// `paused 15m ago` (the window stays put) or `15m behind live` (it trails live).
pub(in crate::ui::session) fn when(
    view: &crate::session::walkthrough::View,
    w: &Walkthrough,
    s: &Session,
) -> Option<String> {
    if view.pan.is_live() {
        return None;
    }
    let behind =
        crate::session::format_duration(view.pan.behind(s.beat, w.pace(), s.plan.setlist.bpm));
    Some(if view.pan.paused {
        format!("paused {behind} ago")
    } else {
        format!("{behind} behind live")
    })
}

fn edge(v: &mut SessionSeat, what: &str) -> Out {
    say(v, what, false);
    Vec::new()
}

/// A click on a pane of the walkthrough: the presenter focuses it for everyone (a double
/// click zooms); anyone else looks at it on their own.
pub(super) fn click_pane(v: &mut SessionSeat, s: &Session, pane: usize, double: bool) -> Out {
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
