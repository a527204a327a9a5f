//! The walkthrough: the presenter's vista shown on every seat. The shared state
//! ([`Walkthrough`]) is what the presenter drives (focus, zoom, tour step, time range) and the
//! remarks dropped on panes; a seat's [`Lens`] is view-only state on top of it: follow the
//! presenter (the default) or look around alone and snap back. Lenses never leave the seat.

use super::apply::Refusal;
use super::input::{SessionAction, SessionEvent, VistaShape};
use super::state::{Activity, Session};
use super::{SeatId, clean, limits};
use serde::Serialize;

/// The shared state of a walkthrough segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Walkthrough {
    /// The vista shown, once the shell has loaded it.
    pub vista: Option<VistaShape>,
    pub focus: usize,
    pub zoom: bool,
    /// The tour's step (a pane, whose note is shown), or `None` when the tour is off.
    pub tour: Option<usize>,
    /// The time range the charts show, in seconds.
    pub range: u64,
    pub remarks: Vec<Remark>,
}

/// A question or remark on a pane, shown beside it for everyone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Remark {
    pub beat: u64,
    pub seat: SeatId,
    pub pane: usize,
    /// The pane's title when the remark was made (it goes into the write-up).
    pub pane_title: String,
    pub text: String,
    pub question: bool,
}

impl Walkthrough {
    pub fn new(range: u64) -> Walkthrough {
        Walkthrough {
            vista: None,
            focus: 0,
            zoom: false,
            tour: None,
            range,
            remarks: Vec::new(),
        }
    }

    pub fn panes(&self) -> usize {
        self.vista.as_ref().map_or(0, |v| v.panes.len())
    }

    /// The remarks on one pane, oldest first.
    pub fn remarks_on(&self, pane: usize) -> impl Iterator<Item = &Remark> {
        self.remarks.iter().filter(move |r| r.pane == pane)
    }
}

/// One seat's way of looking at the walkthrough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Lens {
    /// Looking around alone (`false`: following the presenter).
    pub looking: bool,
    pub focus: usize,
    pub zoom: bool,
}

/// What a seat draws: the presenter's view, or its own while it looks around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub focus: usize,
    pub zoom: bool,
    pub tour: Option<usize>,
    pub range: u64,
    pub following: bool,
}

impl Lens {
    /// Starts looking around from wherever the presenter is.
    pub fn look_around(&mut self, w: &Walkthrough) {
        if !self.looking {
            *self = Lens {
                looking: true,
                focus: w.focus,
                zoom: w.zoom,
            };
        }
    }

    /// Back to following the presenter.
    pub fn snap_back(&mut self) {
        self.looking = false;
    }

    /// Moves this seat's own focus (looking around from now on), kept within the panes.
    pub fn focus(&mut self, w: &Walkthrough, pane: usize) {
        self.look_around(w);
        self.focus = pane.min(w.panes().saturating_sub(1));
    }

    pub fn zoom(&mut self, w: &Walkthrough, on: bool) {
        self.look_around(w);
        self.zoom = on;
    }

    pub fn view(&self, w: &Walkthrough) -> View {
        let last = w.panes().saturating_sub(1);
        if self.looking {
            View {
                focus: self.focus.min(last),
                zoom: self.zoom,
                tour: None,
                range: w.range,
                following: false,
            }
        } else {
            View {
                focus: w.focus.min(last),
                zoom: w.zoom,
                tour: w.tour,
                range: w.range,
                following: true,
            }
        }
    }

    /// The pane a remark from this seat lands on: the one in its focus.
    pub fn remark_pane(&self, w: &Walkthrough) -> usize {
        self.view(w).focus
    }
}

// ---- what the presenter and the participants do in a walkthrough ----

impl Session {
    pub(super) fn walkthrough_mut(&mut self) -> Result<&mut Walkthrough, Refusal> {
        let i = self.current().ok_or("no segment is running")?;
        match &mut self.segments[i].activity {
            Activity::Walkthrough(w) if w.vista.is_some() => Ok(w),
            Activity::Walkthrough(_) => Err("the vista is not shown yet".into()),
            _ => Err("this is not a walkthrough".into()),
        }
    }

    pub(super) fn remark(
        &mut self,
        seat: SeatId,
        pane: Option<usize>,
        text: &str,
        question: bool,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let text = clean(text, limits::TEXT);
        let beat = self.beat;
        let w = self.walkthrough_mut()?;
        let pane = pane.unwrap_or(w.focus);
        let title = match w.vista.as_ref().and_then(|v| v.panes.get(pane)) {
            Some(p) => p.title.clone(),
            None => return Err(format!("the vista has no pane {}", pane + 1)),
        };
        if text.is_empty() {
            return Err("an empty remark".into());
        }
        if w.remarks.len() >= limits::NOTES {
            return Err(format!("at most {} remarks here", limits::NOTES));
        }
        w.remarks.push(Remark {
            beat,
            seat,
            pane,
            pane_title: title,
            text,
            question,
        });
        out.push(SessionEvent::Remarked { seat, pane });
        Ok(())
    }

    pub(super) fn drive(
        &mut self,
        seat: SeatId,
        action: &SessionAction,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        if self.presenter != Some(seat) {
            return Err("only the presenter drives the walkthrough".into());
        }
        let w = self.walkthrough_mut()?;
        let panes = w.panes();
        let in_vista = |p: usize| {
            if p < panes {
                Ok(p)
            } else {
                Err(format!("the vista has {panes} panes"))
            }
        };
        match action {
            SessionAction::Focus { pane } => w.focus = in_vista(*pane)?,
            SessionAction::Zoom { on } => w.zoom = *on,
            SessionAction::Tour { step: None } => w.tour = None,
            SessionAction::Tour { step: Some(s) } => {
                w.focus = in_vista(*s)?;
                w.tour = Some(*s);
            }
            SessionAction::Range { seconds } => {
                if !(60..=30 * 86_400).contains(seconds) {
                    return Err("the time range must be between 1m and 30d".into());
                }
                w.range = *seconds;
            }
            _ => return Err("not a walkthrough action".into()),
        }
        out.push(SessionEvent::Drove { seat });
        Ok(())
    }

    pub(super) fn show_vista(
        &mut self,
        segment: usize,
        vista: &super::VistaShape,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let Some(Activity::Walkthrough(w)) =
            self.segments.get_mut(segment).map(|s| &mut s.activity)
        else {
            return Err(format!("segment {segment} is not a walkthrough"));
        };
        let mut v = super::VistaShape {
            title: clean(&vista.title, 120),
            source: clean(&vista.source, 200),
            panes: vista.panes.iter().take(limits::PANES).cloned().collect(),
        };
        for p in &mut v.panes {
            p.id = clean(&p.id, 64);
            p.title = clean(&p.title, 120);
        }
        let n = v.panes.len();
        w.vista = Some(v);
        if w.focus >= n {
            w.focus = 0;
        }
        if w.tour.is_some_and(|t| t >= n) {
            w.tour = None;
        }
        out.push(SessionEvent::VistaShown { segment });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::input::PaneName;

    fn shown() -> Walkthrough {
        let mut w = Walkthrough::new(3600);
        w.vista = Some(VistaShape {
            title: "t".into(),
            source: "test".into(),
            panes: (0..3)
                .map(|i| PaneName {
                    id: format!("p{i}"),
                    title: format!("P{i}"),
                })
                .collect(),
        });
        w
    }

    #[test]
    fn follow_look_around_and_snap_back() {
        let mut w = shown();
        let mut lens = Lens::default();
        w.focus = 1;
        assert_eq!(lens.view(&w).focus, 1);
        lens.focus(&w, 9);
        w.focus = 0;
        assert_eq!(lens.view(&w).focus, 2, "looking around keeps its own focus");
        assert_eq!(lens.remark_pane(&w), 2);
        lens.snap_back();
        assert!(lens.view(&w).following);
        assert_eq!(lens.view(&w).focus, 0);
    }
}
