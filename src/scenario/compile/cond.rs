//! Conditions (`when`, `while`, `requires` as a table, `holds`, `never`): exactly one kind per
//! table, only the modifiers that kind takes, every name resolved, nesting bounded.

use super::{Cx, Names};
use crate::scenario::branching::{CondDef, FlagValue};
use crate::scenario::limits::*;
use crate::scenario::load::Here;
use crate::scenario::{Cond, CondId, Held, Test};

/// The kinds of condition, one of which each table names.
const KINDS: &[&str] = &[
    "applied",
    "landed",
    "cue",
    "flag",
    "signal",
    "objective",
    "decision",
    "since",
    "all",
    "any",
    "not",
];

impl Cx<'_, '_> {
    /// Checks a condition and keeps it in the scenario's arena.
    pub(super) fn cond(
        &mut self,
        here: &Here<'_, '_>,
        def: &CondDef,
        names: &Names<'_>,
        owner: &str,
    ) -> Option<CondId> {
        let c = self.cond_tree(here, def, names, owner, 1)?;
        self.conds.push(c);
        Some(self.conds.len() - 1)
    }

    fn cond_tree(
        &mut self,
        here: &Here<'_, '_>,
        d: &CondDef,
        names: &Names<'_>,
        owner: &str,
        depth: usize,
    ) -> Option<Cond> {
        let present = [
            d.applied.is_some(),
            d.landed.is_some(),
            d.cue.is_some(),
            d.flag.is_some(),
            d.signal.is_some(),
            d.objective.is_some(),
            d.decision.is_some(),
            d.since.is_some(),
            d.all.is_some(),
            d.any.is_some(),
            d.not.is_some(),
        ];
        let kinds: Vec<&str> = KINDS
            .iter()
            .zip(present)
            .filter_map(|(k, p)| p.then_some(*k))
            .collect();
        let [kind] = kinds.as_slice() else {
            self.err(
                here.span(),
                format!(
                    "{owner}: a condition needs exactly one of `applied`, `landed`, `cue`, `flag`, `signal`, `objective`, `decision`, `since`, `all`, `any`, `not`{}",
                    if kinds.is_empty() {
                        String::new()
                    } else {
                        format!(", not {}", kinds.join(" and "))
                    }
                ),
            );
            return None;
        };
        let kind = *kind;
        if depth > MAX_COND_DEPTH {
            self.err(
                here.span(),
                format!("{owner}: conditions nest at most {MAX_COND_DEPTH} deep"),
            );
            return None;
        }
        let allowed: &[&str] = match kind {
            "cue" => &["done", "by"],
            "applied" => &["by", "before"],
            "landed" => &["by"],
            "flag" => &["is", "above", "below"],
            "signal" => &["above", "below", "for_beats"],
            "decision" => &["option"],
            _ => &[],
        };
        let modifiers = [
            ("by", d.by.is_some()),
            ("done", d.done.is_some()),
            ("before", d.before.is_some()),
            ("is", d.is.is_some()),
            ("above", d.above.is_some()),
            ("below", d.below.is_some()),
            ("for_beats", d.for_beats.is_some()),
            ("option", d.option.is_some()),
        ];
        let mut clean = true;
        for (m, set) in modifiers {
            if set && !allowed.contains(&m) {
                self.err(
                    here.at(&[m]),
                    format!("{owner}: `{m}` does not go with `{kind}` in a condition"),
                );
                clean = false;
            }
        }
        let by = d.by.as_ref().and_then(|p| self.pos(p, "condition"));
        let cue = |cx: &mut Self, r| cx.lookup(r, &names.cues, "cue");
        let cond = match kind {
            "cue" => {
                let c = cue(self, d.cue.as_ref()?)?;
                let Some(done) = d.done else {
                    self.err(
                        here.span(),
                        format!(
                            "{owner}: `{{ cue, done }}` needs `done` (or write `applied = \"…\"`)"
                        ),
                    );
                    return None;
                };
                let applied = Cond::Applied { cue: c, by };
                if done {
                    applied
                } else {
                    Cond::Not(Box::new(applied))
                }
            }
            "applied" => {
                let c = cue(self, d.applied.as_ref()?)?;
                match &d.before {
                    Some(then) if d.by.is_some() => {
                        self.err(
                            here.at(&["before"]),
                            format!("{owner}: `before` and `by` do not go together"),
                        );
                        let _ = then;
                        return None;
                    }
                    Some(then) => Cond::Before {
                        first: c,
                        then: cue(self, then)?,
                    },
                    None => Cond::Applied { cue: c, by },
                }
            }
            "landed" => Cond::Landed {
                cue: cue(self, d.landed.as_ref()?)?,
                by,
            },
            "flag" => self.flag_cond(here, d, names, owner)?,
            "signal" => self.signal_cond(here, d, names, owner)?,
            "objective" => Cond::Objective(self.lookup(
                d.objective.as_ref()?,
                &names.objectives,
                "objective",
            )?),
            "decision" => {
                let dec = self.lookup(d.decision.as_ref()?, &names.decisions, "decision")?;
                let option = match &d.option {
                    Some(o) => {
                        let kind = format!("option of decision `{}`", names.decisions[dec]);
                        Some(self.lookup(o, &names.options[dec], &kind)?)
                    }
                    None => None,
                };
                Cond::Decided {
                    decision: dec,
                    option,
                }
            }
            "since" => Cond::Since(self.pos(d.since.as_ref()?, "condition")?),
            "all" | "any" => {
                let list = if kind == "all" { &d.all } else { &d.any };
                let list = list.as_ref()?;
                let at = here.join(kind);
                if list.is_empty() {
                    self.err(
                        at.span(),
                        format!("{owner}: `{kind}` needs at least one condition"),
                    );
                    return None;
                }
                if !self
                    .ck
                    .count(at.span(), "conditions in a list", list.len(), MAX_LIST)
                {
                    return None;
                }
                let mut out = Vec::new();
                for (i, c) in list.iter().enumerate() {
                    out.push(self.cond_tree(&at.join(i), c, names, owner, depth + 1));
                }
                let out: Option<Vec<Cond>> = out.into_iter().collect();
                if kind == "all" {
                    Cond::All(out?)
                } else {
                    Cond::Any(out?)
                }
            }
            "not" => Cond::Not(Box::new(self.cond_tree(
                &here.join("not"),
                d.not.as_ref()?,
                names,
                owner,
                depth + 1,
            )?)),
            _ => return None,
        };
        clean.then_some(cond)
    }

    fn flag_cond(
        &mut self,
        here: &Here<'_, '_>,
        d: &CondDef,
        names: &Names<'_>,
        owner: &str,
    ) -> Option<Cond> {
        let r = d.flag.as_ref()?;
        let flag = self.lookup(r, &names.flags, "flag")?;
        let id = names.flags[flag];
        if !names.counters[flag] {
            if d.above.is_some() || d.below.is_some() {
                let at = if d.above.is_some() { "above" } else { "below" };
                self.err(
                    here.at(&[at]),
                    format!("{owner}: flag `{id}` is true or false; `{at}` goes with a counter"),
                );
                return None;
            }
            let is = match d.is.as_ref().map(|v| (*v.get_ref(), v.span())) {
                None => true,
                Some((FlagValue::Bool(b), _)) => b,
                Some((FlagValue::Number(_), span)) => {
                    self.err(
                        span,
                        format!("{owner}: flag `{id}` is true or false, not a number"),
                    );
                    return None;
                }
            };
            return Some(Cond::Flag {
                flag,
                test: Test::Is(f64::from(u8::from(is))),
            });
        }
        let given = [d.is.is_some(), d.above.is_some(), d.below.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            self.err(
                here.span(),
                format!("{owner}: counter `{id}` needs exactly one of `is`, `above`, `below`"),
            );
            return None;
        }
        let test = if let Some(v) = &d.is {
            match *v.get_ref() {
                FlagValue::Number(n) if self.value(v.span(), "`is`", n) => Test::Is(n),
                FlagValue::Number(_) => return None,
                FlagValue::Bool(_) => {
                    self.err(
                        v.span(),
                        format!("{owner}: counter `{id}` is a number, not true or false"),
                    );
                    return None;
                }
            }
        } else {
            self.threshold(here, d)?
        };
        Some(Cond::Flag { flag, test })
    }

    fn signal_cond(
        &mut self,
        here: &Here<'_, '_>,
        d: &CondDef,
        names: &Names<'_>,
        owner: &str,
    ) -> Option<Cond> {
        let signal = self.lookup(d.signal.as_ref()?, &names.signals, "signal")?;
        if d.above.is_some() == d.below.is_some() {
            self.err(
                here.span(),
                format!("{owner}: a `signal` condition needs exactly one of `above` and `below`"),
            );
            return None;
        }
        let test = self.threshold(here, d)?;
        let held = match d.for_beats {
            Some(n) => {
                let n = self.beats(
                    here.at(&["for_beats"]),
                    &format!("{owner}: `for_beats`"),
                    n,
                    1,
                );
                self.held.push(Held { signal, test });
                Some((self.held.len() - 1, n.max(1)))
            }
            None => None,
        };
        Some(Cond::Signal { signal, test, held })
    }

    fn threshold(&mut self, here: &Here<'_, '_>, d: &CondDef) -> Option<Test> {
        let (field, v, test): (&str, f64, fn(f64) -> Test) = match (d.above, d.below) {
            (Some(v), _) => ("above", v, Test::Above),
            (_, Some(v)) => ("below", v, Test::Below),
            _ => return None,
        };
        self.value(here.at(&[field]), &format!("`{field}`"), v)
            .then(|| test(v))
    }
}

/// The objectives a condition names, for the check that objectives do not judge each other in
/// a circle.
pub(super) fn objectives_named(c: &Cond, out: &mut Vec<usize>) {
    match c {
        Cond::Objective(o) => out.push(*o),
        Cond::All(v) | Cond::Any(v) => v.iter().for_each(|c| objectives_named(c, out)),
        Cond::Not(c) => objectives_named(c, out),
        _ => {}
    }
}
