//! What an import did, for the person who ran it: every pane made (and what changed on the
//! way), every panel dropped and why, and where each template variable's value came from.

use super::vars::VarReport;
use crate::clock::format_duration;
use crate::vista::config::Display;
use std::fmt;
use std::time::Duration;

/// A panel that became a pane.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub id: String,
    pub kind: Display,
    pub panel: Option<i64>,
    pub title: String,
    pub grafana_kind: String,
    pub row: Option<String>,
    /// What changed on the way (queries joined, a ratio scaled, a calculation not kept…).
    pub notes: Vec<String>,
}

/// A panel left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    pub panel: Option<i64>,
    pub title: String,
    pub kind: String,
    pub row: Option<String>,
    pub reason: String,
}

impl Dropped {
    /// `panel 17 "Title" (text): reason`.
    pub fn line(&self) -> String {
        let mut s = String::from("panel");
        if let Some(id) = self.panel {
            s.push_str(&format!(" {id}"));
        }
        format!("{s} \"{}\" ({}): {}", self.title, self.kind, self.reason)
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub file: String,
    pub title: String,
    pub schema: u64,
    pub classic: bool,
    /// Panels in the dashboard (rows not counted).
    pub panels: usize,
    pub prometheus: String,
    pub window: Duration,
    pub refresh: Duration,
    pub mapped: Vec<Mapped>,
    pub dropped: Vec<Dropped>,
    pub vars: Vec<VarReport>,
    /// Problems of the import as a whole.
    pub notes: Vec<String>,
    /// Annotation sources made (`id ← "name"`), and the entries skipped with the reason.
    pub annotations: Vec<String>,
    pub skipped_annotations: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schema = if self.classic {
            "classic rows"
        } else {
            "panels"
        };
        writeln!(
            f,
            "{}: \"{}\" (schema {}, {schema}): {} panels, {} mapped, {} dropped",
            self.file,
            self.title,
            self.schema,
            self.panels,
            self.mapped.len(),
            self.dropped.len()
        )?;
        writeln!(
            f,
            "queries go to {}; charts show {} at a {} refresh",
            self.prometheus,
            format_duration(self.window),
            format_duration(self.refresh)
        )?;
        if !self.vars.is_empty() {
            writeln!(f, "\nvariables:")?;
            for v in &self.vars {
                let shown = if v.shown.is_empty() {
                    "(none)"
                } else {
                    &v.shown
                };
                writeln!(f, "  ${} = {shown}: {}", v.name, v.origin)?;
            }
        }
        if !self.mapped.is_empty() {
            writeln!(f, "\nmapped:")?;
            let mut row: Option<&Option<String>> = None;
            for m in &self.mapped {
                if row != Some(&m.row) {
                    row = Some(&m.row);
                    if let Some(r) = &m.row {
                        writeln!(f, "  row \"{r}\"")?;
                    }
                }
                writeln!(
                    f,
                    "    {:<6} {} ← {} \"{}\"",
                    m.kind.label(),
                    m.id,
                    m.grafana_kind,
                    m.title
                )?;
                for n in &m.notes {
                    writeln!(f, "             {n}")?;
                }
            }
        }
        if !self.annotations.is_empty() || !self.skipped_annotations.is_empty() {
            writeln!(f, "\nannotations:")?;
            for a in &self.annotations {
                writeln!(f, "  {a}")?;
            }
            for s in &self.skipped_annotations {
                writeln!(f, "  skipped {s}")?;
            }
        }
        if !self.dropped.is_empty() {
            writeln!(f, "\ndropped:")?;
            // Panels dropped side by side for one reason (a collapsed row) share a line.
            let mut i = 0;
            while i < self.dropped.len() {
                let d = &self.dropped[i];
                let n = self.dropped[i..]
                    .iter()
                    .take_while(|x| x.reason == d.reason)
                    .count();
                if n == 1 {
                    writeln!(f, "  {}", d.line())?;
                } else {
                    let titles: Vec<String> = self.dropped[i..i + n]
                        .iter()
                        .map(|x| format!("\"{}\"", x.title))
                        .collect();
                    let mut list = titles.join(", ");
                    if list.chars().count() > 90 {
                        list = list.chars().take(89).collect::<String>() + "…";
                    }
                    writeln!(f, "  {n} panels {}: {list}", d.reason)?;
                }
                i += n;
            }
        }
        for n in &self.notes {
            writeln!(f, "\n{n}")?;
        }
        Ok(())
    }
}
