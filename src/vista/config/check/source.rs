//! Checks of a pane's `source` table, by type.

use super::{Checker, LINES, MAX_HIGHLIGHTS, MAX_NAMES, MAX_RANGE_POINTS, STEP, WINDOW};
use crate::vista::config::model::*;
use crate::vista::config::spec::{Defaults, SourceSpec};
use crate::vista::time::format_duration;
use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;

impl Checker<'_> {
    fn required<'s>(
        &mut self,
        v: &'s Option<Spanned<String>>,
        name: &str,
        ty: SourceType,
        at: &Range<usize>,
    ) -> Option<&'s str> {
        match v {
            Some(s) if !s.get_ref().trim().is_empty() => Some(s.get_ref().as_str()),
            Some(s) => {
                self.err(s.span(), format!("`{name}` cannot be empty"));
                None
            }
            None => {
                self.err(
                    at.clone(),
                    format!("a {} source needs `{name}`", ty.label()),
                );
                None
            }
        }
    }

    fn url(&mut self, s: &SourceSpec, defaults: &Defaults, at: &Range<usize>) -> Option<String> {
        let (url, span) = match (&s.url, &defaults.prometheus) {
            (Some(u), _) => (u.get_ref().trim().to_string(), u.span()),
            (None, Some(d)) => (d.trim().to_string(), at.clone()),
            (None, None) => {
                self.err(
                    at.clone(),
                    format!(
                        "a {} source needs `url` (or set `prometheus = URL` in [vista])",
                        s.kind.get_ref().label()
                    ),
                );
                return None;
            }
        };
        if !(url.starts_with("http://") || url.starts_with("https://"))
            || url.len() <= "https://".len()
        {
            self.err(
                span,
                format!("url `{url}` must start with http:// or https://"),
            );
            return None;
        }
        Some(url.trim_end_matches('/').to_string())
    }

    fn highlights(&mut self, h: &Option<Spanned<Vec<Spanned<String>>>>) -> Vec<Highlight> {
        let Some(h) = h else { return Vec::new() };
        if let Some(extra) = h.get_ref().get(MAX_HIGHLIGHTS) {
            self.err(
                extra.span(),
                format!("a pane has at most {MAX_HIGHLIGHTS} highlight patterns"),
            );
        }
        h.get_ref()
            .iter()
            .take(MAX_HIGHLIGHTS)
            .filter_map(|p| match Highlight::new(p.get_ref()) {
                Ok(h) => Some(h),
                Err(e) => {
                    self.err(p.span(), e);
                    None
                }
            })
            .collect()
    }

    fn lines(&mut self, l: &Option<Spanned<usize>>, default: usize) -> usize {
        self.count(l.as_ref(), "lines", &LINES, "")
            .unwrap_or(default)
    }

    fn names(&mut self, n: &Option<Spanned<Vec<String>>>) -> Vec<String> {
        let Some(n) = n else { return Vec::new() };
        if n.get_ref().len() > MAX_NAMES {
            self.err(
                n.span(),
                format!(
                    "a pane has at most {MAX_NAMES} names (it shows at most {MAX_NAMES} series)"
                ),
            );
        }
        n.get_ref().iter().take(MAX_NAMES).cloned().collect()
    }

    fn window(&mut self, d: &Option<Spanned<String>>, what: &str, default: Duration) -> Duration {
        self.duration(d.as_ref(), what, &WINDOW).unwrap_or(default)
    }

    pub(super) fn source(
        &mut self,
        spec: &Spanned<SourceSpec>,
        defaults: &Defaults,
    ) -> Option<SourceDef> {
        let at = spec.span();
        let s = spec.get_ref();
        let ty = *s.kind.get_ref();
        for (name, span) in s.present() {
            if !ty.fields().contains(&name) {
                self.err(
                    span,
                    format!(
                        "`{name}` is not a field of a {} source (it takes: type, {})",
                        ty.label(),
                        ty.fields().join(", ")
                    ),
                );
            }
        }
        let def = match ty {
            SourceType::Prometheus => SourceDef::Prometheus(self.prometheus(s, defaults, &at)?),
            SourceType::PrometheusSlo => SourceDef::PrometheusSlo(self.slo(s, defaults, &at)?),
            SourceType::PrometheusAlerts => SourceDef::PrometheusAlerts(PromAlerts {
                url: self.url(s, defaults, &at)?,
                pending: s.pending.as_ref().is_some_and(|p| *p.get_ref()),
            }),
            SourceType::Command => {
                let command = self
                    .required(&s.command, "command", ty, &at)
                    .map(str::to_string);
                let parse = s.parse.as_ref().map_or(Parse::Numbers, |p| *p.get_ref());
                SourceDef::Command(CommandDef {
                    command: command?,
                    parse,
                    lines: self.lines(&s.lines, 50),
                    names: self.names(&s.names),
                    highlight: self.highlights(&s.highlight),
                })
            }
            SourceType::Host => {
                let metrics = match &s.metrics {
                    Some(m) if m.get_ref().is_empty() => {
                        self.err(
                            m.span(),
                            "metrics cannot be empty; leave it out for all of them",
                        );
                        HostMetric::ALL.to_vec()
                    }
                    Some(m) => {
                        let mut v = m.get_ref().clone();
                        let mut seen = HashSet::new();
                        v.retain(|x| seen.insert(*x));
                        v
                    }
                    None => HostMetric::ALL.to_vec(),
                };
                let processes = metrics.contains(&HostMetric::Processes);
                if let Some(m) = &s.metrics
                    && processes
                    && metrics.len() > 1
                {
                    self.err(
                        m.span(),
                        "`processes` is a list of lines: give it a pane of its own (metrics = [\"processes\"])",
                    );
                }
                if let Some(l) = &s.lines
                    && !processes
                {
                    self.err(
                        l.span(),
                        "`lines` is for the process list (metrics = [\"processes\"])",
                    );
                }
                SourceDef::Host(HostDef {
                    metrics,
                    lines: self.lines(&s.lines, 12),
                })
            }
            SourceType::File => {
                let path = self.required(&s.path, "path", ty, &at).map(expand_home);
                SourceDef::File(FileDef {
                    path: path?,
                    lines: self.lines(&s.lines, 200),
                    highlight: self.highlights(&s.highlight),
                })
            }
        };
        Some(def)
    }

    fn prometheus(
        &mut self,
        s: &SourceSpec,
        defaults: &Defaults,
        at: &Range<usize>,
    ) -> Option<PromQuery> {
        let ty = SourceType::Prometheus;
        let url = self.url(s, defaults, at);
        let query = self.required(&s.query, "query", ty, at).map(str::to_string);
        let mode = s.mode.as_ref().map_or(QueryMode::Instant, |m| *m.get_ref());
        let window = self.window(&s.window, "window", Duration::from_secs(15 * 60));
        let default_step = Duration::from_secs((window.as_secs() / 300).max(1));
        let step = self
            .duration(s.step.as_ref(), "step", &STEP)
            .unwrap_or(default_step);
        if mode == QueryMode::Range && window.as_secs_f64() / step.as_secs_f64() > MAX_RANGE_POINTS
        {
            self.err(
                s.step.as_ref().map_or(at.clone(), Spanned::span),
                format!(
                    "window / step gives more than 11000 points (Prometheus' limit); raise step to at least {}",
                    format_duration(window / 11_000 + Duration::from_millis(1))
                ),
            );
        }
        Some(PromQuery {
            url: url?,
            query: query?,
            mode,
            step,
            window,
            legend: s.legend.as_ref().map(|l| l.get_ref().clone()),
        })
    }

    fn slo(&mut self, s: &SourceSpec, defaults: &Defaults, at: &Range<usize>) -> Option<PromSlo> {
        let ty = SourceType::PrometheusSlo;
        let url = self.url(s, defaults, at);
        let good = self.required(&s.good, "good", ty, at).map(str::to_string);
        let total = self.required(&s.total, "total", ty, at).map(str::to_string);
        let objective = match &s.objective {
            Some(o) if !(0.0 < *o.get_ref() && *o.get_ref() < 100.0) => {
                self.err(o.span(), "objective is a percentage below 100, like 99.9");
                None
            }
            Some(o) => Some(*o.get_ref()),
            None => {
                self.err(
                    at.clone(),
                    "a prometheus_slo source needs `objective` (percent, like 99.9)",
                );
                None
            }
        };
        let window = self.window(&s.window, "window", Duration::from_secs(30 * 86_400));
        let burn_window = self.window(&s.burn_window, "burn_window", Duration::from_secs(3600));
        if burn_window > window
            && let Some(b) = s.burn_window.as_ref().or(s.window.as_ref())
        {
            self.err(
                b.span(),
                format!(
                    "burn_window ({}) cannot be longer than the SLO window ({})",
                    format_duration(burn_window),
                    format_duration(window)
                ),
            );
        }
        Some(PromSlo {
            url: url?,
            good: good?,
            total: total?,
            objective: objective?,
            window,
            burn_window,
        })
    }
}

fn expand_home(p: &str) -> PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(p),
    }
}
