//! A walkthrough of a drill's simulated vista: the scenario's drill runs on its own (nobody
//! plays it) on the session's logical clock, its tempo's drill beats for each session beat,
//! and each signal is a chart pane in a [`VistaSnapshot`], so every seat draws it as it draws a
//! live vista. Every point carries its story time (the drill's beat times the scenario's story
//! seconds a beat, 0 at the drill's start) and the snapshot's clock reads the story's now, so a
//! range of an hour shows an hour of the story. The window before the story is backfilled at
//! the start from the signals' own model (each at its baseline with its noise and inertia, from
//! a generator seeded by the session's seed), so the charts are full from the first frame and
//! two runs of one seed draw the same. A team can rehearse a walkthrough without real telemetry.

use crate::drill::{Action, Drill, Input, Rng};
use crate::scenario::Scenario;
use crate::scenario::limits::VALUE_LIMIT;
use crate::vista::config::{Display, FileDef, PaneDef, SourceDef, VistaConfig};
use crate::vista::ring::Ring;
use crate::vista::snapshot::VistaSnapshot;
use crate::vista::state::{PaneState, Series, Status};
use std::sync::Arc;
use std::time::Duration;

/// Points kept per simulated series, at least.
const HISTORY: usize = 600;
/// Points kept per simulated series, at most (enough for a long range at a short story beat).
const MAX_HISTORY: usize = 8192;
/// Kept in the backfill generator's seed, apart from the drill's own stream.
const BACKFILL_SALT: u64 = 0x7669_7374_615f_6266;

/// The simulation behind a walkthrough of a scenario.
pub struct SimVista {
    drill: Drill,
    config: Arc<VistaConfig>,
    states: Vec<PaneState>,
    /// Story seconds a drill beat.
    story_beat: f64,
    /// Drill beats of story since the start: the drill's own beat while it runs, going on
    /// after it ends (the signals then hold their last values), so the story's clock never
    /// stops while the walkthrough lasts.
    story_beats: u64,
    /// Drill beats per session beat, kept as a remainder in drill-beat × session-bpm units.
    carry: u64,
    session_bpm: u64,
    version: u64,
    snapshot: Arc<VistaSnapshot>,
}

impl SimVista {
    /// A simulation of `scenario` seeded with `seed`, its window before the story backfilled
    /// for a walkthrough whose charts open at `range` seconds.
    pub fn new(scenario: Arc<Scenario>, seed: u64, range: u64) -> SimVista {
        let story_beat = f64::from(scenario.tempo.story_seconds_per_beat.max(1));
        // Room for the opening range a few times over: to pan back and zoom out in.
        let history = usize::try_from(range.saturating_mul(4) / story_beat as u64)
            .unwrap_or(MAX_HISTORY)
            .clamp(HISTORY, MAX_HISTORY);
        let panes = scenario
            .signals
            .iter()
            .map(|s| PaneDef {
                id: s.id.clone(),
                title: s.name.clone(),
                kind: Display::Chart,
                note: s.note.clone(),
                refresh: Duration::from_secs_f64(story_beat),
                timeout: Duration::from_secs(5),
                span: 1,
                height: 1,
                unit: s.unit.clone(),
                // A bound the scenario left open (the type's extreme) scales to the data.
                min: (s.min >= -VALUE_LIMIT).then_some(s.min),
                max: (s.max <= VALUE_LIMIT).then_some(s.max),
                warn: None,
                crit: None,
                // Never polled: the simulation fills the pane.
                source: SourceDef::File(FileDef {
                    path: format!("scenario {}", scenario.meta.id).into(),
                    lines: 1,
                    highlight: Vec::new(),
                }),
            })
            .collect::<Vec<_>>();
        let config = Arc::new(VistaConfig {
            title: scenario.meta.title.clone(),
            refresh: Duration::from_secs(1),
            timeout: Duration::from_secs(5),
            max_backoff: Duration::from_secs(30),
            columns: 3,
            history,
            panes,
            annotations: Vec::new(),
        });
        let mut rng = Rng::new(seed ^ BACKFILL_SALT);
        let states = scenario
            .signals
            .iter()
            .map(|s| {
                let mut st = PaneState::new(history, 1);
                let mut points = Ring::new(history);
                // Before the story: the signal at its baseline, with its noise and inertia.
                let base = s.base(0);
                let mut value = base;
                for k in (1..history).rev() {
                    let target = base + rng.gauss() * s.noise;
                    value += (target - value) * (1.0 - s.inertia);
                    value = if value.is_finite() { value } else { base };
                    value = value.max(s.min).min(s.max);
                    points.push((-(k as f64) * story_beat, value));
                }
                st.series.push(Series {
                    id: s.id.clone(),
                    label: s.name.clone(),
                    unit: s.unit.clone(),
                    points,
                });
                st
            })
            .collect();
        let mut drill = Drill::new(scenario, seed);
        // Nobody plays it; a seat is needed for the drill to run on its own.
        drill.apply(&Input::new(
            0,
            Action::Join {
                name: "vista".into(),
                role: None,
            },
        ));
        let mut sim = SimVista {
            drill,
            config: config.clone(),
            states,
            story_beat,
            story_beats: 0,
            carry: 0,
            session_bpm: 60,
            version: 0,
            snapshot: Arc::new(VistaSnapshot::new(&config, Vec::new())),
        };
        // The story's first beat, already played by the drill.
        sim.sample();
        sim.publish();
        sim
    }

    /// The session's tempo, to convert its beats into the drill's.
    pub fn set_session_bpm(&mut self, bpm: u32) {
        self.session_bpm = u64::from(bpm.max(1));
    }

    /// The story time now, in story seconds from the drill's start.
    pub fn story_now(&self) -> f64 {
        self.story_beats as f64 * self.story_beat
    }

    /// One session beat went by: the drill's beats for it are played, each adding every
    /// signal's value to its pane at its story time (after the drill's end, its last values).
    pub fn beat(&mut self) {
        let due = u64::from(self.drill.bpm) + self.carry;
        self.carry = due % self.session_bpm;
        let beats = due / self.session_bpm;
        for _ in 0..beats {
            if !self.drill.is_ended() {
                self.drill.apply(&Input::new(0, Action::Tick));
            }
            self.story_beats += 1;
            self.sample();
        }
        if beats > 0 {
            self.publish();
        }
    }

    /// Each signal's value now, at the story's now.
    fn sample(&mut self) {
        let now = self.story_now();
        for (st, sig) in self.states.iter_mut().zip(&self.drill.signals) {
            if let Some(series) = st.series.first_mut() {
                series.points.push((now, sig.value));
            }
            st.status = Status::Ok;
            st.last_success = Some(now);
            st.polls += 1;
        }
    }

    fn publish(&mut self) {
        self.version += 1;
        let mut snap = VistaSnapshot::new(&self.config, self.states.clone());
        snap.version = self.version;
        snap.clock = Some(self.story_now());
        self.snapshot = Arc::new(snap);
    }

    pub fn snapshot(&self) -> Arc<VistaSnapshot> {
        self.snapshot.clone()
    }
}

/// The columns of `area` in `buf` where a chart drew (a braille dot), for tests of how much
/// of a chart's width its points cover.
#[cfg(test)]
pub(crate) fn drawn_columns(buf: &ratatui::buffer::Buffer, area: ratatui::layout::Rect) -> usize {
    (area.left()..area.right())
        .filter(|&x| {
            (area.top()..area.bottom()).any(|y| {
                buf[(x, y)]
                    .symbol()
                    .chars()
                    .any(|c| ('\u{2801}'..='\u{28ff}').contains(&c))
            })
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::vista::nav::TimeNav;
    use crate::ui::vista::{Look, draw_pane_with};
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    fn bad_deploy() -> Arc<Scenario> {
        crate::scenario::bundled()
            .into_iter()
            .find(|e| e.scenario.meta.id == "bad-deploy")
            .unwrap()
            .scenario
    }

    /// The first pane of `sim` drawn 100 columns wide at a window of `range` seconds.
    fn draw(sim: &SimVista, range: f64) -> Buffer {
        let snap = sim.snapshot();
        let area = Rect::new(0, 0, 100, 14);
        let mut buf = Buffer::empty(area);
        let nav = TimeNav {
            span: Some(range),
            ..TimeNav::default()
        };
        let look = Look {
            nav: &nav,
            ..Look::plain()
        };
        let theme = crate::ui::theme::Theme::bundled("dark").unwrap();
        draw_pane_with(
            &mut buf,
            area,
            &snap.panes[0],
            snap.clock.expect("a story clock"),
            true,
            &theme,
            &look,
        );
        buf
    }

    #[test]
    fn each_drill_beat_adds_a_point_at_its_story_time() {
        let s = bad_deploy();
        let n = s.signals.len();
        let story = f64::from(s.tempo.story_seconds_per_beat);
        let mut sim = SimVista::new(s.clone(), 1, 3600);
        sim.set_session_bpm(60);
        let snap = sim.snapshot();
        let before = snap.panes[0].state.series[0].points.len();
        assert_eq!(
            (snap.panes[0].def.min, snap.panes[0].def.max),
            (Some(0.0), None),
            "requests/s has no upper bound: its chart scales to its points"
        );
        assert_eq!(before, HISTORY, "the window before the story is backfilled");
        for _ in 0..5 {
            sim.beat();
        }
        let snap = sim.snapshot();
        assert_eq!(snap.panes.len(), n);
        assert!(sim.drill.beat >= 5, "the drill ran at its own tempo");
        let now = sim.drill.beat as f64 * story;
        assert_eq!(snap.clock, Some(now), "the snapshot reads story time");
        assert_eq!(sim.story_now(), now);
        for p in &snap.panes {
            assert_eq!(p.state.status, Status::Ok);
            let pts: Vec<_> = p.state.series[0].points.iter().copied().collect();
            assert_eq!(pts.last().unwrap().0, now, "stamped with the story's now");
            assert!(
                pts.windows(2).all(|w| w[1].0 - w[0].0 == story),
                "a story beat apart, the backfill included"
            );
        }
        // At 120 session BPM the 60 BPM drill plays a beat every other session beat.
        let mut slow = SimVista::new(s, 1, 3600);
        slow.set_session_bpm(120);
        for _ in 0..4 {
            slow.beat();
        }
        assert_eq!(slow.drill.beat, 2);
    }

    #[test]
    fn the_story_clock_goes_on_after_the_drill_ends() {
        let s = bad_deploy();
        let story = f64::from(s.tempo.story_seconds_per_beat);
        let length = s.length_beats;
        let mut sim = SimVista::new(s, 1, 3600);
        sim.set_session_bpm(60);
        for _ in 0..length + 20 {
            sim.beat();
        }
        assert!(sim.drill.is_ended());
        let snap = sim.snapshot();
        let now = (length + 20) as f64 * story;
        assert_eq!(snap.clock, Some(now), "the story's clock did not stop");
        let pts: Vec<_> = snap.panes[0].state.series[0]
            .points
            .iter()
            .copied()
            .collect();
        assert_eq!(pts.last().unwrap().0, now);
        let held = pts.iter().rev().take(10).map(|p| p.1).collect::<Vec<_>>();
        assert!(
            held.windows(2).all(|w| w[0] == w[1]),
            "the last values held: {held:?}"
        );
    }

    #[test]
    fn at_an_hour_the_chart_covers_its_width_from_the_first_frame_and_one_seed_draws_the_same() {
        let s = bad_deploy();
        let sim = SimVista::new(s.clone(), 1, 3600);
        let first = draw(&sim, 3600.0);
        let cols = drawn_columns(&first, first.area);
        assert!(cols >= 80, "{cols} of 100 columns drawn at 1h");
        let run = |seed: u64| {
            let mut sim = SimVista::new(s.clone(), seed, 3600);
            sim.set_session_bpm(60);
            for _ in 0..90 {
                sim.beat();
            }
            draw(&sim, 3600.0)
        };
        let (a, b) = (run(1), run(1));
        assert_eq!(a, b, "one seed, the same chart");
        assert!(drawn_columns(&a, a.area) >= 80);
        assert_ne!(a, run(2), "another seed, another chart");
    }
}
