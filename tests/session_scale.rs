//! Scale of a session in one `gamelan serve`: active seats and observers, every one a russh
//! client with a pty of its own size (80x24 up to 200x60), all in one session of the bundled
//! weekly setlist. The room publishes one snapshot a beat that every seat draws and diffs at
//! its own size. Measures the server's CPU (utime+stime from /proc/PID/stat over the window),
//! peak resident memory (VmHWM) and the terminal bytes each seat receives per second; asserts
//! that every seat was seated and drawn and that the room kept its beat.
//!
//! By default a small run (10 active seats, 20 observers, 4 s) so that it always runs with
//! `cargo test`. The documented measurement (README, performance) is the full size:
//!
//! ```sh
//! GAMELAN_SCALE_ACTIVE=25 GAMELAN_SCALE_OBSERVERS=100 GAMELAN_SCALE_SECS=30 \
//!     cargo test --release --test session_scale -- --nocapture
//! ```

mod common;

use common::scale::{Seat, cpu_ticks, env_or, open_seat, start_serve, status_kb};
use russh::Disconnect;
use russh::keys::{Algorithm, PrivateKey};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Measures the server over `secs`: CPU, peak memory and each seat's bytes; prints a line.
async fn measure(all: &[Seat], pid: u32, secs: u64, what: &str, active: usize, observers: usize) {
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
    let hwm = status_kb(pid, "VmHWM:");
    let cpu = (cpu1 - cpu0) as f64 / ticks_per_s / elapsed * 100.0;
    let per_seat: Vec<f64> = got.iter().map(|b| *b as f64 / elapsed).collect();
    let mean = per_seat.iter().sum::<f64>() / per_seat.len() as f64;
    let max = per_seat.iter().cloned().fold(0.0, f64::max);
    println!(
        "gamelan serve: one session ({what}), {active} active seats + {observers} observers, sizes 80x24 to 200x60, over {elapsed:.1} s:\n  \
         CPU {cpu:.1}% of one core · peak RSS {:.1} MiB · {mean:.0} bytes/seat/s (max {max:.0})",
        hwm as f64 / 1024.0,
    );
    assert!(cpu < 100.0, "one session ({what}) used {cpu:.1}% of a core");
}

/// The pty sizes seats cycle through.
const SIZES: [(u32, u32); 5] = [(80, 24), (100, 30), (120, 40), (160, 48), (200, 60)];

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_session_of_active_seats_and_observers_holds() {
    let active = env_or("GAMELAN_SCALE_ACTIVE", 10).max(1) as usize;
    let observers = env_or("GAMELAN_SCALE_OBSERVERS", 20) as usize;
    let secs = env_or("GAMELAN_SCALE_SECS", 4).max(1);

    let dir = tempfile::tempdir().unwrap();
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
    let public = key.public_key().to_openssh().unwrap();
    std::fs::write(dir.path().join("authorized_keys"), format!("{public}\n")).unwrap();
    let key = Arc::new(key);
    let (server, pid, port) = start_serve(dir.path(), &[]).await;

    // The first seat opens the session and facilitates; the others take part or observe.
    let setup = async {
        let mut all = Vec::new();
        all.push(open_seat(port, &key, "lead", "session weekly", b"", SIZES[0]).await);
        for i in 1..active + observers {
            let cmd = if i < active {
                "join weekly-1"
            } else {
                "observe weekly-1"
            };
            let size = SIZES[i % SIZES.len()];
            all.push(open_seat(port, &key, &format!("seat{i}"), cmd, b"", size).await);
        }
        all
    };
    let all = tokio::time::timeout(Duration::from_secs(120), setup)
        .await
        .expect("seats did not all connect within 120 s");

    // Each segment in turn, moved on by the facilitator's keys as a person presses them:
    // the gathering, the walkthrough (the simulated vista), the wheel (a spin, then the turn)
    // and the drill (Enter starts its metronome).
    let phases: [(&str, &[u8]); 4] = [
        ("gathering", b""),
        ("walkthrough", b">"),
        ("wheel, a spin then its turn", b"> "),
        ("drill at 60 BPM", b">\r"),
    ];
    for (what, keys) in phases {
        for k in keys {
            all[0].keys.data(&[*k][..]).await.expect("keys");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        measure(&all, pid, secs, what, active, observers).await;
    }
    for (i, s) in all.iter().enumerate() {
        // Every seat was drawn: at least the terminal set-up and its first frame.
        assert!(
            s.bytes.load(Ordering::Relaxed) > 0,
            "seat {i} never got a byte"
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

/// The same session in process, in its drill segment: every seat a [`Peer`] at its own size
/// (the seat driver `serve` and the socket use), the drill at 120 BPM, each beat's drill state
/// drawn and diffed for every seat. Measures this process's CPU and the bytes each seat is
/// sent per second; every seat must keep getting frames.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drill_segment_draws_every_seat_at_its_own_size() {
    use gamelan::room::Naming;
    use gamelan::room::session::{SessionRecorder, SessionRoom, SessionSpec, StagePlan};
    use gamelan::seat::driver::{ColourDepth, Peer};
    use gamelan::session::record::{Embedded, Header};
    use gamelan::session::{Plan, Session, SessionAction, VistaShape};
    use gamelan::session::{bundled, deck, setlist};

    let active = env_or("GAMELAN_SCALE_ACTIVE", 10).max(1) as usize;
    let observers = env_or("GAMELAN_SCALE_OBSERVERS", 20) as usize;
    let secs = env_or("GAMELAN_SCALE_SECS", 4).max(1);
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = bundled::setlist("weekly").unwrap();
    let list = setlist::load_str(text, "sessions/weekly.toml").unwrap();
    let plan = Plan::resolve(list, |r| {
        deck::load_str(bundled::deck(&r.name).unwrap(), &r.name)
    })
    .unwrap();
    let s = gamelan::scenario::bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == "bad-deploy")
        .unwrap()
        .scenario;
    let header = Header::new(
        &Session::new(Arc::new(plan.clone()), 1),
        "2026-12-01T10:00:00Z".into(),
        Embedded {
            name: "weekly".into(),
            text: text.into(),
        },
        vec![Embedded {
            name: "stack.deck.toml".into(),
            text: bundled::deck("stack.deck.toml").unwrap().into(),
        }],
    );
    let room = SessionRoom::spawn(SessionSpec {
        name: "weekly".into(),
        plan: Arc::new(plan),
        seed: 1,
        stages: vec![
            StagePlan::Simulated {
                shape: VistaShape::of_scenario(&s),
                scenario: s.clone(),
                seed: 1,
            },
            StagePlan::Nothing,
            StagePlan::Drill {
                scenario: s,
                seed: 1,
                tempo: Some(120),
            },
            StagePlan::Nothing,
        ],
        recorder: Some(SessionRecorder::create(&dir.path().join("s.jsonl"), &header).unwrap()),
        started: "2026-12-01T10:00:00Z".into(),
        drill_recordings: Some(dir.path().to_path_buf()),
    });
    let theme = gamelan::ui::theme::Theme::default();
    let mut seats = Vec::new();
    let mut lead = None;
    for i in 0..active + observers {
        let observe = i >= active;
        let seated = room
            .join(&format!("seat{i}"), observe, Naming::Exact)
            .await
            .unwrap();
        if i == 0 {
            lead = Some(seated.id);
        }
        let (keys, input) = tokio::sync::mpsc::channel(8);
        let (output, mut frames) = tokio::sync::mpsc::channel::<Vec<u8>>(8);
        let bytes = Arc::new(AtomicU64::new(0));
        let b = bytes.clone();
        tokio::spawn(async move {
            while let Some(f) = frames.recv().await {
                b.fetch_add(f.len() as u64, Ordering::Relaxed);
            }
        });
        let (room, theme) = (room.clone(), theme.clone());
        let (cols, rows) = SIZES[i % SIZES.len()];
        tokio::spawn(async move {
            let mut peer = Peer::new(
                input,
                output,
                (cols as u16, rows as u16),
                ColourDepth::Ansi256,
            )
            .unwrap();
            gamelan::seat::session::drive(room, seated, observe, &theme, &mut peer).await
        });
        seats.push((keys, bytes));
    }
    let lead = lead.unwrap();
    for _ in 0..3 {
        room.act(lead, SessionAction::Next).await.unwrap();
    }
    let mut rx = room.state();
    let stage = tokio::time::timeout(Duration::from_secs(20), rx.wait_for(|s| s.drill.is_some()))
        .await
        .expect("the drill segment")
        .unwrap()
        .drill
        .clone()
        .unwrap();
    stage.room.start().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pid = std::process::id();
    let ticks_per_s = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let before: Vec<u64> = seats
        .iter()
        .map(|(_, b)| b.load(Ordering::Relaxed))
        .collect();
    let cpu0 = cpu_ticks(pid);
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(secs)).await;
    let cpu1 = cpu_ticks(pid);
    let elapsed = t0.elapsed().as_secs_f64();
    let got: Vec<u64> = seats
        .iter()
        .zip(&before)
        .map(|((_, b), b0)| b.load(Ordering::Relaxed) - b0)
        .collect();
    let cpu = (cpu1 - cpu0) as f64 / ticks_per_s / elapsed * 100.0;
    let mean = got.iter().sum::<u64>() as f64 / got.len() as f64 / elapsed;
    println!(
        "in process: a drill segment at 120 BPM, {active} active seats + {observers} observers, sizes 80x24 to 200x60, over {elapsed:.1} s:\n  \
         CPU {cpu:.1}% of one core · peak RSS {:.1} MiB · {mean:.0} bytes/seat/s",
        status_kb(pid, "VmHWM:") as f64 / 1024.0
    );
    for (i, b) in got.iter().enumerate() {
        assert!(
            *b as f64 >= 100.0 * elapsed,
            "seat {i} got only {b} bytes in {elapsed:.1} s"
        );
    }
    room.close("done").await;
    drop(seats);
}
