//! The scenario catalogue as `gamelan serve` offers it: read once, then again only after the
//! scenarios directory changed (the watcher of src/watch.rs) or, as a fallback for a
//! directory made after the server started, when the copy is older than [`MAX_AGE`]. Reading
//! happens on the blocking pool, never on the threads that serve seats.

use crate::scenario::Catalogue;
use crate::watch::Watcher;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// The longest a catalogue is served without looking at the directory again.
pub const MAX_AGE: Duration = Duration::from_secs(30);

/// The cached catalogue; share it behind the server's context.
pub struct Scenarios {
    dir: PathBuf,
    cached: Mutex<Option<(Instant, Catalogue)>>,
    /// Set by the watcher when a file in the directory changed.
    stale: Arc<AtomicBool>,
    watching: AtomicBool,
}

impl Scenarios {
    /// A cache of the bundled scenarios plus those in `dir`; nothing is read yet.
    pub fn new(dir: PathBuf) -> Scenarios {
        Scenarios {
            dir,
            cached: Mutex::new(None),
            stale: Arc::new(AtomicBool::new(false)),
            watching: AtomicBool::new(false),
        }
    }

    /// The catalogue, read again only when it may have changed.
    pub async fn get(&self) -> Catalogue {
        self.watch();
        let mut cached = self.cached.lock().await;
        let fresh = |at: &Instant| at.elapsed() < MAX_AGE && !self.stale.load(Ordering::SeqCst);
        if let Some((at, catalogue)) = cached.as_ref()
            && fresh(at)
        {
            return catalogue.clone();
        }
        self.stale.store(false, Ordering::SeqCst);
        let dir = self.dir.clone();
        let read = tokio::task::spawn_blocking(move || Catalogue::load(Some(&dir))).await;
        let catalogue = read.unwrap_or_else(|_| Catalogue::load(None));
        *cached = Some((Instant::now(), catalogue.clone()));
        catalogue
    }

    /// Starts the directory watcher once (from inside the runtime); without one (no
    /// directory yet, no inotify) the age limit alone applies.
    fn watch(&self) {
        if self.watching.swap(true, Ordering::SeqCst) {
            return;
        }
        let Ok(mut watcher) = Watcher::new(&[&self.dir]) else {
            return;
        };
        let stale = self.stale.clone();
        tokio::spawn(async move {
            loop {
                watcher.changed().await;
                stale.store(true, Ordering::SeqCst);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_once_and_again_after_an_edit() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Scenarios::new(dir.path().to_path_buf());
        let first = cache.get().await;
        let bundled = first.entries.len();
        assert_eq!(
            cache.get().await.entries.len(),
            bundled,
            "served from the cache"
        );
        // A new scenario file: the watcher marks the copy stale and the next login sees it.
        let src = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bad-deploy.toml"),
        )
        .unwrap()
        .replacen("id = \"bad-deploy\"", "id = \"my-deploy\"", 1);
        std::fs::write(dir.path().join("mine.toml"), src).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let now = cache.get().await;
            if now.get("my-deploy").is_some() {
                break;
            }
            assert!(Instant::now() < deadline, "the edit was never seen");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
