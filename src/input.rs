//! What a person does at a terminal, in the project's own terms: a key, a mouse action, a
//! paste, a new size. The shells translate their terminal's events (crossterm locally, raw
//! bytes from a socket or SSH channel) into these, so every screen under `ui/` handles one
//! type and knows no terminal library. Pure: no clock; a double click is counted from times
//! the shell passes in ([`Clicks`]).

/// A key, without its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Tab,
    /// Shift-Tab.
    BackTab,
    Backspace,
    Esc,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Delete,
}

/// Modifier keys held with a key or a click (a small bit set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Mods(u8);

impl Mods {
    pub const NONE: Mods = Mods(0);
    pub const SHIFT: Mods = Mods(1);
    pub const ALT: Mods = Mods(2);
    pub const CTRL: Mods = Mods(4);

    /// From the bits shift 1, alt 2, ctrl 4 (as terminals number them, less one).
    pub const fn from_bits(bits: u8) -> Mods {
        Mods(bits & 7)
    }

    pub const fn contains(self, other: Mods) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn union(self, other: Mods) -> Mods {
        Mods(self.0 | other.0)
    }
}

/// A key press (releases never reach the screens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: Mods,
}

impl Key {
    pub const fn new(code: KeyCode, mods: Mods) -> Key {
        Key { code, mods }
    }

    /// A key pressed on its own.
    pub const fn plain(code: KeyCode) -> Key {
        Key::new(code, Mods::NONE)
    }

    /// A printable character on its own.
    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    /// Control plus a letter.
    pub const fn ctrl(c: char) -> Key {
        Key::new(KeyCode::Char(c), Mods::CTRL)
    }

    /// The character this key types, if it types one (no Ctrl or Alt held).
    pub fn typed(self) -> Option<char> {
        match self.code {
            KeyCode::Char(c)
                if !self.mods.contains(Mods::CTRL) && !self.mods.contains(Mods::ALT) =>
            {
                Some(c)
            }
            _ => None,
        }
    }

    /// Whether this key is `other`, ignoring Shift (terminals disagree on whether `?` or
    /// `G` arrive with Shift set).
    pub fn is(self, other: Key) -> bool {
        let strip = |m: Mods| Mods(m.0 & !Mods::SHIFT.0);
        self.code == other.code && strip(self.mods) == strip(other.mods)
    }

    /// How the key is written in help and on the status line.
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "enter".into(),
            KeyCode::Tab => "tab".into(),
            KeyCode::BackTab => "shift-tab".into(),
            KeyCode::Backspace => "backspace".into(),
            KeyCode::Esc => "esc".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "home".into(),
            KeyCode::End => "end".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Delete => "del".into(),
        };
        if self.mods.contains(Mods::CTRL) {
            format!("ctrl-{base}")
        } else if self.mods.contains(Mods::ALT) {
            format!("alt-{base}")
        } else {
            base
        }
    }
}

/// A mouse button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Button {
    Left,
    Middle,
    Right,
}

/// What the mouse did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MouseKind {
    Down(Button),
    Up(Button),
    Drag(Button),
    Moved,
    ScrollUp,
    ScrollDown,
}

/// A mouse action at a cell (0-based column and row of the seat's screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mouse {
    pub kind: MouseKind,
    pub col: u16,
    pub row: u16,
    pub mods: Mods,
    /// For a press: 1, or 2 for the second press of a double click ([`Clicks`]).
    pub clicks: u8,
}

impl Mouse {
    pub fn new(kind: MouseKind, col: u16, row: u16) -> Mouse {
        Mouse {
            kind,
            col,
            row,
            mods: Mods::NONE,
            clicks: 1,
        }
    }

    /// A left press: a click.
    pub fn is_click(&self) -> bool {
        self.kind == MouseKind::Down(Button::Left)
    }

    pub fn is_double(&self) -> bool {
        self.is_click() && self.clicks >= 2
    }

    /// The wheel: lines up (negative) or down (positive); 0 for anything else.
    pub fn wheel(&self) -> isize {
        match self.kind {
            MouseKind::ScrollUp => -1,
            MouseKind::ScrollDown => 1,
            _ => 0,
        }
    }
}

/// One thing a person did at a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(Key),
    Mouse(Mouse),
    /// Text pasted in one go (bracketed paste): never read as keys, so a paste cannot press
    /// cues.
    Paste(String),
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
}

impl Input {
    /// Whether a screen needs redrawing after this input: the pointer merely moving changes
    /// nothing on screen.
    pub fn redraws(&self) -> bool {
        !matches!(self, Input::Mouse(m) if matches!(m.kind, MouseKind::Moved | MouseKind::Up(_) | MouseKind::Drag(_)))
    }
}

/// How close in time two presses on the same cell must be to make a double click.
pub const DOUBLE_CLICK_MS: u64 = 400;

/// Counts clicks: the second press of the same button on the same cell within
/// [`DOUBLE_CLICK_MS`] is a double click. The shell passes the time of each input (in
/// milliseconds from any fixed start), so this stays free of clocks.
#[derive(Debug, Clone, Default)]
pub struct Clicks {
    last: Option<(MouseKind, u16, u16, u64)>,
}

impl Clicks {
    /// Sets `clicks` on a press received at `at_ms`; leaves other inputs alone.
    pub fn stamp(&mut self, input: &mut Input, at_ms: u64) {
        let Input::Mouse(m) = input else {
            return;
        };
        let MouseKind::Down(_) = m.kind else {
            return;
        };
        let double = self.last.is_some_and(|(kind, col, row, at)| {
            kind == m.kind
                && col == m.col
                && row == m.row
                && at_ms.saturating_sub(at) <= DOUBLE_CLICK_MS
        });
        if double {
            m.clicks = 2;
            // A third press starts a new pair rather than zooming back and forth.
            self.last = None;
        } else {
            m.clicks = 1;
            self.last = Some((m.kind, m.col, m.row, at_ms));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(col: u16, row: u16) -> Input {
        Input::Mouse(Mouse::new(MouseKind::Down(Button::Left), col, row))
    }

    fn clicks(i: &Input) -> u8 {
        match i {
            Input::Mouse(m) => m.clicks,
            _ => 0,
        }
    }

    #[test]
    fn double_click_needs_the_same_cell_and_a_short_interval() {
        let mut c = Clicks::default();
        let mut a = press(3, 4);
        c.stamp(&mut a, 1000);
        assert_eq!(clicks(&a), 1);
        let mut b = press(3, 4);
        c.stamp(&mut b, 1000 + DOUBLE_CLICK_MS);
        assert_eq!(clicks(&b), 2, "second press in time");
        let mut third = press(3, 4);
        c.stamp(&mut third, 1000 + DOUBLE_CLICK_MS + 10);
        assert_eq!(clicks(&third), 1, "a third press starts over");
        let mut late = press(3, 4);
        c.stamp(&mut late, 1000 + 3 * DOUBLE_CLICK_MS);
        assert_eq!(clicks(&late), 1, "too slow");
        let mut elsewhere = press(4, 4);
        c.stamp(&mut elsewhere, 1000 + 3 * DOUBLE_CLICK_MS + 5);
        assert_eq!(clicks(&elsewhere), 1, "another cell");
        let mut right = Input::Mouse(Mouse::new(MouseKind::Down(Button::Right), 4, 4));
        c.stamp(&mut right, 1000 + 3 * DOUBLE_CLICK_MS + 6);
        assert_eq!(clicks(&right), 1, "another button");
    }

    #[test]
    fn keys_compare_without_shift_and_say_their_names() {
        let shifted = Key::new(KeyCode::Char('?'), Mods::SHIFT);
        assert!(shifted.is(Key::char('?')));
        assert!(!Key::ctrl('c').is(Key::char('c')));
        assert_eq!(Key::ctrl('c').label(), "ctrl-c");
        assert_eq!(Key::char(' ').label(), "space");
        assert_eq!(Key::ctrl('c').typed(), None);
        assert_eq!(shifted.typed(), Some('?'));
    }
}
