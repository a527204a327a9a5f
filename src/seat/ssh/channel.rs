//! One SSH channel's life: the lobby (or a direct command), the seat, the goodbye.

use super::*;

use crate::drill::{Drill, SeatId};
use crate::record::{self, Recorder};
use crate::room::Room;
use crate::scenario::{self, Catalogue};
use crate::seat::driver::{self, ENTER, LEAVE, PeerBackend, SeatIn, Sink, clamp_size};
use crate::seat::keybytes::KeyParser;
use crate::ui::lobby::rooms::{Pick, SshLobby};
use crate::ui::widgets::text::clean;
use color_eyre::eyre::Result;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use russh::ChannelId;
use russh::server::Handle;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

/// A command given to `ssh HOST COMMAND`, which skips the lobby.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Direct {
    /// `new SCENARIO [ROLE]`
    New {
        scenario: String,
        role: Option<String>,
    },
    /// `join DRILL [ROLE]`
    Join { room: String, role: Option<String> },
    /// `list`
    List,
    /// Anything else: print the usage.
    Usage(String),
}

pub const USAGE: &str = "commands: new SCENARIO [ROLE] · join DRILL [ROLE] · list (ROLE: a role id, or solo); \
     with no command, the lobby";

impl Direct {
    pub fn parse(command: &str) -> Direct {
        let words: Vec<&str> = command.split_whitespace().collect();
        let role = |w: Option<&&str>| {
            w.filter(|r| !matches!(**r, "solo" | "all" | "-"))
                .map(|r| r.to_string())
        };
        match words.as_slice() {
            ["list"] | ["ls"] => Direct::List,
            ["new", s, rest @ ..] if rest.len() <= 1 => Direct::New {
                scenario: s.to_string(),
                role: role(rest.first()),
            },
            ["join", r, rest @ ..] if rest.len() <= 1 => Direct::Join {
                room: r.to_string(),
                role: role(rest.first()),
            },
            _ => Direct::Usage(format!("unknown command {:?}", clean(command))),
        }
    }
}

/// The name a seat gets for SSH user `user`: control characters dropped and at most 64
/// characters (what the drill core keeps, so that a returning player matches its seat).
pub fn seat_name(user: &str) -> String {
    let name = crate::drill::seat_name(user).trim().to_string();
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
    size: (u16, u16),
    input: mpsc::Receiver<SeatIn>,
    direct: Option<Direct>,
) {
    let (out, out_rx) = mpsc::channel::<Vec<u8>>(OUTPUT_FRAMES);
    let drain = tokio::spawn(drain(handle.clone(), id, out_rx));
    let (message, status) = seat(ctx, user, size, input, out, direct).await;
    let _ = drain.await;
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

/// Chooses a drill and plays it; returns what to print and the exit status.
pub(crate) async fn seat(
    ctx: &Arc<Ctx>,
    user: &str,
    mut size: (u16, u16),
    mut input: mpsc::Receiver<SeatIn>,
    out: mpsc::Sender<Vec<u8>>,
    direct: Option<Direct>,
) -> (String, u32) {
    let name = seat_name(user);
    let chosen = match direct {
        None => lobby(ctx, &name, &mut size, &mut input, &out).await,
        Some(Direct::List) => return (listing(ctx), 0),
        Some(Direct::Usage(problem)) => return (format!("{problem}\n{USAGE}"), 2),
        Some(Direct::New { scenario, role }) => {
            let catalogue = Catalogue::load(Some(&ctx.paths.scenarios()));
            match scenario::find(&catalogue, &scenario) {
                Ok(entry) => seat_in_new(ctx, entry, &name, role.as_deref()).await,
                Err(_) => Err(format!(
                    "no scenario {:?}; `list` shows them",
                    clean(&scenario)
                )),
            }
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
            seat_in(ctx, &room, &name, role.as_deref()).await
        }
    };
    let (room, seat) = match chosen {
        Ok(x) => x,
        Err(message) => {
            let status = u32::from(!message.is_empty() && message != "gamelan: bye");
            return (message, status);
        }
    };
    let ended = driver::drive(room.clone(), seat, ctx.theme.clone(), size, input, out).await;
    let how = match &ended {
        Ok(r) if r == "disconnected" => Departure::Dropped,
        _ => Departure::Quit,
    };
    ctx.registry.detach(&room.name, &name, how);
    match ended {
        Ok(reason) => (format!("gamelan: {reason} ({})", room.name), 0),
        Err(e) => (format!("gamelan: {e}"), 1),
    }
}

/// Opens a new drill of `entry` (recorded to the data directory) and seats `name` in it.
pub(crate) async fn seat_in_new(
    ctx: &Arc<Ctx>,
    entry: scenario::Entry,
    name: &str,
    role: Option<&str>,
) -> Result<(Room, SeatId), String> {
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
        drill.bpm = bpm.clamp(10, 600);
    }
    let recorder = recorder_for(ctx, &drill);
    let room = ctx.registry.open(drill, recorder)?;
    match room.join(name, role).await {
        Ok(seat) => Ok((room, seat)),
        Err(e) => {
            ctx.registry.detach(&room.name, name, Departure::Quit);
            Err(e)
        }
    }
}

/// A recorder in the data directory's recordings folder, or `None` (logged) when it cannot
/// be created: the drill runs unrecorded rather than not at all.
pub(crate) fn recorder_for(ctx: &Ctx, drill: &Drill) -> Option<Recorder> {
    let header = record::Header::for_drill(drill, Vec::new());
    let dir = ctx.paths.recordings();
    let mut last = None;
    for _ in 0..5 {
        // Two drills of one scenario started in the same second race for the same name.
        let path = record::default_path(&dir, &header);
        match Recorder::create(&path, &header) {
            Ok(r) => return Some(r),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => {
                last = Some(e);
                break;
            }
        }
    }
    if let Some(e) = last {
        eprintln!(
            "gamelan serve: not recording a {} drill: {e}",
            drill.scenario.meta.id
        );
    }
    None
}

/// Seats `name` in the open drill `room` (its old seat, if it had one).
pub(crate) async fn seat_in(
    ctx: &Arc<Ctx>,
    room: &str,
    name: &str,
    role: Option<&str>,
) -> Result<(Room, SeatId), String> {
    let Some(r) = ctx.registry.attach(room, name) else {
        return Err(format!(
            "no open drill {:?}; `list` shows them",
            clean(room)
        ));
    };
    match r.join(name, role).await {
        Ok(seat) => Ok((r, seat)),
        Err(e) => {
            ctx.registry.detach(room, name, Departure::Quit);
            Err(e)
        }
    }
}

/// `ssh HOST list`.
pub(crate) fn listing(ctx: &Ctx) -> String {
    let mut out = String::from("open drills:\n");
    let rooms = ctx.registry.list();
    if rooms.is_empty() {
        out.push_str("  (none)\n");
    }
    for r in rooms {
        let seats: Vec<String> = r
            .seats
            .iter()
            .map(|s| {
                format!(
                    "{} ({}{})",
                    clean(&s.name),
                    s.role.as_deref().unwrap_or("solo"),
                    if s.present { "" } else { ", away" }
                )
            })
            .collect();
        out.push_str(&format!(
            "  {}  {} {}  {}\n",
            r.name,
            r.status,
            r.at,
            seats.join(", ")
        ));
    }
    out.push_str("scenarios:\n");
    let catalogue = Catalogue::load(Some(&ctx.paths.scenarios()));
    for e in &catalogue.entries {
        let s = &e.scenario;
        let roles: Vec<&str> = s.roles.iter().map(|r| r.id.as_str()).collect();
        out.push_str(&format!(
            "  {}  {} (roles: {})\n",
            clean(&s.meta.id),
            clean(&s.meta.title),
            roles.join(", ")
        ));
    }
    out.push_str(USAGE);
    out
}

/// The lobby's virtual screen at the peer's size; sends only what changed.
pub(crate) struct LobbyScreen {
    terminal: Terminal<PeerBackend<Sink>>,
    sink: Sink,
    full: bool,
}

impl LobbyScreen {
    fn new((cols, rows): (u16, u16)) -> io::Result<LobbyScreen> {
        let sink = Sink::default();
        let terminal = Terminal::with_options(
            PeerBackend::new(sink.clone(), cols, rows),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
            },
        )?;
        Ok(LobbyScreen {
            terminal,
            sink,
            full: true,
        })
    }

    /// Draws a frame and queues it; a frame the peer cannot take yet is dropped and the next
    /// one is drawn in full.
    fn show(
        &mut self,
        out: &mpsc::Sender<Vec<u8>>,
        draw: impl FnOnce(&mut Buffer, Rect),
    ) -> io::Result<()> {
        if self.full {
            self.terminal.clear()?;
        }
        self.terminal.draw(|f| {
            let area = f.area();
            draw(f.buffer_mut(), area);
        })?;
        let bytes = self.sink.take();
        self.full = out.try_send(bytes).is_err();
        Ok(())
    }
}

/// Runs the lobby until the player is seated (the room and seat), quits or drops (the
/// message to print; empty when there is nobody to print it to).
pub(crate) async fn lobby(
    ctx: &Arc<Ctx>,
    name: &str,
    size: &mut (u16, u16),
    input: &mut mpsc::Receiver<SeatIn>,
    out: &mpsc::Sender<Vec<u8>>,
) -> Result<(Room, SeatId), String> {
    let catalogue = Catalogue::load(Some(&ctx.paths.scenarios()));
    let mut lobby = SshLobby::new(name, catalogue, ctx.registry.list());
    lobby.tempo = ctx.tempo;
    let mut screen = LobbyScreen::new(*size).map_err(|e| e.to_string())?;
    let mut parser = KeyParser::default();
    let mut registry = ctx.registry.subscribe();
    let mut refresh = tokio::time::interval(Duration::from_secs(1));
    let _ = out.try_send(ENTER.to_vec());
    let mut dirty = true;
    let mut esc_deadline: Option<Instant> = None;
    loop {
        if dirty {
            screen
                .show(out, |buf, area| lobby.draw(buf, area, &ctx.theme))
                .map_err(|e| e.to_string())?;
            dirty = false;
        }
        let mut keys = Vec::new();
        let area = Rect::new(0, 0, size.0, size.1);
        tokio::select! {
            msg = input.recv() => match msg {
                None => return Err(String::new()),
                Some(SeatIn::Resize { cols, rows }) => {
                    *size = clamp_size(u32::from(cols), u32::from(rows));
                    screen.terminal.backend_mut().set_size(size.0, size.1);
                    screen.terminal.resize(Rect::new(0, 0, size.0, size.1)).map_err(|e| e.to_string())?;
                    screen.full = true;
                    dirty = true;
                }
                Some(SeatIn::Bytes(b)) => {
                    keys = parser.feed(&b);
                    esc_deadline = Some(Instant::now() + Duration::from_millis(40));
                }
            },
            changed = registry.changed() => {
                if changed.is_ok() {
                    dirty |= lobby.set_rooms(ctx.registry.list());
                }
            }
            _ = refresh.tick() => dirty |= lobby.set_rooms(ctx.registry.list()),
            _ = sleep_until(esc_deadline.unwrap_or_else(Instant::now)), if esc_deadline.is_some() => {
                esc_deadline = None;
                keys = parser.flush();
            }
        }
        for key in keys {
            dirty |= key.redraws();
            let chosen = match lobby.on_input(&key, area) {
                None => continue,
                Some(Pick::Quit) => {
                    let _ = out.send(LEAVE.to_vec()).await;
                    return Err("gamelan: bye".into());
                }
                Some(Pick::New { entry, role }) => {
                    let entry = lobby.catalogue.entries[entry].clone();
                    seat_in_new(ctx, entry, name, role.as_deref()).await
                }
                Some(Pick::Join { room, role }) => seat_in(ctx, &room, name, role.as_deref()).await,
            };
            match chosen {
                Ok(seated) => return Ok(seated),
                Err(e) => {
                    lobby.set_rooms(ctx.registry.list());
                    lobby.back(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse() {
        assert_eq!(
            Direct::parse("new bad-deploy operator"),
            Direct::New {
                scenario: "bad-deploy".into(),
                role: Some("operator".into())
            }
        );
        assert_eq!(
            Direct::parse(" join bad-deploy-1 solo "),
            Direct::Join {
                room: "bad-deploy-1".into(),
                role: None
            }
        );
        assert_eq!(Direct::parse("list"), Direct::List);
        assert!(matches!(Direct::parse("rm -rf /"), Direct::Usage(_)));
        assert!(matches!(Direct::parse(""), Direct::Usage(_)));
    }

    /// The property every channel relies on: a seat whose frames nobody takes (a stopped
    /// client) has its frames dropped, and the other seats of the drill keep their pace.
    #[tokio::test(start_paused = true)]
    async fn a_stalled_seat_drops_frames_and_never_slows_the_others() {
        let mut drill = Drill::new(crate::scenario::bundled().remove(0).scenario, 1);
        drill.bpm = 600;
        let room = Room::spawn("t".into(), drill, None);
        let a = room.join("ana", None).await.unwrap();
        let b = room.join("bo", None).await.unwrap();
        let (_a_keys, a_in) = mpsc::channel(8);
        let (a_out, mut a_frames) = mpsc::channel(OUTPUT_FRAMES);
        let (b_keys, b_in) = mpsc::channel(8);
        let (b_out, b_frames) = mpsc::channel(OUTPUT_FRAMES);
        let theme = Theme::default();
        tokio::spawn(driver::drive(
            room.clone(),
            a,
            theme.clone(),
            (80, 24),
            a_in,
            a_out,
        ));
        tokio::spawn(driver::drive(room.clone(), b, theme, (80, 24), b_in, b_out));
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
            state.wait_for(|s| s.drill.seats.iter().any(|x| x.id == b && !x.present)),
        )
        .await
        .expect("bo left")
        .unwrap();
    }

    #[test]
    fn seat_names_match_what_the_core_keeps() {
        assert_eq!(seat_name("ana"), "ana");
        assert_eq!(seat_name("a\u{1b}[31mb\u{7}"), "a[31mb");
        assert_eq!(seat_name("\u{1b}"), "guest");
        assert_eq!(seat_name(&"x".repeat(100)).len(), 64);
    }
}
