//! Diagnostics that point into a file as `file:line:col: message`, shared by every loader
//! (scenarios, themes, configs, recordings) so that a user always learns where the problem is.

use serde::de::DeserializeOwned;
use std::fmt;
use std::ops::Range;

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at a byte span of `src`.
    pub fn at(
        file: &str,
        src: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        let (line, col) = span.map_or((1, 1), |s| line_col(src, s.start));
        Diagnostic {
            file: file.to_string(),
            line,
            col,
            message: message.into(),
        }
    }

    /// A diagnostic about the file as a whole (unreadable, missing).
    pub fn whole(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: 0,
            col: 0,
            message: message.into(),
        }
    }

    /// Builds a diagnostic from a TOML error, trimming the parser's own source excerpt.
    pub fn from_toml(file: &str, src: &str, err: &toml::de::Error) -> Self {
        Diagnostic::at(
            file,
            src,
            err.span(),
            err.message().trim().replace('\n', " "),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.col, self.message
            )
        }
    }
}

/// Joins diagnostics one per line, for error messages and the status line.
pub fn render(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// 1-based line and character column of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let mut start = offset;
    while !src.is_char_boundary(start) {
        start -= 1;
    }
    let before = &src[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Parses a whole TOML file into `T`, reporting every syntax error, or the first shape error,
/// with its position.
pub fn parse_toml<T: DeserializeOwned>(file: &str, src: &str) -> Result<T, Vec<Diagnostic>> {
    let (_, errors) = toml::de::DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| Diagnostic::from_toml(file, src, e))
            .collect());
    }
    toml::from_str(src).map_err(|e| vec![Diagnostic::from_toml(file, src, &e)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = "a = 1\nbé = x\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, src.find('x').unwrap()), (2, 6));
    }

    #[test]
    fn parse_errors_carry_positions() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct T {
            #[allow(dead_code)]
            a: u32,
        }
        let errs = parse_toml::<T>("t.toml", "a = 1\nb = 2\n").unwrap_err();
        assert_eq!(errs[0].line, 2, "{errs:?}");
        assert!(
            errs[0]
                .to_string()
                .starts_with("t.toml:2:1: unknown field `b`"),
            "{}",
            errs[0]
        );
    }
}
