//! The socket files under the runtime directory: names, the owner-only folder, stale sockets.

use std::fmt;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Where drill sockets live: `RUNTIME/drills`.
pub fn drills_dir(runtime: &Path) -> PathBuf {
    runtime.join("drills")
}

/// The socket of drill `name`.
pub fn socket_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.sock"))
}

/// A drill name is a file name: letters, digits, `.`, `_`, `-`; 1 to 40 characters, not
/// starting with a dot.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if name.is_empty() || name.len() > 40 || !ok_chars || name.starts_with('.') {
        return Err(format!(
            "`{name}` cannot name a drill: use 1 to 40 letters, digits, `.`, `_` or `-`, not starting with `.`"
        ));
    }
    Ok(())
}

/// Creates the sockets directory owner-only (0700), or checks an existing one is ours and
/// makes it owner-only.
pub fn prepare_dir(dir: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(io::Error::other(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(io::Error::other(format!(
            "{} belongs to another user (uid {}); refusing to put drill sockets there",
            dir.display(),
            meta.uid()
        )));
    }
    if meta.mode() & 0o777 != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// What is at a socket path.
#[derive(Debug)]
pub enum Probe {
    /// A host is listening.
    Live(std::os::unix::net::UnixStream),
    /// A socket file whose listener is gone.
    Stale,
    /// Nothing there.
    Missing,
}

/// Connects to see whether a host listens at `path`. Only a real socket file (not a regular
/// file or a symlink, which refuse connections too) is ever called stale.
pub fn probe(path: &Path) -> io::Result<Probe> {
    match std::os::unix::net::UnixStream::connect(path) {
        Ok(s) => Ok(Probe::Live(s)),
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            if is_socket(path) {
                Ok(Probe::Stale)
            } else {
                Err(io::Error::other("not a socket"))
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Probe::Missing),
        Err(e) => Err(e),
    }
}

/// Whether `path` itself (not what a symlink points to) is a socket.
fn is_socket(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket())
}

/// The drill names with a socket file in `dir`, sorted; other files are left alone.
pub fn list_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            use std::os::unix::fs::FileTypeExt;
            // The entry's own type: a symlink is not followed.
            if !e.file_type().ok()?.is_socket() {
                return None;
            }
            let name = e.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".sock")?;
            check_name(stem).ok()?;
            Some(stem.to_string())
        })
        .collect();
    names.sort();
    names
}

/// Removes the socket file when the host ends, if it is still the one this host made.
#[derive(Debug)]
pub struct SocketGuard {
    path: PathBuf,
    id: (u64, u64),
}

impl SocketGuard {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        if let Ok(m) = std::fs::symlink_metadata(&self.path)
            && (m.dev(), m.ino()) == self.id
        {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Why a drill's socket could not be opened.
#[derive(Debug)]
pub enum BindError {
    /// A live drill already has the name.
    Taken(PathBuf),
    /// Something else is at the path (not a socket).
    NotSocket(PathBuf),
    Io(PathBuf, io::Error),
}

impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BindError::Taken(p) => write!(
                f,
                "a drill is already open at {} (`gamelan drills` lists it); pick another --name",
                p.display()
            ),
            BindError::NotSocket(p) => write!(
                f,
                "{} exists and is not a socket; remove it or pick another --name",
                p.display()
            ),
            BindError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for BindError {}

/// Opens drill `name`'s socket in `dir` (created 0700): refuses a name a live drill holds,
/// replaces a stale socket file, and makes the new socket owner-only (0600). Returns a
/// non-blocking listener, ready for [`serve`], and the guard that removes the file.
pub fn bind(
    dir: &Path,
    name: &str,
) -> Result<(std::os::unix::net::UnixListener, SocketGuard), BindError> {
    check_name(name).map_err(|e| BindError::Io(dir.to_path_buf(), io::Error::other(e)))?;
    prepare_dir(dir).map_err(|e| BindError::Io(dir.to_path_buf(), e))?;
    let path = socket_path(dir, name);
    let io_err = |e| BindError::Io(path.clone(), e);
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        use std::os::unix::fs::FileTypeExt;
        if !meta.file_type().is_socket() {
            return Err(BindError::NotSocket(path));
        }
        match probe(&path).map_err(io_err)? {
            Probe::Live(_) => return Err(BindError::Taken(path)),
            Probe::Stale => std::fs::remove_file(&path).map_err(io_err)?,
            Probe::Missing => {}
        }
    }
    let listener = std::os::unix::net::UnixListener::bind(&path).map_err(io_err)?;
    let meta = std::fs::symlink_metadata(&path).map_err(io_err)?;
    let guard = SocketGuard {
        path: path.clone(),
        id: (meta.dev(), meta.ino()),
    };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(io_err)?;
    listener.set_nonblocking(true).map_err(io_err)?;
    Ok((listener, guard))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_file_names() {
        assert!(check_name("bad-deploy").is_ok());
        assert!(check_name("team_a.2").is_ok());
        for bad in ["", ".hidden", "a/b", "..", "x y", &"n".repeat(41)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
