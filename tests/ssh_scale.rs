//! Scale of `gamelan serve`: many SSH seats across many drills, every drill's metronome at
//! 120 BPM, every seat a russh client with an 80x24 pty. Measures the server process's CPU
//! (utime+stime from /proc/PID/stat over the window), its resident memory, and the terminal
//! bytes each seat receives per second; asserts that every seat keeps getting frames.
//!
//! By default a small run (10 seats across 3 drills, 4 s) so that it always runs with
//! `cargo test`. The documented measurement (docs/ssh.md) is the full size:
//!
//! ```sh
//! GAMELAN_SCALE_SEATS=50 GAMELAN_SCALE_DRILLS=10 GAMELAN_SCALE_SECS=30 \
//!     cargo test --release --test ssh_scale -- --nocapture
//! ```

mod common;

use common::scale::{cpu_ticks, env_or, open_seat, start_serve, status_kb};
use russh::Disconnect;
use russh::keys::{Algorithm, PrivateKey};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

const SCENARIOS: [&str; 3] = ["bad-deploy", "cert-expiry", "queue-backlog"];

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn many_seats_across_many_drills_all_get_frames() {
    let seats = env_or("GAMELAN_SCALE_SEATS", 10).max(1) as usize;
    let drills = (env_or("GAMELAN_SCALE_DRILLS", 3).max(1) as usize).min(seats);
    let secs = env_or("GAMELAN_SCALE_SECS", 4).max(1);

    let dir = tempfile::tempdir().unwrap();
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
    let public = key.public_key().to_openssh().unwrap();
    std::fs::write(dir.path().join("authorized_keys"), format!("{public}\n")).unwrap();
    let key = Arc::new(key);

    let (server, pid, port) = start_serve(dir.path(), &["--tempo", "120"]).await;

    // The first seat of each drill opens it (every role) and starts the metronome with Enter;
    // the others join as operators.
    let setup = async {
        let mut all = Vec::new();
        let mut names = Vec::new();
        let mut counts = [0usize; SCENARIOS.len()];
        for d in 0..drills {
            let s = d % SCENARIOS.len();
            counts[s] += 1;
            names.push(format!("{}-{}", SCENARIOS[s], counts[s]));
            let cmd = format!("new {} solo", SCENARIOS[s]);
            all.push(open_seat(port, &key, &format!("lead{d}"), &cmd, b"\r", (80, 24)).await);
        }
        for i in drills..seats {
            let room = &names[i % drills];
            let cmd = format!("join {room} operator");
            all.push(open_seat(port, &key, &format!("seat{i}"), &cmd, b"", (80, 24)).await);
        }
        all
    };
    let all = tokio::time::timeout(Duration::from_secs(60), setup)
        .await
        .expect("seats did not all connect within 60 s");

    // Warm up until every seat has drawn its first frames (bounded), then measure: on a
    // loaded machine the last seats to connect may still be on their way in.
    let warm = Instant::now() + Duration::from_secs(30);
    tokio::time::sleep(Duration::from_secs(2)).await;
    while all.iter().any(|s| s.bytes.load(Ordering::Relaxed) < 1000) && Instant::now() < warm {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ticks_per_s = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let before: Vec<u64> = all
        .iter()
        .map(|s| s.bytes.load(Ordering::Relaxed))
        .collect();
    let cpu0 = cpu_ticks(pid);
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(secs)).await;
    let cpu1 = cpu_ticks(pid);
    let elapsed = t0.elapsed().as_secs_f64();
    let got: Vec<u64> = all
        .iter()
        .zip(&before)
        .map(|(s, b)| s.bytes.load(Ordering::Relaxed) - b)
        .collect();
    let rss = status_kb(pid, "VmRSS:");
    let hwm = status_kb(pid, "VmHWM:");

    let cpu = (cpu1 - cpu0) as f64 / ticks_per_s / elapsed * 100.0;
    let per_seat: Vec<f64> = got.iter().map(|b| *b as f64 / elapsed).collect();
    let mean = per_seat.iter().sum::<f64>() / per_seat.len() as f64;
    let min = per_seat.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = per_seat.iter().cloned().fold(0.0, f64::max);
    println!(
        "gamelan serve: {seats} seats across {drills} drills at 120 BPM, 80x24, over {elapsed:.1} s:\n  \
         CPU {cpu:.1}% of one core · RSS {:.1} MiB (peak {:.1} MiB) · \
         {mean:.0} bytes/seat/s (min {min:.0}, max {max:.0}) · {:.1} KiB/s in all",
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0,
        per_seat.iter().sum::<f64>() / 1024.0
    );
    for (i, b) in got.iter().enumerate() {
        // At 120 BPM every seat sees two beats a second, each a new frame.
        assert!(
            *b as f64 >= 100.0 * elapsed,
            "seat {i} got only {b} bytes in {elapsed:.1} s"
        );
    }
    for s in all {
        let _ = s
            .handle
            .disconnect(Disconnect::ByApplication, "done", "en")
            .await;
    }
    drop(server);
}
