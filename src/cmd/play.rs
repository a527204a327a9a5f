//! `gamelan play`: one drill in this terminal (or headless, driven by a cue script).

use super::shell::*;
use crate::cmd::signals::run_local_until_stopped;
use crate::config::{Paths, Settings};
use crate::diag;
use crate::drill::Drill;
use crate::headless;
use crate::record::{self};
use crate::room::Room;
use crate::scenario::Entry;
use crate::seat::SeatSession;
use crate::seat::local::LocalInput;
use crate::theme_files::LiveTheme;
use color_eyre::eyre::{Result, eyre};
use ratatui::DefaultTerminal;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct PlayArgs {
    /// Bundled scenario id or path to a scenario file.
    pub scenario: String,
    /// Seed for the simulation's randomness (same seed, same drill).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Metronome tempo in beats per minute (default: the scenario's).
    #[arg(long)]
    pub tempo: Option<u32>,
    /// Run without a terminal, driven by a cue script; prints the outcome as Markdown.
    #[arg(long, requires = "cues")]
    pub headless: bool,
    /// Cue script for --headless: one `BEAT CUE` per line (e.g. `12 ack`, `3:2 rollback`).
    #[arg(long)]
    pub cues: Option<PathBuf>,
    /// Record the drill's inputs to PATH (JSON Lines), or with no PATH to the data
    /// directory's recordings folder; replay with `gamelan replay`.
    #[arg(long, value_name = "PATH")]
    pub record: Option<Option<PathBuf>>,
    /// A vista file whose live panes are shown beside the drill (overrides the scenario's).
    #[arg(long, value_name = "FILE")]
    pub vista: Option<PathBuf>,
    /// Test hook: milliseconds to sleep after each beat of a recorded headless play.
    #[arg(long, hide = true, default_value_t = 0)]
    pub pace_ms: u64,
}

/// `gamelan play`: headless with a cue script, else in this terminal.
pub(crate) fn run(
    paths: &Paths,
    settings: &Settings,
    theme_flag: Option<&str>,
    args: &PlayArgs,
    out: &mut dyn Write,
) -> Result<()> {
    if args.headless {
        return play_headless(paths, args, out);
    }
    let entry = find_scenario(paths, &args.scenario)?;
    let opts = PlayOptions {
        seed: args.seed,
        tempo: args.tempo,
        record: args.record.clone().flatten(),
        vista: args.vista.clone(),
    };
    play(paths, settings, theme_flag, entry, opts)
}

/// `gamelan play SCENARIO`: how to play one drill in this terminal.
#[derive(Debug, Clone, Default)]
pub struct PlayOptions {
    pub seed: u64,
    /// Tempo override, in beats per minute.
    pub tempo: Option<u32>,
    /// Where to record (default: the data directory's recordings folder).
    pub record: Option<PathBuf>,
    /// A vista file whose live panes are shown beside the drill.
    pub vista: Option<PathBuf>,
}

pub fn play(
    paths: &Paths,
    settings: &Settings,
    theme_flag: Option<&str>,
    entry: Entry,
    opts: PlayOptions,
) -> Result<()> {
    let (theme, notice) = theme_for(paths, settings, theme_flag);
    let rt = runtime()?;
    let mut made = RecordingsMade::default();
    let played = with_terminal(|term| {
        rt.block_on(async {
            let mut events = LocalInput::new();
            let opts = PlayOptions {
                tempo: opts.tempo.or(settings.tempo),
                ..opts
            };
            made.drill(play_one(term, &mut events, paths, entry, opts, &theme, notice).await?);
            Ok(())
        })
    });
    made.say();
    played
}

/// The recordings a console made (drills played, replays forked), told to the user once the
/// terminal is back: each one's path and the debrief, replay and HTML commands for it. Every
/// console that records says it this way, however many drills it ran.
#[derive(Debug, Default)]
pub struct RecordingsMade(Vec<(&'static str, record::RecordingStatus)>);

impl RecordingsMade {
    /// A drill's recording, if it made one.
    pub fn drill(&mut self, status: Option<record::RecordingStatus>) {
        self.0.extend(status.map(|s| ("", s)));
    }

    /// A fork's recording, if it made one; its line, for a status line to show now.
    pub fn fork(&mut self, status: Option<record::RecordingStatus>) -> Option<String> {
        self.0.push(("fork ", status?));
        self.0.last().map(Self::line)
    }

    fn line((what, status): &(&'static str, record::RecordingStatus)) -> String {
        format!("{what}{}", status.exit_message())
    }

    /// Each recording's exit lines ([`record::RecordingStatus::exit_lines`]), in the order
    /// they were made.
    pub fn lines(&self) -> Vec<String> {
        self.0
            .iter()
            .flat_map(|(what, status)| {
                let mut lines = status.exit_lines();
                if let Some(first) = lines.first_mut() {
                    first.insert_str(0, what);
                }
                lines
            })
            .collect()
    }

    /// Prints [`RecordingsMade::lines`] on standard error (call after the terminal is restored).
    pub fn say(&self) {
        let mut err = std::io::stderr().lock();
        for line in self.lines() {
            let _ = writeln!(err, "{line}");
        }
    }
}

/// Plays a new drill of `entry` with the local terminal as its only seat; returns where the
/// recording went.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn play_one(
    term: &mut DefaultTerminal,
    events: &mut LocalInput,
    paths: &Paths,
    entry: Entry,
    opts: PlayOptions,
    theme: &LiveTheme,
    notice: Option<String>,
) -> Result<Option<record::RecordingStatus>> {
    let (live, live_notice, carried) = live_panes(&entry, opts.vista.as_deref());
    let notice = notice.or(live_notice);
    let mut drill = Drill::new(entry.scenario.clone(), opts.seed);
    if let Some(bpm) = opts.tempo {
        drill.bpm = crate::drill::clamp_tempo(bpm);
    }
    let name = local_name();
    let mut header = record::Header::for_drill(
        &drill,
        vec![record::SeatEntry {
            seat: LOCAL_SEAT,
            name: name.clone(),
            role: None,
        }],
    );
    header.vista = carried;
    let path = opts
        .record
        .unwrap_or_else(|| record::default_path(&paths.recordings(), &header));
    let (recorder, problem) = record::create_or_notice(&path, &header);
    let notice = problem.or(notice);
    run_drill(term, events, drill, recorder, theme, notice, live).await
}

/// Starts the live panes a drill shows beside the exercise: `--vista FILE`, else the
/// scenario's `vista` (relative to its file). A bad vista file is a notice, not a failure.
/// The file's text comes back too, for the recording to carry.
pub fn live_panes(
    entry: &Entry,
    flag: Option<&std::path::Path>,
) -> (
    Option<crate::vista::VistaHandle>,
    Option<String>,
    Option<record::CarriedVista>,
) {
    let path = match (flag, &entry.scenario.meta.vista, &entry.origin) {
        (Some(p), _, _) => p.to_path_buf(),
        (None, Some(v), crate::scenario::Origin::File(f)) => {
            f.parent().unwrap_or(std::path::Path::new(".")).join(v)
        }
        (None, Some(v), crate::scenario::Origin::Bundled) => PathBuf::from(v),
        // Nothing named inside a recording is opened.
        (None, Some(_), crate::scenario::Origin::Recording(_)) => return (None, None, None),
        (None, None, _) => return (None, None, None),
    };
    match crate::cmd::vista::load(&path, true) {
        Ok(cfg) => {
            // The text just checked; a file changed in between is carried only if it still
            // checks, so a replay never meets a vista the drill did not run beside.
            let text = crate::vista::regular::read_to_string(
                &path,
                crate::vista::regular::MAX_CONFIG_BYTES,
            )
            .ok()
            .filter(|t| crate::vista::VistaConfig::parse(t, "vista").is_ok());
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let carried = text.and_then(|t| record::CarriedVista::new(&name, &t));
            (Some(crate::vista::spawn(&cfg)), None, carried)
        }
        Err(d) => (None, d.first().map(|d| format!("no live panes: {d}")), None),
    }
}

/// Runs `drill` live in a room with the local terminal as a seat, recording to `recorder`;
/// returns where the recording went.
pub async fn run_drill(
    term: &mut DefaultTerminal,
    events: &mut LocalInput,
    drill: Drill,
    recorder: Option<record::Recorder>,
    theme: &LiveTheme,
    notice: Option<String>,
    live: Option<crate::vista::VistaHandle>,
) -> Result<Option<record::RecordingStatus>> {
    let name = local_name();
    // A fork starts with the seats its recording held at that beat, nobody connected: the
    // seat this user held is theirs again (a join would find the name taken).
    let held = drill
        .seats
        .iter()
        .find(|s| s.present && s.name == crate::drill::seat_name(&name))
        .map(|s| s.id);
    let room = Room::spawn(drill.scenario.meta.id.clone(), drill, recorder);
    let seat = match held {
        Some(seat) => seat,
        None => room.join(&name, None).await.map_err(|e| eyre!(e))?,
    };
    let mut session = SeatSession::new(room.clone(), seat);
    session.chrome.notice = notice;
    session.live = live;
    let result = run_local_until_stopped(term, events, &mut session, theme).await;
    // The room applies what is queued (the seat's last inputs) and finishes the recording
    // before it closes, so the recording ends with them even when the process exits next.
    let saved = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        room.close("the host quit"),
    )
    .await
    .unwrap_or(None);
    result.map(|()| saved)
}
pub(crate) fn play_headless(paths: &Paths, args: &PlayArgs, out: &mut dyn Write) -> Result<()> {
    let entry = find_scenario(paths, &args.scenario)?;
    let cues = args
        .cues
        .as_ref()
        .ok_or_else(|| eyre!("--headless needs --cues FILE"))?;
    let name = cues.display().to_string();
    let src =
        diag::read_text(cues, crate::drill::script::MAX_SCRIPT_BYTES).map_err(|d| eyre!("{d}"))?;
    let script = headless::parse_script(&src, &name, &entry.scenario)
        .map_err(|d| eyre!("{}", diag::render(&d)))?;
    let mut drill = Drill::new(entry.scenario.clone(), args.seed);
    if let Some(bpm) = args.tempo {
        drill.bpm = bpm;
    }
    if args.record.is_some() {
        return play_headless_recorded(paths, args, drill, &script, out);
    }
    headless::run(&mut drill, &script, None);
    write!(out, "{}", headless::outcome_markdown(&drill))?;
    Ok(())
}

// ---- recordings, replay, debrief (issue 3) ----

pub(crate) fn play_headless_recorded(
    paths: &Paths,
    args: &PlayArgs,
    mut drill: Drill,
    script: &[headless::ScriptLine],
    out: &mut dyn Write,
) -> Result<()> {
    // The script's inputs come from `headless::run` itself; they are then performed on the
    // drill the way a live drill takes them: recorded and flushed, then applied.
    let inputs = headless::run(&mut drill.clone(), script, None);
    let header = record::Header::for_drill(&drill, record::seats_at_start(&inputs));
    let path = match &args.record {
        Some(Some(p)) => p.clone(),
        _ => record::default_path(&paths.recordings(), &header),
    };
    let mut recorder = record::Recorder::create(&path, &header)?;
    let pace = std::time::Duration::from_millis(args.pace_ms);
    let performed = record::perform(&mut drill, &inputs, &mut recorder, pace);
    let status = recorder.finish();
    if performed.is_err() || !status.complete {
        color_eyre::eyre::bail!("{}", status.exit_message());
    }
    write!(out, "{}", headless::outcome_markdown(&drill))?;
    for line in status.exit_lines() {
        eprintln!("{line}");
    }
    Ok(())
}
