//! Filtering and sorting the catalogue in both lobbies, driven by keys and drawn into a
//! `TestBackend`: the local lobby (`gamelan`) and the SSH lobby (`gamelan serve`). Both use
//! `scenario::query`, so what they show is what `gamelan scenarios` prints for the same filter.

mod common;

use common::screen::drawn;
use gamelan::input::{Input, Key, KeyCode};
use gamelan::scenario::query::{Query, Sort};
use gamelan::scenario::{Catalogue, Difficulty, bundled};
use gamelan::ui::lobby::catalogue::{Lobby, LobbyCommand};
use gamelan::ui::lobby::rooms::{Pick, SshLobby};
use gamelan::ui::theme::Theme;
use ratatui::layout::Rect;

fn catalogue() -> Catalogue {
    Catalogue {
        entries: bundled(),
        problems: Vec::new(),
    }
}

fn ch(c: char) -> Input {
    Input::Key(Key::char(c))
}

fn code(c: KeyCode) -> Input {
    Input::Key(Key::plain(c))
}

fn draw_local(l: &Lobby, w: u16, h: u16) -> String {
    drawn(w, h, |buf, area| l.draw(buf, area, &Theme::default()))
}

fn draw_ssh(l: &SshLobby, w: u16, h: u16) -> String {
    drawn(w, h, |buf, area| l.draw(buf, area, &Theme::default()))
}

fn ids(q: &Query) -> Vec<String> {
    let cat = bundled();
    q.select(&cat)
        .into_iter()
        .map(|i| cat[i].scenario.meta.id.clone())
        .collect()
}

const SCREEN: Rect = Rect::new(0, 0, 80, 24);

fn typed(l: &mut Lobby, s: &str) {
    l.on_input(&ch('/'), SCREEN);
    for c in s.chars() {
        l.on_input(&ch(c), SCREEN);
    }
    l.on_input(&code(KeyCode::Enter), SCREEN);
}

#[test]
fn the_local_lobby_filters_by_difficulty_and_starts_what_it_shows() {
    let mut l = Lobby::new(catalogue());
    let t = draw_local(&l, 80, 24);
    assert!(t.contains("all 15 · by id"), "{t}");
    // d: intro only.
    l.on_input(&ch('d'), SCREEN);
    let intro = ids(&Query {
        difficulty: Some(Difficulty::Intro),
        ..Query::default()
    });
    assert!(!intro.is_empty());
    let t = draw_local(&l, 80, 24);
    assert!(t.contains(&format!("intro · {} of 15", intro.len())), "{t}");
    for e in bundled() {
        let m = &e.scenario.meta;
        assert_eq!(
            t.contains(&m.title[..20.min(m.title.len())]),
            intro.contains(&m.id),
            "{} in an intro-only list:\n{t}",
            m.id
        );
    }
    // Enter starts the selected one: the catalogue's index of the first intro drill.
    let want = bundled()
        .iter()
        .position(|e| e.scenario.meta.id == intro[0])
        .unwrap();
    assert_eq!(
        l.on_input(&code(KeyCode::Enter), SCREEN),
        Some(LobbyCommand::Start(want))
    );
    l.on_input(&code(KeyCode::Down), SCREEN);
    let second = bundled()
        .iter()
        .position(|e| e.scenario.meta.id == intro[1])
        .unwrap();
    assert_eq!(
        l.on_input(&code(KeyCode::Enter), SCREEN),
        Some(LobbyCommand::Start(second))
    );
}

#[test]
fn the_local_lobby_sorts_and_types_a_tag_and_says_when_nothing_matches() {
    let mut l = Lobby::new(catalogue());
    l.on_input(&ch('s'), SCREEN);
    l.on_input(&ch('s'), SCREEN);
    let by_minutes = ids(&Query {
        sort: Sort::Minutes,
        ..Query::default()
    });
    let shown: Vec<String> = l
        .shown()
        .into_iter()
        .map(|i| l.catalogue.entries[i].scenario.meta.id.clone())
        .collect();
    assert_eq!(shown, by_minutes);
    assert_eq!(
        l.selected().unwrap().scenario.meta.id,
        "bad-deploy",
        "the selection stays on the drill it was on"
    );
    assert!(draw_local(&l, 80, 24).contains("by minutes"));
    // `q` while typing is a letter, not quit.
    l.on_input(&ch('/'), SCREEN);
    assert_eq!(l.on_input(&ch('q'), SCREEN), None);
    assert!(draw_local(&l, 80, 24).contains("tag: q"));
    l.on_input(&code(KeyCode::Esc), SCREEN);
    typed(&mut l, "dns");
    let dns = ids(&Query {
        tag: Some("dns".into()),
        sort: Sort::Minutes,
        ..Query::default()
    });
    assert!(!dns.is_empty() && dns.len() < 15);
    assert_eq!(l.shown().len(), dns.len());
    let t = draw_local(&l, 80, 24);
    assert!(t.contains("tag dns"), "{t}");
    // Nothing matches: the screen says so and how to clear it.
    l.on_input(&ch('m'), SCREEN);
    let t = draw_local(&l, 80, 24);
    assert!(
        t.contains("no drill matches tag dns · ≤ 30 min") && t.contains("press x to clear"),
        "{t}"
    );
    assert_eq!(l.on_input(&code(KeyCode::Enter), SCREEN), None);
    insta::assert_snapshot!("local_lobby_nothing_matches_80x24", t);
    l.on_input(&ch('x'), SCREEN);
    assert_eq!(l.shown().len(), 15);
    l.on_input(&ch('x'), SCREEN);
    assert!(draw_local(&l, 80, 24).contains("no filter to clear"));
}

#[test]
fn the_local_lobby_filtered_at_80x24_and_200x50() {
    let mut l = Lobby::new(catalogue());
    l.on_input(&ch('f'), SCREEN);
    l.on_input(&ch('s'), SCREEN);
    insta::assert_snapshot!("local_lobby_family_80x24", draw_local(&l, 80, 24));
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('x'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    let t = draw_local(&l, 200, 50);
    assert!(t.contains("expert ·"), "{t}");
    insta::assert_snapshot!("local_lobby_expert_200x50", t);
    for (w, h) in [(1, 1), (20, 6), (30, 8), (500, 200)] {
        let _ = draw_local(&l, w, h);
    }
}

#[test]
fn a_click_on_a_filtered_row_chooses_that_drill() {
    use gamelan::input::{Button, Mouse, MouseKind};
    let mut l = Lobby::new(catalogue());
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    let t = draw_local(&l, 80, 24);
    let expert = ids(&Query {
        difficulty: Some(Difficulty::Expert),
        ..Query::default()
    });
    let last = expert.last().unwrap();
    let title = bundled()
        .into_iter()
        .find(|e| &e.scenario.meta.id == last)
        .unwrap()
        .scenario
        .meta
        .title
        .clone();
    let y = t
        .lines()
        .position(|line| line.contains(&title[..15]))
        .unwrap_or_else(|| panic!("{title} not drawn:\n{t}"));
    let click = Input::Mouse(Mouse {
        clicks: 2,
        ..Mouse::new(MouseKind::Down(Button::Left), 5, y as u16)
    });
    let want = bundled()
        .iter()
        .position(|e| &e.scenario.meta.id == last)
        .unwrap();
    assert_eq!(l.on_input(&click, SCREEN), Some(LobbyCommand::Start(want)));
}

#[test]
fn the_ssh_lobby_filters_sorts_and_picks_from_what_it_shows() {
    let mut l = SshLobby::new("ana", catalogue(), Vec::new());
    assert!(draw_ssh(&l, 80, 24).contains("all 15 · by id"));
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    l.on_input(&ch('d'), SCREEN);
    let expert = ids(&Query {
        difficulty: Some(Difficulty::Expert),
        ..Query::default()
    });
    let t = draw_ssh(&l, 80, 24);
    assert!(
        t.contains(&format!("expert · {} of 15", expert.len())),
        "{t}"
    );
    for e in bundled() {
        let id = &e.scenario.meta.id;
        assert_eq!(
            t.contains(&format!(" {id} · ")),
            expert.contains(id),
            "{id}:\n{t}"
        );
    }
    insta::assert_snapshot!("ssh_lobby_expert_80x24", t);
    // Enter, then the role screen's "every role": the first expert drill.
    l.on_input(&code(KeyCode::Enter), SCREEN);
    l.on_input(&code(KeyCode::End), SCREEN);
    for _ in 0..20 {
        l.on_input(&code(KeyCode::Down), SCREEN);
        if draw_ssh(&l, 80, 24).contains("▸ Every role") {
            break;
        }
    }
    let want = bundled()
        .iter()
        .position(|e| e.scenario.meta.id == expert[0])
        .unwrap();
    assert_eq!(
        l.on_input(&code(KeyCode::Enter), SCREEN),
        Some(Pick::New {
            entry: want,
            role: None
        })
    );
}

#[test]
fn the_ssh_lobby_says_when_nothing_matches_and_types_t_into_a_tag() {
    let mut l = SshLobby::new("ana", catalogue(), Vec::new());
    l.on_input(&ch('/'), SCREEN);
    for c in "tls".chars() {
        l.on_input(&ch(c), SCREEN);
    }
    assert!(l.filter.is_typing());
    assert!(draw_ssh(&l, 80, 24).contains("tag: tls"));
    l.on_input(&code(KeyCode::Enter), SCREEN);
    let tls = ids(&Query {
        tag: Some("tls".into()),
        ..Query::default()
    });
    assert!(!tls.is_empty());
    l.on_input(&ch('m'), SCREEN);
    let t = draw_ssh(&l, 200, 50);
    let none = ids(&Query {
        tag: Some("tls".into()),
        max_minutes: Some(30),
        ..Query::default()
    });
    assert!(none.is_empty());
    assert!(
        t.contains("no drill matches tag tls · ≤ 30 min") && t.contains("press x to clear"),
        "{t}"
    );
    insta::assert_snapshot!("ssh_lobby_nothing_matches_200x50", t);
    // Nothing to pick; Enter does nothing, x clears.
    assert_eq!(l.on_input(&code(KeyCode::Enter), SCREEN), None);
    assert!(draw_ssh(&l, 80, 24).contains("Scenarios: start a new drill"));
    l.on_input(&ch('x'), SCREEN);
    assert!(draw_ssh(&l, 80, 24).contains("all 15 · by id"));
    l.on_input(&ch('x'), SCREEN);
    assert!(draw_ssh(&l, 80, 24).contains("no filter to clear"));
}

#[test]
fn both_lobbies_list_the_filter_keys_in_help() {
    let mut l = Lobby::new(catalogue());
    l.on_input(&ch('?'), SCREEN);
    let t = draw_local(&l, 100, 50);
    let mut s = SshLobby::new("ana", catalogue(), Vec::new());
    s.on_input(&ch('?'), SCREEN);
    let u = draw_ssh(&s, 100, 50);
    for want in [
        "filter by family",
        "filter by difficulty",
        "filter by length",
        "filter by a tag",
        "sort by id, difficulty, minutes, family",
        "clear the filter",
    ] {
        assert!(t.contains(want), "local help lacks {want}:\n{t}");
        assert!(u.contains(want), "ssh help lacks {want}:\n{u}");
    }
}
