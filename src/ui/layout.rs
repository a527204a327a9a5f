//! Where each pane goes for a given terminal size: a condensed layout for 80x24 and a roomier
//! one for larger terminals; a zoomed pane takes the whole body.

use super::seat::Pane;
use ratatui::layout::Rect;

/// The smallest size the console draws at; below it a notice is shown instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Rectangles for every part of the console. A hidden part has an empty rect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub signals: Rect,
    pub health: Rect,
    pub feed: Rect,
    pub runbook: Rect,
    pub cues: Rect,
    pub timeline: Rect,
    pub status: Rect,
    /// Condensed: cues laid out in a grid strip, signals as one-line sparklines.
    pub condensed: bool,
}

impl Areas {
    pub fn pane(&self, pane: Pane) -> Rect {
        match pane {
            Pane::Signals => self.signals,
            Pane::Health => self.health,
            Pane::Feed => self.feed,
            Pane::Runbook => self.runbook,
            Pane::Cues => self.cues,
        }
    }

    fn set(&mut self, pane: Pane, r: Rect) {
        match pane {
            Pane::Signals => self.signals = r,
            Pane::Health => self.health = r,
            Pane::Feed => self.feed = r,
            Pane::Runbook => self.runbook = r,
            Pane::Cues => self.cues = r,
        }
    }
}

fn rows(r: Rect, top: u16) -> (Rect, Rect) {
    let top = top.min(r.height);
    (
        Rect { height: top, ..r },
        Rect {
            y: r.y + top,
            height: r.height - top,
            ..r
        },
    )
}

fn cols(r: Rect, left: u16) -> (Rect, Rect) {
    let left = left.min(r.width);
    (
        Rect { width: left, ..r },
        Rect {
            x: r.x + left,
            width: r.width - left,
            ..r
        },
    )
}

/// Lays out the console in `area` with `n_signals` signals and `n_cues` cues.
pub fn layout(area: Rect, zoom: Option<Pane>, n_signals: usize, n_cues: usize) -> Areas {
    let mut a = Areas::default();
    let condensed = area.width < 110 || area.height < 32;
    a.condensed = condensed;
    let (rest, status) = rows(area, area.height.saturating_sub(1));
    a.status = status;
    let timeline_h = if condensed { 3 } else { 4 };
    let (rest, timeline) = rows(rest, rest.height.saturating_sub(timeline_h));
    a.timeline = timeline;
    let body = if condensed {
        rest
    } else {
        let (header, body) = rows(rest, 1);
        a.header = header;
        body
    };
    if let Some(p) = zoom {
        a.set(p, body);
        return a;
    }
    if condensed {
        let cue_cols = (body.width / 26).max(1) as usize;
        let cue_rows = n_cues.div_ceil(cue_cols).clamp(1, 4) as u16;
        let (main, cues) = rows(body, body.height.saturating_sub(cue_rows + 2));
        a.cues = cues;
        let (left, right) = cols(main, main.width * 55 / 100);
        let sig_h = (n_signals as u16 + 2).min(left.height * 2 / 3);
        let (signals, health) = rows(left, sig_h);
        a.signals = signals;
        a.health = health;
        let (feed, runbook) = rows(right, right.height * 3 / 5);
        a.feed = feed;
        a.runbook = runbook;
    } else {
        let (left, right) = cols(body, body.width * 58 / 100);
        let (signals, health) = rows(left, left.height * 64 / 100);
        a.signals = signals;
        a.health = health;
        let cues_h = (n_cues as u16 + 2).clamp(4, right.height / 3);
        let (top, cues) = rows(right, right.height.saturating_sub(cues_h));
        let (feed, runbook) = rows(top, top.height * 55 / 100);
        a.feed = feed;
        a.runbook = runbook;
        a.cues = cues;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_fits_inside() {
        for w in [1u16, 10, 40, 80, 120, 200, 500] {
            for h in [1u16, 5, 12, 24, 40, 60, 200] {
                let area = Rect::new(0, 0, w, h);
                for zoom in [None, Some(Pane::Feed)] {
                    let a = layout(area, zoom, 5, 9);
                    for r in [
                        a.header, a.signals, a.health, a.feed, a.runbook, a.cues, a.timeline,
                        a.status,
                    ] {
                        assert!(
                            r.right() <= area.right() && r.bottom() <= area.bottom(),
                            "{w}x{h} {r:?}"
                        );
                    }
                }
            }
        }
    }
}
