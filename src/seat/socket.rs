//! The joined terminal: a seat over a Unix socket. The host renders the seat (see
//! [`remote::drive`]) and the joining side is a thin raw-mode pipe: its key bytes and window
//! size go in, the host's screen updates come out. This module holds the wire protocol, the
//! socket files under the runtime directory, the host's accept loop and the joining side's pipe.
//!
//! Wire format: every message is one frame, `type: u8`, `length: u32` big-endian, then
//! `length` bytes of payload (at most [`MAX_FRAME`]). Hello, Query, Info and Bye carry small
//! JSON objects; Input and Output carry raw terminal bytes; Resize carries two big-endian u16
//! (columns, rows). A malformed frame closes that connection with a Bye saying what was wrong;
//! it never reaches the room. docs/pairs.md documents the protocol for other clients.

use super::remote::{self, SeatIn};
use crate::room::Room;
use crate::ui::theme::Theme;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::UnixStream;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::time::timeout;

/// The protocol version a Hello must carry.
pub const VERSION: u32 = 1;
/// Largest payload of one frame; longer Input/Output byte runs are split over several frames.
pub const MAX_FRAME: usize = 1 << 20;
/// Bytes before the payload: the type and the length.
pub const HEADER_LEN: usize = 5;

/// How long a new connection may take to say Hello or Query.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write to a peer may block before the peer counts as gone.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Output frames queued for one peer; beyond that `remote::drive` drops frames.
pub const OUTPUT_QUEUE: usize = 8;
/// Connections served at once; more are turned away with a Bye.
pub const MAX_CONNECTIONS: usize = 64;

// ---- frames ----

/// Frame types on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Hello = 1,
    Query = 2,
    Info = 3,
    Input = 4,
    Output = 5,
    Resize = 6,
    Bye = 7,
}

impl Kind {
    pub fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Hello,
            2 => Kind::Query,
            3 => Kind::Info,
            4 => Kind::Input,
            5 => Kind::Output,
            6 => Kind::Resize,
            7 => Kind::Bye,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Hello => "hello",
            Kind::Query => "query",
            Kind::Info => "info",
            Kind::Input => "input",
            Kind::Output => "output",
            Kind::Resize => "resize",
            Kind::Bye => "bye",
        }
    }
}

/// The first frame of a joining terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub version: u32,
    /// The seat's name (the joining user's `$USER` unless `--as` says otherwise).
    #[serde(default)]
    pub name: String,
    /// The role to play; none plays every role.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub cols: u16,
    #[serde(default)]
    pub rows: u16,
}

/// A seat as `gamelan drills` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfoSeat {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub present: bool,
}

/// The answer to a Query: what this drill is and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    pub version: u32,
    /// The drill's name (its socket is `NAME.sock`).
    pub name: String,
    /// Scenario id and title.
    pub scenario: String,
    #[serde(default)]
    pub title: String,
    /// Who hosts it.
    #[serde(default)]
    pub host: String,
    /// `briefing`, `running`, `paused` or `ended: REASON`.
    pub state: String,
    pub beat: u64,
    /// The beat as `bar:beat`.
    #[serde(default)]
    pub bar_beat: String,
    #[serde(default)]
    pub bpm: u32,
    #[serde(default)]
    pub seats: Vec<InfoSeat>,
    /// The roles a joining seat may take.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// The last frame either side sends: why the connection ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bye {
    pub reason: String,
    /// The host turned the connection away (bad version, unknown role, name taken…).
    #[serde(default)]
    pub refused: bool,
}

impl Bye {
    pub fn new(reason: impl Into<String>) -> Bye {
        Bye {
            reason: reason.into(),
            refused: false,
        }
    }

    pub fn refused(reason: impl Into<String>) -> Bye {
        Bye {
            reason: reason.into(),
            refused: true,
        }
    }
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Hello(Hello),
    Query,
    Info(Box<Info>),
    Input(Vec<u8>),
    Output(Vec<u8>),
    Resize { cols: u16, rows: u16 },
    Bye(Bye),
}

impl Frame {
    pub fn kind(&self) -> Kind {
        match self {
            Frame::Hello(_) => Kind::Hello,
            Frame::Query => Kind::Query,
            Frame::Info(_) => Kind::Info,
            Frame::Input(_) => Kind::Input,
            Frame::Output(_) => Kind::Output,
            Frame::Resize { .. } => Kind::Resize,
            Frame::Bye(_) => Kind::Bye,
        }
    }
}

/// Why a frame could not be read.
#[derive(Debug)]
pub enum FrameError {
    Io(io::Error),
    /// The type byte names no frame.
    UnknownType(u8),
    /// The length is over [`MAX_FRAME`].
    TooLong {
        kind: Kind,
        len: u32,
    },
    /// The connection closed inside a frame.
    Truncated {
        expected: usize,
        got: usize,
    },
    /// The payload does not fit the type (bad JSON, a resize that is not 4 bytes…).
    BadPayload {
        kind: Kind,
        detail: String,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Io(e) => write!(f, "{e}"),
            FrameError::UnknownType(b) => write!(f, "unknown frame type 0x{b:02x}"),
            FrameError::TooLong { kind, len } => write!(
                f,
                "{} frame of {len} bytes is over the {MAX_FRAME}-byte limit",
                kind.name()
            ),
            FrameError::Truncated { expected, got } => write!(
                f,
                "truncated frame: the connection closed after {got} of {expected} bytes"
            ),
            FrameError::BadPayload { kind, detail } => {
                write!(f, "bad {} frame: {detail}", kind.name())
            }
        }
    }
}

impl std::error::Error for FrameError {}

impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> FrameError {
        FrameError::Io(e)
    }
}

fn json_payload<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing these plain structs cannot fail.
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

fn push_frame(out: &mut Vec<u8>, kind: Kind, payload: &[u8]) {
    debug_assert!(payload.len() <= MAX_FRAME);
    out.push(kind as u8);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
}

/// Encodes a frame for the wire. Input and Output longer than [`MAX_FRAME`] become several
/// frames of the same type; a JSON payload is small by construction.
pub fn encode(frame: &Frame) -> Vec<u8> {
    let mut out = Vec::new();
    let kind = frame.kind();
    match frame {
        Frame::Input(b) | Frame::Output(b) => {
            if b.is_empty() {
                push_frame(&mut out, kind, b);
            }
            for chunk in b.chunks(MAX_FRAME) {
                push_frame(&mut out, kind, chunk);
            }
        }
        Frame::Resize { cols, rows } => {
            let mut p = [0u8; 4];
            p[..2].copy_from_slice(&cols.to_be_bytes());
            p[2..].copy_from_slice(&rows.to_be_bytes());
            push_frame(&mut out, kind, &p);
        }
        Frame::Hello(h) => push_frame(&mut out, kind, &json_payload(h)),
        Frame::Query => push_frame(
            &mut out,
            kind,
            &json_payload(&QueryBody { version: VERSION }),
        ),
        Frame::Info(i) => push_frame(&mut out, kind, &json_payload(i)),
        Frame::Bye(b) => {
            let mut bye = b.clone();
            // A reason longer than a frame would be absurd; keep it well inside.
            if bye.reason.len() > 4096 {
                bye.reason = bye.reason.chars().take(1000).collect();
            }
            push_frame(&mut out, kind, &json_payload(&bye));
        }
    }
    out
}

#[derive(Serialize, Deserialize)]
struct QueryBody {
    #[serde(default)]
    version: u32,
}

/// Checks a frame header: a known type and a length within the limit.
pub fn parse_header(h: [u8; HEADER_LEN]) -> Result<(Kind, usize), FrameError> {
    let kind = Kind::from_byte(h[0]).ok_or(FrameError::UnknownType(h[0]))?;
    let len = u32::from_be_bytes([h[1], h[2], h[3], h[4]]);
    if len as usize > MAX_FRAME {
        return Err(FrameError::TooLong { kind, len });
    }
    Ok((kind, len as usize))
}

fn json<T: for<'de> Deserialize<'de>>(kind: Kind, payload: &[u8]) -> Result<T, FrameError> {
    serde_json::from_slice(payload).map_err(|e| FrameError::BadPayload {
        kind,
        detail: e.to_string(),
    })
}

/// Turns a payload into its frame.
pub fn parse_payload(kind: Kind, payload: Vec<u8>) -> Result<Frame, FrameError> {
    Ok(match kind {
        Kind::Hello => Frame::Hello(json(kind, &payload)?),
        Kind::Query => {
            if !payload.is_empty() {
                let _: QueryBody = json(kind, &payload)?;
            }
            Frame::Query
        }
        Kind::Info => Frame::Info(Box::new(json(kind, &payload)?)),
        Kind::Bye => Frame::Bye(json(kind, &payload)?),
        Kind::Input => Frame::Input(payload),
        Kind::Output => Frame::Output(payload),
        Kind::Resize => {
            let [c0, c1, r0, r1] = payload[..] else {
                return Err(FrameError::BadPayload {
                    kind,
                    detail: format!("{} bytes, expected 4 (columns, rows)", payload.len()),
                });
            };
            Frame::Resize {
                cols: u16::from_be_bytes([c0, c1]),
                rows: u16::from_be_bytes([r0, r1]),
            }
        }
    })
}

/// Decodes the first frame in `buf`: `Ok(None)` when more bytes are needed, otherwise the
/// frame and how many bytes it took. A bad header fails at once, before its payload arrives.
pub fn decode(buf: &[u8]) -> Result<Option<(Frame, usize)>, FrameError> {
    if buf.len() < HEADER_LEN {
        return Ok(None);
    }
    let mut h = [0u8; HEADER_LEN];
    h.copy_from_slice(&buf[..HEADER_LEN]);
    let (kind, len) = parse_header(h)?;
    let end = HEADER_LEN + len;
    if buf.len() < end {
        return Ok(None);
    }
    let frame = parse_payload(kind, buf[HEADER_LEN..end].to_vec())?;
    Ok(Some((frame, end)))
}

/// Reads as much of `buf` as arrives; returns how many bytes were read before end of stream.
async fn read_full<R: AsyncRead + Unpin>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        let n = r.read(&mut buf[got..]).await?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok(got)
}

/// Reads one frame: `Ok(None)` at a clean end of stream (between frames).
pub async fn read_frame<R: AsyncRead + Unpin>(r: &mut R) -> Result<Option<Frame>, FrameError> {
    let mut h = [0u8; HEADER_LEN];
    let got = read_full(r, &mut h).await?;
    if got == 0 {
        return Ok(None);
    }
    if got < HEADER_LEN {
        // A type byte alone is judged before complaining about the missing length.
        if Kind::from_byte(h[0]).is_none() {
            return Err(FrameError::UnknownType(h[0]));
        }
        return Err(FrameError::Truncated {
            expected: HEADER_LEN,
            got,
        });
    }
    let (kind, len) = parse_header(h)?;
    let mut payload = vec![0u8; len];
    let got = read_full(r, &mut payload).await?;
    if got < len {
        return Err(FrameError::Truncated {
            expected: HEADER_LEN + len,
            got: HEADER_LEN + got,
        });
    }
    parse_payload(kind, payload).map(Some)
}

/// Writes one frame (several for long Input/Output) and flushes.
pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, frame: &Frame) -> io::Result<()> {
    w.write_all(&encode(frame)).await?;
    w.flush().await
}

// ---- socket files ----

/// Where drill sockets live: `RUNTIME/drills`.
pub fn drills_dir(runtime: &Path) -> PathBuf {
    runtime.join("drills")
}

/// The socket of drill `name`.
pub fn socket_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.sock"))
}

/// A drill name is a file name: letters, digits, `.`, `_`, `-`; 1 to 40 characters, not
/// starting with a dot.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if name.is_empty() || name.len() > 40 || !ok_chars || name.starts_with('.') {
        return Err(format!(
            "`{name}` cannot name a drill: use 1 to 40 letters, digits, `.`, `_` or `-`, not starting with `.`"
        ));
    }
    Ok(())
}

/// Creates the sockets directory owner-only (0700), or checks an existing one is ours and
/// makes it owner-only.
pub fn prepare_dir(dir: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(io::Error::other(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(io::Error::other(format!(
            "{} belongs to another user (uid {}); refusing to put drill sockets there",
            dir.display(),
            meta.uid()
        )));
    }
    if meta.mode() & 0o777 != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// What is at a socket path.
#[derive(Debug)]
pub enum Probe {
    /// A host is listening.
    Live(std::os::unix::net::UnixStream),
    /// A socket file whose listener is gone.
    Stale,
    /// Nothing there.
    Missing,
}

/// Connects to see whether a host listens at `path`.
pub fn probe(path: &Path) -> io::Result<Probe> {
    match std::os::unix::net::UnixStream::connect(path) {
        Ok(s) => Ok(Probe::Live(s)),
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => Ok(Probe::Stale),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Probe::Missing),
        Err(e) => Err(e),
    }
}

/// The drill names with a socket file in `dir`, sorted.
pub fn list_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".sock")?;
            check_name(stem).ok()?;
            Some(stem.to_string())
        })
        .collect();
    names.sort();
    names
}

/// Removes the socket file when the host ends, if it is still the one this host made.
#[derive(Debug)]
pub struct SocketGuard {
    path: PathBuf,
    id: (u64, u64),
}

impl SocketGuard {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        if let Ok(m) = std::fs::symlink_metadata(&self.path)
            && (m.dev(), m.ino()) == self.id
        {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Why a drill's socket could not be opened.
#[derive(Debug)]
pub enum BindError {
    /// A live drill already has the name.
    Taken(PathBuf),
    /// Something else is at the path (not a socket).
    NotSocket(PathBuf),
    Io(PathBuf, io::Error),
}

impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BindError::Taken(p) => write!(
                f,
                "a drill is already open at {} (`gamelan drills` lists it); pick another --name",
                p.display()
            ),
            BindError::NotSocket(p) => write!(
                f,
                "{} exists and is not a socket; remove it or pick another --name",
                p.display()
            ),
            BindError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for BindError {}

/// Opens drill `name`'s socket in `dir` (created 0700): refuses a name a live drill holds,
/// replaces a stale socket file, and makes the new socket owner-only (0600). Returns a
/// non-blocking listener, ready for [`serve`], and the guard that removes the file.
pub fn bind(
    dir: &Path,
    name: &str,
) -> Result<(std::os::unix::net::UnixListener, SocketGuard), BindError> {
    check_name(name).map_err(|e| BindError::Io(dir.to_path_buf(), io::Error::other(e)))?;
    prepare_dir(dir).map_err(|e| BindError::Io(dir.to_path_buf(), e))?;
    let path = socket_path(dir, name);
    let io_err = |e| BindError::Io(path.clone(), e);
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        use std::os::unix::fs::FileTypeExt;
        if !meta.file_type().is_socket() {
            return Err(BindError::NotSocket(path));
        }
        match probe(&path).map_err(io_err)? {
            Probe::Live(_) => return Err(BindError::Taken(path)),
            Probe::Stale => std::fs::remove_file(&path).map_err(io_err)?,
            Probe::Missing => {}
        }
    }
    let listener = std::os::unix::net::UnixListener::bind(&path).map_err(io_err)?;
    let meta = std::fs::symlink_metadata(&path).map_err(io_err)?;
    let guard = SocketGuard {
        path: path.clone(),
        id: (meta.dev(), meta.ino()),
    };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(io_err)?;
    listener.set_nonblocking(true).map_err(io_err)?;
    Ok((listener, guard))
}

// ---- the host's side ----

/// What the accept loop needs to seat a joining terminal and answer a query.
#[derive(Debug, Clone)]
pub struct ServeCtx {
    pub room: Room,
    /// The theme remote seats are drawn in.
    pub theme: Theme,
    /// The drill's name (its socket's name).
    pub name: String,
    /// Who hosts it.
    pub host: String,
}

/// The running accept loop. [`Server::shutdown`] stops taking connections and waits (bounded)
/// for the seats to say goodbye.
pub struct Server {
    accept: tokio::task::JoinHandle<()>,
    done: mpsc::Receiver<()>,
}

impl Server {
    /// Starts serving `listener` (from [`bind`]) on the current tokio runtime.
    pub fn start(listener: std::os::unix::net::UnixListener, ctx: ServeCtx) -> io::Result<Server> {
        let listener = tokio::net::UnixListener::from_std(listener)?;
        let (alive, done) = mpsc::channel(1);
        let accept = tokio::spawn(accept_loop(listener, Arc::new(ctx), alive));
        Ok(Server { accept, done })
    }

    /// Stops accepting; waits up to `grace` for every connection to finish (call after the
    /// room has closed, so that each seat has sent its Bye).
    pub async fn shutdown(mut self, grace: Duration) {
        self.accept.abort();
        let _ = (&mut self.accept).await;
        let _ = timeout(grace, self.done.recv()).await;
    }
}

async fn accept_loop(
    listener: tokio::net::UnixListener,
    ctx: Arc<ServeCtx>,
    alive: mpsc::Sender<()>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    // Admission (the seat-name check) and the join happen one connection at a time, so two
    // terminals racing for one name cannot both get it.
    let joining = Arc::new(tokio::sync::Mutex::new(()));
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(_) => {
                // Out of descriptors or similar: back off rather than spin.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let ctx = ctx.clone();
        let alive = alive.clone();
        let joining = joining.clone();
        match slots.clone().try_acquire_owned() {
            Ok(permit) => {
                tokio::spawn(async move {
                    handle(stream, ctx, joining).await;
                    drop(permit);
                    drop(alive);
                });
            }
            Err(_) => {
                tokio::spawn(async move {
                    let (_, mut w) = stream.into_split();
                    send_bye(&mut w, Bye::refused("this drill has too many connections")).await;
                    drop(alive);
                });
            }
        }
    }
}

/// Sends a last frame, bounded in time, and closes the writing side.
async fn send_bye<W: AsyncWrite + Unpin>(w: &mut W, bye: Bye) {
    let _ = timeout(WRITE_TIMEOUT, async {
        write_frame(w, &Frame::Bye(bye)).await?;
        w.shutdown().await
    })
    .await;
}

/// The drill as a Query answer.
pub fn info(ctx: &ServeCtx) -> Info {
    let state = ctx.room.state();
    let state = state.borrow();
    let d = &state.drill;
    let s = &d.scenario;
    let phase = match &d.status {
        crate::drill::Status::Ended(r) => format!("ended: {r}"),
        _ if state.closed.is_some() => "closing".to_string(),
        _ if !state.started => "briefing".to_string(),
        crate::drill::Status::Paused => "paused".to_string(),
        crate::drill::Status::Running => "running".to_string(),
    };
    Info {
        version: VERSION,
        name: ctx.name.clone(),
        scenario: s.meta.id.clone(),
        title: s.meta.title.clone(),
        host: ctx.host.clone(),
        state: phase,
        beat: d.beat,
        bar_beat: s.bar_beat(d.beat),
        bpm: d.bpm,
        seats: d
            .seats
            .iter()
            .map(|x| InfoSeat {
                name: x.name.clone(),
                role: x.role.clone(),
                present: x.present,
            })
            .collect(),
        roles: s.roles.iter().map(|r| r.id.clone()).collect(),
    }
}

/// A seat name as the drill keeps it: no control characters, at most 64 characters.
pub fn clean_seat_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect::<String>()
        .trim()
        .to_string()
}

async fn handle(stream: UnixStream, ctx: Arc<ServeCtx>, joining: Arc<tokio::sync::Mutex<()>>) {
    let (mut rd, mut wr) = stream.into_split();
    let first = match timeout(HELLO_TIMEOUT, read_frame(&mut rd)).await {
        Err(_) => {
            let reason = format!(
                "protocol error: no hello within {} s",
                HELLO_TIMEOUT.as_secs()
            );
            return send_bye(&mut wr, Bye::refused(reason)).await;
        }
        Ok(Ok(None)) => return,
        Ok(Err(e)) => {
            return send_bye(&mut wr, Bye::refused(format!("protocol error: {e}"))).await;
        }
        Ok(Ok(Some(f))) => f,
    };
    match first {
        Frame::Query => {
            let frame = Frame::Info(Box::new(info(&ctx)));
            let _ = timeout(WRITE_TIMEOUT, async {
                write_frame(&mut wr, &frame).await?;
                wr.shutdown().await
            })
            .await;
        }
        Frame::Hello(hello) => seat(rd, wr, hello, &ctx, &joining).await,
        other => {
            let reason = format!(
                "protocol error: expected a hello or query frame first, got {}",
                other.kind().name()
            );
            send_bye(&mut wr, Bye::refused(reason)).await;
        }
    }
}

/// Checks a Hello against the drill; the refusal is the Bye reason.
async fn admit(hello: &Hello, ctx: &ServeCtx) -> Result<String, String> {
    if hello.version != VERSION {
        return Err(format!(
            "this drill speaks protocol {VERSION} and your gamelan speaks {}; join with the host's gamelan version",
            hello.version
        ));
    }
    let name = clean_seat_name(&hello.name);
    if name.is_empty() {
        return Err("a seat needs a name (set $USER or pass --as NAME)".into());
    }
    let scenario = ctx.room.drill().scenario.clone();
    if let Some(role) = &hello.role
        && scenario.role(role).is_none()
    {
        let roles: Vec<&str> = scenario.roles.iter().map(|r| r.id.as_str()).collect();
        return Err(if roles.is_empty() {
            format!(
                "no role `{role}` in {}: it has no roles; join without --role",
                scenario.meta.id
            )
        } else {
            format!(
                "no role `{role}` in {}; pick one of: {}",
                scenario.meta.id,
                roles.join(", ")
            )
        });
    }
    // A seat whose terminal just vanished may not have left yet: give it a moment.
    let mut state = ctx.room.state();
    let taken =
        |s: &crate::room::RoomState| s.drill.seats.iter().any(|x| x.present && x.name == name);
    let free = timeout(Duration::from_millis(1500), state.wait_for(|s| !taken(s))).await;
    if !matches!(free, Ok(Ok(_))) {
        return Err(format!(
            "the seat name `{name}` is taken by someone in the drill; join with --as ANOTHER-NAME"
        ));
    }
    Ok(name)
}

async fn seat(
    mut rd: tokio::net::unix::OwnedReadHalf,
    mut wr: tokio::net::unix::OwnedWriteHalf,
    hello: Hello,
    ctx: &ServeCtx,
    joining: &tokio::sync::Mutex<()>,
) {
    let admitted = {
        let _one_at_a_time = joining.lock().await;
        match admit(&hello, ctx).await {
            Ok(name) => ctx.room.join(&name, hello.role.as_deref()).await,
            Err(reason) => Err(reason),
        }
    };
    let seat = match admitted {
        Ok(s) => s,
        Err(reason) => return send_bye(&mut wr, Bye::refused(reason)).await,
    };
    let (in_tx, in_rx) = mpsc::channel::<SeatIn>(64);
    let (out_tx, mut out_rx) = mpsc::channel::<Vec<u8>>(OUTPUT_QUEUE);
    let (bye_tx, bye_rx) = oneshot::channel::<Bye>();
    let problem: Arc<Mutex<Option<String>>> = Arc::default();
    let peer_gone = Arc::new(Notify::new());

    // Reads the peer's frames into the seat until it leaves, breaks the protocol or stops
    // reading its output.
    let reader = {
        let problem = problem.clone();
        let peer_gone = peer_gone.clone();
        tokio::spawn(async move {
            let note = |p: String| {
                if let Ok(mut slot) = problem.lock() {
                    slot.get_or_insert(p);
                }
            };
            loop {
                let frame = tokio::select! {
                    f = read_frame(&mut rd) => f,
                    _ = peer_gone.notified() => {
                        note(format!(
                            "your terminal stopped reading for {} s",
                            WRITE_TIMEOUT.as_secs()
                        ));
                        break;
                    }
                };
                let msg = match frame {
                    Ok(Some(Frame::Input(b))) => SeatIn::Bytes(b),
                    Ok(Some(Frame::Resize { cols, rows })) => SeatIn::Resize { cols, rows },
                    Ok(Some(Frame::Bye(_)) | None) => break,
                    Ok(Some(other)) => {
                        note(format!(
                            "protocol error: unexpected {} frame from a seat",
                            other.kind().name()
                        ));
                        break;
                    }
                    Err(e) => {
                        note(format!("protocol error: {e}"));
                        break;
                    }
                };
                if in_tx.send(msg).await.is_err() {
                    break;
                }
            }
            // Dropping `in_tx` ends the seat: `drive` sends Leave and returns.
        })
    };

    // Drains the seat's bounded output queue onto the socket. A write that blocks too long
    // marks the peer gone; from then on frames are discarded so the seat never waits on it.
    let writer = {
        let peer_gone = peer_gone.clone();
        tokio::spawn(async move {
            let mut alive = true;
            while let Some(bytes) = out_rx.recv().await {
                if !alive {
                    continue;
                }
                let sent =
                    timeout(WRITE_TIMEOUT, write_frame(&mut wr, &Frame::Output(bytes))).await;
                if !matches!(sent, Ok(Ok(()))) {
                    alive = false;
                    peer_gone.notify_one();
                }
            }
            if alive && let Ok(bye) = bye_rx.await {
                send_bye(&mut wr, bye).await;
            }
        })
    };

    let (cols, rows) = remote::clamp_size(u32::from(hello.cols), u32::from(hello.rows));
    let ended = remote::drive(
        ctx.room.clone(),
        seat,
        ctx.theme.clone(),
        (cols, rows),
        in_rx,
        out_tx,
    )
    .await;
    reader.abort();
    let _ = reader.await;
    if ended.is_err() {
        // `drive` leaves the room itself except when drawing failed; don't strand the seat
        // as present (its name could never be taken back).
        let _ = ctx.room.send(seat, crate::drill::Action::Leave).await;
    }
    let problem = problem.lock().ok().and_then(|mut p| p.take());
    let reason = match (problem, ended) {
        (Some(p), _) => p,
        (None, Ok(r)) => r,
        (None, Err(e)) => format!("the seat failed: {e}"),
    };
    let _ = bye_tx.send(Bye::new(reason));
    let _ = writer.await;
}

/// Asks the drill at `path` what it is: `Ok(None)` when the socket is stale (and left alone).
pub async fn query(path: &Path, wait: Duration) -> io::Result<Option<Info>> {
    let mut stream = match UnixStream::connect(path).await {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => return Ok(None),
        Err(e) => return Err(e),
    };
    let asked = timeout(wait, async {
        write_frame(&mut stream, &Frame::Query).await?;
        read_frame(&mut stream)
            .await
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
    })
    .await;
    match asked {
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the host did not answer",
        )),
        Ok(Err(e)) => Err(e),
        Ok(Ok(Some(Frame::Info(info)))) => Ok(Some(*info)),
        Ok(Ok(Some(Frame::Bye(b)))) => Err(io::Error::other(b.reason)),
        Ok(Ok(other)) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "unexpected answer: {}",
                other.map_or("end of stream", |f| f.kind().name())
            ),
        )),
    }
}

// ---- the joining side ----

/// How a joined terminal's pipe ended.
#[derive(Debug, PartialEq, Eq)]
pub enum PipeEnd {
    /// The host said goodbye (the drill ended, the seat left, or it refused the join).
    Bye(Bye),
    /// The connection closed without a goodbye.
    Eof,
    /// The connection broke or the host broke the protocol.
    Error(String),
}

impl PipeEnd {
    /// The line to print once the terminal is back.
    pub fn message(&self) -> String {
        match self {
            PipeEnd::Bye(b) => b.reason.clone(),
            PipeEnd::Eof => "the host went away without saying goodbye (did it crash?)".into(),
            PipeEnd::Error(e) => format!("the connection to the host broke: {e}"),
        }
    }

    /// A clean ending: the drill ended or the seat left.
    pub fn is_clean(&self) -> bool {
        matches!(self, PipeEnd::Bye(b) if !b.refused)
    }
}

/// The joining side's pipe: sends `hello`, then forwards `keys` (raw bytes from the terminal)
/// as Input and `sizes` as Resize, and writes every Output to `screen`, until a Bye or the end
/// of the connection. When `keys` closes the seat leaves. If the host vanished mid-drill the
/// console's escape codes are undone on `screen` (the caller restores raw mode).
pub async fn pipe<S, W>(
    stream: S,
    hello: Hello,
    mut keys: mpsc::Receiver<Vec<u8>>,
    mut sizes: mpsc::Receiver<(u16, u16)>,
    screen: &mut W,
) -> PipeEnd
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    W: Write,
{
    let (mut rd, mut wr) = tokio::io::split(stream);
    if let Err(e) = write_frame(&mut wr, &Frame::Hello(hello)).await {
        return PipeEnd::Error(e.to_string());
    }
    let mut drawn = false;
    let mut keys_open = true;
    let mut sizes_open = true;
    // Frames are read in their own task so that a half-read frame is never dropped by select.
    let (frames_tx, mut frames) = mpsc::channel(4);
    let read_task = tokio::spawn(async move {
        loop {
            let f = read_frame(&mut rd).await;
            let last = !matches!(f, Ok(Some(_)));
            if frames_tx.send(f).await.is_err() || last {
                break;
            }
        }
    });
    let end = loop {
        tokio::select! {
            f = frames.recv() => match f {
                Some(Ok(Some(Frame::Output(b)))) => {
                    drawn = true;
                    if let Err(e) = screen.write_all(&b).and_then(|()| screen.flush()) {
                        break PipeEnd::Error(format!("cannot write to the terminal: {e}"));
                    }
                }
                Some(Ok(Some(Frame::Bye(b)))) => break PipeEnd::Bye(b),
                Some(Ok(Some(other))) => {
                    break PipeEnd::Error(format!("unexpected {} frame from the host", other.kind().name()))
                }
                Some(Ok(None)) | None => break PipeEnd::Eof,
                Some(Err(e)) => break PipeEnd::Error(e.to_string()),
            },
            k = keys.recv(), if keys_open => match k {
                Some(bytes) => {
                    if let Err(e) = write_frame(&mut wr, &Frame::Input(bytes)).await {
                        break PipeEnd::Error(e.to_string());
                    }
                }
                None => {
                    // The terminal's input closed: leave the seat and wait for the goodbye.
                    keys_open = false;
                    let _ = write_frame(&mut wr, &Frame::Bye(Bye::new("input closed"))).await;
                }
            },
            s = sizes.recv(), if sizes_open => match s {
                Some((cols, rows)) => {
                    if let Err(e) = write_frame(&mut wr, &Frame::Resize { cols, rows }).await {
                        break PipeEnd::Error(e.to_string());
                    }
                }
                None => sizes_open = false,
            },
        }
    };
    read_task.abort();
    if drawn && !matches!(end, PipeEnd::Bye(_)) {
        let _ = screen
            .write_all(remote::LEAVE)
            .and_then(|()| screen.flush());
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(f: Frame) {
        let bytes = encode(&f);
        let (back, used) = decode(&bytes).unwrap().unwrap();
        assert_eq!(back, f);
        assert_eq!(used, bytes.len());
    }

    #[test]
    fn every_frame_roundtrips() {
        roundtrip(Frame::Hello(Hello {
            version: VERSION,
            name: "ana".into(),
            role: Some("operator".into()),
            cols: 80,
            rows: 24,
        }));
        roundtrip(Frame::Query);
        roundtrip(Frame::Info(Box::new(Info {
            version: VERSION,
            name: "d".into(),
            scenario: "bad-deploy".into(),
            title: "T".into(),
            host: "ana".into(),
            state: "running".into(),
            beat: 12,
            bar_beat: "4:1".into(),
            bpm: 120,
            seats: vec![InfoSeat {
                name: "bo".into(),
                role: None,
                present: true,
            }],
            roles: vec!["operator".into()],
        })));
        roundtrip(Frame::Input(b"a\x1b[A".to_vec()));
        roundtrip(Frame::Output(vec![0, 1, 2, 255]));
        roundtrip(Frame::Output(Vec::new()));
        roundtrip(Frame::Resize {
            cols: 500,
            rows: 0xfffe,
        });
        roundtrip(Frame::Bye(Bye::refused("no")));
    }

    #[test]
    fn header_layout_is_type_then_big_endian_length() {
        let b = encode(&Frame::Resize { cols: 80, rows: 24 });
        assert_eq!(b, [6, 0, 0, 0, 4, 0, 80, 0, 24]);
        let b = encode(&Frame::Input(b"q".to_vec()));
        assert_eq!(b, [4, 0, 0, 0, 1, b'q']);
    }

    #[test]
    fn partial_input_asks_for_more() {
        let b = encode(&Frame::Input(b"hello".to_vec()));
        for cut in 0..b.len() {
            assert!(decode(&b[..cut]).unwrap().is_none(), "cut at {cut}");
        }
    }

    #[test]
    fn two_frames_in_one_buffer() {
        let mut b = encode(&Frame::Input(b"a".to_vec()));
        b.extend(encode(&Frame::Resize { cols: 1, rows: 2 }));
        let (f, n) = decode(&b).unwrap().unwrap();
        assert_eq!(f, Frame::Input(b"a".to_vec()));
        let (g, _) = decode(&b[n..]).unwrap().unwrap();
        assert_eq!(g, Frame::Resize { cols: 1, rows: 2 });
    }

    #[test]
    fn bad_frames_are_errors_not_panics() {
        assert!(matches!(
            decode(b"GET / HTTP/1.1\r\n"),
            Err(FrameError::UnknownType(b'G'))
        ));
        assert!(matches!(
            decode(&[0, 0, 0, 0, 0]),
            Err(FrameError::UnknownType(0))
        ));
        // Oversized: judged from the header alone, nothing allocated.
        let e = decode(&[5, 0xff, 0xff, 0xff, 0xff]).unwrap_err();
        assert!(matches!(e, FrameError::TooLong { len: u32::MAX, .. }));
        assert!(e.to_string().contains("over the 1048576-byte limit"), "{e}");
        let mut just = vec![5];
        just.extend(((MAX_FRAME + 1) as u32).to_be_bytes());
        assert!(matches!(decode(&just), Err(FrameError::TooLong { .. })));
        let mut bad = vec![1];
        bad.extend(3u32.to_be_bytes());
        bad.extend(b"{x}");
        let e = decode(&bad).unwrap_err();
        assert!(e.to_string().starts_with("bad hello frame"), "{e}");
        let mut no_version = vec![1];
        no_version.extend(2u32.to_be_bytes());
        no_version.extend(b"{}");
        assert!(decode(&no_version).is_err());
        let mut short = vec![6];
        short.extend(3u32.to_be_bytes());
        short.extend([0, 1, 2]);
        let e = decode(&short).unwrap_err();
        assert!(e.to_string().contains("expected 4"), "{e}");
    }

    #[test]
    fn a_frame_at_the_limit_is_fine_and_long_output_is_split() {
        let mut at = vec![5];
        at.extend((MAX_FRAME as u32).to_be_bytes());
        at.resize(HEADER_LEN + MAX_FRAME, 7);
        let (f, _) = decode(&at).unwrap().unwrap();
        assert!(matches!(f, Frame::Output(b) if b.len() == MAX_FRAME));

        let big = vec![b'x'; MAX_FRAME * 2 + 10];
        let wire = encode(&Frame::Output(big.clone()));
        let mut rest = &wire[..];
        let mut joined = Vec::new();
        let mut frames = 0;
        while let Some((Frame::Output(b), n)) = decode(rest).unwrap() {
            joined.extend(b);
            rest = &rest[n..];
            frames += 1;
        }
        assert_eq!(frames, 3);
        assert_eq!(joined, big);
    }

    #[test]
    fn json_frames_tolerate_unknown_fields() {
        let mut b = vec![1];
        let body = br#"{"version":1,"name":"x","future":true}"#;
        b.extend((body.len() as u32).to_be_bytes());
        b.extend(body);
        let (f, _) = decode(&b).unwrap().unwrap();
        assert!(matches!(f, Frame::Hello(h) if h.name == "x" && h.role.is_none()));
    }

    #[tokio::test]
    async fn reader_tells_clean_end_from_truncation() {
        let mut empty: &[u8] = &[];
        assert!(read_frame(&mut empty).await.unwrap().is_none());
        let mut half: &[u8] = &[4, 0, 0];
        assert!(matches!(
            read_frame(&mut half).await,
            Err(FrameError::Truncated {
                expected: 5,
                got: 3
            })
        ));
        let mut cut: &[u8] = &[4, 0, 0, 0, 10, b'a', b'b'];
        let e = read_frame(&mut cut).await.unwrap_err();
        assert!(e.to_string().contains("after 7 of 15 bytes"), "{e}");
        let mut junk: &[u8] = &[0x99];
        assert!(matches!(
            read_frame(&mut junk).await,
            Err(FrameError::UnknownType(0x99))
        ));
        let mut two: Vec<u8> = encode(&Frame::Query);
        two.extend(encode(&Frame::Bye(Bye::new("x"))));
        let mut r = &two[..];
        assert_eq!(read_frame(&mut r).await.unwrap(), Some(Frame::Query));
        assert_eq!(
            read_frame(&mut r).await.unwrap(),
            Some(Frame::Bye(Bye::new("x")))
        );
        assert!(read_frame(&mut r).await.unwrap().is_none());
    }

    #[test]
    fn names_are_file_names() {
        assert!(check_name("bad-deploy").is_ok());
        assert!(check_name("team_a.2").is_ok());
        for bad in ["", ".hidden", "a/b", "..", "x y", &"n".repeat(41)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn pipe_forwards_both_ways_and_reports_the_bye() {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (key_tx, keys) = mpsc::channel(4);
        let (size_tx, sizes) = mpsc::channel(4);
        let host = tokio::spawn(async move {
            let (mut rd, mut wr) = tokio::io::split(server);
            let hello = read_frame(&mut rd).await.unwrap().unwrap();
            assert!(matches!(hello, Frame::Hello(h) if h.name == "bo" && h.cols == 80));
            write_frame(&mut wr, &Frame::Output(b"drawn".to_vec()))
                .await
                .unwrap();
            assert_eq!(
                read_frame(&mut rd).await.unwrap(),
                Some(Frame::Input(b"a".to_vec()))
            );
            assert_eq!(
                read_frame(&mut rd).await.unwrap(),
                Some(Frame::Resize {
                    cols: 100,
                    rows: 30
                })
            );
            write_frame(&mut wr, &Frame::Bye(Bye::new("the drill ended")))
                .await
                .unwrap();
        });
        key_tx.send(b"a".to_vec()).await.unwrap();
        let hello = Hello {
            version: VERSION,
            name: "bo".into(),
            role: None,
            cols: 80,
            rows: 24,
        };
        let sender = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            size_tx.send((100, 30)).await.unwrap();
            size_tx
        });
        let mut screen = Vec::new();
        let end = pipe(client, hello, keys, sizes, &mut screen).await;
        host.await.unwrap();
        drop(sender.await);
        assert_eq!(end, PipeEnd::Bye(Bye::new("the drill ended")));
        assert!(end.is_clean());
        assert_eq!(screen, b"drawn");
    }

    #[tokio::test]
    async fn pipe_gives_the_screen_back_when_the_host_vanishes() {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (_key_tx, keys) = mpsc::channel(4);
        let (_size_tx, sizes) = mpsc::channel(4);
        tokio::spawn(async move {
            let (mut rd, mut wr) = tokio::io::split(server);
            let _ = read_frame(&mut rd).await;
            write_frame(&mut wr, &Frame::Output(remote::ENTER.to_vec()))
                .await
                .unwrap();
            // Dropped without a Bye.
        });
        let hello = Hello {
            version: VERSION,
            name: "bo".into(),
            role: None,
            cols: 80,
            rows: 24,
        };
        let mut screen = Vec::new();
        let end = pipe(client, hello, keys, sizes, &mut screen).await;
        assert_eq!(end, PipeEnd::Eof);
        assert!(!end.is_clean());
        assert!(screen.ends_with(remote::LEAVE));
    }
}
