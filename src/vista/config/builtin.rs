//! The built-in vista: this machine, when the user has no `vista.toml`.

use super::model::*;
use std::time::Duration;

/// The vista used when the user has no `vista.toml`: this machine (Linux or macOS).
pub fn default_config() -> VistaConfig {
    let host = |metrics: &[HostMetric]| {
        SourceDef::Host(HostDef {
            metrics: metrics.to_vec(),
            lines: 12,
        })
    };
    let pane = |id: &str, title: &str, kind: Display, source: SourceDef, note: &str| PaneDef {
        id: id.into(),
        title: title.into(),
        kind,
        note: note.into(),
        refresh: Duration::from_secs(1),
        timeout: Duration::from_secs(5),
        span: 1,
        height: 1,
        unit: String::new(),
        min: None,
        max: None,
        warn: None,
        crit: None,
        source,
    };
    let mut cpu = pane(
        "cpu",
        "CPU busy",
        Display::Chart,
        host(&[HostMetric::Cpu]),
        "CPU busy across all cores. A flat line near 100% means work is queueing somewhere; \
         short spikes are normal. Compare with load: high load with low CPU points at I/O waits.",
    );
    (cpu.min, cpu.max, cpu.warn, cpu.crit, cpu.unit) =
        (Some(0.0), Some(100.0), Some(80.0), Some(95.0), "%".into());
    let mut mem = pane(
        "memory",
        "Memory used",
        Display::Gauge,
        host(&[HostMetric::Memory]),
        "Memory in use, not counting what the kernel can give back (page cache). Above 90% the \
         OOM killer is close: look for one process growing.",
    );
    (mem.min, mem.max, mem.warn, mem.crit, mem.unit) =
        (Some(0.0), Some(100.0), Some(80.0), Some(90.0), "%".into());
    let mut load = pane(
        "load",
        "Load average",
        Display::Chart,
        host(&[HostMetric::Load]),
        "Runnable (and uninterruptible) tasks averaged over 1, 5 and 15 minutes. Read it against \
         the number of cores: 1m above 5m above 15m means pressure is building right now.",
    );
    load.min = Some(0.0);
    let mut disk = pane(
        "disk",
        "Disk used",
        Display::Gauge,
        host(&[HostMetric::Disk]),
        "Used space of each real filesystem. A full disk stops databases and logs; anything above \
         85% deserves a ticket today, above 95% a page.",
    );
    disk.refresh = Duration::from_secs(10);
    (disk.min, disk.max, disk.warn, disk.crit, disk.unit) =
        (Some(0.0), Some(100.0), Some(85.0), Some(95.0), "%".into());
    let mut net = pane(
        "net",
        "Network",
        Display::Chart,
        host(&[HostMetric::Net]),
        "Bytes per second received and sent over every interface but loopback. A sudden drop to \
         zero is as alarming as a spike: traffic stopped arriving.",
    );
    (net.min, net.unit) = (Some(0.0), "B/s".into());
    let mut top = pane(
        "top",
        "Busiest processes",
        Display::List,
        SourceDef::Host(HostDef {
            metrics: vec![HostMetric::Processes],
            lines: 12,
        }),
        "The processes using the most CPU right now (%CPU of one core, %MEM, name). Is the top \
         one what you expect this machine to be doing?",
    );
    top.refresh = Duration::from_secs(3);
    VistaConfig {
        title: "this machine".into(),
        refresh: Duration::from_secs(1),
        timeout: Duration::from_secs(5),
        max_backoff: Duration::from_secs(30),
        columns: 3,
        history: crate::vista::ring::DEFAULT_CAPACITY,
        panes: vec![cpu, mem, load, disk, net, top],
        annotations: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid_shape() {
        let c = default_config();
        assert!(c.panes.len() >= 5);
        for p in &c.panes {
            assert!(kinds_for(&p.source).contains(&p.kind), "{}", p.id);
            assert!(!p.note.is_empty());
        }
    }
}
