//! The issue's "done when" walk of the bundled weekly session, shared by the socket and the
//! OpenSSH tests: a facilitator and two players press only the keys their screens print.

use super::{Term, WAIT};
use std::time::{Duration, Instant};

/// What the walk did that the write-up must say.
pub struct Walked {
    /// The seat the wheel picked to answer.
    pub answerer: String,
    /// The drill's objectives as the screens showed them: `4 of 5`.
    pub met: String,
}

/// Walks the session from the gathering to the write-up: at each step every seat shows the
/// same segment. `ana` facilitates and presents.
pub fn weekly(ana: &Term, bo: &Term, cy: &Term) -> Walked {
    let all = [ana, bo, cy];
    let same = |needles: &[&str]| {
        for t in all {
            t.wait_all(needles);
        }
    };
    // The gathering: the facilitator's hint line says how to start.
    ana.wait_line(&["> start", "? keys"]);
    same(&["here: ana bo cy"]);
    ana.press(">");
    same(&["1/6 walkthrough", "range 1h"]);
    // The presenter's range key, as the hint prints it, moves every follower's charts.
    ana.wait_line(&["[ ] range"]);
    ana.press("]");
    same(&["range 3h"]);
    bo.wait_line(&["r remark"]);
    bo.press("r");
    bo.wait_for("remark on the pane in focus");
    bo.press("the request rate dips at lunch");
    bo.press("\r");
    ana.wait_for("✎1");
    ana.wait_line(&["> next"]);
    ana.press(">");
    same(&["2/6 wheel", "No turn yet"]);
    bo.wait_line(&["space spin"]);
    bo.press(" ");
    // The wheel slows on the beat and names who answers: that seat is told it is its turn.
    let answerer = all
        .iter()
        .find_map(|t| {
            let deadline = Instant::now() + WAIT;
            while Instant::now() < deadline {
                if t.text().contains("your turn") {
                    return Some(*t);
                }
                if all.iter().any(|o| o.text().contains("your turn")) {
                    return None;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            None
        })
        .expect("someone's turn");
    answerer.wait_line(&["n note"]);
    answerer.press("n");
    answerer.press("looked in the service catalogue");
    answerer.press("\r");
    ana.wait_line(&["1 found"]);
    ana.press("1");
    same(&["found in"]);
    ana.press(">");
    same(&["3/6 drill", "Enter starts the metronome"]);
    ana.press("\r");
    same(&["RUNNING"]);
    // The cues, from the console's own cue list; the rollback takes three beats to land.
    for (t, k) in [
        (&bo, "a"),
        (&cy, "d"),
        (&bo, "g"),
        (&cy, "l"),
        (&bo, "r"),
        (&cy, "s"),
    ] {
        t.press(k);
    }
    bo.press("n");
    bo.press("TODO: a canary gate for the release train");
    bo.press("\r");
    std::thread::sleep(Duration::from_secs(5));
    ana.press("v");
    // The drill is over: every seat is back on the session's screen with its outcome.
    same(&["3/6 drill", "objectives"]);
    let screen = ana.text();
    let met = screen
        .split("objectives ")
        .nth(1)
        .and_then(|r| r.split(" met").next())
        .expect("the outcome on screen")
        .replace('/', " of ");
    ana.wait_line(&["> next"]);
    ana.press(">");
    same(&["4/6 discussion"]);
    cy.press("n");
    cy.press("TODO: a first-shift guide");
    cy.press("\r");
    ana.press(">");
    same(&["5/6 matrix"]);
    ana.press(">");
    same(&["6/6 drt"]);
    ana.press(">");
    same(&["ended", "saved to"]);
    Walked {
        answerer: answerer.name.clone(),
        met,
    }
}

/// The write-up (Markdown and JSON) says what the walk did.
pub fn check_writeup(md: &str, json: &str, w: &Walked) {
    let answered = w.answerer.as_str();
    let met = &w.met;
    for want in [
        "| ana | facilitator",
        "| bo | participant",
        "| cy | participant",
        "the request rate dips at lunch",
        "looked in the service catalogue",
        "found)",
        "ended (resolved)",
        "a canary gate for the release train (drill run 1",
        "a first-shift guide",
    ] {
        assert!(md.contains(want), "{want:?} in the write-up:\n{md}");
    }
    assert!(
        md.contains(&format!("objectives {met} met")),
        "the outcome the screens showed ({met}) in:\n{md}"
    );
    assert!(
        md.contains(&format!("({answered}, found)")),
        "{answered}'s turn in:\n{md}"
    );
    assert!(
        json.contains("looked in the service catalogue"),
        "the turn's note in the write-up json:\n{json}"
    );
}
