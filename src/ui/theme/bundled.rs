//! The themes compiled into the binary, so an installed binary has them everywhere.

/// Name and source of each bundled theme, default first.
pub(super) const BUNDLED: [(&str, &str); 4] = [
    ("dark", include_str!("../../../themes/dark.toml")),
    ("light", include_str!("../../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../../themes/mono.toml")),
];
pub(super) const NAMES: [&str; 4] = [BUNDLED[0].0, BUNDLED[1].0, BUNDLED[2].0, BUNDLED[3].0];

/// The themes compiled into the binary, default first; for `--theme` help and completion.
pub fn bundled_names() -> &'static [&'static str] {
    &NAMES
}

/// The bundled theme of that name, as a `'static` name.
pub(super) fn bundled_name(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(n, _)| *n)
}

/// A bundled theme's source text.
pub(super) fn bundled_source(name: &str) -> &'static str {
    BUNDLED
        .iter()
        .find(|(b, _)| *b == name)
        .map_or("", |(_, s)| s)
}
