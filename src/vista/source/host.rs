//! `type = "host"`: this machine, read from /proc and statvfs (Linux).
//!
//! | metric | series | how |
//! | --- | --- | --- |
//! | cpu | `cpu` (%) | busy share of /proc/stat jiffies between two polls (the first poll samples 200 ms) |
//! | memory | `memory` (%) | (MemTotal − MemAvailable) / MemTotal from /proc/meminfo |
//! | load | `load1`, `load5`, `load15` | /proc/loadavg |
//! | disk | `disk:<mount>` (%) | statvfs of each real filesystem in /proc/self/mounts, like df |
//! | net | `rx`, `tx` (B/s) | byte counters of /proc/net/dev (all but `lo`) between two polls |

use crate::vista::config::{HostDef, HostMetric};
use crate::vista::state::{Reading, Value};
use crate::vista::time::now_unix;
use std::collections::HashSet;
use std::ffi::CString;
use std::time::{Duration, Instant};

pub struct HostSource {
    def: HostDef,
    cpu: Option<CpuTimes>,
    net: Option<(Instant, u64, u64)>,
}

#[derive(Debug, Clone, Copy)]
struct CpuTimes {
    busy: u64,
    total: u64,
}

/// Filesystem types that hold data (anything mounted from a /dev node counts too).
const REAL_FS: &[&str] = &[
    "ext2",
    "ext3",
    "ext4",
    "xfs",
    "btrfs",
    "zfs",
    "f2fs",
    "jfs",
    "reiserfs",
    "vfat",
    "exfat",
    "ntfs",
    "ntfs3",
    "fuseblk",
    "overlay",
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "9p",
    "virtiofs",
    "ceph",
    "glusterfs",
    "lustre",
    "bcachefs",
    "drvfs",
];

impl HostSource {
    pub fn new(def: HostDef) -> HostSource {
        HostSource {
            def,
            cpu: None,
            net: None,
        }
    }

    fn wants(&self, m: HostMetric) -> bool {
        self.def.metrics.contains(&m)
    }
}

fn value(id: &str, label: impl Into<String>, unit: &str, v: f64) -> Value {
    Value {
        id: id.into(),
        label: label.into(),
        unit: unit.into(),
        value: v,
    }
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn cpu_times() -> Result<CpuTimes, String> {
    let stat = read("/proc/stat")?;
    let line = stat
        .lines()
        .find(|l| l.starts_with("cpu "))
        .ok_or("no cpu line in /proc/stat")?;
    let f: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    if f.len() < 4 {
        return Err("short cpu line in /proc/stat".into());
    }
    // user nice system idle iowait irq softirq steal [guest guest_nice: already in user/nice]
    let total: u64 = f.iter().take(8).sum();
    let idle = f[3] + f.get(4).copied().unwrap_or(0);
    Ok(CpuTimes {
        busy: total - idle,
        total,
    })
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn net_bytes() -> Result<(u64, u64), String> {
    let dev = read("/proc/net/dev")?;
    let (mut rx, mut tx) = (0u64, 0u64);
    for line in dev.lines().skip(2) {
        let Some((name, rest)) = line.split_once(':') else {
            continue;
        };
        if name.trim() == "lo" {
            continue;
        }
        let f: Vec<u64> = rest
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if f.len() >= 9 {
            rx = rx.wrapping_add(f[0]);
            tx = tx.wrapping_add(f[8]);
        }
    }
    Ok((rx, tx))
}

/// `\040`-style escapes in /proc/self/mounts.
fn unescape_mount(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A mounted filesystem worth showing.
#[derive(Debug, Clone, PartialEq)]
pub struct Mount {
    pub device: String,
    pub path: String,
    pub fstype: String,
}

/// The real filesystems mounted on this machine, one per device (its shortest mount path).
pub fn mounts() -> Result<Vec<Mount>, String> {
    let text = read("/proc/self/mounts")?;
    let mut found: Vec<Mount> = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 3 {
            continue;
        }
        let (device, path, fstype) = (unescape_mount(f[0]), unescape_mount(f[1]), f[2].to_string());
        if !(REAL_FS.contains(&fstype.as_str()) || device.starts_with("/dev/"))
            || fstype == "squashfs"
        {
            continue;
        }
        match found.iter_mut().find(|m| m.device == device) {
            Some(m) if path.len() < m.path.len() => m.path = path,
            Some(_) => {}
            None => found.push(Mount {
                device,
                path,
                fstype,
            }),
        }
    }
    Ok(found)
}

/// Used percent of the filesystem at `path`, as df computes it, or `None` when it has no size.
pub fn disk_used_percent(path: &str) -> Result<Option<f64>, String> {
    let c = CString::new(path).map_err(|_| format!("bad mount path {path}"))?;
    // SAFETY: `c` is a valid NUL-terminated string and `st` is a properly sized, writable
    // statvfs struct that the call fills in.
    let st = unsafe {
        let mut st: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(c.as_ptr(), &mut st) != 0 {
            return Err(format!(
                "statvfs {path}: {}",
                std::io::Error::last_os_error()
            ));
        }
        st
    };
    let blocks = st.f_blocks as f64;
    let free = st.f_bfree as f64;
    let avail = st.f_bavail as f64;
    let used = blocks - free;
    let usable = used + avail;
    Ok((blocks > 0.0 && usable > 0.0).then(|| used / usable * 100.0))
}

fn meminfo_kib(text: &str, key: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(key) && l[key.len()..].starts_with(':'))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn gib(kib: f64) -> String {
    format!("{:.1} GiB", kib / (1024.0 * 1024.0))
}

impl super::BlockingSource for HostSource {
    fn poll(&mut self) -> Result<Reading, String> {
        let mut values = Vec::new();
        let mut errors = Vec::new();
        // The first poll of a rate samples twice, 200 ms apart, so that the pane starts with a value.
        let warm = (self.wants(HostMetric::Cpu) && self.cpu.is_none())
            || (self.wants(HostMetric::Net) && self.net.is_none());
        if warm {
            if self.wants(HostMetric::Cpu) {
                self.cpu = cpu_times().ok();
            }
            if self.wants(HostMetric::Net) {
                self.net = net_bytes().ok().map(|(r, t)| (Instant::now(), r, t));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        for m in self.def.metrics.clone() {
            let r = match m {
                HostMetric::Cpu => cpu_times().map(|now| {
                    if let Some(prev) = self.cpu.replace(now) {
                        let dt = now.total.saturating_sub(prev.total);
                        let busy = now.busy.saturating_sub(prev.busy);
                        if dt > 0 {
                            values.push(value(
                                "cpu",
                                format!("cpu ({} cores)", cores()),
                                "%",
                                busy as f64 / dt as f64 * 100.0,
                            ));
                        }
                    }
                }),
                HostMetric::Memory => read("/proc/meminfo").and_then(|t| {
                    let total =
                        meminfo_kib(&t, "MemTotal").ok_or("no MemTotal in /proc/meminfo")?;
                    let avail = meminfo_kib(&t, "MemAvailable")
                        .or_else(|| {
                            Some(
                                meminfo_kib(&t, "MemFree")?
                                    + meminfo_kib(&t, "Cached").unwrap_or(0.0),
                            )
                        })
                        .ok_or("no MemAvailable in /proc/meminfo")?;
                    if total > 0.0 {
                        let used = total - avail;
                        values.push(value(
                            "memory",
                            format!("memory ({} of {})", gib(used), gib(total)),
                            "%",
                            used / total * 100.0,
                        ));
                    }
                    Ok(())
                }),
                HostMetric::Load => read("/proc/loadavg").and_then(|t| {
                    let f: Vec<f64> = t
                        .split_whitespace()
                        .take(3)
                        .filter_map(|x| x.parse().ok())
                        .collect();
                    if f.len() < 3 {
                        return Err("short /proc/loadavg".into());
                    }
                    for (i, (id, span)) in [("load1", "1m"), ("load5", "5m"), ("load15", "15m")]
                        .into_iter()
                        .enumerate()
                    {
                        values.push(value(id, format!("load {span}"), "", f[i]));
                    }
                    Ok(())
                }),
                HostMetric::Disk => mounts().map(|ms| {
                    let mut seen = HashSet::new();
                    for m in ms {
                        match disk_used_percent(&m.path) {
                            Ok(Some(pct)) if seen.insert(m.path.clone()) => {
                                values.push(value(
                                    &format!("disk:{}", m.path),
                                    m.path.clone(),
                                    "%",
                                    pct,
                                ));
                            }
                            Ok(_) => {}
                            Err(e) => errors.push(e),
                        }
                    }
                }),
                HostMetric::Net => net_bytes().map(|(rx, tx)| {
                    let now = Instant::now();
                    if let Some((t0, rx0, tx0)) = self.net.replace((now, rx, tx)) {
                        let dt = now.duration_since(t0).as_secs_f64();
                        if dt > 0.0 {
                            values.push(value(
                                "rx",
                                "received",
                                "B/s",
                                rx.wrapping_sub(rx0) as f64 / dt,
                            ));
                            values.push(value(
                                "tx",
                                "sent",
                                "B/s",
                                tx.wrapping_sub(tx0) as f64 / dt,
                            ));
                        }
                    }
                }),
            };
            if let Err(e) = r {
                errors.push(e);
            }
        }
        if values.is_empty() && !errors.is_empty() {
            return Err(errors.join("; "));
        }
        Ok(Reading::Values {
            at: now_unix(),
            values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_escapes() {
        assert_eq!(unescape_mount("/mnt/my\\040disk"), "/mnt/my disk");
        assert_eq!(unescape_mount("/plain"), "/plain");
    }
}
