//! Turns the raw bytes a remote terminal sends (over SSH or the join socket) into key events.
//! Covers what the console binds: printable text, Enter, Tab/Shift-Tab, Backspace, Esc,
//! arrows, Page Up/Down and Ctrl-C. Anything else is dropped, never guessed at.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Parses a chunk of input; an escape sequence split across chunks is kept for the next call.
#[derive(Debug, Default)]
pub struct KeyParser {
    pending: Vec<u8>,
}

impl KeyParser {
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<KeyEvent> {
        self.pending.extend_from_slice(bytes);
        let mut keys = Vec::new();
        let mut i = 0;
        let buf = std::mem::take(&mut self.pending);
        while i < buf.len() {
            match parse_one(&buf[i..]) {
                Parsed::Key(k, n) => {
                    keys.extend(k);
                    i += n;
                }
                Parsed::Incomplete => {
                    // Keep a partial escape sequence or UTF-8 character, bounded.
                    if buf.len() - i < 16 {
                        self.pending = buf[i..].to_vec();
                    }
                    break;
                }
            }
        }
        keys
    }

    /// A lone ESC held back as possibly the start of a sequence becomes the Esc key when no
    /// more bytes follow (called after a short quiet period, or when the next chunk arrives).
    pub fn flush(&mut self) -> Vec<KeyEvent> {
        if self.pending == [0x1b] {
            self.pending.clear();
            return vec![key(KeyCode::Esc)];
        }
        Vec::new()
    }
}

enum Parsed {
    Key(Option<KeyEvent>, usize),
    Incomplete,
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn parse_one(b: &[u8]) -> Parsed {
    match b[0] {
        b'\r' | b'\n' => Parsed::Key(Some(key(KeyCode::Enter)), 1),
        b'\t' => Parsed::Key(Some(key(KeyCode::Tab)), 1),
        0x7f | 0x08 => Parsed::Key(Some(key(KeyCode::Backspace)), 1),
        0x03 => Parsed::Key(
            Some(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            1,
        ),
        0x1b => escape(b),
        c if c < 0x20 => Parsed::Key(None, 1),
        _ => utf8(b),
    }
}

fn escape(b: &[u8]) -> Parsed {
    if b.len() == 1 {
        return Parsed::Incomplete;
    }
    if b[1] != b'[' && b[1] != b'O' {
        // ESC followed by something else: Esc, then that key on its own.
        return Parsed::Key(Some(key(KeyCode::Esc)), 1);
    }
    // CSI / SS3: parameters then a final byte in 0x40..=0x7e.
    let Some(end) = b[2..].iter().position(|c| (0x40..=0x7e).contains(c)) else {
        return if b.len() > 12 {
            Parsed::Key(None, b.len())
        } else {
            Parsed::Incomplete
        };
    };
    let n = end + 3;
    let params = &b[2..n - 1];
    let code = match (b[n - 1], params) {
        (b'A', _) => Some(KeyCode::Up),
        (b'B', _) => Some(KeyCode::Down),
        (b'C', _) => Some(KeyCode::Right),
        (b'D', _) => Some(KeyCode::Left),
        (b'H', _) => Some(KeyCode::Home),
        (b'F', _) => Some(KeyCode::End),
        (b'Z', _) => Some(KeyCode::BackTab),
        (b'~', b"5") => Some(KeyCode::PageUp),
        (b'~', b"6") => Some(KeyCode::PageDown),
        (b'~', b"3") => Some(KeyCode::Delete),
        _ => None,
    };
    Parsed::Key(code.map(key), n)
}

fn utf8(b: &[u8]) -> Parsed {
    let len = match b[0] {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return Parsed::Key(None, 1),
    };
    if b.len() < len {
        return Parsed::Incomplete;
    }
    match std::str::from_utf8(&b[..len])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => Parsed::Key(Some(key(KeyCode::Char(c))), len),
        None => Parsed::Key(None, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: &mut KeyParser, b: &[u8]) -> Vec<KeyCode> {
        p.feed(b).into_iter().map(|k| k.code).collect()
    }

    #[test]
    fn parses_keys_and_split_sequences() {
        let mut p = KeyParser::default();
        assert_eq!(
            codes(&mut p, b"a\r\t\x7f"),
            vec![
                KeyCode::Char('a'),
                KeyCode::Enter,
                KeyCode::Tab,
                KeyCode::Backspace
            ]
        );
        assert_eq!(
            codes(&mut p, b"\x1b[A\x1b[Z\x1b[5~"),
            vec![KeyCode::Up, KeyCode::BackTab, KeyCode::PageUp]
        );
        assert_eq!(codes(&mut p, b"\x1b["), vec![]);
        assert_eq!(codes(&mut p, b"B"), vec![KeyCode::Down]);
        assert_eq!(codes(&mut p, "é".as_bytes()), vec![KeyCode::Char('é')]);
        assert_eq!(codes(&mut p, b"\x1b"), vec![]);
        assert_eq!(p.flush().len(), 1);
        assert_eq!(
            codes(&mut p, b"\x1bq"),
            vec![KeyCode::Esc, KeyCode::Char('q')]
        );
    }

    #[test]
    fn garbage_never_panics() {
        let mut p = KeyParser::default();
        let mut seed = 7u64;
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..32)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 56) as u8
                })
                .collect();
            let _ = p.feed(&bytes);
        }
        let _ = p.feed(&[
            0x1b, b'[', b'9', b'9', b'9', b'9', b'9', b'9', b'9', b'9', b'9', b'9', b'9', b'9',
            b'9', b'9',
        ]);
    }
}
