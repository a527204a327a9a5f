//! The real OpenSSH client against `gamelan serve` on 127.0.0.1, as the SSH tests drive it: a
//! site (a temp directory with config, data and runtime directories, keys made by
//! `ssh-keygen`, the authorized_keys file), the server (its port, its log, killed on drop) and
//! the `ssh` invocations (batch, or in a pseudo-terminal read through vt100).

use super::{Term, WAIT};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

pub const SSH: &str = "/usr/bin/ssh";
pub const SSH_KEYGEN: &str = "/usr/bin/ssh-keygen";

pub fn require_openssh() {
    for tool in [SSH, SSH_KEYGEN] {
        assert!(
            Path::new(tool).exists(),
            "{tool} is missing: these tests drive the real OpenSSH client; install it \
             (Debian/Ubuntu: apt-get install openssh-client)"
        );
    }
}

/// A temp directory with the config/data/runtime dirs, keys and the authorized_keys file.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        require_openssh();
        Site {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Makes an ed25519 key pair `name` / `name.pub` with ssh-keygen; returns the private key.
    pub fn keygen(&self, name: &str) -> PathBuf {
        let key = self.path(name);
        let out = Command::new(SSH_KEYGEN)
            .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
            .arg(&key)
            .output()
            .unwrap();
        assert!(out.status.success(), "ssh-keygen: {out:?}");
        key
    }

    pub fn public(&self, key: &Path) -> String {
        std::fs::read_to_string(key.with_extension("pub")).unwrap()
    }

    pub fn authorize(&self, text: &str) {
        std::fs::write(self.path("authorized_keys"), text).unwrap();
    }

    /// An ed25519 key pair made by ssh-keygen, the only one authorized; returns the private key.
    pub fn authorized_key(&self, name: &str) -> PathBuf {
        let key = self.keygen(name);
        self.authorize(&self.public(&key));
        key
    }

    pub fn serve(&self, extra: &[&str]) -> Server {
        let mut child = Command::new(super::BIN)
            .arg("serve")
            .args(["--listen", "127.0.0.1:0", "--authorized-keys"])
            .arg(self.path("authorized_keys"))
            .arg("--host-key")
            .arg(self.path("host_key"))
            .args(extra)
            .env("GAMELAN_CONFIG_DIR", self.path("config"))
            .env("GAMELAN_DATA_DIR", self.path("data"))
            .env("GAMELAN_RUNTIME_DIR", self.path("runtime"))
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().unwrap();
        let l = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                l.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            port: 0,
            log,
        };
        let line = rx
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("gamelan serve did not start:\n{}", server.log()));
        server.port = line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        server
    }
}

pub struct Server {
    pub child: Child,
    pub port: u16,
    pub log: Arc<Mutex<String>>,
}

impl Server {
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// The arguments every ssh gets.
    pub fn ssh_args(&self, key: &Path, user: &str) -> Vec<String> {
        [
            "-p",
            &self.port.to_string(),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=10",
            "-i",
            &key.display().to_string(),
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("{user}@127.0.0.1")])
        .collect()
    }

    /// Runs `ssh … COMMAND` without a terminal; returns (exit ok, stdout, stderr).
    pub fn batch(
        &self,
        key: &Path,
        user: &str,
        extra: &[&str],
        command: &str,
    ) -> (bool, String, String) {
        let mut args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        args.extend(self.ssh_args(key, user));
        args.push(command.to_string());
        let mut child = Command::new(SSH)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("ssh {args:?} did not finish; server log:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut out = String::new();
        let mut err = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        (status.success(), out, err)
    }

    /// Opens an interactive `ssh -tt` in a pseudo-terminal of `cols`x`rows`.
    pub fn term(&self, key: &Path, user: &str, cols: u16, rows: u16) -> Term {
        self.term_with(key, user, &[], &[], cols, rows)
    }

    /// [`Server::term`] with extra `ssh` options and environment (`TERM`…) for the client.
    pub fn term_with(
        &self,
        key: &Path,
        user: &str,
        options: &[&str],
        env: &[(&str, &std::ffi::OsStr)],
        cols: u16,
        rows: u16,
    ) -> Term {
        self.tt(key, user, options, env, None, cols, rows)
    }

    /// `ssh -tt USER@HOST COMMAND` (`session weekly`, `join NAME`…) in a pseudo-terminal.
    pub fn term_running(
        &self,
        key: &Path,
        user: &str,
        command: &str,
        cols: u16,
        rows: u16,
    ) -> Term {
        self.tt(key, user, &[], &[], Some(command), cols, rows)
    }

    #[allow(clippy::too_many_arguments)]
    fn tt(
        &self,
        key: &Path,
        user: &str,
        options: &[&str],
        env: &[(&str, &std::ffi::OsStr)],
        command: Option<&str>,
        cols: u16,
        rows: u16,
    ) -> Term {
        let mut args = vec!["-tt".to_string()];
        args.extend(options.iter().map(|s| s.to_string()));
        args.extend(self.ssh_args(key, user));
        args.extend(command.map(str::to_string));
        Term::spawn(user, SSH, &args, env, cols, rows)
    }

    /// Runs `ssh HOST list` (as `lister`) until its output satisfies `ok`; returns it, or
    /// panics after [`WAIT`] naming `what`.
    pub fn wait_list(&self, key: &Path, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let (_, list, _) = self.batch(key, "lister", &[], "list");
            if ok(&list) {
                return list;
            }
            assert!(
                Instant::now() < deadline,
                "no {what} in:\n{list}\nserver log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn signal(&self, sig: i32) {
        unsafe {
            libc::kill(self.pid(), sig);
        }
    }

    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "server did not exit:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = self.log.lock().map(|l| l.clone()).unwrap_or_default();
            eprintln!("server log:\n{log}");
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
