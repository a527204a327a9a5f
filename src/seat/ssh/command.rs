//! What `ssh HOST COMMAND` asks for without the lobby: the commands, and `list`'s text.

use super::*;
use crate::ui::widgets::text::clean;

/// A command given to `ssh HOST COMMAND`, which skips the lobby.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Direct {
    /// `new SCENARIO [ROLE]`
    New {
        scenario: String,
        role: Option<String>,
    },
    /// `join DRILL [ROLE]`, or `join SESSION [observe]`
    Join { room: String, role: Option<String> },
    /// `session SETLIST`: open a session and facilitate it.
    Session { setlist: String },
    /// `observe SESSION`
    Observe { room: String },
    /// `list`
    List,
    /// Anything else: print the usage.
    Usage(String),
}

pub const USAGE: &str = "commands: new SCENARIO [ROLE] · join DRILL [ROLE] · list (ROLE: a role id, or solo) · \
     session SETLIST · join SESSION · observe SESSION; with no command, the lobby";

impl Direct {
    pub fn parse(command: &str) -> Direct {
        let words: Vec<&str> = command.split_whitespace().collect();
        let role = |w: Option<&&str>| {
            w.filter(|r| !matches!(**r, "solo" | "all" | "-"))
                .map(|r| r.to_string())
        };
        match words.as_slice() {
            ["list"] | ["ls"] => Direct::List,
            ["new", s, rest @ ..] if rest.len() <= 1 => Direct::New {
                scenario: s.to_string(),
                role: role(rest.first()),
            },
            ["session", s] => Direct::Session {
                setlist: s.to_string(),
            },
            ["observe", r] => Direct::Observe {
                room: r.to_string(),
            },
            ["join", r, rest @ ..] if rest.len() <= 1 => Direct::Join {
                room: r.to_string(),
                role: role(rest.first()),
            },
            _ => Direct::Usage(format!("unknown command {:?}", clean(command))),
        }
    }
}

/// `ssh HOST list`.
pub(crate) async fn listing(ctx: &Ctx) -> String {
    let mut out = String::from("open drills:\n");
    let rooms = ctx.registry.list();
    if rooms.is_empty() {
        out.push_str("  (none)\n");
    }
    for r in rooms {
        let seats: Vec<String> = r
            .seats
            .iter()
            .map(|s| {
                format!(
                    "{} ({}{})",
                    clean(&s.name),
                    s.role.as_deref().unwrap_or("solo"),
                    match (s.present, s.conducts) {
                        (false, _) => ", away",
                        (true, true) => ", conducts",
                        (true, false) => "",
                    }
                )
            })
            .collect();
        out.push_str(&format!(
            "  {}  {} {}  {}\n",
            r.name,
            r.status,
            r.at,
            seats.join(", ")
        ));
    }
    out.push_str(&session::listing(ctx));
    out.push_str("scenarios:\n");
    let catalogue = ctx.scenarios.get().await;
    for e in &catalogue.entries {
        let s = &e.scenario;
        let roles: Vec<&str> = s.roles.iter().map(|r| r.id.as_str()).collect();
        out.push_str(&format!(
            "  {}  {} (roles: {})\n",
            clean(&s.meta.id),
            clean(&s.meta.title),
            roles.join(", ")
        ));
    }
    out.push_str(USAGE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse() {
        assert_eq!(
            Direct::parse("new bad-deploy operator"),
            Direct::New {
                scenario: "bad-deploy".into(),
                role: Some("operator".into())
            }
        );
        assert_eq!(
            Direct::parse(" join bad-deploy-1 solo "),
            Direct::Join {
                room: "bad-deploy-1".into(),
                role: None
            }
        );
        assert_eq!(Direct::parse("list"), Direct::List);
        assert!(matches!(Direct::parse("rm -rf /"), Direct::Usage(_)));
        assert!(matches!(Direct::parse(""), Direct::Usage(_)));
    }
}
