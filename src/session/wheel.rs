//! Spin the Wheel of Expertise: a seeded draw of a theme, a prompt and a person
//! ([`draw`]), and the spin's animation as a pure function of the beats since the spin
//! ([`frame`]): the wheel turns a few laps and slows to a stop on the drawn slot, so any view,
//! a replay or a headless run sees the same spin.

use super::SeatId;
use crate::drill::Rng;
use serde::Serialize;

/// Beats the wheel turns before it stops; the turn's timer starts when it stops.
pub const SPIN_BEATS: u64 = 8;

/// One spin: what the wheel showed and where it stopped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Spin {
    /// The beat of the spin.
    pub at: u64,
    /// The deck's themes on the wheel (not retired), in deck order: its slots.
    pub slots: Vec<usize>,
    /// The slot the wheel started at and the one it stops on.
    pub start: usize,
    pub stop: usize,
    /// Full laps before it stops.
    pub laps: u32,
    /// The prompt wheel: where it started and the prompt it stops on.
    pub prompt_start: usize,
    pub prompt: usize,
    /// Prompts on the prompt wheel.
    pub prompts: usize,
    /// Who answers.
    pub person: SeatId,
}

impl Spin {
    /// The theme drawn (a deck index).
    pub fn theme(&self) -> usize {
        self.slots.get(self.stop).copied().unwrap_or(0)
    }

    /// The beat the wheel comes to rest.
    pub fn stops_at(&self) -> u64 {
        self.at.saturating_add(SPIN_BEATS)
    }
}

/// The choices a spin is drawn from.
///
/// A pair already asked comes back only when every pair has been; among the rest, themes
/// not drawn yet come first, then the prompts drawn least.
pub struct Draw<'a> {
    /// Deck indices of the themes on the wheel; never empty.
    pub themes: &'a [usize],
    /// Prompts in the deck; at least one.
    pub prompts: usize,
    /// `(theme, prompt)` pairs already asked in this segment: drawn again only when every
    /// pair has been.
    pub asked: &'a [(usize, usize)],
    /// Who may answer; never empty. The draw takes one of those with the fewest turns.
    pub people: &'a [(SeatId, usize)],
}

/// Draws a spin at beat `at`. The caller makes sure there are themes, prompts and people;
/// without them the draw still returns (slot 0, prompt 0, the room) and never panics.
pub fn draw(rng: &mut Rng, d: &Draw<'_>, at: u64) -> Spin {
    // Fresh pairs first; among them, themes not drawn yet, then the prompts drawn least, so
    // a wheel goes round the stack and asks every kind of question.
    let drawn_theme = |t: usize| d.asked.iter().filter(|(x, _)| *x == t).count();
    let drawn_prompt = |p: usize| d.asked.iter().filter(|(_, x)| *x == p).count();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut best = (usize::MAX, usize::MAX, usize::MAX);
    for (slot, theme) in d.themes.iter().enumerate() {
        for p in 0..d.prompts {
            let asked = usize::from(d.asked.contains(&(*theme, p)));
            let score = (asked, drawn_theme(*theme), drawn_prompt(p));
            if score < best {
                best = score;
                pairs.clear();
            }
            if score == best {
                pairs.push((slot, p));
            }
        }
    }
    let (stop, prompt) = pairs.get(pick(rng, pairs.len())).copied().unwrap_or((0, 0));
    let fewest = d.people.iter().map(|(_, n)| *n).min().unwrap_or(0);
    let people: Vec<SeatId> = d
        .people
        .iter()
        .filter(|(_, n)| *n == fewest)
        .map(|(s, _)| *s)
        .collect();
    let person = people
        .get(pick(rng, people.len()))
        .copied()
        .unwrap_or(super::ROOM);
    Spin {
        at,
        slots: d.themes.to_vec(),
        start: pick(rng, d.themes.len()),
        stop,
        laps: 2 + pick(rng, 3) as u32,
        prompt_start: pick(rng, d.prompts),
        prompt,
        prompts: d.prompts,
        person,
    }
}

fn pick(rng: &mut Rng, n: usize) -> usize {
    (rng.next_u64() % n.max(1) as u64) as usize
}

/// What the wheel shows at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// The theme slot under the pointer (an index into [`Spin::slots`]).
    pub slot: usize,
    /// The wheel's position in slots, fractional, for a view that draws between slots.
    pub position: f64,
    /// The prompt under the prompt wheel's pointer.
    pub prompt: usize,
    /// The wheel has come to rest: `slot` and `prompt` are the draw.
    pub stopped: bool,
}

/// The wheel `beats` after the spin (fractions allowed, for smooth drawing between beats).
/// It slows steadily (a quadratic ease-out) and rests exactly on the drawn slot from
/// [`SPIN_BEATS`] on. Any input is safe: NaN or negative counts as the moment of the spin.
pub fn frame(spin: &Spin, beats: f64) -> Frame {
    let n = spin.slots.len().max(1);
    let m = spin.prompts.max(1);
    let eased = ease(beats);
    let position = spin.start as f64 + travel(spin) as f64 * eased;
    let prompt_travel = spin.laps as usize * m + (spin.prompt + m - spin.prompt_start % m) % m;
    let prompt_position = spin.prompt_start as f64 + prompt_travel as f64 * eased;
    Frame {
        slot: position.floor() as usize % n,
        position: position % n as f64,
        prompt: prompt_position.floor() as usize % m,
        stopped: eased >= 1.0,
    }
}

/// Slots the wheel has turned `beats` after the spin (not wrapped around).
pub fn travelled(spin: &Spin, beats: f64) -> f64 {
    travel(spin) as f64 * ease(beats)
}

/// Slots from the start to the rest, laps included.
fn travel(spin: &Spin) -> usize {
    let n = spin.slots.len().max(1);
    spin.laps as usize * n + (spin.stop + n - spin.start % n) % n
}

/// The share of the way turned: 0 at the spin, 1 from [`SPIN_BEATS`] on, slowing steadily.
fn ease(beats: f64) -> f64 {
    let u = if beats.is_nan() {
        0.0
    } else {
        (beats / SPIN_BEATS as f64).clamp(0.0, 1.0)
    };
    1.0 - (1.0 - u) * (1.0 - u)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spin(seed: u64) -> Spin {
        let mut rng = Rng::new(seed);
        draw(
            &mut rng,
            &Draw {
                themes: &[0, 2, 3, 5, 7],
                prompts: 3,
                asked: &[],
                people: &[(1, 0), (2, 1), (3, 0)],
            },
            40,
        )
    }

    #[test]
    fn same_seed_same_spin_and_fewest_turns_first() {
        for seed in 0..50 {
            let s = spin(seed);
            assert_eq!(s, spin(seed));
            assert!(s.person == 1 || s.person == 3, "{s:?}");
            assert!([0, 2, 3, 5, 7].contains(&s.theme()));
        }
    }

    #[test]
    fn the_wheel_slows_and_rests_on_the_draw() {
        for seed in 0..50 {
            let s = spin(seed);
            let end = frame(&s, SPIN_BEATS as f64);
            assert!(end.stopped);
            assert_eq!((end.slot, end.prompt), (s.stop, s.prompt));
            assert_eq!(frame(&s, 1e9), end);
            assert_eq!(frame(&s, f64::NAN).slot, s.start);
            assert!(!frame(&s, 7.9).stopped);
            // Each beat it turns less far than the beat before, and never backwards.
            let moved: Vec<f64> = (0..SPIN_BEATS)
                .map(|b| travelled(&s, (b + 1) as f64) - travelled(&s, b as f64))
                .collect();
            assert!(
                moved.windows(2).all(|w| 0.0 < w[1] && w[1] < w[0]),
                "{moved:?}"
            );
            assert!(travelled(&s, SPIN_BEATS as f64) >= (s.laps as usize * s.slots.len()) as f64);
        }
    }

    #[test]
    fn asked_pairs_come_back_only_when_all_were_asked() {
        let mut rng = Rng::new(3);
        let asked: Vec<(usize, usize)> = vec![(0, 0), (0, 1), (1, 0)];
        for _ in 0..30 {
            let s = draw(
                &mut rng,
                &Draw {
                    themes: &[0, 1],
                    prompts: 2,
                    asked: &asked,
                    people: &[(0, 0)],
                },
                0,
            );
            assert_eq!((s.theme(), s.prompt), (1, 1));
        }
    }
}
