//! `[[objectives]]`: what the team should achieve and how it is judged.

use super::{Cx, Names};
use crate::scenario::load::{Item, Raw};
use crate::scenario::model::{MeasureDef, ObjectiveDef};
use crate::scenario::{Measure, Objective};

pub(super) fn objectives(cx: &mut Cx<'_, '_>, raw: &Raw<'_>, names: &Names<'_>) -> Vec<Objective> {
    raw.objectives
        .iter()
        .filter_map(|o| {
            let d = &o.def;
            cx.line(
                o,
                &["text"],
                &format!("objective `{}`: text", d.id),
                &d.text,
            );
            let measure = measure(cx, o, &d.measure, names)?;
            if let Measure::BudgetLeft { signal, .. } = measure
                && raw.signals[signal].def.slo.is_none()
            {
                cx.err(
                    o.span(),
                    format!(
                        "objective `{}`: signal `{}` has no `slo`, so it has no error budget",
                        d.id, names.signals[signal]
                    ),
                );
            }
            Some(Objective {
                id: d.id.clone(),
                text: d.text.clone(),
                measure,
            })
        })
        .collect()
}

fn measure(
    cx: &mut Cx<'_, '_>,
    o: &Item<'_, ObjectiveDef>,
    m: &MeasureDef,
    names: &Names<'_>,
) -> Option<Measure> {
    let span = o.span();
    let by = m.by.as_ref().and_then(|p| cx.pos(p, "objective"));
    let set = [
        m.mark.is_some(),
        m.cue.is_some(),
        m.avoid_cue.is_some(),
        m.signal.is_some(),
        m.holds.is_some(),
        m.never.is_some(),
    ];
    if set.iter().filter(|x| **x).count() != 1 {
        cx.err(
            span,
            if m.holds.is_some() || m.never.is_some() {
                "an objective's measure needs exactly one of `mark`, `cue`, `avoid_cue`, `signal`, `holds`, `never`"
            } else {
                "an objective's measure needs exactly one of `mark`, `cue`, `avoid_cue`, `signal`"
            },
        );
        return None;
    }
    let owner = format!("objective `{}`", o.def.id);
    let here = o.here().join("measure");
    if let Some(c) = &m.holds {
        if m.budget_left.is_some() {
            cx.err(span, "`budget_left` goes with `signal` only");
        }
        let cond = cx.cond(&here.join("holds"), c, names, &owner)?;
        return Some(Measure::Holds { cond, by });
    }
    if let Some(c) = &m.never {
        if m.by.is_some() || m.budget_left.is_some() {
            cx.err(
                span,
                "`never` is judged over the whole drill and takes neither `by` nor `budget_left`",
            );
        }
        let cond = cx.cond(&here.join("never"), c, names, &owner)?;
        return Some(Measure::Never { cond });
    }
    if let Some(left) = m.budget_left {
        let what = format!("objective `{}`: `budget_left`", o.def.id);
        cx.ck
            .float(o.at(&["measure", "budget_left"]), &what, left, 0.0, 1.0);
    }
    if m.avoid_cue.is_some() && m.by.is_some() {
        cx.err(
            span.clone(),
            "`avoid_cue` is judged over the whole drill and does not take `by`",
        );
    }
    if (m.mark.is_some() || m.cue.is_some() || m.avoid_cue.is_some()) && m.budget_left.is_some() {
        cx.err(span.clone(), "`budget_left` goes with `signal` only");
    }
    if let Some(mark) = &m.mark {
        return Some(Measure::MarkBy {
            mark: *mark.get_ref(),
            by,
        });
    }
    if let Some(c) = &m.cue {
        return Some(Measure::CueBy {
            cue: cx.lookup(c, &names.cues, "cue")?,
            by,
        });
    }
    if let Some(c) = &m.avoid_cue {
        return Some(Measure::AvoidCue {
            cue: cx.lookup(c, &names.cues, "cue")?,
        });
    }
    let s = m.signal.as_ref()?;
    let signal = cx.lookup(s, &names.signals, "signal")?;
    match (by, m.budget_left) {
        (Some(by), None) => Some(Measure::HealthyBy { signal, by }),
        (None, Some(min)) => Some(Measure::BudgetLeft { signal, min }),
        _ => {
            cx.err(
                span,
                "a signal measure needs either `by` (healthy by then) or `budget_left`",
            );
            None
        }
    }
}
