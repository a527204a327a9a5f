//! The walkthrough's keys and clicks: the presenter's focus, zoom, tour and range go to the
//! room for everyone; anyone else's focus and zoom only move their own lens (looking around).

use super::{Need, Out, act, may, say, walkthrough};
use crate::keymap::{self, Act, Scope};
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

/// The presenter's tour and time range.
pub(super) fn present(v: &mut SessionSeat, a: Act, s: &Session) -> Out {
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
