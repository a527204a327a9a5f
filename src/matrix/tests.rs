use super::*;
use proptest::prelude::*;

const SMALL: &str = r#"[matrix]
title = "Checkout critical path"

[[rows]]
id = "checkout-api"

[[rows]]
id = "payments"
name = "payments service"

[[columns]]
id = "payments-db"

[[columns]]
id = "ana"
kind = "person"

[[columns]]
id = "bo"
kind = "person"

[[cells]]
row = "checkout-api"
col = "payments-db"
mark = "hard"
note = "writes every order"

[[cells]]
row = "checkout-api"
col = "ana"
mark = "owner"

[[cells]]
row = "payments"
col = "payments-db"
mark = "unknown"
"#;

fn small() -> Matrix {
    file::load_str(SMALL, "m.toml").unwrap()
}

fn problems(src: &str) -> Vec<String> {
    file::load_str(src, "m.toml")
        .map(|_| Vec::new())
        .unwrap_or_else(|d| d.iter().map(ToString::to_string).collect())
}

#[test]
fn a_file_loads_with_defaults() {
    let m = small();
    assert_eq!(m.rows[0].name, "checkout-api");
    assert_eq!(m.rows[1].name, "payments service");
    assert_eq!(m.columns[0].kind, ColumnKind::Dependency);
    assert_eq!(m.cell(0, 0).unwrap().mark, Some(Mark::Hard));
    assert_eq!(m.cell(0, 0).unwrap().note, "writes every order");
    assert_eq!(m.counts(), [1, 0, 1, 0, 1]);
}

#[test]
fn risks_are_unknowns_single_people_and_nobody() {
    let m = small();
    let risks = m.risks();
    assert_eq!(
        risks,
        vec![
            Risk::SinglePerson { row: 0, col: 1 },
            Risk::Unknown { row: 1, col: 0 },
            Risk::Nobody { row: 1 },
        ]
    );
    assert_eq!(
        risks[0].text(&m),
        "only ana owns checkout-api and nobody else knows how it works"
    );
    assert_eq!(
        risks[1].text(&m),
        "nobody knows whether payments service depends on payments-db"
    );
    assert_eq!(
        risks[2].text(&m),
        "nobody said they know how payments service works"
    );
    assert!(m.is_risk(&risks, 0, 1));
    assert!(!m.is_risk(&risks, 0, 0));
}

#[test]
fn a_second_person_or_a_team_ends_the_single_point() {
    let mut m = small();
    m.set_mark(0, 2, Some(Mark::Knows), "bo").unwrap();
    assert!(!m.risks().iter().any(|r| r.row() == 0));
    m.set_mark(0, 2, None, "bo").unwrap();
    assert_eq!(m.risks()[0], Risk::SinglePerson { row: 0, col: 1 });
    // A dependency neither knows nor owns.
    let e = m.set_mark(0, 0, Some(Mark::Knows), "bo").unwrap_err();
    assert!(e.contains("is a dependency"), "{e}");
    // Without people or teams, nobody is asked what they know.
    let deps = Matrix::new(
        "d",
        vec![Service {
            id: "a".into(),
            name: "a".into(),
            about: String::new(),
        }],
        vec![Column {
            id: "b".into(),
            name: "b".into(),
            kind: ColumnKind::Dependency,
        }],
    );
    assert!(deps.risks().is_empty());
    let mut teams = deps.clone();
    teams.columns[0].kind = ColumnKind::Team;
    teams.set_mark(0, 0, Some(Mark::Knows), "x").unwrap();
    assert!(teams.risks().is_empty(), "a team is not a single person");
}

#[test]
fn marks_and_notes_are_set_cleared_and_bounded() {
    let mut m = small();
    m.set_note(1, 1, "  asked\nin chat  ", "cy").unwrap();
    let c = m.cell(1, 1).unwrap();
    assert_eq!(
        (c.note.as_str(), c.by.as_str(), c.mark),
        ("asked in chat", "cy", None)
    );
    m.set_note(1, 1, &"x".repeat(MAX_NOTE + 10), "cy").unwrap();
    assert_eq!(m.cell(1, 1).unwrap().note.chars().count(), MAX_NOTE);
    m.set_note(1, 1, "", "cy").unwrap();
    assert!(m.cell(1, 1).unwrap().note.is_empty());
    assert!(m.set_mark(9, 0, Some(Mark::Hard), "x").is_err());
    assert_eq!(m.locate("payments", "bo"), Ok((1, 2)));
    let e = m.locate("paymnts", "bo").unwrap_err();
    assert!(e.contains("did you mean `payments`"), "{e}");
}

#[test]
fn bad_files_get_every_problem_in_place() {
    let src = SMALL
        .replace("title = \"Checkout", "titel = \"Checkout")
        .replace(
            "kind = \"person\"\n\n[[columns]]\nid = \"bo\"",
            "kind = \"persn\"\n\n[[columns]]\nid = \"bo\"",
        )
        .replace("mark = \"unknown\"", "mark = \"unknwn\"")
        .replace("col = \"ana\"", "col = \"anna\"");
    let p = problems(&src);
    let want = [
        "m.toml:1:1: [matrix]: missing `title`",
        "m.toml:2:1: unknown key in [matrix] `titel`; did you mean `title`?",
        "m.toml:16:8: unknown column kind `persn`; did you mean `person`?",
        "m.toml:30:7: no column named `anna` (known: payments-db, bo)",
        "m.toml:36:8: unknown mark `unknwn`; did you mean `unknown`?",
    ];
    for w in want {
        assert!(p.iter().any(|m| m == w), "missing {w:?} in {p:#?}");
    }
    let p = problems(
        "[matrix]\ntitle = \"t\"\n[[rows]]\nid = \"a b\"\n[[rows]]\nid = \"c\"\n[[rows]]\nid = \"c\"\n[[columns]]\nid = \"d\"\n[[cells]]\nrow = \"c\"\ncol = \"d\"\nmark = \"knows\"\n[[cells]]\nrow = \"c\"\ncol = \"d\"\n",
    );
    let want = [
        "m.toml:4:6: rows[0]: `id` `a b` must be letters",
        "m.toml:8:6: rows[2]: a second row with id `c`",
        "m.toml:11:1: cells[0]: `d` is a dependency",
        "m.toml:15:1: cells[1]: a second entry for row `c` column `d`",
    ];
    for w in want {
        assert!(
            p.iter().any(|m| m.starts_with(w)),
            "missing {w:?} in {p:#?}"
        );
    }
    assert!(problems("[matrix]\ntitle = \"t\"\n")[0].contains("at least one [[rows]]"));
    assert!(problems("[matrix\n")[0].starts_with("m.toml:1:"));
    let big = format!(
        "[matrix]\ntitle = \"t\"\n{}",
        "[[rows]]\nid = \"a\"\n".repeat(MAX_ROWS + 1)
    );
    assert!(
        problems(&big)
            .iter()
            .any(|m| m.contains("at most 200 [[rows]] entries"))
    );
}

#[test]
fn files_round_trip() {
    let mut m = small();
    m.summary = "two lines\nof \"summary\"".into();
    m.set_note(1, 2, "ask bo: \"maybe\"", "cy").unwrap();
    let text = file::to_toml(&m);
    assert_eq!(file::load_str(&text, "again.toml").unwrap(), m, "{text}");
    assert!(file::is_matrix(&text));
    assert!(file::is_matrix("[matrix]\ntitle = = 1\n"));
    assert!(!file::is_matrix("[setlist]\ntitle = \"x\"\n"));
}

#[test]
fn csv_imports_with_positioned_problems() {
    let src = "service,payments-db,ana (person),ops (team)\ncheckout-api,hard: writes every order,owner,\nPayments Service,unknown,,knows\n";
    let m = csv::from_csv("m.csv", src, "t").unwrap();
    assert_eq!(m.rows[1].id, "payments-service");
    assert_eq!(m.columns[2].kind, ColumnKind::Team);
    assert_eq!(m.cell(0, 0).unwrap().note, "writes every order");
    assert_eq!(m.cell(1, 2).unwrap().mark, Some(Mark::Knows));
    let bad = "service,db,ana (persn)\napi,hrd,\napi,,\nx,soft\n,soft,\nweb,knows,\n";
    let p: Vec<String> = csv::from_csv("m.csv", bad, "t")
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    let want = [
        "m.csv:1:12: unknown column kind `persn`; did you mean `person`?",
        "m.csv:2:5: unknown mark `hrd`; did you mean `hard`?",
        "m.csv:3:1: a second row with id `api`",
        "m.csv:4:7: this row has 2 fields; the header has 3",
        "m.csv:5:1: a row needs a service name",
        "m.csv:6:5: `db` is a dependency",
    ];
    for w in want {
        assert!(
            p.iter().any(|m| m.starts_with(w)),
            "missing {w:?} in {p:#?}"
        );
    }
    assert!(csv::from_csv("m.csv", "", "t").is_err());
    assert!(csv::from_csv("m.csv", "service\n", "t").is_err());
}

#[test]
fn markdown_shows_the_grid_notes_and_risks() {
    let md = export::markdown(&small());
    assert!(
        md.contains("| service | payments-db | ana (person) | bo (person) |"),
        "{md}"
    );
    assert!(
        md.contains("| checkout-api | hard* | **owner** |  |"),
        "{md}"
    );
    assert!(
        md.contains("- checkout-api × payments-db: writes every order"),
        "{md}"
    );
    assert!(
        md.contains("- single point of knowledge: only ana owns checkout-api"),
        "{md}"
    );
}

#[test]
fn prometheus_series_become_rows_and_columns() {
    let s = |job: &str, inst: &str| {
        let mut m = std::collections::BTreeMap::new();
        m.insert("job".to_string(), job.to_string());
        m.insert("instance".to_string(), inst.to_string());
        m
    };
    let mut lone = std::collections::BTreeMap::new();
    lone.insert("job".to_string(), "x".to_string());
    let series = vec![
        s("node", "127.0.0.1:9100"),
        s("prometheus", "127.0.0.1:9090"),
        s("node", "10.0.0.2:9100"),
        lone,
    ];
    let shape = prometheus::Shape {
        title: "up".into(),
        rows: "job".into(),
        cols: "instance".into(),
        kind: ColumnKind::Dependency,
        mark: Some(Mark::Unknown),
        query: "up".into(),
    };
    let got = prometheus::from_series(&shape, &series).unwrap();
    let m = &got.matrix;
    assert_eq!(got.skipped, 1);
    let rows: Vec<&str> = m.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(rows, ["node", "prometheus"]);
    let cols: Vec<&str> = m.columns.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(cols, ["10-0-0-2-9100", "127-0-0-1-9090", "127-0-0-1-9100"]);
    assert_eq!(m.cell(0, 0).unwrap().mark, Some(Mark::Unknown));
    assert_eq!(m.cell(0, 1).unwrap().mark, None);
    assert_eq!(m.cell(1, 1).unwrap().note, "seen in `up`");
    let none = prometheus::Shape {
        rows: "service".into(),
        ..shape
    };
    let e = prometheus::from_series(&none, &series).unwrap_err();
    assert!(e.contains("labels: instance, job"), "{e}");
}

#[test]
fn slugs_are_ids() {
    assert_eq!(slug("Payments Service"), "payments-service");
    assert_eq!(slug("127.0.0.1:9100"), "127-0-0-1-9100");
    assert_eq!(slug("--"), "");
    assert!(is_id(&slug("a b c")));
}

fn name() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9 ]{0,12}".prop_map(|s| s.trim().to_string())
}

fn cell() -> impl Strategy<Value = (Option<usize>, String)> {
    (
        proptest::option::of(0usize..5),
        prop_oneof![
            Just(String::new()),
            "[a-z ,:\"|]{1,20}".prop_map(|s| s.trim().to_string())
        ],
    )
}

/// Matrices whose ids are their names' slugs (what a CSV can carry).
fn matrix() -> impl Strategy<Value = Matrix> {
    (
        proptest::collection::btree_map("[a-z][a-z0-9]{0,8}", Just(()), 1..6),
        proptest::collection::btree_map("[a-z][a-z0-9]{0,8}", 0usize..3, 1..6),
        proptest::collection::vec(cell(), 36),
    )
        .prop_map(|(rows, cols, cells)| {
            let rows = rows
                .into_keys()
                .map(|n| Service {
                    id: slug(&n),
                    name: n,
                    about: String::new(),
                })
                .collect();
            let columns = cols
                .into_iter()
                .map(|(n, k)| Column {
                    id: slug(&n),
                    name: n,
                    kind: ColumnKind::ALL[k],
                })
                .collect();
            let mut m = Matrix::new("t", rows, columns);
            for (i, (mark, note)) in cells.into_iter().enumerate() {
                let (r, c) = (i / 6, i % 6);
                if r < m.rows.len() && c < m.columns.len() {
                    let _ = m.set_mark(r, c, mark.map(|k| Mark::ALL[k]), "");
                    let _ = m.set_note(r, c, &note, "");
                }
            }
            m
        })
}

proptest! {
    #[test]
    fn toml_and_csv_round_trip(m in matrix(), by in name()) {
        let mut m = m;
        if !m.cells.is_empty() {
            let _ = m.set_note(0, 0, "set by someone", &by);
        }
        let text = file::to_toml(&m);
        prop_assert_eq!(&file::load_str(&text, "p.toml").unwrap(), &m);
        // CSV does not carry who set a cell.
        let mut plain = m.clone();
        for c in &mut plain.cells {
            c.by.clear();
        }
        let back = csv::from_csv("p.csv", &csv::to_csv(&plain), "t").unwrap();
        prop_assert_eq!(back, plain);
    }

    #[test]
    fn risks_follow_the_marks(m in matrix()) {
        let risks = m.risks();
        for r in 0..m.rows.len() {
            let knowers: Vec<usize> = (0..m.columns.len())
                .filter(|c| m.cell(r, *c).unwrap().mark.is_some_and(Mark::is_knowledge))
                .collect();
            let single = risks.iter().any(|k| matches!(k, Risk::SinglePerson { row, .. } if *row == r));
            let nobody = risks.iter().any(|k| matches!(k, Risk::Nobody { row } if *row == r));
            prop_assert_eq!(single, knowers.len() == 1 && m.columns[knowers[0]].kind == ColumnKind::Person);
            prop_assert_eq!(nobody, knowers.is_empty() && m.has_people());
            for c in 0..m.columns.len() {
                let unknown = m.cell(r, c).unwrap().mark == Some(Mark::Unknown);
                prop_assert_eq!(unknown, risks.contains(&Risk::Unknown { row: r, col: c }));
            }
        }
    }
}
