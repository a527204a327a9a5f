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
