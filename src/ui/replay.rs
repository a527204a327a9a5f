//! The trainer's replay console: the same console, rebuilt beat by beat from a recording, with
//! transport keys (step, jump to events or bars, play at ×0.5 to ×8), an optional ghost run on
//! the timeline, the debrief, and `f` to fork a live drill from the beat on screen.

use crate::debrief;
use crate::drill::Drill;
use crate::input::{Input, KeyCode};
use crate::keymap::{self, Act, Scope};
use crate::record::{Ghost, Replay};
use crate::scenario::Mark;
use crate::ui::chrome::Chrome;
use crate::ui::console;
use crate::ui::seat::{Command, Flash, Mode, SeatView};
use crate::ui::theme::Theme;
use crate::ui::widgets::document::DocCommand;
use crate::ui::widgets::document::Document;
use ratatui::layout::Rect;
use std::time::Duration;

/// Playback speeds offered by `-` and `+`.
pub const SPEEDS: [f64; 5] = [0.5, 1.0, 2.0, 4.0, 8.0];

/// The transport keys for the status line, from the keymap.
pub fn transport_hint() -> String {
    let k = |a| keymap::key_label(Scope::Replay, a);
    format!(
        "{}{} beat · {}{} event · {} bar · {} play · {}{} speed · {} fork · {} debrief · {} table · {} keys · {} quit",
        k(Act::StepBack),
        k(Act::StepForward),
        k(Act::PrevEvent),
        k(Act::NextEvent),
        k(Act::JumpBar),
        k(Act::Play),
        k(Act::Slower),
        k(Act::Faster),
        k(Act::Fork),
        k(Act::Debrief),
        k(Act::Table),
        k(Act::Help),
        k(Act::Quit)
    )
}

/// The replay console's state: a replay cursor plus one seat view onto it.
pub struct Trainer {
    pub replay: Replay,
    pub view: SeatView,
    pub ghost: Option<crate::ui::chrome::Ghost>,
    pub playing: bool,
    pub speed: usize,
    /// Digits typed after `b` (jump to bar).
    pub bar_entry: Option<String>,
    pub document: Option<Document>,
    /// A notice for the status line (a bad theme edit), before the recording's warnings.
    pub notice: Option<String>,
    /// The Decision Requirements Table opened on this beat: a copy to edit and export here
    /// (the recording is not changed).
    pub drt: Option<(crate::ui::drt::DrtView, crate::drt::Table)>,
    /// Rows a scribe marked here with "decision here" (the replay's copy, like the table).
    pub marks: Vec<crate::drt::Row>,
}

/// What a key asks of the replay shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainerCommand {
    Fork,
    Quit,
    /// File work for the open table (export, import, save): see [`Trainer::table_files`].
    Table(crate::ui::drt::DrtCommand),
}

/// Converts a reference run into the timeline's ghost overlay.
pub fn ghost_overlay(label: &str, ghost: &Ghost) -> crate::ui::chrome::Ghost {
    let mut marks = [None; 4];
    for (m, b) in &ghost.marks {
        marks[Mark::index(*m)] = Some(*b);
    }
    crate::ui::chrome::Ghost {
        label: label.to_string(),
        marks,
        cues: ghost.cues.iter().map(|c| c.beat).collect(),
    }
}

impl Trainer {
    pub fn new(replay: Replay, ghost: Option<crate::ui::chrome::Ghost>) -> Trainer {
        let seat = replay.header().seats.first().map_or(0, |s| s.seat);
        let mut view = SeatView::new(seat);
        view.mode = Mode::Playing;
        view.scope = Scope::Replay;
        Trainer {
            replay,
            view,
            ghost,
            playing: false,
            speed: 1,
            bar_entry: None,
            notice: None,
            document: None,
            drt: None,
            marks: Vec::new(),
        }
    }

    /// Lets the shell do the open table's file work; an import read well replaces its rows.
    pub fn table_files(
        &mut self,
        cmd: &crate::ui::drt::DrtCommand,
        work: impl FnOnce(
            &crate::ui::drt::DrtCommand,
            &crate::drt::Table,
            &mut crate::ui::drt::DrtView,
        ) -> Option<crate::drt::DrtInput>,
    ) {
        if let Some((view, table)) = &mut self.drt
            && let Some(edit) = work(cmd, table, view)
            && let Err(e) = table.apply(view.seat, &edit)
        {
            view.said(Err(e.to_string()));
        }
    }

    /// An input while the table is open: edits change this console's copy.
    fn table_input(&mut self, input: &Input, area: Rect) -> Option<TrainerCommand> {
        use crate::ui::drt::DrtCommand;
        let (view, table) = self.drt.as_mut()?;
        let mut close = false;
        for cmd in view.on_input(input, table, area) {
            match cmd {
                DrtCommand::Edit(e) => {
                    if let Err(why) = table.apply(view.seat, &e) {
                        view.said(Err(why.to_string()));
                    }
                }
                DrtCommand::Close => close = true,
                DrtCommand::Quit => return Some(TrainerCommand::Quit),
                other => return Some(TrainerCommand::Table(other)),
            }
        }
        if close {
            self.drt = None;
        }
        None
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
            None => transport_hint(),
        };
        let notice = (self.notice.clone()).or_else(|| self.replay.warnings().first().cloned());
        Chrome {
            pulse: false,
            mode: Some(mode),
            notice,
            news: None,
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

    /// Handles an input on a screen of size `area`.
    pub fn on_input(&mut self, input: &Input, area: Rect) -> Option<TrainerCommand> {
        if self.drt.is_some() {
            return self.table_input(input, area);
        }
        if let Some(doc) = &mut self.document {
            match doc.on_input(input, area) {
                Some(DocCommand::Close) => self.document = None,
                Some(DocCommand::Quit) => return Some(TrainerCommand::Quit),
                Some(DocCommand::Save) => {
                    doc.footer = "a replay saves nothing: `gamelan debrief REC -o FILE` writes this report · q back".into();
                }
                None => {}
            }
            return None;
        }
        let key = match input {
            Input::Key(k) => *k,
            // Clicks and the wheel are the seat view's: focus, zoom, scroll, cues.
            Input::Mouse(_) if self.bar_entry.is_none() => return self.seat_input(input, area),
            _ => return None,
        };
        if keymap::lookup(Scope::Replay, key) == Some(Act::Abort) {
            return Some(TrainerCommand::Quit);
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
        if self.view.help.is_some() {
            return self.seat_input(input, area);
        }
        let Some(act) = keymap::lookup(Scope::Replay, key) else {
            let fork = keymap::key_label(Scope::Replay, Act::Fork);
            let help = keymap::key_label(Scope::Replay, Act::Help);
            self.flash(&format!(
                "this is a replay: {fork} forks a live drill from here · {help} keys"
            ));
            return None;
        };
        self.view.flash = None;
        match act {
            Act::StepBack => drop(self.replay.step(-1)),
            Act::StepForward => drop(self.replay.step(1)),
            Act::PrevEvent => {
                if self.replay.prev_event().is_none() {
                    self.flash("no earlier cue or inject");
                }
            }
            Act::NextEvent => {
                if self.replay.next_event().is_none() {
                    self.flash("no later cue or inject");
                }
            }
            Act::First => drop(self.replay.seek(0)),
            Act::Last => drop(self.replay.seek(u64::MAX)),
            Act::JumpBar => self.bar_entry = Some(String::new()),
            Act::Play => {
                if self.replay.position() >= self.replay.last_beat() {
                    self.replay.seek(0);
                }
                self.playing = !self.playing;
            }
            Act::Slower => self.speed = self.speed.saturating_sub(1),
            Act::Faster => self.speed = (self.speed + 1).min(SPEEDS.len() - 1),
            Act::Fork => return Some(TrainerCommand::Fork),
            Act::Debrief => {
                let d = debrief::from_replay(&self.replay);
                self.document = Some(Document::new(
                    "debrief (whole recording)",
                    debrief::markdown(&d),
                    "↑↓ scroll · q back",
                ));
            }
            Act::Quit | Act::Abort => return Some(TrainerCommand::Quit),
            // Everything else is the seat view's: focus, zoom, scroll, help, pages.
            other => {
                let drill = self.replay.drill().clone();
                let cmds = self.view.act(other, &drill);
                return self.seat_commands(cmds);
            }
        }
        None
    }

    /// Hands an input to the seat view (help scrolling, clicks, the wheel).
    fn seat_input(&mut self, input: &Input, area: Rect) -> Option<TrainerCommand> {
        let drill = self.replay.drill().clone();
        let cmds = self.view.on_input(input, &drill, area);
        self.seat_commands(cmds)
    }

    fn seat_commands(&mut self, cmds: Vec<Command>) -> Option<TrainerCommand> {
        // The view may not leave the drill's own modes on a replay.
        self.view.mode = Mode::Playing;
        for cmd in cmds {
            match cmd {
                Command::Quit => return Some(TrainerCommand::Quit),
                Command::Drill(action @ crate::drill::Action::DecisionHere { .. }) => {
                    // Marked on a copy of this beat's drill: the recording is not changed.
                    let mut at = self.replay.drill().clone();
                    at.apply(&crate::drill::Input::new(self.view.seat, action));
                    let mark = crate::drt::from_drill(&at)
                        .rows
                        .into_iter()
                        .rfind(|r| r.origin == crate::drt::Origin::Mark);
                    if let Some(row) = mark {
                        self.marks.push(row);
                        let table = keymap::key_label(Scope::Replay, Act::Table);
                        self.flash(&format!(
                            "decision marked at {} in this replay's table ({table} opens it)",
                            at.scenario.bar_beat(at.beat)
                        ));
                    }
                }
                Command::Drill(_) | Command::Start => {
                    let fork = keymap::key_label(Scope::Replay, Act::Fork);
                    self.flash(&format!(
                        "this is a replay: press {fork} to fork and play on from here"
                    ))
                }
                Command::Debrief | Command::DebriefHtml => {}
                Command::Table => {
                    let drill = self.replay.drill();
                    let mut v = crate::ui::drt::DrtView::new(self.view.seat);
                    v.names = drill.seats.iter().map(|s| (s.id, s.name.clone())).collect();
                    v.status = Some((
                        format!(
                            "the table at beat {}: edits here change this copy; export it to keep them",
                            self.replay.position()
                        ),
                        false,
                    ));
                    let mut table = drill.drt_table();
                    table.rows.extend(self.marks.iter().cloned());
                    self.drt = Some((v, table));
                }
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
        if let Some((v, t)) = &self.drt {
            return crate::ui::drt::draw(buf, area, t, v, theme);
        }
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
