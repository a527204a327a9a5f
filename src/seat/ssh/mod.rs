//! `gamelan serve`: an SSH server (russh) where every session channel is a seat. A player runs
//! `ssh -p PORT NAME@HOST`, picks an open drill or a scenario and a role in the lobby, and then
//! plays in a [`driver::drive`] seat rendered at their window's size. The SSH user name is the
//! seat's name (a second login of one name into one drill gets `NAME-2`). Each seat is drawn
//! for its own terminal: the colour depth its `TERM` (from the pty request), `COLORTERM` and
//! `NO_COLOR` (env requests, e.g. `ssh -o SetEnv=NO_COLOR=1`) call for, and the theme it picks
//! in the lobby. Only public keys listed in the authorized_keys file get in; the file is read
//! afresh at every login (off the session's thread), so edits apply without a restart.
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

pub mod auth;
mod channel;
mod command;
pub mod gate;
mod library;
mod lobby;
pub mod scenarios;
mod session;

pub use crate::room::registry::{Departure, Registry, RoomInfo};
pub use channel::*;
pub use command::*;
pub(crate) use lobby::lobby;

use crate::config::Paths;
use crate::seat::driver::{ColourDepth, SeatIn, clamp_size};
use crate::seat::ssh::auth::AuthorizedKeys;
use crate::ui::theme::Theme;
use crate::ui::widgets::text::clean;
use color_eyre::eyre::Result;
use russh::keys::{HashAlg, PublicKey};
use russh::server::{
    Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Server, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

/// Input chunks queued per channel before further bytes are dropped.
const INPUT_CHUNKS: usize = 256;
/// Frames queued per channel before `drive` starts dropping them (and redraws in full later).
const OUTPUT_FRAMES: usize = 8;
/// The size of a seat whose client asked for no pty.
const DEFAULT_SIZE: (u16, u16) = (80, 24);

/// What every connection shares.
pub struct Ctx {
    pub paths: Paths,
    pub theme: Theme,
    pub authorized_keys: PathBuf,
    pub registry: Arc<Registry>,
    /// The open sessions, beside the drills.
    pub sessions: Arc<crate::room::session::registry::SessionRegistry>,
    /// The scenarios on offer, read again only when their directory changed.
    pub scenarios: scenarios::Scenarios,
    pub tempo: Option<u32>,
    /// Channels with a seat task running.
    pub live: AtomicUsize,
    /// Turns true when the server is stopping: every lobby says so and lets its seat go.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

/// The russh configuration: publickey only, keepalives to notice dead peers. The login
/// grace and the connection caps are enforced around it, by [`gate`].
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

pub(crate) struct SeatServer {
    pub(crate) ctx: Arc<Ctx>,
}

impl Server for SeatServer {
    type Handler = Conn;

    fn new_client(&mut self, peer: Option<SocketAddr>) -> Conn {
        Conn {
            ctx: self.ctx.clone(),
            peer,
            user: String::new(),
            channels: HashMap::new(),
            ticket: None,
        }
    }
}

/// One SSH connection.
pub struct Conn {
    pub(crate) ctx: Arc<Ctx>,
    peer: Option<SocketAddr>,
    user: String,
    channels: HashMap<ChannelId, Chan>,
    /// This connection's place at the gate; told when the peer has logged in.
    pub(crate) ticket: Option<Arc<gate::Ticket>>,
}

/// What a client said of its terminal: `TERM` from the pty request, `COLORTERM` and
/// `NO_COLOR` from env requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermInfo {
    pub term: Option<String>,
    pub colorterm: Option<String>,
    pub no_color: Option<String>,
}

impl TermInfo {
    /// The colour depth to draw this terminal in.
    pub fn depth(&self) -> ColourDepth {
        ColourDepth::detect(
            self.term.as_deref(),
            self.colorterm.as_deref(),
            self.no_color.as_deref(),
        )
    }

    /// Takes an env request; false for a variable that says nothing of colour.
    fn set(&mut self, name: &str, value: &str) -> bool {
        // A value is kept short: it is only ever compared.
        let value = Some(value.chars().take(64).collect());
        match name {
            "TERM" => self.term = value,
            "COLORTERM" => self.colorterm = value,
            "NO_COLOR" => self.no_color = value,
            _ => return false,
        }
        true
    }
}

/// The terminal a channel's seat is drawn for: its size when the seat starts, and what the
/// client said of it.
#[derive(Debug, Clone)]
pub struct Screen {
    pub size: (u16, u16),
    pub term: TermInfo,
}

#[derive(Default)]
struct Chan {
    size: Option<(u16, u16)>,
    term: TermInfo,
    /// Set once the shell (or command) started: where input goes.
    input: Option<mpsc::Sender<SeatIn>>,
}

impl Conn {
    /// Whether `key` is listed right now (the file is read at every call, on the blocking
    /// pool).
    async fn listed(&self, key: &PublicKey) -> bool {
        let path = self.ctx.authorized_keys.clone();
        let key = key.clone();
        let read = tokio::task::spawn_blocking(move || {
            AuthorizedKeys::load(&path).map(|ak| ak.allows(&key))
        })
        .await;
        match read {
            Ok(Ok(listed)) => listed,
            Ok(Err(e)) => {
                eprintln!(
                    "gamelan serve: {}: {e}; refusing every key",
                    self.ctx.authorized_keys.display()
                );
                false
            }
            Err(_) => false,
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
        let term = chan.term.clone();
        session.channel_success(channel)?;
        let ctx = self.ctx.clone();
        let handle = session.handle();
        let user = self.user.clone();
        ctx.live.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let pty = Screen { size, term };
            seat_channel(&ctx, handle, channel, &user, pty, rx, direct).await;
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
        Ok(if self.listed(offer.public_key).await {
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
        if !self.listed(key.public_key).await {
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
        if let Some(t) = &self.ticket {
            t.logged_in();
        }
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
        term: &str,
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
                c.term.set("TERM", term);
                session.channel_success(channel)
            }
            None => session.channel_failure(channel),
        }
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Taken only before the seat starts: its colours are settled then.
        let taken = self
            .channels
            .get_mut(&channel)
            .is_some_and(|c| c.input.is_none() && c.term.set(name, value));
        if taken {
            session.channel_success(channel)
        } else {
            session.channel_failure(channel)
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
