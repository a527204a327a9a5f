//! Reading line 1: every field checked for its type and range, each problem at its column,
//! before a [`Header`] exists.

use super::columns::{char_col, key_col};
use super::{
    CarriedVista, FORMAT_VERSION, Header, HeaderError, MAX_EMBEDDED_SOURCE_BYTES, MAX_HEADER_SEATS,
    MAX_NAME, MAX_PATH, OLDEST_VERSION, Parent, SeatEntry, TEMPO_RANGE, has_control,
};
use crate::drill::SeatId;
use serde_json::{Map, Value};

/// Parses and checks line 1. `line` is valid UTF-8 (the caller checked it).
pub fn parse(line: &str) -> Result<Header, HeaderError> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        (
            char_col(line, e.column()),
            format!(
                "not a gamelan recording: the header line is not JSON ({})",
                crate::record::decode::describe(&e)
            ),
        )
    })?;
    let Value::Object(obj) = value else {
        return Err((
            1,
            "not a gamelan recording: the header line is not a JSON object".into(),
        ));
    };
    let at = |key: &str| key_col(line, key);
    let fail = |key: &str, msg: String| Err((at(key), msg));

    let Some(version) = obj.get("gamelan_recording") else {
        return Err((
            1,
            "not a gamelan recording: line 1 has no \"gamelan_recording\" format version".into(),
        ));
    };
    let version = match version.as_u64() {
        Some(v) if (u64::from(OLDEST_VERSION)..=u64::from(FORMAT_VERSION)).contains(&v) => v as u32,
        Some(v) => {
            return fail(
                "gamelan_recording",
                format!(
                    "recording format version {v} is not supported: this gamelan {} reads versions {OLDEST_VERSION} to {FORMAT_VERSION}",
                    env!("CARGO_PKG_VERSION")
                ),
            );
        }
        None => {
            return fail(
                "gamelan_recording",
                format!(
                    "\"gamelan_recording\" must be a format version number, not {}",
                    shown(version)
                ),
            );
        }
    };

    let scenario = string(&obj, "scenario", &at)?;
    if scenario.is_empty()
        || scenario.chars().count() > MAX_NAME
        || !scenario.chars().all(crate::diag::is_id_char)
    {
        return fail(
            "scenario",
            format!(
                "\"scenario\" must be a scenario id (letters, digits, - or _, at most {MAX_NAME}), not {}; \
                 a recording names its scenario, it never points at a file",
                shown(&Value::String(scenario))
            ),
        );
    }
    let scenario_hash = string(&obj, "scenario_hash", &at)?;
    if scenario_hash.len() != 16 || !scenario_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return fail(
            "scenario_hash",
            format!(
                "\"scenario_hash\" must be 16 hex digits (the scenario's content hash), not {}",
                shown(&Value::String(scenario_hash))
            ),
        );
    }
    let seed = match obj.get("seed") {
        Some(v) => v.as_u64().ok_or_else(|| {
            (
                at("seed"),
                format!(
                    "\"seed\" must be a whole number from 0 to {}, not {}",
                    u64::MAX,
                    shown(v)
                ),
            )
        })?,
        None => return Err((1, "the header has no \"seed\"".into())),
    };
    let tempo = match obj.get("tempo") {
        Some(v) => v
            .as_u64()
            .and_then(|t| u32::try_from(t).ok())
            .filter(|t| TEMPO_RANGE.contains(t))
            .ok_or_else(|| {
                (
                    at("tempo"),
                    format!(
                        "\"tempo\" must be a whole number of beats per minute from {} to {}, not {}",
                        TEMPO_RANGE.start(),
                        TEMPO_RANGE.end(),
                        shown(v)
                    ),
                )
            })?,
        None => return Err((1, "the header has no \"tempo\"".into())),
    };
    let started = string(&obj, "started", &at)?;
    if !is_utc_timestamp(&started) {
        return fail(
            "started",
            format!(
                "\"started\" must be an RFC 3339 UTC time to the second, like 2025-05-01T14:03:09Z, not {}",
                shown(&Value::String(started))
            ),
        );
    }
    let seats = match obj.get("seats") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => seats(v).map_err(|m| (at("seats"), m))?,
    };
    let parent = match obj.get("parent") {
        None | Some(Value::Null) => None,
        Some(v) => Some(parent(v).map_err(|m| (at("parent"), m))?),
    };
    let gamelan_version = match obj.get("gamelan_version") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= 64 && !has_control(s) => Some(s.clone()),
        Some(v) => {
            return fail(
                "gamelan_version",
                format!(
                    "\"gamelan_version\" must be a version string of at most 64 characters, not {}",
                    shown(v)
                ),
            );
        }
    };
    let scenario_source = match obj.get("scenario_source") {
        // Format 2 and older have no such field; readers ignore fields they do not know.
        _ if version < 3 => None,
        None | Some(Value::Null) => None,
        Some(Value::String(src)) => {
            source(src, &scenario_hash).map_err(|m| (at("scenario_source"), m))?;
            Some(src.clone())
        }
        Some(v) => {
            return fail(
                "scenario_source",
                format!(
                    "\"scenario_source\" must be the scenario file's text as a string, not {}",
                    shown(v)
                ),
            );
        }
    };
    let vista = match obj.get("vista") {
        _ if version < 3 => None,
        None | Some(Value::Null) => None,
        Some(v) => Some(carried_vista(v).map_err(|m| (at("vista"), m))?),
    };
    Ok(Header {
        gamelan_recording: version,
        scenario,
        scenario_hash,
        seed,
        tempo,
        started,
        seats,
        parent,
        gamelan_version,
        scenario_source,
        vista,
    })
}

/// A carried vista: a file name, and a bounded text that is the very one its hash names.
fn carried_vista(v: &Value) -> Result<CarriedVista, String> {
    let carried: CarriedVista = serde_json::from_value(v.clone()).map_err(|_| {
        format!(
            "\"vista\" must be {{\"file\", \"hash\", \"source\"}}: the vista file's name, content hash and text, not {}",
            shown(v)
        )
    })?;
    carried.check()?;
    Ok(carried)
}

/// The embedded source is bounded and is the very text `scenario_hash` names: an edit to it,
/// or damage, is caught here rather than replayed as another drill.
fn source(src: &str, hash: &str) -> Result<(), String> {
    if src.len() > MAX_EMBEDDED_SOURCE_BYTES {
        return Err(format!(
            "\"scenario_source\" holds {} bytes; a recording carries a scenario of at most {MAX_EMBEDDED_SOURCE_BYTES} bytes",
            src.len()
        ));
    }
    let actual = crate::scenario::content_hash(src);
    if actual != hash {
        return Err(format!(
            "\"scenario_source\" does not match \"scenario_hash\": its content hash is {actual}, not {hash}; \
             the recording was edited or damaged"
        ));
    }
    Ok(())
}

fn string(
    obj: &Map<String, Value>,
    key: &str,
    at: &impl Fn(&str) -> usize,
) -> Result<String, HeaderError> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(v) => Err((
            at(key),
            format!("\"{key}\" must be a string, not {}", shown(v)),
        )),
        None => Err((1, format!("the header has no \"{key}\""))),
    }
}

fn seats(v: &Value) -> Result<Vec<SeatEntry>, String> {
    let Value::Array(items) = v else {
        return Err(format!("\"seats\" must be a list, not {}", shown(v)));
    };
    if items.len() > MAX_HEADER_SEATS {
        return Err(format!(
            "\"seats\" lists {} seats; a header lists at most {MAX_HEADER_SEATS}",
            items.len()
        ));
    }
    let mut out: Vec<SeatEntry> = Vec::with_capacity(items.len());
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(o) = item else {
            return Err(format!(
                "seats[{i}] must be an object like {{\"seat\":0,\"name\":\"ann\",\"role\":null}}"
            ));
        };
        let seat = o
            .get("seat")
            .and_then(Value::as_u64)
            .and_then(|s| SeatId::try_from(s).ok())
            .ok_or_else(|| {
                format!(
                    "seats[{i}].seat must be a seat number from 0 to {}",
                    SeatId::MAX
                )
            })?;
        if !seen.insert(seat) {
            return Err(format!("seats[{i}]: seat {seat} is listed twice"));
        }
        let name = match o.get("name") {
            Some(Value::String(s)) if s.chars().count() <= MAX_NAME && !has_control(s) => s.clone(),
            _ => {
                return Err(format!(
                    "seats[{i}].name must be a name of at most {MAX_NAME} characters without control characters"
                ));
            }
        };
        let role = match o.get("role") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.chars().count() <= MAX_NAME && !has_control(s) => {
                Some(s.clone())
            }
            _ => {
                return Err(format!(
                    "seats[{i}].role must be a role id of at most {MAX_NAME} characters, or null"
                ));
            }
        };
        out.push(SeatEntry { seat, name, role });
    }
    Ok(out)
}

fn parent(v: &Value) -> Result<Parent, String> {
    let recording = v.get("recording").and_then(Value::as_str);
    let beat = v.get("beat").and_then(Value::as_u64);
    match (recording, beat) {
        (Some(r), Some(beat)) if r.len() <= MAX_PATH && !has_control(r) => Ok(Parent {
            recording: r.to_string(),
            beat,
        }),
        _ => Err(format!(
            "\"parent\" must be {{\"recording\": PATH, \"beat\": N}} with a path of at most {MAX_PATH} bytes, not {}",
            shown(v)
        )),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` with plausible ranges.
fn is_utc_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r.clone())?
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| s[r].parse().ok())?
    };
    b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && digits(0..4).is_some()
        && digits(5..7).is_some_and(|m| (1..=12).contains(&m))
        && digits(8..10).is_some_and(|d| (1..=31).contains(&d))
        && digits(11..13).is_some_and(|h| h < 24)
        && digits(14..16).is_some_and(|m| m < 60)
        && digits(17..19).is_some_and(|s| s <= 60)
}

/// A value for a message: its JSON text, cut short.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= 60 {
        text
    } else {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}…")
    }
}
