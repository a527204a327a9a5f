//! Opening files the user named (a vista config, a log to follow): only regular files. A FIFO
//! would block the open (and so the process, at quit) until a writer came; a device like
//! `/dev/zero` never ends; a directory is no text. Each is refused with a message that says what
//! the path is, and a whole-file read is bounded.

use std::fs::{File, Metadata};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// The largest vista config read (1 MiB: a vista of 48 panes is a few KiB).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// What a path is, in words, when it is not a regular file.
fn what(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a plain file"
    }
}

/// Refuses what is not a regular file, saying what it is.
pub fn check(meta: &Metadata) -> Result<(), String> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(refuse(meta))
    }
}

fn refuse(meta: &Metadata) -> String {
    format!(
        "{}, not a regular file (only regular files are read)",
        what(meta)
    )
}

/// Errors say what is wrong without the path: the caller names it.
///
/// Opens `path` for reading if it is a regular file (after symlinks). The open never blocks:
/// it is non-blocking, and the opened file is checked again, so a path swapped for a FIFO
/// between the two looks is refused too.
pub fn open(path: &Path) -> Result<(File, Metadata), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    let file = File::options()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| format!("cannot open: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    Ok((file, meta))
}

/// Reads a whole regular file of at most `max` bytes as UTF-8 text.
pub fn read_to_string(path: &Path, max: u64) -> Result<String, String> {
    let (file, meta) = open(path)?;
    let too_big = || format!("larger than {} KiB, the most read", max / 1024);
    if meta.len() > max {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    String::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn refuses_fifos_devices_and_directories_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo has no other preconditions.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let started = Instant::now();
        let e = read_to_string(&fifo, MAX_CONFIG_BYTES).unwrap_err();
        assert!(e.contains("a FIFO (named pipe), not a regular file"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(1), "did not block");
        let e = read_to_string(Path::new("/dev/zero"), MAX_CONFIG_BYTES).unwrap_err();
        assert!(e.contains("a character device"), "{e}");
        let e = open(dir.path()).unwrap_err();
        assert!(e.contains("a directory"), "{e}");
    }

    #[test]
    fn bounds_what_it_reads() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; 2048]).unwrap();
        let e = read_to_string(&big, 1024).unwrap_err();
        assert!(e.contains("larger than 1 KiB"), "{e}");
        assert_eq!(read_to_string(&big, 4096).unwrap().len(), 2048);
        std::fs::write(&big, [0xff, 0xfe]).unwrap();
        assert!(
            read_to_string(&big, 4096)
                .unwrap_err()
                .contains("not UTF-8")
        );
    }
}
