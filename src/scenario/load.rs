//! Parsing and validation. Every problem is collected, not just the first: syntax errors,
//! the shape of each section and each array entry on its own, then every reference.

use super::model::{self, EffectKind, Ref};
use super::position::Position;
use super::*;
use crate::diag::Diagnostic;
use serde::de::{DeserializeOwned, IntoDeserializer};
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

const SECTIONS: &[&str] = &[
    "scenario",
    "tempo",
    "targets",
    "roles",
    "objectives",
    "signals",
    "alerts",
    "injects",
    "cues",
    "runbook",
    "hints",
    "red_herrings",
    "debrief",
];

/// Reads and validates a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let src = std::fs::read_to_string(path)
        .map_err(|e| vec![Diagnostic::whole(&name, format!("cannot read: {e}"))])?;
    load_str(&src, &name)
}

/// Validates scenario source text; `file` names it in diagnostics.
pub fn load_str(src: &str, file: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let mut cx = Cx {
        file,
        src,
        diags: Vec::new(),
    };
    let (doc, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| Diagnostic::from_toml(file, src, e))
            .collect());
    }
    let doc = doc.into_inner();
    for (key, _) in doc.iter() {
        if !SECTIONS.contains(&key.get_ref().as_ref()) {
            cx.err(
                key.span(),
                format!(
                    "unknown section `{}`; expected one of: {}",
                    key.get_ref(),
                    SECTIONS.join(", ")
                ),
            );
        }
    }
    let raw = Raw {
        meta: cx.table(&doc, "scenario", true),
        tempo: cx.table(&doc, "tempo", true),
        targets: cx.table(&doc, "targets", false),
        debrief: cx.table(&doc, "debrief", false),
        roles: cx.array(&doc, "roles"),
        objectives: cx.array(&doc, "objectives"),
        signals: cx.array(&doc, "signals"),
        alerts: cx.array(&doc, "alerts"),
        injects: cx.array(&doc, "injects"),
        cues: cx.array(&doc, "cues"),
        runbook: cx.array(&doc, "runbook"),
        hints: cx.array(&doc, "hints"),
        red_herrings: cx.array(&doc, "red_herrings"),
    };
    let scenario = cx.compile(raw);
    if cx.diags.is_empty() {
        scenario.ok_or_else(|| vec![Diagnostic::whole(file, "incomplete scenario")])
    } else {
        cx.diags.sort_by_key(|d| (d.line, d.col));
        cx.diags.dedup();
        Err(cx.diags)
    }
}

struct Raw {
    meta: Option<model::Meta>,
    tempo: Option<model::Tempo>,
    targets: Option<model::Targets>,
    debrief: Option<model::DebriefDef>,
    roles: Vec<Spanned<model::RoleDef>>,
    objectives: Vec<Spanned<model::ObjectiveDef>>,
    signals: Vec<Spanned<model::SignalDef>>,
    alerts: Vec<Spanned<model::AlertDef>>,
    injects: Vec<Spanned<model::InjectDef>>,
    cues: Vec<Spanned<model::CueDef>>,
    runbook: Vec<Spanned<model::RunbookPage>>,
    hints: Vec<Spanned<model::HintDef>>,
    red_herrings: Vec<Spanned<model::RedHerringDef>>,
}

struct Cx<'a> {
    file: &'a str,
    src: &'a str,
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn err(&mut self, span: Range<usize>, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(self.file, self.src, Some(span), msg));
    }

    fn whole(&mut self, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(self.file, self.src, None, msg));
    }

    fn value<T: DeserializeOwned>(&mut self, v: &Spanned<DeValue<'_>>, what: &str) -> Option<T> {
        let span = v.span();
        match T::deserialize(v.clone().into_deserializer()) {
            Ok(t) => Some(t),
            Err(e) => {
                let at = e.span().unwrap_or(span);
                self.err(
                    at,
                    format!("in {what}: {}", e.message().trim().replace('\n', " ")),
                );
                None
            }
        }
    }

    fn table<T: DeserializeOwned>(
        &mut self,
        doc: &DeTable<'_>,
        key: &str,
        required: bool,
    ) -> Option<T> {
        match doc.get(key) {
            Some(v) if matches!(v.get_ref(), DeValue::Table(_)) => {
                self.value(v, &format!("[{key}]"))
            }
            Some(v) => {
                self.err(
                    v.span(),
                    format!("`{key}` must be a table: write it as [{key}]"),
                );
                None
            }
            None => {
                if required {
                    self.whole(format!("missing the [{key}] section"));
                }
                None
            }
        }
    }

    fn array<T: DeserializeOwned>(&mut self, doc: &DeTable<'_>, key: &str) -> Vec<Spanned<T>> {
        let Some(v) = doc.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.err(
                v.span(),
                format!("`{key}` must be an array of tables: write each entry as [[{key}]]"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(t) = self.value(item, &format!("{key}[{i}]")) {
                out.push(Spanned::new(item.span(), t));
            }
        }
        out
    }

    fn pos(&mut self, p: &Spanned<Position>, bpb: u32, length: u64, what: &str) -> Option<u64> {
        match p.get_ref().resolve(bpb) {
            Ok(b) if b < length => Some(b),
            Ok(b) => {
                self.err(
                    p.span(),
                    format!(
                        "{what} at {} (beat {b}) is past the end of the timeline (beat {})",
                        p.get_ref(),
                        length.saturating_sub(1)
                    ),
                );
                None
            }
            Err(e) => {
                self.err(p.span(), e);
                None
            }
        }
    }

    fn lookup(&mut self, r: &Ref, ids: &[&str], kind: &str) -> Option<usize> {
        let found = ids.iter().position(|id| id == r.get_ref());
        if found.is_none() {
            let known = if ids.is_empty() {
                "none are defined".to_string()
            } else {
                format!("known: {}", ids.join(", "))
            };
            self.err(
                r.span(),
                format!("no {kind} named `{}` ({known})", r.get_ref()),
            );
        }
        found
    }

    fn unique<T>(&mut self, items: &[Spanned<T>], id: impl Fn(&T) -> &str, kind: &str) {
        let mut seen = HashSet::new();
        for item in items {
            let name = id(item.get_ref());
            if name.is_empty() {
                self.err(item.span(), format!("a {kind} needs a non-empty id"));
            } else if !seen.insert(name.to_string()) {
                self.err(item.span(), format!("duplicate {kind} id `{name}`"));
            }
        }
    }

    fn compile(&mut self, raw: Raw) -> Option<Scenario> {
        // With [scenario] or [tempo] broken, everything else is still checked, against a
        // 4-beat bar and an endless timeline; only a complete file becomes a scenario.
        if let Some(tempo) = &raw.tempo {
            if tempo.bpm == 0 || tempo.bpm > 600 {
                self.whole(format!(
                    "[tempo] bpm must be between 1 and 600, not {}",
                    tempo.bpm
                ));
            }
            if tempo.beats_per_bar == 0 || tempo.beats_per_bar > 16 {
                self.whole(format!(
                    "[tempo] beats_per_bar must be between 1 and 16, not {}",
                    tempo.beats_per_bar
                ));
            }
            if tempo.story_seconds_per_beat == 0 {
                self.whole("[tempo] story_seconds_per_beat must be at least 1");
            }
        }
        if let Some(meta) = &raw.meta {
            if meta.length_bars == 0 {
                self.whole("[scenario] length_bars must be at least 1");
            }
            if meta.id.is_empty()
                || !meta
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                self.whole(format!(
                    "[scenario] id `{}` must be letters, digits, - or _",
                    meta.id
                ));
            }
        }
        let bpb = raw.tempo.as_ref().map_or(4, |t| t.beats_per_bar.max(1));
        let length = raw
            .meta
            .as_ref()
            .map_or(u64::MAX, |m| u64::from(m.length_bars) * u64::from(bpb));

        self.unique(&raw.roles, |r| r.id.as_str(), "role");
        self.unique(&raw.objectives, |r| r.id.as_str(), "objective");
        self.unique(&raw.signals, |r| r.id.as_str(), "signal");
        self.unique(&raw.alerts, |r| r.id.as_str(), "alert");
        self.unique(&raw.injects, |r| r.id.as_str(), "inject");
        self.unique(&raw.cues, |r| r.id.as_str(), "cue");
        self.unique(&raw.runbook, |r| r.id.as_str(), "runbook page");
        self.unique(&raw.red_herrings, |r| r.id.as_str(), "red herring");
        if raw.signals.is_empty() {
            self.whole("a scenario needs at least one [[signals]] entry");
        }
        if raw.cues.is_empty() {
            self.whole("a scenario needs at least one [[cues]] entry");
        }

        let signal_ids: Vec<&str> = raw
            .signals
            .iter()
            .map(|s| s.get_ref().id.as_str())
            .collect();
        let cue_ids: Vec<&str> = raw.cues.iter().map(|s| s.get_ref().id.as_str()).collect();
        let inject_ids: Vec<&str> = raw
            .injects
            .iter()
            .map(|s| s.get_ref().id.as_str())
            .collect();
        let page_ids: Vec<&str> = raw
            .runbook
            .iter()
            .map(|s| s.get_ref().id.as_str())
            .collect();
        let role_ids: Vec<&str> = raw.roles.iter().map(|s| s.get_ref().id.as_str()).collect();

        let signals = raw
            .signals
            .iter()
            .map(|s| self.signal(s, length, bpb))
            .collect();
        let alerts = raw
            .alerts
            .iter()
            .map(|a| {
                let d = a.get_ref();
                let signal = self.lookup(&d.signal, &signal_ids, "signal").unwrap_or(0);
                if d.for_beats == 0 {
                    self.err(
                        a.span(),
                        format!("alert `{}`: for_beats must be at least 1", d.id),
                    );
                }
                Alert {
                    id: d.id.clone(),
                    signal,
                    threshold: d.threshold,
                    direction: d.direction,
                    for_beats: d.for_beats.max(1),
                    severity: d.severity,
                    summary: d.summary.clone(),
                    marks: d.marks.clone(),
                }
            })
            .collect();
        let ids = Ids {
            signals: &signal_ids,
            cues: &cue_ids,
            injects: &inject_ids,
        };
        let injects = raw
            .injects
            .iter()
            .map(|i| {
                let d = i.get_ref();
                let at = match (&d.at, d.contingency) {
                    (Some(p), true) => {
                        self.err(p.span(), format!("inject `{}` is a contingency (fired by hand): drop `at`", d.id));
                        None
                    }
                    (Some(p), false) => self.pos(p, bpb, length, &format!("inject `{}`", d.id)),
                    (None, true) if d.when.is_some() => {
                        self.err(i.span(), format!("inject `{}` is a contingency (fired by hand): `when` never applies", d.id));
                        None
                    }
                    (None, true) => None,
                    (None, false) => {
                        self.err(
                            i.span(),
                            format!("inject `{}` needs `at` (or `contingency = true`)", d.id),
                        );
                        None
                    }
                };
                let when = d.when.as_ref().map(|c| Condition {
                    cue: self.lookup(&c.cue, &cue_ids, "cue").unwrap_or(0),
                    done: c.done,
                    by: c
                        .by
                        .as_ref()
                        .and_then(|p| self.pos(p, bpb, length, "condition")),
                });
                Inject {
                    id: d.id.clone(),
                    at,
                    persona: d.persona.clone(),
                    channel: d.channel,
                    text: d.text.clone(),
                    surprise: d.surprise,
                    contingency: d.contingency,
                    when,
                    effects: self.effects(
                        &d.effects,
                        &ids,
                        &format!("inject `{}`", d.id),
                        i.span(),
                    ),
                }
            })
            .collect();
        let mut keys = HashSet::new();
        let cues: Vec<Cue> = raw
            .cues
            .iter()
            .map(|c| {
                let d = c.get_ref();
                let key = self.key(&d.key, &mut keys);
                for r in &d.roles {
                    self.lookup(r, &role_ids, "role");
                }
                let requires = d
                    .requires
                    .iter()
                    .filter_map(|r| self.lookup(r, &cue_ids, "cue"))
                    .collect();
                let reveals = d
                    .reveals
                    .iter()
                    .filter_map(|r| self.lookup(r, &page_ids, "runbook page"))
                    .collect();
                Cue {
                    id: d.id.clone(),
                    key,
                    label: d.label.clone(),
                    roles: d.roles.iter().map(|r| r.get_ref().clone()).collect(),
                    delay_beats: d.delay_beats,
                    effects: self.effects(&d.effects, &ids, &format!("cue `{}`", d.id), c.span()),
                    reveals,
                    marks: d.marks.clone(),
                    requires,
                    repeatable: d.repeatable,
                    response: d.response.clone(),
                }
            })
            .collect();
        self.requires_cycles(&raw.cues, &cues);
        let objectives = raw
            .objectives
            .iter()
            .filter_map(|o| {
                let d = o.get_ref();
                let measure = self.measure(&d.measure, o.span(), &ids, bpb, length)?;
                if let Measure::BudgetLeft { signal, .. } = measure
                    && raw.signals[signal].get_ref().slo.is_none()
                {
                    self.err(
                        o.span(),
                        format!(
                            "objective `{}`: signal `{}` has no `slo`, so it has no error budget",
                            d.id, signal_ids[signal]
                        ),
                    );
                }
                Some(Objective {
                    id: d.id.clone(),
                    text: d.text.clone(),
                    measure,
                })
            })
            .collect();
        let hints = raw
            .hints
            .iter()
            .map(|h| {
                let d = h.get_ref();
                Hint {
                    text: d.text.clone(),
                    after: d
                        .after
                        .as_ref()
                        .and_then(|p| self.pos(p, bpb, length, "hint"))
                        .unwrap_or(0),
                }
            })
            .collect();
        let red_herrings = raw
            .red_herrings
            .iter()
            .map(|r| {
                let d = r.get_ref();
                RedHerring {
                    id: d.id.clone(),
                    text: d.text.clone(),
                    cues: d
                        .cues
                        .iter()
                        .filter_map(|c| self.lookup(c, &cue_ids, "cue"))
                        .collect(),
                    signals: d
                        .signals
                        .iter()
                        .filter_map(|c| self.lookup(c, &signal_ids, "signal"))
                        .collect(),
                }
            })
            .collect();
        let mut roles: Vec<RoleDef> = raw.roles.iter().map(|r| r.get_ref().clone()).collect();
        if roles.is_empty() {
            roles.push(RoleDef {
                id: "responder".into(),
                name: "Responder".into(),
                description: "Plays every part".into(),
                facilitator: true,
            });
        }
        let (Some(meta), Some(tempo)) = (raw.meta.clone(), raw.tempo.clone()) else {
            return None;
        };
        Some(Scenario {
            meta,
            tempo,
            targets: raw.targets.unwrap_or_default(),
            roles,
            objectives,
            signals,
            alerts,
            injects,
            cues,
            runbook: raw.runbook.iter().map(|r| r.get_ref().clone()).collect(),
            hints,
            red_herrings,
            debrief: raw.debrief.unwrap_or_default(),
            length_beats: length,
            content_hash: content_hash(self.src),
        })
    }

    /// A cue that (through `requires`) needs itself can never be pressed.
    fn requires_cycles(&mut self, raw: &[Spanned<model::CueDef>], cues: &[Cue]) {
        for (start, c) in cues.iter().enumerate() {
            let mut seen = vec![false; cues.len()];
            let mut stack: Vec<usize> = c.requires.clone();
            while let Some(n) = stack.pop() {
                if n == start {
                    self.err(raw[start].span(), format!("cue `{}` requires itself (through `requires`), so it can never be used", c.id));
                    break;
                }
                if n < cues.len() && !std::mem::replace(&mut seen[n], true) {
                    stack.extend(&cues[n].requires);
                }
            }
        }
    }

    fn signal(&mut self, s: &Spanned<model::SignalDef>, length: u64, bpb: u32) -> Signal {
        let d = s.get_ref();
        let (lo, hi) = (d.healthy[0], d.healthy[1]);
        if lo > hi {
            self.err(
                s.span(),
                format!(
                    "signal `{}`: healthy range [{lo}, {hi}] is upside down",
                    d.id
                ),
            );
        }
        if !(0.0..1.0).contains(&d.inertia) {
            self.err(
                s.span(),
                format!(
                    "signal `{}`: inertia must be in [0, 1), not {}",
                    d.id, d.inertia
                ),
            );
        }
        if d.noise < 0.0 {
            self.err(
                s.span(),
                format!("signal `{}`: noise cannot be negative", d.id),
            );
        }
        if let Some(i) = d.samples.iter().position(|v| !v.is_finite()) {
            self.err(
                s.span(),
                format!("signal `{}`: samples[{i}] is not a finite number", d.id),
            );
        }
        let (min, max) = (d.min.unwrap_or(f64::MIN), d.max.unwrap_or(f64::MAX));
        if min > max {
            self.err(s.span(), format!("signal `{}`: min is above max", d.id));
        }
        let slo = d.slo.as_ref().map(|slo| {
            if !(0.0 < slo.target && slo.target < 100.0) {
                self.err(
                    s.span(),
                    format!(
                        "signal `{}`: SLO target must be a percentage below 100, like 99.9",
                        d.id
                    ),
                );
            }
            Slo {
                target: slo.target,
                measure: slo.measure,
                window_beats: slo
                    .window_bars
                    .map_or(length, |b| u64::from(b) * u64::from(bpb))
                    .max(1),
            }
        });
        Signal {
            id: d.id.clone(),
            name: d.name.clone(),
            unit: d.unit.clone(),
            baseline: d.baseline,
            noise: d.noise,
            inertia: d.inertia,
            min,
            max,
            healthy: (lo, hi),
            slo,
            show: d.show,
            note: d.note.clone(),
            samples: d.samples.clone(),
        }
    }

    fn key(&mut self, key: &Spanned<String>, seen: &mut HashSet<char>) -> char {
        let mut chars = key.get_ref().chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => {
                // The console's own keys, from its one keymap.
                if crate::keymap::is_reserved(c) {
                    self.err(
                        key.span(),
                        format!("key `{c}` is reserved by the console; pick another"),
                    );
                } else if !seen.insert(c) {
                    self.err(key.span(), format!("key `{c}` is bound to two cues"));
                }
                c
            }
            _ => {
                self.err(
                    key.span(),
                    format!(
                        "a cue key must be one printable character, not `{}`",
                        key.get_ref()
                    ),
                );
                '\0'
            }
        }
    }

    fn effects(
        &mut self,
        defs: &[model::EffectDef],
        ids: &Ids<'_>,
        owner: &str,
        span: Range<usize>,
    ) -> Vec<Effect> {
        defs.iter()
            .filter_map(|d| self.effect(d, ids, owner, span.clone()))
            .collect()
    }

    fn effect(
        &mut self,
        d: &model::EffectDef,
        ids: &Ids<'_>,
        owner: &str,
        span: Range<usize>,
    ) -> Option<Effect> {
        let signal = d
            .signal
            .as_ref()
            .and_then(|s| self.lookup(s, ids.signals, "signal"));
        // A field the kind does not use is a mistake the author would want to hear about.
        let kind = kind_name(d.kind);
        let unused: &[(&str, bool)] = match d.kind {
            EffectKind::Step => &[("factor", d.factor.is_some()), ("over", d.over.is_some())],
            EffectKind::Ramp | EffectKind::Spike => &[("factor", d.factor.is_some())],
            EffectKind::Multiply => &[("by", d.by.is_some())],
            EffectKind::Clear => &[
                ("by", d.by.is_some()),
                ("factor", d.factor.is_some()),
                ("for_beats", d.for_beats.is_some()),
            ],
        };
        for (field, set) in unused {
            if *set {
                self.err(
                    span.clone(),
                    format!("{owner}: a `{kind}` effect does not use `{field}`"),
                );
            }
        }
        if d.kind == EffectKind::Clear {
            let source = d.source.as_ref().and_then(|s| {
                let name = s.get_ref().as_str();
                if let Some(i) = ids.injects.iter().position(|x| *x == name) {
                    Some(EffectOrigin::Inject(i))
                } else if let Some(i) = ids.cues.iter().position(|x| *x == name) {
                    Some(EffectOrigin::Cue(i))
                } else {
                    self.err(
                        s.span(),
                        format!("no inject or cue named `{name}` to clear"),
                    );
                    None
                }
            });
            if d.source.is_none() && d.signal.is_none() {
                self.err(
                    span,
                    format!("{owner}: a `clear` effect needs `source` or `signal`"),
                );
                return None;
            }
            return Some(Effect::Clear {
                source,
                signal,
                release: d.over.unwrap_or(4),
            });
        }
        if d.signal.is_none() {
            self.err(
                span,
                format!("{owner}: a `{}` effect needs `signal`", kind_name(d.kind)),
            );
            return None;
        }
        if d.source.is_some() {
            self.err(
                span.clone(),
                format!("{owner}: only `clear` effects take `source`"),
            );
        }
        let signal = signal?;
        let need_by = |cx: &mut Self| {
            d.by.or_else(|| {
                cx.err(
                    span.clone(),
                    format!("{owner}: a `{}` effect needs `by`", kind_name(d.kind)),
                );
                None
            })
        };
        let (op, attack, sustain, release) = match d.kind {
            EffectKind::Step => (Op::Add(need_by(self)?), 0, d.for_beats, 0),
            EffectKind::Ramp => (Op::Add(need_by(self)?), d.over.unwrap_or(4), d.for_beats, 0),
            EffectKind::Spike => (
                Op::Add(need_by(self)?),
                0,
                Some(d.for_beats.unwrap_or(1)),
                d.over.unwrap_or(3),
            ),
            EffectKind::Multiply => {
                let Some(f) = d.factor else {
                    self.err(span, format!("{owner}: a multiply effect needs `factor`"));
                    return None;
                };
                (Op::Mul(f), d.over.unwrap_or(0), d.for_beats, 0)
            }
            EffectKind::Clear => unreachable!("handled above"),
        };
        Some(Effect::Shape {
            signal,
            op,
            attack,
            sustain,
            release,
        })
    }

    fn measure(
        &mut self,
        m: &model::MeasureDef,
        span: Range<usize>,
        ids: &Ids<'_>,
        bpb: u32,
        length: u64,
    ) -> Option<Measure> {
        let by =
            m.by.as_ref()
                .and_then(|p| self.pos(p, bpb, length, "objective"));
        let set = [
            m.mark.is_some(),
            m.cue.is_some(),
            m.avoid_cue.is_some(),
            m.signal.is_some(),
        ];
        if set.iter().filter(|x| **x).count() != 1 {
            self.err(
                span,
                "an objective's measure needs exactly one of `mark`, `cue`, `avoid_cue`, `signal`",
            );
            return None;
        }
        if let Some(mark) = &m.mark {
            return Some(Measure::MarkBy {
                mark: *mark.get_ref(),
                by,
            });
        }
        if let Some(c) = &m.cue {
            return Some(Measure::CueBy {
                cue: self.lookup(c, ids.cues, "cue")?,
                by,
            });
        }
        if m.avoid_cue.is_some() && m.by.is_some() {
            self.err(
                span.clone(),
                "`avoid_cue` is judged over the whole drill and does not take `by`",
            );
        }
        if (m.mark.is_some() || m.cue.is_some() || m.avoid_cue.is_some()) && m.budget_left.is_some()
        {
            self.err(span.clone(), "`budget_left` goes with `signal` only");
        }
        if let Some(c) = &m.avoid_cue {
            return Some(Measure::AvoidCue {
                cue: self.lookup(c, ids.cues, "cue")?,
            });
        }
        let s = m.signal.as_ref()?;
        let signal = self.lookup(s, ids.signals, "signal")?;
        match (by, m.budget_left) {
            (Some(by), None) => Some(Measure::HealthyBy { signal, by }),
            (None, Some(min)) => Some(Measure::BudgetLeft { signal, min }),
            _ => {
                self.err(
                    span,
                    "a signal measure needs either `by` (healthy by then) or `budget_left`",
                );
                None
            }
        }
    }
}

struct Ids<'a> {
    signals: &'a [&'a str],
    cues: &'a [&'a str],
    injects: &'a [&'a str],
}

/// FNV-1a 64-bit of the text, as 16 hex digits: stable across platforms and releases.
pub fn content_hash(src: &str) -> String {
    format!("{:016x}", crate::fnv::fnv1a(src.as_bytes()))
}

fn kind_name(kind: EffectKind) -> &'static str {
    match kind {
        EffectKind::Step => "step",
        EffectKind::Ramp => "ramp",
        EffectKind::Spike => "spike",
        EffectKind::Multiply => "multiply",
        EffectKind::Clear => "clear",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAD_DEPLOY: &str = include_str!("../../scenarios/bad-deploy.toml");

    fn problems(src: &str) -> Vec<String> {
        load_str(src, "t.toml")
            .map(|_| Vec::new())
            .unwrap_or_else(|d| d.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn budget_objective_needs_an_slo() {
        let src = BAD_DEPLOY.replace(
            "measure = { signal = \"error_ratio\", budget_left = 0.4 }",
            "measure = { signal = \"rps\", budget_left = 0.4 }",
        );
        let p = problems(&src);
        assert!(
            p.iter().any(|m| m.contains("signal `rps` has no `slo`")),
            "{p:?}"
        );
    }

    #[test]
    fn requires_cycles_and_bracket_keys_are_errors() {
        let src = BAD_DEPLOY
            .replace("requires = [\"logs\"]", "requires = [\"hotfix\"]")
            .replace("key = \"s\"", "key = \"[\"");
        let p = problems(&src);
        assert!(
            p.iter().any(|m| m.contains("cue `hotfix` requires itself")),
            "{p:?}"
        );
        assert!(p.iter().any(|m| m.contains("key `[` is reserved")), "{p:?}");
    }

    #[test]
    fn fields_a_kind_does_not_use_are_errors() {
        let src = BAD_DEPLOY
            .replace("{ kind = \"ramp\", signal = \"db_cpu\", by = 14, over = 4, for_beats = 20 }", "{ kind = \"ramp\", signal = \"db_cpu\", by = 14, over = 4, for_beats = 20, factor = 2 }")
            .replace("{ kind = \"clear\", source = \"retry-storm\", over = 4 }", "{ kind = \"clear\", source = \"retry-storm\", over = 4, by = 1 }")
            .replace("measure = { avoid_cue = \"restart-db\" }", "measure = { avoid_cue = \"restart-db\", by = \"3:1\" }")
            .replace("text = \"checkout-api v2.41.0 promoted to eu-west (automated train)\"", "text = \"promoted\"\nat = \"3:1\"");
        let p = problems(&src);
        for needle in [
            "a `ramp` effect does not use `factor`",
            "a `clear` effect does not use `by`",
            "`avoid_cue` is judged over the whole drill",
            "is a contingency (fired by hand): drop `at`",
        ] {
            assert!(
                p.iter().any(|m| m.contains(needle)),
                "missing {needle:?} in {p:?}"
            );
        }
    }

    #[test]
    fn references_are_checked_even_when_tempo_is_broken() {
        let src = BAD_DEPLOY
            .replace("beats_per_bar = 4", "beats_per_bar = \"four\"")
            .replace("signal = \"p99\"\nthreshold", "signal = \"p98\"\nthreshold");
        let p = problems(&src);
        assert!(p.iter().any(|m| m.contains("[tempo]")), "{p:?}");
        assert!(
            p.iter().any(|m| m.contains("no signal named `p98`")),
            "{p:?}"
        );
    }

    #[test]
    fn effect_errors_keep_the_owner_id_as_written() {
        let src = BAD_DEPLOY
            .replace("id = \"release\"", "id = \"Release\"")
            .replace("source = \"release\"", "source = \"Release\"")
            .replace(
                "{ kind = \"ramp\", signal = \"error_ratio\", by = 5.5, over = 6 }",
                "{ kind = \"ramp\", signal = \"error_ratio\", over = 6 }",
            );
        let p = problems(&src);
        assert!(
            p.iter()
                .any(|m| m.contains("inject `Release`: a `ramp` effect needs `by`")),
            "{p:?}"
        );
    }
}
