//! The local terminal as a seat: one `tokio::select!` over inputs, room states, live panes,
//! theme edits and the pulse, and a redraw only when something changed. Also where the local
//! terminal's events (crossterm's) become the project's [`Input`]s, for every local screen.

use crate::cmd::shell::*;
use crate::input::{self, Button, Clicks, Input, Key, KeyCode, Mods, Mouse, MouseKind};
use crate::seat::SeatSession;
use crate::theme_files::LiveTheme;
use crate::ui::chrome::LivePanes;
use crate::watch::Watcher;
use color_eyre::eyre::Result;
use crossterm::event::{self as ct, Event as TermEvent, EventStream, KeyEventKind};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use ratatui::layout::Rect;
use tokio::time::{Instant, sleep_until};

/// The local terminal's inputs: crossterm's events translated, with double clicks counted.
pub struct LocalInput {
    events: EventStream,
    clicks: Clicks,
    epoch: std::time::Instant,
}

impl Default for LocalInput {
    fn default() -> LocalInput {
        LocalInput::new()
    }
}

impl LocalInput {
    pub fn new() -> LocalInput {
        LocalInput {
            events: EventStream::new(),
            clicks: Clicks::default(),
            epoch: std::time::Instant::now(),
        }
    }

    /// The next input; `None` when the terminal's input has closed. Cancel-safe, so it can
    /// sit in a `tokio::select!`.
    pub async fn next(&mut self) -> Option<std::io::Result<Input>> {
        loop {
            match self.events.next().await? {
                Err(e) => return Some(Err(e)),
                Ok(ev) => {
                    if let Some(mut i) = translate(ev) {
                        let at = self.epoch.elapsed().as_millis() as u64;
                        self.clicks.stamp(&mut i, at);
                        return Some(Ok(i));
                    }
                }
            }
        }
    }
}

/// A crossterm event as an [`Input`]; `None` for what no screen uses (key releases, focus).
pub fn translate(ev: TermEvent) -> Option<Input> {
    match ev {
        TermEvent::Key(k) if k.kind != KeyEventKind::Release => {
            let code = match k.code {
                ct::KeyCode::Char(c) => KeyCode::Char(c),
                ct::KeyCode::Enter => KeyCode::Enter,
                ct::KeyCode::Tab => KeyCode::Tab,
                ct::KeyCode::BackTab => KeyCode::BackTab,
                ct::KeyCode::Backspace => KeyCode::Backspace,
                ct::KeyCode::Esc => KeyCode::Esc,
                ct::KeyCode::Up => KeyCode::Up,
                ct::KeyCode::Down => KeyCode::Down,
                ct::KeyCode::Left => KeyCode::Left,
                ct::KeyCode::Right => KeyCode::Right,
                ct::KeyCode::Home => KeyCode::Home,
                ct::KeyCode::End => KeyCode::End,
                ct::KeyCode::PageUp => KeyCode::PageUp,
                ct::KeyCode::PageDown => KeyCode::PageDown,
                ct::KeyCode::Delete => KeyCode::Delete,
                _ => return None,
            };
            Some(Input::Key(Key::new(code, mods(k.modifiers))))
        }
        TermEvent::Mouse(m) => {
            let button = |b: ct::MouseButton| match b {
                ct::MouseButton::Left => Button::Left,
                ct::MouseButton::Right => Button::Right,
                ct::MouseButton::Middle => Button::Middle,
            };
            let kind = match m.kind {
                ct::MouseEventKind::Down(b) => MouseKind::Down(button(b)),
                ct::MouseEventKind::Up(b) => MouseKind::Up(button(b)),
                ct::MouseEventKind::Drag(b) => MouseKind::Drag(button(b)),
                ct::MouseEventKind::Moved => MouseKind::Moved,
                ct::MouseEventKind::ScrollUp => MouseKind::ScrollUp,
                ct::MouseEventKind::ScrollDown => MouseKind::ScrollDown,
                _ => return None,
            };
            Some(Input::Mouse(Mouse {
                mods: mods(m.modifiers),
                ..Mouse::new(kind, m.column, m.row)
            }))
        }
        TermEvent::Paste(text) => Some(Input::Paste(text)),
        TermEvent::Resize(w, h) => Some(Input::Resize(w, h)),
        _ => None,
    }
}

fn mods(m: ct::KeyModifiers) -> Mods {
    let mut out = input::Mods::NONE;
    for (theirs, ours) in [
        (ct::KeyModifiers::SHIFT, Mods::SHIFT),
        (ct::KeyModifiers::ALT, Mods::ALT),
        (ct::KeyModifiers::CONTROL, Mods::CTRL),
    ] {
        if m.contains(theirs) {
            out = out.union(ours);
        }
    }
    out
}

/// Drives the local terminal as a seat until it leaves.
pub async fn run_local(
    term: &mut DefaultTerminal,
    events: &mut LocalInput,
    session: &mut SeatSession,
    theme: &LiveTheme,
) -> Result<()> {
    let mut state_rx = session.room.state();
    let mut dirty = true;
    let mut theme = theme.clone();
    let mut watcher = Watcher::new(&[&theme.choice.themes_dir]).ok();
    let mut live_rx = session
        .live
        .as_ref()
        .map(crate::vista::VistaHandle::subscribe);
    let mut area = Rect::default();
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
                area = f.area();
                session.draw(f.buffer_mut(), area, &theme.theme, &state);
            })?;
            dirty = false;
        }
        let wake = session.wakeup();
        tokio::select! {
            ev = events.next() => {
                let Some(ev) = ev else { return Ok(()) };
                let input = ev?;
                if session.on_input(&input, &state, area).await {
                    return Ok(());
                }
                dirty |= input.redraws();
            }
            Ok(()) = async { match &mut live_rx { Some(rx) => rx.changed().await, None => std::future::pending().await } } => {
                dirty = true;
            }
            _ = changed(&mut watcher) => {
                theme.reload(&mut session.chrome.notice);
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
