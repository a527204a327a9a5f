//! `gamelan serve` under connections that never log in, and at its shutdown, with the real
//! OpenSSH client on 127.0.0.1:
//! - a bounded flood of silent TCP connections (and some that send only a banner) never keeps
//!   a real player out, and every one of them is closed within the login grace;
//! - SIGTERM gives a player waiting in the lobby its terminal back (the alternate screen
//!   left), a reason, and ssh's exit status 0.
//!
//! Every wait has a deadline; the server and clients are killed by Drop guards.

mod common;

use common::WAIT;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use common::openssh::{Server, Site};

/// `ssh … list` without a terminal: (succeeded, stdout, stderr, how long it took).
fn list(server: &Server, key: &Path) -> (bool, String, String, Duration) {
    let started = Instant::now();
    let (ok, out, err) = server.batch(key, "ana", &[], "list");
    (ok, out, err, started.elapsed())
}

/// Reads until the server closes the connection (or `until`); returns when it closed.
fn closed_by(mut s: TcpStream, until: Instant) -> Option<Instant> {
    let mut buf = [0u8; 512];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        s.set_read_timeout(Some(left)).unwrap();
        match s.read(&mut buf) {
            Ok(0) => return Some(Instant::now()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return None,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => return None,
            Err(_) => return Some(Instant::now()), // reset: closed too
        }
    }
}

#[test]
fn a_flood_of_silent_connections_never_keeps_a_player_out_and_each_is_closed_in_time() {
    const SILENT: usize = 200;
    const BANNER_ONLY: usize = 20;
    let grace = Duration::from_secs(2);
    let site = Site::new();
    let key = site.authorized_key("ana");
    let server = site.serve(&["--login-grace", "2", "--max-logins", "64"]);

    let opened = Instant::now();
    let mut silent = Vec::new();
    for _ in 0..SILENT {
        silent.push(TcpStream::connect(("127.0.0.1", server.port)).unwrap());
    }
    // Some send a banner and then nothing more.
    for _ in 0..BANNER_ONLY {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        s.write_all(b"SSH-2.0-Silent_0.1\r\n").unwrap();
        silent.push(s);
    }

    // A real player logs in meanwhile, promptly.
    let (ok, out, err, took) = list(&server, &key);
    assert!(ok, "ssh list failed: {err}\nserver:\n{}", server.log());
    assert!(out.contains("open drills:"), "{out}");
    assert!(took < Duration::from_secs(5), "login took {took:?}");

    // Every silent connection is closed by the end of the grace (plus a margin).
    let until = opened + grace + Duration::from_millis(1500);
    let readers: Vec<_> = silent
        .into_iter()
        .map(|s| std::thread::spawn(move || closed_by(s, until)))
        .collect();
    let mut open = 0;
    let mut latest = Duration::ZERO;
    for r in readers {
        match r.join().unwrap() {
            Some(t) => latest = latest.max(t - opened),
            None => open += 1,
        }
    }
    assert_eq!(
        open,
        0,
        "{open} of {} silent connections still open after {:?}",
        SILENT + BANNER_ONLY,
        until - opened
    );
    assert!(latest <= grace + Duration::from_millis(1500), "{latest:?}");
    eprintln!(
        "login during the flood: {took:?}; the last silent connection closed after {latest:?}"
    );

    // The server is still there for the next player.
    let (ok, _, err, _) = list(&server, &key);
    assert!(ok, "{err}\n{}", server.log());
}

#[test]
fn too_many_open_connections_are_refused_at_once() {
    let site = Site::new();
    let key = site.authorized_key("ana");
    let server = site.serve(&["--max-connections", "10", "--login-grace", "30"]);
    let held: Vec<TcpStream> = (0..10)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    // The eleventh is closed at once, without a banner.
    std::thread::sleep(Duration::from_millis(200));
    let extra = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let at = closed_by(extra, Instant::now() + Duration::from_secs(2));
    assert!(at.is_some(), "the eleventh connection was kept open");
    drop(held);
    // Once they are gone a player gets in again.
    std::thread::sleep(Duration::from_millis(300));
    let (ok, _, err, _) = list(&server, &key);
    assert!(ok, "{err}\n{}", server.log());
}

#[test]
fn sigterm_lets_a_lobby_seat_go_with_status_0_and_its_terminal_back() {
    let site = Site::new();
    let key = site.authorized_key("ana");
    let mut server = site.serve(&[]);
    let mut t = server.term(&key, "ana", 80, 24);
    t.wait_all(&["welcome, ana", "Scenarios: start a new drill"]);
    assert!(t.alternate_screen());

    // SAFETY: a plain syscall on the server this test started.
    unsafe {
        libc::kill(server.child.id() as i32, libc::SIGTERM);
    }
    let status = t.wait_exit();
    let screen = t.wait_for("the server is shutting down");
    assert_eq!(status.exit_code(), 0, "ssh exit status; screen:\n{screen}");
    assert!(!t.alternate_screen(), "the lobby left the alternate screen");
    assert!(server.wait_exit().success(), "{}", server.log());
}

#[test]
fn a_bad_config_toml_is_reported_by_serve_on_stderr() {
    let site = Site::new();
    site.authorized_key("ana");
    std::fs::create_dir_all(site.path("config")).unwrap();
    std::fs::write(site.path("config/config.toml"), "tempo = \"fast\"\n").unwrap();
    let server = site.serve(&[]);
    let deadline = Instant::now() + WAIT;
    while !server.log().contains("config.toml:1:") {
        assert!(Instant::now() < deadline, "{}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(server.log().contains("(using default settings)"));
}
