//! Beats per second through the drill core's `apply` (bar: at least 100,000).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gamelan::drill::{Action, Drill, Input};
use gamelan::scenario::bundled;
use std::hint::black_box;

fn beats(c: &mut Criterion) {
    let mut g = c.benchmark_group("core");
    for e in bundled() {
        let s = e.scenario;
        let n = s.length_beats;
        g.throughput(Throughput::Elements(n));
        g.bench_function(format!("{} ({} beats)", s.meta.id, n), |b| {
            b.iter(|| {
                let mut d = Drill::new(s.clone(), 7);
                d.apply(&Input::new(
                    0,
                    Action::Join {
                        name: "bench".into(),
                        role: None,
                    },
                ));
                let tick = Input::new(0, Action::Tick);
                while !d.is_ended() {
                    black_box(d.apply(&tick));
                }
                d.beat
            })
        });
    }
    g.finish();
}

criterion_group!(benches, beats);
criterion_main!(benches);
