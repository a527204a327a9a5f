//! Shell completions and the manual page, generated from the command line's definition: the
//! bash script loads in a real bash and completes subcommands, the page renders with groff
//! (or man) without warnings and names every subcommand.

mod common;

use common::gamelan;
use std::path::Path;
use std::process::{Command, Stdio};

/// Every subcommand, as `gamelan --help` lists it.
fn subcommands() -> Vec<String> {
    let out = gamelan("completions", &["--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn the_bash_script_loads_and_completes_subcommands_and_flags() {
    let bin = common::BIN;
    let script = format!(
        r#"source <("{bin}" completions bash) || exit 9
complete -p gamelan || exit 8
complete_line() {{ COMP_WORDS=($1); COMP_CWORD=$2; COMP_LINE="$1"; COMP_POINT=${{#COMP_LINE}}; COMPREPLY=(); _gamelan gamelan "${{COMP_WORDS[$2]}}" "${{COMP_WORDS[$2-1]}}"; echo "${{COMPREPLY[*]}}"; }}
complete_line "gamelan pl" 1
complete_line "gamelan completions " 2
complete_line "gamelan serve --login" 2
"#
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &script])
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].contains("-F _gamelan gamelan"),
        "registered: {stdout}"
    );
    assert_eq!(lines[1], "play", "{stdout}");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        assert!(lines[2].contains(shell), "shells offered: {}", lines[2]);
    }
    assert!(lines[3].contains("--login-grace"), "{}", lines[3]);
}

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    let subs = subcommands();
    assert!(subs.len() >= 14, "{subs:?}");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = gamelan("completions", &["completions", shell]);
        assert!(out.status.success(), "{shell}: {out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        for s in &subs {
            assert!(text.contains(s.as_str()), "{shell} script lacks {s}");
        }
    }
    // zsh and fish check their own scripts' syntax when they are installed.
    for (shell, check) in [("zsh", "-n"), ("fish", "--no-execute")] {
        let Some(path) = ["/usr/bin", "/bin"]
            .iter()
            .map(|d| Path::new(d).join(shell))
            .find(|p| p.exists())
        else {
            continue;
        };
        let script = gamelan("completions", &["completions", shell]).stdout;
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), script).unwrap();
        let out = Command::new(path)
            .arg(check)
            .arg(file.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell} {check}: {out:?}");
    }
}

#[test]
fn the_man_page_renders_and_names_every_subcommand() {
    let out = gamelan("man", &["man"]);
    assert!(out.status.success(), "{out:?}");
    let roff = String::from_utf8(out.stdout).unwrap();
    assert!(roff.contains(".TH gamelan 1"), "{roff}");
    for s in subcommands() {
        assert!(
            roff.contains(&format!(".SS \"gamelan {s}\"")),
            "no subsection for {s}"
        );
    }
    for section in ["EXIT STATUS", "ENVIRONMENT", "FILES"] {
        assert!(roff.contains(section), "no {section}");
    }

    // groff (or man, which runs it) renders it without a warning.
    let groff = Path::new("/usr/bin/groff");
    let (program, args): (&str, Vec<&str>) = if groff.exists() {
        ("/usr/bin/groff", vec!["-man", "-Tutf8", "-ww"])
    } else if Path::new("/usr/bin/man").exists() {
        ("/usr/bin/man", vec!["-l", "-"])
    } else {
        panic!("neither groff nor man is installed (apt-get install groff-base man-db)");
    };
    let mut child = Command::new(program)
        .args(&args)
        .env("MANWIDTH", "100")
        .env("MAN_KEEP_FORMATTING", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(roff.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "{program}: {stderr}"
    );
    // Strip overstriking (bold is "x\bx") to read the text.
    let raw = String::from_utf8_lossy(&out.stdout);
    let mut text = String::new();
    for c in raw.chars() {
        if c == '\u{8}' {
            text.pop();
        } else {
            text.push(c);
        }
    }
    for needle in [
        "gamelan play",
        "gamelan completions",
        "gamelan man",
        "EXIT STATUS",
        "--login-grace",
        "128+n",
    ] {
        assert!(
            text.contains(needle),
            "rendered page lacks {needle:?}:\n{text}"
        );
    }
}
