//! Scenarios that branch, through the drill core: decision points (by a cue, by a facilitator,
//! by default, before they are asked), flags and counters, conditions checked every beat, cue
//! outcomes, rate and view effects, event markers, `requires` as a condition, objectives on
//! conditions, and cue scripts played as roles. Each test plays a small scenario written for
//! it, so a failure names one mechanism.

use gamelan::drill::{Action, Drill, Event, Input, PaneView, Verdict};
use gamelan::headless;
use gamelan::scenario::{self, Scenario};
use std::sync::Arc;

const BASE: &str = r#"
[scenario]
id = "t"
title = "t"
summary = "s"
difficulty = "intro"
duration_minutes = 10
length_bars = 10

[tempo]
bpm = 60
beats_per_bar = 4
story_seconds_per_beat = 30

[[roles]]
id = "operator"
name = "Operator"

[[roles]]
id = "facilitator"
name = "Facilitator"
facilitator = true

[[signals]]
id = "q"
name = "queue"
baseline = 10
min = 0
healthy = [0, 50]

[[cues]]
id = "pause-hooks"
key = "p"
label = "Pause webhooks"
roles = ["operator"]
set = { paused = true }
add = { pauses = 1 }
repeatable = true

[[cues]]
id = "resume-hooks"
key = "r"
label = "Resume webhooks"
set = { paused = false }

[[cues]]
id = "revert"
key = "v"
label = "Revert the bad rule"
delay_beats = 2

[[cues]]
id = "reenable"
key = "e"
label = "Re-enable the rules"
response = { persona = "edge", text = "rules back on" }
effects = [{ kind = "step", signal = "q", by = 1 }]
outcomes = [
  { when = { not = { landed = "revert" } }, effects = [{ kind = "step", signal = "q", by = 100 }], response = { persona = "edge", text = "CPU climbs again" }, set = { burned = true } },
]

[[cues]]
id = "drain"
key = "d"
label = "Declare drained"
requires = { signal = "q", below = 20, for_beats = 2 }

[[flags]]
id = "paused"

[[flags]]
id = "burned"
visible = true

[[flags]]
id = "pauses"
counter = true
"#;

fn load(extra: &str) -> Arc<Scenario> {
    let src = format!("{BASE}{extra}");
    Arc::new(
        scenario::load_str(&src, "t.toml")
            .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d))),
    )
}

fn drill(s: &Arc<Scenario>) -> Drill {
    let mut d = Drill::new(s.clone(), 1);
    d.apply(&join(0, None));
    d
}

fn join(seat: u32, role: Option<&str>) -> Input {
    Input::new(
        seat,
        Action::Join {
            name: format!("s{seat}"),
            role: role.map(str::to_string),
        },
    )
}

fn cue(seat: u32, id: &str) -> Input {
    Input::new(seat, Action::Cue { cue: id.into() })
}

fn tick(d: &mut Drill, n: u64) {
    for _ in 0..n {
        d.apply(&Input::new(0, Action::Tick));
    }
}

fn events<'a>(d: &'a Drill, pick: impl Fn(&Event) -> bool + 'a) -> Vec<(u64, &'a Event)> {
    d.log
        .iter()
        .filter(|e| pick(&e.event))
        .map(|e| (e.beat, &e.event))
        .collect()
}

fn rejected(d: &Drill) -> Vec<String> {
    d.log
        .iter()
        .filter_map(|e| match &e.event {
            Event::Rejected { what, reason, .. } => Some(format!("{what}: {reason}")),
            _ => None,
        })
        .collect()
}

const DECISION: &str = r#"
[[decisions]]
id = "hooks"
prompt = "Pause the webhooks?"
at = "2:1"
within_beats = 4
default = "wait"
options = [
  { id = "pause", label = "Pause them", cue = "pause-hooks" },
  { id = "wait", label = "Wait", key = "w", set = { burned = true } },
]
"#;

#[test]
fn a_cue_chooses_its_option_and_the_choice_is_recorded_with_seat_and_beat() {
    let s = load(DECISION);
    let mut d = drill(&s);
    d.apply(&join(2, Some("operator")));
    tick(&mut d, 4);
    assert_eq!(d.open_decisions().collect::<Vec<_>>(), [0], "asked at 2:1");
    tick(&mut d, 1);
    d.apply(&cue(2, "pause-hooks"));
    let st = &d.decisions()[0];
    let c = st.chosen.expect("chosen");
    assert_eq!((c.option, c.seat, c.beat), (0, Some(2), 5));
    assert_eq!(d.flags, [1.0, 0.0, 1.0], "the cue set its flag and counter");
    assert!(d.open_decisions().next().is_none());
    tick(&mut d, 10);
    assert_eq!(
        d.decisions()[0].chosen,
        Some(c),
        "no default after a choice"
    );
}

#[test]
fn time_running_out_takes_the_default_and_a_facilitator_key_chooses_too() {
    let s = load(DECISION);
    let mut d = drill(&s);
    tick(&mut d, 8);
    let c = d.decisions()[0].chosen.expect("the default");
    assert_eq!((c.option, c.seat, c.beat), (1, None, 8));
    assert_eq!(d.flags[1], 1.0, "the default's `set`");

    let mut d = drill(&s);
    d.apply(&join(2, Some("operator")));
    d.apply(&join(3, Some("facilitator")));
    tick(&mut d, 5);
    assert_eq!(d.option_on_key('w'), Some((0, 1)));
    let decide = |seat| {
        Input::new(
            seat,
            Action::Decide {
                decision: "hooks".into(),
                option: "wait".into(),
            },
        )
    };
    d.apply(&decide(2));
    assert_eq!(rejected(&d), ["decide: only a facilitator can do that"]);
    d.apply(&decide(3));
    assert_eq!(d.decisions()[0].chosen.map(|c| c.seat), Some(Some(3)));
    d.apply(&decide(3));
    assert_eq!(
        rejected(&d).last().unwrap(),
        "decide hooks: already decided"
    );
}

#[test]
fn a_cue_pressed_before_the_prompt_decides_it_when_it_opens() {
    let s = load(DECISION);
    let mut d = drill(&s);
    d.apply(&join(2, Some("operator")));
    tick(&mut d, 1);
    d.apply(&cue(2, "pause-hooks"));
    tick(&mut d, 5);
    let c = d.decisions()[0].chosen.expect("chosen on opening");
    assert_eq!((c.option, c.seat, c.beat), (0, Some(2), 1));
    let opened = events(&d, |e| matches!(e, Event::DecisionOpened { .. }));
    let made = events(&d, |e| matches!(e, Event::DecisionMade { .. }));
    assert_eq!((opened[0].0, made[0].0), (4, 4));
}

#[test]
fn a_conditional_inject_fires_on_the_first_beat_its_condition_holds() {
    // The first format checked `when` once, at `at`; a wrong move after that beat went
    // unnoticed. Without `at`, it is checked every beat.
    let s = load(
        r#"
[[injects]]
id = "late-pause"
persona = "support"
text = "webhooks paused after 3:1: partners notice"
when = { all = [{ flag = "paused" }, { since = "3:1" }] }
"#,
    );
    let mut d = drill(&s);
    tick(&mut d, 12);
    assert!(!d.injects_done[0]);
    d.apply(&cue(0, "pause-hooks"));
    assert!(!d.injects_done[0], "only beats fire injects");
    tick(&mut d, 1);
    let fired = events(&d, |e| matches!(e, Event::InjectFired { .. }));
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].0, 13);
    tick(&mut d, 5);
    assert_eq!(
        events(&d, |e| matches!(e, Event::InjectFired { .. })).len(),
        1,
        "once"
    );
}

#[test]
fn an_outcome_replaces_the_cue_s_effects_response_and_state_when_its_condition_holds() {
    let s = load("");
    let mut d = drill(&s);
    tick(&mut d, 2);
    d.apply(&cue(0, "reenable"));
    tick(&mut d, 1);
    assert_eq!(
        d.signals[0].value, 110.0,
        "the outcome's effect, not the cue's"
    );
    assert_eq!(d.flags[1], 1.0);
    let outcome = events(&d, |e| matches!(e, Event::CueOutcome { .. }));
    assert!(matches!(
        outcome[0].1,
        Event::CueOutcome {
            outcome: Some(0),
            ..
        }
    ));

    let mut d = drill(&s);
    d.apply(&cue(0, "revert"));
    tick(&mut d, 3);
    d.apply(&cue(0, "reenable"));
    tick(&mut d, 1);
    assert_eq!(
        d.signals[0].value, 11.0,
        "after the revert landed: the cue's own"
    );
    assert_eq!(d.flags[1], 0.0);
    let outcome = events(&d, |e| matches!(e, Event::CueOutcome { .. }));
    assert!(matches!(
        outcome[0].1,
        Event::CueOutcome { outcome: None, .. }
    ));
}

#[test]
fn a_rate_adds_up_while_its_condition_holds_and_stays_until_cleared() {
    let s = load(
        r#"
[[injects]]
id = "backlog"
at = 1
persona = "hooks"
text = "webhook backlog grows while paused"
effects = [{ kind = "rate", signal = "q", by = 5, while = { flag = "paused" } }]

[[cues]]
id = "flush"
key = "f"
label = "Flush"
effects = [{ kind = "clear", source = "backlog", over = 2 }]
"#,
    );
    let mut d = drill(&s);
    tick(&mut d, 3);
    assert_eq!(d.signals[0].value, 10.0, "nothing while not paused");
    d.apply(&cue(0, "pause-hooks"));
    tick(&mut d, 4);
    assert_eq!(d.signals[0].value, 30.0, "four beats paused: 4 × 5");
    d.apply(&cue(0, "resume-hooks"));
    tick(&mut d, 3);
    assert_eq!(d.signals[0].value, 30.0, "the sum stays");
    d.apply(&cue(0, "flush"));
    tick(&mut d, 1);
    assert_eq!(d.signals[0].value, 20.0, "half way through a two-beat fade");
    tick(&mut d, 2);
    assert_eq!(d.signals[0].value, 10.0);
    assert!(d.rates.is_empty(), "a finished rate goes");
}

#[test]
fn a_view_effect_degrades_the_players_pane_not_the_signal() {
    let s = load(
        r#"
[[injects]]
id = "edge"
at = 2
persona = "edge"
text = "dashboards behind the broken edge"
effects = [{ kind = "stale", signal = "q", for_beats = 3 }, { kind = "slow", lag = 2, for_beats = 6 }, { kind = "step", signal = "q", by = 5 }]

[[injects]]
id = "blank"
at = 12
persona = "edge"
text = "no data"
effects = [{ kind = "blank" }]
"#,
    );
    let mut d = drill(&s);
    tick(&mut d, 2);
    assert_eq!(d.pane_view(0), PaneView::Stale { since: 2 });
    assert_eq!(d.signals[0].value, 15.0, "the system itself moved");
    tick(&mut d, 3);
    assert_eq!(
        d.pane_view(0),
        PaneView::Slow { lag: 2 },
        "stale for three beats"
    );
    tick(&mut d, 3);
    assert_eq!(d.pane_view(0), PaneView::Live);
    tick(&mut d, 4);
    assert_eq!(d.pane_view(0), PaneView::Blank);
    // Drawn honestly: the console says so.
    let mut view = gamelan::ui::seat::SeatView::new(0);
    view.mode = gamelan::ui::seat::Mode::Playing;
    let area = ratatui::layout::Rect::new(0, 0, 120, 40);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    let theme = gamelan::ui::theme::Theme::default();
    gamelan::ui::console::draw(&mut buf, area, &d, &view, &theme, &Default::default());
    let text: String = buf.content.iter().map(|c| c.symbol()).collect();
    assert!(text.contains("no data"), "the blank pane says so");
}

#[test]
fn a_slow_pane_lags_at_most_what_a_pane_keeps() {
    let src = format!(
        "{BASE}\n[[injects]]\nid = \"i\"\nat = 1\npersona = \"p\"\ntext = \"t\"\neffects = [{{ kind = \"slow\", lag = 513 }}, {{ kind = \"slow\" }}, {{ kind = \"stale\", lag = 2 }}]\n"
    );
    let text = gamelan::diag::render(&scenario::load_str(&src, "t.toml").unwrap_err());
    for needle in [
        "inject `i`: a `slow` effect's `lag` must be from 1 to 512 (the beats a pane keeps), not 513",
        "inject `i`: a `slow` effect needs `lag` (beats behind)",
        "inject `i`: a `stale` effect does not use `lag`",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn requires_as_a_condition_refuses_with_what_it_needs() {
    let s = load("");
    let mut d = drill(&s);
    d.apply(&cue(0, "reenable"));
    tick(&mut d, 1);
    d.apply(&cue(0, "drain"));
    assert_eq!(
        rejected(&d),
        ["drain: not yet: needs `q` below 20 for 2 beats"]
    );
    d.apply(&cue(0, "revert"));
    tick(&mut d, 2);
    // `reenable` raised q to 110 and holds: drain stays refused; a fresh drill drains.
    let mut d = drill(&s);
    tick(&mut d, 2);
    d.apply(&cue(0, "drain"));
    assert!(rejected(&d).is_empty(), "{:?}", rejected(&d));
}

#[test]
fn objectives_judge_conditions_and_cue_order() {
    let s = load(
        r#"
[[objectives]]
id = "revert-first"
text = "Revert before re-enabling"
measure = { holds = { applied = "revert", before = "reenable" }, by = "5:1" }

[[objectives]]
id = "never-burn"
text = "Never burn the edge"
measure = { never = { flag = "burned" } }

[[objectives]]
id = "after"
text = "Both of the above"
measure = { holds = { all = [{ objective = "revert-first" }, { landed = "reenable" }] } }
"#,
    );
    let mut d = drill(&s);
    d.apply(&cue(0, "revert"));
    tick(&mut d, 3);
    d.apply(&cue(0, "reenable"));
    tick(&mut d, 1);
    d.apply(&Input::new(
        0,
        Action::End {
            reason: "done".into(),
        },
    ));
    assert!(
        d.objectives.iter().all(|v| matches!(v, Verdict::Met(_))),
        "{:?}",
        d.objectives
    );
    let mut d = drill(&s);
    d.apply(&cue(0, "reenable"));
    d.apply(&cue(0, "revert"));
    tick(&mut d, 2);
    assert!(matches!(d.objectives[1], Verdict::Missed(_)), "burned");
    d.apply(&Input::new(
        0,
        Action::End {
            reason: "done".into(),
        },
    ));
    assert!(matches!(d.objectives[0], Verdict::Missed(_)), "wrong order");
    assert!(matches!(d.objectives[2], Verdict::Missed(_)));
}

#[test]
fn markers_are_kept_per_series() {
    let s = load(
        r#"
[[events]]
id = "deploys"
name = "deploys"

[[injects]]
id = "push"
at = 3
persona = "ci"
text = "deploy"
event = "deploys"
"#,
    );
    let mut d = drill(&s);
    tick(&mut d, 5);
    assert_eq!(d.markers, [vec![3]]);
    assert_eq!(s.events[0].glyph, 'd');
}

#[test]
fn a_recorded_drill_with_choices_replays_to_the_same_state() {
    let s = load(DECISION);
    let mut d = drill(&s);
    let mut inputs = vec![join(0, None), join(3, Some("facilitator"))];
    d.apply(&inputs[1]);
    for b in 0..20 {
        let i = match b {
            5 => Input::new(
                3,
                Action::Decide {
                    decision: "hooks".into(),
                    option: "wait".into(),
                },
            ),
            _ => Input::new(0, Action::Tick),
        };
        d.apply(&i);
        inputs.push(i);
    }
    let mut again = Drill::new(s.clone(), 1);
    for i in &inputs {
        again.apply(i);
    }
    assert_eq!(again.state_hash(), d.state_hash());
    assert_eq!(again.decisions(), d.decisions());
    // The line a recording keeps for it.
    let line = gamelan::record::input_line(5, &inputs[7]);
    assert_eq!(
        line,
        r#"{"beat":5,"seat":3,"do":"decide","decision":"hooks","option":"wait"}"#
    );
}

#[test]
fn a_script_plays_each_role_from_its_own_seat_and_gating_shows() {
    let s = load(DECISION);
    let src = "1:1 as facilitator pause-hooks\n1:2 as operator pause-hooks\n1:3 as operator pause\n2:2 as facilitator decide hooks wait\n";
    let lines = headless::parse_script(src, "r.cues", &s).unwrap();
    let mut d = Drill::new(s.clone(), 1);
    let inputs = headless::run(&mut d, &lines, Some(8));
    let joins: Vec<_> = inputs
        .iter()
        .filter_map(|i| match &i.action {
            Action::Join { role, .. } => Some((i.seat, role.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        joins,
        [
            (0, None),
            (1, Some("facilitator".into())),
            (2, Some("operator".into()))
        ]
    );
    assert_eq!(
        rejected(&d),
        [
            "pause-hooks: only operator can do this",
            "pause: only a facilitator can do that",
            "decide hooks: already decided",
        ]
    );
    let errs = headless::parse_script(
        "1:1 as opertor pause-hooks\n1:2 as\n1:3 decide hooks pause\n1:4 decide nope x\n",
        "bad.cues",
        &s,
    )
    .unwrap_err();
    let text = gamelan::diag::render(&errs);
    for needle in [
        "bad.cues:1:8: no role named `opertor`; did you mean `operator`?",
        "bad.cues:2:5: `as` needs a role",
        "bad.cues:3:18: option `pause` is chosen by pressing its cue: write `pause-hooks` instead",
        "bad.cues:4:12: no decision point named `nope`",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn the_debrief_fills_what_we_did_and_when_from_the_decision_point() {
    let s = load(&format!(
        "{DECISION}\n[debrief]\n[[debrief.decisions]]\npoint = \"hooks\"\ndecision = \"Pause webhooks?\"\nwhy_difficult = \"w\"\ncues = \"c\"\nstrategy = \"s\"\nnovice_error = \"n\"\n"
    ));
    let mut d = drill(&s);
    d.apply(&join(2, Some("operator")));
    tick(&mut d, 5);
    d.apply(&cue(2, "pause-hooks"));
    let report = gamelan::debrief::build(&d, &[]);
    let row = &report.decisions[0];
    assert_eq!(row.point.as_deref(), Some("hooks"));
    assert_eq!(row.what_we_did, "Pause them (s2)");
    assert_eq!(row.when, "2:2 (0:02:30)");
    let md = gamelan::debrief::markdown(&report);
    assert!(md.contains("| Pause them (s2) | 2:2 (0:02:30) |"), "{md}");
    assert!(md.contains("| decided |"), "{md}");
    assert!(
        md.contains("| paused (`paused`) | yes | the facilitator |"),
        "{md}"
    );
    assert!(md.contains("| burned (`burned`) | no | everyone |"), "{md}");
    assert_eq!(report.state.len(), 3);
}

fn screen(d: &Drill, seat: u32, w: u16, h: u16) -> String {
    let mut view = gamelan::ui::seat::SeatView::new(seat);
    view.mode = gamelan::ui::seat::Mode::Playing;
    let area = ratatui::layout::Rect::new(0, 0, w, h);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    let theme = gamelan::ui::theme::Theme::default();
    gamelan::ui::console::draw(&mut buf, area, d, &view, &theme, &Default::default());
    (0..h)
        .map(|y| {
            let mut line: String = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
            line.push('\n');
            line
        })
        .collect()
}

#[test]
fn the_console_draws_the_prompt_the_state_and_the_markers() {
    let s = load(&format!(
        "{DECISION}\n[[events]]\nid = \"pushes\"\nname = \"config pushes\"\nglyph = \"P\"\n\n[[injects]]\nid = \"push\"\nat = 2\npersona = \"ci\"\ntext = \"config push\"\nevent = \"pushes\"\n"
    ));
    let mut d = drill(&s);
    d.apply(&join(2, Some("operator")));
    tick(&mut d, 5);
    let fac = screen(&d, 0, 120, 40);
    for needle in [
        "Pause the webhooks?",
        "[p] Pause them",
        "[w] Wait (facilitator)",
        "3 beats left, then default: Wait",
        "state (· hidden from players)",
        "·paused no",
        "burned no",
    ] {
        assert!(fac.contains(needle), "missing {needle:?} in\n{fac}");
    }
    let player = screen(&d, 2, 120, 40);
    assert!(player.contains("[w] Wait (facilitator)"), "{player}");
    assert!(
        !player.contains("paused no"),
        "a hidden flag is the facilitator's:\n{player}"
    );
    assert!(player.contains("state burned no"), "{player}");
    // The push at beat 2 is a marker on the timeline and on the chart's top row.
    assert!(fac.matches('P').count() >= 2, "{fac}");
    // A facilitator's key chooses its option; a cue key stays the cue.
    let mut view = gamelan::ui::seat::SeatView::new(0);
    view.mode = gamelan::ui::seat::Mode::Playing;
    let key = gamelan::input::Key::char;
    let area = ratatui::layout::Rect::new(0, 0, 120, 40);
    assert_eq!(
        view.on_key(key('w'), &d, area),
        [gamelan::ui::seat::Command::Drill(Action::Decide {
            decision: "hooks".into(),
            option: "wait".into()
        })]
    );
    d.apply(&Input::new(
        0,
        Action::Decide {
            decision: "hooks".into(),
            option: "wait".into(),
        },
    ));
    let after = screen(&d, 0, 120, 40);
    assert!(
        !after.contains("[p] Pause them"),
        "the prompt closes:\n{after}"
    );
    assert!(
        after.contains("? Pause the webhooks?"),
        "the feed keeps the question:\n{after}"
    );
    assert!(after.contains("◈"), "the choice on the timeline:\n{after}");
    // Any size, even a tiny one, draws without panicking.
    for (w, h) in [(1, 1), (20, 6), (80, 24), (500, 200)] {
        screen(&d, 0, w, h);
    }
}
