//! Themes map *meanings* (title, warning, the metronome pulse…) to styles, so that widgets never
//! pick colours themselves (the helix and atuin approach). A theme is a TOML file; unset meanings
//! fall back to related ones, `inherits` layers a theme on another, and a bad file never stops
//! the console: [`resolve`] falls back to the built-in dark theme and returns the problems, each
//! with file:line:col. The format is documented in docs/theme-format.md.
//!
//! The model (meanings and the resolved [`Theme`]) is here; [`load`](self::load_file) follows
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
use std::path::Path;
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
}

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

/// Checks theme text that is not in a file (`file` names it in diagnostics); `inherits` may
/// name bundled themes only. What `load_file` does after reading, for tests and fuzzing.
pub fn parse_str(src: &str, file: &str) -> Result<Theme, Vec<Diagnostic>> {
    build(Source::Text {
        label: file.to_string(),
        text: src.to_string(),
    })
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
