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

/// A full vista frame: nine chart panes of three series, 600 points each, with a marker and
/// the cursor, at 200x60 and 80x24.
fn vista_frame(c: &mut Criterion) {
    use gamelan::ui::vista::{VistaView, draw};
    use gamelan::vista::annotation::{Mark, MarkSet};
    use gamelan::vista::state::{Reading, Value};
    use gamelan::vista::{PaneState, VistaConfig, VistaSnapshot};
    let mut src = String::from("[vista]\ncolumns = 3\n");
    for i in 0..9 {
        src.push_str(&format!(
            "[[panes]]\nid = \"p{i}\"\nunit = \"%\"\nwarn = 70\ncrit = 90\nsource = {{ type = \"command\", command = \"x\" }}\n"
        ));
    }
    let cfg = VistaConfig::parse(&src, "bench.toml").unwrap();
    let t0 = 1_764_597_600.0;
    let states = (0..9)
        .map(|p| {
            let mut st = PaneState::new(600, 1);
            for i in 0..600 {
                let t = t0 + f64::from(i);
                let values = (0..3)
                    .map(|k| Value {
                        id: format!("s{k}"),
                        label: format!("series {k}"),
                        unit: String::new(),
                        value: 50.0 + 40.0 * (f64::from(i + p * 7 + k * 13) / 30.0).sin(),
                    })
                    .collect();
                st.apply(Reading::Values { at: t, values }, t);
            }
            st
        })
        .collect();
    let mut snap = VistaSnapshot::new(&cfg, states);
    let mut marks = MarkSet::default();
    marks.set(vec![Mark {
        at: t0 + 300.0,
        text: "deploy".into(),
    }]);
    snap.marks = std::sync::Arc::new(vec![marks]);
    let theme = Theme::bundled("dark").unwrap();
    let mut view = VistaView::default();
    view.nav.cursor = Some(60.0);
    view.sync(&snap, t0 + 600.0);
    for (w, h) in [(200u16, 60u16), (80, 24)] {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        c.bench_function(&format!("vista frame {w}x{h}"), |b| {
            b.iter(|| {
                buf.reset();
                draw(&mut buf, area, black_box(&snap), t0 + 600.0, &view, &theme);
            })
        });
    }
}

criterion_group!(benches, frame, vista_frame);
criterion_main!(benches);
