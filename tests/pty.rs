//! The real binary in a real pseudo-terminal: start a drill, dismiss the briefing, press cue
//! keys, resize, quit, and check the shell gets its terminal back (cooked mode, main screen).

mod common;

use common::Term;
use std::ffi::OsStr;

#[test]
fn play_keys_resize_quit_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (config, data) = (dir.path().join("config"), dir.path().join("data"));
    let env = [
        ("GAMELAN_CONFIG_DIR", config.as_os_str()),
        ("GAMELAN_DATA_DIR", data.as_os_str()),
        ("USER", OsStr::new("ana")),
    ];
    let mut t = Term::sh(
        "play",
        "\"$G\" play bad-deploy --tempo 240; echo EXIT=$?; stty -a",
        &env,
        80,
        24,
    );

    t.wait_for("Enter starts the metronome");
    assert!(t.alternate_screen(), "drill runs on the alternate screen");
    t.press("\r");
    t.wait_for("RUNNING");
    t.wait_for("FIRING"); // the page fires a few beats in (240 BPM)
    t.press("a");
    t.wait_for("Page acknowledged");
    t.press("g");
    t.wait_for("runbook 2/2: Deploy history");
    t.press("z");
    t.wait_for("nothing on `z`");

    t.resize(120, 40);
    t.wait_for("gamelan · Checkout 5xx");

    t.press("q");
    t.wait_for("Leave the drill while it runs?");
    t.press("y");
    assert!(t.wait_exit().success(), "{}", t.text());
    let screen = t.wait_stty();
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(!t.alternate_screen(), "back on the main screen");
    // `stty -a` after gamelan: canonical mode and echo are back on.
    assert!(
        screen.contains(" icanon") && screen.contains(" echo "),
        "terminal still raw:\n{screen}"
    );
    let recorded = std::fs::read_dir(data.join("recordings")).unwrap().count();
    assert_eq!(recorded, 1, "the drill was recorded");
}
