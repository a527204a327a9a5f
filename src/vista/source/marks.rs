//! Polling an annotation source: run its command, re-read its file when it changed, or ask
//! Prometheus for its query over the window. Each poll returns the whole set of markers and the
//! first problem; the runner publishes them for every chart.

use super::command::CommandSource;
use super::prometheus::Client;
use crate::vista::annotation::{Mark, parse_jsonl, parse_lines, query_marks};
use crate::vista::config::annotations::{AnnotationDef, MarkSource};
use crate::vista::config::{CommandDef, Parse};
use crate::vista::regular;
use crate::vista::time::now_unix;
use std::time::{Duration, SystemTime};

/// The largest annotation file read (bigger files are an error, not a slow read).
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// One annotation source between polls.
pub struct MarkPoller {
    def: AnnotationDef,
    /// A file's modification time and length at the last read.
    seen: Option<(SystemTime, u64)>,
}

/// What a poll found: `None` when nothing changed (a file not modified).
pub type Found = Option<(Vec<Mark>, Option<String>)>;

impl MarkPoller {
    pub fn new(def: AnnotationDef) -> MarkPoller {
        MarkPoller { def, seen: None }
    }

    pub async fn poll(&mut self) -> Found {
        let timeout = self.def.timeout;
        let id = self.def.id.clone();
        match &self.def.source {
            MarkSource::Command(c) => {
                let mut src = CommandSource::new(CommandDef {
                    command: c.clone(),
                    parse: Parse::Lines,
                    lines: crate::vista::annotation::MAX_LINES,
                    names: Vec::new(),
                    highlight: Vec::new(),
                });
                match src.poll(timeout).await {
                    Ok(crate::vista::state::Reading::Lines { lines, .. }) => {
                        let text: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
                        Some(parse_lines(&text.join("\n"), &id))
                    }
                    Ok(_) => Some((Vec::new(), None)),
                    Err(e) => Some((Vec::new(), Some(format!("{id}: {e}")))),
                }
            }
            MarkSource::File(path) => {
                let path = path.clone();
                let stamp = std::fs::metadata(&path)
                    .ok()
                    .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
                if stamp.is_some() && stamp == self.seen {
                    return None;
                }
                self.seen = stamp;
                let read = tokio::task::spawn_blocking(move || {
                    let name = path.display().to_string();
                    regular::read_to_string(&path, MAX_FILE_BYTES)
                        .map(|t| parse_jsonl(&t, &name))
                        .map_err(|e| format!("{name}: {e}"))
                });
                match tokio::time::timeout(timeout, read).await {
                    Ok(Ok(Ok(found))) => Some(found),
                    Ok(Ok(Err(e))) => Some((Vec::new(), Some(e))),
                    _ => Some((Vec::new(), Some(format!("{id}: the file read timed out")))),
                }
            }
            MarkSource::Query {
                url,
                access,
                query,
                text,
                window,
            } => {
                let (url, access, query, text, window) = (
                    url.clone(),
                    access.clone(),
                    query.clone(),
                    text.clone(),
                    *window,
                );
                let ask = tokio::task::spawn_blocking(move || {
                    let now = now_unix();
                    let step = (window.as_secs_f64() / 1440.0).max(15.0).ceil();
                    let client = Client::with_access(&url, &access, timeout);
                    client
                        .query_range(
                            &query,
                            now - window.as_secs_f64(),
                            now,
                            Duration::from_secs_f64(step),
                        )
                        .map(|s| query_marks(&s, text.as_deref(), &query, step))
                });
                match tokio::time::timeout(timeout + Duration::from_secs(1), ask).await {
                    Ok(Ok(Ok(marks))) => Some((marks, None)),
                    Ok(Ok(Err(e))) => Some((Vec::new(), Some(format!("{id}: {e}")))),
                    _ => Some((Vec::new(), Some(format!("{id}: the query timed out")))),
                }
            }
        }
    }
}
