//! `[[injects]]`, `[[cues]]`, `[[hints]]` and `[[red_herrings]]`: what happens to the system
//! and what the players can do about it.

use super::effects::effects;
use super::{Cx, Names};
use crate::scenario::branching::{OutcomeDef, RequiresDef};
use crate::scenario::limits::*;
use crate::scenario::load::{Here, Item, Raw};
use crate::scenario::{Cue, Hint, Inject, Outcome, RedHerring, model};
use std::collections::HashSet;
use toml::Spanned;

pub(super) fn injects(cx: &mut Cx<'_, '_>, raw: &Raw<'_>, names: &Names<'_>) -> Vec<Inject> {
    raw.injects.iter().map(|i| inject(cx, i, names)).collect()
}

fn inject(cx: &mut Cx<'_, '_>, i: &Item<'_, model::InjectDef>, names: &Names<'_>) -> Inject {
    let d = &i.def;
    let owner = format!("inject `{}`", d.id);
    let at = match (&d.at, d.contingency) {
        (Some(p), true) => {
            cx.err(
                p.span(),
                format!("{owner} is a contingency (fired by hand): drop `at`"),
            );
            None
        }
        (Some(p), false) => cx.pos(p, &owner),
        (None, true) if d.when.is_some() => {
            cx.err(
                i.at(&["when"]),
                format!("{owner} is a contingency (fired by hand): `when` never applies"),
            );
            None
        }
        (None, true) => None,
        (None, false) if d.when.is_some() => None,
        (None, false) => {
            cx.err(
                i.span(),
                format!("{owner} needs `at`, `when` (or `contingency = true`)"),
            );
            None
        }
    };
    let here = i.here();
    let when = match (&d.when, d.contingency) {
        (Some(c), false) => cx.cond(&here.join("when"), c, names, &owner),
        _ => None,
    };
    let suggest = match (&d.suggest, d.contingency) {
        (Some(p), true) => cx.pos(p, &owner),
        (Some(p), false) => {
            cx.err(
                p.span(),
                format!("{owner}: only a contingency takes `suggest` (a time for the facilitator)"),
            );
            None
        }
        (None, _) => None,
    };
    cx.line(i, &["persona"], &format!("{owner}: persona"), &d.persona);
    cx.text(i, &["text"], &format!("{owner}: text"), &d.text);
    Inject {
        id: d.id.clone(),
        at,
        persona: d.persona.clone(),
        channel: d.channel,
        text: d.text.clone(),
        surprise: d.surprise,
        contingency: d.contingency,
        suggest,
        when,
        effects: effects(cx, &here, &d.effects, names, &owner),
        set: cx.sets(&here, &d.set, &d.add, names, &owner),
        event: cx.event_ref(d.event.as_ref(), names),
    }
}

pub(super) fn cues(cx: &mut Cx<'_, '_>, raw: &Raw<'_>, names: &Names<'_>) -> Vec<Cue> {
    let mut keys = HashSet::new();
    let cues: Vec<Cue> = raw
        .cues
        .iter()
        .map(|c| cue(cx, c, names, &mut keys))
        .collect();
    requires_cycles(cx, &raw.cues, &cues);
    cues
}

fn cue(
    cx: &mut Cx<'_, '_>,
    c: &Item<'_, model::CueDef>,
    names: &Names<'_>,
    keys: &mut HashSet<char>,
) -> Cue {
    let d = &c.def;
    let owner = format!("cue `{}`", d.id);
    let key = key(cx, &d.key, keys);
    cx.refs(c.at(&["roles"]), "roles", &d.roles, &names.roles, "role");
    let here = c.here();
    let (requires, gate) = match &d.requires {
        RequiresDef::Cues(list) => (
            cx.refs(
                c.at(&["requires"]),
                "required cues",
                list,
                &names.cues,
                "cue",
            ),
            None,
        ),
        RequiresDef::When(cond) => (
            Vec::new(),
            cx.cond(&here.join("requires"), cond, names, &owner),
        ),
    };
    let reveals = cx.refs(
        c.at(&["reveals"]),
        "revealed pages",
        &d.reveals,
        &names.pages,
        "runbook page",
    );
    cx.ck
        .count(c.at(&["marks"]), "marks", d.marks.len(), MAX_LIST);
    let delay_beats = cx.beats(
        c.at(&["delay_beats"]),
        &format!("{owner}: `delay_beats`"),
        d.delay_beats,
        0,
    );
    cx.line(c, &["label"], &format!("{owner}: label"), &d.label);
    if let Some(r) = &d.response {
        cx.line(
            c,
            &["response", "persona"],
            &format!("{owner}: response persona"),
            &r.persona,
        );
        cx.text(
            c,
            &["response", "text"],
            &format!("{owner}: response text"),
            &r.text,
        );
    }
    if d.outcomes.len() > MAX_OUTCOMES {
        cx.ck.count(
            c.at(&["outcomes"]),
            "outcomes",
            d.outcomes.len(),
            MAX_OUTCOMES,
        );
    }
    let outcomes = d
        .outcomes
        .iter()
        .take(MAX_OUTCOMES)
        .enumerate()
        .filter_map(|(n, o)| {
            let owner = format!("{owner} outcome {}", n + 1);
            outcome(cx, &here.join("outcomes").join(n), o, names, &owner)
        })
        .collect();
    Cue {
        id: d.id.clone(),
        key,
        label: d.label.clone(),
        roles: d.roles.iter().map(|r| r.get_ref().clone()).collect(),
        delay_beats,
        effects: effects(cx, &here, &d.effects, names, &owner),
        reveals,
        marks: d.marks.clone(),
        requires,
        gate,
        repeatable: d.repeatable,
        response: d.response.clone(),
        set: cx.sets(&here, &d.set, &d.add, names, &owner),
        event: cx.event_ref(d.event.as_ref(), names),
        outcomes,
    }
}

fn outcome(
    cx: &mut Cx<'_, '_>,
    here: &Here<'_, '_>,
    o: &OutcomeDef,
    names: &Names<'_>,
    owner: &str,
) -> Option<Outcome> {
    let when = cx.cond(&here.join("when"), &o.when, names, owner);
    if let Some(r) = &o.response {
        response(cx, here, owner, r);
    }
    if let Some(m) = &o.marks {
        cx.ck.count(here.at(&["marks"]), "marks", m.len(), MAX_LIST);
    }
    let effects = o
        .effects
        .as_ref()
        .map(|e| effects(cx, here, e, names, owner));
    let set = (o.set.is_some() || o.add.is_some()).then(|| {
        cx.sets(
            here,
            &o.set.clone().unwrap_or_default(),
            &o.add.clone().unwrap_or_default(),
            names,
            owner,
        )
    });
    Some(Outcome {
        when: when?,
        effects,
        response: o.response.clone(),
        marks: o.marks.clone(),
        set,
        event: cx.event_ref(o.event.as_ref(), names),
    })
}

fn key(cx: &mut Cx<'_, '_>, key: &Spanned<String>, seen: &mut HashSet<char>) -> char {
    let mut chars = key.get_ref().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => {
            if crate::keymap::is_reserved(c) {
                cx.err(
                    key.span(),
                    format!("key `{c}` is reserved by the console; pick another"),
                );
            } else if !seen.insert(c) {
                cx.err(key.span(), format!("key `{c}` is bound to two cues"));
            }
            c
        }
        _ => {
            let shown: String = key.get_ref().chars().take(MAX_ID_CHARS).collect();
            cx.err(
                key.span(),
                format!("a cue key must be one printable character, not `{shown}`"),
            );
            '\0'
        }
    }
}

/// A cue that (through `requires`) needs itself can never be pressed.
fn requires_cycles(cx: &mut Cx<'_, '_>, raw: &[Item<'_, model::CueDef>], cues: &[Cue]) {
    for (start, c) in cues.iter().enumerate() {
        let mut seen = vec![false; cues.len()];
        let mut stack: Vec<usize> = c.requires.clone();
        while let Some(n) = stack.pop() {
            if n == start {
                cx.err(
                    raw[start].span(),
                    format!(
                        "cue `{}` requires itself (through `requires`), so it can never be used",
                        c.id
                    ),
                );
                break;
            }
            if n < cues.len() && !std::mem::replace(&mut seen[n], true) {
                stack.extend(&cues[n].requires);
            }
        }
    }
}

pub(super) fn hints(cx: &mut Cx<'_, '_>, raw: &Raw<'_>) -> Vec<Hint> {
    raw.hints
        .iter()
        .map(|h| {
            cx.text(h, &["text"], "a hint's text", &h.def.text);
            Hint {
                text: h.def.text.clone(),
                after: h
                    .def
                    .after
                    .as_ref()
                    .and_then(|p| cx.pos(p, "hint"))
                    .unwrap_or(0),
            }
        })
        .collect()
}

pub(super) fn red_herrings(
    cx: &mut Cx<'_, '_>,
    raw: &Raw<'_>,
    names: &Names<'_>,
) -> Vec<RedHerring> {
    raw.red_herrings
        .iter()
        .map(|r| {
            let d = &r.def;
            cx.text(
                r,
                &["text"],
                &format!("red herring `{}`: text", d.id),
                &d.text,
            );
            RedHerring {
                id: d.id.clone(),
                text: d.text.clone(),
                cues: cx.refs(r.at(&["cues"]), "cues", &d.cues, &names.cues, "cue"),
                signals: cx.refs(
                    r.at(&["signals"]),
                    "signals",
                    &d.signals,
                    &names.signals,
                    "signal",
                ),
            }
        })
        .collect()
}

/// A response's persona and text, within their lengths; `owner` says whose it is.
pub(super) fn response(
    cx: &mut Cx<'_, '_>,
    here: &Here<'_, '_>,
    owner: &str,
    r: &crate::scenario::model::ResponseDef,
) {
    cx.ck.text(
        here.at(&["response", "persona"]),
        &format!("{owner}: response persona"),
        &r.persona,
        MAX_LINE_CHARS,
    );
    cx.ck.text(
        here.at(&["response", "text"]),
        &format!("{owner}: response text"),
        &r.text,
        MAX_TEXT_CHARS,
    );
}
