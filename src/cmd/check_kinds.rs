//! What `gamelan check` learns from a file before checking it: vista files, themes and Grafana
//! dashboards beside scenarios, setlists and decks, and directories standing for their files.

use crate::diag::Diagnostic;
use crate::vista::VistaConfig;
use crate::vista::grafana::{self, Offline, Options};
use std::path::{Path, PathBuf};

/// The files named, with each directory replaced by the `.toml` and `.json` files under it
/// (sorted, hidden ones skipped).
pub(crate) fn expand(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for f in files {
        if f.is_dir() {
            let mut found = Vec::new();
            walk(f, &mut found, 0);
            found.sort();
            out.extend(found);
        } else {
            out.push(f.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        match e.file_type() {
            Ok(t) if t.is_dir() && depth < 8 => walk(&p, out, depth + 1),
            Ok(t) if t.is_file() && p.extension().is_some_and(|x| x == "toml" || x == "json") => {
                out.push(p)
            }
            _ => {}
        }
    }
}

/// `vista` or `theme` by the file's top-level keys, when it is neither a setlist nor a deck.
pub(crate) fn kind_of(text: &str) -> Option<&'static str> {
    let (doc, errors) = toml::de::DeTable::parse_recoverable(text);
    let doc = doc.into_inner();
    let has = |k: &str| doc.get(k).is_some();
    if errors.is_empty() {
        if has("scenario") {
            return None;
        }
        if has("matrix") {
            return Some("matrix");
        }
        if has("vista") || has("panes") {
            return Some("vista");
        }
        // config.toml: a `theme` name or a `tempo` number at the top (a scenario's `tempo` is
        // a table).
        let tempo_number = doc
            .get("tempo")
            .is_some_and(|v| !matches!(v.get_ref(), toml::de::DeValue::Table(_)));
        if has("theme") || tempo_number {
            return Some("settings");
        }
        // A theme's own keys, or its `name` with a misspelt `[styles]`: the theme checker
        // then says what it should be, not that a scenario lacks its sections.
        if ["styles", "inherits", "name", "style", "colors", "colours"]
            .iter()
            .any(|k| has(k))
        {
            return Some("theme");
        }
        return None;
    }
    // A file that does not parse: its table headers say what it meant to be.
    let mut kind = None;
    for l in text.lines().map(str::trim_start) {
        if l.starts_with("[scenario]") {
            return None;
        }
        if kind.is_none() && (l.starts_with("[vista]") || l.starts_with("[[panes]]")) {
            kind = Some("vista");
        }
        if kind.is_none() && (l.starts_with("[styles]") || l.starts_with("inherits")) {
            kind = Some("theme");
        }
        if kind.is_none() && l.starts_with("[matrix]") {
            kind = Some("matrix");
        }
    }
    kind
}

/// A vista file: every problem at its file:line:col, else what it holds.
pub(crate) fn check_vista(f: &Path, text: &str) -> Result<String, Vec<Diagnostic>> {
    let cfg = VistaConfig::parse(text, &f.display().to_string())?;
    Ok(format!(
        "vista \"{}\": {} panes",
        cfg.title,
        cfg.panes.len()
    ))
}

/// The settings file (`config.toml`), as every console reads it.
pub(crate) fn check_settings(f: &Path, text: &str) -> Result<String, Vec<Diagnostic>> {
    let s = crate::config::Settings::parse(text, &f.display().to_string())?;
    let or_default = |v: Option<String>| v.unwrap_or_else(|| "default".into());
    Ok(format!(
        "settings: theme {}, tempo {}",
        or_default(s.theme),
        or_default(s.tempo.map(|t| format!("{t} BPM")))
    ))
}

/// A theme file, following `inherits` to the files beside it.
pub(crate) fn check_theme(f: &Path) -> Result<String, Vec<Diagnostic>> {
    let theme = crate::ui::theme::load_file(f, &crate::theme_files::DiskThemes)?;
    Ok(format!("theme \"{}\"", theme.name()))
}

/// A Grafana dashboard: it must be dashboard JSON, and the import (without asking any
/// Prometheus) must make at least one pane of it.
pub(crate) fn check_dashboard(f: &Path) -> Result<String, Vec<Diagnostic>> {
    let name = f.display().to_string();
    let text = crate::vista::regular::read_to_string(f, grafana::model::MAX_DASHBOARD_BYTES)
        .map_err(|e| vec![Diagnostic::whole(&name, e)])?;
    let opts = Options {
        all_rows: true,
        ..Options::default()
    };
    let offline = Offline("not asked by check".into());
    let imported = grafana::import(&text, &name, &opts, &offline)?;
    let r = &imported.report;
    if imported.toml.is_none() {
        let why = r
            .dropped
            .first()
            .map_or_else(|| "it has no panels".to_string(), |d| d.line());
        return Err(vec![Diagnostic::whole(
            &name,
            format!("no panel of this dashboard can be a vista pane (first: {why})"),
        )]);
    }
    Ok(format!(
        "Grafana dashboard \"{}\": {} of {} panels import",
        r.title,
        r.mapped.len(),
        r.panels
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_keys_even_when_broken() {
        assert_eq!(kind_of("[vista]\ntitle = \"x\""), Some("vista"));
        assert_eq!(kind_of("[[panes]]\nid = 1 2"), Some("vista"));
        assert_eq!(kind_of("inherits = \"dark\"\n[styles]\n"), Some("theme"));
        assert_eq!(kind_of("[styles]\nx = = 1"), Some("theme"));
        assert_eq!(
            kind_of("name = \"t\"\n[style]\ntitle = \"red\""),
            Some("theme")
        );
        assert_eq!(kind_of("[colours]\ntitle = \"red\""), Some("theme"));
        assert_eq!(kind_of("tempo = 0\ntheme = \"x\""), Some("settings"));
        assert_eq!(kind_of("tempo = 90"), Some("settings"));
        assert_eq!(kind_of("[tempo]\nbpm = 90"), None);
        assert_eq!(kind_of("[scenario]\n[[panes]]\n"), None);
        assert_eq!(kind_of("[scenario]\nid = \"a\""), None);
        assert_eq!(kind_of("[matrix]\ntitle = \"m\""), Some("matrix"));
        assert_eq!(kind_of("[matrix]\ntitle = = 1"), Some("matrix"));
    }
}
