//! Files that belong to the user are never lost or hidden: `gamelan drills` and `gamelan join`
//! remove only real stale sockets (never a regular file or a symlink named `NAME.sock`), and
//! a bad `config.toml` shows on the console's first screen instead of vanishing on stderr.

mod common;

use common::Term;
use std::ffi::OsStr;
use std::os::unix::net::UnixListener;
use std::path::Path;
use std::process::Command;

fn gamelan(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(common::BIN)
        .args(args)
        .env("GAMELAN_CONFIG_DIR", home.join("config"))
        .env("GAMELAN_DATA_DIR", home.join("data"))
        .env("GAMELAN_RUNTIME_DIR", home.join("run"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn only_real_stale_sockets_are_removed() {
    let home = tempfile::tempdir().unwrap();
    let drills = home.path().join("run/drills");
    std::fs::create_dir_all(&drills).unwrap();
    let notes = home.path().join("notes.txt");
    std::fs::write(&notes, "keep me").unwrap();
    std::fs::write(drills.join("plain.sock"), "a regular file").unwrap();
    std::os::unix::fs::symlink(&notes, drills.join("link.sock")).unwrap();
    // A socket whose listener is gone: bound, then dropped (the file stays).
    drop(UnixListener::bind(drills.join("stale.sock")).unwrap());
    // A symlink to that stale socket is still not ours to remove.
    std::os::unix::fs::symlink(drills.join("stale.sock"), drills.join("alias.sock")).unwrap();

    let out = gamelan(home.path(), &["drills"]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("removed a stale socket: stale"), "{stderr}");
    assert!(!drills.join("stale.sock").exists(), "the stale socket goes");
    for kept in ["plain.sock", "link.sock", "alias.sock"] {
        assert!(
            drills.join(kept).symlink_metadata().is_ok(),
            "{kept} was removed; stderr: {stderr}"
        );
    }
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "keep me");

    // Asking for one by name does not remove it either.
    for name in ["plain", "link"] {
        let out = gamelan(home.path(), &["join", name]);
        assert!(!out.status.success());
        assert!(
            drills
                .join(format!("{name}.sock"))
                .symlink_metadata()
                .is_ok(),
            "join {name} removed it: {out:?}"
        );
    }
}

fn console(home: &Path, script: &str) -> Term {
    let (config, data, run) = (home.join("config"), home.join("data"), home.join("run"));
    let env = [
        ("GAMELAN_CONFIG_DIR", config.as_os_str()),
        ("GAMELAN_DATA_DIR", data.as_os_str()),
        ("GAMELAN_RUNTIME_DIR", run.as_os_str()),
        ("USER", OsStr::new("ana")),
    ];
    Term::sh("console", script, &env, 100, 30)
}

#[test]
fn a_bad_config_toml_shows_on_the_first_screen_of_every_console() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::write(
        home.path().join("config/config.toml"),
        "theme = \"light\"\ntempo = \"fast\"\n",
    )
    .unwrap();
    for (what, script, ready) in [
        (
            "play",
            "\"$G\" play bad-deploy",
            "Enter starts the metronome",
        ),
        ("lobby", "\"$G\"", "bad-deploy"),
        ("vista", "\"$G\" vista", "vista"),
    ] {
        let t = console(home.path(), &format!("{script} 2>/dev/null"));
        t.wait_for(ready);
        let screen = t.wait_for("config.toml:2:9:");
        assert!(
            screen
                .lines()
                .last()
                .is_some_and(|l| l.contains("config.toml:2:9:")),
            "{what}: not on the status line:\n{screen}"
        );
    }
    // Without a console the problem still goes to stderr.
    let rec = home.path().join("r.jsonl");
    let out = Command::new(common::BIN)
        .args(["play", "bad-deploy", "--headless", "--cues"])
        .arg("scenarios/bad-deploy.win.cues")
        .arg("--record")
        .arg(&rec)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("GAMELAN_CONFIG_DIR", home.path().join("config"))
        .env("GAMELAN_DATA_DIR", home.path().join("data"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("config.toml:2:9:") && stderr.contains("(using default settings)"),
        "{stderr}"
    );
}
