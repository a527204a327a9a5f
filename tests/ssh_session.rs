//! A session over the real OpenSSH client against `gamelan serve` on 127.0.0.1: one player
//! opens the bundled weekly session with `ssh HOST session weekly` (and facilitates it),
//! another finds it in the lobby beside the drills and takes part, two observe (one from
//! the lobby, one with `observe NAME`), a killed client takes its seat back, and the server
//! stopping ends the session for everyone, its recording and write-up saved.

mod common;

use common::openssh::{Server, Site};
use std::path::PathBuf;

/// `gamelan serve` with one key every player logs in with.
struct Sessions {
    site: Site,
    server: Server,
    key: PathBuf,
}

impl Sessions {
    fn start() -> Sessions {
        let site = Site::new();
        let key = site.authorized_key("team");
        let server = site.serve(&[]);
        Sessions { site, server, key }
    }

    /// `ssh -tt USER@HOST [COMMAND]` in a pseudo-terminal.
    fn term(&self, user: &str, command: Option<&str>, cols: u16, rows: u16) -> common::Term {
        match command {
            Some(c) => self.server.term_running(&self.key, user, c, cols, rows),
            None => self.server.term(&self.key, user, cols, rows),
        }
    }

    fn wait_list(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        self.server.wait_list(&self.key, what, ok)
    }

    fn recordings(&self) -> PathBuf {
        self.site.path("data/recordings")
    }
}

#[test]
fn a_session_over_openssh_with_players_and_observers() {
    let server = Sessions::start();
    let ana = server.term("ana", Some("session weekly"), 100, 30);
    ana.wait_until("ana's seat", |_| ana.alternate_screen());
    let list = server.wait_list("the session", |l| l.contains("weekly-1"));
    assert!(
        list.contains("open sessions:") && list.contains("setlists:"),
        "{list}"
    );
    // bo finds it in the lobby, beside the drills, and takes part.
    let mut bo = server.term("bo", None, 100, 30);
    bo.wait_all(&[
        "Open sessions: join one",
        "weekly-1",
        "Setlists: open a weekly session",
    ]);
    bo.press("\r");
    bo.wait_all(&["Take part", "Observe"]);
    bo.press("\r");
    server.wait_list("bo", |l| l.contains("ana, bo"));
    // cy observes from the lobby, dee with a command.
    let cy = server.term("cy", None, 80, 24);
    cy.wait_for("weekly-1");
    cy.press("\r");
    cy.wait_for("Observe");
    cy.press("\x1b[B");
    cy.press("\r");
    let dee = server.term("dee", Some("observe weekly-1"), 120, 40);
    server.wait_list("two observers", |l| l.contains("2 observing"));
    // A killed client comes back to the same seat.
    bo.kill_hard();
    server.wait_list("bo away", |l| {
        l.contains("weekly-1") && !l.contains("ana, bo")
    });
    let bo = server.term("bo", Some("join weekly-1"), 90, 30);
    let list = server.wait_list("bo back", |l| l.contains("ana, bo "));
    assert!(!list.contains("bo-2"), "{list}");
    for t in [&ana, &bo, &cy, &dee] {
        t.wait_until("a session seat", |_| t.alternate_screen());
    }
    // The server stops: every seat is told why and gets its terminal back.
    unsafe {
        libc::kill(server.server.pid(), libc::SIGTERM);
    }
    for t in [&ana, &bo, &cy, &dee] {
        t.wait_for("the session ended: the server is shutting down (weekly-1)");
        assert!(!t.alternate_screen());
    }
    let rec = std::fs::read_dir(server.recordings())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with(".jsonl"))
        .expect("the session was recorded");
    let md = std::fs::read_to_string(rec.with_extension("writeup.md")).unwrap();
    for who in ["ana", "bo", "cy", "dee"] {
        assert!(md.contains(who), "{who} in the write-up:\n{md}");
    }
    assert!(md.contains("observer"), "{md}");
}

/// The issue's "done when" over the real OpenSSH client: ana opens the weekly session with
/// `ssh HOST session weekly`, bo and cy join it with `ssh HOST join weekly-1`, and the three
/// walk it from walkthrough to wheel to drill to write-up by the keys their screens print;
/// the write-up saved on the server says what happened.
#[test]
fn three_openssh_clients_walk_the_weekly_session_by_its_printed_keys() {
    let server = Sessions::start();
    let ana = server.term("ana", Some("session weekly"), 100, 30);
    ana.wait_until("ana's seat", |_| ana.alternate_screen());
    server.wait_list("the session", |l| l.contains("weekly-1"));
    let bo = server.term("bo", Some("join weekly-1"), 80, 24);
    server.wait_list("bo", |l| l.contains("ana, bo"));
    let cy = server.term("cy", Some("join weekly-1"), 120, 40);
    server.wait_list("cy", |l| l.contains("ana, bo, cy"));
    let w = common::walk::weekly(&ana, &bo, &cy);
    let rec = std::fs::read_dir(server.recordings())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            let p = p.to_string_lossy();
            p.contains("session") && p.ends_with(".jsonl")
        })
        .expect("the session was recorded");
    let md = std::fs::read_to_string(rec.with_extension("writeup.md")).unwrap();
    let json = std::fs::read_to_string(rec.with_extension("writeup.json")).unwrap();
    common::walk::check_writeup(&md, &json, &w);
}
