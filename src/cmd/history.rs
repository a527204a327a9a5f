//! `gamelan history`: the team's record over time, from a directory of recordings.

use crate::config::Paths;
use crate::history::{self, chart};
use crate::scenario::Catalogue;
use color_eyre::eyre::{Result, bail};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// Only the drills of this scenario (an id).
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
    /// Read the recordings in DIR (e.g. a directory the team shares) instead of the data
    /// directory's recordings folder.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Output: a table and a chart per scenario (text), every figure as JSON or CSV, or a
    /// self-contained page with charts (html).
    #[arg(long, value_enum, default_value_t = HistoryFormat::Text)]
    pub format: HistoryFormat,
    /// Write the output to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    Text,
    Json,
    Csv,
    /// One self-contained page with SVG charts, for a browser or to print.
    Html,
}

/// At most this many unreadable recordings are named on standard error; the rest are counted.
const SHOWN_PROBLEMS: usize = 10;

pub(crate) fn run(paths: &Paths, args: &HistoryArgs, out: &mut dyn Write) -> Result<()> {
    let Some(file) = &args.output else {
        return write(paths, args, out);
    };
    let mut text = Vec::new();
    write(paths, args, &mut text)?;
    std::fs::write(file, text)
        .map_err(|e| color_eyre::eyre::eyre!("{}: cannot write: {e}", file.display()))?;
    Ok(())
}

fn write(paths: &Paths, args: &HistoryArgs, out: &mut dyn Write) -> Result<()> {
    let dir = args.dir.clone().unwrap_or_else(|| paths.recordings());
    if args.dir.is_some() && !dir.is_dir() {
        let why = if dir.exists() {
            "not a directory"
        } else {
            "no such directory"
        };
        bail!(
            "{}: {why}; --dir names a directory of recordings",
            dir.display()
        );
    }
    let catalogue = Catalogue::load(Some(&paths.scenarios()));
    let loaded = if dir.exists() {
        history::load::rows(&dir, &catalogue, args.scenario.as_deref())
    } else {
        history::load::Loaded::default()
    };
    for p in loaded.problems.iter().take(SHOWN_PROBLEMS) {
        eprintln!("skipped: {p}");
    }
    if loaded.problems.len() > SHOWN_PROBLEMS {
        eprintln!(
            "skipped {} more recordings that could not be read or replayed",
            loaded.problems.len() - SHOWN_PROBLEMS
        );
    }
    let rows = &loaded.rows;
    let series = history::series(rows);
    match args.format {
        HistoryFormat::Json => return Ok(out.write_all(chart::json(rows, &series).as_bytes())?),
        HistoryFormat::Csv => return Ok(out.write_all(chart::csv(rows).as_bytes())?),
        HistoryFormat::Html => {
            let page = history::html::page(
                rows,
                &series,
                &dir.display().to_string(),
                loaded.never_started,
                loaded.problems.len(),
            );
            return Ok(out.write_all(page.as_bytes())?);
        }
        HistoryFormat::Text => {}
    }
    if rows.is_empty() {
        let of = args
            .scenario
            .as_ref()
            .map_or_else(String::new, |id| format!(" of scenario `{id}`"));
        writeln!(out, "no recorded drills{of} in {}", dir.display())?;
    } else {
        out.write_all(chart::table(rows).as_bytes())?;
        writeln!(out)?;
        out.write_all(chart::chart(&series, width()).as_bytes())?;
    }
    match loaded.never_started {
        0 => {}
        1 => writeln!(out, "1 drill that never started is left out")?,
        n => writeln!(out, "{n} drills that never started are left out")?,
    }
    Ok(())
}

/// The chart's width: the terminal's, else 100 columns (for a pipe or a file).
fn width() -> usize {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal()
        && let Ok((cols, _)) = crossterm::terminal::size()
    {
        return usize::from(cols).max(40);
    }
    100
}

/// The lobby's history view of the data directory's recordings, until `q` or `esc`; `true`
/// when the user asked to leave gamelan altogether (Ctrl-C).
pub(crate) async fn console(
    term: &mut ratatui::DefaultTerminal,
    events: &mut crate::seat::local::LocalInput,
    paths: &Paths,
    theme: &crate::theme_files::LiveTheme,
) -> Result<bool> {
    use crate::ui::widgets::document::DocCommand;
    let dir = paths.recordings();
    let catalogue = Catalogue::load(Some(&paths.scenarios()));
    let loaded = if dir.is_dir() {
        history::load::rows(&dir, &catalogue, None)
    } else {
        history::load::Loaded::default()
    };
    let shown = dir.display().to_string();
    let view = |width: u16| {
        crate::ui::history::document(
            &loaded.rows,
            loaded.never_started,
            loaded.problems.len(),
            &shown,
            width,
        )
    };
    let mut doc = view(term.size()?.width);
    let mut width = 0;
    loop {
        let mut area = ratatui::layout::Rect::default();
        term.draw(|f| {
            area = f.area();
            if area.width != width {
                // Charts are fitted to the width: rebuild, keeping the place.
                let scroll = doc.scroll;
                doc = view(area.width);
                doc.scroll = scroll;
                width = area.width;
            }
            doc.draw(f.buffer_mut(), area, &theme.theme);
        })?;
        let Some(ev) = events.next().await else {
            return Ok(true);
        };
        match doc.on_input(&ev?, area) {
            Some(DocCommand::Close) => return Ok(false),
            Some(DocCommand::Quit) => return Ok(true),
            Some(DocCommand::Save) | None => {}
        }
    }
}
