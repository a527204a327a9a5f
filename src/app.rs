//! The local terminal shell: raw mode and the alternate screen, one `tokio::select!` over key
//! presses, metronome beats and the pulse, and a redraw only when something changed.

use crate::config::{Paths, Settings};
use crate::drill::{Drill, SeatId};
use crate::record;
use crate::room::Room;
use crate::scenario::{Catalogue, Entry};
use crate::seat::SeatSession;
use crate::ui::console::LivePanes;
use crate::ui::lobby::{Lobby, LobbyCommand};
use crate::ui::theme::{self, Theme};
use crate::watch::Watcher;
use color_eyre::eyre::{Result, eyre};
use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use std::path::PathBuf;
use tokio::time::{Instant, sleep_until};
/// The local terminal's seat.
pub const LOCAL_SEAT: SeatId = 0;

/// Installs color-eyre's report and panic hooks. Call before the terminal is set up, so that
/// ratatui's own hook (installed later) restores the terminal before the report prints.
pub fn install_hooks() -> Result<()> {
    color_eyre::install()
}

pub fn theme_for(
    paths: &Paths,
    settings: &Settings,
    flag: Option<&str>,
) -> (Theme, Option<String>) {
    // An explicit --theme wins over NO_COLOR (no-color.org: arguments override the variable).
    let no_color = theme::no_color_requested() && flag.is_none();
    let (theme, problems) =
        theme::resolve_with(flag, settings.theme.as_deref(), &paths.themes(), no_color);
    let notice = problems
        .first()
        .map(|d| format!("{d} (using {})", theme.name()));
    (theme, notice)
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// Runs `f` with the terminal in raw mode on the alternate screen, and restores it afterwards
/// whatever `f` returns.
pub fn with_terminal<T>(f: impl FnOnce(&mut DefaultTerminal) -> Result<T>) -> Result<T> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        color_eyre::eyre::bail!(
            "gamelan's console needs a terminal; for scripts use `gamelan play SCENARIO --headless --cues FILE`"
        );
    }
    let mut terminal = ratatui::try_init()?;
    let result = f(&mut terminal);
    ratatui::restore();
    result
}

/// `gamelan`: the lobby, then drills, until the user quits.
pub fn lobby(paths: &Paths, settings: &Settings, theme_flag: Option<&str>) -> Result<()> {
    let (mut theme, notice) = theme_for(paths, settings, theme_flag);
    // The user's folders exist from the first run, so a file dropped in later is picked up.
    let _ = std::fs::create_dir_all(paths.scenarios());
    let _ = std::fs::create_dir_all(paths.themes());
    let mut lobby = Lobby::new(Catalogue::load(Some(&paths.scenarios())));
    let rt = runtime()?;
    with_terminal(|term| {
        rt.block_on(async {
            let mut events = EventStream::new();
            let mut watcher = Watcher::new(&[&paths.scenarios(), &paths.themes()]).ok();
            loop {
                term.draw(|f| {
                    let area = f.area();
                    lobby.draw(f.buffer_mut(), area, &theme);
                })?;
                let ev = tokio::select! {
                    ev = events.next() => ev,
                    files = changed(&mut watcher) => {
                        if files.iter().any(|f| f.starts_with(paths.scenarios())) {
                            lobby.catalogue = Catalogue::load(Some(&paths.scenarios()));
                            lobby.selected = lobby.selected.min(lobby.catalogue.entries.len().saturating_sub(1));
                        }
                        if files.iter().any(|f| f.starts_with(paths.themes())) {
                            reload_theme(&mut theme, paths, &mut None);
                        }
                        continue;
                    }
                };
                let Some(ev) = ev else {
                    return Ok(());
                };
                if let TermEvent::Key(k) = ev? {
                    match lobby.on_key(k) {
                        Some(LobbyCommand::Quit) => return Ok(()),
                        Some(LobbyCommand::Vista) => {
                            crate::morning::session(
                                term,
                                &mut events,
                                paths,
                                settings,
                                theme_flag,
                                None,
                            )
                            .await?;
                        }
                        Some(LobbyCommand::Start(i)) => {
                            let entry = lobby.catalogue.entries[i].clone();
                            let opts = PlayOptions { seed: 1, tempo: settings.tempo, ..PlayOptions::default() };
                            play_one(term, &mut events, paths, entry, opts, &theme, notice.clone()).await?;
                        }
                        None => {}
                    }
                }
            }
        })
    })
}

/// `gamelan play SCENARIO`: one drill in this terminal, recorded to `record` (default: the
/// data directory's recordings folder).
/// How to play one drill in this terminal.
#[derive(Debug, Clone, Default)]
pub struct PlayOptions {
    pub seed: u64,
    /// Tempo override, in beats per minute.
    pub tempo: Option<u32>,
    /// Where to record (default: the data directory's recordings folder).
    pub record: Option<PathBuf>,
    /// A vista file whose live panes are shown beside the drill.
    pub vista: Option<PathBuf>,
}

pub fn play(
    paths: &Paths,
    settings: &Settings,
    theme_flag: Option<&str>,
    entry: Entry,
    opts: PlayOptions,
) -> Result<()> {
    let (theme, notice) = theme_for(paths, settings, theme_flag);
    let rt = runtime()?;
    let mut saved = None;
    with_terminal(|term| {
        rt.block_on(async {
            let mut events = EventStream::new();
            let opts = PlayOptions {
                tempo: opts.tempo.or(settings.tempo),
                ..opts
            };
            saved = play_one(term, &mut events, paths, entry, opts, &theme, notice).await?;
            Ok(())
        })
    })?;
    if let Some(p) = saved {
        say_recorded(&p);
    }
    Ok(())
}

/// Tells the user, after the terminal is back, where the drill was recorded and what to do next.
pub fn say_recorded(p: &std::path::Path) {
    let p = p.display();
    eprintln!("recorded to {p} (gamelan debrief {p} · gamelan replay {p})");
}

/// Plays a new drill of `entry` with the local terminal as its only seat; returns where the
/// recording went.
#[allow(clippy::too_many_arguments)]
async fn play_one(
    term: &mut DefaultTerminal,
    events: &mut EventStream,
    paths: &Paths,
    entry: Entry,
    opts: PlayOptions,
    theme: &Theme,
    notice: Option<String>,
) -> Result<Option<PathBuf>> {
    let (live, live_notice) = live_panes(&entry, opts.vista.as_deref());
    let notice = notice.or(live_notice);
    let mut drill = Drill::new(entry.scenario.clone(), opts.seed);
    if let Some(bpm) = opts.tempo {
        drill.bpm = bpm.clamp(10, 600);
    }
    let name = local_name();
    let header = record::Header::for_drill(
        &drill,
        vec![record::SeatEntry {
            seat: LOCAL_SEAT,
            name: name.clone(),
            role: None,
        }],
    );
    let path = opts
        .record
        .unwrap_or_else(|| record::default_path(&paths.recordings(), &header));
    let (recorder, notice) = match record::Recorder::create(&path, &header) {
        Ok(r) => (Some(r), notice),
        Err(e) => (None, Some(format!("not recording: {e}"))),
    };
    run_drill(term, events, drill, recorder, theme, notice, live).await
}

/// Starts the live panes a drill shows beside the exercise: `--vista FILE`, else the
/// scenario's `vista` (relative to its file). A bad vista file is a notice, not a failure.
pub fn live_panes(
    entry: &Entry,
    flag: Option<&std::path::Path>,
) -> (Option<crate::vista::VistaHandle>, Option<String>) {
    let path = match (flag, &entry.scenario.meta.vista, &entry.origin) {
        (Some(p), _, _) => p.to_path_buf(),
        (None, Some(v), crate::scenario::Origin::File(f)) => {
            f.parent().unwrap_or(std::path::Path::new(".")).join(v)
        }
        (None, Some(v), crate::scenario::Origin::Bundled) => PathBuf::from(v),
        (None, None, _) => return (None, None),
    };
    match crate::morning::load(&path, true) {
        Ok(cfg) => (Some(crate::vista::spawn(&cfg)), None),
        Err(d) => (None, d.first().map(|d| format!("no live panes: {d}"))),
    }
}

/// The local user's seat name.
pub fn local_name() -> String {
    std::env::var("USER").unwrap_or_else(|_| "you".into())
}

/// Runs `drill` live in a room with the local terminal as a seat, recording to `recorder`;
/// returns where the recording went.
pub async fn run_drill(
    term: &mut DefaultTerminal,
    events: &mut EventStream,
    drill: Drill,
    recorder: Option<record::Recorder>,
    theme: &Theme,
    notice: Option<String>,
    live: Option<crate::vista::VistaHandle>,
) -> Result<Option<PathBuf>> {
    let name = local_name();
    let saved = recorder.as_ref().map(|r| r.path().to_path_buf());
    let room = Room::spawn(drill.scenario.meta.id.clone(), drill, recorder);
    let seat = room.join(&name, None).await.map_err(|e| eyre!(e))?;
    let mut session = SeatSession::new(room.clone(), seat);
    session.chrome.notice = notice;
    let result = run_local_with(term, events, &mut session, theme, live.as_ref()).await;
    room.close("the host quit").await;
    result.map(|()| saved)
}

/// Drives the local terminal as a seat until it leaves.
pub async fn run_local(
    term: &mut DefaultTerminal,
    events: &mut EventStream,
    session: &mut SeatSession,
    theme: &Theme,
) -> Result<()> {
    run_local_with(term, events, session, theme, None).await
}

/// [`run_local`] with a running vista's panes beside the drill: each frame draws the vista's
/// last published snapshot.
pub async fn run_local_with(
    term: &mut DefaultTerminal,
    events: &mut EventStream,
    session: &mut SeatSession,
    theme: &Theme,
    live: Option<&crate::vista::VistaHandle>,
) -> Result<()> {
    let mut state_rx = session.room.state();
    let mut dirty = true;
    let mut theme = theme.clone();
    let paths = Paths::discover();
    let mut watcher = Watcher::new(&[&paths.themes()]).ok();
    let mut live_rx = live.map(crate::vista::VistaHandle::subscribe);
    loop {
        let state = state_rx.borrow_and_update().clone();
        if dirty {
            if let Some(rx) = &mut live_rx {
                session.chrome.live = Some(LivePanes {
                    vista: rx.borrow_and_update().clone(),
                    now: crate::vista::time::now_unix(),
                });
            }
            term.draw(|f| {
                let area = f.area();
                session.draw(f.buffer_mut(), area, &theme, &state);
            })?;
            dirty = false;
        }
        let wake = session.wakeup();
        tokio::select! {
            ev = events.next() => {
                let Some(ev) = ev else { return Ok(()) };
                match ev? {
                    TermEvent::Key(k) if k.kind != KeyEventKind::Release => {
                        if session.on_key(k, &state).await {
                            return Ok(());
                        }
                        dirty = true;
                    }
                    TermEvent::Resize(..) => dirty = true,
                    _ => {}
                }
            }
            Ok(()) = async { match &mut live_rx { Some(rx) => rx.changed().await, None => std::future::pending().await } } => {
                dirty = true;
            }
            _ = changed(&mut watcher) => {
                reload_theme(&mut theme, &paths, &mut session.chrome.notice);
                dirty = true;
            }
            changed = state_rx.changed() => {
                if changed.is_err() {
                    return Ok(());
                }
                session.observe(&state_rx.borrow());
                dirty = true;
            }
            _ = sleep_until(wake.unwrap_or_else(Instant::now)), if wake.is_some() => {
                session.on_wakeup();
                dirty = true;
            }
        }
    }
}

/// Waits for a batch of file changes; never resolves without a watcher.
async fn changed(watcher: &mut Option<Watcher>) -> std::collections::BTreeSet<PathBuf> {
    match watcher {
        Some(w) => w.changed().await,
        None => std::future::pending().await,
    }
}

/// Reloads the theme in force after its file changed; a bad edit keeps the last good theme
/// and says why in `notice`.
fn reload_theme(theme: &mut Theme, paths: &Paths, notice: &mut Option<String>) {
    match theme::load(theme.name(), &paths.themes()) {
        Ok(t) => {
            *theme = t;
            *notice = None;
        }
        Err(d) => {
            *notice = d
                .first()
                .map(|d| format!("{d} (keeping theme {})", theme.name()))
        }
    }
}
