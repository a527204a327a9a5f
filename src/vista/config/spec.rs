//! The file as written: serde reads these, keeping the position of every value so that each
//! check can point at file:line:col.

use super::datasource::{Datasource, DatasourceSpec};
use super::model::{Display, HostMetric, Parse, QueryMode, SourceType};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;
use toml::Spanned;

/// The whole file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VistaFileSpec {
    pub vista: Option<VistaSpec>,
    #[serde(default)]
    pub panes: Vec<Spanned<PaneSpec>>,
    /// `[datasource.NAME]`: named servers with their credentials (docs/vista-format.md).
    #[serde(default)]
    pub datasource: BTreeMap<Spanned<String>, Spanned<DatasourceSpec>>,
    /// Deploy and change markers for every chart.
    #[serde(default)]
    pub annotations: Vec<Spanned<super::annotations::AnnotationSpec>>,
}

/// `[vista]` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VistaSpec {
    pub title: Option<String>,
    pub refresh: Option<Spanned<String>>,
    pub timeout: Option<Spanned<String>>,
    pub max_backoff: Option<Spanned<String>>,
    pub columns: Option<Spanned<u16>>,
    pub history: Option<Spanned<usize>>,
    /// Default `url` of every Prometheus source.
    pub prometheus: Option<String>,
    /// Default `url` of every Alertmanager source.
    pub alertmanager: Option<String>,
}

/// `[[panes]]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaneSpec {
    pub id: Spanned<String>,
    pub title: Option<String>,
    pub kind: Option<Spanned<Display>>,
    #[serde(default)]
    pub note: String,
    pub refresh: Option<Spanned<String>>,
    pub timeout: Option<Spanned<String>>,
    pub span: Option<Spanned<u16>>,
    pub height: Option<Spanned<u16>>,
    pub unit: Option<String>,
    pub min: Option<Spanned<f64>>,
    pub max: Option<Spanned<f64>>,
    pub warn: Option<Spanned<f64>>,
    pub crit: Option<Spanned<f64>>,
    pub source: Spanned<SourceSpec>,
}

/// A pane's `source` table as written: every field of every type, checked against `type`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    #[serde(rename = "type")]
    pub kind: Spanned<SourceType>,
    pub url: Option<Spanned<String>>,
    pub query: Option<Spanned<String>>,
    pub mode: Option<Spanned<QueryMode>>,
    pub step: Option<Spanned<String>>,
    pub window: Option<Spanned<String>>,
    pub legend: Option<Spanned<String>>,
    pub good: Option<Spanned<String>>,
    pub total: Option<Spanned<String>>,
    pub objective: Option<Spanned<f64>>,
    pub burn_window: Option<Spanned<String>>,
    pub pending: Option<Spanned<bool>>,
    pub command: Option<Spanned<String>>,
    pub parse: Option<Spanned<Parse>>,
    pub lines: Option<Spanned<usize>>,
    pub names: Option<Spanned<Vec<String>>>,
    pub highlight: Option<Spanned<Vec<Spanned<String>>>>,
    pub metrics: Option<Spanned<Vec<HostMetric>>>,
    pub path: Option<Spanned<String>>,
    /// A `[datasource.NAME]` to read through, instead of `url`.
    pub datasource: Option<Spanned<String>>,
    pub group_by: Option<Spanned<Vec<Spanned<String>>>>,
    pub filter: Option<Spanned<Vec<Spanned<String>>>>,
    pub silenced: Option<Spanned<bool>>,
    pub inhibited: Option<Spanned<bool>>,
    pub silences: Option<Spanned<bool>>,
}

impl SourceSpec {
    /// The fields that were written, with their spans.
    pub(crate) fn present(&self) -> Vec<(&'static str, Range<usize>)> {
        let mut out = Vec::new();
        let mut add = |name: &'static str, span: Option<Range<usize>>| {
            if let Some(s) = span {
                out.push((name, s));
            }
        };
        add("url", self.url.as_ref().map(Spanned::span));
        add("query", self.query.as_ref().map(Spanned::span));
        add("mode", self.mode.as_ref().map(Spanned::span));
        add("step", self.step.as_ref().map(Spanned::span));
        add("window", self.window.as_ref().map(Spanned::span));
        add("legend", self.legend.as_ref().map(Spanned::span));
        add("good", self.good.as_ref().map(Spanned::span));
        add("total", self.total.as_ref().map(Spanned::span));
        add("objective", self.objective.as_ref().map(Spanned::span));
        add("burn_window", self.burn_window.as_ref().map(Spanned::span));
        add("pending", self.pending.as_ref().map(Spanned::span));
        add("command", self.command.as_ref().map(Spanned::span));
        add("parse", self.parse.as_ref().map(Spanned::span));
        add("lines", self.lines.as_ref().map(Spanned::span));
        add("names", self.names.as_ref().map(Spanned::span));
        add("highlight", self.highlight.as_ref().map(Spanned::span));
        add("metrics", self.metrics.as_ref().map(Spanned::span));
        add("path", self.path.as_ref().map(Spanned::span));
        add("datasource", self.datasource.as_ref().map(Spanned::span));
        add("group_by", self.group_by.as_ref().map(Spanned::span));
        add("filter", self.filter.as_ref().map(Spanned::span));
        add("silenced", self.silenced.as_ref().map(Spanned::span));
        add("inhibited", self.inhibited.as_ref().map(Spanned::span));
        add("silences", self.silences.as_ref().map(Spanned::span));
        out
    }
}

/// Pane-level defaults that `[vista]` (or a scenario) supplies.
#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    pub refresh: Duration,
    pub timeout: Duration,
    pub columns: u16,
    pub prometheus: Option<String>,
    /// Default `url` of Alertmanager sources (`[vista] alertmanager`).
    pub alertmanager: Option<String>,
    /// The checked `[datasource.NAME]` tables.
    pub datasources: Vec<Datasource>,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            refresh: Duration::from_secs(1),
            timeout: Duration::from_secs(5),
            columns: 3,
            prometheus: None,
            alertmanager: None,
            datasources: Vec::new(),
        }
    }
}
