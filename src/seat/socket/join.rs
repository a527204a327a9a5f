//! The joining side: a thin raw-mode pipe between this terminal and the host.

use super::*;
use crate::seat::driver::{self};
use std::io::Write;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;

/// How a joined terminal's pipe ended.
#[derive(Debug, PartialEq, Eq)]
pub enum PipeEnd {
    /// The host said goodbye (the drill ended, the seat left, or it refused the join).
    Bye(Bye),
    /// The connection closed without a goodbye.
    Eof,
    /// The connection broke or the host broke the protocol.
    Error(String),
}

impl PipeEnd {
    /// The line to print once the terminal is back.
    pub fn message(&self) -> String {
        match self {
            PipeEnd::Bye(b) => b.reason.clone(),
            PipeEnd::Eof => "the host went away without saying goodbye (did it crash?)".into(),
            PipeEnd::Error(e) => format!("the connection to the host broke: {e}"),
        }
    }

    /// A clean ending: the drill ended or the seat left.
    pub fn is_clean(&self) -> bool {
        matches!(self, PipeEnd::Bye(b) if !b.refused)
    }
}

/// The joining side's pipe: sends `hello`, then forwards `keys` (raw bytes from the terminal)
/// as Input and `sizes` as Resize, and writes every Output to `screen`, until a Bye or the end
/// of the connection. When `keys` closes the seat leaves. If the host vanished mid-drill the
/// console's escape codes are undone on `screen` (the caller restores raw mode).
pub async fn pipe<S, W>(
    stream: S,
    hello: Hello,
    mut keys: mpsc::Receiver<Vec<u8>>,
    mut sizes: mpsc::Receiver<(u16, u16)>,
    screen: &mut W,
) -> PipeEnd
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    W: Write,
{
    let (mut rd, mut wr) = tokio::io::split(stream);
    if let Err(e) = write_frame(&mut wr, &Frame::Hello(hello)).await {
        return PipeEnd::Error(e.to_string());
    }
    let mut drawn = false;
    let mut keys_open = true;
    let mut sizes_open = true;
    // Frames are read in their own task so that a half-read frame is never dropped by select.
    let (frames_tx, mut frames) = mpsc::channel(4);
    let read_task = tokio::spawn(async move {
        loop {
            let f = read_frame(&mut rd).await;
            let last = !matches!(f, Ok(Some(_)));
            if frames_tx.send(f).await.is_err() || last {
                break;
            }
        }
    });
    let end = loop {
        tokio::select! {
            f = frames.recv() => match f {
                Some(Ok(Some(Frame::Output(b)))) => {
                    drawn = true;
                    if let Err(e) = screen.write_all(&b).and_then(|()| screen.flush()) {
                        break PipeEnd::Error(format!("cannot write to the terminal: {e}"));
                    }
                }
                Some(Ok(Some(Frame::Bye(b)))) => break PipeEnd::Bye(b),
                Some(Ok(Some(other))) => {
                    break PipeEnd::Error(format!("unexpected {} frame from the host", other.kind().name()))
                }
                Some(Ok(None)) | None => break PipeEnd::Eof,
                Some(Err(e)) => break PipeEnd::Error(e.to_string()),
            },
            k = keys.recv(), if keys_open => match k {
                Some(bytes) => {
                    if let Err(e) = write_frame(&mut wr, &Frame::Input(bytes)).await {
                        break PipeEnd::Error(e.to_string());
                    }
                }
                None => {
                    // The terminal's input closed: leave the seat and wait for the goodbye.
                    keys_open = false;
                    let _ = write_frame(&mut wr, &Frame::Bye(Bye::new("input closed"))).await;
                }
            },
            s = sizes.recv(), if sizes_open => match s {
                Some((cols, rows)) => {
                    if let Err(e) = write_frame(&mut wr, &Frame::Resize { cols, rows }).await {
                        break PipeEnd::Error(e.to_string());
                    }
                }
                None => sizes_open = false,
            },
        }
    };
    read_task.abort();
    if drawn && !matches!(end, PipeEnd::Bye(_)) {
        let _ = screen
            .write_all(driver::LEAVE)
            .and_then(|()| screen.flush());
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn pipe_forwards_both_ways_and_reports_the_bye() {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (key_tx, keys) = mpsc::channel(4);
        let (size_tx, sizes) = mpsc::channel(4);
        let host = tokio::spawn(async move {
            let (mut rd, mut wr) = tokio::io::split(server);
            let hello = read_frame(&mut rd).await.unwrap().unwrap();
            assert!(matches!(hello, Frame::Hello(h) if h.name == "bo" && h.cols == 80));
            write_frame(&mut wr, &Frame::Output(b"drawn".to_vec()))
                .await
                .unwrap();
            assert_eq!(
                read_frame(&mut rd).await.unwrap(),
                Some(Frame::Input(b"a".to_vec()))
            );
            assert_eq!(
                read_frame(&mut rd).await.unwrap(),
                Some(Frame::Resize {
                    cols: 100,
                    rows: 30
                })
            );
            write_frame(&mut wr, &Frame::Bye(Bye::new("the drill ended")))
                .await
                .unwrap();
        });
        key_tx.send(b"a".to_vec()).await.unwrap();
        let hello = Hello {
            version: VERSION,
            name: "bo".into(),
            role: None,
            cols: 80,
            rows: 24,
            ..Hello::default()
        };
        let sender = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            size_tx.send((100, 30)).await.unwrap();
            size_tx
        });
        let mut screen = Vec::new();
        let end = pipe(client, hello, keys, sizes, &mut screen).await;
        host.await.unwrap();
        drop(sender.await);
        assert_eq!(end, PipeEnd::Bye(Bye::new("the drill ended")));
        assert!(end.is_clean());
        assert_eq!(screen, b"drawn");
    }

    #[tokio::test]
    async fn pipe_gives_the_screen_back_when_the_host_vanishes() {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (_key_tx, keys) = mpsc::channel(4);
        let (_size_tx, sizes) = mpsc::channel(4);
        tokio::spawn(async move {
            let (mut rd, mut wr) = tokio::io::split(server);
            let _ = read_frame(&mut rd).await;
            write_frame(&mut wr, &Frame::Output(driver::ENTER.to_vec()))
                .await
                .unwrap();
            // Dropped without a Bye.
        });
        let hello = Hello {
            version: VERSION,
            name: "bo".into(),
            role: None,
            cols: 80,
            rows: 24,
            ..Hello::default()
        };
        let mut screen = Vec::new();
        let end = pipe(client, hello, keys, sizes, &mut screen).await;
        assert_eq!(end, PipeEnd::Eof);
        assert!(!end.is_clean());
        assert!(screen.ends_with(driver::LEAVE));
    }
}
