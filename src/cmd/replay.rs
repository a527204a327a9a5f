//! `gamelan replay`: the trainer's replay console in this terminal, or the state at a beat.

use super::shell::*;
use crate::cmd::play::run_drill;
use crate::cmd::recordings::RecordingArgs;
use crate::cmd::recordings::open_replay;
use crate::cmd::signals::Stop;
use crate::config::Paths;
use crate::headless;
use crate::record::{self};
use crate::scenario::{self};
use crate::seat::local::LocalInput;
use crate::theme_files::LiveTheme;
use crate::ui::replay::{Trainer, TrainerCommand};
use color_eyre::eyre::{Result, eyre};
use ratatui::DefaultTerminal;
use std::io::Write;
use std::path::PathBuf;
use tokio::time::{Instant, sleep_until};

/// `gamelan replay REC [--ghost OTHER]`: the replay console in this terminal.
pub(crate) fn console(paths: &Paths, mut theme: LiveTheme, mut trainer: Trainer) -> Result<()> {
    let rt = runtime()?;
    let mut made = crate::cmd::play::RecordingsMade::default();
    let replayed = with_terminal(|term| {
        rt.block_on(async {
            let mut events = LocalInput::new();
            let forked =
                trainer_and_fork(term, &mut events, paths, &mut theme, &mut trainer).await?;
            made.fork(forked);
            Ok(())
        })
    });
    made.say();
    replayed
}

/// The replay console on `term` until the trainer quits, or, when they fork, the forked
/// drill (recorded anew) until it ends; then what became of the fork's recording.
pub(crate) async fn trainer_and_fork(
    term: &mut DefaultTerminal,
    events: &mut LocalInput,
    paths: &Paths,
    theme: &mut LiveTheme,
    trainer: &mut Trainer,
) -> Result<Option<record::RecordingStatus>> {
    let Some(fork) = drive(term, events, theme, trainer).await? else {
        return Ok(None);
    };
    let header = fork.header.clone();
    let path = record::default_path(&paths.recordings(), &header);
    let (recorder, notice) = match fork.record_to(&path) {
        Ok(r) => (
            Some(r),
            Some(format!(
                "forked at beat {} → {}",
                trainer.replay.position(),
                path.display()
            )),
        ),
        Err(e) => (None, Some(format!("not recording the fork: {e}"))),
    };
    run_drill(term, events, fork.drill, recorder, theme, notice, None).await
}

pub(crate) async fn drive(
    term: &mut DefaultTerminal,
    events: &mut LocalInput,
    theme: &mut LiveTheme,
    t: &mut Trainer,
) -> Result<Option<record::Fork>> {
    let mut next: Option<Instant> = None;
    let mut watcher = crate::watch::Watcher::new(&[&theme.choice.themes_dir]).ok();
    let mut stop = Stop::listen()?;
    let mut area = ratatui::layout::Rect::default();
    let mut files = crate::seat::drt_files::DrtFiles::default();
    loop {
        term.draw(|f| {
            area = f.area();
            t.draw(f.buffer_mut(), area, &theme.theme);
        })?;
        if t.playing && next.is_none() {
            next = Some(Instant::now() + t.period());
        } else if !t.playing {
            next = None;
        }
        tokio::select! {
            ev = events.next() => {
                let Some(ev) = ev else { return Ok(None) };
                match t.on_input(&ev?, area) {
                    Some(TrainerCommand::Quit) => return Ok(None),
                    Some(TrainerCommand::Fork) => return Ok(Some(t.replay.fork(t.replay.position()))),
                    Some(TrainerCommand::Table(c)) => {
                        t.table_files(&c, |c, table, view| files.run(c, table, view));
                    }
                    None => {}
                }
            }
            r = stop.stopped() => return r,
            _ = crate::cmd::shell::changed(&mut watcher) => theme.reload(&mut t.notice),
            _ = sleep_until(next.unwrap_or_else(Instant::now)), if next.is_some() => {
                t.tick();
                next = t.playing.then(|| Instant::now() + t.period());
            }
        }
    }
}
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    #[command(flatten)]
    pub source: RecordingArgs,
    /// Print the state at `--to` as Markdown instead of opening the replay console.
    #[arg(long)]
    pub headless: bool,
    /// Beat to stop at: a beat number or `bar:beat` (default: the end of the recording).
    #[arg(long, value_name = "BEAT")]
    pub to: Option<String>,
    /// Another recording of the same scenario to overlay on the timeline (e.g. an expert's).
    #[arg(long, value_name = "OTHER.jsonl")]
    pub ghost: Option<PathBuf>,
}

pub(crate) fn replay_console(
    paths: &Paths,
    theme: Option<&str>,
    args: &ReplayArgs,
    replay: record::Replay,
) -> Result<()> {
    let ghost = match &args.ghost {
        None => None,
        Some(path) => {
            let rec = record::Recording::load(path).map_err(|d| eyre!("{d}"))?;
            let mut cache = record::SourceCache::default();
            let (scenario, note) =
                record::ghost_scenario(&rec, replay.scenario(), args.source.force, &mut cache)
                    .map_err(|e| eyre!("{}: {e}", path.display()))?;
            if let Some(note) = note {
                eprintln!("note: {}: {note}", path.display());
            }
            let g = record::Ghost::from_drill(&record::replay::rebuild(&rec, scenario));
            let label = path
                .file_stem()
                .map_or_else(|| "ghost".into(), |s| s.to_string_lossy().into_owned());
            Some(crate::ui::replay::ghost_overlay(&label, &g))
        }
    };
    let settings = load_settings_noisy(paths);
    let (theme, _) = crate::cmd::shell::theme_for(paths, &settings, theme);
    console(paths, theme, crate::ui::replay::Trainer::new(replay, ghost))
}

pub(crate) fn run(
    paths: &Paths,
    theme: Option<&str>,
    args: &ReplayArgs,
    out: &mut dyn Write,
) -> Result<()> {
    // A session recording replays to its write-up (there is no session replay console).
    let path = crate::cmd::recordings::recording_path(paths, &args.source.recording);
    let format = crate::cmd::debrief::DebriefFormat::Markdown;
    if let Some(text) = crate::cmd::session::writeup_of_recording(&path, format)? {
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    let replay = open_replay(paths, &args.source)?;
    if !args.headless {
        return replay_console(paths, theme, args, replay);
    }
    let last = replay.last_beat();
    let beat = match &args.to {
        None => last,
        Some(text) => {
            let bpb = replay.scenario().tempo.beats_per_bar;
            scenario::position::Position::parse(text)
                .and_then(|p| p.resolve(bpb))
                .map_err(|e| eyre!("--to: {e}"))?
        }
    };
    if beat > last {
        eprintln!("note: the recording ends at beat {last}; showing that beat");
    }
    if let Some(v) = &replay.header().vista {
        // Checked from the text the recording carries: no file of this machine is read.
        eprintln!(
            "note: the drill ran beside the live vista {}; its data was live, not recorded",
            crate::debrief::VistaRow::of(v).summary()
        );
    }
    write!(
        out,
        "{}",
        headless::outcome_markdown(&replay.state_at(beat))
    )?;
    Ok(())
}

// ---- capture (issue 5) ----
