//! The metronome: when the next beat is due. It is one more input source for the drill; the
//! drill itself never reads a clock.

use std::time::{Duration, Instant};

/// Beat deadlines at a tempo, drift-free (each deadline is the previous plus one period).
#[derive(Debug, Clone)]
pub struct Metronome {
    period: Duration,
    next: Option<Instant>,
}

impl Metronome {
    pub fn new(bpm: u32) -> Metronome {
        Metronome {
            period: period(bpm),
            next: None,
        }
    }

    /// Starts (or resumes) ticking one period from `now`.
    pub fn start(&mut self, now: Instant) {
        self.next = Some(now + self.period);
    }

    pub fn stop(&mut self) {
        self.next = None;
    }

    pub fn running(&self) -> bool {
        self.next.is_some()
    }

    /// Changes tempo; a running metronome's next beat moves to one new period from `now`.
    pub fn set_bpm(&mut self, bpm: u32, now: Instant) {
        let p = period(bpm);
        if p != self.period {
            self.period = p;
            if self.next.is_some() {
                self.next = Some(now + p);
            }
        }
    }

    /// The next deadline, if running.
    pub fn next(&self) -> Option<Instant> {
        self.next
    }

    /// Consumes one due beat; if the process fell far behind (suspended laptop), it skips
    /// ahead rather than firing a burst of beats.
    pub fn beat(&mut self, now: Instant) {
        if let Some(n) = self.next {
            let mut next = n + self.period;
            if next + self.period * 4 < now {
                next = now + self.period;
            }
            self.next = Some(next);
        }
    }
}

fn period(bpm: u32) -> Duration {
    Duration::from_micros(60_000_000 / u64::from(bpm.clamp(1, 6000)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_time_and_skips_after_a_stall() {
        let t0 = Instant::now();
        let mut m = Metronome::new(120);
        assert!(m.next().is_none());
        m.start(t0);
        assert_eq!(m.next(), Some(t0 + Duration::from_millis(500)));
        m.beat(t0 + Duration::from_millis(500));
        assert_eq!(m.next(), Some(t0 + Duration::from_millis(1000)));
        m.beat(t0 + Duration::from_secs(60));
        assert_eq!(m.next(), Some(t0 + Duration::from_millis(60_500)));
        m.set_bpm(60, t0);
        assert_eq!(m.next(), Some(t0 + Duration::from_secs(1)));
    }
}
