//! The drill core: `apply(&mut Drill, &Input) -> Vec<LogEntry>`. Pure and deterministic: it
//! advances on logical beats (one `Tick` per beat), draws randomness only from its seeded
//! generator, and knows nothing of terminals, sockets or clocks. The same scenario, seed and
//! inputs always give the same state, which is what recordings, replay and fork rely on.

mod effects;
mod rng;

pub use effects::ActiveEffect;
pub use rng::Rng;

use crate::scenario::{Effect, EffectOrigin, Mark, Measure, Scenario};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// Values of each signal kept for charts.
pub const HISTORY: usize = 512;

/// Identifies a seat within one drill.
pub type SeatId = u32;

/// Everything that can happen to a drill, as one value: the unit of recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Action {
    /// The metronome: advance one beat.
    Tick,
    Cue {
        cue: String,
    },
    Note {
        text: String,
    },
    Pause,
    Resume,
    Tempo {
        bpm: u32,
    },
    /// Reveal the next rung of the hint ladder.
    Hint,
    /// Fire a contingency inject by hand.
    Fire {
        inject: String,
    },
    /// A seat joins; `role: None` plays every role (a solo player).
    Join {
        name: String,
        role: Option<String>,
    },
    Leave,
    End {
        reason: String,
    },
}

/// An action from a seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub seat: SeatId,
    #[serde(flatten)]
    pub action: Action,
}

impl Input {
    pub fn new(seat: SeatId, action: Action) -> Input {
        Input { seat, action }
    }
}

/// What the core reports; the drill's log is the list of these, and the debrief folds over it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    InjectFired {
        inject: usize,
        by_hand: bool,
    },
    InjectSkipped {
        inject: usize,
    },
    AlertFiring {
        alert: usize,
    },
    AlertResolved {
        alert: usize,
    },
    CueApplied {
        seat: SeatId,
        cue: usize,
    },
    CueLanded {
        seat: SeatId,
        cue: usize,
    },
    Marked {
        mark: Mark,
    },
    Note {
        seat: SeatId,
        text: String,
    },
    Hint {
        seat: SeatId,
        index: usize,
    },
    HerringFollowed {
        seat: SeatId,
        herring: usize,
    },
    Objective {
        objective: usize,
        met: bool,
    },
    Paused {
        seat: SeatId,
    },
    Resumed {
        seat: SeatId,
    },
    Tempo {
        seat: SeatId,
        bpm: u32,
    },
    Joined {
        seat: SeatId,
    },
    Left {
        seat: SeatId,
    },
    Rejected {
        seat: SeatId,
        what: String,
        reason: String,
    },
    Ended {
        reason: String,
    },
}

/// One event at the beat it happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    pub beat: u64,
    #[serde(flatten)]
    pub event: Event,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Status {
    Running,
    Paused,
    Ended(String),
}

/// A participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeatInfo {
    pub id: SeatId,
    pub name: String,
    pub role: Option<String>,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalState {
    pub value: f64,
    pub history: VecDeque<f32>,
    /// Sum of bad fractions (ratio SLOs) or bad beats (healthy SLOs).
    pub bad: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AlertState {
    pub pending: u32,
    pub firing_since: Option<u64>,
    pub times_fired: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    Pending,
    Met(u64),
    Missed(u64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct PendingCue {
    land: u64,
    cue: usize,
    seat: SeatId,
}

/// The whole state of one drill.
#[derive(Debug, Clone, Serialize)]
pub struct Drill {
    #[serde(skip)]
    pub scenario: Arc<Scenario>,
    pub seed: u64,
    pub beat: u64,
    pub bpm: u32,
    pub status: Status,
    rng: Rng,
    pub signals: Vec<SignalState>,
    pub effects: Vec<ActiveEffect>,
    pub alerts: Vec<AlertState>,
    /// Per inject: whether it has fired (or was skipped by its condition).
    pub injects_done: Vec<bool>,
    pending: Vec<PendingCue>,
    /// Per cue: the beat it was first applied.
    pub cues_done: Vec<Option<u64>>,
    pub marks: [Option<u64>; 4],
    /// Per runbook page: visible to the players.
    pub revealed: Vec<bool>,
    pub open_page: Option<usize>,
    pub hints_shown: usize,
    pub herrings: Vec<Option<u64>>,
    pub objectives: Vec<Verdict>,
    pub seats: Vec<SeatInfo>,
    /// Where each seat is in `seats`, so a drill with many seats stays linear to replay.
    #[serde(skip)]
    seat_index: HashMap<SeatId, usize>,
    pub log: Vec<LogEntry>,
}

impl Drill {
    /// A drill at beat 0 with the downbeat already played: injects due at 0 have fired and
    /// signals hold their first values.
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Drill {
        let s = &scenario;
        let mut drill = Drill {
            seed,
            beat: 0,
            bpm: s.tempo.bpm,
            status: Status::Running,
            rng: Rng::new(seed),
            signals: s
                .signals
                .iter()
                .map(|sig| SignalState {
                    value: sig.base(0),
                    history: VecDeque::with_capacity(HISTORY),
                    bad: 0.0,
                })
                .collect(),
            effects: Vec::new(),
            alerts: vec![AlertState::default(); s.alerts.len()],
            injects_done: vec![false; s.injects.len()],
            pending: Vec::new(),
            cues_done: vec![None; s.cues.len()],
            marks: [None; 4],
            revealed: s.runbook.iter().map(|p| !p.hidden).collect(),
            open_page: s.runbook.iter().position(|p| !p.hidden),
            hints_shown: 0,
            herrings: vec![None; s.red_herrings.len()],
            objectives: vec![Verdict::Pending; s.objectives.len()],
            seats: Vec::new(),
            seat_index: HashMap::new(),
            log: Vec::new(),
            scenario: scenario.clone(),
        };
        drill.play_beat();
        drill
    }

    /// Applies one input and returns what it caused. Never panics on any input.
    pub fn apply(&mut self, input: &Input) -> Vec<LogEntry> {
        let start = self.log.len();
        self.dispatch(input);
        self.log[start..].to_vec()
    }

    fn dispatch(&mut self, input: &Input) {
        let seat = input.seat;
        match &input.action {
            Action::Join { name, role } => return self.join(seat, name, role.as_deref()),
            Action::Tick => {
                if self.status == Status::Running {
                    self.beat += 1;
                    self.play_beat();
                }
                return;
            }
            _ => {}
        }
        let Some(seat_info) = self.seat_pos(seat).map(|i| &self.seats[i]) else {
            return self.reject(seat, "input", "this seat has not joined the drill");
        };
        let facilitator = match &seat_info.role {
            None => true,
            Some(r) => self.scenario.role(r).is_some_and(|r| r.facilitator),
        };
        if matches!(self.status, Status::Ended(_))
            && !matches!(input.action, Action::Note { .. } | Action::Leave)
        {
            return self.reject(seat, "input", "the drill has ended");
        }
        match &input.action {
            Action::Tick | Action::Join { .. } => {}
            Action::Cue { cue } => self.cue(seat, cue),
            Action::Note { text } => {
                let text: String = text
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(2000)
                    .collect();
                self.push(Event::Note { seat, text });
            }
            Action::Leave => {
                // Idempotent: a seat that already left stays gone, silently.
                if let Some(s) = self.seat_pos(seat).map(|i| &mut self.seats[i])
                    && s.present
                {
                    s.present = false;
                    self.push(Event::Left { seat });
                }
            }
            _ if !facilitator => self.reject(
                seat,
                action_name(&input.action),
                "only a facilitator can do that",
            ),
            Action::Pause => {
                if self.status == Status::Running {
                    self.status = Status::Paused;
                    self.push(Event::Paused { seat });
                }
            }
            Action::Resume => {
                if self.status == Status::Paused {
                    self.status = Status::Running;
                    self.push(Event::Resumed { seat });
                }
            }
            Action::Tempo { bpm } => {
                self.bpm = (*bpm).clamp(10, 600);
                self.push(Event::Tempo {
                    seat,
                    bpm: self.bpm,
                });
            }
            Action::Hint => self.hint(seat),
            Action::Fire { inject } => self.fire_by_hand(seat, inject),
            Action::End { reason } => self.end(reason.clone()),
        }
        // A cue or mark can meet an objective at once; judge it at this beat, not the next.
        if !self.is_ended() {
            self.evaluate_objectives(false);
        }
    }

    fn push(&mut self, event: Event) {
        self.log.push(LogEntry {
            beat: self.beat,
            event,
        });
    }

    fn reject(&mut self, seat: SeatId, what: &str, reason: &str) {
        self.push(Event::Rejected {
            seat,
            what: what.to_string(),
            reason: reason.to_string(),
        });
    }

    fn join(&mut self, seat: SeatId, name: &str, role: Option<&str>) {
        if let Some(r) = role
            && self.scenario.role(r).is_none()
        {
            return self.reject(seat, "join", &format!("no role `{r}` in this scenario"));
        }
        let name = seat_name(name);
        let info = SeatInfo {
            id: seat,
            name,
            role: role.map(str::to_string),
            present: true,
        };
        if self.seat_index.len() != self.seats.len() {
            // `seats` was changed from outside the core: index it afresh.
            self.seat_index = (self.seats.iter().enumerate())
                .map(|(i, s)| (s.id, i))
                .collect();
        }
        match self.seat_pos(seat) {
            Some(i) => self.seats[i] = info,
            None => {
                self.seat_index.insert(seat, self.seats.len());
                self.seats.push(info);
            }
        }
        self.push(Event::Joined { seat });
    }

    /// Where seat `id` is in `seats`: through the index, or by a scan when `seats` was changed
    /// from outside the core and no longer matches it.
    fn seat_pos(&self, id: SeatId) -> Option<usize> {
        match self.seat_index.get(&id) {
            Some(&i) if self.seats.get(i).is_some_and(|s| s.id == id) => Some(i),
            None if self.seat_index.len() == self.seats.len() => None,
            _ => self.seats.iter().position(|s| s.id == id),
        }
    }

    /// Everything that happens on the current beat, in a fixed order.
    fn play_beat(&mut self) {
        let beat = self.beat;
        let due: Vec<PendingCue> = self
            .pending
            .iter()
            .filter(|p| p.land <= beat)
            .cloned()
            .collect();
        self.pending.retain(|p| p.land > beat);
        for p in due {
            self.land(p.seat, p.cue);
        }
        for i in 0..self.scenario.injects.len() {
            let inj = &self.scenario.injects[i];
            if !self.injects_done[i] && !inj.contingency && inj.at == Some(beat) {
                self.injects_done[i] = true;
                let fire = inj
                    .when
                    .is_none_or(|c| self.cue_done_by(c.cue, c.by.unwrap_or(beat)) == c.done);
                if fire {
                    self.fire(i, false);
                } else {
                    self.push(Event::InjectSkipped { inject: i });
                }
            }
        }
        self.effects.retain(|e| !e.finished(beat));
        self.sample_signals();
        self.evaluate_alerts();
        self.evaluate_objectives(false);
        if self.status == Status::Running && beat + 1 >= self.scenario.length_beats {
            self.end("time".into());
        }
    }

    fn sample_signals(&mut self) {
        let beat = self.beat;
        let scenario = self.scenario.clone();
        for (i, def) in scenario.signals.iter().enumerate() {
            let noise = self.rng.gauss() * def.noise;
            let target = effects::shape(def.base(beat), &self.effects, i, beat) + noise;
            let st = &mut self.signals[i];
            let value = if beat == 0 {
                target
            } else {
                st.value + (target - st.value) * (1.0 - def.inertia)
            };
            st.value = value.clamp(def.min, def.max);
            if st.history.len() == HISTORY {
                st.history.pop_front();
            }
            st.history.push_back(st.value as f32);
            if let Some(slo) = def.slo {
                st.bad += match slo.measure {
                    crate::scenario::SloMeasure::Ratio => (st.value / 100.0).clamp(0.0, 1.0),
                    crate::scenario::SloMeasure::Healthy => {
                        f64::from(u8::from(!def.is_healthy(st.value)))
                    }
                };
            }
        }
    }

    fn evaluate_alerts(&mut self) {
        let scenario = self.scenario.clone();
        for (i, def) in scenario.alerts.iter().enumerate() {
            let breached = def.breached(self.signals[def.signal].value);
            let st = &mut self.alerts[i];
            if breached {
                st.pending = st.pending.saturating_add(1);
                if st.pending >= def.for_beats && st.firing_since.is_none() {
                    st.firing_since = Some(self.beat);
                    st.times_fired += 1;
                    self.push(Event::AlertFiring { alert: i });
                    for m in &def.marks {
                        self.mark(*m);
                    }
                }
            } else {
                st.pending = 0;
                if st.firing_since.take().is_some() {
                    self.push(Event::AlertResolved { alert: i });
                }
            }
        }
    }

    fn cue_done_by(&self, cue: usize, by: u64) -> bool {
        self.cues_done[cue].is_some_and(|b| b <= by)
    }

    fn cue(&mut self, seat: SeatId, id: &str) {
        let scenario = self.scenario.clone();
        let Some(ci) = scenario.cue_index(id) else {
            return self.reject(seat, id, "no such cue in this scenario");
        };
        let cue = &scenario.cues[ci];
        let role = self.seat_pos(seat).and_then(|i| self.seats[i].role.clone());
        if let Some(role) = &role
            && !cue.roles.is_empty()
            && !cue.roles.contains(role)
        {
            return self.reject(
                seat,
                id,
                &format!("only {} can do this", cue.roles.join(" or ")),
            );
        }
        if let Some(busy) = cue
            .requires
            .iter()
            .find(|r| self.pending.iter().any(|p| p.cue == **r))
        {
            let label = &scenario.cues[*busy].label;
            return self.reject(seat, id, &format!("waiting for `{label}` to finish"));
        }
        if let Some(missing) = cue.requires.iter().find(|r| self.cues_done[**r].is_none()) {
            return self.reject(
                seat,
                id,
                &format!("needs `{}` first", scenario.cues[*missing].label),
            );
        }
        if !cue.repeatable && self.cues_done[ci].is_some() {
            return self.reject(seat, id, "already done");
        }
        self.cues_done[ci].get_or_insert(self.beat);
        self.push(Event::CueApplied { seat, cue: ci });
        for (hi, h) in scenario.red_herrings.iter().enumerate() {
            if h.cues.contains(&ci) && self.herrings[hi].is_none() {
                self.herrings[hi] = Some(self.beat);
                self.push(Event::HerringFollowed { seat, herring: hi });
            }
        }
        if cue.delay_beats == 0 {
            self.land(seat, ci);
        } else {
            self.pending.push(PendingCue {
                land: self.beat + u64::from(cue.delay_beats),
                cue: ci,
                seat,
            });
        }
    }

    fn land(&mut self, seat: SeatId, ci: usize) {
        let scenario = self.scenario.clone();
        let cue = &scenario.cues[ci];
        self.push(Event::CueLanded { seat, cue: ci });
        self.start_effects(&cue.effects, EffectOrigin::Cue(ci));
        for (n, page) in cue.reveals.iter().enumerate() {
            self.revealed[*page] = true;
            if n == 0 {
                self.open_page = Some(*page);
            }
        }
        for m in &cue.marks {
            self.mark(*m);
        }
    }

    fn mark(&mut self, mark: Mark) {
        let slot = &mut self.marks[mark.index()];
        if slot.is_none() {
            *slot = Some(self.beat);
            self.push(Event::Marked { mark });
            if mark == Mark::Resolved && self.status != Status::Ended("resolved".into()) {
                self.evaluate_objectives(false);
                self.end("resolved".into());
            }
        }
    }

    fn fire(&mut self, i: usize, by_hand: bool) {
        self.push(Event::InjectFired { inject: i, by_hand });
        let effects = self.scenario.injects[i].effects.clone();
        self.start_effects(&effects, EffectOrigin::Inject(i));
    }

    fn fire_by_hand(&mut self, seat: SeatId, id: &str) {
        match self.scenario.inject_index(id) {
            Some(i) if self.scenario.injects[i].contingency && !self.injects_done[i] => {
                self.injects_done[i] = true;
                self.fire(i, true);
            }
            Some(i) if self.scenario.injects[i].contingency => {
                self.reject(seat, id, "already fired")
            }
            Some(_) => self.reject(seat, id, "only contingency injects can be fired by hand"),
            None => self.reject(seat, id, "no such inject"),
        }
    }

    fn start_effects(&mut self, effects: &[Effect], origin: EffectOrigin) {
        let beat = self.beat;
        for e in effects {
            match *e {
                Effect::Shape {
                    signal,
                    op,
                    attack,
                    sustain,
                    release,
                } => self.effects.push(ActiveEffect {
                    origin,
                    signal,
                    op,
                    start: beat,
                    attack,
                    end: sustain.map(|s| beat + u64::from(attack) + u64::from(s)),
                    release,
                }),
                Effect::Clear {
                    source,
                    signal,
                    release,
                } => {
                    for a in &mut self.effects {
                        let matches = source.is_none_or(|s| s == a.origin)
                            && signal.is_none_or(|s| s == a.signal);
                        if matches && a.origin != origin {
                            a.clear(beat, release);
                        }
                    }
                }
            }
        }
    }

    fn hint(&mut self, seat: SeatId) {
        match self.scenario.hints.get(self.hints_shown) {
            Some(h) if h.after <= self.beat => {
                self.push(Event::Hint {
                    seat,
                    index: self.hints_shown,
                });
                self.hints_shown += 1;
            }
            Some(h) => {
                let when = self.scenario.bar_beat(h.after);
                self.reject(seat, "hint", &format!("the next hint opens at {when}"));
            }
            None => self.reject(seat, "hint", "no more hints"),
        }
    }

    fn end(&mut self, reason: String) {
        if matches!(self.status, Status::Ended(_)) {
            return;
        }
        self.status = Status::Ended(reason.clone());
        self.evaluate_objectives(true);
        self.push(Event::Ended { reason });
    }

    fn evaluate_objectives(&mut self, at_end: bool) {
        let scenario = self.scenario.clone();
        let beat = self.beat;
        for (i, o) in scenario.objectives.iter().enumerate() {
            if self.objectives[i] != Verdict::Pending {
                continue;
            }
            let within = |done: Option<u64>, by: Option<u64>| {
                done.is_some_and(|d| by.is_none_or(|by| d <= by))
            };
            let late = |by: Option<u64>| by.is_some_and(|by| beat > by);
            let mut when = beat;
            let verdict = match o.measure {
                Measure::MarkBy { mark, by } => {
                    let done = self.marks[mark.index()];
                    if within(done, by) {
                        when = done.unwrap_or(beat);
                        Some(true)
                    } else if late(by) || at_end {
                        Some(false)
                    } else {
                        None
                    }
                }
                Measure::CueBy { cue, by } => {
                    if within(self.cues_done[cue], by) {
                        when = self.cues_done[cue].unwrap_or(beat);
                        Some(true)
                    } else if late(by) || at_end {
                        Some(false)
                    } else {
                        None
                    }
                }
                Measure::AvoidCue { cue } => {
                    if self.cues_done[cue].is_some() {
                        Some(false)
                    } else if at_end {
                        Some(true)
                    } else {
                        None
                    }
                }
                Measure::HealthyBy { signal, by } => (beat >= by || at_end)
                    .then(|| scenario.signals[signal].is_healthy(self.signals[signal].value)),
                Measure::BudgetLeft { signal, min } => {
                    let left = self.budget_left(signal).unwrap_or(1.0);
                    if left < min {
                        Some(false)
                    } else if at_end {
                        Some(true)
                    } else {
                        None
                    }
                }
            };
            if let Some(met) = verdict {
                self.objectives[i] = if met {
                    Verdict::Met(when)
                } else {
                    Verdict::Missed(beat)
                };
                self.push(Event::Objective { objective: i, met });
            }
        }
    }

    /// Fraction of the SLO's error budget still unspent (can go negative).
    pub fn budget_left(&self, signal: usize) -> Option<f64> {
        let slo = self.scenario.signals[signal].slo?;
        let budget = slo.allowed_bad() * slo.window_beats as f64;
        Some(1.0 - self.signals[signal].bad / budget)
    }

    /// How fast the budget burns right now: 1.0 spends it exactly over the window.
    pub fn burn_rate(&self, signal: usize) -> Option<f64> {
        let def = &self.scenario.signals[signal];
        let slo = def.slo?;
        let value = self.signals[signal].value;
        let bad = match slo.measure {
            crate::scenario::SloMeasure::Ratio => (value / 100.0).clamp(0.0, 1.0),
            crate::scenario::SloMeasure::Healthy => f64::from(u8::from(!def.is_healthy(value))),
        };
        Some(bad / slo.allowed_bad())
    }

    pub fn is_ended(&self) -> bool {
        matches!(self.status, Status::Ended(_))
    }

    /// Seat name for display.
    pub fn seat_name(&self, seat: SeatId) -> &str {
        self.seat_pos(seat)
            .map_or("?", |i| self.seats[i].name.as_str())
    }

    /// A fingerprint of the whole state: equal hashes mean equal drills.
    pub fn state_hash(&self) -> u64 {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        crate::fnv::fnv1a(&bytes)
    }

    /// Non-surprise injects still to come, in timeline order.
    pub fn upcoming(&self) -> impl Iterator<Item = (u64, usize)> + '_ {
        self.scenario
            .injects
            .iter()
            .enumerate()
            .filter_map(move |(i, inj)| {
                let at = inj.at?;
                (!self.injects_done[i] && !inj.surprise && !inj.contingency && at > self.beat)
                    .then_some((at, i))
            })
    }
}

/// A seat's name as the drill keeps it: no control characters, at most 64 characters.
/// Transports use it too, so a returning seat's name matches the stored one.
pub fn seat_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(64).collect()
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Tick => "tick",
        Action::Cue { .. } => "cue",
        Action::Note { .. } => "note",
        Action::Pause => "pause",
        Action::Resume => "resume",
        Action::Tempo { .. } => "tempo",
        Action::Hint => "hint",
        Action::Fire { .. } => "fire",
        Action::Join { .. } => "join",
        Action::Leave => "leave",
        Action::End { .. } => "end",
    }
}
