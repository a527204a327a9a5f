//! Seats: terminals attached to a room. A seat session holds one participant's view state and
//! turns their keys and clicks into room inputs; the local terminal, a joined terminal (Unix socket) and
//! an SSH channel all use it, and differ only in how bytes reach the screen.

pub mod driver;
pub mod drt_files;
pub mod keybytes;
pub mod local;
pub mod session;
pub mod socket;
pub mod ssh;

use crate::drill::{Action, Drill, SeatId};
use crate::input::Input;
use crate::room::{Room, RoomState};
use crate::ui::chrome::Chrome;
use crate::ui::console;
use crate::ui::seat::{Command, Mode, SeatView};
use crate::ui::theme::Theme;
use crate::ui::widgets::document::{DocCommand, Document};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::time::Duration;
use tokio::time::Instant;

/// How long the pulse stays lit after a beat.
pub const PULSE: Duration = Duration::from_millis(150);

/// One participant's session in a room.
pub struct SeatSession {
    pub room: Room,
    pub seat: SeatId,
    pub view: SeatView,
    pub chrome: Chrome,
    pub document: Option<Document>,
    /// The Decision Requirements Table, when open (after the drill).
    pub drt: Option<crate::ui::drt::DrtView>,
    drt_files: drt_files::DrtFiles,
    /// A running vista whose panes this seat shows beside the drill (the local terminal's
    /// `--vista`); each frame draws its last published snapshot.
    pub live: Option<crate::vista::VistaHandle>,
    seen_log: usize,
    last_beat: u64,
    pulse_until: Option<Instant>,
}

impl SeatSession {
    pub fn new(room: Room, seat: SeatId) -> SeatSession {
        let state = room.state();
        let state = state.borrow();
        let mut view = SeatView::new(seat);
        if state.started {
            view.mode = Mode::Playing;
        }
        SeatSession {
            seen_log: state.drill.log.len(),
            last_beat: state.drill.beat,
            room: room.clone(),
            seat,
            view,
            chrome: Chrome::default(),
            document: None,
            drt: None,
            drt_files: Default::default(),
            live: None,
            pulse_until: None,
        }
    }

    /// What a seat that may not start the drill is told: the name of the seat that conducts
    /// (short, to fit the status line of an 80-column seat).
    pub fn waiting_for_conductor(drill: &Drill) -> String {
        match drill.conductor() {
            Some(c) => format!("waiting for {} to start", c.name),
            None => "waiting for someone to conduct".into(),
        }
    }

    /// Takes in a new room state: flashes this seat's rejected inputs, lights the pulse on a
    /// new beat, leaves the briefing once the room has started.
    pub fn observe(&mut self, state: &RoomState) {
        let drill = &state.drill;
        if self.seen_log <= drill.log.len() {
            self.view.observe(&drill.log[self.seen_log..]);
        }
        self.seen_log = drill.log.len();
        if drill.beat != self.last_beat {
            self.last_beat = drill.beat;
            self.chrome.pulse = true;
            self.pulse_until = Some(Instant::now() + PULSE);
        }
        if state.started {
            if self.view.mode == Mode::Briefing {
                // "waiting for … to start" is over.
                self.view.flash = None;
            }
            self.view.started();
        }
        if state.notice.is_some() && state.notice != self.chrome.notice {
            // A new room notice (the recording stopped) is not to hide behind a stale flash.
            self.view.flash = None;
        }
        if state.notice.is_some() && state.notice != self.chrome.notice {
            // A new room notice (the recording stopped) is not to hide behind a stale flash.
            self.view.flash = None;
        }
        self.chrome.notice = state.notice.clone().or_else(|| self.chrome.notice.take());
    }

    /// When the seat next needs a redraw on its own (the pulse going dark).
    pub fn wakeup(&self) -> Option<Instant> {
        self.pulse_until
    }

    pub fn on_wakeup(&mut self) {
        self.chrome.pulse = false;
        self.pulse_until = None;
    }

    /// Handles an input on a screen of size `area`; returns true when the seat leaves.
    pub async fn on_input(&mut self, input: &Input, state: &RoomState, area: Rect) -> bool {
        if let Some(doc) = &mut self.document {
            match doc.on_input(input, area) {
                Some(DocCommand::Save) => save(doc).await,
                Some(DocCommand::Close) => self.document = None,
                Some(DocCommand::Quit) => {
                    let _ = self.room.send(self.seat, Action::Leave).await;
                    return true;
                }
                None => {}
            }
            return false;
        }
        let drill = &state.drill;
        if self.drt.is_some() {
            return self.on_table_input(input, drill, area).await;
        }
        for cmd in self.view.on_input(input, drill, area) {
            match cmd {
                Command::Quit => {
                    let _ = self.room.send(self.seat, Action::Leave).await;
                    return true;
                }
                Command::Start => {
                    if drill.conducts(self.seat) {
                        self.view.mode = Mode::Playing;
                        self.room.start().await;
                    } else {
                        self.view.mode = Mode::Briefing;
                        self.view.flash = Some(crate::ui::seat::Flash {
                            text: Self::waiting_for_conductor(drill),
                            error: false,
                        });
                    }
                }
                Command::Drill(a) => {
                    if self.room.send(self.seat, a).await.is_err() {
                        return true;
                    }
                }
                Command::Debrief => self.open_debrief(drill),
                Command::DebriefHtml => self.write_html(drill).await,
                Command::Table => {
                    let mut v = crate::ui::drt::DrtView::new(self.seat);
                    v.names = seat_names(drill);
                    self.drt = Some(v);
                }
            }
        }
        false
    }

    /// An input while the table is open: edits go to the room as drill inputs (recorded, seen
    /// by every seat as typed), file work is done here; true when the seat leaves.
    async fn on_table_input(&mut self, input: &Input, drill: &Drill, area: Rect) -> bool {
        let Some(view) = &mut self.drt else {
            return false;
        };
        let table = drill.drt_table();
        view.names = seat_names(drill);
        for cmd in view.on_input(input, &table, area) {
            let edit = match &cmd {
                crate::ui::drt::DrtCommand::Edit(e) => Some(e.clone()),
                crate::ui::drt::DrtCommand::Close => {
                    let _ = self
                        .room
                        .send(self.seat, Action::Drt(crate::drt::DrtInput::Release))
                        .await;
                    self.drt = None;
                    return false;
                }
                crate::ui::drt::DrtCommand::Quit => {
                    let _ = self.room.send(self.seat, Action::Leave).await;
                    return true;
                }
                other => self.drt_files.run_off_thread(other, &table, view).await,
            };
            if let Some(e) = edit
                && self.room.send(self.seat, Action::Drt(e)).await.is_err()
            {
                return true;
            }
        }
        false
    }

    /// Opens the after-action report of the drill, ready to save beside its recording.
    fn open_debrief(&mut self, drill: &Drill) {
        let report = crate::debrief::build(drill, &[]);
        let mut doc = Document::new(
            "debrief",
            crate::debrief::markdown(&report),
            "s save · ↑↓ scroll · q back",
        );
        doc.save_to = self
            .room
            .recording
            .as_ref()
            .map(|p| p.with_extension("debrief.md"));
        self.document = Some(doc);
    }

    /// Writes the HTML debrief of the drill beside its recording, on the blocking pool, and
    /// says where on the status line (or why not).
    async fn write_html(&mut self, drill: &Drill) {
        let Some(to) = self
            .room
            .recording
            .as_ref()
            .map(|p| p.with_extension("debrief.html"))
        else {
            self.view.flash = Some(crate::ui::seat::Flash {
                text: "this drill is not recorded: nowhere to write the HTML debrief".into(),
                error: true,
            });
            return;
        };
        let page = crate::debrief::html(&crate::debrief::build(drill, &[]));
        let path = to.clone();
        let written = tokio::task::spawn_blocking(move || std::fs::write(&path, page)).await;
        self.view.flash = Some(match written {
            Ok(Ok(())) => crate::ui::seat::Flash {
                text: format!("wrote {}", to.display()),
                error: false,
            },
            Ok(Err(e)) => crate::ui::seat::Flash {
                text: format!("could not write {}: {e}", to.display()),
                error: true,
            },
            Err(e) => crate::ui::seat::Flash {
                text: format!("could not write {}: {e}", to.display()),
                error: true,
            },
        });
    }

    /// Draws this seat's frame.
    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme, state: &RoomState) {
        match (&self.document, &self.drt) {
            (Some(doc), _) => doc.draw(buf, area, theme),
            (None, Some(v)) => {
                crate::ui::drt::draw(buf, area, &state.drill.drt_table(), v, theme);
            }
            (None, None) => console::draw(buf, area, &state.drill, &self.view, theme, &self.chrome),
        }
    }
}

/// Every seat's name, for the table's claim marks.
pub fn seat_names(drill: &Drill) -> Vec<(crate::drill::SeatId, String)> {
    drill.seats.iter().map(|s| (s.id, s.name.clone())).collect()
}

/// Saves a document where it says, on the blocking pool (a seat's task also serves its room's
/// other seats' runtime threads), and says how it went on its footer.
async fn save(doc: &mut Document) {
    let Some(path) = doc.save_to.clone() else {
        doc.saved(Ok(()));
        return;
    };
    let body = doc.body.clone();
    let written = tokio::task::spawn_blocking(move || std::fs::write(&path, body)).await;
    doc.saved(match written {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    });
}
