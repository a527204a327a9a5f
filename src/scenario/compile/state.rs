//! `[[flags]]`, `[[events]]` and `[[decisions]]`, and the `set`/`add`/`event` fields that
//! cues, injects, outcomes and options share.

use super::effects::effects;
use super::{Cx, Names};
use crate::scenario::branching::{AddDef, FlagValue, OptionDef, SetDef};
use crate::scenario::limits::*;
use crate::scenario::load::{Here, Raw};
use crate::scenario::model::Ref;
use crate::scenario::{Choice, Decision, DecisionOption, EventSeries, Flag, FlagOp, SetOp};
use std::collections::HashSet;

pub(super) fn flags(cx: &mut Cx<'_, '_>, raw: &Raw<'_>) -> Vec<Flag> {
    raw.flags
        .iter()
        .map(|f| {
            let d = &f.def;
            let owner = format!("flag `{}`", d.id);
            if let Some(n) = &d.name {
                cx.line(f, &["name"], &format!("{owner}: name"), n);
            }
            cx.text(f, &["note"], &format!("{owner}: note"), &d.note);
            let initial = match d.initial.as_ref().map(|v| (*v.get_ref(), v.span())) {
                None => 0.0,
                Some((FlagValue::Bool(b), _)) if !d.counter => f64::from(u8::from(b)),
                Some((FlagValue::Number(n), span)) if d.counter => {
                    cx.value(span, &format!("{owner}: `initial`"), n);
                    n
                }
                Some((_, span)) => {
                    let want = if d.counter {
                        "a number"
                    } else {
                        "true or false"
                    };
                    cx.err(span, format!("{owner}: `initial` must be {want}"));
                    0.0
                }
            };
            Flag {
                id: d.id.clone(),
                name: d.name.clone().unwrap_or_else(|| d.id.clone()),
                counter: d.counter,
                initial,
                visible: d.visible,
                note: d.note.clone(),
            }
        })
        .collect()
}

pub(super) fn events(cx: &mut Cx<'_, '_>, raw: &Raw<'_>) -> Vec<EventSeries> {
    raw.events
        .iter()
        .map(|e| {
            let d = &e.def;
            cx.line(
                e,
                &["name"],
                &format!("event series `{}`: name", d.id),
                &d.name,
            );
            let glyph = match &d.glyph {
                Some(g) => {
                    let mut chars = g.get_ref().chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) if !c.is_control() && !c.is_whitespace() => c,
                        _ => {
                            cx.err(
                                g.span(),
                                "an event series' `glyph` must be one printable character",
                            );
                            '*'
                        }
                    }
                }
                None => d
                    .name
                    .chars()
                    .find(|c| !c.is_whitespace() && !c.is_control())
                    .unwrap_or('*'),
            };
            EventSeries {
                id: d.id.clone(),
                name: d.name.clone(),
                glyph,
            }
        })
        .collect()
}

impl Cx<'_, '_> {
    /// `set = { … }` and `add = { … }` of one entry, in that order.
    pub(super) fn sets(
        &mut self,
        here: &Here<'_, '_>,
        set: &SetDef,
        add: &AddDef,
        names: &Names<'_>,
        owner: &str,
    ) -> Vec<SetOp> {
        let mut out = Vec::new();
        self.ck
            .count(here.at(&["set"]), "flags in `set`", set.len(), MAX_LIST);
        self.ck
            .count(here.at(&["add"]), "counters in `add`", add.len(), MAX_LIST);
        for (id, v) in set {
            let span = here.at(&["set", id]);
            let Some(flag) = self.ck.lookup(span.clone(), "flag", id, &names.flags) else {
                continue;
            };
            let value = match (*v, names.counters[flag]) {
                (FlagValue::Bool(b), false) => f64::from(u8::from(b)),
                (FlagValue::Number(n), true) => {
                    if !self.value(span, &format!("{owner}: `set.{id}`"), n) {
                        continue;
                    }
                    n
                }
                (_, counter) => {
                    let want = if counter {
                        "a number (it is a counter)"
                    } else {
                        "true or false (it is a flag)"
                    };
                    self.err(span, format!("{owner}: `set.{id}` must be {want}"));
                    continue;
                }
            };
            out.push(SetOp {
                flag,
                op: FlagOp::Set(value),
            });
        }
        for (id, n) in add {
            let span = here.at(&["add", id]);
            let Some(flag) = self.ck.lookup(span.clone(), "flag", id, &names.flags) else {
                continue;
            };
            if !names.counters[flag] {
                self.err(
                    span,
                    format!("{owner}: `add.{id}`: flag `{id}` is not a counter; use `set`"),
                );
                continue;
            }
            if self.value(span, &format!("{owner}: `add.{id}`"), *n) {
                out.push(SetOp {
                    flag,
                    op: FlagOp::Add(*n),
                });
            }
        }
        out
    }

    /// An `event` field: the series it marks.
    pub(super) fn event_ref(&mut self, r: Option<&Ref>, names: &Names<'_>) -> Option<usize> {
        self.lookup(r?, &names.events, "event series")
    }
}

pub(super) fn decisions(
    cx: &mut Cx<'_, '_>,
    raw: &Raw<'_>,
    names: &Names<'_>,
    cue_keys: &HashSet<char>,
) -> Vec<Decision> {
    raw.decisions
        .iter()
        .map(|item| {
            let d = &item.def;
            let owner = format!("decision `{}`", d.id);
            let here = item.here();
            cx.line(item, &["prompt"], &format!("{owner}: prompt"), &d.prompt);
            let at = d.at.as_ref().and_then(|p| cx.pos(p, &owner));
            let when = d
                .when
                .as_ref()
                .and_then(|c| cx.cond(&here.join("when"), c, names, &owner));
            if d.at.is_some() == d.when.is_some() {
                cx.err(
                    item.span(),
                    format!("{owner} needs exactly one of `at` and `when`"),
                );
            }
            let within = d.within_beats.map(|n| {
                cx.beats(
                    item.at(&["within_beats"]),
                    &format!("{owner}: `within_beats`"),
                    n,
                    1,
                )
            });
            let n = d.options.len();
            if !(2..=MAX_OPTIONS).contains(&n) {
                cx.err(
                    item.at(&["options"]),
                    format!("{owner} needs 2 to {MAX_OPTIONS} options, not {n}"),
                );
            }
            let mut ids = HashSet::new();
            let mut keys = HashSet::new();
            let mut cues = HashSet::new();
            let options: Vec<DecisionOption> = d
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let at = here.join("options").join(i);
                    if !ids.insert(o.id.as_str()) {
                        cx.err(
                            at.span(),
                            format!("{owner}: duplicate option id `{}`", o.id),
                        );
                    } else {
                        cx.word_id(at.at(&["id"]), "option", &o.id);
                    }
                    option(cx, &at, o, names, &owner, cue_keys, (&mut keys, &mut cues))
                })
                .collect();
            let default = d.default.as_ref().and_then(|r| {
                let ids: Vec<&str> = d.options.iter().map(|o| o.id.as_str()).collect();
                cx.lookup(r, &ids, &format!("option of {owner}"))
            });
            if d.default.is_some() && d.within_beats.is_none() {
                cx.err(
                    item.at(&["default"]),
                    format!("{owner}: `default` needs `within_beats`"),
                );
            }
            Decision {
                id: d.id.clone(),
                prompt: d.prompt.clone(),
                at,
                when,
                within,
                default,
                options,
            }
        })
        .collect()
}

fn option(
    cx: &mut Cx<'_, '_>,
    here: &Here<'_, '_>,
    o: &OptionDef,
    names: &Names<'_>,
    decision: &str,
    cue_keys: &HashSet<char>,
    (keys, cues): (&mut HashSet<char>, &mut HashSet<usize>),
) -> DecisionOption {
    let owner = format!("{decision} option `{}`", o.id);
    cx.ck.text(
        here.at(&["label"]),
        &format!("{owner}: label"),
        &o.label,
        MAX_LINE_CHARS,
    );
    let choice = match (&o.cue, &o.key) {
        (Some(c), None) => {
            let cue = cx.lookup(c, &names.cues, "cue").unwrap_or(0);
            if !cues.insert(cue) {
                cx.err(
                    c.span(),
                    format!(
                        "{owner}: cue `{}` already chooses another option",
                        c.get_ref()
                    ),
                );
            }
            Choice::Cue(cue)
        }
        (None, Some(k)) => {
            let mut chars = k.get_ref().chars();
            let c = match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => c,
                _ => {
                    cx.err(
                        k.span(),
                        format!("{owner}: a key must be one printable character"),
                    );
                    '\0'
                }
            };
            if crate::keymap::is_reserved(c) {
                cx.err(
                    k.span(),
                    format!("{owner}: key `{c}` is reserved by the console; pick another"),
                );
            } else if cue_keys.contains(&c) {
                cx.err(
                    k.span(),
                    format!("{owner}: key `{c}` is a cue's key; pick another"),
                );
            } else if !keys.insert(c) {
                cx.err(
                    k.span(),
                    format!("{owner}: key `{c}` is bound to two options"),
                );
            }
            Choice::Key(c)
        }
        _ => {
            cx.err(
                here.span(),
                format!("{owner} needs exactly one of `cue` (a cue chooses it) and `key` (the facilitator does)"),
            );
            Choice::Key('\0')
        }
    };
    let skips = cx.refs(
        here.at(&["skips"]),
        "skipped injects",
        &o.skips,
        &names.injects,
        "inject",
    );
    if let Some(r) = &o.response {
        super::story::response(cx, here, &owner, r);
    }
    DecisionOption {
        id: o.id.clone(),
        label: o.label.clone(),
        choice,
        set: cx.sets(here, &o.set, &o.add, names, &owner),
        effects: effects(cx, here, &o.effects, names, &owner),
        skips,
        event: cx.event_ref(o.event.as_ref(), names),
        response: o.response.clone(),
    }
}
