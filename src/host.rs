//! `gamelan host`, `gamelan join`, `gamelan drills`: a pair shares one drill on one machine.
//! The host's terminal is a seat and the drill lives in its process; others join over a Unix
//! socket in the runtime directory, owner-only. The joining side is a thin raw-mode pipe and
//! the host renders its seat, as tmux does (see [`crate::seat::socket`]).

use crate::app;
use crate::config::{Paths, Settings};
use crate::diag;
use crate::drill::Drill;
use crate::record;
use crate::room::Room;
use crate::scenario::{self, Catalogue, Scenario};
use crate::seat::SeatSession;
use crate::seat::socket::{self, Hello, Info, PipeEnd, Probe, ServeCtx, Server};
use color_eyre::eyre::{Result, bail, eyre};
use crossterm::event::EventStream;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;

/// What the host tells every seat when it quits.
pub const HOST_ENDED: &str = "the host ended the drill";

/// How long the host waits for seats to say goodbye when it quits.
const GOODBYE_GRACE: Duration = Duration::from_secs(2);

#[derive(Debug, clap::Args)]
pub struct HostArgs {
    /// Bundled scenario id or path to a scenario file.
    pub scenario: String,
    /// The drill's name, which others join by (default: the scenario id).
    #[arg(long)]
    pub name: Option<String>,
    /// The role the hosting terminal plays (default: every role, and it conducts).
    #[arg(long)]
    pub role: Option<String>,
    /// Seed for the simulation's randomness (same seed, same drill).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Metronome tempo in beats per minute (default: the scenario's).
    #[arg(long)]
    pub tempo: Option<u32>,
    /// Record the drill to PATH (default: the data directory's recordings folder).
    #[arg(long, value_name = "PATH")]
    pub record: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct JoinArgs {
    /// The drill to join (see `gamelan drills`); may be left out when only one is open.
    pub name: Option<String>,
    /// The role to play (default: every role).
    #[arg(long)]
    pub role: Option<String>,
    /// The seat's name (default: $USER). Rejoin with the same name to get your seat back.
    #[arg(long = "as", value_name = "SEAT")]
    pub seat_name: Option<String>,
}

fn find_scenario(paths: &Paths, arg: &str) -> Result<scenario::Entry> {
    let catalogue = Catalogue::load(Some(&paths.scenarios()));
    scenario::find(&catalogue, arg).map_err(|d| eyre!("{}", diag::render(&d)))
}

fn role_list(s: &Scenario) -> String {
    s.roles
        .iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The join line to print: suggests a playing role the host is not taking.
fn join_hint(name: &str, s: &Scenario, host_role: Option<&str>) -> String {
    let role = s
        .roles
        .iter()
        .filter(|r| !r.facilitator && Some(r.id.as_str()) != host_role)
        .map(|r| r.id.as_str())
        .next_back()
        .or_else(|| s.roles.first().map(|r| r.id.as_str()));
    match role {
        Some(r) => format!("gamelan join {name} --role {r}"),
        None => format!("gamelan join {name}"),
    }
}

/// `gamelan host SCENARIO`: opens the drill's socket, then plays in this terminal as one
/// seat. Quitting ends the drill for everyone and removes the socket.
pub fn host(
    paths: &Paths,
    settings: &Settings,
    theme_flag: Option<&str>,
    args: &HostArgs,
) -> Result<()> {
    let entry = find_scenario(paths, &args.scenario)?;
    let s = entry.scenario.clone();
    let name = args.name.clone().unwrap_or_else(|| s.meta.id.clone());
    socket::check_name(&name).map_err(|e| eyre!(e))?;
    if let Some(r) = &args.role
        && s.role(r).is_none()
    {
        bail!(
            "no role `{r}` in {}; roles: {}",
            s.meta.id,
            if s.roles.is_empty() {
                "none".to_string()
            } else {
                role_list(&s)
            }
        );
    }
    let dir = socket::drills_dir(&paths.runtime);
    let (listener, guard) = socket::bind(&dir, &name).map_err(|e| eyre!("{e}"))?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("gamelan host needs a terminal: the hosting terminal is one of the seats");
    }

    let (theme, notice) = app::theme_for(paths, settings, theme_flag);
    let host_name = app::local_name();
    let mut drill = Drill::new(s.clone(), args.seed);
    if let Some(bpm) = args.tempo.or(settings.tempo) {
        drill.bpm = bpm.clamp(10, 600);
    }
    let header = record::Header::for_drill(
        &drill,
        vec![record::SeatEntry {
            seat: app::LOCAL_SEAT,
            name: host_name.clone(),
            role: args.role.clone(),
        }],
    );
    let path = args
        .record
        .clone()
        .unwrap_or_else(|| record::default_path(&paths.recordings(), &header));
    let (recorder, notice) = match record::Recorder::create(&path, &header) {
        Ok(r) => (Some(r), notice),
        Err(e) => (None, Some(format!("not recording: {e}"))),
    };

    let hint = join_hint(&name, &s, args.role.as_deref());
    println!("hosting {} ({}) as drill `{name}`", s.meta.title, s.meta.id);
    println!("others join with: {hint}");
    if !s.roles.is_empty() {
        println!("roles: {}", role_list(&s));
    }

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = app::with_terminal(|term| {
        rt.block_on(async {
            let room = Room::spawn(name.clone(), drill, recorder);
            let seat = room.join(&host_name, args.role.as_deref()).await;
            let seat = match seat {
                Ok(seat) => seat,
                Err(e) => {
                    room.close(HOST_ENDED).await;
                    return Err(eyre!(e));
                }
            };
            let ctx = ServeCtx {
                room: room.clone(),
                theme: theme.clone(),
                name: name.clone(),
                host: host_name.clone(),
            };
            let server = Server::start(listener, ctx)?;
            let mut session = SeatSession::new(room.clone(), seat);
            session.chrome.notice = notice;
            session.chrome.hints = Some(format!("join: {hint} · ? keys · q quit"));
            let mut events = EventStream::new();
            let played = app::run_local(term, &mut events, &mut session, &theme).await;
            let saved = room.close(HOST_ENDED).await;
            server.shutdown(GOODBYE_GRACE).await;
            played.map(|()| saved)
        })
    });
    rt.shutdown_timeout(Duration::from_millis(500));
    drop(guard);
    if let Some(s) = result? {
        app::say_recorded(&s);
    }
    Ok(())
}

/// Finds the drill to join: by name, or the only one open. Stale sockets met on the way are
/// removed. Returns the connected stream.
fn pick_drill(dir: &Path, name: Option<&str>) -> Result<(String, std::os::unix::net::UnixStream)> {
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
struct RawMode;

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
pub fn join(paths: &Paths, args: &JoinArgs) -> Result<()> {
    let dir = socket::drills_dir(&paths.runtime);
    let (drill, stream) = pick_drill(&dir, args.name.as_deref())?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("gamelan join needs a terminal");
    }
    let (cols, rows) = crossterm::terminal::size().unwrap_or((80, 24));
    let hello = Hello {
        version: socket::VERSION,
        name: args.seat_name.clone().unwrap_or_else(app::local_name),
        role: args.role.clone(),
        cols,
        rows,
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

fn seat_label(s: &socket::InfoSeat) -> String {
    let role = s.role.as_deref().unwrap_or("all roles");
    if s.present {
        format!("{} ({role})", s.name)
    } else {
        format!("{} ({role}, away)", s.name)
    }
}

/// One drill's line in `gamelan drills`.
pub fn drill_line(info: &Info) -> String {
    let seats: Vec<String> = info.seats.iter().map(seat_label).collect();
    format!(
        "{:<16} {:<16} {:<10} {:>6}  {}",
        info.name,
        info.scenario,
        info.state,
        info.bar_beat,
        if seats.is_empty() {
            "-".to_string()
        } else {
            seats.join(", ")
        }
    )
}

/// `gamelan drills`: the drills open on this machine, asked over their sockets. Sockets whose
/// host is gone are removed.
pub fn drills(paths: &Paths) -> Result<()> {
    let dir = socket::drills_dir(&paths.runtime);
    let names = socket::list_names(&dir);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let answers: Vec<(String, std::io::Result<Option<Info>>)> = rt.block_on(async {
        let mut out = Vec::new();
        for n in names {
            let path = socket::socket_path(&dir, &n);
            let a = socket::query(&path, Duration::from_secs(2)).await;
            out.push((n, a));
        }
        out
    });
    let mut lines = Vec::new();
    for (name, answer) in answers {
        match answer {
            Ok(Some(info)) => lines.push(drill_line(&info)),
            Ok(None) => {
                let path = socket::socket_path(&dir, &name);
                match std::fs::remove_file(&path) {
                    Ok(()) => eprintln!("removed a stale socket: {name} (its host is gone)"),
                    Err(e) => eprintln!("stale socket {}: cannot remove: {e}", path.display()),
                }
            }
            Err(e) => lines.push(format!("{name:<16} (not answering: {e})")),
        }
    }
    if lines.is_empty() {
        println!("no drills are open on this machine (start one with `gamelan host SCENARIO`)");
        return Ok(());
    }
    println!(
        "{:<16} {:<16} {:<10} {:>6}  SEATS",
        "NAME", "SCENARIO", "STATE", "BEAT"
    );
    for l in lines {
        println!("{l}");
    }
    println!("join with: gamelan join NAME [--role ROLE]");
    Ok(())
}
