//! The runner: one tokio task per pane. Each task polls its source at the pane's interval under
//! the pane's timeout, writes the result into the pane's state, and bumps a shared `watch`
//! counter so that the UI redraws only when something changed. A failing source is retried with
//! exponential backoff (interval, 2×, 4×… capped at `max_backoff`) and keeps its last good data
//! on screen. Dropping the [`VistaHandle`] stops every task.

use super::config::{PaneDef, SourceDef, VistaConfig};
use super::source::Source;
use super::state::{PaneState, Status};
use super::time::now_unix;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A running vista: its panes' shared state, a change signal, and the tasks behind them.
pub struct VistaHandle {
    config: Arc<VistaConfig>,
    panes: Vec<PaneHandle>,
    tasks: Vec<Option<JoinHandle<()>>>,
    changed: Arc<watch::Sender<u64>>,
    wake: Arc<Notify>,
    rt: tokio::runtime::Handle,
}

/// One pane: its definition and its live state.
#[derive(Debug, Clone)]
pub struct PaneHandle {
    pub def: Arc<PaneDef>,
    state: Arc<Mutex<PaneState>>,
}

impl PaneHandle {
    /// Locks the pane's state for reading (or drawing). Hold it briefly: the pane's task waits
    /// for it to store its next result.
    pub fn state(&self) -> MutexGuard<'_, PaneState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy of the state, for code that must not hold the lock.
    pub fn snapshot(&self) -> PaneState {
        self.state().clone()
    }
}

/// Starts a vista on the current tokio runtime (panics outside one, like `tokio::spawn`).
pub fn spawn(config: &VistaConfig) -> VistaHandle {
    spawn_on(&tokio::runtime::Handle::current(), config)
}

/// Starts a vista on the given runtime; may be called from any thread.
pub fn spawn_on(rt: &tokio::runtime::Handle, config: &VistaConfig) -> VistaHandle {
    let (tx, _) = watch::channel(0u64);
    let mut handle = VistaHandle {
        config: Arc::new(config.clone()),
        panes: Vec::new(),
        tasks: Vec::new(),
        changed: Arc::new(tx),
        wake: Arc::new(Notify::new()),
        rt: rt.clone(),
    };
    for def in &config.panes {
        let (pane, task) = handle.start(def.clone());
        handle.panes.push(pane);
        handle.tasks.push(Some(task));
    }
    handle
}

fn line_capacity(def: &PaneDef) -> usize {
    match &def.source {
        SourceDef::File(f) => f.lines,
        SourceDef::Command(c) => c.lines,
        _ => 1,
    }
}

/// The wait before retry number `failures` (1 for the first failure): the interval, then
/// doubling, capped at `max_backoff` (or the interval, if that is longer).
pub fn backoff(refresh: Duration, failures: u32, max_backoff: Duration) -> Duration {
    let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(20));
    refresh.saturating_mul(factor).min(max_backoff.max(refresh))
}

impl VistaHandle {
    fn start(&self, def: PaneDef) -> (PaneHandle, JoinHandle<()>) {
        let state = Arc::new(Mutex::new(PaneState::new(
            self.config.history,
            line_capacity(&def),
        )));
        let pane = PaneHandle {
            def: Arc::new(def),
            state,
        };
        let task = self.rt.spawn(run_pane(Ctx {
            def: pane.def.clone(),
            state: pane.state.clone(),
            changed: self.changed.clone(),
            wake: self.wake.clone(),
            max_backoff: self.config.max_backoff,
        }));
        (pane, task)
    }

    pub fn config(&self) -> &VistaConfig {
        &self.config
    }

    /// The panes, in the config's order.
    pub fn panes(&self) -> &[PaneHandle] {
        &self.panes
    }

    pub fn pane(&self, id: &str) -> Option<&PaneHandle> {
        self.panes.iter().find(|p| p.def.id == id)
    }

    /// A receiver whose value changes whenever any pane's state changes: `rx.changed().await`
    /// in the UI's `select!`, then redraw (check each pane's `version` to skip unchanged ones).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// The current change counter.
    pub fn version(&self) -> u64 {
        *self.changed.borrow()
    }

    /// Wakes every pane that is waiting for its next poll (or backing off) to poll now.
    pub fn refresh_now(&self) {
        self.wake.notify_waiters();
    }

    /// Swaps in a new config (a reloaded vista.toml). Panes whose definition did not change keep
    /// their task and their history; the others start afresh; removed ones stop.
    pub fn reload(&mut self, config: &VistaConfig) {
        let globals_same =
            self.config.history == config.history && self.config.max_backoff == config.max_backoff;
        let mut old: Vec<(PaneHandle, Option<JoinHandle<()>>)> =
            self.panes.drain(..).zip(self.tasks.drain(..)).collect();
        self.config = Arc::new(config.clone());
        for def in &config.panes {
            let keep = if globals_same {
                old.iter().position(|(p, _)| *p.def == *def)
            } else {
                None
            };
            let (pane, task) = match keep {
                Some(i) => old.remove(i),
                None => {
                    let (p, t) = self.start(def.clone());
                    (p, Some(t))
                }
            };
            self.panes.push(pane);
            self.tasks.push(task);
        }
        for (_, task) in old {
            if let Some(t) = task {
                t.abort();
            }
        }
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// Stops every pane's task (also done on drop). The state stays readable.
    pub fn shutdown(&mut self) {
        for t in self.tasks.iter_mut().filter_map(Option::take) {
            t.abort();
        }
    }

    /// Whether the pane tasks are still running (false after shutdown or if one died).
    pub fn is_running(&self) -> bool {
        self.tasks
            .iter()
            .all(|t| t.as_ref().is_some_and(|t| !t.is_finished()))
    }
}

impl Drop for VistaHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

struct Ctx {
    def: Arc<PaneDef>,
    state: Arc<Mutex<PaneState>>,
    changed: Arc<watch::Sender<u64>>,
    wake: Arc<Notify>,
    max_backoff: Duration,
}

impl Ctx {
    fn update(&self, f: impl FnOnce(&mut PaneState) -> bool) {
        let changed = {
            let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            let changed = f(&mut s);
            if changed {
                s.version = s.version.wrapping_add(1);
            }
            changed
        };
        if changed {
            self.changed.send_modify(|v| *v = v.wrapping_add(1));
        }
    }
}

async fn run_pane(cx: Ctx) {
    let mut source = Source::new(&cx.def);
    let refresh = cx.def.refresh;
    let stale_after = (refresh * 2).max(Duration::from_secs(2));
    loop {
        let started = Instant::now();
        let result = {
            let poll = source.poll();
            tokio::pin!(poll);
            let stale = tokio::time::sleep(stale_after);
            tokio::pin!(stale);
            let mut flagged = false;
            loop {
                tokio::select! {
                    r = &mut poll => break r,
                    () = &mut stale, if !flagged => {
                        flagged = true;
                        cx.update(|s| {
                            let was_ok = s.status == Status::Ok;
                            if was_ok {
                                s.status = Status::Stale;
                            }
                            was_ok
                        });
                    }
                }
            }
        };
        let took = started.elapsed();
        let now = now_unix();
        let mut wait = refresh;
        cx.update(|s| {
            s.polls += 1;
            s.last_duration = Some(took);
            match result {
                Ok(reading) => s.apply(reading, now),
                Err(message) => {
                    s.fail(message, now);
                    wait = backoff(refresh, s.failures, cx.max_backoff);
                }
            }
            let next = (started + wait).max(Instant::now());
            s.next_poll = Some(now + next.saturating_duration_since(Instant::now()).as_secs_f64());
            true
        });
        let next = (started + wait).max(Instant::now());
        tokio::select! {
            () = tokio::time::sleep_until(next) => {}
            () = cx.wake.notified() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let s = Duration::from_secs;
        let b: Vec<_> = (1..=7).map(|n| backoff(s(1), n, s(30)).as_secs()).collect();
        assert_eq!(b, vec![1, 2, 4, 8, 16, 30, 30]);
        assert_eq!(
            backoff(s(60), 3, s(30)),
            s(60),
            "never faster than the interval"
        );
        assert_eq!(backoff(s(1), u32::MAX, s(30)), s(30));
    }
}
