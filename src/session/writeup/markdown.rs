//! The write-up as Markdown: headings per segment, tables for people, remarks and refusals,
//! one line per note. Text from files and people is kept on one line and `|` is escaped in
//! table cells.

use super::{Detail, NoteRow, SegmentReport, TurnRow, Writeup};
use std::fmt::Write as _;

/// The write-up as Markdown.
pub fn markdown(w: &Writeup) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Session: {}\n", line(&w.title));
    if !w.summary.is_empty() {
        let _ = writeln!(md, "{}\n", w.summary.trim());
    }
    let _ = writeln!(md, "- status: {}", w.status);
    let _ = writeln!(md, "- length: {} (planned {})", w.length, w.planned);
    if let Some(s) = &w.started {
        let _ = writeln!(md, "- started: {s}");
    }
    let _ = writeln!(md, "- seed: {}\n", w.seed);
    let _ = writeln!(md, "## Who came\n");
    if w.people.is_empty() {
        let _ = writeln!(md, "- nobody\n");
    } else {
        let _ = writeln!(
            md,
            "| name | role | joined | segments |\n| --- | --- | --- | --- |"
        );
        for p in &w.people {
            let segs: Vec<String> = p.segments.iter().map(ToString::to_string).collect();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                cell(&p.name),
                p.role,
                p.joined,
                if segs.is_empty() {
                    "-".into()
                } else {
                    segs.join(", ")
                }
            );
        }
        md.push('\n');
    }
    let _ = writeln!(
        md,
        "## Segments\n\n| # | segment | kind | planned | spent | status |\n| --- | --- | --- | --- | --- | --- |"
    );
    for s in &w.segments {
        let planned = match &s.extended {
            Some(e) => format!("{} (+{e})", s.planned),
            None => s.planned.clone(),
        };
        let status = if s.overtime {
            format!("{}, over time", s.status)
        } else {
            s.status.clone()
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {planned} | {} | {status} |",
            s.number,
            cell(&s.title),
            s.kind,
            s.spent
        );
    }
    for s in &w.segments {
        segment_md(&mut md, s);
    }
    if !w.notes.is_empty() {
        let _ = writeln!(md, "\n## Other notes\n");
        note_list(&mut md, &w.notes);
    }
    let _ = writeln!(md, "\n## Knowledge gaps\n");
    if w.gaps.is_empty() {
        let _ = writeln!(md, "- none found");
    }
    for g in &w.gaps {
        let mut line_text = format!("- {} (turn {}, {})", line(&g.gap), g.turn, line(&g.person));
        if !g.escalations.is_empty() {
            let to: Vec<String> = g.escalations.iter().map(|e| line(e)).collect();
            line_text.push_str(&format!("; would escalate to {}", to.join(", ")));
        }
        let _ = writeln!(md, "{line_text}");
    }
    let _ = writeln!(md, "\n## Action items\n");
    if w.action_items.is_empty() {
        let _ = writeln!(md, "- none");
    }
    for a in &w.action_items {
        let _ = writeln!(md, "- [ ] {} ({}, {})", line(&a.text), a.from, a.time);
    }
    if !w.refused.is_empty() {
        let _ = writeln!(
            md,
            "\n## Refused\n\n| time | who | action | why |\n| --- | --- | --- | --- |"
        );
        for r in &w.refused {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                r.time,
                cell(&r.who),
                r.what,
                cell(&r.reason)
            );
        }
    }
    md
}

fn segment_md(md: &mut String, s: &SegmentReport) {
    let _ = writeln!(md, "\n### {}. {} ({})\n", s.number, line(&s.title), s.kind);
    match &s.detail {
        Detail::Walkthrough {
            vista,
            source,
            panes,
            file,
            remarks,
        } => {
            match vista {
                Some(v) => {
                    let _ = writeln!(md, "Vista: {} ({}).\n", line(v), line(source));
                }
                None => {
                    let _ = writeln!(md, "Vista: {} (not shown).\n", line(source));
                }
            }
            if !panes.is_empty() {
                let p: Vec<String> = panes.iter().map(|x| line(x)).collect();
                let _ = writeln!(md, "Panes: {}.\n", p.join(" · "));
            }
            if let Some(f) = file {
                let _ = writeln!(
                    md,
                    "Vista file carried in the recording: {}.\n",
                    line(&f.summary())
                );
            }
            if remarks.is_empty() {
                let _ = writeln!(md, "No remarks.");
            } else {
                let _ = writeln!(
                    md,
                    "| time | pane | who | | remark |\n| --- | --- | --- | --- | --- |"
                );
                for r in remarks {
                    let _ = writeln!(
                        md,
                        "| {} | {} | {} | {} | {} |",
                        r.time,
                        cell(&r.pane),
                        cell(&r.who),
                        if r.question { "question" } else { "remark" },
                        cell(&r.text)
                    );
                }
            }
        }
        Detail::Wheel {
            deck,
            turns,
            retired,
        } => {
            let _ = writeln!(md, "Deck: {}; {} turn(s).", line(deck), turns.len());
            for t in turns {
                turn_md(md, t);
            }
            if !retired.is_empty() {
                let r: Vec<String> = retired.iter().map(|x| line(x)).collect();
                let _ = writeln!(md, "\nRetired from the wheel: {}.", r.join(", "));
            }
        }
        Detail::Drill { scenario, runs } => {
            if runs.is_empty() {
                let _ = writeln!(md, "Scenario `{}`: no outcome reported.", line(scenario));
            }
            for (n, r) in runs.iter().enumerate() {
                let _ = writeln!(
                    md,
                    "- run {} of `{}` (seed {}): {} after {} beats; objectives {} of {} met; {} cues ({} rejected)",
                    n + 1,
                    line(&r.scenario),
                    r.seed,
                    line(&r.status),
                    r.beats,
                    r.met(),
                    r.objectives.len(),
                    r.cues,
                    r.rejected
                );
                for o in &r.objectives {
                    let _ = writeln!(
                        md,
                        "  - [{}] {}",
                        if o.met { "x" } else { " " },
                        line(&o.text)
                    );
                }
            }
        }
        Detail::Discussion { prompt } => {
            if !prompt.is_empty() {
                let _ = writeln!(md, "Prompt: {}", line(prompt));
            }
        }
        Detail::Matrix {
            matrix,
            rows,
            columns,
            marks,
            grid,
            notes,
            risks,
        } => {
            let _ = writeln!(
                md,
                "Matrix: {} ({rows} services, {columns} columns; {marks}). **Bold**: a risk; `*`: a note.\n",
                line(matrix)
            );
            md.push_str(grid);
            if !notes.is_empty() {
                let _ = writeln!(md, "\nCell notes:\n");
                for n in notes {
                    let _ = writeln!(md, "- {}", line(n));
                }
            }
            if risks.is_empty() {
                let _ = writeln!(md, "\nNo knowledge risks left.");
            } else {
                let _ = writeln!(md, "\nKnowledge risks:\n");
                for r in risks {
                    let _ = writeln!(md, "- {}: {}", r.kind, line(&r.text));
                }
            }
        }
        Detail::Drt {
            scenario,
            from_drill,
            markdown,
            table,
        } => {
            let from = if *from_drill {
                "from the drill segment's run"
            } else {
                "from the scenario's rows"
            };
            let _ = writeln!(
                md,
                "Decision Requirements Table: {} ({} rows, {from}).\n",
                line(scenario),
                table.rows.len()
            );
            md.push_str(markdown);
        }
    }
    if !s.notes.is_empty() {
        let _ = writeln!(md, "\nNotes:\n");
        note_list(md, &s.notes);
    }
}

fn turn_md(md: &mut String, t: &TurnRow) {
    let _ = writeln!(
        md,
        "\n#### Turn {}: {} ({}, {})\n",
        t.number,
        line(&t.question),
        line(&t.person),
        t.result
    );
    let took = t
        .took
        .as_ref()
        .map_or_else(String::new, |d| format!("; took {d}"));
    let over = if t.overtime { ", over its timer" } else { "" };
    let _ = writeln!(
        md,
        "- spun by {} at {}{took}{over}",
        line(&t.spun_by),
        t.time
    );
    if !t.escalations.is_empty() {
        let to: Vec<String> = t.escalations.iter().map(|e| line(e)).collect();
        let _ = writeln!(md, "- would escalate to: {}", to.join(", "));
    }
    if !t.notes.is_empty() {
        let _ = writeln!(md, "- how they went about it:");
        for n in &t.notes {
            let _ = writeln!(md, "  - {} {}: {}", n.time, line(&n.who), line(&n.text));
        }
    }
    if let Some(f) = &t.facilitator {
        if !f.answer.is_empty() {
            let _ = writeln!(md, "- a good answer: {}", line(&f.answer));
        }
        if !f.truth.is_empty() {
            let _ = writeln!(md, "- where the truth lives: {}", line(&f.truth));
        }
    }
}

fn note_list(md: &mut String, notes: &[NoteRow]) {
    for n in notes {
        let _ = writeln!(md, "- {} {}: {}", n.time, line(&n.who), line(&n.text));
    }
}

/// Text on one Markdown line: control characters (newlines from a file's prose) as spaces.
fn line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Text in a table cell: one line, with `|` escaped.
fn cell(s: &str) -> String {
    line(s).replace('|', "\\|")
}
