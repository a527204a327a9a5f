//! Theme tests: the model, parsing, inheritance and resolution.

use super::bundled::BUNDLED;
use super::parse::parse;
use super::*;
use ratatui::style::{Color, Modifier};
use std::collections::BTreeMap;

/// Theme files in memory, in a folder `/themes`: this module never reads the disk.
struct Mem(BTreeMap<PathBuf, String>);

impl Mem {
    fn path(&self) -> &Path {
        Path::new("/themes")
    }
}

impl ThemeFiles for Mem {
    fn exists(&self, path: &Path) -> bool {
        self.0.contains_key(path)
    }
    fn read(&self, path: &Path) -> Result<String, Diagnostic> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| Diagnostic::whole(&path.display().to_string(), "cannot read: not found"))
    }
}

fn dir_with(files: &[(&str, &str)]) -> Mem {
    Mem(files
        .iter()
        .map(|(name, text)| (Path::new("/themes").join(name), text.to_string()))
        .collect())
}

fn has_colour(t: &Theme) -> bool {
    Meaning::ALL
        .iter()
        .any(|&m| t.style(m).fg.is_some() || t.style(m).bg.is_some())
}

/// (line, col, message) of each diagnostic, for compact assertions.
fn positions(diags: &[Diagnostic]) -> Vec<(usize, usize, &str)> {
    diags
        .iter()
        .map(|d| (d.line, d.col, d.message.as_str()))
        .collect()
}

#[test]
fn meanings_have_keys_and_acyclic_fallbacks_ending_at_text() {
    assert_eq!(Meaning::ALL.len(), 28);
    for (i, &m) in Meaning::ALL.iter().enumerate() {
        assert_eq!(m as usize, i);
        assert_eq!(Meaning::from_key(m.key()), Some(m));
        let (mut at, mut steps) = (m, 0);
        while let Some(next) = at.fallback() {
            at = next;
            steps += 1;
            assert!(steps < COUNT, "fallback cycle from {m:?}");
        }
        assert_eq!(at, Meaning::Text);
    }
    assert_eq!(Meaning::StatusError.fallback(), Some(Meaning::Critical));
    assert_eq!(
        Meaning::from_key("status_error"),
        Some(Meaning::StatusError)
    );
}

#[test]
fn every_bundled_theme_loads_cleanly() {
    assert_eq!(bundled_names(), ["dark", "light", "high-contrast", "mono"]);
    for (name, src) in BUNDLED {
        let (spec, diags) = parse(name, src);
        assert!(diags.is_empty(), "{name}: {diags:?}");
        assert_eq!(spec.name.as_deref(), Some(name));
        assert_eq!(Theme::bundled(name).unwrap().name(), name);
    }
    assert!(Theme::bundled("nope").is_none());
    assert_eq!(Theme::default().name(), "dark");
}

#[test]
fn mono_has_no_colour_and_keeps_meanings_apart() {
    let mono = Theme::bundled("mono").unwrap();
    assert!(!has_colour(&mono));
    assert_ne!(mono.style(Meaning::Warning), mono.style(Meaning::Critical));
    assert_ne!(mono.block_border(true), mono.block_border(false));
}

#[test]
fn high_contrast_does_not_lean_on_red_and_green() {
    let t = Theme::bundled("high-contrast").unwrap();
    let reds_greens = [Color::Red, Color::Green, Color::LightRed, Color::LightGreen];
    for m in [Meaning::Healthy, Meaning::Warning, Meaning::Critical] {
        assert!(!reds_greens.contains(&t.style(m).fg.unwrap()), "{m:?}");
    }
    let critical = t.style(Meaning::Critical).add_modifier;
    assert!(critical.contains(Modifier::BOLD | Modifier::REVERSED));
    assert_ne!(
        t.style(Meaning::Warning).add_modifier,
        t.style(Meaning::Healthy).add_modifier
    );
}

#[test]
fn fallbacks_resolve_through_chains() {
    let dir = dir_with(&[(
        "t.toml",
        "[styles]\naccent = \"cyan\"\nwarning = { fg = 208, bold = true }\n",
    )]);
    let t = load_file(&dir.path().join("t.toml"), &dir).unwrap();
    let cyan = Style::new().fg(Color::Cyan);
    assert_eq!(t.name(), "t", "name defaults to the file stem");
    for m in [
        Meaning::Accent,
        Meaning::Focus,
        Meaning::Selection,
        Meaning::Pulse,
        Meaning::Chart,
    ] {
        assert_eq!(t.style(m), cyan, "{m:?}");
    }
    let warn = Style::new()
        .fg(Color::Indexed(208))
        .add_modifier(Modifier::BOLD);
    assert_eq!(
        t.style(Meaning::StatusError),
        warn,
        "status_error -> critical -> warning"
    );
    assert_eq!(
        t.style(Meaning::Ghost),
        Style::default(),
        "ghost -> muted -> text -> default"
    );
    assert_eq!(t.block_border(true), cyan);
    assert_eq!(t.block_border(false), Style::default());
}

#[test]
fn inheritance_layers_then_falls_back() {
    let dir = dir_with(&[
        (
            "base.toml",
            "name = \"base\"\n[styles]\naccent = \"red\"\ntitle = { bold = true }\n",
        ),
        (
            "child.toml",
            "name = \"child\"\ninherits = \"base\"\n[styles]\naccent = \"#0a0B0c\"\n",
        ),
        (
            "dark.toml",
            "inherits = \"dark\"\n[styles]\nwarning = \"blue\"\n",
        ),
    ]);
    let t = load_file(&dir.path().join("child.toml"), &dir).unwrap();
    assert_eq!(t.name(), "child");
    assert_eq!(
        t.style(Meaning::Title),
        Style::new().add_modifier(Modifier::BOLD)
    );
    assert_eq!(
        t.style(Meaning::Focus).fg,
        Some(Color::Rgb(10, 11, 12)),
        "the child's accent wins"
    );
    // A user file may customise the bundled theme of the same name.
    let dark = load("dark", dir.path(), &dir).unwrap();
    let bundled = Theme::bundled("dark").unwrap();
    assert_eq!(dark.style(Meaning::Warning).fg, Some(Color::Blue));
    assert_eq!(
        dark.style(Meaning::Critical),
        bundled.style(Meaning::Critical)
    );
}

#[test]
fn inheritance_cycles_are_errors() {
    let dir = dir_with(&[
        ("a.toml", "inherits = \"b\"\n"),
        ("b.toml", "name = \"b\"\ninherits = \"a\"\n"),
        ("me.toml", "inherits = \"me\"\n"),
    ]);
    let errs = load_file(&dir.path().join("a.toml"), &dir).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].file.ends_with("b.toml") && (errs[0].line, errs[0].col) == (2, 12),
        "{errs:?}"
    );
    assert!(
        errs[0].message.starts_with("inheritance cycle") && errs[0].message.ends_with("a.toml"),
        "{}",
        errs[0]
    );
    let errs = load_file(&dir.path().join("me.toml"), &dir).unwrap_err();
    assert!(errs[0].message.contains("cycle"), "{errs:?}");
}

#[test]
fn every_bad_entry_is_reported_with_its_position() {
    let src = "name = \"bad\"
colour = \"x\"
inherits = \"nowhere\"
[styles]
focus = \"purple\"
pulse = 300
surprize = \"red\"
cue = { fg = \"red\", blink = true }
mark = { bold = \"yes\", bg = \"#12345g\" }
chart = \"#12345\"
band = [1]
ghost = -1
";
    let dir = dir_with(&[("bad.toml", src)]);
    let errs = load_file(&dir.path().join("bad.toml"), &dir).unwrap_err();
    assert!(errs.iter().all(|d| d.file.ends_with("bad.toml")));
    let got = positions(&errs);
    let want: [(usize, usize, &str); 10] = [
        (
            2,
            1,
            "unknown key `colour`; expected one of name, inherits, styles",
        ),
        (3, 12, "unknown theme `nowhere`"),
        (5, 9, "`purple` is not a colour"),
        (6, 9, "`300` is not a colour"),
        (7, 1, "unknown meaning `surprize`; did you mean `surprise`?"),
        (
            8,
            21,
            "unknown style key `blink`; expected one of fg, bg, bold",
        ),
        (9, 17, "`bold` must be true or false"),
        (9, 29, "`#12345g` is not a colour"),
        (10, 9, "`#12345` is not a colour"),
        (11, 8, "this is not a colour"),
    ];
    assert_eq!(got.len(), want.len() + 1, "{got:#?}");
    for (g, w) in got.iter().zip(want) {
        assert!(
            g.0 == w.0 && g.1 == w.1 && g.2.starts_with(w.2),
            "got {g:?}, want {w:?}"
        );
    }
    assert_eq!((got[10].0, got[10].1), (12, 9));
    assert!(
        errs[0].to_string().contains("bad.toml:2:1: unknown key"),
        "{}",
        errs[0]
    );
}

#[test]
fn syntax_errors_and_wrong_shapes_are_reported_too() {
    let dir = dir_with(&[
        (
            "syntax.toml",
            "name = \"s\"\n[styles]\nfocus = \n\ntext = \"nope\"\ntext = \"red\"\n",
        ),
        (
            "shape.toml",
            "name = 3\ninherits = [\"dark\"]\nstyles = \"red\"\n",
        ),
    ]);
    let errs = load_file(&dir.path().join("syntax.toml"), &dir).unwrap_err();
    let got: Vec<_> = positions(&errs)
        .into_iter()
        .map(|(l, c, _)| (l, c))
        .collect();
    assert_eq!(
        got,
        [(3, 9), (5, 8), (6, 1)],
        "syntax error, bad colour, duplicate key: {errs:#?}"
    );
    let errs = load_file(&dir.path().join("shape.toml"), &dir).unwrap_err();
    let got: Vec<_> = positions(&errs)
        .into_iter()
        .map(|(l, c, _)| (l, c))
        .collect();
    assert_eq!(got, [(1, 8), (2, 12), (3, 10)], "{errs:#?}");
}

#[test]
fn no_color_strips_colours_but_keeps_meanings_apart() {
    assert!(!no_color_value(None));
    assert!(!no_color_value(Some("".as_ref())));
    assert!(no_color_value(Some("0".as_ref())));
    for name in bundled_names() {
        let t = Theme::bundled(name).unwrap().without_colour();
        assert!(!has_colour(&t), "{name}");
        assert_ne!(
            t.style(Meaning::Warning),
            t.style(Meaning::Critical),
            "{name}"
        );
        assert_ne!(t.style(Meaning::Text), t.style(Meaning::Critical), "{name}");
    }
    let mono = Theme::bundled("mono").unwrap();
    assert_eq!(mono.clone().without_colour(), mono);
}

#[test]
fn names_inheritance_depth_and_colours_are_bounded() {
    let chain: Vec<(String, String)> = (0..10)
        .map(|i| (format!("t{i}.toml"), format!("inherits = \"t{}\"\n", i + 1)))
        .chain([("t10.toml".to_string(), "name = \"end\"\n".to_string())])
        .collect();
    let files: Vec<(&str, &str)> = chain
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = dir_with(&files);
    let errs = load_file(&dir.path().join("t0.toml"), &dir).unwrap_err();
    assert!(
        errs.iter()
            .any(|d| d.message.contains("`inherits` goes deeper than 8 themes")),
        "{errs:?}"
    );
    assert!(
        load_file(&dir.path().join("t4.toml"), &dir).is_ok(),
        "seven levels are fine"
    );

    let long = "n".repeat(65);
    let src = format!("name = \"{long}\"\ninherits = \"../etc/x\"\n[styles]\ntext = \"gren\"\n");
    let errs = parse_str(&src, "b.toml").unwrap_err();
    let got = positions(&errs);
    assert!(
        got[0]
            .2
            .starts_with("`name` is 65 characters long; at most 64"),
        "{got:?}"
    );
    assert!(
        got[1].2.starts_with("`inherits` must be a theme name"),
        "{got:?}"
    );
    assert!(got[2].2.ends_with("did you mean `green`?"), "{got:?}");
    let errs = parse_str("inherits = \"drak\"\n", "c.toml").unwrap_err();
    assert!(
        errs[0].message.ends_with("did you mean `dark`?"),
        "{errs:?}"
    );
    assert_eq!(parse_str("inherits = \"mono\"\n", "m").unwrap(), {
        let mut t = Theme::bundled("mono").unwrap();
        t.name = "m".into();
        t
    });
}
