//! `gamelan vista` as a user runs it, in a real pseudo-terminal: a command pane shows values,
//! the tour shows the pane's note, a bad edit to vista.toml is reported as file:line:col while
//! the last good vista stays, a good edit applies without a restart, and q gives the terminal
//! back.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn wait_for(parser: &Arc<Mutex<vt100::Parser>>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let t = parser.lock().unwrap().screen().contents();
        if t.contains(needle) {
            return t;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {needle:?}; screen:\n{t}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

const GOOD: &str = r#"[vista]
title = "reload test"
refresh = "200ms"
columns = 2

[[panes]]
id = "answer"
title = "The answer"
note = "Forty-two is what we expect here."
kind = "list"
source = { type = "command", command = "echo answer=42", parse = "numbers" }

[[panes]]
id = "lines"
title = "Lines"
kind = "log"
source = { type = "command", command = "printf 'hello\nERROR boom\n'", parse = "lines" }
"#;

#[test]
fn vista_tour_and_hot_reload_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("vista.toml");
    std::fs::write(&cfg, GOOD).unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new("sh");
    let bin = env!("CARGO_BIN_EXE_gamelan");
    cmd.args([
        "-c",
        &format!(
            "'{bin}' vista --config '{}'; echo EXIT=$?; stty -a",
            cfg.display()
        ),
    ]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("GAMELAN_CONFIG_DIR", dir.path().join("config"));
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        30.try_into().unwrap(),
        100.try_into().unwrap(),
        0,
    )));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let p = parser.clone();
    let pump = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut keys = pair.master.take_writer().unwrap();
    let mut press = |s: &str| {
        keys.write_all(s.as_bytes()).unwrap();
        keys.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    };
    wait_for(&parser, "reload test");
    wait_for(&parser, "42");
    wait_for(&parser, "ERROR boom");
    press("t");
    wait_for(&parser, "Forty-two is what we expect here.");
    press("\x1b");

    // A bad edit: reported with its position, the last good vista stays.
    std::fs::write(&cfg, GOOD.replace("columns = 2", "columns = 2\nbogus = 1")).unwrap();
    let t = wait_for(&parser, "vista.toml:5:1");
    assert!(t.contains("kept the last good vista"), "{t}");
    assert!(t.contains("The answer"), "{t}");
    // A good edit applies without a restart.
    std::fs::write(
        &cfg,
        GOOD.replace("echo answer=42", "echo answer=43")
            .replace("The answer", "New answer"),
    )
    .unwrap();
    wait_for(&parser, "New answer");
    wait_for(&parser, "43");

    press("q");
    let status = child.wait().unwrap();
    pump.join().unwrap();
    let t = parser.lock().unwrap().screen().contents();
    assert!(status.success() && t.contains("EXIT=0"), "{t}");
    assert!(t.contains(" icanon"), "terminal restored:\n{t}");
}
