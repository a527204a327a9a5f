//! The lobby: the scenarios on offer, with enough detail to choose one.

use crate::scenario::{Catalogue, Entry, Measure};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::text::{clean, fit, wrap};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// The lobby's state.
#[derive(Debug, Clone)]
pub struct Lobby {
    pub catalogue: Catalogue,
    pub selected: usize,
}

/// What a key in the lobby asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LobbyCommand {
    Start(usize),
    /// Open the morning vista.
    Vista,
    Quit,
}

impl Lobby {
    pub fn new(catalogue: Catalogue) -> Lobby {
        Lobby {
            catalogue,
            selected: 0,
        }
    }

    pub fn selected(&self) -> Option<&Entry> {
        self.catalogue.entries.get(self.selected)
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Option<LobbyCommand> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let n = self.catalogue.entries.len();
        match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return Some(LobbyCommand::Quit);
            }
            KeyCode::Char('q') | KeyCode::Esc => return Some(LobbyCommand::Quit),
            KeyCode::Char('v') => return Some(LobbyCommand::Vista),
            KeyCode::Up | KeyCode::Char('k') if n > 0 => {
                self.selected = (self.selected + n - 1) % n
            }
            KeyCode::Down | KeyCode::Char('j') if n > 0 => self.selected = (self.selected + 1) % n,
            KeyCode::Enter if n > 0 => return Some(LobbyCommand::Start(self.selected)),
            _ => {}
        }
        None
    }

    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        if !crate::ui::prepare(buf, area, (20, 6), theme) {
            return;
        }
        let (body, status) = crate::ui::status_split(area);
        let wide = body.width >= 90;
        let list_w = if wide {
            body.width * 45 / 100
        } else {
            body.width
        };
        let list_h = if wide {
            body.height
        } else {
            (self.catalogue.entries.len() as u16 + 2)
                .min(body.height / 2)
                .max(3)
        };
        let list = Rect {
            width: list_w,
            height: list_h,
            ..body
        };
        let detail = if wide {
            Rect {
                x: body.x + list_w,
                width: body.width - list_w,
                ..body
            }
        } else {
            Rect {
                y: body.y + list_h,
                height: body.height - list_h,
                ..body
            }
        };
        let inner = block(buf, list, "gamelan · pick a drill".into(), true, theme);
        for (i, e) in self
            .catalogue
            .entries
            .iter()
            .enumerate()
            .take(inner.height as usize)
        {
            let m = &e.scenario.meta;
            let sel = i == self.selected;
            let st = if sel {
                theme
                    .style(Meaning::Selection)
                    .add_modifier(Modifier::REVERSED)
            } else {
                theme.style(Meaning::Text)
            };
            let tag = format!(" {:<12}", m.difficulty.label());
            let line = format!("{} {}", if sel { "▸" } else { " " }, clean(&m.title));
            let w = inner.width as usize;
            let room = w.saturating_sub(tag.len());
            buf.set_stringn(
                inner.x,
                inner.y + i as u16,
                format!("{:<room$}", fit(&line, room)),
                room,
                st,
            );
            if w > tag.len() + 10 {
                buf.set_stringn(
                    inner.x + room as u16,
                    inner.y + i as u16,
                    &tag,
                    tag.len(),
                    theme.style(Meaning::Muted),
                );
            }
        }
        if detail.height >= 3 && detail.width >= 10 {
            self.draw_detail(buf, detail, theme);
        }
        buf.set_style(status, theme.style(Meaning::Status));
        let hint = match self.catalogue.problems.first() {
            Some(p) => format!(" {p} "),
            None => " ↑↓ choose · Enter start · v morning vista · q quit ".into(),
        };
        let st = if self.catalogue.problems.is_empty() {
            theme.style(Meaning::Status)
        } else {
            theme.style(Meaning::StatusError)
        };
        buf.set_stringn(
            status.x,
            status.y,
            fit(&hint, status.width as usize),
            status.width as usize,
            st,
        );
    }

    fn draw_detail(&self, buf: &mut Buffer, r: Rect, theme: &Theme) {
        let Some(e) = self.selected() else {
            let inner = block(buf, r, "no scenarios".into(), false, theme);
            buf.set_stringn(
                inner.x,
                inner.y,
                "No scenarios found.",
                inner.width as usize,
                theme.style(Meaning::Muted),
            );
            return;
        };
        let s = &e.scenario;
        let inner = block(buf, r, clean(&s.meta.id), false, theme);
        let w = inner.width as usize;
        let mut lines: Vec<(String, Meaning)> = vec![(clean(&s.meta.title), Meaning::Title)];
        lines.push((
            format!(
                "{} · about {} min · {} bars at {} BPM · {}",
                s.meta.difficulty.label(),
                s.meta.duration_minutes,
                s.bars(),
                s.tempo.bpm,
                e.origin.label()
            ),
            Meaning::Muted,
        ));
        lines.push((String::new(), Meaning::Text));
        lines.extend(
            wrap(&s.meta.summary, w)
                .into_iter()
                .map(|l| (l, Meaning::Text)),
        );
        lines.push((String::new(), Meaning::Text));
        lines.push(("Objectives".into(), Meaning::Title));
        for o in &s.objectives {
            let how = match o.measure {
                Measure::MarkBy { mark, .. } => mark.label().to_string(),
                Measure::CueBy { cue, .. } => format!("cue {}", s.cues[cue].id),
                Measure::AvoidCue { .. } => "avoid".into(),
                Measure::HealthyBy { .. } | Measure::BudgetLeft { .. } => "signal".into(),
                Measure::Holds { .. } | Measure::Never { .. } => "condition".into(),
            };
            lines.extend(
                wrap(&format!("• {} ({how})", clean(&o.text)), w)
                    .into_iter()
                    .map(|l| (l, Meaning::Text)),
            );
        }
        lines.push((String::new(), Meaning::Text));
        let roles: Vec<String> = s.roles.iter().map(|r| clean(&r.name)).collect();
        lines.extend(
            wrap(&format!("Roles: {}", roles.join(", ")), w)
                .into_iter()
                .map(|l| (l, Meaning::Muted)),
        );
        for (n, (l, m)) in lines.iter().enumerate().take(inner.height as usize) {
            buf.set_stringn(inner.x, inner.y + n as u16, l, w, theme.style(*m));
        }
    }
}
