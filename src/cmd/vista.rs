//! `gamelan vista`: the morning vista in this terminal. Sources poll on their own tasks; this
//! shell redraws when a pane changes or a key is pressed, walks the tour, and hot-reloads
//! vista.toml and the theme, keeping the last good one when an edit is bad.

use crate::cmd::shell::*;
use crate::cmd::signals::Stop;
use crate::cmd::vista_import::GrafanaOpts;
use crate::config::{Paths, Settings};
use crate::diag;
use crate::seat::local::LocalInput;
use crate::theme_files::LiveTheme;
use crate::ui::vista::{self as view, VistaView};
use crate::ui::vista_input::{VistaCommand, hit_areas};
use crate::vista::{self, VistaConfig, VistaHandle};
use crate::watch::Watcher;
use color_eyre::eyre::Result;
use std::path::{Path, PathBuf};

/// Loads a vista config: the file when it exists, the built-in host vista otherwise. An
/// explicitly named file that is missing is an error.
pub fn load(path: &Path, explicit: bool) -> Result<VistaConfig, Vec<diag::Diagnostic>> {
    if path.exists() || explicit {
        VistaConfig::load(path)
    } else {
        Ok(vista::default_config())
    }
}

/// Runs the vista until the user quits, in its own terminal session.
pub fn run(
    paths: &Paths,
    settings: &Settings,
    theme_flag: Option<&str>,
    config: Option<PathBuf>,
) -> Result<()> {
    if let Some(p) = &config
        && !p.exists()
    {
        color_eyre::eyre::bail!(
            "{}: no such vista config (see docs/vista-format.md)",
            p.display()
        );
    }
    // One thread drives the screen and the panes' tasks, as in the lobby's vista; each source
    // polls on tokio's blocking pool, so a slow one never holds up a redraw.
    let rt = runtime()?;
    with_terminal(|term| {
        rt.block_on(async {
            let mut events = LocalInput::new();
            session(term, &mut events, paths, settings, theme_flag, config).await
        })
    })
}

/// The vista inside an already prepared terminal (from `gamelan vista`, or the lobby's `v`).
pub async fn session(
    term: &mut ratatui::DefaultTerminal,
    events: &mut LocalInput,
    paths: &Paths,
    settings: &Settings,
    theme_flag: Option<&str>,
    config: Option<PathBuf>,
) -> Result<()> {
    let explicit = config.is_some();
    let path = config.unwrap_or_else(|| vista::config::default_path(paths));
    let mut view = VistaView::default();
    let cfg = load(&path, explicit).unwrap_or_else(|d| {
        view.notice = d
            .first()
            .map(|d| format!("{d} (showing this machine instead)"));
        vista::default_config()
    });
    let (mut theme, theme_notice) = theme_for(paths, settings, theme_flag);
    view.notice = view.notice.take().or(theme_notice);
    let mut handle = vista::spawn(&cfg);
    let ctx = Context {
        path: &path,
        explicit,
        grafana: None,
    };
    let result = drive(term, events, &mut handle, &mut view, &mut theme, &ctx).await;
    handle.shutdown();
    result
}

/// Where the vista's files are, for reloading.
pub(crate) struct Context<'a> {
    path: &'a Path,
    explicit: bool,
    /// The path is a Grafana dashboard, re-imported with these options when it changes.
    grafana: Option<GrafanaOpts>,
}

impl Context<'_> {
    fn reload(&self) -> Result<VistaConfig, Vec<diag::Diagnostic>> {
        match &self.grafana {
            None => load(self.path, self.explicit),
            Some(opts) => crate::cmd::vista_import::reimport(self.path, opts),
        }
    }
}

/// `gamelan vista --grafana DASHBOARD.json`: the dashboard imported in memory and shown; an
/// edit of the dashboard re-imports it (with the variable values found at the start).
pub fn run_grafana(
    paths: &Paths,
    settings: &Settings,
    theme_flag: Option<&str>,
    dashboard: &Path,
    opts: &GrafanaOpts,
) -> Result<()> {
    let import = crate::cmd::vista_import::import_file(dashboard, opts)?;
    let cfg = crate::cmd::vista_import::config_of(&import).map_err(|e| {
        eprint!("{}", import.report);
        color_eyre::eyre::eyre!("{}: {e}", dashboard.display())
    })?;
    let r = &import.report;
    let notice = format!(
        "{} of {} panels imported from {}, {} dropped (`gamelan vista import grafana` says why)",
        r.mapped.len(),
        r.panels,
        r.file,
        r.dropped.len()
    );
    // Reloads ask no server again: the values found now are kept.
    let mut again = opts.clone();
    again.offline = true;
    for v in &r.vars {
        if v.shown == "\"\"" {
            again.vars.push(format!("{}=", v.name));
        } else if !v.shown.is_empty() && v.shown != "All" && !v.shown.contains('|') {
            again.vars.push(format!("{}={}", v.name, v.shown));
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    with_terminal(|term| {
        rt.block_on(async {
            let mut events = LocalInput::new();
            let mut view = VistaView {
                notice: Some(notice),
                ..VistaView::default()
            };
            let (mut theme, theme_notice) = theme_for(paths, settings, theme_flag);
            view.notice = theme_notice.or(view.notice.take());
            let mut handle = vista::spawn(&cfg);
            let ctx = Context {
                path: dashboard,
                explicit: true,
                grafana: Some(again),
            };
            let result = drive(term, &mut events, &mut handle, &mut view, &mut theme, &ctx).await;
            handle.shutdown();
            result
        })
    })
}

/// A burst of pane updates is over when none came for this long.
const QUIET: std::time::Duration = std::time::Duration::from_millis(15);
/// The longest a frame waits for a burst to end after its first update.
const MOST: std::time::Duration = std::time::Duration::from_millis(120);

/// Waits, after one change of `rx`, until no other came for `quiet` (or `most` has passed),
/// so that panes polled together (every pane on one refresh polls at the same moment, and their
/// answers come back over some tens of milliseconds) are drawn in one frame, not one each.
/// False when the sender is gone.
pub(crate) async fn settle<T>(
    rx: &mut tokio::sync::watch::Receiver<T>,
    quiet: std::time::Duration,
    most: std::time::Duration,
) -> bool {
    let deadline = tokio::time::Instant::now() + most;
    loop {
        let wait = tokio::time::sleep(quiet);
        tokio::select! {
            () = wait => return true,
            () = tokio::time::sleep_until(deadline) => return true,
            changed = rx.changed() => if changed.is_err() { return false },
        }
    }
}

pub(crate) async fn drive(
    term: &mut ratatui::DefaultTerminal,
    events: &mut LocalInput,
    handle: &mut VistaHandle,
    view: &mut VistaView,
    theme: &mut LiveTheme,
    cx: &Context<'_>,
) -> Result<()> {
    let path = cx.path;
    let mut changes = handle.subscribe();
    // `--config vista.toml` has an empty parent: watch the current directory, not "".
    let config_dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let themes_dir = theme.choice.themes_dir.clone();
    let mut watcher = Watcher::new(&[&config_dir, &themes_dir]).ok();
    let mut stop = Stop::listen()?;
    let mut area = ratatui::layout::Rect::default();
    let (history_tx, mut history_rx) = tokio::sync::mpsc::channel(8);
    let mut fetching: Vec<String> = Vec::new();
    view.utc_offset = vista::time::local_offset(vista::time::now_unix());
    loop {
        let snap = changes.borrow_and_update().clone();
        let now = vista::time::now_unix();
        view.sync(&snap, now);
        for (i, t0, t1) in view.wanted_history(&snap, now) {
            let def = snap.panes[i].def.clone();
            if fetching.contains(&def.id) {
                continue;
            }
            fetching.push(def.id.clone());
            let (tx, cols) = (history_tx.clone(), area.width);
            tokio::task::spawn_blocking(move || {
                let _ = tx.blocking_send(vista::backfill::fetch(&def, t0, t1, cols));
            });
        }
        term.draw(|f| {
            area = f.area();
            view::draw(f.buffer_mut(), area, &snap, now, view, &theme.theme);
        })?;
        tokio::select! {
            ev = events.next() => {
                let Some(ev) = ev else { return Ok(()) };
                let areas = hit_areas(&snap, view, area);
                match view.on_input(&ev?, snap.panes.len(), &areas, area) {
                    Some(VistaCommand::Quit) => return Ok(()),
                    Some(VistaCommand::Refresh) => handle.refresh_now(),
                    None => {}
                }
            }
            r = stop.stopped() => return r,
            Some(history) = history_rx.recv() => {
                fetching.retain(|p| *p != history.pane);
                view.take_history(history);
            }
            changed = changes.changed() => {
                if changed.is_err() {
                    return Ok(());
                }
                // Panes on the same interval finish together: draw once for the burst.
                if !settle(&mut changes, QUIET, MOST).await {
                    return Ok(());
                }
            }
            files = async { match &mut watcher { Some(w) => w.changed().await, None => std::future::pending().await } } => {
                if files.iter().any(|f| f == path || f.file_name() == path.file_name()) {
                    match cx.reload() {
                        Ok(cfg) => {
                            handle.reload(&cfg);
                            view.focus = view.focus.min(cfg.panes.len().saturating_sub(1));
                            view.notice = None;
                        }
                        Err(d) => view.notice = d.first().map(|d| format!("kept the last good vista: {d}")),
                    }
                }
                if files.iter().any(|f| f.starts_with(&themes_dir)) {
                    theme.reload(&mut view.notice);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::settle;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_updates_is_one_frame() {
        let (tx, mut rx) = tokio::sync::watch::channel(0);
        let ms = Duration::from_millis;
        // Fifteen panes answering 10 ms apart, as one refresh's polls do.
        let sender = tokio::spawn(async move {
            for i in 1..=15 {
                tokio::time::sleep(ms(10)).await;
                tx.send(i).unwrap();
            }
            tokio::time::sleep(ms(1000)).await;
        });
        rx.changed().await.unwrap();
        let t0 = tokio::time::Instant::now();
        assert!(settle(&mut rx, ms(15), ms(500)).await);
        assert_eq!(*rx.borrow_and_update(), 15, "the whole burst, one frame");
        assert!(t0.elapsed() < ms(200));
        // A steady stream still gets a frame within `most`.
        let (tx, mut rx) = tokio::sync::watch::channel(0);
        let stream = tokio::spawn(async move {
            for i in 0.. {
                tokio::time::sleep(ms(5)).await;
                if tx.send(i).is_err() {
                    break;
                }
            }
        });
        let t0 = tokio::time::Instant::now();
        assert!(settle(&mut rx, ms(15), ms(120)).await);
        assert!(t0.elapsed() <= ms(125), "{:?}", t0.elapsed());
        drop(rx);
        stream.abort();
        sender.abort();
    }
}
