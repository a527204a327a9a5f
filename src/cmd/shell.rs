//! What every command's shell shares: the terminal, the runtime, the theme, settings and the
//! scenario catalogue.

use crate::config::{Paths, Settings};
use crate::diag::{self};
use crate::drill::SeatId;
use crate::scenario;
use crate::theme_files::{LiveTheme, ThemeChoice};
use crate::watch::Watcher;
use color_eyre::eyre::{Result, eyre};
use ratatui::DefaultTerminal;

use std::path::PathBuf;

/// The local terminal's seat.
pub const LOCAL_SEAT: SeatId = 0;

/// Installs color-eyre's report and panic hooks. Call before the terminal is set up, so that
/// ratatui's own hook (installed later) restores the terminal before the report prints.
pub fn install_hooks() -> Result<()> {
    color_eyre::install()
}

/// The theme a console draws with (remembering what the user chose, for reloads), and the
/// notice its first screen shows: what is wrong with `config.toml` or the theme file, if
/// anything.
pub fn theme_for(
    paths: &Paths,
    settings: &Settings,
    flag: Option<&str>,
) -> (LiveTheme, Option<String>) {
    let live = LiveTheme::new(ThemeChoice::for_terminal(paths, settings, flag));
    // A bad config.toml comes first: it explains why the defaults are in force.
    let notice = settings_problems(paths)
        .first()
        .map(ToString::to_string)
        .or_else(|| live.notice());
    (live, notice)
}

/// Keeps every thread's allocations in one malloc heap. glibc otherwise gives each thread that
/// allocates a heap of its own (up to eight per core), each keeping its freed pages: a console
/// runs a handful of threads (the runtime, file watching, blocking reads) that allocate little
/// and rarely at once, so one heap costs nothing in speed and saves a few hundred KiB of peak
/// resident memory. Call first thing, before any thread starts.
pub fn one_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator; no thread is allocating yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// Runs `f` with the terminal in raw mode on the alternate screen, with mouse reporting and
/// bracketed paste on, and restores it afterwards whatever `f` returns (a panic too).
pub fn with_terminal<T>(f: impl FnOnce(&mut DefaultTerminal) -> Result<T>) -> Result<T> {
    use std::io::{IsTerminal, Write};
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        color_eyre::eyre::bail!(
            "gamelan's console needs a terminal; for scripts use `gamelan play SCENARIO --headless --cues FILE`"
        );
    }
    let mut terminal = ratatui::try_init()?;
    // ratatui's panic hook restores raw mode and the screen; mouse reporting goes off first.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        mouse_off();
        hook(info);
    }));
    let mut out = std::io::stdout();
    let _ = out
        .write_all(crate::seat::keybytes::MOUSE_ON)
        .and_then(|()| out.flush());
    let result = f(&mut terminal);
    restore_terminal();
    result
}

/// Gives the terminal back: mouse reporting and bracketed paste off, cooked mode, the main
/// screen. Safe to call more than once (a signal handler may call it too).
pub fn restore_terminal() {
    mouse_off();
    let _ = ratatui::try_restore();
}

fn mouse_off() {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = out
        .write_all(crate::seat::keybytes::MOUSE_OFF)
        .and_then(|()| out.flush());
}

/// The local user's seat name.
pub fn local_name() -> String {
    std::env::var("USER").unwrap_or_else(|_| "you".into())
}

/// Waits for a batch of file changes; never resolves without a watcher.
pub(crate) async fn changed(watcher: &mut Option<Watcher>) -> std::collections::BTreeSet<PathBuf> {
    match watcher {
        Some(w) => w.changed().await,
        None => std::future::pending().await,
    }
}

/// The settings in `config.toml`; a bad file gives the defaults. For a console: its problem
/// is shown on the first screen's status line (see [`theme_for`]), not printed.
pub(crate) fn load_settings(paths: &Paths) -> Settings {
    Settings::load(&paths.settings_file()).unwrap_or_default()
}

/// The settings for a command without a console (`serve`, the replay console, whose status
/// line has no room for it): a bad file's problem goes to standard error.
pub(crate) fn load_settings_noisy(paths: &Paths) -> Settings {
    Settings::load(&paths.settings_file()).unwrap_or_else(|d| {
        eprintln!("{}\n(using default settings)", diag::render(&d));
        Settings::default()
    })
}

/// What is wrong with `config.toml`, if anything, as the console shows it.
pub(crate) fn settings_problems(paths: &Paths) -> Vec<diag::Diagnostic> {
    let mut problems = Settings::load(&paths.settings_file())
        .err()
        .unwrap_or_default();
    for d in &mut problems {
        d.message.push_str(" (using default settings)");
    }
    problems
}

/// The scenario a command names, parsing only that one (see [`scenario::find_in`]).
pub(crate) fn find_scenario(paths: &Paths, arg: &str) -> Result<scenario::Entry> {
    scenario::find_in(Some(&paths.scenarios()), arg).map_err(|d| eyre!("{}", diag::render(&d)))
}

pub(crate) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}
