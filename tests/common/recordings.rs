//! Recordings made the way a user makes them: a bundled scenario's cue script played headless
//! with `--record`, its start moved to a chosen day so a history has a known order.

use std::path::{Path, PathBuf};

/// Plays `scenario`'s `kind` script (`win`, `lose`, …) headless with `data` as the data
/// directory, recorded into `dir` as started on 2025-05-`day` at 14:00 UTC; returns the file.
pub fn record_on_day(data: &Path, dir: &Path, scenario: &str, kind: &str, day: u32) -> PathBuf {
    let path = dir.join(format!("2025-05-{day:02}-{scenario}-{kind}.jsonl"));
    let cues = format!("scenarios/{scenario}.{kind}.cues");
    let out = super::gamelan_with_data(
        data,
        &[
            "play",
            scenario,
            "--headless",
            "--cues",
            &cues,
            "--record",
            path.to_str().unwrap(),
        ],
    );
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
