//! The bodies that are mostly words: before the first segment (the setlist ahead), a drill
//! segment seen from the session (the drill runs on the drill console; its outcome comes back
//! here), and a discussion (its prompt and the notes taken, `TODO:` notes marked as the action
//! items they become).

use super::SessionSeat;
use super::header::secs;
use super::list::{self, Row, wrapped};
use crate::debrief::ACTION_MARKER;
use crate::session::state::{Activity, Note};
use crate::session::{SegmentKind, Session, clock};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::text::clean;
use crate::ui::widgets::{block, reflow};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The rows of a list of notes; `TODO:` notes are marked as action items.
pub fn note_rows(s: &Session, notes: &[Note], wd: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    for n in notes {
        let who = clean(s.seat_name(n.seat));
        let at = clock(secs(s, n.beat));
        let (text, meaning) = match n.text.trim_start().strip_prefix(ACTION_MARKER) {
            Some(rest) => (
                format!("{at} {who}: ☐ {} (action item)", clean(rest.trim())),
                Meaning::Accent,
            ),
            None => (format!("{at} {who}: {}", clean(&n.text)), Meaning::Text),
        };
        rows.extend(wrapped(&text, wd, 2, meaning));
    }
    rows
}

fn notes_heading(rows: &mut Vec<Row>, notes: &[Note]) {
    rows.push(Row::blank());
    rows.push(Row::bold(
        format!("notes · {}", notes.len()),
        Meaning::Title,
    ));
    if notes.is_empty() {
        rows.push(Row::new(
            "none yet: n writes one; a note starting TODO: becomes an action item",
            Meaning::Muted,
        ));
    }
}

/// What the segment is for, for the facilitator's eyes.
fn facilitator_note(rows: &mut Vec<Row>, v: &SessionSeat, s: &Session, i: usize, wd: usize) {
    let note = &s.plan.setlist.segments[i].note;
    if s.facilitator == Some(v.seat) && !note.is_empty() {
        rows.extend(wrapped(
            &format!("for you (facilitator): {}", reflow(note)),
            wd,
            2,
            Meaning::Warning,
        ));
    }
}

fn inside(r: Rect) -> Rect {
    Rect::new(
        r.x + 2,
        r.y + 1,
        r.width.saturating_sub(4),
        r.height.saturating_sub(2),
    )
}

fn gathering_rows(v: &SessionSeat, s: &Session, wd: usize) -> Vec<Row> {
    let list = &s.plan.setlist;
    let mut rows = Vec::new();
    for mut r in wrapped(&clean(&list.title), wd, 0, Meaning::Title) {
        r.bold = true;
        rows.push(r);
    }
    if !list.summary.is_empty() {
        rows.extend(wrapped(&reflow(&list.summary), wd, 0, Meaning::Text));
    }
    rows.push(Row::blank());
    let start = if s.facilitator == Some(v.seat) {
        "You facilitate: > starts the first segment when everyone is here.".to_string()
    } else if s.conducts(v.seat) {
        "You conduct while the facilitator is away: > starts the first segment.".to_string()
    } else {
        format!(
            "Waiting for {} to start the session.",
            clean(
                s.conductor()
                    .or(s.facilitator)
                    .map_or("the facilitator", |f| s.seat_name(f))
            )
        )
    };
    rows.push(Row::bold(start, Meaning::Accent));
    rows.push(Row::blank());
    rows.push(Row::bold("the setlist", Meaning::Title));
    for (i, seg) in list.segments.iter().enumerate() {
        rows.extend(wrapped(
            &format!(
                "{}. {} · {} · {}",
                i + 1,
                seg.kind.name(),
                clean(&seg.title),
                clock(secs(s, s.planned(i)))
            ),
            wd,
            3,
            Meaning::Text,
        ));
        if s.facilitator == Some(v.seat) && !seg.note.is_empty() {
            rows.extend(
                wrapped(&reflow(&seg.note), wd.saturating_sub(3), 0, Meaning::Muted)
                    .into_iter()
                    .map(|mut r| {
                        r.text = format!("   {}", r.text);
                        r
                    }),
            );
        }
    }
    if !s.notes.is_empty() {
        notes_heading(&mut rows, &s.notes);
        rows.extend(note_rows(s, &s.notes, wd));
    }
    rows
}

pub(super) fn gathering(buf: &mut Buffer, body: Rect, v: &SessionSeat, s: &Session, theme: &Theme) {
    block(buf, body, "before the session".into(), false, theme);
    let (inner, rows) = scroll_rows(v, s, None, body);
    list::draw(buf, inner, &rows, v.scroll_now(s), theme);
}

fn drill_rows(v: &SessionSeat, s: &Session, i: usize, wd: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    let st = &s.segments[i];
    let scenario = match &s.plan.setlist.segments[i].kind {
        SegmentKind::Drill { scenario, .. } => clean(&scenario.name),
        _ => String::new(),
    };
    rows.push(Row::bold(
        format!("Drill · scenario {scenario}"),
        Meaning::Title,
    ));
    rows.extend(wrapped(
        "The drill runs on the drill console beside the session: every seat sees it there, and its outcome comes back here when it ends.",
        wd,
        0,
        Meaning::Muted,
    ));
    facilitator_note(&mut rows, v, s, i, wd);
    if let Activity::Drill(d) = &st.activity {
        rows.push(Row::blank());
        if d.runs.is_empty() {
            rows.push(Row::new("no outcome reported yet", Meaning::Muted));
        }
        for (k, run) in d.runs.iter().enumerate() {
            rows.extend(wrapped(
                &format!(
                    "run {} · seed {} · {} · {} beats · objectives {}/{} met · {} cues ({} refused)",
                    k + 1,
                    run.seed,
                    clean(&run.status),
                    run.beats,
                    run.met(),
                    run.objectives.len(),
                    run.cues,
                    run.rejected
                ),
                wd,
                2,
                Meaning::Text,
            ));
            for o in &run.objectives {
                let (mark, meaning) = if o.met {
                    ("✓", Meaning::Healthy)
                } else {
                    ("✗", Meaning::Warning)
                };
                rows.extend(wrapped(
                    &format!("  {mark} {}", clean(&o.text)),
                    wd,
                    4,
                    meaning,
                ));
            }
            for a in &run.action_items {
                rows.extend(wrapped(
                    &format!("  ☐ {} (action item)", clean(a)),
                    wd,
                    4,
                    Meaning::Accent,
                ));
            }
        }
    }
    notes_heading(&mut rows, &st.notes);
    rows.extend(note_rows(s, &st.notes, wd));
    rows
}

pub(super) fn drill(
    buf: &mut Buffer,
    body: Rect,
    v: &SessionSeat,
    s: &Session,
    i: usize,
    theme: &Theme,
) {
    block(buf, body, "drill".into(), false, theme);
    let (inner, rows) = scroll_rows(v, s, Some(i), body);
    list::draw(buf, inner, &rows, v.scroll_now(s), theme);
}

fn prompt_of(s: &Session, i: usize) -> String {
    match &s.plan.setlist.segments[i].kind {
        SegmentKind::Discussion { prompt } => reflow(prompt),
        _ => String::new(),
    }
}

/// The discussion's prompt box and the notes under it.
fn discussion_parts(s: &Session, i: usize, body: Rect) -> (Option<Rect>, Rect) {
    let prompt = prompt_of(s, i);
    if prompt.is_empty() || body.height < 9 {
        return (None, body);
    }
    let lines = wrapped(
        &prompt,
        body.width.saturating_sub(4) as usize,
        0,
        Meaning::Title,
    )
    .len() as u16;
    let (p, rest) = super::layout::top(body, (lines + 2).min(body.height / 2));
    (Some(p), rest)
}

fn discussion_rows(v: &SessionSeat, s: &Session, i: usize, wd: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    facilitator_note(&mut rows, v, s, i, wd);
    let notes = &s.segments[i].notes;
    if rows.is_empty() {
        rows.push(Row::bold(
            format!("notes · {}", notes.len()),
            Meaning::Title,
        ));
        if notes.is_empty() {
            rows.push(Row::new(
                "none yet: n writes one; a note starting TODO: becomes an action item",
                Meaning::Muted,
            ));
        }
    } else {
        notes_heading(&mut rows, notes);
    }
    rows.extend(note_rows(s, notes, wd));
    rows
}

pub(super) fn discussion(
    buf: &mut Buffer,
    body: Rect,
    v: &SessionSeat,
    s: &Session,
    i: usize,
    theme: &Theme,
) {
    let (prompt, rest) = discussion_parts(s, i, body);
    if let Some(p) = prompt {
        let inner = block(buf, p, "the question".into(), true, theme);
        let rows: Vec<Row> = wrapped(
            &prompt_of(s, i),
            inner.width.saturating_sub(2) as usize,
            0,
            Meaning::Title,
        )
        .into_iter()
        .map(|mut r| {
            r.bold = true;
            r
        })
        .collect();
        list::draw(
            buf,
            Rect {
                x: inner.x + 1,
                width: inner.width.saturating_sub(2),
                ..inner
            },
            &rows,
            0,
            theme,
        );
    }
    block(buf, rest, "discussion".into(), false, theme);
    let (inner, rows) = scroll_rows(v, s, Some(i), body);
    list::draw(buf, inner, &rows, v.scroll_now(s), theme);
}

/// The scrolling list of the gathering (`None`), a drill or a discussion segment.
pub(super) fn scroll_rows(
    v: &SessionSeat,
    s: &Session,
    i: Option<usize>,
    body: Rect,
) -> (Rect, Vec<Row>) {
    match i {
        None => {
            let inner = inside(body);
            (inner, gathering_rows(v, s, inner.width as usize))
        }
        Some(i) => match &s.plan.setlist.segments[i].kind {
            SegmentKind::Drill { .. } => {
                let inner = inside(body);
                (inner, drill_rows(v, s, i, inner.width as usize))
            }
            _ => {
                let (_, rest) = discussion_parts(s, i, body);
                let inner = inside(rest);
                (inner, discussion_rows(v, s, i, inner.width as usize))
            }
        },
    }
}
