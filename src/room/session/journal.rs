//! A live session's recording on disk: the header line, then one line per input, each
//! written and flushed on the blocking pool before the room applies the input (as a drill's
//! [`crate::record::Recorder`] does), so a crash loses nothing already applied. A failed write
//! stops the recording cleanly and the room says so on every seat. At the end the write-up is
//! saved beside it, in Markdown and JSON.

use crate::session::SessionInput;
use crate::session::record::{self, Header};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The recording file of one live session.
pub struct SessionRecorder {
    path: PathBuf,
    /// The walkthroughs' vista files its header carries, for the write-up saved beside it.
    vistas: Vec<record::SegmentVista>,
    file: Option<File>,
    inputs: u64,
    failure: Option<String>,
    reported: bool,
}

impl SessionRecorder {
    /// Creates `path` (never overwriting a file) and writes the header.
    pub fn create(path: &Path, header: &Header) -> io::Result<SessionRecorder> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        file.write_all(header.line().as_bytes())?;
        file.flush()?;
        Ok(SessionRecorder {
            path: path.to_path_buf(),
            vistas: header.vistas.clone(),
            file: Some(file),
            inputs: 0,
            failure: None,
            reported: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The walkthroughs' vista files the header carries.
    pub fn vistas(&self) -> &[record::SegmentVista] {
        &self.vistas
    }

    /// Inputs written whole.
    pub fn inputs(&self) -> u64 {
        self.inputs
    }

    /// Appends one input. After a failure nothing more is written.
    pub fn record(&mut self, input: &SessionInput) {
        let Some(f) = self.file.as_mut() else { return };
        let line = record::input_line(input);
        match f.write_all(line.as_bytes()).and_then(|()| f.flush()) {
            Ok(()) => self.inputs += 1,
            Err(e) => {
                self.failure = Some(format!(
                    "the recording stopped ({}: {e}); {} inputs were saved",
                    self.path.display(),
                    self.inputs
                ));
                self.file = None;
            }
        }
    }

    /// The failure, the first time it is asked after it happened.
    pub fn take_stopped(&mut self) -> Option<String> {
        if self.failure.is_some() && !self.reported {
            self.reported = true;
            return self.failure.clone();
        }
        None
    }

    /// Syncs and closes the file; the failure, if there was one.
    pub fn finish(&mut self) -> Option<String> {
        if let Some(f) = self.file.take()
            && let Err(e) = f.sync_all()
        {
            self.failure
                .get_or_insert(format!("{}: {e}", self.path.display()));
        }
        self.failure.clone()
    }
}

/// The default recording path of a session started at `started` (RFC 3339): the recordings
/// folder, `STAMP-session-NAME.jsonl`, never an existing file's name.
pub fn default_path(dir: &Path, started: &str, name: &str) -> PathBuf {
    let name = format!("session-{}", crate::diag::id_safe(name, 40));
    crate::record::unused_path(dir, started, &name)
}

/// Where the write-up of the session recorded at `recording` is saved: beside it, as
/// `NAME.writeup.md` and `NAME.writeup.json`.
pub fn writeup_paths(recording: &Path) -> (PathBuf, PathBuf) {
    (
        recording.with_extension("writeup.md"),
        recording.with_extension("writeup.json"),
    )
}

/// Writes the write-up's two forms; the paths written, or why not.
pub fn save_writeup(
    recording: &Path,
    markdown: &str,
    json: &str,
) -> io::Result<(PathBuf, PathBuf)> {
    let (md, js) = writeup_paths(recording);
    std::fs::write(&md, markdown)?;
    std::fs::write(&js, json)?;
    Ok((md, js))
}

/// The matrix files to write at the end: each matrix segment that was reached, beside the
/// recording as `NAME.segmentN.matrix.toml` when there is one, and back to the user's own file
/// when the setlist named one. `(path, text)`.
pub fn matrices_to_save(
    session: &crate::session::Session,
    stages: &[super::StagePlan],
    recording: Option<&Path>,
) -> Vec<(PathBuf, String)> {
    use crate::session::state::SegmentStatus;
    let mut out = Vec::new();
    for (i, seg) in session.segments.iter().enumerate() {
        let Some(m) = session.matrix(i) else { continue };
        if seg.status == SegmentStatus::NotReached {
            continue;
        }
        let text = crate::matrix::file::to_toml(m);
        if let Some(rec) = recording {
            out.push((
                rec.with_extension(format!("segment{}.matrix.toml", i + 1)),
                text.clone(),
            ));
        }
        if let Some(super::StagePlan::Matrix { save_to: Some(p) }) = stages.get(i) {
            out.push((p.clone(), text));
        }
    }
    out
}

/// Writes each matrix file (through a temporary file beside it, renamed over it, so a crash
/// never leaves half a matrix); the paths written, or the first failure.
pub fn save_matrices(files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, String> {
    let mut done = Vec::new();
    for (path, text) in files {
        let tmp = path.with_extension("toml.saving");
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| format!("the matrix was not saved to {}: {e}", path.display()))?;
        done.push(path.clone());
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_overwrite_and_writeups_sit_beside() {
        let dir = tempfile::tempdir().unwrap();
        let a = default_path(dir.path(), "2026-12-01T10:00:00Z", "weekly session");
        assert!(a.ends_with("2026-12-01T100000Z-session-weekly_session.jsonl"));
        std::fs::write(&a, "x").unwrap();
        let b = default_path(dir.path(), "2026-12-01T10:00:00Z", "weekly session");
        assert!(b.to_string_lossy().ends_with("-2.jsonl"), "{}", b.display());
        let (md, js) = writeup_paths(&a);
        assert!(md.to_string_lossy().ends_with("weekly_session.writeup.md"));
        assert!(
            js.to_string_lossy()
                .ends_with("weekly_session.writeup.json")
        );
    }
}
