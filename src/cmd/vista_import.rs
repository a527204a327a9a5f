//! `gamelan vista import grafana DASHBOARD.json -o vista.toml` and the reading half of
//! `gamelan vista --grafana DASHBOARD.json`: reads the dashboard, asks the Prometheus the vista
//! will point at for the values of `label_values()` variables, runs the pure importer
//! (`vista::grafana`) and writes the vista and the report.

use crate::clock::parse_duration;
use crate::diag::{self, Diagnostic};
use crate::vista::VistaConfig;
use crate::vista::grafana::{self, Import, LabelValues, Offline, Options};
use crate::vista::source::prometheus::Client;
use clap::{Args, Subcommand};
use color_eyre::eyre::{Result, bail, eyre};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `gamelan vista import ...`.
#[derive(Debug, Subcommand)]
pub enum VistaAction {
    /// Make a vista file from another tool's dashboard.
    #[command(subcommand)]
    Import(ImportFrom),
}

/// What to import from.
#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// A Grafana dashboard JSON (classic or current schema, grafana.com exports too); prints
    /// what was mapped and what was dropped (see docs/grafana-import.md).
    Grafana(GrafanaImportArgs),
}

#[derive(Debug, Args)]
pub struct GrafanaImportArgs {
    /// The dashboard's JSON file.
    #[arg(value_name = "DASHBOARD.json")]
    pub dashboard: PathBuf,
    /// Where to write the vista (default: standard output, the report on standard error);
    /// an existing file is never replaced.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub opts: GrafanaOpts,
}

/// How a dashboard becomes a vista (shared by `vista import grafana` and `vista --grafana`).
#[derive(Debug, Args, Default, Clone)]
pub struct GrafanaOpts {
    /// A template variable's value: `--var job=node` (repeatable; wins over the dashboard's).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// The Prometheus the panes query, also asked for `label_values()` variables
    /// [default: http://127.0.0.1:9090].
    #[arg(long, value_name = "URL")]
    pub prometheus: Option<String>,
    /// Import only rows whose title contains this (any case; repeatable).
    #[arg(long = "row", value_name = "TITLE")]
    pub rows: Vec<String>,
    /// Import collapsed rows too (by default only what the dashboard shows when opened).
    #[arg(long)]
    pub all_rows: bool,
    /// The time range charts show (default: the dashboard's, e.g. `24h`).
    #[arg(long, value_name = "DURATION")]
    pub window: Option<String>,
    /// The poll interval (default: the dashboard's refresh, else 30s).
    #[arg(long, value_name = "DURATION")]
    pub refresh: Option<String>,
    /// Do not ask Prometheus for variable values: use `--var` and the dashboard's saved ones.
    #[arg(long)]
    pub offline: bool,
}

impl GrafanaOpts {
    /// Whether any option was given (they mean nothing without a dashboard).
    pub fn any(&self) -> bool {
        !self.vars.is_empty()
            || self.prometheus.is_some()
            || !self.rows.is_empty()
            || self.all_rows
            || self.window.is_some()
            || self.refresh.is_some()
            || self.offline
    }

    fn options(&self) -> Result<Options> {
        let mut vars = BTreeMap::new();
        for v in &self.vars {
            let (k, val) = v
                .split_once('=')
                .ok_or_else(|| eyre!("--var {v}: write NAME=VALUE"))?;
            vars.insert(
                k.trim().trim_start_matches('$').to_string(),
                val.to_string(),
            );
        }
        let dur = |what: &str, s: &Option<String>| -> Result<Option<Duration>> {
            s.as_deref()
                .map(|s| parse_duration(s).map_err(|e| eyre!("--{what}: {e}")))
                .transpose()
        };
        let prometheus = self
            .prometheus
            .clone()
            .unwrap_or_else(|| Options::default().prometheus);
        Ok(Options {
            prometheus: prometheus.trim_end_matches('/').to_string(),
            vars,
            rows: self.rows.clone(),
            all_rows: self.all_rows,
            window: dur("window", &self.window)?,
            refresh: dur("refresh", &self.refresh)?,
        })
    }
}

/// Label values from a live Prometheus; after the first failure to reach it, every further
/// question gets the same answer at once instead of another timeout.
struct Live {
    client: Client,
    down: RefCell<Option<String>>,
}

impl LabelValues for Live {
    fn label_values(&self, label: &str, selector: Option<&str>) -> Result<Vec<String>, String> {
        if let Some(e) = self.down.borrow().clone() {
            return Err(e);
        }
        let params: Vec<(&str, &str)> = selector.map(|s| ("match[]", s)).into_iter().collect();
        let answer = self
            .client
            .api(&format!("/api/v1/label/{label}/values"), &params);
        match answer {
            Ok(data) => Ok(data
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()),
            Err(e) => {
                if e.starts_with("cannot reach") || e.ends_with("timed out") {
                    *self.down.borrow_mut() = Some(e.clone());
                }
                Err(e)
            }
        }
    }

    fn describe(&self) -> String {
        self.client.base().to_string()
    }
}

/// Reads and imports a dashboard.
pub fn import_file(path: &Path, opts: &GrafanaOpts) -> Result<Import> {
    let options = opts.options()?;
    read_import(path, opts, &options).map_err(|d| eyre!(diag::render(&d)))
}

/// Reads and imports a dashboard; its problems at their file:line:col.
fn read_import(
    path: &Path,
    opts: &GrafanaOpts,
    options: &Options,
) -> Result<Import, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let text = crate::vista::regular::read_to_string(path, grafana::model::MAX_DASHBOARD_BYTES)
        .map_err(|e| vec![Diagnostic::whole(&name, e)])?;
    let labels: Box<dyn LabelValues> = if opts.offline {
        Box::new(Offline("--offline: Prometheus not asked".into()))
    } else {
        Box::new(Live {
            client: Client::new(&options.prometheus, Duration::from_secs(5)),
            down: RefCell::new(None),
        })
    };
    grafana::import(&text, &name, options, labels.as_ref())
}

/// A dashboard re-imported as a vista (for a reload): every problem as a diagnostic.
pub fn reimport(path: &Path, opts: &GrafanaOpts) -> Result<VistaConfig, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let options = opts
        .options()
        .map_err(|e| vec![Diagnostic::whole(&name, e.to_string())])?;
    let import = read_import(path, opts, &options)?;
    config_of(&import).map_err(|e| vec![Diagnostic::whole(&name, e)])
}

/// The vista of an import, or the error that says there is none (without the file's name).
pub fn config_of(import: &Import) -> Result<VistaConfig, String> {
    let Some(toml) = &import.toml else {
        return Err(nothing(import));
    };
    VistaConfig::parse(toml, &import.report.file).map_err(|d| diag::render(&d))
}

fn nothing(import: &Import) -> String {
    let r = &import.report;
    let which = match r.panels {
        1 => "its only panel is not".to_string(),
        n => format!("none of its {n} panels is"),
    };
    format!(
        "nothing to import: {which} a Prometheus panel the vista can show{}",
        r.notes
            .first()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    )
}

/// `gamelan vista import grafana`.
pub fn run(args: &GrafanaImportArgs, out: &mut dyn Write) -> Result<()> {
    let import = import_file(&args.dashboard, &args.opts)?;
    let report = import.report.to_string();
    let Some(toml) = &import.toml else {
        eprint!("{report}");
        bail!("{}: {}", import.report.file, nothing(&import));
    };
    match &args.output {
        Some(path) => {
            // A vista file is often edited by hand afterwards: never replaced, as the MSEL
            // and matrix imports never replace theirs. Its folder is made if need be.
            if path.exists() {
                bail!(
                    "{} already exists; nothing was written (remove it, or name another file with -o)",
                    path.display()
                );
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| eyre!("{}: cannot make its folder: {e}", path.display()))?;
            }
            std::fs::write(path, toml)
                .map_err(|e| eyre!("{}: cannot write: {e}", path.display()))?;
            write!(out, "{report}")?;
            writeln!(
                out,
                "\nwrote {} ({} panes)",
                path.display(),
                import.report.mapped.len()
            )?;
        }
        None => {
            eprint!("{report}");
            write!(out, "{toml}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_dashboard_on_reload_names_its_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.json");
        std::fs::write(&path, "{\n \"title\": \"x\",\n \"panels\": [ }\n").unwrap();
        let opts = GrafanaOpts {
            offline: true,
            ..GrafanaOpts::default()
        };
        let d = reimport(&path, &opts).unwrap_err();
        let shown = diag::render(&d);
        let name = path.display().to_string();
        assert!(
            shown.starts_with(&format!("{name}:3:14: not JSON")),
            "{shown}"
        );
        assert_eq!(shown.matches(&name).count(), 1, "{shown}");
        std::fs::write(&path, r#"{"panels": [{"type": "text"}]}"#).unwrap();
        let shown = diag::render(&reimport(&path, &opts).unwrap_err());
        assert_eq!(
            shown,
            format!(
                "{name}: nothing to import: its only panel is not a Prometheus panel the vista can show"
            )
        );
    }
}
