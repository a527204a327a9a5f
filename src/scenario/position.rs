//! Positions on the timeline: `"bar:beat"` (1-based, as musicians count) or a plain beat number
//! (0-based, beat 0 is the downbeat of bar 1).

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// A point on the timeline as the author wrote it; resolved to an absolute beat once the
/// scenario's beats-per-bar is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Position {
    /// An absolute, 0-based beat number.
    Beat(u64),
    /// A 1-based bar and beat within the bar.
    BarBeat { bar: u64, beat: u64 },
}

impl Position {
    /// The absolute 0-based beat, given the number of beats in a bar.
    pub fn resolve(self, beats_per_bar: u32) -> Result<u64, String> {
        match self {
            Position::Beat(b) => Ok(b),
            Position::BarBeat { bar, beat } => {
                if bar == 0 || beat == 0 {
                    return Err(format!(
                        "bars and beats count from 1 (\"{bar}:{beat}\"); write \"1:1\" for the start"
                    ));
                }
                if beat > u64::from(beats_per_bar) {
                    return Err(format!(
                        "beat {beat} does not exist in a bar of {beats_per_bar} beats"
                    ));
                }
                // Checked: a bar number near u64::MAX is past any timeline, not an overflow.
                (bar - 1)
                    .checked_mul(u64::from(beats_per_bar))
                    .and_then(|b| b.checked_add(beat - 1))
                    .ok_or_else(|| format!("bar {bar} is past the end of any timeline"))
            }
        }
    }

    /// Parses `"3:2"` or `"14"`.
    pub fn parse(text: &str) -> Result<Position, String> {
        let text = text.trim();
        if let Some((bar, beat)) = text.split_once(':') {
            let bar = bar.trim().parse().map_err(|_| {
                format!("`{text}` is not a position: expected \"bar:beat\", e.g. \"3:2\"")
            })?;
            let beat = beat.trim().parse().map_err(|_| {
                format!("`{text}` is not a position: expected \"bar:beat\", e.g. \"3:2\"")
            })?;
            Ok(Position::BarBeat { bar, beat })
        } else {
            text.parse().map(Position::Beat).map_err(|_| {
                format!("`{text}` is not a position: expected a beat number or \"bar:beat\"")
            })
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Beat(b) => write!(f, "{b}"),
            Position::BarBeat { bar, beat } => write!(f, "{bar}:{beat}"),
        }
    }
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(u64),
            Text(String),
        }
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "expected a beat number or a \"bar:beat\" string such as \"3:2\"",
            )
        })? {
            Raw::Int(b) => Ok(Position::Beat(b)),
            Raw::Text(t) => Position::parse(&t).map_err(serde::de::Error::custom),
        }
    }
}

/// Formats an absolute beat as `bar:beat` (1-based).
pub fn bar_beat(beat: u64, beats_per_bar: u32) -> String {
    let bpb = u64::from(beats_per_bar.max(1));
    format!("{}:{}", (beat / bpb).saturating_add(1), beat % bpb + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_resolves() {
        assert_eq!(Position::parse("3:2").unwrap().resolve(4).unwrap(), 9);
        assert_eq!(Position::parse("1:1").unwrap().resolve(4).unwrap(), 0);
        assert_eq!(Position::parse("12").unwrap().resolve(4).unwrap(), 12);
        assert!(Position::parse("0:1").unwrap().resolve(4).is_err());
        assert!(Position::parse("2:5").unwrap().resolve(4).is_err());
        assert!(Position::parse("x").is_err());
        assert_eq!(bar_beat(9, 4), "3:2");
        let huge = Position::parse("18446744073709551615:1").unwrap();
        assert!(huge.resolve(4).unwrap_err().contains("past the end"));
        assert_eq!(bar_beat(u64::MAX, 1), format!("{}:1", u64::MAX));
    }
}
