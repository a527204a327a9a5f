//! `gamelan drills`: the drills open on this machine.

use crate::config::Paths;
use crate::seat::socket::{self, Info};
use color_eyre::eyre::Result;
use std::io::Write;
use std::time::Duration;

pub(crate) fn seat_label(s: &socket::InfoSeat) -> String {
    let role = s.role.as_deref().unwrap_or("all roles");
    if s.conducts {
        format!("{} ({role}, conducts)", s.name)
    } else if s.present {
        format!("{} ({role})", s.name)
    } else {
        format!("{} ({role}, away)", s.name)
    }
}

/// One drill's line in `gamelan drills`.
pub fn drill_line(info: &Info) -> String {
    let seats: Vec<String> = info.seats.iter().map(seat_label).collect();
    format!(
        "{:<16} {:<16} {:<10} {:>6}  {}",
        info.name,
        info.scenario,
        info.state,
        info.bar_beat,
        if seats.is_empty() {
            "-".to_string()
        } else {
            seats.join(", ")
        }
    )
}

/// `gamelan drills`: the drills open on this machine, asked over their sockets. Sockets whose
/// host is gone are removed.
pub(crate) fn run(paths: &Paths, out: &mut dyn Write) -> Result<()> {
    let dir = socket::drills_dir(&paths.runtime);
    let names = socket::list_names(&dir);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let answers: Vec<(String, std::io::Result<Option<Info>>)> = rt.block_on(async {
        let mut out = Vec::new();
        for n in names {
            let path = socket::socket_path(&dir, &n);
            let a = socket::query(&path, Duration::from_secs(2)).await;
            out.push((n, a));
        }
        out
    });
    let mut lines = Vec::new();
    for (name, answer) in answers {
        match answer {
            Ok(Some(info)) => lines.push(drill_line(&info)),
            Ok(None) => {
                let path = socket::socket_path(&dir, &name);
                match std::fs::remove_file(&path) {
                    Ok(()) => eprintln!("removed a stale socket: {name} (its host is gone)"),
                    Err(e) => eprintln!("stale socket {}: cannot remove: {e}", path.display()),
                }
            }
            Err(e) => lines.push(format!("{name:<16} (not answering: {e})")),
        }
    }
    if lines.is_empty() {
        writeln!(
            out,
            "no drills are open on this machine (start one with `gamelan host SCENARIO`)"
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<16} {:<16} {:<10} {:>6}  SEATS",
        "NAME", "SCENARIO", "STATE", "BEAT"
    )?;
    for l in lines {
        writeln!(out, "{l}")?;
    }
    writeln!(out, "join with: gamelan join NAME [--role ROLE]")?;
    Ok(())
}
