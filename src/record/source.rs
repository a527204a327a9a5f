//! Which scenario a recording replays against: the one it carries (format 3's
//! `scenario_source`), the catalogue's when it is the very same text, or the user's
//! `--scenario ID|FILE` (docs/recording-format.md, "Replaying").
//!
//! A recording that carries its source replays anywhere, with only the file: its text was
//! checked against `scenario_hash` when the header was read, and it is compiled here like any
//! scenario file, its problems reported at `REC#scenario:line:col`.

use super::Recording;
use super::replay;
use crate::diag::Diagnostic;
use crate::scenario::{self, Catalogue, Entry, Origin, Scenario};
use std::collections::HashMap;
use std::sync::Arc;

/// The scenario chosen for a recording, and what the user should know about the choice.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub entry: Entry,
    /// Set when the recording replays against its own copy although the catalogue holds
    /// another version of the scenario.
    pub note: Option<String>,
}

/// Scenarios compiled from recordings, by content hash: listing a thousand recordings of a few
/// scenarios compiles each scenario once.
#[derive(Debug, Default)]
pub struct SourceCache {
    compiled: HashMap<String, Arc<Scenario>>,
}

impl SourceCache {
    /// The scenario `rec` carries, compiled (once per content hash); `None` when it carries
    /// none (format 1 and 2, or a scenario too large to embed).
    pub fn embedded(&mut self, rec: &Recording) -> Option<Result<Arc<Scenario>, Vec<Diagnostic>>> {
        let src = rec.header.scenario_source.as_deref()?;
        if let Some(s) = self.compiled.get(&rec.header.scenario_hash) {
            return Some(Ok(s.clone()));
        }
        let name = format!("{}#scenario", file_name(rec));
        let compiled = scenario::load_str(src, &name).and_then(|s| {
            if s.meta.id == rec.header.scenario {
                Ok(Arc::new(s))
            } else {
                Err(vec![Diagnostic::whole(
                    &name,
                    format!(
                        "the embedded scenario is `{}` but the header names `{}`: the recording was edited",
                        s.meta.id, rec.header.scenario
                    ),
                )])
            }
        });
        if let Ok(s) = &compiled {
            self.compiled
                .insert(rec.header.scenario_hash.clone(), s.clone());
        }
        Some(compiled)
    }
}

fn file_name(rec: &Recording) -> String {
    rec.path
        .as_ref()
        .map_or_else(|| "recording".into(), |p| p.display().to_string())
}

/// The scenario to replay `rec` against: `chosen` when the user gave one (`--scenario
/// ID|FILE`, which may be a path: the user typed it); else the catalogue's when its content
/// hash is the recorded one; else the source the recording carries; else the catalogue's of
/// the same id (which [`replay::check_scenario`] then refuses unless forced). Nothing named
/// inside a recording is ever opened as a file.
pub fn resolve(
    rec: &Recording,
    catalogue: &Catalogue,
    chosen: Option<&str>,
    cache: &mut SourceCache,
) -> Result<Resolved, Vec<Diagnostic>> {
    if let Some(arg) = chosen {
        return scenario::find(catalogue, arg).map(|entry| Resolved { entry, note: None });
    }
    let id = &rec.header.scenario;
    let listed = catalogue.get(id);
    if let Some(e) = listed
        && e.scenario.content_hash == rec.header.scenario_hash
    {
        return Ok(Resolved {
            entry: e.clone(),
            note: None,
        });
    }
    if let Some(embedded) = cache.embedded(rec) {
        let scenario = embedded?;
        let note = listed.map(|e| {
            format!(
                "scenario `{id}` has changed since this recording was made (recorded content hash {}, \
                 {} has {}); replaying the scenario as recorded (--scenario {id} replays against today's)",
                rec.header.scenario_hash,
                e.origin.label(),
                e.scenario.content_hash
            )
        });
        return Ok(Resolved {
            entry: Entry {
                scenario,
                origin: Origin::Recording(rec.path.clone().unwrap_or_default()),
            },
            note,
        });
    }
    if let Some(e) = listed {
        return Ok(Resolved {
            entry: e.clone(),
            note: None,
        });
    }
    let known: Vec<&str> = catalogue
        .entries
        .iter()
        .map(|e| e.scenario.meta.id.as_str())
        .collect();
    Err(vec![Diagnostic {
        file: file_name(rec),
        line: 1,
        col: 1,
        message: format!(
            "the recording is of scenario `{id}`, which is not in the catalogue (known: {}), and it does not \
             carry the scenario's source (recordings made before format 3 do not); give its file with --scenario FILE",
            known.join(", ")
        ),
    }])
}

/// The scenario a ghost (another run, drawn under the timeline) is rebuilt with: the main
/// replay's when the ghost was recorded against the same text, else the ghost's own copy of
/// the same scenario, so its marks are exactly those of its run. A ghost of another scenario,
/// or of another version without its source, is refused unless `force`.
pub fn ghost_scenario(
    ghost: &Recording,
    main: &Arc<Scenario>,
    force: bool,
    cache: &mut SourceCache,
) -> Result<(Arc<Scenario>, Option<String>), String> {
    let h = &ghost.header;
    if h.scenario == main.meta.id
        && h.scenario_hash != main.content_hash
        && let Some(embedded) = cache.embedded(ghost)
    {
        let s = embedded.map_err(|d| crate::diag::render(&d))?;
        let note = format!(
            "the ghost was recorded against another version of `{}` (content hash {}); it is rebuilt with that version",
            h.scenario, h.scenario_hash
        );
        return Ok((s, Some(note)));
    }
    match replay::check_scenario(h, main) {
        Ok(()) => Ok((main.clone(), None)),
        Err(e) if force => Ok((main.clone(), Some(format!("forced: {e}")))),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::{Action, Drill, Input};
    use crate::record::{Header, Replay, input_line};

    const BAD_DEPLOY: &str = include_str!("../../scenarios/bad-deploy.toml");

    fn renamed(id: &str) -> String {
        BAD_DEPLOY.replacen("id = \"bad-deploy\"", &format!("id = \"{id}\""), 1)
    }

    /// A recording of `src` (ticks and an ack), as the file a recorder writes.
    fn recording_of(src: &str) -> (Recording, Drill) {
        let s = Arc::new(scenario::load_str(src, "x.toml").unwrap());
        let header = Header::new(&s, 7, 60, Vec::new());
        let mut text = format!("{}\n", serde_json::to_string(&header).unwrap());
        let mut drill = Drill::new(s.clone(), 7);
        let join = Action::Join {
            name: "ann".into(),
            role: None,
        };
        let actions: Vec<Action> = [join]
            .into_iter()
            .chain((0..14).map(|_| Action::Tick))
            .chain([Action::Cue { cue: "ack".into() }, Action::Tick])
            .collect();
        for action in &actions {
            let input = Input::new(0, action.clone());
            text.push_str(&input_line(drill.beat, &input));
            text.push('\n');
            drill.apply(&input);
        }
        text.push_str(&crate::record::end_line(actions.len() as u64));
        text.push('\n');
        let mut rec = Recording::parse(text.as_bytes(), "r.jsonl").unwrap();
        rec.path = Some("r.jsonl".into());
        (rec, drill)
    }

    #[test]
    fn a_recording_of_a_scenario_nowhere_in_the_catalogue_replays_from_its_own_copy() {
        let catalogue = Catalogue::load(None);
        let (rec, live) = recording_of(&renamed("my-deploy"));
        let r = resolve(&rec, &catalogue, None, &mut SourceCache::default()).unwrap();
        assert_eq!(r.entry.origin, Origin::Recording("r.jsonl".into()));
        assert!(r.note.is_none());
        let replay = Replay::open(rec, r.entry.scenario, false).unwrap();
        assert_eq!(replay.final_drill().state_hash(), live.state_hash());
        assert!(replay.warnings().is_empty(), "{:?}", replay.warnings());
    }

    #[test]
    fn the_catalogue_copy_is_used_when_it_is_the_same_text_and_the_recorded_one_when_not() {
        let catalogue = Catalogue::load(None);
        let (rec, _) = recording_of(BAD_DEPLOY);
        let r = resolve(&rec, &catalogue, None, &mut SourceCache::default()).unwrap();
        assert_eq!(r.entry.origin, Origin::Bundled);
        // The scenario was edited since: the recording replays as it was, and says so.
        let edited = BAD_DEPLOY.replacen("length_bars", "# edited\nlength_bars", 1);
        assert_ne!(edited, BAD_DEPLOY);
        let (rec, live) = recording_of(&edited);
        let r = resolve(&rec, &catalogue, None, &mut SourceCache::default()).unwrap();
        assert!(matches!(r.entry.origin, Origin::Recording(_)));
        let note = r.note.unwrap();
        assert!(
            note.contains("has changed") && note.contains("--scenario bad-deploy"),
            "{note}"
        );
        let replay = Replay::open(rec.clone(), r.entry.scenario, false).unwrap();
        assert_eq!(replay.final_drill().state_hash(), live.state_hash());
        // `--scenario` still replays against today's, refused as before unless forced.
        let r = resolve(
            &rec,
            &catalogue,
            Some("bad-deploy"),
            &mut SourceCache::default(),
        )
        .unwrap();
        let e = Replay::open(rec, r.entry.scenario, false).unwrap_err();
        assert!(e.to_string().contains("has changed since"), "{e}");
    }

    #[test]
    fn an_embedded_scenario_that_does_not_load_is_reported_inside_the_recording() {
        let catalogue = Catalogue::load(None);
        let (mut rec, _) = recording_of(&renamed("my-deploy"));
        // A source that passed its hash check but does not compile (written by hand, or by a
        // later gamelan with fields this one does not know).
        let bad = renamed("my-deploy").replacen("[tempo]", "[tempo]\nswing = 3", 1);
        rec.header.scenario_hash = scenario::content_hash(&bad);
        rec.header.scenario_source = Some(bad.clone());
        let d = resolve(&rec, &catalogue, None, &mut SourceCache::default()).unwrap_err();
        let line = bad.lines().position(|l| l == "swing = 3").unwrap() + 1;
        assert_eq!(d[0].file, "r.jsonl#scenario");
        assert_eq!((d[0].line, d[0].col), (line, 1), "{}", d[0]);
        // A recording without a source of a scenario the catalogue lacks says what to do.
        rec.header.scenario_source = None;
        let d = resolve(&rec, &catalogue, None, &mut SourceCache::default()).unwrap_err();
        assert!(d[0].message.contains("--scenario FILE"), "{}", d[0]);
    }

    #[test]
    fn a_ghost_of_another_version_is_rebuilt_with_its_own_copy() {
        let main = scenario::bundled()
            .into_iter()
            .find(|e| e.scenario.meta.id == "bad-deploy")
            .unwrap()
            .scenario;
        let edited = BAD_DEPLOY.replacen("length_bars", "# edited\nlength_bars", 1);
        let (ghost, live) = recording_of(&edited);
        let mut cache = SourceCache::default();
        let (s, note) = ghost_scenario(&ghost, &main, false, &mut cache).unwrap();
        assert_eq!(s.content_hash, scenario::content_hash(&edited));
        assert!(note.unwrap().contains("another version"));
        let rebuilt = replay::rebuild(&ghost, s);
        assert_eq!(rebuilt.state_hash(), live.state_hash());
        // Of another scenario: refused unless forced.
        let (other, _) = recording_of(&renamed("my-deploy"));
        assert!(ghost_scenario(&other, &main, false, &mut cache).is_err());
        assert!(ghost_scenario(&other, &main, true, &mut cache).is_ok());
    }
}
