//! Where gamelan keeps its files (config, data, runtime) and the user's settings file.
//! `GAMELAN_CONFIG_DIR`, `GAMELAN_DATA_DIR` and `GAMELAN_RUNTIME_DIR` override the platform
//! defaults, which keeps tests and side-by-side installs apart.

use crate::diag::{Checker, Diagnostic, parse_toml, read_text_if_exists};
use crate::scenario::limits::MAX_BPM;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The directories gamelan reads and writes.
#[derive(Debug, Clone)]
pub struct Paths {
    pub config: PathBuf,
    pub data: PathBuf,
    pub runtime: PathBuf,
}

impl Paths {
    pub fn discover() -> Paths {
        let dirs = directories::ProjectDirs::from("", "", "gamelan");
        let pick = |var: &str, default: Option<PathBuf>, fallback: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .or(default)
                .unwrap_or_else(|| std::env::temp_dir().join("gamelan").join(fallback))
        };
        let uid_dir = std::env::temp_dir().join(format!("gamelan-{}", user_tag()));
        Paths {
            config: pick(
                "GAMELAN_CONFIG_DIR",
                dirs.as_ref().map(|d| d.config_dir().to_path_buf()),
                "config",
            ),
            data: pick(
                "GAMELAN_DATA_DIR",
                dirs.as_ref().map(|d| d.data_dir().to_path_buf()),
                "data",
            ),
            runtime: std::env::var_os("GAMELAN_RUNTIME_DIR")
                .map(PathBuf::from)
                .or_else(|| {
                    dirs.as_ref()
                        .and_then(|d| d.runtime_dir().map(Path::to_path_buf))
                })
                .unwrap_or(uid_dir),
        }
    }

    pub fn scenarios(&self) -> PathBuf {
        self.config.join("scenarios")
    }

    pub fn themes(&self) -> PathBuf {
        self.config.join("themes")
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config.join("config.toml")
    }

    pub fn recordings(&self) -> PathBuf {
        self.data.join("recordings")
    }
}

fn user_tag() -> String {
    std::env::var("USER").unwrap_or_else(|_| "user".into())
}

/// The largest settings file read: 64 KiB.
pub const MAX_SETTINGS_BYTES: usize = 64 << 10;
/// The longest `theme` value (a name or a path): 1024 characters.
pub const MAX_THEME_CHARS: usize = 1024;

/// `config.toml`: the user's settings.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Theme name (bundled or a file in the themes directory), or a path to a theme file.
    pub theme: Option<String>,
    /// Default tempo override, in beats per minute (1 to 600, as in a scenario's `[tempo]`).
    pub tempo: Option<u32>,
}

/// The file as written, with positions for the checks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    theme: Option<Spanned<String>>,
    tempo: Option<Spanned<u32>>,
}

impl Settings {
    /// Reads the settings file; a missing file is the defaults, a bad one is an error.
    pub fn load(path: &Path) -> Result<Settings, Vec<Diagnostic>> {
        match read_text_if_exists(path, MAX_SETTINGS_BYTES).map_err(|d| vec![d])? {
            Some(src) => Settings::parse(&src, &path.display().to_string()),
            None => Ok(Settings::default()),
        }
    }

    /// Parses and checks settings text; `file` names it in diagnostics.
    pub fn parse(src: &str, file: &str) -> Result<Settings, Vec<Diagnostic>> {
        let raw: SettingsFile = parse_toml(file, src)?;
        let mut cx = Checker::new(file, src);
        if let Some(t) = &raw.tempo {
            cx.int(
                t.span(),
                "tempo",
                u64::from(*t.get_ref()),
                1,
                MAX_BPM.into(),
            );
        }
        if let Some(t) = &raw.theme {
            cx.text(t.span(), "theme", t.get_ref(), MAX_THEME_CHARS);
        }
        cx.result(Settings {
            theme: raw.theme.map(Spanned::into_inner),
            tempo: raw.tempo.map(Spanned::into_inner),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_bounded_and_positioned() {
        let s = Settings::parse("theme = \"mono\"\ntempo = 90\n", "c.toml").unwrap();
        assert_eq!((s.theme.as_deref(), s.tempo), (Some("mono"), Some(90)));
        let errs = Settings::parse("tempo = 0\n", "c.toml").unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "c.toml:1:9: tempo must be from 1 to 600, not 0"
        );
        let errs = Settings::parse("tempo = 4294967295\n", "c.toml").unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (1, 9), "{errs:?}");
        let errs = Settings::parse("them = \"mono\"\n", "c.toml").unwrap_err();
        assert!(
            errs[0].message.ends_with("did you mean `theme`?"),
            "{errs:?}"
        );
    }

    #[test]
    fn a_settings_file_with_invalid_utf8_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, b"theme = \"mono\"\n# caf\xe9\n").unwrap();
        let errs = Settings::load(&path).unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (2, 6), "{errs:?}");
        assert!(errs[0].message.starts_with("invalid UTF-8"), "{errs:?}");
        assert!(Settings::load(&dir.path().join("none.toml")).is_ok());
    }
}
