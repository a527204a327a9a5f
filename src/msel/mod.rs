//! The Master Scenario Events List: the spreadsheet a facilitator plans an exercise in (HSEEP's
//! MSEL: a chronological list of scripted injects and the players' expected actions, with when,
//! from, to, how, and notes). [`export`] writes a scenario's injects and expected actions (its
//! cues) as MSEL CSV; [`import()`] turns an MSEL into a scenario skeleton that passes
//! `gamelan check`. Both are pure (text in, text out). docs/msel.md describes the columns.

mod export;
mod import;
mod rows;

pub use export::export;
pub use import::{ImportOptions, import};

/// The columns gamelan writes, in order. On import they are found by name (case, spaces and
/// punctuation ignored; the usual synonyms accepted, see [`column_of`]), in any order.
pub const COLUMNS: [&str; 11] = [
    "Event",
    "Scenario Time",
    "Type",
    "From",
    "To",
    "Method",
    "Inject",
    "Expected Action",
    "Objective",
    "Notes",
    "Ref",
];

/// One of [`COLUMNS`], by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Event,
    Time,
    Type,
    From,
    To,
    Method,
    Inject,
    Expected,
    Objective,
    Notes,
    Ref,
}

/// The column a header cell names, if any: `Scenario Time` or `Time`; `Inject Type`;
/// `Originator`; `Recipient`; `Delivery Method`, `Inject Mode` or `Channel`; `Inject
/// Description`, `Message` or `Description`; `Expected Player Action` or `Expected Response`;
/// `Event #`, `MSEL #`, `Seq No`; `ID`.
pub fn column_of(header: &str) -> Option<Column> {
    let key: String = header
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match key.as_str() {
        "event" | "eventno" | "eventnumber" | "msel" | "mselno" | "seq" | "seqno" | "number"
        | "no" => Column::Event,
        "scenariotime" | "time" | "exercisetime" => Column::Time,
        "type" | "injecttype" | "eventtype" => Column::Type,
        "from" | "originator" | "sender" => Column::From,
        "to" | "recipient" | "recipients" => Column::To,
        "method" | "deliverymethod" | "injectmode" | "mode" | "channel" => Column::Method,
        "inject" | "injectdescription" | "message" | "description" | "eventdescription" => {
            Column::Inject
        }
        "expectedaction" | "expectedplayeraction" | "expectedresponse" | "expectedactions" => {
            Column::Expected
        }
        "objective" | "objectives" | "capability" => Column::Objective,
        "notes" | "note" | "remarks" => Column::Notes,
        "ref" | "id" | "reference" | "injectid" => Column::Ref,
        _ => return None,
    })
}

/// The kind of an MSEL row (its `Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A scripted inject at its time.
    Inject,
    /// An inject the facilitator fires when needed (its time is a suggestion).
    Contingency,
    /// What the players are expected to do (a cue), by its time if one is given.
    Expected,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Inject => "Inject",
            Kind::Contingency => "Contingency",
            Kind::Expected => "Expected Action",
        }
    }
}

/// Story seconds as the MSEL's `Scenario Time`: `H:MM:SS` from the start of the exercise.
pub fn time_text(seconds: u64) -> String {
    crate::clock::story_clock(seconds)
}
