//! The SSH lobby on one channel: drawn for the seat's terminal, kept up to date with the open
//! drills and sessions, until the player is seated, quits or drops. `t` picks the seat's theme.

use super::*;
use crate::input::{Input, Key};
use crate::seat::driver::{Peer, PeerEvent, SeatEnd, theme_for_depth};
use crate::ui::lobby::rooms::{Pick, SshLobby};

/// The themes a seat may pick in the lobby, the server's first: it, then each bundled theme.
fn theme_choices(server: &Theme) -> Vec<Theme> {
    let mut themes = vec![server.clone()];
    for name in crate::ui::theme::bundled_names() {
        if *name != server.name()
            && let Some(t) = Theme::bundled(name)
        {
            themes.push(t);
        }
    }
    themes
}

/// The lobby's word on a seat's theme and colours: `theme dark · 256 colours`.
fn theme_label(theme: &Theme, depth: ColourDepth) -> String {
    format!("theme {} · {}", theme.name(), depth.label())
}

/// Runs the lobby on `peer` until the player is seated (the room and seat), quits or drops.
/// `t` cycles the seat's theme (this seat only; the drill it joins keeps it).
pub(crate) async fn lobby(
    ctx: &Arc<Ctx>,
    name: &str,
    peer: &mut Peer,
    theme: &mut Theme,
    depth: ColourDepth,
) -> Result<Chosen, SeatEnd> {
    let catalogue = ctx.scenarios.get().await;
    let mut lobby = SshLobby::new(name, catalogue, ctx.registry.list());
    let listed = {
        let ctx = ctx.clone();
        tokio::task::spawn_blocking(move || session::setlists(&ctx)).await
    };
    lobby.setlists = listed.unwrap_or_default();
    lobby.set_sessions(ctx.sessions.list());
    let mut sessions = ctx.sessions.subscribe();
    lobby.tempo = ctx.tempo;
    lobby.theme = Some(theme_label(theme, depth));
    let themes = theme_choices(&ctx.theme);
    let mut picked = 0;
    let mut registry = ctx.registry.subscribe();
    let mut refresh = tokio::time::interval(Duration::from_secs(1));
    let mut stopping = ctx.stopping.subscribe();
    let mut dirty = true;
    loop {
        if dirty {
            peer.show(|buf, area| lobby.draw(buf, area, theme))?;
            dirty = false;
        }
        let keys = tokio::select! {
            ev = peer.next() => match ev {
                PeerEvent::Gone => return Err(SeatEnd::PeerGone),
                PeerEvent::Redraw => {
                    dirty = true;
                    continue;
                }
                PeerEvent::Input(inputs) => inputs,
            },
            changed = registry.changed() => {
                if changed.is_ok() {
                    dirty |= lobby.set_rooms(ctx.registry.list());
                }
                continue;
            }
            changed = sessions.changed() => {
                if changed.is_ok() {
                    dirty |= lobby.set_sessions(ctx.sessions.list());
                }
                continue;
            }
            _ = refresh.tick() => {
                dirty |= lobby.set_rooms(ctx.registry.list());
                dirty |= lobby.set_sessions(ctx.sessions.list());
                continue;
            }
            () = async { let _ = stopping.wait_for(|s| *s).await; } => {
                return Err(SeatEnd::RoomClosed(SERVER_STOPPING.into()));
            }
        };
        let area = peer.area();
        for key in keys {
            if let Input::Key(k) = &key
                && *k == Key::char('t')
                && !lobby.filter.is_typing()
            {
                dirty = true;
                picked = (picked + 1) % themes.len();
                *theme = theme_for_depth(&themes[picked], depth);
                lobby.theme = Some(theme_label(theme, depth));
                continue;
            }
            dirty |= key.redraws();
            let chosen = match lobby.on_input(&key, area) {
                None => continue,
                Some(Pick::Quit) => return Err(SeatEnd::Left),
                Some(Pick::Library) => {
                    if super::library::library(ctx, peer, theme).await? {
                        return Err(SeatEnd::Left);
                    }
                    lobby.set_rooms(ctx.registry.list());
                    dirty = true;
                    continue;
                }
                Some(Pick::New { entry, role }) => {
                    let entry = lobby.catalogue.entries[entry].clone();
                    seat_in_new(ctx, entry, name, role.as_deref())
                        .await
                        .map(|(r, s)| Chosen::Drill(r, s))
                }
                Some(Pick::Join { room, role }) => seat_in(ctx, &room, name, role.as_deref())
                    .await
                    .map(|(r, s)| Chosen::Drill(r, s)),
                Some(Pick::Session {
                    name: room,
                    observe,
                }) => session::join_session(ctx, &room, name, observe)
                    .await
                    .map(|(r, s)| Chosen::Session(r, s, observe)),
                Some(Pick::NewSession { setlist }) => session::open_session(ctx, &setlist, name)
                    .await
                    .map(|(r, s)| Chosen::Session(r, s, false)),
            };
            match chosen {
                Ok(seated) => return Ok(seated),
                Err(e) => {
                    lobby.set_rooms(ctx.registry.list());
                    lobby.set_sessions(ctx.sessions.list());
                    lobby.back(e);
                }
            }
        }
    }
}
