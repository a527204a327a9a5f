//! Reading a scenario: TOML syntax, then the shape of each section and each array entry on its
//! own, keeping each entry's TOML value so that later checks can point at the very field they
//! are about. [`super::compile`] then checks values and references and builds the scenario.

use super::Scenario;
use super::limits::MAX_FILE_BYTES;
use super::{branching, model};
use crate::diag::{Checker, Diagnostic};
use serde::de::{DeserializeOwned, IntoDeserializer};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The top-level sections a scenario file may have.
pub const SECTIONS: &[&str] = &[
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
    "flags",
    "decisions",
    "events",
];

/// Reads and validates a scenario file (at most [`MAX_FILE_BYTES`], UTF-8).
pub fn load_file(path: &Path) -> Result<Scenario, Vec<Diagnostic>> {
    lint_file(path).map(|(s, _)| s)
}

/// Validates scenario source text; `file` names it in diagnostics. Every problem is collected,
/// not just the first.
pub fn load_str(src: &str, file: &str) -> Result<Scenario, Vec<Diagnostic>> {
    lint_str(src, file).map(|(s, _)| s)
}

/// [`load_file`], with the warnings about a valid file: what is legal but almost certainly a
/// mistake (each message starts with `warning: `).
pub fn lint_file(path: &Path) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    let name = path.display().to_string();
    let src = crate::diag::read_text(path, MAX_FILE_BYTES).map_err(|d| vec![d])?;
    lint_str(&src, &name)
}

/// [`load_str`], with the warnings about a valid file, in file order.
pub fn lint_str(src: &str, file: &str) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut cx = Checker::new(file, src);
    if src.len() > MAX_FILE_BYTES {
        cx.whole(format!(
            "the file is larger than {MAX_FILE_BYTES} bytes, the most a scenario may be"
        ));
        return Err(cx.finish());
    }
    let (doc, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        for e in &errors {
            cx.toml(e);
        }
        return Err(cx.finish());
    }
    let doc = doc.into_inner();
    for (key, _) in doc.iter() {
        if !SECTIONS.contains(&key.get_ref().as_ref()) {
            cx.unknown(key.span(), "section", key.get_ref(), SECTIONS);
        }
    }
    let raw = Raw {
        meta: table(&mut cx, &doc, "scenario", true),
        tempo: table(&mut cx, &doc, "tempo", true),
        targets: table(&mut cx, &doc, "targets", false),
        debrief: table(&mut cx, &doc, "debrief", false),
        roles: array(&mut cx, &doc, "roles"),
        objectives: array(&mut cx, &doc, "objectives"),
        signals: array(&mut cx, &doc, "signals"),
        alerts: array(&mut cx, &doc, "alerts"),
        injects: array(&mut cx, &doc, "injects"),
        cues: array(&mut cx, &doc, "cues"),
        runbook: array(&mut cx, &doc, "runbook"),
        hints: array(&mut cx, &doc, "hints"),
        red_herrings: array(&mut cx, &doc, "red_herrings"),
        flags: array(&mut cx, &doc, "flags"),
        decisions: array(&mut cx, &doc, "decisions"),
        events: array(&mut cx, &doc, "events"),
    };
    let scenario = super::compile::compile(&mut cx, &raw);
    match scenario {
        Some((s, warnings)) if cx.is_clean() => {
            let mut out: Vec<(usize, Diagnostic)> = warnings
                .into_iter()
                .map(|(span, msg)| {
                    let at = span.start;
                    (
                        at,
                        Diagnostic::at(file, src, Some(span), format!("warning: {msg}")),
                    )
                })
                .collect();
            out.sort_by_key(|(at, _)| *at);
            Ok((s, out.into_iter().map(|(_, d)| d).collect()))
        }
        _ if cx.is_clean() => {
            cx.whole("incomplete scenario");
            Err(cx.finish())
        }
        _ => Err(cx.finish()),
    }
}

/// The sections of a file, each entry parsed on its own.
pub(super) struct Raw<'a> {
    pub meta: Option<Item<'a, model::Meta>>,
    pub tempo: Option<Item<'a, model::Tempo>>,
    pub targets: Option<Item<'a, model::Targets>>,
    pub debrief: Option<Item<'a, model::DebriefDef>>,
    pub roles: Vec<Item<'a, model::RoleDef>>,
    pub objectives: Vec<Item<'a, model::ObjectiveDef>>,
    pub signals: Vec<Item<'a, model::SignalDef>>,
    pub alerts: Vec<Item<'a, model::AlertDef>>,
    pub injects: Vec<Item<'a, model::InjectDef>>,
    pub cues: Vec<Item<'a, model::CueDef>>,
    pub runbook: Vec<Item<'a, model::RunbookPage>>,
    pub hints: Vec<Item<'a, model::HintDef>>,
    pub red_herrings: Vec<Item<'a, model::RedHerringDef>>,
    pub flags: Vec<Item<'a, branching::FlagDef>>,
    pub decisions: Vec<Item<'a, branching::DecisionDef>>,
    pub events: Vec<Item<'a, branching::EventDef>>,
}

/// One table of the file as written: its parsed value and its TOML value, whose spans locate
/// any field inside it.
pub(super) struct Item<'a, T> {
    pub def: T,
    value: &'a Spanned<DeValue<'a>>,
}

impl<T> Item<'_, T> {
    /// Where the entry starts.
    pub fn span(&self) -> Range<usize> {
        self.value.span()
    }

    /// Where a field is, by path (`["slo", "target"]`, `["effects", "2", "by"]`: a number
    /// indexes an array); the nearest enclosing value that exists when it is absent.
    pub fn at(&self, path: &[&str]) -> Range<usize> {
        walk(self.value, path.iter().copied())
    }

    /// The entry as a place to point into, for checks of nested tables.
    pub fn here(&self) -> Here<'_, '_> {
        Here {
            value: self.value,
            path: Vec::new(),
        }
    }
}

/// A place inside an entry (an option of a decision, an outcome of a cue): a path from the
/// entry's value, so that checks of nested tables point at their own fields.
#[derive(Clone)]
pub(super) struct Here<'v, 'a> {
    value: &'v Spanned<DeValue<'a>>,
    path: Vec<String>,
}

impl<'v, 'a> Here<'v, 'a> {
    /// One level further in: a field name or an array index.
    pub fn join(&self, seg: impl ToString) -> Here<'v, 'a> {
        let mut path = self.path.clone();
        path.push(seg.to_string());
        Here {
            value: self.value,
            path,
        }
    }

    /// Where a field of this place is (see [`Item::at`]).
    pub fn at(&self, rest: &[&str]) -> Range<usize> {
        walk(
            self.value,
            self.path
                .iter()
                .map(String::as_str)
                .chain(rest.iter().copied()),
        )
    }

    pub fn span(&self) -> Range<usize> {
        self.at(&[])
    }
}

fn walk<'s>(mut cur: &Spanned<DeValue<'_>>, path: impl Iterator<Item = &'s str>) -> Range<usize> {
    for seg in path {
        let next = match cur.get_ref() {
            DeValue::Table(t) => t.get(seg),
            DeValue::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => break,
        }
    }
    cur.span()
}

fn value<'a, T: DeserializeOwned>(
    cx: &mut Checker<'_>,
    v: &'a Spanned<DeValue<'a>>,
    what: &str,
) -> Option<Item<'a, T>> {
    match T::deserialize(v.clone().into_deserializer()) {
        Ok(def) => Some(Item { def, value: v }),
        Err(e) => {
            let mut d = Diagnostic::from_toml(cx.file(), cx.src(), &e);
            if e.span().is_none() {
                d = Diagnostic::at(cx.file(), cx.src(), Some(v.span()), d.message);
            }
            d.message = format!("in {what}: {}", d.message);
            cx.push(d);
            None
        }
    }
}

fn table<'a, T: DeserializeOwned>(
    cx: &mut Checker<'_>,
    doc: &'a DeTable<'a>,
    key: &str,
    required: bool,
) -> Option<Item<'a, T>> {
    match doc.get(key) {
        Some(v) if matches!(v.get_ref(), DeValue::Table(_)) => value(cx, v, &format!("[{key}]")),
        Some(v) => {
            cx.error(
                v.span(),
                format!("`{key}` must be a table: write it as [{key}]"),
            );
            None
        }
        None => {
            if required {
                cx.whole(format!("missing the [{key}] section"));
            }
            None
        }
    }
}

fn array<'a, T: DeserializeOwned>(
    cx: &mut Checker<'_>,
    doc: &'a DeTable<'a>,
    key: &str,
) -> Vec<Item<'a, T>> {
    let Some(v) = doc.get(key) else {
        return Vec::new();
    };
    let DeValue::Array(items) = v.get_ref() else {
        cx.error(
            v.span(),
            format!("`{key}` must be an array of tables: write each entry as [[{key}]]"),
        );
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| value(cx, item, &format!("{key}[{i}]")))
        .collect()
}

/// FNV-1a 64-bit of the text, as 16 hex digits: stable across platforms and releases.
pub fn content_hash(src: &str) -> String {
    format!("{:016x}", crate::fnv::fnv1a(src.as_bytes()))
}
