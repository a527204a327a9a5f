//! The Decision Requirements Table view drawn into a buffer: snapshots at 80x24 (the decision
//! pinned, the other columns scrolling with the cursor) and 200x50 (every column), with a row
//! from the scenario, a decision point taken, a scribe's mark and a cell being edited; and
//! every size from 1x1 up without a panic.

mod common;

use gamelan::drill::{Action, Drill, Input};
use gamelan::drt::{Column, DrtInput};
use gamelan::headless::{self, parse_script};
use gamelan::scenario::bundled;
use gamelan::ui::drt::{DrtView, draw};
use gamelan::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// bad-deploy won by its script, a scribe's mark, then two seats editing the table.
fn drill() -> Drill {
    let s = bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == "bad-deploy")
        .unwrap()
        .scenario;
    let src = std::fs::read_to_string("scenarios/bad-deploy.win.cues").unwrap();
    let script = parse_script(&src, "win", &s).unwrap();
    let mut d = Drill::new(s, 1);
    headless::run(&mut d, &script, None);
    let seat = headless::SCRIPT_SEAT;
    d.apply(&Input::new(
        seat,
        Action::DecisionHere {
            text: "wake the database on-call?".into(),
        },
    ));
    d.apply(&Input::new(
        7,
        Action::Join {
            name: "bo".into(),
            role: None,
        },
    ));
    let edits = [
        (
            seat,
            DrtInput::Claim {
                row: 0,
                column: Column::Uncertainty,
            },
        ),
        (
            seat,
            DrtInput::Type {
                text: "whether the canary saw real traffic".into(),
            },
        ),
        (
            7,
            DrtInput::Claim {
                row: 1,
                column: Column::Cues,
            },
        ),
        (
            7,
            DrtInput::Type {
                text: "p99 and errors move together".into(),
            },
        ),
    ];
    for (s, e) in edits {
        d.apply(&Input::new(s, Action::Drt(e)));
    }
    d
}

fn render(w: u16, h: u16, view: &DrtView, d: &Drill) -> Buffer {
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    draw(
        &mut buf,
        area,
        d.drt.as_deref().unwrap(),
        view,
        &Theme::bundled("dark").unwrap(),
    );
    buf
}

/// The screen's rows, each trimmed and ended by a newline.
fn text(buf: &Buffer) -> String {
    format!("{}\n", common::screen::rows(buf))
}

fn view(d: &Drill) -> DrtView {
    let mut v = DrtView::new(headless::SCRIPT_SEAT);
    v.names = d.seats.iter().map(|s| (s.id, s.name.clone())).collect();
    v.mode = gamelan::ui::drt::Mode::Editing;
    v.column = Column::Uncertainty;
    v
}

#[test]
fn drt_80x24() {
    let d = drill();
    insta::assert_snapshot!("drt_80x24", text(&render(80, 24, &view(&d), &d)));
}

#[test]
fn drt_200x50() {
    let d = drill();
    insta::assert_snapshot!("drt_200x50", text(&render(200, 50, &view(&d), &d)));
}

#[test]
fn the_mark_row_at_80x24_shows_where_it_came_from() {
    let d = drill();
    let mut v = view(&d);
    v.mode = gamelan::ui::drt::Mode::Browse;
    v.row = d.drt.as_ref().unwrap().rows.len() - 1;
    v.column = Column::Decision;
    let s = text(&render(80, 24, &v, &d));
    assert!(s.contains("a scribe's \"decision here\""), "{s}");
    assert!(s.contains("marked by"), "{s}");
    insta::assert_snapshot!("drt_80x24_mark", s);
}

#[test]
fn every_size_draws_without_a_panic() {
    let d = drill();
    let v = view(&d);
    for w in [1, 5, 19, 20, 21, 40, 79, 80, 120, 200, 500] {
        for h in [1, 3, 7, 8, 9, 12, 24, 50, 200] {
            render(w, h, &v, &d);
        }
    }
}
