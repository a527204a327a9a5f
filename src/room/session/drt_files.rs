//! A session's Decision Requirements Tables on disk: each DRT segment's table saved beside the
//! session's recording, in the same Markdown and CSV as the DRT view's exports
//! ([`crate::drt::markdown`], [`crate::drt::csv`]), so a spreadsheet or the next session
//! (`gamelan` reads the CSV back) starts from what the team wrote. The room saves a table when
//! its segment ends and every reached one when the session ends; headless runs save them
//! beside `--record`'s file.

use crate::session::state::SegmentStatus;
use crate::session::{SegmentKind, Session};
use std::path::{Path, PathBuf};

/// One table to write: its segment, and each form's path and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrtFile {
    pub segment: usize,
    pub markdown: (PathBuf, String),
    pub csv: (PathBuf, String),
}

/// Where segment `segment`'s table is saved beside `recording`: `NAME.drt.md` and
/// `NAME.drt.csv`; `NAME.segmentN.drt.md` and `.csv` when the setlist has more than one DRT
/// segment (`N` counts from 1).
pub fn paths(recording: &Path, segment: usize, several: bool) -> (PathBuf, PathBuf) {
    let stem = match several {
        true => format!("segment{}.drt", segment + 1),
        false => "drt".to_string(),
    };
    (
        recording.with_extension(format!("{stem}.md")),
        recording.with_extension(format!("{stem}.csv")),
    )
}

/// The tables to write beside `recording`: segment `only`'s, or (`None`) every DRT segment
/// the session reached.
pub fn to_save(session: &Session, recording: &Path, only: Option<usize>) -> Vec<DrtFile> {
    let segments = &session.plan.setlist.segments;
    let drts = segments
        .iter()
        .filter(|s| matches!(s.kind, SegmentKind::Drt { .. }))
        .count();
    let mut out = Vec::new();
    for (i, seg) in session.segments.iter().enumerate() {
        let Some(t) = session.drt(i) else { continue };
        if seg.status == SegmentStatus::NotReached || only.is_some_and(|o| o != i) {
            continue;
        }
        let (md, csv) = paths(recording, i, drts > 1);
        out.push(DrtFile {
            segment: i,
            markdown: (md, crate::drt::markdown(t)),
            csv: (csv, crate::drt::csv(t)),
        });
    }
    out
}

/// Writes each table's two files (each through a temporary file renamed over it, so a crash
/// never leaves half a table); the `(markdown, csv)` paths written, or the first failure.
pub fn save(files: &[DrtFile]) -> Result<Vec<(PathBuf, PathBuf)>, String> {
    let mut done = Vec::new();
    for f in files {
        for (path, text) in [&f.markdown, &f.csv] {
            let tmp = path.with_extension("saving");
            std::fs::write(&tmp, text)
                .and_then(|()| std::fs::rename(&tmp, path))
                .map_err(|e| format!("the DRT table was not saved to {}: {e}", path.display()))?;
        }
        done.push((f.markdown.0.clone(), f.csv.0.clone()));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{SessionAction as A, SessionInput, bundled};
    use std::sync::Arc;

    #[test]
    fn a_reached_table_is_saved_beside_the_recording_as_the_view_exports_it() {
        let mut s = Session::new(Arc::new(bundled::plan("weekly").unwrap()), 1);
        let at = |s: &mut Session, beat, seat, action| {
            s.apply(&SessionInput::new(beat, seat, action));
        };
        at(&mut s, 0, 0, A::Join { name: "ana".into() });
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("2026-12-02T100000Z-session-weekly.jsonl");
        assert!(to_save(&s, &rec, None).is_empty(), "nothing reached yet");
        for beat in 1..=6 {
            at(&mut s, beat, 0, A::Next);
        }
        assert_eq!(s.current(), Some(5), "the DRT segment");
        let column = crate::drt::Column::from_key("decision").unwrap();
        for (beat, edit) in [
            (7, crate::drt::DrtInput::AddRow),
            (8, crate::drt::DrtInput::Claim { row: 0, column }),
            (
                9,
                crate::drt::DrtInput::Type {
                    text: "roll back, or wait?".into(),
                },
            ),
        ] {
            at(&mut s, beat, 0, A::Drt { edit });
        }
        let files = to_save(&s, &rec, Some(5));
        assert_eq!(files.len(), 1);
        assert!(to_save(&s, &rec, Some(4)).is_empty(), "not a DRT segment");
        let saved = save(&files).unwrap();
        let (md, csv) = &saved[0];
        assert!(md.ends_with("2026-12-02T100000Z-session-weekly.drt.md"));
        assert!(csv.ends_with("2026-12-02T100000Z-session-weekly.drt.csv"));
        let t = s.drt(5).unwrap();
        assert_eq!(
            std::fs::read_to_string(md).unwrap(),
            crate::drt::markdown(t)
        );
        let back = std::fs::read_to_string(csv).unwrap();
        assert_eq!(back, crate::drt::csv(t));
        assert_eq!(
            crate::drt::from_csv("t.csv", &back).unwrap().rows.len(),
            t.rows.len()
        );
        assert_eq!(
            paths(&rec, 5, true).0,
            dir.path()
                .join("2026-12-02T100000Z-session-weekly.segment6.drt.md")
        );
        // A directory that cannot be written is a message, not a panic.
        let gone = dir.path().join("no").join("such.jsonl");
        let err = save(&to_save(&s, &gone, None)).unwrap_err();
        assert!(err.contains("the DRT table was not saved to"), "{err}");
    }
}
