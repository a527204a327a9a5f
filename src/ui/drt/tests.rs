use super::*;
use crate::drill::{Action, Drill, Input as DrillInput};
use crate::drt::{LineDiff, Origin};
use std::sync::Arc;

const BAD_DEPLOY: &str = include_str!("../../../scenarios/bad-deploy.toml");

fn table() -> Table {
    let s = crate::scenario::load_str(BAD_DEPLOY, "bad-deploy.toml").unwrap();
    let mut d = Drill::new(Arc::new(s), 7);
    d.apply(&DrillInput::new(
        1,
        Action::Join {
            name: "ana".into(),
            role: None,
        },
    ));
    d.apply(&DrillInput::new(
        1,
        Action::DecisionHere {
            text: "page payments?".into(),
        },
    ));
    crate::drt::from_drill(&d)
}

fn key(c: KeyCode) -> Input {
    Input::Key(Key::plain(c))
}

fn ch(c: char) -> Input {
    Input::Key(Key::char(c))
}

const AREA: Rect = Rect {
    x: 0,
    y: 0,
    width: 80,
    height: 24,
};

/// Feeds inputs, applying the view's edits to the table as a room would, from `seat`.
fn feed(v: &mut DrtView, t: &mut Table, inputs: &[Input]) -> Vec<DrtCommand> {
    let mut out = Vec::new();
    for i in inputs {
        for c in v.on_input(i, t, AREA) {
            if let DrtCommand::Edit(e) = &c {
                let _ = t.apply(v.seat, e);
            }
            out.push(c);
        }
    }
    out
}

#[test]
fn arrows_move_the_cursor_within_the_table() {
    let mut t = table();
    let mut v = DrtView::new(1);
    feed(
        &mut v,
        &mut t,
        &[key(KeyCode::Right), key(KeyCode::Right), key(KeyCode::Down)],
    );
    assert_eq!((v.row, v.column), (1, Column::Cues));
    feed(
        &mut v,
        &mut t,
        &[key(KeyCode::Left), key(KeyCode::Left), key(KeyCode::Left)],
    );
    assert_eq!(v.column, Column::Uncertainty, "left wraps");
    feed(&mut v, &mut t, &[key(KeyCode::End)]);
    assert_eq!(v.row, t.rows.len() - 1);
    feed(&mut v, &mut t, &[key(KeyCode::Down), key(KeyCode::Down)]);
    assert_eq!(v.row, t.rows.len() - 1, "stays on the last row");
    feed(&mut v, &mut t, &[key(KeyCode::Home)]);
    assert_eq!(v.row, 0);
}

#[test]
fn enter_claims_typing_goes_into_the_cell_and_enter_lets_it_go() {
    let mut t = table();
    let mut v = DrtView::new(1);
    let before = t.rows[0].cell(Column::Decision).to_string();
    let cmds = feed(
        &mut v,
        &mut t,
        &[
            key(KeyCode::Enter),
            ch('!'),
            ch('x'),
            key(KeyCode::Backspace),
        ],
    );
    assert_eq!(
        cmds[0],
        DrtCommand::Edit(DrtInput::Claim {
            row: 0,
            column: Column::Decision
        })
    );
    assert_eq!(v.mode, Mode::Editing);
    assert_eq!(t.rows[0].cell(Column::Decision), format!("{before}!"));
    // While editing, keys that browse elsewhere type instead: `q` is a letter.
    feed(&mut v, &mut t, &[ch('q')]);
    assert!(t.rows[0].cell(Column::Decision).ends_with("!q"));
    feed(&mut v, &mut t, &[Input::Paste("a\nb".into())]);
    assert!(t.rows[0].cell(Column::Decision).ends_with("!qab"));
    let cmds = feed(&mut v, &mut t, &[key(KeyCode::Esc)]);
    assert_eq!(cmds, vec![DrtCommand::Edit(DrtInput::Release)]);
    assert_eq!(v.mode, Mode::Browse);
    assert!(t.claims.is_empty());
}

#[test]
fn a_cell_another_seat_holds_is_refused_with_its_name() {
    let mut t = table();
    t.apply(
        2,
        &DrtInput::Claim {
            row: 0,
            column: Column::Decision,
        },
    )
    .unwrap();
    let mut v = DrtView::new(1);
    v.names = vec![(2, "bo".into())];
    let cmds = feed(&mut v, &mut t, &[key(KeyCode::Enter)]);
    assert!(cmds.is_empty());
    assert_eq!(v.status, Some(("bo is editing that cell".into(), true)));
    assert_eq!(v.mode, Mode::Browse);
    // A claim that loses the race: typing stops once the table shows the other holder.
    let mut v = DrtView::new(1);
    v.column = Column::Cues;
    feed(&mut v, &mut t, &[key(KeyCode::Enter)]);
    t.claims.clear();
    t.apply(
        2,
        &DrtInput::Claim {
            row: 0,
            column: Column::Cues,
        },
    )
    .unwrap();
    assert!(feed(&mut v, &mut t, &[ch('z')]).is_empty());
}

#[test]
fn add_delete_export_import_and_save_keys() {
    let mut t = table();
    let n = t.rows.len();
    let mut v = DrtView::new(1);
    feed(&mut v, &mut t, &[ch('a')]);
    assert_eq!((t.rows.len(), v.row), (n + 1, n));
    assert_eq!(t.rows[n].origin, Origin::Added);
    // Delete asks first; n keeps it, y deletes.
    feed(&mut v, &mut t, &[ch('x'), ch('n')]);
    assert_eq!(t.rows.len(), n + 1);
    let cmds = feed(&mut v, &mut t, &[ch('x'), ch('y')]);
    assert_eq!(cmds, vec![DrtCommand::Edit(DrtInput::DeleteRow { row: n })]);
    assert_eq!(t.rows.len(), n);
    assert_eq!(
        feed(&mut v, &mut t, &[ch('m'), ch('c'), ch('j')]),
        vec![
            DrtCommand::Export(Format::Markdown),
            DrtCommand::Export(Format::Csv),
            DrtCommand::Export(Format::Json),
        ]
    );
    v.last_csv = Some("/d/t.csv".into());
    let cmds = feed(
        &mut v,
        &mut t,
        &[
            ch('i'),
            key(KeyCode::Backspace),
            ch('v'),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(cmds, vec![DrtCommand::Import("/d/t.csv".into())]);
    let cmds = feed(&mut v, &mut t, &[ch('i'), key(KeyCode::Esc)]);
    assert!(cmds.is_empty() && v.mode == Mode::Browse);
    // Save: the shell prepares, the diff is reviewed, only y writes.
    assert_eq!(
        feed(&mut v, &mut t, &[ch('S')]),
        vec![DrtCommand::PrepareSave]
    );
    let diff = vec![LineDiff::Same("a".into()), LineDiff::Added("b".into())];
    v.review("s.toml".into(), false, diff.clone());
    assert!(feed(&mut v, &mut t, &[ch('n')]).is_empty());
    assert_eq!(v.mode, Mode::Browse);
    v.review("s.toml".into(), false, diff);
    assert!(
        feed(&mut v, &mut t, &[key(KeyCode::Down), ch('z')]).is_empty(),
        "other keys scroll or wait"
    );
    assert_eq!(
        feed(&mut v, &mut t, &[ch('y')]),
        vec![DrtCommand::WriteSave]
    );
    // Where saving is not offered, S says so.
    v.can_save = false;
    assert!(feed(&mut v, &mut t, &[ch('S')]).is_empty());
    assert!(v.status.is_some());
    assert_eq!(feed(&mut v, &mut t, &[ch('q')]), vec![DrtCommand::Close]);
    assert_eq!(
        feed(&mut v, &mut t, &[Input::Key(Key::ctrl('c'))]),
        vec![DrtCommand::Quit]
    );
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut t = table();
    let mut v = DrtView::new(1);
    feed(&mut v, &mut t, &[ch('?')]);
    assert!(v.help.is_some());
    feed(&mut v, &mut t, &[ch('z')]);
    assert!(v.help.is_none());
}

#[test]
fn the_cursor_row_stays_in_sight_and_narrow_screens_pin_the_decision() {
    let mut t = Table::default();
    for _ in 0..30 {
        t.apply(1, &DrtInput::AddRow).unwrap();
    }
    let mut v = DrtView::new(1);
    feed(&mut v, &mut t, &[key(KeyCode::End)]);
    assert!(layout(AREA, &t, &v).row_drawn(29), "top {}", v.top);
    let l = layout(AREA, &t, &v);
    assert_eq!(l.columns.len(), 2);
    assert_eq!(l.columns[0].0, Column::Decision);
    v.column = Column::Uncertainty;
    assert_eq!(layout(AREA, &t, &v).columns[1].0, Column::Uncertainty);
    let wide = Rect::new(0, 0, 200, 50);
    assert_eq!(layout(wide, &t, &v).columns.len(), 7);
}

#[test]
fn diff_context_elides_unchanged_runs() {
    let mut d: Vec<LineDiff> = (0..10).map(|i| LineDiff::Same(i.to_string())).collect();
    d.push(LineDiff::Added("x".into()));
    let c = review::context(&d);
    assert_eq!(c[0], None);
    assert_eq!(c.len(), 4);
}

#[test]
fn a_row_added_then_edited_at_once_is_the_new_row_not_the_last_old_one() {
    // The room has not applied the add when the next key comes: the claim must still be on
    // the new row (found typing into the row above in tmux).
    let t = table();
    let n = t.rows.len();
    let mut v = DrtView::new(1);
    assert_eq!(
        v.on_input(&ch('a'), &t, AREA),
        vec![DrtCommand::Edit(DrtInput::AddRow)]
    );
    let cmds = v.on_input(&key(KeyCode::Enter), &t, AREA);
    assert_eq!(
        cmds,
        vec![DrtCommand::Edit(DrtInput::Claim {
            row: n,
            column: Column::Decision
        })]
    );
}
