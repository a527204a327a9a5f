//! The console drawn into ratatui's TestBackend: snapshots at 80x24 and 160x48, styles where
//! colour carries meaning, and every size from 1x1 to 500x200 without a panic.

mod common;

use gamelan::drill::{Action, Drill};
use gamelan::headless::{self, parse_script};
use gamelan::input::{Input, Key, KeyCode};
use gamelan::scenario::{Scenario, bundled};
use gamelan::ui::chrome::Chrome;
use gamelan::ui::console;
use gamelan::ui::seat::{Command, Mode, Pane, SeatView};
use gamelan::ui::theme::{Meaning, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::sync::Arc;

fn scenario(id: &str) -> Arc<Scenario> {
    bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == id)
        .expect("bundled")
        .scenario
}

/// bad-deploy played by the winning script up to `beat`.
fn drill_at(beat: u64) -> Drill {
    let s = scenario("bad-deploy");
    let src = std::fs::read_to_string("scenarios/bad-deploy.win.cues").unwrap();
    let script = parse_script(&src, "win", &s).unwrap();
    let mut d = Drill::new(s, 1);
    headless::run(&mut d, &script, Some(beat));
    d
}

fn playing() -> SeatView {
    let mut v = SeatView::new(headless::SCRIPT_SEAT);
    v.mode = Mode::Playing;
    v
}

fn render(w: u16, h: u16, drill: &Drill, view: &SeatView, chrome: &Chrome) -> Buffer {
    let theme = Theme::bundled("dark").unwrap();
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        let area = f.area();
        console::draw(f.buffer_mut(), area, drill, view, &theme, chrome);
    })
    .unwrap();
    t.backend().buffer().clone()
}

/// The screen's rows, each trimmed and ended by a newline.
fn text(buf: &Buffer) -> String {
    format!("{}\n", common::screen::rows(buf))
}

#[test]
fn condensed_80x24_shows_vista_score_and_timeline() {
    let d = drill_at(22);
    let buf = render(80, 24, &d, &playing(), &Chrome::default());
    let t = text(&buf);
    for needle in [
        "vista", "feed", "runbook", "cues", "timeline", "[a]", "[r]", "RUNNING", "bar 6:3",
    ] {
        assert!(t.contains(needle), "missing {needle:?} in\n{t}");
    }
    insta::assert_snapshot!("console_80x24", t);
}

#[test]
fn roomy_160x48_has_charts_header_and_next_inject() {
    let d = drill_at(14);
    let buf = render(160, 48, &d, &playing(), &Chrome::default());
    let t = text(&buf);
    for needle in [
        "gamelan · Checkout 5xx",
        "healthy",
        "SLO",
        "next ◆",
        "Roll back checkout-api",
    ] {
        assert!(t.contains(needle), "missing {needle:?} in\n{t}");
    }
    insta::assert_snapshot!("console_160x48", t);
}

#[test]
fn briefing_help_and_zoom_overlays() {
    let d = drill_at(0);
    let t = text(&render(80, 24, &d, &SeatView::new(0), &Chrome::default()));
    assert!(
        t.contains("briefing") && t.contains("Enter starts the metronome"),
        "{t}"
    );
    let mut v = playing();
    v.help = Some(0);
    let t = text(&render(100, 40, &d, &v, &Chrome::default()));
    assert!(
        t.contains("keys in force")
            && t.contains("Acknowledge the page")
            && t.contains("pause / resume"),
        "{t}"
    );
    let mut v = playing();
    v.focus = Pane::Runbook;
    v.zoom = true;
    let t = text(&render(80, 24, &d, &v, &Chrome::default()));
    assert!(
        t.contains("runbook 1/1: Checkout 5xx: first five minutes") && !t.contains("╭ feed"),
        "{t}"
    );
}

#[test]
fn firing_page_is_drawn_in_the_critical_style() {
    let d = drill_at(12);
    let buf = render(160, 48, &d, &playing(), &Chrome::default());
    let theme = Theme::bundled("dark").unwrap();
    let critical = theme.style(Meaning::Critical);
    let t = text(&buf);
    let (y, line) = t
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("▲ PAGE"))
        .expect("a firing page");
    let x = line.chars().position(|c| c == '▲').unwrap() as u16;
    let cell = &buf[(x + 1, y as u16)];
    assert_eq!(cell.fg, critical.fg.unwrap(), "page marker colour");
}

#[test]
fn ended_drill_offers_the_debrief() {
    let d = drill_at(1000);
    assert!(d.is_ended());
    let t = text(&render(80, 24, &d, &playing(), &Chrome::default()));
    assert!(
        t.contains("ENDED (resolved)") && t.contains("d debrief"),
        "{t}"
    );
}

#[test]
fn every_size_from_1x1_to_500x200_draws_without_panic() {
    let d = drill_at(30);
    let mut v = playing();
    let sizes = (1..=12u16).flat_map(|w| (1..=12u16).map(move |h| (w * 7 - 6, h * 5 - 4)));
    for (w, h) in sizes.chain([
        (1, 1),
        (40, 12),
        (39, 12),
        (80, 24),
        (500, 200),
        (500, 1),
        (1, 200),
    ]) {
        for zoom in [false, true] {
            v.zoom = zoom;
            v.help = (w % 2 == 0).then_some(0);
            let _ = render(
                w,
                h,
                &d,
                &v,
                &Chrome {
                    pulse: true,
                    ..Chrome::default()
                },
            );
        }
    }
    let t = text(&render(20, 5, &d, &v, &Chrome::default()));
    assert!(t.contains("terminal too small"), "{t}");
    let t = text(&render(
        39,
        20,
        &drill_at(3),
        &playing(),
        &Chrome::default(),
    ));
    assert!(t.contains("terminal too small: 39x20, need 40x12"), "{t}");
}

#[test]
fn hostile_text_never_reaches_the_terminal() {
    let src = std::fs::read_to_string("scenarios/bad-deploy.toml")
        .unwrap()
        .replace(
            "checkout-api v2.41.0 rolled out to 100%",
            "\\u001b[2J\\u001b]0;pwned\\u0007 rolled out",
        );
    let s = Arc::new(gamelan::scenario::load_str(&src, "hostile.toml").unwrap());
    let mut d = Drill::new(s, 1);
    headless::run(&mut d, &[], Some(8));
    let buf = render(160, 48, &d, &playing(), &Chrome::default());
    let t = text(&buf);
    assert!(!t.contains('\u{1b}') && !t.contains('\u{7}'), "{t}");
    assert!(t.contains("\u{fffd}[2J"), "{t}");
}

#[test]
fn live_vista_panes_are_drawn_beside_the_drill() {
    use gamelan::ui::chrome::LivePanes;
    use gamelan::vista::state::{Reading, Value};
    let cfg = gamelan::vista::VistaConfig::parse(
        "[vista]\nrefresh = \"100ms\"\n\n[[panes]]\nid = \"real\"\ntitle = \"Real queue depth\"\nkind = \"list\"\n\
         source = { type = \"command\", command = \"echo depth=1234\", parse = \"numbers\" }\n",
        "live.toml",
    )
    .unwrap();
    let mut state = gamelan::vista::PaneState::new(cfg.history, 1);
    let value = Value {
        id: "depth".into(),
        label: "depth".into(),
        unit: String::new(),
        value: 1234.0,
    };
    state.apply(
        Reading::Values {
            at: 1000.0,
            values: vec![value],
        },
        1000.0,
    );
    let live = LivePanes {
        vista: Arc::new(gamelan::vista::VistaSnapshot::new(&cfg, vec![state])),
        now: 1003.0,
    };
    let d = drill_at(14);
    let t = text(&render(
        160,
        48,
        &d,
        &playing(),
        &Chrome {
            live: Some(live),
            ..Chrome::default()
        },
    ));
    assert!(t.contains("Real queue depth") && t.contains("1234"), "{t}");
    assert!(
        t.contains("Real queue depth · 3s"),
        "aged to the given now:\n{t}"
    );
    assert!(
        t.contains("▲ PAGE"),
        "the drill's own alerts stay visible:\n{t}"
    );
}

fn key(c: char) -> Input {
    Input::Key(Key::char(c))
}

fn code(c: KeyCode) -> Input {
    Input::Key(Key::plain(c))
}

const SCREEN: Rect = Rect::new(0, 0, 80, 24);

/// Typing on the briefing: `n` opens a note, and what follows is the note's text, never
/// commands (a space used to start the drill, an `h` to reveal a hint counted in the debrief).
#[test]
fn briefing_takes_a_note_and_reads_its_text_as_text() {
    let d = drill_at(0);
    let mut v = SeatView::new(0);
    assert!(v.on_input(&key('n'), &d, SCREEN).is_empty());
    assert!(
        matches!(v.mode, Mode::Note { briefing: true, .. }),
        "n opens a note on the briefing: {:?}",
        v.mode
    );
    let mut commands = Vec::new();
    for c in "check the deploy log".chars() {
        commands.extend(v.on_input(&key(c), &d, SCREEN));
    }
    assert!(
        commands.is_empty(),
        "typed text is not commands: {commands:?}"
    );
    let t = text(&render(80, 24, &d, &v, &Chrome::default()));
    assert!(t.contains("note @ 1:1: check the deploy log▌"), "{t}");
    assert_eq!(
        v.on_input(&code(KeyCode::Enter), &d, SCREEN),
        vec![Command::Drill(Action::Note {
            text: "check the deploy log".into()
        })]
    );
    assert_eq!(
        v.mode,
        Mode::Briefing,
        "back on the briefing after the note"
    );
    // The briefing's other keys: `?` shows help, Enter starts, `q` leaves.
    v.on_input(&key('?'), &d, SCREEN);
    assert!(v.help.is_some());
    v.on_input(&code(KeyCode::Esc), &d, SCREEN);
    assert_eq!(
        v.on_input(&code(KeyCode::Enter), &d, SCREEN),
        vec![Command::Start]
    );
    assert_eq!(v.on_input(&key('q'), &d, SCREEN), vec![Command::Quit]);
}

#[test]
fn briefing_says_what_its_keys_do_when_another_is_pressed() {
    let d = drill_at(0);
    let mut v = SeatView::new(0);
    let t = text(&render(80, 24, &d, &v, &Chrome::default()));
    assert!(t.contains("n writes a note"), "{t}");
    // The status line under the briefing offers the briefing's keys, not the drill's.
    for (w, h) in [(80, 24), (200, 50)] {
        let t = text(&render(w, h, &d, &v, &Chrome::default()));
        let status = t.lines().last().unwrap();
        assert!(
            status.contains("READY") && status.contains("Enter starts the metronome"),
            "{status}"
        );
        assert!(
            !status.contains("pause"),
            "space does nothing yet: {status}"
        );
    }
    for c in [' ', 'h', 'a'] {
        assert!(
            v.on_input(&key(c), &d, SCREEN).is_empty(),
            "`{c}` does nothing on the briefing"
        );
        assert_eq!(v.mode, Mode::Briefing);
        let flash = v.flash.clone().expect("a hint");
        assert!(
            flash.text.contains("Enter starts the metronome") && flash.text.contains("? keys"),
            "{flash:?}"
        );
    }
}

/// The note typed on the briefing survives the room starting meanwhile, and then returns to
/// the running drill.
#[test]
fn a_note_begun_on_the_briefing_ends_in_the_drill_once_it_started() {
    let d = drill_at(0);
    let mut v = SeatView::new(0);
    v.on_input(&key('n'), &d, SCREEN);
    v.on_input(&key('x'), &d, SCREEN);
    v.started();
    assert!(matches!(v.mode, Mode::Note { ref text, briefing: false } if text == "x"));
    v.on_input(&code(KeyCode::Esc), &d, SCREEN);
    assert_eq!(v.mode, Mode::Playing);
}

fn help_at(w: u16, h: u16, v: &SeatView, d: &Drill) -> String {
    text(&render(w, h, d, v, &Chrome::default()))
}

/// At 80x24 the drill's help used to cut off its lower half; now it scrolls and says so.
#[test]
fn help_scrolls_to_its_last_line_at_80x24() {
    let d = drill_at(22);
    let mut v = playing();
    v.on_input(&key('?'), &d, SCREEN);
    let t = help_at(80, 24, &v, &d);
    assert!(
        t.contains("keys in force") && t.contains("PgDn scroll"),
        "{t}"
    );
    let last = "the debrief (s saves it beside the";
    assert!(!t.contains(last), "the end is below the fold:\n{t}");
    let mut seen_all = t.clone();
    for _ in 0..40 {
        v.on_input(&code(KeyCode::Down), &d, SCREEN);
        seen_all.push_str(&help_at(80, 24, &v, &d));
    }
    let t = help_at(80, 24, &v, &d);
    assert!(t.contains(last), "scrolled to the end:\n{t}");
    // Every line of the help was on screen at some point.
    for line in v.help_lines(&d) {
        let start: String = line.text.trim().chars().take(30).collect();
        assert!(seen_all.contains(&start), "never shown: {line:?}");
    }
    // PgUp and Home come back to the top; any other key closes.
    v.on_input(&code(KeyCode::PageUp), &d, SCREEN);
    v.on_input(&code(KeyCode::Home), &d, SCREEN);
    assert_eq!(v.help, Some(0));
    v.on_input(&key('x'), &d, SCREEN);
    assert_eq!(v.help, None);
}

#[test]
fn help_scrolls_at_every_size_without_panic() {
    let d = drill_at(22);
    for (w, h) in [(1, 1), (10, 5), (40, 12), (80, 24), (200, 60), (500, 200)] {
        let area = Rect::new(0, 0, w, h);
        let mut v = playing();
        v.on_input(&key('?'), &d, area);
        for _ in 0..100 {
            v.on_input(&code(KeyCode::PageDown), &d, area);
        }
        let _ = render(w, h, &d, &v, &Chrome::default());
        v.on_input(&code(KeyCode::End), &d, area);
        let _ = render(w, h, &d, &v, &Chrome::default());
    }
}

#[test]
fn lobby_question_mark_opens_its_keys() {
    use gamelan::scenario::Catalogue;
    use gamelan::ui::lobby::catalogue::Lobby;
    let mut l = Lobby::new(Catalogue {
        entries: bundled(),
        problems: Vec::new(),
    });
    assert_eq!(l.on_input(&key('?'), SCREEN), None);
    assert!(l.help.is_some());
    let theme = Theme::bundled("dark").unwrap();
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| {
        let area = f.area();
        l.draw(f.buffer_mut(), area, &theme)
    })
    .unwrap();
    let t = text(t.backend().buffer());
    assert!(
        t.contains("lobby keys")
            && t.contains("start the selected drill")
            && t.contains("morning vista"),
        "{t}"
    );
    // Any other key closes help without acting: `q` does not quit from it.
    assert_eq!(l.on_input(&key('q'), SCREEN), None);
    assert!(l.help.is_none());
}

/// The room's news beside the keys: a session seat's drill console says who joined and keeps
/// its name, `?` and `q` in view at 80x24; at 200x50 every key too. A drill's own keys stay
/// beside the news the same way.
#[test]
fn news_from_the_room_shows_beside_the_keys() {
    let d = drill_at(14);
    let session = Chrome {
        news: Some("eve joined".into()),
        hints: Some("bo · session weekly · ? keys · q leave".into()),
        ..Chrome::default()
    };
    for (w, h) in [(80, 24), (200, 50)] {
        let t = text(&render(w, h, &d, &playing(), &session));
        let status = t.lines().last().unwrap();
        for want in [
            "eve joined",
            "bo ·",
            "? keys",
            "q leave",
            "RUNNING",
            "goals",
        ] {
            assert!(status.contains(want), "{w}x{h}: {want:?} in {status:?}");
        }
        insta::assert_snapshot!(format!("console_news_{w}x{h}"), t);
    }
    let wide = text(&render(200, 50, &d, &playing(), &session));
    assert!(
        wide.contains("session weekly") && wide.contains("story"),
        "{wide}"
    );
    let own = Chrome {
        news: Some("the recording stopped".into()),
        ..Chrome::default()
    };
    let t = text(&render(80, 24, &d, &playing(), &own));
    let status = t.lines().last().unwrap();
    for want in ["the recording stopped", "? keys", "q quit"] {
        assert!(status.contains(want), "{want:?} in {status:?}");
    }
}

/// A vista file as a drill ran beside it (its Prometheus is not needed: only its text is read).
const CARRIED_VISTA: &str = r#"[vista]
title = "Checkout, live"
prometheus = "http://127.0.0.1:9"

[[panes]]
id = "rate"
title = "Real request rate"
source = { type = "prometheus", query = "sum(rate(http_requests_total[1m]))" }

[[panes]]
id = "errors"
title = "Real 5xx ratio"
source = { type = "prometheus", query = "sum(rate(http_errors[5m]))" }
"#;

/// The winning bad-deploy run, recorded (beside `vista`, if any), in the replay console.
fn recorded_trainer(vista: Option<gamelan::record::CarriedVista>) -> gamelan::ui::replay::Trainer {
    use gamelan::record::{self, Header, Recorder, Recording, Replay};
    let s = scenario("bad-deploy");
    let src = std::fs::read_to_string("scenarios/bad-deploy.win.cues").unwrap();
    let script = parse_script(&src, "win", &s).unwrap();
    let mut drill = Drill::new(s.clone(), 1);
    let inputs = headless::run(&mut drill.clone(), &script, None);
    let mut header = Header::for_drill(&drill, record::seats_at_start(&inputs));
    header.started = "2026-12-02T03:00:00Z".into();
    header.vista = vista;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.jsonl");
    let mut rec = Recorder::create(&path, &header).unwrap();
    record::perform(&mut drill, &inputs, &mut rec, std::time::Duration::ZERO).unwrap();
    assert!(rec.finish().complete);
    let replay = Replay::open(Recording::load(&path).unwrap(), s, false).unwrap();
    gamelan::ui::replay::Trainer::new(replay, None)
}

/// At 80x24 a replay's message is read in full: the clock makes way for it.
#[test]
fn a_replays_messages_fit_its_status_line_at_80x24() {
    let mut trainer = recorded_trainer(None);
    let theme = Theme::bundled("dark").unwrap();
    let area = Rect::new(0, 0, 80, 24);
    let status = |t: &gamelan::ui::replay::Trainer| {
        let mut buf = Buffer::empty(area);
        t.draw(&mut buf, area, &theme);
        text(&buf).lines().last().unwrap().to_string()
    };
    assert!(
        status(&trainer).contains("bar 1:1"),
        "the clock when all is quiet"
    );
    trainer.on_input(&Input::Key(Key::plain(KeyCode::Char('a'))), area);
    let line = status(&trainer);
    assert!(
        line.contains("REPLAY")
            && line.contains("this is a replay: f forks a live drill from here"),
        "{line}"
    );
    trainer.on_input(&Input::Key(Key::plain(KeyCode::Right)), area);
    assert!(
        status(&trainer).contains("bar 1:2"),
        "the message goes with the next key"
    );
}

/// The winning bad-deploy run recorded as if beside `CARRIED_VISTA`, replayed in the trainer's
/// console: the first screen names the vista and, where the panes stood, its panes.
#[test]
fn the_replay_names_the_vista_the_recording_carries() {
    use gamelan::record::CarriedVista;
    assert!(gamelan::vista::VistaConfig::parse(CARRIED_VISTA, "checkout-vista.toml").is_ok());
    let mut trainer = recorded_trainer(CarriedVista::new("checkout-vista.toml", CARRIED_VISTA));
    let theme = Theme::bundled("dark").unwrap();
    let mut shots = Vec::new();
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        trainer.draw(&mut buf, area, &theme);
        shots.push(text(&buf));
    }
    // The opening card, at any size; a key closes it (and does nothing else).
    for shot in &shots {
        for needle in [
            "This drill ran beside the live vista checkout-vista.toml",
            "2 panes: Real request rate, Real 5xx ratio",
            "any key closes this · then p plays",
        ] {
            assert!(shot.contains(needle), "{needle:?} in\n{shot}");
        }
    }
    let space = Input::Key(Key::plain(KeyCode::Char(' ')));
    let area = Rect::new(0, 0, 200, 50);
    assert_eq!(trainer.on_input(&space, area), None);
    assert!(
        trainer.card.is_none() && !trainer.playing,
        "the key only closed the card"
    );
    let mut buf = Buffer::empty(area);
    trainer.draw(&mut buf, area, &theme);
    shots.push(text(&buf));
    for needle in [
        "beside the live vista checkout-vista.toml (2 panes)",
        "live vista · checkout-vista.toml",
        "Checkout, live",
        "· Real request rate",
        "· Real 5xx ratio",
        "live data: not in the recording",
    ] {
        assert!(shots[2].contains(needle), "{needle:?} in\n{}", shots[2]);
    }
    insta::assert_snapshot!("replay_carried_vista_card_80x24", shots[0]);
    insta::assert_snapshot!("replay_carried_vista_card_200x50", shots[1]);
    insta::assert_snapshot!("replay_carried_vista_200x50", shots[2]);
}
