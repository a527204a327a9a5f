//! [`Session::apply`]: one input in, the events out. Roles are enforced here: observers act
//! on nothing, only the facilitator navigates and marks, only the presenter drives the
//! walkthrough, only the room ticks and reports. A refused input changes nothing but the log.

use super::input::{DrillOutcome, Leaving, SessionAction, SessionEvent, SessionInput};
use super::setlist::SegmentKind;
use super::state::{Activity, Note, Phase, Seat, SegmentStatus, Session, TurnResult, Visit};
use super::{ROOM, SeatId, clean, limits};

/// Why an input was refused, for the log and the seat.
pub(super) type Refusal = String;

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
                A::DrtSeed {
                    segment,
                    table,
                    from_drill,
                } => self.drt_seed(*segment, table, *from_drill, out),
                _ => Err("the room only ticks and reports vistas and drills".into()),
            };
        }
        match &input.action {
            A::Join { name } => return self.join(seat, name, false, out),
            A::Observe { name } => return self.join(seat, name, true, out),
            A::Tick | A::ShowVista { .. } | A::DrillReport { .. } | A::DrtSeed { .. } => {
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
            self.drt_drop(seat);
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
            A::Focus { .. } | A::Zoom { .. } | A::Tour { .. } | A::Range { .. } | A::Pan { .. } => {
                self.drive(seat, &input.action, out)
            }
            A::MatrixMark { row, col, mark } => self.matrix_mark(seat, row, col, *mark, out),
            A::MatrixNote { row, col, text } => self.matrix_note(seat, row, col, text, out),
            A::Drt { edit } => self.drt_edit(seat, edit, out),
            A::Spin => self.spin(seat, None, out),
            A::Escalate { to } => self.escalate(seat, to, out),
            A::Pass => self.close_turn(seat, TurnResult::Passed, out),
            A::HandFacilitator { .. } if self.facilitator != Some(seat) => {
                Err("only the facilitator may hand the facilitator role".into())
            }
            action => {
                if !self.conducts(seat) {
                    return Err(match self.conductor() {
                        Some(c) if Some(c) != self.facilitator => format!(
                            "only the facilitator may do this ({} conducts while they are away)",
                            self.seat_name(c)
                        ),
                        _ => "only the facilitator may do this".into(),
                    });
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
}
