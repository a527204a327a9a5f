//! Recordings made the way a user makes them: a cue script played headless with `--record`,
//! and a bundled scenario's run moved to a chosen day so a history has a known order.

use std::path::{Path, PathBuf};
use std::process::Output;

/// The cue script that wins bad-deploy: the run most recording tests record.
pub const BAD_DEPLOY_WIN: &str = "scenarios/bad-deploy.win.cues";

/// `gamelan play SCENARIO --headless --cues CUES --record [TO]` with `data` as the data
/// directory: `scenario` is a catalogue id or a file, and without `to` the recording goes
/// where gamelan puts it (`data/recordings`). The caller checks the status.
pub fn play_recorded(data: &Path, scenario: &str, cues: &str, to: Option<&Path>) -> Output {
    let mut args = vec!["play", scenario, "--headless", "--cues", cues, "--record"];
    if let Some(to) = to {
        args.push(to.to_str().unwrap());
    }
    super::gamelan_with_data(data, &args)
}

/// Plays `scenario`'s `kind` script (`win`, `lose`, …) headless with `data` as the data
/// directory, recorded into `dir` as started on 2025-05-`day` at 14:00 UTC; returns the file.
pub fn record_on_day(data: &Path, dir: &Path, scenario: &str, kind: &str, day: u32) -> PathBuf {
    let path = dir.join(format!("2025-05-{day:02}-{scenario}-{kind}.jsonl"));
    let cues = format!("scenarios/{scenario}.{kind}.cues");
    let out = play_recorded(data, scenario, &cues, Some(&path));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let src = std::fs::read_to_string(&path).unwrap();
    let started = src.split("\"started\":\"").nth(1).unwrap()[..20].to_string();
    let src = src.replacen(&started, &format!("2025-05-{day:02}T14:00:00Z"), 1);
    std::fs::write(&path, src).unwrap();
    path
}
