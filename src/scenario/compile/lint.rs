//! Warnings: what a valid scenario may say but almost certainly does not mean. They never stop
//! a file from loading; `gamelan check` prints them. Reachability is judged on what can
//! possibly happen (could a flag ever take that value, could a signal ever cross that line),
//! not on any particular run.

use super::Warning;
use crate::scenario::load::Raw;
use crate::scenario::{Choice, Cond, FlagOp, Measure, Scenario, SetOp, Test};

/// How many standard deviations of noise count as "close" to a healthy edge.
const NOISE_SIGMAS: f64 = 3.0;

pub(super) fn lint(raw: &Raw<'_>, s: &Scenario) -> Vec<Warning> {
    let mut out = Vec::new();
    let p = Possible::of(s);
    noisy_objectives(raw, s, &mut out);
    for (i, inj) in s.injects.iter().enumerate() {
        if let Some(c) = inj.when
            && !p.can(&s.conds[c], true)
        {
            out.push((
                raw.injects[i].at(&["when"]),
                format!(
                    "inject `{}` can never fire: its `when` cannot hold on any path",
                    inj.id
                ),
            ));
        }
    }
    for (i, o) in s.objectives.iter().enumerate() {
        let (cond, field, what) = match o.measure {
            Measure::Holds { cond, .. } => (cond, "holds", "can never be met"),
            Measure::Never { cond } => (cond, "never", "is always met"),
            _ => continue,
        };
        if !p.can(&s.conds[cond], true) {
            out.push((
                raw.objectives[i].at(&["measure", field]),
                format!(
                    "objective `{}` {what}: its condition cannot hold on any path",
                    o.id
                ),
            ));
        }
    }
    decisions(raw, s, &p, &mut out);
    unjudged_cues(raw, s, &mut out);
    for (i, h) in s.red_herrings.iter().enumerate() {
        if h.cues.is_empty() {
            out.push((
                raw.red_herrings[i].span(),
                format!(
                    "red herring `{}` names no cue, so nobody can be seen following it",
                    h.id
                ),
            ));
        }
    }
    out
}

/// A `signal` + `by` objective on a signal whose noise alone can carry a healthy system out of
/// its healthy range on the judged beat; a condition on one beat of a noisy signal.
fn noisy_objectives(raw: &Raw<'_>, s: &Scenario, out: &mut Vec<Warning>) {
    for (i, o) in s.objectives.iter().enumerate() {
        match o.measure {
            Measure::HealthyBy { signal, .. } => {
                let sig = &s.signals[signal];
                let rest = sig.samples.last().copied().unwrap_or(sig.baseline);
                let reach = NOISE_SIGMAS * sig.noise;
                let (lo, hi) = sig.healthy;
                let near_lo = lo > sig.min && rest - lo < reach;
                let near_hi = hi < sig.max && hi - rest < reach;
                if sig.noise > 0.0 && sig.is_healthy(rest) && (near_lo || near_hi) {
                    out.push((
                        raw.objectives[i].at(&["measure"]),
                        format!(
                            "objective `{}` is judged on one noisy beat: `{}` rests at {} with noise {}, within {NOISE_SIGMAS} deviations of its healthy edge, so a seed can fail a healthy system; widen `healthy` or judge it with `holds = {{ signal = …, for_beats = … }}`",
                            o.id,
                            sig.id,
                            crate::diag::number(rest),
                            crate::diag::number(sig.noise)
                        ),
                    ));
                }
            }
            Measure::Holds { cond, .. } if noisy_leaf(s, &s.conds[cond]) => out.push((
                raw.objectives[i].at(&["measure", "holds"]),
                format!(
                    "objective `{}` can be met by one noisy beat: give its `signal` condition `for_beats`",
                    o.id
                ),
            )),
            _ => {}
        }
    }
}

fn noisy_leaf(s: &Scenario, c: &Cond) -> bool {
    match c {
        Cond::Signal {
            signal, held: None, ..
        } => s.signals[*signal].noise > 0.0,
        Cond::All(v) | Cond::Any(v) => v.iter().any(|c| noisy_leaf(s, c)),
        _ => false,
    }
}

fn decisions(raw: &Raw<'_>, s: &Scenario, p: &Possible<'_>, out: &mut Vec<Warning>) {
    for (i, d) in s.decisions.iter().enumerate() {
        let item = &raw.decisions[i];
        if let Some(c) = d.when
            && !p.can(&s.conds[c], true)
        {
            out.push((
                item.at(&["when"]),
                format!(
                    "decision `{}` can never be asked: its `when` cannot hold on any path",
                    d.id
                ),
            ));
            continue;
        }
        let cues: Vec<usize> = d
            .options
            .iter()
            .filter_map(|o| match o.choice {
                Choice::Cue(c) => Some(c),
                Choice::Key(_) => None,
            })
            .collect();
        for (n, o) in d.options.iter().enumerate() {
            let at = item.at(&["options", &n.to_string()]);
            match o.choice {
                Choice::Cue(c) => {
                    if let Some(other) = s.cues[c].requires.iter().find(|r| cues.contains(r)) {
                        out.push((
                            at,
                            format!(
                                "option `{}` of decision `{}` can never be chosen: its cue `{}` requires `{}`, which chooses another option first",
                                o.id, d.id, s.cues[c].id, s.cues[*other].id
                            ),
                        ));
                    }
                }
                Choice::Key(_) => {
                    let named = s.conds.iter().any(|c| names_option(c, i, n));
                    let does = !o.set.is_empty()
                        || !o.effects.is_empty()
                        || !o.skips.is_empty()
                        || o.event.is_some();
                    if !named && !does && d.default != Some(n) {
                        out.push((
                            at,
                            format!(
                                "option `{}` of decision `{}` leads nowhere: it sets nothing, starts nothing, skips nothing and no condition names it",
                                o.id, d.id
                            ),
                        ));
                    }
                }
            }
        }
    }
}

fn names_option(c: &Cond, d: usize, o: usize) -> bool {
    match c {
        Cond::Decided { decision, option } => *decision == d && option.is_none_or(|x| x == o),
        Cond::All(v) | Cond::Any(v) => v.iter().any(|c| names_option(c, d, o)),
        Cond::Not(c) => names_option(c, d, o),
        _ => false,
    }
}

/// A cue that nothing judges: no objective, red herring, condition, decision, `requires` or
/// `clear` names it, it sets no lifecycle mark and no flag a condition reads.
fn unjudged_cues(raw: &Raw<'_>, s: &Scenario, out: &mut Vec<Warning>) {
    let mut named = vec![false; s.cues.len()];
    let mut mark = |c: usize| {
        if let Some(n) = named.get_mut(c) {
            *n = true;
        }
    };
    for o in &s.objectives {
        match o.measure {
            Measure::CueBy { cue, .. } | Measure::AvoidCue { cue } => mark(cue),
            _ => {}
        }
    }
    for c in &s.conds {
        cues_named(c, &mut mark);
    }
    for h in &s.red_herrings {
        h.cues.iter().for_each(|c| mark(*c));
    }
    for d in &s.decisions {
        for o in &d.options {
            if let Choice::Cue(c) = o.choice {
                mark(c);
            }
        }
    }
    let clears = s
        .cues
        .iter()
        .flat_map(|c| &c.effects)
        .chain(s.injects.iter().flat_map(|i| &i.effects));
    for e in clears {
        if let crate::scenario::Effect::Clear {
            source: Some(crate::scenario::EffectOrigin::Cue(x)),
            ..
        } = e
        {
            mark(*x);
        }
    }
    let read = flags_read(s);
    for (i, c) in s.cues.iter().enumerate() {
        c.requires.iter().for_each(|r| mark(*r));
        let sets_read = c
            .set
            .iter()
            .chain(c.outcomes.iter().flat_map(|o| o.set.iter().flatten()))
            .any(|op| read[op.flag]);
        if !c.marks.is_empty() || sets_read {
            mark(i);
        }
    }
    for (i, c) in s.cues.iter().enumerate() {
        if !named[i] {
            out.push((
                raw.cues[i].span(),
                format!(
                    "cue `{}` is judged by nothing: no objective, red herring, condition or decision names it, and it sets no mark",
                    c.id
                ),
            ));
        }
    }
}

fn cues_named(c: &Cond, mark: &mut impl FnMut(usize)) {
    match c {
        Cond::Applied { cue, .. } | Cond::Landed { cue, .. } => mark(*cue),
        Cond::Before { first, then } => {
            mark(*first);
            mark(*then);
        }
        Cond::All(v) | Cond::Any(v) => v.iter().for_each(|c| cues_named(c, mark)),
        Cond::Not(c) => cues_named(c, mark),
        _ => {}
    }
}

/// Per flag: whether some condition reads it.
fn flags_read(s: &Scenario) -> Vec<bool> {
    fn walk(c: &Cond, read: &mut [bool]) {
        match c {
            Cond::Flag { flag, .. } => read[*flag] = true,
            Cond::All(v) | Cond::Any(v) => v.iter().for_each(|c| walk(c, read)),
            Cond::Not(c) => walk(c, read),
            _ => {}
        }
    }
    let mut read = vec![false; s.flags.len()];
    s.conds.iter().for_each(|c| walk(c, &mut read));
    read
}

/// What can possibly happen in a scenario, for reachability.
struct Possible<'s> {
    s: &'s Scenario,
    /// Every change any cue, outcome, inject or option makes to each flag.
    ops: Vec<Vec<FlagOp>>,
}

impl<'s> Possible<'s> {
    fn of(s: &'s Scenario) -> Possible<'s> {
        let mut ops = vec![Vec::new(); s.flags.len()];
        let mut add = |list: &[SetOp]| list.iter().for_each(|o| ops[o.flag].push(o.op));
        for c in &s.cues {
            add(&c.set);
            c.outcomes
                .iter()
                .filter_map(|o| o.set.as_deref())
                .for_each(&mut add);
        }
        s.injects.iter().for_each(|i| add(&i.set));
        s.decisions
            .iter()
            .flat_map(|d| &d.options)
            .for_each(|o| add(&o.set));
        Possible { s, ops }
    }

    /// Whether `c` can take the value `want` at some beat of some drill.
    fn can(&self, c: &Cond, want: bool) -> bool {
        let s = self.s;
        match c {
            Cond::All(v) if want => v.iter().all(|c| self.can(c, true)),
            Cond::All(v) => v.iter().any(|c| self.can(c, false)),
            Cond::Any(v) if want => v.iter().any(|c| self.can(c, true)),
            Cond::Any(v) => v.iter().all(|c| self.can(c, false)),
            Cond::Not(c) => self.can(c, !want),
            Cond::Applied { cue, .. }
            | Cond::Landed { cue, .. }
            | Cond::Before { first: cue, .. } => {
                !want
                    || s.cues[*cue]
                        .gate
                        .is_none_or(|g| self.can(&s.conds[g], true))
            }
            Cond::Flag { flag, test } => {
                let f = &s.flags[*flag];
                let passes = |v: f64| test.holds(v) == want;
                passes(f.initial)
                    || self.ops[*flag].iter().any(|op| match op {
                        FlagOp::Set(v) => passes(*v),
                        // A counter that moves can reach either side of a line (or a value).
                        FlagOp::Add(d) => *d != 0.0,
                    })
            }
            Cond::Signal { signal, test, .. } => {
                let sig = &s.signals[*signal];
                match (test, want) {
                    (Test::Above(x), true) => *x < sig.max,
                    (Test::Below(x), false) => *x <= sig.max,
                    (Test::Below(x), true) => *x > sig.min,
                    (Test::Above(x), false) => *x >= sig.min,
                    (Test::Is(_), _) => true,
                }
            }
            Cond::Decided { decision, .. } => {
                let d = &s.decisions[*decision];
                !want || d.when.is_none_or(|w| self.can(&s.conds[w], true))
            }
            Cond::Since(b) => want || *b > 0,
            Cond::Objective(_) => true,
        }
    }
}
