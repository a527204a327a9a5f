//! Proving a scenario: its winning script must meet every objective, with no input refused,
//! and its losing script must miss at least one, on every seed of a range. Pure: the scripts
//! come in parsed; `gamelan prove` finds and reads them.

use super::script::ScriptLine;
use super::{Drill, Event, Verdict};
use crate::scenario::Scenario;
use std::ops::RangeInclusive;
use std::sync::Arc;

/// Why a scenario's proof failed, on one seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The winning path did not meet an objective (missed at `beat`, or still pending).
    WinMissed {
        seed: u64,
        objective: usize,
        beat: Option<u64>,
    },
    /// The drill refused one of the winning path's inputs.
    WinRefused {
        seed: u64,
        beat: u64,
        what: String,
        reason: String,
    },
    /// The losing path met every objective.
    LoseMetAll { seed: u64 },
}

impl Failure {
    /// One line for an author: the seed, and the objective or input at fault.
    pub fn describe(&self, s: &Scenario) -> String {
        match self {
            Failure::WinMissed {
                seed,
                objective,
                beat,
            } => {
                let o = &s.objectives[*objective];
                let when = beat.map_or(" (never judged)".into(), |b| {
                    format!(", missed at beat {b} ({})", s.bar_beat(b))
                });
                format!(
                    "seed {seed}: the winning path misses objective `{}` ({}){when}",
                    o.id, o.text
                )
            }
            Failure::WinRefused {
                seed,
                beat,
                what,
                reason,
            } => format!(
                "seed {seed}: the winning path has an input refused at {}: {what}: {reason}",
                s.bar_beat(*beat)
            ),
            Failure::LoseMetAll { seed } => {
                format!("seed {seed}: the losing path meets every objective")
            }
        }
    }
}

/// What a proof found: the failures, and how many objectives the losing path missed at least
/// and at most over the seeds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proof {
    pub failures: Vec<Failure>,
    pub lose_missed: Option<(usize, usize)>,
    pub runs: usize,
}

/// Plays both scripts on every seed of `seeds`.
pub fn prove(
    scenario: &Arc<Scenario>,
    win: &[ScriptLine],
    lose: &[ScriptLine],
    seeds: RangeInclusive<u64>,
) -> Proof {
    let mut proof = Proof::default();
    for seed in seeds {
        let d = play(scenario, win, seed);
        for (i, v) in d.objectives.iter().enumerate() {
            let beat = match v {
                Verdict::Met(_) => continue,
                Verdict::Missed(b) => Some(*b),
                Verdict::Pending => None,
            };
            proof.failures.push(Failure::WinMissed {
                seed,
                objective: i,
                beat,
            });
        }
        for e in &d.log {
            if let Event::Rejected { what, reason, .. } = &e.event {
                proof.failures.push(Failure::WinRefused {
                    seed,
                    beat: e.beat,
                    what: what.clone(),
                    reason: reason.clone(),
                });
            }
        }
        let d = play(scenario, lose, seed);
        let missed = d
            .objectives
            .iter()
            .filter(|v| !matches!(v, Verdict::Met(_)))
            .count();
        if missed == 0 && !d.objectives.is_empty() {
            proof.failures.push(Failure::LoseMetAll { seed });
        }
        proof.lose_missed = Some(match proof.lose_missed {
            None => (missed, missed),
            Some((lo, hi)) => (lo.min(missed), hi.max(missed)),
        });
        proof.runs += 2;
    }
    proof
}

fn play(scenario: &Arc<Scenario>, script: &[ScriptLine], seed: u64) -> Drill {
    let mut d = Drill::new(scenario.clone(), seed);
    crate::headless::run(&mut d, script, None);
    if !d.is_ended() {
        // A script that stops early (a pause left in place): judge what it reached.
        d.apply(&super::Input::new(
            crate::headless::SCRIPT_SEAT,
            super::Action::End {
                reason: "the script ended".into(),
            },
        ));
    }
    d
}
