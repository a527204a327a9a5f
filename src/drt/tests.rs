use super::*;
use crate::drill::{Action, Drill, Input};
use proptest::prelude::*;
use std::sync::Arc;

const BAD_DEPLOY: &str = include_str!("../../scenarios/bad-deploy.toml");

fn played() -> Drill {
    let s = crate::scenario::load_str(BAD_DEPLOY, "bad-deploy.toml").unwrap();
    let mut d = Drill::new(Arc::new(s), 7);
    let go = |d: &mut Drill, a: Action| {
        d.apply(&Input::new(1, a));
    };
    go(
        &mut d,
        Action::Join {
            name: "ana".into(),
            role: None,
        },
    );
    for _ in 0..4 {
        go(&mut d, Action::Tick);
    }
    go(
        &mut d,
        Action::Cue {
            cue: "deploys".into(),
        },
    );
    for _ in 0..3 {
        go(&mut d, Action::Tick);
    }
    go(
        &mut d,
        Action::Cue {
            cue: "rollback".into(),
        },
    );
    for _ in 0..3 {
        go(&mut d, Action::Tick);
    }
    go(
        &mut d,
        Action::DecisionHere {
            text: "page the payments team?".into(),
        },
    );
    d
}

#[test]
fn a_table_starts_from_the_scenario_the_points_and_the_marks() {
    let d = played();
    let t = from_drill(&d);
    assert_eq!(t.scenario, "bad-deploy");
    let first = &t.rows[0];
    assert_eq!(first.origin, Origin::Scenario { index: 0 });
    assert_eq!(first.point.as_deref(), Some("back-or-forward"));
    assert!(
        first.moment.what.starts_with("chose Roll back"),
        "{:?}",
        first.moment
    );
    assert!(first.moment.what.ends_with("(ana)"), "{:?}", first.moment);
    assert!(first.moment.when.starts_with("2:"), "{:?}", first.moment);
    assert_eq!(first.moment.signals.len(), d.scenario.signals.len());
    let mark = t.rows.iter().find(|r| r.origin == Origin::Mark).unwrap();
    assert_eq!(mark.cell(Column::Decision), "page the payments team?");
    assert_eq!(mark.moment.beat, Some(d.beat));
    assert_eq!(mark.moment.what, "marked by ana");
    let name = &d.scenario.signals[0].name;
    assert!(mark.moment.signals[0].starts_with(name.as_str()));
}

#[test]
fn a_mark_is_a_recorded_input_that_snapshots_the_signals() {
    let d = played();
    let last = d.log.last().unwrap();
    match &last.event {
        crate::drill::Event::DecisionHere { values, .. } => {
            let now: Vec<f64> = d.signals.iter().map(|s| s.value).collect();
            assert_eq!(values, &now);
        }
        other => panic!("{other:?}"),
    }
    let line =
        serde_json::to_string(&Input::new(1, Action::DecisionHere { text: "x".into() })).unwrap();
    assert_eq!(line, r#"{"seat":1,"do":"decision_here","text":"x"}"#);
}

#[test]
fn claims_are_exclusive_and_a_drop_keeps_the_text() {
    let mut t = from_drill(&played());
    let c = DrtInput::Claim {
        row: 0,
        column: Column::Sources,
    };
    assert_eq!(t.apply(1, &c), Ok(()));
    assert_eq!(t.apply(2, &c), Err(Rejected::Held { by: 1 }));
    assert_eq!(
        t.apply(2, &DrtInput::Type { text: "x".into() }),
        Err(Rejected::NoClaim)
    );
    t.apply(
        1,
        &DrtInput::Type {
            text: "deploy log".into(),
        },
    )
    .unwrap();
    t.apply(1, &DrtInput::Drop).unwrap();
    assert_eq!(t.claim_of(1), None);
    assert!(t.rows[0].cell(Column::Sources).ends_with("deploy log"));
    assert_eq!(t.apply(2, &c), Ok(()));
    t.apply(2, &DrtInput::Backspace).unwrap();
    assert!(t.rows[0].cell(Column::Sources).ends_with("deploy lo"));
}

#[test]
fn typing_is_bounded_and_split() {
    let mut t = Table::default();
    t.apply(1, &DrtInput::AddRow).unwrap();
    t.apply(
        1,
        &DrtInput::Claim {
            row: 0,
            column: Column::Cues,
        },
    )
    .unwrap();
    let long = "a".repeat(MAX_TYPED_CHARS + 1);
    assert_eq!(
        t.apply(1, &DrtInput::Type { text: long.clone() }),
        Err(Rejected::TooLong)
    );
    for i in DrtInput::typing(&long) {
        t.apply(1, &i).unwrap();
    }
    assert_eq!(t.rows[0].cell(Column::Cues), long);
    assert_eq!(
        t.apply(
            1,
            &DrtInput::Claim {
                row: 9,
                column: Column::Cues
            }
        ),
        Err(Rejected::NoSuchCell)
    );
}

#[test]
fn exports_have_seven_columns() {
    let t = from_drill(&played());
    let md = markdown(&t);
    assert!(md.starts_with("| demanding decision | why difficult | critical cues | information sources | novice errors | expert strategies | sources of uncertainty | what the drill showed |"));
    assert!(md.contains("chose Roll back"));
    let c = csv(&t);
    assert!(c.starts_with(
        "decision,why_difficult,cues,sources,novice_error,strategy,uncertainty,point,moment\n"
    ));
    let j: serde_json::Value = serde_json::from_str(&json(&t)).unwrap();
    assert_eq!(j["rows"][0]["point"], "back-or-forward");
}

#[test]
fn bad_csv_is_positioned() {
    let e = from_csv("t.csv", "decision,cuse\nx,y\n").unwrap_err();
    assert_eq!(
        e[0].to_string(),
        "t.csv:1:10: unknown column `cuse`; did you mean `cues`?"
    );
    let e = from_csv("t.csv", "decision,cues\n\"a, b\",c\n,d\nx\n").unwrap_err();
    let m: Vec<String> = e.iter().map(ToString::to_string).collect();
    assert_eq!(m[0], "t.csv:3:1: a row needs a `decision`");
    assert_eq!(m[1], "t.csv:4:2: this row has 1 fields; the header has 2");
    let e = from_csv("t.csv", "cues\nx\n").unwrap_err();
    assert_eq!(
        e[0].to_string(),
        "t.csv:1:1: the header has no `decision` column"
    );
    assert!(from_csv("t.csv", "").is_err());
}

#[test]
fn saving_replaces_the_rows_and_the_diff_shows_it() {
    let mut t = from_drill(&played());
    t.apply(
        1,
        &DrtInput::Claim {
            row: 0,
            column: Column::Uncertainty,
        },
    )
    .unwrap();
    t.apply(
        1,
        &DrtInput::Type {
            text: "Is v2.40.3 still on the build servers?".into(),
        },
    )
    .unwrap();
    let new = save_rows("bad-deploy.toml", BAD_DEPLOY, &t).unwrap();
    let s = crate::scenario::load_str(&new, "bad-deploy.toml").unwrap();
    assert_eq!(s.debrief.decisions.len(), 3);
    assert_eq!(
        s.debrief.decisions[0].uncertainty,
        "Is v2.40.3 still on the build servers?"
    );
    assert_eq!(s.debrief.decisions[2].decision, "page the payments team?");
    let d = diff_lines(BAD_DEPLOY, &new);
    let added: Vec<_> = d
        .iter()
        .filter(|l| matches!(l, LineDiff::Added(_)))
        .collect();
    assert!(
        added
            .iter()
            .any(|l| l.to_string() == "+ uncertainty = \"Is v2.40.3 still on the build servers?\"")
    );
    assert!(
        d.iter().all(|l| !matches!(l, LineDiff::Removed(_))),
        "only additions: {d:?}"
    );
    // Saving what was saved changes nothing.
    let again = from_drill(&Drill::new(Arc::new(s), 1));
    assert_eq!(save_rows("b.toml", &new, &again).unwrap(), new);
}

fn column() -> impl Strategy<Value = Column> {
    (0..7usize).prop_map(|i| COLUMNS[i])
}

fn input() -> impl Strategy<Value = DrtInput> {
    prop_oneof![
        (0..3usize, column()).prop_map(|(row, column)| DrtInput::Claim { row, column }),
        "[a-z \n]{0,8}".prop_map(|text| DrtInput::Type { text }),
        Just(DrtInput::Backspace),
        Just(DrtInput::Release),
        Just(DrtInput::Drop),
        Just(DrtInput::AddRow),
    ]
}

proptest! {
    /// Edits never lose text: each cell is exactly what its editors typed and erased, in order,
    /// whoever dropped; and no two seats ever hold one cell.
    #[test]
    fn edits_never_lose_text_and_claims_stay_exclusive(
        steps in proptest::collection::vec((1u32..4, input()), 0..120)
    ) {
        let mut t = Table::default();
        t.apply(1, &DrtInput::AddRow).unwrap();
        let mut model: std::collections::HashMap<Cell, String> = Default::default();
        let mut held: std::collections::HashMap<u32, Cell> = Default::default();
        for (seat, i) in &steps {
            let before = t.clone();
            let r = t.apply(*seat, i);
            match (i, &r) {
                (DrtInput::Type { text }, Ok(())) => {
                    let c = held[seat];
                    model.entry(c).or_default().extend(text.chars().filter(|c| !c.is_control()));
                }
                (DrtInput::Backspace, Ok(())) => { model.entry(held[seat]).or_default().pop(); }
                (DrtInput::Claim { row, column }, Ok(())) => {
                    held.insert(*seat, Cell { row: *row, column: *column });
                }
                (DrtInput::Release | DrtInput::Drop, _) => { held.remove(seat); }
                (_, Err(_)) => prop_assert_eq!(&t, &before),
                _ => {}
            }
            let mut holders: Vec<_> = t.claims.keys().collect();
            holders.dedup();
            prop_assert_eq!(holders.len(), t.claims.len());
            let mut seats: Vec<_> = t.claims.values().collect();
            seats.sort();
            seats.dedup();
            prop_assert_eq!(seats.len(), t.claims.len());
        }
        for (c, text) in &model {
            prop_assert_eq!(t.rows[c.row].cell(c.column), text.as_str());
        }
    }

    /// A table written as CSV reads back with the same cells and points.
    #[test]
    fn csv_round_trips(cells in proptest::collection::vec(
        (proptest::array::uniform7("[a-zA-Z0-9 ,\"|\n]{0,12}"), proptest::option::of("[a-z-]{1,8}")),
        0..6,
    )) {
        let mut t = Table::default();
        for (mut c, point) in cells {
            c[0] = format!("d{}", c[0]);
            t.rows.push(Row { cells: c, point, origin: Origin::Added, moment: Moment::default() });
        }
        let back = from_csv("t.csv", &csv(&t)).unwrap();
        prop_assert_eq!(back.rows, t.rows);
    }
}

#[test]
fn a_drills_table_is_built_by_recorded_inputs_and_replays_the_same() {
    let mut d = played();
    d.apply(&Input::new(
        1,
        Action::End {
            reason: "done".into(),
        },
    ));
    let bo = Input::new(
        2,
        Action::Join {
            name: "bo".into(),
            role: None,
        },
    );
    let edits = vec![
        bo,
        Input::new(
            1,
            Action::Drt(DrtInput::Claim {
                row: 0,
                column: Column::Uncertainty,
            }),
        ),
        Input::new(
            1,
            Action::Drt(DrtInput::Type {
                text: "is the canary".into(),
            }),
        ),
        Input::new(
            2,
            Action::Drt(DrtInput::Claim {
                row: 0,
                column: Column::Uncertainty,
            }),
        ),
        Input::new(2, Action::Drt(DrtInput::AddRow)),
        Input::new(
            2,
            Action::Drt(DrtInput::Claim {
                row: 3,
                column: Column::Decision,
            }),
        ),
        Input::new(
            2,
            Action::Drt(DrtInput::Type {
                text: "call it".into(),
            }),
        ),
        Input::new(1, Action::Leave),
        Input::new(2, Action::Drt(DrtInput::DeleteRow { row: 1 })),
    ];
    // Every edit is an input of the recording's own shape, read back as it was written.
    let lines: Vec<String> = edits
        .iter()
        .map(|i| serde_json::to_string(i).unwrap())
        .collect();
    assert!(
        lines[1].contains(r#""do":"drt","drt":"claim""#),
        "{}",
        lines[1]
    );
    let read: Vec<Input> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(read, edits);
    let mut replayed = d.clone();
    for i in &edits {
        d.apply(i);
    }
    for i in &read {
        replayed.apply(i);
    }
    let t = d.drt.as_deref().expect("the table exists once edited");
    assert!(
        t.rows[0]
            .cell(Column::Uncertainty)
            .ends_with("is the canary")
    );
    assert!(
        t.claims.iter().all(|(_, s)| *s != 1),
        "ana left: her claim went"
    );
    assert_eq!(t.rows.len(), 3, "row 1 deleted");
    assert_eq!(t.rows[2].cell(Column::Decision), "call it");
    assert_eq!(
        t.holder(Cell {
            row: 2,
            column: Column::Decision
        }),
        Some(2),
        "the claim moved up"
    );
    assert!(
        d.log.iter().any(|e| matches!(&e.event, crate::drill::Event::Rejected { seat: 2, what, .. } if what == "table")),
        "bo's claim on ana's cell was refused"
    );
    assert_eq!(replayed.drt, d.drt);
    assert_eq!(replayed.state_hash(), d.state_hash());
    // The debrief shows the table as the seats left it, in seven columns.
    let report = crate::debrief::build(&d, &[]);
    assert_eq!(report.decisions.len(), 3);
    assert!(report.decisions[0].uncertainty.ends_with("is the canary"));
    assert_eq!(report.decisions[2].decision, "call it");
    let md = crate::debrief::markdown(&report);
    assert!(
        md.contains("| sources of uncertainty | what we did | when |"),
        "{md}"
    );
    // A drill nobody edited builds its table on demand and keeps its old fingerprint.
    let fresh = played();
    assert!(fresh.drt.is_none());
    assert!(!serde_json::to_string(&fresh).unwrap().contains("\"drt\""));
    assert_eq!(fresh.drt_table(), from_drill(&fresh));
}

#[test]
fn import_and_delete_respect_other_editors() {
    let mut t = from_drill(&played());
    t.apply(
        1,
        &DrtInput::Claim {
            row: 0,
            column: Column::Cues,
        },
    )
    .unwrap();
    assert_eq!(
        t.apply(2, &DrtInput::DeleteRow { row: 0 }),
        Err(Rejected::Held { by: 1 })
    );
    assert_eq!(
        t.apply(2, &DrtInput::Import { rows: vec![] }),
        Err(Rejected::Held { by: 1 })
    );
    assert_eq!(
        t.apply(2, &DrtInput::DeleteRow { row: 99 }),
        Err(Rejected::NoSuchCell)
    );
    let big = vec![Row::new(Origin::Added); MAX_ROWS + 1];
    t.apply(1, &DrtInput::Release).unwrap();
    assert_eq!(
        t.apply(2, &DrtInput::Import { rows: big }),
        Err(Rejected::TooManyRows)
    );
    let mut one = Row::new(Origin::Added);
    one.set(Column::Decision, "x");
    t.apply(
        2,
        &DrtInput::Import {
            rows: vec![one.clone()],
        },
    )
    .unwrap();
    assert_eq!(t.rows, vec![one]);
}

#[test]
fn an_export_with_an_empty_added_row_imports_back() {
    let mut t = from_drill(&played());
    t.apply(1, &DrtInput::AddRow).unwrap();
    let back = from_csv("t.csv", &csv(&t)).expect("an export reads back");
    assert_eq!(
        back.rows.len(),
        t.rows.len() - 1,
        "the empty row is left out"
    );
    let half = "decision,cues\n,only cues\n";
    let e = from_csv("h.csv", half).unwrap_err();
    assert_eq!((e[0].line, e[0].col), (2, 1));
}
