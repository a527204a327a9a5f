//! Checking values and references and building the immutable [`Scenario`]. Every check runs
//! even when another part is broken (with `[scenario]` or `[tempo]` unreadable, positions are
//! checked against a 4-beat bar and an endless timeline); only a clean file becomes a scenario.
//! The bounds are in [`super::limits`].

mod cond;
mod effects;
mod header;
mod lint;
mod objectives;
mod signals;
mod state;
mod story;

use super::limits::*;
use super::load::{Item, Raw, content_hash};
use super::model::Ref;
use super::position::Position;
use super::{Cond, Held, Measure, RoleDef, Scenario};
use crate::diag::Checker;
use std::collections::HashSet;
use std::ops::Range;
use toml::Spanned;

/// A warning: legal, but almost certainly a mistake (`gamelan check` prints them).
pub(super) type Warning = (Range<usize>, String);

/// Checks every part of `raw` into `ck`; the scenario when `[scenario]` and `[tempo]` were
/// readable (the caller keeps it only if `ck` stayed clean), with the warnings about it when
/// it is clean.
pub(super) fn compile(ck: &mut Checker<'_>, raw: &Raw<'_>) -> Option<(Scenario, Vec<Warning>)> {
    let mut cx = Cx::new(ck, raw);
    header::check(&mut cx, raw);
    let names = Names::of(raw);
    cx.sections(raw);
    let signals = signals::signals(&mut cx, raw);
    let alerts = signals::alerts(&mut cx, raw, &names);
    let flags = state::flags(&mut cx, raw);
    let events = state::events(&mut cx, raw);
    let injects = story::injects(&mut cx, raw, &names);
    let cues = story::cues(&mut cx, raw, &names);
    let keys: HashSet<char> = cues.iter().map(|c| c.key).collect();
    let decisions = state::decisions(&mut cx, raw, &names, &keys);
    let objectives = objectives::objectives(&mut cx, raw, &names);
    let hints = story::hints(&mut cx, raw);
    let red_herrings = story::red_herrings(&mut cx, raw, &names);
    header::debrief(&mut cx, raw, &names);
    objective_cycles(&mut cx, raw, &objectives);
    let mut roles: Vec<RoleDef> = raw.roles.iter().map(|r| r.def.clone()).collect();
    if roles.is_empty() {
        roles.push(RoleDef {
            id: "responder".into(),
            name: "Responder".into(),
            description: "Plays every part".into(),
            facilitator: true,
        });
    }
    let length = cx.length?;
    let (meta, tempo) = (raw.meta.as_ref()?, raw.tempo.as_ref()?);
    let scenario = Scenario {
        meta: meta.def.clone(),
        tempo: tempo.def.clone(),
        targets: raw
            .targets
            .as_ref()
            .map(|t| t.def.clone())
            .unwrap_or_default(),
        roles,
        objectives,
        signals,
        alerts,
        injects,
        cues,
        runbook: raw.runbook.iter().map(|r| r.def.clone()).collect(),
        hints,
        red_herrings,
        debrief: raw
            .debrief
            .as_ref()
            .map(|d| d.def.clone())
            .unwrap_or_default(),
        flags,
        decisions,
        events,
        conds: std::mem::take(&mut cx.conds),
        held: std::mem::take(&mut cx.held),
        length_beats: length,
        content_hash: content_hash(cx.ck.src()),
        source: cx.ck.src().into(),
    };
    let warnings = if cx.ck.is_clean() {
        lint::lint(raw, &scenario)
    } else {
        Vec::new()
    };
    Some((scenario, warnings))
}

/// An objective judged by whether another is met must not, through others, wait on itself.
fn objective_cycles(cx: &mut Cx<'_, '_>, raw: &Raw<'_>, objectives: &[super::Objective]) {
    let named = |m: &Measure, conds: &[Cond]| {
        let mut out = Vec::new();
        if let Measure::Holds { cond, .. } | Measure::Never { cond } = m {
            cond::objectives_named(&conds[*cond], &mut out);
        }
        out
    };
    let edges: Vec<Vec<usize>> = objectives
        .iter()
        .map(|o| named(&o.measure, &cx.conds))
        .collect();
    for start in 0..edges.len() {
        let mut seen = vec![false; edges.len()];
        let mut stack = edges[start].clone();
        while let Some(n) = stack.pop() {
            if n == start {
                cx.err(
                    raw.objectives[start].span(),
                    format!(
                        "objective `{}` waits on itself (through `objective` conditions), so it can never be judged",
                        objectives[start].id
                    ),
                );
                break;
            }
            if n < edges.len() && !std::mem::replace(&mut seen[n], true) {
                stack.extend(&edges[n]);
            }
        }
    }
}

/// The ids of each section, for resolving references.
struct Names<'a> {
    signals: Vec<&'a str>,
    cues: Vec<&'a str>,
    injects: Vec<&'a str>,
    pages: Vec<&'a str>,
    roles: Vec<&'a str>,
    objectives: Vec<&'a str>,
    flags: Vec<&'a str>,
    /// Per flag: a counter rather than true/false.
    counters: Vec<bool>,
    events: Vec<&'a str>,
    decisions: Vec<&'a str>,
    /// Per decision: its options' ids.
    options: Vec<Vec<&'a str>>,
}

impl<'a> Names<'a> {
    fn of(raw: &'a Raw<'a>) -> Names<'a> {
        Names {
            signals: raw.signals.iter().map(|s| s.def.id.as_str()).collect(),
            cues: raw.cues.iter().map(|s| s.def.id.as_str()).collect(),
            injects: raw.injects.iter().map(|s| s.def.id.as_str()).collect(),
            pages: raw.runbook.iter().map(|s| s.def.id.as_str()).collect(),
            roles: raw.roles.iter().map(|s| s.def.id.as_str()).collect(),
            objectives: raw.objectives.iter().map(|s| s.def.id.as_str()).collect(),
            flags: raw.flags.iter().map(|s| s.def.id.as_str()).collect(),
            counters: raw.flags.iter().map(|s| s.def.counter).collect(),
            events: raw.events.iter().map(|s| s.def.id.as_str()).collect(),
            decisions: raw.decisions.iter().map(|s| s.def.id.as_str()).collect(),
            options: raw
                .decisions
                .iter()
                .map(|d| d.def.options.iter().map(|o| o.id.as_str()).collect())
                .collect(),
        }
    }
}

/// The checker plus what every check needs to know about the timeline.
struct Cx<'c, 'a> {
    ck: &'c mut Checker<'a>,
    /// Beats per bar; 4 when `[tempo]` is broken.
    bpb: u32,
    /// Beats on the timeline; `None` when `[scenario]` or `[tempo]` is broken.
    length: Option<u64>,
    /// The conditions checked so far (the scenario's arena).
    conds: Vec<Cond>,
    held: Vec<Held>,
}

impl<'c, 'a> Cx<'c, 'a> {
    fn new(ck: &'c mut Checker<'a>, raw: &Raw<'_>) -> Cx<'c, 'a> {
        let bpb = raw
            .tempo
            .as_ref()
            .map(|t| t.def.beats_per_bar)
            .filter(|b| (1..=MAX_BEATS_PER_BAR).contains(b));
        let bars = raw
            .meta
            .as_ref()
            .map(|m| m.def.length_bars.clamp(1, MAX_BARS));
        let length = bpb
            .zip(bars)
            .map(|(bpb, bars)| u64::from(bars) * u64::from(bpb));
        Cx {
            ck,
            bpb: bpb.unwrap_or(4),
            length,
            conds: Vec::new(),
            held: Vec::new(),
        }
    }

    fn err(&mut self, span: Range<usize>, msg: impl Into<String>) {
        self.ck.error(span, msg);
    }

    /// Section sizes, ids (non-empty, unique, well formed) and the sections a drill needs.
    fn sections(&mut self, raw: &Raw<'_>) {
        self.section(&raw.roles, |r| r.id.as_str(), "role", MAX_ROLES);
        self.section(
            &raw.objectives,
            |r| r.id.as_str(),
            "objective",
            MAX_OBJECTIVES,
        );
        self.section(&raw.signals, |r| r.id.as_str(), "signal", MAX_SIGNALS);
        self.section(&raw.alerts, |r| r.id.as_str(), "alert", MAX_ALERTS);
        self.section(&raw.injects, |r| r.id.as_str(), "inject", MAX_INJECTS);
        self.section(&raw.cues, |r| r.id.as_str(), "cue", MAX_CUES);
        self.section(&raw.runbook, |r| r.id.as_str(), "runbook page", MAX_PAGES);
        self.section(
            &raw.red_herrings,
            |r| r.id.as_str(),
            "red herring",
            MAX_HERRINGS,
        );
        self.section(&raw.flags, |r| r.id.as_str(), "flag", MAX_FLAGS);
        self.section(&raw.decisions, |r| r.id.as_str(), "decision", MAX_DECISIONS);
        self.section(
            &raw.events,
            |r| r.id.as_str(),
            "event series",
            MAX_EVENT_SERIES,
        );
        if raw.hints.len() > MAX_HINTS {
            let span = raw.hints[MAX_HINTS].span();
            self.ck.count(span, "hints", raw.hints.len(), MAX_HINTS);
        }
        if raw.signals.is_empty() {
            self.ck
                .whole("a scenario needs at least one [[signals]] entry");
        }
        if raw.cues.is_empty() {
            self.ck
                .whole("a scenario needs at least one [[cues]] entry");
        }
    }

    fn section<T>(
        &mut self,
        items: &[Item<'_, T>],
        id: impl Fn(&T) -> &str,
        kind: &str,
        max: usize,
    ) {
        if items.len() > max {
            let what = format!("{kind}s");
            self.ck.count(items[max].span(), &what, items.len(), max);
        }
        let mut seen = HashSet::new();
        for item in items {
            let name = id(&item.def);
            if name.is_empty() {
                self.err(item.span(), format!("a {kind} needs a non-empty id"));
            } else if !seen.insert(name) {
                self.err(item.span(), format!("duplicate {kind} id `{name}`"));
            } else {
                self.word_id(item.at(&["id"]), kind, name);
            }
        }
    }

    /// An id other than the scenario's: one word of a cue script.
    fn word_id(&mut self, span: Range<usize>, kind: &str, id: &str) {
        let n = id.chars().count();
        if n > MAX_ID_CHARS {
            self.err(
                span,
                format!("{kind} id is {n} characters long; at most {MAX_ID_CHARS} are allowed"),
            );
        } else if id
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '#')
        {
            self.err(
                span,
                format!("{kind} id `{id}` must be one word: no spaces, control characters or `#`"),
            );
        }
    }

    /// A position inside the timeline, as an absolute beat.
    fn pos(&mut self, p: &Spanned<Position>, what: &str) -> Option<u64> {
        let length = self.length.unwrap_or(u64::MAX);
        match p.get_ref().resolve(self.bpb) {
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

    /// A duration in beats: from `min` to the timeline's length (to [`MAX_BEATS`] when the
    /// length is unknown); anything longer could never play out.
    fn beats(&mut self, span: Range<usize>, what: &str, value: u32, min: u32) -> u32 {
        let max = self.length.unwrap_or(MAX_BEATS);
        self.beats_up_to(span, what, value, min, max)
    }

    /// An envelope's length in beats: a fade or ramp may outlast the drill (it is then still
    /// under way at the end), so only the longest timeline bounds it.
    fn envelope_beats(&mut self, span: Range<usize>, what: &str, value: u32) -> u32 {
        self.beats_up_to(span, what, value, 0, MAX_BEATS)
    }

    fn beats_up_to(
        &mut self,
        span: Range<usize>,
        what: &str,
        value: u32,
        min: u32,
        max: u64,
    ) -> u32 {
        if value < min {
            self.err(span, format!("{what} must be at least {min}, not {value}"));
        } else if u64::from(value) > max {
            self.err(
                span,
                format!("{what} = {value} is longer than the timeline ({max} beats)"),
            );
        }
        value
    }

    /// A value-like number: finite and within ±[`VALUE_LIMIT`].
    fn value(&mut self, span: Range<usize>, what: &str, x: f64) -> bool {
        self.ck.float(span, what, x, -VALUE_LIMIT, VALUE_LIMIT)
    }

    fn lookup(&mut self, r: &Ref, ids: &[&str], kind: &str) -> Option<usize> {
        self.ck.lookup(r.span(), kind, r.get_ref(), ids)
    }

    /// A list inside an entry: at most [`MAX_LIST`] items, each resolved against `ids`.
    fn refs(
        &mut self,
        span: Range<usize>,
        what: &str,
        refs: &[Ref],
        ids: &[&str],
        kind: &str,
    ) -> Vec<usize> {
        self.ck.count(span, what, refs.len(), MAX_LIST);
        refs.iter()
            .take(MAX_LIST)
            .filter_map(|r| self.lookup(r, ids, kind))
            .collect()
    }

    fn line<T>(&mut self, item: &Item<'_, T>, path: &[&str], what: &str, text: &str) {
        self.ck.text(item.at(path), what, text, MAX_LINE_CHARS);
    }

    fn text<T>(&mut self, item: &Item<'_, T>, path: &[&str], what: &str, text: &str) {
        self.ck.text(item.at(path), what, text, MAX_TEXT_CHARS);
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::load_str;

    const BAD_DEPLOY: &str = include_str!("../../../scenarios/bad-deploy.toml");

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

    #[test]
    fn sections_and_lists_are_bounded() {
        let extra: String = (0..28)
            .map(|i| {
                format!(
                    "\n[[signals]]\nid = \"s{i}\"\nname = \"s\"\nbaseline = 1\nhealthy = [0, 2]\n"
                )
            })
            .collect();
        let p = problems(&format!("{BAD_DEPLOY}{extra}"));
        assert!(
            p.iter()
                .any(|m| m.contains("at most 32 signals are allowed, not 33")),
            "{p:?}"
        );
        let effects = vec!["{ kind = \"step\", signal = \"rps\", by = 1 }"; 17].join(", ");
        let src = BAD_DEPLOY.replace(
            "[[cues]]\nid = \"ack\"",
            &format!("[[cues]]\neffects = [{effects}]\nid = \"ack\""),
        );
        let p = problems(&src);
        assert!(
            p.iter()
                .any(|m| m.contains("at most 16 effects on cue `ack` are allowed, not 17")),
            "{p:?}"
        );
    }

    #[test]
    fn texts_ids_and_samples_are_bounded() {
        let long_title = "t".repeat(201);
        let src = BAD_DEPLOY
            .replacen(
                "title = \"Checkout 5xx after the 14:00 release\"",
                &format!("title = \"{long_title}\""),
                1,
            )
            .replace("id = \"rps\"", "id = \"rps#1\"")
            .replace("signal = \"rps\"", "signal = \"rps#1\"")
            .replace(
                "baseline = 420",
                &format!("baseline = 420\nsamples = [{}]", vec!["1"; 97].join(", ")),
            );
        let p = problems(&src);
        let title_line = 1 + BAD_DEPLOY
            .lines()
            .position(|l| l.starts_with("title = "))
            .unwrap();
        let title = format!(
            "t.toml:{title_line}:9: [scenario] title is 201 characters long; at most 200 are allowed"
        );
        for needle in [
            title.as_str(),
            "signal id `rps#1` must be one word: no spaces, control characters or `#`",
            "signal `rps#1`: 97 samples, more than the timeline's 96 beats",
        ] {
            assert!(
                p.iter().any(|m| m.contains(needle)),
                "missing {needle:?} in {p:?}"
            );
        }
        let body = "b".repeat(20_001);
        let src = BAD_DEPLOY.replacen("body = \"\"\"\n", &format!("body = \"\"\"\n{body}"), 1);
        assert!(
            problems(&src).iter().any(|m| m.contains("body is 2")
                && m.contains("characters long; at most 20000 are allowed"))
        );
    }

    #[test]
    fn a_huge_bar_number_is_an_error_not_an_overflow() {
        let src = BAD_DEPLOY.replacen("at = \"2:1\"", "at = \"18446744073709551615:1\"", 1);
        let p = problems(&src);
        assert!(
            p.iter()
                .any(|m| m.contains("bar 18446744073709551615 is past the end of any timeline")),
            "{p:?}"
        );
    }
}
