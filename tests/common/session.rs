//! A live session room in process, served over a real Unix socket with the wire protocol, and
//! seats joined through it whose screens are read through vt100: the setup every in-process
//! session test shares. The room is opened by the shell's own `open_spec`, as
//! `gamelan session weekly` opens it.

use super::WAIT;
use gamelan::config::Paths;
use gamelan::room::session::{SessionRoom, SessionSpec, SessionState};
use gamelan::seat::socket::{self, Hosted, ServeCtx, Server, VERSION};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// The data, config and runtime directories of a test under `dir`.
pub fn paths(dir: &Path) -> Paths {
    Paths {
        config: dir.join("config"),
        data: dir.join("data"),
        runtime: dir.join("run"),
    }
}

/// The bundled weekly session, seed 5, its drills at 240 BPM, recorded to `dir/s.jsonl` (its
/// drills in the data directory's recordings).
pub fn spec(dir: &Path) -> SessionSpec {
    let (spec, problem) = gamelan::cmd::session::open_spec(
        &paths(dir),
        "weekly",
        5,
        Some(240),
        "weekly",
        Some(dir.join("s.jsonl")),
    )
    .expect("the bundled weekly setlist opens");
    assert!(problem.is_none(), "{problem:?}");
    spec
}

/// A room serving its seats over a socket, as `gamelan session` does.
pub struct Served {
    pub room: SessionRoom,
    pub sock: PathBuf,
    pub server: Server,
    _guard: socket::SocketGuard,
}

/// Opens `spec`'s room and serves it on a socket under `dir` (the facilitator, `ana`, is
/// to join at the host).
pub fn serve(dir: &Path, spec: SessionSpec) -> Served {
    let room = SessionRoom::spawn(spec);
    let socks = dir.join("run");
    let (listener, guard) = socket::bind(&socks, "weekly").unwrap();
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
    Served {
        room,
        sock,
        server,
        _guard: guard,
    }
}

/// A terminal at the far end of a socket: the host's output read through a vt100 screen.
#[derive(Clone)]
pub struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    pub bytes: Arc<AtomicU64>,
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
    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The screen's last line (the status line).
    pub fn last_line(&self) -> String {
        self.text().lines().last().unwrap_or_default().to_string()
    }

    /// Waits until `needle` is on the screen.
    pub async fn until(&self, needle: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.text().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} on screen:\n{}",
                self.text()
            );
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }
}

/// A joined seat: its keys, its screen, and the pipe's task.
pub struct Joined {
    pub keys: mpsc::Sender<Vec<u8>>,
    _sizes: mpsc::Sender<(u16, u16)>,
    pub screen: Screen,
    pub pipe: tokio::task::JoinHandle<socket::PipeEnd>,
}

/// Joins the session at `sock` as `name` (observing or not) from a `cols`x`rows` terminal.
pub async fn join(sock: &Path, name: &str, observe: bool, cols: u16, rows: u16) -> Joined {
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
    let hello = socket::Hello {
        version: VERSION,
        name: name.into(),
        observe,
        cols,
        rows,
        term: Some("xterm-256color".into()),
        ..socket::Hello::default()
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

/// Waits until the room's state is `ok`.
pub async fn until(
    room: &SessionRoom,
    what: &str,
    ok: impl Fn(&SessionState) -> bool,
) -> SessionState {
    let mut rx = room.state();
    match tokio::time::timeout(WAIT, rx.wait_for(|s| ok(s))).await {
        Ok(Ok(s)) => s.clone(),
        _ => panic!("timed out waiting for {what}"),
    }
}

/// The id of the seat named `name`.
pub fn seat_of(s: &SessionState, name: &str) -> u32 {
    s.session
        .seats
        .iter()
        .find(|x| x.name == name)
        .map(|x| x.id)
        .unwrap()
}
