//! `gamelan history` over a thousand recordings (bar: well under a second).
//!
//! The recordings are those a team would collect: every bundled scenario's winning and losing
//! scripts at many seeds, one in ten of a scenario that is in no catalogue (so its embedded
//! source is compiled), written through a real `Recorder`. Measured: reading the directory
//! into rows (every file read, every drill rebuilt), and the same with a `--scenario` filter.

use criterion::{Criterion, criterion_group, criterion_main};
use gamelan::drill::Drill;
use gamelan::record::{self, Header, Recorder};
use gamelan::scenario::{self, Catalogue};
use gamelan::{headless, history};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const RECORDINGS: usize = 1000;

fn write_recordings(dir: &Path) {
    let bundled = scenario::bundled();
    let mut n = 0;
    let mut seed = 1;
    while n < RECORDINGS {
        for e in &bundled {
            let id = &e.scenario.meta.id;
            let (win, lose) = scenario::bundled_scripts(id).unwrap();
            for (kind, script) in [("win", win), ("lose", lose)] {
                if n == RECORDINGS {
                    return;
                }
                let s = if n % 10 == 9 {
                    // Played from a file outside the catalogue: only the recording has it.
                    let src = scenario::bundled_source(id).unwrap().replacen(
                        &format!("id = \"{id}\""),
                        &format!("id = \"team-{id}\""),
                        1,
                    );
                    Arc::new(scenario::load_str(&src, "team.toml").unwrap())
                } else {
                    e.scenario.clone()
                };
                let lines = headless::parse_script(script, "s.cues", &s).unwrap();
                let mut drill = Drill::new(s.clone(), seed);
                let inputs = headless::run(&mut drill.clone(), &lines, None);
                let mut header = Header::for_drill(&drill, record::seats_at_start(&inputs));
                header.started = format!("2025-{:02}-{:02}T14:00:00Z", n % 12 + 1, n % 28 + 1);
                let path = dir.join(format!("{n:04}-{id}-{kind}.jsonl"));
                let mut rec = Recorder::create(&path, &header).unwrap();
                record::perform(&mut drill, &inputs, &mut rec, Duration::ZERO).unwrap();
                rec.finish();
                n += 1;
            }
        }
        seed += 1;
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    write_recordings(dir.path());
    let catalogue = Catalogue::load(None);
    let loaded = history::load::rows(dir.path(), &catalogue, None);
    assert_eq!(
        loaded.rows.len(),
        RECORDINGS,
        "{:?}",
        loaded.problems.first()
    );
    let bytes: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    eprintln!(
        "{RECORDINGS} recordings, {:.1} MiB",
        bytes as f64 / f64::from(1 << 20)
    );
    let mut g = c.benchmark_group("history");
    g.sample_size(10);
    g.bench_function("1000 recordings to rows", |b| {
        b.iter(|| black_box(history::load::rows(dir.path(), &catalogue, None)))
    });
    g.bench_function("1000 recordings, one scenario", |b| {
        b.iter(|| {
            black_box(history::load::rows(
                dir.path(),
                &catalogue,
                Some("bad-deploy"),
            ))
        })
    });
    let rows = loaded.rows;
    g.bench_function("series and chart of 1000 rows", |b| {
        b.iter(|| {
            let s = history::series(&rows);
            black_box(history::chart::chart(&s, 120))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
