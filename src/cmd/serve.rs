//! `gamelan serve`: drills over SSH until SIGINT or SIGTERM.

use crate::seat::ssh::*;

use crate::config::{Paths, Settings};
use crate::seat::ssh::auth::AuthorizedKeys;
use crate::ui::theme::{self};
use color_eyre::eyre::{Result, eyre};
use russh::keys::HashAlg;
use russh::server::Server;
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
    let (theme, problems) = theme::resolve_with(
        theme_flag,
        settings.theme.as_deref(),
        &paths.themes(),
        false,
    );
    for d in problems {
        eprintln!("{d} (using {})", theme.name());
    }
    let ctx = Arc::new(Ctx {
        paths: paths.clone(),
        theme,
        authorized_keys: args.authorized_keys.clone(),
        registry: Registry::new(Duration::from_secs(args.linger)),
        scenarios: scenarios::Scenarios::new(paths.scenarios()),
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

pub(crate) async fn stop_signal() {
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
