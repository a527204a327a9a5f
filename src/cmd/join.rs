//! `gamelan join`: this terminal as a thin raw-mode pipe to a drill hosted on this machine.

use super::shell::*;
use crate::config::Paths;
use crate::seat::socket::{self, Hello, PipeEnd, Probe};
use color_eyre::eyre::{Result, bail, eyre};
use std::io::{IsTerminal, Read};
use std::path::Path;
use tokio::sync::mpsc;

#[derive(Debug, clap::Args)]
pub struct JoinArgs {
    /// The drill or session to join (see `gamelan drills`); may be left out when only one
    /// is open.
    pub name: Option<String>,
    /// The role to play (default: every role).
    #[arg(long)]
    pub role: Option<String>,
    /// The seat's name, exactly (refused while someone present holds it). Without it the
    /// seat is named after $USER: the first free one of USER, USER-2, USER-3 and so on
    #[arg(long = "as", value_name = "SEAT")]
    pub seat_name: Option<String>,
    /// Join a session as an observer: see everything, act on nothing
    #[arg(long, conflicts_with = "role")]
    pub observe: bool,
}

/// Finds the drill to join: by name, or the only one open. Stale sockets met on the way are
/// removed. Returns the connected stream.
pub(crate) fn pick_drill(
    dir: &Path,
    name: Option<&str>,
) -> Result<(String, std::os::unix::net::UnixStream)> {
    let open_list = |dir: &Path| -> Vec<String> {
        socket::list_names(dir)
            .into_iter()
            .filter(|n| match socket::probe(&socket::socket_path(dir, n)) {
                Ok(Probe::Live(_)) => true,
                Ok(Probe::Stale) => {
                    let _ = std::fs::remove_file(socket::socket_path(dir, n));
                    false
                }
                _ => false,
            })
            .collect()
    };
    if let Some(name) = name {
        socket::check_name(name).map_err(|e| eyre!(e))?;
        let path = socket::socket_path(dir, name);
        match socket::probe(&path) {
            Ok(Probe::Live(s)) => return Ok((name.to_string(), s)),
            Ok(Probe::Stale) => {
                let _ = std::fs::remove_file(&path);
                bail!(
                    "the drill `{name}` is no longer running (its host went away); removed its stale socket"
                );
            }
            Ok(Probe::Missing) => {
                let open = open_list(dir);
                if open.is_empty() {
                    bail!(
                        "no drill named `{name}` is open on this machine, and none other is (start one with `gamelan host SCENARIO`)"
                    );
                }
                bail!(
                    "no drill named `{name}` is open on this machine; open: {}",
                    open.join(", ")
                );
            }
            Err(e) => bail!("cannot reach the drill `{name}` at {}: {e}", path.display()),
        }
    }
    let mut live = Vec::new();
    for n in socket::list_names(dir) {
        let path = socket::socket_path(dir, &n);
        match socket::probe(&path) {
            Ok(Probe::Live(s)) => live.push((n, s)),
            Ok(Probe::Stale) => {
                let _ = std::fs::remove_file(&path);
            }
            _ => {}
        }
    }
    match live.len() {
        0 => bail!("no drills are open on this machine (start one with `gamelan host SCENARIO`)"),
        1 => Ok(live.remove(0)),
        n => {
            let names: Vec<String> = live.into_iter().map(|(n, _)| n).collect();
            bail!(
                "{n} drills are open; say which one: {}",
                names
                    .iter()
                    .map(|x| format!("`gamelan join {x}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

/// Puts the terminal in raw mode and takes it out again when dropped (also on panic).
pub(crate) struct RawMode;

impl RawMode {
    fn enable() -> Result<RawMode> {
        crossterm::terminal::enable_raw_mode()
            .map_err(|e| eyre!("cannot put the terminal in raw mode: {e}"))?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// `gamelan join [NAME]`: a thin raw-mode pipe to a drill hosted on this machine.
pub(crate) fn run(paths: &Paths, args: &JoinArgs) -> Result<()> {
    let dir = socket::drills_dir(&paths.runtime);
    let (drill, stream) = pick_drill(&dir, args.name.as_deref())?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("gamelan join needs a terminal");
    }
    let (cols, rows) = crossterm::terminal::size().unwrap_or((80, 24));
    let var = |k: &str| std::env::var(k).ok();
    let hello = Hello {
        version: socket::VERSION,
        name: args.seat_name.clone().unwrap_or_else(local_name),
        exact: args.seat_name.is_some(),
        role: args.role.clone(),
        observe: args.observe,
        cols,
        rows,
        term: var("TERM"),
        colorterm: var("COLORTERM"),
        no_color: var("NO_COLOR"),
    };
    stream.set_nonblocking(true)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let raw = RawMode::enable()?;
    let end = rt.block_on(async {
        let stream = match tokio::net::UnixStream::from_std(stream) {
            Ok(s) => s,
            Err(e) => return PipeEnd::Error(e.to_string()),
        };
        // Key bytes: stdin is read on a plain thread (a blocking read cannot be cancelled);
        // it ends with the process.
        let (key_tx, keys) = mpsc::channel::<Vec<u8>>(16);
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin();
            let mut buf = [0u8; 4096];
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if key_tx.blocking_send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        let (size_tx, sizes) = mpsc::channel::<(u16, u16)>(4);
        if let Ok(mut winch) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change())
        {
            tokio::spawn(async move {
                while winch.recv().await.is_some() {
                    if let Ok(size) = crossterm::terminal::size()
                        && size_tx.send(size).await.is_err()
                    {
                        break;
                    }
                }
            });
        }
        let mut out = std::io::stdout();
        socket::pipe(stream, hello, keys, sizes, &mut out).await
    });
    drop(raw);
    rt.shutdown_background();
    let msg = end.message();
    if end.is_clean() {
        eprintln!("{msg}");
        return Ok(());
    }
    match end {
        PipeEnd::Bye(_) => bail!("cannot join `{drill}`: {msg}"),
        _ => bail!("{msg}"),
    }
}
