//! Theme files on disk, and the choice a reload repeats.

use super::*;
use crate::ui::theme::{Meaning, bundled_names};
use ratatui::style::Color;
use std::fs;

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn choice(flag: Option<&str>, setting: Option<&str>, dir: &Path, no_color: bool) -> ThemeChoice {
    ThemeChoice {
        flag: flag.map(str::to_string),
        setting: setting.map(str::to_string),
        no_color,
        themes_dir: dir.to_path_buf(),
    }
}

fn has_colour(t: &Theme) -> bool {
    Meaning::ALL
        .iter()
        .any(|&m| t.style(m).fg.is_some() || t.style(m).bg.is_some())
}

#[test]
fn resolve_follows_precedence_and_falls_back_to_dark() {
    let dir = dir_with(&[
        ("light.toml", "name = \"my light\"\n"),
        ("broken.toml", "[styles]\ntext = \"sparkly\"\n"),
    ]);
    let d = dir.path();
    let pick = |cli, settings| {
        let (t, diags) = choice(cli, settings, d, false).resolve();
        (t.name().to_string(), diags.len())
    };
    assert_eq!(pick(None, None), ("dark".into(), 0));
    assert_eq!(pick(None, Some("mono")), ("mono".into(), 0));
    assert_eq!(
        pick(Some("high-contrast"), Some("mono")),
        ("high-contrast".into(), 0)
    );
    assert_eq!(
        pick(Some("light"), None),
        ("my light".into(), 0),
        "a user file shadows the bundled one"
    );
    assert_eq!(pick(Some("broken"), None), ("dark".into(), 1));
    assert_eq!(pick(None, Some("missing")), ("dark".into(), 1));
    let path = d.join("light.toml");
    assert_eq!(
        pick(Some(path.to_str().unwrap()), None),
        ("my light".into(), 0)
    );
    let (_, diags) = choice(Some("broken"), None, d, false).resolve();
    assert_eq!((diags[0].line, diags[0].col), (2, 8));
    let (_, diags) = choice(Some("missing"), None, d, false).resolve();
    assert!(
        diags[0]
            .to_string()
            .contains("missing.toml: no such theme file, and `missing` is not a bundled"),
        "{}",
        diags[0]
    );
}

#[test]
fn no_color_strips_every_resolved_theme_and_the_fallback() {
    let dir = dir_with(&[("broken.toml", "[styles]\ntext = \"sparkly\"\n")]);
    for name in bundled_names().iter().copied().chain(["broken"]) {
        let (t, _) = choice(Some(name), None, dir.path(), true).resolve();
        assert!(!has_colour(&t), "{name}");
    }
}

#[test]
fn a_bad_byte_or_a_large_file_is_reported_by_the_reader() {
    let dir = dir_with(&[]);
    let path = dir.path().join("latin1.toml");
    fs::write(&path, b"name = \"caf\xe9\"\n").unwrap();
    let errs = theme::load_file(&path, &DiskThemes).unwrap_err();
    assert_eq!(
        (errs[0].line, errs[0].col, errs[0].message.as_str()),
        (1, 12, "invalid UTF-8 (byte 0xe9); save the file as UTF-8")
    );
    fs::write(&path, vec![b'#'; MAX_THEME_BYTES + 1]).unwrap();
    let errs = theme::load_file(&path, &DiskThemes).unwrap_err();
    assert!(
        errs[0].message.contains("larger than 65536 bytes"),
        "{errs:?}"
    );
}

#[test]
fn an_inherits_cycle_through_dot_paths_is_one_cycle() {
    let dir = dir_with(&[
        ("a.toml", "inherits = \"b\"\n"),
        ("b.toml", "inherits = \"a\"\n"),
    ]);
    let errs = theme::load_file(&dir.path().join("./a.toml"), &DiskThemes).unwrap_err();
    assert!(errs[0].message.contains("inheritance cycle"), "{errs:?}");
}

const RED: &str = "[styles]\ntitle = \"red\"\n";
const BLUE: &str = "[styles]\ntitle = \"blue\"\n";

/// Reloads after the file was rewritten to `text`; the title's colour after it.
fn edit_and_reload(live: &mut LiveTheme, path: &Path, text: &str, status: &mut Option<String>) {
    fs::write(path, text).unwrap();
    live.reload(status);
}

#[test]
fn reload_loads_what_the_user_chose_not_the_themes_name() {
    // `name` differs from the file: reloading by `name` found no such theme.
    let dir = dir_with(&[("mine.toml", &format!("name = \"My Theme\"\n{RED}"))]);
    let path = dir.path().join("mine.toml");
    let mut live = LiveTheme::new(choice(None, Some("mine"), dir.path(), false));
    assert_eq!(live.theme.style(Meaning::Title).fg, Some(Color::Red));
    let mut status = None;
    edit_and_reload(
        &mut live,
        &path,
        &format!("name = \"My Theme\"\n{BLUE}"),
        &mut status,
    );
    assert_eq!(status, None);
    assert_eq!(live.theme.style(Meaning::Title).fg, Some(Color::Blue));

    // `--theme ./x.toml` outside the themes folder: reloading by the stem looked elsewhere.
    let other = dir_with(&[("x.toml", RED)]);
    let path = other.path().join("x.toml");
    let flag = path.to_str().unwrap();
    let mut live = LiveTheme::new(choice(Some(flag), None, dir.path(), false));
    edit_and_reload(&mut live, &path, BLUE, &mut status);
    assert_eq!(status, None);
    assert_eq!(live.theme.style(Meaning::Title).fg, Some(Color::Blue));
}

#[test]
fn reload_under_no_color_stays_without_colour() {
    let dir = dir_with(&[("mine.toml", RED)]);
    let path = dir.path().join("mine.toml");
    let mut live = LiveTheme::new(choice(Some("mine"), None, dir.path(), true));
    assert!(!has_colour(&live.theme));
    edit_and_reload(&mut live, &path, BLUE, &mut None);
    assert!(!has_colour(&live.theme));
}

#[test]
fn a_good_reload_clears_only_the_theme_notice() {
    let dir = dir_with(&[("mine.toml", RED)]);
    let path = dir.path().join("mine.toml");
    let mut live = LiveTheme::new(choice(Some("mine"), None, dir.path(), false));
    let mut status = Some("forked at beat 3".to_string());
    edit_and_reload(&mut live, &path, BLUE, &mut status);
    assert_eq!(
        status.as_deref(),
        Some("forked at beat 3"),
        "not the theme's"
    );

    edit_and_reload(
        &mut live,
        &path,
        "[styles]\ntitle = \"sparkly\"\n",
        &mut status,
    );
    let shown = status.clone().unwrap();
    assert!(
        shown.contains("mine.toml:2:9") && shown.contains("keeping theme"),
        "{shown}"
    );
    assert_eq!(
        live.theme.style(Meaning::Title).fg,
        Some(Color::Blue),
        "the last good one"
    );
    edit_and_reload(&mut live, &path, RED, &mut status);
    assert_eq!(status, None, "the theme's own notice goes");

    // A theme that was bad from the start: its notice is the theme's too.
    fs::write(&path, "[styles]\ntitle = \"sparkly\"\n").unwrap();
    let mut live = LiveTheme::new(choice(Some("mine"), None, dir.path(), false));
    let mut status = live.notice();
    assert!(status.is_some());
    edit_and_reload(&mut live, &path, RED, &mut status);
    assert_eq!(status, None);
}
