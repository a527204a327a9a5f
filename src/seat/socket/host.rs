//! The host's side: the accept loop that seats joining terminals and answers queries.

use super::*;
use crate::room::Room;
use crate::room::session::SessionRoom;
use crate::seat::driver::{self, ColourDepth, Peer, SeatEnd, SeatIn, theme_for_depth};
use crate::ui::theme::Theme;
use std::io::{self};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::net::UnixStream;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::time::timeout;

/// How long a new connection may take to say Hello or Query.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write to a peer may block before the peer counts as gone.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Output frames queued for one peer; beyond that `driver::drive` drops frames.
pub const OUTPUT_QUEUE: usize = 8;
/// Connections served at once; more are turned away with a Bye.
pub const MAX_CONNECTIONS: usize = 64;

/// What the accept loop needs to seat a joining terminal and answer a query.
#[derive(Debug, Clone)]
pub struct ServeCtx {
    pub room: Hosted,
    /// The theme joined seats start from (each is then drawn in its own terminal's colours).
    pub theme: Theme,
    /// The drill's name (its socket's name).
    pub name: String,
    /// Who hosts it.
    pub host: String,
}

/// What a socket hosts: a drill, or a session.
#[derive(Debug, Clone)]
pub enum Hosted {
    Drill(Room),
    Session(SessionRoom),
}

/// The running accept loop. [`Server::shutdown`] stops taking connections and waits (bounded)
/// for the seats to say goodbye.
pub struct Server {
    accept: tokio::task::JoinHandle<()>,
    done: mpsc::Receiver<()>,
}

impl Server {
    /// Starts serving `listener` (from [`bind`]) on the current tokio runtime.
    pub fn start(listener: std::os::unix::net::UnixListener, ctx: ServeCtx) -> io::Result<Server> {
        let listener = tokio::net::UnixListener::from_std(listener)?;
        let (alive, done) = mpsc::channel(1);
        let accept = tokio::spawn(accept_loop(listener, Arc::new(ctx), alive));
        Ok(Server { accept, done })
    }

    /// Stops accepting; waits up to `grace` for every connection to finish (call after the
    /// room has closed, so that each seat has sent its Bye).
    pub async fn shutdown(mut self, grace: Duration) {
        self.accept.abort();
        let _ = (&mut self.accept).await;
        let _ = timeout(grace, self.done.recv()).await;
    }
}

async fn accept_loop(
    listener: tokio::net::UnixListener,
    ctx: Arc<ServeCtx>,
    alive: mpsc::Sender<()>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    // Admission (the seat-name check) and the join happen one connection at a time, so two
    // terminals racing for one name cannot both get it.
    let joining = Arc::new(tokio::sync::Mutex::new(()));
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(_) => {
                // Out of descriptors or similar: back off rather than spin.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let ctx = ctx.clone();
        let alive = alive.clone();
        let joining = joining.clone();
        match slots.clone().try_acquire_owned() {
            Ok(permit) => {
                tokio::spawn(async move {
                    handle(stream, ctx, joining).await;
                    drop(permit);
                    drop(alive);
                });
            }
            Err(_) => {
                tokio::spawn(async move {
                    let (_, mut w) = stream.into_split();
                    send_bye(&mut w, Bye::refused("this drill has too many connections")).await;
                    drop(alive);
                });
            }
        }
    }
}

/// Sends a last frame, bounded in time, and closes the writing side.
pub(crate) async fn send_bye<W: AsyncWrite + Unpin>(w: &mut W, bye: Bye) {
    let _ = timeout(WRITE_TIMEOUT, async {
        write_frame(w, &Frame::Bye(bye)).await?;
        w.shutdown().await
    })
    .await;
}

/// The drill as a Query answer.
pub fn info(ctx: &ServeCtx) -> Info {
    match &ctx.room {
        Hosted::Drill(room) => drill_info(ctx, room),
        Hosted::Session(room) => super::session::info(ctx, room),
    }
}

fn drill_info(ctx: &ServeCtx, room: &Room) -> Info {
    let state = room.state();
    let state = state.borrow();
    let d = &state.drill;
    let s = &d.scenario;
    let phase = match &d.status {
        crate::drill::Status::Ended(r) => format!("ended: {r}"),
        _ if state.closed.is_some() => "closing".to_string(),
        _ if !state.started => "briefing".to_string(),
        crate::drill::Status::Paused => "paused".to_string(),
        crate::drill::Status::Running => "running".to_string(),
    };
    Info {
        version: VERSION,
        name: ctx.name.clone(),
        scenario: s.meta.id.clone(),
        title: s.meta.title.clone(),
        host: ctx.host.clone(),
        state: phase,
        beat: d.beat,
        bar_beat: s.bar_beat(d.beat),
        bpm: d.bpm,
        seats: d
            .seats
            .iter()
            .map(|x| InfoSeat {
                name: x.name.clone(),
                role: x.role.clone(),
                present: x.present,
                conducts: x.present && d.conducts(x.id),
            })
            .collect(),
        roles: s.roles.iter().map(|r| r.id.clone()).collect(),
        session: false,
    }
}

async fn handle(stream: UnixStream, ctx: Arc<ServeCtx>, joining: Arc<tokio::sync::Mutex<()>>) {
    let (mut rd, mut wr) = stream.into_split();
    let first = match timeout(HELLO_TIMEOUT, read_frame(&mut rd)).await {
        Err(_) => {
            let reason = format!(
                "protocol error: no hello within {} s",
                HELLO_TIMEOUT.as_secs()
            );
            return send_bye(&mut wr, Bye::refused(reason)).await;
        }
        Ok(Ok(None)) => return,
        Ok(Err(e)) => {
            return send_bye(&mut wr, Bye::refused(format!("protocol error: {e}"))).await;
        }
        Ok(Ok(Some(f))) => f,
    };
    match first {
        Frame::Query => {
            let frame = Frame::Info(Box::new(info(&ctx)));
            let _ = timeout(WRITE_TIMEOUT, async {
                write_frame(&mut wr, &frame).await?;
                wr.shutdown().await
            })
            .await;
        }
        Frame::Hello(hello) => match &ctx.room {
            Hosted::Drill(room) => seat(rd, wr, hello, &ctx, room, &joining).await,
            Hosted::Session(room) => {
                super::session::seat(rd, wr, hello, &ctx, room, &joining).await
            }
        },
        other => {
            let reason = format!(
                "protocol error: expected a hello or query frame first, got {}",
                other.kind().name()
            );
            send_bye(&mut wr, Bye::refused(reason)).await;
        }
    }
}

/// The version and name checks every Hello passes: the seat's name, or the refusal.
pub(crate) fn admit_name(hello: &Hello) -> Result<String, String> {
    if hello.version != VERSION {
        return Err(format!(
            "this host speaks protocol {VERSION} and your gamelan speaks {}; join with the host's gamelan version",
            hello.version
        ));
    }
    let name = crate::drill::display_seat_name(&hello.name);
    if name.is_empty() {
        return Err("a seat needs a name (set $USER or pass --as NAME)".into());
    }
    Ok(name)
}

/// Checks a Hello against the drill; the refusal is the Bye reason.
async fn admit(hello: &Hello, room: &Room) -> Result<String, String> {
    let name = admit_name(hello)?;
    if hello.observe {
        return Err("this is a drill: only a session has observers; join without --observe".into());
    }
    let scenario = room.drill().scenario.clone();
    if let Some(role) = &hello.role
        && scenario.role(role).is_none()
    {
        let roles: Vec<&str> = scenario.roles.iter().map(|r| r.id.as_str()).collect();
        return Err(if roles.is_empty() {
            format!(
                "no role `{role}` in {}: it has no roles; join without --role",
                scenario.meta.id
            )
        } else {
            format!(
                "no role `{role}` in {}; pick one of: {}",
                scenario.meta.id,
                roles.join(", ")
            )
        });
    }
    if !hello.exact {
        // The room picks the first free name derived from this one.
        return Ok(name);
    }
    // A seat whose terminal just vanished may not have left yet: give it a moment.
    let mut state = room.state();
    let taken =
        |s: &crate::room::RoomState| s.drill.seats.iter().any(|x| x.present && x.name == name);
    let free = timeout(Duration::from_millis(1500), state.wait_for(|s| !taken(s))).await;
    if !matches!(free, Ok(Ok(_))) {
        return Err(format!(
            "the seat name `{name}` is taken by someone in the drill; join with --as ANOTHER-NAME"
        ));
    }
    Ok(name)
}

async fn seat(
    rd: tokio::net::unix::OwnedReadHalf,
    mut wr: tokio::net::unix::OwnedWriteHalf,
    hello: Hello,
    ctx: &ServeCtx,
    room: &Room,
    joining: &tokio::sync::Mutex<()>,
) {
    let naming = hello.naming();
    let admitted = {
        let _one_at_a_time = joining.lock().await;
        match admit(&hello, room).await {
            Ok(name) => room.take_seat(&name, hello.role.as_deref(), naming).await,
            Err(reason) => Err(reason),
        }
    };
    let seat = match admitted {
        Ok(s) => s,
        Err(reason) => return send_bye(&mut wr, Bye::refused(reason)).await,
    };
    let left = format!("{} left the drill `{}`", seat.name, ctx.name);
    let room = room.clone();
    let theme = ctx.theme.clone();
    serve_peer(
        rd,
        wr,
        &hello,
        (left, "drill"),
        move |peer, depth| async move {
            let theme = theme_for_depth(&theme, depth);
            match peer {
                Ok(mut peer) => {
                    let end = driver::drive(room, seat, &theme, &mut peer).await;
                    peer.give_back().await;
                    end
                }
                Err(e) => {
                    let _ = room.send(seat.id, crate::drill::Action::Leave).await;
                    e.into()
                }
            }
        },
    )
    .await;
}

/// Runs a seated connection: reads the peer's frames into a [`Peer`] until it leaves, breaks
/// the protocol or stops reading, drains the seat's bounded output onto the socket, runs
/// `drive` on the peer (drawn in the colours its Hello asks for) and says goodbye with why
/// the seat ended (`left` when the person left; "the `what` ended: …" when its drill or
/// session closed).
pub(crate) async fn serve_peer<F, Fut>(
    mut rd: tokio::net::unix::OwnedReadHalf,
    mut wr: tokio::net::unix::OwnedWriteHalf,
    hello: &Hello,
    (left, what): (String, &str),
    drive: F,
) where
    F: FnOnce(io::Result<Peer>, ColourDepth) -> Fut,
    Fut: std::future::Future<Output = SeatEnd>,
{
    let (in_tx, in_rx) = mpsc::channel::<SeatIn>(64);
    let (out_tx, mut out_rx) = mpsc::channel::<Vec<u8>>(OUTPUT_QUEUE);
    let (bye_tx, bye_rx) = oneshot::channel::<Bye>();
    let problem: Arc<Mutex<Option<String>>> = Arc::default();
    let peer_gone = Arc::new(Notify::new());

    // Reads the peer's frames into the seat until it leaves, breaks the protocol or stops
    // reading its output.
    let reader = {
        let problem = problem.clone();
        let peer_gone = peer_gone.clone();
        tokio::spawn(async move {
            let note = |p: String| {
                if let Ok(mut slot) = problem.lock() {
                    slot.get_or_insert(p);
                }
            };
            loop {
                let frame = tokio::select! {
                    f = read_frame(&mut rd) => f,
                    _ = peer_gone.notified() => {
                        note(format!(
                            "your terminal stopped reading for {} s",
                            WRITE_TIMEOUT.as_secs()
                        ));
                        break;
                    }
                };
                let msg = match frame {
                    Ok(Some(Frame::Input(b))) => SeatIn::Bytes(b),
                    Ok(Some(Frame::Resize { cols, rows })) => SeatIn::Resize { cols, rows },
                    Ok(Some(Frame::Bye(_)) | None) => break,
                    Ok(Some(other)) => {
                        note(format!(
                            "protocol error: unexpected {} frame from a seat",
                            other.kind().name()
                        ));
                        break;
                    }
                    Err(e) => {
                        note(format!("protocol error: {e}"));
                        break;
                    }
                };
                if in_tx.send(msg).await.is_err() {
                    break;
                }
            }
            // Dropping `in_tx` ends the seat: `drive` sends Leave and returns.
        })
    };

    // Drains the seat's bounded output queue onto the socket. A write that blocks too long
    // marks the peer gone; from then on frames are discarded so the seat never waits on it.
    let writer = {
        let peer_gone = peer_gone.clone();
        tokio::spawn(async move {
            let mut alive = true;
            while let Some(bytes) = out_rx.recv().await {
                if !alive {
                    continue;
                }
                let sent =
                    timeout(WRITE_TIMEOUT, write_frame(&mut wr, &Frame::Output(bytes))).await;
                if !matches!(sent, Ok(Ok(()))) {
                    alive = false;
                    peer_gone.notify_one();
                }
            }
            if alive && let Ok(bye) = bye_rx.await {
                send_bye(&mut wr, bye).await;
            }
        })
    };

    let depth = ColourDepth::detect(
        hello.term.as_deref(),
        hello.colorterm.as_deref(),
        hello.no_color.as_deref(),
    );
    let peer = Peer::new(in_rx, out_tx, (hello.cols, hello.rows), depth);
    let ended = drive(peer, depth).await;
    reader.abort();
    let _ = reader.await;
    let problem = problem.lock().ok().and_then(|mut p| p.take());
    let reason = match (problem, ended) {
        (Some(p), _) => p,
        (None, SeatEnd::Left) => left,
        (None, SeatEnd::RoomClosed(why)) => format!("the {what} ended: {why}"),
        (None, end) => end.message(),
    };
    let _ = bye_tx.send(Bye::new(reason));
    let _ = writer.await;
}

/// Asks the drill at `path` what it is: `Ok(None)` when the socket is stale (and left alone).
pub async fn query(path: &Path, wait: Duration) -> io::Result<Option<Info>> {
    let mut stream = match UnixStream::connect(path).await {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => return Ok(None),
        Err(e) => return Err(e),
    };
    let asked = timeout(wait, async {
        write_frame(&mut stream, &Frame::Query).await?;
        read_frame(&mut stream)
            .await
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
    })
    .await;
    match asked {
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the host did not answer",
        )),
        Ok(Err(e)) => Err(e),
        Ok(Ok(Some(Frame::Info(info)))) => Ok(Some(*info)),
        Ok(Ok(Some(Frame::Bye(b)))) => Err(io::Error::other(b.reason)),
        Ok(Ok(other)) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "unexpected answer: {}",
                other.map_or("end of stream", |f| f.kind().name())
            ),
        )),
    }
}
