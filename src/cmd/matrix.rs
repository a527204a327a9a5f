//! `gamelan matrix …`: knowledge matrices (docs/matrix-format.md) made from a CSV or from the
//! series of a Prometheus query, and exported as Markdown or CSV. The pure work is in
//! [`crate::matrix`]; this shell reads and writes the files and asks the server.

use crate::diag;
use crate::matrix::{self, ColumnKind, Mark, Matrix, prometheus::Shape};
use color_eyre::eyre::{Result, bail, eyre};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, clap::Subcommand)]
pub enum MatrixCommand {
    /// Make a matrix file from a CSV or from a Prometheus query's series.
    #[command(subcommand)]
    Import(MatrixImport),
    /// Write a matrix file as Markdown (the grid, notes and risks) or CSV.
    Export {
        /// The matrix file (NAME.matrix.toml).
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MatrixFormat::Md)]
        format: MatrixFormat,
        /// Write to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatrixFormat {
    Md,
    Csv,
}

#[derive(Debug, clap::Subcommand)]
pub enum MatrixImport {
    /// A CSV: a header `service,COLUMN,NAME (person),...`, then one service a line, each cell a
    /// mark (hard, soft, unknown, knows, owner), optionally `: note`.
    Csv {
        file: PathBuf,
        /// The matrix file to write (never overwritten).
        #[arg(short, long, value_name = "FILE.matrix.toml")]
        output: PathBuf,
        /// The matrix's title (default: from the CSV's file name).
        #[arg(long)]
        title: Option<String>,
    },
    /// The series of an instant query: one row for each value of label --rows, one column for
    /// each value of label --cols, a cell marked where a series links them.
    Prometheus {
        /// Base URL of the Prometheus server, or the name of a `[datasource.NAME]` in
        /// vista.toml, asked with its credentials, headers and CA.
        #[arg(long, visible_alias = "url", value_name = "URL|DATASOURCE")]
        prometheus: String,
        /// The PromQL instant query (`up`, `count by (job, instance) (up)`).
        #[arg(long, default_value = "up")]
        query: String,
        /// The label whose values are the rows (services).
        #[arg(long, value_name = "LABEL")]
        rows: String,
        /// The label whose values are the columns.
        #[arg(long, value_name = "LABEL")]
        cols: String,
        /// What the columns are.
        #[arg(long, value_enum, default_value_t = KindArg::Dependency)]
        kind: KindArg,
        /// The mark where a series links a row and a column (`none` leaves it to the session).
        #[arg(long, value_enum, default_value_t = MarkArg::Unknown)]
        mark: MarkArg,
        /// The matrix file to write (never overwritten).
        #[arg(short, long, value_name = "FILE.matrix.toml")]
        output: PathBuf,
        /// The matrix's title (default: the query).
        #[arg(long)]
        title: Option<String>,
        /// The vista file whose datasources --prometheus may name (default: the user's).
        #[arg(long, value_name = "FILE")]
        vista: Option<PathBuf>,
        /// How long the query may take.
        #[arg(long, default_value = "30s")]
        timeout: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Dependency,
    Person,
    Team,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MarkArg {
    Hard,
    Soft,
    Unknown,
    Knows,
    Owner,
    None,
}

pub(crate) fn run(
    paths: &crate::config::Paths,
    cmd: &MatrixCommand,
    out: &mut dyn Write,
) -> Result<()> {
    match cmd {
        MatrixCommand::Export {
            file,
            format,
            output,
        } => {
            let m = load(file).map_err(|d| eyre!("{}", diag::render(&d)))?;
            let text = match format {
                MatrixFormat::Md => matrix::export::markdown(&m),
                MatrixFormat::Csv => matrix::csv::to_csv(&m),
            };
            match output {
                Some(p) => {
                    std::fs::write(p, text)
                        .map_err(|e| eyre!("{}: cannot write: {e}", p.display()))?;
                    eprintln!("wrote {}", p.display());
                }
                None => out.write_all(text.as_bytes())?,
            }
            Ok(())
        }
        MatrixCommand::Import(MatrixImport::Csv {
            file,
            output,
            title,
        }) => {
            refuse_existing(output)?;
            let name = file.display().to_string();
            let src = diag::read_text(file, matrix::MAX_FILE_BYTES).map_err(|d| eyre!("{d}"))?;
            let title = title.clone().unwrap_or_else(|| stem(file));
            let m = matrix::csv::from_csv(&name, &src, &title)
                .map_err(|d| eyre!("{}", diag::render(&d)))?;
            write(output, &m)
        }
        MatrixCommand::Import(MatrixImport::Prometheus {
            prometheus,
            query,
            rows,
            cols,
            kind,
            mark,
            output,
            title,
            vista,
            timeout,
        }) => {
            refuse_existing(output)?;
            let timeout = humantime_secs(timeout)?;
            let vista = vista
                .clone()
                .unwrap_or_else(|| crate::vista::config::default_path(paths));
            let (url, access) = crate::vista::capture::prometheus_server(prometheus, &vista)
                .map_err(|e| eyre!("matrix import: {e}"))?;
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                bail!(
                    "--prometheus `{url}` must start with http:// or https:// (or name a [datasource.NAME] of vista.toml)"
                );
            }
            let client =
                crate::vista::source::prometheus::Client::with_access(&url, &access, timeout);
            let series = client
                .query(query, None)
                .map_err(|e| eyre!("matrix import: query `{query}`: {e}"))?;
            let labels: Vec<_> = series.into_iter().map(|s| s.labels).collect();
            let shape = Shape {
                title: title
                    .clone()
                    .unwrap_or_else(|| format!("Matrix of `{query}`")),
                rows: rows.clone(),
                cols: cols.clone(),
                kind: match kind {
                    KindArg::Dependency => ColumnKind::Dependency,
                    KindArg::Person => ColumnKind::Person,
                    KindArg::Team => ColumnKind::Team,
                },
                mark: match mark {
                    MarkArg::Hard => Some(Mark::Hard),
                    MarkArg::Soft => Some(Mark::Soft),
                    MarkArg::Unknown => Some(Mark::Unknown),
                    MarkArg::Knows => Some(Mark::Knows),
                    MarkArg::Owner => Some(Mark::Owner),
                    MarkArg::None => None,
                },
                query: query.clone(),
            };
            let got = matrix::prometheus::from_series(&shape, &labels)
                .map_err(|e| eyre!("matrix import: {e}"))?;
            if got.skipped > 0 {
                eprintln!(
                    "{} series without both `{rows}` and `{cols}` were left out",
                    got.skipped
                );
            }
            write(output, &got.matrix)
        }
    }
}

/// Reads and checks a matrix file.
pub(crate) fn load(path: &Path) -> std::result::Result<Matrix, Vec<diag::Diagnostic>> {
    let text = diag::read_text(path, matrix::MAX_FILE_BYTES).map_err(|d| vec![d])?;
    matrix::file::load_str(&text, &path.display().to_string())
}

/// `gamelan check` on a matrix file.
pub(crate) fn check(path: &Path, text: &str) -> std::result::Result<String, Vec<diag::Diagnostic>> {
    let m = matrix::file::load_str(text, &path.display().to_string())?;
    Ok(format!(
        "matrix `{}`: {} rows, {} columns, {} risks",
        m.title,
        m.rows.len(),
        m.columns.len(),
        m.risks().len()
    ))
}

fn refuse_existing(output: &Path) -> Result<()> {
    if output.exists() {
        bail!("{} already exists; nothing was written", output.display());
    }
    Ok(())
}

fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "matrix".into())
}

fn humantime_secs(s: &str) -> Result<Duration> {
    let secs = crate::session::parse_duration(s).map_err(|e| eyre!("--timeout: {e}"))?;
    if !(1..=600).contains(&secs) {
        bail!("--timeout must be between 1s and 10m");
    }
    Ok(Duration::from_secs(secs))
}

/// Writes a matrix file that must read back as the same matrix.
fn write(output: &Path, m: &Matrix) -> Result<()> {
    let text = matrix::file::to_toml(m);
    let name = output.display().to_string();
    if matrix::file::load_str(&text, &name).as_ref() != Ok(m) {
        bail!(
            "{name}: the matrix did not read back as written; nothing was written (a gamelan bug)"
        );
    }
    std::fs::write(output, &text).map_err(|e| eyre!("{name}: cannot write: {e}"))?;
    eprintln!(
        "wrote {name}: {} rows, {} columns, {} risks",
        m.rows.len(),
        m.columns.len(),
        m.risks().len()
    );
    Ok(())
}
