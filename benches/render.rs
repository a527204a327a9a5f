//! A full frame of the drill console at 200x60 (bar: well under 1 ms).

use criterion::{Criterion, criterion_group, criterion_main};
use gamelan::drill::Drill;
use gamelan::headless::{self, parse_script};
use gamelan::scenario::bundled;
use gamelan::ui::chrome::Chrome;
use gamelan::ui::console;
use gamelan::ui::seat::{Mode, SeatView};
use gamelan::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::hint::black_box;

fn frame(c: &mut Criterion) {
    let s = bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == "bad-deploy")
        .unwrap()
        .scenario;
    let src = std::fs::read_to_string("scenarios/bad-deploy.win.cues").unwrap();
    let script = parse_script(&src, "win", &s).unwrap();
    let mut drill = Drill::new(s, 1);
    headless::run(&mut drill, &script, Some(30));
    let mut view = SeatView::new(headless::SCRIPT_SEAT);
    view.mode = Mode::Playing;
    let theme = Theme::bundled("dark").unwrap();
    let chrome = Chrome {
        pulse: true,
        ..Chrome::default()
    };
    for (w, h) in [(200u16, 60u16), (80, 24)] {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        c.bench_function(&format!("console frame {w}x{h}"), |b| {
            b.iter(|| {
                buf.reset();
                console::draw(&mut buf, area, black_box(&drill), &view, &theme, &chrome);
            })
        });
    }
}

criterion_group!(benches, frame);
criterion_main!(benches);
