//! `gamelan serve`: drills over SSH until SIGINT or SIGTERM.

use crate::seat::ssh::*;

use crate::cmd::signals::Stop;
use crate::config::{Paths, Settings};
use crate::seat::ssh::auth::AuthorizedKeys;
use crate::seat::ssh::gate::{self, Gate, Limits};
use color_eyre::eyre::{Result, eyre};
use russh::keys::HashAlg;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::Instant;

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
    /// Seconds a connection has to log in (banner, key exchange, authentication) before it
    /// is closed.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub login_grace: u64,
    /// Connections logging in at once; past this the oldest of them is closed.
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_logins: u64,
    /// Connections open at once; past this a new one is closed at once.
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_connections: u64,
}

/// Runs `gamelan serve` until SIGTERM, SIGINT, SIGHUP or SIGQUIT; then every lobby and drill
/// is closed, every seat is told why, and the process exits 0.
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
    let (host_key, warning) =
        crate::seat::ssh::auth::host_key(&host_key_path).map_err(|e| eyre!("{e}"))?;
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
    // Each seat's own terminal decides on colour (its TERM, COLORTERM, NO_COLOR), not the
    // server's environment.
    let (theme, problems) =
        crate::theme_files::ThemeChoice::for_peers(paths, settings, theme_flag).resolve();
    for d in problems {
        eprintln!("{d} (using {})", theme.name());
    }
    let ctx = Arc::new(Ctx {
        paths: paths.clone(),
        theme,
        authorized_keys: args.authorized_keys.clone(),
        registry: Registry::new(Duration::from_secs(args.linger)),
        sessions: crate::room::session::registry::SessionRegistry::new(Duration::from_secs(
            args.linger,
        )),
        scenarios: scenarios::Scenarios::new(paths.scenarios()),
        tempo: args.tempo.or(settings.tempo),
        live: AtomicUsize::new(0),
        stopping: tokio::sync::watch::Sender::new(false),
    });
    let limits = Limits {
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        max_logins: usize::try_from(args.max_logins).unwrap_or(usize::MAX),
        login_grace: Duration::from_secs(args.login_grace),
    };
    let fingerprint = host_key.public_key().fingerprint(HashAlg::Sha256);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = listen(&args.listen)
            .await
            .map_err(|e| eyre!("cannot listen on {}: {e}", args.listen))?;
        let addr = listener.local_addr()?;
        println!("gamelan serve: listening on {addr} (host key {fingerprint})");
        let mut stop = Stop::listen()?;
        let server = SeatServer { ctx: ctx.clone() };
        let disconnect = tokio::sync::watch::Sender::new(false);
        let gate = Gate::new(limits);
        let accepting = gate::serve(
            &listener,
            Arc::new(config(host_key)),
            server,
            gate.clone(),
            ctx.stopping.subscribe(),
            disconnect.subscribe(),
            "gamelan serve stopped",
        );
        tokio::select! {
            () = accepting => {}
            _ = stop.recv() => {}
        }
        eprintln!(
            "gamelan serve: stopping; closing {} drill(s)",
            ctx.registry.len()
        );
        // Lobbies let their seats go and drills close, each seat told why; then whatever is
        // still connected is disconnected.
        ctx.stopping.send_replace(true);
        ctx.registry.close_all("the server is shutting down").await;
        ctx.sessions.close_all("the server is shutting down").await;
        // Seats end on their own once told; a loaded machine may take seconds, so the
        // deadline only bounds a seat that cannot finish (a client that stopped reading).
        let deadline = Instant::now() + SHUTDOWN_GRACE;
        while ctx.live.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Clients close their connections when their channels end: let them, so the last
        // words a seat wrote reach its terminal before anything is cut.
        while gate.counts().0 > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // The seats' goodbyes are queued on their connections: a moment for them to go out
        // before the connections are cut (a cut overtakes what is still queued).
        tokio::time::sleep(FAREWELL_FLUSH).await;
        disconnect.send_replace(true);
        tokio::time::sleep(Duration::from_millis(50)).await;
        Ok(())
    })
}

/// The longest a stopping server waits for its seats and connections to end by themselves.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How long the last goodbyes get to leave before every connection is cut at shutdown.
const FAREWELL_FLUSH: Duration = Duration::from_millis(300);

/// Connections the kernel queues before `accept` takes them: room for a burst (a flood, or
/// a team logging in at once) without dropping handshakes, which would cost a client a
/// retransmission second.
const BACKLOG: u32 = 1024;

/// Binds `addr` (the first address it resolves to) with a [`BACKLOG`]-deep accept queue.
async fn listen(addr: &str) -> std::io::Result<tokio::net::TcpListener> {
    let addr = tokio::net::lookup_host(addr).await?.next().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::NotFound, "no address to listen on")
    })?;
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}
