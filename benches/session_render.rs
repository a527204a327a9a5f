//! A full frame of a session seat's screen at 200x60 and 80x24, at each moment of the weekly
//! session (the walkthrough's vista, the wheel, the write-up), as every seat of a room draws
//! it on every change.

#[path = "../tests/session_fixture/mod.rs"]
mod session_fixture;

use criterion::{Criterion, criterion_group, criterion_main};
use gamelan::ui::session::SessionScreen;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use session_fixture::{ANA, CY, at};
use std::hint::black_box;

fn frames(c: &mut Criterion) {
    for (moment, seat) in [("walkthrough", CY), ("turn", ANA), ("end", CY)] {
        let room = at(moment);
        for (w, h) in [(200u16, 60u16), (80, 24)] {
            let area = Rect::new(0, 0, w, h);
            let mut buf = Buffer::empty(area);
            let screen = SessionScreen {
                session: &room.session,
                vista: Some(&room.vista.1),
                now: 60.0,
            };
            c.bench_function(&format!("session {moment} {w}x{h}"), |b| {
                b.iter(|| {
                    buf.reset();
                    room.seats[seat as usize].draw(&mut buf, area, black_box(&screen), &room.theme);
                })
            });
        }
    }
}

criterion_group!(benches, frames);
criterion_main!(benches);
