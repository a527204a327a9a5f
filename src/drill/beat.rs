//! One beat of the drill, in its fixed order: cues land, injects fire and prompts open on
//! schedule, effects fade and rates add up, signals move, alerts fire or resolve, conditional
//! injects and prompts follow, objectives are judged. Total on every valid scenario: no
//! arithmetic here can panic or leave a signal NaN or infinite.

use super::effects::{self, ActiveEffect};
use super::tools::{ActiveRate, ActiveView};
use super::{Drill, Event, HISTORY, PendingCue, Status};
use crate::scenario::limits::VALUE_LIMIT;
use crate::scenario::{Effect, EffectOrigin, SloMeasure};

impl Drill {
    /// Everything that happens on the current beat, in a fixed order.
    pub(super) fn play_beat(&mut self) {
        let beat = self.beat;
        let due: Vec<PendingCue> = self
            .pending
            .iter()
            .filter(|p| p.land <= beat)
            .cloned()
            .collect();
        self.pending.retain(|p| p.land > beat);
        for p in due {
            self.land(p.seat, p.cue);
        }
        for i in 0..self.scenario.injects.len() {
            let inj = &self.scenario.injects[i];
            if !self.injects_done[i] && !inj.contingency && inj.at == Some(beat) {
                self.injects_done[i] = true;
                if inj.when.is_none_or(|c| self.holds(c)) {
                    self.fire(i, false);
                } else {
                    self.push(Event::InjectSkipped { inject: i });
                }
            }
        }
        self.open_decisions_due(true);
        self.effects.retain(|e| !e.finished(beat));
        self.integrate_rates();
        self.sample_signals();
        self.count_held();
        self.evaluate_alerts();
        self.open_decisions_due(false);
        self.close_lapsed_decisions();
        self.fire_conditional_injects();
        self.evaluate_objectives(false);
        if self.status == Status::Running && beat.saturating_add(1) >= self.scenario.length_beats {
            self.end("time".into());
        }
    }

    /// Injects with a `when` and no `at` fire on the first beat their condition holds.
    fn fire_conditional_injects(&mut self) {
        let scenario = self.scenario.clone();
        for (i, inj) in scenario.injects.iter().enumerate() {
            if !self.injects_done[i]
                && inj.at.is_none()
                && !inj.contingency
                && inj.when.is_some_and(|c| self.holds(c))
            {
                self.injects_done[i] = true;
                self.fire(i, false);
            }
        }
    }

    pub(super) fn sample_signals(&mut self) {
        let beat = self.beat;
        let scenario = self.scenario.clone();
        for (i, def) in scenario.signals.iter().enumerate() {
            let noise = self.rng.gauss() * def.noise;
            // Left exactly as it was when no rate effect runs (`x + 0.0` is not `x` for -0).
            let base = if self.rates.is_empty() {
                def.base(beat)
            } else {
                def.base(beat) + self.rate_sum(i)
            };
            let target = effects::shape(base, &self.effects, i, beat) + noise;
            let st = &mut self.signals[i];
            let value = if beat == 0 {
                target
            } else {
                st.value + (target - st.value) * (1.0 - def.inertia)
            };
            st.value = settle(value, st.value, def.min, def.max);
            if st.history.len() == HISTORY {
                st.history.pop_front();
            }
            st.history.push_back(st.value as f32);
            if let Some(slo) = def.slo {
                st.bad += match slo.measure {
                    SloMeasure::Ratio => (st.value / 100.0).clamp(0.0, 1.0),
                    SloMeasure::Healthy => f64::from(u8::from(!def.is_healthy(st.value))),
                };
            }
        }
    }

    pub(super) fn evaluate_alerts(&mut self) {
        let scenario = self.scenario.clone();
        for (i, def) in scenario.alerts.iter().enumerate() {
            let breached = def.breached(self.signals[def.signal].value);
            let st = &mut self.alerts[i];
            if breached {
                st.pending = st.pending.saturating_add(1);
                if st.pending >= def.for_beats && st.firing_since.is_none() {
                    st.firing_since = Some(self.beat);
                    st.times_fired = st.times_fired.saturating_add(1);
                    self.push(Event::AlertFiring { alert: i });
                    for m in &def.marks {
                        self.mark(*m);
                    }
                }
            } else {
                st.pending = 0;
                if st.firing_since.take().is_some() {
                    self.push(Event::AlertResolved { alert: i });
                }
            }
        }
    }

    pub(super) fn start_effects(&mut self, effects: &[Effect], origin: EffectOrigin) {
        let beat = self.beat;
        for e in effects {
            match *e {
                Effect::Shape {
                    signal,
                    op,
                    attack,
                    sustain,
                    release,
                } => self.effects.push(ActiveEffect {
                    origin,
                    signal,
                    op,
                    start: beat,
                    attack,
                    end: sustain.map(|s| {
                        beat.saturating_add(u64::from(attack))
                            .saturating_add(u64::from(s))
                    }),
                    release,
                }),
                Effect::Clear {
                    source,
                    signal,
                    release,
                } => {
                    for a in &mut self.effects {
                        let matches = source.is_none_or(|s| s == a.origin)
                            && signal.is_none_or(|s| s == a.signal);
                        if matches && a.origin != origin {
                            a.clear(beat, release);
                        }
                    }
                    for r in &mut self.rates {
                        let matches = source.is_none_or(|s| s == r.origin)
                            && signal.is_none_or(|s| s == r.signal);
                        if matches && r.origin != origin {
                            r.clear(beat, release);
                        }
                    }
                    for v in &mut self.views {
                        let matches = source.is_none_or(|s| s == v.origin)
                            && signal.is_none_or(|s| v.signal == Some(s));
                        if matches && v.origin != origin && v.end.is_none_or(|e| e > beat) {
                            v.end = Some(beat);
                        }
                    }
                }
                Effect::Rate {
                    signal,
                    per_beat,
                    while_,
                } => self.rates.push(ActiveRate {
                    origin,
                    signal,
                    per_beat,
                    while_,
                    sum: 0.0,
                    end: None,
                    release: 0,
                }),
                Effect::View {
                    signal,
                    view,
                    sustain,
                } => self.views.push(ActiveView {
                    origin,
                    signal,
                    view,
                    start: beat,
                    end: sustain.map(|s| beat.saturating_add(u64::from(s))),
                }),
            }
        }
    }
}

/// The value a signal takes on a beat: held within `[min, max]` and within ±[`VALUE_LIMIT`].
/// A NaN, reachable only when stacked effects overflow (∞ × 0), keeps the previous value. For
/// any valid scenario whose values stay within the limit this is exactly `clamp(min, max)`.
fn settle(value: f64, previous: f64, min: f64, max: f64) -> f64 {
    let v = if value.is_nan() { previous } else { value };
    // `max`/`min` rather than `clamp`, which panics when min > max or either is NaN.
    let v = v.max(min).min(max);
    if v.is_nan() {
        0.0
    } else {
        v.clamp(-VALUE_LIMIT, VALUE_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::settle;

    #[test]
    fn settle_is_clamp_for_valid_input_and_total_otherwise() {
        for v in [-5.0, 0.5, 3.0, 1e20] {
            assert_eq!(settle(v, 0.0, 0.0, 2.0), v.clamp(0.0, 2.0));
            assert_eq!(settle(v, 0.0, f64::MIN, f64::MAX), v.clamp(-1e15, 1e15));
        }
        assert_eq!(settle(f64::NAN, 1.5, 0.0, 2.0), 1.5);
        assert_eq!(settle(f64::INFINITY, 1.5, f64::MIN, f64::MAX), 1e15);
        assert_eq!(
            settle(1.0, 0.0, 2.0, 0.0),
            0.0,
            "min above max does not panic"
        );
        assert_eq!(settle(f64::NAN, f64::NAN, f64::NAN, f64::NAN), 0.0);
    }
}
