//! Sources: where a pane's data comes from. Each one turns a poll into a [`Reading`] or an error
//! message. Blocking work (HTTP, files, /proc, statvfs) runs on tokio's blocking pool under a
//! timeout; a command runs as an async child process in its own process group, killed whole on
//! timeout. A poll that overruns its timeout is abandoned, never waited for: the pane reports
//! the timeout and the next poll does not start a second copy while the first is still stuck.

pub mod alertmanager;
pub mod command;
pub mod file;
pub mod host;
pub mod http;
pub mod marks;
pub mod prometheus;

use super::config::{PaneDef, SourceDef};
use super::state::Reading;
use super::time::format_duration;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// A source whose poll blocks (HTTP, file system); it runs on the blocking pool.
pub trait BlockingSource: Send + 'static {
    fn poll(&mut self) -> Result<Reading, String>;
}

type Done = (Box<dyn BlockingSource>, Result<Reading, String>);

/// A live source for one pane, polled by the runner (or by hand: `Source::new(&pane).poll().await`).
pub struct Source {
    def: SourceDef,
    timeout: Duration,
    inner: Inner,
}

enum Inner {
    Blocking {
        idle: Option<Box<dyn BlockingSource>>,
        stuck: Option<(JoinHandle<Done>, Instant)>,
    },
    Command(command::CommandSource),
}

fn build_blocking(def: &SourceDef, timeout: Duration) -> Box<dyn BlockingSource> {
    match def {
        SourceDef::Prometheus(q) => Box::new(prometheus::QuerySource::new(q.clone(), timeout)),
        SourceDef::PrometheusSlo(s) => Box::new(prometheus::SloSource::new(s.clone(), timeout)),
        SourceDef::PrometheusAlerts(a) => {
            Box::new(prometheus::AlertsSource::new(a.clone(), timeout))
        }
        SourceDef::Alertmanager(a) => {
            Box::new(alertmanager::AlertmanagerSource::new(a.clone(), timeout))
        }
        SourceDef::Host(h) => Box::new(host::HostSource::new(h.clone())),
        SourceDef::File(f) => Box::new(file::FileSource::new(f.clone())),
        SourceDef::Command(_) => unreachable!("commands are async"),
    }
}

impl Source {
    /// The source of a pane, with the pane's timeout.
    pub fn new(pane: &PaneDef) -> Source {
        Source::with_timeout(&pane.source, pane.timeout)
    }

    pub fn with_timeout(def: &SourceDef, timeout: Duration) -> Source {
        let inner = match def {
            SourceDef::Command(c) => Inner::Command(command::CommandSource::new(c.clone())),
            other => Inner::Blocking {
                idle: Some(build_blocking(other, timeout)),
                stuck: None,
            },
        };
        Source {
            def: def.clone(),
            timeout,
            inner,
        }
    }

    /// Polls once, giving up after the timeout. Must run inside a tokio runtime.
    pub async fn poll(&mut self) -> Result<Reading, String> {
        let timeout = self.timeout;
        match &mut self.inner {
            Inner::Command(c) => c.poll(timeout).await,
            Inner::Blocking { idle, stuck } => {
                if let Some((handle, since)) = stuck.take() {
                    if !handle.is_finished() {
                        let msg = format!(
                            "the previous poll has been stuck for {}; waiting for it",
                            format_duration(round(since.elapsed()))
                        );
                        *stuck = Some((handle, since));
                        return Err(msg);
                    }
                    // It finished late: take the source back, drop its stale result.
                    if let Ok((src, _)) = handle.await {
                        *idle = Some(src);
                    }
                }
                let mut src = idle
                    .take()
                    .unwrap_or_else(|| build_blocking(&self.def, timeout));
                let mut handle = tokio::task::spawn_blocking(move || {
                    let r = src.poll();
                    (src, r)
                });
                match tokio::time::timeout(timeout, &mut handle).await {
                    Ok(Ok((src, result))) => {
                        *idle = Some(src);
                        result
                    }
                    Ok(Err(e)) => Err(if e.is_panic() {
                        panic_message(e.into_panic())
                    } else {
                        "the poll was cancelled".into()
                    }),
                    Err(_) => {
                        *stuck = Some((handle, Instant::now()));
                        Err(format!("timed out after {}", format_duration(timeout)))
                    }
                }
            }
        }
    }
}

fn round(d: Duration) -> Duration {
    Duration::from_secs(d.as_secs())
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("the source crashed: {msg}")
}

/// Cuts a message to one line of at most `max` characters.
pub(crate) fn one_line(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        s.chars().take(max.saturating_sub(1)).chain(['…']).collect()
    }
}

/// Makes text safe to put on a terminal: tabs become spaces, other control characters (escape
/// sequences in a log line would otherwise reach the terminal) become `�`.
pub fn sanitize(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}
