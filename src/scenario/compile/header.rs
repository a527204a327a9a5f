//! `[scenario]`, `[tempo]`, `[targets]`, and the prose sections (roles, runbook, debrief).

use super::Cx;
use crate::scenario::limits::*;
use crate::scenario::load::Raw;

pub(super) fn check(cx: &mut Cx<'_, '_>, raw: &Raw<'_>) {
    if let Some(t) = &raw.tempo {
        let d = &t.def;
        let ck = &mut *cx.ck;
        ck.int(
            t.at(&["bpm"]),
            "[tempo] bpm",
            d.bpm.into(),
            1,
            MAX_BPM.into(),
        );
        ck.int(
            t.at(&["beats_per_bar"]),
            "[tempo] beats_per_bar",
            d.beats_per_bar.into(),
            1,
            MAX_BEATS_PER_BAR.into(),
        );
        ck.int(
            t.at(&["story_seconds_per_beat"]),
            "[tempo] story_seconds_per_beat",
            d.story_seconds_per_beat.into(),
            1,
            MAX_STORY_SECONDS_PER_BEAT.into(),
        );
    }
    if let Some(m) = &raw.meta {
        let d = &m.def;
        cx.ck.int(
            m.at(&["length_bars"]),
            "[scenario] length_bars",
            d.length_bars.into(),
            1,
            MAX_BARS.into(),
        );
        cx.ck.int(
            m.at(&["duration_minutes"]),
            "[scenario] duration_minutes",
            d.duration_minutes.into(),
            1,
            MAX_DURATION_MINUTES.into(),
        );
        scenario_id(cx, m.at(&["id"]), &d.id);
        cx.line(m, &["title"], "[scenario] title", &d.title);
        cx.text(m, &["summary"], "[scenario] summary", &d.summary);
        cx.text(m, &["briefing"], "[scenario] briefing", &d.briefing);
        cx.ck.count(m.at(&["tags"]), "tags", d.tags.len(), MAX_LIST);
        for (i, tag) in d.tags.iter().enumerate() {
            cx.line(m, &["tags", &i.to_string()], "a tag", tag);
        }
        if let Some(v) = &d.vista {
            cx.ck
                .text(m.at(&["vista"]), "[scenario] vista", v, MAX_PATH_CHARS);
        }
        if let Some(f) = &d.family {
            cx.line(m, &["family"], "[scenario] family", f);
        }
        if let Some(src) = &d.source {
            let at = m.at(&["source"]);
            if src.title.trim().is_empty() || src.org.trim().is_empty() {
                cx.ck
                    .error(at, "[scenario.source] needs a title and an org");
            }
            cx.line(
                m,
                &["source", "title"],
                "[scenario.source] title",
                &src.title,
            );
            cx.line(m, &["source", "org"], "[scenario.source] org", &src.org);
            if !is_date(&src.date) {
                cx.ck.error(
                    m.at(&["source", "date"]),
                    format!(
                        "[scenario.source] date `{}` must be YYYY-MM-DD or YYYY-MM",
                        src.date
                    ),
                );
            }
            if let Some(url) = &src.url {
                cx.ck.text(
                    m.at(&["source", "url"]),
                    "[scenario.source] url",
                    url,
                    MAX_PATH_CHARS,
                );
            }
        }
    }
    if let Some(t) = &raw.targets {
        let d = &t.def;
        for (field, v) in [
            ("detect_minutes", d.detect_minutes),
            ("acknowledge_minutes", d.acknowledge_minutes),
            ("mitigate_minutes", d.mitigate_minutes),
            ("resolve_minutes", d.resolve_minutes),
        ] {
            if let Some(v) = v {
                let what = format!("[targets] {field}");
                cx.ck.int(
                    t.at(&[field]),
                    &what,
                    v.into(),
                    0,
                    MAX_TARGET_MINUTES.into(),
                );
            }
        }
    }
    for r in &raw.roles {
        let what = format!("role `{}`", r.def.id);
        cx.line(r, &["name"], &format!("{what}: name"), &r.def.name);
        cx.text(
            r,
            &["description"],
            &format!("{what}: description"),
            &r.def.description,
        );
    }
    for p in &raw.runbook {
        let what = format!("runbook page `{}`", p.def.id);
        cx.line(p, &["title"], &format!("{what}: title"), &p.def.title);
        cx.ck.text(
            p.at(&["body"]),
            &format!("{what}: body"),
            &p.def.body,
            MAX_BODY_CHARS,
        );
    }
}

/// The scenario id names recording files and hosted drills: a safe file name everywhere.
fn scenario_id(cx: &mut Cx<'_, '_>, span: std::ops::Range<usize>, id: &str) {
    let n = id.chars().count();
    let well_formed = id.chars().all(crate::diag::is_id_char)
        && id.starts_with(|c: char| c.is_ascii_alphanumeric());
    if n > MAX_SCENARIO_ID_CHARS {
        cx.err(
            span,
            format!(
                "[scenario] id is {n} characters long; at most {MAX_SCENARIO_ID_CHARS} are allowed (it names recording files and hosted drills)"
            ),
        );
    } else if !well_formed {
        cx.err(
            span,
            format!(
                "[scenario] id `{id}` must be letters, digits, - or _, starting with a letter or digit (it names recording files and hosted drills)"
            ),
        );
    }
}

/// `[debrief]`: questions and Decision Requirements Table rows (and the decision points they
/// name).
pub(super) fn debrief(cx: &mut Cx<'_, '_>, raw: &Raw<'_>, names: &super::Names<'_>) {
    let Some(d) = &raw.debrief else { return };
    let (questions, decisions) = (&d.def.questions, &d.def.decisions);
    cx.ck.count(
        d.at(&["questions"]),
        "debrief questions",
        questions.len(),
        MAX_LIST,
    );
    cx.ck.count(
        d.at(&["decisions"]),
        "debrief decisions",
        decisions.len(),
        MAX_LIST,
    );
    for (i, q) in questions.iter().enumerate() {
        cx.text(d, &["questions", &i.to_string()], "a debrief question", q);
    }
    for (i, row) in decisions.iter().enumerate() {
        let i = i.to_string();
        for (field, text) in [
            ("decision", &row.decision),
            ("why_difficult", &row.why_difficult),
            ("cues", &row.cues),
            ("strategy", &row.strategy),
            ("novice_error", &row.novice_error),
            ("sources", &row.sources),
            ("uncertainty", &row.uncertainty),
        ] {
            let what = format!("debrief decision: {field}");
            cx.text(d, &["decisions", &i, field], &what, text);
        }
        if let Some(point) = &row.point {
            cx.ck.lookup(
                d.at(&["decisions", &i, "point"]),
                "decision point",
                point,
                &names.decisions,
            );
        }
    }
}

/// `YYYY-MM-DD` or `YYYY-MM`, with a month 1–12 and a day 1–31.
fn is_date(s: &str) -> bool {
    let num = |p: &str, len: usize, lo: u32, hi: u32| {
        p.len() == len && p.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n))
    };
    match s.split('-').collect::<Vec<_>>().as_slice() {
        [y, m] => num(y, 4, 1900, 2999) && num(m, 2, 1, 12),
        [y, m, d] => num(y, 4, 1900, 2999) && num(m, 2, 1, 12) && num(d, 2, 1, 31),
        _ => false,
    }
}
