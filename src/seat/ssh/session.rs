//! Sessions over SSH: opening one from a setlist (the opener facilitates), joining an open one
//! as a participant or an observer, and what the lobby and `list` show of them.

use super::Ctx;
use crate::room::Naming;
use crate::room::Seated;
use crate::room::registry::Departure;
use crate::room::session::SessionRoom;
use crate::session::{bundled, setlist};
use crate::ui::lobby::rooms::Setlist;
use crate::ui::widgets::text::clean;
use std::sync::Arc;

/// Opens a session of setlist `id` (bundled, or the server's own in its config directory)
/// recorded in the data directory, and seats `name` in it as its facilitator.
pub(crate) async fn open_session(
    ctx: &Arc<Ctx>,
    id: &str,
    name: &str,
) -> Result<(SessionRoom, Seated), String> {
    let paths = ctx.paths.clone();
    let (arg, tempo) = (id.to_string(), ctx.tempo);
    // Reading the setlist, its decks, scenarios and vistas is file work: off the runtime.
    let opened = tokio::task::spawn_blocking(move || {
        crate::cmd::session::live::open_spec(&paths, &arg, 1, tempo, &arg, None)
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|d| {
        d.first()
            .map_or_else(|| "the setlist has problems".into(), ToString::to_string)
    })?;
    let (mut spec, notice) = opened;
    if let Some(n) = notice {
        eprintln!("gamelan serve: {n}");
    }
    let room = ctx.sessions.open(id, move |room_name| {
        spec.name = room_name;
        spec
    })?;
    match room.join(name, false, Naming::Derived).await {
        Ok(seat) => Ok((room, seat)),
        Err(e) => {
            ctx.sessions.detach(&room.name, name, Departure::Quit);
            Err(e)
        }
    }
}

/// Seats `name` in the open session `room`, taking part or observing (its old seat, if it
/// had one).
pub(crate) async fn join_session(
    ctx: &Arc<Ctx>,
    room: &str,
    name: &str,
    observe: bool,
) -> Result<(SessionRoom, Seated), String> {
    let Some(r) = ctx.sessions.attach(room, name) else {
        return Err(format!(
            "no open session {:?}; `list` shows them",
            clean(room)
        ));
    };
    match r.join(name, observe, Naming::Derived).await {
        Ok(seat) => Ok((r, seat)),
        Err(e) => {
            ctx.sessions.detach(room, name, Departure::Quit);
            Err(e)
        }
    }
}

/// Whether `room` names an open session (rather than a drill).
pub(crate) fn is_session(ctx: &Ctx, room: &str) -> bool {
    ctx.sessions.list().iter().any(|s| s.name == room)
}

/// The setlists a session can be opened from: the server's own (config directory's
/// `sessions/`), then the bundled ones not shadowed by them.
pub(crate) fn setlists(ctx: &Ctx) -> Vec<Setlist> {
    let mut out: Vec<Setlist> = Vec::new();
    let dir = crate::cmd::session::user_dir(&ctx.paths);
    let mut own: Vec<(String, String)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let file = p.file_name()?.to_string_lossy().into_owned();
            let id = file.strip_suffix(".toml")?;
            if file.ends_with(bundled::DECK_SUFFIX) {
                return None;
            }
            let text = std::fs::read_to_string(&p).ok()?;
            Some((id.to_string(), text))
        })
        .collect();
    own.sort();
    let bundled_ones = bundled::setlist_names()
        .into_iter()
        .filter_map(|id| bundled::setlist(id).map(|(_, text)| (id.to_string(), text.to_string())));
    for (id, text) in own.into_iter().chain(bundled_ones) {
        if out.iter().any(|s| s.id == id) {
            continue;
        }
        if let Ok(list) = setlist::load_str(&text, &id) {
            out.push(Setlist {
                id,
                title: list.title.clone(),
                segments: list
                    .segments
                    .iter()
                    .map(|s| format!("{}: {}", s.kind.name(), s.title))
                    .collect(),
            });
        }
    }
    out
}

/// What to print when a session seat ended, and the exit status.
pub(crate) fn farewell(end: &crate::seat::driver::SeatEnd, room: &str) -> (String, u32) {
    use crate::seat::driver::SeatEnd;
    match end {
        SeatEnd::Left => (format!("gamelan: left the session ({room})"), 0),
        SeatEnd::RoomClosed(reason) => {
            (format!("gamelan: the session ended: {reason} ({room})"), 0)
        }
        other => super::farewell(other, Some(room)),
    }
}

/// `ssh HOST list`'s sessions part.
pub(crate) fn listing(ctx: &Ctx) -> String {
    let mut out = String::from("open sessions:\n");
    let open = ctx.sessions.list();
    if open.is_empty() {
        out.push_str("  (none)\n");
    }
    for s in open {
        out.push_str(&format!(
            "  {}  {}  {}  {} observing\n",
            clean(&s.name),
            clean(&s.at),
            s.people
                .iter()
                .map(|n| clean(n))
                .collect::<Vec<_>>()
                .join(", "),
            s.observers
        ));
    }
    out.push_str("setlists:\n");
    for s in setlists(ctx) {
        out.push_str(&format!("  {}  {}\n", clean(&s.id), clean(&s.title)));
    }
    out
}
