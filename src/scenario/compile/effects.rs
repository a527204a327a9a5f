//! Effects on injects and cues: each kind's fields, defaults and bounds, resolved to the
//! envelope the drill plays.

use super::{Cx, Names};
use crate::scenario::limits::*;
use crate::scenario::load::Here;
use crate::scenario::model::{EffectDef, EffectKind};
use crate::scenario::{Effect, EffectOrigin, Op, View};

/// The `effects` of the entry at `here` (an inject, a cue, an outcome, an option), at most
/// [`MAX_EFFECTS`].
pub(super) fn effects(
    cx: &mut Cx<'_, '_>,
    here: &Here<'_, '_>,
    defs: &[EffectDef],
    names: &Names<'_>,
    owner: &str,
) -> Vec<Effect> {
    let list = here.join("effects");
    if defs.len() > MAX_EFFECTS {
        let span = list.at(&[&MAX_EFFECTS.to_string()]);
        let what = format!("effects on {owner}");
        cx.ck.count(span, &what, defs.len(), MAX_EFFECTS);
    }
    defs.iter()
        .take(MAX_EFFECTS)
        .enumerate()
        .filter_map(|(i, d)| effect(cx, d, &list.join(i), names, owner))
        .collect()
}

fn effect(
    cx: &mut Cx<'_, '_>,
    d: &EffectDef,
    here: &Here<'_, '_>,
    names: &Names<'_>,
    owner: &str,
) -> Option<Effect> {
    let at = |field: &str| here.at(&[field]);
    let whole = here.span();
    let signal = d
        .signal
        .as_ref()
        .and_then(|s| cx.lookup(s, &names.signals, "signal"));
    // A field the kind does not use is a mistake the author would want to hear about.
    let kind = kind_name(d.kind);
    let (by, factor, over, for_beats) = (
        ("by", d.by.is_some()),
        ("factor", d.factor.is_some()),
        ("over", d.over.is_some()),
        ("for_beats", d.for_beats.is_some()),
    );
    let (while_, lag) = (("while", d.while_.is_some()), ("lag", d.lag.is_some()));
    let unused: &[(&str, bool)] = match d.kind {
        EffectKind::Step => &[factor, over, while_, lag],
        EffectKind::Ramp | EffectKind::Spike => &[factor, while_, lag],
        EffectKind::Multiply => &[by, while_, lag],
        EffectKind::Clear => &[by, factor, for_beats, while_, lag],
        EffectKind::Rate => &[factor, over, for_beats, lag],
        EffectKind::Stale | EffectKind::Blank => &[by, factor, over, while_, lag],
        EffectKind::Slow => &[by, factor, over, while_],
    };
    for (field, set) in unused {
        if *set {
            cx.err(
                at(field),
                format!("{owner}: a `{kind}` effect does not use `{field}`"),
            );
        }
    }
    let what = |field: &str| format!("{owner}: a `{kind}` effect's `{field}`");
    let over = d
        .over
        .map(|o| cx.envelope_beats(at("over"), &what("over"), o));
    let for_beats = d
        .for_beats
        .map(|f| cx.beats(at("for_beats"), &what("for_beats"), f, 0));
    if let Some(by) = d.by {
        cx.value(at("by"), &what("by"), by);
    }
    if let Some(f) = d.factor {
        cx.ck
            .float(at("factor"), &what("factor"), f, 0.0, MAX_FACTOR);
    }
    if d.kind == EffectKind::Clear {
        let source = d.source.as_ref().and_then(|s| {
            let name = s.get_ref().as_str();
            if let Some(i) = names.injects.iter().position(|x| *x == name) {
                Some(EffectOrigin::Inject(i))
            } else if let Some(i) = names.cues.iter().position(|x| *x == name) {
                Some(EffectOrigin::Cue(i))
            } else {
                let both: Vec<&str> = names.injects.iter().chain(&names.cues).copied().collect();
                cx.ck.lookup(s.span(), "inject or cue", name, &both);
                None
            }
        });
        if d.source.is_none() && d.signal.is_none() {
            cx.err(
                whole,
                format!("{owner}: a `clear` effect needs `source` or `signal`"),
            );
            return None;
        }
        return Some(Effect::Clear {
            source,
            signal,
            release: over.unwrap_or(4),
        });
    }
    if let Some(view) = match d.kind {
        EffectKind::Stale => Some(View::Stale),
        EffectKind::Blank => Some(View::Blank),
        EffectKind::Slow => match d.lag {
            Some(l) if (1..=MAX_LAG_BEATS).contains(&l) => Some(View::Slow(l)),
            Some(l) => {
                cx.err(
                    at("lag"),
                    format!(
                        "{} must be from 1 to {MAX_LAG_BEATS} (the beats a pane keeps), not {l}",
                        what("lag")
                    ),
                );
                return None;
            }
            None => {
                cx.err(
                    whole,
                    format!("{owner}: a `slow` effect needs `lag` (beats behind)"),
                );
                return None;
            }
        },
        _ => None,
    } {
        if let Some(s) = &d.source {
            cx.err(
                s.span(),
                format!("{owner}: only `clear` effects take `source`"),
            );
            return None;
        }
        if d.signal.is_some() && signal.is_none() {
            return None;
        }
        return Some(Effect::View {
            signal,
            view,
            sustain: for_beats,
        });
    }
    if d.signal.is_none() {
        cx.err(whole, format!("{owner}: a `{kind}` effect needs `signal`"));
        return None;
    }
    if let Some(s) = &d.source {
        cx.err(
            s.span(),
            format!("{owner}: only `clear` effects take `source`"),
        );
    }
    let signal = signal?;
    let mut need_by = || {
        d.by.or_else(|| {
            cx.err(
                whole.clone(),
                format!("{owner}: a `{kind}` effect needs `by`"),
            );
            None
        })
    };
    let (op, attack, sustain, release) = match d.kind {
        EffectKind::Step => (Op::Add(need_by()?), 0, for_beats, 0),
        EffectKind::Ramp => (Op::Add(need_by()?), over.unwrap_or(4), for_beats, 0),
        EffectKind::Spike => (
            Op::Add(need_by()?),
            0,
            Some(for_beats.unwrap_or(1)),
            over.unwrap_or(3),
        ),
        EffectKind::Multiply => {
            let Some(f) = d.factor else {
                cx.err(whole, format!("{owner}: a multiply effect needs `factor`"));
                return None;
            };
            (Op::Mul(f), over.unwrap_or(0), for_beats, 0)
        }
        EffectKind::Rate => {
            let per_beat = need_by()?;
            let while_ = match &d.while_ {
                Some(c) => Some(cx.cond(&here.join("while"), c, names, owner)?),
                None => None,
            };
            return Some(Effect::Rate {
                signal,
                per_beat,
                while_,
            });
        }
        EffectKind::Clear | EffectKind::Stale | EffectKind::Slow | EffectKind::Blank => {
            return None;
        }
    };
    Some(Effect::Shape {
        signal,
        op,
        attack,
        sustain,
        release,
    })
}

fn kind_name(kind: EffectKind) -> &'static str {
    match kind {
        EffectKind::Step => "step",
        EffectKind::Ramp => "ramp",
        EffectKind::Spike => "spike",
        EffectKind::Multiply => "multiply",
        EffectKind::Clear => "clear",
        EffectKind::Rate => "rate",
        EffectKind::Stale => "stale",
        EffectKind::Slow => "slow",
        EffectKind::Blank => "blank",
    }
}
