//! What the scale tests share: a `gamelan serve` child killed on drop, russh seats that count
//! the bytes they receive, and the server's CPU and memory read from /proc.

use russh::ChannelMsg;
use russh::client;
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The number in environment variable `name`, else `default`.
pub fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Client;

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// Starts `gamelan serve` on a free loopback port with `extra` arguments, its keys and
/// directories under `dir` (`dir/authorized_keys` must exist); returns the server (killed on
/// drop), its pid and the port it printed.
pub async fn start_serve(dir: &Path, extra: &[&str]) -> (Server, u32, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gamelan"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .arg("--authorized-keys")
        .arg(dir.join("authorized_keys"))
        .env("GAMELAN_CONFIG_DIR", dir.join("config"))
        .env("GAMELAN_DATA_DIR", dir.join("data"))
        .env("GAMELAN_RUNTIME_DIR", dir.join("runtime"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let pid = child.id();
    let server = Server(child);
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(out).read_line(&mut line).unwrap();
        line
    });
    let line = tokio::time::timeout(Duration::from_secs(20), line)
        .await
        .expect("server did not start")
        .unwrap();
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (server, pid, port)
}

/// One seat: its connection, its keys (to type more later) and the bytes it has received.
pub struct Seat {
    pub handle: client::Handle<Client>,
    pub keys: russh::ChannelWriteHalf<client::Msg>,
    pub bytes: Arc<AtomicU64>,
}

pub async fn open_seat(
    port: u16,
    key: &Arc<PrivateKey>,
    user: &str,
    command: &str,
    keys: &[u8],
    (cols, rows): (u32, u32),
) -> Seat {
    let config = Arc::new(client::Config::default());
    let mut handle = client::connect(config, ("127.0.0.1", port), Client)
        .await
        .expect("connect");
    let auth = handle
        .authenticate_publickey(user, PrivateKeyWithHashAlg::new(key.clone(), None))
        .await
        .expect("authenticate");
    assert!(auth.success(), "{user} was refused");
    let channel = handle.channel_open_session().await.expect("session");
    channel
        .request_pty(true, "xterm-256color", cols, rows, 0, 0, &[])
        .await
        .expect("pty");
    channel.exec(true, command).await.expect("exec");
    if !keys.is_empty() {
        channel.data(keys).await.expect("keys");
    }
    let bytes = Arc::new(AtomicU64::new(0));
    let b = bytes.clone();
    let (mut read, keys) = channel.split();
    tokio::spawn(async move {
        while let Some(msg) = read.wait().await {
            if let ChannelMsg::Data { data } = msg {
                b.fetch_add(data.len() as u64, Ordering::Relaxed);
            }
        }
    });
    Seat {
        handle,
        keys,
        bytes,
    }
}

/// utime+stime of `pid`, in clock ticks.
pub fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
    f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
}

pub fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
