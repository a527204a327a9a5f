//! The parts of the scenario file that let a drill branch, as its author writes them
//! (docs/scenario-format.md): conditions, flags and counters, decision points, cue outcomes
//! and event series. Like the rest of the model, every struct rejects unknown fields and keeps
//! references with their span.

use super::model::{EffectDef, Mark, Ref, ResponseDef};
use super::position::Position;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

/// A condition, as an inline table: exactly one of the kinds below, with the modifiers that
/// kind takes. Checked into a [`super::Cond`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CondDef {
    /// The first format's form: `{ cue, done, by }`.
    pub cue: Option<Ref>,
    pub done: Option<bool>,
    /// The cue has been applied (pressed and accepted).
    pub applied: Option<Ref>,
    /// The cue has landed (after its `delay_beats`).
    pub landed: Option<Ref>,
    /// With `applied`/`landed`/`cue`: at or before this position.
    pub by: Option<Spanned<Position>>,
    /// With `applied`: and this other cue had not been applied before it.
    pub before: Option<Ref>,
    /// A flag (true, or `is`) or a counter (`above`, `below`, `is`).
    pub flag: Option<Ref>,
    pub is: Option<Spanned<FlagValue>>,
    /// A signal's latest value against a threshold.
    pub signal: Option<Ref>,
    pub above: Option<f64>,
    pub below: Option<f64>,
    /// With `signal`: for at least this many beats in a row.
    pub for_beats: Option<u32>,
    /// An objective has been met.
    pub objective: Option<Ref>,
    /// A decision has been made (with `option`: that option was chosen).
    pub decision: Option<Ref>,
    pub option: Option<Ref>,
    /// From this position on.
    pub since: Option<Spanned<Position>>,
    pub all: Option<Vec<CondDef>>,
    pub any: Option<Vec<CondDef>>,
    pub not: Option<Box<CondDef>>,
}

/// A flag's or counter's value as written: `true`/`false` for a flag, a number for a counter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FlagValue {
    Bool(bool),
    Number(f64),
}

impl<'de> Deserialize<'de> for FlagValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FlagValue, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FlagValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true, false (a flag) or a number (a counter)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<FlagValue, E> {
                Ok(FlagValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FlagValue, E> {
                Ok(FlagValue::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FlagValue, E> {
                Ok(FlagValue::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<FlagValue, E> {
                Ok(FlagValue::Number(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// `set = { flag = true, counter = 3 }`: values to assign.
pub type SetDef = BTreeMap<String, FlagValue>;
/// `add = { counter = 1 }`: amounts added to counters.
pub type AddDef = BTreeMap<String, f64>;

/// `[[flags]]`: a named piece of scenario state, a flag (true or false) or a counter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagDef {
    pub id: String,
    /// How the facilitator's state panel and the debrief name it (default: the id).
    #[serde(default)]
    pub name: Option<String>,
    /// A number rather than true/false.
    #[serde(default)]
    pub counter: bool,
    /// The value at the start: false for a flag, 0 for a counter unless given.
    pub initial: Option<Spanned<FlagValue>>,
    /// Shown to the players too, not only to the facilitator.
    #[serde(default)]
    pub visible: bool,
    /// What it means, for the facilitator.
    #[serde(default)]
    pub note: String,
}

/// `[[events]]`: a series of discrete events (deploys, config pushes) drawn as markers on the
/// charts and the timeline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    pub id: String,
    pub name: String,
    /// The marker's character (default: the name's first letter).
    pub glyph: Option<Spanned<String>>,
}

/// `[[decisions]]`: a point where the team must choose between named options.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionDef {
    pub id: String,
    /// The question, as the prompt shows it.
    pub prompt: String,
    /// When the prompt opens; or `when`, on the first beat the condition holds.
    pub at: Option<Spanned<Position>>,
    pub when: Option<CondDef>,
    /// Beats the prompt stays open; then `default` is taken, or the decision lapses.
    pub within_beats: Option<u32>,
    /// The option taken when `within_beats` runs out.
    pub default: Option<Ref>,
    pub options: Vec<OptionDef>,
}

/// One option of a decision: bound to a cue (`cue`) or chosen by the facilitator (`key`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub id: String,
    pub label: String,
    /// Applying this cue while the decision is open chooses the option.
    pub cue: Option<Ref>,
    /// A facilitator presses this key while the decision is open.
    pub key: Option<Spanned<String>>,
    #[serde(default)]
    pub set: SetDef,
    #[serde(default)]
    pub add: AddDef,
    #[serde(default)]
    pub effects: Vec<EffectDef>,
    /// Injects that will not fire after this choice.
    #[serde(default)]
    pub skips: Vec<Ref>,
    /// A marker on this event series when chosen.
    pub event: Option<Ref>,
    pub response: Option<ResponseDef>,
}

/// `outcomes` of a cue: what it does instead, when a condition holds at the beat it lands.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDef {
    pub when: CondDef,
    /// Each of these replaces the cue's own when given.
    pub effects: Option<Vec<EffectDef>>,
    pub response: Option<ResponseDef>,
    pub marks: Option<Vec<Mark>>,
    pub set: Option<SetDef>,
    pub add: Option<AddDef>,
    pub event: Option<Ref>,
}

/// A cue's `requires`: a list of cues (the first format) or a condition.
#[derive(Debug, Clone)]
pub enum RequiresDef {
    Cues(Vec<Ref>),
    When(Box<CondDef>),
}

impl Default for RequiresDef {
    fn default() -> RequiresDef {
        RequiresDef::Cues(Vec::new())
    }
}

impl<'de> Deserialize<'de> for RequiresDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RequiresDef, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RequiresDef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of cue ids or a condition table")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RequiresDef, A::Error> {
                let mut out = Vec::new();
                while let Some(r) = seq.next_element::<Ref>()? {
                    out.push(r);
                }
                Ok(RequiresDef::Cues(out))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<RequiresDef, A::Error> {
                let c = CondDef::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RequiresDef::When(Box::new(c)))
            }
        }
        d.deserialize_any(V)
    }
}
