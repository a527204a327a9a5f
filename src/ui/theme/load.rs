//! Loading a theme: its text (a file, a bundled theme, or text given directly), then the
//! themes it `inherits`, then every fallback resolved into a [`Theme`]. Files are read through
//! [`ThemeFiles`], which the shell supplies, so this stays pure.

use super::bundled::{NAMES, bundled_name, bundled_source};
use super::parse::parse;
use super::{COUNT, Meaning, Theme, ThemeFiles};
use crate::diag::Diagnostic;
use ratatui::style::Style;
use std::path::{Path, PathBuf};

/// The largest theme file read: 64 KiB.
pub const MAX_THEME_BYTES: usize = 64 << 10;
/// How many themes an `inherits` chain may stack, the theme itself included.
pub const MAX_INHERITS: usize = 8;

/// Where a theme's text comes from; also its identity for cycle detection.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Source {
    File(PathBuf),
    Bundled(&'static str),
    /// Text not read from a file (`label` names it in diagnostics); it inherits bundled themes
    /// only.
    Text {
        label: String,
        text: String,
    },
}

impl Source {
    fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Bundled(n) => format!("themes/{n}.toml (bundled)"),
            Source::Text { label, .. } => label.clone(),
        }
    }
}

/// A theme as written: explicit styles only, before inheritance and fallbacks.
struct Layer {
    name: String,
    styles: [Option<Style>; COUNT],
}

pub(super) fn build(source: Source, files: &dyn ThemeFiles) -> Result<Theme, Vec<Diagnostic>> {
    let layer = load_layer(source, files, &mut Vec::new())?;
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
/// loaded, to detect cycles and bound the depth.
fn load_layer(
    source: Source,
    files: &dyn ThemeFiles,
    chain: &mut Vec<Source>,
) -> Result<Layer, Vec<Diagnostic>> {
    let file = source.label();
    let src = match &source {
        Source::File(p) => files.read(p).map_err(|d| vec![d])?,
        Source::Bundled(n) => bundled_source(n).to_string(),
        Source::Text { text, .. } => text.clone(),
    };
    let (spec, mut diags) = parse(&file, &src);
    let mut layer = Layer {
        name: spec.name.unwrap_or_else(|| match &source {
            Source::File(p) => p
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
            Source::Bundled(n) => n.to_string(),
            Source::Text { label, .. } => label.clone(),
        }),
        styles: spec.styles,
    };
    let mut inherited = Vec::new();
    chain.push(identity(&source, files));
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
            .filter(|p| files.exists(p))
            .map(|p| identity(&Source::File(p), files)),
            Source::Bundled(_) | Source::Text { .. } => None,
        };
        let candidates: Vec<Source> = beside
            .into_iter()
            .chain(bundled_name(&parent).map(Source::Bundled))
            .collect();
        match candidates.iter().find(|c| !chain.contains(c)).cloned() {
            Some(_) if chain.len() >= MAX_INHERITS => diags.push(at(format!(
                "`inherits` goes deeper than {MAX_INHERITS} themes; flatten the chain"
            ))),
            Some(next) => match load_layer(next, files, chain) {
                Ok(base) => {
                    for (mine, theirs) in layer.styles.iter_mut().zip(base.styles) {
                        *mine = mine.or(theirs);
                    }
                }
                Err(more) => inherited = more,
            },
            None if !candidates.is_empty() => {
                let names: Vec<String> = chain
                    .iter()
                    .chain(&candidates[..1])
                    .map(Source::label)
                    .collect();
                diags.push(at(format!("inheritance cycle: {}", names.join(" -> "))));
            }
            None => {
                let near = crate::diag::suggest(&parent, NAMES)
                    .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
                diags.push(at(format!(
                    "unknown theme `{parent}`: no file {parent}.toml beside this one and no bundled theme of that name ({}){near}",
                    NAMES.join(", ")
                )));
            }
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
fn identity(source: &Source, files: &dyn ThemeFiles) -> Source {
    match source {
        Source::File(p) => Source::File(files.identity(p)),
        b => b.clone(),
    }
}
