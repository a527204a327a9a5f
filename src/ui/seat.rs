//! One seat's view of a drill: focus, zoom, scroll, overlays, and the keys that change them.
//! Pure and terminal-free, so the local terminal, a joined terminal and an SSH channel all
//! share it; only the drill's state is shared between seats.

use crate::drill::{Action, Drill, Event, LogEntry, SeatId, Status};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

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
    /// Typing a note at the current beat.
    Note(String),
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
    Quit,
}

/// A short message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
}

/// Per-seat view state.
#[derive(Debug, Clone)]
pub struct SeatView {
    pub seat: SeatId,
    pub focus: Pane,
    pub zoom: bool,
    pub help: bool,
    pub mode: Mode,
    /// Lines scrolled back from the newest entry in the feed, and down in the runbook.
    pub feed_scroll: usize,
    pub runbook_scroll: usize,
    /// A runbook page picked with `[`/`]`; `None` follows the drill's latest page.
    pub page: Option<usize>,
    pub flash: Option<Flash>,
    /// The end-of-drill banner was put away.
    pub end_dismissed: bool,
}

impl SeatView {
    pub fn new(seat: SeatId) -> SeatView {
        SeatView {
            seat,
            focus: Pane::Signals,
            zoom: false,
            help: false,
            mode: Mode::Briefing,
            feed_scroll: 0,
            runbook_scroll: 0,
            page: None,
            flash: None,
            end_dismissed: false,
        }
    }

    /// Handles one key press; returns what the shell should do.
    pub fn on_key(&mut self, key: KeyEvent, drill: &Drill) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return vec![Command::Quit];
        }
        self.flash = None;
        if self.help {
            self.help = false;
            return Vec::new();
        }
        match std::mem::replace(&mut self.mode, Mode::Playing) {
            Mode::Note(text) => self.note_key(key, text),
            Mode::ConfirmQuit => match key.code {
                KeyCode::Char('y' | 'Y' | 'q') => vec![Command::Quit],
                _ => Vec::new(),
            },
            Mode::Contingency => self.contingency_key(key, drill),
            Mode::Briefing => match key.code {
                KeyCode::Enter | KeyCode::Char(' ') => vec![Command::Start],
                KeyCode::Char('q') | KeyCode::Esc => vec![Command::Quit],
                KeyCode::Char('?') => {
                    self.help = true;
                    self.mode = Mode::Briefing;
                    Vec::new()
                }
                _ => {
                    self.mode = Mode::Briefing;
                    Vec::new()
                }
            },
            Mode::Playing => self.play_key(key, drill),
        }
    }

    fn note_key(&mut self, key: KeyEvent, mut text: String) -> Vec<Command> {
        match key.code {
            KeyCode::Enter if !text.trim().is_empty() => {
                self.flash = Some(Flash {
                    text: "note saved".into(),
                    error: false,
                });
                return vec![Command::Drill(Action::Note {
                    text: text.trim().to_string(),
                })];
            }
            KeyCode::Enter | KeyCode::Esc => return Vec::new(),
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) if !c.is_control() && text.chars().count() < 500 => text.push(c),
            _ => {}
        }
        self.mode = Mode::Note(text);
        Vec::new()
    }

    fn contingency_key(&mut self, key: KeyEvent, drill: &Drill) -> Vec<Command> {
        let KeyCode::Char(c) = key.code else {
            return Vec::new();
        };
        let Some(n) = c.to_digit(10).filter(|n| *n > 0) else {
            return Vec::new();
        };
        match contingencies(drill).nth(n as usize - 1) {
            Some(i) => vec![Command::Drill(Action::Fire {
                inject: drill.scenario.injects[i].id.clone(),
            })],
            None => Vec::new(),
        }
    }

    fn play_key(&mut self, key: KeyEvent, drill: &Drill) -> Vec<Command> {
        let ended = drill.is_ended();
        let one = |a: Action| vec![Command::Drill(a)];
        if ended && !self.end_dismissed && matches!(key.code, KeyCode::Enter | KeyCode::Esc) {
            self.end_dismissed = true;
            return Vec::new();
        }
        match key.code {
            KeyCode::Tab => self.cycle(1),
            KeyCode::BackTab => self.cycle(Pane::ALL.len() - 1),
            KeyCode::Enter => self.zoom = !self.zoom,
            KeyCode::Esc => self.zoom = false,
            KeyCode::Up => self.scroll(1, true),
            KeyCode::Down => self.scroll(1, false),
            KeyCode::PageUp => self.scroll(10, true),
            KeyCode::PageDown => self.scroll(10, false),
            KeyCode::Char('?') => self.help = true,
            KeyCode::Char('q') if ended => return vec![Command::Quit],
            KeyCode::Char('q') => self.mode = Mode::ConfirmQuit,
            KeyCode::Char('d') if ended => return vec![Command::Debrief],
            KeyCode::Char('n') => self.mode = Mode::Note(String::new()),
            KeyCode::Char('[') => self.turn_page(drill, false),
            KeyCode::Char(']') => self.turn_page(drill, true),
            _ if ended => {
                self.flash = Some(Flash {
                    text: "the drill has ended: d debrief · q quit".into(),
                    error: false,
                })
            }
            KeyCode::Char(' ') => {
                return one(if drill.status == Status::Paused {
                    Action::Resume
                } else {
                    Action::Pause
                });
            }
            KeyCode::Char('+' | '=') => {
                return one(Action::Tempo {
                    bpm: drill.bpm.saturating_add(10),
                });
            }
            KeyCode::Char('-') => {
                return one(Action::Tempo {
                    bpm: drill.bpm.saturating_sub(10),
                });
            }
            KeyCode::Char('h') => return one(Action::Hint),
            KeyCode::Char('c') => {
                if contingencies(drill).next().is_some() {
                    self.mode = Mode::Contingency;
                } else {
                    self.flash = Some(Flash {
                        text: "no contingency injects left".into(),
                        error: false,
                    });
                }
            }
            KeyCode::Char(c) => match drill.scenario.cue_for_key(c) {
                Some(i) => {
                    return one(Action::Cue {
                        cue: drill.scenario.cues[i].id.clone(),
                    });
                }
                // A facilitator's option of an open decision point.
                None if drill.option_on_key(c).is_some() => {
                    let (d, o) = drill.option_on_key(c).unwrap_or_default();
                    let dec = &drill.scenario.decisions[d];
                    return one(Action::Decide {
                        decision: dec.id.clone(),
                        option: dec.options[o].id.clone(),
                    });
                }
                None => {
                    self.flash = Some(Flash {
                        text: format!("nothing on `{c}` — press ? for the keys"),
                        error: true,
                    });
                }
            },
            _ => {}
        }
        Vec::new()
    }

    fn cycle(&mut self, by: usize) {
        self.focus = Pane::ALL[(self.focus.index() + by) % Pane::ALL.len()];
    }

    fn scroll(&mut self, by: usize, up: bool) {
        let slot = match self.focus {
            Pane::Feed => &mut self.feed_scroll,
            Pane::Runbook => &mut self.runbook_scroll,
            _ => return,
        };
        // The feed counts back from the newest line; the runbook counts down from the top.
        let back = up == (self.focus == Pane::Feed);
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
