//! Reading a setlist file: every key checked, every problem reported at its `file:line:col`,
//! each segment by its kind.

use super::{
    DEFAULT_BPM, DEFAULT_RANGE, DEFAULT_TURN_MINUTES, MAX_SEGMENTS, Pick, Reference, Segment,
    SegmentKind, Setlist, VistaSource,
};
use crate::diag::Diagnostic;
use crate::session::reader::{Reader, Text, is_id, unknown};
use crate::session::{limits, parse_duration};
use std::ops::Range;
use toml::de::DeTable;

const KINDS: &[&str] = &[
    "walkthrough",
    "wheel",
    "drill",
    "discussion",
    "matrix",
    "drt",
];
const COMMON: &[&str] = &["kind", "title", "minutes", "note"];
const ALL_KIND_KEYS: &[&str] = &[
    "vista",
    "scenario",
    "range",
    "deck",
    "turn_minutes",
    "pick",
    "seed",
    "prompt",
    "matrix",
];

fn kind_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "walkthrough" => &["vista", "scenario", "range"],
        "wheel" => &["deck", "turn_minutes", "pick"],
        "drill" => &["scenario", "seed"],
        "discussion" => &["prompt"],
        "matrix" => &["matrix"],
        "drt" => &["scenario"],
        _ => &[],
    }
}

/// Checks setlist source text; `file` names it in diagnostics.
pub fn load_str(src: &str, file: &str) -> Result<Setlist, Vec<Diagnostic>> {
    let (mut r, doc) = Reader::parse(src, file)?;
    r.unknown_keys(&doc, &["setlist", "segments"], "a setlist (top level)");
    let head = r.table(&doc, "setlist", true);
    let mut title = None;
    let mut summary = String::new();
    let mut bpm = DEFAULT_BPM;
    let mut turn_minutes = DEFAULT_TURN_MINUTES;
    if let Some((span, t)) = head {
        let what = "[setlist]";
        r.unknown_keys(t, &["title", "summary", "bpm", "turn_minutes"], what);
        title = r
            .required_string(t, &span, "title", what, Text::Line, 120)
            .map(|s| s.into_inner());
        summary = r
            .string(t, "summary", what, Text::Block, 2000)
            .map_or_else(String::new, |s| s.into_inner());
        if let Some(b) = r.integer(t, "bpm", what, 10..=240) {
            bpm = b.into_inner() as u32;
        }
        if let Some(m) = r.number(t, "turn_minutes", what, 0.5..=120.0) {
            turn_minutes = m.into_inner();
        }
    }
    let entries = r.tables(&doc, "segments", MAX_SEGMENTS);
    if entries.is_empty() {
        r.whole("a setlist needs at least one [[segments]] entry");
    }
    let mut segments = Vec::new();
    let mut total = 0.0;
    for (i, (span, t)) in entries.iter().enumerate() {
        if let Some((seg, minutes)) = segment(&mut r, i, span, t, bpm, turn_minutes, &segments) {
            total += minutes;
            segments.push(seg);
        }
    }
    if total > limits::SESSION_MINUTES {
        r.whole(format!(
            "the segments add up to {total} minutes; a session may be planned for at most {} minutes",
            limits::SESSION_MINUTES
        ));
    }
    let ok = title.map(|title| Setlist {
        title,
        summary,
        bpm,
        segments,
        content_hash: crate::session::content_hash(src),
    });
    r.finish(ok)
}

fn beats(minutes: f64, bpm: u32) -> u64 {
    ((minutes * f64::from(bpm)).round() as u64).max(1)
}

/// A `drt` segment: its `scenario`, or (omitted) the scenario of the last drill segment before
/// it; it starts from that drill's decisions when the scenario is the same.
fn drt(
    r: &mut Reader<'_>,
    what: &str,
    span: &Range<usize>,
    t: &DeTable<'_>,
    before: &[Segment],
) -> Option<SegmentKind> {
    let last_drill = before
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, s)| match &s.kind {
            SegmentKind::Drill { scenario, .. } => Some((i, scenario)),
            _ => None,
        });
    let scenario = match r.string(t, "scenario", what, Text::Line, 64) {
        Some(s) => {
            if !is_id(s.get_ref()) {
                r.err(
                    s.span(),
                    format!("{what}: `scenario` must be a scenario id (letters, digits, - or _)"),
                );
                return None;
            }
            reference(r, s)
        }
        None => match last_drill {
            Some((_, s)) => s.clone(),
            None => {
                r.err(
                    span.clone(),
                    format!(
                        "{what}: a `drt` segment needs `scenario` (a scenario id) when no drill segment comes before it"
                    ),
                );
                return None;
            }
        },
    };
    let drill = last_drill
        .filter(|(_, s)| s.name == scenario.name)
        .map(|(i, _)| i);
    Some(SegmentKind::Drt { scenario, drill })
}

fn reference(r: &Reader<'_>, s: toml::Spanned<String>) -> Reference {
    let (line, col) = r.line_col(s.span().start);
    Reference {
        name: s.into_inner(),
        line,
        col,
    }
}

fn segment(
    r: &mut Reader<'_>,
    i: usize,
    span: &Range<usize>,
    t: &DeTable<'_>,
    bpm: u32,
    turn_minutes: f64,
    before: &[Segment],
) -> Option<(Segment, f64)> {
    let what = format!("segments[{i}]");
    let kind = r.required_string(t, span, "kind", &what, Text::Line, 32)?;
    let name = kind.get_ref().as_str();
    if !KINDS.contains(&name) {
        let msg = match name {
            "elicitation" => format!(
                "{what}: `{name}` segments are not available yet; use a `discussion` segment to take its notes for now"
            ),
            _ => format!("{what}: {}", unknown("segment kind", name, KINDS)),
        };
        r.err(kind.span(), msg);
        return None;
    }
    let what = format!("segments[{i}] ({name})");
    let own = kind_keys(name);
    for (key, _) in t.iter() {
        let k: &str = key.get_ref();
        if COMMON.contains(&k) || own.contains(&k) {
            continue;
        }
        if ALL_KIND_KEYS.contains(&k) {
            r.err(
                key.span(),
                format!("{what}: a `{name}` segment does not use `{k}`"),
            );
        } else {
            let known: Vec<&str> = COMMON.iter().chain(own).copied().collect();
            r.err(key.span(), format!("{what}: {}", unknown("key", k, &known)));
        }
    }
    let title = r
        .string(t, "title", &what, Text::Line, 120)
        .map(|s| s.into_inner());
    let note = r
        .string(t, "note", &what, Text::Block, 2000)
        .map_or_else(String::new, |s| s.into_inner());
    let minutes = if t.get("minutes").is_none() {
        r.err(
            span.clone(),
            format!("{what}: missing `minutes` (its planned length)"),
        );
        None
    } else {
        r.number(t, "minutes", &what, 0.5..=480.0)
            .map(|m| m.into_inner())
    };
    let kind = match name {
        "walkthrough" => walkthrough(r, &what, t)?,
        "wheel" => wheel(r, &what, span, t, bpm, turn_minutes)?,
        "drill" => {
            let scenario = r.required_string(t, span, "scenario", &what, Text::Line, 64);
            let seed = r
                .integer(t, "seed", &what, 0..=u64::from(u32::MAX))
                .map(|s| s.into_inner());
            let scenario = scenario?;
            if !is_id(scenario.get_ref()) {
                r.err(
                    scenario.span(),
                    format!("{what}: `scenario` must be a scenario id (letters, digits, - or _)"),
                );
                return None;
            }
            SegmentKind::Drill {
                scenario: reference(r, scenario),
                seed,
            }
        }
        "drt" => drt(r, &what, span, t, before)?,
        "matrix" => {
            let m = r.required_string(t, span, "matrix", &what, Text::Line, 4096)?;
            if !m.get_ref().ends_with(crate::matrix::file::SUFFIX) {
                r.err(
                    m.span(),
                    format!(
                        "{what}: `matrix` names a matrix file, whose name ends in `{}`",
                        crate::matrix::file::SUFFIX
                    ),
                );
                return None;
            }
            SegmentKind::Matrix {
                matrix: reference(r, m),
            }
        }
        _ => SegmentKind::Discussion {
            prompt: r
                .string(t, "prompt", &what, Text::Block, 2000)
                .map_or_else(String::new, |s| s.into_inner()),
        },
    };
    let minutes = minutes?;
    let title = title.unwrap_or_else(|| default_title(&kind));
    Some((
        Segment {
            title,
            planned: beats(minutes, bpm),
            note,
            kind,
        },
        minutes,
    ))
}

fn wheel(
    r: &mut Reader<'_>,
    what: &str,
    span: &Range<usize>,
    t: &DeTable<'_>,
    bpm: u32,
    turn_minutes: f64,
) -> Option<SegmentKind> {
    let deck = r.required_string(t, span, "deck", what, Text::Line, 4096);
    let turn = r
        .number(t, "turn_minutes", what, 0.5..=120.0)
        .map_or(turn_minutes, |m| m.into_inner());
    let pick = match r.string(t, "pick", what, Text::Line, 32) {
        None => Some(Pick::Wheel),
        Some(p) => match p.get_ref().as_str() {
            "wheel" => Some(Pick::Wheel),
            "spinner" => Some(Pick::Spinner),
            other => {
                let msg = unknown("pick", other, &["wheel", "spinner"]);
                r.err(p.span(), format!("{what}: {msg}"));
                None
            }
        },
    };
    Some(SegmentKind::Wheel {
        deck: reference(r, deck?),
        turn: beats(turn, bpm),
        pick: pick?,
    })
}

fn walkthrough(r: &mut Reader<'_>, what: &str, t: &DeTable<'_>) -> Option<SegmentKind> {
    let vista = r.string(t, "vista", what, Text::Line, 4096);
    let scenario = r.string(t, "scenario", what, Text::Line, 64);
    let range = match r.string(t, "range", what, Text::Line, 32) {
        None => Some(DEFAULT_RANGE),
        Some(s) => match parse_duration(s.get_ref()) {
            Ok(secs) if (60..=30 * 86_400).contains(&secs) => Some(secs),
            Ok(_) => {
                r.err(
                    s.span(),
                    format!("{what}: `range` must be between 1m and 30d"),
                );
                None
            }
            Err(e) => {
                r.err(s.span(), format!("{what}: `range`: {e}"));
                None
            }
        },
    };
    let source = match (vista, scenario) {
        (Some(v), Some(_)) => {
            r.err(
                v.span(),
                format!(
                    "{what}: give `vista` (a file) or `scenario` (a drill's simulated vista), not both"
                ),
            );
            return None;
        }
        (Some(v), None) => VistaSource::File {
            file: reference(r, v),
        },
        (None, Some(s)) if !is_id(s.get_ref()) => {
            r.err(
                s.span(),
                format!("{what}: `scenario` must be a scenario id"),
            );
            return None;
        }
        (None, Some(s)) => VistaSource::Scenario {
            scenario: reference(r, s),
        },
        (None, None) => VistaSource::Presenter,
    };
    Some(SegmentKind::Walkthrough {
        vista: source,
        range: range?,
    })
}

fn default_title(kind: &SegmentKind) -> String {
    match kind {
        SegmentKind::Walkthrough { .. } => "Vista walkthrough".into(),
        SegmentKind::Wheel { .. } => "Spin the Wheel of Expertise".into(),
        SegmentKind::Drill { scenario, .. } => format!("Drill: {}", scenario.name),
        SegmentKind::Discussion { .. } => "Discussion".into(),
        SegmentKind::Matrix { .. } => "Knowledge matrix".into(),
        SegmentKind::Drt { scenario, .. } => {
            format!("Decision Requirements Table: {}", scenario.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(src: &str) -> Vec<String> {
        load_str(src, "s.toml")
            .map(|_| Vec::new())
            .unwrap_or_else(|d| d.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_small_setlist_loads_with_defaults() {
        let s = load_str(
            "[setlist]\ntitle = \"t\"\n[[segments]]\nkind = \"wheel\"\nminutes = 2\ndeck = \"d.toml\"\n",
            "s.toml",
        )
        .unwrap();
        assert_eq!(s.bpm, 60);
        assert_eq!(s.segments[0].planned, 120);
        assert_eq!(s.segments[0].title, "Spin the Wheel of Expertise");
        match &s.segments[0].kind {
            SegmentKind::Wheel { deck, turn, pick } => {
                assert_eq!((deck.line, deck.col), (6, 8));
                assert_eq!(*turn, 600);
                assert_eq!(*pick, Pick::Wheel);
            }
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn every_problem_is_reported_in_place() {
        let p = problems(
            "[setlist]\ntitle = \"t\"\nbmp = 60\n[[segments]]\nkind = \"drill\"\nminutes = nan\nscenario = \"x\"\ndeck = \"d\"\n[[segments]]\nkind = \"drt\"\n[[segments]]\nkind = \"discusion\"\n",
        );
        let want = [
            "s.toml:3:1: unknown key in [setlist] `bmp`; did you mean `bpm`?",
            "s.toml:6:11: segments[0] (drill): `minutes` must be a finite number, not NaN",
            "s.toml:8:1: segments[0] (drill): a `drill` segment does not use `deck`",
            "s.toml:9:1: segments[1] (drt): a `drt` segment needs `scenario` (a scenario id) when no drill segment comes before it",
            "s.toml:12:8: segments[2]: unknown segment kind `discusion`; did you mean `discussion`?",
        ];
        for w in want {
            assert!(
                p.iter().any(|m| m.starts_with(w)),
                "missing {w:?} in {p:#?}"
            );
        }
    }
}
