//! The setlists and decks compiled into the binary (from `sessions/`), so an installed
//! gamelan can run the weekly session anywhere. The user's own live in the config
//! directory's `sessions/` folder; the command layer looks there first.

/// File names ending in this are decks; every other `*.toml` in `sessions/` is a setlist.
pub const DECK_SUFFIX: &str = ".deck.toml";
/// File names ending in this are knowledge matrices, not setlists.
pub const MATRIX_SUFFIX: &str = crate::matrix::file::SUFFIX;

const FILES: &[(&str, &str)] = &[
    (
        "checkout.matrix.toml",
        include_str!("../../sessions/checkout.matrix.toml"),
    ),
    (
        "stack.deck.toml",
        include_str!("../../sessions/stack.deck.toml"),
    ),
    ("weekly.toml", include_str!("../../sessions/weekly.toml")),
];

/// Every bundled file: `(name, text)`, sorted by name.
pub fn files() -> &'static [(&'static str, &'static str)] {
    FILES
}

/// A bundled setlist's text by name (`weekly` or `weekly.toml`).
pub fn setlist(name: &str) -> Option<(&'static str, &'static str)> {
    let file = if name.ends_with(".toml") {
        name.to_string()
    } else {
        format!("{name}.toml")
    };
    FILES
        .iter()
        .find(|(n, _)| *n == file && is_setlist(n))
        .copied()
}

/// A bundled deck's text by its file name (`stack.deck.toml`).
pub fn deck(name: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(n, _)| *n == name && n.ends_with(DECK_SUFFIX))
        .map(|(_, t)| *t)
}

fn is_setlist(name: &str) -> bool {
    !name.ends_with(DECK_SUFFIX) && !name.ends_with(MATRIX_SUFFIX)
}

/// A bundled matrix's text by its file name (`checkout.matrix.toml`).
pub fn matrix(name: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(n, _)| *n == name && n.ends_with(MATRIX_SUFFIX))
        .map(|(_, t)| *t)
}

/// The bundled setlists' names, without `.toml`.
pub fn setlist_names() -> Vec<&'static str> {
    FILES
        .iter()
        .filter(|(n, _)| is_setlist(n))
        .filter_map(|(n, _)| n.strip_suffix(".toml"))
        .collect()
}

/// The bundled plan of a setlist: its decks resolved among the bundled decks. Bundled files
/// are checked by the test suite, so a failure here is a build defect, reported as such.
pub fn plan(name: &str) -> Result<super::Plan, Vec<crate::diag::Diagnostic>> {
    let Some((file, text)) = setlist(name) else {
        return Err(vec![crate::diag::Diagnostic::whole(
            name,
            format!(
                "no bundled setlist `{name}`; bundled: {}",
                setlist_names().join(", ")
            ),
        )]);
    };
    let shown = format!("sessions/{file}");
    let list = super::setlist::load_str(text, &shown)?;
    super::Plan::resolve(list, |r| match deck(&r.name) {
        Some(t) => super::deck::load_str(t, &format!("sessions/{}", r.name)),
        None => Err(vec![
            r.problem(&shown, format!("no bundled deck `{}`", r.name)),
        ]),
    })?
    .with_matrices(|r| match matrix(&r.name) {
        Some(t) => crate::matrix::file::load_str(t, &format!("sessions/{}", r.name)),
        None => Err(vec![
            r.problem(&shown, format!("no bundled matrix `{}`", r.name)),
        ]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_file_loads() {
        for (name, text) in files() {
            let shown = format!("sessions/{name}");
            let result = if name.ends_with(DECK_SUFFIX) {
                super::super::deck::load_str(text, &shown).map(|_| ())
            } else if name.ends_with(MATRIX_SUFFIX) {
                crate::matrix::file::load_str(text, &shown).map(|_| ())
            } else {
                plan(name).map(|_| ())
            };
            if let Err(d) = result {
                panic!("{}", crate::diag::render(&d));
            }
        }
        assert_eq!(setlist_names(), vec!["weekly"]);
    }
}
