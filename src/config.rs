//! Where gamelan keeps its files (config, data, runtime) and the user's settings file.
//! `GAMELAN_CONFIG_DIR`, `GAMELAN_DATA_DIR` and `GAMELAN_RUNTIME_DIR` override the platform
//! defaults, which keeps tests and side-by-side installs apart.

use crate::diag::{Diagnostic, parse_toml};
use serde::Deserialize;
use std::path::{Path, PathBuf};

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

/// `config.toml`: the user's settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Theme name (bundled or a file in the themes directory).
    pub theme: Option<String>,
    /// Default tempo override, in beats per minute.
    pub tempo: Option<u32>,
}

impl Settings {
    /// Reads the settings file; a missing file is the defaults, a bad one is an error.
    pub fn load(path: &Path) -> Result<Settings, Vec<Diagnostic>> {
        match std::fs::read_to_string(path) {
            Ok(src) => parse_toml(&path.display().to_string(), &src),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(vec![Diagnostic::whole(
                &path.display().to_string(),
                format!("cannot read: {e}"),
            )]),
        }
    }
}
