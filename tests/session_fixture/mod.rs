//! A session room in miniature for the session screens' tests and the dev preview
//! (`cargo run --example session_preview`): the bundled weekly setlist, four seats (ana
//! facilitates, bo and cy play, dee observes), the simulated vista of bad-deploy as the
//! walkthrough's snapshot, and each seat's key presses applied to the session as the live
//! room will apply them (stamped with the room's beat).

#![allow(dead_code)]

use gamelan::drill::Drill;
use gamelan::headless::{self, parse_script};
use gamelan::input::{Input, Key, KeyCode};
use gamelan::scenario::bundled as scenarios;
use gamelan::session::{ROOM, SeatId, Session, SessionAction, SessionInput, VistaShape, bundled};
use gamelan::ui::session::{SessionCommand, SessionScreen, SessionSeat};
use gamelan::ui::theme::Theme;
use gamelan::vista::state::{Reading, Value};
use gamelan::vista::{PaneState, VistaConfig, VistaSnapshot};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::sync::Arc;

pub const ANA: SeatId = 0;
pub const BO: SeatId = 1;
pub const CY: SeatId = 2;
pub const DEE: SeatId = 3;

/// Where the crate's files are (the dev preview runs from anywhere).
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The simulated vista of bad-deploy after `beat` beats of its winning script: the session's
/// shape of it and a snapshot whose panes hold each signal's history.
pub fn bad_deploy_vista(beat: u64) -> (VistaShape, VistaSnapshot) {
    let s = scenarios()
        .into_iter()
        .find(|e| e.scenario.meta.id == "bad-deploy")
        .expect("bundled bad-deploy")
        .scenario;
    let src = std::fs::read_to_string(format!("{ROOT}/scenarios/bad-deploy.win.cues")).unwrap();
    let script = parse_script(&src, "win", &s).unwrap();
    let mut d = Drill::new(s.clone(), 1);
    headless::run(&mut d, &script, Some(beat));
    let shape = VistaShape::of_scenario(&s);
    let mut toml = format!("[vista]\ntitle = {:?}\ncolumns = 2\n", s.meta.title);
    for g in &s.signals {
        toml.push_str(&format!(
            "\n[[panes]]\nid = {:?}\ntitle = {:?}\nunit = {:?}\nnote = {:?}\nsource = {{ type = \"command\", command = \"true\" }}\n",
            g.id,
            g.name,
            g.unit,
            format!("What {} looks like on a normal day, and what the presenter looks for first.", g.name)
        ));
    }
    let cfg = VistaConfig::parse(&toml, "bad-deploy.vista.toml").expect("a vista of bad-deploy");
    let states = s
        .signals
        .iter()
        .zip(&d.signals)
        .map(|(g, st)| {
            let mut p = PaneState::new(cfg.history, 1);
            for (k, v) in st.history.iter().enumerate() {
                p.apply(
                    Reading::Values {
                        at: k as f64,
                        values: vec![Value {
                            id: g.id.clone(),
                            label: g.name.clone(),
                            unit: g.unit.clone(),
                            value: f64::from(*v),
                        }],
                    },
                    k as f64,
                );
            }
            p
        })
        .collect();
    (shape, VistaSnapshot::new(&cfg, states))
}

/// bad-deploy's vista at beat 30, made once.
fn vista() -> &'static (VistaShape, VistaSnapshot) {
    static VISTA: std::sync::OnceLock<(VistaShape, VistaSnapshot)> = std::sync::OnceLock::new();
    VISTA.get_or_init(|| bad_deploy_vista(30))
}

/// The bundled weekly session with its four seats joined, gathering.
pub fn gathered(seed: u64) -> Session {
    let plan = bundled::plan("weekly").expect("bundled weekly");
    let mut s = Session::new(Arc::new(plan), seed);
    for (beat, seat, action) in [
        (0, ANA, SessionAction::Join { name: "ana".into() }),
        (5, BO, SessionAction::Join { name: "bo".into() }),
        (20, CY, SessionAction::Join { name: "cy".into() }),
        (25, DEE, SessionAction::Observe { name: "dee".into() }),
    ] {
        s.apply(&SessionInput::new(beat, seat, action));
    }
    s
}

/// A room: the session, each seat's screen, the walkthrough's vista, the clock.
#[derive(Clone)]
pub struct Room {
    pub session: Session,
    pub seats: Vec<SessionSeat>,
    pub vista: (VistaShape, VistaSnapshot),
    /// Everything applied, in order.
    pub inputs: Vec<SessionInput>,
    pub area: Rect,
    pub theme: Theme,
}

impl Room {
    pub fn new(seed: u64) -> Room {
        Room {
            session: gathered(seed),
            seats: [ANA, BO, CY, DEE]
                .into_iter()
                .map(SessionSeat::new)
                .collect(),
            vista: vista().clone(),
            inputs: Vec::new(),
            area: Rect::new(0, 0, 80, 24),
            theme: Theme::bundled("dark").unwrap(),
        }
    }

    /// Applies one input, then does what the room's shell does: a walkthrough that starts
    /// is shown its vista.
    pub fn apply(&mut self, seat: SeatId, action: SessionAction) {
        let input = SessionInput::new(self.session.beat, seat, action);
        let before = self.session.current();
        self.session.apply(&input);
        self.inputs.push(input);
        if let Some(i) = self.session.current()
            && before != Some(i)
            && let gamelan::session::state::Activity::Walkthrough(w) =
                &self.session.segments[i].activity
            && w.vista.is_none()
        {
            let shown = SessionInput::new(
                self.session.beat,
                ROOM,
                SessionAction::ShowVista {
                    segment: i,
                    vista: self.vista.0.clone(),
                },
            );
            self.session.apply(&shown);
            self.inputs.push(shown);
        }
    }

    /// The room's clock moves on `beats`.
    pub fn tick(&mut self, beats: u64) {
        let input = SessionInput::new(self.session.beat + beats, ROOM, SessionAction::Tick);
        self.session.apply(&input);
        self.inputs.push(input);
    }

    /// `seat` does `input` on its screen; what it asks of the room is applied. Returns the
    /// commands (a Quit stays with the caller).
    pub fn input(&mut self, seat: SeatId, input: Input) -> Vec<SessionCommand> {
        let area = self.area;
        let cmds = self.seats[seat as usize].on_input(&input, &self.session, area);
        for c in &cmds {
            if let SessionCommand::Act(a) = c {
                self.apply(seat, a.clone());
            }
        }
        cmds
    }

    pub fn key(&mut self, seat: SeatId, code: KeyCode) -> Vec<SessionCommand> {
        self.input(seat, Input::Key(Key::plain(code)))
    }

    pub fn char(&mut self, seat: SeatId, c: char) -> Vec<SessionCommand> {
        self.input(seat, Input::Key(Key::char(c)))
    }

    /// Types `text` and presses enter.
    pub fn typed(&mut self, seat: SeatId, text: &str) {
        for c in text.chars() {
            self.char(seat, c);
        }
        self.key(seat, KeyCode::Enter);
    }

    /// `seat`'s screen at `w`x`h`.
    pub fn draw(&self, seat: SeatId, w: u16, h: u16) -> Buffer {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        let screen = SessionScreen {
            session: &self.session,
            vista: Some(&self.vista.1),
            now: 60.0,
        };
        self.seats[seat as usize].draw(&mut buf, area, &screen, &self.theme);
        buf
    }
}

/// A room at a named moment of the weekly session, reached by keys: `gathering`,
/// `walkthrough`, `spinning`, `turn`, `wheel`, `drill`, `discussion`, `end`.
pub fn at(moment: &str) -> Room {
    let mut r = Room::new(7);
    if moment == "gathering" {
        return r;
    }
    r.tick(5);
    r.char(ANA, '>'); // the walkthrough
    // ana hands the presenter role to bo: P, then bo's row.
    r.char(ANA, 'P');
    r.key(ANA, KeyCode::Down);
    r.key(ANA, KeyCode::Enter);
    r.tick(20);
    r.key(BO, KeyCode::Tab);
    r.key(BO, KeyCode::Tab);
    r.char(CY, 'a');
    r.typed(CY, "why does the 5xx ratio never reach zero?");
    r.tick(30);
    r.char(ANA, 'r');
    r.typed(ANA, "this is the line the checkout SLO is judged on");
    r.char(BO, 't');
    r.tick(15);
    if moment == "walkthrough" {
        return r;
    }
    r.tick(700);
    r.char(ANA, '>'); // the wheel
    r.tick(10);
    r.char(BO, ' ');
    if moment == "spinning" {
        r.tick(3);
        return r;
    }
    r.tick(20);
    r.char(ANA, 'n');
    r.typed(
        ANA,
        "opened the service catalogue and searched for the name",
    );
    r.tick(40);
    if moment == "turn" {
        return r;
    }
    r.char(ANA, '2');
    r.tick(10);
    r.char(ANA, 'w');
    r.key(ANA, KeyCode::Down);
    r.key(ANA, KeyCode::Down);
    r.key(ANA, KeyCode::Enter); // spin for cy
    r.tick(30);
    r.char(CY, 'e');
    r.typed(CY, "the data platform on-call rotation");
    r.char(ANA, '3');
    if moment == "wheel" {
        r.tick(12);
        return r;
    }
    r.tick(1500);
    r.char(ANA, '>'); // the drill
    r.tick(60);
    r.char(BO, 'n');
    r.typed(BO, "TODO: add a canary gate to the release train");
    if moment == "drill" {
        return r;
    }
    r.tick(700);
    r.char(ANA, '>'); // the discussion
    r.tick(100);
    r.char(BO, 'n');
    r.typed(
        BO,
        "the pager at night is the part people fear; shadow shifts helped",
    );
    r.char(CY, 'n');
    r.typed(CY, "TODO: write a first-shift guide");
    if moment == "discussion" {
        return r;
    }
    r.tick(500);
    r.char(ANA, '>'); // the knowledge matrix
    r.tick(20);
    r.key(BO, KeyCode::Right);
    r.key(BO, KeyCode::Right);
    r.key(BO, KeyCode::Right);
    r.key(BO, KeyCode::Right);
    r.char(BO, 'k'); // checkout-api × bo: knows
    r.key(CY, KeyCode::Down);
    r.key(CY, KeyCode::Down);
    r.char(CY, 'u'); // orders database × payments-db: unknown
    r.char(CY, 'c');
    r.typed(CY, "nobody has seen its schema");
    if moment == "matrix" {
        return r;
    }
    r.tick(300);
    r.char(ANA, '>'); // the DRT (this harness runs no room, so nothing seeds it)
    r.char(BO, 'a'); // adds a row
    r.key(BO, KeyCode::Enter); // claims its decision
    r.typed(BO, " (checked)"); // enter lets it go
    assert!(
        r.session
            .drt(5)
            .is_some_and(|t| t.rows[0].cells[0].ends_with(" (checked)")),
        "{moment}"
    );
    r.tick(300);
    r.char(ANA, '>'); // the end
    assert!(r.session.is_ended(), "{moment}");
    r
}

/// The text of a buffer, one line a row, trailing spaces trimmed.
pub fn text(buf: &Buffer) -> String {
    let a = buf.area;
    let mut out = String::new();
    for y in 0..a.height {
        let mut line = String::new();
        for x in 0..a.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
