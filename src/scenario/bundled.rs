//! The scenario catalogue: bundled scenarios compiled into the binary (so an installed binary
//! works anywhere) plus the user's own files from the config directory.

use super::{Scenario, load_file, load_str};
use crate::diag::Diagnostic;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const BUNDLED: &[(&str, &str)] = &[
    (
        "bad-deploy.toml",
        include_str!("../../scenarios/bad-deploy.toml"),
    ),
    (
        "bgp-withdrawal.toml",
        include_str!("../../scenarios/bgp-withdrawal.toml"),
    ),
    (
        "boot-loop-update.toml",
        include_str!("../../scenarios/boot-loop-update.toml"),
    ),
    (
        "cert-expiry.toml",
        include_str!("../../scenarios/cert-expiry.toml"),
    ),
    (
        "consul-streaming.toml",
        include_str!("../../scenarios/consul-streaming.toml"),
    ),
    (
        "db-directory-deleted.toml",
        include_str!("../../scenarios/db-directory-deleted.toml"),
    ),
    (
        "dead-code-flag.toml",
        include_str!("../../scenarios/dead-code-flag.toml"),
    ),
    (
        "edge-config-bug.toml",
        include_str!("../../scenarios/edge-config-bug.toml"),
    ),
    (
        "holiday-return.toml",
        include_str!("../../scenarios/holiday-return.toml"),
    ),
    (
        "mass-revocation.toml",
        include_str!("../../scenarios/mass-revocation.toml"),
    ),
    (
        "pool-exhaustion.toml",
        include_str!("../../scenarios/pool-exhaustion.toml"),
    ),
    (
        "queue-backlog.toml",
        include_str!("../../scenarios/queue-backlog.toml"),
    ),
    (
        "retry-storm.toml",
        include_str!("../../scenarios/retry-storm.toml"),
    ),
    (
        "s3-playbook.toml",
        include_str!("../../scenarios/s3-playbook.toml"),
    ),
    (
        "stolen-session-token.toml",
        include_str!("../../scenarios/stolen-session-token.toml"),
    ),
];

/// Where a scenario came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Bundled,
    File(PathBuf),
}

impl Origin {
    pub fn label(&self) -> String {
        match self {
            Origin::Bundled => "bundled".into(),
            Origin::File(p) => p.display().to_string(),
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
        .map(|(name, src)| {
            let scenario = load_str(src, &format!("scenarios/{name}")).unwrap_or_else(|d| {
                panic!("bundled scenario is invalid:\n{}", crate::diag::render(&d))
            });
            Entry {
                scenario: Arc::new(scenario),
                origin: Origin::Bundled,
            }
        })
        .collect()
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
