//! The live session over the socket. With the real binary in pseudo-terminals: the
//! facilitator hosts `gamelan session weekly`, two players and an observer join exactly as
//! the join hint says, a killed player rejoins into the same seat, the facilitator quitting
//! gives every terminal back with the reason, and the recording, the saved write-up and
//! `gamelan debrief`/`replay`/`recordings` agree. In process, over real Unix sockets with the
//! wire protocol: a drill segment where a participant's cue key reaches the drill and an
//! observer's does not, a rejoin mid-segment, a seat that never reads and never stalls the
//! others, and the recording replaying to the same state hash.

mod common;

use common::session::{join, seat_of, serve, spec, until};
use common::{BIN, Term, WAIT};
use gamelan::room::Naming;
use gamelan::room::session::StagePlan;
use gamelan::seat::socket::{self, Frame, Hello, VERSION};
use gamelan::session::state::Phase;
use gamelan::session::{SessionAction, SessionEvent, bundled};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

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
        t.wait_all(&[
            "the session ended: the facilitator closed the session",
            "EXIT=0",
        ]);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drill_segment_with_an_observer_a_rejoin_and_a_slow_seat() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve(dir.path(), spec(dir.path()));
    let (room, sock) = (served.room.clone(), served.sock.clone());
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
        t.screen.until("Checkout 5xx").await;
    }
    stage.room.start().await;
    bo.screen.until("RUNNING").await;
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
    dee.screen.until("observers watch the drill").await;
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
    cy.screen.until("RUNNING").await;
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
    served.server.shutdown(Duration::from_secs(2)).await;
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
    let served = serve(dir.path(), spec(dir.path()));
    let (room, sock) = (served.room.clone(), served.sock.clone());
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
    bo.screen.until("Checkout 5xx").await;
    room.act(ana.id, SessionAction::Leave).await.unwrap();
    let s = until(&room, "ana away", |s| s.session.stand_in().is_some()).await;
    assert_eq!(s.session.conductor(), Some(bo_id));
    assert_eq!(s.session.facilitator, Some(ana.id));
    // bo's strip offers the setlist key; cy's does not, and cy's press is refused.
    bo.screen.until("S setlist").await;
    assert!(
        !cy.screen.text().contains("S setlist"),
        "{}",
        cy.screen.text()
    );
    cy.keys.send(b"S".to_vec()).await.unwrap();
    cy.screen.until("only the facilitator moves t").await;
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
    bo.screen.until("setlist: > next").await;
    bo.keys.send(b"+".to_vec()).await.unwrap();
    until(&room, "the extension", |s| {
        s.session.segments[2].extra == 300
    })
    .await;
    bo.screen.until("5 more minutes for this segment").await;
    // The drill kept its tempo (the + never reached it as a tempo change).
    assert_eq!(bpm(), bpm0);
    bo.keys.send(b"S>".to_vec()).await.unwrap();
    let s = until(&room, "the discussion", |s| s.session.current() == Some(3)).await;
    assert!(s.drill.is_none());
    bo.screen
        .until("conducts while the facilitator is away")
        .await;
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
    bo.screen.until("only the facilitator can").await;
    assert_eq!(room.session().current(), Some(3));
    // On through the matrix and DRT segments to the end.
    for _ in 0..3 {
        room.act(ana.id, SessionAction::Next).await.unwrap();
    }
    let s = until(&room, "the end", |s| s.saved.is_some()).await;
    let hash = s.session.state_hash();
    room.close("done").await;
    served.server.shutdown(Duration::from_secs(2)).await;
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
    let served = serve(dir.path(), spec);
    let (room, sock) = (served.room.clone(), served.sock.clone());
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
        t.screen.until("Checkout critical path").await;
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
    bo.screen.until("only people and teams know or own").await;
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
    cy.screen
        .until("only bo knows how checkout-api works")
        .await;
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
    served.server.shutdown(Duration::from_secs(2)).await;
}

/// The room's news reaches the drill console on every joined seat: bo (80x24) and cy
/// (200x50) sit in the drill segment when eve joins late, and both status lines say so beside
/// their keys (eve is not told of herself); when the facilitator goes, who conducts meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_joiner_is_news_on_the_drill_console() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve(dir.path(), spec(dir.path()));
    let (room, sock) = (served.room.clone(), served.sock.clone());
    let ana = room.join("ana", false, Naming::Exact).await.unwrap();
    let bo = join(&sock, "bo", false, 80, 24).await;
    until(&room, "bo", |s| s.session.seats.len() == 2).await;
    let cy = join(&sock, "cy", false, 200, 50).await;
    until(&room, "cy", |s| s.session.seats.len() == 3).await;
    for _ in 0..3 {
        room.act(ana.id, SessionAction::Next).await.unwrap();
    }
    until(&room, "the drill", |s| s.drill.is_some()).await;
    for t in [&bo, &cy] {
        t.screen.until("Checkout 5xx").await;
    }
    let eve = join(&sock, "eve", false, 100, 30).await;
    for (t, me) in [(&bo, "bo"), (&cy, "cy")] {
        t.screen.until("eve joined").await;
        let status = t.screen.last_line();
        for want in ["eve joined", me, "? keys", "q leave", "READY"] {
            assert!(status.contains(want), "{want:?} in {status:?}");
        }
    }
    eve.screen.until("Checkout 5xx").await;
    assert!(!eve.screen.text().contains("eve joined"));
    // The facilitator goes: the seat present longest conducts meanwhile, and everyone hears.
    room.act(ana.id, SessionAction::Leave).await.unwrap();
    cy.screen.until("ana left · bo conducts now").await;
    bo.screen.until("ana left · you conduct now").await;
    assert!(bo.screen.last_line().contains("q leave"));
    room.close("done").await;
    served.server.shutdown(Duration::from_secs(2)).await;
    for t in [bo, cy, eve] {
        let _ = tokio::time::timeout(WAIT, t.pipe).await;
    }
}
