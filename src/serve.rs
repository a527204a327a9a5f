//! `gamelan serve`: an SSH server (russh) where every session channel is a seat. A player runs
//! `ssh -p PORT NAME@HOST`, picks an open drill or a scenario and a role in the lobby, and then
//! plays in a [`remote::drive`] seat rendered at their window's size. The SSH user name is the
//! seat's name. Only public keys listed in the authorized_keys file get in; the file is read
//! afresh at every login, so edits apply without a restart.
//!
//! One process holds many drills: a [`Registry`] of open rooms, each a [`Room`] task with a
//! recording in the data directory. A drill lives while any seat is connected; a dropped
//! client's seat waits for it (`--linger`), and the same name takes it back.
//!
//! Every channel is three tasks that never wait on one another unboundedly: the russh session
//! (input bytes and window changes go into a bounded queue with `try_send`, so a flood of
//! bytes is dropped rather than stalling the session), the seat (lobby, then `drive`, which
//! drops frames when its bounded output queue is full) and a drain task that hands frames to
//! the session (and is the only thing that waits for a slow or stopped client).

pub mod keys;
pub mod lobby;
pub mod registry;

pub use registry::{Departure, Registry, RoomInfo};

use crate::config::{Paths, Settings};
use crate::drill::{Drill, SeatId};
use crate::record::{self, Recorder};
use crate::room::Room;
use crate::scenario::{self, Catalogue};
use crate::seat::keys::KeyParser;
use crate::seat::remote::{self, ENTER, LEAVE, PeerBackend, SeatIn, Sink, clamp_size};
use crate::ui::text::clean;
use crate::ui::theme::{self, Theme};
use color_eyre::eyre::{Result, eyre};
use keys::AuthorizedKeys;
use lobby::{Pick, SshLobby};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use russh::keys::{HashAlg, PublicKey};
use russh::server::{
    Auth, ChannelOpenHandle, Handle, Handler, Msg, PublicKeyOffer, Server, Session,
    VerifiedPublicKey,
};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};
use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

/// Input chunks queued per channel before further bytes are dropped.
const INPUT_CHUNKS: usize = 256;
/// Frames queued per channel before `drive` starts dropping them (and redraws in full later).
const OUTPUT_FRAMES: usize = 8;
/// The size of a seat whose client asked for no pty.
const DEFAULT_SIZE: (u16, u16) = (80, 24);

/// `gamelan serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free one. The address is printed.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:2222")]
    pub listen: String,
    /// OpenSSH authorized_keys file: only these public keys get in. Read at every login.
    #[arg(long, value_name = "FILE")]
    pub authorized_keys: PathBuf,
    /// The server's private host key (OpenSSH format). Generated (ed25519, mode 0600) when
    /// missing. Default: ssh_host_ed25519_key in the data directory.
    #[arg(long, value_name = "FILE")]
    pub host_key: Option<PathBuf>,
    /// Tempo of drills started here, in BPM (default: config.toml's `tempo`, else the
    /// scenario's).
    #[arg(long, value_name = "BPM")]
    pub tempo: Option<u32>,
    /// Seconds a drill stays open for a player whose connection dropped, once nobody is left.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub linger: u64,
}

/// What every connection shares.
pub struct Ctx {
    pub paths: Paths,
    pub theme: Theme,
    pub authorized_keys: PathBuf,
    pub registry: Arc<Registry>,
    pub tempo: Option<u32>,
    /// Channels with a seat task running.
    pub live: AtomicUsize,
}

/// Runs `gamelan serve` until SIGINT or SIGTERM; then every drill is closed and every seat is
/// told why before the process exits.
pub fn run(
    paths: &Paths,
    settings: &Settings,
    theme_flag: Option<&str>,
    args: &ServeArgs,
) -> Result<()> {
    let host_key_path = args
        .host_key
        .clone()
        .unwrap_or_else(|| paths.data.join("ssh_host_ed25519_key"));
    let (host_key, warning) = keys::host_key(&host_key_path).map_err(|e| eyre!("{e}"))?;
    if let Some(w) = warning {
        eprintln!("{w}");
    }
    match AuthorizedKeys::load(&args.authorized_keys) {
        Ok(ak) => {
            for n in &ak.unreadable {
                eprintln!(
                    "warning: {}:{n}: no public key gamelan can read on this line",
                    args.authorized_keys.display()
                );
            }
            if ak.keys.is_empty() {
                eprintln!(
                    "warning: {} lists no keys yet; nobody can log in until it does",
                    args.authorized_keys.display()
                );
            }
        }
        Err(e) => eprintln!(
            "warning: {}: {e}; nobody can log in until it can be read",
            args.authorized_keys.display()
        ),
    }
    let (theme, problems) = theme::resolve(theme_flag, settings.theme.as_deref(), &paths.themes());
    for d in problems {
        eprintln!("{d} (using {})", theme.name());
    }
    let ctx = Arc::new(Ctx {
        paths: paths.clone(),
        theme,
        authorized_keys: args.authorized_keys.clone(),
        registry: Registry::new(Duration::from_secs(args.linger)),
        tempo: args.tempo.or(settings.tempo),
        live: AtomicUsize::new(0),
    });
    let fingerprint = host_key.public_key().fingerprint(HashAlg::Sha256);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| eyre!("cannot listen on {}: {e}", args.listen))?;
        let addr = listener.local_addr()?;
        println!("gamelan serve: listening on {addr} (host key {fingerprint})");
        let mut server = SeatServer { ctx: ctx.clone() };
        let running = server.run_on_socket(Arc::new(config(host_key)), &listener);
        let handle = running.handle();
        tokio::select! {
            r = running => r.map_err(|e| eyre!("ssh server: {e}"))?,
            () = stop_signal() => {
                eprintln!("gamelan serve: stopping; closing {} drill(s)", ctx.registry.len());
                ctx.registry.close_all("the server is shutting down").await;
                let deadline = Instant::now() + Duration::from_secs(3);
                while ctx.live.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                handle.shutdown("gamelan serve stopped".into());
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        Ok(())
    })
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The russh configuration: publickey only, keepalives to notice dead peers.
pub fn config(host_key: russh::keys::PrivateKey) -> russh::server::Config {
    let mut methods = MethodSet::empty();
    methods.push(MethodKind::PublicKey);
    russh::server::Config {
        methods,
        keys: vec![host_key],
        auth_rejection_time: Duration::from_millis(500),
        auth_rejection_time_initial: Some(Duration::ZERO),
        // Keepalives (answered by any live client, however idle its player) find dead and
        // stopped peers within about a minute. The inactivity timeout also bounds a write to a
        // peer whose TCP window stays shut (a stopped `ssh`), which keepalives cannot.
        inactivity_timeout: Some(Duration::from_secs(180)),
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 4,
        nodelay: true,
        ..Default::default()
    }
}

struct SeatServer {
    ctx: Arc<Ctx>,
}

impl Server for SeatServer {
    type Handler = Conn;

    fn new_client(&mut self, peer: Option<SocketAddr>) -> Conn {
        Conn {
            ctx: self.ctx.clone(),
            peer,
            user: String::new(),
            channels: HashMap::new(),
        }
    }
}

/// One SSH connection.
pub struct Conn {
    ctx: Arc<Ctx>,
    peer: Option<SocketAddr>,
    user: String,
    channels: HashMap<ChannelId, Chan>,
}

#[derive(Default)]
struct Chan {
    size: Option<(u16, u16)>,
    /// Set once the shell (or command) started: where input goes.
    input: Option<mpsc::Sender<SeatIn>>,
}

impl Conn {
    /// Whether `key` is listed right now (the file is read at every call).
    fn listed(&self, key: &PublicKey) -> bool {
        match AuthorizedKeys::load(&self.ctx.authorized_keys) {
            Ok(ak) => ak.allows(key),
            Err(e) => {
                eprintln!(
                    "gamelan serve: {}: {e}; refusing every key",
                    self.ctx.authorized_keys.display()
                );
                false
            }
        }
    }

    fn peer(&self) -> String {
        self.peer.map_or_else(|| "?".into(), |p| p.to_string())
    }

    /// Starts the seat task of `channel`.
    fn start(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
        direct: Option<Direct>,
    ) -> Result<(), russh::Error> {
        let Some(chan) = self.channels.get_mut(&channel) else {
            return session.channel_failure(channel);
        };
        if chan.input.is_some() {
            return session.channel_failure(channel);
        }
        let (tx, rx) = mpsc::channel(INPUT_CHUNKS);
        chan.input = Some(tx);
        let size = chan.size.unwrap_or(DEFAULT_SIZE);
        session.channel_success(channel)?;
        let ctx = self.ctx.clone();
        let handle = session.handle();
        let user = self.user.clone();
        ctx.live.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            seat_channel(&ctx, handle, channel, &user, size, rx, direct).await;
            ctx.live.fetch_sub(1, Ordering::SeqCst);
        });
        Ok(())
    }

    fn send(&mut self, channel: ChannelId, msg: SeatIn) {
        if let Some(tx) = self.channels.get(&channel).and_then(|c| c.input.as_ref()) {
            // Never wait here: this runs inside the session's loop.
            let _ = tx.try_send(msg);
        }
    }
}

impl Handler for Conn {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(&[MethodKind::PublicKey][..])),
            partial_success: false,
        })
    }

    async fn auth_password(&mut self, user: &str, _: &str) -> Result<Auth, Self::Error> {
        eprintln!(
            "gamelan serve: refused a password for {:?} from {}",
            clean(user),
            self.peer()
        );
        Ok(Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(&[MethodKind::PublicKey][..])),
            partial_success: false,
        })
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        _: &str,
        _: &str,
        _: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        Ok(Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(&[MethodKind::PublicKey][..])),
            partial_success: false,
        })
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(if self.listed(offer.public_key) {
            Auth::Accept
        } else {
            Auth::reject()
        })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        if !self.listed(key.public_key) {
            eprintln!(
                "gamelan serve: refused {} for {:?} from {} (not in {})",
                key.public_key.fingerprint(HashAlg::Sha256),
                clean(user),
                self.peer(),
                self.ctx.authorized_keys.display()
            );
            return Ok(Auth::reject());
        }
        self.user = user.to_string();
        eprintln!(
            "gamelan serve: {:?} logged in from {} ({})",
            clean(user),
            self.peer(),
            key.public_key.fingerprint(HashAlg::Sha256)
        );
        Ok(Auth::Accept)
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channels.len() >= 8 {
            return Ok(()); // dropping the reply refuses the channel
        }
        self.channels.insert(channel.id(), Chan::default());
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        cols: u32,
        rows: u32,
        _: u32,
        _: u32,
        _: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(c) => {
                c.size = Some(if cols == 0 || rows == 0 {
                    DEFAULT_SIZE
                } else {
                    clamp_size(cols, rows)
                });
                session.channel_success(channel)
            }
            None => session.channel_failure(channel),
        }
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.start(channel, session, None)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let command = String::from_utf8_lossy(data).into_owned();
        self.start(channel, session, Some(Direct::parse(&command)))
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.send(channel, SeatIn::Bytes(data.to_vec()));
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        cols: u32,
        rows: u32,
        _: u32,
        _: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if cols > 0 && rows > 0 {
            let (cols, rows) = clamp_size(cols, rows);
            if let Some(c) = self.channels.get_mut(&channel) {
                c.size = Some((cols, rows));
            }
            self.send(channel, SeatIn::Resize { cols, rows });
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // No more input: the seat leaves (dropping the sender ends it).
        if let Some(c) = self.channels.get_mut(&channel) {
            c.input = None;
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channels.remove(&channel);
        Ok(())
    }
}

/// A command given to `ssh HOST COMMAND`, which skips the lobby.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Direct {
    /// `new SCENARIO [ROLE]`
    New {
        scenario: String,
        role: Option<String>,
    },
    /// `join DRILL [ROLE]`
    Join { room: String, role: Option<String> },
    /// `list`
    List,
    /// Anything else: print the usage.
    Usage(String),
}

pub const USAGE: &str = "commands: new SCENARIO [ROLE] · join DRILL [ROLE] · list (ROLE: a role id, or solo); \
     with no command, the lobby";

impl Direct {
    pub fn parse(command: &str) -> Direct {
        let words: Vec<&str> = command.split_whitespace().collect();
        let role = |w: Option<&&str>| {
            w.filter(|r| !matches!(**r, "solo" | "all" | "-"))
                .map(|r| r.to_string())
        };
        match words.as_slice() {
            ["list"] | ["ls"] => Direct::List,
            ["new", s, rest @ ..] if rest.len() <= 1 => Direct::New {
                scenario: s.to_string(),
                role: role(rest.first()),
            },
            ["join", r, rest @ ..] if rest.len() <= 1 => Direct::Join {
                room: r.to_string(),
                role: role(rest.first()),
            },
            _ => Direct::Usage(format!("unknown command {:?}", clean(command))),
        }
    }
}

/// The name a seat gets for SSH user `user`: control characters dropped and at most 64
/// characters (what the drill core keeps, so that a returning player matches its seat).
pub fn seat_name(user: &str) -> String {
    let name = crate::drill::seat_name(user).trim().to_string();
    if name.is_empty() {
        "guest".into()
    } else {
        name
    }
}

/// One channel's life: the lobby (or a direct command), the seat, then the reason printed,
/// exit status sent and the channel closed.
async fn seat_channel(
    ctx: &Arc<Ctx>,
    handle: Handle,
    id: ChannelId,
    user: &str,
    size: (u16, u16),
    input: mpsc::Receiver<SeatIn>,
    direct: Option<Direct>,
) {
    let (out, out_rx) = mpsc::channel::<Vec<u8>>(OUTPUT_FRAMES);
    let drain = tokio::spawn(drain(handle.clone(), id, out_rx));
    let (message, status) = seat(ctx, user, size, input, out, direct).await;
    let _ = drain.await;
    if !message.is_empty() {
        let text: String = clean_lines(&message);
        let _ = handle.data(id, text.into_bytes()).await;
    }
    let _ = handle.exit_status_request(id, status).await;
    let _ = handle.eof(id).await;
    let _ = handle.close(id).await;
}

/// Text for the peer's terminal: control characters made visible, lines ended with CRLF.
fn clean_lines(text: &str) -> String {
    text.lines().map(|l| format!("{}\r\n", clean(l))).collect()
}

/// Hands frames to the SSH session. Several frames waiting are sent as one message. This is
/// the only task that waits for a slow client.
async fn drain(handle: Handle, id: ChannelId, mut rx: mpsc::Receiver<Vec<u8>>) {
    while let Some(mut bytes) = rx.recv().await {
        while let Ok(more) = rx.try_recv() {
            bytes.extend_from_slice(&more);
        }
        if handle.data(id, bytes).await.is_err() {
            break;
        }
    }
}

/// Chooses a drill and plays it; returns what to print and the exit status.
async fn seat(
    ctx: &Arc<Ctx>,
    user: &str,
    mut size: (u16, u16),
    mut input: mpsc::Receiver<SeatIn>,
    out: mpsc::Sender<Vec<u8>>,
    direct: Option<Direct>,
) -> (String, u32) {
    let name = seat_name(user);
    let chosen = match direct {
        None => lobby(ctx, &name, &mut size, &mut input, &out).await,
        Some(Direct::List) => return (listing(ctx), 0),
        Some(Direct::Usage(problem)) => return (format!("{problem}\n{USAGE}"), 2),
        Some(Direct::New { scenario, role }) => {
            let catalogue = Catalogue::load(Some(&ctx.paths.scenarios()));
            match scenario::find(&catalogue, &scenario) {
                Ok(entry) => seat_in_new(ctx, entry, &name, role.as_deref()).await,
                Err(_) => Err(format!(
                    "no scenario {:?}; `list` shows them",
                    clean(&scenario)
                )),
            }
        }
        Some(Direct::Join { room, role }) => {
            // A returning player keeps the role of its seat unless it names another.
            let role = role.or_else(|| {
                ctx.registry
                    .list()
                    .into_iter()
                    .find(|r| r.name == room)
                    .and_then(|r| r.absent_seat(&name).and_then(|s| s.role.clone()))
            });
            seat_in(ctx, &room, &name, role.as_deref()).await
        }
    };
    let (room, seat) = match chosen {
        Ok(x) => x,
        Err(message) => {
            let status = u32::from(!message.is_empty() && message != "gamelan: bye");
            return (message, status);
        }
    };
    let ended = remote::drive(room.clone(), seat, ctx.theme.clone(), size, input, out).await;
    let how = match &ended {
        Ok(r) if r == "disconnected" => Departure::Dropped,
        _ => Departure::Quit,
    };
    ctx.registry.detach(&room.name, &name, how);
    match ended {
        Ok(reason) => (format!("gamelan: {reason} ({})", room.name), 0),
        Err(e) => (format!("gamelan: {e}"), 1),
    }
}

/// Opens a new drill of `entry` (recorded to the data directory) and seats `name` in it.
async fn seat_in_new(
    ctx: &Arc<Ctx>,
    entry: scenario::Entry,
    name: &str,
    role: Option<&str>,
) -> Result<(Room, SeatId), String> {
    if let Some(r) = role
        && entry.scenario.role(r).is_none()
    {
        return Err(format!(
            "no role {:?} in {}; roles: {}, solo",
            clean(r),
            entry.scenario.meta.id,
            entry
                .scenario
                .roles
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut drill = Drill::new(entry.scenario.clone(), 1);
    if let Some(bpm) = ctx.tempo {
        drill.bpm = bpm.clamp(10, 600);
    }
    let recorder = recorder_for(ctx, &drill);
    let room = ctx.registry.open(drill, recorder)?;
    match room.join(name, role).await {
        Ok(seat) => Ok((room, seat)),
        Err(e) => {
            ctx.registry.detach(&room.name, name, Departure::Quit);
            Err(e)
        }
    }
}

/// A recorder in the data directory's recordings folder, or `None` (logged) when it cannot
/// be created: the drill runs unrecorded rather than not at all.
fn recorder_for(ctx: &Ctx, drill: &Drill) -> Option<Recorder> {
    let header = record::Header::for_drill(drill, Vec::new());
    let dir = ctx.paths.recordings();
    let mut last = None;
    for _ in 0..5 {
        // Two drills of one scenario started in the same second race for the same name.
        let path = record::default_path(&dir, &header);
        match Recorder::create(&path, &header) {
            Ok(r) => return Some(r),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => {
                last = Some(e);
                break;
            }
        }
    }
    if let Some(e) = last {
        eprintln!(
            "gamelan serve: not recording a {} drill: {e}",
            drill.scenario.meta.id
        );
    }
    None
}

/// Seats `name` in the open drill `room` (its old seat, if it had one).
async fn seat_in(
    ctx: &Arc<Ctx>,
    room: &str,
    name: &str,
    role: Option<&str>,
) -> Result<(Room, SeatId), String> {
    let Some(r) = ctx.registry.attach(room, name) else {
        return Err(format!(
            "no open drill {:?}; `list` shows them",
            clean(room)
        ));
    };
    match r.join(name, role).await {
        Ok(seat) => Ok((r, seat)),
        Err(e) => {
            ctx.registry.detach(room, name, Departure::Quit);
            Err(e)
        }
    }
}

/// `ssh HOST list`.
fn listing(ctx: &Ctx) -> String {
    let mut out = String::from("open drills:\n");
    let rooms = ctx.registry.list();
    if rooms.is_empty() {
        out.push_str("  (none)\n");
    }
    for r in rooms {
        let seats: Vec<String> = r
            .seats
            .iter()
            .map(|s| {
                format!(
                    "{} ({}{})",
                    clean(&s.name),
                    s.role.as_deref().unwrap_or("solo"),
                    if s.present { "" } else { ", away" }
                )
            })
            .collect();
        out.push_str(&format!(
            "  {}  {} {}  {}\n",
            r.name,
            r.status,
            r.at,
            seats.join(", ")
        ));
    }
    out.push_str("scenarios:\n");
    let catalogue = Catalogue::load(Some(&ctx.paths.scenarios()));
    for e in &catalogue.entries {
        let s = &e.scenario;
        let roles: Vec<&str> = s.roles.iter().map(|r| r.id.as_str()).collect();
        out.push_str(&format!(
            "  {}  {} (roles: {})\n",
            clean(&s.meta.id),
            clean(&s.meta.title),
            roles.join(", ")
        ));
    }
    out.push_str(USAGE);
    out
}

/// The lobby's virtual screen at the peer's size; sends only what changed.
struct LobbyScreen {
    terminal: Terminal<PeerBackend<Sink>>,
    sink: Sink,
    full: bool,
}

impl LobbyScreen {
    fn new((cols, rows): (u16, u16)) -> io::Result<LobbyScreen> {
        let sink = Sink::default();
        let terminal = Terminal::with_options(
            PeerBackend::new(sink.clone(), cols, rows),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
            },
        )?;
        Ok(LobbyScreen {
            terminal,
            sink,
            full: true,
        })
    }

    /// Draws a frame and queues it; a frame the peer cannot take yet is dropped and the next
    /// one is drawn in full.
    fn show(
        &mut self,
        out: &mpsc::Sender<Vec<u8>>,
        draw: impl FnOnce(&mut Buffer, Rect),
    ) -> io::Result<()> {
        if self.full {
            self.terminal.clear()?;
        }
        self.terminal.draw(|f| {
            let area = f.area();
            draw(f.buffer_mut(), area);
        })?;
        let bytes = self.sink.take();
        self.full = out.try_send(bytes).is_err();
        Ok(())
    }
}

/// Runs the lobby until the player is seated (the room and seat), quits or drops (the
/// message to print; empty when there is nobody to print it to).
async fn lobby(
    ctx: &Arc<Ctx>,
    name: &str,
    size: &mut (u16, u16),
    input: &mut mpsc::Receiver<SeatIn>,
    out: &mpsc::Sender<Vec<u8>>,
) -> Result<(Room, SeatId), String> {
    let catalogue = Catalogue::load(Some(&ctx.paths.scenarios()));
    let mut lobby = SshLobby::new(name, catalogue, ctx.registry.list());
    lobby.tempo = ctx.tempo;
    let mut screen = LobbyScreen::new(*size).map_err(|e| e.to_string())?;
    let mut parser = KeyParser::default();
    let mut registry = ctx.registry.subscribe();
    let mut refresh = tokio::time::interval(Duration::from_secs(1));
    let _ = out.try_send(ENTER.to_vec());
    let mut dirty = true;
    let mut esc_deadline: Option<Instant> = None;
    loop {
        if dirty {
            screen
                .show(out, |buf, area| lobby.draw(buf, area, &ctx.theme))
                .map_err(|e| e.to_string())?;
            dirty = false;
        }
        let mut keys = Vec::new();
        tokio::select! {
            msg = input.recv() => match msg {
                None => return Err(String::new()),
                Some(SeatIn::Resize { cols, rows }) => {
                    *size = clamp_size(u32::from(cols), u32::from(rows));
                    screen.terminal.backend_mut().set_size(size.0, size.1);
                    screen.terminal.resize(Rect::new(0, 0, size.0, size.1)).map_err(|e| e.to_string())?;
                    screen.full = true;
                    dirty = true;
                }
                Some(SeatIn::Bytes(b)) => {
                    keys = parser.feed(&b);
                    esc_deadline = Some(Instant::now() + Duration::from_millis(40));
                }
            },
            changed = registry.changed() => {
                if changed.is_ok() {
                    dirty |= lobby.set_rooms(ctx.registry.list());
                }
            }
            _ = refresh.tick() => dirty |= lobby.set_rooms(ctx.registry.list()),
            _ = sleep_until(esc_deadline.unwrap_or_else(Instant::now)), if esc_deadline.is_some() => {
                esc_deadline = None;
                keys = parser.flush();
            }
        }
        for key in keys {
            dirty = true;
            let chosen = match lobby.on_key(key) {
                None => continue,
                Some(Pick::Quit) => {
                    let _ = out.send(LEAVE.to_vec()).await;
                    return Err("gamelan: bye".into());
                }
                Some(Pick::New { entry, role }) => {
                    let entry = lobby.catalogue.entries[entry].clone();
                    seat_in_new(ctx, entry, name, role.as_deref()).await
                }
                Some(Pick::Join { room, role }) => seat_in(ctx, &room, name, role.as_deref()).await,
            };
            match chosen {
                Ok(seated) => return Ok(seated),
                Err(e) => {
                    lobby.set_rooms(ctx.registry.list());
                    lobby.back(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse() {
        assert_eq!(
            Direct::parse("new bad-deploy operator"),
            Direct::New {
                scenario: "bad-deploy".into(),
                role: Some("operator".into())
            }
        );
        assert_eq!(
            Direct::parse(" join bad-deploy-1 solo "),
            Direct::Join {
                room: "bad-deploy-1".into(),
                role: None
            }
        );
        assert_eq!(Direct::parse("list"), Direct::List);
        assert!(matches!(Direct::parse("rm -rf /"), Direct::Usage(_)));
        assert!(matches!(Direct::parse(""), Direct::Usage(_)));
    }

    /// The property every channel relies on: a seat whose frames nobody takes (a stopped
    /// client) has its frames dropped, and the other seats of the drill keep their pace.
    #[tokio::test(start_paused = true)]
    async fn a_stalled_seat_drops_frames_and_never_slows_the_others() {
        let mut drill = Drill::new(crate::scenario::bundled().remove(0).scenario, 1);
        drill.bpm = 600;
        let room = Room::spawn("t".into(), drill, None);
        let a = room.join("ana", None).await.unwrap();
        let b = room.join("bo", None).await.unwrap();
        let (_a_keys, a_in) = mpsc::channel(8);
        let (a_out, mut a_frames) = mpsc::channel(OUTPUT_FRAMES);
        let (b_keys, b_in) = mpsc::channel(8);
        let (b_out, b_frames) = mpsc::channel(OUTPUT_FRAMES);
        let theme = Theme::default();
        tokio::spawn(remote::drive(
            room.clone(),
            a,
            theme.clone(),
            (80, 24),
            a_in,
            a_out,
        ));
        tokio::spawn(remote::drive(room.clone(), b, theme, (80, 24), b_in, b_out));
        room.start().await;
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut frames = 0;
        loop {
            tokio::select! {
                f = a_frames.recv() => { f.unwrap(); frames += 1; }
                _ = sleep_until(deadline) => break,
            }
        }
        let beats = room.drill().beat;
        assert!(beats >= 95, "100 beats in 10 s at 600 BPM, got {beats}");
        assert!(frames >= beats, "ana got {frames} frames for {beats} beats");
        assert_eq!(
            b_frames.len(),
            OUTPUT_FRAMES,
            "bo's queue is full, not growing"
        );
        // bo's seat still answers: its connection going away makes it leave.
        drop(b_keys);
        let mut state = room.state();
        tokio::time::timeout(
            Duration::from_secs(5),
            state.wait_for(|s| s.drill.seats.iter().any(|x| x.id == b && !x.present)),
        )
        .await
        .expect("bo left")
        .unwrap();
    }

    #[test]
    fn seat_names_match_what_the_core_keeps() {
        assert_eq!(seat_name("ana"), "ana");
        assert_eq!(seat_name("a\u{1b}[31mb\u{7}"), "a[31mb");
        assert_eq!(seat_name("\u{1b}"), "guest");
        assert_eq!(seat_name(&"x".repeat(100)).len(), 64);
    }
}
