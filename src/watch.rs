//! Hot reload: watches directories (not files, since editors replace files on save) and
//! reports which files changed, debounced so one save is one reload.

use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

/// Quiet time after the last event before a batch of changes is reported.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// A running directory watcher.
pub struct Watcher {
    _inner: RecommendedWatcher,
    rx: mpsc::UnboundedReceiver<PathBuf>,
    /// Changes seen but not reported yet, and when the quiet period ends; kept here so that
    /// [`Watcher::changed`] is cancel-safe inside `tokio::select!`.
    pending: BTreeSet<PathBuf>,
    quiet_at: Option<Instant>,
}

impl Watcher {
    /// Watches each existing directory in `dirs` (missing ones are skipped).
    pub fn new(dirs: &[&Path]) -> notify::Result<Watcher> {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut inner = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(ev) = res
                && !ev.kind.is_access()
            {
                for p in ev.paths {
                    let _ = tx.send(p);
                }
            }
        })?;
        for d in dirs.iter().filter(|d| d.is_dir()) {
            inner.watch(d, RecursiveMode::NonRecursive)?;
        }
        Ok(Watcher {
            _inner: inner,
            rx,
            pending: BTreeSet::new(),
            quiet_at: None,
        })
    }

    /// Waits for changes, then for a quiet [`DEBOUNCE`], and returns the changed paths.
    /// Cancel-safe: a batch interrupted by another `select!` branch is kept.
    pub async fn changed(&mut self) -> BTreeSet<PathBuf> {
        loop {
            match self.quiet_at {
                None => match self.rx.recv().await {
                    Some(p) => {
                        self.pending.insert(p);
                        self.quiet_at = Some(Instant::now() + DEBOUNCE);
                    }
                    None => return std::future::pending().await,
                },
                Some(at) => tokio::select! {
                    p = self.rx.recv() => if let Some(p) = p {
                        self.pending.insert(p);
                        self.quiet_at = Some(Instant::now() + DEBOUNCE);
                    },
                    _ = sleep_until(at) => {
                        self.quiet_at = None;
                        return std::mem::take(&mut self.pending);
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reports_a_replaced_file_once_per_burst() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Watcher::new(&[dir.path()]).unwrap();
        let f = dir.path().join("vista.toml");
        // An editor's save: write a temp file and rename it over the target, several times.
        for i in 0..3 {
            let tmp = dir.path().join(".vista.toml.swp");
            std::fs::write(&tmp, format!("# {i}")).unwrap();
            std::fs::rename(&tmp, &f).unwrap();
        }
        let changed = tokio::time::timeout(Duration::from_secs(5), w.changed())
            .await
            .unwrap();
        assert!(changed.contains(&f), "{changed:?}");
    }
}
