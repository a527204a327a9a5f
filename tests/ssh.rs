//! The real OpenSSH client against `gamelan serve` on 127.0.0.1: keys made by `ssh-keygen`,
//! each `ssh` driven through a pseudo-terminal whose screen is read with vt100. Covers who gets
//! in (listed keys; not unlisted ones, passwords or keyboard-interactive; edits to the file
//! without a restart), two players in one drill seeing each other's cues, window changes,
//! a killed client taking its seat back, a stopped client not stalling the others, garbage
//! bytes and absurd window sizes, the server's shutdown telling every seat why, a pair without
//! a facilitator starting its drill, and each seat drawn in its own terminal's colours.
//!
//! Every wait has a deadline; servers and clients are killed by Drop guards.

mod common;

use common::Term;
use std::path::Path;
use std::time::Duration;

use common::openssh::Site;

/// The lobby's first screen for `user`.
fn lobby_of(user: &str) -> [String; 2] {
    [
        format!("welcome, {user}"),
        "Scenarios: start a new drill".into(),
    ]
}

#[test]
fn listed_keys_get_in_others_are_refused_and_edits_apply_without_restart() {
    let site = Site::new();
    let ana = site.keygen("ana");
    let bo = site.keygen("bo");
    site.authorize(&format!("# the team\n{}", site.public(&ana)));
    let server = site.serve(&[]);
    let host_key = std::fs::read_to_string(site.path("host_key")).unwrap();
    assert!(host_key.contains("OPENSSH PRIVATE KEY"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(site.path("host_key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the generated host key is private");
    }

    // A listed key gets the lobby.
    let mut t = server.term(&ana, "ana", 80, 24);
    let l = lobby_of("ana");
    let screen = t.wait_all(&[&l[0], &l[1], "bad-deploy"]);
    assert!(screen.contains("none yet"), "{screen}");

    // An unlisted key, a password and keyboard-interactive are refused.
    let (ok, _, err) = server.batch(&bo, "bo", &[], "list");
    assert!(!ok && err.contains("Permission denied"), "{err}");
    let (ok, _, err) = server.batch(
        &ana,
        "ana",
        &[
            "-o",
            "PreferredAuthentications=password",
            "-o",
            "PubkeyAuthentication=no",
        ],
        "list",
    );
    assert!(!ok && err.contains("Permission denied"), "password: {err}");
    let (ok, _, err) = server.batch(
        &ana,
        "ana",
        &[
            "-o",
            "PreferredAuthentications=keyboard-interactive",
            "-o",
            "PubkeyAuthentication=no",
        ],
        "list",
    );
    assert!(
        !ok && err.contains("Permission denied (publickey)"),
        "kbd: {err}"
    );

    // Editing the file applies at the next login: bo (with options and a comment) gets in…
    site.authorize(&format!(
        "{}\nno-port-forwarding,command=\"echo a b\" {}",
        site.public(&ana),
        site.public(&bo).trim()
    ));
    let (ok, out, err) = server.batch(&bo, "bo", &[], "list");
    assert!(ok, "bo listed now: {err}");
    assert!(
        out.contains("open drills:") && out.contains("bad-deploy"),
        "{out}"
    );
    // …and ana, taken out, no longer does (her open session is not cut).
    site.authorize(&site.public(&bo));
    let (ok, _, err) = server.batch(&ana, "ana", &[], "list");
    assert!(!ok && err.contains("Permission denied"), "{err}");

    t.press("q");
    assert_eq!(t.wait_exit().exit_code(), 0);
    let screen = t.wait_all(&["gamelan: bye"]);
    assert!(!t.alternate_screen(), "back on the main screen: {screen}");
}

#[test]
fn two_players_share_a_drill_resize_drop_rejoin_and_hear_the_server_stop() {
    let site = Site::new();
    let ana = site.keygen("ana");
    let bo = site.keygen("bo");
    site.authorize(&format!("{}{}", site.public(&ana), site.public(&bo)));
    let mut server = site.serve(&["--linger", "60"]);

    // ana starts a bad-deploy drill playing every role.
    let mut a = server.term(&ana, "ana", 80, 24);
    a.wait_all(&lobby_of("ana").each_ref().map(String::as_str));
    a.press("\r");
    a.wait_all(&["new drill · pick your role", "Every role (solo)"]);
    a.press("\x1b[A"); // up: wraps to the last option, every role
    a.press("\r");
    a.wait_all(&["Enter starts the metronome"]);

    // bo sees it in the lobby and joins as the operator.
    let mut b = server.term(&bo, "bo", 80, 24);
    b.wait_all(&["bad-deploy-1", "briefing", "ana (solo, conducts)"]);
    b.press("\r");
    b.wait_all(&["join bad-deploy-1 · pick your role", "Operator"]);
    b.press("jj"); // past the incident commander and the communications lead
    b.press("\r");
    b.wait_all(&["Enter starts the metronome"]);

    // ana starts the metronome and acknowledges; bo's feed shows it under ana's name.
    a.press("\r");
    a.wait_all(&["RUNNING"]);
    a.press("a");
    let feed = b.wait_all(&["ana", "Acknowledge"]);
    assert!(feed.contains("RUNNING"), "{feed}");
    // bo's own cue reaches ana, attributed to bo.
    b.press("g");
    a.wait_all(&["bo", "Check the deploy"]);

    // A window change redraws ana's seat at the new size: the large layout has a header
    // naming both seats.
    a.resize(120, 40);
    a.wait_all(&["gamelan · Checkout 5xx", "seats: ana (solo), bo (Operator)"]);

    // bo's connection dies (ssh killed); the drill goes on, without bo's seat present.
    b.signal(libc::SIGKILL);
    let _ = b.wait_exit().exit_code();
    drop(b);
    a.wait_until("bo's seat to go away", |t| {
        t.contains("seats: ana (solo) ") && !t.contains("bo (Operator)")
    });
    let (ok, out, _) = server.batch(&ana, "ana", &[], "list");
    assert!(ok && out.contains("bo (operator, away)"), "{out}");

    // bo comes back and takes the same seat.
    let mut b = server.term(&bo, "bo", 80, 24);
    b.wait_all(&["bad-deploy-1", "bo (operator, away)"]);
    b.press("\r");
    b.wait_all(&["Take your seat back (Operator)"]);
    b.press("\r");
    b.wait_all(&["RUNNING", "Acknowledge"]);
    a.wait_all(&["seats: ana (solo), bo (Operator)"]);
    let (_, out, _) = server.batch(&ana, "ana", &[], "list");
    assert_eq!(out.matches("bo (").count(), 1, "one seat for bo: {out}");
    assert!(!out.contains("away"), "{out}");

    // The server stops: every seat is told why, and every ssh ends.
    server.signal(libc::SIGTERM);
    a.wait_all(&["the drill ended: the server is shutting down"]);
    b.wait_all(&["the drill ended: the server is shutting down"]);
    assert_eq!(a.wait_exit().exit_code(), 0);
    assert_eq!(b.wait_exit().exit_code(), 0);
    assert!(server.wait_exit().success(), "{}", server.log());
    // The drill was recorded to the data directory.
    let recordings: Vec<_> = std::fs::read_dir(site.path("data/recordings"))
        .unwrap()
        .collect();
    assert_eq!(recordings.len(), 1);
}

#[test]
fn a_stopped_client_never_stalls_the_others_and_garbage_never_breaks_a_seat() {
    let site = Site::new();
    let ana = site.keygen("ana");
    let cy = site.keygen("cy");
    site.authorize(&format!("{}{}", site.public(&ana), site.public(&cy)));
    let server = site.serve(&["--tempo", "600"]);

    let a = server.term(&ana, "ana", 80, 24);
    a.wait_all(&lobby_of("ana").each_ref().map(String::as_str));
    a.press("\r\x1b[A\r");
    a.wait_all(&["Enter starts the metronome"]);
    let c = server.term(&cy, "cy", 80, 24);
    c.wait_all(&["bad-deploy-1"]);
    c.press("\r");
    c.press("\r"); // the first role
    c.wait_all(&["Enter starts the metronome"]);
    a.press("\r");
    a.wait_all(&["RUNNING"]);

    // cy's ssh stops reading (SIGSTOP): ana's seat keeps getting frames at full pace.
    c.signal(libc::SIGSTOP);
    let before = a.bytes();
    std::thread::sleep(Duration::from_secs(3));
    let during = a.bytes() - before;
    assert!(
        during > 2_000,
        "ana got {during} bytes in 3 s while cy was stopped"
    );
    c.signal(libc::SIGCONT);
    let resumed = c.bytes();
    c.wait_until("cy's screen to move again", |_| c.bytes() > resumed + 500);

    // Garbage, broken escape sequences and absurd window sizes: the seat stays up.
    let mut junk = Vec::new();
    let mut seed = 12345u32;
    for _ in 0..4096 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let b = (seed >> 16) as u8;
        // Keep out printable keys (cues, quit) and Enter, Esc, Ctrl-C: what is left must
        // do nothing at all.
        if !matches!(b, 0x20..=0x7e | 3 | b'\r' | b'\n' | 0x1b) {
            junk.push(b);
        }
    }
    junk.extend_from_slice(
        b"\x1b[999999999999999999;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;",
    );
    junk.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f]);
    c.send(&junk);
    c.resize(1, 1);
    std::thread::sleep(Duration::from_millis(300));
    c.resize(700, 260);
    std::thread::sleep(Duration::from_millis(300));
    c.resize(80, 24);
    c.press("\x1b"); // leave whatever the junk opened
    c.press("\x1b");
    c.wait_all(&["RUNNING"]);
    a.wait_all(&["RUNNING"]);
    // The server still takes new logins.
    let (ok, out, _) = server.batch(&ana, "ana", &[], "list");
    assert!(
        ok && out.contains("bad-deploy-1"),
        "{out}\n{}",
        server.log()
    );
}

/// A pair practising alone: one opens a drill as incident commander, the other joins as
/// operator, nobody facilitates. The seat that opened the drill conducts (the lobby says
/// so), and its Enter starts the drill for both.
#[test]
fn a_pair_without_a_facilitator_starts_the_drill() {
    let site = Site::new();
    let ana = site.keygen("ana");
    let bo = site.keygen("bo");
    site.authorize(&format!("{}{}", site.public(&ana), site.public(&bo)));
    let server = site.serve(&[]);

    let a = server.term(&ana, "ana", 80, 24);
    a.wait_all(&lobby_of("ana").each_ref().map(String::as_str));
    a.press("\r");
    a.wait_all(&[
        "new drill · pick your role",
        "conducts it until a facilitator joins",
    ]);
    a.press("\r"); // the first role: incident commander
    a.wait_all(&["Enter starts the metronome", "ana · ? keys"]);

    let b = server.term(&bo, "bo", 80, 24);
    b.wait_all(&["bad-deploy-1", "ana (commander, conducts)"]);
    b.press("\r");
    b.wait_all(&[
        "join bad-deploy-1 · pick your role",
        "seated: ana (conducts)",
    ]);
    b.press("jj"); // past the incident commander and the communications lead
    b.press("\r"); // operator
    b.wait_all(&["Enter starts the metronome", "bo · ana conducts"]);
    b.press("\r");
    b.wait_all(&["waiting for ana to start"]);

    a.press("\r");
    a.wait_all(&["RUNNING"]);
    b.wait_all(&["RUNNING"]);
    // The conductor may pause; the operator may not.
    b.press(" ");
    b.wait_all(&["pause: only a facilitator"]);
    a.press(" ");
    a.wait_all(&["PAUSED"]);
    b.wait_all(&["PAUSED"]);
}

/// Each seat is drawn for its own terminal: colour for `xterm-256color`, none for
/// `TERM=dumb` or a client that sends `NO_COLOR`; the same user twice in one drill gets a
/// second seat of its own; and a seat's lobby theme is its own.
#[test]
fn each_seat_gets_its_own_colours_theme_and_name() {
    let site = Site::new();
    let ana = site.keygen("ana");
    site.authorize(&site.public(&ana));
    let server = site.serve(&[]);
    let open = |t: &Term| {
        t.wait_all(&lobby_of("ana").each_ref().map(String::as_str));
    };

    let colour = server.term(&ana, "ana", 100, 30);
    open(&colour);
    let screen = colour.wait_all(&["t theme dark · 256 colours"]);
    assert!(colour.has_colour(), "{screen}");
    // `t` picks another theme for this seat only.
    colour.press("t");
    colour.wait_all(&["t theme light · 256 colours"]);

    let dumb_term = std::ffi::OsStr::new("dumb");
    let dumb = server.term_with(&ana, "ana", &[], &[("TERM", dumb_term)], 100, 30);
    open(&dumb);
    dumb.wait_all(&["t theme dark · no colour"]);
    assert!(!dumb.has_colour(), "TERM=dumb: no colour");

    let plain = server.term_with(&ana, "ana", &["-o", "SetEnv=NO_COLOR=1"], &[], 100, 30);
    open(&plain);
    plain.wait_all(&["t theme dark · no colour"]);
    assert!(!plain.has_colour(), "NO_COLOR from the client: no colour");

    // The first opens a drill playing every role; the second joins it under the same user.
    colour.press("\r\x1b[A\r");
    colour.wait_all(&["Enter starts the metronome", "ana · ? keys"]);
    plain.wait_all(&["bad-deploy-1"]);
    // Its selection stayed on the first scenario: up once to the open drill.
    plain.press("\x1b[A");
    plain.press("\r\x1b[A\r");
    plain.wait_all(&["Enter starts the metronome", "ana-2 · ? keys"]);
    assert!(!plain.has_colour(), "the drill keeps the seat's colours");
    assert!(colour.has_colour());
    let (ok, out, _) = server.batch(&ana, "ana", &[], "list");
    assert!(
        ok && out.contains("ana (solo, conducts), ana-2 (solo, conducts)"),
        "{out}"
    );
}

/// The SSH lobby filters and sorts the catalogue from a real client: a typed tag (with a `t`
/// in it, which is a letter there and not the theme key), nothing matching and how to clear it,
/// a difficulty, and the drill started is the one the filter shows.
#[test]
fn the_lobby_filters_the_catalogue_over_ssh() {
    let site = Site::new();
    let ana = site.keygen("ana");
    site.authorize(&site.public(&ana));
    let server = site.serve(&[]);
    let a = server.term(&ana, "ana", 80, 24);
    a.wait_all(&lobby_of("ana").each_ref().map(String::as_str));
    a.wait_all(&["all 15 · by id"]);
    a.press("/tls");
    a.wait_all(&["tag: tls"]);
    a.press("\r");
    a.wait_all(&["tag tls · 1 of 15", "cert-expiry · Partner API"]);
    a.press("m");
    a.wait_all(&["no drill matches tag tls · ≤ 30 min", "press x to clear"]);
    a.press("x");
    a.wait_all(&["all 15 · by id"]);
    a.press("dddd");
    a.wait_all(&["expert · 3 of 15", "bgp-withdrawal · A capacity"]);
    a.press("\r");
    a.wait_all(&["new drill · pick your role", "A capacity check takes"]);
    a.press("\r");
    a.wait_all(&["Enter starts the metronome", "backbone"]);
}

/// The recordings library over SSH lists only the server's data directory, replays a
/// recording for this peer and back, and never deletes or renames the server's files.
#[test]
fn the_ssh_library_lists_the_servers_recordings_read_only() {
    let site = Site::new();
    let ana = site.keygen("ana");
    site.authorize(&site.public(&ana));
    let recs = site.path("data").join("recordings");
    std::fs::create_dir_all(&recs).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recordings");
    for f in ["bad-deploy.win.jsonl", "bad-deploy.mixed.jsonl"] {
        std::fs::copy(fixtures.join(f), recs.join(f)).unwrap();
    }
    // Recorded before bad-deploy gained its decision point: the drill as it was then.
    let scenarios = site.path("config").join("scenarios");
    std::fs::create_dir_all(&scenarios).unwrap();
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pinned");
    std::fs::copy(
        pinned.join("bad-deploy.toml"),
        scenarios.join("bad-deploy.toml"),
    )
    .unwrap();
    let server = site.serve(&[]);
    let mut t = server.term(&ana, "ana", 80, 24);
    let l = lobby_of("ana");
    t.wait_all(&[&l[0], &l[1]]);
    t.press("r");
    let screen = t.wait_all(&["recordings · 2 of 2", "bad-deploy.win.jsonl"]);
    assert!(
        screen.contains("ana,bo,fac"),
        "the mixed run's seats: {screen}"
    );
    t.press("x");
    t.wait_for("cannot be deleted or renamed");
    assert!(recs.join("bad-deploy.win.jsonl").exists());
    // The mixed run, with the winning run as its ghost.
    t.press("g");
    t.press("j");
    t.wait_for("compared with the ghost bad-deploy.win.jsonl");
    t.press("\r");
    t.wait_all(&["REPLAY", "vista · bad-deploy"]);
    t.press("G");
    t.wait_for("ENDED (resolved)");
    t.press("q");
    t.wait_for("recordings · 2 of 2");
    t.press("d");
    t.wait_all(&[
        "debrief · against bad-deploy.win",
        "# Debrief: Checkout 5xx",
    ]);
    t.press("q");
    t.wait_for("recordings · 2 of 2");
    t.press("q");
    let l = lobby_of("ana");
    t.wait_all(&[&l[0], &l[1]]);
    t.press("q");
    assert_eq!(t.wait_exit().exit_code(), 0);
    assert_eq!(
        std::fs::read_dir(&recs).unwrap().count(),
        2,
        "nothing written"
    );
}

/// Two seats over the real OpenSSH client build a Decision Requirements Table after a drill:
/// the decision point's row filled from the drill, one seat's typing seen by the other, a held
/// cell refused, a row dropped with its seat keeping what was typed, the table exported into
/// the server's data directory.
#[test]
fn two_seats_build_a_drt_over_ssh_and_export_it() {
    let site = Site::new();
    let ana = site.keygen("ana");
    let bo = site.keygen("bo");
    site.authorize(&format!("{}{}", site.public(&ana), site.public(&bo)));
    let server = site.serve(&["--tempo", "600"]);

    let a = server.term(&ana, "ana", 80, 24);
    a.wait_all(&lobby_of("ana").each_ref().map(String::as_str));
    a.press("\r");
    a.wait_all(&["new drill · pick your role"]);
    a.press("\r"); // the incident commander
    a.wait_all(&["Enter starts the metronome"]);
    let b = server.term(&bo, "bo", 200, 50);
    b.wait_all(&["bad-deploy-1"]);
    b.press("\r");
    b.wait_all(&["join bad-deploy-1 · pick your role"]);
    b.press("jj");
    b.press("\r"); // operator
    b.wait_all(&["Enter starts the metronome"]);
    a.press("\r");
    a.wait_all(&["RUNNING"]);
    // The operator finds the release and rolls back: the decision point is taken.
    b.press("g");
    b.press("r");
    a.wait_line(&["bo: chose Roll back"]);
    a.wait_all(&["ENDED"]);
    b.wait_all(&["ENDED"]);

    a.press("t");
    b.press("t");
    a.wait_all(&["chose Roll back to v2.40.3 (bo)", "columns 1,2 of 7"]);
    b.wait_all(&["all 7 columns", "sources of uncertainty"]);
    b.press("\x1b[D");
    b.press("\r");
    b.press("was the canary real");
    a.press("\x1b[D");
    a.wait_all(&["✎bo was the canary real"]);
    a.press("\r");
    a.wait_all(&["bo is editing that cell"]);
    // bo's client dies mid-edit: the cell is let go, the text stays.
    drop(b);
    a.wait_until("bo's claim let go", |s| {
        !s.contains("✎bo") && s.contains("was the canary real")
    });
    a.press("c");
    a.wait_all(&["exported to", "bad-deploy.drt.csv"]);
    let csv = std::fs::read_to_string(site.path("data/drt/bad-deploy.drt.csv")).unwrap();
    assert!(csv.contains("was the canary real"), "{csv}");
    assert!(csv.contains("chose Roll back to v2.40.3 (bo)"), "{csv}");
}
