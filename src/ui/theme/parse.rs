//! Parsing and checking one theme file: top-level keys, meanings, styles and colours, every
//! problem collected with its position.

use super::{COUNT, Meaning};
use crate::diag::{Checker, Diagnostic};
use ratatui::style::{Color, Modifier, Style};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The longest `name` (shown on the status line) and `inherits` value: 64 characters.
pub const MAX_NAME_CHARS: usize = 64;

/// A theme file as written.
pub(super) struct Spec {
    pub name: Option<String>,
    pub inherits: Option<(String, Range<usize>)>,
    pub styles: [Option<Style>; COUNT],
}

/// Parses and checks a theme file, collecting every problem rather than stopping at the first.
pub(super) fn parse(file: &str, src: &str) -> (Spec, Vec<Diagnostic>) {
    let mut cx = Checker::new(file, src);
    let (root, errors) = DeTable::parse_recoverable(src);
    for e in &errors {
        cx.toml(e);
    }
    let mut spec = Spec {
        name: None,
        inherits: None,
        styles: [None; COUNT],
    };
    for (key, value) in root.get_ref() {
        let text = |v: &Spanned<DeValue>| match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        };
        match key.get_ref().as_ref() {
            "name" => match text(value) {
                Some(s) => {
                    cx.text(value.span(), "`name`", &s, MAX_NAME_CHARS);
                    spec.name = Some(s);
                }
                None => cx.error(value.span(), "`name` must be a string"),
            },
            "inherits" => match text(value) {
                Some(s) if s.contains(['/', '\\']) || s.chars().count() > MAX_NAME_CHARS => {
                    cx.error(
                        value.span(),
                        format!("`inherits` must be a theme name (at most {MAX_NAME_CHARS} characters, no `/`), not a path"),
                    );
                }
                Some(s) => spec.inherits = Some((s, value.span())),
                None => cx.error(value.span(), "`inherits` must be a theme name"),
            },
            "styles" => match value.get_ref() {
                DeValue::Table(styles) => {
                    let keys: Vec<&str> = Meaning::ALL.iter().map(|m| m.key()).collect();
                    for (k, v) in styles {
                        match Meaning::from_key(k.get_ref()) {
                            Some(m) => spec.styles[m as usize] = parse_style(v, &mut cx),
                            None => cx.unknown(k.span(), "meaning", k.get_ref(), &keys),
                        }
                    }
                }
                _ => cx.error(value.span(), "`styles` must be a table of meaning = style"),
            },
            other => cx.unknown(key.span(), "key", other, &["name", "inherits", "styles"]),
        }
    }
    (spec, cx.finish())
}

/// A style: a colour (the foreground) or `{ fg, bg, bold, italic, underline, dim, reversed }`.
fn parse_style(value: &Spanned<DeValue>, cx: &mut Checker<'_>) -> Option<Style> {
    let DeValue::Table(table) = value.get_ref() else {
        return colour(value, cx).map(|c| Style::new().fg(c));
    };
    let mut style = Some(Style::new());
    for (k, v) in table {
        let flag = match k.get_ref().as_ref() {
            "fg" | "bg" => {
                let c = colour(v, cx);
                style = style.zip(c).map(|(s, c)| {
                    if k.get_ref() == "fg" {
                        s.fg(c)
                    } else {
                        s.bg(c)
                    }
                });
                continue;
            }
            "bold" => Modifier::BOLD,
            "italic" => Modifier::ITALIC,
            "underline" => Modifier::UNDERLINED,
            "dim" => Modifier::DIM,
            "reversed" => Modifier::REVERSED,
            other => {
                let keys = ["fg", "bg", "bold", "italic", "underline", "dim", "reversed"];
                cx.unknown(k.span(), "style key", other, &keys);
                style = None;
                continue;
            }
        };
        match v.get_ref() {
            DeValue::Boolean(on) => {
                style = style.map(|s| {
                    if *on {
                        s.add_modifier(flag)
                    } else {
                        s.remove_modifier(flag)
                    }
                });
            }
            _ => {
                cx.error(v.span(), format!("`{}` must be true or false", k.get_ref()));
                style = None;
            }
        }
    }
    style
}

/// A colour: an ANSI name, `#rrggbb`, or a 256-colour index (as a number or a string).
fn colour(value: &Spanned<DeValue>, cx: &mut Checker<'_>) -> Option<Color> {
    let parsed = match value.get_ref() {
        DeValue::String(s) => parse_colour(s),
        DeValue::Integer(i) => u8::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(Color::Indexed),
        _ => None,
    };
    if parsed.is_none() {
        let shown = match value.get_ref() {
            DeValue::String(s) => format!("`{}`", s.chars().take(64).collect::<String>()),
            DeValue::Integer(i) => format!("`{i}`"),
            _ => "this".into(),
        };
        let near = match value.get_ref() {
            DeValue::String(s) => crate::diag::suggest(s, NAMED.iter().map(|(n, _)| *n))
                .map_or(String::new(), |n| format!("; did you mean `{n}`?")),
            _ => String::new(),
        };
        cx.error(
            value.span(),
            format!(
                "{shown} is not a colour: use a name (red, light_blue, dark_gray, reset…), #rrggbb, or 0-255{near}"
            ),
        );
    }
    parsed
}

/// The ANSI colour names a theme may use.
const NAMED: [(&str, Color); 19] = [
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("grey", Color::Gray),
    ("dark_gray", Color::DarkGray),
    ("dark_grey", Color::DarkGray),
    ("light_red", Color::LightRed),
    ("light_green", Color::LightGreen),
    ("light_yellow", Color::LightYellow),
    ("light_blue", Color::LightBlue),
    ("light_magenta", Color::LightMagenta),
    ("light_cyan", Color::LightCyan),
    ("white", Color::White),
    ("reset", Color::Reset),
];

fn parse_colour(s: &str) -> Option<Color> {
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        return Some(Color::Rgb(byte(0)?, byte(2)?, byte(4)?));
    }
    if let Ok(i) = s.parse::<u8>() {
        return Some(Color::Indexed(i));
    }
    NAMED.iter().find(|(n, _)| *n == s).map(|(_, c)| *c)
}
