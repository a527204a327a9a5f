//! An MSEL CSV into a scenario skeleton: injects on the timeline, expected actions as cues to
//! fill in (with an objective by their time), roles from who is expected to act. Every bad
//! cell is reported at `file:line:col`; the skeleton passes `gamelan check` as written.

use super::Kind;
use super::rows::{Row, read_rows};
use crate::diag::Diagnostic;
use crate::scenario::limits::{
    MAX_BARS, MAX_CUES, MAX_DURATION_MINUTES, MAX_INJECTS, MAX_LINE_CHARS, MAX_OBJECTIVES,
    MAX_ROLES, MAX_SCENARIO_ID_CHARS, MAX_STORY_SECONDS_PER_BEAT,
};
use crate::scenario::position::bar_beat;
use std::collections::HashSet;

/// What the skeleton is called.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The scenario id (from the output file's name).
    pub id: String,
    /// The title; default: from the MSEL's file name.
    pub title: Option<String>,
}

/// Beats per bar of an imported scenario.
const BEATS_PER_BAR: u64 = 4;

/// The scenario skeleton (TOML text) of the MSEL `src`; `file` names it in diagnostics.
pub fn import(src: &str, file: &str, opts: &ImportOptions) -> Result<String, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let rows = read_rows(src, file, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    build(&rows, file, opts).map_err(|m| vec![m])
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// A TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// An id made from a text: its first words, lower case, joined by `-`; unique in `taken`.
fn slug(text: &str, fallback: &str, taken: &mut HashSet<String>) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(4)
        .map(str::to_ascii_lowercase)
        .collect();
    let mut base = words.join("-");
    base.truncate(40);
    let base = if base.is_empty() {
        fallback.to_string()
    } else {
        base
    };
    unique(base, taken)
}

fn unique(base: String, taken: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn build(rows: &[Row], file: &str, opts: &ImportOptions) -> Result<String, Diagnostic> {
    let err = |line: usize, msg: String| Diagnostic {
        file: file.to_string(),
        line,
        col: 1,
        message: msg,
    };
    let id = &opts.id;
    if id.is_empty()
        || id.chars().count() > MAX_SCENARIO_ID_CHARS
        || !id.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !id.chars().all(crate::diag::is_id_char)
    {
        return Err(Diagnostic::whole(
            file,
            format!(
                "`{id}` cannot be a scenario id (the output file's name): 1 to 40 letters, digits, - or _"
            ),
        ));
    }
    let injects: Vec<&Row> = rows.iter().filter(|r| r.kind != Kind::Expected).collect();
    let actions: Vec<&Row> = rows
        .iter()
        .filter(|r| r.kind == Kind::Expected || !r.expected.is_empty())
        .collect();
    if injects.is_empty() && actions.is_empty() {
        return Err(Diagnostic::whole(
            file,
            "the MSEL has no rows: nothing to import",
        ));
    }
    if injects.len() > MAX_INJECTS {
        return Err(err(
            injects[MAX_INJECTS].line,
            format!("more than {MAX_INJECTS} injects, the most a scenario may have"),
        ));
    }
    let keys: Vec<char> = "abcdefgilmorstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        .chars()
        .filter(|c| !crate::keymap::is_reserved(*c))
        .collect();
    if actions.len() > MAX_CUES.min(keys.len()) {
        let n = MAX_CUES.min(keys.len());
        return Err(err(
            actions[n].line,
            format!("more than {n} expected actions: each becomes a cue with its own key"),
        ));
    }
    let spb = rows
        .iter()
        .filter_map(|r| r.at)
        .fold(0, gcd)
        .clamp(0, u64::from(MAX_STORY_SECONDS_PER_BEAT));
    let spb = if spb == 0 { 60 } else { spb };
    let beat = |secs: u64| secs / spb;
    let last = rows
        .iter()
        .filter_map(|r| r.at)
        .map(beat)
        .max()
        .unwrap_or(0);
    let bars = last / BEATS_PER_BAR + 3;
    if bars > u64::from(MAX_BARS) {
        return Err(Diagnostic::whole(
            file,
            format!(
                "the MSEL's times need {bars} bars of {} story seconds a beat; a scenario has at most {MAX_BARS}",
                spb
            ),
        ));
    }
    let minutes = (bars * BEATS_PER_BAR * spb)
        .div_ceil(60)
        .clamp(1, u64::from(MAX_DURATION_MINUTES));
    let pos = |secs: u64| bar_beat(beat(secs), BEATS_PER_BAR as u32);
    let stem = std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| id.clone(), |s| s.to_string_lossy().into_owned());
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| format!("Exercise imported from {stem}"));
    let title: String = title
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_LINE_CHARS)
        .collect();

    let mut t = String::new();
    t.push_str(&format!(
        "# A scenario skeleton imported from the MSEL {file} by `gamelan import msel`.\n\
         # Injects are on the timeline; each expected action is a cue to fill in (what it changes,\n\
         # its marks), with an objective by its time. Fill in the TODOs, then keep these green:\n\
         #   gamelan check {id}.toml\n\
         #   gamelan export msel {id}.toml   (the MSEL again, to share with the facilitators)\n\n"
    ));
    t.push_str(&format!(
        "[scenario]\nid = {}\ntitle = {}\nsummary = {}\ndifficulty = \"intermediate\"\nduration_minutes = {minutes}\nlength_bars = {bars}\nbriefing = {}\n\n",
        q(id),
        q(&title),
        q("TODO: one line on what goes wrong and what the team must do."),
        q("TODO: what the players know when the exercise starts."),
    ));
    t.push_str(&format!(
        "[tempo]\nbpm = 60\nbeats_per_bar = {BEATS_PER_BAR}\nstory_seconds_per_beat = {spb}\n\n"
    ));
    // Roles: everyone expected to act, by name.
    let mut role_ids = HashSet::new();
    let mut roles: Vec<(String, String)> = Vec::new();
    for r in &actions {
        for name in r
            .from
            .split([';', ','])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            if roles.iter().any(|(_, n)| n == name) {
                continue;
            }
            if roles.len() == MAX_ROLES - 1 {
                return Err(err(
                    r.line,
                    format!("more than {} different roles in `From`", MAX_ROLES - 1),
                ));
            }
            roles.push((slug(name, "role", &mut role_ids), name.to_string()));
        }
    }
    for (rid, name) in &roles {
        t.push_str(&format!(
            "[[roles]]\nid = {}\nname = {}\n\n",
            q(rid),
            q(name)
        ));
    }
    t.push_str(&format!(
        "[[roles]]\nid = {}\nname = \"Facilitator\"\nfacilitator = true\n\n",
        q(&unique("facilitator".into(), &mut role_ids))
    ));
    t.push_str(
        "# TODO: the signals the team watches, and alerts on them.\n\
         [[signals]]\nid = \"health\"\nname = \"TODO: a signal the team watches\"\nunit = \"%\"\n\
         baseline = 99\nmin = 0\nmax = 100\nhealthy = [95, 100]\n\n",
    );
    // Ids: the `Ref` column's, else made from the text.
    let mut inject_ids = HashSet::new();
    let mut cue_ids = HashSet::new();
    for r in rows {
        if let Some(reference) = &r.reference {
            let taken = if r.kind == Kind::Expected {
                &mut cue_ids
            } else {
                &mut inject_ids
            };
            if !taken.insert(reference.clone()) {
                return Err(err(
                    r.line,
                    format!("`Ref` `{reference}` is given to two rows; each needs its own"),
                ));
            }
        }
    }
    // Keys: the one a row's notes ask for when it is free, else the next free one.
    let mut used: HashSet<char> = HashSet::new();
    let asked: Vec<Option<char>> = actions
        .iter()
        .map(|r| r.key.filter(|k| keys.contains(k) && used.insert(*k)))
        .collect();
    let mut free = keys.iter().filter(|k| !used.contains(k));
    let keys: Vec<char> = asked
        .iter()
        .map(|k| k.or_else(|| free.next().copied()).unwrap_or('?'))
        .collect();
    let mut objectives = String::new();
    let mut cues = String::new();
    let mut n_objectives = 0;
    for (i, r) in actions.iter().enumerate() {
        let cid = match (&r.reference, r.kind) {
            (Some(x), Kind::Expected) => x.clone(),
            _ => slug(&r.expected, "action", &mut cue_ids),
        };
        let role_list: Vec<String> = r
            .from
            .split([';', ','])
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .filter_map(|n| {
                roles
                    .iter()
                    .find(|(_, name)| name == n)
                    .map(|(id, _)| q(id))
            })
            .collect();
        cues.push_str(&format!(
            "# TODO: what this action changes (effects), and the lifecycle marks it makes.\n\
             [[cues]]\nid = {}\nkey = {}\nlabel = {}\n",
            q(&cid),
            q(&keys[i].to_string()),
            q(&r.expected)
        ));
        if !role_list.is_empty() {
            cues.push_str(&format!("roles = [{}]\n", role_list.join(", ")));
        }
        cues.push('\n');
        // A time makes an objective by then; an objective without a time, one at any time.
        let timed = r.at.filter(|_| r.kind == Kind::Expected);
        if timed.is_some() || (r.kind == Kind::Expected && !r.objective.is_empty()) {
            n_objectives += 1;
            if n_objectives > MAX_OBJECTIVES {
                return Err(err(
                    r.line,
                    format!(
                        "more than {MAX_OBJECTIVES} expected actions with an objective or a time: each is an objective"
                    ),
                ));
            }
            let text = match timed {
                _ if !r.objective.is_empty() => r.objective.clone(),
                Some(at) => format!("{} by {}", r.expected, super::time_text(at)),
                None => r.expected.clone(),
            };
            let text: String = text.chars().take(MAX_LINE_CHARS).collect();
            let by = timed.map_or_else(String::new, |at| format!(", by = {}", q(&pos(at))));
            objectives.push_str(&format!(
                "[[objectives]]\nid = {}\ntext = {}\nmeasure = {{ cue = {}{by} }}\n\n",
                q(&format!("{cid}-done")),
                q(&text),
                q(&cid),
            ));
        }
    }
    t.push_str(&objectives);
    for r in &injects {
        let iid = match &r.reference {
            Some(x) => x.clone(),
            None => slug(&r.inject, "inject", &mut inject_ids),
        };
        let persona = if r.from.is_empty() {
            "controller"
        } else {
            &r.from
        };
        t.push_str(&format!("[[injects]]\nid = {}\n", q(&iid)));
        match (r.kind, r.at) {
            (Kind::Contingency, Some(at)) => {
                t.push_str(&format!("contingency = true\nsuggest = {}\n", q(&pos(at))));
            }
            (Kind::Contingency, None) => t.push_str("contingency = true\n"),
            (_, Some(at)) => t.push_str(&format!("at = {}\n", q(&pos(at)))),
            (_, None) => {}
        }
        t.push_str(&format!(
            "persona = {}\nchannel = {}\ntext = {}\n\n",
            q(persona),
            q(r.method.label()),
            q(&r.inject)
        ));
    }
    t.push_str(&cues);
    Ok(t)
}
