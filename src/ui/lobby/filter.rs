//! The catalogue filter both lobbies show: a [`Query`] changed by keys (family, difficulty and
//! length cycle through what the catalogue holds, a tag is typed, the order cycles), the line
//! that says what is in force, and what to say when nothing matches. The meaning of a filter
//! is `scenario::query`'s, so the lobbies and `gamelan scenarios` always agree.

use crate::input::{Input, Key, KeyCode};
use crate::keymap::{self, Act, Scope};
use crate::scenario::query::Query;
use crate::scenario::{Difficulty, Entry};

/// The length caps the length key steps through, in planned minutes.
pub const LENGTHS: [u32; 4] = [30, 45, 60, 90];

/// A lobby's filter and sort.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub query: Query,
    /// A tag being typed (after `/`), not yet in force.
    pub typing: Option<String>,
}

/// What a key did to the filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// The key was not the filter's.
    No,
    /// The filter or the typed tag changed.
    Yes,
    /// The key was the filter's but there was nothing to do, with a word to say so.
    Nothing(&'static str),
}

/// Cycles `current` through `all` and back to none.
fn cycle<T: Clone + PartialEq>(current: &Option<T>, all: &[T]) -> Option<T> {
    match current {
        None => all.first().cloned(),
        Some(c) => {
            let i = all.iter().position(|x| x == c);
            i.and_then(|i| all.get(i + 1).cloned())
        }
    }
}

impl Filter {
    /// Whether a filter narrows the catalogue (the order aside).
    pub fn narrows(&self) -> bool {
        let q = &self.query;
        q.family.is_some() || q.tag.is_some() || q.difficulty.is_some() || q.max_minutes.is_some()
    }

    /// The entries shown, in order.
    pub fn visible(&self, entries: &[Entry]) -> Vec<usize> {
        self.query.select(entries)
    }

    /// Handles `input` in `scope` (the lobby's), given the catalogue's `entries`.
    pub fn on_input(&mut self, scope: Scope, input: &Input, entries: &[Entry]) -> Changed {
        let Input::Key(key) = input else {
            return Changed::No;
        };
        if let Some(text) = &mut self.typing {
            match key.code {
                KeyCode::Enter => {
                    let t = text.trim().to_string();
                    self.query.tag = (!t.is_empty()).then_some(t);
                    self.typing = None;
                }
                KeyCode::Esc => self.typing = None,
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char(c) if !c.is_control() && text.chars().count() < 40 => text.push(c),
                _ => {}
            }
            return Changed::Yes;
        }
        // Esc on a narrowed list widens it again before it means quit: a newcomer who pressed
        // `d` and then esc wants the whole catalogue back, not the shell.
        if *key == Key::plain(KeyCode::Esc) && self.narrows() {
            *self = Filter::default();
            return Changed::Yes;
        }
        let Some(act) = keymap::lookup(scope, *key) else {
            return Changed::No;
        };
        let q = &mut self.query;
        match act {
            Act::FilterFamily => {
                let mut families: Vec<String> = entries
                    .iter()
                    .filter_map(|e| e.scenario.meta.family.clone())
                    .collect();
                families.sort();
                families.dedup();
                if families.is_empty() {
                    return Changed::Nothing("no scenario names a family");
                }
                q.family = cycle(&q.family, &families);
            }
            Act::FilterDifficulty => q.difficulty = cycle(&q.difficulty, &Difficulty::ALL),
            Act::FilterLength => q.max_minutes = cycle(&q.max_minutes, &LENGTHS),
            Act::FilterTag => self.typing = Some(q.tag.clone().unwrap_or_default()),
            Act::SortNext => q.sort = q.sort.next(),
            Act::ClearFilter => {
                if *self == Filter::default() {
                    return Changed::Nothing("no filter to clear");
                }
                *self = Filter::default();
            }
            _ => return Changed::No,
        }
        Changed::Yes
    }

    /// Whether keys go to the typed tag (so a screen lets them through, `t` included).
    pub fn is_typing(&self) -> bool {
        self.typing.is_some()
    }

    /// The line over the list: what is shown, of how many, in what order, and the keys.
    pub fn line(&self, scope: Scope, shown: usize, total: usize) -> String {
        if let Some(t) = &self.typing {
            return format!(
                "tag: {t}▏ ({} applies, esc cancels)",
                keymap::key_label(Scope::Lobby, Act::Choose)
            );
        }
        let what = if self.narrows() {
            format!("{} · {shown} of {total}", self.query.describe())
        } else {
            format!("all {total}")
        };
        let k = |a| keymap::key_label(scope, a);
        format!(
            "{what} · by {} · {} {} {} {} filter · {} sort{}",
            self.query.sort.label(),
            k(Act::FilterFamily),
            k(Act::FilterDifficulty),
            k(Act::FilterLength),
            k(Act::FilterTag),
            k(Act::SortNext),
            if *self == Filter::default() {
                String::new()
            } else {
                format!(" · {} clear", k(Act::ClearFilter))
            }
        )
    }

    /// What the list says when nothing matches: the filter and how to clear it.
    pub fn nothing_matches(&self, scope: Scope) -> [String; 2] {
        [
            format!("no drill matches {}", self.query.describe()),
            format!(
                "press {} to clear the filter",
                keymap::key_label(scope, Act::ClearFilter)
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::bundled;
    use crate::scenario::query::Sort;

    fn press(f: &mut Filter, c: char, entries: &[Entry]) -> Changed {
        f.on_input(Scope::Lobby, &Input::Key(Key::char(c)), entries)
    }

    #[test]
    fn keys_cycle_each_filter_and_back_to_none() {
        let cat = bundled();
        let mut f = Filter::default();
        for want in Difficulty::ALL {
            assert_eq!(press(&mut f, 'd', &cat), Changed::Yes);
            assert_eq!(f.query.difficulty, Some(want));
            assert!(
                f.visible(&cat)
                    .iter()
                    .all(|&i| cat[i].scenario.meta.difficulty == want)
            );
        }
        press(&mut f, 'd', &cat);
        assert_eq!(f.query.difficulty, None);
        for want in LENGTHS {
            press(&mut f, 'm', &cat);
            assert_eq!(f.query.max_minutes, Some(want));
        }
        press(&mut f, 'm', &cat);
        assert_eq!(f.query.max_minutes, None);
        press(&mut f, 'f', &cat);
        let first = f.query.family.clone().unwrap();
        assert!(
            f.visible(&cat)
                .iter()
                .all(|&i| cat[i].scenario.meta.family.as_deref() == Some(first.as_str()))
        );
        press(&mut f, 's', &cat);
        assert_eq!(f.query.sort, Sort::Difficulty);
        assert_eq!(press(&mut f, 'x', &cat), Changed::Yes);
        assert_eq!(f, Filter::default());
        assert_eq!(
            press(&mut f, 'x', &cat),
            Changed::Nothing("no filter to clear")
        );
        assert_eq!(press(&mut f, 'z', &cat), Changed::No);
    }

    #[test]
    fn a_typed_tag_applies_on_enter_and_esc_cancels() {
        let cat = bundled();
        let mut f = Filter::default();
        press(&mut f, '/', &cat);
        assert!(f.is_typing());
        for c in "dns".chars() {
            press(&mut f, c, &cat);
        }
        assert!(f.line(Scope::Lobby, 0, 0).contains("tag: dns"));
        assert_eq!(f.query.tag, None, "not in force while typing");
        f.on_input(Scope::Lobby, &Input::Key(Key::plain(KeyCode::Enter)), &cat);
        assert_eq!(f.query.tag.as_deref(), Some("dns"));
        let shown = f.visible(&cat);
        assert!(!shown.is_empty() && shown.len() < cat.len());
        assert!(
            f.line(Scope::Lobby, shown.len(), cat.len())
                .contains("tag dns")
        );
        press(&mut f, '/', &cat);
        press(&mut f, 'x', &cat);
        f.on_input(Scope::Lobby, &Input::Key(Key::plain(KeyCode::Esc)), &cat);
        assert_eq!(f.query.tag.as_deref(), Some("dns"), "esc keeps the old tag");
        press(&mut f, '/', &cat);
        for c in "zzz".chars() {
            press(&mut f, c, &cat);
        }
        f.on_input(Scope::Lobby, &Input::Key(Key::plain(KeyCode::Enter)), &cat);
        assert!(f.visible(&cat).is_empty());
        let [what, how] = f.nothing_matches(Scope::Lobby);
        assert!(what.contains("tag dnszzz"), "{what}");
        assert!(how.contains("press x"), "{how}");
    }

    #[test]
    fn esc_widens_a_narrowed_list_before_it_quits() {
        let cat = crate::scenario::bundled();
        let mut f = Filter::default();
        press(&mut f, 'd', &cat);
        assert!(f.narrows());
        let esc = Input::Key(Key::plain(KeyCode::Esc));
        assert!(matches!(f.on_input(Scope::Lobby, &esc, &cat), Changed::Yes));
        assert!(!f.narrows(), "the whole catalogue is back");
        // With nothing to widen, esc is the screen's again (quit).
        assert!(matches!(f.on_input(Scope::Lobby, &esc, &cat), Changed::No));
        press(&mut f, 'd', &cat);
        assert!(matches!(f.on_input(Scope::Rooms, &esc, &cat), Changed::Yes));
    }
}
