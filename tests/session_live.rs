//! The live session over the socket. With the real binary in pseudo-terminals: the
//! facilitator hosts `gamelan session weekly`, two players and an observer join exactly as
//! the join hint says, a killed player rejoins into the same seat, the facilitator quitting
//! gives every terminal back with the reason, and the recording, the saved write-up and
//! `gamelan debrief`/`replay`/`recordings` agree. In process, over real Unix sockets with the
//! wire protocol: a drill segment where a participant's cue key reaches the drill and an
//! observer's does not, a rejoin mid-segment, a seat that never reads and never stalls the
//! others, and the recording replaying to the same state hash.

mod common;

use common::{BIN, Term, WAIT};
use gamelan::room::Naming;
use gamelan::room::session::{SessionRecorder, SessionRoom, SessionSpec, SessionState, StagePlan};
use gamelan::seat::socket::{self, Frame, Hello, Hosted, ServeCtx, Server, VERSION};
use gamelan::session::record::{Embedded, Header};
use gamelan::session::state::Phase;
use gamelan::session::{Plan, Session, SessionAction, SessionEvent, VistaShape};
use gamelan::session::{bundled, deck, setlist};
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn vars(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("GAMELAN_CONFIG_DIR", self.dir.path().join("config")),
            ("GAMELAN_DATA_DIR", self.dir.path().join("data")),
            ("GAMELAN_RUNTIME_DIR", self.dir.path().join("run")),
        ]
    }

    fn recordings(&self) -> PathBuf {
        self.dir.path().join("data").join("recordings")
    }

    fn socket(&self, name: &str) -> PathBuf {
        self.dir
            .path()
            .join("run")
            .join("drills")
            .join(format!("{name}.sock"))
    }

    fn run(&self, args: &[&str]) -> String {
        let mut cmd = Command::new(BIN);
        cmd.args(args).env("USER", "tester").env("NO_COLOR", "1");
        for (k, v) in self.vars() {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "gamelan {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn term(&self, user: &str, script: &str, cols: u16, rows: u16) -> Term {
        let vars = self.vars();
        let mut env: Vec<(&str, &OsStr)> = vars.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        env.push(("USER", OsStr::new(user)));
        Term::sh(user, script, &env, cols, rows)
    }

    fn wait_drills(&self, needle: &str) -> String {
        self.wait_drills_until(needle, |l| l.contains(needle))
    }

    fn wait_drills_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let list = self.run(&["drills"]);
            if ok(&list) {
                return list;
            }
            assert!(Instant::now() < deadline, "no {what} in:\n{list}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn wait_path(p: &Path) {
    let deadline = Instant::now() + WAIT;
    while !p.exists() {
        assert!(Instant::now() < deadline, "{} never appeared", p.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_facilitator_two_players_and_an_observer_share_a_session() {
    let env = Env::new();
    let mut fac = env.term("ana", "exec \"$G\" session weekly --seed 3", 100, 30);
    wait_path(&env.socket("weekly"));
    // Each joins exactly as the hint says; two terminals of one account get two seats.
    let bo = env.term("bo", "\"$G\" join weekly; echo EXIT=$?", 80, 24);
    env.wait_drills("bo (participant)");
    let mut bo2 = env.term("bo", "exec \"$G\" join weekly", 120, 40);
    let dee = env.term("dee", "\"$G\" join weekly --observe; echo EXIT=$?", 60, 20);
    // The two joins race each other: wait for both, not only the last one sent.
    let list = env.wait_drills_until("bo-2 and dee seated", |l| {
        l.contains("dee (observer)") && l.contains("bo-2 (participant)")
    });
    for seat in [
        "ana (facilitator, conducts)",
        "bo (participant)",
        "bo-2 (participant)",
    ] {
        assert!(list.contains(seat), "{seat} in:\n{list}");
    }
    assert!(
        list.contains("weekly") && list.contains("session"),
        "{list}"
    );
    for t in [&bo, &bo2, &dee] {
        t.wait_until("the session's screen", |_| t.alternate_screen());
    }
    // A killed player is away, and a new join of that account takes the seat back.
    bo2.kill_hard();
    env.wait_drills("bo-2 (participant, away)");
    let back = env.term("bo", "\"$G\" join weekly; echo EXIT=$?", 90, 30);
    let list = env.wait_drills_until("bo-2 back", |l| {
        l.contains("bo-2 (participant)") && !l.contains("away")
    });
    assert!(!list.contains("away"), "{list}");
    assert_eq!(list.matches("bo-2").count(), 1, "{list}");
    back.wait_until("the session's screen", |_| back.alternate_screen());
    // The facilitator's terminal stops: everyone is told why and gets the terminal back.
    fac.signal(libc::SIGTERM);
    let status = fac.wait_exit();
    assert!(!status.success(), "a signal is the exit status");
    for t in [&bo, &dee, &back] {
        t.wait_all(&["the facilitator closed the session", "EXIT=0"]);
        assert!(!t.alternate_screen());
    }
    // Back on the main screen: the join hints as printed, and where everything was saved.
    fac.wait_all(&[
        "others join with: gamelan join weekly",
        "observers join with: gamelan join weekly --observe",
        "write-up saved to",
    ]);
    // The recording, the write-up saved beside it and the commands that read it agree.
    let rec = std::fs::read_dir(env.recordings())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with(".jsonl"))
        .expect("a session recording");
    assert!(rec.to_string_lossy().contains("-session-weekly"));
    let saved_json = std::fs::read_to_string(rec.with_extension("writeup.json")).unwrap();
    let saved_md = std::fs::read_to_string(rec.with_extension("writeup.md")).unwrap();
    let path = rec.to_string_lossy().into_owned();
    assert_eq!(env.run(&["debrief", &path, "--format", "json"]), saved_json);
    assert_eq!(env.run(&["debrief", &path]), saved_md);
    assert_eq!(env.run(&["replay", &path]), saved_md);
    for who in ["ana", "bo", "bo-2", "dee"] {
        assert!(saved_md.contains(who), "{who} in the write-up:\n{saved_md}");
    }
    let listing = env.run(&["recordings"]);
    assert!(
        listing.contains("session Practice") && listing.contains("3 people, 1 observing"),
        "{listing}"
    );
}

// ---- in process, over real sockets ----

/// A terminal at the far end of a socket: the host's output read through a vt100 screen.
#[derive(Clone)]
struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    bytes: Arc<AtomicU64>,
}

impl Write for Screen {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.parser.lock().unwrap().process(b);
        self.bytes.fetch_add(b.len() as u64, Ordering::Relaxed);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }
}

/// A joined seat: its keys, its screen, and the pipe's task.
struct Joined {
    keys: mpsc::Sender<Vec<u8>>,
    _sizes: mpsc::Sender<(u16, u16)>,
    screen: Screen,
    pipe: tokio::task::JoinHandle<socket::PipeEnd>,
}

async fn join(sock: &Path, name: &str, observe: bool, cols: u16, rows: u16) -> Joined {
    let stream = tokio::net::UnixStream::connect(sock).await.unwrap();
    let (keys, key_rx) = mpsc::channel(16);
    let (sizes, size_rx) = mpsc::channel(4);
    let screen = Screen {
        parser: Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
        ))),
        bytes: Arc::default(),
    };
    let hello = Hello {
        version: VERSION,
        name: name.into(),
        observe,
        cols,
        rows,
        term: Some("xterm-256color".into()),
        ..Hello::default()
    };
    let mut out = screen.clone();
    let pipe =
        tokio::spawn(async move { socket::pipe(stream, hello, key_rx, size_rx, &mut out).await });
    Joined {
        keys,
        _sizes: sizes,
        screen,
        pipe,
    }
}

fn spec(dir: &Path) -> SessionSpec {
    let (_, text) = bundled::setlist("weekly").unwrap();
    let list = setlist::load_str(text, "sessions/weekly.toml").unwrap();
    let plan = Plan::resolve(list, |r| {
        deck::load_str(bundled::deck(&r.name).unwrap(), &r.name)
    })
    .unwrap()
    .with_matrices(|r| gamelan::matrix::file::load_str(bundled::matrix(&r.name).unwrap(), &r.name))
    .unwrap();
    let s = gamelan::scenario::bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == "bad-deploy")
        .unwrap()
        .scenario;
    let stages = vec![
        StagePlan::Simulated {
            shape: VistaShape::of_scenario(&s),
            scenario: s.clone(),
            seed: 1,
        },
        StagePlan::Nothing,
        StagePlan::Drill {
            scenario: s.clone(),
            seed: 1,
            tempo: Some(240),
        },
        StagePlan::Nothing,
        StagePlan::Matrix { save_to: None },
        StagePlan::Drt {
            scenario: s.clone(),
        },
    ];
    let started = "2026-12-01T10:00:00Z".to_string();
    let mut header = Header::new(
        &Session::new(Arc::new(plan.clone()), 5),
        started.clone(),
        Embedded {
            name: "sessions/weekly.toml".into(),
            text: text.into(),
        },
        vec![Embedded {
            name: "stack.deck.toml".into(),
            text: bundled::deck("stack.deck.toml").unwrap().into(),
        }],
    );
    header.matrices = vec![Embedded {
        name: "checkout.matrix.toml".into(),
        text: bundled::matrix("checkout.matrix.toml").unwrap().into(),
    }];
    SessionSpec {
        name: "weekly".into(),
        plan: Arc::new(plan),
        seed: 5,
        stages,
        recorder: Some(SessionRecorder::create(&dir.join("s.jsonl"), &header).unwrap()),
        started,
        drill_recordings: Some(dir.to_path_buf()),
    }
}

async fn until(room: &SessionRoom, what: &str, ok: impl Fn(&SessionState) -> bool) -> SessionState {
    let mut rx = room.state();
    match tokio::time::timeout(WAIT, rx.wait_for(|s| ok(s))).await {
        Ok(Ok(s)) => s.clone(),
        _ => panic!("timed out waiting for {what}"),
    }
}

async fn until_screen(s: &Screen, needle: &str) {
    let deadline = Instant::now() + WAIT;
    while !s.text().contains(needle) {
        assert!(
            Instant::now() < deadline,
            "no {needle:?} on screen:\n{}",
            s.text()
        );
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

fn seat_of(s: &SessionState, name: &str) -> u32 {
    s.session
        .seats
        .iter()
        .find(|x| x.name == name)
        .map(|x| x.id)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drill_segment_with_an_observer_a_rejoin_and_a_slow_seat() {
    let dir = tempfile::tempdir().unwrap();
    let room = SessionRoom::spawn(spec(dir.path()));
    let socks = dir.path().join("run");
    let (listener, _guard) = socket::bind(&socks, "weekly").unwrap();
    let sock = socket::socket_path(&socks, "weekly");
    let server = Server::start(
        listener,
        ServeCtx {
            room: Hosted::Session(room.clone()),
            theme: gamelan::ui::theme::Theme::default(),
            name: "weekly".into(),
            host: "ana".into(),
        },
    )
    .unwrap();
    // The facilitator sits at the host; the others join over the socket.
    let ana = room.join("ana", false, Naming::Exact).await.unwrap();
    let bo = join(&sock, "bo", false, 80, 24).await;
    let cy = join(&sock, "cy", false, 100, 30).await;
    let dee = join(&sock, "dee", true, 120, 40).await;
    // A seat that says hello and never reads a byte.
    let mut slow = tokio::net::UnixStream::connect(&sock).await.unwrap();
    let hello = Hello {
        version: VERSION,
        name: "slow".into(),
        cols: 200,
        rows: 60,
        ..Hello::default()
    };
    socket::write_frame(&mut slow, &Frame::Hello(hello))
        .await
        .unwrap();
    let s = until(&room, "everyone seated", |s| {
        s.session.seats.iter().filter(|x| x.present).count() == 5
    })
    .await;
    let (bo_id, cy_id, dee_id) = (seat_of(&s, "bo"), seat_of(&s, "cy"), seat_of(&s, "dee"));
    assert!(s.session.seat(dee_id).unwrap().observer);
    // The observer's session actions are refused (and recorded as refused).
    room.act(dee_id, SessionAction::Next).await.unwrap();
    let s = until(&room, "the refusal", |s| {
        s.session
            .log
            .iter()
            .any(|l| matches!(&l.event, SessionEvent::Refused { seat, .. } if *seat == dee_id))
    })
    .await;
    assert_eq!(s.session.phase, Phase::Gathering);
    // On to the drill segment: the participants' screens show the drill console.
    for _ in 0..3 {
        room.act(ana.id, SessionAction::Next).await.unwrap();
    }
    let s = until(&room, "the drill", |s| s.drill.is_some()).await;
    let stage = s.drill.clone().unwrap();
    for t in [&bo, &cy, &dee] {
        until_screen(&t.screen, "Checkout 5xx").await;
    }
    stage.room.start().await;
    until_screen(&bo.screen, "RUNNING").await;
    // The observer's cue key never reaches the drill; a participant's does.
    let logs = stage
        .room
        .drill()
        .scenario
        .cues
        .iter()
        .position(|c| c.id == "logs")
        .unwrap();
    dee.keys.send(b"l".to_vec()).await.unwrap();
    until_screen(&dee.screen, "observers watch the drill").await;
    assert!(stage.room.drill().cues_done[logs].is_none());
    cy.keys.send(b"l".to_vec()).await.unwrap();
    let mut drill = stage.room.state();
    tokio::time::timeout(WAIT, drill.wait_for(|d| d.drill.cues_done[logs].is_some()))
        .await
        .expect("cy's cue reached the drill")
        .unwrap();
    // cy drops and rejoins mid-segment: the same seat, in the drill segment, in the drill.
    drop(cy.keys);
    let _ = cy.pipe.await;
    until(&room, "cy away", |s| {
        !s.session.seat(cy_id).unwrap().present
    })
    .await;
    let cy = join(&sock, "cy", false, 100, 30).await;
    let s = until(&room, "cy back", |s| {
        s.session.log.iter().any(|l| {
            matches!(l.event, SessionEvent::Joined { seat, rejoin: true, segment: Some(2), .. } if seat == cy_id)
        })
    })
    .await;
    assert_eq!(seat_of(&s, "cy"), cy_id);
    until_screen(&cy.screen, "RUNNING").await;
    let in_drill = s.drill.as_ref().unwrap().seat_of(cy_id).unwrap();
    assert!(
        stage
            .room
            .drill()
            .seats
            .iter()
            .any(|x| x.id == in_drill && x.present)
    );
    // The slow seat never reads; everyone else keeps getting frames and the room its beats.
    let (beat0, bytes0) = (room.session().beat, bo.screen.bytes.load(Ordering::Relaxed));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        room.session().beat >= beat0 + 2,
        "the session's metronome kept time"
    );
    assert!(
        bo.screen.bytes.load(Ordering::Relaxed) > bytes0,
        "bo kept getting frames"
    );
    room.act(
        bo_id,
        SessionAction::Note {
            text: "TODO: a runbook for checkout".into(),
        },
    )
    .await
    .unwrap();
    until(&room, "bo's note", |s| {
        s.session.segments[2].notes.iter().any(|n| n.seat == bo_id)
    })
    .await;
    // The facilitator's drill seat ends the drill: every seat is back on the session.
    let conductor = stage.seat_of(ana.id).unwrap();
    stage
        .room
        .send(
            conductor,
            gamelan::drill::Action::End {
                reason: "time".into(),
            },
        )
        .await
        .unwrap();
    let s = until(&room, "the drill's report", |s| s.drill.is_none()).await;
    assert!(
        s.session
            .log
            .iter()
            .any(|l| matches!(l.event, SessionEvent::DrillReported { segment: 2 }))
    );
    // The discussion, the matrix and the DRT, then the end.
    for _ in 0..4 {
        room.act(ana.id, SessionAction::Next).await.unwrap();
    }
    let s = until(&room, "the end", |s| s.saved.is_some()).await;
    let hash = s.session.state_hash();
    room.close("done").await;
    server.shutdown(Duration::from_secs(2)).await;
    for t in [bo, dee, cy] {
        let end = tokio::time::timeout(WAIT, t.pipe).await.unwrap().unwrap();
        assert!(end.is_clean(), "{end:?}");
    }
    // The recording replays to the very same session.
    let text = std::fs::read_to_string(dir.path().join("s.jsonl")).unwrap();
    let replayed = gamelan::session::record::parse(&text, "s.jsonl")
        .unwrap()
        .replay()
        .unwrap();
    assert_eq!(replayed.state_hash(), hash);
    assert!(replayed.is_ended());
    drop(slow);
}

/// The facilitator's seat drops in the drill segment: the seat present longest conducts, its
/// strip says so and offers the setlist key, which works from inside the drill console (one
/// key, then `+` or `>`); another participant's is refused with who conducts; the facilitator
/// takes the role back on rejoining; the recording replays the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stand_in_moves_the_setlist_from_the_drill_while_the_facilitator_is_away() {
    let dir = tempfile::tempdir().unwrap();
    let room = SessionRoom::spawn(spec(dir.path()));
    let socks = dir.path().join("run");
    let (listener, _guard) = socket::bind(&socks, "weekly").unwrap();
    let sock = socket::socket_path(&socks, "weekly");
    let server = Server::start(
        listener,
        ServeCtx {
            room: Hosted::Session(room.clone()),
            theme: gamelan::ui::theme::Theme::default(),
            name: "weekly".into(),
            host: "ana".into(),
        },
    )
    .unwrap();
    let ana = room.join("ana", false, Naming::Exact).await.unwrap();
    let bo = join(&sock, "bo", false, 100, 30).await;
    until(&room, "bo", |s| s.session.seats.len() == 2).await;
    let cy = join(&sock, "cy", false, 80, 24).await;
    let s = until(&room, "everyone", |s| s.session.seats.len() == 3).await;
    let bo_id = seat_of(&s, "bo");
    for _ in 0..3 {
        room.act(ana.id, SessionAction::Next).await.unwrap();
    }
    until(&room, "the drill", |s| s.drill.is_some()).await;
    until_screen(&bo.screen, "Checkout 5xx").await;
    room.act(ana.id, SessionAction::Leave).await.unwrap();
    let s = until(&room, "ana away", |s| s.session.stand_in().is_some()).await;
    assert_eq!(s.session.conductor(), Some(bo_id));
    assert_eq!(s.session.facilitator, Some(ana.id));
    // bo's strip offers the setlist key; cy's does not, and cy's press is refused.
    until_screen(&bo.screen, "S setlist").await;
    assert!(
        !cy.screen.text().contains("S setlist"),
        "{}",
        cy.screen.text()
    );
    cy.keys.send(b"S".to_vec()).await.unwrap();
    until_screen(&cy.screen, "only the facilitator moves t").await;
    // Inside the drill console: the setlist key, then + gives the segment 5 more minutes.
    let bpm = || {
        room.state()
            .borrow()
            .drill
            .as_ref()
            .unwrap()
            .room
            .drill()
            .bpm
    };
    let bpm0 = bpm();
    bo.keys.send(b"S".to_vec()).await.unwrap();
    until_screen(&bo.screen, "setlist: > next").await;
    bo.keys.send(b"+".to_vec()).await.unwrap();
    until(&room, "the extension", |s| {
        s.session.segments[2].extra == 300
    })
    .await;
    until_screen(&bo.screen, "5 more minutes for this segment").await;
    // The drill kept its tempo (the + never reached it as a tempo change).
    assert_eq!(bpm(), bpm0);
    bo.keys.send(b"S>".to_vec()).await.unwrap();
    let s = until(&room, "the discussion", |s| s.session.current() == Some(3)).await;
    assert!(s.drill.is_none());
    until_screen(&bo.screen, "conducts while the facilitator is away").await;
    // ana comes back and conducts again; bo's > is refused now.
    let back = room.join("ana", false, Naming::Exact).await.unwrap();
    assert_eq!(back.id, ana.id);
    until(&room, "ana conducts", |s| {
        s.session.conductor() == Some(ana.id)
    })
    .await;
    // bo's own screen must know it too before it presses: its seat refuses on what it shows.
    let deadline = std::time::Instant::now() + WAIT;
    while bo.screen.text().contains("is away") {
        assert!(std::time::Instant::now() < deadline, "{}", bo.screen.text());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bo.keys.send(b">".to_vec()).await.unwrap();
    until_screen(&bo.screen, "only the facilitator can").await;
    assert_eq!(room.session().current(), Some(3));
    // On through the matrix and DRT segments to the end.
    for _ in 0..3 {
        room.act(ana.id, SessionAction::Next).await.unwrap();
    }
    let s = until(&room, "the end", |s| s.saved.is_some()).await;
    let hash = s.session.state_hash();
    room.close("done").await;
    server.shutdown(Duration::from_secs(2)).await;
    for t in [bo, cy] {
        let _ = tokio::time::timeout(WAIT, t.pipe).await;
    }
    let text = std::fs::read_to_string(dir.path().join("s.jsonl")).unwrap();
    let replayed = gamelan::session::record::parse(&text, "s.jsonl")
        .unwrap()
        .replay()
        .unwrap();
    assert_eq!(replayed.state_hash(), hash);
}

/// The issue's "done when", as people do it: a facilitator and two players in three real
/// terminals run the bundled weekly session from walkthrough to wheel to drill to write-up
/// by pressing only the keys their screens print. At each step every seat shows the same
/// segment (and the range the presenter chose); the saved write-up holds the remark, the spin
/// and its turn's result and note, the drill's outcome as the screens showed it, and the notes.
#[test]
fn three_terminals_walk_the_weekly_session_by_its_printed_keys() {
    let env = Env::new();
    let ana = env.term("ana", "exec \"$G\" session weekly --seed 3", 100, 30);
    wait_path(&env.socket("weekly"));
    let bo = env.term("bo", "\"$G\" join weekly; echo EXIT=$?", 80, 24);
    env.wait_drills("bo (participant)");
    let cy = env.term("cy", "\"$G\" join weekly; echo EXIT=$?", 120, 40);
    env.wait_drills("cy (participant)");
    let w = common::walk::weekly(&ana, &bo, &cy);
    // The write-up saved beside the recording says what happened.
    let rec = std::fs::read_dir(env.recordings())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with("-session-weekly.jsonl"))
        .expect("a session recording");
    let md = std::fs::read_to_string(rec.with_extension("writeup.md")).unwrap();
    let json = std::fs::read_to_string(rec.with_extension("writeup.json")).unwrap();
    common::walk::check_writeup(&md, &json, &w);
}

/// The matrix segment over the socket: two joined seats move their own cursors and mark cells
/// with their keys (one at 80x24, one at 200x50), one writes a note; every seat sees the marks,
/// the write-up lists the single points of knowledge and what nobody knows, and at the end
/// the matrix is saved beside the recording and back to the user's own file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_seats_fill_the_matrix_over_the_socket() {
    let dir = tempfile::tempdir().unwrap();
    let user_file = dir.path().join("checkout.matrix.toml");
    std::fs::write(&user_file, bundled::matrix("checkout.matrix.toml").unwrap()).unwrap();
    let mut spec = spec(dir.path());
    spec.stages[4] = StagePlan::Matrix {
        save_to: Some(user_file.clone()),
    };
    let room = SessionRoom::spawn(spec);
    let socks = dir.path().join("run");
    let (listener, _guard) = socket::bind(&socks, "weekly").unwrap();
    let sock = socket::socket_path(&socks, "weekly");
    let server = Server::start(
        listener,
        ServeCtx {
            room: Hosted::Session(room.clone()),
            theme: gamelan::ui::theme::Theme::default(),
            name: "weekly".into(),
            host: "ana".into(),
        },
    )
    .unwrap();
    let ana = room.join("ana", false, Naming::Exact).await.unwrap();
    let bo = join(&sock, "bo", false, 80, 24).await;
    let cy = join(&sock, "cy", false, 200, 50).await;
    until(&room, "everyone seated", |s| {
        s.session.seats.iter().filter(|x| x.present).count() == 3
    })
    .await;
    for _ in 0..5 {
        room.act(ana.id, SessionAction::Next).await.unwrap();
    }
    until(&room, "the matrix segment", |s| {
        s.session.current() == Some(4)
    })
    .await;
    for t in [&bo, &cy] {
        until_screen(&t.screen, "Checkout critical path").await;
    }
    // bo: four columns right (to bo's own column) and "I know how this works".
    bo.keys
        .send(b"\x1b[C\x1b[C\x1b[C\x1b[Ck".to_vec())
        .await
        .unwrap();
    // cy: down to payments, five right (cy's column): owner, and a note on the cell.
    cy.keys
        .send(b"\x1b[B\x1b[C\x1b[C\x1b[C\x1b[C\x1b[Co".to_vec())
        .await
        .unwrap();
    cy.keys.send(b"crotates the keys\r".to_vec()).await.unwrap();
    // bo: a knows on a dependency is refused on the seat, never sent.
    bo.keys
        .send(b"\x1b[D\x1b[D\x1b[D\x1b[Dk".to_vec())
        .await
        .unwrap();
    until_screen(&bo.screen, "only people and teams know or own").await;
    let s = until(&room, "both marks and the note", |s| {
        let m = s.session.matrix(4).unwrap();
        m.cell(0, 4).unwrap().mark == Some(gamelan::matrix::Mark::Knows)
            && m.cell(1, 5).unwrap().note == "rotates the keys"
    })
    .await;
    let m = s.session.matrix(4).unwrap();
    assert_eq!(m.cell(0, 4).unwrap().by, "bo");
    assert_eq!(
        m.cell(1, 5).unwrap().mark,
        Some(gamelan::matrix::Mark::Owner)
    );
    assert_eq!(
        m.cell(0, 0).unwrap().mark,
        Some(gamelan::matrix::Mark::Hard),
        "unchanged"
    );
    // Each seat sees the other's mark.
    until_screen(&cy.screen, "only bo knows how checkout-api works").await;
    room.act(ana.id, SessionAction::Next).await.unwrap(); // the DRT
    room.act(ana.id, SessionAction::Next).await.unwrap();
    let s = until(&room, "the end", |s| s.saved.is_some()).await;
    let saved = s.saved.clone().unwrap();
    let md = std::fs::read_to_string(saved.writeup.clone().unwrap().0).unwrap();
    for want in [
        "- [ ] single point of knowledge: only bo knows how checkout-api works (matrix, segment 5",
        "- [ ] single point of knowledge: only cy owns payments service and nobody else knows how it works",
        "- [ ] nobody knows: nobody said they know how orders database works",
        "- payments service × cy: rotates the keys (cy)",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
    assert!(saved.matrices.contains(&user_file), "{saved:?}");
    let beside = dir.path().join("s.segment5.matrix.toml");
    assert!(saved.matrices.contains(&beside), "{saved:?}");
    for f in [&user_file, &beside] {
        let back =
            gamelan::matrix::file::load_str(&std::fs::read_to_string(f).unwrap(), "m").unwrap();
        assert_eq!(&back, m, "{}", f.display());
    }
    room.close("done").await;
    server.shutdown(Duration::from_secs(2)).await;
}
