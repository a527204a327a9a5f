//! Themes map *meanings* (title, warning, the metronome pulse…) to styles, so that widgets never
//! pick colours themselves (the helix and atuin approach). A theme is a TOML file; unset meanings
//! fall back to related ones, `inherits` layers a theme on another, and a bad file never stops
//! the console: [`resolve`] falls back to the built-in dark theme and returns the problems, each
//! with file:line:col. The format is documented in docs/theme-format.md.

use crate::diag::Diagnostic;
use ratatui::style::{Color, Modifier, Style};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

macro_rules! meanings {
    ($($(#[doc = $doc:literal])* $variant:ident $key:literal $([$fallback:ident])?;)*) => {
        /// What a piece of the screen means; a theme gives each meaning a style.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Meaning { $($(#[doc = $doc])* $variant,)* }

        impl Meaning {
            /// Every meaning, in declaration order (`m as usize` indexes this).
            pub const ALL: &'static [Meaning] = &[$(Meaning::$variant),*];

            /// The key naming this meaning in a theme's `[styles]` table.
            pub fn key(self) -> &'static str {
                match self { $(Meaning::$variant => $key,)* }
            }

            /// The meaning whose style this one takes when a theme leaves it unset; `None` for
            /// `Text`, which then uses the terminal's default.
            pub fn fallback(self) -> Option<Meaning> {
                match self { $(Meaning::$variant => None $(.or(Some(Meaning::$fallback)))?,)* }
            }
        }
    };
}

meanings! {
    /// Ordinary text; its background (if any) is the screen's background.
    Text "text";
    /// Pane titles and headings.
    Title "title" [Text];
    /// Secondary text: hints, units, timestamps, labels.
    Muted "muted" [Text];
    /// Borders of panes that do not have focus.
    Border "border" [Muted];
    /// The border and title of the focused pane.
    Focus "focus" [Accent];
    /// A signal within its objective; resolved alerts.
    Healthy "healthy" [Text];
    /// A signal nearing its threshold; pending alerts.
    Warning "warning" [Text];
    /// A signal breaching its threshold; firing alerts and pages.
    Critical "critical" [Warning];
    /// Informational notices.
    Info "info" [Text];
    /// Whatever should catch the eye: key hints, the current beat.
    Accent "accent" [Text];
    /// The metronome's beat indicator.
    Pulse "pulse" [Accent];
    /// Scripted injects on the timeline: pages, chat lines, calls.
    Inject "inject" [Text];
    /// Cue keys and the players' actions.
    Cue "cue" [Accent];
    /// Lifecycle marks: detected, acknowledged, mitigated, resolved.
    Mark "mark" [Accent];
    /// Surprise injects the scenario keeps hidden until they land.
    Surprise "surprise" [Warning];
    /// The status line.
    Status "status" [Text];
    /// Problems shown on the status line (a bad theme or scenario file).
    StatusError "status_error" [Critical];
    /// The selected row of a list or menu.
    Selection "selection" [Focus];
    /// Signal lines in charts.
    Chart "chart" [Accent];
    /// Threshold and objective bands behind charts.
    Band "band" [Muted];
    /// A reference run overlaid on a replay.
    Ghost "ghost" [Muted];
}

const COUNT: usize = Meaning::ALL.len();

impl Meaning {
    /// The meaning a `[styles]` key names.
    pub fn from_key(key: &str) -> Option<Meaning> {
        Meaning::ALL.iter().copied().find(|m| m.key() == key)
    }
}

const BUNDLED: [(&str, &str); 4] = [
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];
const NAMES: [&str; 4] = [BUNDLED[0].0, BUNDLED[1].0, BUNDLED[2].0, BUNDLED[3].0];

/// The themes compiled into the binary, default first; for `--theme` help and completion.
pub fn bundled_names() -> &'static [&'static str] {
    &NAMES
}

/// A loaded theme with every fallback already resolved, so that a lookup is one array index
/// while drawing. Cloning copies a few hundred bytes and bumps a reference count.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    name: Arc<str>,
    styles: [Style; COUNT],
}

impl Default for Theme {
    /// The built-in dark theme.
    fn default() -> Self {
        Theme::bundled("dark").expect("the bundled dark theme is valid")
    }
}

impl Theme {
    /// The style for a meaning.
    #[inline]
    pub fn style(&self, m: Meaning) -> Style {
        self.styles[m as usize]
    }

    /// The theme's `name`, or its file's stem when it has none; for the status line.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A pane's border: `Focus` when it has focus, else `Border` (gitui's `theme.block(focused)`).
    #[inline]
    pub fn block_border(&self, focused: bool) -> Style {
        self.style(if focused {
            Meaning::Focus
        } else {
            Meaning::Border
        })
    }

    /// A theme compiled into the binary, by name (see [`bundled_names`]).
    pub fn bundled(name: &str) -> Option<Theme> {
        build(Source::Bundled(bundled_name(name)?)).ok()
    }

    /// The same theme with every colour removed, for `NO_COLOR`. Each meaning that had a colour
    /// gains the mono theme's emphasis for it (critical reversed, muted dim…), so meanings stay
    /// apart without colour; meanings styled by emphasis alone keep their own.
    pub fn without_colour(mut self) -> Theme {
        let mono = Theme::bundled("mono").expect("the bundled mono theme is valid");
        for (s, m) in self.styles.iter_mut().zip(mono.styles) {
            if s.fg.is_some() || s.bg.is_some() {
                (s.fg, s.bg) = (None, None);
                *s = s.add_modifier(m.add_modifier);
            }
        }
        self
    }
}

/// Loads a theme file, following `inherits` to files beside it and then to bundled themes.
/// Every problem in the file (and in the themes it inherits) is reported.
pub fn load_file(path: &Path) -> Result<Theme, Vec<Diagnostic>> {
    build(Source::File(path.to_path_buf()))
}

/// Loads a theme by name: `themes_dir/NAME.toml` if it exists, else the bundled theme. A name
/// containing `/` or ending in `.toml` is a path. Use this to reload, keeping the old theme on
/// error.
pub fn load(name: &str, themes_dir: &Path) -> Result<Theme, Vec<Diagnostic>> {
    if name.contains(std::path::MAIN_SEPARATOR) || name.contains('/') || name.ends_with(".toml") {
        return load_file(Path::new(name));
    }
    let path = themes_dir.join(format!("{name}.toml"));
    if path.exists() {
        return load_file(&path);
    }
    Theme::bundled(name).ok_or_else(|| {
        let msg = format!(
            "no such theme file, and `{name}` is not a bundled theme ({})",
            NAMES.join(", ")
        );
        vec![Diagnostic::whole(&path.display().to_string(), msg)]
    })
}

/// The theme to start with: the CLI flag, else the settings file's `theme`, else dark. A missing
/// or bad theme gives the built-in dark theme plus the problems, for the status line. Honours
/// `NO_COLOR` from the environment (see [`resolve_with`]).
pub fn resolve(
    cli: Option<&str>,
    settings: Option<&str>,
    themes_dir: &Path,
) -> (Theme, Vec<Diagnostic>) {
    resolve_with(cli, settings, themes_dir, no_color_requested())
}

/// [`resolve`] with the `NO_COLOR` decision passed in, so tests need not touch the environment.
pub fn resolve_with(
    cli: Option<&str>,
    settings: Option<&str>,
    themes_dir: &Path,
    no_color: bool,
) -> (Theme, Vec<Diagnostic>) {
    let (theme, diags) = match load(cli.or(settings).unwrap_or("dark"), themes_dir) {
        Ok(theme) => (theme, Vec::new()),
        Err(diags) => (Theme::default(), diags),
    };
    (
        if no_color {
            theme.without_colour()
        } else {
            theme
        },
        diags,
    )
}

/// Whether `NO_COLOR` is set to a non-empty value (no-color.org).
pub fn no_color_requested() -> bool {
    no_color_value(std::env::var_os("NO_COLOR").as_deref())
}

/// The no-color.org rule for a value of `NO_COLOR`: present and not empty.
pub fn no_color_value(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

// ---- loading ----

/// Where a theme's text comes from; also its identity for cycle detection.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    File(PathBuf),
    Bundled(&'static str),
}

impl Source {
    fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Bundled(n) => format!("themes/{n}.toml (bundled)"),
        }
    }
}

fn bundled_name(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(n, _)| *n)
}

/// A theme as written: explicit styles only, before inheritance and fallbacks.
struct Layer {
    name: String,
    styles: [Option<Style>; COUNT],
}

fn build(source: Source) -> Result<Theme, Vec<Diagnostic>> {
    let layer = load_layer(source, &mut Vec::new())?;
    let mut styles = [Style::default(); COUNT];
    for &m in Meaning::ALL {
        let mut at = Some(m);
        while let Some(cur) = at {
            if let Some(s) = layer.styles[cur as usize] {
                styles[m as usize] = s;
                break;
            }
            at = cur.fallback();
        }
    }
    Ok(Theme {
        name: layer.name.into(),
        styles,
    })
}

/// Reads one theme and, recursively, the themes it inherits; `chain` holds the sources being
/// loaded, to detect cycles.
fn load_layer(source: Source, chain: &mut Vec<Source>) -> Result<Layer, Vec<Diagnostic>> {
    let file = source.label();
    let src = match &source {
        Source::File(p) => std::fs::read_to_string(p)
            .map_err(|e| vec![Diagnostic::whole(&file, format!("cannot read theme: {e}"))])?,
        Source::Bundled(n) => BUNDLED
            .iter()
            .find(|(b, _)| b == n)
            .map_or("", |(_, s)| *s)
            .to_string(),
    };
    let (spec, mut diags) = parse(&file, &src);
    let mut layer = Layer {
        name: spec.name.unwrap_or_else(|| match &source {
            Source::File(p) => p
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
            Source::Bundled(n) => n.to_string(),
        }),
        styles: spec.styles,
    };
    let mut inherited = Vec::new();
    chain.push(identity(&source));
    if let Some((parent, span)) = spec.inherits {
        let at = |msg: String| Diagnostic::at(&file, &src, Some(span.clone()), msg);
        // A file beside this one first, then a bundled theme; one already being loaded is
        // skipped, so a user's dark.toml may inherit the bundled dark.
        let beside = match &source {
            Source::File(p) => Some(
                p.parent()
                    .unwrap_or(Path::new(""))
                    .join(format!("{parent}.toml")),
            )
            .filter(|p| p.exists())
            .map(|p| identity(&Source::File(p))),
            Source::Bundled(_) => None,
        };
        let candidates: Vec<Source> = beside
            .into_iter()
            .chain(bundled_name(&parent).map(Source::Bundled))
            .collect();
        match candidates.iter().find(|c| !chain.contains(c)).cloned() {
            Some(next) => match load_layer(next, chain) {
                Ok(base) => {
                    for (mine, theirs) in layer.styles.iter_mut().zip(base.styles) {
                        *mine = mine.or(theirs);
                    }
                }
                Err(more) => inherited = more,
            },
            None if !candidates.is_empty() => {
                let names: Vec<String> = chain.iter().chain(&candidates[..1]).map(Source::label).collect();
                diags.push(at(format!("inheritance cycle: {}", names.join(" -> "))));
            }
            None => diags.push(at(format!(
                "unknown theme `{parent}`: no file {parent}.toml beside this one and no bundled theme of that name ({})",
                NAMES.join(", ")
            ))),
        }
    }
    chain.pop();
    diags.sort_by_key(|d| (d.line, d.col));
    diags.dedup_by_key(|d| (d.line, d.col)); // a syntax error first, not what it broke
    diags.extend(inherited);
    if diags.is_empty() {
        Ok(layer)
    } else {
        Err(diags)
    }
}

/// Files compare by canonical path, so `./a.toml` and `a.toml` are one theme in a cycle.
fn identity(source: &Source) -> Source {
    match source {
        Source::File(p) => Source::File(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())),
        b => b.clone(),
    }
}

struct Spec {
    name: Option<String>,
    inherits: Option<(String, Range<usize>)>,
    styles: [Option<Style>; COUNT],
}

/// Parses and checks a theme file, collecting every problem rather than stopping at the first.
fn parse(file: &str, src: &str) -> (Spec, Vec<Diagnostic>) {
    let (root, errors) = DeTable::parse_recoverable(src);
    let mut diags: Vec<Diagnostic> = errors
        .iter()
        .map(|e| Diagnostic::from_toml(file, src, e))
        .collect();
    let mut bad =
        |span: Range<usize>, msg: String| diags.push(Diagnostic::at(file, src, Some(span), msg));
    let mut spec = Spec {
        name: None,
        inherits: None,
        styles: [None; COUNT],
    };
    for (key, value) in root.get_ref() {
        let text = |v: &Spanned<DeValue>| match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        };
        match key.get_ref().as_ref() {
            "name" => match text(value) {
                Some(s) => spec.name = Some(s),
                None => bad(value.span(), "`name` must be a string".into()),
            },
            "inherits" => match text(value) {
                Some(s) => spec.inherits = Some((s, value.span())),
                None => bad(value.span(), "`inherits` must be a theme name".into()),
            },
            "styles" => match value.get_ref() {
                DeValue::Table(styles) => {
                    for (k, v) in styles {
                        match Meaning::from_key(k.get_ref()) {
                            Some(m) => spec.styles[m as usize] = parse_style(v, &mut bad),
                            None => {
                                let keys = Meaning::ALL.iter().map(|m| m.key());
                                bad(k.span(), unknown("meaning", k.get_ref(), keys));
                            }
                        }
                    }
                }
                _ => bad(
                    value.span(),
                    "`styles` must be a table of meaning = style".into(),
                ),
            },
            other => bad(
                key.span(),
                unknown("key", other, ["name", "inherits", "styles"].into_iter()),
            ),
        }
    }
    (spec, diags)
}

/// A style: a colour (the foreground) or `{ fg, bg, bold, italic, underline, dim, reversed }`.
fn parse_style(
    value: &Spanned<DeValue>,
    bad: &mut impl FnMut(Range<usize>, String),
) -> Option<Style> {
    let DeValue::Table(table) = value.get_ref() else {
        return colour(value, bad).map(|c| Style::new().fg(c));
    };
    let mut style = Some(Style::new());
    for (k, v) in table {
        let flag = match k.get_ref().as_ref() {
            "fg" | "bg" => {
                let c = colour(v, bad);
                style = style.zip(c).map(|(s, c)| {
                    if k.get_ref() == "fg" {
                        s.fg(c)
                    } else {
                        s.bg(c)
                    }
                });
                continue;
            }
            "bold" => Modifier::BOLD,
            "italic" => Modifier::ITALIC,
            "underline" => Modifier::UNDERLINED,
            "dim" => Modifier::DIM,
            "reversed" => Modifier::REVERSED,
            other => {
                let keys = ["fg", "bg", "bold", "italic", "underline", "dim", "reversed"];
                bad(k.span(), unknown("style key", other, keys.into_iter()));
                style = None;
                continue;
            }
        };
        match v.get_ref() {
            DeValue::Boolean(on) => {
                style = style.map(|s| {
                    if *on {
                        s.add_modifier(flag)
                    } else {
                        s.remove_modifier(flag)
                    }
                });
            }
            _ => {
                bad(v.span(), format!("`{}` must be true or false", k.get_ref()));
                style = None;
            }
        }
    }
    style
}

/// A colour: an ANSI name, `#rrggbb`, or a 256-colour index (as a number or a string).
fn colour(value: &Spanned<DeValue>, bad: &mut impl FnMut(Range<usize>, String)) -> Option<Color> {
    let parsed = match value.get_ref() {
        DeValue::String(s) => parse_colour(s),
        DeValue::Integer(i) => u8::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(Color::Indexed),
        _ => None,
    };
    if parsed.is_none() {
        let shown = match value.get_ref() {
            DeValue::String(s) => format!("`{s}`"),
            DeValue::Integer(i) => format!("`{i}`"),
            _ => "this".into(),
        };
        bad(
            value.span(),
            format!(
                "{shown} is not a colour: use a name (red, light_blue, dark_gray, reset…), #rrggbb, or 0-255"
            ),
        );
    }
    parsed
}

fn parse_colour(s: &str) -> Option<Color> {
    const NAMED: [(&str, Color); 19] = [
        ("black", Color::Black),
        ("red", Color::Red),
        ("green", Color::Green),
        ("yellow", Color::Yellow),
        ("blue", Color::Blue),
        ("magenta", Color::Magenta),
        ("cyan", Color::Cyan),
        ("gray", Color::Gray),
        ("grey", Color::Gray),
        ("dark_gray", Color::DarkGray),
        ("dark_grey", Color::DarkGray),
        ("light_red", Color::LightRed),
        ("light_green", Color::LightGreen),
        ("light_yellow", Color::LightYellow),
        ("light_blue", Color::LightBlue),
        ("light_magenta", Color::LightMagenta),
        ("light_cyan", Color::LightCyan),
        ("white", Color::White),
        ("reset", Color::Reset),
    ];
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        return Some(Color::Rgb(byte(0)?, byte(2)?, byte(4)?));
    }
    if let Ok(i) = s.parse::<u8>() {
        return Some(Color::Indexed(i));
    }
    NAMED.iter().find(|(n, _)| *n == s).map(|(_, c)| *c)
}

/// "unknown meaning `focsu`; did you mean `focus`?", or the list of valid names.
fn unknown<'a>(what: &str, got: &str, valid: impl Iterator<Item = &'a str> + Clone) -> String {
    match valid
        .clone()
        .map(|v| (distance(got, v), v))
        .min()
        .filter(|(d, _)| *d <= 2)
    {
        Some((_, v)) => format!("unknown {what} `{got}`; did you mean `{v}`?"),
        None => format!(
            "unknown {what} `{got}`; expected one of {}",
            valid.collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Levenshtein distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            fs::write(dir.path().join(name), text).unwrap();
        }
        dir
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
        assert_eq!(Meaning::ALL.len(), 21);
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
        let t = load_file(&dir.path().join("t.toml")).unwrap();
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
        let t = load_file(&dir.path().join("child.toml")).unwrap();
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
        let dark = load("dark", dir.path()).unwrap();
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
        let errs = load_file(&dir.path().join("a.toml")).unwrap_err();
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
        let errs = load_file(&dir.path().join("me.toml")).unwrap_err();
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
        let errs = load_file(&dir.path().join("bad.toml")).unwrap_err();
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
        let errs = load_file(&dir.path().join("syntax.toml")).unwrap_err();
        let got: Vec<_> = positions(&errs)
            .into_iter()
            .map(|(l, c, _)| (l, c))
            .collect();
        assert_eq!(
            got,
            [(3, 9), (5, 8), (6, 1)],
            "syntax error, bad colour, duplicate key: {errs:#?}"
        );
        let errs = load_file(&dir.path().join("shape.toml")).unwrap_err();
        let got: Vec<_> = positions(&errs)
            .into_iter()
            .map(|(l, c, _)| (l, c))
            .collect();
        assert_eq!(got, [(1, 8), (2, 12), (3, 10)], "{errs:#?}");
    }

    #[test]
    fn resolve_follows_precedence_and_falls_back_to_dark() {
        let dir = dir_with(&[
            ("light.toml", "name = \"my light\"\n"),
            ("broken.toml", "[styles]\ntext = \"sparkly\"\n"),
        ]);
        let d = dir.path();
        let pick = |cli, settings| {
            let (t, diags) = resolve_with(cli, settings, d, false);
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
        let (_, diags) = resolve_with(Some("broken"), None, d, false);
        assert_eq!((diags[0].line, diags[0].col), (2, 8));
        let (_, diags) = resolve_with(Some("missing"), None, d, false);
        assert!(
            diags[0]
                .to_string()
                .contains("missing.toml: no such theme file, and `missing` is not a bundled"),
            "{}",
            diags[0]
        );
    }

    #[test]
    fn no_color_strips_colours_but_keeps_meanings_apart() {
        assert!(!no_color_value(None));
        assert!(!no_color_value(Some("".as_ref())));
        assert!(no_color_value(Some("0".as_ref())));
        let dir = tempfile::tempdir().unwrap();
        for name in bundled_names() {
            let (t, diags) = resolve_with(Some(name), None, dir.path(), true);
            assert!(diags.is_empty());
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
}
