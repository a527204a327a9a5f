//! The real binary in a real pseudo-terminal: start a drill, write a note on the briefing,
//! scroll help, press cue keys and click a cue, resize, quit, and check the shell gets its
//! terminal back (cooked mode, main screen, no mouse reporting).

mod common;

use common::Term;
use std::ffi::OsStr;

/// A user's own config and data folders under a temporary home, and a file for what the
/// console says on standard error; every console started from it is `ana`'s.
struct Home {
    _dir: tempfile::TempDir,
    data: std::path::PathBuf,
    said: std::path::PathBuf,
    config: std::path::PathBuf,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        Home {
            config: dir.path().join("config"),
            data: dir.path().join("data"),
            said: dir.path().join("said.txt"),
            _dir: dir,
        }
    }

    /// `script` in a shell in a terminal of `w`x`h`, with `$G`, the folders and `$SAID` set.
    fn sh(&self, name: &str, script: &str, w: u16, h: u16) -> Term {
        let env = [
            ("GAMELAN_CONFIG_DIR", self.config.as_os_str()),
            ("GAMELAN_DATA_DIR", self.data.as_os_str()),
            ("USER", OsStr::new("ana")),
            ("SAID", self.said.as_os_str()),
        ];
        Term::sh(name, script, &env, w, h)
    }
}

#[test]
fn play_keys_resize_quit_restores_the_terminal() {
    let home = Home::new();
    let mut t = home.sh(
        "play",
        "\"$G\" play bad-deploy --tempo 240; echo EXIT=$?; stty -a",
        80,
        24,
    );

    t.wait_for("Enter starts the metronome");
    assert!(t.alternate_screen(), "drill runs on the alternate screen");
    assert!(
        t.mouse_reporting(),
        "the mouse is reported while the console runs"
    );
    // On the briefing, `n` opens a note and what follows is its text, not commands.
    t.press("n");
    t.wait_for("note @ 1:1:");
    t.press("hello, checking the deploys");
    t.wait_for("hello, checking the deploys▌");
    t.press("\r");
    t.wait_all(&["note saved", "Enter starts the metronome", "READY"]);
    // `?` opens help; it scrolls to its end at 80x24.
    t.press("?");
    t.wait_for("keys in force");
    t.send(b"\x1b[F"); // End
    t.wait_for("After the drill ends");
    t.press("x");
    t.wait_for("Enter starts the metronome");
    t.press("\r");
    t.wait_for("RUNNING");
    t.wait_for("FIRING"); // the page fires a few beats in (240 BPM)
    t.press("a");
    t.wait_for("Page acknowledged");
    // A click on a cue presses it: SGR mouse report, columns and rows from 1.
    let (x, y) = t.find("[g]").expect("the deploys cue on screen");
    t.send(format!("\x1b[<0;{};{}M\x1b[<0;{};{}m", x + 2, y + 1, x + 2, y + 1).as_bytes());
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
    assert!(
        !t.mouse_reporting(),
        "mouse reporting and bracketed paste are off again"
    );
    // `stty -a` after gamelan: canonical mode and echo are back on.
    assert!(
        screen.contains(" icanon") && screen.contains(" echo "),
        "terminal still raw:\n{screen}"
    );
    let recorded = std::fs::read_dir(home.data.join("recordings"))
        .unwrap()
        .count();
    assert_eq!(recorded, 1, "the drill was recorded");
}

#[test]
fn the_end_screen_writes_the_html_debrief_and_the_exit_says_how() {
    let home = Home::new();
    let mut t = home.sh(
        "play",
        "\"$G\" play bad-deploy --tempo 600; echo EXIT=$?",
        80,
        24,
    );
    t.wait_for("Enter starts the metronome");
    t.press("\r");
    t.wait_for("RUNNING");
    // 96 beats at 600 BPM: the drill runs out of time in about ten seconds.
    t.wait_until("the hot wash", |s| {
        s.contains("The drill has ended") && s.contains("H  write the HTML debrief")
    });
    t.press("H");
    let screen = t.wait_for("wrote ");
    let recs = home.data.join("recordings");
    let page = std::fs::read_dir(&recs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".debrief.html"))
        .unwrap_or_else(|| panic!("no page beside the recording:\n{screen}"));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg class=\"chart\""));
    t.press("q");
    assert!(t.wait_exit().success(), "{}", t.text());
    let after = t.wait_for("EXIT=0");
    assert!(
        after.replace('\n', "").contains("--format html -o"),
        "the exit message names the HTML command:\n{after}"
    );
}

#[test]
fn quitting_the_lobby_says_where_each_drill_and_fork_was_recorded() {
    let home = Home::new();
    let mut t = home.sh("lobby", "\"$G\" 2>\"$SAID\"; echo EXIT=$?", 100, 30);
    // Two drills from the lobby, each left while it runs.
    for _ in 0..2 {
        t.wait_for("r recordings");
        t.press("\r");
        t.wait_for("Enter starts the metronome");
        t.press("\r");
        t.wait_for("RUNNING");
        t.press("q");
        t.wait_for("Leave the drill while it runs?");
        t.press("y");
    }
    // A replay forked from the library, left at once.
    t.wait_for("r recordings");
    t.press("r");
    t.wait_for("recordings · 2 of 2");
    t.press("\r");
    t.wait_for("REPLAY");
    t.press("f");
    t.wait_for("forked at beat");
    t.press("q");
    t.press("y");
    t.wait_for("fork recorded to");
    t.press("q");
    t.wait_for("r recordings");
    t.press("q");
    assert!(t.wait_exit().success(), "{}", t.text());
    t.wait_for("EXIT=0");
    let said = std::fs::read_to_string(&home.said).unwrap();
    // "recorded to PATH", then the commands to look at it, one a line.
    let lines: Vec<&str> = said.lines().filter(|l| !l.starts_with("  ")).collect();
    let commands: Vec<&str> = said
        .lines()
        .filter(|l| l.starts_with("  gamelan "))
        .collect();
    let mut recs: Vec<String> = std::fs::read_dir(home.data.join("recordings"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    recs.sort();
    assert_eq!(recs.len(), 3, "two drills and a fork: {recs:?}");
    assert_eq!(lines.len(), 3, "one \"recorded to\" a recording:\n{said}");
    assert!(lines[0].starts_with("recorded to ") && lines[1].starts_with("recorded to "));
    assert!(lines[2].starts_with("fork recorded to "), "{said}");
    for rec in &recs {
        let named = commands
            .iter()
            .filter(|l| l.ends_with(&format!("gamelan replay {rec}")));
        assert_eq!(named.count(), 1, "{rec} named once:\n{said}");
    }
    assert_eq!(
        commands
            .iter()
            .filter(|l| l.contains("--format html -o"))
            .count(),
        3,
        "{said}"
    );
}

#[test]
fn a_replay_forks_into_the_seat_its_player_held() {
    let home = Home::new();
    // A drill left while it runs, then its replay forked by the same player.
    let mut t = home.sh(
        "fork",
        "\"$G\" play bad-deploy --tempo 240 --record \"$GAMELAN_DATA_DIR/run.jsonl\" && \
         \"$G\" replay \"$GAMELAN_DATA_DIR/run.jsonl\" 2>\"$SAID\"; echo EXIT=$?",
        100,
        30,
    );
    t.wait_for("Enter starts the metronome");
    t.press("\r");
    t.wait_for("FIRING");
    t.press("q");
    t.wait_for("Leave the drill while it runs?");
    t.press("y");
    t.wait_for("REPLAY");
    // At the first beat the player is still seated: the fork is theirs to play on.
    t.press("g");
    t.press("f");
    t.wait_for("forked at beat 0");
    t.press("\r");
    t.wait_for("FIRING");
    t.press("a");
    t.wait_for("Page acknowledged");
    t.press("q");
    t.press("y");
    assert!(t.wait_exit().success(), "{}", t.text());
    let screen = t.wait_for("EXIT=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    let said = std::fs::read_to_string(&home.said).unwrap();
    assert!(said.starts_with("fork recorded to "), "{said}");
}
