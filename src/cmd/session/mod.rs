//! `gamelan session SETLIST`: a weekly practice session. Live ([`live`]), this terminal is the
//! facilitator's seat and others join over the socket (or the SSH lobby of `serve`);
//! headless, a session script drives it and the write-up is printed. This shell finds the
//! setlist, its decks, vistas and drills on disk (or bundled) and hands the pure core their
//! text and shapes; `check` and `debrief` use the same resolution.

pub(crate) mod live;
mod recordings;

pub use live::open_spec;
pub(crate) use recordings::{summary_of, writeup_of_recording};

use crate::cmd::debrief::DebriefFormat;
use crate::config::Paths;
use crate::diag::{self, Diagnostic};
use crate::scenario::Catalogue;
use crate::session::headless::Env;
use crate::session::record::{self, Embedded};
use crate::session::setlist::{Reference, SegmentKind, VistaSource};
use crate::session::{Plan, Session, VistaShape, bundled, deck, script, setlist, writeup};
use color_eyre::eyre::{Result, eyre};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct SessionArgs {
    /// Setlist: a file, or a name from the config directory's sessions/ or the bundled ones
    /// (`weekly`).
    pub setlist: String,
    /// Run without a terminal, driven by a session script; prints the write-up.
    #[arg(long, requires = "script")]
    pub headless: bool,
    /// Session script for --headless: one `BEAT SEAT ACTION ARGS` per line
    /// (docs/session-format.md).
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
    /// Seed for the wheel's spins and the drills (same seed, same session).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write-up format.
    #[arg(long, value_enum, default_value_t = DebriefFormat::Markdown)]
    pub format: DebriefFormat,
    /// Record the session's inputs to PATH (JSON Lines); `gamelan debrief PATH` prints its
    /// write-up again, and each DRT segment's table is saved beside it (`NAME.drt.md`,
    /// `NAME.drt.csv`). Live, the default is the data directory's recordings folder.
    #[arg(long, value_name = "PATH")]
    pub record: Option<PathBuf>,
    /// Live: the session's name, which others join by (default: the setlist's file name).
    #[arg(long, conflicts_with = "headless")]
    pub name: Option<String>,
}

/// A setlist found: how to name it, its text, and the directory its references are
/// relative to (`None` when bundled).
pub struct Found {
    pub name: String,
    pub text: String,
    pub dir: Option<PathBuf>,
}

/// The user's own setlists and decks.
pub fn user_dir(paths: &Paths) -> PathBuf {
    paths.config.join("sessions")
}

/// A setlist argument: a file when one exists there (or it names a `.toml`), else a name
/// in the user's sessions directory, else a bundled setlist.
pub fn find(paths: &Paths, arg: &str) -> Result<Found, Vec<Diagnostic>> {
    let path = Path::new(arg);
    let user = user_dir(paths).join(format!("{arg}.toml"));
    let file = if path.exists() || arg.ends_with(".toml") {
        Some(path.to_path_buf())
    } else if user.exists() {
        Some(user)
    } else {
        None
    };
    if let Some(file) = file {
        let name = file.display().to_string();
        let text = read(&file)?;
        let dir = file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        return Ok(Found {
            name,
            text,
            dir: Some(dir),
        });
    }
    match bundled::setlist(arg) {
        Some((file, text)) => Ok(Found {
            name: format!("sessions/{file}"),
            text: text.to_string(),
            dir: None,
        }),
        None => Err(vec![Diagnostic::whole(
            arg,
            format!(
                "no such setlist file, nor one named so in {} or bundled ({})",
                user_dir(paths).display(),
                bundled::setlist_names().join(", ")
            ),
        )]),
    }
}

fn read(path: &Path) -> Result<String, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path)
        .map_err(|e| vec![Diagnostic::whole(&name, format!("cannot read: {e}"))])?;
    if meta.len() > record::MAX_HEADER as u64 {
        return Err(vec![Diagnostic::whole(
            &name,
            "the file is too large to be a session file",
        )]);
    }
    std::fs::read_to_string(path)
        .map_err(|e| vec![Diagnostic::whole(&name, format!("cannot read: {e}"))])
}

/// Everything a session of a setlist needs: the plan, what each segment shows or runs, and
/// the decks' text for a recording.
pub struct Resolved {
    pub plan: Plan,
    pub env: Env,
    pub decks: Vec<Embedded>,
    /// Each matrix's text as the session starts from it, for the recording.
    pub matrices: Vec<Embedded>,
    /// Per segment: the user's matrix file a matrix segment saves back to (`None` when bundled).
    pub matrix_files: Vec<Option<PathBuf>>,
    /// Each walkthrough's vista file, for the recording to carry.
    pub vistas: Vec<record::SegmentVista>,
}

/// Resolves a setlist's references: each deck (beside the setlist, else bundled), each
/// drill's scenario and simulated vista (the catalogue), each vista file. Every problem is
/// reported, at the reference when the lookup fails.
pub fn resolve(paths: &Paths, found: &Found) -> Result<Resolved, Vec<Diagnostic>> {
    let list = setlist::load_str(&found.text, &found.name)?;
    let mut problems = Vec::new();
    let mut decks: Vec<Embedded> = Vec::new();
    let plan = Plan::resolve(list.clone(), |r| {
        let text = deck_text(found, r)?;
        let d = deck::load_str(&text.1, &text.0)?;
        if !decks.iter().any(|e| e.name == r.name) {
            decks.push(Embedded {
                name: r.name.clone(),
                text: text.1,
            });
        }
        Ok(d)
    });
    let mut matrices: Vec<Embedded> = Vec::new();
    let mut matrix_files = vec![None; list.segments.len()];
    let plan = plan.and_then(|p| {
        let mut n = 0;
        p.with_matrices(|r| {
            let (shown, text, file) = matrix_text(found, r)?;
            let m = crate::matrix::file::load_str(&text, &shown)?;
            while n < list.segments.len()
                && !matches!(&list.segments[n].kind, SegmentKind::Matrix { matrix } if matrix == r)
            {
                n += 1;
            }
            if n < matrix_files.len() {
                matrix_files[n] = file;
                n += 1;
            }
            if !matrices.iter().any(|e| e.name == r.name) {
                matrices.push(Embedded {
                    name: r.name.clone(),
                    text,
                });
            }
            Ok(m)
        })
    });
    let plan = match plan {
        Ok(p) => Some(p),
        Err(d) => {
            problems.extend(d);
            None
        }
    };
    // The scenario references are checked even when a deck is broken.
    let catalogue = Catalogue::load(Some(&paths.scenarios()));
    let mut env = Env::default();
    let mut vistas = Vec::new();
    for (segment, seg) in list.segments.iter().enumerate() {
        let (vista, drill) = match &seg.kind {
            SegmentKind::Walkthrough { vista, .. } => {
                let shown = vista_shape(paths, found, &catalogue, vista).map(|(shape, file)| {
                    if let Some(vista) = file {
                        vistas.push(record::SegmentVista { segment, vista });
                    }
                    shape
                });
                (Some(shown), None)
            }
            SegmentKind::Drill { scenario, .. } | SegmentKind::Drt { scenario, .. } => {
                (None, Some(scenario_of(&catalogue, found, scenario)))
            }
            _ => (None, None),
        };
        env.vistas.push(match vista {
            Some(Ok(v)) => Some(v),
            Some(Err(d)) => {
                problems.extend(d);
                None
            }
            None => None,
        });
        env.drills.push(match drill {
            Some(Ok(s)) => Some(s),
            Some(Err(d)) => {
                problems.push(d);
                None
            }
            None => None,
        });
    }
    match plan {
        Some(plan) if problems.is_empty() => Ok(Resolved {
            plan,
            env,
            decks,
            matrices,
            matrix_files,
            vistas,
        }),
        _ => Err(problems),
    }
}

/// A deck's shown name and text: the file beside the setlist, else the bundled deck.
fn deck_text(found: &Found, r: &Reference) -> Result<(String, String), Vec<Diagnostic>> {
    if let Some(dir) = &found.dir {
        let path = dir.join(&r.name);
        if path.exists() {
            return Ok((path.display().to_string(), read(&path)?));
        }
    }
    match bundled::deck(&r.name) {
        Some(t) => Ok((format!("sessions/{}", r.name), t.to_string())),
        None => Err(vec![r.problem(
            &found.name,
            match &found.dir {
                Some(d) => format!(
                    "no deck `{}` beside the setlist (in {}) nor bundled",
                    r.name,
                    d.display()
                ),
                None => format!("no bundled deck `{}`", r.name),
            },
        )]),
    }
}

/// A matrix's shown name, text and (when it is the user's own file beside the setlist) its
/// path: the file beside the setlist, else the bundled matrix.
fn matrix_text(
    found: &Found,
    r: &Reference,
) -> Result<(String, String, Option<PathBuf>), Vec<Diagnostic>> {
    if let Some(dir) = &found.dir {
        let path = dir.join(&r.name);
        if path.exists() {
            let text =
                diag::read_text(&path, crate::matrix::MAX_FILE_BYTES).map_err(|d| vec![d])?;
            return Ok((path.display().to_string(), text, Some(path)));
        }
    }
    match bundled::matrix(&r.name) {
        Some(t) => Ok((format!("sessions/{}", r.name), t.to_string(), None)),
        None => Err(vec![r.problem(
            &found.name,
            match &found.dir {
                Some(d) => format!(
                    "no matrix `{}` beside the setlist (in {}) nor bundled",
                    r.name,
                    d.display()
                ),
                None => format!("no bundled matrix `{}`", r.name),
            },
        )]),
    }
}

fn scenario_of(
    catalogue: &Catalogue,
    found: &Found,
    r: &Reference,
) -> Result<Arc<crate::scenario::Scenario>, Diagnostic> {
    catalogue
        .get(&r.name)
        .map(|e| e.scenario.clone())
        .ok_or_else(|| {
            let ids: Vec<&str> = catalogue
                .entries
                .iter()
                .map(|e| e.scenario.meta.id.as_str())
                .collect();
            r.problem(
                &found.name,
                format!("no scenario `{}`; known: {}", r.name, ids.join(", ")),
            )
        })
}

/// The vista a walkthrough shows, and the vista file a recording carries for it (none for a
/// scenario's simulated vista, or the built-in vista of this machine).
fn vista_shape(
    paths: &Paths,
    found: &Found,
    catalogue: &Catalogue,
    source: &VistaSource,
) -> Result<(VistaShape, Option<crate::record::CarriedVista>), Vec<Diagnostic>> {
    match source {
        VistaSource::Scenario { scenario } => scenario_of(catalogue, found, scenario)
            .map(|s| (VistaShape::of_scenario(&s), None))
            .map_err(|d| vec![d]),
        _ => {
            let (cfg, label, file) = vista_config(paths, found, source)?;
            Ok((VistaShape::of_vista(&cfg, label), file))
        }
    }
}

/// A vista file's config read from its text, and that very text to carry in a recording.
fn vista_file(
    path: &Path,
    name: &str,
) -> Result<
    (
        crate::vista::VistaConfig,
        Option<crate::record::CarriedVista>,
    ),
    Vec<Diagnostic>,
> {
    let shown = path.display().to_string();
    let text = crate::vista::regular::read_to_string(path, crate::vista::regular::MAX_CONFIG_BYTES)
        .map_err(|e| vec![Diagnostic::whole(&shown, e)])?;
    let cfg = crate::vista::VistaConfig::parse(&text, &shown)?;
    Ok((cfg, crate::record::CarriedVista::new(name, &text)))
}

/// The vista.toml a walkthrough shows (a file beside the setlist, or the presenter's own),
/// how the write-up names it, and the file a recording carries for it (its text as read;
/// none for the built-in vista of this machine). A scenario's simulated vista has no file.
pub(crate) fn vista_config(
    paths: &Paths,
    found: &Found,
    source: &VistaSource,
) -> Result<
    (
        crate::vista::VistaConfig,
        String,
        Option<crate::record::CarriedVista>,
    ),
    Vec<Diagnostic>,
> {
    match source {
        VistaSource::Scenario { scenario } => Err(vec![scenario.problem(
            &found.name,
            "a scenario's vista is simulated, not read from a file",
        )]),
        VistaSource::File { file } => {
            let Some(dir) = &found.dir else {
                return Err(vec![file.problem(
                    &found.name,
                    "a bundled setlist cannot name a vista file",
                )]);
            };
            let path = dir.join(&file.name);
            if !path.exists() {
                return Err(vec![
                    file.problem(&found.name, format!("no vista file {}", path.display())),
                ]);
            }
            let (cfg, carried) = vista_file(&path, &file.name)?;
            Ok((cfg, file.name.clone(), carried))
        }
        VistaSource::Presenter => {
            // The presenter's own file is not the setlist's problem: a bad one falls back to
            // the built-in vista of this machine, and the write-up says why.
            let path = crate::vista::config::default_path(paths);
            let read = if path.exists() {
                vista_file(&path, "vista.toml").map(|(cfg, file)| (cfg, Some(file)))
            } else {
                Ok((crate::vista::default_config(), None))
            };
            Ok(match read {
                Ok((cfg, Some(file))) => (
                    cfg,
                    format!("the presenter's vista, {}", path.display()),
                    file,
                ),
                Ok((cfg, None)) => (
                    cfg,
                    "the presenter's vista (this machine)".to_string(),
                    None,
                ),
                Err(d) => (
                    crate::vista::default_config(),
                    format!(
                        "this machine, since the presenter's vista has problems: {}",
                        d.first().map_or_else(String::new, ToString::to_string)
                    ),
                    None,
                ),
            })
        }
    }
}

pub(crate) fn run(
    paths: &Paths,
    settings: &crate::config::Settings,
    theme_flag: Option<&str>,
    args: &SessionArgs,
    out: &mut dyn Write,
) -> Result<()> {
    if !args.headless {
        return live::run(paths, settings, theme_flag, args);
    }
    let script_path = args
        .script
        .as_ref()
        .ok_or_else(|| eyre!("--headless needs --script FILE"))?;
    let found = find(paths, &args.setlist).map_err(|d| eyre!("{}", diag::render(&d)))?;
    let resolved = resolve(paths, &found).map_err(|d| eyre!("{}", diag::render(&d)))?;
    let script_name = script_path.display().to_string();
    let src = read(script_path).map_err(|d| eyre!("{}", diag::render(&d)))?;
    let script = script::parse(&src, &script_name, &resolved.plan)
        .map_err(|d| eyre!("{}", diag::render(&d)))?;
    let mut session = Session::new(Arc::new(resolved.plan), args.seed);
    let inputs = crate::session::headless::run(&mut session, &script, &resolved.env, &script_name)
        .map_err(|d| eyre!("{}", diag::render(&d)))?;
    if let Some(path) = &args.record {
        let started = crate::record::rfc3339(std::time::SystemTime::now());
        let mut header = record::Header::new(
            &session,
            started,
            Embedded {
                name: found.name.clone(),
                text: found.text.clone(),
            },
            resolved.decks.clone(),
        );
        header.matrices = resolved.matrices.clone();
        header.vistas = resolved.vistas.clone();
        write_recording(path, &header, &inputs)
            .map_err(|e| eyre!("{}: cannot write the recording: {e}", path.display()))?;
        eprintln!("recorded to {} (gamelan debrief {0})", path.display());
        // Each DRT segment's table beside the recording, as a live room saves it.
        let tables = crate::room::session::drt_files::to_save(&session, path, None);
        for (md, csv) in crate::room::session::drt_files::save(&tables).map_err(|e| eyre!(e))? {
            eprintln!("DRT table saved to {} and {}", md.display(), csv.display());
        }
    }
    let w = writeup::build(&session, None).with_vistas(&resolved.vistas);
    let text = match args.format {
        DebriefFormat::Markdown => writeup::markdown(&w),
        DebriefFormat::Json => writeup::json(&w),
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// Writes a recording the way a live room does: header first, then each input on its own
/// line as it is applied. An existing file is never overwritten.
fn write_recording(
    path: &Path,
    header: &record::Header,
    inputs: &[crate::session::SessionInput],
) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(header.line().as_bytes())?;
    for i in inputs {
        f.write_all(record::input_line(i).as_bytes())?;
    }
    f.flush()
}

/// `gamelan check` on a setlist: the file, then every reference it makes.
pub(crate) fn check_setlist(
    paths: &Paths,
    path: &Path,
    text: String,
) -> Result<String, Vec<Diagnostic>> {
    let found = Found {
        name: path.display().to_string(),
        text,
        dir: Some(
            path.parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        ),
    };
    let r = resolve(paths, &found)?;
    let decks = r.plan.decks.iter().flatten().count();
    let matrices = r.plan.matrices.iter().flatten().count();
    let matrices = if matrices == 0 {
        String::new()
    } else {
        format!(
            ", {matrices} matri{}",
            if matrices == 1 { "x" } else { "ces" }
        )
    };
    Ok(format!(
        "setlist `{}`: {} segments, {} deck(s){matrices}",
        r.plan.setlist.title,
        r.plan.setlist.segments.len(),
        decks
    ))
}

/// `gamelan check` on a deck.
pub(crate) fn check_deck(path: &Path, text: &str) -> Result<String, Vec<Diagnostic>> {
    let d = deck::load_str(text, &path.display().to_string())?;
    Ok(format!(
        "deck `{}`: {} themes, {} prompts",
        d.title,
        d.themes.len(),
        d.prompts.len()
    ))
}

/// What kind of file `text` is, by its content: a top-level `[setlist]` or `[deck]` table.
/// A file that does not parse is judged by its table headers, so a broken setlist still gets
/// the setlist's diagnostics.
pub(crate) fn kind_of(text: &str) -> Option<&'static str> {
    let (doc, errors) = toml::de::DeTable::parse_recoverable(text);
    let doc = doc.into_inner();
    if errors.is_empty() {
        return if doc.get("setlist").is_some() {
            Some("setlist")
        } else if doc.get("deck").is_some() {
            Some("deck")
        } else {
            None
        };
    }
    text.lines().map(str::trim_start).find_map(|l| {
        if l.starts_with("[setlist]") {
            Some("setlist")
        } else if l.starts_with("[deck]") {
            Some("deck")
        } else {
            None
        }
    })
}
