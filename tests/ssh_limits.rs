//! `gamelan serve` under connections that never log in, and at its shutdown, with the real
//! OpenSSH client on 127.0.0.1:
//! - a bounded flood of silent TCP connections (and some that send only a banner) never keeps
//!   a real player out, and every one of them is closed within the login grace;
//! - SIGTERM gives a player waiting in the lobby its terminal back (the alternate screen
//!   left), a reason, and ssh's exit status 0.
//!
//! Every wait has a deadline; the server and clients are killed by Drop guards.

mod common;

use common::{Term, WAIT};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

const SSH: &str = "/usr/bin/ssh";
const SSH_KEYGEN: &str = "/usr/bin/ssh-keygen";

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        for tool in [SSH, SSH_KEYGEN] {
            assert!(
                Path::new(tool).exists(),
                "{tool} is missing (apt-get install openssh-client)"
            );
        }
        Site {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// An ed25519 key pair made by ssh-keygen, authorized; returns the private key.
    fn authorized_key(&self, name: &str) -> PathBuf {
        let key = self.path(name);
        let out = Command::new(SSH_KEYGEN)
            .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
            .arg(&key)
            .output()
            .unwrap();
        assert!(out.status.success(), "ssh-keygen: {out:?}");
        let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
        std::fs::write(self.path("authorized_keys"), public).unwrap();
        key
    }

    fn serve(&self, extra: &[&str]) -> Server {
        let mut child = Command::new(common::BIN)
            .arg("serve")
            .args(["--listen", "127.0.0.1:0", "--authorized-keys"])
            .arg(self.path("authorized_keys"))
            .arg("--host-key")
            .arg(self.path("host_key"))
            .args(extra)
            .env("GAMELAN_CONFIG_DIR", self.path("config"))
            .env("GAMELAN_DATA_DIR", self.path("data"))
            .env("GAMELAN_RUNTIME_DIR", self.path("runtime"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().unwrap();
        let l = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                l.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = rx.recv_timeout(WAIT).expect("gamelan serve did not start");
        let port = line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Server { child, port, log }
    }
}

struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn ssh_args(&self, key: &Path) -> Vec<String> {
        let port = self.port.to_string();
        let key = key.display().to_string();
        [
            "-p",
            &port,
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=10",
            "-i",
            &key,
            "ana@127.0.0.1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    /// `ssh … list` without a terminal: (succeeded, stdout, stderr, how long it took).
    fn list(&self, key: &Path) -> (bool, String, String, Duration) {
        let started = Instant::now();
        let mut child = Command::new(SSH)
            .args(self.ssh_args(key))
            .arg("list")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if started.elapsed() > WAIT {
                let _ = child.kill();
                panic!("ssh list did not finish; server log:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let (mut out, mut err) = (String::new(), String::new());
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        (status.success(), out, err, started.elapsed())
    }

    fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "server did not exit:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
    let (ok, out, err, took) = server.list(&key);
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
    let (ok, _, err, _) = server.list(&key);
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
    let (ok, _, err, _) = server.list(&key);
    assert!(ok, "{err}\n{}", server.log());
}

#[test]
fn sigterm_lets_a_lobby_seat_go_with_status_0_and_its_terminal_back() {
    let site = Site::new();
    let key = site.authorized_key("ana");
    let mut server = site.serve(&[]);
    let mut args = vec!["-tt".to_string()];
    args.extend(server.ssh_args(&key));
    let mut t = Term::spawn("ana", SSH, &args, &[], 80, 24);
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
