//! The trainer's replay console: the same console, rebuilt beat by beat from a recording, with
//! transport keys (step, jump to events or bars, play at ×0.5 to ×8), an optional ghost run on
//! the timeline, the debrief, and `f` to fork a live drill from the beat on screen.

use crate::app::{self, run_drill};
use crate::config::Paths;
use crate::debrief;
use crate::drill::Drill;
use crate::record::{self, Ghost, Replay};
use crate::scenario::Mark;
use crate::ui::console::{self, Chrome};
use crate::ui::document::Document;
use crate::ui::seat::{Command, Flash, Mode, SeatView};
use crate::ui::theme::Theme;
use crate::ui::timeline;
use color_eyre::eyre::Result;
use crossterm::event::{Event as TermEvent, EventStream, KeyCode, KeyEvent, KeyEventKind};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use std::time::Duration;
use tokio::time::{Instant, sleep_until};

/// Playback speeds offered by `-` and `+`.
pub const SPEEDS: [f64; 5] = [0.5, 1.0, 2.0, 4.0, 8.0];

/// Transport keys, for the help line and the README.
pub const TRANSPORT_KEYS: &str =
    "←→ beat · ,. event · b bar · p play · -+ speed · f fork · d debrief · q quit";

/// The replay console's state: a replay cursor plus one seat view onto it.
pub struct Trainer {
    pub replay: Replay,
    pub view: SeatView,
    pub ghost: Option<timeline::Ghost>,
    pub playing: bool,
    pub speed: usize,
    /// Digits typed after `b` (jump to bar).
    pub bar_entry: Option<String>,
    pub document: Option<Document>,
}

/// What a key asks of the replay shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainerCommand {
    Fork,
    Quit,
}

/// Converts a reference run into the timeline's ghost overlay.
pub fn ghost_overlay(label: &str, ghost: &Ghost) -> timeline::Ghost {
    let mut marks = [None; 4];
    for (m, b) in &ghost.marks {
        marks[Mark::index(*m)] = Some(*b);
    }
    timeline::Ghost {
        label: label.to_string(),
        marks,
        cues: ghost.cues.iter().map(|c| c.beat).collect(),
    }
}

impl Trainer {
    pub fn new(replay: Replay, ghost: Option<timeline::Ghost>) -> Trainer {
        let seat = replay.header().seats.first().map_or(0, |s| s.seat);
        let mut view = SeatView::new(seat);
        view.mode = Mode::Playing;
        Trainer {
            replay,
            view,
            ghost,
            playing: false,
            speed: 1,
            bar_entry: None,
            document: None,
        }
    }

    pub fn drill(&self) -> &Drill {
        self.replay.drill()
    }

    /// Time between beats while playing.
    pub fn period(&self) -> Duration {
        let bpm = f64::from(self.drill().bpm.max(1));
        Duration::from_secs_f64(60.0 / bpm / SPEEDS[self.speed])
    }

    pub fn chrome(&self) -> Chrome {
        let state = if self.playing { "▶" } else { "⏸" };
        let mode = format!(
            "REPLAY {state} ×{} {}/{}",
            SPEEDS[self.speed],
            self.replay.position(),
            self.replay.last_beat()
        );
        let hints = match &self.bar_entry {
            Some(d) => format!("jump to bar: {d}▌ (Enter)"),
            None => TRANSPORT_KEYS.to_string(),
        };
        let notice = self.replay.warnings().first().cloned();
        Chrome {
            pulse: false,
            mode: Some(mode),
            notice,
            ghost: self.ghost.clone(),
            hints: Some(hints),
            live: None,
        }
    }

    /// Advances playback one beat; stops at the end.
    pub fn tick(&mut self) {
        if self.replay.position() >= self.replay.last_beat() {
            self.playing = false;
        } else {
            self.replay.step(1);
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Option<TrainerCommand> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if let Some(doc) = &mut self.document {
            match key.code {
                KeyCode::Up => doc.scroll_by(-1),
                KeyCode::Down => doc.scroll_by(1),
                KeyCode::PageUp => doc.scroll_by(-10),
                KeyCode::PageDown | KeyCode::Char(' ') => doc.scroll_by(10),
                KeyCode::Char('q') | KeyCode::Esc => self.document = None,
                _ => {}
            }
            return None;
        }
        if let Some(digits) = &mut self.bar_entry {
            match key.code {
                KeyCode::Char(c) if c.is_ascii_digit() && digits.len() < 6 => digits.push(c),
                KeyCode::Backspace => {
                    digits.pop();
                }
                KeyCode::Enter => {
                    if let Ok(bar) = digits.parse::<u64>() {
                        self.replay.jump_to_bar(bar.max(1));
                    }
                    self.bar_entry = None;
                }
                _ => self.bar_entry = None,
            }
            return None;
        }
        match key.code {
            KeyCode::Left => drop(self.replay.step(-1)),
            KeyCode::Right => drop(self.replay.step(1)),
            KeyCode::Char(',') | KeyCode::Char('<') => {
                if self.replay.prev_event().is_none() {
                    self.flash("no earlier cue or inject");
                }
            }
            KeyCode::Char('.') | KeyCode::Char('>') => {
                if self.replay.next_event().is_none() {
                    self.flash("no later cue or inject");
                }
            }
            KeyCode::Home | KeyCode::Char('g') => drop(self.replay.seek(0)),
            KeyCode::End | KeyCode::Char('G') => drop(self.replay.seek(u64::MAX)),
            KeyCode::Char('b') => self.bar_entry = Some(String::new()),
            KeyCode::Char('p') | KeyCode::Char(' ') => {
                if self.replay.position() >= self.replay.last_beat() {
                    self.replay.seek(0);
                }
                self.playing = !self.playing;
            }
            KeyCode::Char('-') => self.speed = self.speed.saturating_sub(1),
            KeyCode::Char('+') | KeyCode::Char('=') => {
                self.speed = (self.speed + 1).min(SPEEDS.len() - 1)
            }
            KeyCode::Char('f') => return Some(TrainerCommand::Fork),
            KeyCode::Char('d') => {
                let d = debrief::from_replay(&self.replay);
                self.document = Some(Document::new(
                    "debrief (whole recording)",
                    debrief::markdown(&d),
                    "↑↓ scroll · q back",
                ));
            }
            KeyCode::Char('q') | KeyCode::Esc if !self.view.zoom && !self.view.help => {
                return Some(TrainerCommand::Quit);
            }
            _ => {
                // Everything else is the seat view's: focus, zoom, scroll, help, pages.
                let drill = self.replay.drill().clone();
                for cmd in self.view.on_key(key, &drill) {
                    match cmd {
                        Command::Quit => return Some(TrainerCommand::Quit),
                        Command::Drill(_) | Command::Start => {
                            self.flash("this is a replay: press f to fork and play on from here")
                        }
                        Command::Debrief => {}
                    }
                }
                self.view.mode = Mode::Playing;
            }
        }
        None
    }

    fn flash(&mut self, text: &str) {
        self.view.flash = Some(Flash {
            text: text.into(),
            error: false,
        });
    }

    pub fn draw(
        &self,
        buf: &mut ratatui::buffer::Buffer,
        area: ratatui::layout::Rect,
        theme: &Theme,
    ) {
        match &self.document {
            Some(doc) => doc.draw(buf, area, theme),
            None => console::draw(
                buf,
                area,
                self.replay.drill(),
                &self.view,
                theme,
                &self.chrome(),
            ),
        }
    }
}

/// `gamelan replay REC [--ghost OTHER]`: the replay console in this terminal.
pub fn run(paths: &Paths, theme: Theme, mut trainer: Trainer) -> Result<()> {
    let rt = app::runtime()?;
    let mut saved = None;
    app::with_terminal(|term| {
        rt.block_on(async {
            let mut events = EventStream::new();
            if let Some(fork) = drive(term, &mut events, &theme, &mut trainer).await? {
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
                saved = run_drill(
                    term,
                    &mut events,
                    fork.drill,
                    recorder,
                    &theme,
                    notice,
                    None,
                )
                .await?;
            }
            Ok(())
        })
    })?;
    if let Some(s) = saved {
        eprintln!("fork {}", s.exit_message());
    }
    Ok(())
}

async fn drive(
    term: &mut DefaultTerminal,
    events: &mut EventStream,
    theme: &Theme,
    t: &mut Trainer,
) -> Result<Option<record::Fork>> {
    let mut next: Option<Instant> = None;
    loop {
        term.draw(|f| {
            let area = f.area();
            t.draw(f.buffer_mut(), area, theme);
        })?;
        if t.playing && next.is_none() {
            next = Some(Instant::now() + t.period());
        } else if !t.playing {
            next = None;
        }
        tokio::select! {
            ev = events.next() => {
                let Some(ev) = ev else { return Ok(None) };
                if let TermEvent::Key(k) = ev? {
                    match t.on_key(k) {
                        Some(TrainerCommand::Quit) => return Ok(None),
                        Some(TrainerCommand::Fork) => return Ok(Some(t.replay.fork(t.replay.position()))),
                        None => {}
                    }
                }
            }
            _ = sleep_until(next.unwrap_or_else(Instant::now)), if next.is_some() => {
                t.tick();
                next = t.playing.then(|| Instant::now() + t.period());
            }
        }
    }
}
