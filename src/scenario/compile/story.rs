//! `[[injects]]`, `[[cues]]`, `[[hints]]` and `[[red_herrings]]`: what happens to the system
//! and what the players can do about it.

use super::effects::effects;
use super::{Cx, Names};
use crate::scenario::limits::*;
use crate::scenario::load::{Item, Raw};
use crate::scenario::{Condition, Cue, Hint, Inject, RedHerring, model};
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
        (None, false) => {
            cx.err(
                i.span(),
                format!("{owner} needs `at` (or `contingency = true`)"),
            );
            None
        }
    };
    let when = d.when.as_ref().map(|c| Condition {
        cue: cx.lookup(&c.cue, &names.cues, "cue").unwrap_or(0),
        done: c.done,
        by: c.by.as_ref().and_then(|p| cx.pos(p, "condition")),
    });
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
        when,
        effects: effects(cx, i, &d.effects, names, &owner),
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
    let requires = cx.refs(
        c.at(&["requires"]),
        "required cues",
        &d.requires,
        &names.cues,
        "cue",
    );
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
    Cue {
        id: d.id.clone(),
        key,
        label: d.label.clone(),
        roles: d.roles.iter().map(|r| r.get_ref().clone()).collect(),
        delay_beats,
        effects: effects(cx, c, &d.effects, names, &owner),
        reveals,
        marks: d.marks.clone(),
        requires,
        repeatable: d.repeatable,
        response: d.response.clone(),
    }
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
