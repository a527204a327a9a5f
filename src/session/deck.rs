//! A deck for the Wheel of Expertise: the themes of the team's stack (services, tools,
//! dependencies) and the prompt kinds asked about them ("Who owns it?", "What does it do?",
//! "Where would you look?"), with optional notes for the facilitator per theme and prompt
//! (docs/session-format.md). [`load_str`] reports every problem with its `file:line:col`.

use super::reader::{Reader, Text, unknown};
use crate::diag::Diagnostic;
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// Most themes a deck may have.
pub const MAX_THEMES: usize = 256;
/// Most prompts a deck may have.
pub const MAX_PROMPTS: usize = 16;
/// The placeholder a prompt's text and gap may hold.
pub const PLACEHOLDER: &str = "{theme}";

/// A whole deck.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Deck {
    pub title: String,
    pub summary: String,
    pub prompts: Vec<Prompt>,
    pub themes: Vec<Theme>,
    /// FNV-1a of the file's text.
    pub content_hash: String,
}

/// A kind of question asked about a theme.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Prompt {
    pub id: String,
    /// The question, with `{theme}` where the theme's name goes.
    pub text: String,
    /// How an unanswered turn reads as a knowledge gap, with `{theme}`.
    pub gap: String,
    /// For the facilitator, whatever the theme.
    pub note: String,
}

/// One part of the stack.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Theme {
    pub id: String,
    pub name: String,
    pub kind: ThemeKind,
    pub about: String,
    /// One entry per prompt: the facilitator's note for this theme and prompt.
    pub notes: Vec<Option<FacilitatorNote>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeKind {
    Service,
    Tool,
    Dependency,
    Other,
}

impl ThemeKind {
    const NAMES: &[&str] = &["service", "tool", "dependency", "other"];

    pub fn label(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// What the facilitator knows about a theme and prompt.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FacilitatorNote {
    /// A good answer.
    pub answer: String,
    /// Where the truth lives (a catalogue, a CODEOWNERS file, a dashboard).
    pub truth: String,
}

impl Deck {
    pub fn theme_index(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.id == id)
    }

    /// The question of `prompt` about `theme`, as asked.
    pub fn question(&self, theme: usize, prompt: usize) -> String {
        fill(&self.prompts[prompt].text, &self.themes[theme].name)
    }

    /// The knowledge gap an unanswered `prompt` about `theme` leaves.
    pub fn gap(&self, theme: usize, prompt: usize) -> String {
        fill(&self.prompts[prompt].gap, &self.themes[theme].name)
    }

    pub fn note(&self, theme: usize, prompt: usize) -> Option<&FacilitatorNote> {
        self.themes[theme].notes.get(prompt)?.as_ref()
    }
}

fn fill(template: &str, name: &str) -> String {
    if template.contains(PLACEHOLDER) {
        template.replace(PLACEHOLDER, name)
    } else {
        format!("{name}: {template}")
    }
}

/// Checks deck source text; `file` names it in diagnostics.
pub fn load_str(src: &str, file: &str) -> Result<Deck, Vec<Diagnostic>> {
    let (mut r, doc) = Reader::parse(src, file)?;
    r.unknown_keys(&doc, &["deck", "prompts", "themes"], "a deck (top level)");
    let mut title = None;
    let mut summary = String::new();
    if let Some((span, t)) = r.table(&doc, "deck", true) {
        r.unknown_keys(t, &["title", "summary"], "[deck]");
        title = r
            .required_string(t, &span, "title", "[deck]", Text::Line, 120)
            .map(|s| s.into_inner());
        summary = r
            .string(t, "summary", "[deck]", Text::Block, 2000)
            .map_or_else(String::new, |s| s.into_inner());
    }
    let prompt_tables = r.tables(&doc, "prompts", MAX_PROMPTS);
    if prompt_tables.is_empty() {
        r.whole("a deck needs at least one [[prompts]] entry");
    }
    let mut prompts = Vec::new();
    let mut seen = HashSet::new();
    for (i, (span, t)) in prompt_tables.iter().enumerate() {
        let fresh = unique(&mut r, &mut seen, span, t, "prompt");
        if let Some(p) = prompt(&mut r, i, span, t)
            && fresh
        {
            prompts.push(p);
        }
    }
    let ids: Vec<&str> = prompts.iter().map(|p| p.id.as_str()).collect();
    let theme_tables = r.tables(&doc, "themes", MAX_THEMES);
    if theme_tables.is_empty() {
        r.whole("a deck needs at least one [[themes]] entry");
    }
    let mut themes = Vec::new();
    let mut seen = HashSet::new();
    for (i, (span, t)) in theme_tables.iter().enumerate() {
        let fresh = unique(&mut r, &mut seen, span, t, "theme");
        if let Some(th) = theme(&mut r, i, span, t, &ids)
            && fresh
        {
            themes.push(th);
        }
    }
    let ok = title.map(|title| Deck {
        title,
        summary,
        prompts,
        themes,
        content_hash: super::content_hash(src),
    });
    r.finish(ok)
}

/// Whether the entry's `id` (as written, valid or not) was not seen before.
fn unique(
    r: &mut Reader<'_>,
    seen: &mut HashSet<String>,
    span: &Range<usize>,
    t: &DeTable<'_>,
    what: &str,
) -> bool {
    let Some(id) = t.get("id").and_then(|v| v.get_ref().as_str()) else {
        return true;
    };
    let fresh = seen.insert(id.to_string());
    if !fresh {
        r.err(span.clone(), format!("duplicate {what} id `{id}`"));
    }
    fresh
}

/// A prompt's template may name only `{theme}`.
fn placeholders(r: &mut Reader<'_>, s: &toml::Spanned<String>, what: &str) -> bool {
    let text = s.get_ref();
    let mut ok = true;
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            r.err(s.span(), format!("{what}: a `{{` without its `}}`"));
            return false;
        };
        let name = &after[..close];
        if name != "theme" {
            let msg = unknown("placeholder", &format!("{{{name}}}"), &[PLACEHOLDER]);
            r.err(s.span(), format!("{what}: {msg}"));
            ok = false;
        }
        rest = &after[close + 1..];
    }
    ok
}

fn prompt(r: &mut Reader<'_>, i: usize, span: &Range<usize>, t: &DeTable<'_>) -> Option<Prompt> {
    let what = format!("prompts[{i}]");
    r.unknown_keys(t, &["id", "text", "gap", "note"], &what);
    let id = r.id(t, span, "id", &what);
    let text = r.required_string(t, span, "text", &what, Text::Line, 200);
    let gap = r.string(t, "gap", &what, Text::Line, 200);
    let note = r
        .string(t, "note", &what, Text::Block, 1000)
        .map_or_else(String::new, |s| s.into_inner());
    let text = text.filter(|s| placeholders(r, s, &what))?;
    let gap = match gap {
        Some(g) if !placeholders(r, &g, &what) => return None,
        Some(g) => g.into_inner(),
        None => format!("Nobody could answer: {}", text.get_ref()),
    };
    Some(Prompt {
        id: id?.into_inner(),
        text: text.into_inner(),
        gap,
        note,
    })
}

fn theme(
    r: &mut Reader<'_>,
    i: usize,
    span: &Range<usize>,
    t: &DeTable<'_>,
    prompts: &[&str],
) -> Option<Theme> {
    let what = format!("themes[{i}]");
    r.unknown_keys(t, &["id", "name", "kind", "about", "notes"], &what);
    let id = r.id(t, span, "id", &what);
    let name = r.string(t, "name", &what, Text::Line, 80);
    let about = r
        .string(t, "about", &what, Text::Block, 1000)
        .map_or_else(String::new, |s| s.into_inner());
    let kind = match r.string(t, "kind", &what, Text::Line, 32) {
        None => Some(ThemeKind::Other),
        Some(k) => match ThemeKind::NAMES.iter().position(|n| n == k.get_ref()) {
            Some(0) => Some(ThemeKind::Service),
            Some(1) => Some(ThemeKind::Tool),
            Some(2) => Some(ThemeKind::Dependency),
            Some(_) => Some(ThemeKind::Other),
            None => {
                let msg = unknown("theme kind", k.get_ref(), ThemeKind::NAMES);
                r.err(k.span(), format!("{what}: {msg}"));
                None
            }
        },
    };
    let mut notes = vec![None; prompts.len()];
    if let Some((_, table)) = r.table(t, "notes", false) {
        for (key, value) in table.iter() {
            let prompt: &str = key.get_ref();
            let Some(p) = prompts.iter().position(|x| *x == prompt) else {
                let msg = unknown("prompt", prompt, prompts);
                r.err(key.span(), format!("{what}: notes: {msg}"));
                continue;
            };
            let DeValue::Table(n) = value.get_ref() else {
                r.err(
                    value.span(),
                    format!("{what}: notes.{prompt} must be a table with `answer` and `truth`"),
                );
                continue;
            };
            let w = format!("{what}: notes.{prompt}");
            r.unknown_keys(n, &["answer", "truth"], &w);
            let answer = r.string(n, "answer", &w, Text::Block, 1000);
            let truth = r.string(n, "truth", &w, Text::Block, 1000);
            if answer.is_none() && truth.is_none() && n.is_empty() {
                r.err(
                    value.span(),
                    format!("{w}: give an `answer`, a `truth` or both"),
                );
            }
            notes[p] = Some(FacilitatorNote {
                answer: answer.map_or_else(String::new, |s| s.into_inner()),
                truth: truth.map_or_else(String::new, |s| s.into_inner()),
            });
        }
    }
    let id = id?.into_inner();
    Some(Theme {
        name: name.map_or_else(|| id.clone(), |n| n.into_inner()),
        id,
        kind: kind?,
        about,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "[deck]\ntitle = \"stack\"\n[[prompts]]\nid = \"who\"\ntext = \"Who owns {theme}?\"\ngap = \"nobody knew who owns {theme}\"\n[[themes]]\nid = \"db\"\nname = \"payments-db\"\nkind = \"dependency\"\n[themes.notes.who]\nanswer = \"the data team\"\n";

    #[test]
    fn questions_and_gaps_name_the_theme() {
        let d = load_str(SMALL, "d.toml").unwrap();
        assert_eq!(d.question(0, 0), "Who owns payments-db?");
        assert_eq!(d.gap(0, 0), "nobody knew who owns payments-db");
        assert_eq!(d.note(0, 0).unwrap().answer, "the data team");
        assert_eq!(d.themes[0].kind, ThemeKind::Dependency);
    }

    #[test]
    fn bad_decks_report_each_problem() {
        let src = SMALL
            .replace("{theme}?", "{them}?")
            .replace("[themes.notes.who]", "[themes.notes.wh]")
            .replace("kind = \"dependency\"", "kind = \"dependancy\"");
        let p: Vec<String> = load_str(&src, "d.toml")
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        let want = [
            "d.toml:5:8: prompts[0]: unknown placeholder `{them}`; did you mean `{theme}`?",
            "d.toml:10:8: themes[0]: unknown theme kind `dependancy`; did you mean `dependency`?",
        ];
        for w in want {
            assert!(p.iter().any(|m| m == w), "missing {w:?} in {p:#?}");
        }
    }
}
