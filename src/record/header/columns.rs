//! Columns in a JSON line, as diagnostics name them: 1-based characters, not bytes.

/// The 1-based character column of the first top-level `"key":` in a JSON object line, or 1.
pub fn key_col(line: &str, key: &str) -> usize {
    let mut depth = 0_usize;
    let mut chars = line.char_indices().peekable();
    let mut col = 0_usize;
    while let Some((i, c)) = chars.next() {
        col += 1;
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            '"' => {
                let start_col = col;
                let start = i + 1;
                let mut end = start;
                let mut escaped = false;
                for (j, c) in chars.by_ref() {
                    col += 1;
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        end = j;
                        break;
                    }
                }
                if depth == 1
                    && line.get(start..end) == Some(key)
                    && line[end + 1..].trim_start().starts_with(':')
                {
                    return start_col;
                }
            }
            _ => {}
        }
    }
    1
}

/// The 1-based character column of a 1-based byte column of `line`.
pub fn char_col(line: &str, byte_col: usize) -> usize {
    let mut i = byte_col.saturating_sub(1).min(line.len());
    while !line.is_char_boundary(i) {
        i -= 1;
    }
    line[..i].chars().count() + 1
}
