//! The real binary in a real pseudo-terminal: start a drill, dismiss the briefing, press cue
//! keys, resize, quit, and check the shell gets its terminal back (cooked mode, main screen).

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits (bounded) until the screen shows `needle`.
    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let t = self.text();
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
}

#[test]
fn play_keys_resize_quit_restores_the_terminal() {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new("sh");
    let bin = env!("CARGO_BIN_EXE_gamelan");
    cmd.args([
        "-c",
        &format!("'{bin}' play bad-deploy --tempo 240; echo EXIT=$?; stty -a"),
    ]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("GAMELAN_CONFIG_DIR", dir.path().join("config"));
    cmd.env("GAMELAN_DATA_DIR", dir.path().join("data"));
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        24.try_into().unwrap(),
        80.try_into().unwrap(),
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
    let screen = Screen {
        parser: parser.clone(),
    };
    let mut keys = pair.master.take_writer().unwrap();
    let mut press = |s: &str| {
        keys.write_all(s.as_bytes()).unwrap();
        keys.flush().unwrap();
        std::thread::sleep(Duration::from_millis(120));
    };

    screen.wait_for("Enter starts the metronome");
    assert!(
        parser.lock().unwrap().screen().alternate_screen(),
        "drill runs on the alternate screen"
    );
    press("\r");
    screen.wait_for("RUNNING");
    screen.wait_for("FIRING"); // the page fires a few beats in (240 BPM)
    press("a");
    screen.wait_for("Page acknowledged");
    press("g");
    screen.wait_for("runbook 2/2: Deploy history");
    press("z");
    screen.wait_for("nothing on `z`");

    pair.master
        .resize(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    parser.lock().unwrap().screen_mut_resize(40, 120);
    screen.wait_for("gamelan · Checkout 5xx");

    press("q");
    screen.wait_for("Leave the drill while it runs?");
    press("y");
    let status = child.wait().unwrap();
    pump.join().unwrap();
    let t = screen.text();
    assert!(status.success(), "{t}");
    assert!(t.contains("EXIT=0"), "gamelan exited cleanly:\n{t}");
    assert!(
        !parser.lock().unwrap().screen().alternate_screen(),
        "back on the main screen"
    );
    // `stty -a` after gamelan: canonical mode and echo are back on.
    assert!(
        t.contains(" icanon") && t.contains(" echo "),
        "terminal still raw:\n{t}"
    );
}

trait ResizeScreen {
    fn screen_mut_resize(&mut self, rows: u16, cols: u16);
}

impl ResizeScreen for vt100::Parser {
    fn screen_mut_resize(&mut self, rows: u16, cols: u16) {
        self.set_size(rows.try_into().unwrap(), cols.try_into().unwrap());
    }
}
