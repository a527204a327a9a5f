//! Diagnostics that point into a file as `file:line:col: message`, shared by every loader
//! (scenarios, themes, configs, recordings) so that a user always learns where the problem is.
//!
//! A loader reads its file with [`read_text`] (a size limit, and invalid UTF-8 reported at its
//! line and column), parses it keeping spans (`toml::Spanned`, `DeTable::parse_recoverable`),
//! then checks it with one [`Checker`]: `error`/`whole` for its own rules, `unknown` for a name
//! outside a fixed vocabulary, `lookup` for a reference to something the file defines (both
//! with one "did you mean" from [`suggest`]), `float`/`int`/`count`/`text` for bounds, and
//! `finish` or `result` to hand back every problem in file order.

use serde::de::DeserializeOwned;
use std::fmt;
use std::io::Read as _;
use std::ops::Range;
use std::path::Path;

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
            with_suggestion(err.message().trim().replace('\n', " ")),
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

/// Parses a whole TOML file into `T`, reporting every syntax error, or every shape error
/// with its position (and a "did you mean" for a misspelt field or value).
///
/// serde stops at the first shape error, so on failure each top-level section, and each
/// entry of an array of tables (`[[panes]]`), is read again on its own: a file with three
/// misspelt fields in three panes gets three diagnostics in one `check`, not one a run.
pub fn parse_toml<T: DeserializeOwned>(file: &str, src: &str) -> Result<T, Vec<Diagnostic>> {
    let (doc, errors) = toml::de::DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| Diagnostic::from_toml(file, src, e))
            .collect());
    }
    let first = match toml::from_str(src) {
        Ok(v) => return Ok(v),
        Err(e) => Diagnostic::from_toml(file, src, &e),
    };
    let mut out = vec![first];
    out.extend(each_part_alone::<T>(file, src, doc.get_ref()));
    out.sort_by_key(|d| (d.line, d.col));
    out.dedup();
    Err(out)
}

/// The shape errors of each top-level section and array-of-tables entry of `doc`, each read
/// as the only thing in the file. A part alone lacks the others, so "missing field" errors
/// about the top level (they have no position inside the part) are left to the whole read.
fn each_part_alone<T: DeserializeOwned>(
    file: &str,
    src: &str,
    doc: &toml::de::DeTable<'_>,
) -> Vec<Diagnostic> {
    use serde::de::IntoDeserializer;
    use toml::Spanned;
    use toml::de::{DeArray, DeTable, DeValue};
    let whole = 0..src.len();
    let mut out = Vec::new();
    for (key, value) in doc.iter() {
        let parts: Vec<Spanned<DeValue<'_>>> = match value.get_ref() {
            DeValue::Array(a) if a.iter().all(|e| matches!(e.get_ref(), DeValue::Table(_))) => a
                .iter()
                .map(|e| {
                    let mut one = DeArray::new();
                    one.push(e.clone());
                    Spanned::new(value.span(), DeValue::Array(one))
                })
                .collect(),
            _ => vec![value.clone()],
        };
        for part in parts {
            let mut alone = DeTable::new();
            alone.insert(key.clone(), part);
            let v = Spanned::new(whole.clone(), DeValue::Table(alone));
            if let Err(e) = T::deserialize(v.into_deserializer()) {
                match e.span() {
                    Some(span) if span != whole => {
                        out.push(Diagnostic::from_toml(file, src, &e));
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

// ---- reading files ----

/// Decodes a file's bytes as UTF-8, or says where the first invalid byte is, so that every
/// loader (scenarios, themes, settings, cue scripts) reports `file:line:col` for it.
pub fn decode(file: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // The prefix before the first bad byte is valid by definition.
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let (line, col) = line_col(prefix, prefix.len());
        Diagnostic {
            file: file.to_string(),
            line,
            col,
            message: format!(
                "invalid UTF-8 (byte 0x{:02x}); save the file as UTF-8",
                bytes.get(good).copied().unwrap_or(0)
            ),
        }
    })
}

/// Reads a text file of at most `limit` bytes: an unreadable file, a larger one and invalid
/// UTF-8 are diagnostics naming the file.
pub fn read_text(path: &Path, limit: usize) -> Result<String, Diagnostic> {
    let name = path.display().to_string();
    match read_limited(path, limit) {
        Ok(bytes) => checked_text(&name, bytes, limit),
        Err(e) => Err(Diagnostic::whole(&name, format!("cannot read: {e}"))),
    }
}

/// [`read_text`], with a missing file as `None` (for optional files such as the settings).
pub fn read_text_if_exists(path: &Path, limit: usize) -> Result<Option<String>, Diagnostic> {
    let name = path.display().to_string();
    match read_limited(path, limit) {
        Ok(bytes) => checked_text(&name, bytes, limit).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::whole(&name, format!("cannot read: {e}"))),
    }
}

/// At most `limit + 1` bytes of the file, so that a larger file is detected without reading it.
fn read_limited(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn checked_text(name: &str, bytes: Vec<u8>, limit: usize) -> Result<String, Diagnostic> {
    if bytes.len() > limit {
        return Err(Diagnostic::whole(
            name,
            format!("the file is larger than {limit} bytes, the most gamelan reads for it"),
        ));
    }
    decode(name, bytes)
}

// ---- suggestions ----

/// Whether `c` may stand in an id (scenario, signal, pane, session, datasource…): ASCII
/// letters, digits, `-` and `_`, so ids are safe in file names, room names and URLs.
pub fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// `s` with every character outside [`is_id_char`] replaced by `_`, at most `max` characters:
/// a name that is safe in a file or room name whatever the id held.
pub fn id_safe(s: &str, max: usize) -> String {
    s.chars()
        .map(|c| if is_id_char(c) { c } else { '_' })
        .take(max)
        .collect()
}

/// Levenshtein distance between two names, ignoring case; the one measure behind every
/// "did you mean" (scenario fields and references, theme meanings, cue scripts).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The valid name closest to `got`, if it is close enough to be what the author meant: at
/// most two edits, and fewer edits than `got` has characters (so `x` does not suggest `y`).
pub fn suggest<'a>(got: &str, valid: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = got.chars().count();
    valid
        .into_iter()
        .filter(|v| *v != got && v.chars().count().abs_diff(len) <= 2)
        .map(|v| (edit_distance(got, v), v))
        .filter(|(d, _)| *d <= 2 && *d < len)
        .min_by_key(|(d, _)| *d)
        .map(|(_, v)| v)
}

/// Names for a message: all of them, or the first twelve and how many more.
pub fn name_list(names: &[&str]) -> String {
    const SHOWN: usize = 12;
    let mut out = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}

/// Adds "did you mean" to serde's `unknown field`/`unknown variant` messages, whose valid
/// names follow `expected` in backquotes.
fn with_suggestion(message: String) -> String {
    let got = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.find(p).map(|i| i + p.len()))
        .and_then(|start| {
            let len = message[start..].find('`')?;
            Some(&message[start..start + len])
        });
    let (Some(got), Some(at)) = (got, message.find("expected")) else {
        return message;
    };
    let valid: Vec<&str> = message[at..].split('`').skip(1).step_by(2).collect();
    match suggest(got, valid) {
        Some(v) => format!("{message}; did you mean `{v}`?"),
        None => message,
    }
}

// ---- collecting problems ----

/// Collects every problem in one file, each at its position, with one wording for the common
/// kinds: unknown names (with a suggestion), references to nothing, numbers out of range, lists
/// and texts too long. Loaders check everything they can and call [`Checker::finish`].
///
/// ```
/// use gamelan::diag::Checker;
/// let src = "signal = \"p98\"\n";
/// let mut cx = Checker::new("a.toml", src);
/// assert_eq!(cx.lookup(9..14, "signal", "p98", &["p99", "rps"]), None);
/// let diags = cx.finish();
/// assert_eq!(diags[0].to_string(), "a.toml:1:10: no signal named `p98`; did you mean `p99`?");
/// ```
#[derive(Debug)]
pub struct Checker<'a> {
    file: &'a str,
    src: &'a str,
    diags: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    /// A checker for `src`, the text of `file`.
    pub fn new(file: &'a str, src: &'a str) -> Checker<'a> {
        Checker {
            file,
            src,
            diags: Vec::new(),
        }
    }

    /// The file name diagnostics carry.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The text being checked.
    pub fn src(&self) -> &'a str {
        self.src
    }

    /// A problem at a byte span of the text.
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(self.file, self.src, Some(span), message));
    }

    /// A problem about the file as a whole (a missing section), reported at 1:1.
    pub fn whole(&mut self, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(self.file, self.src, None, message));
    }

    /// A TOML syntax or shape error, with "did you mean" for a misspelt field or value.
    pub fn toml(&mut self, err: &toml::de::Error) {
        self.diags
            .push(Diagnostic::from_toml(self.file, self.src, err));
    }

    /// Adds an already positioned diagnostic (from another file, say an inherited theme).
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// "unknown {what} `got`; did you mean `x`?", or the whole list of valid names (a fixed
    /// vocabulary: sections, fields, meanings).
    pub fn unknown(&mut self, span: Range<usize>, what: &str, got: &str, valid: &[&str]) {
        let msg = match suggest(got, valid.iter().copied()) {
            Some(v) => format!("unknown {what} `{got}`; did you mean `{v}`?"),
            None => format!(
                "unknown {what} `{got}`; expected one of {}",
                valid.join(", ")
            ),
        };
        self.error(span, msg);
    }

    /// Resolves a reference to one of `ids`; otherwise reports "no {kind} named `got`" with a
    /// suggestion or the known names (the first twelve).
    pub fn lookup(
        &mut self,
        span: Range<usize>,
        kind: &str,
        got: &str,
        ids: &[&str],
    ) -> Option<usize> {
        let found = ids.iter().position(|id| *id == got);
        if found.is_none() {
            let msg = match suggest(got, ids.iter().copied()) {
                Some(v) => format!("no {kind} named `{got}`; did you mean `{v}`?"),
                None if ids.is_empty() => format!("no {kind} named `{got}` (none are defined)"),
                None => format!("no {kind} named `{got}` (known: {})", name_list(ids)),
            };
            self.error(span, msg);
        }
        found
    }

    /// Checks that a number is finite and within `[lo, hi]`; says the bound otherwise.
    pub fn float(&mut self, span: Range<usize>, what: &str, value: f64, lo: f64, hi: f64) -> bool {
        let ok = value.is_finite() && (lo..=hi).contains(&value);
        if !ok {
            self.error(
                span,
                format!(
                    "{what} must be a finite number from {} to {}, not {}",
                    number(lo),
                    number(hi),
                    number(value)
                ),
            );
        }
        ok
    }

    /// Checks that a whole number is within `[lo, hi]`; says the bound otherwise.
    pub fn int(&mut self, span: Range<usize>, what: &str, value: u64, lo: u64, hi: u64) -> bool {
        let ok = (lo..=hi).contains(&value);
        if !ok {
            self.error(
                span,
                format!("{what} must be from {lo} to {hi}, not {value}"),
            );
        }
        ok
    }

    /// Checks that a list has at most `max` entries.
    pub fn count(&mut self, span: Range<usize>, what: &str, n: usize, max: usize) -> bool {
        let ok = n <= max;
        if !ok {
            self.error(span, format!("at most {max} {what} are allowed, not {n}"));
        }
        ok
    }

    /// Checks a text's length in characters.
    pub fn text(&mut self, span: Range<usize>, what: &str, text: &str, max: usize) -> bool {
        let n = text.chars().count();
        let ok = n <= max;
        if !ok {
            self.error(
                span,
                format!("{what} is {n} characters long; at most {max} are allowed"),
            );
        }
        ok
    }

    /// Whether no problem has been found so far.
    pub fn is_clean(&self) -> bool {
        self.diags.is_empty()
    }

    /// How many problems so far: a caller compares counts to tell whether one part added any.
    pub fn problems(&self) -> usize {
        self.diags.len()
    }

    /// Every problem, sorted by position, each reported once.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.diags.sort_by_key(|d| (d.line, d.col));
        self.diags.dedup();
        self.diags
    }

    /// `Ok(value)` when no problem was found, else every problem.
    pub fn result<T>(self, value: T) -> Result<T, Vec<Diagnostic>> {
        if self.is_clean() {
            Ok(value)
        } else {
            Err(self.finish())
        }
    }
}

/// A number as an error message shows it: `1e15` rather than sixteen digits.
pub fn number(x: f64) -> String {
    if x.is_finite() && x != 0.0 && !(1e-4..1e6).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The header row of a CSV file, its first record; `None` (the problem recorded in `ck`, an
/// empty file explained with `example` header) when there is none to read.
pub fn csv_header(
    records: &mut ::csv::StringRecordsIter<'_, &[u8]>,
    src: &str,
    ck: &mut Checker<'_>,
    example: &str,
) -> Option<::csv::StringRecord> {
    match records.next() {
        None => {
            ck.whole(format!(
                "an empty CSV: the first line names the columns, such as `{example}`"
            ));
            None
        }
        Some(Err(e)) => {
            ck.error(csv_error_span(src, &e), format!("not CSV: {e}"));
            None
        }
        Some(Ok(h)) => Some(h),
    }
}

/// The records after a CSV file's header, each with the byte offset where it starts in
/// `src`; the first one that is not CSV is reported at its position and ends the reading.
pub fn csv_records(
    records: impl Iterator<Item = Result<::csv::StringRecord, ::csv::Error>>,
    src: &str,
    ck: &mut Checker<'_>,
) -> Vec<(usize, ::csv::StringRecord)> {
    let mut out = Vec::new();
    for rec in records {
        match rec {
            Ok(r) => out.push((r.position().map_or(0, |p| p.byte() as usize), r)),
            Err(e) => {
                ck.error(csv_error_span(src, &e), format!("not CSV: {e}"));
                break;
            }
        }
    }
    out
}

/// Where a CSV reader's error points: its byte position in `src` (the start when it has none).
pub fn csv_error_span(src: &str, e: &::csv::Error) -> Range<usize> {
    let at = e
        .position()
        .map_or(0, |p| (p.byte() as usize).min(src.len()));
    at..at
}

/// The byte span of field `index` of the CSV record starting at byte `start`, found by walking
/// the raw text (quotes included), so a diagnostic's column points at the field itself.
pub fn csv_field_span(src: &str, start: usize, index: usize) -> Range<usize> {
    let bytes = src.as_bytes();
    let (mut i, mut field, mut quoted) = (start.min(src.len()), 0, false);
    let mut field_start = i;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                if field == index {
                    return field_start..i;
                }
                field += 1;
                field_start = i + 1;
            }
            b'\n' | b'\r' if !quoted => break,
            _ => {}
        }
        i += 1;
    }
    if field == index { field_start..i } else { i..i }
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

    #[test]
    fn every_part_with_a_shape_error_is_reported_not_only_the_first() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Pane {
            id: String,
            title: Option<String>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Top {
            title: Option<String>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            top: Top,
            #[serde(default)]
            panes: Vec<Pane>,
        }
        let src = "[top]\ntitel = \"x\"\n\n[[panes]]\nid = \"a\"\n\n[[panes]]\nid = \"b\"\ntitl = \"y\"\n\n[[panes]]\ntitle = \"no id\"\n";
        let errs = parse_toml::<T>("t.toml", src).unwrap_err();
        let lines: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(errs.len(), 3, "{lines:#?}");
        assert!(
            lines[0].starts_with("t.toml:2:1: unknown field `titel`"),
            "{lines:#?}"
        );
        assert!(lines[0].contains("did you mean `title`"), "{lines:#?}");
        assert!(
            lines[1].starts_with("t.toml:9:1: unknown field `titl`"),
            "{lines:#?}"
        );
        assert!(lines[2].contains("missing field `id`"), "{lines:#?}");
        // A part alone lacks the required `[top]`: that is not reported as a problem.
        let errs = parse_toml::<T>("t.toml", "[[panes]]\nid = \"a\"\nx = 1\n").unwrap_err();
        let lines: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert!(
            lines.iter().any(|l| l.contains("unknown field `x`")),
            "{lines:#?}"
        );
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line_and_column() {
        let d = decode("f.toml", b"a = 1\nb = \"\xc3\xa9\xff\"\n".to_vec()).unwrap_err();
        assert_eq!((d.line, d.col), (2, 7), "{d}");
        assert_eq!(
            d.to_string(),
            "f.toml:2:7: invalid UTF-8 (byte 0xff); save the file as UTF-8"
        );
        let d = decode("f", vec![0x80]).unwrap_err();
        assert_eq!((d.line, d.col), (1, 1));
        assert_eq!(decode("f", b"ok".to_vec()).unwrap(), "ok");
    }

    #[test]
    fn reading_enforces_the_size_limit_and_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.txt");
        std::fs::write(&p, "0123456789").unwrap();
        assert_eq!(read_text(&p, 10).unwrap(), "0123456789");
        let e = read_text(&p, 9).unwrap_err();
        assert!(e.message.contains("larger than 9 bytes"), "{e}");
        std::fs::write(&p, b"ok\n\xfe").unwrap();
        assert_eq!(read_text(&p, 100).unwrap_err().line, 2);
        let missing = dir.path().join("none");
        assert_eq!(read_text_if_exists(&missing, 10).unwrap(), None);
        assert!(
            read_text(&missing, 10)
                .unwrap_err()
                .message
                .starts_with("cannot read")
        );
    }

    #[test]
    fn suggestions_need_a_close_name() {
        assert_eq!(edit_distance("rollbak", "rollback"), 1);
        assert_eq!(edit_distance("Release", "release"), 0);
        assert_eq!(suggest("rollbak", ["ack", "rollback"]), Some("rollback"));
        assert_eq!(suggest("Release", ["release"]), Some("release"));
        assert_eq!(suggest("x", ["y"]), None, "one letter is no evidence");
        assert_eq!(suggest("latency", ["errors"]), None);
        assert_eq!(
            with_suggestion("unknown field `nosie`, expected one of `noise`, `note`".into()),
            "unknown field `nosie`, expected one of `noise`, `note`; did you mean `noise`?"
        );
        assert_eq!(
            with_suggestion("unknown variant `intr`, expected one of `intro`, `expert`".into()),
            "unknown variant `intr`, expected one of `intro`, `expert`; did you mean `intro`?"
        );
        let plain = "unknown field `colour`, expected one of `id`, `name`";
        assert_eq!(with_suggestion(plain.into()), plain);
    }

    #[test]
    fn checker_bounds_say_the_bound_and_sort_by_position() {
        let src = "a = 1\nb = 2\n";
        let mut cx = Checker::new("c.toml", src);
        assert!(!cx.float(6..7, "`b`", f64::NAN, 0.0, 1e15));
        assert!(!cx.int(0..1, "`a`", 5, 1, 4));
        assert!(cx.float(0..1, "`a`", 1.0, 0.0, 1.0));
        assert!(!cx.count(0..1, "signals", 40, 32));
        assert!(!cx.text(0..1, "the text", &"é".repeat(11), 10));
        assert!(cx.text(0..1, "the text", &"é".repeat(10), 10));
        let d: Vec<String> = cx.finish().iter().map(ToString::to_string).collect();
        assert_eq!(
            d,
            [
                "c.toml:1:1: `a` must be from 1 to 4, not 5",
                "c.toml:1:1: at most 32 signals are allowed, not 40",
                "c.toml:1:1: the text is 11 characters long; at most 10 are allowed",
                "c.toml:2:1: `b` must be a finite number from 0 to 1e15, not NaN",
            ]
        );
    }
}
