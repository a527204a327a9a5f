//! How a command ends, beyond success and a plain error: a stop signal, a reader that went
//! away, a standard output that cannot be written. `main` turns each into its exit status.
//!
//! Every command writes its standard output through one [`Output`]: it remembers the first
//! write that failed, so the shell can tell "the pipe closed" (a quiet 141, as if SIGPIPE had
//! ended the process) from "the disk is full" (a clear message and 1), whatever the command
//! made of the error.

use color_eyre::eyre::Report;
use std::fmt;
use std::io::{self, Write};

/// The exit status of a process ended by SIGPIPE, as shells report it.
pub const BROKEN_PIPE: i32 = 128 + libc::SIGPIPE;

/// An ending that is not a plain error.
#[derive(Debug)]
pub enum Exit {
    /// A stop signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) ended a console cleanly.
    Signal(i32),
    /// Standard output's reader went away (`| head -1`).
    BrokenPipe,
    /// Standard output could not be written (a full disk, a dead terminal…).
    Output(io::Error),
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exit::Signal(n) => write!(f, "stopped by {}", signal_name(*n)),
            Exit::BrokenPipe => write!(f, "standard output was closed"),
            Exit::Output(e) => write!(f, "cannot write to standard output: {e}"),
        }
    }
}

impl std::error::Error for Exit {}

impl Exit {
    /// The process exit status: 128+n for a signal, 141 for a closed pipe, 1 otherwise.
    pub fn status(&self) -> i32 {
        match self {
            Exit::Signal(n) => 128 + n,
            Exit::BrokenPipe => BROKEN_PIPE,
            Exit::Output(_) => 1,
        }
    }

    /// Whether the ending is worth a message: a signal or a closed pipe is the user's doing.
    pub fn quiet(&self) -> bool {
        matches!(self, Exit::Signal(_) | Exit::BrokenPipe)
    }
}

/// The usual name of a stop signal.
pub fn signal_name(n: i32) -> String {
    match n {
        libc::SIGTERM => "SIGTERM".into(),
        libc::SIGHUP => "SIGHUP".into(),
        libc::SIGINT => "SIGINT".into(),
        libc::SIGQUIT => "SIGQUIT".into(),
        n => format!("signal {n}"),
    }
}

/// The exit status for a command's error, and the message to print (none for a quiet end).
pub fn status_of(err: &Report) -> (i32, Option<String>) {
    match err.downcast_ref::<Exit>() {
        Some(e) if e.quiet() => (e.status(), None),
        Some(e) => (e.status(), Some(format!("error: {e}"))),
        None => {
            let mut text = format!("error: {err}");
            for cause in err.chain().skip(1) {
                text.push_str(&format!("\n  caused by: {cause}"));
            }
            (1, Some(text))
        }
    }
}

/// Standard output (or any writer) that remembers its first failure.
pub struct Output<W: Write> {
    inner: W,
    failed: Option<io::Error>,
}

impl<W: Write> Output<W> {
    pub fn new(inner: W) -> Output<W> {
        Output {
            inner,
            failed: None,
        }
    }

    /// Flushes, then says how writing went: `Exit::BrokenPipe` or `Exit::Output` when any
    /// write failed.
    pub fn finish(&mut self) -> Result<(), Exit> {
        let _ = self.flush();
        match self.failed.take() {
            None => Ok(()),
            Some(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Exit::BrokenPipe),
            Some(e) => Err(Exit::Output(e)),
        }
    }

    fn note<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r
            && self.failed.is_none()
        {
            self.failed = Some(io::Error::new(e.kind(), e.to_string()));
        }
        r
    }
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.inner.write(buf);
        self.note(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(self.0))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_first_failure_decides_the_ending() {
        let mut out = Output::new(Failing(io::ErrorKind::BrokenPipe));
        assert!(writeln!(out, "a").is_err());
        let e = out.finish().unwrap_err();
        assert_eq!(e.status(), 141);
        assert!(e.quiet());

        let mut out = Output::new(Failing(io::ErrorKind::StorageFull));
        let _ = writeln!(out, "a");
        let e = out.finish().unwrap_err();
        assert_eq!(e.status(), 1);
        assert!(!e.quiet());

        let mut out = Output::new(Vec::new());
        writeln!(out, "fine").unwrap();
        assert!(out.finish().is_ok());
    }

    #[test]
    fn statuses_follow_the_conventions() {
        let (code, msg) = status_of(&Report::new(Exit::Signal(libc::SIGTERM)));
        assert_eq!((code, msg), (143, None));
        let (code, msg) = status_of(&color_eyre::eyre::eyre!("bad file"));
        assert_eq!(code, 1);
        assert_eq!(msg.as_deref(), Some("error: bad file"));
    }
}
