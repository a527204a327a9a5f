//! The recordings library on an SSH channel: the server's data directory only, read-only
//! (nothing there is deleted, renamed or written from a seat), each replay a trainer's
//! console drawn for this peer. Forking needs a local console (`gamelan replay REC`).

use super::Ctx;
use crate::cmd::library::{act_on_files, rows, trainer};
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
                    match trainer(run, ghost.as_deref(), &catalogue) {
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
                _ => act_on_files(&mut lib, &cmd, &catalogue),
            }
        }
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
                            Some(TrainerCommand::Table(c)) => {
                                let mut files = crate::seat::drt_files::DrtFiles::default();
                                t.table_files(&c, |c, table, view| files.run(c, table, view));
                            }
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
