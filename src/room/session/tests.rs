use super::*;
use crate::room::Naming;
use crate::session::state::Phase;
use crate::session::{SessionEvent, VistaShape};
use std::time::Duration;

/// The data, config and runtime directories of a test under `dir`.
fn paths(dir: &std::path::Path) -> crate::config::Paths {
    crate::config::Paths {
        config: dir.join("config"),
        data: dir.join("data"),
        runtime: dir.join("run"),
    }
}

/// The bundled weekly session as `gamelan session weekly` opens it (the shell's own
/// `open_spec`, which the integration tests use too): the walkthrough of bad-deploy's
/// simulated vista, the wheel, the bad-deploy drill at 600 BPM, a discussion, the matrix, the
/// DRT; recorded to `dir/s.jsonl`, its drills to the data directory's recordings.
pub(crate) fn weekly(dir: &std::path::Path) -> SessionSpec {
    let (spec, problem) = crate::cmd::session::open_spec(
        &paths(dir),
        "weekly",
        7,
        Some(600),
        "weekly",
        Some(dir.join("s.jsonl")),
    )
    .expect("the bundled weekly setlist opens");
    assert!(problem.is_none(), "{problem:?}");
    spec
}

async fn until(room: &SessionRoom, what: impl Fn(&SessionState) -> bool) -> SessionState {
    let mut rx = room.state();
    tokio::time::timeout(Duration::from_secs(20), rx.wait_for(|s| what(s)))
        .await
        .expect("in time")
        .unwrap()
        .clone()
}

fn refused(s: &Session, seat: SeatId, what: &str) -> bool {
    s.log.iter().any(|l| {
        matches!(&l.event, SessionEvent::Refused { seat: x, what: w, .. } if *x == seat && w == what)
    })
}

#[tokio::test]
async fn a_live_session_runs_its_segments_and_replays_to_the_same_state() {
    let dir = tempfile::tempdir().unwrap();
    let room = SessionRoom::spawn(weekly(dir.path()));
    let ana = room.join("ana", false, Naming::Exact).await.unwrap();
    let bo = room.join("bo", false, Naming::Derived).await.unwrap();
    let cy = room.join("bo", false, Naming::Derived).await.unwrap();
    assert_eq!(cy.name, "bo-2", "a second seat of one name gets its own");
    let dee = room.join("dee", true, Naming::Derived).await.unwrap();
    // The observer's actions are refused, and recorded as refused.
    room.act(dee.id, SessionAction::Next).await.unwrap();
    room.act(dee.id, SessionAction::Note { text: "hi".into() })
        .await
        .unwrap();
    let s = until(&room, |s| refused(&s.session, dee.id, "note")).await;
    assert!(refused(&s.session, dee.id, "next"));
    assert_eq!(s.session.phase, Phase::Gathering);
    // The facilitator starts the walkthrough: the simulated vista is shown to everyone.
    room.act(ana.id, SessionAction::Next).await.unwrap();
    let s = until(&room, |s| s.vista.is_some()).await;
    assert_eq!(s.session.current(), Some(0));
    let shown = match &s.session.segments[0].activity {
        crate::session::state::Activity::Walkthrough(w) => w.vista.clone(),
        _ => None,
    };
    assert_eq!(shown.unwrap().panes.len(), s.vista.unwrap().panes.len());
    // bo drops and comes back mid-segment: same seat, in the current segment.
    room.act(bo.id, SessionAction::Leave).await.unwrap();
    let back = room.join("bo", false, Naming::Derived).await.unwrap();
    assert_eq!(back, bo);
    let s = until(&room, |s| {
        s.session.log.iter().any(|l| {
            matches!(l.event, SessionEvent::Joined { seat, rejoin: true, segment: Some(0), .. } if seat == bo.id)
        })
    })
    .await;
    assert!(s.session.seat(bo.id).unwrap().present);
    // On to the wheel, then the drill: the participants sit in the drill, the observer not.
    room.act(ana.id, SessionAction::Next).await.unwrap();
    room.act(bo.id, SessionAction::Spin).await.unwrap();
    room.act(ana.id, SessionAction::Next).await.unwrap();
    let s = until(&room, |s| s.drill.is_some()).await;
    let stage = s.drill.unwrap();
    assert_eq!(stage.segment, 2);
    assert!(s.vista.is_none(), "the walkthrough's vista stopped");
    for seat in [ana.id, bo.id, cy.id] {
        assert!(stage.seat_of(seat).is_some(), "{seat} plays in the drill");
    }
    assert!(stage.seat_of(dee.id).is_none());
    // The drill runs and its conductor (the facilitator, seated first) ends it: the outcome
    // is reported and every seat is back in the session.
    let conductor = stage.seat_of(ana.id).unwrap();
    stage.room.start().await;
    stage
        .room
        .send(
            conductor,
            crate::drill::Action::End {
                reason: "enough".into(),
            },
        )
        .await
        .unwrap();
    let s = until(&room, |s| s.drill.is_none()).await;
    match &s.session.segments[2].activity {
        crate::session::state::Activity::Drill(d) => {
            assert_eq!(d.runs.len(), 1);
            assert!(d.runs[0].status.contains("enough"), "{:?}", d.runs[0]);
        }
        other => panic!("{other:?}"),
    }
    room.act(ana.id, SessionAction::Next).await.unwrap();
    room.act(ana.id, SessionAction::Next).await.unwrap();
    room.act(ana.id, SessionAction::Next).await.unwrap();
    // The DRT segment starts from the drill segment's run: its rows carry the drill's moments.
    let s = until(&room, |s| {
        s.session.drt(5).is_some_and(|t| !t.rows.is_empty())
    })
    .await;
    match &s.session.segments[5].activity {
        crate::session::state::Activity::Drt(d) => {
            assert!(d.from_drill, "{d:?}");
            assert!(d.table.rows.iter().any(|r| !r.moment.what.is_empty()));
        }
        other => panic!("{other:?}"),
    }
    room.act(ana.id, SessionAction::Next).await.unwrap();
    let s = until(&room, |s| s.saved.is_some()).await;
    assert!(s.session.is_ended());
    let saved = s.saved.clone().unwrap();
    let (md, js) = saved.writeup.clone().expect("the write-up was saved");
    assert!(std::fs::read_to_string(&md).unwrap().contains("bo-2"));
    assert!(js.exists());
    // The DRT segment's table beside the recording, as the DRT view exports it.
    let table = s.session.drt(5).unwrap();
    let (tmd, tcsv) = (dir.path().join("s.drt.md"), dir.path().join("s.drt.csv"));
    assert_eq!(saved.drt, vec![(tmd.clone(), tcsv.clone())]);
    assert_eq!(
        std::fs::read_to_string(&tmd).unwrap(),
        crate::drt::markdown(table)
    );
    assert_eq!(
        std::fs::read_to_string(&tcsv).unwrap(),
        crate::drt::csv(table)
    );
    assert!(
        saved.message().contains(&format!(
            "DRT table saved to {} and {}",
            tmd.display(),
            tcsv.display()
        )),
        "{}",
        saved.message()
    );
    let live_hash = s.session.state_hash();
    assert_eq!(saved.problem, None);
    // Closing saves again; where the write-up went is said once, and is no problem.
    let again = room.close("done").await.unwrap();
    assert_eq!(again.problem, None, "{again:?}");
    assert_eq!(again.message().matches("write-up saved to").count(), 1);
    // The recording replays to the very same session.
    let path = dir.path().join("s.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let rec = crate::session::record::parse(&text, "s.jsonl").unwrap();
    let replayed = rec.replay().unwrap();
    assert_eq!(replayed.state_hash(), live_hash);
    // The drill segment's drill was recorded as a drill of its own.
    let drills = std::fs::read_dir(paths(dir.path()).recordings())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("bad-deploy"))
        .count();
    assert_eq!(drills, 1);
}

/// Leaving the DRT segment saves its table beside the recording then and there (on the
/// blocking pool, before the room publishes the move), so nothing waits for the end.
#[tokio::test]
async fn leaving_the_drt_segment_saves_its_table() {
    let dir = tempfile::tempdir().unwrap();
    let room = SessionRoom::spawn(weekly(dir.path()));
    let ana = room.join("ana", false, Naming::Exact).await.unwrap();
    for _ in 0..6 {
        room.act(ana.id, SessionAction::Next).await.unwrap();
    }
    until(&room, |s| {
        s.session.drt(5).is_some_and(|t| !t.rows.is_empty())
    })
    .await;
    let md = dir.path().join("s.drt.md");
    assert!(!md.exists(), "not before the segment ends");
    room.act(
        ana.id,
        SessionAction::Drt {
            edit: crate::drt::DrtInput::AddRow,
        },
    )
    .await
    .unwrap();
    room.act(ana.id, SessionAction::Back).await.unwrap();
    let s = until(&room, |s| s.session.current() == Some(4)).await;
    let table = s.session.drt(5).unwrap();
    assert_eq!(
        std::fs::read_to_string(&md).unwrap(),
        crate::drt::markdown(table)
    );
    let csv = std::fs::read_to_string(dir.path().join("s.drt.csv")).unwrap();
    assert_eq!(csv, crate::drt::csv(table));
    assert!(s.saved.is_none(), "the session goes on");
    let saved = room.close("done").await.unwrap();
    assert_eq!(saved.drt.len(), 1, "{saved:?}");
}

#[tokio::test]
async fn the_facilitator_cannot_observe_and_names_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let room = SessionRoom::spawn(weekly(dir.path()));
    let ana = room.join("ana", false, Naming::Exact).await.unwrap();
    assert!(
        room.join("ana", false, Naming::Exact)
            .await
            .unwrap_err()
            .contains("already in this session")
    );
    assert!(room.join("\u{1b}", true, Naming::Derived).await.is_err());
    room.act(ana.id, SessionAction::Leave).await.unwrap();
    let again = room.join("ana", true, Naming::Exact).await;
    assert!(again.unwrap_err().contains("facilitator cannot observe"));
    let saved = room.close("bye").await.unwrap();
    assert!(saved.recording.is_some());
    assert!(room.is_closed());
}

/// A walkthrough of a vista.toml runs the real vista runner: its panes poll their sources and
/// every beat shares the newest snapshot; leaving the segment stops it.
#[tokio::test]
async fn a_walkthrough_of_a_vista_file_shares_the_runners_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    std::fs::write(&log, "ERROR checkout failed\nall good\n").unwrap();
    let src = format!(
        "[vista]\ntitle = \"team\"\nrefresh = \"1s\"\n\n[[panes]]\nid = \"log\"\ntitle = \"App log\"\nnote = \"Red lines first.\"\nsource = {{ type = \"file\", path = \"{}\" }}\n",
        log.display()
    );
    let cfg = crate::vista::VistaConfig::parse(&src, "team.vista.toml").unwrap();
    let mut spec = weekly(dir.path());
    spec.stages[0] = StagePlan::Vista {
        shape: VistaShape::of_vista(&cfg, "team.vista.toml".into()),
        config: Arc::new(cfg),
    };
    let room = SessionRoom::spawn(spec);
    let ana = room.join("ana", false, Naming::Exact).await.unwrap();
    room.act(ana.id, SessionAction::Next).await.unwrap();
    let s = until(&room, |s| {
        s.vista.as_ref().is_some_and(|v| {
            v.pane("log")
                .is_some_and(|p| p.state.lines.iter().any(|l| l.text.contains("checkout")))
        })
    })
    .await;
    match &s.session.segments[0].activity {
        crate::session::state::Activity::Walkthrough(w) => {
            assert_eq!(w.vista.as_ref().unwrap().panes[0].title, "App log");
        }
        other => panic!("{other:?}"),
    }
    room.act(ana.id, SessionAction::Next).await.unwrap();
    let s = until(&room, |s| s.session.current() == Some(1)).await;
    assert!(s.vista.is_none(), "the runner stopped with its segment");
    room.close("done").await;
}

/// A walkthrough of a scenario's simulated vista, drawn on a seat at the setlist's opening
/// range of an hour: the charts are full from the first frame (the story's window before the
/// drill backfilled, every point at its story time), not a sliver at the right edge.
#[tokio::test]
async fn the_simulated_vista_fills_an_hours_chart_from_the_first_frame() {
    use crate::ui::session::{SessionScreen, SessionSeat};
    let dir = tempfile::tempdir().unwrap();
    let room = SessionRoom::spawn(weekly(dir.path()));
    let ana = room.join("ana", false, Naming::Exact).await.unwrap();
    room.act(ana.id, SessionAction::Next).await.unwrap();
    let s = until(&room, |s| {
        s.vista.is_some()
            && matches!(&s.session.segments[0].activity,
                crate::session::state::Activity::Walkthrough(w) if w.vista.is_some())
    })
    .await;
    let seat = SessionSeat::new(ana.id);
    let area = ratatui::layout::Rect::new(0, 0, 200, 50);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    let screen = SessionScreen {
        session: &s.session,
        vista: s.vista.as_deref(),
        now: crate::vista::time::now_unix(),
    };
    let theme = crate::ui::theme::Theme::bundled("dark").unwrap();
    seat.draw(&mut buf, area, &screen, &theme);
    let panes = seat.drawn.all();
    assert!(!panes.is_empty());
    for (p, r) in panes {
        let cols = super::sim::drawn_columns(&buf, r);
        assert!(
            cols * 10 >= usize::from(r.width) * 7,
            "pane {p}: {cols} of {} columns drawn",
            r.width
        );
    }
    room.close("done").await;
}

/// A live session's recording carries its walkthrough's vista file, and the write-up the room
/// saves beside it names the file and its panes, as a debrief of the recording will.
#[tokio::test]
async fn the_saved_writeup_names_the_walkthroughs_carried_vista_file() {
    let dir = tempfile::tempdir().unwrap();
    let src = "[vista]\ntitle = \"team\"\n\n[[panes]]\nid = \"cpu\"\ntitle = \"Host CPU\"\nsource = { type = \"host\", metrics = [\"cpu\"] }\n";
    let cfg = crate::vista::VistaConfig::parse(src, "team.vista.toml").unwrap();
    let mut spec = weekly(dir.path());
    spec.stages[0] = StagePlan::Vista {
        shape: VistaShape::of_vista(&cfg, "team.vista.toml".into()),
        config: Arc::new(cfg),
    };
    let (_, text) = crate::session::bundled::setlist("weekly").unwrap();
    let session = Session::new(spec.plan.clone(), spec.seed);
    let mut header = crate::session::record::Header::new(
        &session,
        spec.started.clone(),
        crate::session::record::Embedded {
            name: "sessions/weekly.toml".into(),
            text: text.into(),
        },
        Vec::new(),
    );
    header.vistas = vec![crate::session::record::SegmentVista {
        segment: 0,
        vista: crate::record::CarriedVista::new("team.vista.toml", src).unwrap(),
    }];
    let path = dir.path().join("v.jsonl");
    spec.recorder = Some(SessionRecorder::create(&path, &header).unwrap());
    let room = SessionRoom::spawn(spec);
    let ana = room.join("ana", false, Naming::Exact).await.unwrap();
    room.act(ana.id, SessionAction::Next).await.unwrap();
    room.act(
        ana.id,
        SessionAction::End {
            reason: String::new(),
        },
    )
    .await
    .unwrap();
    let s = until(&room, |s| s.saved.is_some()).await;
    let (md, _) = s.saved.unwrap().writeup.expect("a write-up saved");
    let md = std::fs::read_to_string(md).unwrap();
    assert!(
        md.contains("Vista file carried in the recording: team.vista.toml (")
            && md.contains("team — 1 pane: Host CPU")
            && md.contains("Panes: Host CPU."),
        "{md}"
    );
    let first = std::fs::read_to_string(&path).unwrap();
    assert!(
        first
            .lines()
            .next()
            .unwrap()
            .contains("\"vistas\":[{\"segment\":0")
    );
    room.close("done").await;
}
