//! `gamelan man`: the manual page, in roff, generated from the command line's definition:
//! one page for the whole program, each subcommand a subsection with its synopsis and options.

use crate::cli::Cli;
use clap::CommandFactory;
use clap_mangen::Man;
use color_eyre::eyre::Result;
use std::io::Write;

/// Writes the manual page (`gamelan man | man -l -`).
pub(crate) fn run(out: &mut dyn Write) -> Result<()> {
    out.write_all(&page()?)?;
    Ok(())
}

/// The whole page as roff.
pub fn page() -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    page.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_string();
        page.extend_from_slice(format!(".SS \"{}\"\n", escape(&name)).as_bytes());
        let man = Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut part)?;
        }
        page.extend_from_slice(&demote(&part));
    }
    page.extend_from_slice(TAIL.as_bytes());
    Ok(page)
}

/// A subcommand's sections inside its subsection: `.SH X` becomes a bold paragraph heading.
fn demote(roff: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::new();
    for line in text.lines() {
        match line.strip_prefix(".SH ") {
            Some("SYNOPSIS") => out.push_str(".PP\n"),
            Some("DESCRIPTION") => out.push_str(".PP\n"),
            Some(h) => {
                out.push_str(".PP\n\\fB");
                out.push_str(&capitalize(h.trim_matches('"')));
                out.push_str(":\\fR\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.into_bytes()
}

fn capitalize(h: &str) -> String {
    let lower = h.to_lowercase();
    let mut c = lower.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Escapes text for a roff argument.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\(dq")
        .replace('-', "\\-")
}

/// The sections clap does not know: exit statuses, environment, files.
const TAIL: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Success.
.TP
\fB1\fR
An error: a bad file (printed as \fIfile:line:col: message\fR), a problem found by
\fBgamelan check\fR, standard output that cannot be written (a full disk).
.TP
\fB2\fR
A usage error on the command line.
.TP
\fB141\fR
Standard output was closed by its reader (\fBgamelan scenarios | head \-1\fR); nothing is printed.
.TP
\fB128+\fIn\fR
A console (the lobby, \fBplay\fR, \fBhost\fR, \fBvista\fR, \fBreplay\fR) stopped by signal
\fIn\fR: 143 for SIGTERM, 129 for SIGHUP, 130 for SIGINT, 131 for SIGQUIT. The terminal is
restored and the recording finished first. \fBgamelan serve\fR exits 0 on SIGTERM or SIGINT,
after telling every seat why.
.SH ENVIRONMENT
.TP
\fBGAMELAN_CONFIG_DIR\fR, \fBGAMELAN_DATA_DIR\fR, \fBGAMELAN_RUNTIME_DIR\fR
Override the platform's configuration, data and runtime directories.
.TP
\fBNO_COLOR\fR
Draw without colour, unless \fB\-\-theme\fR names a theme.
.SH FILES
.TP
\fIconfig.toml\fR, \fIvista.toml\fR, \fIscenarios/\fR, \fIthemes/\fR
In the configuration directory (\fI~/.config/gamelan/\fR on Linux).
.TP
\fIrecordings/\fR
In the data directory (\fI~/.local/share/gamelan/\fR on Linux): one JSON Lines file per drill.
.SH "SEE ALSO"
\fBssh\fR(1); the project's docs/ directory: scenario, recording, theme and vista formats,
pairs and SSH.
"#;
