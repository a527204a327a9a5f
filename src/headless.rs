//! Headless play: a cue script drives a drill with no terminal, and the outcome is printed as
//! Markdown. This is the scenario author's test: each bundled scenario ships a winning and a
//! losing script.

use crate::diag::Diagnostic;
use crate::drill::{Action, Drill, Input, SeatId, Verdict};
use crate::scenario::position::Position;
use crate::scenario::{Mark, Scenario};
use std::fmt::Write as _;

/// The seat a headless script plays from.
pub const SCRIPT_SEAT: SeatId = 0;

/// One line of a cue script: at `beat`, do `action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptLine {
    pub beat: u64,
    pub action: Action,
    pub line: usize,
}

/// Parses a cue script: one `POSITION WORD [ARG...]` per line, `#` starts a comment.
/// WORD is a cue id, or one of `note TEXT`, `hint`, `fire INJECT`, `pause`, `resume`,
/// `tempo BPM`, `end [REASON]`. Positions must not go backwards.
pub fn parse_script(
    src: &str,
    file: &str,
    scenario: &Scenario,
) -> Result<Vec<ScriptLine>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    let mut last = 0;
    let bpb = scenario.tempo.beats_per_bar;
    for (n, raw) in src.lines().enumerate() {
        let line = n + 1;
        let text = raw.split('#').next().unwrap_or("").trim();
        if text.is_empty() {
            continue;
        }
        let col = raw.len() - raw.trim_start().len() + 1;
        let mut err = |col: usize, message: String| {
            diags.push(Diagnostic {
                file: file.into(),
                line,
                col,
                message,
            })
        };
        let (pos, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let rest = rest.trim();
        let beat = match Position::parse(pos).and_then(|p| p.resolve(bpb)) {
            Ok(b) => b,
            Err(e) => {
                err(col, e);
                continue;
            }
        };
        if beat < last {
            err(
                col,
                format!(
                    "beat {beat} comes before the previous line's beat {last}; keep the script in order"
                ),
            );
            continue;
        }
        if beat >= scenario.length_beats {
            err(
                col,
                format!(
                    "beat {beat} is past the end of the timeline (beat {})",
                    scenario.length_beats - 1
                ),
            );
            continue;
        }
        last = beat;
        // `text` is the line without its comment, trimmed; `rest` is a suffix of it.
        let word_col = col + (text.len() - rest.len());
        let (word, arg) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let arg = arg.trim();
        let action = match word {
            "" => {
                err(
                    col,
                    "expected a cue after the position, e.g. `12 ack`".into(),
                );
                continue;
            }
            "note" => Action::Note {
                text: arg.to_string(),
            },
            "hint" => Action::Hint,
            "pause" => Action::Pause,
            "resume" => Action::Resume,
            "fire" => Action::Fire {
                inject: arg.to_string(),
            },
            "end" => Action::End {
                reason: if arg.is_empty() {
                    "ended by script".into()
                } else {
                    arg.into()
                },
            },
            "tempo" => match arg.parse() {
                Ok(bpm) => Action::Tempo { bpm },
                Err(_) => {
                    err(
                        word_col,
                        format!("`tempo` needs a number of beats per minute, not `{arg}`"),
                    );
                    continue;
                }
            },
            cue if scenario.cue_index(cue).is_some() => Action::Cue {
                cue: cue.to_string(),
            },
            other => {
                let ids: Vec<&str> = scenario.cues.iter().map(|c| c.id.as_str()).collect();
                err(
                    word_col,
                    format!(
                        "unknown cue `{other}`; this scenario's cues: {}",
                        ids.join(", ")
                    ),
                );
                continue;
            }
        };
        out.push(ScriptLine { beat, action, line });
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// Plays a script against a fresh drill until the drill ends (or `stop_at` is reached) and
/// returns the drill and every input applied, in order.
pub fn run(drill: &mut Drill, script: &[ScriptLine], stop_at: Option<u64>) -> Vec<Input> {
    let mut inputs = Vec::new();
    let mut apply = |drill: &mut Drill, input: Input| {
        drill.apply(&input);
        inputs.push(input);
    };
    apply(
        drill,
        Input::new(
            SCRIPT_SEAT,
            Action::Join {
                name: "script".into(),
                role: None,
            },
        ),
    );
    let mut lines = script.iter().peekable();
    loop {
        while let Some(l) = lines.peek() {
            if l.beat > drill.beat || drill.is_ended() {
                break;
            }
            apply(drill, Input::new(SCRIPT_SEAT, l.action.clone()));
            lines.next();
        }
        if drill.is_ended() || stop_at.is_some_and(|s| drill.beat >= s) {
            break;
        }
        if drill.status == crate::drill::Status::Paused {
            // Time stands still while paused: the next line (usually `resume`) happens at the
            // paused beat; with no line left the script is over.
            match lines.next() {
                Some(l) => apply(drill, Input::new(SCRIPT_SEAT, l.action.clone())),
                None => break,
            }
            continue;
        }
        apply(drill, Input::new(SCRIPT_SEAT, Action::Tick));
    }
    inputs
}

/// Story time as `H:MM:SS`.
pub fn story_clock(seconds: u64) -> String {
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The outcome of a drill as Markdown: lifecycle times, alerts, objectives, cues.
pub fn outcome_markdown(drill: &Drill) -> String {
    let s = &drill.scenario;
    let mut md = String::new();
    let status = match &drill.status {
        crate::drill::Status::Ended(r) => format!("ended ({r})"),
        crate::drill::Status::Paused => "paused".into(),
        crate::drill::Status::Running => "running".into(),
    };
    let _ = writeln!(md, "# {} ({})\n", s.meta.title, s.meta.id);
    let _ = writeln!(
        md,
        "- seed: {}\n- beat: {} (bar {}), story time {}\n- status: {}\n",
        drill.seed,
        drill.beat,
        s.bar_beat(drill.beat),
        story_clock(s.story_seconds(drill.beat)),
        status
    );
    let _ = writeln!(
        md,
        "## Lifecycle\n\n| mark | beat | story time | target | |\n| --- | --- | --- | --- | --- |"
    );
    for mark in Mark::ALL {
        let at = drill.marks[mark.index()];
        let target = s.target_minutes(mark);
        let (beat, time) = at.map_or(("-".into(), "-".into()), |b| {
            (b.to_string(), story_clock(s.story_seconds(b)))
        });
        let verdict = match (at, target) {
            (Some(b), Some(t)) if s.story_seconds(b) <= u64::from(t) * 60 => "on target",
            (Some(_), Some(_)) => "late",
            (None, Some(_)) => "missed",
            _ => "",
        };
        let target = target.map_or("-".into(), |t| format!("{t} min"));
        let _ = writeln!(
            md,
            "| {} | {beat} | {time} | {target} | {verdict} |",
            mark.label()
        );
    }
    let _ = writeln!(md, "\n## Alerts fired\n");
    let mut any = false;
    for e in &drill.log {
        if let crate::drill::Event::AlertFiring { alert } = e.event {
            any = true;
            let a = &s.alerts[alert];
            let _ = writeln!(
                md,
                "- beat {} ({}): {} — {}",
                e.beat,
                s.bar_beat(e.beat),
                a.id,
                a.summary
            );
        }
    }
    if !any {
        let _ = writeln!(md, "- none");
    }
    let met = drill
        .objectives
        .iter()
        .filter(|v| matches!(v, Verdict::Met(_)))
        .count();
    let _ = writeln!(
        md,
        "\n## Objectives ({met} of {} met)\n",
        s.objectives.len()
    );
    for (o, v) in s.objectives.iter().zip(&drill.objectives) {
        let line = match v {
            Verdict::Met(b) => format!("- [x] {} — met at beat {b}", o.text),
            Verdict::Missed(b) => format!("- [ ] {} — missed at beat {b}", o.text),
            Verdict::Pending => format!("- [ ] {} — pending", o.text),
        };
        let _ = writeln!(md, "{line}");
    }
    let _ = writeln!(
        md,
        "\n## Cues\n\n| beat | bar | seat | cue | result |\n| --- | --- | --- | --- | --- |"
    );
    for e in &drill.log {
        let row = match &e.event {
            crate::drill::Event::CueApplied { seat, cue } => {
                Some((seat, s.cues[*cue].id.clone(), "applied".to_string()))
            }
            crate::drill::Event::Rejected { seat, what, reason } => {
                Some((seat, what.clone(), format!("rejected: {reason}")))
            }
            _ => None,
        };
        if let Some((seat, cue, result)) = row {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {cue} | {result} |",
                e.beat,
                s.bar_beat(e.beat),
                drill.seat_name(*seat)
            );
        }
    }
    md
}
