//! Headless play: a cue script drives a drill with no terminal, and the outcome is printed as
//! Markdown. This is the scenario author's test: each bundled scenario ships a winning and a
//! losing script.

use crate::drill::{Action, Drill, Input, SeatId, Verdict};
use crate::scenario::Mark;
use std::fmt::Write as _;

/// The seat a headless script plays from.
pub const SCRIPT_SEAT: SeatId = 0;

/// The cue-script parser lives in the pure core; re-exported for the callers that know it here.
pub use crate::drill::script::{ScriptLine, parse_script};

/// The seat each role of a script plays from: seat 1 for the first role its `as` lines name,
/// seat 2 for the next, and so on (the rest play from [`SCRIPT_SEAT`], every role).
pub fn script_seats(script: &[ScriptLine]) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    for l in script {
        if let Some(r) = &l.role
            && !roles.contains(r)
        {
            roles.push(r.clone());
        }
    }
    roles
}

/// Plays a script against a fresh drill until the drill ends (or `stop_at` is reached) and
/// returns the drill and every input applied, in order. A script with `as ROLE` lines also
/// seats one player per role (named after it) before the first beat.
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
    let roles = script_seats(script);
    for (n, role) in roles.iter().enumerate() {
        let seat = SCRIPT_SEAT + 1 + n as SeatId;
        let join = Action::Join {
            name: role.clone(),
            role: Some(role.clone()),
        };
        apply(drill, Input::new(seat, join));
    }
    let seat_of = |l: &ScriptLine| {
        l.role
            .as_ref()
            .and_then(|r| roles.iter().position(|x| x == r))
            .map_or(SCRIPT_SEAT, |n| SCRIPT_SEAT + 1 + n as SeatId)
    };
    let mut lines = script.iter().peekable();
    loop {
        while let Some(l) = lines.peek() {
            if l.beat > drill.beat || drill.is_ended() {
                break;
            }
            apply(drill, Input::new(seat_of(l), l.action.clone()));
            lines.next();
        }
        if drill.is_ended() || stop_at.is_some_and(|s| drill.beat >= s) {
            break;
        }
        if drill.status == crate::drill::Status::Paused {
            // Time stands still while paused: the next line (usually `resume`) happens at the
            // paused beat; with no line left the script is over.
            match lines.next() {
                Some(l) => apply(drill, Input::new(seat_of(l), l.action.clone())),
                None => break,
            }
            continue;
        }
        apply(drill, Input::new(SCRIPT_SEAT, Action::Tick));
    }
    inputs
}

pub use crate::clock::story_clock;

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
    decisions_markdown(drill, &mut md);
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

/// The decision points and the final state, for a scenario that has them.
fn decisions_markdown(drill: &Drill, md: &mut String) {
    let s = &drill.scenario;
    if !s.decisions.is_empty() {
        let _ = writeln!(md, "\n## Decisions\n");
        for (d, st) in s.decisions.iter().zip(drill.decisions()) {
            let what = match (st.chosen, st.opened) {
                (Some(c), _) => {
                    let who = c.seat.map_or("time ran out: the default".into(), |x| {
                        drill.seat_name(x).to_string()
                    });
                    format!(
                        "`{}` at beat {} ({}), by {who}",
                        d.options[c.option].id,
                        c.beat,
                        s.bar_beat(c.beat)
                    )
                }
                (None, Some(o)) if st.lapsed => format!("asked at beat {o}; time ran out"),
                (None, Some(o)) => format!("asked at beat {o}; not decided"),
                (None, None) => "never asked".into(),
            };
            let _ = writeln!(md, "- {}: {what}", d.id);
        }
    }
    if !s.flags.is_empty() {
        let _ = writeln!(md, "\n## State\n");
        for (f, v) in s.flags.iter().zip(&drill.flags) {
            let _ = writeln!(md, "- {}: {}", f.id, f.show(*v));
        }
    }
}
