//! Text helpers for drawing: control characters from scenarios, names and notes are made
//! visible instead of reaching the terminal, and long text is wrapped by display width.

use unicode_width::UnicodeWidthChar;

/// Replaces control characters (escape sequences, bells, newlines) with visible stand-ins so
/// that no text a user or author wrote can drive the terminal.
pub fn clean(text: &str) -> String {
    text.chars().map(clean_char).collect()
}

/// One character as [`clean`] shows it.
fn clean_char(c: char) -> char {
    match c {
        '\n' | '\t' | '\r' => ' ',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

/// Display width of a string in terminal cells.
pub fn width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Wraps `text` into lines of at most `max` cells, breaking at spaces where possible.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        for word in para.split(' ') {
            let word = word.chars().map(clean_char);
            let ww: usize = word.clone().map(|c| c.width().unwrap_or(0)).sum();
            if w > 0 && w + 1 + ww > max {
                lines.push(std::mem::take(&mut line));
                w = 0;
            }
            if w > 0 {
                line.push(' ');
                w += 1;
            }
            for c in word {
                let cw = c.width().unwrap_or(0);
                if w + cw > max {
                    lines.push(std::mem::take(&mut line));
                    w = 0;
                }
                line.push(c);
                w += cw;
            }
        }
        lines.push(line);
    }
    lines
}

/// Cuts `text` to at most `max` cells, ending with `…` when cut.
pub fn fit(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// A number with a sensible precision for a pane.
pub fn number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1}G", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 10_000.0 {
        format!("{:.1}k", v / 1000.0)
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_wraps() {
        assert_eq!(clean("a\x1b[2Jb\x07"), "a\u{fffd}[2Jb\u{fffd}");
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(number(1234.7), "1235");
        assert_eq!(number(0.123), "0.12");
        assert_eq!(number(58_368_000.0), "58.4M");
        assert_eq!(number(12_345.0), "12.3k");
    }
}
