//! `gamelan capture`: records real series from Prometheus as a scenario fragment, so that a
//! drill can replay what production really did. Each query becomes one `[[signals]]` entry
//! whose `samples` hold one value per step (one step is one beat), replayed from beat 0 and
//! holding the last value after the end.

use super::source::prometheus::{Client, PromSeries};
use super::time::{
    format_duration, format_rfc3339, now_unix, parse_duration, parse_time, prometheus_duration,
};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

/// The most samples one signal may hold (a two-hour drill at one beat per second is 7200).
pub const MAX_SAMPLES: usize = 11_000;
/// Most `--query` arguments of one capture.
pub const MAX_QUERIES: usize = 32;
/// Most series one query may return (each becomes a signal): the vista's own pane bound.
pub const MAX_SERIES_PER_QUERY: usize = crate::vista::state::MAX_SERIES;

/// `gamelan capture` arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct CaptureArgs {
    /// Base URL of the Prometheus server (http://127.0.0.1:9090), or the name of a
    /// `[datasource.NAME]` in vista.toml, read with its credentials, headers and CA.
    #[arg(long, value_name = "URL|DATASOURCE")]
    pub prometheus: String,
    /// A series to record, as NAME=PROMQL; NAME becomes the signal id. Repeat for more.
    #[arg(long = "query", value_name = "NAME=PROMQL", required = true)]
    pub queries: Vec<String>,
    /// Start: RFC 3339 (2024-05-01T10:00:00Z), unix seconds, or relative to now (-2h).
    #[arg(long, default_value = "-1h", allow_hyphen_values = true)]
    pub from: String,
    /// End: same forms as --from.
    #[arg(long, default_value = "now", allow_hyphen_values = true)]
    pub to: String,
    /// Time between samples; one sample per beat, so use the scenario's story_seconds_per_beat.
    #[arg(long, default_value = "30s")]
    pub step: String,
    /// Where to write the fragment ("-" or nothing: standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How long each query may take.
    #[arg(long, default_value = "30s")]
    pub timeout: String,
}

/// A checked capture request.
#[derive(Debug, Clone, PartialEq)]
pub struct Capture {
    pub url: String,
    /// Credentials, headers and CA (those of a datasource named by `--prometheus`).
    pub access: crate::vista::config::Access,
    /// `(signal id, PromQL)`.
    pub queries: Vec<(String, String)>,
    pub from: f64,
    pub to: f64,
    pub step: Duration,
    pub timeout: Duration,
}

/// One recorded signal.
#[derive(Debug, Clone, PartialEq)]
pub struct CapturedSignal {
    pub id: String,
    pub query: String,
    /// The series' labels, `{a="b"}`, when the query returned several series.
    pub labels: String,
    /// One value per step from `from`; gaps hold the previous value.
    pub samples: Vec<f64>,
    /// Steps that had no value and were filled.
    pub filled: usize,
}

impl Capture {
    /// Checks command-line arguments (times relative to `now`).
    pub fn from_args(args: &CaptureArgs, now: f64) -> Result<Capture, String> {
        let from = parse_time(&args.from, now).map_err(|e| format!("--from: {e}"))?;
        let to = parse_time(&args.to, now).map_err(|e| format!("--to: {e}"))?;
        let step = parse_duration(&args.step).map_err(|e| format!("--step: {e}"))?;
        let timeout = parse_duration(&args.timeout).map_err(|e| format!("--timeout: {e}"))?;
        if step < Duration::from_millis(1) {
            return Err("--step must be positive".into());
        }
        if !(Duration::from_millis(100)..=Duration::from_secs(600)).contains(&timeout) {
            return Err("--timeout must be between 100ms and 10m".into());
        }
        if args.queries.len() > MAX_QUERIES {
            return Err(format!(
                "{} --query arguments is too many (at most {MAX_QUERIES})",
                args.queries.len()
            ));
        }
        if to <= from {
            return Err(format!(
                "--to ({}) must be after --from ({})",
                format_rfc3339(to),
                format_rfc3339(from)
            ));
        }
        let n = ((to - from) / step.as_secs_f64()).floor() as usize + 1;
        if n > MAX_SAMPLES {
            return Err(format!(
                "{n} samples per signal is too many (at most {MAX_SAMPLES}): raise --step or shorten --from/--to"
            ));
        }
        let url = args.prometheus.trim().trim_end_matches('/').to_string();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "--prometheus `{url}` must start with http:// or https:// (or name a [datasource.NAME] of vista.toml)"
            ));
        }
        let mut queries: Vec<(String, String)> = Vec::new();
        for q in &args.queries {
            let Some((name, promql)) = q.split_once('=') else {
                return Err(format!("--query `{q}` must be NAME=PROMQL"));
            };
            let name = name.trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!(
                    "--query name `{name}` must be letters, digits, - or _ (it becomes the signal id)"
                ));
            }
            if promql.trim().is_empty() {
                return Err(format!("--query `{name}` has no PromQL"));
            }
            if queries.iter().any(|(n, _)| n == name) {
                return Err(format!("--query name `{name}` is used twice"));
            }
            queries.push((name.to_string(), promql.trim().to_string()));
        }
        Ok(Capture {
            url,
            access: Default::default(),
            queries,
            from,
            to,
            step,
            timeout,
        })
    }

    /// Number of samples per signal.
    pub fn len(&self) -> usize {
        ((self.to - self.from) / self.step.as_secs_f64()).floor() as usize + 1
    }

    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    /// Runs the range queries; a query that returns no data is an error.
    pub fn run(&self) -> Result<Vec<CapturedSignal>, String> {
        let client = Client::with_access(&self.url, &self.access, self.timeout);
        let mut out = Vec::new();
        for (id, query) in &self.queries {
            let series = client
                .query_range(query, self.from, self.to, self.step)
                .map_err(|e| format!("query `{id}`: {e}"))?;
            if series.len() > MAX_SERIES_PER_QUERY {
                return Err(format!(
                    "query `{id}` returned {} series, more than the {MAX_SERIES_PER_QUERY} a capture keeps: aggregate it (sum by (...)) or filter it",
                    series.len()
                ));
            }
            let many = series.len() > 1;
            let mut any = false;
            for (i, s) in series.iter().enumerate() {
                if let Some((samples, filled)) = self.resample(s) {
                    any = true;
                    out.push(CapturedSignal {
                        id: if many {
                            format!("{id}-{}", i + 1)
                        } else {
                            id.clone()
                        },
                        query: query.clone(),
                        labels: if many { s.key() } else { String::new() },
                        samples,
                        filled,
                    });
                }
            }
            if !any {
                return Err(format!(
                    "query `{id}` returned no data between {} and {}",
                    format_rfc3339(self.from),
                    format_rfc3339(self.to)
                ));
            }
        }
        Ok(out)
    }

    /// One value per step; gaps (and NaN) hold the previous value, leading gaps the first value.
    fn resample(&self, s: &PromSeries) -> Option<(Vec<f64>, usize)> {
        let n = self.len();
        let step = self.step.as_secs_f64();
        let mut slots: Vec<Option<f64>> = vec![None; n];
        for &(t, v) in &s.points {
            let i = ((t - self.from) / step).round();
            if v.is_finite() && i >= 0.0 && (i as usize) < n {
                slots[i as usize] = Some(v);
            }
        }
        let first = slots.iter().flatten().next().copied()?;
        let mut last = first;
        let mut filled = 0;
        let samples = slots
            .into_iter()
            .map(|s| match s {
                Some(v) => {
                    last = v;
                    v
                }
                None => {
                    filled += 1;
                    last
                }
            })
            .collect();
        Some((samples, filled))
    }

    /// The scenario fragment: a header comment and one `[[signals]]` entry per signal.
    pub fn to_toml(&self, signals: &[CapturedSignal]) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Captured by `gamelan capture` from {}", self.url);
        let _ = writeln!(
            out,
            "# {} to {}, one sample every {} ({} samples per signal).",
            format_rfc3339(self.from),
            format_rfc3339(self.to),
            format_duration(self.step),
            self.len()
        );
        let _ = writeln!(
            out,
            "# One sample is one beat: in [tempo] set story_seconds_per_beat = {}.",
            self.step.as_secs().max(1)
        );
        let _ = writeln!(
            out,
            "# Paste these [[signals]] into a scenario; edit name, unit, healthy and note (docs/vista-format.md)."
        );
        for s in signals {
            let (lo, hi) = s
                .samples
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(*v), hi.max(*v))
                });
            let mut sorted = s.samples.clone();
            sorted.sort_by(f64::total_cmp);
            let median = sorted[sorted.len() / 2];
            let _ = writeln!(out);
            let _ = writeln!(out, "[[signals]]");
            let _ = writeln!(out, "id = {}", toml_str(&s.id));
            let title = if s.labels.is_empty() {
                s.id.clone()
            } else {
                format!("{} {}", s.id, s.labels)
            };
            let _ = writeln!(out, "name = {}", toml_str(&title));
            let _ = writeln!(out, "unit = \"\"");
            let _ = writeln!(
                out,
                "# The median; the samples below replace it while they last."
            );
            let _ = writeln!(out, "baseline = {}", fmt_num(median));
            let _ = writeln!(out, "noise = 0");
            let _ = writeln!(
                out,
                "# Edit: where this signal sits when the system is healthy (here: the captured range)."
            );
            let _ = writeln!(out, "healthy = [{}, {}]", fmt_num(lo), fmt_num(hi));
            let mut note = format!("Captured from {}", s.query);
            if !s.labels.is_empty() {
                let _ = write!(note, " {}", s.labels);
            }
            if s.filled > 0 {
                let _ = write!(
                    note,
                    "; {} missing sample(s) hold the value before them",
                    s.filled
                );
            }
            let _ = writeln!(out, "note = {}", toml_str(&note));
            let _ = writeln!(out, "samples = [");
            for chunk in s.samples.chunks(10) {
                let line: Vec<String> = chunk.iter().map(|v| fmt_num(*v)).collect();
                let _ = writeln!(out, "  {},", line.join(", "));
            }
            let _ = writeln!(out, "]");
        }
        out
    }
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A float with about 7 significant digits, always with a decimal point (a TOML float).
pub fn fmt_num(v: f64) -> String {
    if v == 0.0 {
        return "0.0".into();
    }
    let mag = crate::decade::decade(v);
    let decimals = (6 - mag).clamp(0, 15) as usize;
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.push('0');
        }
    } else {
        s.push_str(".0");
    }
    if s.contains("inf") || s.contains("NaN") {
        "0.0".into()
    } else {
        s
    }
}

/// Whether `--prometheus` names a datasource rather than giving a URL.
pub fn names_datasource(prometheus: &str) -> bool {
    let p = prometheus.trim();
    !p.is_empty() && p.chars().all(crate::diag::is_id_char)
}

/// The URL and access of a `--prometheus URL|DATASOURCE` argument: a URL as given (with no
/// credentials), or the `[datasource.NAME]` of the vista file `vista` with its credentials,
/// headers and CA. Shared by every command that queries a Prometheus of the user's vista.
pub fn prometheus_server(
    prometheus: &str,
    vista: &std::path::Path,
) -> Result<(String, crate::vista::config::Access), String> {
    if !names_datasource(prometheus) {
        return Ok((prometheus.to_string(), Default::default()));
    }
    let name = prometheus.trim().to_string();
    let all = crate::vista::VistaConfig::load_datasources(vista).map_err(|d| {
        format!(
            "--prometheus {name}: {}",
            crate::diag::render(&d).trim_end()
        )
    })?;
    let ds = all.into_iter().find(|d| d.name == name).ok_or_else(|| {
        format!(
            "--prometheus {name}: {} has no [datasource.{name}]",
            vista.display()
        )
    })?;
    if ds.kind != crate::vista::DatasourceKind::Prometheus {
        return Err(format!(
            "--prometheus {name}: datasource `{name}` is not a prometheus one"
        ));
    }
    Ok((ds.url, ds.access))
}

/// Runs `gamelan capture`: queries, writes the fragment, and returns a one-line summary.
/// `vista` is the vista file whose `[datasource.NAME]` a `--prometheus NAME` names.
pub fn run(args: &CaptureArgs, vista: &std::path::Path) -> Result<String, String> {
    let mut args = args.clone();
    let (url, access) = prometheus_server(&args.prometheus, vista)?;
    args.prometheus = url;
    let mut capture = Capture::from_args(&args, now_unix())?;
    capture.access = access;
    let signals = capture.run()?;
    let text = capture.to_toml(&signals);
    let summary = format!(
        "captured {} signal(s), {} samples each, step {} ({} from {})",
        signals.len(),
        capture.len(),
        prometheus_duration(capture.step),
        format_rfc3339(capture.from),
        capture.url
    );
    match args.output.as_deref() {
        None => print!("{text}"),
        Some(p) if p.as_os_str() == "-" => print!("{text}"),
        Some(p) => {
            std::fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))?
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn query_count_and_timeout_are_bounded() {
        let args = |n: usize, timeout: &str| CaptureArgs {
            prometheus: "http://127.0.0.1:9".into(),
            queries: (0..n).map(|i| format!("q{i}=up")).collect(),
            from: "-1h".into(),
            to: "now".into(),
            step: "30s".into(),
            output: None,
            timeout: timeout.into(),
        };
        assert!(Capture::from_args(&args(32, "30s"), 1e9).is_ok());
        let e = Capture::from_args(&args(33, "30s"), 1e9).unwrap_err();
        assert!(e.contains("at most 32"), "{e}");
        let e = Capture::from_args(&args(1, "2h"), 1e9).unwrap_err();
        assert!(e.contains("--timeout must be between"), "{e}");
    }

    #[test]
    fn numbers_stay_toml_floats() {
        assert_eq!(fmt_num(2.0), "2.0");
        assert_eq!(fmt_num(0.000123456789), "0.0001234568");
        assert_eq!(fmt_num(1234.5), "1234.5");
        assert_eq!(fmt_num(-3.25), "-3.25");
    }

    #[test]
    fn resampling_fills_gaps() {
        let c = Capture {
            url: "http://x".into(),
            access: Default::default(),
            queries: vec![],
            from: 100.0,
            to: 104.0,
            step: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
        };
        let s = PromSeries {
            labels: BTreeMap::new(),
            points: vec![(101.0, 5.0), (102.0, f64::NAN), (103.0, 7.0)],
        };
        assert_eq!(c.resample(&s), Some((vec![5.0, 5.0, 5.0, 7.0, 7.0], 3)));
        let text = c.to_toml(&[CapturedSignal {
            id: "a".into(),
            query: "q\"x".into(),
            labels: String::new(),
            samples: vec![1.0, 2.5],
            filled: 0,
        }]);
        let v: toml::Table = toml::from_str(&text).unwrap();
        let sig = &v["signals"].as_array().unwrap()[0];
        assert_eq!(sig["samples"].as_array().unwrap().len(), 2);
        assert_eq!(sig["healthy"].as_array().unwrap()[1].as_float(), Some(2.5));
    }
}
