//! Conditions in words, for a refused cue ("not yet: needs `backlog` below 10"), the
//! facilitator and the debrief.

use super::{Cond, Scenario, Test};
use crate::diag::number;

/// A condition as a short phrase naming the scenario's own ids.
pub fn describe(s: &Scenario, c: &Cond) -> String {
    let at = |b: &Option<u64>| b.map_or(String::new(), |b| format!(" by {}", s.bar_beat(b)));
    let test = |t: &Test| match t {
        Test::Is(v) => format!("= {}", number(*v)),
        Test::Above(v) => format!("above {}", number(*v)),
        Test::Below(v) => format!("below {}", number(*v)),
    };
    let list = |v: &[Cond], join: &str| {
        let parts: Vec<String> = v.iter().map(|c| describe(s, c)).collect();
        format!("({})", parts.join(join))
    };
    match c {
        Cond::Applied { cue, by } => format!("`{}`{}", s.cues[*cue].id, at(by)),
        Cond::Landed { cue, by } => format!("`{}` landed{}", s.cues[*cue].id, at(by)),
        Cond::Before { first, then } => {
            format!("`{}` before `{}`", s.cues[*first].id, s.cues[*then].id)
        }
        Cond::Flag { flag, test: t } => {
            let f = &s.flags[*flag];
            match t {
                Test::Is(v) if !f.counter && *v != 0.0 => format!("`{}`", f.id),
                Test::Is(_) if !f.counter => format!("not `{}`", f.id),
                t => format!("`{}` {}", f.id, test(t)),
            }
        }
        Cond::Signal {
            signal,
            test: t,
            held,
        } => {
            let sig = &s.signals[*signal];
            let unit = if sig.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", sig.unit)
            };
            let beats = held.map_or(String::new(), |(_, n)| format!(" for {n} beats"));
            format!("`{}` {}{unit}{beats}", sig.id, test(t))
        }
        Cond::Objective(o) => format!("objective `{}` met", s.objectives[*o].id),
        Cond::Decided { decision, option } => {
            let d = &s.decisions[*decision];
            match option {
                Some(o) => format!("`{}` chosen at `{}`", d.options[*o].id, d.id),
                None => format!("decision `{}` made", d.id),
            }
        }
        Cond::Since(b) => format!("{} reached", s.bar_beat(*b)),
        Cond::All(v) => list(v, " and "),
        Cond::Any(v) => list(v, " or "),
        Cond::Not(c) => format!("not {}", describe(s, c)),
    }
}
