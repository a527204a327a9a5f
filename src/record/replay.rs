//! Replay: rebuild a drill from a recording, seek to any beat, fork, and extract a ghost.
//!
//! **The state at beat B** is the drill after every input applied while it stood at beat B
//! (cues, notes, joins, no-op ticks while paused…), just before the tick that takes it to
//! B + 1. It is what a live drill showed at the end of beat B, and what
//! `headless::run(.., Some(B))` leaves behind. Beats are the drill's own, as rebuilt: a drill
//! that ended at beat E stays at E.
//!
//! Seeking is fast because the first full replay keeps a snapshot every [`SNAPSHOT_EVERY`]
//! beats (without its log, which only ever grows: a snapshot's log is a prefix of the final
//! one) and, per beat, how many inputs and log entries it took to get there. A seek clones the
//! nearest snapshot at or before the beat, restores the log prefix and applies at most
//! `SNAPSHOT_EVERY` beats of inputs.
//!
//! A snapshot costs as much as the state it copies, so a drill with a large state (thousands
//! of seats) is snapshotted more sparsely: only once at least [`snapshot_weight`] inputs were
//! applied since the last one. Opening a replay then stays linear in the recording, and a seek
//! applies no more inputs than the clone it starts from costs anyway.

use super::{Header, Parent, Recorded, Recorder, Recording};
use crate::drill::{Action, Drill, Event, LogEntry, SeatId, Status};
use crate::scenario::{Mark, Scenario};
use serde::Serialize;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// Beats between snapshots.
pub const SNAPSHOT_EVERY: u64 = 32;

/// Why a recording cannot be replayed against a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayError {
    /// The recording is of another scenario.
    OtherScenario { recorded: String, given: String },
    /// The scenario file changed since the recording was made.
    ScenarioChanged {
        scenario: String,
        recorded: String,
        current: String,
    },
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::OtherScenario { recorded, given } => write!(
                f,
                "this recording is of scenario `{recorded}`, not `{given}`; use --force to replay it against `{given}` anyway"
            ),
            ReplayError::ScenarioChanged {
                scenario,
                recorded,
                current,
            } => write!(
                f,
                "scenario `{scenario}` has changed since this recording was made (recorded content hash {recorded}, \
                 current content hash {current}); replaying it may not reproduce the drill. Use --force to replay anyway"
            ),
        }
    }
}

impl std::error::Error for ReplayError {}

/// Refuses a recording made against another scenario or another version of this one.
pub fn check_scenario(header: &Header, scenario: &Scenario) -> Result<(), ReplayError> {
    if header.scenario != scenario.meta.id {
        return Err(ReplayError::OtherScenario {
            recorded: header.scenario.clone(),
            given: scenario.meta.id.clone(),
        });
    }
    if header.scenario_hash != scenario.content_hash {
        return Err(ReplayError::ScenarioChanged {
            scenario: scenario.meta.id.clone(),
            recorded: header.scenario_hash.clone(),
            current: scenario.content_hash.clone(),
        });
    }
    Ok(())
}

/// The drill a recording starts from: the scenario, seed and start tempo of its header.
pub fn initial_drill(header: &Header, scenario: Arc<Scenario>) -> Drill {
    let mut drill = Drill::new(scenario, header.seed);
    drill.bpm = header.tempo;
    drill
}

/// The state after every input of `recording`, replayed straight through (no snapshots and
/// no scenario check: see [`check_scenario`]).
pub fn rebuild(recording: &Recording, scenario: Arc<Scenario>) -> Drill {
    let mut drill = initial_drill(&recording.header, scenario);
    for r in &recording.inputs {
        drill.apply(&r.input);
    }
    drill
}

/// A recording rebuilt, ready to seek.
#[derive(Debug, Clone)]
pub struct Replay {
    recording: Recording,
    /// `ends[b]`: how many inputs make up the state at beat b (len = last beat + 1).
    ends: Vec<usize>,
    /// `log_ends[b]`: the log's length in the state at beat b.
    log_ends: Vec<usize>,
    /// `(beat, the state at that beat with an empty log)`, ascending; the first is at beat 0.
    snapshots: Vec<(u64, Drill)>,
    /// The state after every input.
    last: Drill,
    /// Beats with a cue or an inject, ascending, no repeats.
    event_beats: Vec<u64>,
    /// The cursor for the console: the state at beat `pos`.
    cursor: Drill,
    pos: u64,
    warnings: Vec<String>,
}

impl Replay {
    /// Rebuilds `recording` against `scenario`. Refuses another scenario, or a changed one,
    /// unless `force`; a forced replay notes the mismatch in [`Replay::warnings`].
    pub fn open(
        recording: Recording,
        scenario: Arc<Scenario>,
        force: bool,
    ) -> Result<Replay, ReplayError> {
        let mut warnings: Vec<String> =
            recording.warnings.iter().map(ToString::to_string).collect();
        if let Some(note) = recording.completeness.note() {
            warnings.push(format!(
                "the recording is {note}: it stopped before it was closed (a crash, a kill or a write error), \
                 so the drill may have gone on after beat {}",
                recording.last_recorded_beat()
            ));
        }
        if let Err(e) = check_scenario(&recording.header, &scenario) {
            if !force {
                return Err(e);
            }
            warnings.push(format!("forced: {e}"));
        }
        let mut drill = initial_drill(&recording.header, scenario);
        let mut index = Index::default();
        let mut diverged = false;
        for (i, rec) in recording.inputs.iter().enumerate() {
            if rec.beat != drill.beat && !diverged {
                diverged = true;
                warnings.push(format!(
                    "input {} was recorded at beat {} but the rebuilt drill is at beat {}; from there on the replay \
                     differs from the recorded drill",
                    i + 1,
                    rec.beat,
                    drill.beat
                ));
            }
            if rec.input.action == Action::Tick && drill.status == Status::Running {
                // This tick ends the current beat: everything so far is the state at it.
                index.close_beat(&mut drill, i);
            }
            drill.apply(&rec.input);
        }
        index.close_beat(&mut drill, recording.inputs.len());
        let Index {
            ends,
            log_ends,
            snapshots,
            ..
        } = index;
        let event_beats = event_beats(&drill.log);
        let cursor = restore(&snapshots[0].1, &drill.log[..log_ends[0]]);
        Ok(Replay {
            recording,
            ends,
            log_ends,
            snapshots,
            last: drill,
            event_beats,
            cursor,
            pos: 0,
            warnings,
        })
    }

    pub fn header(&self) -> &Header {
        &self.recording.header
    }

    pub fn recording(&self) -> &Recording {
        &self.recording
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.last.scenario
    }

    /// Problems found while reading and rebuilding (torn final line, forced mismatch,
    /// divergence from the recorded beats).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The last beat of the recording (where the drill ended or the recording stopped).
    pub fn last_beat(&self) -> u64 {
        self.ends.len() as u64 - 1
    }

    /// The state after every recorded input.
    pub fn final_drill(&self) -> &Drill {
        &self.last
    }

    /// Beats where a cue was applied or landed, or an inject fired; ascending.
    pub fn event_beats(&self) -> &[u64] {
        &self.event_beats
    }

    /// The first event beat after `beat`.
    pub fn event_after(&self, beat: u64) -> Option<u64> {
        let i = self.event_beats.partition_point(|b| *b <= beat);
        self.event_beats.get(i).copied()
    }

    /// The last event beat before `beat`.
    pub fn event_before(&self, beat: u64) -> Option<u64> {
        let i = self.event_beats.partition_point(|b| *b < beat);
        i.checked_sub(1).map(|i| self.event_beats[i])
    }

    /// The state at `beat` (clamped to the last beat), built afresh; see the module notes.
    pub fn state_at(&self, beat: u64) -> Drill {
        let beat = beat.min(self.last_beat());
        let (from, snapshot) = &self.snapshots[self.snapshot_index(beat)];
        let mut drill = restore(snapshot, &self.last.log[..self.log_ends[*from as usize]]);
        self.advance(&mut drill, *from, beat);
        drill
    }

    /// The index of the last snapshot at or before `beat`.
    fn snapshot_index(&self, beat: u64) -> usize {
        // The first snapshot is at beat 0, so the point is at least 1.
        self.snapshots.partition_point(|(b, _)| *b <= beat) - 1
    }

    /// Applies the inputs that take the state at `from` to the state at `to`.
    fn advance(&self, drill: &mut Drill, from: u64, to: u64) {
        advance(&self.recording.inputs, &self.ends, drill, from, to);
        debug_assert_eq!(drill.log.len(), self.log_ends[to as usize]);
    }

    /// The beat the cursor is at.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// The state at the cursor.
    pub fn drill(&self) -> &Drill {
        &self.cursor
    }

    /// Moves the cursor to `beat` (clamped to the recording) and returns the state there.
    /// Moving forward by less than a snapshot interval continues from the cursor.
    pub fn seek(&mut self, beat: u64) -> &Drill {
        let beat = beat.min(self.last_beat());
        if beat >= self.pos && self.snapshot_index(beat) == self.snapshot_index(self.pos) {
            // Same snapshot interval, forward: continuing from the cursor is never slower.
            advance(
                &self.recording.inputs,
                &self.ends,
                &mut self.cursor,
                self.pos,
                beat,
            );
        } else if beat != self.pos {
            self.cursor = self.state_at(beat);
        }
        self.pos = beat;
        &self.cursor
    }

    /// Moves the cursor by `delta` beats (negative goes back), clamped to the recording.
    pub fn step(&mut self, delta: i64) -> &Drill {
        let beat = self.pos.saturating_add_signed(delta);
        self.seek(beat)
    }

    /// Moves the cursor to the next beat with a cue or inject; `None` (cursor unmoved) when
    /// there is none.
    pub fn next_event(&mut self) -> Option<u64> {
        let beat = self.event_after(self.pos)?;
        self.seek(beat);
        Some(beat)
    }

    /// Moves the cursor to the previous beat with a cue or inject.
    pub fn prev_event(&mut self) -> Option<u64> {
        let beat = self.event_before(self.pos)?;
        self.seek(beat);
        Some(beat)
    }

    /// Moves the cursor to the first beat of `bar` (1-based, as musicians count; clamped).
    pub fn jump_to_bar(&mut self, bar: u64) -> u64 {
        let bpb = u64::from(self.last.scenario.tempo.beats_per_bar.max(1));
        self.seek(bar.saturating_sub(1).saturating_mul(bpb));
        self.pos
    }

    /// The inputs that make up the state at `beat` (clamped), in order.
    pub fn inputs_until(&self, beat: u64) -> &[Recorded] {
        &self.recording.inputs[..self.ends[beat.min(self.last_beat()) as usize]]
    }

    /// Branches off at `beat`: the state there and the inputs that led to it, so a live drill
    /// can continue from it. [`Fork::record_to`] starts the new recording.
    pub fn fork(&self, beat: u64) -> Fork {
        let beat = beat.min(self.last_beat());
        let parent = self.recording.path.as_ref().map(|p| {
            let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
            Parent {
                recording: p.display().to_string(),
                beat,
            }
        });
        let old = &self.recording.header;
        let mut header = Header::new(&self.last.scenario, old.seed, old.tempo, old.seats.clone());
        header.parent = parent.or_else(|| {
            Some(Parent {
                recording: "(not saved)".into(),
                beat,
            })
        });
        Fork {
            drill: self.state_at(beat),
            inputs: self.inputs_until(beat).to_vec(),
            header,
        }
    }
}

fn advance(inputs: &[Recorded], ends: &[usize], drill: &mut Drill, from: u64, to: u64) {
    for rec in &inputs[ends[from as usize]..ends[to as usize]] {
        drill.apply(&rec.input);
    }
}

/// What [`Replay::open`] builds as it goes: per beat, the inputs and log entries that make up
/// its state, and the snapshots.
#[derive(Default)]
struct Index {
    ends: Vec<usize>,
    log_ends: Vec<usize>,
    snapshots: Vec<(u64, Drill)>,
    /// Inputs applied when the last snapshot was taken.
    snapped_at: usize,
}

impl Index {
    /// Ends the drill's current beat after `inputs` inputs; snapshots it when due.
    fn close_beat(&mut self, drill: &mut Drill, inputs: usize) {
        self.ends.push(inputs);
        self.log_ends.push(drill.log.len());
        let due = drill.beat.is_multiple_of(SNAPSHOT_EVERY)
            && inputs - self.snapped_at >= snapshot_weight(drill);
        if self.snapshots.is_empty() || due {
            // The log only grows, so a snapshot leaves it out and takes a prefix of the final one.
            let log = std::mem::take(&mut drill.log);
            self.snapshots.push((drill.beat, drill.clone()));
            drill.log = log;
            self.snapped_at = inputs;
        }
    }
}

/// How many inputs a snapshot of `drill` is worth: copying a seat or an effect costs about a
/// sixteenth of applying an input, so a small drill is snapshotted every [`SNAPSHOT_EVERY`]
/// beats and one with 100,000 seats every 6,250 inputs.
pub fn snapshot_weight(drill: &Drill) -> usize {
    (drill.seats.len() + drill.effects.len()) / 16
}

fn restore(snapshot: &Drill, log: &[LogEntry]) -> Drill {
    let mut drill = snapshot.clone();
    drill.log = log.to_vec();
    drill
}

fn event_beats(log: &[LogEntry]) -> Vec<u64> {
    let mut beats: Vec<u64> = log
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::InjectFired { .. } | Event::CueApplied { .. } | Event::CueLanded { .. }
            )
        })
        .map(|e| e.beat)
        .collect();
    beats.dedup();
    beats
}

/// A branch of a recording: continue `drill` live, recording with [`Fork::record_to`].
#[derive(Debug, Clone)]
pub struct Fork {
    /// The state at the fork beat.
    pub drill: Drill,
    /// The inputs that led there (the new recording starts with them, so it stands alone).
    pub inputs: Vec<Recorded>,
    /// The new recording's header: same scenario, seed and tempo; `parent` names the
    /// recording and beat it branched from; started now.
    pub header: Header,
}

impl Fork {
    /// Creates the fork's recording: its header, then the inputs so far. Record every new
    /// input with the returned recorder.
    pub fn record_to(&self, path: &Path) -> std::io::Result<Recorder> {
        let mut rec = Recorder::create(path, &self.header)?;
        for r in &self.inputs {
            rec.record(r.beat, &r.input)?;
        }
        Ok(rec)
    }
}

/// What a reference run did, for the console to overlay on the timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ghost {
    /// Lifecycle marks reached, in order of beat.
    pub marks: Vec<(Mark, u64)>,
    /// Cues applied, in order.
    pub cues: Vec<GhostCue>,
    /// The beat the reference run ended (or stopped).
    pub last_beat: u64,
}

/// One cue of a ghost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GhostCue {
    pub beat: u64,
    /// Index into the scenario's cues.
    pub cue: usize,
    /// The cue's id.
    pub id: String,
    pub seat: SeatId,
}

impl Ghost {
    /// The marks and cues of a finished (or stopped) drill.
    pub fn from_drill(drill: &Drill) -> Ghost {
        let mut marks: Vec<(Mark, u64)> = Mark::ALL
            .iter()
            .filter_map(|m| drill.marks[m.index()].map(|b| (*m, b)))
            .collect();
        marks.sort_by_key(|(m, b)| (*b, *m));
        let cues = drill
            .log
            .iter()
            .filter_map(|e| match e.event {
                Event::CueApplied { seat, cue } => Some(GhostCue {
                    beat: e.beat,
                    cue,
                    id: drill
                        .scenario
                        .cues
                        .get(cue)
                        .map_or_else(String::new, |c| c.id.clone()),
                    seat,
                }),
                _ => None,
            })
            .collect();
        Ghost {
            marks,
            cues,
            last_beat: drill.beat,
        }
    }

    /// Replays another recording of the same scenario and extracts its marks and cues.
    pub fn from_recording(
        recording: &Recording,
        scenario: Arc<Scenario>,
        force: bool,
    ) -> Result<Ghost, ReplayError> {
        if let Err(e) = check_scenario(&recording.header, &scenario)
            && !force
        {
            return Err(e);
        }
        Ok(Ghost::from_drill(&rebuild(recording, scenario)))
    }
}
