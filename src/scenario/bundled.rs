//! The scenario catalogue: bundled scenarios compiled into the binary (so an installed binary
//! works anywhere) plus the user's own files from the config directory.

use super::{Scenario, load_file, load_str};
use crate::diag::Diagnostic;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Each bundled scenario with its winning and losing cue scripts (`ID.toml`, `ID.win.cues`,
/// `ID.lose.cues` in scenarios/), compiled in so `gamelan prove ID` needs no source tree.
macro_rules! bundle {
    ($($id:literal),* $(,)?) => {
        &[$((
            $id,
            include_str!(concat!("../../scenarios/", $id, ".toml")),
            include_str!(concat!("../../scenarios/", $id, ".win.cues")),
            include_str!(concat!("../../scenarios/", $id, ".lose.cues")),
        )),*]
    };
}

const BUNDLED: &[(&str, &str, &str, &str)] = bundle![
    "bad-deploy",
    "bgp-withdrawal",
    "boot-loop-update",
    "cert-expiry",
    "consul-streaming",
    "db-directory-deleted",
    "dead-code-flag",
    "edge-config-bug",
    "holiday-return",
    "mass-revocation",
    "pool-exhaustion",
    "queue-backlog",
    "retry-storm",
    "s3-playbook",
    "stolen-session-token",
];

/// Where a scenario came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Bundled,
    File(PathBuf),
    /// The source a recording carries (docs/recording-format.md), read from that recording.
    Recording(PathBuf),
}

impl Origin {
    pub fn label(&self) -> String {
        match self {
            Origin::Bundled => "bundled".into(),
            Origin::File(p) => p.display().to_string(),
            Origin::Recording(p) => format!("recorded in {}", p.display()),
        }
    }
}

/// One playable scenario.
#[derive(Debug, Clone)]
pub struct Entry {
    pub scenario: Arc<Scenario>,
    pub origin: Origin,
}

/// Every scenario on offer, and the problems with the files that could not be offered.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub entries: Vec<Entry>,
    pub problems: Vec<Diagnostic>,
}

/// The bundled scenarios. They are checked by the test suite, so failing here is a build defect.
pub fn bundled() -> Vec<Entry> {
    BUNDLED
        .iter()
        .map(|(id, src, _, _)| {
            let scenario = load_str(src, &format!("scenarios/{id}.toml")).unwrap_or_else(|d| {
                panic!("bundled scenario is invalid:\n{}", crate::diag::render(&d))
            });
            Entry {
                scenario: Arc::new(scenario),
                origin: Origin::Bundled,
            }
        })
        .collect()
}

/// The winning and losing cue scripts shipped with bundled scenario `id`.
pub fn bundled_scripts(id: &str) -> Option<(&'static str, &'static str)> {
    BUNDLED
        .iter()
        .find(|(i, ..)| *i == id)
        .map(|(_, _, win, lose)| (*win, *lose))
}

/// The source text of bundled scenario `id` (for `gamelan new` and tests).
pub fn bundled_source(id: &str) -> Option<&'static str> {
    BUNDLED
        .iter()
        .find(|(i, ..)| *i == id)
        .map(|(_, src, ..)| *src)
}

impl Catalogue {
    /// Bundled scenarios plus every `*.toml` in `user_dir`; a user file with the same id as a
    /// bundled one replaces it.
    pub fn load(user_dir: Option<&Path>) -> Catalogue {
        let mut cat = Catalogue {
            entries: bundled(),
            problems: Vec::new(),
        };
        let Some(dir) = user_dir else { return cat };
        let Ok(read) = std::fs::read_dir(dir) else {
            return cat;
        };
        let mut files: Vec<PathBuf> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for path in files {
            match load_file(&path) {
                Ok(s) => {
                    cat.entries.retain(|e| e.scenario.meta.id != s.meta.id);
                    cat.entries.push(Entry {
                        scenario: Arc::new(s),
                        origin: Origin::File(path),
                    });
                }
                Err(d) => cat.problems.extend(d),
            }
        }
        cat
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.scenario.meta.id == id)
    }
}

/// Resolves a scenario argument: a path to a file when one exists there, else an id from the
/// catalogue.
pub fn find(catalogue: &Catalogue, arg: &str) -> Result<Entry, Vec<Diagnostic>> {
    let path = Path::new(arg);
    if path.exists() || arg.ends_with(".toml") {
        let scenario = load_file(path)?;
        return Ok(Entry {
            scenario: Arc::new(scenario),
            origin: Origin::File(path.to_path_buf()),
        });
    }
    catalogue.get(arg).cloned().ok_or_else(|| {
        let ids: Vec<&str> = catalogue
            .entries
            .iter()
            .map(|e| e.scenario.meta.id.as_str())
            .collect();
        vec![Diagnostic::whole(
            arg,
            format!("no such scenario; known: {}", ids.join(", ")),
        )]
    })
}
