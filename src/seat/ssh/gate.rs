//! Admission to `gamelan serve`: how many connections may be open at once, how many of them
//! may still be logging in, and how long a login may take. A peer that opens a connection
//! and never sends its banner, or never finishes authenticating, is cut at the login grace;
//! a flood of them never shuts out a real player.
//!
//! - Past `max_connections` open connections, a new one is closed at once.
//! - Past `max_logins` connections still logging in, the *oldest* of them is cut to make room.
//!   Refusing the newcomer instead would let a few silent peers, renewed every grace period,
//!   lock everyone out; cutting the oldest means a flood has to outpace a real handshake
//!   (a few round trips) to get in anyone's way.
//! - A connection not authenticated within `login_grace` (banner, key exchange and
//!   authentication together) is cut: its stream fails the next read or write, so the russh
//!   session ends and the socket closes.
//!
//! The accept loop ([`serve`]) replaces russh's `run_on_socket`: the same per-connection
//! `run_stream`, wrapped in a [`Guarded`] stream that enforces the above.

use super::{Conn, SeatServer};
use futures::task::AtomicWaker;
use russh::server::{Config, Server};
use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::time::Sleep;

/// The bounds on connections; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_connections: usize,
    pub max_logins: usize,
    pub login_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 512,
            max_logins: 64,
            login_grace: Duration::from_secs(30),
        }
    }
}

const LOGGING_IN: u8 = 0;
const LOGGED_IN: u8 = 1;
const CUT: u8 = 2;

/// Counts open connections and keeps the ones logging in, oldest first.
#[derive(Debug)]
pub struct Gate {
    limits: Limits,
    state: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    open: usize,
    logging_in: usize,
    queue: VecDeque<Weak<Ticket>>,
}

/// One admitted connection's place. Shared by the connection's handler and its stream; the
/// place is given back when both are gone.
#[derive(Debug)]
pub struct Ticket {
    gate: Arc<Gate>,
    status: AtomicU8,
    waker: AtomicWaker,
}

impl Gate {
    pub fn new(limits: Limits) -> Arc<Gate> {
        Arc::new(Gate {
            limits,
            state: Mutex::new(Counts::default()),
        })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Admits a new connection, cutting the oldest login when too many are under way; `None`
    /// when too many connections are open (close it at once).
    pub fn admit(self: &Arc<Gate>) -> Option<Arc<Ticket>> {
        let mut cut = Vec::new();
        let ticket = {
            let mut c = self.lock();
            if c.open >= self.limits.max_connections {
                return None;
            }
            while c.logging_in >= self.limits.max_logins.max(1) {
                let Some(oldest) = c.queue.pop_front() else {
                    break;
                };
                if let Some(t) = oldest.upgrade()
                    && t.settle(CUT)
                {
                    c.logging_in -= 1;
                    cut.push(t);
                }
            }
            let ticket = Arc::new(Ticket {
                gate: self.clone(),
                status: AtomicU8::new(LOGGING_IN),
                waker: AtomicWaker::new(),
            });
            c.open += 1;
            c.logging_in += 1;
            c.queue.retain(|w| {
                w.upgrade()
                    .is_some_and(|t| t.status.load(Ordering::SeqCst) == LOGGING_IN)
            });
            c.queue.push_back(Arc::downgrade(&ticket));
            ticket
        };
        for t in cut {
            t.waker.wake();
        }
        Some(ticket)
    }

    /// (open connections, connections logging in).
    pub fn counts(&self) -> (usize, usize) {
        let c = self.lock();
        (c.open, c.logging_in)
    }
}

impl Ticket {
    /// Moves on from logging in; false when it already had.
    fn settle(&self, to: u8) -> bool {
        self.status
            .compare_exchange(LOGGING_IN, to, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }

    /// The peer authenticated: it no longer counts as logging in, and no grace applies.
    pub fn logged_in(&self) {
        if self.settle(LOGGED_IN) {
            self.gate.lock().logging_in -= 1;
        }
    }

    pub fn is_cut(&self) -> bool {
        self.status.load(Ordering::SeqCst) == CUT
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut c = self.gate.lock();
        c.open -= 1;
        if self.status.load(Ordering::SeqCst) == LOGGING_IN {
            c.logging_in -= 1;
        }
    }
}

/// A connection's stream under the gate: while its peer is logging in, every read and write
/// first checks it was not cut and the grace has not run out.
pub struct Guarded<S> {
    inner: S,
    ticket: Arc<Ticket>,
    deadline: Pin<Box<Sleep>>,
}

impl<S> Guarded<S> {
    pub fn new(inner: S, ticket: Arc<Ticket>, grace: Duration) -> Guarded<S> {
        Guarded {
            inner,
            ticket,
            deadline: Box::pin(tokio::time::sleep(grace)),
        }
    }

    fn check(&mut self, cx: &mut Context<'_>) -> io::Result<()> {
        match self.ticket.status.load(Ordering::SeqCst) {
            LOGGED_IN => Ok(()),
            CUT => Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "cut: too many connections logging in",
            )),
            _ => {
                self.ticket.waker.register(cx.waker());
                if self.ticket.is_cut() {
                    return self.check(cx);
                }
                if self.deadline.as_mut().poll(cx).is_ready() && self.ticket.settle(CUT) {
                    self.ticket.gate.lock().logging_in -= 1;
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the login grace ran out",
                    ));
                }
                if self.ticket.is_cut() {
                    return self.check(cx);
                }
                Ok(())
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Err(e) = self.check(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Err(e) = self.check(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Accepts connections until `closing` turns true; every session is disconnected (saying
/// `reason`) when `disconnect` does. Each admitted connection runs as russh's `run_stream`
/// over a [`Guarded`] stream.
pub(crate) async fn serve(
    listener: &TcpListener,
    config: Arc<Config>,
    mut server: SeatServer,
    gate: Arc<Gate>,
    mut closing: watch::Receiver<bool>,
    disconnect: watch::Receiver<bool>,
    reason: &str,
) {
    let grace = gate.limits().login_grace;
    loop {
        let (tcp, peer) = tokio::select! {
            () = async { let _ = closing.wait_for(|s| *s).await; } => break,
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and the like: pass, without ending the server.
                    eprintln!("gamelan serve: accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(ticket) = gate.admit() else {
            drop(tcp); // too many open: closed at once
            continue;
        };
        if config.nodelay {
            let _ = tcp.set_nodelay(true);
        }
        let mut conn: Conn = server.new_client(Some(peer));
        conn.ticket = Some(ticket.clone());
        let config = config.clone();
        let mut stop = disconnect.clone();
        let reason = reason.to_string();
        tokio::spawn(async move {
            let stream = Guarded::new(tcp, ticket, grace);
            let Ok(session) = russh::server::run_stream(config, stream, conn).await else {
                return;
            };
            let handle = session.handle();
            tokio::select! {
                () = async { let _ = stop.wait_for(|s| *s).await; } => {
                    let _ = handle
                        .disconnect(russh::Disconnect::ByApplication, reason, String::new())
                        .await;
                }
                _ = session => {}
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(max_connections: usize, max_logins: usize) -> Arc<Gate> {
        Gate::new(Limits {
            max_connections,
            max_logins,
            login_grace: Duration::from_secs(1),
        })
    }

    #[test]
    fn too_many_logins_cut_the_oldest_and_too_many_connections_refuse_the_newest() {
        let g = gate(5, 2);
        let a = g.admit().unwrap();
        let b = g.admit().unwrap();
        assert_eq!(g.counts(), (2, 2));
        let c = g.admit().unwrap();
        assert!(a.is_cut() && !b.is_cut() && !c.is_cut(), "the oldest goes");
        assert_eq!(
            g.counts(),
            (3, 2),
            "a is cut but still open until it closes"
        );
        drop(a);
        assert_eq!(g.counts(), (2, 2));
        // A logged-in connection no longer counts as logging in, and is never cut.
        b.logged_in();
        assert_eq!(g.counts(), (2, 1));
        let d = g.admit().unwrap();
        let e = g.admit().unwrap();
        assert!(c.is_cut() && !b.is_cut());
        assert_eq!(g.counts(), (4, 2));
        let f = g.admit().unwrap();
        assert_eq!(g.counts(), (5, 2));
        assert!(g.admit().is_none(), "five open: the sixth is refused");
        drop((b, c, d, e, f));
        assert_eq!(g.counts(), (0, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn a_silent_stream_fails_at_the_grace_and_a_logged_in_one_never_does() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let g = gate(10, 10);
        let (ours, mut theirs) = tokio::io::duplex(64);
        let t = g.admit().unwrap();
        let mut s = Guarded::new(ours, t, Duration::from_secs(5));
        let mut buf = [0u8; 4];
        let started = tokio::time::Instant::now();
        let e = s.read(&mut buf).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), Duration::from_secs(5));
        assert_eq!(g.counts(), (1, 0));

        let (ours, mut theirs2) = tokio::io::duplex(64);
        let t = g.admit().unwrap();
        t.logged_in();
        let mut s = Guarded::new(ours, t, Duration::from_secs(5));
        tokio::time::sleep(Duration::from_secs(60)).await;
        theirs2.write_all(b"ok").await.unwrap();
        assert_eq!(s.read(&mut buf).await.unwrap(), 2);
        theirs.write_all(b"x").await.ok();
    }

    #[tokio::test(start_paused = true)]
    async fn a_cut_wakes_a_stream_waiting_to_read() {
        use tokio::io::AsyncReadExt;
        let g = gate(10, 1);
        let (ours, _theirs) = tokio::io::duplex(64);
        let mut s = Guarded::new(ours, g.admit().unwrap(), Duration::from_secs(600));
        let reader = tokio::spawn(async move {
            let mut buf = [0u8; 4];
            s.read(&mut buf).await.unwrap_err().kind()
        });
        tokio::task::yield_now().await;
        let _next = g.admit().unwrap();
        let kind = tokio::time::timeout(Duration::from_secs(1), reader)
            .await
            .expect("woken at once")
            .unwrap();
        assert_eq!(kind, io::ErrorKind::ConnectionAborted);
    }
}
