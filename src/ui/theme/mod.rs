//! Themes map *meanings* (title, warning, the metronome pulse…) to styles, so that widgets never
//! pick colours themselves (the helix and atuin approach). A theme is a TOML file; unset meanings
//! fall back to related ones, `inherits` layers a theme on another, and a bad file never stops
//! the console: the shell's `ThemeChoice` (src/theme_files.rs) falls back to the built-in dark
//! theme and reports the problems, each with file:line:col. This module never touches the disk:
//! files come through [`ThemeFiles`]. The format is documented in docs/theme-format.md.
//!
//! The model (meanings and the resolved [`Theme`]) is here; [`load_file`] follows
//! `inherits` and fallbacks, `parse` checks one file, `bundled` holds the built-in themes.

mod bundled;
mod load;
mod parse;
#[cfg(test)]
mod tests;

pub use bundled::bundled_names;
pub use load::{MAX_INHERITS, MAX_THEME_BYTES};
pub use parse::MAX_NAME_CHARS;

use crate::diag::Diagnostic;
use bundled::{NAMES, bundled_name};
use load::{Source, build};
use ratatui::style::Style;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// The first series of a chart with several; each further series takes the next colour of
    /// the palette. A theme whose palette does not tell series apart by colour (mono,
    /// `NO_COLOR`) gets each series drawn with its own glyph instead.
    Series1 "series1" [Chart];
    /// The second series of a chart.
    Series2 "series2" [Chart];
    /// The third series of a chart.
    Series3 "series3" [Chart];
    /// The fourth series of a chart.
    Series4 "series4" [Chart];
    /// The fifth series of a chart.
    Series5 "series5" [Chart];
    /// The sixth series of a chart (a seventh takes the first colour again).
    Series6 "series6" [Chart];
    /// Deploy and change markers (annotations) on charts.
    Annotation "annotation" [Mark];
}

/// The series palette, in order.
pub const SERIES: [Meaning; 6] = [
    Meaning::Series1,
    Meaning::Series2,
    Meaning::Series3,
    Meaning::Series4,
    Meaning::Series5,
    Meaning::Series6,
];

const COUNT: usize = Meaning::ALL.len();

impl Meaning {
    /// The meaning a `[styles]` key names.
    pub fn from_key(key: &str) -> Option<Meaning> {
        Meaning::ALL.iter().copied().find(|m| m.key() == key)
    }
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

    /// The style of series number `n` of a chart (the palette repeats after six).
    #[inline]
    pub fn series(&self, n: usize) -> Style {
        self.style(SERIES[n % SERIES.len()])
    }

    /// Whether the first `n` series' colours tell them apart; when not (mono, `NO_COLOR`, a
    /// palette of one colour), charts mark each series with its own glyph.
    pub fn series_by_colour(&self, n: usize) -> bool {
        let n = n.min(SERIES.len());
        (0..n).all(|i| {
            let a = self.series(i);
            a.fg.is_some() && (0..i).all(|j| self.series(j).fg != a.fg)
        })
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
        build(Source::Bundled(bundled_name(name)?), &NoFiles).ok()
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

/// How theme files are read. The shell supplies it (reading the disk with a size bound), so
/// this module only parses text; tests supply files from memory.
pub trait ThemeFiles {
    /// Whether a theme file exists at `path` (an `inherits` looks beside the theme first).
    fn exists(&self, path: &Path) -> bool;
    /// The text of the theme file at `path`, or the problem reading it (missing, too large,
    /// not UTF-8), with its position where there is one.
    fn read(&self, path: &Path) -> Result<String, Diagnostic>;
    /// What identifies the file at `path` in an `inherits` cycle (its canonical path), so
    /// `./a.toml` and `a.toml` are one theme.
    fn identity(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

/// Checks theme text that is not in a file (`file` names it in diagnostics); `inherits` may
/// name bundled themes only. What `load_file` does after reading, for tests and fuzzing.
pub fn parse_str(src: &str, file: &str) -> Result<Theme, Vec<Diagnostic>> {
    build(
        Source::Text {
            label: file.to_string(),
            text: src.to_string(),
        },
        &NoFiles,
    )
}

/// No files at all: for text and bundled themes, which inherit bundled themes only.
struct NoFiles;

impl ThemeFiles for NoFiles {
    fn exists(&self, _: &Path) -> bool {
        false
    }
    fn read(&self, path: &Path) -> Result<String, Diagnostic> {
        Err(Diagnostic::whole(
            &path.display().to_string(),
            "no such theme file",
        ))
    }
}

/// Loads a theme file, following `inherits` to files beside it and then to bundled themes.
/// Every problem in the file (and in the themes it inherits) is reported.
pub fn load_file(path: &Path, files: &dyn ThemeFiles) -> Result<Theme, Vec<Diagnostic>> {
    build(Source::File(path.to_path_buf()), files)
}

/// Whether a theme the user named is a path (`--theme ./x.toml`) rather than a name to look
/// up in the themes folder: it contains `/` or ends in `.toml`.
pub fn is_path(name: &str) -> bool {
    name.contains(std::path::MAIN_SEPARATOR) || name.contains('/') || name.ends_with(".toml")
}

/// Loads a theme by what the user named: a path (see [`is_path`]) is that file; a name is
/// `themes_dir/NAME.toml` if it exists, else the bundled theme of that name.
pub fn load(
    name: &str,
    themes_dir: &Path,
    files: &dyn ThemeFiles,
) -> Result<Theme, Vec<Diagnostic>> {
    if is_path(name) {
        return load_file(Path::new(name), files);
    }
    let path = themes_dir.join(format!("{name}.toml"));
    if files.exists(&path) {
        return load_file(&path, files);
    }
    Theme::bundled(name).ok_or_else(|| {
        let msg = format!(
            "no such theme file, and `{name}` is not a bundled theme ({})",
            NAMES.join(", ")
        );
        vec![Diagnostic::whole(&path.display().to_string(), msg)]
    })
}

/// The no-color.org rule for a value of `NO_COLOR`: present and not empty.
pub fn no_color_value(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}
