//! Every check of a vista file, in one place: the [`Checker`] turns spec values into model
//! values and records a `file:line:col` diagnostic for each problem. Every bound a value must
//! keep is a constant here (and a row in docs/vista-format.md), so a number that is not finite,
//! too small or too large never reaches a runner, a ring or a grid.

mod datasource;
mod source;

pub use datasource::{MAX_DATASOURCES, MAX_HEADERS};

use super::model::{Display, PaneDef, VistaConfig, kinds_for};
use super::spec::{Defaults, PaneSpec, VistaFileSpec};
use crate::diag::{self, Diagnostic};
use crate::vista::ring::DEFAULT_CAPACITY;
use crate::vista::time::{format_duration, parse_duration};
use std::collections::HashSet;
use std::ops::{Range, RangeInclusive};
use std::time::Duration;
use toml::Spanned;

/// Most panes a vista may have (a full 12-column grid, four rows deep).
pub const MAX_PANES: usize = 48;
/// Most columns a vista may have.
pub const MAX_COLUMNS: u16 = 12;
/// Relative height weights a pane may take.
pub const HEIGHTS: RangeInclusive<u16> = 1..=10;
/// Points kept per series.
pub const HISTORY: RangeInclusive<usize> = 10..=10_000;
/// Lines a log or list pane may keep.
pub const LINES: RangeInclusive<usize> = 1..=10_000;
/// Poll intervals.
pub const REFRESH: RangeInclusive<Duration> = ms(100)..=secs(86_400);
/// Lowest refresh interval accepted.
pub const MIN_REFRESH: Duration = *REFRESH.start();
/// Poll timeouts.
pub const TIMEOUT: RangeInclusive<Duration> = ms(10)..=secs(3600);
/// Longest wait between retries.
pub const MAX_BACKOFF: RangeInclusive<Duration> = secs(1)..=secs(86_400);
/// A Prometheus range query's window, and an SLO's windows.
pub const WINDOW: RangeInclusive<Duration> = secs(1)..=secs(400 * 86_400);
/// A Prometheus range query's step.
pub const STEP: RangeInclusive<Duration> = ms(1)..=secs(86_400);
/// Points a range query may return (Prometheus' own limit).
pub const MAX_RANGE_POINTS: f64 = 11_000.0;
/// Largest magnitude of `min`, `max`, `warn` and `crit`.
pub const MAX_MAGNITUDE: f64 = 1e18;
/// Most highlight patterns of one pane.
pub const MAX_HIGHLIGHTS: usize = 16;
/// Most `group_by` labels and `filter` matchers of one Alertmanager pane.
pub const MAX_MATCHERS: usize = 16;
/// Most `names` of one command pane.
pub const MAX_NAMES: usize = crate::vista::state::MAX_SERIES;

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Checks a whole vista file: `[vista]`, then every pane.
pub fn compile_vista(
    spec: VistaFileSpec,
    file: &str,
    src: &str,
) -> Result<VistaConfig, Vec<Diagnostic>> {
    let mut cx = Checker::new(file, src);
    let v = spec.vista.unwrap_or_default();
    let dflt = Defaults::default();
    let refresh = cx.duration(v.refresh.as_ref(), "refresh", &REFRESH);
    let timeout = cx.duration(v.timeout.as_ref(), "timeout", &TIMEOUT);
    let max_backoff = cx.duration(v.max_backoff.as_ref(), "max_backoff", &MAX_BACKOFF);
    let columns = cx.count(v.columns.as_ref(), "columns", &(1..=MAX_COLUMNS), "");
    let history = cx.count(v.history.as_ref(), "history", &HISTORY, " points");
    let defaults = Defaults {
        refresh: refresh.unwrap_or(dflt.refresh),
        timeout: timeout.unwrap_or(dflt.timeout),
        columns: columns.unwrap_or(dflt.columns),
        prometheus: v.prometheus.clone(),
        alertmanager: v.alertmanager.clone(),
        datasources: cx.datasources(
            &spec.datasource,
            v.prometheus.is_some(),
            v.alertmanager.is_some(),
        ),
    };
    if spec.panes.is_empty() {
        cx.err_whole("a vista needs at least one [[panes]] entry");
    }
    let annotations = super::annotations::compile(
        &spec.annotations,
        defaults.prometheus.as_deref(),
        &defaults.datasources,
        defaults.timeout,
        &mut cx.ck,
    );
    let mut diags = cx.ck.finish();
    let panes = compile_panes(&spec.panes, &defaults, file, src, &mut diags);
    if !diags.is_empty() {
        diags.sort_by_key(|d| (d.line, d.col));
        diags.dedup();
        return Err(diags);
    }
    Ok(VistaConfig {
        title: v.title.unwrap_or_else(|| "morning vista".into()),
        refresh: defaults.refresh,
        timeout: defaults.timeout,
        max_backoff: max_backoff.unwrap_or(secs(30)),
        columns: defaults.columns,
        history: history.unwrap_or(DEFAULT_CAPACITY),
        panes,
        annotations,
    })
}

/// Checks only the `[datasource.NAME]` tables of a vista file (for `gamelan capture`).
pub fn compile_datasources(
    spec: &VistaFileSpec,
    file: &str,
    src: &str,
) -> Result<Vec<super::Datasource>, Vec<Diagnostic>> {
    let mut cx = Checker::new(file, src);
    let v = spec.vista.clone().unwrap_or_default();
    let out = cx.datasources(
        &spec.datasource,
        v.prometheus.is_some(),
        v.alertmanager.is_some(),
    );
    let diags = cx.ck.finish();
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// Checks pane specs (from a vista file or a scenario) and resolves their defaults. Problems are
/// appended to `diags`; panes with problems are left out of the result.
pub fn compile_panes(
    specs: &[Spanned<PaneSpec>],
    defaults: &Defaults,
    file: &str,
    src: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PaneDef> {
    let mut cx = Checker::new(file, src);
    if let Some(extra) = specs.get(MAX_PANES) {
        cx.err(
            extra.span(),
            format!(
                "a vista has at most {MAX_PANES} panes (this file has {})",
                specs.len()
            ),
        );
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for spec in specs.iter().take(MAX_PANES) {
        let p = spec.get_ref();
        let id = p.id.get_ref();
        if id.is_empty() || !id.chars().all(crate::diag::is_id_char) {
            cx.err(
                p.id.span(),
                format!("pane id `{id}` must be letters, digits, - or _"),
            );
        } else if !seen.insert(id.clone()) {
            cx.err(p.id.span(), format!("duplicate pane id `{id}`"));
        }
        let before = cx.ck.problems();
        if let Some(pane) = cx.pane(p, defaults)
            && cx.ck.problems() == before
        {
            out.push(pane);
        }
    }
    diags.append(&mut cx.ck.finish());
    out
}

/// The vista's checks on top of the project's one diagnostics checker ([`diag::Checker`]):
/// durations and counts as vista files write them.
struct Checker<'a> {
    ck: diag::Checker<'a>,
}

impl<'a> Checker<'a> {
    fn new(file: &'a str, src: &'a str) -> Self {
        Checker {
            ck: diag::Checker::new(file, src),
        }
    }

    fn err(&mut self, span: Range<usize>, msg: impl Into<String>) {
        self.ck.error(span, msg);
    }

    fn err_whole(&mut self, msg: impl Into<String>) {
        self.ck.whole(msg);
    }

    /// A duration within `bounds`; `None` (and a diagnostic) when bad, `None` alone when absent.
    fn duration(
        &mut self,
        d: Option<&Spanned<String>>,
        what: &str,
        bounds: &RangeInclusive<Duration>,
    ) -> Option<Duration> {
        let d = d?;
        match parse_duration(d.get_ref()) {
            Ok(v) if bounds.contains(&v) => Some(v),
            Ok(_) => {
                self.err(
                    d.span(),
                    format!(
                        "{what} must be between {} and {}",
                        format_duration(*bounds.start()),
                        format_duration(*bounds.end())
                    ),
                );
                None
            }
            Err(e) => {
                self.err(d.span(), format!("{what}: {e}"));
                None
            }
        }
    }

    /// A whole number within `bounds`.
    fn count<T>(
        &mut self,
        n: Option<&Spanned<T>>,
        what: &str,
        bounds: &RangeInclusive<T>,
        unit: &str,
    ) -> Option<T>
    where
        T: Copy + PartialOrd + std::fmt::Display,
    {
        let n = n?;
        if bounds.contains(n.get_ref()) {
            Some(*n.get_ref())
        } else {
            self.err(
                n.span(),
                format!(
                    "{what} must be between {} and {}{unit}",
                    bounds.start(),
                    bounds.end()
                ),
            );
            None
        }
    }

    /// A finite number no larger in magnitude than [`MAX_MAGNITUDE`].
    fn number(&mut self, x: Option<&Spanned<f64>>, what: &str) -> Option<f64> {
        let x = x?;
        let v = *x.get_ref();
        if v.is_finite() && v.abs() <= MAX_MAGNITUDE {
            Some(v)
        } else {
            self.err(
                x.span(),
                format!("{what} must be a finite number between -1e18 and 1e18, not {v:e}"),
            );
            None
        }
    }

    fn pane(&mut self, p: &PaneSpec, defaults: &Defaults) -> Option<PaneDef> {
        let refresh = self
            .duration(p.refresh.as_ref(), "refresh", &REFRESH)
            .unwrap_or(defaults.refresh);
        let timeout = self
            .duration(p.timeout.as_ref(), "timeout", &TIMEOUT)
            .unwrap_or(defaults.timeout);
        let span = match &p.span {
            Some(s) if !(1..=defaults.columns).contains(s.get_ref()) => {
                self.err(
                    s.span(),
                    format!(
                        "span must be between 1 and the number of columns ({})",
                        defaults.columns
                    ),
                );
                1
            }
            Some(s) => *s.get_ref(),
            None => 1,
        };
        let height = self.count(p.height.as_ref(), "height", &HEIGHTS, "");
        let [min, max, warn, crit] = [
            (&p.min, "min"),
            (&p.max, "max"),
            (&p.warn, "warn"),
            (&p.crit, "crit"),
        ]
        .map(|(x, what)| self.number(x.as_ref(), what));
        if let (Some(lo), Some(hi)) = (min, max)
            && lo >= hi
        {
            let at = p.min.as_ref().map_or(p.id.span(), Spanned::span);
            self.err(
                at,
                format!("pane `{}`: min must be below max", p.id.get_ref()),
            );
        }
        let source = self.source(&p.source, defaults)?;
        let kind = match &p.kind {
            Some(k) => {
                let kind = *k.get_ref();
                if !kinds_for(&source).contains(&kind) {
                    self.err(
                        k.span(),
                        format!(
                            "a {} pane cannot show a {} source (it can show it as: {})",
                            kind.label(),
                            source.type_name(),
                            labels(kinds_for(&source))
                        ),
                    );
                }
                kind
            }
            None => super::model::default_kind(&source),
        };
        Some(PaneDef {
            id: p.id.get_ref().clone(),
            title: p.title.clone().unwrap_or_else(|| p.id.get_ref().clone()),
            kind,
            note: p.note.trim().to_string(),
            refresh,
            timeout,
            span,
            height: height.unwrap_or(1),
            unit: p.unit.clone().unwrap_or_default(),
            min,
            max,
            warn,
            crit,
            source,
        })
    }
}

/// Display names, for a message.
fn labels(kinds: &[Display]) -> String {
    kinds
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use crate::vista::VistaConfig;

    /// The vista's problems come from the one checker every file uses: positioned, sorted, and
    /// a misspelt field gets a suggestion.
    #[test]
    fn problems_are_positioned_sorted_and_suggest_names() {
        let src = r#"[vista]
refresh = "0ms"

[[panes]]
id = "cpu"
titel = "CPU"
source = { type = "host", metrics = ["cpu"] }
"#;
        let errs = VistaConfig::parse(src, "v.toml").unwrap_err();
        let text = crate::diag::render(&errs);
        assert!(text.contains("did you mean `title`"), "{text}");
        let lines: Vec<usize> = errs.iter().map(|d| d.line).collect();
        let mut sorted = lines.clone();
        sorted.sort();
        assert_eq!(lines, sorted, "{text}");
        let src = "[vista]\nrefresh = \"0ms\"\n\n[[panes]]\nid = \"cpu\"\nsource = { type = \"host\", metrics = [\"cpu\"] }\n";
        let errs = VistaConfig::parse(src, "v.toml").unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (2, 11), "{errs:?}");
    }
}
