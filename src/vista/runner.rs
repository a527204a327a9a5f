//! The runner: one tokio task per pane. Each task polls its source at the pane's interval under
//! the pane's timeout, folds the result into the pane's state (which only it holds), and
//! publishes a copy as the pane's [`PaneSnapshot`] in the vista's [`VistaSnapshot`], a `watch`
//! channel the screen reads whole values from (as a system monitor's collector sends whole
//! updates to its view). A failing source is retried with exponential backoff (interval, 2×,
//! 4×… capped at `max_backoff`) and keeps its last good data on screen. Dropping the
//! [`VistaHandle`] stops every task.

use super::annotation::MarkSet;
use super::config::{PaneDef, VistaConfig};
use super::snapshot::{PaneSnapshot, VistaSnapshot, line_capacity};
use super::source::Source;
use super::source::marks::MarkPoller;
use super::state::{PaneState, Status};
use super::time::now_unix;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A running vista: the tasks behind its panes and the channel they publish to.
pub struct VistaHandle {
    config: Arc<VistaConfig>,
    panes: Vec<Running>,
    feed: Arc<watch::Sender<Arc<VistaSnapshot>>>,
    wake: Arc<Notify>,
    rt: tokio::runtime::Handle,
    next_slot: u64,
    /// One task an annotation source.
    marks: Vec<JoinHandle<()>>,
}

/// One pane's task.
struct Running {
    def: Arc<PaneDef>,
    slot: u64,
    task: Option<JoinHandle<()>>,
}

/// Starts a vista on the current tokio runtime (panics outside one, like `tokio::spawn`).
pub fn spawn(config: &VistaConfig) -> VistaHandle {
    spawn_on(&tokio::runtime::Handle::current(), config)
}

/// Starts a vista on the given runtime; may be called from any thread.
pub fn spawn_on(rt: &tokio::runtime::Handle, config: &VistaConfig) -> VistaHandle {
    let (tx, _) = watch::channel(Arc::new(VistaSnapshot::new(config, Vec::new())));
    let mut handle = VistaHandle {
        config: Arc::new(config.clone()),
        panes: Vec::new(),
        feed: Arc::new(tx),
        wake: Arc::new(Notify::new()),
        rt: rt.clone(),
        next_slot: 1,
        marks: Vec::new(),
    };
    handle.replace(config, false);
    handle.start_marks();
    handle
}

/// The wait before retry number `failures` (1 for the first failure): the interval, then
/// doubling, capped at `max_backoff` (or the interval, if that is longer).
pub fn backoff(refresh: Duration, failures: u32, max_backoff: Duration) -> Duration {
    let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(20));
    refresh.saturating_mul(factor).min(max_backoff.max(refresh))
}

impl VistaHandle {
    /// A waiting pane in a fresh slot.
    fn fresh(&mut self, def: &PaneDef) -> (Running, Arc<PaneSnapshot>) {
        let slot = self.next_slot;
        self.next_slot += 1;
        let def = Arc::new(def.clone());
        let state = PaneState::new(self.config.history, line_capacity(&def));
        let snap = Arc::new(PaneSnapshot {
            def: def.clone(),
            state,
            slot,
        });
        let running = Running {
            def,
            slot,
            task: None,
        };
        (running, snap)
    }

    fn start(&self, r: &mut Running, state: PaneState) {
        r.task = Some(self.rt.spawn(run_pane(Ctx {
            def: r.def.clone(),
            slot: r.slot,
            state,
            feed: self.feed.clone(),
            wake: self.wake.clone(),
            max_backoff: self.config.max_backoff,
        })));
    }

    pub fn config(&self) -> &VistaConfig {
        &self.config
    }

    /// The vista as last published: cheap (an `Arc`), and never waits for a source.
    pub fn snapshot(&self) -> Arc<VistaSnapshot> {
        self.feed.borrow().clone()
    }

    /// A receiver of every published snapshot: `rx.changed().await` in the screen's `select!`,
    /// then draw `rx.borrow_and_update().clone()`.
    pub fn subscribe(&self) -> watch::Receiver<Arc<VistaSnapshot>> {
        self.feed.subscribe()
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
        let marks_same = self.config.annotations == config.annotations;
        self.replace(config, globals_same);
        if !marks_same {
            self.start_marks();
        }
    }

    /// (Re)starts one task an annotation source; each publishes its markers whole.
    fn start_marks(&mut self) {
        for t in self.marks.drain(..) {
            t.abort();
        }
        let defs = self.config.annotations.clone();
        let sets: Vec<MarkSet> = defs
            .iter()
            .map(|d| MarkSet {
                id: d.id.clone(),
                ..MarkSet::default()
            })
            .collect();
        self.feed.send_modify(|s| {
            let snap = Arc::make_mut(s);
            snap.marks = Arc::new(sets);
            snap.version = snap.version.wrapping_add(1);
        });
        for (i, def) in defs.into_iter().enumerate() {
            let feed = self.feed.clone();
            let wake = self.wake.clone();
            self.marks.push(self.rt.spawn(async move {
                let refresh = def.refresh;
                let mut poller = MarkPoller::new(def);
                loop {
                    if let Some((marks, error)) = poller.poll().await {
                        feed.send_modify(|s| {
                            let snap = Arc::make_mut(s);
                            let sets = Arc::make_mut(&mut snap.marks);
                            if let Some(set) = sets.get_mut(i) {
                                set.set(marks);
                                set.error = error;
                            }
                            snap.version = snap.version.wrapping_add(1);
                        });
                    }
                    tokio::select! {
                        () = tokio::time::sleep(refresh) => {}
                        () = wake.notified() => {}
                    }
                }
            }));
        }
    }

    fn replace(&mut self, config: &VistaConfig, keep_same: bool) {
        let mut old: Vec<Running> = std::mem::take(&mut self.panes);
        self.config = Arc::new(config.clone());
        // Which panes stay (by slot) and which start afresh.
        let mut panes = Vec::with_capacity(config.panes.len());
        for def in &config.panes {
            let keep = if keep_same {
                old.iter().position(|r| *r.def == *def)
            } else {
                None
            };
            match keep {
                Some(i) => panes.push((old.remove(i), None)),
                None => {
                    let (r, snap) = self.fresh(def);
                    panes.push((r, Some(snap)));
                }
            }
        }
        for r in &mut old {
            if let Some(t) = r.task.take() {
                t.abort();
            }
        }
        // Publish the new layout under the channel's lock, taking each kept pane's latest
        // snapshot as it stands then, so that nothing a kept task published is lost.
        let config = self.config.clone();
        let history = config.history;
        self.feed.send_modify(|current| {
            let list = panes
                .iter()
                .map(|(r, snap)| match snap {
                    Some(s) => s.clone(),
                    // A kept pane's slot is always in the current snapshot; were it not,
                    // the pane would show as waiting until its next poll.
                    None => current
                        .panes
                        .iter()
                        .find(|p| p.slot == r.slot)
                        .cloned()
                        .unwrap_or_else(|| {
                            Arc::new(PaneSnapshot {
                                def: r.def.clone(),
                                state: PaneState::new(history, line_capacity(&r.def)),
                                slot: r.slot,
                            })
                        }),
                })
                .collect();
            *current = Arc::new(VistaSnapshot {
                grid: config.grid(),
                config,
                panes: list,
                version: current.version.wrapping_add(1),
                marks: current.marks.clone(),
                clock: None,
            });
        });
        // New panes start only now, so that their first publish finds their slot.
        for (mut r, snap) in panes {
            if let Some(snap) = snap {
                self.start(&mut r, snap.state.clone());
            }
            self.panes.push(r);
        }
    }

    /// Stops every pane's task (also done on drop). The last snapshot stays readable.
    pub fn shutdown(&mut self) {
        for t in self.panes.iter_mut().filter_map(|r| r.task.take()) {
            t.abort();
        }
        for t in self.marks.drain(..) {
            t.abort();
        }
    }

    /// Whether the pane tasks are still running (false after shutdown or if one died).
    pub fn is_running(&self) -> bool {
        self.panes
            .iter()
            .all(|r| r.task.as_ref().is_some_and(|t| !t.is_finished()))
    }
}

impl Drop for VistaHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// What a pane's task owns: its definition, its state, and where to publish.
struct Ctx {
    def: Arc<PaneDef>,
    slot: u64,
    state: PaneState,
    feed: Arc<watch::Sender<Arc<VistaSnapshot>>>,
    wake: Arc<Notify>,
    max_backoff: Duration,
}

impl Ctx {
    /// Changes the state; when `f` says it changed, publishes a copy.
    fn update(&mut self, f: impl FnOnce(&mut PaneState) -> bool) {
        if !f(&mut self.state) {
            return;
        }
        self.state.version = self.state.version.wrapping_add(1);
        let pane = Arc::new(PaneSnapshot {
            def: self.def.clone(),
            state: self.state.clone(),
            slot: self.slot,
        });
        publish(&self.feed, pane);
    }
}

/// Puts a pane's new snapshot into the vista's; false when its slot is gone (a reload removed
/// the pane and its task is being stopped).
fn publish(feed: &watch::Sender<Arc<VistaSnapshot>>, pane: Arc<PaneSnapshot>) -> bool {
    feed.send_if_modified(move |current| {
        let Some(i) = current.panes.iter().position(|p| p.slot == pane.slot) else {
            return false;
        };
        let snap = Arc::make_mut(current);
        snap.panes[i] = pane;
        snap.version = snap.version.wrapping_add(1);
        true
    })
}

async fn run_pane(mut cx: Ctx) {
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
        let max_backoff = cx.max_backoff;
        cx.update(|s| {
            s.polls += 1;
            s.last_duration = Some(took);
            match result {
                Ok(reading) => s.apply(reading, now),
                Err(message) => {
                    s.fail(message, now);
                    wait = backoff(refresh, s.failures, max_backoff);
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

    fn config(src: &str) -> VistaConfig {
        VistaConfig::parse(src, "t.toml").unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn each_poll_publishes_a_whole_immutable_snapshot() {
        let cfg = config(
            "[vista]\nrefresh = \"100ms\"\n\n[[panes]]\nid = \"a\"\nsource = { type = \"command\", command = \"echo v=3\" }\n\n\
             [[panes]]\nid = \"b\"\nsource = { type = \"command\", command = \"exit 4\" }\n",
        );
        let h = spawn(&cfg);
        let mut rx = h.subscribe();
        let first = rx.borrow_and_update().clone();
        assert_eq!(first.panes.len(), 2);
        let deadline = Instant::now() + Duration::from_secs(10);
        let snap = loop {
            let snap = rx.borrow_and_update().clone();
            if snap.pane("a").unwrap().state.status == Status::Ok
                && snap.pane("b").unwrap().state.status == Status::Error
            {
                break snap;
            }
            assert!(Instant::now() < deadline, "{snap:#?}");
            let _ = tokio::time::timeout(Duration::from_millis(200), rx.changed()).await;
        };
        assert!(
            first
                .panes
                .iter()
                .all(|p| p.state.status == Status::Waiting),
            "a snapshot once taken never changes"
        );
        assert!(snap.version > first.version);
        let a = &snap.pane("a").unwrap().state;
        assert_eq!(a.series("v").and_then(|s| s.latest()), Some(3.0));
        assert!(a.last_success.is_some() && a.polls >= 1);
        let b = &snap.pane("b").unwrap().state;
        assert_eq!(b.current_error().unwrap().message, "exit status 4");
        assert!(b.next_poll.is_some());
        assert_eq!(snap.grid, cfg.grid());
    }

    #[test]
    fn a_removed_pane_publishes_nothing() {
        let cfg = config("[[panes]]\nid = \"a\"\nsource = { type = \"host\" }\n");
        let (tx, mut rx) = watch::channel(Arc::new(VistaSnapshot::new(&cfg, Vec::new())));
        let mut pane = (*tx.borrow().panes[0]).clone();
        pane.state.polls = 9;
        pane.slot = 7;
        assert!(!publish(&tx, Arc::new(pane.clone())), "no pane in slot 7");
        assert!(!rx.has_changed().unwrap());
        pane.slot = 0;
        assert!(publish(&tx, Arc::new(pane)));
        assert_eq!(rx.borrow_and_update().panes[0].state.polls, 9);
    }

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
