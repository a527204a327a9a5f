//! `gamelan host`, `gamelan join`, `gamelan drills`: a pair shares one drill on one machine.
//! The host's terminal is a seat and the drill lives in its process; others join over a Unix
//! socket in the runtime directory, owner-only. The joining side is a thin raw-mode pipe and
//! the host renders its seat, as tmux does (see [`crate::seat::socket`]).

use crate::cmd::play::RecordingsMade;
use crate::cmd::shell::find_scenario;
use crate::cmd::shell::*;
use crate::cmd::signals::run_local_until_stopped;
use crate::config::{Paths, Settings};
use crate::drill::Drill;
use crate::record;
use crate::room::Room;
use crate::scenario::Scenario;
use crate::seat::SeatSession;
use crate::seat::local::LocalInput;
use crate::seat::socket::{self, ServeCtx, Server};
use color_eyre::eyre::{Result, bail, eyre};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

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

pub(crate) fn role_list(s: &Scenario) -> String {
    s.roles
        .iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The join line to print: suggests a playing role the host is not taking.
pub(crate) fn join_hint(name: &str, s: &Scenario, host_role: Option<&str>) -> String {
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
pub(crate) fn run(
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

    let (theme, notice) = theme_for(paths, settings, theme_flag);
    let host_name = local_name();
    let mut drill = Drill::new(s.clone(), args.seed);
    if let Some(bpm) = args.tempo.or(settings.tempo) {
        drill.bpm = crate::drill::clamp_tempo(bpm);
    }
    let header = record::Header::for_drill(
        &drill,
        vec![record::SeatEntry {
            seat: LOCAL_SEAT,
            name: host_name.clone(),
            role: args.role.clone(),
        }],
    );
    let path = args
        .record
        .clone()
        .unwrap_or_else(|| record::default_path(&paths.recordings(), &header));
    let (recorder, problem) = record::create_or_notice(&path, &header);
    let notice = problem.or(notice);

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
    let result = with_terminal(|term| {
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
            // Joined seats are drawn for their own terminals (TERM, COLORTERM, NO_COLOR in
            // their Hello), so they get the theme before this terminal's NO_COLOR.
            let (seat_theme, _) =
                crate::theme_files::ThemeChoice::for_peers(paths, settings, theme_flag).resolve();
            let ctx = ServeCtx {
                room: socket::Hosted::Drill(room.clone()),
                theme: seat_theme,
                name: name.clone(),
                host: host_name.clone(),
            };
            let server = Server::start(listener, ctx)?;
            let mut session = SeatSession::new(room.clone(), seat);
            session.chrome.notice = notice;
            session.chrome.hints = Some(format!("join: {hint} · ? keys · q quit"));
            let mut events = LocalInput::new();
            let played = run_local_until_stopped(term, &mut events, &mut session, &theme).await;
            let saved = room.close(HOST_ENDED).await;
            server.shutdown(GOODBYE_GRACE).await;
            played.map(|()| saved)
        })
    });
    rt.shutdown_timeout(Duration::from_millis(500));
    drop(guard);
    let mut made = RecordingsMade::default();
    made.drill(result?);
    made.say();
    Ok(())
}
