//! The one keymap: every key in it does something on its screens and is shown by that
//! screen's help overlay, and every key it keeps for a running drill is refused as a cue key
//! by `check`.

use gamelan::drill::Drill;
use gamelan::headless::{self, parse_script};
use gamelan::input::{Input, Key};
use gamelan::keymap::{self, Binding, KEYMAP, Scope};
use gamelan::scenario::{Catalogue, Scenario, bundled};
use gamelan::ui::chrome::Chrome;
use gamelan::ui::console;
use gamelan::ui::help;
use gamelan::ui::lobby::catalogue::Lobby;
use gamelan::ui::seat::{Mode, Pane, SeatView};
use gamelan::ui::theme::Theme;
use gamelan::ui::vista::VistaView;
use gamelan::ui::widgets::document::Document;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::sync::Arc;

const SCREEN: Rect = Rect::new(0, 0, 80, 24);
const BIG: Rect = Rect::new(0, 0, 160, 60);

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

fn keys_of(scope: Scope) -> Vec<(&'static Binding, Key)> {
    KEYMAP
        .iter()
        .filter(|b| b.scopes.contains(&scope))
        .flat_map(|b| b.keys.iter().map(move |k| (b, *k)))
        .collect()
}

fn screen(buf: &Buffer) -> String {
    let a = buf.area;
    (0..a.height)
        .map(|y| {
            (0..a.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A seat view in which every console key has something to change: focus on the feed,
/// scrolled, zoomed, on a page that has neighbours.
fn busy_view() -> SeatView {
    let mut v = SeatView::new(0);
    v.mode = Mode::Playing;
    v.focus = Pane::Feed;
    v.zoom = true;
    v.feed_scroll = 5;
    v
}

#[test]
fn every_drill_key_does_something() {
    for (scope, beat) in [(Scope::Drill, 22), (Scope::Ended, 1000)] {
        let d = drill_at(beat);
        assert_eq!(d.is_ended(), scope == Scope::Ended);
        for (b, key) in keys_of(scope) {
            let mut v = busy_view();
            v.end_dismissed = true;
            let before = format!("{v:?}");
            let cmds = v.on_input(&Input::Key(key), &d, SCREEN);
            let changed = format!("{v:?}") != before;
            assert!(
                !cmds.is_empty() || changed,
                "{scope:?}: {} ({:?}) did nothing",
                key.label(),
                b.act
            );
            if let Some(f) = &v.flash {
                assert!(
                    !f.text.contains("nothing on"),
                    "{scope:?} {}: {f:?}",
                    key.label()
                );
            }
        }
    }
}

#[test]
fn every_briefing_and_help_key_does_something() {
    let d = drill_at(0);
    let tiny = Rect::new(0, 0, 60, 12);
    for (b, key) in keys_of(Scope::Briefing) {
        let mut v = SeatView::new(0);
        // A briefing longer than a small screen, scrolled into its middle.
        v.briefing_top = 1;
        let before = format!("{v:?}");
        let cmds = v.on_input(&Input::Key(key), &d, tiny);
        let hinted = v.flash.as_ref().is_some_and(|f| f.text.contains("starts"));
        assert!(
            !hinted && (!cmds.is_empty() || format!("{v:?}") != before),
            "briefing: {} ({:?}) did nothing",
            key.label(),
            b.act
        );
    }
    for (b, key) in keys_of(Scope::Help) {
        let mut v = busy_view();
        v.help = Some(5);
        let before = format!("{v:?}");
        let cmds = v.on_input(&Input::Key(key), &d, SCREEN);
        assert!(
            !cmds.is_empty() || format!("{v:?}") != before,
            "help: {} ({:?}) did nothing",
            key.label(),
            b.act
        );
    }
}

#[test]
fn every_replay_document_vista_and_lobby_key_does_something() {
    for (b, key) in keys_of(Scope::Document) {
        let mut doc = Document::new("d", "line\n".repeat(200), "footer");
        doc.scroll = 50;
        let before = format!("{doc:?}");
        let asked = doc.on_input(&Input::Key(key), SCREEN);
        assert!(
            asked.is_some() || format!("{doc:?}") != before,
            "document: {} ({:?}) did nothing",
            key.label(),
            b.act
        );
    }
    for (b, key) in keys_of(Scope::Vista) {
        let mut v = VistaView {
            focus: 1,
            zoom: true,
            ..VistaView::default()
        };
        let before = format!("{v:?}");
        let asked = v.on_input(&Input::Key(key), 3, &[], SCREEN);
        assert!(
            asked.is_some() || format!("{v:?}") != before,
            "vista: {} ({:?}) did nothing",
            key.label(),
            b.act
        );
    }
    for (b, key) in keys_of(Scope::Lobby) {
        let mut l = Lobby::new(Catalogue {
            entries: bundled(),
            problems: Vec::new(),
        });
        l.selected = 1;
        let state = |l: &Lobby| {
            format!(
                "{:?} {:?} {:?} {:?}",
                l.selected, l.help, l.filter, l.notice
            )
        };
        let before = state(&l);
        let asked = l.on_input(&Input::Key(key), SCREEN);
        assert!(
            asked.is_some() || state(&l) != before,
            "lobby: {} ({:?}) did nothing",
            key.label(),
            b.act
        );
    }
}

fn trainer() -> (tempfile::TempDir, gamelan::ui::replay::Trainer) {
    use gamelan::record::{self, Header, Recorder, Recording, Replay};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.jsonl");
    let s = scenario();
    let src = std::fs::read_to_string("scenarios/bad-deploy.win.cues").unwrap();
    let script = parse_script(&src, "win", &s).unwrap();
    let inputs = headless::run(&mut Drill::new(s.clone(), 1), &script, None);
    let mut drill = Drill::new(s.clone(), 1);
    let header = Header::for_drill(&drill, record::seats_at_start(&inputs));
    let mut rec = Recorder::create(&path, &header).unwrap();
    record::perform(&mut drill, &inputs, &mut rec, std::time::Duration::ZERO).unwrap();
    drop(rec);
    let replay = Replay::open(Recording::load(&path).unwrap(), s, false).unwrap();
    (dir, gamelan::ui::replay::Trainer::new(replay, None))
}

#[test]
fn every_replay_key_does_something() {
    let (_dir, fresh) = trainer();
    let state = |t: &gamelan::ui::replay::Trainer| {
        format!(
            "{} {} {} {:?} {} {:?} {}",
            t.replay.position(),
            t.playing,
            t.speed,
            t.bar_entry,
            t.document.is_some(),
            t.view,
            t.drt.is_some()
        )
    };
    for (b, key) in keys_of(Scope::Replay) {
        let (_dir, mut t) = trainer();
        t.replay.seek(fresh.replay.last_beat() / 2);
        t.view.focus = Pane::Feed;
        t.view.zoom = true;
        t.view.feed_scroll = 5;
        let before = state(&t);
        let asked = t.on_input(&Input::Key(key), SCREEN);
        assert!(
            asked.is_some() || state(&t) != before,
            "replay: {} ({:?}) did nothing",
            key.label(),
            b.act
        );
        assert!(
            t.view
                .flash
                .as_ref()
                .is_none_or(|f| !f.text.contains("this is a replay")),
            "replay: {} is not a replay key",
            key.label()
        );
    }
}

/// Each screen's help overlay, drawn large enough to hold it all, shows every key of its
/// scope beside what it does.
#[test]
fn every_key_is_in_its_screens_help_overlay() {
    let d = drill_at(22);
    let theme = Theme::default();
    let mut drill_view = busy_view();
    drill_view.zoom = false;
    drill_view.help = Some(0);
    let mut buf = Buffer::empty(BIG);
    console::draw(&mut buf, BIG, &d, &drill_view, &theme, &Chrome::default());
    let drill_help = screen(&buf);
    let mut lobby = Lobby::new(Catalogue {
        entries: bundled(),
        problems: Vec::new(),
    });
    lobby.help = Some(0);
    let mut buf = Buffer::empty(BIG);
    lobby.draw(&mut buf, BIG, &theme);
    let lobby_help = screen(&buf);
    let mut buf = Buffer::empty(BIG);
    help::draw(
        &mut buf,
        BIG,
        "vista keys",
        &gamelan::ui::vista::help_lines(),
        0,
        &theme,
    );
    let vista_help = screen(&buf);
    for (scope, shown) in [
        (Scope::Drill, &drill_help),
        (Scope::Ended, &drill_help),
        (Scope::Lobby, &lobby_help),
        (Scope::Vista, &vista_help),
    ] {
        for h in keymap::help(scope) {
            let line = shown
                .lines()
                .find(|l| l.contains(&h.text[..h.text.len().min(24)]))
                .unwrap_or_else(|| panic!("{scope:?}: {:?} not in help:\n{shown}", h.text));
            for k in h.keys.split(' ') {
                assert!(line.contains(k), "{scope:?}: key {k} missing from {line:?}");
            }
        }
    }
    // And the drill's help lists the scenario's cues.
    for c in &d.scenario.cues {
        assert!(drill_help.contains(&c.label), "{}", c.label);
    }
}

/// Every key the console keeps while a drill runs, bound as a cue, is refused by the
/// scenario checker with the key's position.
#[test]
fn a_scenario_binding_a_reserved_key_is_refused_by_check() {
    let src = std::fs::read_to_string("scenarios/bad-deploy.toml").unwrap();
    assert!(src.contains("key = \"x\""));
    let mut reserved: Vec<char> = keymap::reserved().collect();
    reserved.sort_unstable();
    reserved.dedup();
    assert!(reserved.len() >= 10, "{reserved:?}");
    for c in reserved {
        let bad = src.replace("key = \"x\"", &format!("key = \"{c}\""));
        let err = gamelan::scenario::load_str(&bad, "reserved.toml")
            .expect_err(&format!("`{c}` accepted as a cue key"));
        let msg = err.iter().map(|d| d.to_string()).collect::<Vec<_>>();
        assert!(
            msg.iter()
                .any(|m| m.contains(&format!("key `{c}` is reserved"))
                    && m.starts_with("reserved.toml:")),
            "{c}: {msg:?}"
        );
    }
    // A key the console leaves to scenarios is still fine.
    assert!(!keymap::is_reserved('x'));
    gamelan::scenario::load_str(&src, "ok.toml").unwrap();
}

/// After the end, `d` opens the debrief and `s` saves it beside the recording: the seat's
/// shell writes the file (the view only asks), and says where on the footer.
#[tokio::test]
async fn the_debrief_opens_with_d_and_saves_with_s() {
    use gamelan::drill::Action;
    use gamelan::record::{Header, Recorder};
    use gamelan::room::Room;
    use gamelan::seat::SeatSession;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.jsonl");
    let drill = Drill::new(scenario(), 1);
    let header = Header::for_drill(&drill, Vec::new());
    let room = Room::spawn(
        "t".into(),
        drill,
        Some(Recorder::create(&path, &header).unwrap()),
    );
    let seat = room.join("ana", None).await.unwrap();
    let mut session = SeatSession::new(room.clone(), seat);
    session.view.mode = Mode::Playing;
    room.send(
        seat,
        Action::End {
            reason: "done".into(),
        },
    )
    .await
    .unwrap();
    let state = room
        .state()
        .wait_for(|s| s.drill.is_ended())
        .await
        .unwrap()
        .clone();
    session.observe(&state);
    session.view.end_dismissed = true;
    let key = |c| Input::Key(Key::char(c));
    assert!(!session.on_input(&key('d'), &state, SCREEN).await);
    assert!(session.document.is_some(), "d opens the debrief");
    assert!(!session.on_input(&key('s'), &state, SCREEN).await);
    let saved = path.with_extension("debrief.md");
    let body = std::fs::read_to_string(&saved).expect("the debrief was written");
    assert!(body.contains('#'), "{body}");
    let footer = &session.document.as_ref().unwrap().footer;
    assert!(footer.starts_with("saved to"), "{footer}");
    assert!(!session.on_input(&key('q'), &state, SCREEN).await);
    assert!(session.document.is_none(), "q puts it away");
}

/// The scribe's key: during a drill `D` sends a recorded "decision here", says where on the
/// status line, and the drill's Decision Requirements Table gains a row marked at that beat
/// with every signal's value then.
#[test]
fn the_scribes_key_marks_a_row_of_the_table() {
    let mut d = drill_at(22);
    assert!(!d.is_ended());
    let mut v = busy_view();
    let cmds = v.on_input(&Input::Key(Key::char('D')), &d, SCREEN);
    let flash = v.flash.as_ref().expect("a flash");
    assert!(
        flash.text.contains(&format!(
            "decision marked at {}",
            d.scenario.bar_beat(d.beat)
        )),
        "{flash:?}"
    );
    let action = cmds
        .iter()
        .find_map(|c| match c {
            gamelan::ui::seat::Command::Drill(a) => Some(a.clone()),
            _ => None,
        })
        .expect("a drill action");
    assert!(matches!(
        action,
        gamelan::drill::Action::DecisionHere { .. }
    ));
    let beat = d.beat;
    d.apply(&gamelan::drill::Input::new(0, action));
    let t = gamelan::drt::from_drill(&d);
    let mark = t
        .rows
        .iter()
        .find(|r| r.origin == gamelan::drt::Origin::Mark)
        .expect("a marked row");
    assert_eq!(mark.moment.beat, Some(beat));
    assert_eq!(mark.moment.signals.len(), d.scenario.signals.len());
}

/// In a replay, `D` marks this beat on the replay's own copy of the table (the recording is
/// not changed), and `t` opens the table with the marked row in it.
#[test]
fn the_scribes_key_marks_the_replays_copy_of_the_table() {
    let (_dir, mut t) = trainer();
    t.replay.seek(20);
    let at = t.replay.position();
    t.on_input(&Input::Key(Key::char('D')), SCREEN);
    assert_eq!(t.marks.len(), 1, "{:?}", t.view.flash);
    assert_eq!(t.marks[0].moment.beat, Some(at));
    t.on_input(&Input::Key(Key::char('t')), SCREEN);
    let (_, table) = t.drt.as_ref().expect("the table opens");
    assert!(
        table
            .rows
            .iter()
            .any(|r| r.origin == gamelan::drt::Origin::Mark && r.moment.beat == Some(at))
    );
}
