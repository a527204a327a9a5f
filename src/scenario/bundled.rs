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
        .map(|(id, src, _, _)| parse_bundled(id, src))
        .collect()
}

/// The bundled scenario with this id, parsed alone: playing one drill parses one file and
/// keeps one scenario in memory (and its text out of it), however many are bundled.
pub fn bundled_one(id: &str) -> Option<Entry> {
    one_of(BUNDLED, id)
}

fn one_of(bundle: &[(&str, &str, &str, &str)], id: &str) -> Option<Entry> {
    bundle
        .iter()
        .find(|(i, ..)| *i == id)
        .map(|(i, src, ..)| parse_bundled(i, src))
        .filter(|e| e.scenario.meta.id == id)
}

fn parse_bundled(id: &str, src: &str) -> Entry {
    let scenario = load_str(src, &format!("scenarios/{id}.toml"))
        .unwrap_or_else(|d| panic!("bundled scenario is invalid:\n{}", crate::diag::render(&d)));
    Entry {
        scenario: Arc::new(scenario),
        origin: Origin::Bundled,
    }
}

/// The user's scenarios: every `*.toml` in `dir`, in file-name order, and the problems with
/// those that do not load.
fn user_scenarios(dir: Option<&Path>) -> (Vec<Entry>, Vec<Diagnostic>) {
    let (mut entries, mut problems) = (Vec::new(), Vec::new());
    let Some(Ok(read)) = dir.map(std::fs::read_dir) else {
        return (entries, problems);
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for path in files {
        match load_file(&path) {
            Ok(s) => entries.push(Entry {
                scenario: Arc::new(s),
                origin: Origin::File(path),
            }),
            Err(d) => problems.extend(d),
        }
    }
    (entries, problems)
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
        let (user, problems) = user_scenarios(user_dir);
        let mut cat = Catalogue {
            entries: bundled(),
            problems,
        };
        for e in user {
            cat.entries
                .retain(|b| b.scenario.meta.id != e.scenario.meta.id);
            cat.entries.push(e);
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
    if let Some(file) = as_file(arg) {
        return file;
    }
    let ids: Vec<&str> = catalogue
        .entries
        .iter()
        .map(|e| e.scenario.meta.id.as_str())
        .collect();
    catalogue
        .get(arg)
        .cloned()
        .ok_or_else(|| no_such(arg, &ids))
}

/// Resolves a scenario argument as [`find`] does against [`Catalogue::load`]`(user_dir)`, but
/// parses only what it must: the user's files (their ids are inside them) and the one bundled
/// file of that id. The lobby, which shows them all, loads the catalogue.
pub fn find_in(user_dir: Option<&Path>, arg: &str) -> Result<Entry, Vec<Diagnostic>> {
    if let Some(file) = as_file(arg) {
        return file;
    }
    let (user, problems) = user_scenarios(user_dir);
    // A later user file replaces an earlier one with the same id, as in the catalogue.
    if let Some(e) = user.iter().rev().find(|e| e.scenario.meta.id == arg) {
        return Ok(e.clone());
    }
    // The user's own `ARG.toml` that does not load: its problems, not "no such scenario".
    let own: Vec<Diagnostic> = problems
        .into_iter()
        .filter(|d| Path::new(&d.file).file_stem().is_some_and(|s| s == arg))
        .collect();
    if !own.is_empty() {
        return Err(own);
    }
    if let Some(e) = bundled_one(arg) {
        return Ok(e);
    }
    let user_ids: Vec<&str> = user.iter().map(|e| e.scenario.meta.id.as_str()).collect();
    let mut ids: Vec<&str> = BUNDLED
        .iter()
        .map(|(id, ..)| *id)
        .filter(|b| !user_ids.contains(b))
        .collect();
    for id in user_ids {
        ids.retain(|i| *i != id);
        ids.push(id);
    }
    Err(no_such(arg, &ids))
}

/// The file an argument names, when it names one (an existing path, or anything ending in
/// `.toml`).
fn as_file(arg: &str) -> Option<Result<Entry, Vec<Diagnostic>>> {
    let path = Path::new(arg);
    (path.exists() || arg.ends_with(".toml")).then(|| {
        load_file(path).map(|scenario| Entry {
            scenario: Arc::new(scenario),
            origin: Origin::File(path.to_path_buf()),
        })
    })
}

fn no_such(arg: &str, ids: &[&str]) -> Vec<Diagnostic> {
    let message = match crate::diag::suggest(arg, ids.iter().copied()) {
        Some(near) => format!("no such scenario; did you mean `{near}`?"),
        None => format!("no such scenario; known: {}", ids.join(", ")),
    };
    vec![Diagnostic::whole(arg, message)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_users_scenario_that_does_not_load_says_why() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.toml"),
            "[scenario]\nid = \"mine\"\ntitle = \n",
        )
        .unwrap();
        let d = find_in(Some(dir.path()), "mine").unwrap_err();
        assert!(
            d[0].file.ends_with("mine.toml") && d[0].line == 3,
            "{}",
            d[0]
        );
        assert!(!d[0].message.contains("no such scenario"), "{}", d[0]);
    }

    #[test]
    fn a_misspelt_id_gets_the_near_one() {
        let d = find_in(None, "bad-deplyo").unwrap_err();
        assert_eq!(d[0].message, "no such scenario; did you mean `bad-deploy`?");
        let d = find_in(None, "nothing-like-it").unwrap_err();
        assert!(d[0].message.contains("known: bad-deploy, "), "{}", d[0]);
    }

    #[test]
    fn every_bundled_id_is_its_scenarios_id() {
        for (id, src, ..) in BUNDLED {
            assert_eq!(load_str(src, id).unwrap().meta.id, *id);
        }
    }

    #[test]
    fn one_bundled_scenario_is_found_without_parsing_the_others() {
        // Were the others parsed, the broken one would panic.
        let qb = bundled_source("queue-backlog").unwrap();
        let bundle = [
            ("broken", "this is [not toml", "", ""),
            ("queue-backlog", qb, "", ""),
        ];
        let e = one_of(&bundle, "queue-backlog").unwrap();
        assert_eq!(e.scenario.meta.id, "queue-backlog");
        assert!(one_of(&bundle, "nothing").is_none());
        // An entry whose scenario has another id is not that id.
        assert!(one_of(&[("other", qb, "", "")], "other").is_none());
    }

    fn write(dir: &Path, name: &str, src: &str) {
        std::fs::write(dir.join(name), src).unwrap();
    }

    fn same(dir: Option<&Path>, arg: &str) {
        let cat = Catalogue::load(dir);
        match (find(&cat, arg), find_in(dir, arg)) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.origin, b.origin, "{arg}");
                assert_eq!(a.scenario.meta.title, b.scenario.meta.title, "{arg}");
            }
            (Err(a), Err(b)) => assert_eq!(crate::diag::render(&a), crate::diag::render(&b)),
            (a, b) => panic!("{arg}: catalogue {:?}, lookup {:?}", a.is_ok(), b.is_ok()),
        }
    }

    #[test]
    fn finding_one_agrees_with_the_catalogue() {
        for (id, ..) in BUNDLED {
            same(None, id);
        }
        same(None, "no-such-drill");
        let dir = tempfile::tempdir().unwrap();
        let qb = bundled_source("queue-backlog").unwrap();
        // A user file replaces the bundled scenario of the same id; of two, the later wins.
        write(
            dir.path(),
            "a.toml",
            &qb.replacen("title = ", "title = \"Mine\" #", 1),
        );
        write(
            dir.path(),
            "b.toml",
            &qb.replacen("title = ", "title = \"Later\" #", 1),
        );
        let own = qb.replacen("id = \"queue-backlog\"", "id = \"my-own\"", 1);
        write(dir.path(), "c.toml", &own);
        write(dir.path(), "d.toml", "broken [");
        for arg in ["queue-backlog", "my-own", "bad-deploy", "no-such-drill"] {
            same(Some(dir.path()), arg);
        }
        let e = find_in(Some(dir.path()), "queue-backlog").unwrap();
        assert_eq!(e.scenario.meta.title, "Later");
        assert_eq!(e.origin, Origin::File(dir.path().join("b.toml")));
    }
}
