//! Opening a recording file: only a regular file, and only up to
//! [`MAX_RECORDING_BYTES`](super::decode::MAX_RECORDING_BYTES). A FIFO would block the reader
//! forever, a device never ends, a directory is no recording: each gets a clear error instead.

use super::decode::{MAX_RECORDING_BYTES, Recording, too_big};
use crate::diag::Diagnostic;
use std::fs::{File, FileType};
use std::io::Read;
use std::path::Path;

impl Recording {
    /// Reads a recording file. Errors name the file, and the line and column where there is one.
    pub fn load(path: &Path) -> Result<Recording, Diagnostic> {
        let name = path.display().to_string();
        let bytes = read_regular(path, MAX_RECORDING_BYTES, too_big)
            .map_err(|m| Diagnostic::whole(&name, m))?;
        let mut rec = Recording::parse(&bytes, &name)?;
        rec.path = Some(path.to_path_buf());
        Ok(rec)
    }
}

/// Reads `path` whole if it is a regular file of at most `limit` bytes; `big` words the
/// message for a larger one. Opening never blocks (a FIFO is refused, not waited on).
pub fn read_regular(path: &Path, limit: u64, big: fn(u64) -> String) -> Result<Vec<u8>, String> {
    let file = open_nonblocking(path).map_err(|e| format!("cannot read: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "cannot read: {}, not a regular file",
            kind(meta.file_type())
        ));
    }
    if meta.len() > limit {
        return Err(big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        // It grew while being read.
        return Err(big(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// What a file that is not a regular file is, for a message.
pub fn kind(t: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}
