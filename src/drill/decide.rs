//! Decision points, flags and markers: asking, choosing (by a cue or a facilitator), taking
//! the default when time runs out, and the state changes a choice makes. A choice is an input
//! like a cue press (or follows from one), so recordings replay it exactly.

use super::{Drill, Event, SeatId};
use crate::scenario::limits::{MAX_MARKERS, VALUE_LIMIT};
use crate::scenario::{Choice, EffectOrigin, FlagOp, SetOp};
use serde::Serialize;

/// Where one decision point stands.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DecisionState {
    /// The beat its prompt opened.
    pub opened: Option<u64>,
    pub chosen: Option<Chosen>,
    /// Its time ran out with nothing chosen.
    pub lapsed: bool,
}

impl DecisionState {
    /// Open and waiting for a choice.
    pub fn is_open(&self) -> bool {
        self.opened.is_some() && self.chosen.is_none() && !self.lapsed
    }
}

/// What was chosen, by whom, when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Chosen {
    pub option: usize,
    /// `None` when the default was taken as time ran out.
    pub seat: Option<SeatId>,
    /// The beat it was chosen (for a cue pressed before the prompt opened, that press's beat).
    pub beat: u64,
}

impl Drill {
    /// Every decision point's state, in scenario order: what the debrief's Decision
    /// Requirements Table reads.
    pub fn decisions(&self) -> &[DecisionState] {
        &self.decision_states
    }

    /// Decision points whose prompt is open now.
    pub fn open_decisions(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.decision_states.len()).filter(|d| self.decision_states[*d].is_open())
    }

    /// Applies flag and counter changes, logging each value that changes.
    pub(super) fn apply_sets(&mut self, ops: &[SetOp]) {
        for op in ops {
            let old = self.flags[op.flag];
            let new = match op.op {
                FlagOp::Set(v) => v,
                FlagOp::Add(d) => (old + d).clamp(-VALUE_LIMIT, VALUE_LIMIT),
            };
            if new != old {
                self.flags[op.flag] = new;
                self.push(Event::FlagSet {
                    flag: op.flag,
                    value: new,
                });
            }
        }
    }

    /// A marker on an event series at this beat.
    pub(super) fn marker(&mut self, series: Option<usize>) {
        let Some(m) = series.and_then(|s| self.markers.get_mut(s)) else {
            return;
        };
        if m.len() >= MAX_MARKERS {
            m.remove(0);
        }
        m.push(self.beat);
    }

    /// Opens the prompts due now: those at this beat (`scheduled`), or those whose `when`
    /// holds.
    pub(super) fn open_decisions_due(&mut self, scheduled: bool) {
        let scenario = self.scenario.clone();
        for (d, dec) in scenario.decisions.iter().enumerate() {
            if self.decision_states[d].opened.is_some() {
                continue;
            }
            let due = if scheduled {
                dec.at == Some(self.beat)
            } else {
                dec.when.is_some_and(|c| self.holds(c))
            };
            if due {
                self.open(d);
            }
        }
    }

    /// Opens a prompt. When one of its options' cues was pressed already, that (the earliest)
    /// is the choice, made when it was pressed.
    fn open(&mut self, d: usize) {
        self.decision_states[d].opened = Some(self.beat);
        self.push(Event::DecisionOpened { decision: d });
        let scenario = self.scenario.clone();
        let early = scenario.decisions[d]
            .options
            .iter()
            .enumerate()
            .filter_map(|(o, opt)| match opt.choice {
                Choice::Cue(c) if self.applied_order[c] != 0 => Some((self.applied_order[c], o, c)),
                _ => None,
            })
            .min();
        if let Some((_, o, c)) = early {
            let seat = self.log.iter().find_map(|e| match e.event {
                Event::CueApplied { seat, cue } if cue == c => Some(seat),
                _ => None,
            });
            let beat = self.cues_done[c].unwrap_or(self.beat);
            self.choose(d, o, seat, beat);
        }
    }

    /// A cue was applied: it chooses its option in every open prompt that binds it.
    pub(super) fn cue_chooses(&mut self, seat: SeatId, cue: usize) {
        let scenario = self.scenario.clone();
        for (d, dec) in scenario.decisions.iter().enumerate() {
            if self.decision_states[d].is_open()
                && let Some(o) = dec.option_for_cue(cue)
            {
                self.choose(d, o, Some(seat), self.beat);
            }
        }
    }

    /// Prompts whose time has run out take their default, or lapse.
    pub(super) fn close_lapsed_decisions(&mut self) {
        let scenario = self.scenario.clone();
        for (d, dec) in scenario.decisions.iter().enumerate() {
            let st = &self.decision_states[d];
            let (Some(opened), Some(within)) = (st.opened, dec.within) else {
                continue;
            };
            if st.is_open() && self.beat >= opened.saturating_add(u64::from(within)) {
                match dec.default {
                    Some(o) => self.choose(d, o, None, self.beat),
                    None => {
                        self.decision_states[d].lapsed = true;
                        self.push(Event::DecisionLapsed { decision: d });
                    }
                }
            }
        }
    }

    fn choose(&mut self, d: usize, o: usize, seat: Option<SeatId>, beat: u64) {
        self.decision_states[d].chosen = Some(Chosen {
            option: o,
            seat,
            beat,
        });
        self.push(Event::DecisionMade {
            decision: d,
            option: o,
            seat,
        });
        let scenario = self.scenario.clone();
        let opt = &scenario.decisions[d].options[o];
        self.apply_sets(&opt.set);
        self.start_effects(&opt.effects, EffectOrigin::Choice(d, o));
        for &i in &opt.skips {
            if !self.injects_done[i] {
                self.injects_done[i] = true;
                self.push(Event::InjectSkipped { inject: i });
            }
        }
        self.marker(opt.event);
    }

    /// A facilitator chooses an option by name (`decide DECISION OPTION`).
    pub(super) fn decide(&mut self, seat: SeatId, decision: &str, option: &str) {
        let scenario = self.scenario.clone();
        let what = format!("decide {decision}");
        let Some(d) = scenario.decision_index(decision) else {
            return self.reject(seat, &what, "no such decision point");
        };
        let dec = &scenario.decisions[d];
        let Some(o) = dec.options.iter().position(|x| x.id == option) else {
            return self.reject(seat, &what, &format!("no option `{option}`"));
        };
        if let Choice::Cue(c) = dec.options[o].choice {
            let reason = format!("`{option}` is chosen by its cue `{}`", scenario.cues[c].id);
            return self.reject(seat, &what, &reason);
        }
        let st = &self.decision_states[d];
        let reason = match (st.opened, st.chosen, st.lapsed) {
            (None, _, _) => "not asked yet",
            (_, Some(_), _) => "already decided",
            (_, _, true) => "its time ran out",
            _ => return self.choose(d, o, Some(seat), self.beat),
        };
        self.reject(seat, &what, reason);
    }

    /// A facilitator's key: the option it chooses in the first open prompt that has it.
    pub fn option_on_key(&self, key: char) -> Option<(usize, usize)> {
        self.open_decisions().find_map(|d| {
            self.scenario.decisions[d]
                .option_for_key(key)
                .map(|o| (d, o))
        })
    }
}
