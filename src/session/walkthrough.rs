//! The walkthrough: the presenter's vista shown on every seat. The shared state
//! ([`Walkthrough`]) is what the presenter drives (focus, zoom, tour step, time range and pan)
//! and the remarks dropped on panes; a seat's [`Lens`] is view-only state on top of it: follow
//! the presenter (the default) or look around alone and snap back. Lenses never leave the seat.

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
    /// Where the charts' window ends: live, or panned back. Left out of the fingerprint while
    /// live, so sessions recorded before there was a pan keep their state hashes.
    #[serde(skip_serializing_if = "Pan::is_live")]
    pub pan: Pan,
    pub remarks: Vec<Remark>,
}

/// Where the charts' time window ends: at live (now), or panned back from it. Shared in the
/// walkthrough (the presenter's pan, which followers draw at) and kept by a seat that looks
/// around. Counted in the vista's own seconds (story seconds for a simulated vista).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Pan {
    /// Seconds behind live when it was set (0: at live).
    pub back: u64,
    /// Paused: the window stays where it was put while time goes on (its offset from live
    /// grows), as a panned vista's does; else it trails live by `back`.
    pub paused: bool,
    /// The session beat it was set at (0 while live), from which a paused window's offset grows.
    pub since: u64,
}

/// The furthest back a pan goes, in seconds (the longest range).
pub const MAX_PAN: u64 = 30 * 86_400;

impl Pan {
    pub const LIVE: Pan = Pan {
        back: 0,
        paused: false,
        since: 0,
    };

    /// A pan set at session beat `since`: `back` seconds behind live, paused there or trailing.
    pub fn new(back: u64, paused: bool, since: u64) -> Pan {
        if back == 0 && !paused {
            Pan::LIVE
        } else {
            Pan {
                back: back.min(MAX_PAN),
                paused,
                since,
            }
        }
    }

    /// Whether the window's right edge is now.
    pub fn is_live(&self) -> bool {
        self.back == 0 && !self.paused
    }

    /// Seconds behind live at session beat `beat`, for a vista whose clock runs `pace` seconds
    /// a minute of a session at `bpm` (see [`VistaShape::pace`]).
    pub fn behind(&self, beat: u64, pace: u64, bpm: u32) -> u64 {
        if !self.paused {
            return self.back;
        }
        let grown = beat.saturating_sub(self.since).saturating_mul(pace) / u64::from(bpm.max(1));
        self.back.saturating_add(grown)
    }
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
            pan: Pan::LIVE,
            remarks: Vec::new(),
        }
    }

    /// The vista clock's seconds per minute of the session (60 until the vista is shown).
    pub fn pace(&self) -> u64 {
        self.vista.as_ref().map_or(60, VistaShape::pace)
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
    /// This seat's own time range and pan while it looks around.
    pub range: u64,
    pub pan: Pan,
}

/// What a seat draws: the presenter's view, or its own while it looks around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub focus: usize,
    pub zoom: bool,
    pub tour: Option<usize>,
    pub range: u64,
    pub pan: Pan,
    pub following: bool,
}

impl Lens {
    /// Starts looking around from wherever the presenter is (their pane, zoom, range, pan).
    pub fn look_around(&mut self, w: &Walkthrough) {
        if !self.looking {
            *self = Lens {
                looking: true,
                focus: w.focus,
                zoom: w.zoom,
                range: w.range,
                pan: w.pan,
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

    /// This seat's own time range (looking around from now on).
    pub fn range(&mut self, w: &Walkthrough, seconds: u64) {
        self.look_around(w);
        self.range = seconds;
    }

    /// This seat's own pan (looking around from now on).
    pub fn pan(&mut self, w: &Walkthrough, pan: Pan) {
        self.look_around(w);
        self.pan = pan;
    }

    pub fn view(&self, w: &Walkthrough) -> View {
        let last = w.panes().saturating_sub(1);
        if self.looking {
            View {
                focus: self.focus.min(last),
                zoom: self.zoom,
                tour: None,
                range: self.range,
                pan: self.pan,
                following: false,
            }
        } else {
            View {
                focus: w.focus.min(last),
                zoom: w.zoom,
                tour: w.tour,
                range: w.range,
                pan: w.pan,
                following: true,
            }
        }
    }

    /// Seconds the seat's charts end behind live at session beat `beat` (0: live).
    pub fn behind(&self, w: &Walkthrough, beat: u64, bpm: u32) -> u64 {
        self.view(w).pan.behind(beat, w.pace(), bpm)
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
        let beat = self.beat;
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
            SessionAction::Pan { back, paused } => {
                if *back > MAX_PAN {
                    return Err("a pan goes back at most 30d".into());
                }
                w.pan = Pan::new(*back, *paused, beat);
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
            story_pace: vista.story_pace,
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

/// A script's `pan live`, `pan DURATION` (paused there) or `pan DURATION trail` (trailing live
/// by that much), as the presenter's input; problems at their column.
pub(super) fn script_pan(
    args: &[(usize, &str)],
    wcol: usize,
) -> Result<SessionAction, (usize, String)> {
    let usage = "`pan` takes `live`, a duration (`15m`: paused there) or a duration and `trail`";
    let Some(&(col, first)) = args.first() else {
        return Err((wcol, usage.into()));
    };
    if let Some(&(c, w)) = args.get(if first == "live" { 1 } else { 2 }) {
        return Err((c, format!("{usage}, not `{w}` too")));
    }
    if first == "live" {
        return Ok(SessionAction::Pan {
            back: 0,
            paused: false,
        });
    }
    let back = super::parse_duration(first).map_err(|e| (col, format!("`pan`: {e}")))?;
    if back > MAX_PAN {
        return Err((col, "`pan` goes back at most 30d".into()));
    }
    let paused = match args.get(1) {
        None => true,
        Some((_, "trail")) => false,
        Some(&(c, w)) => return Err((c, format!("{usage}, not `{w}`"))),
    };
    Ok(SessionAction::Pan { back, paused })
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
            story_pace: None,
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

    #[test]
    fn a_paused_pan_stays_put_and_a_trailing_one_keeps_its_offset() {
        let p = Pan::new(900, true, 100);
        assert_eq!(p.behind(100, 60, 60), 900);
        assert_eq!(
            p.behind(160, 60, 60),
            960,
            "a minute later it is a minute further back"
        );
        assert_eq!(
            p.behind(160, 1800, 60),
            900 + 1800,
            "a simulated vista's story runs faster than the session"
        );
        assert_eq!(
            p.behind(130, 60, 120),
            915,
            "at 120 BPM a beat is half a second"
        );
        let t = Pan::new(900, false, 100);
        assert_eq!(t.behind(10_000, 60, 60), 900);
        assert_eq!(Pan::new(0, false, 77), Pan::LIVE);
        assert!(
            Pan::new(0, true, 5).behind(65, 60, 60) == 60,
            "paused at live: frozen"
        );
        assert_eq!(Pan::new(u64::MAX, true, 0).back, MAX_PAN);
    }

    #[test]
    fn looking_around_keeps_its_own_pan_and_range_and_snapping_back_returns_to_the_presenters() {
        let mut w = shown();
        w.pan = Pan::new(900, true, 10);
        let mut lens = Lens::default();
        let v = lens.view(&w);
        assert!(v.following);
        assert_eq!(
            (v.pan, v.range),
            (w.pan, 3600),
            "followers draw at the presenter's pan"
        );
        assert_eq!(lens.behind(&w, 70, 60), 960);
        lens.pan(&w, Pan::new(60, true, 70));
        lens.range(&w, 300);
        w.pan = Pan::LIVE;
        w.range = 86_400;
        let v = lens.view(&w);
        assert!(!v.following);
        assert_eq!((v.pan.back, v.range), (60, 300), "its own pan and range");
        lens.snap_back();
        let v = lens.view(&w);
        assert_eq!(
            (v.pan, v.range),
            (Pan::LIVE, 86_400),
            "back to the presenter's"
        );
        lens.look_around(&w);
        assert_eq!(
            lens.view(&w).pan,
            Pan::LIVE,
            "looking around starts from the presenter's"
        );
    }
}
