//! What the keyboard is doing on a session screen besides the segment's keys: typing a note,
//! a remark, a question or an escalation; picking a seat or a theme from a list; confirming
//! a step that cannot be taken back. The lists are read from the session each time, so a
//! seat that leaves while the list is open drops out of it.

use crate::session::state::Activity;
use crate::session::{SeatId, Session};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::text::{clean, fit};
use crate::ui::widgets::{block, popup};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};

/// Longest text typed into an entry, in characters (the core keeps as many).
pub const ENTRY_MAX: usize = crate::session::limits::TEXT;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The segment's own keys.
    Browse,
    Entry(Entry),
    Pick(Picker),
    Confirm(Confirm),
}

/// A line of text being typed; `enter` sends it, `esc` drops it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Note,
    /// On this pane of the walkthrough's vista.
    Remark {
        pane: usize,
    },
    Ask {
        pane: usize,
    },
    Escalate,
    /// On a cell of the matrix: `(row, column)`.
    CellNote {
        row: usize,
        col: usize,
    },
}

impl EntryKind {
    /// The prompt before the text on the status line.
    pub fn prompt(self) -> &'static str {
        match self {
            EntryKind::Note => "note (TODO: … becomes an action item)",
            EntryKind::Remark { .. } => "remark on the pane in focus",
            EntryKind::Ask { .. } => "question on the pane in focus",
            EntryKind::Escalate => "I would escalate to",
            EntryKind::CellNote { .. } => "note on the cell (empty clears it)",
        }
    }
}

impl Entry {
    pub fn new(kind: EntryKind) -> Entry {
        Entry {
            kind,
            text: String::new(),
        }
    }

    /// Adds typed or pasted text: whitespace becomes spaces, control characters are
    /// dropped, at most [`ENTRY_MAX`] characters in all.
    pub fn push(&mut self, text: &str) {
        let room = ENTRY_MAX.saturating_sub(self.text.chars().count());
        self.text.extend(
            text.chars()
                .map(|c| if c.is_whitespace() { ' ' } else { c })
                .filter(|c| !c.is_control())
                .take(room),
        );
    }
}

/// A list to pick from; `enter` takes the chosen row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Picker {
    pub kind: PickerKind,
    pub at: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Presenter,
    Facilitator,
    /// The seat the facilitator spins for.
    SpinFor,
    /// A theme of the current wheel's deck, to retire or restore.
    Theme,
}

impl PickerKind {
    fn title(self) -> &'static str {
        match self {
            PickerKind::Presenter => "hand the presenter role to",
            PickerKind::Facilitator => "hand the facilitator role to",
            PickerKind::SpinFor => "spin for",
            PickerKind::Theme => "retire / restore a theme",
        }
    }
}

/// One row of a picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    Seat(SeatId),
    /// A theme's id and whether it is retired now.
    Theme(String, bool),
}

/// The rows of `kind` as the session stands: `(label, choice)`.
pub fn choices(kind: PickerKind, s: &Session) -> Vec<(String, Choice)> {
    match kind {
        PickerKind::Theme => {
            let Some(i) = s.current() else {
                return Vec::new();
            };
            let (Some(Some(deck)), Activity::Wheel(w)) =
                (s.plan.decks.get(i), &s.segments[i].activity)
            else {
                return Vec::new();
            };
            deck.themes
                .iter()
                .enumerate()
                .map(|(t, th)| {
                    let retired = w.retired.get(t).copied().unwrap_or(false);
                    let what = if retired { "put back" } else { "retire" };
                    (
                        format!("{what}: {} ({})", clean(&th.name), th.kind.label()),
                        Choice::Theme(th.id.clone(), retired),
                    )
                })
                .collect()
        }
        _ => s
            .seats
            .iter()
            .filter(|seat| seat.present && !seat.observer)
            .map(|seat| {
                let mut label = clean(&seat.name);
                if s.facilitator == Some(seat.id) {
                    label.push_str("  (facilitator)");
                }
                if s.presenter == Some(seat.id) {
                    label.push_str("  (presenter)");
                }
                (label, Choice::Seat(seat.id))
            })
            .collect(),
    }
}

/// Steps that cannot be taken back ask first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    Skip,
    End,
    Leave,
}

impl Confirm {
    pub fn question(self) -> &'static str {
        match self {
            Confirm::Skip => "Skip this segment? It is marked skipped in the write-up.",
            Confirm::End => "End the session now, for everyone?",
            Confirm::Leave => "Leave the session?",
        }
    }
}

/// The picker's frame on a screen of size `area` for `n` rows, and the first row's y.
pub fn picker_rect(area: Rect, n: usize) -> (Rect, u16) {
    let r = popup(area, 56, (n.max(1) as u16).saturating_add(3));
    (r, r.y + 1)
}

/// The rows of a picker shown in `r`: from where, how many (the chosen row stays in view).
pub fn picker_window(r: Rect, n: usize, at: usize) -> (usize, usize) {
    let shown = usize::from(r.height.saturating_sub(3)).max(1);
    let first = (at + 1).saturating_sub(shown).min(n.saturating_sub(shown));
    (first, shown)
}

pub fn draw_picker(buf: &mut Buffer, area: Rect, p: &Picker, s: &Session, theme: &Theme) {
    let rows = choices(p.kind, s);
    let (r, y0) = picker_rect(area, rows.len());
    if r.width < 8 || r.height < 3 {
        return;
    }
    Clear.render(r, buf);
    buf.set_style(r, theme.style(Meaning::Text));
    let inner = block(buf, r, p.kind.title().to_string(), true, theme);
    let w = inner.width.saturating_sub(2) as usize;
    if rows.is_empty() {
        buf.set_stringn(
            inner.x + 1,
            y0,
            "nobody to pick",
            w,
            theme.style(Meaning::Muted),
        );
    }
    let (first, shown) = picker_window(r, rows.len(), p.at);
    for (n, (label, _)) in rows.iter().enumerate().skip(first).take(shown) {
        let y = y0 + (n - first) as u16;
        let (mark, style) = if n == p.at.min(rows.len() - 1) {
            ("▶ ", theme.style(Meaning::Selection))
        } else {
            ("  ", theme.style(Meaning::Text))
        };
        let line = format!("{mark}{}. {label}", n + 1);
        buf.set_stringn(inner.x, y, fit(&line, w + 1), w + 1, style);
    }
    if inner.height > 0 {
        buf.set_stringn(
            inner.x + 1,
            inner.bottom() - 1,
            fit("↑↓ choose · enter pick · esc cancel", w),
            w,
            theme.style(Meaning::Muted),
        );
    }
}

pub fn draw_confirm(buf: &mut Buffer, area: Rect, c: Confirm, theme: &Theme) {
    let lines = vec![
        (c.question().to_string(), theme.style(Meaning::Title)),
        (String::new(), theme.style(Meaning::Text)),
        (
            "y or enter: yes · any other key: no".to_string(),
            theme.style(Meaning::Muted),
        ),
    ];
    crate::ui::widgets::text_popup(buf, area, "are you sure?", &lines, theme, 30);
}
