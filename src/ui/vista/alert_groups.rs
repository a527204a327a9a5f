//! An Alertmanager pane: a count line, then each group with its alerts (firing ones in the
//! theme's critical or warning style with how long they have fired, silenced and inhibited ones
//! muted with what mutes them), then the silences with when they end. Ages are taken at the
//! `now` the shell passes in.

use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::text::{clean, fit, width};
use crate::vista::alert_groups::{AlertGroups, AmState, GroupedAlert};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// A duration in the shortest words that still tell it: `45s`, `12m`, `3h05m`, `2d04h`.
pub fn since(secs: f64) -> String {
    let s = secs.max(0.0) as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d{:02}h", s / 86_400, s % 86_400 / 3600),
    }
}

struct Lines<'a> {
    buf: &'a mut Buffer,
    r: Rect,
    y: u16,
}

impl Lines<'_> {
    fn full(&self) -> bool {
        self.y >= self.r.bottom()
    }

    /// One line: `left` from the pane's left, `right` against its right edge when both fit.
    fn put(&mut self, indent: u16, left: &str, style: Style, right: Option<(&str, Style)>) {
        if self.full() {
            return;
        }
        let w = self.r.width.saturating_sub(indent) as usize;
        let right_w = right.map_or(0, |(t, _)| width(t) + 1);
        let room = if right_w > 0 && right_w + 8 <= w {
            w - right_w
        } else {
            w
        };
        let x = self.r.x + indent.min(self.r.width);
        self.buf
            .set_stringn(x, self.y, fit(left, room), room, style);
        if let Some((t, st)) = right
            && room < w
        {
            let rx = self.r.right() - width(t) as u16;
            self.buf.set_stringn(rx, self.y, t, width(t), st);
        }
        self.y += 1;
    }
}

fn alert_style(a: &GroupedAlert, theme: &Theme) -> Style {
    match a.state {
        AmState::Firing if a.is_critical() => theme.style(Meaning::Critical),
        AmState::Firing => theme.style(Meaning::Warning),
        _ => theme.style(Meaning::Muted),
    }
}

/// Draws the groups and silences of an Alertmanager pane.
pub fn draw(buf: &mut Buffer, r: Rect, g: &AlertGroups, now: f64, theme: &Theme) {
    let mut out = Lines { buf, r, y: r.y };
    let mut counts = vec![];
    if g.silenced > 0 {
        counts.push(format!("{} silenced", g.silenced));
    }
    if g.inhibited > 0 {
        counts.push(format!("{} inhibited", g.inhibited));
    }
    if g.hidden > 0 {
        counts.push(format!("{} not listed", g.hidden));
    }
    let (head, style) = if g.firing == 0 {
        (
            "✓ nothing firing".to_string(),
            theme.style(Meaning::Healthy),
        )
    } else {
        let critical = g
            .groups
            .iter()
            .flat_map(|x| &x.alerts)
            .any(|a| a.state == AmState::Firing && a.is_critical());
        let m = if critical {
            Meaning::Critical
        } else {
            Meaning::Warning
        };
        (format!("▲ {} firing", g.firing), theme.style(m))
    };
    let head = if counts.is_empty() {
        head
    } else {
        format!("{head} · {}", counts.join(" · "))
    };
    out.put(0, &head, style.add_modifier(Modifier::BOLD), None);
    for group in &g.groups {
        if out.full() {
            return;
        }
        let labels = group
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={}", clean(v)))
            .collect::<Vec<_>>()
            .join(" ");
        let n = format!("{}/{}", group.firing(), group.alerts.len());
        out.put(
            0,
            if labels.is_empty() {
                "(no group labels)"
            } else {
                &labels
            },
            theme.style(Meaning::Title).add_modifier(Modifier::BOLD),
            Some((&n, theme.style(Meaning::Muted))),
        );
        for a in &group.alerts {
            let style = alert_style(a, theme);
            let (mark, what) = match a.state {
                AmState::Firing => ("▲", "firing"),
                AmState::Silenced => ("◌", "silenced"),
                AmState::Inhibited => ("⊘", "inhibited"),
            };
            // The age is how long the alert has fired; a muted one says so on its next line.
            let age = match (a.starts_at, a.state) {
                (Some(t), AmState::Firing) => format!("{what} {}", since(now - t)),
                (Some(t), _) => since(now - t),
                (None, _) => what.to_string(),
            };
            let mut line = format!("{mark} {}", clean(&a.name));
            if !a.severity.is_empty() {
                line = format!("{line} {}", clean(&a.severity));
            }
            if !a.labels.is_empty() {
                line = format!("{line} {}", clean(&a.labels));
            }
            out.put(1, &line, style, Some((&age, style)));
            let detail = match a.state {
                AmState::Firing => clean(&a.summary),
                AmState::Silenced => {
                    let by: Vec<String> = a
                        .silenced_by
                        .iter()
                        .map(|id| match g.silence_index.get(id) {
                            Some(s) => {
                                let ends = s.ends_at.map_or_else(String::new, |e| {
                                    format!(", ends in {}", since(e - now))
                                });
                                format!("{}: {}{ends}", clean(&s.created_by), clean(&s.comment))
                            }
                            None => format!("silence {}", id.chars().take(8).collect::<String>()),
                        })
                        .collect();
                    format!("silenced by {}", by.join("; "))
                }
                AmState::Inhibited => format!("inhibited by {}", clean(&a.inhibited_by.join(", "))),
            };
            if !detail.is_empty() {
                out.put(
                    3,
                    &detail,
                    theme.style(if a.state == AmState::Firing {
                        Meaning::Text
                    } else {
                        Meaning::Muted
                    }),
                    None,
                );
            }
        }
    }
    if g.silences.is_empty() || out.full() {
        return;
    }
    out.put(
        0,
        &format!("silences · {}", g.silences.len()),
        theme.style(Meaning::Title).add_modifier(Modifier::BOLD),
        None,
    );
    for s in &g.silences {
        let when = if s.state == "pending" {
            s.starts_at.map_or_else(
                || "pending".into(),
                |t| format!("starts in {}", since(t - now)),
            )
        } else {
            s.ends_at.map_or_else(
                || "active".into(),
                |t| format!("ends in {}", since(t - now)),
            )
        };
        out.put(
            1,
            &format!(
                "✕ {} · {}: {}",
                clean(&s.matchers),
                clean(&s.created_by),
                clean(&s.comment)
            ),
            theme.style(Meaning::Info),
            Some((&when, theme.style(Meaning::Muted))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vista::alert_groups::{AlertGroup, Silence};

    fn text(buf: &Buffer) -> String {
        crate::ui::testing::rows(buf) + "\n"
    }

    #[test]
    fn groups_ages_silences_and_inhibitors_in_the_themes_meanings() {
        let theme = Theme::default();
        let alert = |name: &str, sev: &str, state, start| GroupedAlert {
            name: name.into(),
            severity: sev.into(),
            summary: "disk full".into(),
            labels: "instance=a".into(),
            starts_at: Some(start),
            state,
            silenced_by: vec!["s1".into()],
            inhibited_by: vec!["Down".into()],
        };
        let silence = Silence {
            id: "s1".into(),
            matchers: "alertname=\"Disk\"".into(),
            state: "active".into(),
            starts_at: Some(0.0),
            ends_at: Some(1000.0 + 45.0 * 60.0),
            created_by: "ops".into(),
            comment: "resize".into(),
        };
        let g = AlertGroups {
            groups: vec![AlertGroup {
                labels: vec![("alertname".into(), "Down".into())],
                alerts: vec![
                    alert("Down", "page", AmState::Firing, 1000.0 - 754.0),
                    alert("Disk", "warning", AmState::Silenced, 0.0),
                    alert("Load", "warning", AmState::Inhibited, 0.0),
                ],
            }],
            silences: vec![silence.clone()],
            silence_index: [("s1".to_string(), silence)].into(),
            firing: 1,
            silenced: 1,
            inhibited: 1,
            hidden: 0,
            at: 1000.0,
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, 60, 12));
        let area = buf.area;
        draw(&mut buf, area, &g, 1000.0, &theme);
        let t = text(&buf);
        assert!(t.contains("▲ 1 firing · 1 silenced · 1 inhibited"), "{t}");
        assert!(t.contains("alertname=Down"), "{t}");
        assert!(
            t.contains("▲ Down page instance=a") && t.contains("firing 12m"),
            "{t}"
        );
        assert!(t.contains("silenced by ops: resize, ends in 45m"), "{t}");
        assert!(t.contains("inhibited by Down"), "{t}");
        assert!(
            t.contains("✕ alertname=\"Disk\" · ops: resize") && t.contains("ends in 45m"),
            "{t}"
        );
        let at = |needle: &str| {
            let (y, line) = t
                .lines()
                .enumerate()
                .find(|(_, l)| l.contains(needle))
                .unwrap();
            let x = line[..line.find(needle).unwrap()].chars().count();
            buf[(x as u16, y as u16)].style()
        };
        assert_eq!(at("▲ Down").fg, theme.style(Meaning::Critical).fg);
        assert_eq!(at("◌ Disk").fg, theme.style(Meaning::Muted).fg);
        // Any size, even one cell, draws without a panic.
        for (w, h) in [(1, 1), (5, 2), (200, 60)] {
            let mut b = Buffer::empty(Rect::new(0, 0, w, h));
            let area = b.area;
            draw(&mut b, area, &g, 1000.0, &theme);
        }
        assert_eq!(since(59.0), "59s");
        assert_eq!(since(3600.0 + 5.0 * 60.0), "1h05m");
        assert_eq!(since(-5.0), "0s");
    }
}
