//! What a seat's input does: cues (applied, then landed), contingency injects fired by hand,
//! hints, lifecycle marks.

use super::{Drill, Event, PendingCue, SeatId, Status};
use crate::scenario::{EffectOrigin, Mark};

impl Drill {
    pub(super) fn cue(&mut self, seat: SeatId, id: &str) {
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
        if let Some(g) = cue.gate
            && !self.holds(g)
        {
            let why = crate::scenario::describe(&scenario, &scenario.conds[g]);
            return self.reject(seat, id, &format!("not yet: needs {why}"));
        }
        if !cue.repeatable && self.cues_done[ci].is_some() {
            return self.reject(seat, id, "already done");
        }
        if self.cues_done[ci].is_none() {
            self.applied_count = self.applied_count.saturating_add(1);
            self.applied_order[ci] = self.applied_count;
        }
        self.cues_done[ci].get_or_insert(self.beat);
        self.push(Event::CueApplied { seat, cue: ci });
        for (hi, h) in scenario.red_herrings.iter().enumerate() {
            if h.cues.contains(&ci) && self.herrings[hi].is_none() {
                self.herrings[hi] = Some(self.beat);
                self.push(Event::HerringFollowed { seat, herring: hi });
            }
        }
        self.cue_chooses(seat, ci);
        if cue.delay_beats == 0 {
            self.land(seat, ci);
        } else {
            self.pending.push(PendingCue {
                land: self.beat.saturating_add(u64::from(cue.delay_beats)),
                cue: ci,
                seat,
            });
        }
    }

    /// A cue lands: with the first of its outcomes whose condition holds now, else as itself.
    pub(super) fn land(&mut self, seat: SeatId, ci: usize) {
        let scenario = self.scenario.clone();
        let cue = &scenario.cues[ci];
        self.cues_landed[ci].get_or_insert(self.beat);
        self.push(Event::CueLanded { seat, cue: ci });
        let outcome = cue.outcomes.iter().position(|o| self.holds(o.when));
        if !cue.outcomes.is_empty() {
            self.push(Event::CueOutcome {
                seat,
                cue: ci,
                outcome,
            });
        }
        let o = outcome.map(|n| &cue.outcomes[n]);
        let effects = o.and_then(|o| o.effects.as_ref()).unwrap_or(&cue.effects);
        self.start_effects(effects, EffectOrigin::Cue(ci));
        for (n, page) in cue.reveals.iter().enumerate() {
            self.revealed[*page] = true;
            if n == 0 {
                self.open_page = Some(*page);
            }
        }
        self.apply_sets(o.and_then(|o| o.set.as_ref()).unwrap_or(&cue.set));
        self.marker(o.and_then(|o| o.event).or(cue.event));
        for m in o.and_then(|o| o.marks.as_ref()).unwrap_or(&cue.marks) {
            self.mark(*m);
        }
    }

    pub(super) fn mark(&mut self, mark: Mark) {
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

    pub(super) fn fire(&mut self, i: usize, by_hand: bool) {
        self.push(Event::InjectFired { inject: i, by_hand });
        let scenario = self.scenario.clone();
        let inj = &scenario.injects[i];
        self.start_effects(&inj.effects, EffectOrigin::Inject(i));
        self.apply_sets(&inj.set);
        self.marker(inj.event);
    }

    pub(super) fn fire_by_hand(&mut self, seat: SeatId, id: &str) {
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

    pub(super) fn hint(&mut self, seat: SeatId) {
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
}
