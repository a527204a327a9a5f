//! Cue scripts: the scenario author's test, one `POSITION WORD [ARG...]` per line, turned into
//! the inputs a headless drill plays (docs/scenario-format.md, "Cue scripts"). Pure: the file
//! is read elsewhere (with [`crate::diag::read_text`] and [`MAX_SCRIPT_BYTES`]).

use super::Action;
use crate::diag::{Checker, Diagnostic, name_list, suggest};
use crate::scenario::Scenario;
use crate::scenario::limits::MAX_LINE_CHARS;
use crate::scenario::position::Position;
use std::ops::Range;

/// The largest cue script read: 1 MiB.
pub const MAX_SCRIPT_BYTES: usize = 1 << 20;
/// A `note` in a script: at most 2000 characters, what the drill keeps of a note.
pub const MAX_NOTE_CHARS: usize = 2000;
/// `tempo BPM`: the range the drill accepts from a facilitator.
pub const TEMPO_RANGE: (u32, u32) = (10, 600);

/// The words a script may use besides cue ids.
const WORDS: &[&str] = &[
    "note", "hint", "fire", "decide", "pause", "resume", "tempo", "end", "as",
];

/// One line of a cue script: at `beat`, do `action`, from a seat in `role` (every role when
/// `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptLine {
    pub beat: u64,
    pub action: Action,
    pub line: usize,
    pub role: Option<String>,
}

/// Parses a cue script: one `POSITION [as ROLE] WORD [ARG...]` per line, `#` starts a
/// comment. WORD is a cue id, or one of `note TEXT`, `hint`, `fire INJECT`,
/// `decide DECISION OPTION`, `pause`, `resume`, `tempo BPM`, `end [REASON]`. Positions must
/// not go backwards. Every problem is reported at its `file:line:col`, and a script with any
/// problem yields no lines.
pub fn parse_script(
    src: &str,
    file: &str,
    scenario: &Scenario,
) -> Result<Vec<ScriptLine>, Vec<Diagnostic>> {
    let mut cx = Checker::new(file, src);
    let mut out = Vec::new();
    let mut last = 0;
    let mut offset = 0;
    for (n, raw) in src.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let code = raw.split('#').next().unwrap_or("");
        let words = words(code, start);
        let Some((pos_span, pos)) = words.first().cloned() else {
            continue;
        };
        let beat = match Position::parse(pos).and_then(|p| p.resolve(scenario.tempo.beats_per_bar))
        {
            Ok(b) => b,
            Err(e) => {
                cx.error(pos_span, e);
                continue;
            }
        };
        if beat < last {
            cx.error(
                pos_span,
                format!(
                    "beat {beat} comes before the previous line's beat {last}; keep the script in order"
                ),
            );
            continue;
        }
        if beat >= scenario.length_beats {
            cx.error(
                pos_span,
                format!(
                    "beat {beat} is past the end of the timeline (beat {})",
                    scenario.length_beats.saturating_sub(1)
                ),
            );
            continue;
        }
        last = beat;
        let (role, words) = match role(&mut cx, scenario, &words) {
            Ok(x) => x,
            Err(()) => continue,
        };
        if let Some(action) = action(&mut cx, scenario, code, start, &words) {
            out.push(ScriptLine {
                beat,
                action,
                line: n + 1,
                role,
            });
        }
    }
    cx.result(out)
}

/// `as ROLE` after the position: the role the line plays, and the words with it taken out.
#[allow(clippy::type_complexity)]
fn role<'w>(
    cx: &mut Checker<'_>,
    scenario: &Scenario,
    words: &[(Range<usize>, &'w str)],
) -> Result<(Option<String>, Vec<(Range<usize>, &'w str)>), ()> {
    if words.get(1).is_none_or(|w| w.1 != "as") {
        return Ok((None, words.to_vec()));
    }
    let Some((span, id)) = words.get(2).cloned() else {
        cx.error(
            words[1].0.clone(),
            "`as` needs a role, e.g. `5:1 as operator rollback`",
        );
        return Err(());
    };
    if scenario.role(id).is_none() {
        let ids: Vec<&str> = scenario.roles.iter().map(|r| r.id.as_str()).collect();
        cx.lookup(span, "role", id, &ids);
        return Err(());
    }
    let mut rest = vec![words[0].clone()];
    rest.extend_from_slice(&words[3..]);
    Ok((Some(id.to_string()), rest))
}

/// The action a line's words after the position name, or `None` with its problem reported.
fn action(
    cx: &mut Checker<'_>,
    scenario: &Scenario,
    code: &str,
    start: usize,
    words: &[(Range<usize>, &str)],
) -> Option<Action> {
    let Some((word_span, word)) = words.get(1).cloned() else {
        cx.error(
            words[0].0.clone(),
            "expected a cue after the position, e.g. `12 ack`",
        );
        return None;
    };
    let args = &words[2..];
    // The rest of the line after the word, for `note` and `end`, which take free text.
    let rest = code[word_span.end - start..].trim();
    let no_more = |cx: &mut Checker<'_>, what: &str| {
        if let Some((span, extra)) = args.first().cloned() {
            cx.error(
                span,
                format!("`{what}` takes nothing more, but `{extra}` follows; one action per line"),
            );
            return false;
        }
        true
    };
    let action = match word {
        "note" => {
            let n = rest.chars().count();
            if n > MAX_NOTE_CHARS {
                cx.error(
                    word_span,
                    format!("a note is {n} characters long; at most {MAX_NOTE_CHARS} are kept"),
                );
                return None;
            }
            Action::Note { text: rest.into() }
        }
        "end" => {
            if !cx.text(word_span, "the reason after `end`", rest, MAX_LINE_CHARS) {
                return None;
            }
            Action::End {
                reason: if rest.is_empty() {
                    "ended by script".into()
                } else {
                    rest.into()
                },
            }
        }
        "hint" => no_more(cx, "hint").then_some(Action::Hint)?,
        "pause" => no_more(cx, "pause").then_some(Action::Pause)?,
        "resume" => no_more(cx, "resume").then_some(Action::Resume)?,
        "fire" => {
            let Some((span, id)) = args.first().cloned() else {
                let ids = contingencies(scenario);
                let known = if ids.is_empty() {
                    "this scenario has none".to_string()
                } else {
                    format!("this scenario's: {}", name_list(&ids))
                };
                cx.error(
                    word_span,
                    format!("`fire` needs the id of a contingency inject ({known})"),
                );
                return None;
            };
            fire(cx, scenario, span, id)?;
            if let Some((span, extra)) = args.get(1).cloned() {
                cx.error(
                    span,
                    format!("`fire {id}` takes nothing more, but `{extra}` follows"),
                );
                return None;
            }
            Action::Fire { inject: id.into() }
        }
        "decide" => decide(cx, scenario, word_span, args)?,
        "tempo" => {
            let arg = args.first().map_or("", |a| a.1);
            let (lo, hi) = TEMPO_RANGE;
            match arg.parse::<u32>() {
                Ok(bpm) if (lo..=hi).contains(&bpm) => {}
                _ => {
                    let span = args.first().map_or(word_span, |a| a.0.clone());
                    cx.error(
                        span,
                        format!("`tempo` needs a number of beats per minute from {lo} to {hi}, not `{arg}`"),
                    );
                    return None;
                }
            }
            if let Some((span, extra)) = args.get(1).cloned() {
                cx.error(
                    span,
                    format!("`tempo {arg}` takes nothing more, but `{extra}` follows"),
                );
                return None;
            }
            Action::Tempo {
                bpm: arg.parse().unwrap_or(lo),
            }
        }
        cue if scenario.cue_index(cue).is_some() => {
            no_more(cx, cue).then(|| Action::Cue { cue: cue.into() })?
        }
        other => {
            let ids: Vec<&str> = scenario.cues.iter().map(|c| c.id.as_str()).collect();
            let msg = match suggest(other, ids.iter().chain(WORDS).copied()) {
                Some(v) => format!("unknown cue `{other}`; did you mean `{v}`?"),
                None => format!(
                    "unknown cue `{other}`; this scenario's cues: {}",
                    name_list(&ids)
                ),
            };
            cx.error(word_span, msg);
            return None;
        }
    };
    Some(action)
}

/// `decide DECISION OPTION`: a facilitator's option of a decision point.
fn decide(
    cx: &mut Checker<'_>,
    scenario: &Scenario,
    word: Range<usize>,
    args: &[(Range<usize>, &str)],
) -> Option<Action> {
    let ids: Vec<&str> = scenario.decisions.iter().map(|d| d.id.as_str()).collect();
    let [(dspan, did), (ospan, oid)] = args else {
        let span = args.get(2).map_or(word, |a| a.0.clone());
        cx.error(
            span,
            format!(
                "`decide` needs a decision and one of its options, e.g. `12:1 decide copy staging` ({})",
                if ids.is_empty() {
                    "this scenario has no decision points".to_string()
                } else {
                    format!("this scenario's: {}", name_list(&ids))
                }
            ),
        );
        return None;
    };
    let d = cx.lookup(dspan.clone(), "decision point", did, &ids)?;
    let dec = &scenario.decisions[d];
    let options: Vec<&str> = dec.options.iter().map(|o| o.id.as_str()).collect();
    let o = cx.lookup(ospan.clone(), &format!("option of `{did}`"), oid, &options)?;
    if let crate::scenario::Choice::Cue(c) = dec.options[o].choice {
        cx.error(
            ospan.clone(),
            format!(
                "option `{oid}` is chosen by pressing its cue: write `{}` instead",
                scenario.cues[c].id
            ),
        );
        return None;
    }
    Some(Action::Decide {
        decision: did.to_string(),
        option: oid.to_string(),
    })
}

/// `fire ID`: the inject must exist and be a contingency (the only kind fired by hand).
fn fire(cx: &mut Checker<'_>, scenario: &Scenario, span: Range<usize>, id: &str) -> Option<()> {
    match scenario.inject_index(id) {
        Some(i) if scenario.injects[i].contingency => Some(()),
        Some(_) => {
            cx.error(
                span,
                format!("inject `{id}` fires on its own at its `at`; only contingency injects are fired by hand"),
            );
            None
        }
        None => {
            cx.lookup(span, "contingency inject", id, &contingencies(scenario));
            None
        }
    }
}

fn contingencies(scenario: &Scenario) -> Vec<&str> {
    scenario
        .injects
        .iter()
        .filter(|i| i.contingency)
        .map(|i| i.id.as_str())
        .collect()
}

/// The whitespace-separated words of a line, each with its byte span in the whole script.
fn words(code: &str, start: usize) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut begin = None;
    for (i, c) in code.char_indices().chain([(code.len(), ' ')]) {
        match (c.is_whitespace(), begin) {
            (false, None) => begin = Some(i),
            (true, Some(b)) => {
                out.push((start + b..start + i, &code[b..i]));
                begin = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad_deploy() -> Scenario {
        let src = include_str!("../../scenarios/bad-deploy.toml");
        crate::scenario::load_str(src, "bad-deploy.toml").unwrap()
    }

    fn errors(src: &str) -> Vec<String> {
        parse_script(src, "s.cues", &bad_deploy())
            .map(|_| Vec::new())
            .unwrap_or_else(|d| d.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn fire_needs_a_contingency_inject() {
        let sc = bad_deploy();
        let contingency = sc
            .injects
            .iter()
            .find(|i| i.contingency)
            .unwrap()
            .id
            .clone();
        let scheduled = sc
            .injects
            .iter()
            .find(|i| !i.contingency)
            .unwrap()
            .id
            .clone();
        assert_eq!(
            errors("1:1 fire\n"),
            [format!(
                "s.cues:1:5: `fire` needs the id of a contingency inject (this scenario's: {contingency})"
            )]
        );
        let e = errors(&format!("1:1 fire {scheduled}\n"));
        assert!(
            e[0].starts_with("s.cues:1:10: inject ") && e[0].contains("only contingency"),
            "{e:?}"
        );
        let typo = format!("{}x", contingency);
        let e = errors(&format!("1:1 fire {typo}\n"));
        assert_eq!(
            e,
            [format!(
                "s.cues:1:10: no contingency inject named `{typo}`; did you mean `{contingency}`?"
            )]
        );
        assert!(errors(&format!("1:1 fire {contingency}\n")).is_empty());
    }

    #[test]
    fn extra_words_are_errors_at_their_column() {
        assert_eq!(
            errors("1:1 ack now please\n"),
            ["s.cues:1:9: `ack` takes nothing more, but `now` follows; one action per line"]
        );
        assert_eq!(
            errors("1:1  hint  x # comment\n2:1 pause 3\n"),
            [
                "s.cues:1:12: `hint` takes nothing more, but `x` follows; one action per line",
                "s.cues:2:11: `pause` takes nothing more, but `3` follows; one action per line",
            ]
        );
        assert_eq!(
            errors("1:1 tempo 90 fast\n1:2 tempo 5\n1:3 tempo\n"),
            [
                "s.cues:1:14: `tempo 90` takes nothing more, but `fast` follows",
                "s.cues:2:11: `tempo` needs a number of beats per minute from 10 to 600, not `5`",
                "s.cues:3:5: `tempo` needs a number of beats per minute from 10 to 600, not ``",
            ]
        );
        // Free text stays free.
        assert!(errors("1:1 note TODO: alert on growth\n1:2 end out of time\n").is_empty());
    }

    #[test]
    fn positions_and_words_are_positioned_and_suggested() {
        assert_eq!(
            errors("1:1 rollbak\n"),
            ["s.cues:1:5: unknown cue `rollbak`; did you mean `rollback`?"]
        );
        assert_eq!(
            errors("  18446744073709551615:1 ack\r\n1:1 ack\n"),
            ["s.cues:1:3: bar 18446744073709551615 is past the end of any timeline"]
        );
        let long = format!("1:1 note {}\n", "n".repeat(2001));
        assert!(
            errors(&long)[0].contains("at most 2000"),
            "{:?}",
            errors(&long)
        );
    }
}
