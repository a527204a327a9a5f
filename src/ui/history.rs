//! The console's history view (`h` in the lobby): the team's record as a document that
//! scrolls, the chart per scenario first and then every run, both fitted to the screen.
//! Drawn from [`crate::history`]'s rows, the same figures as `gamelan history`.

use crate::history::{self, Row, chart};
use crate::keymap::{self, Act, Scope};
use crate::ui::widgets::document::Document;

/// The history document for a screen `width` columns wide. `left_out` counts the drills that
/// never started and `skipped` the recordings that could not be read; `dir` is where they are.
pub fn document(rows: &[Row], left_out: usize, skipped: usize, dir: &str, width: u16) -> Document {
    // The document's frame and margin take four columns.
    let width = usize::from(width).saturating_sub(4).max(20);
    let mut body = String::new();
    if rows.is_empty() {
        body.push_str(&format!(
            "No recorded drills in {dir} yet.\n\nEvery drill played from the lobby is recorded there; \
             once a few are, this shows how long the team took to detect, acknowledge, mitigate \
             and resolve each scenario, run after run.\n"
        ));
    } else {
        body.push_str(&chart::chart(&history::series(rows), width));
        body.push_str(&chart::compact_table(rows, width));
    }
    let mut notes = Vec::new();
    if left_out > 0 {
        notes.push(format!("{left_out} never started, left out"));
    }
    if skipped > 0 {
        notes.push(format!("{skipped} unreadable (gamelan history names them)"));
    }
    if !notes.is_empty() {
        body.push_str(&format!("\n{}\n", notes.join(" · ")));
    }
    let key = |a| keymap::key_label(Scope::Document, a);
    Document::new(
        format!("history · {}", crate::ui::widgets::text::clean(dir)),
        body,
        format!(
            "{}{} scroll · {} back",
            key(Act::ScrollUp),
            key(Act::ScrollDown),
            key(Act::Back)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::theme::Theme;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    fn rows() -> Vec<Row> {
        let s = crate::scenario::bundled()
            .into_iter()
            .find(|e| e.scenario.meta.id == "bad-deploy")
            .unwrap()
            .scenario;
        let script = crate::scenario::bundled_scripts("bad-deploy").unwrap().0;
        let lines = crate::headless::parse_script(script, "w.cues", &s).unwrap();
        (1..=3)
            .map(|day| {
                let mut drill = crate::drill::Drill::new(s.clone(), day);
                crate::headless::run(&mut drill, &lines, None);
                let mut h = crate::record::Header::new(&s, day, 60, Vec::new());
                h.started = format!("2025-05-0{day}T14:00:00Z");
                Row::of(&drill, &h, "r.jsonl", false)
            })
            .collect()
    }

    fn screen(doc: &Document, w: u16, h: u16) -> String {
        crate::ui::testing::drawn(w, h, |buf, area| doc.draw(buf, area, &Theme::default()))
    }

    #[test]
    fn the_view_fits_80x24_and_shows_the_chart_first() {
        let doc = document(&rows(), 2, 0, "/data/recordings", 80);
        let text = screen(&doc, 80, 24);
        assert!(text.contains("history · /data/recordings"), "{text}");
        assert!(
            text.contains("bad-deploy · 3 runs, 2025-05-01 to 2025-05-03"),
            "{text}"
        );
        assert!(text.contains("acknowledge   ≤15"), "{text}");
        // No line of the body is wrapped: each fits the frame.
        assert!(
            doc.body.lines().all(|l| l.chars().count() <= 76),
            "{}",
            doc.body
        );
        assert!(doc.body.contains("2 never started, left out"));
        // Any size draws without panicking.
        for (w, h) in [(1, 1), (20, 6), (500, 200)] {
            document(&rows(), 0, 1, "d", w).draw(
                &mut Buffer::empty(Rect::new(0, 0, w, h)),
                Rect::new(0, 0, w, h),
                &Theme::default(),
            );
        }
        let empty = document(&[], 0, 0, "/d", 80);
        assert!(empty.body.contains("No recorded drills in /d yet"));
    }
}
