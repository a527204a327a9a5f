//! `gamelan vista` as a user runs it, in a real pseudo-terminal: a command pane shows values,
//! the tour shows the pane's note, a bad edit to vista.toml is reported as file:line:col while
//! the last good vista stays, a good edit applies without a restart, and q gives the terminal
//! back.

mod common;

use common::Term;

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
    let config_dir = dir.path().join("config");
    let script = format!(
        "\"$G\" vista --config '{}'; echo EXIT=$?; stty -a",
        cfg.display()
    );
    let mut t = Term::sh(
        "vista",
        &script,
        &[("GAMELAN_CONFIG_DIR", config_dir.as_os_str())],
        100,
        30,
    );
    t.wait_for("reload test");
    t.wait_for("42");
    t.wait_for("ERROR boom");
    t.press("t");
    t.wait_for("Forty-two is what we expect here.");
    t.press("\x1b");

    // A bad edit: reported with its position, the last good vista stays.
    std::fs::write(&cfg, GOOD.replace("columns = 2", "columns = 2\nbogus = 1")).unwrap();
    let screen = t.wait_for("vista.toml:5:1");
    assert!(screen.contains("kept the last good vista"), "{screen}");
    assert!(screen.contains("The answer"), "{screen}");
    // A good edit applies without a restart.
    std::fs::write(
        &cfg,
        GOOD.replace("echo answer=42", "echo answer=43")
            .replace("The answer", "New answer"),
    )
    .unwrap();
    t.wait_for("New answer");
    t.wait_for("43");

    t.press("q");
    assert!(t.wait_exit().success(), "{}", t.text());
    let screen = t.wait_stty();
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains(" icanon"), "terminal restored:\n{screen}");
}
