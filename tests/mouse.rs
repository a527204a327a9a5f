//! The mouse, optional as in k9s and lazygit: clicks focus panes (a double click zooms), the
//! wheel scrolls, a click on a cue presses it through the same path as its key (role checks,
//! recording), clicks choose in the lobby; and the same over a remote seat's SGR bytes.

use gamelan::drill::{Action, Drill, Event};
use gamelan::headless::{self, parse_script};
use gamelan::input::{Button, Input, Key, KeyCode, Mouse, MouseKind};
use gamelan::record::{self, Header, Recorder, Recording, Replay};
use gamelan::room::Room;
use gamelan::scenario::{Catalogue, Scenario, bundled};
use gamelan::seat::SeatSession;
use gamelan::seat::driver::{self, ENTER, LEAVE, SeatIn};
use gamelan::ui::chrome::Chrome;
use gamelan::ui::console;
use gamelan::ui::lobby::catalogue::{Lobby, LobbyCommand};
use gamelan::ui::replay::Trainer;
use gamelan::ui::seat::{Command, Mode, Pane, SeatView};
use gamelan::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::sync::Arc;
use std::time::Duration;

const SCREEN: Rect = Rect::new(0, 0, 80, 24);

fn scenario() -> Arc<Scenario> {
    bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == "bad-deploy")
        .unwrap()
        .scenario
}

fn drill_at(beat: u64) -> Drill {
    let s = scenario();
    let src = std::fs::read_to_string("scenarios/bad-deploy.win.cues").unwrap();
    let script = parse_script(&src, "win", &s).unwrap();
    let mut d = Drill::new(s, 1);
    headless::run(&mut d, &script, Some(beat));
    d
}

fn playing(seat: u32) -> SeatView {
    let mut v = SeatView::new(seat);
    v.mode = Mode::Playing;
    v
}

fn draw(drill: &Drill, view: &SeatView, area: Rect) -> Buffer {
    let mut buf = Buffer::empty(area);
    console::draw(
        &mut buf,
        area,
        drill,
        view,
        &Theme::default(),
        &Chrome::default(),
    );
    buf
}

/// Where `needle` is drawn: (column, row) of its first character.
fn find(buf: &Buffer, needle: &str) -> (u16, u16) {
    let a = buf.area;
    for y in 0..a.height {
        let cells: Vec<String> = (0..a.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        for x in 0..cells.len() {
            let mut s = String::new();
            for c in &cells[x..] {
                s.push_str(c);
                if s.len() >= needle.len() {
                    break;
                }
            }
            if s.starts_with(needle) {
                return (x as u16, y);
            }
        }
    }
    panic!("{needle:?} not on screen");
}

fn click(col: u16, row: u16) -> Input {
    Input::Mouse(Mouse::new(MouseKind::Down(Button::Left), col, row))
}

fn double(col: u16, row: u16) -> Input {
    Input::Mouse(Mouse {
        clicks: 2,
        ..Mouse::new(MouseKind::Down(Button::Left), col, row)
    })
}

fn wheel(down: bool, col: u16, row: u16) -> Input {
    let kind = if down {
        MouseKind::ScrollDown
    } else {
        MouseKind::ScrollUp
    };
    Input::Mouse(Mouse::new(kind, col, row))
}

#[test]
fn a_click_focuses_a_pane_and_a_double_click_zooms_it() {
    let d = drill_at(22);
    let mut v = playing(0);
    let (x, y) = find(&draw(&d, &v, SCREEN), "feed");
    assert!(v.on_input(&click(x, y + 2), &d, SCREEN).is_empty());
    assert_eq!((v.focus, v.zoom), (Pane::Feed, false));
    v.on_input(&double(x, y + 2), &d, SCREEN);
    assert_eq!((v.focus, v.zoom), (Pane::Feed, true));
    let zoomed = draw(&d, &v, SCREEN);
    let t: String = zoomed.content().iter().map(|c| c.symbol()).collect();
    assert!(!t.contains("╭ cues"), "the feed fills the body");
    // Double-clicking the zoomed pane puts it back.
    v.on_input(&double(10, 10), &d, SCREEN);
    assert!(!v.zoom);
    // The timeline and status line are no pane: focus stays.
    v.on_input(&click(5, 23), &d, SCREEN);
    assert_eq!(v.focus, Pane::Feed);
}

#[test]
fn a_click_on_a_cue_is_its_key_press() {
    let d = drill_at(6);
    for (label, key) in [("[a]", 'a'), ("[r]", 'r'), ("[v]", 'v')] {
        let mut by_mouse = playing(0);
        let (x, y) = find(&draw(&d, &by_mouse, SCREEN), label);
        let clicked = by_mouse.on_input(&click(x + 4, y), &d, SCREEN);
        let mut by_key = playing(0);
        let pressed = by_key.on_input(&Input::Key(Key::char(key)), &d, SCREEN);
        assert_eq!(clicked, pressed, "{label}");
        assert!(
            matches!(&clicked[..], [Command::Drill(Action::Cue { .. })]),
            "{clicked:?}"
        );
        assert_eq!(by_mouse.focus, Pane::Cues);
        // The second press of a double click does not apply the cue again.
        assert!(by_mouse.on_input(&double(x + 4, y), &d, SCREEN).is_empty());
    }
    // The roomy layout lists cues one per line: the same holds there.
    let big = Rect::new(0, 0, 160, 48);
    let mut v = playing(0);
    let (x, y) = find(&draw(&d, &v, big), "[g]");
    assert_eq!(
        v.on_input(&click(x + 10, y), &d, big),
        vec![Command::Drill(Action::Cue {
            cue: "deploys".into()
        })]
    );
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let d = drill_at(22);
    let mut v = playing(0);
    let buf = draw(&d, &v, SCREEN);
    let (fx, fy) = find(&buf, "feed");
    v.on_input(&wheel(false, fx, fy + 3), &d, SCREEN);
    assert_eq!(v.feed_scroll, 3, "up in the feed goes back in time");
    assert_eq!(v.focus, Pane::Signals, "the wheel does not move focus");
    v.on_input(&wheel(true, fx, fy + 3), &d, SCREEN);
    assert_eq!(v.feed_scroll, 0);
    let (rx, ry) = find(&buf, "runbook");
    v.on_input(&wheel(true, rx, ry + 2), &d, SCREEN);
    assert_eq!(v.runbook_scroll, 3);
}

#[test]
fn the_mouse_never_answers_a_prompt_and_closes_help() {
    let d = drill_at(6);
    let mut v = playing(0);
    let (x, y) = find(&draw(&d, &v, SCREEN), "[a]");
    v.on_input(&Input::Key(Key::char('n')), &d, SCREEN);
    assert!(v.on_input(&click(x, y), &d, SCREEN).is_empty());
    assert!(
        matches!(v.mode, Mode::Note { .. }),
        "still writing the note"
    );
    v.on_input(&Input::Key(Key::plain(KeyCode::Esc)), &d, SCREEN);
    v.on_input(&Input::Key(Key::char('?')), &d, SCREEN);
    v.on_input(&wheel(true, 40, 12), &d, SCREEN);
    assert_eq!(v.help, Some(3), "the wheel scrolls help");
    assert!(v.on_input(&click(x, y), &d, SCREEN).is_empty());
    assert_eq!(v.help, None, "a click closes help and presses nothing");
    // On the briefing a click does nothing either.
    let mut b = SeatView::new(0);
    assert!(b.on_input(&click(x, y), &d, SCREEN).is_empty());
    assert_eq!(b.mode, Mode::Briefing);
}

/// Through a room: a click is checked against the seat's role and recorded exactly as the
/// key press would be.
#[tokio::test]
async fn clicks_are_role_checked_and_recorded_like_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut recorded = Vec::new();
    for by_mouse in [false, true] {
        let drill = Drill::new(scenario(), 1);
        let path = dir.path().join(format!("{by_mouse}.jsonl"));
        let header = Header::for_drill(&drill, Vec::new());
        let room = Room::spawn(
            "t".into(),
            drill,
            Some(Recorder::create(&path, &header).unwrap()),
        );
        let seat = room.join("ana", Some("commander")).await.unwrap();
        let mut session = SeatSession::new(room.clone(), seat);
        session.view.mode = Mode::Playing;
        let state = room.state().borrow().clone();
        let (x, y) = find(&draw(&state.drill, &session.view, SCREEN), "[r]");
        let input = if by_mouse {
            click(x + 5, y)
        } else {
            Input::Key(Key::char('r'))
        };
        assert!(!session.on_input(&input, &state, SCREEN).await);
        let mut rx = room.state();
        let state = rx
            .wait_for(|s| {
                s.drill
                    .log
                    .iter()
                    .any(|e| matches!(e.event, Event::Rejected { .. }))
            })
            .await
            .unwrap()
            .clone();
        let reason = state.drill.log.iter().find_map(|e| match &e.event {
            Event::Rejected { what, reason, .. } => Some(format!("{what}: {reason}")),
            _ => None,
        });
        assert!(
            reason.as_deref().is_some_and(|r| r.contains("operator")),
            "a commander may not roll back: {reason:?}"
        );
        room.close("done").await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        let rec = Recording::load(&path).unwrap();
        recorded.push(
            rec.inputs
                .iter()
                .map(|r| format!("{} {:?}", r.beat, r.input))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(recorded[0], recorded[1], "the same inputs recorded");
    assert!(
        recorded[1].iter().any(|l| l.contains("rollback")),
        "{recorded:?}"
    );
}

/// Over a remote seat (SSH or the join socket): the seat turns mouse reporting on, parses
/// the SGR click, and the cue reaches the room; leaving turns reporting off.
#[tokio::test]
async fn a_remote_seat_clicks_a_cue_through_sgr_bytes() {
    let room = Room::spawn("t".into(), Drill::new(scenario(), 1), None);
    let seat = room.join("bo", None).await.unwrap();
    let (keys, input) = tokio::sync::mpsc::channel(16);
    let (output, mut frames) = tokio::sync::mpsc::channel(64);
    let seated = gamelan::room::Seated {
        id: seat,
        name: "bo".into(),
    };
    let driven = room.clone();
    let task = tokio::spawn(async move {
        let mut peer =
            driver::Peer::new(input, output, (80, 24), driver::ColourDepth::Ansi256).unwrap();
        let end = driver::drive(driven, seated, &Theme::default(), &mut peer).await;
        // The transport gives the terminal back once the seat has ended.
        peer.give_back().await;
        end
    });
    let first = frames.recv().await.unwrap();
    assert!(first.starts_with(ENTER), "mouse reporting goes on first");
    keys.send(SeatIn::Bytes(b"\r".to_vec())).await.unwrap();
    let mut rx = room.state();
    rx.wait_for(|s| s.started).await.unwrap();
    let state = rx.borrow().clone();
    let (x, y) = find(&draw(&state.drill, &playing(seat), SCREEN), "[a]");
    // Split across two reads, as a network may deliver it.
    let sgr = format!("\x1b[<0;{};{}M", x + 3, y + 1).into_bytes();
    keys.send(SeatIn::Bytes(sgr[..5].to_vec())).await.unwrap();
    keys.send(SeatIn::Bytes(sgr[5..].to_vec())).await.unwrap();
    keys.send(SeatIn::Bytes(b"\x1b[<0;1;1m".to_vec()))
        .await
        .unwrap();
    let state = tokio::time::timeout(
        Duration::from_secs(5),
        rx.wait_for(|s| {
            s.drill
                .log
                .iter()
                .any(|e| matches!(e.event, Event::CueApplied { seat: s2, .. } if s2 == seat))
        }),
    )
    .await
    .expect("the click reached the room")
    .unwrap()
    .clone();
    assert!(state.drill.cues_done[0].is_some(), "ack applied");
    drop(keys);
    task.await.unwrap();
    let mut last = Vec::new();
    while let Ok(f) = frames.try_recv() {
        last = f;
    }
    assert_eq!(last, LEAVE, "mouse reporting goes off on leaving");
}

#[test]
fn lobby_clicks_choose_and_a_double_click_starts() {
    let mut l = Lobby::new(Catalogue {
        entries: bundled(),
        problems: Vec::new(),
    });
    let mut buf = Buffer::empty(SCREEN);
    l.draw(&mut buf, SCREEN, &Theme::default());
    let title = bundled()[2].scenario.meta.title.clone();
    let (x, y) = find(&buf, &title[..10]);
    assert_eq!(l.on_input(&click(x, y), SCREEN), None);
    assert_eq!(l.selected, 2);
    assert_eq!(
        l.on_input(&double(x, y), SCREEN),
        Some(LobbyCommand::Start(2))
    );
    l.on_input(&wheel(false, x, y), SCREEN);
    assert_eq!(l.selected, 1, "the wheel moves through the list");
    // Off the list: nothing.
    assert_eq!(l.on_input(&double(79, 23), SCREEN), None);
    assert_eq!(l.selected, 1);
}

#[test]
fn a_click_on_a_cue_in_a_replay_says_it_is_a_replay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.jsonl");
    let s = scenario();
    let src = std::fs::read_to_string("scenarios/bad-deploy.win.cues").unwrap();
    let script = parse_script(&src, "win", &s).unwrap();
    let inputs = headless::run(&mut Drill::new(s.clone(), 1), &script, None);
    let mut drill = Drill::new(s.clone(), 1);
    let header = Header::for_drill(&drill, record::seats_at_start(&inputs));
    let mut rec = Recorder::create(&path, &header).unwrap();
    record::perform(&mut drill, &inputs, &mut rec, Duration::ZERO).unwrap();
    drop(rec);
    let replay = Replay::open(Recording::load(&path).unwrap(), s, false).unwrap();
    let mut t = Trainer::new(replay, None);
    let mut buf = Buffer::empty(SCREEN);
    t.draw(&mut buf, SCREEN, &Theme::default());
    let (x, y) = find(&buf, "[g]");
    let before = t.replay.position();
    assert_eq!(t.on_input(&click(x + 4, y), SCREEN), None);
    assert_eq!(
        t.replay.position(),
        before,
        "g is a transport key, the click is not"
    );
    let flash = t.view.flash.clone().expect("a flash");
    assert!(flash.text.contains("this is a replay"), "{flash:?}");
    assert_eq!(t.view.focus, Pane::Cues);
}
