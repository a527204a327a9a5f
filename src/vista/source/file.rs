//! `type = "file"`: the tail of a log file. The first poll reads the last part of the file; each
//! later poll reads only what was appended. A file that shrank was truncated (read again from
//! the start); a path that now names another file was rotated (the rest of the old file is read,
//! then the new one from its start). Both leave a marker line in the pane. Only a regular file
//! is followed: a FIFO, a device or a directory is a pane error, never an open that blocks.

use super::sanitize;
use crate::vista::config::{FileDef, Highlight};
use crate::vista::regular;
use crate::vista::state::{Line, Reading};
use crate::vista::time::now_unix;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;

/// Most bytes read in one poll; a log that grew more than this is skipped ahead to its tail.
const MAX_READ: u64 = 4 << 20;
/// A partial last line longer than this is shown without waiting for its newline.
const MAX_CARRY: usize = 64 << 10;

pub struct FileSource {
    def: FileDef,
    open: Option<Open>,
    carry: Vec<u8>,
}

struct Open {
    file: File,
    id: (u64, u64),
    offset: u64,
}

impl FileSource {
    pub fn new(def: FileDef) -> FileSource {
        FileSource {
            def,
            open: None,
            carry: Vec::new(),
        }
    }

    /// Bytes to read back on first open: enough for `lines` ordinary lines.
    fn tail_bytes(&self) -> u64 {
        (self.def.lines as u64 * 512).clamp(64 << 10, MAX_READ)
    }

    fn read_from(
        &mut self,
        file: &mut File,
        from: u64,
        to: u64,
        out: &mut Vec<Line>,
        at: f64,
    ) -> Result<u64, String> {
        let mut from = from;
        if to.saturating_sub(from) > MAX_READ {
            let skip_to = to - self.tail_bytes();
            out.push(Line::marker(
                format!("— skipped {} bytes —", skip_to - from),
                at,
            ));
            self.carry.clear();
            from = skip_to;
        }
        file.seek(SeekFrom::Start(from))
            .map_err(|e| self.err("cannot seek in", &e))?;
        let mut buf = Vec::with_capacity((to - from) as usize);
        let n = file
            .take(to - from)
            .read_to_end(&mut buf)
            .map_err(|e| self.err("cannot read", &e))?;
        let mut rest: &[u8] = &buf;
        while let Some(nl) = rest.iter().position(|&c| c == b'\n') {
            let mut line = std::mem::take(&mut self.carry);
            line.extend_from_slice(&rest[..nl]);
            self.push_line(&line, out, at);
            rest = &rest[nl + 1..];
        }
        self.carry.extend_from_slice(rest);
        if self.carry.len() > MAX_CARRY {
            let line = std::mem::take(&mut self.carry);
            self.push_line(&line, out, at);
        }
        Ok(from + n as u64)
    }

    fn push_line(&self, bytes: &[u8], out: &mut Vec<Line>, at: f64) {
        let text = String::from_utf8_lossy(bytes);
        let text = sanitize(text.trim_end_matches('\r'));
        let hl = Highlight::first_match(&self.def.highlight, &text);
        out.push(Line::new(text, hl, at));
    }

    /// Opens the path if it is still a regular file (never blocking on a FIFO swapped in).
    fn open_file(&self) -> Result<File, String> {
        regular::open(&self.def.path)
            .map(|(f, _)| f)
            .map_err(|e| format!("{}: {e}", self.def.path.display()))
    }

    fn err(&self, what: &str, e: &std::io::Error) -> String {
        format!("{what} {}: {e}", self.def.path.display())
    }
}

impl super::BlockingSource for FileSource {
    fn poll(&mut self) -> Result<Reading, String> {
        let at = now_unix();
        let path = self.def.path.clone();
        let meta = std::fs::metadata(&path).map_err(|e| self.err("cannot read", &e))?;
        regular::check(&meta).map_err(|e| format!("{}: {e}", path.display()))?;
        let id = (meta.dev(), meta.ino());
        let len = meta.len();
        let mut out = Vec::new();
        let mut replace = false;
        let mut start = 0;
        match self.open.take() {
            None => {
                replace = true;
                self.carry.clear();
                let mut file = self.open_file()?;
                start = len.saturating_sub(self.tail_bytes());
                if start > 0 {
                    // Begin at a line start: drop the partial first line.
                    file.seek(SeekFrom::Start(start - 1))
                        .map_err(|e| self.err("cannot seek in", &e))?;
                    let mut probe = Vec::new();
                    (&mut file)
                        .take(MAX_CARRY as u64)
                        .read_to_end(&mut probe)
                        .map_err(|e| self.err("cannot read", &e))?;
                    if let Some(nl) = probe.iter().position(|&c| c == b'\n') {
                        start += nl as u64;
                    }
                }
                self.open = Some(Open {
                    file,
                    id,
                    offset: start,
                });
            }
            Some(mut o) if o.id != id => {
                // Rotated: finish the old file, then start the new one from the top.
                if let Ok(old_len) = o.file.metadata().map(|m| m.len())
                    && old_len > o.offset
                {
                    let _ = self.read_from(&mut o.file, o.offset, old_len, &mut out, at);
                }
                if !self.carry.is_empty() {
                    let line = std::mem::take(&mut self.carry);
                    self.push_line(&line, &mut out, at);
                }
                out.push(Line::marker(
                    format!("— {} was rotated —", path.display()),
                    at,
                ));
                let file = self.open_file()?;
                self.open = Some(Open {
                    file,
                    id,
                    offset: 0,
                });
            }
            Some(o) if len < o.offset => {
                out.push(Line::marker(
                    format!("— {} was truncated —", path.display()),
                    at,
                ));
                self.carry.clear();
                self.open = Some(Open { offset: 0, ..o });
            }
            Some(o) => {
                start = o.offset;
                self.open = Some(o);
            }
        }
        let mut o = self.open.take().expect("opened above");
        if o.offset == 0 {
            start = 0;
        }
        let result = self.read_from(&mut o.file, start, len, &mut out, at);
        match result {
            Ok(end) => {
                o.offset = end;
                self.open = Some(o);
                Ok(Reading::Lines {
                    lines: out,
                    replace,
                })
            }
            Err(e) => Err(e), // reopened at the next poll
        }
    }
}
