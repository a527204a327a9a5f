//! Checks of a pane's `source` table, by type.

use super::{
    Checker, LINES, MAX_HIGHLIGHTS, MAX_MATCHERS, MAX_NAMES, MAX_RANGE_POINTS, STEP, WINDOW,
};
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
            SourceType::PrometheusAlerts => {
                let (url, access) = self.server(s, defaults, &at)?;
                SourceDef::PrometheusAlerts(PromAlerts {
                    url,
                    pending: s.pending.as_ref().is_some_and(|p| *p.get_ref()),
                    access,
                })
            }
            SourceType::Alertmanager => {
                SourceDef::Alertmanager(self.alertmanager(s, defaults, &at)?)
            }
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
        let server = self.server(s, defaults, at);
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
        let (url, access) = server?;
        Some(PromQuery {
            url,
            access,
            query: query?,
            mode,
            step,
            window,
            legend: s.legend.as_ref().map(|l| l.get_ref().clone()),
        })
    }

    fn slo(&mut self, s: &SourceSpec, defaults: &Defaults, at: &Range<usize>) -> Option<PromSlo> {
        let ty = SourceType::PrometheusSlo;
        let server = self.server(s, defaults, at);
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
        let (url, access) = server?;
        Some(PromSlo {
            url,
            access,
            good: good?,
            total: total?,
            objective: objective?,
            window,
            burn_window,
        })
    }

    fn alertmanager(
        &mut self,
        s: &SourceSpec,
        defaults: &Defaults,
        at: &Range<usize>,
    ) -> Option<AmAlerts> {
        let server = self.server(s, defaults, at);
        let label = |l: &str| {
            l.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        let mut group_by = Vec::new();
        if let Some(g) = &s.group_by {
            if g.get_ref().len() > MAX_MATCHERS {
                self.err(
                    g.span(),
                    format!("group_by takes at most {MAX_MATCHERS} labels"),
                );
            }
            for l in g.get_ref().iter().take(MAX_MATCHERS) {
                if label(l.get_ref()) {
                    group_by.push(l.get_ref().clone());
                } else {
                    self.err(
                        l.span(),
                        format!(
                            "`{}` is not a label name (letters, digits and _)",
                            l.get_ref()
                        ),
                    );
                }
            }
        }
        let mut filter = Vec::new();
        if let Some(f) = &s.filter {
            if f.get_ref().len() > MAX_MATCHERS {
                self.err(
                    f.span(),
                    format!("filter takes at most {MAX_MATCHERS} matchers"),
                );
            }
            for m in f.get_ref().iter().take(MAX_MATCHERS) {
                let text = m.get_ref().trim();
                let name_end = text
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(text.len());
                let rest = text[name_end..].trim_start();
                let op = ["=~", "!~", "!=", "="]
                    .into_iter()
                    .find(|op| rest.starts_with(op));
                match op {
                    Some(op) if label(&text[..name_end]) && !rest[op.len()..].trim().is_empty() => {
                        filter.push(text.to_string());
                    }
                    _ => self.err(
                        m.span(),
                        format!(
                            "`{text}` is not a matcher: write label, an operator (=, !=, =~, !~) and a value, like severity=\"page\""
                        ),
                    ),
                }
            }
        }
        let flag = |b: &Option<Spanned<bool>>| b.as_ref().is_none_or(|b| *b.get_ref());
        let (url, access) = server?;
        Some(AmAlerts {
            url,
            access,
            group_by,
            filter,
            silenced: flag(&s.silenced),
            inhibited: flag(&s.inhibited),
            silences: flag(&s.silences),
        })
    }
}

pub(super) fn expand_home(p: &str) -> PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(p),
    }
}
