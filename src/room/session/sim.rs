//! A walkthrough of a drill's simulated vista: the scenario's drill runs on its own (nobody
//! plays it), one drill beat per beat of its tempo, and each signal is a chart pane in a
//! [`VistaSnapshot`], so every seat draws it as it draws a live vista. A team can rehearse a
//! walkthrough without real telemetry.

use crate::drill::{Action, Drill, Input};
use crate::scenario::Scenario;
use crate::vista::config::{Display, FileDef, PaneDef, SourceDef, VistaConfig};
use crate::vista::ring::Ring;
use crate::vista::snapshot::VistaSnapshot;
use crate::vista::state::{PaneState, Series, Status};
use std::sync::Arc;
use std::time::Duration;

/// Points kept per simulated series.
const HISTORY: usize = 600;

/// The simulation behind a walkthrough of a scenario.
pub struct SimVista {
    drill: Drill,
    config: Arc<VistaConfig>,
    states: Vec<PaneState>,
    /// Drill beats per session beat, kept as a remainder in drill-beat × session-bpm units.
    carry: u64,
    session_bpm: u64,
    version: u64,
    snapshot: Arc<VistaSnapshot>,
}

impl SimVista {
    /// A simulation of `scenario` seeded with `seed`; `beat_seconds` is one session beat.
    pub fn new(scenario: Arc<Scenario>, seed: u64, beat_seconds: f64) -> SimVista {
        let panes = scenario
            .signals
            .iter()
            .map(|s| PaneDef {
                id: s.id.clone(),
                title: s.name.clone(),
                kind: Display::Chart,
                note: s.note.clone(),
                refresh: Duration::from_secs_f64(beat_seconds.max(0.001)),
                timeout: Duration::from_secs(5),
                span: 1,
                height: 1,
                unit: s.unit.clone(),
                min: Some(s.min),
                max: Some(s.max),
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
            history: HISTORY,
            panes,
            annotations: Vec::new(),
        });
        let states = scenario
            .signals
            .iter()
            .map(|s| {
                let mut st = PaneState::new(HISTORY, 1);
                st.series.push(Series {
                    id: s.id.clone(),
                    label: s.name.clone(),
                    unit: s.unit.clone(),
                    points: Ring::new(HISTORY),
                });
                st
            })
            .collect();
        let snapshot = Arc::new(VistaSnapshot::new(&config, Vec::new()));
        let mut drill = Drill::new(scenario, seed);
        // Nobody plays it; a seat is needed for the drill to run on its own.
        drill.apply(&Input::new(
            0,
            Action::Join {
                name: "vista".into(),
                role: None,
            },
        ));
        SimVista {
            drill,
            config,
            states,
            carry: 0,
            session_bpm: 60,
            version: 0,
            snapshot,
        }
    }

    /// The session's tempo, to convert its beats into the drill's.
    pub fn set_session_bpm(&mut self, bpm: u32) {
        self.session_bpm = u64::from(bpm.max(1));
    }

    /// One session beat went by at unix time `now`: the drill's beats for it are played and
    /// each signal's value is added to its pane.
    pub fn beat(&mut self, now: f64) {
        let due = u64::from(self.drill.bpm) + self.carry;
        self.carry = due % self.session_bpm;
        let beats = due / self.session_bpm;
        for _ in 0..beats {
            if self.drill.is_ended() {
                break;
            }
            self.drill.apply(&Input::new(0, Action::Tick));
        }
        for (st, sig) in self.states.iter_mut().zip(&self.drill.signals) {
            if let Some(series) = st.series.first_mut() {
                series.points.push((now, sig.value));
            }
            st.status = Status::Ok;
            st.last_success = Some(now);
            st.polls += 1;
        }
        self.version += 1;
        let mut snap = VistaSnapshot::new(&self.config, self.states.clone());
        snap.version = self.version;
        self.snapshot = Arc::new(snap);
    }

    pub fn snapshot(&self) -> Arc<VistaSnapshot> {
        self.snapshot.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_beat_adds_a_point_to_every_signal() {
        let s = crate::scenario::bundled()
            .into_iter()
            .find(|e| e.scenario.meta.id == "bad-deploy")
            .unwrap()
            .scenario;
        let n = s.signals.len();
        let mut sim = SimVista::new(s, 1, 1.0);
        sim.set_session_bpm(60);
        for t in 0..5 {
            sim.beat(1000.0 + f64::from(t));
        }
        let snap = sim.snapshot();
        assert_eq!(snap.panes.len(), n);
        for p in &snap.panes {
            assert_eq!(p.state.status, Status::Ok);
            assert_eq!(p.state.series[0].points.len(), 5);
        }
        assert!(sim.drill.beat >= 5, "the drill ran at its own tempo");
    }
}
