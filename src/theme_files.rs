//! The shell's side of themes: reading theme files from disk (ui/theme only parses text), and
//! remembering what the user chose (`--theme`, the settings' `theme`, `NO_COLOR`) so that every
//! screen resolves and hot-reloads the theme the same way.

use crate::config::{Paths, Settings};
use crate::diag::{self, Diagnostic};
use crate::ui::theme::{self, MAX_THEME_BYTES, Theme, ThemeFiles};
use std::path::{Path, PathBuf};

/// Theme files on disk, each read with [`diag::read_text`] and its size bound.
pub struct DiskThemes;

impl ThemeFiles for DiskThemes {
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
    fn read(&self, path: &Path) -> Result<String, Diagnostic> {
        diag::read_text(path, MAX_THEME_BYTES)
    }
    fn identity(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Whether `NO_COLOR` is set to a non-empty value (no-color.org).
pub fn no_color_requested() -> bool {
    theme::no_color_value(std::env::var_os("NO_COLOR").as_deref())
}

/// What the user chose, not what the theme file calls itself: a reload loads the same name or
/// path again (a theme whose `name` differs from its file, `--theme ./x.toml`) and strips
/// colour again under `NO_COLOR`.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeChoice {
    /// `--theme`, a name or a path.
    pub flag: Option<String>,
    /// The settings file's `theme`.
    pub setting: Option<String>,
    /// Draw without colour.
    pub no_color: bool,
    /// Where named themes are looked up before the bundled ones.
    pub themes_dir: PathBuf,
}

impl ThemeChoice {
    /// The choice for this terminal: an explicit `--theme` wins over `NO_COLOR` (no-color.org:
    /// arguments override the variable).
    pub fn for_terminal(paths: &Paths, settings: &Settings, flag: Option<&str>) -> Self {
        ThemeChoice {
            no_color: no_color_requested() && flag.is_none(),
            ..ThemeChoice::for_peers(paths, settings, flag)
        }
    }

    /// The choice for seats drawn for other terminals, which decide on colour themselves.
    pub fn for_peers(paths: &Paths, settings: &Settings, flag: Option<&str>) -> Self {
        ThemeChoice {
            flag: flag.map(str::to_string),
            setting: settings.theme.clone(),
            no_color: false,
            themes_dir: paths.themes(),
        }
    }

    /// The name or path in force: the flag, else the setting, else `dark`.
    pub fn name(&self) -> &str {
        self.flag
            .as_deref()
            .or(self.setting.as_deref())
            .unwrap_or("dark")
    }

    /// The chosen theme, or on error every problem.
    pub fn load(&self, files: &dyn ThemeFiles) -> Result<Theme, Vec<Diagnostic>> {
        let t = theme::load(self.name(), &self.themes_dir, files)?;
        Ok(if self.no_color { t.without_colour() } else { t })
    }

    /// The theme to start with: the chosen one, or the built-in dark theme plus the problems.
    pub fn resolve(&self) -> (Theme, Vec<Diagnostic>) {
        match self.load(&DiskThemes) {
            Ok(t) => (t, Vec::new()),
            Err(d) => {
                let dark = Theme::default();
                let dark = if self.no_color {
                    dark.without_colour()
                } else {
                    dark
                };
                (dark, d)
            }
        }
    }

    /// The theme after its file changed: the chosen one again, or `current` kept plus the
    /// first problem.
    pub fn reload(&self, current: &Theme) -> (Theme, Option<Diagnostic>) {
        self.reload_from(current, &DiskThemes)
    }

    fn reload_from(&self, current: &Theme, files: &dyn ThemeFiles) -> (Theme, Option<Diagnostic>) {
        match self.load(files) {
            Ok(t) => (t, None),
            Err(d) => (current.clone(), d.into_iter().next()),
        }
    }
}

/// The theme a console draws with, what the user chose, and which status-line notice is the
/// theme's: a good reload clears that notice only, never one about something else.
#[derive(Debug, Clone)]
pub struct LiveTheme {
    pub choice: ThemeChoice,
    pub theme: Theme,
    posted: Option<String>,
}

impl LiveTheme {
    /// Resolves `choice`; the first problem, if any, is the theme notice (see
    /// [`LiveTheme::notice`]).
    pub fn new(choice: ThemeChoice) -> Self {
        let (theme, problems) = choice.resolve();
        let posted = problems
            .first()
            .map(|d| format!("{d} (using {})", theme.name()));
        LiveTheme {
            choice,
            theme,
            posted,
        }
    }

    /// The notice about the theme in force, if something is wrong with it.
    pub fn notice(&self) -> Option<String> {
        self.posted.clone()
    }

    /// Reloads after a theme file changed. A bad edit keeps the last good theme and puts its
    /// problem in `status`; a good one clears `status` only when it shows the theme's notice.
    pub fn reload(&mut self, status: &mut Option<String>) {
        self.reload_from(status, &DiskThemes);
    }

    fn reload_from(&mut self, status: &mut Option<String>, files: &dyn ThemeFiles) {
        let (theme, problem) = self.choice.reload_from(&self.theme, files);
        self.theme = theme;
        match problem {
            Some(d) => {
                let text = format!("{d} (keeping theme {})", self.theme.name());
                *status = Some(text.clone());
                self.posted = Some(text);
            }
            None => {
                if self.posted.is_some() && *status == self.posted {
                    *status = None;
                }
                self.posted = None;
            }
        }
    }
}

#[cfg(test)]
mod tests;
