//! The Wheel of Expertise's turns as the session applies them: a spin opens a turn (the
//! wheel draws its theme, prompt and person), the person escalates or passes, the
//! facilitator marks it, and themes are retired or restored. Called from `apply`, which has
//! already checked that the seat is a present participant.

use super::apply::Refusal;
use super::input::SessionEvent;
use super::setlist::{Pick, SegmentKind};
use super::state::{Activity, Session, Turn, TurnResult};
use super::wheel::{self, Draw};
use super::{SeatId, clean, limits};

impl Session {
    /// The current wheel segment's index, with a refusal otherwise.
    pub(super) fn wheel_segment(&self) -> Result<usize, Refusal> {
        let i = self.current().ok_or("no segment is running")?;
        match self.segments[i].activity {
            Activity::Wheel(_) => Ok(i),
            _ => Err("this is not a wheel segment".into()),
        }
    }

    pub(super) fn spin(
        &mut self,
        by: SeatId,
        person: Option<SeatId>,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let i = self.wheel_segment()?;
        if let Some((_, t)) = self.open_turn(i) {
            return Err(format!(
                "{}'s turn is still open: mark it or pass first",
                self.seat_name(t.spin.person)
            ));
        }
        let Some(deck) = self.plan.decks.get(i).and_then(Option::as_ref) else {
            return Err("this wheel has no deck".into());
        };
        if deck.prompts.is_empty() {
            return Err("this deck has no prompts".into());
        }
        let pick = match &self.plan.setlist.segments[i].kind {
            SegmentKind::Wheel { pick, .. } => *pick,
            _ => Pick::Spinner,
        };
        let Activity::Wheel(w) = &self.segments[i].activity else {
            return Err("this is not a wheel segment".into());
        };
        if w.turns.len() >= limits::TURNS {
            return Err(format!("at most {} turns a wheel", limits::TURNS));
        }
        let themes: Vec<usize> = (0..deck.themes.len())
            .filter(|t| !w.retired.get(*t).copied().unwrap_or(false))
            .collect();
        if themes.is_empty() {
            return Err("every theme is retired; restore one first".into());
        }
        let asked: Vec<(usize, usize)> = w
            .turns
            .iter()
            .map(|t| (t.spin.theme(), t.spin.prompt))
            .collect();
        let turns_of = |s: SeatId| w.turns.iter().filter(|t| t.spin.person == s).count();
        let people: Vec<(SeatId, usize)> = match (person, pick) {
            (Some(p), _) => vec![(p, 0)],
            (None, Pick::Spinner) => vec![(by, 0)],
            (None, Pick::Wheel) => {
                let players: Vec<SeatId> = self
                    .seats
                    .iter()
                    .filter(|s| s.present && !s.observer)
                    .map(|s| s.id)
                    .collect();
                let others: Vec<SeatId> = players
                    .iter()
                    .copied()
                    .filter(|s| Some(*s) != self.facilitator)
                    .collect();
                let pool = if others.is_empty() { players } else { others };
                pool.into_iter().map(|s| (s, turns_of(s))).collect()
            }
        };
        if people.is_empty() {
            return Err("nobody is here to answer".into());
        }
        let draw = Draw {
            themes: &themes,
            prompts: deck.prompts.len(),
            asked: &asked,
            people: &people,
        };
        let spin = wheel::draw(&mut self.rng, &draw, self.beat);
        let Activity::Wheel(w) = &mut self.segments[i].activity else {
            return Err("this is not a wheel segment".into());
        };
        w.turns.push(Turn {
            spin,
            spun_by: by,
            notes: Vec::new(),
            escalations: Vec::new(),
            result: None,
            closed: None,
            overtime: false,
        });
        out.push(SessionEvent::Spun {
            segment: i,
            turn: w.turns.len() - 1,
        });
        Ok(())
    }

    /// The open turn of the current wheel, if `seat` may act on it (its person or the
    /// facilitator).
    pub(super) fn turn_for(&mut self, seat: SeatId) -> Result<(usize, usize, &mut Turn), Refusal> {
        let i = self.wheel_segment()?;
        let conducts = self.conducts(seat);
        let Activity::Wheel(w) = &mut self.segments[i].activity else {
            return Err("this is not a wheel segment".into());
        };
        let n = w.turns.len();
        match w.turns.last_mut() {
            Some(t) if t.is_open() => {
                if t.spin.person != seat && !conducts {
                    return Err("it is not your turn".into());
                }
                Ok((i, n - 1, t))
            }
            _ => Err("no turn is open: spin first".into()),
        }
    }

    pub(super) fn escalate(
        &mut self,
        seat: SeatId,
        to: &str,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let to = clean(to, limits::TEXT);
        if to.is_empty() {
            return Err("say who you would escalate to".into());
        }
        let (_, turn, t) = self.turn_for(seat)?;
        if t.escalations.len() >= limits::ESCALATIONS {
            return Err(format!(
                "at most {} escalations a turn",
                limits::ESCALATIONS
            ));
        }
        t.escalations.push(to);
        out.push(SessionEvent::Escalated { turn });
        Ok(())
    }

    pub(super) fn close_turn(
        &mut self,
        seat: SeatId,
        result: TurnResult,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let beat = self.beat;
        let (segment, turn, t) = self.turn_for(seat)?;
        t.result = Some(result);
        t.closed = Some(beat);
        out.push(SessionEvent::TurnClosed { segment, turn });
        Ok(())
    }

    pub(super) fn retire(
        &mut self,
        theme: &str,
        retire: bool,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let i = self.wheel_segment()?;
        let deck = self
            .plan
            .decks
            .get(i)
            .and_then(Option::as_ref)
            .ok_or("this wheel has no deck")?;
        let t = deck
            .theme_index(theme)
            .ok_or_else(|| format!("no theme `{}` in this deck", clean(theme, 64)))?;
        let Activity::Wheel(w) = &mut self.segments[i].activity else {
            return Err("this is not a wheel segment".into());
        };
        if w.retired.len() <= t {
            return Err("this wheel has no such theme".into());
        }
        if w.retired[t] == retire {
            return Err(if retire {
                "that theme is already retired".into()
            } else {
                "that theme is on the wheel".into()
            });
        }
        w.retired[t] = retire;
        out.push(if retire {
            SessionEvent::ThemeRetired { theme: t }
        } else {
            SessionEvent::ThemeRestored { theme: t }
        });
        Ok(())
    }
}
