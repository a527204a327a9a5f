//! `type = "command"`: `sh -c COMMAND` each interval. The child runs in its own process group;
//! on timeout (or when the vista shuts down) the whole group is killed, so `sleep 100 | cat`
//! leaves nothing behind.

use super::one_line;
use crate::vista::config::{CommandDef, Highlight, Parse};
use crate::vista::state::{Line, Reading, Value};
use crate::vista::time::{format_duration, now_unix};
use std::process::Stdio;
use std::time::Duration;

pub struct CommandSource {
    def: CommandDef,
}

/// Kills a process group when dropped, unless disarmed.
struct GroupKill(Option<u32>);

impl Drop for GroupKill {
    fn drop(&mut self) {
        if let Some(pid) = self.0
            && let Ok(pid) = i32::try_from(pid)
            && pid > 0
        {
            // SAFETY: kill(2) with a negative pid signals the process group the child leads;
            // it has no memory-safety preconditions.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
}

impl CommandSource {
    pub fn new(def: CommandDef) -> CommandSource {
        CommandSource { def }
    }

    pub async fn poll(&mut self, timeout: Duration) -> Result<Reading, String> {
        let mut cmd = tokio::process::Command::new("sh");
        cmd.arg("-c")
            .arg(&self.def.command)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .process_group(0);
        let child = cmd.spawn().map_err(|e| format!("cannot run sh: {e}"))?;
        let mut guard = GroupKill(child.id());
        let out = match tokio::time::timeout(timeout, child.wait_with_output()).await {
            Ok(Ok(out)) => out,
            Ok(Err(e)) => return Err(format!("command failed: {e}")),
            Err(_) => {
                return Err(format!(
                    "timed out after {} (killed)",
                    format_duration(timeout)
                ));
            }
        };
        guard.0 = None; // the shell is reaped and its output closed: nothing left to kill
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let why = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .or_else(|| stdout.lines().rev().find(|l| !l.trim().is_empty()));
            let status = match out.status.code() {
                Some(c) => format!("exit status {c}"),
                None => "killed by a signal".into(),
            };
            return Err(match why {
                Some(w) => format!("{status}: {}", one_line(w, 200)),
                None => status,
            });
        }
        let now = now_unix();
        match self.def.parse {
            Parse::Lines => Ok(Reading::Lines {
                lines: tail_lines(&stdout, self.def.lines, &self.def.highlight, now),
                replace: true,
            }),
            Parse::Numbers => {
                let values = numbers(&stdout, &self.def.names);
                if values.is_empty() {
                    let first = stdout
                        .lines()
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or("(no output)");
                    return Err(format!(
                        "no numbers in the output: {}",
                        one_line(first, 120)
                    ));
                }
                Ok(Reading::Values { at: now, values })
            }
        }
    }
}

/// The last `n` lines of `text`, highlighted.
pub fn tail_lines(text: &str, n: usize, highlight: &[Highlight], at: f64) -> Vec<Line> {
    let all: Vec<&str> = text.lines().collect();
    let skip = all.len().saturating_sub(n);
    all[skip..]
        .iter()
        .map(|l| {
            let text = super::sanitize(l);
            let hl = Highlight::first_match(highlight, &text);
            Line::new(text, hl, at)
        })
        .collect()
}

/// Every number in `text`, in order. `name=value` names a number; the others are named by
/// `names` in order, else by position (`1`, `2`, …). A number glued to a word before it
/// (`eth0`, `v1.2`) is not a number; a unit after it (`12ms`, `40%`) is fine.
pub fn numbers(text: &str, names: &[String]) -> Vec<Value> {
    let b = text.as_bytes();
    let mut out: Vec<Value> = Vec::new();
    let mut pos = 0usize;
    let mut i = 0usize;
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'.';
    while i < b.len() {
        let c = b[i];
        let signed = (c == b'-' || c == b'+')
            && b.get(i + 1)
                .is_some_and(|d| d.is_ascii_digit() || *d == b'.');
        let starts = c.is_ascii_digit()
            || signed
            || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        let glued = i > 0 && word(b[i - 1]);
        if !starts || glued {
            i += 1;
            continue;
        }
        let start = i;
        if signed {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i < b.len() && b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            let mut j = i + 1;
            if j < b.len() && (b[j] == b'-' || b[j] == b'+') {
                j += 1;
            }
            if j < b.len() && b[j].is_ascii_digit() {
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                i = j;
            }
        }
        // `1.2.3` and `10.0.0.1` are not numbers.
        if i < b.len() && b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            continue;
        }
        let Ok(value) = text[start..i].parse::<f64>() else {
            continue;
        };
        let name = (start > 1 && b[start - 1] == b'=')
            .then(|| {
                let end = start - 1;
                let mut s = end;
                while s > 0 && (word(b[s - 1]) || matches!(b[s - 1], b'-' | b'/' | b':')) {
                    s -= 1;
                }
                (s < end).then(|| text[s..end].to_string())
            })
            .flatten();
        let (id, label) = match name {
            Some(n) => (n.clone(), n),
            None => {
                pos += 1;
                match names.get(pos - 1) {
                    Some(n) => (n.clone(), n.clone()),
                    None => (pos.to_string(), format!("#{pos}")),
                }
            }
        };
        if let Some(v) = out.iter_mut().find(|v| v.id == id) {
            v.value = value; // the last one wins
        } else {
            out.push(Value {
                id,
                label,
                unit: String::new(),
                value,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<(String, f64)> {
        numbers(text, &[])
            .into_iter()
            .map(|v| (v.id, v.value))
            .collect()
    }

    #[test]
    fn finds_numbers_and_names() {
        assert_eq!(
            ids("load average: 0.50, 0.40, -1e3"),
            vec![("1".into(), 0.5), ("2".into(), 0.4), ("3".into(), -1000.0)]
        );
        assert_eq!(
            ids("rx=12 tx=3.5 eth0 v1.2.3 10.0.0.1 40% 12ms"),
            vec![
                ("rx".into(), 12.0),
                ("tx".into(), 3.5),
                ("1".into(), 40.0),
                ("2".into(), 12.0)
            ]
        );
        assert_eq!(ids("queue-depth=7"), vec![("queue-depth".into(), 7.0)]);
        let named = numbers("3 4", &["a".into()]);
        assert_eq!(
            (named[0].label.as_str(), named[1].label.as_str()),
            ("a", "#2")
        );
        assert!(ids("no digits here, x1").is_empty());
    }
}
