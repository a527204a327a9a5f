//! A program in a real pseudo-terminal, read through a vt100 screen: the one harness for every
//! test that drives gamelan (or ssh) as a person would. Waits are bounded; the program is
//! killed when the `Term` is dropped.

#![allow(dead_code)]

pub mod openssh;
pub mod peers;
pub mod recordings;
pub mod scale;
pub mod screen;
pub mod session;
pub mod walk;

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The gamelan binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_gamelan");
/// The longest any single wait may take.
pub const WAIT: Duration = Duration::from_secs(20);

/// A program in a pseudo-terminal.
pub struct Term {
    pub name: String,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    keys: Mutex<Box<dyn Write + Send>>,
    parser: Arc<Mutex<vt100::Parser>>,
    bytes: Arc<AtomicU64>,
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Term {
    /// Starts `program args…` in a `cols`x`rows` pseudo-terminal with `TERM=xterm-256color`
    /// plus `env`. Terminal queries are never answered: vt100 only parses.
    pub fn spawn<S: AsRef<OsStr>>(
        name: &str,
        program: &str,
        args: &[S],
        env: &[(&str, &OsStr)],
        cols: u16,
        rows: u16,
    ) -> Term {
        let pair = native_pty_system().openpty(size(cols, rows)).unwrap();
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
        )));
        let bytes = Arc::new(AtomicU64::new(0));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let (p, b) = (parser.clone(), bytes.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                b.fetch_add(n as u64, Ordering::Relaxed);
            }
        });
        let keys = Mutex::new(pair.master.take_writer().unwrap());
        Term {
            name: name.to_string(),
            child,
            master: pair.master,
            keys,
            parser,
            bytes,
        }
    }

    /// Runs `sh -c SCRIPT` (the binary under test is `$G`), so a test can follow the program
    /// with `echo EXIT=$?; stty -a` and check the terminal it leaves behind.
    pub fn sh(name: &str, script: &str, env: &[(&str, &OsStr)], cols: u16, rows: u16) -> Term {
        let mut all: Vec<(&str, &OsStr)> = vec![("G", OsStr::new(BIN))];
        all.extend_from_slice(env);
        Term::spawn(name, "sh", &["-c", script], &all, cols, rows)
    }

    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn lines(&self) -> Vec<String> {
        self.text().lines().map(str::to_string).collect()
    }

    /// Bytes the program has written to its terminal so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Waits (bounded) until `ok` holds for the screen text; returns the screen.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let t = self.text();
            if ok(&t) {
                return t;
            }
            assert!(
                Instant::now() < deadline,
                "{}: timed out waiting for {what}; screen:\n{t}",
                self.name
            );
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?}"), |t| t.contains(needle))
    }

    /// Waits until the screen shows every one of `needles`.
    pub fn wait_all(&self, needles: &[&str]) -> String {
        self.wait_until(&format!("{needles:?}"), |t| {
            needles.iter().all(|n| t.contains(n))
        })
    }

    /// Waits for a screen line holding every one of `parts`.
    pub fn wait_line(&self, parts: &[&str]) -> String {
        self.wait_until(&format!("a line with {parts:?}"), |t| {
            t.lines().any(|l| parts.iter().all(|p| l.contains(p)))
        })
    }

    /// Types `keys` and gives the program a moment to draw.
    pub fn press(&self, keys: &str) {
        self.send(keys.as_bytes());
    }

    pub fn send(&self, bytes: &[u8]) {
        let mut w = self.keys.lock().unwrap();
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
        drop(w);
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the screen model with it.
    pub fn resize(&self, cols: u16, rows: u16) {
        self.parser
            .lock()
            .unwrap()
            .set_size(rows.try_into().unwrap(), cols.try_into().unwrap());
        self.master.resize(size(cols, rows)).unwrap();
    }

    /// Whether any cell on the screen has a foreground or background colour of its own.
    pub fn has_colour(&self) -> bool {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        (0..rows.get()).any(|r| {
            (0..cols.get()).any(|c| {
                screen.cell(r, c).is_some_and(|cell| {
                    cell.fgcolor() != vt100::Color::Default
                        || cell.bgcolor() != vt100::Color::Default
                })
            })
        })
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Whether the program has its terminal reporting the mouse or bracketing pastes.
    pub fn mouse_reporting(&self) -> bool {
        let p = self.parser.lock().unwrap();
        let s = p.screen();
        s.mouse_protocol_mode() != vt100::MouseProtocolMode::None || s.bracketed_paste()
    }

    /// Where `needle` first appears on screen: (column, row), counted from 0.
    pub fn find(&self, needle: &str) -> Option<(u16, u16)> {
        self.lines().iter().enumerate().find_map(|(y, l)| {
            l.find(needle)
                .map(|i| (l[..i].chars().count() as u16, y as u16))
        })
    }

    pub fn pid(&self) -> i32 {
        self.child.process_id().map_or(0, |p| p as i32)
    }

    pub fn signal(&self, sig: i32) {
        if let Some(pid) = self.child.process_id() {
            // SAFETY: a plain syscall on a pid this test spawned.
            unsafe {
                libc::kill(pid as i32, sig);
            }
        }
    }

    /// Waits (bounded) for the program to exit.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "{}: still running; screen:\n{}",
                self.name,
                self.text()
            );
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Kills the program at once (SIGKILL: no chance to say goodbye) and reaps it.
    pub fn kill_hard(&mut self) {
        self.signal(libc::SIGCONT);
        self.signal(libc::SIGKILL);
        let deadline = Instant::now() + WAIT;
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "{}: survived SIGKILL", self.name);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.signal(libc::SIGCONT);
            self.signal(libc::SIGKILL);
            let deadline = Instant::now() + Duration::from_secs(5);
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// Runs `gamelan ARGS` without a terminal, from the repository root, with config, data and
/// runtime directories of its own (named `home`) so a developer's files never leak in.
pub fn gamelan(home: &str, args: &[&str]) -> std::process::Output {
    let home = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(home);
    std::process::Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("GAMELAN_CONFIG_DIR", home.join("config"))
        .env("GAMELAN_DATA_DIR", home.join("data"))
        .env("GAMELAN_RUNTIME_DIR", home.join("run"))
        .env("RUST_BACKTRACE", "0")
        .env("NO_COLOR", "1")
        .output()
        .expect("run the gamelan binary")
}

/// A vista config from TOML text; panics with every diagnostic when it does not parse.
pub fn vista_config(src: &str) -> gamelan::vista::VistaConfig {
    gamelan::vista::VistaConfig::parse(src, "test.toml")
        .unwrap_or_else(|d| panic!("config does not parse:\n{}", gamelan::diag::render(&d)))
}

/// Waits (bounded) until `pred` holds for vista pane `id` in a published snapshot; panics with
/// the pane's state otherwise.
pub async fn wait_pane(
    h: &gamelan::vista::VistaHandle,
    id: &str,
    what: &str,
    pred: impl Fn(&gamelan::vista::PaneState) -> bool,
) -> gamelan::vista::PaneState {
    let mut rx = h.subscribe();
    let end = tokio::time::Instant::now() + WAIT;
    loop {
        let snap = rx.borrow_and_update().clone();
        let pane = snap.pane(id).unwrap_or_else(|| panic!("no pane {id}"));
        if pred(&pane.state) {
            return pane.state.clone();
        }
        let left = end.saturating_duration_since(tokio::time::Instant::now());
        assert!(
            !left.is_zero(),
            "pane `{id}`: timed out waiting for {what}; state: {:#?}",
            pane.state
        );
        let _ = tokio::time::timeout(left.min(Duration::from_millis(200)), rx.changed()).await;
    }
}

impl Term {
    /// Waits until a trailing `stty -a` has printed its local flags (they always mention
    /// `icanon`, as `icanon` or `-icanon`) and returns the screen.
    pub fn wait_stty(&self) -> String {
        self.wait_until("the output of stty -a", |t| {
            t.contains("EXIT=") && t.contains("icanon")
        })
    }
}

/// Runs `gamelan ARGS` from the repository root with `data` as its data directory (and
/// `data/config` as its config directory), for tests that inspect what it recorded.
pub fn gamelan_with_data(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("GAMELAN_DATA_DIR", data)
        .env("GAMELAN_CONFIG_DIR", data.join("config"))
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run the gamelan binary")
}

/// A program's output as text (lossy), for assertions and their messages.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
