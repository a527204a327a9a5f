//! The recordings library on an SSH channel: the server's data directory only, read-only
//! (nothing there is deleted, renamed or written from a seat), each replay a trainer's
//! console drawn for this peer. Forking needs a local console (`gamelan replay REC`).

use super::Ctx;
use crate::cmd::library::{FilesDone, file_work, rows, trainer};
use crate::scenario::Catalogue;
use crate::seat::driver::{Peer, PeerEvent, SeatEnd};
use crate::ui::lobby::library::{Library, LibraryCommand};
use crate::ui::replay::{Trainer, TrainerCommand};
use crate::ui::theme::Theme;
use std::sync::Arc;
use tokio::time::{Instant, sleep_until};

/// The library on `peer` until the player goes back (`Ok(false)`) or leaves (`Ok(true)`).
pub(crate) async fn library(
    ctx: &Arc<Ctx>,
    peer: &mut Peer,
    theme: &Theme,
) -> Result<bool, SeatEnd> {
    let dir = ctx.paths.recordings();
    let catalogue = ctx.scenarios.get().await;
    let list = {
        let (dir, catalogue) = (dir.clone(), catalogue.clone());
        tokio::task::spawn_blocking(move || rows(&dir, &catalogue))
            .await
            .unwrap_or_default()
    };
    let mut lib = Library::new("the server's recordings", list, false);
    let mut dirty = true;
    loop {
        if dirty {
            peer.show(|buf, area| lib.draw(buf, area, theme))?;
            dirty = false;
        }
        let keys = match peer.next().await {
            PeerEvent::Gone => return Err(SeatEnd::PeerGone),
            PeerEvent::Redraw => {
                dirty = true;
                continue;
            }
            PeerEvent::Input(inputs) => inputs,
        };
        for key in keys {
            dirty = true;
            let area = peer.area();
            let Some(cmd) = lib.on_input(&key, area) else {
                continue;
            };
            match &cmd {
                LibraryCommand::Back => return Ok(false),
                LibraryCommand::Quit => return Ok(true),
                LibraryCommand::Replay { run, ghost } => {
                    match open_trainer(run, ghost, &catalogue).await {
                        Ok(mut t) => {
                            if replay(peer, &mut t, theme).await? {
                                return Ok(true);
                            }
                        }
                        Err(e) => lib.flash = Some(e),
                    }
                }
                LibraryCommand::DebriefHtml { run, .. } => {
                    lib.flash = Some(format!(
                        "the server keeps its files as they are: on the server, gamelan debrief {} --format html",
                        run.display()
                    ));
                }
                LibraryCommand::Save { .. } => {
                    if let Some(doc) = &mut lib.document {
                        doc.saved(Err("the server keeps its files as they are".into()));
                    }
                }
                _ => files(&cmd, lib.editable, &catalogue).await.apply(&mut lib),
            }
        }
    }
}

/// The replay console's state for `run`, read and rebuilt on the blocking pool: the task
/// that waits serves this seat only, and the runtime's threads go on serving the others.
async fn open_trainer(
    run: &std::path::Path,
    ghost: &Option<std::path::PathBuf>,
    catalogue: &Catalogue,
) -> Result<Trainer, String> {
    let (run, ghost, catalogue) = (run.to_path_buf(), ghost.clone(), catalogue.clone());
    tokio::task::spawn_blocking(move || trainer(&run, ghost.as_deref(), &catalogue))
        .await
        .unwrap_or_else(|e| Err(format!("could not open the recording: {e}")))
}

/// A library command's file work (the debrief: reading and rebuilding a recording) on the
/// blocking pool.
async fn files(cmd: &LibraryCommand, editable: bool, catalogue: &Catalogue) -> FilesDone {
    let (cmd, catalogue) = (cmd.clone(), catalogue.clone());
    tokio::task::spawn_blocking(move || file_work(&cmd, editable, &catalogue))
        .await
        .unwrap_or_else(|e| FilesDone::Flash(format!("could not read the recording: {e}")))
}

/// The table's file work (exports into the data directory, a CSV read back) on the blocking
/// pool, with copies of the table and the view that come back with the result.
async fn table_files(t: &mut Trainer, cmd: crate::ui::drt::DrtCommand) {
    let Some((view, table)) = t.drt.clone() else {
        return;
    };
    let asked = cmd.clone();
    let done = tokio::task::spawn_blocking(move || {
        let mut view = view;
        let edit = crate::seat::drt_files::DrtFiles::default().run(&asked, &table, &mut view);
        (view, edit)
    })
    .await;
    if let Ok((view, edit)) = done {
        // The view as the work left it (its message), and the edit an import brought.
        t.table_files(&cmd, |_, _, v| {
            *v = view;
            edit
        });
    }
}

/// The trainer's console on `peer` until it quits (`Ok(false)`: back to the library).
async fn replay(peer: &mut Peer, t: &mut Trainer, theme: &Theme) -> Result<bool, SeatEnd> {
    let mut next: Option<Instant> = None;
    loop {
        peer.show(|buf, area| t.draw(buf, area, theme))?;
        if t.playing && next.is_none() {
            next = Some(Instant::now() + t.period());
        } else if !t.playing {
            next = None;
        }
        tokio::select! {
            ev = peer.next() => match ev {
                PeerEvent::Gone => return Err(SeatEnd::PeerGone),
                PeerEvent::Redraw => {}
                PeerEvent::Input(inputs) => {
                    for key in inputs {
                        match t.on_input(&key, peer.area()) {
                            Some(TrainerCommand::Quit) => return Ok(false),
                            Some(TrainerCommand::Fork) => {
                                t.notice = Some(
                                    "forking is for a local console (gamelan replay REC)".into(),
                                );
                            }
                            Some(TrainerCommand::Table(c)) => table_files(t, c).await,
                            None => {}
                        }
                    }
                }
            },
            _ = sleep_until(next.unwrap_or_else(Instant::now)), if next.is_some() => {
                t.tick();
                next = t.playing.then(|| Instant::now() + t.period());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A recording of bad-deploy's winning run in `dir`.
    fn recorded(dir: &std::path::Path) -> std::path::PathBuf {
        use crate::record::{self, Header, Recorder};
        let s = crate::scenario::bundled_one("bad-deploy").unwrap().scenario;
        let (win, _) = crate::scenario::bundled_scripts("bad-deploy").unwrap();
        let script = crate::headless::parse_script(win, "win", &s).unwrap();
        let mut drill = crate::drill::Drill::new(s, 1);
        let inputs = crate::headless::run(&mut drill.clone(), &script, None);
        let header = Header::for_drill(&drill, record::seats_at_start(&inputs));
        let path = dir.join("run.jsonl");
        let mut rec = Recorder::create(&path, &header).unwrap();
        record::perform(&mut drill, &inputs, &mut rec, std::time::Duration::ZERO).unwrap();
        assert!(rec.finish().complete);
        path
    }

    /// On a one-thread runtime, another task runs while the library reads and rebuilds a
    /// recording: the work is on the blocking pool, not on the thread that serves seats.
    #[test]
    fn the_debrief_and_the_replay_are_read_off_the_runtime_threads() {
        let dir = tempfile::tempdir().unwrap();
        let run = recorded(dir.path());
        let catalogue = Catalogue::load(None);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let spins = Arc::new(AtomicUsize::new(0));
            let counter = spins.clone();
            let other = tokio::spawn(async move {
                loop {
                    counter.fetch_add(1, Ordering::SeqCst);
                    tokio::task::yield_now().await;
                }
            });
            tokio::task::yield_now().await;
            // Done inline, the work would never let the other task run: none of it awaits.
            // On the blocking pool the other task runs while this one waits (a quick rebuild
            // may finish before it is scheduled once, so each is tried a few times).
            let cmd = LibraryCommand::Debrief {
                run: run.clone(),
                ghost: None,
            };
            let before = spins.load(Ordering::SeqCst);
            for _ in 0..20 {
                let done = files(&cmd, false, &catalogue).await;
                assert!(matches!(done, FilesDone::Show(_)), "{done:?}");
            }
            let after_debrief = spins.load(Ordering::SeqCst);
            assert!(
                after_debrief > before,
                "no other task ran during the debriefs"
            );
            for _ in 0..20 {
                assert!(open_trainer(&run, &None, &catalogue).await.is_ok());
            }
            assert!(
                spins.load(Ordering::SeqCst) > after_debrief,
                "no other task ran while the replays were opened"
            );
            other.abort();
        });
    }
}
