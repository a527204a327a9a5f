//! One seat's view of a drill: focus, zoom, scroll, overlays, and the inputs that change them.
//! Pure and terminal-free, so the local terminal, a joined terminal and an SSH channel all
//! share it; only the drill's state is shared between seats. Keys are dispatched through the
//! keymap ([`crate::keymap`]); a click on a cue goes through the same call as its key.

use crate::drill::{Action, Drill, Event, LogEntry, SeatId, Status};
use crate::input::{Input, Key, KeyCode};
use crate::keymap::{self, Act, Scope};
use crate::ui::console;
use crate::ui::help;
use ratatui::layout::Rect;

mod mouse;

/// The panes a seat can focus, in `tab` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Signals,
    Health,
    Feed,
    Runbook,
    Cues,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Signals,
        Pane::Health,
        Pane::Feed,
        Pane::Runbook,
        Pane::Cues,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Signals => "vista",
            Pane::Health => "alerts · SLO",
            Pane::Feed => "feed",
            Pane::Runbook => "runbook",
            Pane::Cues => "cues",
        }
    }

    fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// What the seat is doing with the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The briefing is shown; the metronome waits for Enter.
    Briefing,
    Playing,
    /// Typing a note at the current beat; `briefing` when it was opened on the briefing,
    /// which comes back once the note is saved or cancelled.
    Note {
        text: String,
        briefing: bool,
    },
    /// Asked whether to leave a running drill.
    ConfirmQuit,
    /// Choosing a contingency inject to fire (facilitator).
    Contingency,
}

/// What a key asks of the shell around the seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// An input for the drill core, from this seat.
    Drill(Action),
    /// Start the metronome (the briefing was dismissed).
    Start,
    /// Show the debrief (after the drill ends).
    Debrief,
    /// Write the HTML debrief beside the recording and say where (after the drill ends).
    DebriefHtml,
    /// Open the Decision Requirements Table (after the drill ends, in a replay).
    Table,
    Quit,
}

/// A short message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
}

/// Longest note, in characters.
const NOTE_MAX: usize = 500;

/// Per-seat view state.
#[derive(Debug, Clone)]
pub struct SeatView {
    pub seat: SeatId,
    /// [`Scope::Drill`] for a live drill, [`Scope::Replay`] in the replay console: whose keys
    /// the help lists.
    pub scope: Scope,
    pub focus: Pane,
    pub zoom: bool,
    /// The help overlay is open, scrolled to this line.
    pub help: Option<usize>,
    pub mode: Mode,
    /// Lines scrolled back from the newest entry in the feed, and down in the runbook.
    pub feed_scroll: usize,
    pub runbook_scroll: usize,
    /// A runbook page picked with `[`/`]`; `None` follows the drill's latest page.
    pub page: Option<usize>,
    pub flash: Option<Flash>,
    /// The end-of-drill banner was put away.
    pub end_dismissed: bool,
    /// The first line of the briefing shown (a long briefing scrolls).
    pub briefing_top: usize,
}

impl SeatView {
    pub fn new(seat: SeatId) -> SeatView {
        SeatView {
            seat,
            scope: Scope::Drill,
            focus: Pane::Signals,
            zoom: false,
            help: None,
            mode: Mode::Briefing,
            feed_scroll: 0,
            runbook_scroll: 0,
            page: None,
            flash: None,
            end_dismissed: false,
            briefing_top: 0,
        }
    }

    /// The room has started: the briefing gives way to the drill (a note being written on
    /// it stays open, and comes back to the drill).
    pub fn started(&mut self) {
        match &mut self.mode {
            Mode::Briefing => self.mode = Mode::Playing,
            Mode::Note { briefing, .. } => *briefing = false,
            _ => {}
        }
    }

    /// Handles one input on a screen of size `area`; returns what the shell should do.
    pub fn on_input(&mut self, input: &Input, drill: &Drill, area: Rect) -> Vec<Command> {
        match input {
            Input::Key(k) => self.on_key(*k, drill, area),
            Input::Mouse(m) => self.on_mouse(m, drill, area),
            Input::Paste(text) => {
                if let Mode::Note { text: note, .. } = &mut self.mode {
                    let room = NOTE_MAX.saturating_sub(note.chars().count());
                    note.extend(
                        text.chars()
                            .map(|c| if c.is_whitespace() { ' ' } else { c })
                            .filter(|c| !c.is_control())
                            .take(room),
                    );
                }
                Vec::new()
            }
            Input::Resize(..) => Vec::new(),
        }
    }

    /// The help overlay's lines for this seat's screen.
    pub fn help_lines(&self, drill: &Drill) -> Vec<help::Line> {
        help::console_lines(drill, self.scope)
    }

    /// Handles one key press.
    pub fn on_key(&mut self, key: Key, drill: &Drill, area: Rect) -> Vec<Command> {
        if keymap::lookup(Scope::Drill, key) == Some(Act::Abort) {
            return vec![Command::Quit];
        }
        self.flash = None;
        if let Some(top) = self.help {
            let lines = self.help_lines(drill);
            self.help = help::on_input(top, &Input::Key(key), area, &lines);
            return Vec::new();
        }
        match std::mem::replace(&mut self.mode, Mode::Playing) {
            Mode::Note { text, briefing } => self.note_key(key, text, briefing),
            Mode::ConfirmQuit => match key.typed() {
                Some('y' | 'Y' | 'q') => vec![Command::Quit],
                _ => Vec::new(),
            },
            Mode::Contingency => self.contingency_key(key, drill),
            Mode::Briefing => {
                self.mode = Mode::Briefing;
                self.briefing_key(key, drill, area)
            }
            Mode::Playing => self.play_key(key, drill),
        }
    }

    /// Scrolls a briefing longer than the screen.
    fn scroll_briefing(&mut self, act: Act, wheel: isize, drill: &Drill, area: Rect) {
        let lines = console::briefing_lines(drill);
        let hint = briefing_hint();
        let b = console::briefing(&lines, &hint);
        self.briefing_top = if wheel != 0 {
            b.wheel(self.briefing_top, wheel, area)
        } else {
            b.scroll(self.briefing_top, act, area)
        };
    }

    fn briefing_key(&mut self, key: Key, drill: &Drill, area: Rect) -> Vec<Command> {
        match keymap::lookup(Scope::Briefing, key) {
            Some(act @ (Act::ScrollUp | Act::ScrollDown | Act::PageUp | Act::PageDown)) => {
                self.scroll_briefing(act, 0, drill, area);
                Vec::new()
            }
            Some(Act::Start) => vec![Command::Start],
            Some(Act::Quit | Act::Abort) => vec![Command::Quit],
            Some(Act::Help) => {
                self.help = Some(0);
                Vec::new()
            }
            Some(Act::Note) => {
                self.mode = Mode::Note {
                    text: String::new(),
                    briefing: true,
                };
                Vec::new()
            }
            Some(Act::Setlist) => {
                self.flash = Some(not_in_a_session());
                Vec::new()
            }
            _ => {
                self.flash = Some(Flash {
                    text: briefing_hint(),
                    error: false,
                });
                Vec::new()
            }
        }
    }

    fn note_key(&mut self, key: Key, mut text: String, briefing: bool) -> Vec<Command> {
        let back = if briefing {
            Mode::Briefing
        } else {
            Mode::Playing
        };
        match key.code {
            KeyCode::Enter if !text.trim().is_empty() => {
                self.mode = back;
                self.flash = Some(Flash {
                    text: "note saved".into(),
                    error: false,
                });
                return vec![Command::Drill(Action::Note {
                    text: text.trim().to_string(),
                })];
            }
            KeyCode::Enter | KeyCode::Esc => {
                self.mode = back;
                return Vec::new();
            }
            KeyCode::Backspace => {
                text.pop();
            }
            _ => {
                if let Some(c) = key.typed()
                    && !c.is_control()
                    && text.chars().count() < NOTE_MAX
                {
                    text.push(c);
                }
            }
        }
        self.mode = Mode::Note { text, briefing };
        Vec::new()
    }

    fn contingency_key(&mut self, key: Key, drill: &Drill) -> Vec<Command> {
        let Some(n) = key.typed().and_then(|c| c.to_digit(10)).filter(|n| *n > 0) else {
            return Vec::new();
        };
        match contingencies(drill).nth(n as usize - 1) {
            Some(i) => vec![Command::Drill(Action::Fire {
                inject: drill.scenario.injects[i].id.clone(),
            })],
            None => Vec::new(),
        }
    }

    fn play_key(&mut self, key: Key, drill: &Drill) -> Vec<Command> {
        let scope = if drill.is_ended() {
            Scope::Ended
        } else {
            Scope::Drill
        };
        match keymap::lookup(scope, key) {
            Some(act) => self.act(act, drill),
            None => match key.typed() {
                Some(c) => self.press(c, drill),
                None => Vec::new(),
            },
        }
    }

    /// Does what a console action asks (the keys the drill and the replay share, and the
    /// drill's own). The replay console hands its shared keys here too.
    pub fn act(&mut self, act: Act, drill: &Drill) -> Vec<Command> {
        let ended = drill.is_ended();
        let one = |a: Action| vec![Command::Drill(a)];
        if ended && !self.end_dismissed && matches!(act, Act::Zoom | Act::Unzoom) {
            self.end_dismissed = true;
            return Vec::new();
        }
        match act {
            Act::FocusNext => self.cycle(1),
            Act::FocusPrev => self.cycle(Pane::ALL.len() - 1),
            Act::Zoom => self.zoom = !self.zoom,
            Act::Unzoom => self.zoom = false,
            Act::ScrollUp => self.scroll(self.focus, 1, true),
            Act::ScrollDown => self.scroll(self.focus, 1, false),
            Act::PageUp => self.scroll(self.focus, 10, true),
            Act::PageDown => self.scroll(self.focus, 10, false),
            Act::Help => self.help = Some(0),
            Act::Abort => return vec![Command::Quit],
            Act::Quit if ended => return vec![Command::Quit],
            Act::Quit => self.mode = Mode::ConfirmQuit,
            Act::Debrief => return vec![Command::Debrief],
            Act::DebriefHtml if ended => return vec![Command::DebriefHtml],
            Act::Table => return vec![Command::Table],
            Act::DecisionHere => {
                self.flash = Some(Flash {
                    text: format!(
                        "decision marked at {}: a row of the Decision Requirements Table",
                        drill.scenario.bar_beat(drill.beat)
                    ),
                    error: false,
                });
                return one(Action::DecisionHere {
                    text: String::new(),
                });
            }
            // A session's seat takes this key before the console; here there is no setlist.
            Act::Setlist => self.flash = Some(not_in_a_session()),
            Act::Note => {
                self.mode = Mode::Note {
                    text: String::new(),
                    briefing: false,
                }
            }
            Act::PrevPage => self.turn_page(drill, false),
            Act::NextPage => self.turn_page(drill, true),
            Act::Pause => {
                return one(if drill.status == Status::Paused {
                    Action::Resume
                } else {
                    Action::Pause
                });
            }
            Act::TempoUp => {
                return one(Action::Tempo {
                    bpm: drill.bpm.saturating_add(10),
                });
            }
            Act::TempoDown => {
                return one(Action::Tempo {
                    bpm: drill.bpm.saturating_sub(10),
                });
            }
            Act::Hint => return one(Action::Hint),
            Act::Contingency => {
                if contingencies(drill).next().is_some() {
                    self.mode = Mode::Contingency;
                } else {
                    self.flash = Some(Flash {
                        text: "no contingency injects left".into(),
                        error: false,
                    });
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// A character that is not one of the console's keys: the cue bound to it, if any. Keys
    /// and clicks on a cue both come here, so they are checked and recorded alike.
    pub fn press(&mut self, c: char, drill: &Drill) -> Vec<Command> {
        if drill.is_ended() {
            self.flash = Some(Flash {
                text: format!(
                    "the drill has ended: {} debrief · {} quit",
                    keymap::key_label(Scope::Ended, Act::Debrief),
                    keymap::key_label(Scope::Ended, Act::Quit)
                ),
                error: false,
            });
            return Vec::new();
        }
        match drill.scenario.cue_for_key(c) {
            Some(i) => vec![Command::Drill(Action::Cue {
                cue: drill.scenario.cues[i].id.clone(),
            })],
            // A facilitator's option of an open decision point.
            None if drill.option_on_key(c).is_some() => {
                let (d, o) = drill.option_on_key(c).unwrap_or_default();
                let dec = &drill.scenario.decisions[d];
                vec![Command::Drill(Action::Decide {
                    decision: dec.id.clone(),
                    option: dec.options[o].id.clone(),
                })]
            }
            None => {
                self.flash = Some(Flash {
                    text: format!(
                        "nothing on `{c}` — press {} for the keys",
                        keymap::key_label(Scope::Drill, Act::Help)
                    ),
                    error: true,
                });
                Vec::new()
            }
        }
    }

    fn cycle(&mut self, by: usize) {
        self.focus = Pane::ALL[(self.focus.index() + by) % Pane::ALL.len()];
    }

    fn scroll(&mut self, pane: Pane, by: usize, up: bool) {
        let slot = match pane {
            Pane::Feed => &mut self.feed_scroll,
            Pane::Runbook => &mut self.runbook_scroll,
            _ => return,
        };
        // The feed counts back from the newest line; the runbook counts down from the top.
        let back = up == (pane == Pane::Feed);
        *slot = if back {
            slot.saturating_add(by)
        } else {
            slot.saturating_sub(by)
        };
    }

    fn turn_page(&mut self, drill: &Drill, forward: bool) {
        let visible: Vec<usize> = (0..drill.revealed.len())
            .filter(|i| drill.revealed[*i])
            .collect();
        if visible.is_empty() {
            return;
        }
        let current = self
            .page_shown(drill)
            .and_then(|p| visible.iter().position(|v| *v == p))
            .unwrap_or(0);
        let next = if forward {
            (current + 1) % visible.len()
        } else {
            (current + visible.len() - 1) % visible.len()
        };
        self.page = Some(visible[next]);
        self.runbook_scroll = 0;
    }

    /// The runbook page this seat sees.
    pub fn page_shown(&self, drill: &Drill) -> Option<usize> {
        self.page
            .filter(|p| drill.revealed.get(*p) == Some(&true))
            .or(drill.open_page)
    }

    /// Takes note of what the drill just did: this seat's rejected inputs flash on its status
    /// line, and a newly revealed page is followed.
    pub fn observe(&mut self, entries: &[LogEntry]) {
        for e in entries {
            match &e.event {
                Event::Rejected { seat, what, reason } if *seat == self.seat => {
                    self.flash = Some(Flash {
                        text: format!("{what}: {reason}"),
                        error: true,
                    });
                }
                Event::CueLanded { .. } => {
                    self.page = None;
                    self.runbook_scroll = 0;
                }
                _ => {}
            }
        }
    }
}

/// What the setlist key says in a drill that is not part of a session.
fn not_in_a_session() -> Flash {
    Flash {
        text: format!(
            "{} moves a session's setlist: this drill is not part of a session",
            keymap::key_label(Scope::Drill, Act::Setlist)
        ),
        error: false,
    }
}

/// What the briefing's keys do, from the keymap: said on the briefing and when another key
/// is pressed there.
pub fn briefing_hint() -> String {
    let k = |a| keymap::key_label(Scope::Briefing, a);
    let start = k(Act::Start);
    let mut first = start.chars();
    let start: String = first
        .next()
        .map(|c| c.to_uppercase().chain(first).collect())
        .unwrap_or_default();
    format!(
        "{start} starts the metronome · {} writes a note · {} keys · {} leaves",
        k(Act::Note),
        k(Act::Help),
        k(Act::Quit)
    )
}

/// Contingency injects not yet fired, in scenario order.
pub fn contingencies(drill: &Drill) -> impl Iterator<Item = usize> + '_ {
    drill
        .scenario
        .injects
        .iter()
        .enumerate()
        .filter(|(i, inj)| inj.contingency && !drill.injects_done[*i])
        .map(|(i, _)| i)
}
