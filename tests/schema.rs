//! `gamelan schema`: the JSON Schema editors use while a person types. Every bundled scenario,
//! the documented example and the starter validate against it; a misspelt field and a wrong
//! type do not; and every table of the schema names exactly the fields the model accepts, so
//! the two cannot drift apart.

mod common;

use gamelan::scenario::branching::{
    CondDef, DecisionDef, EventDef, FlagDef, OptionDef, OutcomeDef,
};
use gamelan::scenario::model::*;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeSet;

fn schema() -> Value {
    serde_json::from_str(gamelan::scenario::SCHEMA).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the schema is a valid JSON Schema")
}

/// A scenario's TOML as the JSON value an editor checks.
fn as_json(src: &str) -> Value {
    let v: toml::Value = toml::from_str(src).expect("TOML");
    serde_json::to_value(v).unwrap()
}

fn errors(v: &jsonschema::Validator, src: &str) -> Vec<String> {
    let doc = as_json(src);
    v.iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_command_prints_the_schema() {
    let out = common::gamelan("schema-home", &["schema"]);
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, schema());
}

#[test]
fn every_bundled_scenario_the_example_and_the_starter_validate() {
    let v = validator();
    let mut sources: Vec<(String, String)> = gamelan::scenario::bundled()
        .iter()
        .map(|e| {
            let id = &e.scenario.meta.id;
            let src = gamelan::scenario::bundled_source(id).unwrap();
            (id.clone(), src.to_string())
        })
        .collect();
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/scenario-format.md"
    ))
    .unwrap();
    let start = doc.find("<!-- example: scenario -->").unwrap();
    let body = &doc[start..];
    let body = &body[body.find("```toml\n").unwrap() + 8..];
    sources.push((
        "docs example".into(),
        body[..body.find("```").unwrap()].to_string(),
    ));
    for (name, text) in gamelan::cmd::new::starter("starter") {
        if name.ends_with(".toml") {
            sources.push((name, text));
        }
    }
    assert!(sources.len() >= 17);
    for (name, src) in &sources {
        let e = errors(&v, src);
        assert!(e.is_empty(), "{name} does not validate:\n{}", e.join("\n"));
    }
}

#[test]
fn a_misspelt_field_or_a_wrong_type_does_not_validate() {
    let v = validator();
    let src = gamelan::scenario::bundled_source("bad-deploy").unwrap();
    for (from, to, what) in [
        ("baseline = 420", "baseline = 420\nnosie = 1", "nosie"),
        (
            "beats_per_bar = 4",
            "beats_per_bar = \"four\"",
            "beats_per_bar",
        ),
        ("severity = \"page\"", "severity = \"loud\"", "severity"),
        (
            "[[cues]]\nid = \"ack\"",
            "[[cues]]\nrequires = 3\nid = \"ack\"",
            "requires",
        ),
    ] {
        assert!(src.contains(from), "{from}");
        let bad = src.replacen(from, to, 1);
        let e = errors(&v, &bad);
        assert!(!e.is_empty(), "`{to}` validated");
        assert!(e.iter().any(|m| m.contains(what)), "{what}: {e:?}");
    }
    let decision = format!(
        "{src}\n[[decisions]]\nid = \"d\"\nprompt = \"p\"\nat = \"2:1\"\noptions = [{{ id = \"a\", label = \"a\", cue = \"ack\", colour = 1 }}]\n"
    );
    assert!(!errors(&v, &decision).is_empty());
}

/// The fields a model type accepts, from its own refusal of an unknown one.
fn fields<T: DeserializeOwned>() -> BTreeSet<String> {
    let err = serde_json::from_str::<T>(r#"{"__probe__": 0}"#)
        .err()
        .expect("an unknown field is refused")
        .to_string();
    let expected = err.split("expected").nth(1).unwrap_or("");
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn props(v: &Value, path: &[&str]) -> BTreeSet<String> {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
        if cur.get("items").is_some() && *p != "properties" && *p != "definitions" {
            cur = &cur["items"];
        }
    }
    cur["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no properties at {path:?}"))
        .keys()
        .cloned()
        .collect()
}

#[test]
fn every_schema_table_names_exactly_the_model_fields() {
    let s = schema();
    let top: BTreeSet<String> = gamelan::scenario::SECTIONS
        .iter()
        .map(|x| x.to_string())
        .collect();
    assert_eq!(props(&s, &[]), top, "top-level sections");
    let p = |path: &[&str]| {
        let mut full = Vec::new();
        for seg in path {
            full.push("properties");
            full.push(seg);
        }
        props(&s, &full)
    };
    let d = |name: &str| props(&s, &["definitions", name]);
    let cases: Vec<(&str, BTreeSet<String>, BTreeSet<String>)> = vec![
        ("scenario", p(&["scenario"]), fields::<Meta>()),
        (
            "scenario.source",
            p(&["scenario", "source"]),
            fields::<Source>(),
        ),
        ("tempo", p(&["tempo"]), fields::<Tempo>()),
        ("targets", p(&["targets"]), fields::<Targets>()),
        ("roles", p(&["roles"]), fields::<RoleDef>()),
        ("objectives", p(&["objectives"]), fields::<ObjectiveDef>()),
        (
            "objectives.measure",
            p(&["objectives", "measure"]),
            fields::<MeasureDef>(),
        ),
        ("signals", p(&["signals"]), fields::<SignalDef>()),
        ("signals.slo", p(&["signals", "slo"]), fields::<SloDef>()),
        ("alerts", p(&["alerts"]), fields::<AlertDef>()),
        ("injects", p(&["injects"]), fields::<InjectDef>()),
        ("cues", p(&["cues"]), fields::<CueDef>()),
        ("runbook", p(&["runbook"]), fields::<RunbookPage>()),
        ("hints", p(&["hints"]), fields::<HintDef>()),
        (
            "red_herrings",
            p(&["red_herrings"]),
            fields::<RedHerringDef>(),
        ),
        ("debrief", p(&["debrief"]), fields::<DebriefDef>()),
        (
            "debrief.decisions",
            p(&["debrief", "decisions"]),
            fields::<DecisionRow>(),
        ),
        ("flags", p(&["flags"]), fields::<FlagDef>()),
        ("decisions", p(&["decisions"]), fields::<DecisionDef>()),
        ("events", p(&["events"]), fields::<EventDef>()),
        ("condition", d("condition"), fields::<CondDef>()),
        ("effect", d("effect"), fields::<EffectDef>()),
        ("outcome", d("outcome"), fields::<OutcomeDef>()),
        ("option", d("option"), fields::<OptionDef>()),
        ("response", d("response"), fields::<ResponseDef>()),
    ];
    for (what, schema_fields, model_fields) in cases {
        assert!(
            !model_fields.is_empty(),
            "{what}: could not read the model's fields"
        );
        assert_eq!(
            schema_fields, model_fields,
            "{what}: schema and model differ"
        );
    }
}
