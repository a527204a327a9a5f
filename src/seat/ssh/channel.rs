//! One SSH channel's life: the lobby (or a direct command), the seat, the goodbye.

use super::*;

use crate::drill::Drill;
use crate::record::{self, Recorder};
use crate::room::{Naming, Room, Seated};
use crate::scenario;
use crate::seat::driver::{self, Peer, SeatEnd, SeatIn, theme_for_depth};
use crate::ui::widgets::text::clean;
use russh::ChannelId;
use russh::server::Handle;
use std::io;
use std::sync::Arc;
use tokio::sync::mpsc;

/// The name a seat gets for SSH user `user`: control characters dropped and at most 64
/// characters (what the drill core keeps, so that a returning player matches its seat).
pub fn seat_name(user: &str) -> String {
    let name = crate::drill::display_seat_name(user);
    if name.is_empty() {
        "guest".into()
    } else {
        name
    }
}

/// One channel's life: the lobby (or a direct command), the seat, then the reason printed,
/// exit status sent and the channel closed.
pub(crate) async fn seat_channel(
    ctx: &Arc<Ctx>,
    handle: Handle,
    id: ChannelId,
    user: &str,
    pty: Screen,
    input: mpsc::Receiver<SeatIn>,
    direct: Option<Direct>,
) {
    let (out, out_rx) = mpsc::channel::<Vec<u8>>(OUTPUT_FRAMES);
    let drain = tokio::spawn(drain(handle.clone(), id, out_rx));
    let seated = {
        let (ctx, user) = (ctx.clone(), user.to_string());
        driver::guarded(async move { seat(&ctx, &user, pty, input, out, direct).await })
    };
    let outcome = seated.await;
    let _ = drain.await;
    let (message, status) = match outcome {
        Ok(done) => done,
        Err(failed) => {
            // The seat's task panicked: the player gets the terminal back and the reason, never
            // a dead screen, and no other seat notices.
            let _ = handle.data(id, driver::LEAVE.to_vec()).await;
            (format!("gamelan: {failed}"), 1)
        }
    };
    if !message.is_empty() {
        let text: String = clean_lines(&message);
        let _ = handle.data(id, text.into_bytes()).await;
    }
    let _ = handle.exit_status_request(id, status).await;
    let _ = handle.eof(id).await;
    let _ = handle.close(id).await;
}

/// Text for the peer's terminal: control characters made visible, lines ended with CRLF.
pub(crate) fn clean_lines(text: &str) -> String {
    text.lines().map(|l| format!("{}\r\n", clean(l))).collect()
}

/// Hands frames to the SSH session. Several frames waiting are sent as one message. This is
/// the only task that waits for a slow client.
pub(crate) async fn drain(handle: Handle, id: ChannelId, mut rx: mpsc::Receiver<Vec<u8>>) {
    while let Some(mut bytes) = rx.recv().await {
        while let Ok(more) = rx.try_recv() {
            bytes.extend_from_slice(&more);
        }
        if handle.data(id, bytes).await.is_err() {
            break;
        }
    }
}

/// Why every lobby seat is let go when `serve` stops.
pub const SERVER_STOPPING: &str = "the server is shutting down";

/// What to print when a channel's seat ended, and the exit status; `room` is the drill it
/// was in, if it got that far.
pub(crate) fn farewell(end: &SeatEnd, room: Option<&str>) -> (String, u32) {
    let status = u32::from(!end.is_clean() && *end != SeatEnd::PeerGone);
    let message = match (end, room) {
        // Nobody is there to read it.
        (SeatEnd::PeerGone, _) => String::new(),
        (SeatEnd::Left, None) => "gamelan: bye".into(),
        (SeatEnd::Refused(reason), _) => reason.clone(),
        (end, Some(room)) => format!("gamelan: {} ({room})", end.message()),
        (end, None) => format!("gamelan: {}", end.message()),
    };
    (message, status)
}

/// Chooses a drill and plays it; returns what to print and the exit status.
pub(crate) async fn seat(
    ctx: &Arc<Ctx>,
    user: &str,
    pty: Screen,
    input: mpsc::Receiver<SeatIn>,
    out: mpsc::Sender<Vec<u8>>,
    direct: Option<Direct>,
) -> (String, u32) {
    let name = seat_name(user);
    match &direct {
        Some(Direct::List) => return (listing(ctx).await, 0),
        Some(Direct::Usage(problem)) => return (format!("{problem}\n{USAGE}"), 2),
        _ => {}
    }
    let depth = pty.term.depth();
    let mut peer = match Peer::new(input, out, pty.size, depth) {
        Ok(p) => p,
        Err(e) => return farewell(&e.into(), None),
    };
    let mut theme = theme_for_depth(&ctx.theme, depth);
    let chosen = match direct {
        None => lobby(ctx, &name, &mut peer, &mut theme, depth).await,
        Some(Direct::Session { setlist }) => session::open_session(ctx, &setlist, &name)
            .await
            .map(|(r, s)| Chosen::Session(r, s, false))
            .map_err(SeatEnd::Refused),
        Some(Direct::Observe { room }) => session::join_session(ctx, &room, &name, true)
            .await
            .map(|(r, s)| Chosen::Session(r, s, true))
            .map_err(SeatEnd::Refused),
        Some(Direct::Join { room, role }) if session::is_session(ctx, &room) => {
            let observe = match role.as_deref() {
                None => Ok(false),
                Some("observe" | "observer") => Ok(true),
                Some(other) => Err(SeatEnd::Refused(format!(
                    "a session has no role {:?}: join {room} (taking part) or join {room} observe",
                    clean(other)
                ))),
            };
            match observe {
                Ok(observe) => session::join_session(ctx, &room, &name, observe)
                    .await
                    .map(|(r, s)| Chosen::Session(r, s, observe))
                    .map_err(SeatEnd::Refused),
                Err(e) => Err(e),
            }
        }
        Some(Direct::New { scenario, role }) => {
            let catalogue = ctx.scenarios.get().await;
            match scenario::find(&catalogue, &scenario) {
                Ok(entry) => seat_in_new(ctx, entry, &name, role.as_deref()).await,
                Err(_) => Err(format!(
                    "no scenario {:?}; `list` shows them",
                    clean(&scenario)
                )),
            }
            .map(|(r, s)| Chosen::Drill(r, s))
            .map_err(SeatEnd::Refused)
        }
        Some(Direct::Join { room, role }) => {
            // A returning player keeps the role of its seat unless it names another.
            let role = role.or_else(|| {
                ctx.registry
                    .list()
                    .into_iter()
                    .find(|r| r.name == room)
                    .and_then(|r| r.absent_seat(&name).and_then(|s| s.role.clone()))
            });
            seat_in(ctx, &room, &name, role.as_deref())
                .await
                .map(|(r, s)| Chosen::Drill(r, s))
                .map_err(SeatEnd::Refused)
        }
        Some(Direct::List | Direct::Usage(_)) => unreachable!("answered above"),
    };
    let (room, seated) = match chosen {
        Ok(Chosen::Drill(room, seated)) => (room, seated),
        Ok(Chosen::Session(room, seated, observe)) => {
            let who = seated.name.clone();
            let end =
                crate::seat::session::drive(room.clone(), seated, observe, &theme, &mut peer).await;
            peer.give_back().await;
            let how = match end {
                SeatEnd::PeerGone => Departure::Dropped,
                _ => Departure::Quit,
            };
            ctx.sessions.detach(&room.name, &who, how);
            return session::farewell(&end, &room.name);
        }
        Err(end) => {
            peer.give_back().await;
            return farewell(&end, None);
        }
    };
    let who = seated.name.clone();
    let end = driver::drive(room.clone(), seated, &theme, &mut peer).await;
    peer.give_back().await;
    let how = match end {
        SeatEnd::PeerGone => Departure::Dropped,
        _ => Departure::Quit,
    };
    ctx.registry.detach(&room.name, &who, how);
    farewell(&end, Some(&room.name))
}

/// What a channel's player chose: a drill seat, or a session seat (observing or not).
pub(crate) enum Chosen {
    Drill(Room, Seated),
    Session(crate::room::session::SessionRoom, Seated, bool),
}

/// Opens a new drill of `entry` (recorded to the data directory) and seats `name` in it.
pub(crate) async fn seat_in_new(
    ctx: &Arc<Ctx>,
    entry: scenario::Entry,
    name: &str,
    role: Option<&str>,
) -> Result<(Room, Seated), String> {
    if let Some(r) = role
        && entry.scenario.role(r).is_none()
    {
        return Err(format!(
            "no role {:?} in {}; roles: {}, solo",
            clean(r),
            entry.scenario.meta.id,
            entry
                .scenario
                .roles
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut drill = Drill::new(entry.scenario.clone(), 1);
    if let Some(bpm) = ctx.tempo {
        drill.bpm = crate::drill::clamp_tempo(bpm);
    }
    let recorder = recorder_for(ctx, &drill).await;
    let room = ctx.registry.open(drill, recorder)?;
    match room.take_seat(name, role, Naming::Derived).await {
        Ok(seat) => Ok((room, seat)),
        Err(e) => {
            ctx.registry.detach(&room.name, name, Departure::Quit);
            Err(e)
        }
    }
}

/// A recorder in the data directory's recordings folder, or `None` (logged) when it cannot
/// be created: the drill runs unrecorded rather than not at all. The file is made on the
/// blocking pool.
pub(crate) async fn recorder_for(ctx: &Ctx, drill: &Drill) -> Option<Recorder> {
    let header = record::Header::for_drill(drill, Vec::new());
    let dir = ctx.paths.recordings();
    let id = drill.scenario.meta.id.clone();
    tokio::task::spawn_blocking(move || create_recorder(&dir, &header, &id))
        .await
        .ok()
        .flatten()
}

fn create_recorder(dir: &std::path::Path, header: &record::Header, id: &str) -> Option<Recorder> {
    let mut last = None;
    for _ in 0..5 {
        // Two drills of one scenario started in the same second race for the same name.
        let path = record::default_path(dir, header);
        match Recorder::create(&path, header) {
            Ok(r) => return Some(r),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => {
                last = Some(e);
                break;
            }
        }
    }
    if let Some(e) = last {
        eprintln!("gamelan serve: not recording a {id} drill: {e}");
    }
    None
}

/// Seats `name` in the open drill `room` (its old seat, if it had one).
pub(crate) async fn seat_in(
    ctx: &Arc<Ctx>,
    room: &str,
    name: &str,
    role: Option<&str>,
) -> Result<(Room, Seated), String> {
    let Some(r) = ctx.registry.attach(room, name) else {
        return Err(format!(
            "no open drill {:?}; `list` shows them",
            clean(room)
        ));
    };
    match r.take_seat(name, role, Naming::Derived).await {
        Ok(seat) => {
            ctx.registry.seated(room, &seat.name);
            Ok((r, seat))
        }
        Err(e) => {
            ctx.registry.detach(room, name, Departure::Quit);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::{Instant, sleep_until};

    /// The property every channel relies on: a seat whose frames nobody takes (a stopped
    /// client) has its frames dropped, and the other seats of the drill keep their pace.
    #[tokio::test(start_paused = true)]
    async fn a_stalled_seat_drops_frames_and_never_slows_the_others() {
        let mut drill = Drill::new(crate::scenario::bundled().remove(0).scenario, 1);
        drill.bpm = 600;
        let room = Room::spawn("t".into(), drill, None);
        let a = room.take_seat("ana", None, Naming::Exact).await.unwrap();
        let b = room.take_seat("bo", None, Naming::Exact).await.unwrap();
        let b_id = b.id;
        let (_a_keys, a_in) = mpsc::channel(8);
        let (a_out, mut a_frames) = mpsc::channel(OUTPUT_FRAMES);
        let (b_keys, b_in) = mpsc::channel(8);
        let (b_out, b_frames) = mpsc::channel(OUTPUT_FRAMES);
        for (seat, input, out) in [(a, a_in, a_out), (b, b_in, b_out)] {
            let room = room.clone();
            tokio::spawn(async move {
                let mut peer = Peer::new(input, out, (80, 24), ColourDepth::Ansi256).unwrap();
                driver::drive(room, seat, &Theme::default(), &mut peer).await
            });
        }
        room.start().await;
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut frames = 0;
        loop {
            tokio::select! {
                f = a_frames.recv() => { f.unwrap(); frames += 1; }
                _ = sleep_until(deadline) => break,
            }
        }
        let beats = room.drill().beat;
        assert!(beats >= 95, "100 beats in 10 s at 600 BPM, got {beats}");
        assert!(frames >= beats, "ana got {frames} frames for {beats} beats");
        assert_eq!(
            b_frames.len(),
            OUTPUT_FRAMES,
            "bo's queue is full, not growing"
        );
        // bo's seat still answers: its connection going away makes it leave.
        drop(b_keys);
        let mut state = room.state();
        tokio::time::timeout(
            Duration::from_secs(5),
            state.wait_for(|s| s.drill.seats.iter().any(|x| x.id == b_id && !x.present)),
        )
        .await
        .expect("bo left")
        .unwrap();
    }

    fn test_ctx(dir: &std::path::Path) -> Arc<Ctx> {
        let paths = crate::config::Paths {
            config: dir.join("config"),
            data: dir.join("data"),
            runtime: dir.join("run"),
        };
        Arc::new(Ctx {
            scenarios: scenarios::Scenarios::new(paths.scenarios()),
            paths,
            theme: Theme::default(),
            authorized_keys: dir.join("keys"),
            registry: Registry::new(Duration::from_secs(1)),
            sessions: crate::room::session::registry::SessionRegistry::new(Duration::from_secs(1)),
            tempo: None,
            live: std::sync::atomic::AtomicUsize::new(0),
            stopping: tokio::sync::watch::Sender::new(false),
        })
    }

    /// The lobby runs on the seat driver: a lobby frame the peer could not take is redrawn
    /// in full soon after, with no key pressed; `t` changes this seat's theme.
    #[tokio::test(start_paused = true)]
    async fn the_lobby_makes_good_a_dropped_frame_and_picks_a_theme() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = test_ctx(dir.path());
        ctx.scenarios.get().await;
        let (keys, input) = mpsc::channel(4);
        // Room for one frame: the terminal set-up takes it and the first lobby frame drops.
        let (out, mut frames) = mpsc::channel(1);
        let lobby_ctx = ctx.clone();
        let seat = tokio::spawn(async move {
            let mut peer = Peer::new(input, out, (100, 30), ColourDepth::Ansi256).unwrap();
            let mut theme = Theme::default();
            let chosen = lobby(
                &lobby_ctx,
                "ana",
                &mut peer,
                &mut theme,
                ColourDepth::Ansi256,
            )
            .await;
            (chosen.err(), theme.name().to_string())
        });
        assert_eq!(frames.recv().await.unwrap(), driver::ENTER);
        let redraw = tokio::time::timeout(Duration::from_millis(900), frames.recv())
            .await
            .expect("a full redraw within the retry time")
            .unwrap();
        let text = String::from_utf8_lossy(&redraw);
        assert!(text.contains("welcome, ana"), "{text:?}");
        assert!(text.contains("theme dark · 256 colours"), "{text:?}");
        keys.send(SeatIn::Bytes(b"t".to_vec())).await.unwrap();
        let next = String::from_utf8_lossy(&frames.recv().await.unwrap()).into_owned();
        assert!(next.contains("light"), "{next:?}");
        keys.send(SeatIn::Bytes(b"q".to_vec())).await.unwrap();
        let (end, theme) = seat.await.unwrap();
        assert_eq!(end, Some(SeatEnd::Left));
        assert_eq!(theme, "light");
    }

    #[test]
    fn endings_print_what_happened() {
        assert_eq!(farewell(&SeatEnd::Left, None), ("gamelan: bye".into(), 0));
        assert_eq!(
            farewell(&SeatEnd::Left, Some("bad-deploy-1")),
            ("gamelan: left the drill (bad-deploy-1)".into(), 0)
        );
        assert_eq!(
            farewell(
                &SeatEnd::RoomClosed("the server is shutting down".into()),
                Some("x-1")
            ),
            (
                "gamelan: the drill ended: the server is shutting down (x-1)".into(),
                0
            )
        );
        assert_eq!(
            farewell(&SeatEnd::PeerGone, Some("x-1")),
            (String::new(), 0)
        );
        assert_eq!(
            farewell(&SeatEnd::Refused("no".into()), None),
            ("no".into(), 1)
        );
        assert_eq!(farewell(&SeatEnd::Failed("e".into()), None).1, 1);
    }

    #[test]
    fn seat_names_match_what_the_core_keeps() {
        assert_eq!(seat_name("ana"), "ana");
        assert_eq!(seat_name("a\u{1b}[31mb\u{7}"), "a[31mb");
        assert_eq!(seat_name("\u{1b}"), "guest");
        assert_eq!(seat_name(&"x".repeat(100)).len(), 64);
    }
}
