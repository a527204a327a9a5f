//! The session seat's screens in ratatui's TestBackend: snapshots of every segment kind and the
//! end at 80x24 and 160x48, every size from 1x1 to 300x100 without a panic, each key's
//! action (and nothing from an observer), and the bundled weekly setlist walked from the
//! walkthrough to the write-up by keys alone.
//!
//! The live preview is `cargo run --example session_preview`.

mod session_fixture;

use gamelan::input::{Button, Input, Key, KeyCode, Mouse, MouseKind};
use gamelan::keymap::{self, Act, KEYMAP, Scope};
use gamelan::session::state::{Activity, Phase, SegmentStatus, TurnResult};
use gamelan::session::{Mark, SessionAction as A, wheel};
use gamelan::ui::session::{Mode, SessionCommand, SessionScreen, SessionSeat};
use gamelan::ui::theme::{Meaning, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use session_fixture::{ANA, BO, CY, DEE, Room, at, text};

/// Every moment the screens are drawn at, and the seat they are drawn for.
const MOMENTS: &[(&str, u32)] = &[
    ("gathering", ANA),
    ("walkthrough", CY),
    ("spinning", BO),
    ("turn", ANA),
    ("wheel", BO),
    ("drill", ANA),
    ("discussion", DEE),
    ("matrix", CY),
    ("end", CY),
];

#[test]
fn snapshots_of_every_segment_kind_and_the_end_at_80x24_and_160x48() {
    for (moment, seat) in MOMENTS {
        let r = at(moment);
        for (w, h) in [(80, 24), (160, 48)] {
            let t = text(&r.draw(*seat, w, h));
            insta::assert_snapshot!(format!("session_{moment}_{w}x{h}"), t);
        }
    }
}

/// A notice and the keys share the status line: eve joins late while ana runs the wheel, and
/// ana's status line says so with `?`, the wheel's spin, `> next` and `q` still in view.
#[test]
fn snapshots_of_a_notice_beside_the_keys_at_80x24_and_200x50() {
    let mut r = at("wheel");
    r.seats.push(SessionSeat::new(4));
    r.apply(4, A::Join { name: "eve".into() });
    for (w, h) in [(80, 24), (200, 50)] {
        let t = text(&r.draw(ANA, w, h));
        let status = t.lines().last().unwrap();
        for want in ["eve joined", "space spin", "> next", "? keys", "q leave"] {
            assert!(status.contains(want), "{w}x{h}: {want:?} in {status:?}");
        }
        insta::assert_snapshot!(format!("session_notice_{w}x{h}"), t);
    }
}

/// The end screen offers where the DRT table went, beside the write-up's paths.
#[test]
fn the_end_says_where_the_drt_table_was_saved() {
    let mut r = at("end");
    r.seats[CY as usize].saved = Some("/r/s.writeup.md and /r/s.writeup.json".into());
    r.seats[CY as usize].tables = vec!["/r/s.drt.md and /r/s.drt.csv".into()];
    let t = text(&r.draw(CY, 200, 50));
    contains_all(
        &t,
        &[
            "The write-up, saved to /r/s.writeup.md and /r/s.writeup.json.",
            "The DRT table, saved to /r/s.drt.md and /r/s.drt.csv.",
        ],
    );
}

fn contains_all(t: &str, needles: &[&str]) {
    for n in needles {
        assert!(t.contains(n), "missing {n:?} in\n{t}");
    }
}

#[test]
fn each_screen_says_where_the_session_stands_and_who_is_who() {
    let r = at("walkthrough");
    let t = text(&r.draw(CY, 80, 24));
    contains_all(
        &t,
        &[
            "1/6 walkthrough",
            "1:05 / 10:00",
            "you: cy · participant",
            "facilitator ana · presenter bo",
            "following bo · pane 3/5",
            "tour 3/5",
            "range 1h",
            "remarks · checkout p9",
            "cy: ? why does",
            "ana: this is the",
        ],
    );
    // The remarks are counted on their pane's border for everyone.
    assert!(t.contains("✎1 ?1"), "{t}");
    let big = text(&r.draw(DEE, 160, 48));
    contains_all(
        &big,
        &[
            "OBSERVER · read-only",
            "seats · 4 here of 4",
            "● dee · observer",
        ],
    );
    // The wheel shows the facilitator the deck's notes, and nobody else.
    let r = at("turn");
    let fac = text(&r.draw(ANA, 80, 24));
    contains_all(
        &fac,
        &[
            "for the facilitator only",
            "a good answer:",
            "⏱ 0:52 / 8:00",
        ],
    );
    let other = text(&r.draw(CY, 80, 24));
    assert!(!other.contains("for the facilitator only"), "{other}");
    assert!(!other.contains("a good answer"), "{other}");
    // While the wheel turns, nobody sees the question yet.
    let r = at("spinning");
    let t = text(&r.draw(CY, 80, 24));
    contains_all(&t, &["The wheel is turning…", "turning… slowing, 5 beats"]);
    assert!(!t.contains("answers:"), "{t}");
}

#[test]
fn over_time_and_the_observer_badge_are_styled_to_be_seen() {
    let mut r = at("walkthrough");
    r.tick(600);
    let buf = r.draw(CY, 80, 24);
    let t = text(&buf);
    assert!(t.contains("11:05 / 10:00 +1:05 over"), "{t}");
    let theme = Theme::bundled("dark").unwrap();
    let (x, y) = find(&buf, "+1:05 over");
    assert_eq!(buf[(x, y)].fg, theme.style(Meaning::Critical).fg.unwrap());
    let buf = r.draw(DEE, 80, 24);
    let (x, y) = find(&buf, "OBSERVER");
    assert!(
        buf[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

fn find(buf: &Buffer, needle: &str) -> (u16, u16) {
    for (y, line) in text(buf).lines().enumerate() {
        if let Some(i) = line.find(needle) {
            return (line[..i].chars().count() as u16, y as u16);
        }
    }
    panic!("`{needle}` not on screen:\n{}", text(buf));
}

#[test]
fn without_a_snapshot_the_walkthrough_says_what_is_missing() {
    let r = at("walkthrough");
    let draw = |r: &Room| {
        let area = Rect::new(0, 0, 100, 30);
        let mut buf = Buffer::empty(area);
        let screen = SessionScreen {
            session: &r.session,
            vista: None,
            now: 0.0,
        };
        r.seats[CY as usize].draw(&mut buf, area, &screen, &r.theme);
        text(&buf)
    };
    // The panes are known but their data has not come: each pane says so.
    let t = draw(&r);
    contains_all(&t, &["checkout 5xx ratio · …", "waiting for its data…"]);
    // The vista itself has not been shown yet: the seat says what is loading.
    let mut r = Room::new(7);
    r.apply(ANA, A::Next);
    if let Activity::Walkthrough(w) = &mut r.session.segments[0].activity {
        w.vista = None;
    }
    r.seats[CY as usize].notice = Some("team.vista.toml:3:1: unknown key `titel`".into());
    let t = draw(&r);
    contains_all(
        &t,
        &[
            "Loading the simulated vista of scenario bad-deploy",
            "team.vista.toml:3:1",
        ],
    );
}

#[test]
fn every_size_from_1x1_to_300x100_draws_without_panic() {
    let small = (1..=40u16)
        .step_by(3)
        .flat_map(|w| (1..=16u16).map(move |h| (w, h)));
    let sizes: Vec<(u16, u16)> = (1..=300u16)
        .map(|w| (w, 24))
        .chain((1..=100u16).map(|h| (80, h)))
        .chain(small)
        .chain([
            (300, 100),
            (300, 1),
            (1, 100),
            (31, 7),
            (32, 8),
            (129, 40),
            (130, 40),
        ])
        .collect();
    std::thread::scope(|scope| {
        for chunk in MOMENTS.chunks(MOMENTS.len().div_ceil(2)) {
            let sizes = &sizes;
            scope.spawn(move || {
                for (moment, seat) in chunk {
                    let mut r = at(moment);
                    for (n, (w, h)) in sizes.iter().enumerate() {
                        // Every third size with the help open, every fifth with a picker.
                        let v = &mut r.seats[*seat as usize];
                        v.help = (n % 3 == 0).then_some(n);
                        v.mode = if n % 5 == 0 {
                            Mode::Pick(gamelan::ui::session::Picker {
                                kind: gamelan::ui::session::PickerKind::Presenter,
                                at: n,
                            })
                        } else {
                            Mode::Browse
                        };
                        let _ = r.draw(*seat, *w, *h);
                    }
                }
            });
        }
    });
    let r = at("gathering");
    assert!(text(&r.draw(ANA, 20, 5)).contains("terminal too small"));
}

/// The commands one key gives `seat` in `r` (applied to the session as the room would).
fn press(r: &mut Room, seat: u32, key: Key) -> Vec<SessionCommand> {
    r.input(seat, Input::Key(key))
}

fn acts(cmds: &[SessionCommand]) -> Vec<A> {
    cmds.iter()
        .filter_map(|c| match c {
            SessionCommand::Act(a) => Some(a.clone()),
            SessionCommand::Quit => None,
        })
        .collect()
}

fn one(r: &mut Room, seat: u32, c: char) -> Vec<A> {
    acts(&press(r, seat, Key::char(c)))
}

fn code(r: &mut Room, seat: u32, c: KeyCode) -> Vec<A> {
    acts(&press(r, seat, Key::plain(c)))
}

fn walkthrough(r: &Room) -> &gamelan::session::walkthrough::Walkthrough {
    match &r.session.segments[0].activity {
        Activity::Walkthrough(w) => w,
        _ => unreachable!(),
    }
}

#[test]
fn the_presenters_keys_drive_the_walkthrough_for_everyone() {
    let mut r = Room::new(7);
    r.apply(ANA, A::Next);
    r.apply(ANA, A::HandPresenter { to: BO });
    assert_eq!(code(&mut r, BO, KeyCode::Tab), [A::Focus { pane: 1 }]);
    assert_eq!(code(&mut r, BO, KeyCode::Right), [A::Focus { pane: 2 }]);
    assert_eq!(code(&mut r, BO, KeyCode::BackTab), [A::Focus { pane: 1 }]);
    assert_eq!(code(&mut r, BO, KeyCode::Left), [A::Focus { pane: 0 }]);
    assert_eq!(
        code(&mut r, BO, KeyCode::Left),
        [A::Focus { pane: 4 }],
        "wraps"
    );
    assert_eq!(code(&mut r, BO, KeyCode::Enter), [A::Zoom { on: true }]);
    assert_eq!(code(&mut r, BO, KeyCode::Esc), [A::Zoom { on: false }]);
    assert_eq!(one(&mut r, BO, 't'), [A::Tour { step: Some(4) }]);
    assert_eq!(
        code(&mut r, BO, KeyCode::Tab),
        [A::Tour { step: Some(0) }],
        "the tour steps"
    );
    assert_eq!(
        code(&mut r, BO, KeyCode::Esc),
        [A::Tour { step: None }],
        "esc ends it"
    );
    assert_eq!(one(&mut r, BO, 't'), [A::Tour { step: Some(0) }]);
    assert_eq!(one(&mut r, BO, 't'), [A::Tour { step: None }]);
    assert_eq!(one(&mut r, BO, '['), [A::Range { seconds: 900 }]);
    assert_eq!(one(&mut r, BO, ']'), [A::Range { seconds: 3600 }]);
    assert_eq!(one(&mut r, BO, ']'), [A::Range { seconds: 3 * 3600 }]);
    // Remarks and questions land on the pane in focus.
    assert!(one(&mut r, CY, 'r').is_empty());
    r.input(CY, Input::Paste("flat\nat night?".into()));
    assert_eq!(
        code(&mut r, CY, KeyCode::Enter),
        [A::Remark {
            pane: Some(0),
            text: "flat at night?".into(),
            question: false
        }]
    );
    one(&mut r, CY, 'a');
    for c in "why".chars() {
        one(&mut r, CY, c);
    }
    code(&mut r, CY, KeyCode::Backspace);
    assert_eq!(
        code(&mut r, CY, KeyCode::Enter),
        [A::Remark {
            pane: Some(0),
            text: "wh".into(),
            question: true
        }]
    );
    let w = walkthrough(&r);
    assert_eq!(
        (w.focus, w.zoom, w.tour, w.range, w.remarks.len()),
        (0, false, None, 3 * 3600, 2)
    );
    // Anyone else's focus keys look around on their own, and l snaps back.
    assert!(code(&mut r, CY, KeyCode::Tab).is_empty());
    assert!(code(&mut r, CY, KeyCode::Enter).is_empty());
    let v = &r.seats[CY as usize];
    let view = v.lens_now(&r.session).view(walkthrough(&r));
    assert!(!view.following && view.focus == 1 && view.zoom, "{view:?}");
    assert!(text(&r.draw(CY, 80, 24)).contains("LOOKING AROUND on your own"));
    one(&mut r, CY, 'r');
    r.typed(CY, "on my own pane");
    assert_eq!(
        walkthrough(&r).remarks[2].pane,
        1,
        "a remark lands where the seat looks"
    );
    assert!(one(&mut r, CY, 'l').is_empty());
    assert!(
        r.seats[CY as usize]
            .lens_now(&r.session)
            .view(walkthrough(&r))
            .following
    );
    // Tour and range are the presenter's.
    assert!(one(&mut r, CY, 't').is_empty());
    let f = r.seats[CY as usize].flash.clone().unwrap();
    assert!(
        f.text
            .contains("only the presenter can start or stop the tour"),
        "{f:?}"
    );
}

#[test]
fn the_wheel_keys_spin_escalate_pass_mark_and_retire() {
    let mut r = Room::new(7);
    r.apply(ANA, A::Next);
    r.apply(ANA, A::Next);
    assert_eq!(one(&mut r, BO, ' '), [A::Spin]);
    assert!(one(&mut r, CY, ' ').is_empty(), "one turn at a time");
    r.tick(10);
    let person = r.session.open_turn(1).unwrap().1.spin.person;
    let other = if person == BO { CY } else { BO };
    assert!(one(&mut r, other, 'p').is_empty(), "not their turn");
    assert!(
        r.seats[other as usize]
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("turn")
    );
    one(&mut r, person, 'e');
    r.input(person, Input::Paste("the data platform".into()));
    assert_eq!(
        code(&mut r, person, KeyCode::Enter),
        [A::Escalate {
            to: "the data platform".into()
        }]
    );
    assert_eq!(one(&mut r, person, 'p'), [A::Pass]);
    for (c, result) in [
        ('1', Mark::Found),
        ('2', Mark::Helped),
        ('3', Mark::NotFound),
    ] {
        assert_eq!(one(&mut r, BO, ' '), [A::Spin]);
        r.tick(10);
        assert!(one(&mut r, BO, c).is_empty(), "only the facilitator marks");
        assert_eq!(one(&mut r, ANA, c), [A::Mark { result }]);
    }
    // Spin for someone: the facilitator picks the seat.
    assert!(one(&mut r, ANA, 'w').is_empty());
    code(&mut r, ANA, KeyCode::Down);
    code(&mut r, ANA, KeyCode::Down);
    assert_eq!(
        code(&mut r, ANA, KeyCode::Enter),
        [A::SpinFor { person: CY }]
    );
    one(&mut r, ANA, '1');
    // Retire a theme, then put it back.
    let first = r.session.plan.decks[1].as_ref().unwrap().themes[0]
        .id
        .clone();
    one(&mut r, ANA, 'd');
    assert_eq!(
        code(&mut r, ANA, KeyCode::Enter),
        [A::Retire {
            theme: first.clone()
        }]
    );
    one(&mut r, ANA, 'd');
    assert_eq!(
        one(&mut r, ANA, '1'),
        [A::Restore { theme: first }],
        "a digit picks its row"
    );
    assert!(
        one(&mut r, BO, 'd').is_empty(),
        "retiring is the facilitator's"
    );
    match &r.session.segments[1].activity {
        Activity::Wheel(w) => {
            let results: Vec<_> = w.turns.iter().map(|t| t.result).collect();
            assert_eq!(
                results,
                [
                    Some(TurnResult::Passed),
                    Some(TurnResult::Marked(Mark::Found)),
                    Some(TurnResult::Marked(Mark::Helped)),
                    Some(TurnResult::Marked(Mark::NotFound)),
                    Some(TurnResult::Marked(Mark::Found)),
                ]
            );
            assert_eq!(w.turns[4].spin.person, CY);
            assert!(w.retired.iter().all(|r| !r));
        }
        _ => unreachable!(),
    }
}

#[test]
fn the_facilitators_keys_run_the_setlist_and_hand_the_roles() {
    let mut r = Room::new(7);
    assert!(one(&mut r, BO, '>').is_empty(), "only the facilitator");
    assert!(
        r.seats[BO as usize]
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("only the facilitator")
    );
    assert_eq!(one(&mut r, ANA, '>'), [A::Next]);
    assert_eq!(one(&mut r, ANA, '.'), [A::Next]);
    assert_eq!(one(&mut r, ANA, '<'), [A::Back]);
    assert_eq!(
        one(&mut r, ANA, ','),
        Vec::<A>::new(),
        "the first segment has no back"
    );
    assert_eq!(one(&mut r, ANA, '+'), [A::Extend { beats: 300 }]);
    assert_eq!(one(&mut r, ANA, '='), [A::Extend { beats: 300 }]);
    assert_eq!(r.session.planned(0), 600 + 600);
    // Skip and end ask first; anything but y keeps going.
    assert!(one(&mut r, ANA, 's').is_empty());
    assert!(one(&mut r, ANA, 'x').is_empty());
    assert_eq!(r.session.current(), Some(0));
    one(&mut r, ANA, 's');
    assert_eq!(one(&mut r, ANA, 'y'), [A::Skip]);
    assert_eq!(r.session.segments[0].status, SegmentStatus::Skipped);
    one(&mut r, ANA, 'P');
    code(&mut r, ANA, KeyCode::Down);
    code(&mut r, ANA, KeyCode::Down);
    assert_eq!(
        code(&mut r, ANA, KeyCode::Enter),
        [A::HandPresenter { to: CY }]
    );
    one(&mut r, ANA, 'F');
    code(&mut r, ANA, KeyCode::Down);
    assert!(
        code(&mut r, ANA, KeyCode::Esc).is_empty(),
        "esc cancels a picker"
    );
    one(&mut r, ANA, 'F');
    assert_eq!(one(&mut r, ANA, '2'), [A::HandFacilitator { to: BO }]);
    assert_eq!(r.session.facilitator, Some(BO));
    assert!(
        one(&mut r, ANA, 'E').is_empty(),
        "no longer the facilitator"
    );
    one(&mut r, BO, 'E');
    assert_eq!(
        code(&mut r, BO, KeyCode::Enter),
        [A::End {
            reason: String::new()
        }]
    );
    assert!(r.session.is_ended());
    // A note after the end goes on the session.
    one(&mut r, CY, 'n');
    assert_eq!(
        code(&mut r, CY, KeyCode::Enter),
        Vec::<A>::new(),
        "an empty note sends nothing"
    );
    one(&mut r, CY, 'n');
    r.input(CY, Input::Paste("TODO: a first-shift guide".into()));
    assert_eq!(
        code(&mut r, CY, KeyCode::Enter),
        [A::Note {
            text: "TODO: a first-shift guide".into()
        }]
    );
    // Leaving asks while the session runs, not after; ctrl-c leaves at once.
    assert_eq!(press(&mut r, CY, Key::char('q')), [SessionCommand::Quit]);
    let mut r = Room::new(7);
    assert!(press(&mut r, CY, Key::char('q')).is_empty());
    assert!(matches!(r.seats[CY as usize].mode, Mode::Confirm(_)));
    assert_eq!(press(&mut r, CY, Key::char('y')), [SessionCommand::Quit]);
    assert_eq!(press(&mut r, CY, Key::ctrl('c')), [SessionCommand::Quit]);
}

/// Every key of the session's scope, pressed by the observer at every moment, sends nothing
/// to the room; each that would act says that observers can't.
#[test]
fn observers_keys_act_on_nothing() {
    let acting = [
        Act::Note,
        Act::Remark,
        Act::Ask,
        Act::Tour,
        // The range and pan keys move an observer's own lens (looking around): view-only.
        Act::Spin,
        Act::SpinFor,
        Act::Escalate,
        Act::Pass,
        Act::Found,
        Act::Helped,
        Act::NotFound,
        Act::Themes,
        Act::SegmentNext,
        Act::SegmentBack,
        Act::Extend,
        Act::Skip,
        Act::EndSession,
        Act::HandPresenter,
        Act::HandFacilitator,
    ];
    for (moment, _) in MOMENTS {
        let base = at(moment);
        for b in KEYMAP.iter().filter(|b| b.scopes.contains(&Scope::Session)) {
            for key in b.keys {
                let mut r = base.clone();
                let before = r.session.state_hash();
                let cmds = press(&mut r, DEE, *key);
                assert!(
                    acts(&cmds).is_empty(),
                    "{moment}: {} gave {cmds:?}",
                    key.label()
                );
                // Whatever mode the key opened, enter and y send nothing either.
                press(&mut r, DEE, Key::plain(KeyCode::Enter));
                press(&mut r, DEE, Key::char('y'));
                assert_eq!(r.session.state_hash(), before, "{moment}: {}", key.label());
                if acting.contains(&b.act) {
                    let mut r = base.clone();
                    press(&mut r, DEE, *key);
                    let f = r.seats[DEE as usize].flash.clone();
                    assert!(
                        f.as_ref()
                            .is_some_and(|f| f.text.starts_with("observers can't")),
                        "{moment}: {} ({:?}) said {f:?}",
                        key.label(),
                        b.act
                    );
                }
            }
        }
        assert_eq!(
            base.session.state_hash(),
            at(moment).session.state_hash(),
            "deterministic"
        );
    }
}

#[test]
fn a_click_focuses_a_pane_and_a_double_click_zooms() {
    let mut r = at("walkthrough");
    r.area = Rect::new(0, 0, 80, 24);
    let _ = r.draw(BO, 80, 24);
    let hits = r.seats[BO as usize].drawn.all();
    let (pane, rect) = hits.iter().find(|(p, _)| *p == 0).copied().unwrap();
    let mut click = Mouse::new(MouseKind::Down(Button::Left), rect.x + 2, rect.y + 2);
    // Touring: a click on a pane takes the tour there.
    assert_eq!(
        acts(&r.input(BO, Input::Mouse(click))),
        [A::Tour { step: Some(pane) }]
    );
    click.clicks = 2;
    assert_eq!(
        acts(&r.input(BO, Input::Mouse(click))),
        [A::Zoom { on: true }]
    );
    // Anyone else looks there on their own.
    let _ = r.draw(CY, 80, 24);
    let (_, rect) = r.seats[CY as usize].drawn.all().into_iter().next().unwrap();
    let (p2, r2) = (0, rect);
    let click = Mouse::new(MouseKind::Down(Button::Left), r2.x + 1, r2.y + 1);
    assert!(acts(&r.input(CY, Input::Mouse(click))).is_empty());
    let view = r.seats[CY as usize]
        .lens_now(&r.session)
        .view(walkthrough(&r));
    assert_eq!((view.following, view.focus), (false, p2));
    // A click on a picker's row picks it.
    let mut r = Room::new(7);
    one(&mut r, ANA, 'P');
    let _ = r.draw(ANA, 80, 24);
    let t = text(&r.draw(ANA, 80, 24));
    let (x, y) = find(&r.draw(ANA, 80, 24), "3. cy");
    assert!(t.contains("hand the presenter role to"), "{t}");
    let click = Mouse::new(MouseKind::Down(Button::Left), x, y);
    assert_eq!(
        acts(&r.input(ANA, Input::Mouse(click))),
        [A::HandPresenter { to: CY }]
    );
}

#[test]
fn help_lists_every_session_key_and_scrolls_at_80x24() {
    let mut r = at("walkthrough");
    one(&mut r, CY, '?');
    let mut seen = String::new();
    let mut last = String::new();
    for _ in 0..30 {
        let t = text(&r.draw(CY, 80, 24));
        assert!(t.contains("session keys"), "{t}");
        seen.push_str(&t);
        if t == last {
            break;
        }
        last = t;
        code(&mut r, CY, KeyCode::PageDown);
    }
    assert!(r.seats[CY as usize].help.unwrap() > 0, "the help scrolled");
    for h in keymap::help(Scope::Session) {
        let start = &h.text[..h.text.len().min(30)];
        assert!(seen.contains(start), "{:?} not in help:\n{seen}", h.text);
    }
    // Any other key closes it.
    one(&mut r, CY, 'x');
    assert_eq!(r.seats[CY as usize].help, None);
}

#[test]
fn the_notes_and_the_write_up_scroll_within_what_they_hold() {
    let mut r = at("end");
    code(&mut r, CY, KeyCode::Home);
    let top = text(&r.draw(CY, 80, 24));
    code(&mut r, CY, KeyCode::PageDown);
    let down = text(&r.draw(CY, 80, 24));
    assert_ne!(top, down);
    code(&mut r, CY, KeyCode::End);
    let end = text(&r.draw(CY, 80, 24));
    let at_end = r.seats[CY as usize].scroll.1;
    code(&mut r, CY, KeyCode::Down);
    assert_eq!(
        r.seats[CY as usize].scroll.1, at_end,
        "no further than the end"
    );
    assert!(
        end.contains("Action items") || end.contains("Refused") || end.contains("refused"),
        "{end}"
    );
    code(&mut r, CY, KeyCode::Up);
    assert_eq!(
        r.seats[CY as usize].scroll.1,
        at_end - 1,
        "one up from the end"
    );
    code(&mut r, CY, KeyCode::Home);
    assert_eq!(text(&r.draw(CY, 80, 24)), top);
    r.seats[CY as usize].saved = Some("/data/sessions/weekly.md".into());
    assert!(text(&r.draw(CY, 160, 48)).contains("saved to /data/sessions/weekly.md"));
}

/// The bundled weekly setlist from the walkthrough to the wheel to the drill to the write-up,
/// every seat's part played by its keys alone (the room only ticks and shows the vista).
#[test]
fn the_weekly_setlist_walked_by_keys_alone() {
    let r = at("end");
    for i in &r.inputs {
        if i.seat == gamelan::session::ROOM {
            assert!(matches!(i.action, A::Tick | A::ShowVista { .. }), "{i:?}");
        }
    }
    let s = &r.session;
    assert!(matches!(&s.phase, Phase::Ended { reason } if reason == "the setlist is done"));
    assert!(s.segments.iter().all(|x| x.status == SegmentStatus::Done));
    let refused: Vec<_> = s
        .log
        .iter()
        .filter(|l| matches!(l.event, gamelan::session::SessionEvent::Refused { .. }))
        .collect();
    assert!(
        refused.is_empty(),
        "keys never send what the room refuses: {refused:?}"
    );
    let md = gamelan::session::writeup::markdown(&gamelan::session::writeup::build(s, None));
    for needle in [
        "why does the 5xx ratio never reach zero?",
        "this is the line the checkout SLO is judged on",
        "found with help",
        "not found",
        "the data platform on-call rotation",
        "opened the service catalogue",
        "add a canary gate to the release train",
        "write a first-shift guide",
        "shadow shifts helped",
    ] {
        assert!(
            md.contains(needle),
            "{needle:?} missing from the write-up:\n{md}"
        );
    }
    // The same inputs give the same session.
    let mut again = gamelan::session::Session::new(s.plan.clone(), 7);
    for (beat, seat, name, observer) in [
        (0, ANA, "ana", false),
        (5, BO, "bo", false),
        (20, CY, "cy", false),
        (25, DEE, "dee", true),
    ] {
        let a = if observer {
            A::Observe { name: name.into() }
        } else {
            A::Join { name: name.into() }
        };
        again.apply(&gamelan::session::SessionInput::new(beat, seat, a));
    }
    for i in &r.inputs {
        again.apply(i);
    }
    assert_eq!(again.state_hash(), s.state_hash());
    let _ = wheel::SPIN_BEATS;
    let _ = SessionSeat::new(0);
}

#[test]
fn the_strip_fits_one_line_over_the_drill_console() {
    let r = at("drill");
    let theme = Theme::bundled("dark").unwrap();
    for w in [1u16, 10, 40, 80, 200] {
        let area = Rect::new(0, 0, w, 3);
        let mut buf = Buffer::empty(area);
        gamelan::ui::session::strip(&mut buf, area, &r.session, &theme);
        let t = text(&buf);
        let mut lines = t.lines();
        let top = lines.next().unwrap();
        assert!(lines.all(str::is_empty), "only the top line: {t}");
        if w >= 80 {
            contains_all(top, &["3/6 drill", "Drill: checkout 5xx", "1:00 / 15:00"]);
        }
    }
    let mut r = at("drill");
    r.tick(900);
    let area = Rect::new(0, 0, 80, 1);
    let mut buf = Buffer::empty(area);
    gamelan::ui::session::strip(&mut buf, area, &r.session, &theme);
    assert!(
        text(&buf).contains("16:00 / 15:00 +1:00 over"),
        "{}",
        text(&buf)
    );
}

#[test]
fn the_rooms_refusal_of_a_seats_input_shows_on_its_status_line() {
    let mut r = at("walkthrough");
    // A race the seat could not see: cy's spin reached the room in a walkthrough.
    r.apply(CY, A::Spin);
    let t = text(&r.draw(CY, 80, 24));
    assert!(
        t.contains("refused spin: this is not a wheel segment"),
        "{t}"
    );
    assert!(
        !text(&r.draw(BO, 80, 24)).contains("refused"),
        "only on that seat"
    );
    r.tick(10);
    assert!(
        !text(&r.draw(CY, 80, 24)).contains("refused"),
        "for a few beats"
    );
}

/// Every key of the session's scope does something for someone somewhere: it sends an input,
/// or changes what that seat sees (a mode, the help, a lens, a scroll), and never says
/// "nothing on".
#[test]
fn every_session_key_does_something_somewhere() {
    let rooms: Vec<(&str, Room)> = MOMENTS.iter().map(|(m, _)| (*m, at(m))).collect();
    for b in KEYMAP.iter().filter(|b| b.scopes.contains(&Scope::Session)) {
        for key in b.keys {
            let mut did = false;
            for (moment, base) in &rooms {
                for seat in [ANA, BO, CY] {
                    let mut r = base.clone();
                    // Something to scroll back from, and a pane to zoom out of.
                    r.seats[seat as usize].scroll = (r.seats[seat as usize].scroll.0, 0);
                    let before = format!("{:?}", r.seats[seat as usize]);
                    let cmds = press(&mut r, seat, *key);
                    let v = &r.seats[seat as usize];
                    if let Some(f) = &v.flash {
                        assert!(
                            !f.text.starts_with("nothing on"),
                            "{moment}: {}: {f:?}",
                            key.label()
                        );
                    }
                    let flashed_error = v.flash.as_ref().is_some_and(|f| f.error);
                    if !cmds.is_empty() || (format!("{v:?}") != before && !flashed_error) {
                        did = true;
                    }
                }
            }
            assert!(did, "{} ({:?}) does nothing anywhere", key.label(), b.act);
        }
    }
}

/// A seat looking around that is handed the presenter role sees what everyone follows: its
/// own lens would show it something else than what its keys drive.
#[test]
fn a_new_presenter_stops_looking_around() {
    let mut r = at("walkthrough");
    code(&mut r, CY, KeyCode::Tab);
    code(&mut r, CY, KeyCode::Tab);
    assert!(
        !r.seats[CY as usize]
            .lens_now(&r.session)
            .view(walkthrough(&r))
            .following
    );
    r.apply(ANA, A::HandPresenter { to: CY });
    let view = r.seats[CY as usize]
        .lens_now(&r.session)
        .view(walkthrough(&r));
    assert!(
        view.following && view.focus == walkthrough(&r).focus,
        "{view:?}"
    );
    assert!(text(&r.draw(CY, 80, 24)).contains("you present: everyone follows you"));
}

#[test]
fn the_presenters_range_is_the_window_every_followers_charts_draw() {
    let mut r = at("walkthrough");
    // The pane rows: below the strip, the setlist, the people and the walkthrough lines.
    let panes = |b: &Buffer| text(b).lines().skip(4).collect::<Vec<_>>().join("\n");
    let before = panes(&r.draw(CY, 120, 40));
    r.apply(BO, A::Range { seconds: 6 * 3600 });
    let follower = panes(&r.draw(CY, 120, 40));
    let presenter = panes(&r.draw(BO, 120, 40));
    assert_ne!(before, follower, "the follower's charts changed window");
    // Both draw the same charts (the presenter's badge aside: compare the charts' rows).
    let rows = |t: &str| {
        t.lines()
            .filter(|l| l.contains('┤') || l.contains('┴'))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert!(!rows(&follower).is_empty(), "charts with axes:\n{follower}");
    assert_eq!(rows(&follower), rows(&presenter));
}

/// The matrix segment at 80x24 and 200x50: every column in sight, this seat's cursor, the
/// marks both seats set, the cell under the cursor with its note, the risks in the warning
/// colour; the mark keys send a cell's mark and an observer's send nothing.
#[test]
fn the_matrix_grid_draws_marks_cursor_and_risks_at_80x24_and_200x50() {
    let mut r = at("matrix");
    for (w, h) in [(80, 24), (200, 50)] {
        let buf = r.draw(CY, w, h);
        let t = text(&buf);
        contains_all(
            &t,
            &[
                "Checkout critical path · 4 risks",
                "platfo",
                "orders database × payments-db (dependency): unknown · set by cy",
                "note: nobody has seen its schema",
                "single point of knowledge: only bo knows how checkout-api works",
                "unknown: nobody knows whether orders database depends on payments-db",
            ],
        );
        let (x, y) = find(&buf, "[?*]");
        let selection = Theme::bundled("dark").unwrap().style(Meaning::Selection);
        assert_eq!(
            Some(buf[(x + 1, y)].bg),
            selection.bg,
            "the cursor is this seat's selection"
        );
        let (x, y) = find(&buf, "K ");
        let risk = Theme::bundled("dark").unwrap().style(Meaning::Critical);
        assert_eq!(
            buf[(x, y)].fg,
            risk.fg.unwrap(),
            "the one person who knows is a risk"
        );
    }
    assert_eq!(
        one(&mut r, BO, 'h'),
        vec![A::MatrixMark {
            row: "checkout-api".into(),
            col: "bo".into(),
            mark: Some(gamelan::matrix::Mark::Hard)
        }]
    );
    assert_eq!(one(&mut r, DEE, 'h'), vec![]);
    assert!(
        r.seats[DEE as usize]
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("observers can't")
    );
    assert_eq!(
        one(&mut r, BO, 'x'),
        vec![A::MatrixMark {
            row: "checkout-api".into(),
            col: "bo".into(),
            mark: None
        }]
    );
}
