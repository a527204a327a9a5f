//! The stop signals every console quits on: SIGTERM, SIGHUP, SIGINT and SIGQUIT. Each console
//! loop listens for them beside its keys, so a signal takes the same way out as `q` (the
//! recording finished, joiners told, sockets removed, the terminal restored) and the process
//! ends with the signal's conventional status, 128+n ([`Exit::Signal`]).

use crate::cmd::exit::Exit;
use crate::drill::{Action, Status};
use crate::seat::SeatSession;
use crate::seat::local::LocalInput;
use crate::seat::local::run_local;
use crate::theme_files::LiveTheme;
use color_eyre::eyre::Result;
use futures::future::select_all;
use ratatui::DefaultTerminal;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// The signals a console treats as "quit now".
pub const STOP_SIGNALS: [i32; 4] = [libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT];

/// Listens for the stop signals. Create it once per loop (inside a runtime) and poll
/// [`Stop::recv`] in the loop's `select!`: it is cancel-safe, so no signal is lost between
/// iterations.
pub struct Stop {
    signals: Vec<(i32, Signal)>,
}

impl Stop {
    /// Starts listening. Needs a tokio runtime with I/O enabled.
    pub fn listen() -> std::io::Result<Stop> {
        let signals = STOP_SIGNALS
            .iter()
            .map(|&n| signal(SignalKind::from_raw(n)).map(|s| (n, s)))
            .collect::<std::io::Result<_>>()?;
        Ok(Stop { signals })
    }

    /// Waits for the next stop signal; returns its number.
    pub async fn recv(&mut self) -> i32 {
        let waits = self.signals.iter_mut().map(|(n, s)| {
            let n = *n;
            Box::pin(async move {
                s.recv().await;
                n
            })
        });
        select_all(waits).await.0
    }

    /// Waits for a stop signal and returns it as the error that ends the command.
    pub async fn stopped<T>(&mut self) -> Result<T> {
        let n = self.recv().await;
        Err(Exit::Signal(n).into())
    }
}

/// Runs the local terminal as a seat until it leaves, or until a stop signal: then the seat
/// leaves the drill the way `q` does (a seat that conducts first ends the drill, saying which
/// signal), and the signal comes back as [`Exit::Signal`] for the caller's normal quit path.
pub async fn run_local_until_stopped(
    term: &mut DefaultTerminal,
    events: &mut LocalInput,
    session: &mut SeatSession,
    theme: &LiveTheme,
) -> Result<()> {
    let mut stop = Stop::listen()?;
    let n = tokio::select! {
        r = run_local(term, events, session, theme) => return r,
        n = stop.recv() => n,
    };
    leave_on_signal(session, n).await;
    Err(Exit::Signal(n).into())
}

/// What a signalled seat records: `end` (when it may conduct and the drill still runs) and
/// `leave`, so the recording says how the drill stopped.
pub async fn leave_on_signal(session: &SeatSession, n: i32) {
    let drill = session.room.drill();
    let conducts = drill
        .seats
        .iter()
        .find(|s| s.id == session.seat)
        .is_some_and(|s| match &s.role {
            None => true,
            Some(r) => drill.scenario.role(r).is_some_and(|r| r.facilitator),
        });
    if conducts && !matches!(drill.status, Status::Ended(_)) {
        let reason = format!("stopped by {}", crate::cmd::exit::signal_name(n));
        let _ = session
            .room
            .send(session.seat, Action::End { reason })
            .await;
    }
    let _ = session.room.send(session.seat, Action::Leave).await;
}
