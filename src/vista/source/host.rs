//! `type = "host"`: this machine, on Linux and macOS alike, through the `sysinfo` crate. Each
//! pane keeps its own collectors and refreshes only what it shows.
//!
//! | metric | series | how |
//! | --- | --- | --- |
//! | cpu | `cpu` (%) | busy share of all cores between two polls (the first poll samples 200 ms) |
//! | memory | `memory` (%) | (total − available) / total |
//! | load | `load1`, `load5`, `load15` | the load averages |
//! | disk | `disk:<mount>` (%) | used / (used + available) of each real filesystem (one per device), as `df` |
//! | net | `rx`, `tx` (B/s) | bytes moved between two polls over every interface but loopback |
//! | processes | lines | the busiest processes by CPU between two polls, then by memory |

use crate::vista::config::{HostDef, HostMetric};
use crate::vista::state::{Line, Reading, Value};
use crate::vista::time::now_unix;
use std::time::Instant;
use sysinfo::{
    DiskRefreshKind, Disks, MINIMUM_CPU_UPDATE_INTERVAL, Networks, ProcessRefreshKind,
    ProcessesToUpdate, System,
};

pub struct HostSource {
    def: HostDef,
    sys: Option<System>,
    disks: Option<Disks>,
    /// The interfaces and when their counters were last read.
    net: Option<(Networks, Instant)>,
}

impl HostSource {
    pub fn new(def: HostDef) -> HostSource {
        HostSource {
            def,
            sys: None,
            disks: None,
            net: None,
        }
    }

    fn wants(&self, m: HostMetric) -> bool {
        self.def.metrics.contains(&m)
    }

    /// Readies the collectors on the first poll. A rate (CPU, network, a process's CPU) needs two
    /// samples: they are taken 200 ms apart, so that the pane starts with a value.
    fn warm_up(&mut self) -> Result<(), String> {
        if self.sys.is_some() || self.disks.is_some() || self.net.is_some() {
            return Ok(());
        }
        let mut sys = System::new().map_err(|e| format!("cannot read this machine: {e}"))?;
        let mut rates = false;
        if self.wants(HostMetric::Cpu) {
            sys.refresh_cpu_usage();
            rates = true;
        }
        if self.wants(HostMetric::Processes) {
            refresh_processes(&mut sys);
            rates = true;
        }
        if self.wants(HostMetric::Net) {
            let nets = Networks::new_with_refreshed_list()
                .map_err(|e| format!("cannot list network interfaces: {e}"))?;
            self.net = Some((nets, Instant::now()));
            rates = true;
        }
        if self.wants(HostMetric::Disk) {
            self.disks = Some(
                Disks::new_with_refreshed_list_specifics(DiskRefreshKind::nothing())
                    .map_err(|e| format!("cannot list filesystems: {e}"))?,
            );
        }
        self.sys = Some(sys);
        if rates {
            std::thread::sleep(MINIMUM_CPU_UPDATE_INTERVAL);
        }
        Ok(())
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

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
}

fn refresh_processes(sys: &mut System) {
    sys.refresh_processes_specifics(
        ProcessesToUpdate::All,
        true,
        ProcessRefreshKind::nothing()
            .with_cpu()
            .with_memory()
            .without_tasks(),
    );
}

/// Whether an interface is the loopback (`lo` on Linux, `lo0` on macOS).
fn is_loopback(name: &str) -> bool {
    name.strip_prefix("lo")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
}

/// Characters of a process name shown (kernel threads' names run long and would wrap).
const MAX_NAME: usize = 20;

/// One row of the process list: %CPU (of one core, like `top`), %MEM, name.
pub fn process_row(cpu: f32, mem_share: f64, name: &str) -> String {
    // Left-aligned: a line's leading spaces would be lost when the pane wraps it.
    let (cpu, mem) = (format!("{cpu:.1}"), format!("{:.1}", mem_share * 100.0));
    let name = super::one_line(&super::sanitize(name), MAX_NAME);
    format!("{cpu:<6}{mem:<6}{name}")
}

/// The filesystems to show, one per device under its shortest mount point, from
/// `(device, mount point)` pairs in the order listed.
pub fn one_per_device<'a>(mounts: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut by_device: Vec<(&str, &str)> = Vec::new();
    for (device, mount) in mounts {
        match by_device.iter_mut().find(|d| d.0 == device) {
            Some(d) if mount.len() < d.1.len() => d.1 = mount,
            Some(_) => {}
            None => by_device.push((device, mount)),
        }
    }
    by_device.into_iter().map(|(_, m)| m.to_string()).collect()
}

/// Used percent of the filesystem at `path` as `df` computes it (used / (used + available to
/// users), so blocks reserved for root do not count), or `None` when it has no size.
pub fn disk_used_percent(path: &str) -> Result<Option<f64>, String> {
    let c = std::ffi::CString::new(path).map_err(|_| format!("bad mount path {path}"))?;
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
    let used = blocks - st.f_bfree as f64;
    let usable = used + st.f_bavail as f64;
    Ok((blocks > 0.0 && usable > 0.0).then(|| used / usable * 100.0))
}

impl HostSource {
    fn processes(&mut self) -> Result<Reading, String> {
        let at = now_unix();
        let sys = self.sys.as_mut().ok_or("not started")?;
        refresh_processes(sys);
        sys.refresh_memory();
        let total = sys.total_memory().max(1) as f64;
        let mut procs: Vec<_> = sys
            .processes()
            .values()
            .map(|p| (p.cpu_usage(), p.memory(), p.name().to_string_lossy()))
            .collect();
        procs.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        let mut lines = vec![Line::marker("%CPU  %MEM  COMMAND", at)];
        lines.extend(procs.iter().take(self.def.lines.saturating_sub(1)).map(
            |(cpu, mem, name)| Line::new(process_row(*cpu, *mem as f64 / total, name), None, at),
        ));
        Ok(Reading::Lines {
            lines,
            replace: true,
        })
    }
}

impl super::BlockingSource for HostSource {
    fn poll(&mut self) -> Result<Reading, String> {
        self.warm_up()?;
        if self.def.is_processes() {
            return self.processes();
        }
        let mut values = Vec::new();
        let mut errors = Vec::new();
        for m in self.def.metrics.clone() {
            match m {
                HostMetric::Cpu => {
                    let sys = self.sys.as_mut().ok_or("not started")?;
                    sys.refresh_cpu_usage();
                    let cores = sys.cpus().len().max(1);
                    values.push(value(
                        "cpu",
                        format!("cpu ({cores} cores)"),
                        "%",
                        f64::from(sys.global_cpu_usage()).clamp(0.0, 100.0),
                    ));
                }
                HostMetric::Memory => {
                    let sys = self.sys.as_mut().ok_or("not started")?;
                    sys.refresh_memory();
                    let (total, avail) = (sys.total_memory(), sys.available_memory());
                    if total > 0 {
                        let used = total.saturating_sub(avail);
                        values.push(value(
                            "memory",
                            format!("memory ({} of {})", gib(used), gib(total)),
                            "%",
                            used as f64 / total as f64 * 100.0,
                        ));
                    } else {
                        errors.push("no memory figures on this machine".to_string());
                    }
                }
                HostMetric::Load => match System::load_average() {
                    Ok(l) => {
                        for (id, span, v) in [
                            ("load1", "1m", l.one),
                            ("load5", "5m", l.five),
                            ("load15", "15m", l.fifteen),
                        ] {
                            values.push(value(id, format!("load {span}"), "", v));
                        }
                    }
                    Err(e) => errors.push(format!("cannot read the load average: {e}")),
                },
                HostMetric::Disk => {
                    let disks = self.disks.as_mut().ok_or("not started")?;
                    disks.refresh_specifics(true, DiskRefreshKind::nothing());
                    let listed: Vec<(String, String)> = disks
                        .iter()
                        .map(|d| {
                            (
                                d.name().to_string_lossy().into_owned(),
                                d.mount_point().to_string_lossy().into_owned(),
                            )
                        })
                        .collect();
                    let mounts =
                        one_per_device(listed.iter().map(|(d, m)| (d.as_str(), m.as_str())));
                    for mount in mounts {
                        match disk_used_percent(&mount) {
                            Ok(Some(pct)) => {
                                values.push(value(
                                    &format!("disk:{mount}"),
                                    mount.clone(),
                                    "%",
                                    pct,
                                ));
                            }
                            Ok(None) => {}
                            Err(e) => errors.push(e),
                        }
                    }
                }
                HostMetric::Net => {
                    let (nets, last) = self.net.as_mut().ok_or("not started")?;
                    nets.refresh(true);
                    let now = Instant::now();
                    let dt = now.duration_since(*last).as_secs_f64();
                    *last = now;
                    let (mut rx, mut tx) = (0u64, 0u64);
                    for (name, data) in nets.iter() {
                        if !is_loopback(&name.to_string_lossy()) {
                            rx = rx.saturating_add(data.received());
                            tx = tx.saturating_add(data.transmitted());
                        }
                    }
                    if dt > 0.0 {
                        values.push(value("rx", "received", "B/s", rx as f64 / dt));
                        values.push(value("tx", "sent", "B/s", tx as f64 / dt));
                    }
                }
                HostMetric::Processes => {} // a pane of its own (checked in the config)
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
    use crate::vista::source::BlockingSource;

    #[test]
    fn loopback_and_rows() {
        assert!(is_loopback("lo") && is_loopback("lo0"));
        assert!(!is_loopback("eth0") && !is_loopback("long0") && !is_loopback("en0"));
        assert_eq!(process_row(12.345, 0.5, "rustc"), "12.3  50.0  rustc");
        assert_eq!(process_row(0.0, 0.0, "a\x1bb"), "0.0   0.0   a\u{fffd}b");
        assert_eq!(
            process_row(0.7, 0.0, "kworker/u8:2-events_unbound"),
            "0.7   0.0   kworker/u8:2-events…"
        );
    }

    #[test]
    fn one_filesystem_per_device_under_its_shortest_mount() {
        let mounts = one_per_device([
            ("/dev/sda1", "/etc/hosts"),
            ("/dev/sda1", "/"),
            ("/dev/sdb", "/data"),
        ]);
        assert_eq!(mounts, vec!["/".to_string(), "/data".to_string()]);
        let root = disk_used_percent("/").unwrap().unwrap();
        assert!((0.0..=100.0).contains(&root), "{root}");
        assert!(disk_used_percent("/no/such/mount").is_err());
    }

    #[test]
    fn reads_this_machine() {
        let def = HostDef {
            metrics: HostMetric::ALL.to_vec(),
            lines: 12,
        };
        let Ok(Reading::Values { values, .. }) = HostSource::new(def).poll() else {
            panic!("no values")
        };
        let get = |id: &str| values.iter().find(|v| v.id == id).map(|v| v.value);
        assert!((0.0..=100.0).contains(&get("cpu").unwrap()));
        assert!(get("memory").unwrap() > 0.0);
        assert!(get("load1").unwrap() >= 0.0);
        assert!(get("rx").unwrap() >= 0.0 && get("tx").unwrap() >= 0.0);
        let mut top = HostSource::new(HostDef {
            metrics: vec![HostMetric::Processes],
            lines: 4,
        });
        let Ok(Reading::Lines { lines, replace }) = top.poll() else {
            panic!("no lines")
        };
        assert!(replace && lines.len() == 4, "{lines:?}");
        assert!(lines[0].marker && lines[0].text.contains("%CPU"));
    }
}
