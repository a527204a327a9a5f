//! Stop signals (SIGTERM, SIGHUP, SIGINT, SIGQUIT) to every console, through the real binary
//! in a pseudo-terminal: each is a clean quit. The alternate screen is left, the tty is back
//! in cooked mode, the exit status is 128+n, a played drill's recording ends with its `end`
//! and `leave` lines, and a host removes its socket and says goodbye to its joiners.

mod common;

use common::{Term, WAIT};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SIGNALS: [(i32, &str); 4] = [
    (libc::SIGTERM, "SIGTERM"),
    (libc::SIGHUP, "SIGHUP"),
    (libc::SIGINT, "SIGINT"),
    (libc::SIGQUIT, "SIGQUIT"),
];

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    /// `sh -c SCRIPT` in an 80x24 pseudo-terminal, `$G` the binary, with this test's
    /// directories.
    fn term(&self, name: &str, script: &str) -> Term {
        let (config, data, run) = (self.path("config"), self.path("data"), self.path("run"));
        let env = [
            ("GAMELAN_CONFIG_DIR", config.as_os_str()),
            ("GAMELAN_DATA_DIR", data.as_os_str()),
            ("GAMELAN_RUNTIME_DIR", run.as_os_str()),
            ("USER", OsStr::new(name)),
        ];
        Term::sh(name, script, &env, 80, 24)
    }
}

/// The gamelan process `sh` started (its only child).
fn gamelan_pid(t: &Term) -> i32 {
    let sh = t.pid();
    let deadline = Instant::now() + WAIT;
    loop {
        let children =
            std::fs::read_to_string(format!("/proc/{sh}/task/{sh}/children")).unwrap_or_default();
        if let Some(pid) = children.split_whitespace().next() {
            return pid.parse().unwrap();
        }
        assert!(Instant::now() < deadline, "sh started no child");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn kill(pid: i32, sig: i32) {
    // SAFETY: a plain syscall on a process this test started.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// After the signal: the script's `echo EXIT=$?; stty -a` shows the status and a cooked tty,
/// and the screen is the main one again.
fn assert_restored(t: &mut Term, sig: i32, what: &str) -> String {
    assert!(t.wait_exit().success(), "{what}: {}", t.text());
    let screen = t.wait_stty();
    let want = format!("EXIT={}", 128 + sig);
    assert!(screen.contains(&want), "{what}: want {want}:\n{screen}");
    assert!(
        !t.alternate_screen(),
        "{what}: still on the alternate screen"
    );
    assert!(
        screen.contains(" icanon") && screen.contains(" echo "),
        "{what}: terminal still raw:\n{screen}"
    );
    screen
}

const SCRIPT_TAIL: &str = "; echo EXIT=$?; stty -a";

#[test]
fn play_quits_cleanly_on_every_stop_signal_and_finishes_its_recording() {
    for (sig, name) in SIGNALS {
        let env = Env::new();
        let rec = env.path("rec.jsonl");
        let mut t = env.term(
            "ana",
            &format!(
                "\"$G\" play bad-deploy --tempo 240 --record {}{SCRIPT_TAIL}",
                rec.display()
            ),
        );
        t.wait_for("Enter starts the metronome");
        t.press("\r");
        t.wait_for("RUNNING");
        t.press("a");
        kill(gamelan_pid(&t), sig);
        assert_restored(&mut t, sig, name);

        let text = std::fs::read_to_string(&rec).unwrap();
        assert!(text.ends_with('\n'), "{name}: torn last line:\n{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[lines.len() - 1].starts_with("{\"end_of_recording\""),
            "{name}: the recording is closed with its end line:\n{text}"
        );
        let last = lines[lines.len() - 2];
        let before = lines[lines.len() - 3];
        assert!(
            last.contains("\"do\":\"leave\""),
            "{name}: last line {last}"
        );
        assert!(
            before.contains("\"do\":\"end\"") && before.contains(&format!("stopped by {name}")),
            "{name}: line before last {before}"
        );
    }
}

fn socket_path(env: &Env, name: &str) -> PathBuf {
    env.path("run/drills").join(format!("{name}.sock"))
}

fn wait_gone(p: &Path) {
    let deadline = Instant::now() + WAIT;
    while p.exists() {
        assert!(Instant::now() < deadline, "{} still there", p.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn host_says_goodbye_removes_its_socket_and_restores_the_terminal_on_every_stop_signal() {
    for (sig, name) in SIGNALS {
        let env = Env::new();
        let mut host = env.term(
            "ana",
            &format!("\"$G\" host bad-deploy --name pair --tempo 120{SCRIPT_TAIL}"),
        );
        host.wait_for("Enter starts the metronome");
        let sock = socket_path(&env, "pair");
        assert!(sock.exists());
        let mut joiner = env.term(
            "bo",
            &format!("\"$G\" join pair --role operator{SCRIPT_TAIL}"),
        );
        joiner.wait_for("Enter starts the metronome");
        host.press("\r");
        host.wait_for("RUNNING");

        kill(gamelan_pid(&host), sig);
        assert_restored(&mut host, sig, name);
        wait_gone(&sock);

        // The joiner hears the goodbye, not "went away without saying goodbye".
        assert!(joiner.wait_exit().success());
        let screen = joiner.wait_stty();
        assert!(
            screen.contains("the host ended the drill") && screen.contains("EXIT=0"),
            "{name}: joiner saw:\n{screen}"
        );
        assert!(!screen.contains("without saying goodbye"), "{screen}");
        assert!(!joiner.alternate_screen());

        // The host's recording ends with its seat leaving, then its end line.
        let dir = env.path("data/recordings");
        let file = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        assert!(text.ends_with('\n'), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[lines.len() - 1].starts_with("{\"end_of_recording\""),
            "{name}: {text}"
        );
        assert!(
            lines[lines.len() - 2].contains("\"do\":\"leave\""),
            "{name}: {text}"
        );
    }
}

#[test]
fn the_lobby_vista_and_replay_quit_cleanly_on_stop_signals() {
    let env = Env::new();

    // The lobby itself.
    let mut t = env.term("ana", &format!("\"$G\"{SCRIPT_TAIL}"));
    t.wait_for("morning vista");
    kill(gamelan_pid(&t), libc::SIGTERM);
    assert_restored(&mut t, libc::SIGTERM, "lobby");

    // A drill started from the lobby.
    let mut t = env.term("ana", &format!("\"$G\"{SCRIPT_TAIL}"));
    t.wait_for("morning vista");
    t.press("\r");
    t.wait_for("Enter starts the metronome");
    kill(gamelan_pid(&t), libc::SIGINT);
    assert_restored(&mut t, libc::SIGINT, "lobby drill");

    // The vista opened from the lobby.
    let mut t = env.term("ana", &format!("\"$G\"{SCRIPT_TAIL}"));
    t.wait_for("morning vista");
    t.press("v");
    t.wait_for("vista");
    kill(gamelan_pid(&t), libc::SIGQUIT);
    assert_restored(&mut t, libc::SIGQUIT, "lobby vista");

    // `gamelan vista`.
    let mut t = env.term("ana", &format!("\"$G\" vista{SCRIPT_TAIL}"));
    t.wait_for("vista");
    kill(gamelan_pid(&t), libc::SIGHUP);
    assert_restored(&mut t, libc::SIGHUP, "vista");

    // `gamelan replay`.
    let rec = env.path("win.jsonl");
    let out = std::process::Command::new(common::BIN)
        .args(["play", "bad-deploy", "--headless", "--cues"])
        .arg("scenarios/bad-deploy.win.cues")
        .arg("--record")
        .arg(&rec)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("GAMELAN_DATA_DIR", env.path("data"))
        .env("GAMELAN_CONFIG_DIR", env.path("config"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    for (sig, name) in [(libc::SIGTERM, "replay"), (libc::SIGQUIT, "replay playing")] {
        let mut t = env.term(
            "ana",
            &format!("\"$G\" replay {}{SCRIPT_TAIL}", rec.display()),
        );
        t.wait_for("REPLAY");
        if name == "replay playing" {
            t.press("p");
        }
        kill(gamelan_pid(&t), sig);
        assert_restored(&mut t, sig, name);
    }
}
