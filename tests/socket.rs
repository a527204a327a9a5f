//! `gamelan host` / `join` / `drills` with the real binary in pseudo-terminals: a pair shares
//! one drill over the Unix socket; cues are attributed across seats; a joined seat resizes,
//! survives being killed and rejoins; the host quitting gives every seat its terminal back with
//! the reason; the socket is owner-only; malformed bytes on the socket never disturb the host;
//! the documented pair drill works from one account, with a seat name of its own.

mod common;

use common::{BIN, Term, WAIT};
use gamelan::seat::socket::{self, Bye, Frame, Hello, VERSION};
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Temp config/data/runtime directories for one test.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn runtime(&self) -> PathBuf {
        self.dir.path().join("run")
    }

    fn drills_dir(&self) -> PathBuf {
        self.runtime().join("drills")
    }

    fn socket(&self, name: &str) -> PathBuf {
        self.drills_dir().join(format!("{name}.sock"))
    }

    fn vars(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("GAMELAN_CONFIG_DIR", self.dir.path().join("config")),
            ("GAMELAN_DATA_DIR", self.dir.path().join("data")),
            ("GAMELAN_RUNTIME_DIR", self.runtime()),
        ]
    }

    /// Runs `gamelan ARGS` without a terminal.
    fn run(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new(BIN);
        cmd.args(args).env("USER", "tester").env("NO_COLOR", "1");
        for (k, v) in self.vars() {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    /// Runs `sh -c SCRIPT` (with `$G` the gamelan binary) in a new pseudo-terminal as `user`.
    fn term(&self, user: &str, script: &str, rows: u16, cols: u16) -> Term {
        let vars = self.vars();
        let mut env: Vec<(&str, &OsStr)> = vars.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        env.push(("USER", OsStr::new(user)));
        Term::sh(user, script, &env, cols, rows)
    }
}

fn host(env: &Env, name: &str) -> Term {
    let t = env.term(
        "ana",
        &format!("\"$G\" host bad-deploy --name {name} --tempo 120; echo EXIT=$?"),
        24,
        80,
    );
    t.wait_for("Enter starts the metronome");
    t
}

fn drills(env: &Env) -> String {
    let out = env.run(&["drills"]);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Waits (bounded) until `gamelan drills` lists `needle`.
fn wait_drills(env: &Env, needle: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let list = drills(env);
        if list.contains(needle) {
            return list;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {needle:?} in `gamelan drills`:\n{list}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_pair_shares_a_drill_over_the_socket() {
    let env = Env::new();
    let mut a = host(&env, "pair");
    assert!(a.alternate_screen());

    // Owner-only: the directory 0700, the socket 0600.
    assert_eq!(mode(&env.drills_dir()), 0o700);
    assert_eq!(mode(&env.socket("pair")), 0o600);

    let list = drills(&env);
    assert!(
        list.contains("pair") && list.contains("bad-deploy") && list.contains("briefing"),
        "{list}"
    );
    assert!(list.contains("ana (all roles, conducts)"), "{list}");

    // A second host may not take the name of a live drill.
    let again = env.run(&["host", "bad-deploy", "--name", "pair"]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already open"), "{err}");
    assert!(env.socket("pair").exists(), "the live socket survives");

    // B joins (killed later, so `exec`: the pty's child is gamelan itself).
    let mut b = env.term("bo", "exec \"$G\" join pair --role operator", 24, 80);
    b.wait_for("Enter starts the metronome");
    assert!(
        b.alternate_screen(),
        "the host's screen arrives in B's terminal"
    );
    let list = drills(&env);
    assert!(list.contains("bo (operator)"), "{list}");

    // The host starts the drill; B sees it running.
    a.press("\r");
    a.wait_for("RUNNING");
    b.wait_for("RUNNING");

    // B's cue shows on A, attributed to B.
    b.press("a");
    a.wait_line(&["bo: Acknowledge the page"]);

    // B's window grows: the host redraws B at the new size.
    b.resize(120, 40);
    b.wait_for("gamelan · Checkout 5xx");
    b.wait_until("a status line on row 40", |_| {
        let lines = b.lines();
        lines.len() == 40 && lines[39].contains("bar")
    });
    let wide = b
        .lines()
        .iter()
        .map(|l| l.trim_end().chars().count())
        .max()
        .unwrap();
    assert!(wide > 80, "drawn wider than 80 columns: {wide}");

    // A's cue shows on B, attributed to A.
    // The deploy history opens the roll-back-or-forward decision over the feed at once, so B
    // may draw the box before it draws the feed line: either one says the cue arrived.
    a.press("g");
    b.wait_until("A's cue or the decision it opens", |t| {
        t.contains("ana: Check the deploy history") || t.contains("Roll back, or roll forward")
    });
    // A rolls back, which decides it: the feed shows again with A's choice attributed to A
    // (the cue line itself may have scrolled away by then), and B's cue list marks A's cue.
    a.press("r");
    b.wait_line(&["ana: chose Roll back"]);
    b.wait_line(&["[g]✓Check the deploy history"]);

    // Killing B's join process leaves the drill running; B is away, not gone.
    b.kill_hard();
    wait_drills(&env, "bo (operator, away)");
    let beat = |t: &Term| {
        t.lines().iter().find_map(|l| {
            l.split("  bar ")
                .nth(1)
                .map(|s| s.split_whitespace().next().unwrap_or("").to_string())
        })
    };
    let before = beat(&a);
    a.wait_until("the beat to move on", |_| beat(&a) != before);

    // A new join with the same name (no drill name: only one is open) takes the seat back.
    let mut b2 = env.term(
        "bo",
        "\"$G\" join --role operator; echo EXIT=$?; stty -a",
        24,
        80,
    );
    b2.wait_for("RUNNING");
    let list = drills(&env);
    assert!(list.contains("bo (operator)"), "{list}");
    assert_eq!(list.matches("bo (").count(), 1, "one seat for bo:\n{list}");
    // B is back in the same drill: its cue is marked done on the timeline's marks and the
    // host's next cue shows on it.
    a.press("l");
    b2.wait_line(&["ana: Read checkout error"]);

    // The host quits: B is told why and gets its terminal back.
    a.press("q");
    a.wait_for("Leave the drill while it runs?");
    a.press("y");
    assert!(a.wait_exit().success(), "host exits 0:\n{}", a.text());
    a.wait_for("EXIT=0");
    let t = b2.wait_stty();
    assert!(t.contains("EXIT=0"), "{t}");
    assert!(b2.wait_exit().success());
    assert!(t.contains("the host ended the drill"), "{t}");
    assert!(!b2.alternate_screen(), "B is back on the main screen");
    assert!(t.contains(" icanon"), "B's terminal is cooked again:\n{t}");
    assert!(!env.socket("pair").exists(), "the socket file is removed");
    let list = drills(&env);
    assert!(list.contains("no drills are open"), "{list}");
}

/// Reads frames until the host closes the connection (bounded by a read timeout).
fn frames_until_close(s: &mut UnixStream) -> Vec<Frame> {
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the host never closed the connection: {e}"),
        }
    }
    let mut frames = Vec::new();
    let mut rest = &buf[..];
    while let Some((f, n)) = socket::decode(rest).unwrap() {
        frames.push(f);
        rest = &rest[n..];
    }
    assert!(rest.is_empty(), "trailing bytes: {rest:?}");
    frames
}

fn last_bye(frames: &[Frame]) -> Bye {
    match frames.last() {
        Some(Frame::Bye(b)) => b.clone(),
        other => panic!("expected a bye last, got {other:?}"),
    }
}

/// Sends raw bytes on a fresh connection and returns the host's last word.
fn poke(path: &Path, bytes: &[u8], close_write: bool) -> Bye {
    let mut s = UnixStream::connect(path).unwrap();
    s.write_all(bytes).unwrap();
    if close_write {
        s.shutdown(std::net::Shutdown::Write).unwrap();
    }
    last_bye(&frames_until_close(&mut s))
}

fn hello(name: &str, role: Option<&str>) -> Hello {
    Hello {
        version: VERSION,
        name: name.into(),
        role: role.map(str::to_string),
        cols: 80,
        rows: 24,
        ..Hello::default()
    }
}

#[test]
fn malformed_bytes_never_disturb_the_host() {
    let env = Env::new();
    let mut a = host(&env, "rough");
    let path = env.socket("rough");

    let bye = poke(&path, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", false);
    assert!(bye.reason.contains("unknown frame type 0x47"), "{bye:?}");
    let bye = poke(&path, &[4, 0xff, 0xff, 0xff, 0xff], false);
    assert!(
        bye.reason.contains("over the 1048576-byte limit"),
        "{bye:?}"
    );
    let mut truncated = vec![1, 0, 0, 0, 100];
    truncated.extend(b"{\"version\":1");
    let bye = poke(&path, &truncated, true);
    assert!(bye.reason.contains("truncated frame"), "{bye:?}");
    let mut bad_json = vec![1, 0, 0, 0, 5];
    bad_json.extend(b"{oops");
    let bye = poke(&path, &bad_json, false);
    assert!(bye.reason.contains("bad hello frame"), "{bye:?}");
    let bye = poke(&path, &socket::encode(&Frame::Output(b"x".to_vec())), false);
    assert!(bye.reason.contains("expected a hello or query"), "{bye:?}");

    // Refusals: wrong version, unknown role, a name someone present holds.
    let mut old = hello("cy", None);
    old.version = 99;
    let bye = poke(&path, &socket::encode(&Frame::Hello(old)), false);
    assert!(bye.refused && bye.reason.contains("protocol 1"), "{bye:?}");
    let bye = poke(
        &path,
        &socket::encode(&Frame::Hello(hello("cy", Some("janitor")))),
        false,
    );
    assert!(
        bye.refused && bye.reason.contains("no role `janitor`") && bye.reason.contains("operator"),
        "{bye:?}"
    );
    let mut exact = hello("ana", None);
    exact.exact = true;
    let bye = poke(&path, &socket::encode(&Frame::Hello(exact)), false);
    assert!(
        bye.refused && bye.reason.contains("`ana` is taken"),
        "{bye:?}"
    );

    // A joined seat that breaks the protocol mid-drill is closed with the reason.
    let mut s = UnixStream::connect(&path).unwrap();
    s.write_all(&socket::encode(&Frame::Hello(hello(
        "dee",
        Some("commander"),
    ))))
    .unwrap();
    wait_drills(&env, "dee (commander)");
    s.write_all(&[0x42, 0, 0, 0, 1, 0]).unwrap();
    let frames = frames_until_close(&mut s);
    assert!(
        frames.iter().any(|f| matches!(f, Frame::Output(_))),
        "the seat was drawn first"
    );
    let bye = last_bye(&frames);
    assert!(
        bye.reason
            .contains("protocol error: unknown frame type 0x42"),
        "{bye:?}"
    );
    wait_drills(&env, "dee (commander, away)");

    // A peer that joins and never reads its output does not stall anyone.
    let mut slow = UnixStream::connect(&path).unwrap();
    let mut big = hello("slow", None);
    big.cols = 500;
    big.rows = 200;
    slow.write_all(&socket::encode(&Frame::Hello(big))).unwrap();
    wait_drills(&env, "slow (all roles, conducts)");

    // The host keeps drawing and keeps time.
    a.press("\r");
    a.wait_for("RUNNING");
    a.press("a");
    a.wait_line(&["ana: Acknowledge the page"]);
    let bar = |t: &Term| {
        t.lines().iter().find_map(|l| {
            l.split("  bar ")
                .nth(1)
                .map(|s| s.split_whitespace().next().unwrap_or("").to_string())
        })
    };
    let before = bar(&a);
    a.wait_until("the beat to move on", |_| bar(&a) != before);
    let list = drills(&env);
    assert!(list.contains("rough") && list.contains("running"), "{list}");
    drop(slow);

    a.press("q");
    a.press("y");
    assert!(a.wait_exit().success(), "{}", a.text());
    assert!(!path.exists());
}

#[test]
fn join_refusals_and_drill_discovery() {
    let env = Env::new();
    // No drills at all.
    let out = env.run(&["join"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no drills are open"));

    let a = host(&env, "one");
    // An unknown role comes back as a clear refusal; the terminal is given back.
    let mut b = env.term(
        "bo",
        "\"$G\" join one --role janitor; echo EXIT=$?; stty -a",
        24,
        80,
    );
    let t = b.wait_stty();
    assert!(b.wait_exit().success());
    assert!(t.contains("no role `janitor`"), "{t}");
    assert!(t.contains("EXIT=1"), "{t}");
    assert!(t.contains(" icanon"), "{t}");

    // A stale socket (its listener gone) is reported and removed by `gamelan drills`.
    let stale = env.socket("ghost");
    drop(std::os::unix::net::UnixListener::bind(&stale).unwrap());
    assert!(stale.exists());
    let list = drills(&env);
    assert!(list.contains("removed a stale socket: ghost"), "{list}");
    assert!(!stale.exists());
    assert!(list.contains("one"), "{list}");

    // Two open drills: `join` without a name lists them and fails.
    let other = std::os::unix::net::UnixListener::bind(env.socket("two")).unwrap();
    let out = env.run(&["join"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2 drills are open")
            && err.contains("gamelan join one")
            && err.contains("gamelan join two"),
        "{err}"
    );
    drop(other);
    let out = env.run(&["join", "nosuch"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no drill named `nosuch`"), "{err}");
    drop(a);
}

/// The pair drill exactly as documented: `gamelan host bad-deploy`, then the join line it
/// prints, run by the same account in another terminal. The second seat gets a name of its
/// own (shown on its screen), the host conducts, each seat is drawn in its own terminal's
/// colours, and a seat that quits is recorded leaving once.
#[test]
fn the_documented_pair_drill_works_from_one_account() {
    let env = Env::new();
    // A wide host terminal, so its status line shows the whole join hint.
    let a = env.term("ana", "\"$G\" host bad-deploy; echo EXIT=$?", 30, 140);
    // Wait for the whole first frame: the briefing and the status line with the hint.
    let screen = a.wait_all(&["Enter starts the metronome", "join: "]);
    let hint = screen
        .lines()
        .find_map(|l| l.split("join: ").nth(1))
        .and_then(|rest| rest.split(" · ").next())
        .unwrap_or_else(|| panic!("no join hint on the host's screen:\n{screen}"))
        .trim()
        .to_string();
    assert_eq!(hint, "gamelan join bad-deploy --role operator");
    assert!(a.has_colour(), "the host's own terminal is in colour");

    // The same account runs exactly the printed line (with `gamelan` as the binary), once
    // with colour and once with NO_COLOR.
    let join = hint.replacen("gamelan", "\"$G\"", 1);
    let b = env.term("ana", &format!("{join}; echo EXIT=$?"), 24, 80);
    let screen = b.wait_for("ana-2 · ana conducts");
    assert!(screen.contains("Enter starts the metronome"), "{screen}");
    assert!(b.has_colour(), "a colour terminal gets colour");
    let c = env.term("ana", &format!("NO_COLOR=1 {join}; echo EXIT=$?"), 24, 80);
    c.wait_for("ana-3 · ana conducts");
    assert!(
        !c.has_colour(),
        "NO_COLOR in the joining terminal: no colour"
    );
    let list = wait_drills(&env, "ana-3 (operator)");
    assert!(
        list.contains("ana (all roles, conducts), ana-2 (operator), ana-3 (operator)"),
        "{list}"
    );

    // Only the conductor starts the drill; the others are told who that is.
    b.press("\r");
    b.wait_for("waiting for ana to start");
    a.press("\r");
    b.wait_for("RUNNING");
    b.wait_for("ana-2 · ? keys · q quit");

    // The second seat quits: it is told so, exits 0, and is recorded leaving once.
    b.press("q");
    b.press("y");
    let t = b.wait_for("EXIT=");
    assert!(t.contains("EXIT=0"), "{t}");
    assert!(t.contains("ana-2 left the drill `bad-deploy`"), "{t}");
    wait_drills(&env, "ana-2 (operator, away)");
    let dir = env.dir.path().join("data/recordings");
    let rec = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .expect("the host records the drill");
    let text = std::fs::read_to_string(rec).unwrap();
    let leaves: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(r#""do":"leave""#))
        .collect();
    assert_eq!(leaves.len(), 1, "{text}");
    assert!(leaves[0].contains(r#""seat":1"#), "{leaves:?}");
    drop(c);
    drop(a);
}
