//! Every command that prints, through the real binary, with standard output closed by its
//! reader (what `| head -1` leaves once head has exited) and with standard output on a full
//! disk (`>/dev/full`): a closed pipe ends quietly with status 141, a full disk with a clear
//! message and status 1. Never a panic.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A data directory with one recorded drill.
    fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        let out = site.run(
            &[
                "play",
                "bad-deploy",
                "--headless",
                "--cues",
                "scenarios/bad-deploy.win.cues",
                "--record",
                site.recording().to_str().unwrap(),
            ],
            Stdio::null(),
        );
        assert!(out.status.success(), "{out:?}");
        site
    }

    fn recording(&self) -> PathBuf {
        self.dir.path().join("data/recordings/win.jsonl")
    }

    fn run(&self, args: &[&str], stdout: Stdio) -> Output {
        let d = self.dir.path();
        Command::new(common::BIN)
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("GAMELAN_CONFIG_DIR", d.join("config"))
            .env("GAMELAN_DATA_DIR", d.join("data"))
            .env("GAMELAN_RUNTIME_DIR", d.join("run"))
            .env("RUST_BACKTRACE", "0")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::piped())
            .output()
            .expect("run gamelan")
    }
}

/// A pipe whose reading end is already closed.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

fn dev_full() -> Stdio {
    Stdio::from(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap(),
    )
}

/// Every printing command, with arguments that make it print.
fn commands(site: &Site) -> Vec<Vec<String>> {
    let rec = site.recording().display().to_string();
    let cues = "scenarios/bad-deploy.win.cues";
    [
        vec!["scenarios"],
        vec!["recordings"],
        vec!["drills"],
        vec!["debrief", &rec],
        vec!["debrief", &rec, "--format", "json"],
        vec!["check", "scenarios/bad-deploy.toml"],
        vec!["check", "tests/fixtures/bad/syntax.toml"],
        vec!["replay", &rec, "--headless", "--to", "3:1"],
        vec!["play", "bad-deploy", "--headless", "--cues", cues],
        vec!["completions", "bash"],
        vec!["man"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(str::to_string).collect())
    .collect()
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn every_command_prints_when_it_can() {
    let site = Site::new();
    for cmd in commands(&site) {
        let out = site.run(&args(&cmd), Stdio::piped());
        assert!(!out.stdout.is_empty(), "{cmd:?} printed nothing: {out:?}");
    }
}

#[test]
fn a_closed_pipe_ends_every_command_quietly_with_141() {
    let site = Site::new();
    for cmd in commands(&site) {
        let out = site.run(&args(&cmd), closed_pipe());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(141), "{cmd:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("error:"),
            "{cmd:?} said: {stderr}"
        );
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_status_1() {
    let site = Site::new();
    for cmd in commands(&site) {
        let out = site.run(&args(&cmd), dev_full());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{cmd:?}: {stderr}");
        assert!(
            stderr.contains("error: cannot write to standard output: No space left on device"),
            "{cmd:?} said: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{cmd:?} said: {stderr}");
    }
}

#[test]
fn head_on_a_long_listing_ends_quietly() {
    // Enough scenarios of the user's own that the listing outgrows any pipe buffer.
    let site = Site::new();
    let dir = site.dir.path().join("config/scenarios");
    std::fs::create_dir_all(&dir).unwrap();
    let src = std::fs::read_to_string("scenarios/bad-deploy.toml").unwrap();
    let id_line = src
        .lines()
        .find(|l| l.trim_start().starts_with("id ="))
        .unwrap()
        .to_string();
    for i in 0..1200 {
        let text = src.replacen(&id_line, &format!("id = \"mine-{i:04}\""), 1);
        std::fs::write(dir.join(format!("mine-{i:04}.toml")), text).unwrap();
    }
    let out = Command::new("bash")
        .args([
            "-c",
            "\"$G\" scenarios | head -1; echo \"STATUS=${PIPESTATUS[0]}\"",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("G", common::BIN)
        .env("GAMELAN_CONFIG_DIR", site.dir.path().join("config"))
        .env("GAMELAN_DATA_DIR", site.dir.path().join("data"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.starts_with("ID "), "{stdout}");
    assert!(
        stdout.contains("STATUS=141") || stdout.contains("STATUS=0"),
        "{stdout}{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
