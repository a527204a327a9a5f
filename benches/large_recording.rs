//! Opening and debriefing a large recording: 100,000 distinct seats joining over a two-hour
//! drill (bad-deploy stretched to 3,700 bars at 120 BPM, 14,400 beats), one in ten of them
//! leaving a note. Both must stay linear in the recording, however many seats join.
//!
//! The recording is written through a real `Recorder` and read back once; the benchmarks
//! rebuild it (`Replay::open`) and fold its log (`debrief::build`).

use criterion::{Criterion, criterion_group, criterion_main};
use gamelan::debrief;
use gamelan::drill::{Action, Drill, Input};
use gamelan::record::{Header, Recorder, Recording, Replay};
use gamelan::scenario;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

const BEATS: u64 = 120 * 120;
const SEATS: u32 = 100_000;

fn large_recording(dir: &std::path::Path) -> (Recording, Arc<scenario::Scenario>) {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/bad-deploy.toml"
    ))
    .unwrap();
    let src = src.replace("length_bars = 24", "length_bars = 3700");
    let scenario = Arc::new(scenario::load_str(&src, "two-hours.toml").unwrap());
    let mut drill = Drill::new(scenario.clone(), 42);
    drill.bpm = 120;
    let path = dir.join("large.jsonl");
    let mut rec = Recorder::create(&path, &Header::for_drill(&drill, Vec::new())).unwrap();
    let per_beat = u64::from(SEATS).div_ceil(BEATS);
    let mut seat = 0;
    let started = Instant::now();
    while drill.beat < BEATS {
        for _ in 0..per_beat {
            if seat == SEATS {
                break;
            }
            let join = Action::Join {
                name: format!("player {seat}"),
                role: None,
            };
            rec.apply(&mut drill, &Input::new(seat, join));
            if seat % 10 == 0 {
                let note = Action::Note {
                    text: format!("TODO: seat {seat} saw it"),
                };
                rec.apply(&mut drill, &Input::new(seat, note));
            }
            seat += 1;
        }
        rec.apply(&mut drill, &Input::new(0, Action::Tick));
    }
    assert!(rec.finish().complete);
    eprintln!(
        "large recording: {SEATS} seats over {BEATS} beats, played live in {:.2?}",
        started.elapsed()
    );
    (Recording::load(&path).unwrap(), scenario)
}

fn large(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (rec, scenario) = large_recording(dir.path());
    let replay = Replay::open(rec.clone(), scenario.clone(), false).unwrap();
    assert_eq!(replay.last_beat(), BEATS);
    assert_eq!(replay.final_drill().seats.len(), SEATS as usize);
    eprintln!(
        "{} inputs, {} log entries",
        rec.inputs.len(),
        replay.final_drill().log.len()
    );

    let mut g = c.benchmark_group("large recording");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.bench_function("Replay::open, 100k seats over 2 h", |b| {
        b.iter(|| {
            black_box(
                Replay::open(rec.clone(), scenario.clone(), false)
                    .unwrap()
                    .last_beat(),
            )
        })
    });
    g.bench_function("debrief::build, 100k seats over 2 h", |b| {
        b.iter(|| black_box(debrief::from_replay(&replay).timeline.len()))
    });
    g.bench_function("seek(random beat), 100k seats over 2 h", |b| {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        b.iter(|| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            black_box(replay.state_at(x % (BEATS + 1)).beat)
        })
    });
    g.finish();
}

criterion_group!(benches, large);
criterion_main!(benches);
