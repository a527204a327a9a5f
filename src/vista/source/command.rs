//! `type = "command"`: `sh -c COMMAND` each interval. The child runs in its own process group;
//! on timeout, when it writes more than [`MAX_OUTPUT`] bytes, or when the vista shuts down, the
//! whole group is killed, so `sleep 100 | cat` and `yes` leave nothing behind. Only a bounded
//! tail of its output is ever held ([`TAIL_BYTES`]; the pane then keeps its `lines`).

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

/// Most bytes a command may write (standard output and error together) in one poll; past it the
/// command is stopped, so that `yes` costs a moment, not the machine's memory.
pub const MAX_OUTPUT: u64 = 8 << 20;
/// Bytes of standard output kept (the tail); older output is dropped as it arrives.
pub const TAIL_BYTES: usize = 64 << 10;
/// Bytes of standard error kept, for the error message.
const ERR_TAIL_BYTES: usize = 4 << 10;

/// The last bytes of a stream, at most `cap` of them, and how many went by.
#[derive(Debug)]
pub struct Tail {
    buf: Vec<u8>,
    cap: usize,
    /// Bytes seen in all.
    pub total: u64,
}

impl Tail {
    pub fn new(cap: usize) -> Tail {
        Tail {
            buf: Vec::new(),
            cap: cap.max(1),
            total: 0,
        }
    }

    /// Takes in a chunk, dropping the oldest bytes past the bound (never holding more than
    /// twice `cap`, so that dropping is amortised).
    pub fn push(&mut self, chunk: &[u8]) {
        self.total += chunk.len() as u64;
        if chunk.len() >= self.cap {
            self.buf.clear();
            self.buf.extend_from_slice(&chunk[chunk.len() - self.cap..]);
            return;
        }
        self.buf.extend_from_slice(chunk);
        if self.buf.len() > 2 * self.cap {
            let cut = self.buf.len() - self.cap;
            self.buf.drain(..cut);
        }
    }

    /// Whether older bytes were dropped.
    pub fn truncated(&self) -> bool {
        self.total > self.kept().len() as u64
    }

    fn kept(&self) -> &[u8] {
        &self.buf[self.buf.len().saturating_sub(self.cap)..]
    }

    /// The kept text; when older bytes were dropped, from the first whole line on.
    pub fn text(&self) -> String {
        let mut b = self.kept();
        if self.truncated()
            && let Some(nl) = b.iter().position(|&c| c == b'\n')
        {
            b = &b[nl + 1..];
        }
        String::from_utf8_lossy(b).into_owned()
    }
}

/// How a run ended.
enum Ended {
    Exited(std::process::ExitStatus),
    TooMuch,
    TimedOut,
}

impl CommandSource {
    pub fn new(def: CommandDef) -> CommandSource {
        CommandSource { def }
    }

    pub async fn poll(&mut self, timeout: Duration) -> Result<Reading, String> {
        let (out, err, ended) = run(&self.def.command, timeout, MAX_OUTPUT).await?;
        let stdout = out.text();
        let status = match ended {
            Ended::Exited(status) => status,
            Ended::TooMuch => {
                return Err(format!(
                    "stopped (killed): it wrote more than {} MiB of output in one poll",
                    MAX_OUTPUT >> 20
                ));
            }
            Ended::TimedOut => {
                return Err(format!(
                    "timed out after {} (killed)",
                    format_duration(timeout)
                ));
            }
        };
        if !status.success() {
            let stderr = err.text();
            let why = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .or_else(|| stdout.lines().rev().find(|l| !l.trim().is_empty()));
            let status = match status.code() {
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

/// Runs `sh -c command` in its own process group, keeping the tails of its standard output and
/// error. The group is killed when the command passes `max_output` bytes or `timeout`, and
/// whenever this future is dropped before the shell is reaped.
async fn run(
    command: &str,
    timeout: Duration,
    max_output: u64,
) -> Result<(Tail, Tail, Ended), String> {
    use tokio::io::AsyncReadExt;
    let mut cmd = tokio::process::Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .process_group(0);
    let mut child = cmd.spawn().map_err(|e| format!("cannot run sh: {e}"))?;
    let mut guard = GroupKill(child.id());
    let mut stdout = child.stdout.take().ok_or("no standard output")?;
    let mut stderr = child.stderr.take().ok_or("no standard error")?;
    let (mut out, mut err) = (Tail::new(TAIL_BYTES), Tail::new(ERR_TAIL_BYTES));
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let mut chunk = vec![0u8; 16 << 10];
    let mut chunk2 = vec![0u8; 4 << 10];
    let (mut out_open, mut err_open) = (true, true);
    let ended = loop {
        if out.total + err.total > max_output {
            break Ended::TooMuch;
        }
        tokio::select! {
            () = &mut deadline => break Ended::TimedOut,
            n = stdout.read(&mut chunk), if out_open => match n {
                Ok(0) | Err(_) => out_open = false,
                Ok(n) => out.push(&chunk[..n]),
            },
            n = stderr.read(&mut chunk2), if err_open => match n {
                Ok(0) | Err(_) => err_open = false,
                Ok(n) => err.push(&chunk2[..n]),
            },
            status = child.wait(), if !out_open && !err_open => match status {
                Ok(s) => break Ended::Exited(s),
                Err(e) => return Err(format!("command failed: {e}")),
            },
        }
    };
    if let Ended::Exited(_) = ended {
        // The shell is reaped and its output closed. Anything it left in the background
        // has let go of the pipes and is no longer ours to stop.
        guard.0 = None;
    }
    // Otherwise `guard` kills the whole group as it goes out of scope here.
    drop(guard);
    Ok((out, err, ended))
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
    fn the_tail_is_bounded_and_starts_at_a_whole_line() {
        let mut t = Tail::new(10);
        t.push(b"abc\n");
        assert_eq!((t.text().as_str(), t.truncated()), ("abc\n", false));
        for i in 0..1000 {
            t.push(format!("line {i}\n").as_bytes());
            assert!(t.buf.len() <= 20, "never more than twice the bound");
        }
        assert!(t.truncated());
        assert_eq!(t.text(), "line 999\n", "the cut partial line is dropped");
        assert_eq!(
            t.total,
            4 + (0..1000)
                .map(|i| format!("line {i}\n").len() as u64)
                .sum::<u64>()
        );
        t.push(&[b'x'; 100]);
        assert_eq!(t.kept(), &[b'x'; 10]);
    }

    #[tokio::test]
    async fn a_runaway_is_stopped_at_its_output_bound() {
        let started = std::time::Instant::now();
        let (out, _, ended) = run("yes", Duration::from_secs(20), 1 << 20).await.unwrap();
        assert!(matches!(ended, Ended::TooMuch));
        assert!(out.total > 1 << 20 && out.total < 2 << 20, "{}", out.total);
        assert!(out.kept().len() <= TAIL_BYTES);
        assert!(started.elapsed() < Duration::from_secs(10));
        let (_, _, ended) = run("sleep 5", Duration::from_millis(200), 1 << 20)
            .await
            .unwrap();
        assert!(matches!(ended, Ended::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(10));
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
