//! The local terminal as a seat: one `tokio::select!` over key presses, room states, live
//! panes, theme edits and the pulse, and a redraw only when something changed.

use crate::cmd::shell::*;
use crate::config::Paths;
use crate::seat::SeatSession;
use crate::ui::theme::Theme;
use crate::watch::Watcher;
use color_eyre::eyre::Result;
use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::time::{Instant, sleep_until};

/// Drives the local terminal as a seat until it leaves.
pub async fn run_local(
    term: &mut DefaultTerminal,
    events: &mut EventStream,
    session: &mut SeatSession,
    theme: &Theme,
) -> Result<()> {
    let mut state_rx = session.room.state();
    let mut dirty = true;
    let mut theme = theme.clone();
    let paths = Paths::discover();
    let mut watcher = Watcher::new(&[&paths.themes()]).ok();
    let mut live_rx = session.chrome.live.as_ref().map(|l| l.0.subscribe());
    loop {
        let state = state_rx.borrow_and_update().clone();
        if dirty {
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
