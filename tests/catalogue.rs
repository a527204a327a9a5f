//! `gamelan scenarios` filters and sorts the catalogue the way the lobby does.

use std::process::Command;

fn scenarios(args: &[&str]) -> (String, String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_gamelan"))
        .arg("scenarios")
        .args(args)
        .env(
            "XDG_CONFIG_HOME",
            std::env::temp_dir().join("gamelan-catalogue-test"),
        )
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

#[test]
fn filters_by_difficulty_family_and_length() {
    let (all, _, ok) = scenarios(&[]);
    assert!(ok);
    let all = rows(&all);
    assert!(all.len() >= 3, "{all:?}");
    let (intro, _, _) = scenarios(&["--difficulty", "intro"]);
    let intro = rows(&intro);
    assert!(!intro.is_empty() && intro.len() < all.len());
    assert!(intro.iter().all(|r| r[1] == "intro"), "{intro:?}");
    let (fam, _, _) = scenarios(&["--family", "deploy"]);
    assert!(rows(&fam).iter().all(|r| r[3] == "deploy"), "{fam}");
    let (short, _, _) = scenarios(&["--max-minutes", "40", "--sort", "minutes"]);
    let mins: Vec<u32> = rows(&short).iter().map(|r| r[2].parse().unwrap()).collect();
    assert!(mins.iter().all(|m| *m <= 40));
    assert!(mins.windows(2).all(|w| w[0] <= w[1]), "{mins:?}");
}

#[test]
fn columns_fit_the_longest_id_and_long_shows_the_source() {
    let (text, _, _) = scenarios(&[]);
    let header = text.lines().next().unwrap();
    let col = header.find("DIFFICULTY").unwrap();
    for line in text.lines().skip(1) {
        assert_eq!(
            line.chars().nth(col - 1),
            Some(' '),
            "the id column is wide enough: {line}"
        );
    }
    let (long, _, _) = scenarios(&["--long"]);
    assert!(long.contains("drawn from: "), "{long}");
}

#[test]
fn a_bad_filter_is_a_clear_error_and_no_match_says_so() {
    let (_, err, ok) = scenarios(&["--difficulty", "hard"]);
    assert!(!ok);
    assert!(
        err.contains("expected intro, intermediate, advanced or expert"),
        "{err}"
    );
    let (out, _, ok) = scenarios(&["--max-minutes", "1"]);
    assert!(ok);
    assert!(out.contains("no scenario matches (≤ 1 min)"), "{out}");
}

#[test]
fn the_readme_lists_every_bundled_scenario() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for e in gamelan::scenario::bundled() {
        let id = &e.scenario.meta.id;
        assert!(
            readme.contains(&format!(
                "| `{id}` | {} |",
                e.scenario.meta.difficulty.label()
            )),
            "README's catalogue is missing `{id}`"
        );
    }
}
