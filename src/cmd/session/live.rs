//! `gamelan session SETLIST` live: this terminal is the facilitator's seat, the session room
//! lives in this process, and others join it over a Unix socket in the runtime directory
//! (`gamelan join NAME`, `--observe` to watch), exactly like a hosted drill. The setlist's
//! segments are resolved here into what the room runs beside them (vistas, drills); `serve`
//! opens sessions with the same [`open_spec`].

use super::{Found, SessionArgs, find, resolve, scenario_of, vista_config};
use crate::cmd::shell::*;
use crate::config::{Paths, Settings};
use crate::diag::{self, Diagnostic};
use crate::room::Naming;
use crate::room::session::{SessionRecorder, SessionRoom, SessionSpec, StagePlan, journal};
use crate::scenario::Catalogue;
use crate::seat::local::LocalInput;
use crate::seat::session::SessionSeatState;
use crate::seat::socket::{self, Hosted, ServeCtx, Server};
use crate::session::record::{Embedded, Header, SegmentVista};
use crate::session::setlist::{SegmentKind, VistaSource};
use crate::session::{Session, VistaShape};
use color_eyre::eyre::{Result, bail, eyre};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// What every seat is told when the facilitator's terminal quits.
pub const FACILITATOR_ENDED: &str = "the facilitator closed the session";

/// How long the host waits for joined seats to say goodbye.
const GOODBYE_GRACE: Duration = Duration::from_secs(2);

/// The name a session of `found` is joined by, unless one is given: the setlist's file name.
pub fn default_name(found: &Found) -> String {
    Path::new(&found.name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session".into())
}

/// Resolves setlist `arg` for a live room named `name`: the plan, what each segment runs
/// (each walkthrough's vista, each drill's scenario at `tempo`), and a recorder at `record`
/// (default: the recordings folder). A recording that cannot be made is a notice, not an
/// error: the session runs unrecorded. The tests open their rooms through it too, so they run
/// what a user runs.
pub fn open_spec(
    paths: &Paths,
    arg: &str,
    seed: u64,
    tempo: Option<u32>,
    name: &str,
    record: Option<PathBuf>,
) -> Result<(SessionSpec, Option<String>), Vec<Diagnostic>> {
    let found = find(paths, arg)?;
    let resolved = resolve(paths, &found)?;
    let (mut stages, vistas) = stages(paths, &found, &resolved.plan, seed, tempo)?;
    for (stage, file) in stages.iter_mut().zip(&resolved.matrix_files) {
        if let (StagePlan::Nothing, Some(f)) = (&stage, file) {
            *stage = StagePlan::Matrix {
                save_to: Some(f.clone()),
            };
        }
    }
    let plan = Arc::new(resolved.plan);
    let started = crate::record::rfc3339(std::time::SystemTime::now());
    let session = Session::new(plan.clone(), seed);
    let mut header = Header::new(
        &session,
        started.clone(),
        Embedded {
            name: found.name.clone(),
            text: found.text.clone(),
        },
        resolved.decks,
    );
    header.matrices = resolved.matrices;
    // The vista files as the room runs them, so a debrief elsewhere names their panes.
    header.vistas = vistas;
    let path = record.unwrap_or_else(|| journal::default_path(&paths.recordings(), &started, name));
    let (recorder, notice) = match SessionRecorder::create(&path, &header) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(format!("not recording: {e}"))),
    };
    let spec = SessionSpec {
        name: name.to_string(),
        plan,
        seed,
        stages,
        recorder,
        started,
        drill_recordings: Some(paths.recordings()),
    };
    Ok((spec, notice))
}

/// What the room runs beside each segment, and the vista files its walkthroughs show.
fn stages(
    paths: &Paths,
    found: &Found,
    plan: &crate::session::Plan,
    seed: u64,
    tempo: Option<u32>,
) -> Result<(Vec<StagePlan>, Vec<SegmentVista>), Vec<Diagnostic>> {
    let catalogue = Catalogue::load(Some(&paths.scenarios()));
    let mut out = Vec::new();
    let mut vistas = Vec::new();
    for (segment, seg) in plan.setlist.segments.iter().enumerate() {
        out.push(match &seg.kind {
            SegmentKind::Walkthrough { vista, .. } => match vista {
                VistaSource::Scenario { scenario } => {
                    let s = scenario_of(&catalogue, found, scenario).map_err(|d| vec![d])?;
                    StagePlan::Simulated {
                        shape: VistaShape::of_scenario(&s),
                        scenario: s,
                        seed,
                    }
                }
                other => {
                    let (cfg, label, file) = vista_config(paths, found, other)?;
                    if let Some(vista) = file {
                        vistas.push(SegmentVista { segment, vista });
                    }
                    StagePlan::Vista {
                        shape: VistaShape::of_vista(&cfg, label),
                        config: Arc::new(cfg),
                    }
                }
            },
            SegmentKind::Drill {
                scenario,
                seed: own,
            } => StagePlan::Drill {
                scenario: scenario_of(&catalogue, found, scenario).map_err(|d| vec![d])?,
                seed: own.unwrap_or(seed),
                tempo,
            },
            SegmentKind::Drt { scenario, .. } => StagePlan::Drt {
                scenario: scenario_of(&catalogue, found, scenario).map_err(|d| vec![d])?,
            },
            _ => StagePlan::Nothing,
        });
    }
    Ok((out, vistas))
}

/// The lines printed before the terminal is taken: how others join, exactly as they type it.
pub fn join_hints(name: &str) -> [String; 2] {
    [
        format!("others join with: gamelan join {name}"),
        format!("observers join with: gamelan join {name} --observe"),
    ]
}

/// `gamelan session SETLIST` in a terminal.
pub(crate) fn run(
    paths: &Paths,
    settings: &Settings,
    theme_flag: Option<&str>,
    args: &SessionArgs,
) -> Result<()> {
    let found = find(paths, &args.setlist).map_err(|d| eyre!("{}", diag::render(&d)))?;
    let name = args.name.clone().unwrap_or_else(|| default_name(&found));
    socket::check_name(&name).map_err(|e| eyre!(e))?;
    let (spec, problem) = open_spec(
        paths,
        &args.setlist,
        args.seed,
        settings.tempo,
        &name,
        args.record.clone(),
    )
    .map_err(|d| eyre!("{}", diag::render(&d)))?;
    let dir = socket::drills_dir(&paths.runtime);
    let (listener, guard) = socket::bind(&dir, &name).map_err(|e| eyre!("{e}"))?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "gamelan session needs a terminal: the facilitator's terminal is a seat (or run it \
             headless with --headless --script FILE)"
        );
    }
    let (theme, notice) = theme_for(paths, settings, theme_flag);
    let title = spec.plan.setlist.title.clone();
    println!("hosting the session {title} as `{name}`");
    for hint in join_hints(&name) {
        println!("{hint}");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let host = local_name();
    let result = with_terminal(|term| {
        rt.block_on(async {
            let room = SessionRoom::spawn(spec);
            let seated = match room.join(&host, false, Naming::Exact).await {
                Ok(s) => s,
                Err(e) => {
                    room.close(FACILITATOR_ENDED).await;
                    return Err(eyre!(e));
                }
            };
            let (seat_theme, _) =
                crate::theme_files::ThemeChoice::for_peers(paths, settings, theme_flag).resolve();
            let ctx = ServeCtx {
                room: Hosted::Session(room.clone()),
                theme: seat_theme,
                name: name.clone(),
                host: host.clone(),
            };
            let server = Server::start(listener, ctx)?;
            let mut seat = SessionSeatState::new(room.clone(), &seated, false);
            let mut events = LocalInput::new();
            let notice = problem.or(notice);
            let played =
                crate::seat::session::local::run(term, &mut events, &mut seat, &theme, notice)
                    .await;
            let saved = room.close(FACILITATOR_ENDED).await;
            server.shutdown(GOODBYE_GRACE).await;
            Ok((played, saved))
        })
    });
    rt.shutdown_timeout(Duration::from_millis(500));
    drop(guard);
    let (played, saved) = result?;
    // Where the recording and write-up went is said however the seat ended (a signal too).
    if let Some(saved) = saved {
        eprintln!("{}", saved.message());
    }
    played
}
