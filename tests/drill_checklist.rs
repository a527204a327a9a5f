//! Every bundled drill carries what makes it worth an hour: roles that matter, noisy alerts,
//! injects on several channels, surprises, a contingency, a red herring someone can be seen
//! following, decision points with consequences and state, a runbook whose hidden pages are
//! earned by investigating, a three-rung hint ladder, debrief questions, Decision
//! Requirements Table rows linked to every decision point, a cited source, a winning and a
//! losing script, and a file `gamelan check` passes without a warning. A future drill that
//! drops one fails here, with the drill and the missing part named.

use gamelan::scenario::{self, Choice, Scenario, Severity};
use std::collections::BTreeSet;

/// What `s` lacks, one line each.
fn missing(s: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    fn need_in(out: &mut Vec<String>, ok: bool, what: &str) {
        if !ok {
            out.push(what.to_string());
        }
    }
    macro_rules! need {
        ($ok:expr, $what:expr $(,)?) => {
            need_in(&mut out, $ok, $what)
        };
    }
    let m = &s.meta;
    need!(!m.briefing.trim().is_empty(), "a briefing");
    need!(
        m.source.as_ref().is_some_and(|src| !src.title.is_empty()
            && !src.org.is_empty()
            && !src.date.is_empty()),
        "a cited source (title, organisation, date)",
    );

    // Roles: an incident commander, hands on the system, communications and a facilitator.
    let role = |words: &[&str]| {
        s.roles.iter().any(|r| {
            let text = format!("{} {}", r.id, r.name).to_lowercase();
            words.iter().any(|w| text.contains(w))
        })
    };
    need!(role(&["commander"]), "an incident commander role");
    need!(role(&["comms", "communication"]), "a communications role");
    need!(s.roles.iter().any(|r| r.facilitator), "a facilitator role");
    need!(s.roles.len() >= 4, "at least four roles");

    // Alerts a real team would have had, noisy ones included.
    need!(
        s.alerts.iter().any(|a| a.severity == Severity::Page),
        "an alert that pages",
    );
    need!(
        s.alerts.iter().any(|a| a.severity != Severity::Page),
        "a noisy (non-paging) alert",
    );

    // Injects on several channels, surprises, a contingency.
    let channels: BTreeSet<String> = s
        .injects
        .iter()
        .map(|i| format!("{:?}", i.channel))
        .collect();
    need!(channels.len() >= 3, "injects on at least three channels");
    need!(s.injects.iter().any(|i| i.surprise), "a surprise inject");
    need!(
        s.injects.iter().any(|i| i.contingency),
        "a contingency for the facilitator",
    );

    // A red herring someone can be seen following.
    need!(
        s.red_herrings.iter().any(|r| !r.cues.is_empty()),
        "a red herring with a cue that follows it",
    );

    // Decision points with consequences, state, and DRT rows linked to each.
    need!(!s.decisions.is_empty(), "a decision point");
    need!(!s.flags.is_empty(), "scenario state (flags or counters)");
    for d in &s.decisions {
        let leads = d.options.iter().any(|o| {
            !o.set.is_empty()
                || !o.effects.is_empty()
                || !o.skips.is_empty()
                || match o.choice {
                    Choice::Cue(c) => {
                        let cue = &s.cues[c];
                        !cue.effects.is_empty() || !cue.set.is_empty() || !cue.outcomes.is_empty()
                    }
                    Choice::Key(_) => false,
                }
        });
        if !leads {
            out.push(format!(
                "decision `{}` with an option that changes something",
                d.id
            ));
        }
        if !s
            .debrief
            .decisions
            .iter()
            .any(|r| r.point.as_deref() == Some(d.id.as_str()))
        {
            out.push(format!("a DRT row linked to decision `{}`", d.id));
        }
    }

    // A runbook that is useful, with hidden pages earned by investigating.
    need!(
        s.runbook.iter().any(|p| !p.hidden),
        "a runbook page open from the start"
    );
    need!(s.runbook.iter().any(|p| p.hidden), "a hidden runbook page");
    for (i, p) in s.runbook.iter().enumerate() {
        if p.hidden && !s.cues.iter().any(|c| c.reveals.contains(&i)) {
            out.push(format!("a cue that reveals hidden page `{}`", p.id));
        }
    }

    need!(s.hints.len() == 3, "a hint ladder of three rungs");
    need!(
        s.debrief.questions.len() >= 3,
        "at least three debrief questions"
    );
    out
}

#[test]
fn every_bundled_drill_has_what_a_drill_needs() {
    let mut problems = Vec::new();
    let bundled = scenario::bundled();
    assert_eq!(bundled.len(), 15, "the season has fifteen drills");
    for e in &bundled {
        let s = &e.scenario;
        let id = &s.meta.id;
        for what in missing(s) {
            problems.push(format!("{id}: lacks {what}"));
        }
        let src = scenario::bundled_source(id).unwrap();
        match scenario::lint_str(src, &format!("scenarios/{id}.toml")) {
            Ok((_, warnings)) => {
                for w in warnings {
                    problems.push(format!("{id}: check warns: {w}"));
                }
            }
            Err(d) => problems.push(format!("{id}: does not check: {d:?}")),
        }
        let (win, lose) = scenario::bundled_scripts(id).unwrap();
        for (kind, text) in [("win", win), ("lose", lose)] {
            if let Err(d) = gamelan::headless::parse_script(text, &format!("{id}.{kind}.cues"), s) {
                problems.push(format!("{id}: the {kind} script does not parse: {d:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_checklist_notices_what_is_missing() {
    // The same checks on a drill stripped of its decisions, red herrings and hints.
    let mut s = (*scenario::bundled()[0].scenario).clone();
    assert!(missing(&s).is_empty(), "{:?}", missing(&s));
    s.decisions.clear();
    s.red_herrings.clear();
    s.hints.pop();
    s.debrief.decisions.iter_mut().for_each(|r| r.point = None);
    let m = missing(&s);
    for want in ["a decision point", "a red herring", "three rungs"] {
        assert!(m.iter().any(|l| l.contains(want)), "{want}: {m:?}");
    }
    let mut s = (*scenario::bundled()[0].scenario).clone();
    s.debrief.decisions.iter_mut().for_each(|r| r.point = None);
    assert!(
        missing(&s)
            .iter()
            .any(|l| l.starts_with("a DRT row linked")),
        "{:?}",
        missing(&s)
    );
}
