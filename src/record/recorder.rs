//! Writing a recording as the drill happens, and knowing whether it worked.
//!
//! Each line is written and flushed to the OS at once, so a killed process loses at most the
//! line being written. The first write that fails stops the recording for good: the partial
//! line is cut off, nothing more is written (a later, smaller write that happened to succeed
//! would leave a hole that replays as a different drill), and [`Recorder::status`] says how
//! many inputs were kept and why it stopped. Closing writes the end line and syncs the file;
//! only then is a recording [complete](RecordingStatus::complete).

use super::decode::{MAX_RECORDING_BYTES, end_line, input_line};
use super::header::Header;
use crate::drill::{Drill, Input, LogEntry};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where a recorder writes: a file, or any writer that can be cut back (tests inject one that
/// fails part-way).
pub trait Sink: Write + Send {
    /// Cuts the output back to its first `len` bytes, dropping a partly written line.
    fn cut(&mut self, len: u64) -> io::Result<()>;
    /// Makes everything written durable (an `fsync` for a file).
    fn sync(&mut self) -> io::Result<()>;
}

impl Sink for File {
    fn cut(&mut self, len: u64) -> io::Result<()> {
        self.set_len(len)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.sync_data()
    }
}

/// Why a recording stopped before it was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The beat of the first input that could not be written.
    pub beat: u64,
    pub kind: io::ErrorKind,
    /// What went wrong, in words (`disk full`, `file too large`…).
    pub reason: String,
    /// A partly written line may remain at the end of the file (cutting it off failed too).
    pub torn: bool,
}

/// A recorder's health, as the shells show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingStatus {
    pub path: PathBuf,
    /// Input lines written whole.
    pub inputs: u64,
    /// The first write error; the recording stopped there.
    pub failure: Option<Failure>,
    /// The end line was written and the file synced: it holds the whole drill.
    pub complete: bool,
}

impl RecordingStatus {
    /// What to tell the user on standard error when the program exits: "recorded to PATH",
    /// then one line a command to look at it (to copy from an 80-column terminal); an
    /// incomplete recording in one line.
    pub fn exit_lines(&self) -> Vec<String> {
        let p = self.path.display();
        if !self.complete {
            return vec![self.exit_message()];
        }
        let page = self.path.with_extension("debrief.html");
        vec![
            format!("recorded to {p}"),
            format!("  gamelan debrief {p}"),
            format!("  gamelan replay {p}"),
            format!("  gamelan debrief {p} --format html -o {}", page.display()),
        ]
    }

    /// The same in one line, for a status line: "recorded to …" only when complete.
    pub fn exit_message(&self) -> String {
        let p = self.path.display();
        if self.complete {
            let page = self.path.with_extension("debrief.html");
            format!(
                "recorded to {p} (gamelan debrief {p} · gamelan replay {p} · \
                 gamelan debrief {p} --format html -o {})",
                page.display()
            )
        } else {
            format!("recording incomplete: {self}; {p} replays up to there (gamelan replay {p})")
        }
    }
}

impl fmt::Display for RecordingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inputs = plural(self.inputs, "input");
        match &self.failure {
            Some(e) => {
                write!(
                    f,
                    "recording stopped at beat {}: {}; {inputs} kept",
                    e.beat, e.reason
                )?;
                if e.torn {
                    write!(f, " (a torn line may remain at its end)")?;
                }
                Ok(())
            }
            None if self.complete => write!(f, "recorded {inputs}"),
            None => write!(f, "recording not closed; {inputs} kept"),
        }
    }
}

fn bytes_text(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Writes a recording as the drill happens (see the module notes).
pub struct Recorder {
    sink: Box<dyn Sink>,
    path: PathBuf,
    /// Bytes written whole: the length to cut back to.
    bytes: u64,
    lines: u64,
    inputs: u64,
    /// The beat of the last input given to [`Recorder::record`].
    beat: u64,
    limit: u64,
    failure: Option<Failure>,
    /// The failure was handed out by [`Recorder::take_stopped`].
    reported: bool,
    closed: bool,
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("path", &self.path)
            .field("lines", &self.lines)
            .field("failure", &self.failure)
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// Creates `path` (and its directory) and writes the header. Refuses to overwrite anything.
    pub fn create(path: &Path, header: &Header) -> io::Result<Recorder> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(path)
            .map_err(|e| create_error(path, e))?;
        let mut rec = Recorder::to_sink(Box::new(file), path);
        rec.write_header(header)?;
        Ok(rec)
    }

    /// A recorder writing to `sink`, named `path` in messages; the header is written at once.
    pub fn with_sink(sink: Box<dyn Sink>, path: &Path, header: &Header) -> io::Result<Recorder> {
        let mut rec = Recorder::to_sink(sink, path);
        rec.write_header(header)?;
        Ok(rec)
    }

    fn to_sink(sink: Box<dyn Sink>, path: &Path) -> Recorder {
        Recorder {
            sink,
            path: path.to_path_buf(),
            bytes: 0,
            lines: 0,
            inputs: 0,
            beat: 0,
            limit: MAX_RECORDING_BYTES,
            failure: None,
            reported: false,
            closed: false,
        }
    }

    fn write_header(&mut self, header: &Header) -> io::Result<()> {
        let text = serde_json::to_string(header).expect("a header always serializes");
        self.write_line(text).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot write to {}: {}", self.path.display(), reason(&e)),
            )
        })
    }

    /// Appends one input applied at `beat`. After the first failure nothing more is written
    /// and every call fails.
    pub fn record(&mut self, beat: u64, input: &Input) -> io::Result<()> {
        self.beat = beat;
        self.write_line(input_line(beat, input))?;
        self.inputs += 1;
        Ok(())
    }

    /// Records `input` at the drill's current beat, then applies it. A write error does not
    /// stop the drill: the recording stops, and [`Recorder::status`] says so.
    pub fn apply(&mut self, drill: &mut Drill, input: &Input) -> Vec<LogEntry> {
        let _ = self.record(drill.beat, input);
        drill.apply(input)
    }

    /// The status, once, right after the recording stopped: for a notice the moment it happens.
    pub fn take_stopped(&mut self) -> Option<RecordingStatus> {
        if self.failure.is_some() && !self.reported {
            self.reported = true;
            return Some(self.status());
        }
        None
    }

    /// How the recording stands: inputs kept, the first error, whether it is complete.
    pub fn status(&self) -> RecordingStatus {
        RecordingStatus {
            path: self.path.clone(),
            inputs: self.inputs,
            failure: self.failure.clone(),
            complete: self.closed && self.failure.is_none(),
        }
    }

    /// Closes the recording: writes the end line and syncs the file. Afterwards nothing more
    /// is recorded. Calling it again only returns the status.
    pub fn finish(&mut self) -> RecordingStatus {
        if !self.closed
            && self.failure.is_none()
            && self.write_line(end_line(self.inputs)).is_ok()
            && let Err(e) = self.sink.sync()
        {
            self.fail(&e, false);
        }
        self.closed = true;
        self.status()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Lines written, the header included.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Stops at the first line that would take the file over `limit` bytes (tests use a
    /// small one; the default is what a reader accepts).
    pub fn set_limit(&mut self, limit: u64) {
        self.limit = limit.min(MAX_RECORDING_BYTES);
    }

    fn write_line(&mut self, mut text: String) -> io::Result<()> {
        if let Some(f) = &self.failure {
            return Err(io::Error::new(
                f.kind,
                format!("the recording stopped: {}", f.reason),
            ));
        }
        if self.closed {
            return Err(io::Error::other("the recording is closed"));
        }
        text.push('\n');
        let len = text.len() as u64;
        if self.bytes + len > self.limit {
            let e = io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!(
                    "the recording reached its limit of {}",
                    bytes_text(self.limit)
                ),
            );
            self.fail(&e, false);
            return Err(e);
        }
        let written = self
            .sink
            .write_all(text.as_bytes())
            .and_then(|()| self.sink.flush());
        if let Err(e) = written {
            let torn = self.sink.cut(self.bytes).is_err();
            self.fail(&e, torn);
            return Err(e);
        }
        self.bytes += len;
        self.lines += 1;
        Ok(())
    }

    fn fail(&mut self, e: &io::Error, torn: bool) {
        if self.failure.is_none() {
            self.failure = Some(Failure {
                beat: self.beat,
                kind: e.kind(),
                reason: reason(e),
                torn,
            });
        }
    }
}

impl Drop for Recorder {
    /// A recorder dropped without [`Recorder::finish`] is closed all the same: every input it
    /// was given is in the file. Only a crash, a kill or a write error leaves no end line.
    fn drop(&mut self) {
        self.finish();
    }
}

/// An I/O error in words: the common ones plainly, the rest as the OS says them.
pub fn reason(e: &io::Error) -> String {
    let plain = match e.kind() {
        io::ErrorKind::StorageFull => Some("disk full"),
        io::ErrorKind::QuotaExceeded => Some("disk quota exceeded"),
        io::ErrorKind::FileTooLarge if e.get_ref().is_none() => Some("file too large"),
        io::ErrorKind::ReadOnlyFilesystem => Some("read-only file system"),
        _ => None,
    };
    match plain {
        Some(p) => format!("{p} ({e})"),
        None => e.to_string(),
    }
}

fn create_error(path: &Path, e: io::Error) -> io::Error {
    let p = path.display();
    if e.kind() != io::ErrorKind::AlreadyExists {
        return io::Error::new(e.kind(), format!("cannot create {p}: {}", reason(&e)));
    }
    let what = match std::fs::symlink_metadata(path) {
        Ok(m) if !m.is_file() => format!(
            "{p} is {}; a recording is written only to a new regular file",
            super::file::kind(m.file_type())
        ),
        _ => format!("{p} already exists; a recording is never overwritten"),
    };
    io::Error::new(e.kind(), what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::Action;
    use std::sync::{Arc, Mutex};

    /// A writer that takes `room` bytes and then fails like a full disk, writing the part of
    /// a buffer that fits first (as a real short write does).
    #[derive(Clone)]
    struct Full {
        out: Arc<Mutex<Vec<u8>>>,
        room: usize,
        cut_fails: bool,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut out = self.out.lock().unwrap();
            let free = self.room.saturating_sub(out.len());
            if free == 0 {
                return Err(io::Error::from(io::ErrorKind::StorageFull));
            }
            let n = free.min(buf.len());
            out.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Sink for Full {
        fn cut(&mut self, len: u64) -> io::Result<()> {
            if self.cut_fails {
                return Err(io::Error::other("cannot cut"));
            }
            self.out.lock().unwrap().truncate(len as usize);
            Ok(())
        }
        fn sync(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn header() -> Header {
        let s = crate::scenario::bundled()
            .into_iter()
            .next()
            .unwrap()
            .scenario;
        Header::new(&s, 1, 60, Vec::new())
    }

    fn full(room: usize, cut_fails: bool) -> (Full, Arc<Mutex<Vec<u8>>>) {
        let out = Arc::new(Mutex::new(Vec::new()));
        let f = Full {
            out: out.clone(),
            room,
            cut_fails,
        };
        (f, out)
    }

    #[test]
    fn a_full_disk_stops_the_recording_cleanly_at_the_first_failed_write() {
        let head = serde_json::to_string(&header()).unwrap().len() + 1;
        let tick = input_line(0, &Input::new(0, Action::Tick)).len() + 1;
        for extra in [0, 1, tick - 1, tick, 3 * tick + 5] {
            let (sink, out) = full(head + extra, false);
            let mut rec =
                Recorder::with_sink(Box::new(sink), Path::new("r.jsonl"), &header()).unwrap();
            let mut failed_at = None;
            for beat in 0..10_u64 {
                let r = rec.record(beat, &Input::new(0, Action::Tick));
                if r.is_err() && failed_at.is_none() {
                    failed_at = Some(beat);
                }
            }
            let kept = (extra / tick) as u64;
            let s = rec.take_stopped().expect("the recording stopped");
            assert!(rec.take_stopped().is_none(), "reported once");
            assert_eq!(s.inputs, kept, "room for {extra} bytes");
            assert_eq!(failed_at, Some(kept));
            let f = s.failure.clone().unwrap();
            assert_eq!(f.beat, kept);
            assert_eq!(f.kind, io::ErrorKind::StorageFull);
            assert!(!f.torn);
            assert!(!s.complete);
            assert_eq!(
                s.to_string(),
                format!(
                    "recording stopped at beat {kept}: disk full ({}); {} kept",
                    io::Error::from(io::ErrorKind::StorageFull),
                    plural(kept, "input")
                )
            );
            let end = rec.finish();
            assert!(!end.complete);
            assert!(
                end.exit_message()
                    .starts_with("recording incomplete: recording stopped")
            );
            // The file holds whole lines only: the header and `kept` ticks, no torn line.
            let bytes = out.lock().unwrap().clone();
            assert_eq!(bytes.len(), head + kept as usize * tick);
            let parsed = super::super::Recording::parse(&bytes, "r.jsonl").unwrap();
            assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
            assert_eq!(parsed.inputs.len() as u64, kept);
            assert_eq!(
                parsed.completeness.note().as_deref(),
                Some("incomplete (no end line)")
            );
        }
    }

    #[test]
    fn a_line_that_cannot_be_cut_off_is_reported_as_torn() {
        let head = serde_json::to_string(&header()).unwrap().len() + 1;
        let (sink, out) = full(head + 5, true);
        let mut rec = Recorder::with_sink(Box::new(sink), Path::new("r.jsonl"), &header()).unwrap();
        assert!(rec.record(3, &Input::new(0, Action::Tick)).is_err());
        let s = rec.status();
        assert!(s.failure.as_ref().unwrap().torn);
        assert!(s.to_string().contains("a torn line may remain"), "{s}");
        let parsed = super::super::Recording::parse(&out.lock().unwrap(), "r.jsonl").unwrap();
        assert_eq!(parsed.warnings.len(), 1, "the reader sees the torn line");
    }

    #[test]
    fn the_header_itself_failing_is_an_error_at_once() {
        let (sink, _) = full(10, false);
        let e = Recorder::with_sink(Box::new(sink), Path::new("r.jsonl"), &header()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot write to r.jsonl: disk full"),
            "{e}"
        );
    }

    #[test]
    fn closing_writes_the_end_line_once() {
        let (sink, out) = full(1 << 20, false);
        let mut rec = Recorder::with_sink(Box::new(sink), Path::new("r.jsonl"), &header()).unwrap();
        for beat in 0..3 {
            rec.record(beat, &Input::new(0, Action::Tick)).unwrap();
        }
        let s = rec.finish();
        assert!(s.complete && s.failure.is_none());
        assert_eq!(s.inputs, 3);
        assert_eq!(s.to_string(), "recorded 3 inputs");
        assert!(s.exit_message().starts_with("recorded to r.jsonl"));
        assert!(
            s.exit_message()
                .contains("gamelan debrief r.jsonl --format html -o r.debrief.html"),
            "{}",
            s.exit_message()
        );
        assert_eq!(rec.finish(), s);
        assert!(rec.record(4, &Input::new(0, Action::Tick)).is_err());
        drop(rec);
        let bytes = out.lock().unwrap().clone();
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.ends_with("{\"beat\":2,\"do\":\"tick\"}\n{\"end_of_recording\":{\"inputs\":3}}\n"),
            "{text}"
        );
        let parsed = super::super::Recording::parse(text.as_bytes(), "r.jsonl").unwrap();
        assert_eq!(parsed.completeness, super::super::Completeness::Complete);
    }

    #[test]
    fn the_size_limit_stops_the_recording_before_the_reader_would_refuse_it() {
        let (sink, out) = full(usize::MAX, false);
        let mut rec = Recorder::with_sink(Box::new(sink), Path::new("r.jsonl"), &header()).unwrap();
        // The header (with the scenario's source) is written first, then 2000 bytes of inputs.
        let limit = serde_json::to_string(&header()).unwrap().len() as u64 + 1 + 2000;
        rec.set_limit(limit);
        let mut beat = 0;
        while rec.record(beat, &Input::new(0, Action::Tick)).is_ok() {
            beat += 1;
        }
        let s = rec.status();
        assert_eq!(
            s.failure.as_ref().unwrap().kind,
            io::ErrorKind::FileTooLarge
        );
        assert!(s.to_string().contains("reached its limit"), "{s}");
        assert!(out.lock().unwrap().len() as u64 <= limit);
    }
}
