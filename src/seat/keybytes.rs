//! Turns the raw bytes a remote terminal sends (over SSH or the join socket) into the
//! project's inputs ([`Input`]), the same type the local terminal's events are translated
//! to. Covers what the console binds: printable text, Enter, Tab/Shift-Tab, Backspace, Esc,
//! arrows, Home/End, Page Up/Down, Ctrl and Alt letters, SGR mouse reports
//! (`ESC [ < b ; x ; y M|m`, and the older `ESC [ M b x y`) and bracketed paste. Anything else
//! is dropped, never guessed at; no byte sequence can panic it or make it hold more than a
//! bounded amount.

use crate::input::{Button, Clicks, Input, Key, KeyCode, Mods, Mouse, MouseKind};
use std::time::Instant;

/// Escape codes that turn on, and off again, what the parser understands beyond keys: mouse
/// presses, releases and the wheel reported as SGR sequences, and bracketed paste.
pub const MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1006h\x1b[?2004h";
pub const MOUSE_OFF: &[u8] = b"\x1b[?2004l\x1b[?1006l\x1b[?1000l";

/// Longest escape sequence waited for across chunks; longer ones are dropped.
const MAX_SEQUENCE: usize = 32;
/// Largest paste kept; the rest of a longer paste is dropped.
const MAX_PASTE: usize = 64 * 1024;
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// Parses a chunk of input; an escape sequence split across chunks is kept for the next call.
#[derive(Debug)]
pub struct KeyParser {
    pending: Vec<u8>,
    /// Inside a bracketed paste: the text so far.
    paste: Option<Vec<u8>>,
    clicks: Clicks,
    epoch: Instant,
}

impl Default for KeyParser {
    fn default() -> KeyParser {
        KeyParser {
            pending: Vec::new(),
            paste: None,
            clicks: Clicks::default(),
            epoch: Instant::now(),
        }
    }
}

impl KeyParser {
    /// Parses bytes that arrive now.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Input> {
        let now = self.epoch.elapsed().as_millis() as u64;
        self.feed_at(bytes, now)
    }

    /// Parses bytes that arrived `at_ms` milliseconds after any fixed start (double clicks
    /// are counted from it).
    pub fn feed_at(&mut self, bytes: &[u8], at_ms: u64) -> Vec<Input> {
        self.pending.extend_from_slice(bytes);
        let buf = std::mem::take(&mut self.pending);
        let mut out = Vec::new();
        let mut i = 0;
        while i < buf.len() {
            if self.paste.is_some() {
                i += self.in_paste(&buf[i..], &mut out);
                continue;
            }
            match parse_one(&buf[i..]) {
                Parsed::Input(input, n) => {
                    if let Some(mut input) = input {
                        self.clicks.stamp(&mut input, at_ms);
                        out.push(input);
                    }
                    i += n;
                }
                Parsed::PasteStart(n) => {
                    self.paste = Some(Vec::new());
                    i += n;
                }
                Parsed::Incomplete => {
                    // Keep a partial escape sequence or UTF-8 character, bounded.
                    if buf.len() - i <= MAX_SEQUENCE {
                        self.pending = buf[i..].to_vec();
                    }
                    break;
                }
            }
        }
        out
    }

    /// Takes bytes of a paste up to its end marker; returns how many were used. A marker
    /// split across chunks is waited for.
    fn in_paste(&mut self, b: &[u8], out: &mut Vec<Input>) -> usize {
        let text = self.paste.get_or_insert_with(Vec::new);
        if let Some(end) = b.windows(PASTE_END.len()).position(|w| w == PASTE_END) {
            keep(text, &b[..end]);
            let text = self.paste.take().unwrap_or_default();
            out.push(Input::Paste(String::from_utf8_lossy(&text).into_owned()));
            return end + PASTE_END.len();
        }
        // Hold back a tail that could be the start of the end marker.
        let hold = (1..PASTE_END.len())
            .rev()
            .find(|n| b.len() >= *n && PASTE_END.starts_with(&b[b.len() - n..]))
            .unwrap_or(0);
        keep(text, &b[..b.len() - hold]);
        self.pending = b[b.len() - hold..].to_vec();
        b.len()
    }

    /// A lone ESC held back as possibly the start of a sequence becomes the Esc key when no
    /// more bytes follow (called after a short quiet period, or when the next chunk arrives).
    pub fn flush(&mut self) -> Vec<Input> {
        if self.paste.is_none() && self.pending == [0x1b] {
            self.pending.clear();
            return vec![Input::Key(key(KeyCode::Esc))];
        }
        Vec::new()
    }
}

fn keep(text: &mut Vec<u8>, bytes: &[u8]) {
    let room = MAX_PASTE.saturating_sub(text.len());
    text.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

enum Parsed {
    Input(Option<Input>, usize),
    PasteStart(usize),
    Incomplete,
}

fn key(code: KeyCode) -> Key {
    Key::plain(code)
}

fn got(k: Key, n: usize) -> Parsed {
    Parsed::Input(Some(Input::Key(k)), n)
}

fn parse_one(b: &[u8]) -> Parsed {
    match b[0] {
        b'\r' | b'\n' => got(key(KeyCode::Enter), 1),
        b'\t' => got(key(KeyCode::Tab), 1),
        0x7f | 0x08 => got(key(KeyCode::Backspace), 1),
        0x1b => escape(b),
        // Ctrl-A … Ctrl-Z (those not taken above).
        c @ 0x01..=0x1a => got(Key::ctrl((b'a' + c - 1) as char), 1),
        c if c < 0x20 => Parsed::Input(None, 1),
        _ => utf8(b),
    }
}

fn escape(b: &[u8]) -> Parsed {
    if b.len() == 1 {
        return Parsed::Incomplete;
    }
    match b[1] {
        b'[' | b'O' => {}
        // ESC then a character in the same read: Alt and that character, as terminals
        // send it (and as the local terminal reports it).
        c if (0x20..0x7f).contains(&c) => {
            return got(Key::new(KeyCode::Char(c as char), Mods::ALT), 2);
        }
        // ESC then another control: Esc, then that on its own.
        _ => return got(key(KeyCode::Esc), 1),
    }
    // CSI / SS3: parameter and intermediate bytes (0x20..=0x3f), then a final byte in
    // 0x40..=0x7e. A control byte inside spoils the sequence (it is dropped whole); an ESC
    // or a non-ASCII byte ends it there, and parsing starts again from that byte.
    let mut end = None;
    for (j, c) in b.iter().enumerate().skip(2) {
        match c {
            0x40..=0x7e => {
                end = Some(j);
                break;
            }
            0x1b | 0x80.. => return Parsed::Input(None, j),
            _ => {}
        }
    }
    let Some(end) = end else {
        return if b.len() > MAX_SEQUENCE {
            Parsed::Input(None, b.len())
        } else {
            Parsed::Incomplete
        };
    };
    let n = end + 1;
    let params = &b[2..end];
    let fin = b[end];
    if b[1] == b'[' && fin == b'M' && params.is_empty() {
        return x10_mouse(b);
    }
    if b[1] == b'[' && params.first() == Some(&b'<') {
        return Parsed::Input(sgr_mouse(&params[1..], fin).map(Input::Mouse), n);
    }
    if b.starts_with(PASTE_START) {
        return Parsed::PasteStart(n);
    }
    let nums = numbers(params);
    // `ESC [ 1 ; m X`: the second number is 1 + the modifier bits (shift 1, alt 2, ctrl 4).
    let mods = match nums.as_deref() {
        Some([_, m, ..]) => Mods::from_bits((m.saturating_sub(1) & 7) as u8),
        _ => Mods::NONE,
    };
    let code = match fin {
        b'A' => Some(KeyCode::Up),
        b'B' => Some(KeyCode::Down),
        b'C' => Some(KeyCode::Right),
        b'D' => Some(KeyCode::Left),
        b'H' => Some(KeyCode::Home),
        b'F' => Some(KeyCode::End),
        b'Z' => Some(KeyCode::BackTab),
        b'~' => match nums.as_deref().and_then(|n| n.first()) {
            Some(1 | 7) => Some(KeyCode::Home),
            Some(4 | 8) => Some(KeyCode::End),
            Some(3) => Some(KeyCode::Delete),
            Some(5) => Some(KeyCode::PageUp),
            Some(6) => Some(KeyCode::PageDown),
            _ => None,
        },
        _ => None,
    };
    Parsed::Input(code.map(|c| Input::Key(Key::new(c, mods))), n)
}

/// `;`-separated decimal numbers (an empty one is 0); `None` for anything else or a number
/// too long to mean anything.
fn numbers(params: &[u8]) -> Option<Vec<u32>> {
    params
        .split(|c| *c == b';')
        .map(|p| {
            if p.len() > 5 || !p.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(p.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
        })
        .collect()
}

/// The button code shared by both mouse encodings: low bits the button, 4 shift, 8 alt,
/// 16 ctrl, 32 motion, 64 the wheel.
fn mouse_kind(code: u32, release: bool) -> Option<MouseKind> {
    let button = match code & 3 {
        0 => Some(Button::Left),
        1 => Some(Button::Middle),
        2 => Some(Button::Right),
        _ => None,
    };
    Some(if code & 64 != 0 {
        match code & 3 {
            0 => MouseKind::ScrollUp,
            1 => MouseKind::ScrollDown,
            _ => return None,
        }
    } else if code & 32 != 0 {
        button.map_or(MouseKind::Moved, MouseKind::Drag)
    } else if release {
        // X10 reports a release without saying which button.
        MouseKind::Up(button.unwrap_or(Button::Left))
    } else {
        MouseKind::Down(button?)
    })
}

fn mouse_mods(code: u32) -> Mods {
    let mut m = Mods::NONE;
    if code & 4 != 0 {
        m = m.union(Mods::SHIFT);
    }
    if code & 8 != 0 {
        m = m.union(Mods::ALT);
    }
    if code & 16 != 0 {
        m = m.union(Mods::CTRL);
    }
    m
}

/// `ESC [ < b ; x ; y M` (press) or `m` (release), columns and rows counted from 1.
fn sgr_mouse(params: &[u8], fin: u8) -> Option<Mouse> {
    if fin != b'M' && fin != b'm' {
        return None;
    }
    let nums = numbers(params)?;
    let [code, x, y] = nums.as_slice() else {
        return None;
    };
    if *x == 0 || *y == 0 || *x > u32::from(u16::MAX) || *y > u32::from(u16::MAX) {
        return None;
    }
    let kind = mouse_kind(*code, fin == b'm')?;
    Some(Mouse {
        mods: mouse_mods(*code),
        ..Mouse::new(kind, (*x - 1) as u16, (*y - 1) as u16)
    })
}

/// `ESC [ M` then three bytes, each 32 plus the button code, the column and the row (from
/// 1): what a terminal without SGR reporting sends. Its bytes are never read as keys.
fn x10_mouse(b: &[u8]) -> Parsed {
    if b.len() < 6 {
        return Parsed::Incomplete;
    }
    let [code, x, y] = [b[3], b[4], b[5]].map(|c| u32::from(c.saturating_sub(32)));
    let mouse = (x > 0 && y > 0)
        .then(|| {
            let release = code & 3 == 3 && code & 64 == 0;
            mouse_kind(code, release).map(|kind| Mouse {
                mods: mouse_mods(code),
                ..Mouse::new(kind, (x - 1) as u16, (y - 1) as u16)
            })
        })
        .flatten();
    Parsed::Input(mouse.map(Input::Mouse), 6)
}

fn utf8(b: &[u8]) -> Parsed {
    let len = match b[0] {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return Parsed::Input(None, 1),
    };
    if b.len() < len {
        return Parsed::Incomplete;
    }
    match std::str::from_utf8(&b[..len])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => got(key(KeyCode::Char(c)), len),
        None => Parsed::Input(None, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: &mut KeyParser, b: &[u8]) -> Vec<KeyCode> {
        p.feed(b)
            .into_iter()
            .filter_map(|i| match i {
                Input::Key(k) => Some(k.code),
                _ => None,
            })
            .collect()
    }

    fn mice(p: &mut KeyParser, b: &[u8]) -> Vec<Mouse> {
        p.feed(b)
            .into_iter()
            .filter_map(|i| match i {
                Input::Mouse(m) => Some(m),
                _ => None,
            })
            .collect()
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
            codes(&mut p, b"\x1b[A\x1b[Z\x1b[5~\x1b[1;5C\x1b[4~"),
            vec![
                KeyCode::Up,
                KeyCode::BackTab,
                KeyCode::PageUp,
                KeyCode::Right,
                KeyCode::End
            ]
        );
        assert_eq!(codes(&mut p, b"\x1b["), vec![]);
        assert_eq!(codes(&mut p, b"B"), vec![KeyCode::Down]);
        assert_eq!(codes(&mut p, "é".as_bytes()), vec![KeyCode::Char('é')]);
        assert_eq!(codes(&mut p, b"\x1b"), vec![]);
        assert_eq!(p.flush().len(), 1);
    }

    #[test]
    fn control_and_alt_keys_are_not_typed_characters() {
        let mut p = KeyParser::default();
        let keys: Vec<Input> = p.feed(b"\x03\x1bq");
        assert_eq!(
            keys,
            vec![
                Input::Key(Key::ctrl('c')),
                Input::Key(Key::new(KeyCode::Char('q'), Mods::ALT))
            ]
        );
        let ctrl_right = p.feed(b"\x1b[1;5C");
        assert_eq!(
            ctrl_right,
            vec![Input::Key(Key::new(KeyCode::Right, Mods::CTRL))]
        );
    }

    #[test]
    fn sgr_mouse_presses_releases_and_the_wheel() {
        let mut p = KeyParser::default();
        let m = mice(
            &mut p,
            b"\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<64;1;1M\x1b[<65;80;24M",
        );
        assert_eq!(m.len(), 4, "{m:?}");
        assert_eq!(
            (m[0].kind, m[0].col, m[0].row),
            (MouseKind::Down(Button::Left), 9, 4)
        );
        assert_eq!(m[1].kind, MouseKind::Up(Button::Left));
        assert_eq!((m[2].kind, m[2].col, m[2].row), (MouseKind::ScrollUp, 0, 0));
        assert_eq!(
            (m[3].kind, m[3].col, m[3].row),
            (MouseKind::ScrollDown, 79, 23)
        );
        let m = mice(&mut p, b"\x1b[<18;3;4M\x1b[<35;7;7M\x1b[<32;7;8M");
        assert_eq!(m[0].kind, MouseKind::Down(Button::Right));
        assert!(m[0].mods.contains(Mods::CTRL));
        assert_eq!(m[1].kind, MouseKind::Moved);
        assert_eq!(m[2].kind, MouseKind::Drag(Button::Left));
    }

    #[test]
    fn sgr_mouse_split_anywhere_is_put_back_together() {
        let seq = b"\x1b[<0;123;45M";
        for cut in 1..seq.len() {
            let mut p = KeyParser::default();
            let mut got = p.feed(&seq[..cut]);
            got.extend(p.feed(&seq[cut..]));
            assert_eq!(got.len(), 1, "cut at {cut}: {got:?}");
            let Input::Mouse(m) = got[0] else {
                panic!("cut at {cut}: {got:?}")
            };
            assert_eq!((m.col, m.row), (122, 44));
        }
    }

    #[test]
    fn malformed_mouse_reports_are_dropped_not_typed() {
        let mut p = KeyParser::default();
        for bad in [
            &b"\x1b[<0;0;5M"[..],
            b"\x1b[<0;5M",
            b"\x1b[<0;1;2;3M",
            b"\x1b[<0;1\x1b[<0;0;0M",
            b"\x1b[<0;999999;1M",
            b"\x1b[<66;1;1M",
            b"\x1b[<0;1;1X",
            b"\x1b[<0;1\x01;1M",
        ] {
            let got = p.feed(bad);
            assert!(
                got.iter().all(|i| !matches!(
                    i,
                    Input::Mouse(_)
                        | Input::Key(Key {
                            code: KeyCode::Char('M' | '1' | '0'),
                            ..
                        })
                )),
                "{bad:?} gave {got:?}"
            );
        }
        // A report never ended keeps at most a bounded tail and then lets keys through.
        let mut p = KeyParser::default();
        let mut long = b"\x1b[<".to_vec();
        long.extend(std::iter::repeat_n(b'1', 100));
        assert!(p.feed(&long).is_empty());
        assert_eq!(codes(&mut p, b"a"), vec![KeyCode::Char('a')]);
        // A report cut short by the next sequence gives just that sequence.
        assert_eq!(codes(&mut p, b"\x1b[<0;12\x1b[A"), vec![KeyCode::Up]);
    }

    #[test]
    fn remote_terminals_get_mouse_reports_on_and_off_again() {
        use crate::seat::driver::{ENTER, LEAVE};
        assert!(ENTER.ends_with(MOUSE_ON), "ENTER turns reports on");
        assert!(LEAVE.starts_with(MOUSE_OFF), "LEAVE turns them off first");
    }

    #[test]
    fn x10_mouse_bytes_are_never_read_as_keys() {
        let mut p = KeyParser::default();
        // Left press at column 10, row 5: 32+0, 32+10, 32+5.
        let got = p.feed(b"\x1b[M *%");
        assert_eq!(
            got,
            vec![Input::Mouse(Mouse::new(
                MouseKind::Down(Button::Left),
                9,
                4
            ))]
        );
        assert!(p.feed(b"\x1b[M").is_empty(), "waits for its three bytes");
        let got = p.feed(b"#*%");
        assert!(matches!(got[..], [Input::Mouse(m)] if matches!(m.kind, MouseKind::Up(_))));
    }

    #[test]
    fn double_click_is_counted_from_the_times_given() {
        let mut p = KeyParser::default();
        let press = b"\x1b[<0;4;4M\x1b[<0;4;4m";
        let first = p.feed_at(press, 1000);
        let second = p.feed_at(press, 1200);
        let late = p.feed_at(press, 5000);
        let clicks = |v: &[Input]| match v[0] {
            Input::Mouse(m) => m.clicks,
            _ => 0,
        };
        assert_eq!((clicks(&first), clicks(&second), clicks(&late)), (1, 2, 1));
    }

    #[test]
    fn bracketed_paste_is_one_input_even_when_split() {
        let mut p = KeyParser::default();
        let mut got = p.feed(b"x\x1b[200~roll back ");
        got.extend(p.feed(b"now q\x1b[20"));
        got.extend(p.feed(b"1~y"));
        assert_eq!(
            got,
            vec![
                Input::Key(Key::char('x')),
                Input::Paste("roll back now q".into()),
                Input::Key(Key::char('y'))
            ]
        );
        // A paste that never ends keeps a bounded amount.
        let mut p = KeyParser::default();
        p.feed(b"\x1b[200~");
        for _ in 0..100 {
            p.feed(&[b'a'; 4096]);
        }
        let got = p.feed(PASTE_END);
        assert!(matches!(&got[..], [Input::Paste(t)] if t.len() == MAX_PASTE));
    }

    #[test]
    fn garbage_never_panics() {
        let mut p = KeyParser::default();
        let mut seed = 7u64;
        for round in 0..4000 {
            let bytes: Vec<u8> = (0..32)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Every other round, mostly escape-sequence bytes.
                    let b = (seed >> 56) as u8;
                    if round % 2 == 0 {
                        b
                    } else {
                        b"\x1b[<;0123456789Mm~"[usize::from(b) % 17]
                    }
                })
                .collect();
            let _ = p.feed(&bytes);
            assert!(p.pending.len() <= 2 * MAX_SEQUENCE);
        }
        let _ = p.feed(&[
            0x1b, b'[', b'9', b'9', b'9', b'9', b'9', b'9', b'9', b'9', b'9', b'9', b'9', b'9',
            b'9', b'9',
        ]);
    }
}
