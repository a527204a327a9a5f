//! The walkthrough's shared time window: the presenter's pan (how far behind live, paused or
//! trailing) is an input like the range, every follower's charts draw at it and say so, a seat
//! looking around keeps its own pan and range until it snaps back, a replay of the inputs
//! agrees, and a headless session script drives it.

mod session_fixture;

use gamelan::session::walkthrough::{Pan, Walkthrough};
use gamelan::session::{Session, SessionAction as A, SessionEvent, SessionInput, script};
use gamelan::vista::state::{Reading, Value};
use gamelan::vista::{PaneState, VistaSnapshot};
use ratatui::buffer::Buffer;
use session_fixture::{ANA, BO, CY, DEE, Room, at, text};
use std::sync::Arc;

fn walkthrough(s: &Session) -> &Walkthrough {
    match &s.segments[0].activity {
        gamelan::session::state::Activity::Walkthrough(w) => w,
        _ => unreachable!(),
    }
}

/// The fixture's vista with two hours of points every 30 s, a spike 30 to 35 minutes before
/// the snapshot's clock (so a window an hour long shows it, and one panned back moves it).
fn spiky(r: &mut Room) {
    let snap = &r.vista.1;
    let states = snap
        .panes
        .iter()
        .map(|p| {
            let mut st = PaneState::new(600, 1);
            for k in 0..=240u32 {
                let t = f64::from(k * 30);
                let value = if (5400.0..5700.0).contains(&t) {
                    90.0
                } else {
                    10.0 + f64::from(k % 7)
                };
                st.apply(
                    Reading::Values {
                        at: t,
                        values: vec![Value {
                            id: p.def.id.clone(),
                            label: p.def.title.clone(),
                            unit: String::new(),
                            value,
                        }],
                    },
                    t,
                );
            }
            st
        })
        .collect();
    let mut s = VistaSnapshot::new(&snap.config, states);
    s.clock = Some(7200.0);
    r.vista.1 = s;
}

/// The rows of the charts (those with an axis), as drawn for `seat`.
fn chart_rows(b: &Buffer) -> Vec<String> {
    text(b)
        .lines()
        .skip(4)
        .filter(|l| l.contains('┤') || l.contains('┴'))
        .map(str::to_string)
        .collect()
}

fn one(r: &mut Room, seat: u32, c: char) -> Vec<A> {
    r.char(seat, c)
        .into_iter()
        .filter_map(|c| match c {
            gamelan::ui::session::SessionCommand::Act(a) => Some(a),
            _ => None,
        })
        .collect()
}

#[test]
fn the_presenters_pan_moves_every_follower_and_looking_around_keeps_its_own() {
    let mut r = at("walkthrough");
    spiky(&mut r);
    let live = chart_rows(&r.draw(CY, 120, 40));
    assert!(!live.is_empty());
    // bo presents: `{` pans everyone back a quarter of the hour, paused there.
    assert_eq!(
        one(&mut r, BO, '{'),
        [A::Pan {
            back: 900,
            paused: true
        }]
    );
    let w = walkthrough(&r.session);
    assert_eq!((w.pan.back, w.pan.paused), (900, true));
    let follower = r.draw(CY, 120, 40);
    let t = text(&follower);
    assert!(t.contains("following bo · paused 15m ago"), "{t}");
    assert_ne!(
        chart_rows(&follower),
        live,
        "the follower moved with the presenter"
    );
    assert_eq!(chart_rows(&follower), chart_rows(&r.draw(BO, 120, 40)));
    assert_eq!(
        chart_rows(&follower),
        chart_rows(&r.draw(DEE, 120, 40)),
        "an observer follows too"
    );
    // At 80 columns the pan is still in sight.
    assert!(text(&r.draw(CY, 80, 24)).contains("following bo · paused 15m ago"));
    assert!(text(&r.draw(BO, 80, 24)).contains("everyone follows you · paused 15m ago"));
    // A paused window stays put: a session minute later it is half an hour further back
    // (bad-deploy's story runs 30 s a beat).
    r.tick(60);
    assert!(text(&r.draw(CY, 120, 40)).contains("paused 45m ago"));

    // cy looks around: its own range and its own pan, whatever bo does meanwhile.
    assert!(one(&mut r, CY, 'l').is_empty());
    assert!(
        one(&mut r, CY, ']').is_empty(),
        "a follower's key moves its own lens"
    );
    assert!(one(&mut r, CY, 'L').is_empty());
    let own = r.seats[CY as usize]
        .lens_now(&r.session)
        .view(walkthrough(&r.session));
    assert!(
        !own.following && own.pan.is_live() && own.range == 3 * 3600,
        "{own:?}"
    );
    assert_eq!(one(&mut r, BO, '{').len(), 1);
    assert_eq!(one(&mut r, BO, '['), [A::Range { seconds: 900 }]);
    let own_t = text(&r.draw(CY, 200, 50));
    assert!(
        own_t.contains("LOOKING AROUND on your own · pane")
            && own_t.contains("range 3h")
            && own_t.contains("l snaps back to bo (pane 3 · paused 1h ago)"),
        "{own_t}"
    );
    assert_ne!(
        chart_rows(&r.draw(CY, 120, 40)),
        chart_rows(&r.draw(BO, 120, 40))
    );
    // Snapping back returns it to the presenter's pan and range.
    assert!(one(&mut r, CY, 'l').is_empty());
    let back = r.seats[CY as usize]
        .lens_now(&r.session)
        .view(walkthrough(&r.session));
    assert!(back.following && back.pan == walkthrough(&r.session).pan && back.range == 900);
    assert_eq!(
        chart_rows(&r.draw(CY, 120, 40)),
        chart_rows(&r.draw(BO, 120, 40))
    );
    // `L` takes everyone back to live; `}` past live is live too.
    assert_eq!(
        one(&mut r, BO, 'L'),
        [A::Pan {
            back: 0,
            paused: false
        }]
    );
    assert_eq!(walkthrough(&r.session).pan, Pan::LIVE);
    assert!(text(&r.draw(CY, 120, 40)).contains("following bo · pane"));
    assert!(one(&mut r, BO, '}').is_empty(), "already live");
    assert_eq!(
        chart_rows(&r.draw(CY, 120, 40)),
        chart_rows(&r.draw(BO, 120, 40))
    );

    // Only the presenter pans for everyone: the core refuses anyone else, and a pan past 30d.
    let refused = |r: &Room| {
        r.session
            .log
            .back()
            .map(|l| match &l.event {
                SessionEvent::Refused { reason, .. } => reason.clone(),
                _ => String::new(),
            })
            .unwrap_or_default()
    };
    r.apply(
        ANA,
        A::Pan {
            back: 60,
            paused: true,
        },
    );
    assert!(
        refused(&r).contains("only the presenter"),
        "{}",
        refused(&r)
    );
    r.apply(
        BO,
        A::Pan {
            back: 31 * 86_400,
            paused: true,
        },
    );
    assert!(refused(&r).contains("at most 30d"), "{}", refused(&r));
    assert_eq!(walkthrough(&r.session).pan, Pan::LIVE);

    // Every pan was an input: replaying them rebuilds the same session, pan included.
    assert!(r.inputs.iter().any(|i| matches!(i.action, A::Pan { .. })));
    let mut again = session_fixture::gathered(r.session.seed);
    for i in &r.inputs {
        again.apply(i);
    }
    assert_eq!(again.state_hash(), r.session.state_hash());
}

#[test]
fn a_replayed_recording_agrees_on_the_pan() {
    let mut r = at("walkthrough");
    one(&mut r, BO, '{');
    one(&mut r, BO, '{');
    r.tick(5);
    let w = walkthrough(&r.session);
    let pan = w.pan;
    assert_eq!((pan.back, pan.paused), (1800, true), "{pan:?}");
    assert_eq!(
        pan.behind(r.session.beat, w.pace(), 60),
        1800 + 5 * 30,
        "five beats later, paused: further back by five beats of story"
    );
    // The inputs as a recording's lines, read back and applied to a fresh session.
    let lines: String = r
        .inputs
        .iter()
        .map(gamelan::session::record::input_line)
        .collect();
    assert!(
        lines.contains(r#""do":"pan","back":1800,"paused":true"#),
        "{lines}"
    );
    let mut s = session_fixture::gathered(7);
    for l in lines.lines() {
        s.apply(&serde_json::from_str::<SessionInput>(l).unwrap());
    }
    assert_eq!(walkthrough(&s).pan, pan);
    assert_eq!(s.state_hash(), r.session.state_hash());
}

#[test]
fn a_session_script_pans_the_walkthrough() {
    let plan = Arc::new(gamelan::session::bundled::plan("weekly").unwrap());
    let src = "0 ana join\n1 ana next\n10 ana pan 15m\n20 ana pan 1h trail\n30 ana pan live\n40 ana pan 0s\n";
    let sc = script::parse(src, "pan.script", &plan).unwrap_or_else(|d| panic!("{d:?}"));
    let mut s = Session::new(plan.clone(), 1);
    let mut vistas = vec![None; plan.setlist.segments.len()];
    vistas[0] = Some(session_fixture::bad_deploy_vista(1).0);
    let env = gamelan::session::headless::Env {
        vistas,
        ..Default::default()
    };
    let mut seen = Vec::new();
    for upto in [10, 20, 30, 40] {
        let mut s2 = Session::new(plan.clone(), 1);
        let part: String = src
            .lines()
            .filter(|l| l.split(' ').next().unwrap().parse::<u64>().unwrap() <= upto)
            .map(|l| format!("{l}\n"))
            .collect();
        let sc2 = script::parse(&part, "pan.script", &plan).unwrap();
        gamelan::session::headless::run(&mut s2, &sc2, &env, "pan.script").unwrap();
        seen.push(walkthrough(&s2).pan);
    }
    assert_eq!(seen[0], Pan::new(900, true, 10));
    assert_eq!(seen[1], Pan::new(3600, false, 20));
    assert_eq!(seen[2], Pan::LIVE);
    assert_eq!(
        seen[3],
        Pan::new(0, true, 40),
        "paused at live: frozen there"
    );
    let inputs = gamelan::session::headless::run(&mut s, &sc, &env, "pan.script").unwrap();
    assert_eq!(
        inputs
            .iter()
            .filter(|i| matches!(i.action, A::Pan { .. }))
            .count(),
        4
    );
    // Bad pan lines are positioned.
    for (line, col, want) in [
        ("5 ana pan", 7, "`pan` takes `live`"),
        ("5 ana pan 5", 11, "`pan`:"),
        ("5 ana pan 15m sideways", 15, "not `sideways`"),
        ("5 ana pan live now", 16, "not `now` too"),
        ("5 ana pan 31d", 11, "at most 30d"),
    ] {
        let d = script::parse(line, "bad.script", &plan).unwrap_err();
        assert_eq!((d[0].line, d[0].col), (1, col), "{line}: {d:?}");
        assert!(d[0].message.contains(want), "{line}: {}", d[0].message);
    }
}
