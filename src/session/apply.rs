//! [`Session::apply`]: one input in, the events out. Roles are enforced here: observers act
//! on nothing, only the facilitator navigates and marks, only the presenter drives the
//! walkthrough, only the room ticks and reports. A refused input changes nothing but the log.

use super::input::{DrillOutcome, Leaving, SessionAction, SessionEvent, SessionInput};
use super::setlist::{Pick, SegmentKind};
use super::state::{Activity, Note, Phase, Seat, SegmentStatus, Session, Turn, TurnResult, Visit};
use super::walkthrough::{Remark, Walkthrough};
use super::wheel::{self, Draw};
use super::{ROOM, SeatId, clean, limits};

type Refusal = String;

/// Applies `input` to `session` (the same as [`Session::apply`]).
pub fn apply(session: &mut Session, input: SessionInput) -> Vec<SessionEvent> {
    session.apply(&input)
}

impl Session {
    /// Applies one input: moves the clock to its beat, then does what it asks if the seat
    /// may. Returns what happened; the same events go into the session's log.
    pub fn apply(&mut self, input: &SessionInput) -> Vec<SessionEvent> {
        let mut out = Vec::new();
        self.advance(input.beat, &mut out);
        if let Err(reason) = self.act(input, &mut out) {
            out.push(SessionEvent::Refused {
                seat: input.seat,
                what: input.action.name().to_string(),
                reason,
            });
        }
        for e in &out {
            self.push_log(e.clone());
        }
        out
    }

    fn advance(&mut self, beat: u64, out: &mut Vec<SessionEvent>) {
        let delta = beat.saturating_sub(self.beat);
        self.beat = self.beat.max(beat);
        let Some(i) = self.current() else { return };
        let planned = self.planned(i);
        let seg = &mut self.segments[i];
        seg.elapsed = seg.elapsed.saturating_add(delta);
        if !seg.overtime && seg.elapsed > planned {
            seg.overtime = true;
            out.push(SessionEvent::Overtime { segment: i });
        }
        let turn_beats = match &self.plan.setlist.segments[i].kind {
            SegmentKind::Wheel { turn, .. } => *turn,
            _ => return,
        };
        let beat = self.beat;
        if let Activity::Wheel(w) = &mut self.segments[i].activity
            && let Some(t) = w.turns.last_mut()
            && t.is_open()
            && !t.overtime
            && beat >= t.spin.stops_at().saturating_add(turn_beats)
        {
            t.overtime = true;
            out.push(SessionEvent::TurnOvertime {
                segment: i,
                turn: w.turns.len() - 1,
            });
        }
    }

    fn act(&mut self, input: &SessionInput, out: &mut Vec<SessionEvent>) -> Result<(), Refusal> {
        use SessionAction as A;
        let seat = input.seat;
        if seat == ROOM {
            return match &input.action {
                A::Tick => Ok(()),
                A::ShowVista { segment, vista } => self.show_vista(*segment, vista, out),
                A::DrillReport { segment, outcome } => self.drill_report(*segment, outcome, out),
                _ => Err("the room only ticks and reports vistas and drills".into()),
            };
        }
        match &input.action {
            A::Join { name } => return self.join(seat, name, false, out),
            A::Observe { name } => return self.join(seat, name, true, out),
            A::Tick | A::ShowVista { .. } | A::DrillReport { .. } => {
                return Err("only the room ticks and reports".into());
            }
            _ => {}
        }
        let who = self.seat(seat).ok_or("join the session first")?;
        if !who.present {
            return Err("join the session again first".into());
        }
        if input.action == A::Leave {
            if let Some(s) = self.seat_mut(seat) {
                s.present = false;
            }
            out.push(SessionEvent::Left { seat });
            return Ok(());
        }
        if who.observer {
            return Err("observers are read-only".into());
        }
        match &input.action {
            A::Note { text } => self.note(seat, text, out),
            A::Remark {
                pane,
                text,
                question,
            } => self.remark(seat, *pane, text, *question, out),
            A::Focus { .. } | A::Zoom { .. } | A::Tour { .. } | A::Range { .. } => {
                self.drive(seat, &input.action, out)
            }
            A::Spin => self.spin(seat, None, out),
            A::Escalate { to } => self.escalate(seat, to, out),
            A::Pass => self.close_turn(seat, TurnResult::Passed, out),
            action => {
                if self.facilitator != Some(seat) {
                    return Err("only the facilitator may do this".into());
                }
                self.facilitate(seat, action, out)
            }
        }
    }

    fn facilitate(
        &mut self,
        seat: SeatId,
        action: &SessionAction,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        use SessionAction as A;
        match action {
            A::Next => self.next(Leaving::Next, out),
            A::Skip => self.next(Leaving::Skip, out),
            A::Back => self.back(out),
            A::Extend { beats } => self.extend(*beats, out),
            A::End { reason } => {
                self.not_ended()?;
                let reason = clean(reason, limits::TEXT);
                let reason = if reason.is_empty() {
                    "ended by the facilitator".to_string()
                } else {
                    reason
                };
                self.end(reason, out);
                Ok(())
            }
            A::HandPresenter { to } => {
                self.player(*to)?;
                self.presenter = Some(*to);
                out.push(SessionEvent::PresenterIs { seat: *to });
                Ok(())
            }
            A::HandFacilitator { to } => {
                self.player(*to)?;
                self.facilitator = Some(*to);
                out.push(SessionEvent::FacilitatorIs { seat: *to });
                Ok(())
            }
            A::SpinFor { person } => {
                self.player(*person)?;
                self.spin(seat, Some(*person), out)
            }
            A::Mark { result } => self.close_turn(seat, TurnResult::Marked(*result), out),
            A::Retire { theme } => self.retire(theme, true, out),
            A::Restore { theme } => self.retire(theme, false, out),
            other => Err(format!("`{}` is not a facilitator action", other.name())),
        }
    }

    /// A present participant (not an observer).
    fn player(&self, id: SeatId) -> Result<&Seat, Refusal> {
        match self.seat(id) {
            None => Err(format!("no seat {id} in this session")),
            Some(s) if !s.present => Err(format!("{} is not here", s.name)),
            Some(s) if s.observer => {
                Err(format!("{} is observing; observers are read-only", s.name))
            }
            Some(s) => Ok(s),
        }
    }

    fn not_ended(&self) -> Result<(), Refusal> {
        if self.is_ended() {
            Err("the session has ended".into())
        } else {
            Ok(())
        }
    }

    fn join(
        &mut self,
        seat: SeatId,
        name: &str,
        observer: bool,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let name = clean(name, limits::NAME);
        if name.is_empty() {
            return Err("a seat needs a name".into());
        }
        let current = self.current();
        let beat = self.beat;
        let rejoin = self.seat(seat).is_some();
        if observer && self.facilitator == Some(seat) {
            return Err("the facilitator cannot observe; hand the role to someone first".into());
        }
        if !rejoin && self.seats.len() >= limits::SEATS {
            return Err(format!("the session is full ({} seats)", limits::SEATS));
        }
        if !rejoin {
            self.seats.push(Seat {
                id: seat,
                name: name.clone(),
                observer,
                present: true,
                joined: beat,
                segments: Vec::new(),
            });
        }
        if let Some(s) = self.seat_mut(seat) {
            s.name = name;
            s.observer = observer;
            s.present = true;
            if let Some(i) = current
                && !s.segments.contains(&i)
            {
                s.segments.push(i);
                s.segments.sort_unstable();
            }
        }
        out.push(SessionEvent::Joined {
            seat,
            observer,
            rejoin,
            segment: current,
        });
        if observer && self.presenter == Some(seat) {
            self.presenter = self.facilitator;
            if let Some(f) = self.facilitator {
                out.push(SessionEvent::PresenterIs { seat: f });
            }
        }
        if !observer && self.facilitator.is_none() {
            self.facilitator = Some(seat);
            out.push(SessionEvent::FacilitatorIs { seat });
        }
        if !observer && self.presenter.is_none() {
            self.presenter = Some(seat);
            out.push(SessionEvent::PresenterIs { seat });
        }
        Ok(())
    }

    fn start(&mut self, i: usize, out: &mut Vec<SessionEvent>) {
        let first = self.segments[i].status == SegmentStatus::NotReached;
        self.segments[i].status = SegmentStatus::Current;
        self.phase = Phase::In { segment: i };
        self.history.push(Visit {
            segment: i,
            from: self.beat,
            to: None,
            how: None,
        });
        for s in self.seats.iter_mut().filter(|s| s.present) {
            if !s.segments.contains(&i) {
                s.segments.push(i);
                s.segments.sort_unstable();
            }
        }
        out.push(SessionEvent::SegmentStarted { segment: i, first });
    }

    fn leave(&mut self, i: usize, how: Leaving, out: &mut Vec<SessionEvent>) {
        self.segments[i].status = match how {
            Leaving::Skip => SegmentStatus::Skipped,
            _ => SegmentStatus::Done,
        };
        if let Some(v) = self.history.last_mut() {
            v.to = Some(self.beat);
            v.how = Some(how);
        }
        out.push(SessionEvent::SegmentLeft { segment: i, how });
    }

    fn end(&mut self, reason: String, out: &mut Vec<SessionEvent>) {
        if let Some(i) = self.current() {
            self.leave(i, Leaving::End, out);
        }
        self.phase = Phase::Ended {
            reason: reason.clone(),
        };
        out.push(SessionEvent::Ended { reason });
    }

    fn next(&mut self, how: Leaving, out: &mut Vec<SessionEvent>) -> Result<(), Refusal> {
        let n = self.segments.len();
        match self.phase {
            Phase::Gathering if how == Leaving::Skip => {
                Err("the session has not started; `next` starts it".into())
            }
            Phase::Gathering if n == 0 => {
                self.end("the setlist is empty".into(), out);
                Ok(())
            }
            Phase::Gathering => {
                self.start(0, out);
                Ok(())
            }
            Phase::In { segment } => {
                self.leave(segment, how, out);
                if segment + 1 < n {
                    self.start(segment + 1, out);
                } else {
                    self.phase = Phase::Ended {
                        reason: "the setlist is done".into(),
                    };
                    out.push(SessionEvent::Ended {
                        reason: "the setlist is done".into(),
                    });
                }
                Ok(())
            }
            Phase::Ended { .. } => Err("the session has ended".into()),
        }
    }

    fn back(&mut self, out: &mut Vec<SessionEvent>) -> Result<(), Refusal> {
        match self.phase {
            Phase::In { segment: 0 } => Err("this is the first segment".into()),
            Phase::In { segment } => {
                self.leave(segment, Leaving::Back, out);
                self.start(segment - 1, out);
                Ok(())
            }
            Phase::Gathering => Err("the session has not started".into()),
            Phase::Ended { .. } => Err("the session has ended".into()),
        }
    }

    fn extend(&mut self, beats: u64, out: &mut Vec<SessionEvent>) -> Result<(), Refusal> {
        let i = self.current().ok_or("no segment is running")?;
        let most =
            (limits::SESSION_MINUTES as u64).saturating_mul(u64::from(self.plan.setlist.bpm));
        if beats == 0 || self.planned(i).saturating_add(beats) > most {
            return Err(format!(
                "a segment can be extended by 1 beat up to {most} beats in all"
            ));
        }
        self.segments[i].extra += beats;
        let planned = self.planned(i);
        let seg = &mut self.segments[i];
        if seg.overtime && seg.elapsed <= planned {
            seg.overtime = false;
        }
        out.push(SessionEvent::Extended { segment: i, beats });
        Ok(())
    }

    fn note(
        &mut self,
        seat: SeatId,
        text: &str,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let text = clean(text, limits::TEXT);
        if text.is_empty() {
            return Err("an empty note".into());
        }
        let note = Note {
            beat: self.beat,
            seat,
            text,
        };
        let current = self.current();
        let list = match current {
            None => &mut self.notes,
            Some(i) => {
                let seg = &mut self.segments[i];
                match &mut seg.activity {
                    Activity::Wheel(w) => match w.turns.last_mut() {
                        Some(t) if t.is_open() => &mut t.notes,
                        _ => &mut seg.notes,
                    },
                    _ => &mut seg.notes,
                }
            }
        };
        if list.len() >= limits::NOTES {
            return Err(format!("at most {} notes here", limits::NOTES));
        }
        list.push(note);
        out.push(SessionEvent::Noted {
            seat,
            segment: current,
        });
        Ok(())
    }

    fn walkthrough_mut(&mut self) -> Result<&mut Walkthrough, Refusal> {
        let i = self.current().ok_or("no segment is running")?;
        match &mut self.segments[i].activity {
            Activity::Walkthrough(w) if w.vista.is_some() => Ok(w),
            Activity::Walkthrough(_) => Err("the vista is not shown yet".into()),
            _ => Err("this is not a walkthrough".into()),
        }
    }

    fn remark(
        &mut self,
        seat: SeatId,
        pane: Option<usize>,
        text: &str,
        question: bool,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let text = clean(text, limits::TEXT);
        let beat = self.beat;
        let w = self.walkthrough_mut()?;
        let pane = pane.unwrap_or(w.focus);
        let title = match w.vista.as_ref().and_then(|v| v.panes.get(pane)) {
            Some(p) => p.title.clone(),
            None => return Err(format!("the vista has no pane {}", pane + 1)),
        };
        if text.is_empty() {
            return Err("an empty remark".into());
        }
        if w.remarks.len() >= limits::NOTES {
            return Err(format!("at most {} remarks here", limits::NOTES));
        }
        w.remarks.push(Remark {
            beat,
            seat,
            pane,
            pane_title: title,
            text,
            question,
        });
        out.push(SessionEvent::Remarked { seat, pane });
        Ok(())
    }

    fn drive(
        &mut self,
        seat: SeatId,
        action: &SessionAction,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        if self.presenter != Some(seat) {
            return Err("only the presenter drives the walkthrough".into());
        }
        let w = self.walkthrough_mut()?;
        let panes = w.panes();
        let in_vista = |p: usize| {
            if p < panes {
                Ok(p)
            } else {
                Err(format!("the vista has {panes} panes"))
            }
        };
        match action {
            SessionAction::Focus { pane } => w.focus = in_vista(*pane)?,
            SessionAction::Zoom { on } => w.zoom = *on,
            SessionAction::Tour { step: None } => w.tour = None,
            SessionAction::Tour { step: Some(s) } => {
                w.focus = in_vista(*s)?;
                w.tour = Some(*s);
            }
            SessionAction::Range { seconds } => {
                if !(60..=30 * 86_400).contains(seconds) {
                    return Err("the time range must be between 1m and 30d".into());
                }
                w.range = *seconds;
            }
            _ => return Err("not a walkthrough action".into()),
        }
        out.push(SessionEvent::Drove { seat });
        Ok(())
    }

    fn show_vista(
        &mut self,
        segment: usize,
        vista: &super::VistaShape,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let Some(Activity::Walkthrough(w)) =
            self.segments.get_mut(segment).map(|s| &mut s.activity)
        else {
            return Err(format!("segment {segment} is not a walkthrough"));
        };
        let mut v = super::VistaShape {
            title: clean(&vista.title, 120),
            source: clean(&vista.source, 200),
            panes: vista.panes.iter().take(limits::PANES).cloned().collect(),
        };
        for p in &mut v.panes {
            p.id = clean(&p.id, 64);
            p.title = clean(&p.title, 120);
        }
        let n = v.panes.len();
        w.vista = Some(v);
        if w.focus >= n {
            w.focus = 0;
        }
        if w.tour.is_some_and(|t| t >= n) {
            w.tour = None;
        }
        out.push(SessionEvent::VistaShown { segment });
        Ok(())
    }

    fn drill_report(
        &mut self,
        segment: usize,
        outcome: &DrillOutcome,
        out: &mut Vec<SessionEvent>,
    ) -> Result<(), Refusal> {
        let Some(Activity::Drill(d)) = self.segments.get_mut(segment).map(|s| &mut s.activity)
        else {
            return Err(format!("segment {segment} is not a drill"));
        };
        if d.runs.len() >= limits::DRILL_RUNS {
            return Err(format!(
                "at most {} drill runs a segment",
                limits::DRILL_RUNS
            ));
        }
        let mut o = outcome.clone();
        o.scenario = clean(&o.scenario, 64);
        o.status = clean(&o.status, limits::TEXT);
        o.objectives.truncate(limits::OBJECTIVES);
        for obj in &mut o.objectives {
            obj.text = clean(&obj.text, limits::TEXT);
        }
        o.action_items.truncate(limits::OBJECTIVES);
        for item in &mut o.action_items {
            *item = clean(item, limits::TEXT);
        }
        d.runs.push(o);
        out.push(SessionEvent::DrillReported { segment });
        Ok(())
    }

    /// The current wheel segment's index, with a refusal otherwise.
    fn wheel_segment(&self) -> Result<usize, Refusal> {
        let i = self.current().ok_or("no segment is running")?;
        match self.segments[i].activity {
            Activity::Wheel(_) => Ok(i),
            _ => Err("this is not a wheel segment".into()),
        }
    }

    fn spin(
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
    fn turn_for(&mut self, seat: SeatId) -> Result<(usize, usize, &mut Turn), Refusal> {
        let i = self.wheel_segment()?;
        let facilitator = self.facilitator;
        let Activity::Wheel(w) = &mut self.segments[i].activity else {
            return Err("this is not a wheel segment".into());
        };
        let n = w.turns.len();
        match w.turns.last_mut() {
            Some(t) if t.is_open() => {
                if t.spin.person != seat && facilitator != Some(seat) {
                    return Err("it is not your turn".into());
                }
                Ok((i, n - 1, t))
            }
            _ => Err("no turn is open: spin first".into()),
        }
    }

    fn escalate(
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

    fn close_turn(
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

    fn retire(
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
