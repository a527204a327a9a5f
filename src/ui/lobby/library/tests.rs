use super::*;
use crate::input::KeyCode;
use crate::ui::testing::{SCREEN, ch, drawn};
use crate::ui::theme::Theme;

fn row(name: &str, scenario: &str, seats: &[&str], outcome: &str) -> LibraryRow {
    LibraryRow {
        path: PathBuf::from(format!("/rec/{name}.jsonl")),
        started: format!("2026-12-01T10:{:02}:00Z", name.len()),
        scenario: scenario.into(),
        seats: seats.iter().map(|s| s.to_string()).collect(),
        outcome: outcome.into(),
        beats: 36,
        story: "0:18:00".into(),
    }
}

fn library() -> Library {
    Library::new(
        "/rec",
        vec![
            row(
                "a",
                "bad-deploy",
                &["ana"],
                "ended (resolved), objectives 5 of 5 met",
            ),
            row(
                "b",
                "bad-deploy",
                &["bo", "ana"],
                "ended (time), objectives 2 of 5 met",
            ),
            row(
                "c",
                "cert-expiry",
                &["cy"],
                "ended (resolved), objectives 4 of 4 met",
            ),
            row(
                "d\u{1b}[31m",
                "queue-backlog",
                &["d\u{7}x"],
                "stopped, objectives 0 of 3 met",
            ),
        ],
        true,
    )
}

fn press(l: &mut Library, c: char) -> Option<LibraryCommand> {
    l.on_input(&ch(c), SCREEN)
}

fn key(l: &mut Library, code: KeyCode) -> Option<LibraryCommand> {
    l.on_input(&crate::ui::testing::key(code), SCREEN)
}

fn text(l: &Library, w: u16, h: u16) -> String {
    drawn(w, h, |buf, area| l.draw(buf, area, &Theme::default()))
}

fn names(l: &Library) -> Vec<String> {
    l.shown().map(LibraryRow::name).collect()
}

#[test]
fn filters_cycle_through_what_the_rows_hold_then_off() {
    let mut l = library();
    assert_eq!(names(&l).len(), 4);
    press(&mut l, 's');
    assert_eq!(l.filters.scenario.as_deref(), Some("bad-deploy"));
    assert_eq!(names(&l), ["a.jsonl", "b.jsonl"]);
    press(&mut l, 's');
    assert_eq!(names(&l), ["c.jsonl"]);
    press(&mut l, 's');
    press(&mut l, 's');
    assert_eq!(l.filters.scenario, None, "after the last: all again");
    press(&mut l, 'w');
    assert_eq!(l.filters.seat.as_deref(), Some("ana"));
    assert_eq!(names(&l), ["a.jsonl", "b.jsonl"]);
    press(&mut l, 'o');
    assert_eq!(l.filters.outcome.as_deref(), Some("ended (resolved)"));
    assert_eq!(names(&l), ["a.jsonl"]);
    let t = text(&l, 80, 24);
    assert!(
        t.contains("recordings · 1 of 4 · seat ana · outcome ended (resolved)"),
        "{t}"
    );
    press(&mut l, 'a');
    assert_eq!(names(&l).len(), 4);
}

#[test]
fn enter_replays_and_d_debriefs_the_selected_run_with_the_marked_ghost() {
    let mut l = library();
    assert_eq!(
        key(&mut l, KeyCode::Enter),
        Some(LibraryCommand::Replay {
            run: "/rec/a.jsonl".into(),
            ghost: None
        })
    );
    // a is the ghost; the list narrows to its scenario; b is compared with it.
    press(&mut l, 'g');
    assert_eq!(
        l.ghost.as_deref(),
        Some(std::path::Path::new("/rec/a.jsonl"))
    );
    assert_eq!(names(&l), ["a.jsonl", "b.jsonl"]);
    assert!(text(&l, 80, 24).contains("this is the ghost"));
    key(&mut l, KeyCode::Down);
    assert!(text(&l, 80, 24).contains("compared with the ghost a.jsonl"));
    assert_eq!(
        key(&mut l, KeyCode::Enter),
        Some(LibraryCommand::Replay {
            run: "/rec/b.jsonl".into(),
            ghost: Some("/rec/a.jsonl".into())
        })
    );
    assert_eq!(
        press(&mut l, 'd'),
        Some(LibraryCommand::Debrief {
            run: "/rec/b.jsonl".into(),
            ghost: Some("/rec/a.jsonl".into())
        })
    );
    // The ghost itself replays alone; g again unmarks it.
    key(&mut l, KeyCode::Up);
    assert!(matches!(
        key(&mut l, KeyCode::Enter),
        Some(LibraryCommand::Replay { ghost: None, .. })
    ));
    press(&mut l, 'g');
    assert_eq!(l.ghost, None);
}

#[test]
fn delete_asks_first_and_no_leaves_it() {
    let mut l = library();
    assert_eq!(press(&mut l, 'x'), None);
    assert_eq!(l.scope(), crate::keymap::Scope::Confirm);
    assert!(text(&l, 80, 24).contains("delete a.jsonl? y yes · n no"));
    // Keys of the list do nothing while asked.
    assert_eq!(key(&mut l, KeyCode::Enter), None);
    assert_eq!(press(&mut l, 'n'), None);
    assert!(l.prompt.is_none());
    press(&mut l, 'x');
    assert_eq!(
        press(&mut l, 'y'),
        Some(LibraryCommand::Delete("/rec/a.jsonl".into()))
    );
}

#[test]
fn rename_takes_a_plain_name_then_asks() {
    let mut l = library();
    press(&mut l, 'r');
    assert!(text(&l, 80, 24).contains("new name: a▌"));
    key(&mut l, KeyCode::Backspace);
    for c in "../etc".chars() {
        press(&mut l, c);
    }
    key(&mut l, KeyCode::Enter);
    assert!(
        matches!(l.prompt, Some(Prompt::Naming { .. })),
        "a path is refused"
    );
    assert!(text(&l, 80, 24).contains("without folders"));
    for _ in 0..6 {
        key(&mut l, KeyCode::Backspace);
    }
    for c in "expert run".chars() {
        press(&mut l, c);
    }
    key(&mut l, KeyCode::Enter);
    assert!(text(&l, 80, 24).contains("rename a.jsonl to expert run.jsonl? y yes"));
    assert_eq!(
        press(&mut l, 'y'),
        Some(LibraryCommand::Rename {
            from: "/rec/a.jsonl".into(),
            to: "expert run.jsonl".into()
        })
    );
    // esc while naming leaves it.
    press(&mut l, 'r');
    key(&mut l, KeyCode::Esc);
    assert!(l.prompt.is_none());
}

#[test]
fn names_are_plain_file_names() {
    assert_eq!(plain_name(" x ").unwrap(), "x.jsonl");
    assert_eq!(plain_name("x.jsonl").unwrap(), "x.jsonl");
    for bad in ["", "a/b", ".hidden", "a\\b", "a\u{1b}b"] {
        assert!(plain_name(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn over_ssh_nothing_is_deleted_or_renamed() {
    let mut l = Library::new("server", library().rows().to_vec(), false);
    assert_eq!(press(&mut l, 'x'), None);
    assert_eq!(press(&mut l, 'r'), None);
    assert!(l.prompt.is_none());
    assert!(text(&l, 80, 24).contains("cannot be deleted or renamed"));
}

#[test]
fn names_from_files_are_cleaned_and_every_size_draws() {
    let mut l = library();
    key(&mut l, KeyCode::End);
    let t = text(&l, 100, 30);
    assert!(!t.contains('\u{1b}') && !t.contains('\u{7}'), "{t}");
    assert!(t.contains("queue-backlog"), "{t}");
    let wide = text(&l, 160, 30);
    assert!(
        wide.contains("36 beats  0:18:00  a.jsonl"),
        "wide rows name the file: {wide}"
    );
    for (w, h) in [(1, 1), (19, 5), (20, 6), (40, 10), (80, 24), (500, 200)] {
        let _ = text(&l, w, h);
    }
    let empty = Library::new("/nowhere", Vec::new(), true);
    assert!(text(&empty, 80, 24).contains("No recordings in /nowhere."));
    let mut none = library();
    for c in ['o', 'o', 'o', 's'] {
        press(&mut none, c);
    }
    assert_eq!(none.filters.outcome.as_deref(), Some("stopped"));
    assert!(text(&none, 80, 24).contains("None match the filters (a: all)."));
}

#[test]
fn every_library_key_does_something_and_question_mark_lists_them() {
    use crate::keymap::{KEYMAP, Scope};
    for scope in [Scope::Library, Scope::Confirm] {
        for b in KEYMAP.iter().filter(|b| b.scopes.contains(&scope)) {
            for k in b.keys {
                let mut l = library();
                key(&mut l, KeyCode::Down);
                if scope == Scope::Confirm {
                    press(&mut l, 'x');
                }
                let before = format!("{l:?}");
                let asked = l.on_input(&Input::Key(*k), SCREEN);
                assert!(
                    asked.is_some() || format!("{l:?}") != before,
                    "{scope:?}: {} ({:?}) did nothing",
                    k.label(),
                    b.act
                );
            }
        }
    }
    let mut l = library();
    press(&mut l, '?');
    let t = text(&l, 100, 40);
    assert!(
        t.contains("recordings keys") && t.contains("filter by seat"),
        "{t}"
    );
    assert!(t.contains("yes, do it"), "{t}");
}
