//! The `?` overlay of a session seat: every key of the keymap's [`Scope::Session`], grouped by
//! where it is used, with who may use it, and how text entries and pickers work.

use crate::keymap::{Act, KEYMAP, Scope, Who};
use crate::ui::help::Line;
use crate::ui::theme::Meaning;

/// The groups of the overlay, in order, and which keys go in each.
const SECTIONS: &[(&str, &[Act])] = &[
    (
        "Everywhere",
        &[
            Act::Help,
            Act::Note,
            Act::ScrollUp,
            Act::ScrollDown,
            Act::PageUp,
            Act::PageDown,
            Act::Top,
            Act::Bottom,
            Act::Quit,
            Act::Abort,
        ],
    ),
    (
        "The walkthrough",
        &[
            Act::FocusNext,
            Act::FocusPrev,
            Act::Zoom,
            Act::Unzoom,
            Act::LookAround,
            Act::Tour,
            Act::RangeShorter,
            Act::RangeLonger,
            Act::PanBack,
            Act::PanForward,
            Act::Live,
            Act::Remark,
            Act::Ask,
        ],
    ),
    (
        "Spin the Wheel of Expertise",
        &[
            Act::Spin,
            Act::Escalate,
            Act::Pass,
            Act::SpinFor,
            Act::Found,
            Act::Helped,
            Act::NotFound,
            Act::Themes,
        ],
    ),
    (
        "The knowledge matrix (arrows move the cursor)",
        &[
            Act::MarkHard,
            Act::MarkSoft,
            Act::MarkUnknown,
            Act::MarkKnows,
            Act::MarkOwner,
            Act::MarkClear,
            Act::CellNote,
        ],
    ),
    (
        "Running the session",
        &[
            Act::SegmentNext,
            Act::SegmentBack,
            Act::Extend,
            Act::Skip,
            Act::EndSession,
            Act::HandPresenter,
            Act::HandFacilitator,
        ],
    ),
    ("The mouse", &[Act::Click, Act::Wheel]),
];

/// The overlay's lines, from the keymap.
pub fn help_lines() -> Vec<Line> {
    let mut out = vec![
        Line::text("gamelan session — keys", Meaning::Title),
        Line::text(
            "Observers see everything and act on nothing; a key a seat may not use says why on the status line.",
            Meaning::Muted,
        ),
    ];
    for (title, acts) in SECTIONS {
        out.push(Line::blank());
        out.push(Line::text(*title, Meaning::Title));
        let mut merged: Vec<(String, &str, Who)> = Vec::new();
        for b in KEYMAP
            .iter()
            .filter(|b| b.scopes.contains(&Scope::Session) && acts.contains(&b.act))
        {
            let keys = b.keys_label();
            match merged.last_mut() {
                Some(last) if last.1 == b.help => {
                    last.0.push(' ');
                    last.0.push_str(&keys);
                }
                _ => merged.push((keys, b.help, b.who)),
            }
        }
        for (keys, text, who) in merged {
            let who = match who {
                Who::Facilitator => " (facilitator)",
                Who::Anyone => "",
            };
            out.push(Line::key(keys, format!("{text}{who}"), Meaning::Text));
        }
    }
    out.push(Line::blank());
    out.push(Line::text("Typing and picking", Meaning::Title));
    out.push(Line::key(
        "enter esc",
        "a note, remark, question or escalation: enter sends it, esc drops it; pasting works",
        Meaning::Text,
    ));
    out.push(Line::key(
        "↑ ↓ 1-9",
        "a list of seats or themes: choose, enter picks, esc cancels",
        Meaning::Text,
    ));
    out.push(Line::key(
        "y enter",
        "skip, end and leave ask first: y or enter confirms, any other key does not",
        Meaning::Text,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_session_binding_is_in_one_section() {
        for b in KEYMAP.iter().filter(|b| b.scopes.contains(&Scope::Session)) {
            let n = SECTIONS
                .iter()
                .filter(|(_, acts)| acts.contains(&b.act))
                .count();
            assert_eq!(n, 1, "{:?} is in {n} sections", b.act);
        }
    }
}
