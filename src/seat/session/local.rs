//! This terminal as a session seat (the facilitator's, for `gamelan session`): one
//! `tokio::select!` over its inputs, the room's snapshots, the drill segment's drill, theme
//! edits, the pulse and the stop signals, and a redraw only when one of them changed.

use super::SessionSeatState;
use crate::cmd::exit::Exit;
use crate::cmd::shell::changed;
use crate::cmd::signals::Stop;
use crate::seat::local::LocalInput;
use crate::session::SessionAction;
use crate::theme_files::LiveTheme;
use crate::watch::Watcher;
use color_eyre::eyre::Result;
use ratatui::DefaultTerminal;
use ratatui::layout::Rect;
use tokio::time::{Instant, sleep_until};

/// Drives this terminal as `seat` (with `notice` on its status line: a bad theme, no
/// recording) until it leaves, the room closes or a stop signal comes
/// (then the seat leaves the way `q` does and the signal is returned as [`Exit::Signal`]).
pub async fn run(
    term: &mut DefaultTerminal,
    events: &mut LocalInput,
    seat: &mut SessionSeatState,
    theme: &LiveTheme,
    mut notice: Option<String>,
) -> Result<()> {
    let mut stop = Stop::listen()?;
    let mut rx = seat.room.state();
    let mut theme = theme.clone();
    let mut watcher = Watcher::new(&[&theme.choice.themes_dir]).ok();
    let mut area = Rect::default();
    loop {
        let state = rx.borrow_and_update().clone();
        if state.closed.is_some() {
            return Ok(());
        }
        seat.observe(&state);
        if seat.ui.notice.is_none() {
            seat.ui.notice = notice.clone();
        }
        // Every wakeup below changes what the seat shows, so each turn draws (and ratatui
        // writes only the cells that changed).
        if let Some(d) = &mut seat.drill
            && d.seat.chrome.notice.is_none()
        {
            d.seat.chrome.notice = notice.clone();
        }
        term.draw(|f| {
            area = f.area();
            seat.draw(f.buffer_mut(), area, &theme.theme, &state);
        })?;
        let wake = seat.wakeup();
        tokio::select! {
            ev = events.next() => {
                let Some(ev) = ev else { return Ok(()) };
                let input = ev?;
                if seat.on_input(&input, &state, area).await {
                    return Ok(());
                }
            }
            changed = rx.changed() => {
                if changed.is_err() {
                    return Ok(());
                }
            }
            () = seat.drill_changed() => {}
            _ = changed(&mut watcher) => {
                theme.reload(&mut notice);
            }
            _ = sleep_until(wake.unwrap_or_else(Instant::now)), if wake.is_some() => {
                seat.on_wakeup();
            }
            n = stop.recv() => {
                let _ = seat.room.act(seat.seat, SessionAction::Leave).await;
                return Err(Exit::Signal(n).into());
            }
        }
    }
}
