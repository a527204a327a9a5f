//! The team's record: every recorded drill as one [`Row`] (time to detect, acknowledge,
//! mitigate and resolve, objectives met, hints used, red herrings followed), and per scenario
//! the [`Series`] of those figures over time: "are we getting better?".
//!
//! [`Row::of`] and [`series`] are pure (a rebuilt drill in, figures out), so the console's
//! history view, `gamelan history` and any later export compute the same numbers.
//! [`load::rows`] reads a directory of recordings; [`chart`] draws the table and the text chart.
//! docs/history.md describes the figures and the output formats.

pub mod chart;
pub mod html;
pub mod load;

use crate::drill::{Drill, Status, Verdict};
use crate::record::Header;
use crate::scenario::Mark;
use serde::Serialize;

/// One recorded drill. Flat, so each field is one CSV column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Wall-clock start, RFC 3339 UTC.
    pub started: String,
    pub scenario: String,
    pub title: String,
    /// The scenario's content hash: runs of different versions of a scenario can be told apart.
    pub scenario_hash: String,
    pub seed: u64,
    /// `ended (resolved)`, `ended (time)`, `stopped` (the recording ends while it ran).
    pub outcome: String,
    /// The recording stopped before it was closed (a crash, a kill, a full disk).
    pub incomplete: bool,
    /// The drill's last beat, and the story minutes it stands for.
    pub beats: u64,
    pub story_minutes: f64,
    /// Story minutes from the start of the drill to each lifecycle mark; empty: not reached.
    pub detect_minutes: Option<f64>,
    pub acknowledge_minutes: Option<f64>,
    pub mitigate_minutes: Option<f64>,
    pub resolve_minutes: Option<f64>,
    /// The scenario's targets for those marks, in story minutes.
    pub detect_target: Option<u32>,
    pub acknowledge_target: Option<u32>,
    pub mitigate_target: Option<u32>,
    pub resolve_target: Option<u32>,
    pub objectives_met: usize,
    pub objectives_total: usize,
    /// Rungs of the hint ladder revealed, of those the scenario has.
    pub hints_used: usize,
    pub hints_available: usize,
    /// Red herrings followed at least once, of those the scenario has.
    pub herrings_followed: usize,
    pub herrings_total: usize,
    /// The recording file.
    pub recording: String,
}

impl Row {
    /// The row of `drill`, rebuilt from the recording at `recording` whose header is `header`.
    pub fn of(drill: &Drill, header: &Header, recording: &str, incomplete: bool) -> Row {
        let s = &drill.scenario;
        let minutes = |m: Mark| drill.marks[m.index()].map(|b| s.story_seconds(b) as f64 / 60.0);
        Row {
            started: header.started.clone(),
            scenario: s.meta.id.clone(),
            title: s.meta.title.clone(),
            scenario_hash: s.content_hash.clone(),
            seed: header.seed,
            outcome: match &drill.status {
                Status::Ended(reason) => format!("ended ({reason})"),
                Status::Running | Status::Paused => "stopped".into(),
            },
            incomplete,
            beats: drill.beat,
            story_minutes: s.story_seconds(drill.beat) as f64 / 60.0,
            detect_minutes: minutes(Mark::Detected),
            acknowledge_minutes: minutes(Mark::Acknowledged),
            mitigate_minutes: minutes(Mark::Mitigated),
            resolve_minutes: minutes(Mark::Resolved),
            detect_target: s.target_minutes(Mark::Detected),
            acknowledge_target: s.target_minutes(Mark::Acknowledged),
            mitigate_target: s.target_minutes(Mark::Mitigated),
            resolve_target: s.target_minutes(Mark::Resolved),
            objectives_met: drill
                .objectives
                .iter()
                .filter(|v| matches!(v, Verdict::Met(_)))
                .count(),
            objectives_total: drill.objectives.len(),
            hints_used: drill.hints_shown,
            hints_available: s.hints.len(),
            herrings_followed: drill.herrings.iter().filter(|h| h.is_some()).count(),
            herrings_total: drill.herrings.len(),
            recording: recording.to_string(),
        }
    }

    /// Story minutes to each mark, in [`Mark::ALL`] order.
    pub fn minutes(&self) -> [Option<f64>; 4] {
        [
            self.detect_minutes,
            self.acknowledge_minutes,
            self.mitigate_minutes,
            self.resolve_minutes,
        ]
    }

    /// The targets of each mark, in [`Mark::ALL`] order.
    pub fn targets(&self) -> [Option<u32>; 4] {
        [
            self.detect_target,
            self.acknowledge_target,
            self.mitigate_target,
            self.resolve_target,
        ]
    }
}

/// One run of a scenario, as a point of its series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub started: String,
    /// The run's seed: with `started`, which run of the table this is.
    pub seed: u64,
    /// Story minutes to detect, acknowledge, mitigate and resolve (`None`: not reached).
    pub minutes: [Option<f64>; 4],
    pub objectives_met: usize,
    pub objectives_total: usize,
    pub hints_used: usize,
    pub herrings_followed: usize,
}

/// A scenario's runs in the order they started: the figures to chart over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub scenario: String,
    pub title: String,
    /// The latest run's targets for each mark, in story minutes.
    pub targets: [Option<u32>; 4],
    pub runs: Vec<Point>,
}

impl Series {
    /// The best (smallest) time to `mark` over the runs, if any reached it.
    pub fn best(&self, mark: Mark) -> Option<f64> {
        self.runs
            .iter()
            .filter_map(|p| p.minutes[mark.index()])
            .min_by(f64::total_cmp)
    }
}

/// Per scenario (by id, in alphabetical order), its runs in the order they started. Rows may
/// come in any order.
pub fn series(rows: &[Row]) -> Vec<Series> {
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        (
            a.scenario.as_str(),
            a.started.as_str(),
            a.recording.as_str(),
        )
            .cmp(&(
                b.scenario.as_str(),
                b.started.as_str(),
                b.recording.as_str(),
            ))
    });
    let mut out: Vec<Series> = Vec::new();
    for r in sorted {
        if out.last().is_none_or(|s| s.scenario != r.scenario) {
            out.push(Series {
                scenario: r.scenario.clone(),
                title: r.title.clone(),
                targets: r.targets(),
                runs: Vec::new(),
            });
        }
        let s = out.last_mut().expect("pushed above");
        s.title.clone_from(&r.title);
        s.targets = r.targets();
        s.runs.push(Point {
            started: r.started.clone(),
            seed: r.seed,
            minutes: r.minutes(),
            objectives_met: r.objectives_met,
            objectives_total: r.objectives_total,
            hints_used: r.hints_used,
            herrings_followed: r.herrings_followed,
        });
    }
    out
}

/// Rows ordered for the table: by start, then file.
pub fn sort_rows(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        a.started
            .cmp(&b.started)
            .then_with(|| a.recording.cmp(&b.recording))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::{Action, Input};
    use std::sync::Arc;

    fn bad_deploy() -> Arc<crate::scenario::Scenario> {
        crate::scenario::bundled()
            .into_iter()
            .find(|e| e.scenario.meta.id == "bad-deploy")
            .unwrap()
            .scenario
    }

    fn played(script: &str, started: &str) -> Row {
        let s = bad_deploy();
        let lines = crate::headless::parse_script(script, "s.cues", &s).unwrap();
        let mut drill = Drill::new(s.clone(), 1);
        crate::headless::run(&mut drill, &lines, None);
        let mut header = Header::new(&s, 1, 60, Vec::new());
        header.started = started.into();
        Row::of(&drill, &header, &format!("{started}.jsonl"), false)
    }

    #[test]
    fn a_row_holds_the_lifecycle_in_story_minutes_and_what_the_team_used() {
        let win = include_str!("../../scenarios/bad-deploy.win.cues");
        let r = played(win, "2025-05-01T14:00:00Z");
        assert_eq!(r.outcome, "ended (resolved)");
        assert_eq!(r.objectives_met, r.objectives_total);
        // One beat is 30 story seconds in bad-deploy: the win script acknowledges at beat 16.
        assert_eq!(r.acknowledge_minutes, Some(8.0));
        assert!(r.resolve_minutes.is_some());
        assert_eq!(r.acknowledge_target, Some(15));
        assert_eq!(r.hints_used, 0);
        let lose = include_str!("../../scenarios/bad-deploy.lose.cues");
        let l = played(lose, "2025-05-02T14:00:00Z");
        assert!(l.objectives_met < l.objectives_total);
        assert_eq!(l.resolve_minutes, None);
        // A hint taken and a red herring followed are counted.
        let s = bad_deploy();
        let mut drill = Drill::new(s.clone(), 1);
        drill.apply(&Input::new(
            0,
            Action::Join {
                name: "ann".into(),
                role: None,
            },
        ));
        for _ in 0..20 {
            drill.apply(&Input::new(0, Action::Tick));
        }
        drill.apply(&Input::new(0, Action::Hint));
        let herring = s.red_herrings[0].cues[0];
        drill.apply(&Input::new(
            0,
            Action::Cue {
                cue: s.cues[herring].id.clone(),
            },
        ));
        let r = Row::of(&drill, &Header::new(&s, 1, 60, Vec::new()), "x", true);
        assert_eq!((r.hints_used, r.herrings_followed), (1, 1), "{r:?}");
        assert_eq!(r.outcome, "stopped");
    }

    #[test]
    fn series_group_runs_by_scenario_in_the_order_they_started() {
        let win = include_str!("../../scenarios/bad-deploy.win.cues");
        let lose = include_str!("../../scenarios/bad-deploy.lose.cues");
        let rows = vec![
            played(win, "2025-05-03T14:00:00Z"),
            played(lose, "2025-05-01T14:00:00Z"),
            played(win, "2025-05-02T14:00:00Z"),
        ];
        let s = series(&rows);
        assert_eq!(s.len(), 1);
        let started: Vec<&str> = s[0].runs.iter().map(|p| p.started.as_str()).collect();
        assert_eq!(
            started,
            [
                "2025-05-01T14:00:00Z",
                "2025-05-02T14:00:00Z",
                "2025-05-03T14:00:00Z"
            ]
        );
        assert_eq!(s[0].runs[0].minutes[Mark::Resolved.index()], None);
        assert_eq!(s[0].best(Mark::Acknowledged), Some(8.0));
    }
}
