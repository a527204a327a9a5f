//! A session hosted on a socket: its Query answer, and seating a joining terminal as a
//! participant or (with `observe` in its Hello) an observer.

use super::host::{admit_name, send_bye, serve_peer};
use super::*;
use crate::room::session::SessionRoom;
use crate::seat::driver::theme_for_depth;
use crate::session::state::Phase;

/// The session as a Query answer: `scenario` is `session`, `state` where the setlist stands.
pub fn info(ctx: &ServeCtx, room: &SessionRoom) -> Info {
    let state = room.state();
    let state = state.borrow();
    let s = &state.session;
    let phase = match &s.phase {
        _ if state.closed.is_some() => "closing".to_string(),
        Phase::Gathering => "gathering".to_string(),
        Phase::In { segment } => format!("segment {}/{}", segment + 1, s.segments.len()),
        Phase::Ended { .. } => "ended".to_string(),
    };
    let bpm = s.plan.setlist.bpm;
    Info {
        version: VERSION,
        name: ctx.name.clone(),
        scenario: "session".into(),
        title: s.plan.setlist.title.clone(),
        host: ctx.host.clone(),
        state: phase,
        beat: s.beat,
        bar_beat: crate::session::clock(s.plan.setlist.seconds(s.beat)),
        bpm,
        seats: s
            .seats
            .iter()
            .map(|x| InfoSeat {
                name: x.name.clone(),
                role: Some(role_of(s, x.id).into()),
                present: x.present,
                conducts: s.conducts(x.id),
            })
            .collect(),
        roles: vec!["participant".into(), "observer".into()],
        session: true,
    }
}

/// A seat's role in a session, as listings show it.
pub fn role_of(s: &crate::session::Session, id: crate::session::SeatId) -> &'static str {
    match s.seat(id) {
        Some(x) if x.observer => "observer",
        _ if s.facilitator == Some(id) => "facilitator",
        _ if s.presenter == Some(id) => "presenter",
        _ => "participant",
    }
}

/// Seats a joining terminal in the session and plays it until it ends.
pub(super) async fn seat(
    rd: tokio::net::unix::OwnedReadHalf,
    mut wr: tokio::net::unix::OwnedWriteHalf,
    hello: Hello,
    ctx: &ServeCtx,
    room: &SessionRoom,
    joining: &tokio::sync::Mutex<()>,
) {
    let naming = hello.naming();
    let admitted = {
        let _one_at_a_time = joining.lock().await;
        match admit(&hello, room).await {
            Ok(name) => room.join(&name, hello.observe, naming).await,
            Err(reason) => Err(reason),
        }
    };
    let seated = match admitted {
        Ok(s) => s,
        Err(reason) => return send_bye(&mut wr, Bye::refused(reason)).await,
    };
    let left = format!("{} left the session `{}`", seated.name, ctx.name);
    let room = room.clone();
    let theme = ctx.theme.clone();
    let observe = hello.observe;
    serve_peer(
        rd,
        wr,
        &hello,
        (left, "session"),
        move |peer, depth| async move {
            let theme = theme_for_depth(&theme, depth);
            match peer {
                Ok(mut peer) => {
                    let end =
                        crate::seat::session::drive(room, seated, observe, &theme, &mut peer).await;
                    peer.give_back().await;
                    end
                }
                Err(e) => {
                    let _ = room
                        .act(seated.id, crate::session::SessionAction::Leave)
                        .await;
                    e.into()
                }
            }
        },
    )
    .await;
}

/// Checks a Hello against the session; the refusal is the Bye reason.
async fn admit(hello: &Hello, room: &SessionRoom) -> Result<String, String> {
    let name = admit_name(hello)?;
    if let Some(role) = &hello.role {
        return Err(format!(
            "a session has no roles (asked for `{role}`): join without --role, or with --observe to watch"
        ));
    }
    if !hello.exact {
        return Ok(name);
    }
    // A seat whose terminal just vanished may not have left yet: give it a moment.
    let mut state = room.state();
    let taken = |s: &crate::room::session::SessionState| {
        s.session.seats.iter().any(|x| x.present && x.name == name)
    };
    let free = tokio::time::timeout(
        std::time::Duration::from_millis(1500),
        state.wait_for(|s| !taken(s)),
    )
    .await;
    if !matches!(free, Ok(Ok(_))) {
        return Err(format!(
            "the seat name `{name}` is taken by someone in the session; join with --as ANOTHER-NAME"
        ));
    }
    Ok(name)
}
