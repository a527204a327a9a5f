//! Keys for `gamelan serve`: the authorized_keys file (who may log in; read afresh at every
//! login so edits apply without a restart) and the server's own host key (generated once,
//! kept private, reused after).

use russh::keys::ssh_key::{LineEnding, PublicKey, public::KeyData};
use russh::keys::{Algorithm, PrivateKey};
use std::io::{self, Write};
use std::path::Path;

/// The public keys listed in an OpenSSH `authorized_keys` text. Comments, blank lines, key
/// options (`from="…",no-pty …`) and the comment after a key are ignored; a line that holds no
/// parseable key is counted as a problem rather than failing the whole file.
#[derive(Debug, Default)]
pub struct AuthorizedKeys {
    pub keys: Vec<KeyData>,
    /// 1-based numbers of lines that held no key gamelan could read.
    pub unreadable: Vec<usize>,
}

impl AuthorizedKeys {
    pub fn parse(text: &str) -> AuthorizedKeys {
        let mut out = AuthorizedKeys::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match key_in_line(line) {
                Some(k) => out.keys.push(k),
                None => out.unreadable.push(n + 1),
            }
        }
        out
    }

    /// Reads `path`. A missing or unreadable file lets nobody in.
    pub fn load(path: &Path) -> io::Result<AuthorizedKeys> {
        Ok(AuthorizedKeys::parse(&std::fs::read_to_string(path)?))
    }

    pub fn allows(&self, key: &PublicKey) -> bool {
        self.keys.iter().any(|k| k == key.key_data())
    }
}

/// Finds `TYPE BASE64` in a line: the options before the key may contain quoted spaces, so
/// every token that names a key type is tried with the token after it.
fn key_in_line(line: &str) -> Option<KeyData> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    tokens.windows(2).find_map(|w| {
        let (kind, blob) = (w[0], w[1]);
        if !looks_like_key_type(kind) {
            return None;
        }
        let key = russh::keys::parse_public_key_base64(blob).ok()?;
        (key.algorithm().as_str() == kind
            || kind.starts_with(key.algorithm().as_str())
            || key.algorithm().as_str().starts_with(kind))
        .then(|| key.key_data().clone())
    })
}

fn looks_like_key_type(t: &str) -> bool {
    t.starts_with("ssh-")
        || t.starts_with("ecdsa-sha2-")
        || t.starts_with("sk-ssh-")
        || t.starts_with("sk-ecdsa-")
        || t.starts_with("rsa-sha2-")
}

/// Loads the host key at `path`, or generates an ed25519 key there (mode 0600) when there is
/// none. Returns the key and a warning to print when the file is readable by others.
pub fn host_key(path: &Path) -> io::Result<(PrivateKey, Option<String>)> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let key = PrivateKey::from_openssh(text.as_bytes()).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: not an OpenSSH private key: {e}", path.display()),
                )
            })?;
            Ok((key, loose_permissions(path)))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
                .map_err(|e| io::Error::other(format!("cannot generate a host key: {e}")))?;
            write_private(path, &key)?;
            Ok((key, None))
        }
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!("{}: cannot read the host key: {e}", path.display()),
        )),
    }
}

/// Writes a new private key with mode 0600 (never wider, even for a moment): to a temporary
/// file in the same directory, then renamed into place.
fn write_private(path: &Path, key: &PrivateKey) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| io::Error::other(format!("cannot encode the host key: {e}")))?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let write = (|| {
        let mut f = options.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if write.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    write.map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("{}: cannot write the host key: {e}", path.display()),
        )
    })?;
    let public = key.public_key().to_openssh().unwrap_or_default();
    let _ = std::fs::write(path.with_extension("pub"), format!("{public}\n"));
    Ok(())
}

#[cfg(unix)]
fn loose_permissions(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "warning: {} is readable by others (mode {:o}); chmod 600 it",
            path.display(),
            mode & 0o777
        )
    })
}

#[cfg(not(unix))]
fn loose_permissions(_: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIKVJk4nJNYwVviLNCVRKY4C7lO/82lRi/OrBsP9b8nyf";

    #[test]
    fn parses_keys_with_options_and_comments() {
        let text = format!(
            "# team keys\n\nssh-ed25519 {ED} ana@laptop\n\
             command=\"echo a b\",no-pty ssh-ed25519 {ED} bo\n\
             garbage line here\nssh-ed25519 !!!notbase64\n"
        );
        let ak = AuthorizedKeys::parse(&text);
        assert_eq!(ak.keys.len(), 2, "{ak:?}");
        assert_eq!(ak.unreadable, vec![5, 6]);
        let key = russh::keys::parse_public_key_base64(ED).unwrap();
        assert!(ak.allows(&key));
        assert!(!AuthorizedKeys::parse("").allows(&key));
    }

    #[test]
    fn host_key_is_generated_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/ssh_host_ed25519_key");
        let (a, warn) = host_key(&path).unwrap();
        assert!(warn.is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (b, _) = host_key(&path).unwrap();
        assert_eq!(a.public_key(), b.public_key());
        assert_eq!(a.algorithm(), Algorithm::Ed25519);
        std::fs::write(&path, "not a key").unwrap();
        assert!(host_key(&path).is_err());
    }
}
