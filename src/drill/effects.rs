//! Running effects on signals: each is an envelope (rise, hold, fade) applied to one signal.

use crate::scenario::{EffectOrigin, Op};
use serde::Serialize;

/// An effect that has started and not yet faded out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActiveEffect {
    pub origin: EffectOrigin,
    pub signal: usize,
    pub op: Op,
    pub start: u64,
    pub attack: u32,
    /// First beat of the fade; `None` while it holds indefinitely.
    pub end: Option<u64>,
    pub release: u32,
}

impl ActiveEffect {
    fn rise(&self, beat: u64) -> f64 {
        if self.attack == 0 {
            1.0
        } else {
            ((beat.saturating_sub(self.start) + 1) as f64 / f64::from(self.attack)).min(1.0)
        }
    }

    /// Strength in [0, 1] at `beat`.
    pub fn level(&self, beat: u64) -> f64 {
        match self.end {
            Some(end) if beat >= end => {
                if self.release == 0 {
                    return 0.0;
                }
                let from = self.rise(end);
                let faded = (beat - end) as f64 / f64::from(self.release);
                (from * (1.0 - faded)).max(0.0)
            }
            _ => self.rise(beat),
        }
    }

    /// True once the effect no longer contributes and never will again.
    pub fn finished(&self, beat: u64) -> bool {
        self.end
            .is_some_and(|end| beat >= end.saturating_add(u64::from(self.release)))
    }

    /// Ends the hold now and fades over `release` beats (no-op if already fading sooner).
    pub fn clear(&mut self, beat: u64, release: u32) {
        if self.end.is_none_or(|end| end > beat) {
            self.end = Some(beat);
            self.release = release;
        }
    }
}

/// Combines every effect on one signal: `(baseline + Σ add) × Π mul`.
pub fn shape(baseline: f64, effects: &[ActiveEffect], signal: usize, beat: u64) -> f64 {
    let (mut add, mut mul) = (0.0, 1.0);
    for e in effects.iter().filter(|e| e.signal == signal) {
        let level = e.level(beat);
        match e.op {
            Op::Add(by) => add += level * by,
            Op::Mul(f) => mul *= 1.0 + level * (f - 1.0),
        }
    }
    (baseline + add) * mul
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effect(attack: u32, end: Option<u64>, release: u32) -> ActiveEffect {
        ActiveEffect {
            origin: EffectOrigin::Inject(0),
            signal: 0,
            op: Op::Add(10.0),
            start: 10,
            attack,
            end,
            release,
        }
    }

    #[test]
    fn ramp_rises_then_holds() {
        let e = effect(4, None, 0);
        assert_eq!(e.level(10), 0.25);
        assert_eq!(e.level(13), 1.0);
        assert_eq!(e.level(1000), 1.0);
        assert!(!e.finished(1000));
    }

    #[test]
    fn clear_fades_out() {
        let mut e = effect(0, None, 0);
        e.clear(20, 4);
        assert_eq!(e.level(20), 1.0);
        assert_eq!(e.level(22), 0.5);
        assert_eq!(e.level(24), 0.0);
        assert!(e.finished(24));
        assert_eq!(shape(1.0, &[e], 0, 22), 6.0);
    }
}
