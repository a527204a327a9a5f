//! The end of a session: the write-up on screen, scrollable, with where it was saved when the
//! shell has said.

use super::SessionSeat;
use super::list::{self, Row, wrapped};
use crate::session::state::Phase;
use crate::session::{Session, writeup};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::text::clean;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn inside(r: Rect) -> Rect {
    Rect::new(
        r.x + 2,
        r.y + 1,
        r.width.saturating_sub(4),
        r.height.saturating_sub(2),
    )
}

/// The write-up's inside and rows, for drawing and for scrolling.
pub(super) fn scroll_rows(v: &SessionSeat, s: &Session, body: Rect) -> (Rect, Vec<Row>) {
    let inner = inside(body);
    let wd = inner.width as usize;
    let mut rows = Vec::new();
    let reason = match &s.phase {
        Phase::Ended { reason } => clean(reason),
        _ => String::new(),
    };
    let saved = match &v.saved {
        Some(p) => format!("saved to {}", clean(p)),
        None => "not saved from this screen: `gamelan debrief` prints it from the recording".into(),
    };
    let mut head = format!("The session has ended: {reason}. The write-up, {saved}.");
    for t in &v.tables {
        head.push_str(&format!(" The DRT table, saved to {}.", clean(t)));
    }
    for mut r in wrapped(&head, wd, 0, Meaning::Accent) {
        r.bold = true;
        rows.push(r);
    }
    rows.push(Row::blank());
    let md = writeup::markdown(&writeup::build(s, None));
    for line in paragraphs(&md) {
        let line = line.as_str();
        let meaning = if line.starts_with('#') {
            Meaning::Title
        } else if line.starts_with('|') {
            Meaning::Muted
        } else {
            Meaning::Text
        };
        let indent = if line.starts_with("- ") { 2 } else { 0 };
        let mut wrapped = wrapped(line, wd, indent, meaning);
        if line.starts_with('#') {
            for r in &mut wrapped {
                r.bold = true;
            }
        }
        rows.extend(wrapped);
    }
    (inner, rows)
}

/// The Markdown's lines with hard-wrapped prose joined back into paragraphs, so it wraps
/// at the screen's width; headings, list items and table rows stay lines of their own.
fn paragraphs(md: &str) -> Vec<String> {
    let plain = |l: &str| {
        !l.is_empty()
            && !l.starts_with(['#', '-', '|', '*', ' ', '>'])
            && l.split_once(". ")
                .is_none_or(|(n, _)| n.parse::<u32>().is_err())
    };
    let mut out: Vec<String> = Vec::new();
    let mut joining = false;
    for l in md.lines() {
        match out.last_mut() {
            Some(last) if joining && plain(l) => {
                last.push(' ');
                last.push_str(l.trim());
            }
            _ => out.push(l.to_string()),
        }
        joining = plain(l);
    }
    out
}

pub(super) fn draw(buf: &mut Buffer, body: Rect, v: &SessionSeat, s: &Session, theme: &Theme) {
    block(buf, body, "write-up".into(), true, theme);
    let (inner, rows) = scroll_rows(v, s, body);
    list::draw(buf, inner, &rows, v.scroll_now(s), theme);
}
