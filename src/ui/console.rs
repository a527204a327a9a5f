//! The drill console: a pure function from (drill, seat view, theme) to a buffer. Nothing here
//! reads a clock or a terminal, so every frame can be rebuilt from a recording and tested with
//! ratatui's TestBackend.

use super::chart::{self, Scale};
use super::layout::{self, Areas, MIN_HEIGHT, MIN_WIDTH};
use super::seat::{Mode, Pane, SeatView, contingencies};
use super::text::{clean, fit, number, width, wrap};
use super::theme::{Meaning, Theme};
use super::timeline;
use crate::drill::{Drill, Event, Status, Verdict};
use crate::headless::story_clock;
use crate::scenario::{Channel, Severity, Show};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

/// What the shell around the console adds to a frame.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    /// The metronome's pulse is lit (for a moment after each beat).
    pub pulse: bool,
    /// A label for the status line, e.g. `REPLAY ×2`.
    pub mode: Option<String>,
    /// A problem to keep on the status line (a bad theme or config file).
    pub notice: Option<String>,
    /// Another run of the same scenario drawn on the timeline.
    pub ghost: Option<timeline::Ghost>,
    /// Extra key hints for the status line, e.g. replay transport keys.
    pub hints: Option<String>,
    /// Live telemetry panes shown beside the drill's alerts and SLOs.
    pub live: Option<LivePanes>,
}

/// Live vista panes a drill shows beside the exercise: the vista's last published snapshot and
/// the time (unix seconds) to count their ages to, both set by the shell before each frame.
#[derive(Clone)]
pub struct LivePanes {
    pub vista: std::sync::Arc<crate::vista::VistaSnapshot>,
    pub now: f64,
}

impl std::fmt::Debug for LivePanes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LivePanes({} panes)", self.vista.panes.len())
    }
}

/// Splits the health pane to show live panes on its right, one above the other.
fn live_panes(buf: &mut Buffer, r: Rect, live: &LivePanes, theme: &Theme) -> Rect {
    let panes = &live.vista.panes;
    if panes.is_empty() || r.width < 60 || r.height < 3 {
        return r;
    }
    let left = Rect {
        width: r.width / 2,
        ..r
    };
    let right = Rect {
        x: r.x + left.width,
        width: r.width - left.width,
        ..r
    };
    let n = panes.len().min((right.height / 3).max(1) as usize);
    for (i, p) in panes.iter().take(n).enumerate() {
        let y0 = right.y + (u32::from(right.height) * i as u32 / n as u32) as u16;
        let y1 = right.y + (u32::from(right.height) * (i as u32 + 1) / n as u32) as u16;
        let pr = Rect {
            y: y0,
            height: y1 - y0,
            ..right
        };
        super::vista::draw_pane(buf, pr, p, live.now, false, theme);
    }
    left
}

/// Draws the whole console for one seat.
pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    drill: &Drill,
    seat: &SeatView,
    theme: &Theme,
    chrome: &Chrome,
) {
    if !super::prepare(buf, area, (MIN_WIDTH, MIN_HEIGHT), theme) {
        return;
    }
    let zoom = seat.zoom.then_some(seat.focus);
    let s = &drill.scenario;
    let a = layout::layout(area, zoom, s.signals.len(), s.cues.len());
    if !a.header.is_empty() {
        header(buf, a.header, drill, theme);
    }
    for pane in Pane::ALL {
        let r = a.pane(pane);
        if r.width < 3 || r.height < 2 {
            continue;
        }
        let inner = block(
            buf,
            r,
            pane_title(pane, drill, seat),
            seat.focus == pane,
            theme,
        );
        match pane {
            Pane::Signals => signals(buf, inner, drill, theme, a.condensed && !seat.zoom),
            Pane::Health => {
                let inner = match &chrome.live {
                    Some(live) => live_panes(buf, inner, live, theme),
                    None => inner,
                };
                health(buf, inner, drill, theme)
            }
            Pane::Feed => feed(buf, inner, drill, seat, theme),
            Pane::Runbook => runbook(buf, inner, drill, seat, theme),
            Pane::Cues => cues(buf, inner, drill, seat, theme, &a),
        }
    }
    timeline::draw(buf, a.timeline, drill, theme, chrome);
    status(buf, a.status, drill, seat, theme, chrome);
    overlays(buf, area, drill, seat, theme);
}

fn pane_title(pane: Pane, drill: &Drill, seat: &SeatView) -> String {
    match pane {
        Pane::Runbook => match seat.page_shown(drill) {
            Some(p) => {
                let visible: Vec<usize> = (0..drill.revealed.len())
                    .filter(|i| drill.revealed[*i])
                    .collect();
                let n = visible.iter().position(|v| *v == p).map_or(0, |n| n + 1);
                format!(
                    "runbook {n}/{}: {}",
                    visible.len(),
                    clean(&drill.scenario.runbook[p].title)
                )
            }
            None => "runbook".into(),
        },
        Pane::Signals => format!("vista · {}", clean(&drill.scenario.meta.id)),
        p => p.title().into(),
    }
}

/// Draws a pane's frame and returns the inside.
pub fn block(buf: &mut Buffer, r: Rect, title: String, focused: bool, theme: &Theme) -> Rect {
    let title_style = if focused {
        theme.style(Meaning::Focus).add_modifier(Modifier::BOLD)
    } else {
        theme.style(Meaning::Title)
    };
    let b = Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(theme.block_border(focused))
        .title(ratatui::text::Span::styled(
            format!(" {} ", fit(&title, r.width.saturating_sub(4) as usize)),
            title_style,
        ));
    let inner = b.inner(r);
    b.render(r, buf);
    inner
}

fn header(buf: &mut Buffer, r: Rect, drill: &Drill, theme: &Theme) {
    let s = &drill.scenario;
    let seats: Vec<String> = drill
        .seats
        .iter()
        .filter(|x| x.present)
        .map(|x| {
            format!(
                "{} ({})",
                clean(&x.name),
                x.role
                    .as_deref()
                    .map_or("solo".into(), |r| role_name(drill, r))
            )
        })
        .collect();
    let left = format!(
        " gamelan · {} · {}",
        clean(&s.meta.title),
        s.meta.difficulty.label()
    );
    let right = format!("seats: {} ", seats.join(", "));
    buf.set_stringn(
        r.x,
        r.y,
        &left,
        r.width as usize,
        theme.style(Meaning::Title).add_modifier(Modifier::BOLD),
    );
    let rw = width(&right) as u16;
    if rw + width(&left) as u16 + 2 <= r.width {
        buf.set_string(r.right() - rw, r.y, &right, theme.style(Meaning::Muted));
    }
}

fn role_name(drill: &Drill, role: &str) -> String {
    drill
        .scenario
        .role(role)
        .map_or_else(|| role.to_string(), |r| clean(&r.name))
}

/// Style for a value of a signal: healthy, near the edge, or out of range.
fn value_style(drill: &Drill, i: usize, v: f64, theme: &Theme) -> Style {
    let def = &drill.scenario.signals[i];
    if def.is_healthy(v) {
        theme.style(Meaning::Healthy)
    } else {
        let (lo, hi) = def.healthy;
        let span = (hi - lo).abs().max(1e-9);
        let out = if v > hi {
            (v - hi) / span
        } else {
            (lo - v) / span
        };
        if out < 0.25 {
            theme.style(Meaning::Warning)
        } else {
            theme.style(Meaning::Critical)
        }
    }
}

fn signals(buf: &mut Buffer, r: Rect, drill: &Drill, theme: &Theme, one_line: bool) {
    let s = &drill.scenario;
    let charts: Vec<usize> = (0..s.signals.len())
        .filter(|i| one_line || s.signals[*i].show == Show::Chart)
        .collect();
    if charts.is_empty() || r.height == 0 {
        return;
    }
    let per = (r.height as usize / charts.len()).max(1);
    if one_line || per < 3 {
        for (row, &i) in charts.iter().enumerate().take(r.height as usize) {
            let y = r.y + row as u16;
            let label_w = (r.width as usize * 2 / 5).clamp(6, 24);
            let def = &s.signals[i];
            let v = drill.signals[i].value;
            buf.set_stringn(
                r.x,
                y,
                fit(&clean(&def.name), label_w),
                label_w,
                theme.style(Meaning::Text),
            );
            let val = format!("{:>7}", number(v));
            let vx = r.x + label_w as u16 + 1;
            buf.set_stringn(
                vx,
                y,
                &val,
                7,
                value_style(drill, i, v, theme).add_modifier(Modifier::BOLD),
            );
            let cx = vx + 8;
            if cx < r.right() {
                chart(buf, Rect::new(cx, y, r.right() - cx, 1), drill, i, theme);
            }
        }
        return;
    }
    for (n, &i) in charts.iter().enumerate() {
        let y = r.y + (n * per) as u16;
        let h = per.min((r.bottom() - y) as usize) as u16;
        let def = &s.signals[i];
        let v = drill.signals[i].value;
        let title = format!("{} ", clean(&def.name));
        buf.set_stringn(
            r.x,
            y,
            &title,
            r.width as usize,
            theme.style(Meaning::Text).add_modifier(Modifier::BOLD),
        );
        let val = format!("{} {}", number(v), clean(&def.unit));
        let tx = r.x + width(&title) as u16;
        if tx < r.right() {
            buf.set_stringn(
                tx,
                y,
                &val,
                (r.right() - tx) as usize,
                value_style(drill, i, v, theme).add_modifier(Modifier::BOLD),
            );
        }
        let band = format!(
            "healthy {}–{}",
            number(def.healthy.0),
            number(def.healthy.1)
        );
        let bw = width(&band) as u16;
        if width(&title) as u16 + width(&val) as u16 + bw + 2 < r.width {
            buf.set_string(r.right() - bw, y, &band, theme.style(Meaning::Muted));
        }
        if h > 1 {
            chart(buf, Rect::new(r.x, y + 1, r.width, h - 1), drill, i, theme);
        }
    }
}

/// A column chart of a signal's recent history, newest on the right, with its healthy band's
/// edge drawn as a faint line where the bars do not reach.
fn chart(buf: &mut Buffer, r: Rect, drill: &Drill, i: usize, theme: &Theme) {
    let def = &drill.scenario.signals[i];
    let hist = &drill.signals[i].history;
    let n = hist.len().min(r.width as usize);
    let values: Vec<f64> = hist
        .iter()
        .skip(hist.len() - n)
        .map(|v| f64::from(*v))
        .collect();
    let floor = def.healthy.0.min(0.0_f64.max(def.min));
    let scale = Scale::fit(values.iter().copied(), &[floor, def.healthy.1 * 1.2]);
    let band = (def.healthy.1, theme.style(Meaning::Band));
    chart::columns(
        buf,
        r,
        &values,
        scale,
        |v| value_style(drill, i, v, theme),
        Some(band),
    );
}

fn health(buf: &mut Buffer, r: Rect, drill: &Drill, theme: &Theme) {
    let s = &drill.scenario;
    let mut y = r.y;
    let w = r.width as usize;
    let mut line = |buf: &mut Buffer, parts: &[(String, Style)]| {
        if y >= r.bottom() {
            return;
        }
        let mut x = r.x;
        for (t, st) in parts {
            if x >= r.right() {
                break;
            }
            let (nx, _) = buf.set_stringn(x, y, t, (r.right() - x) as usize, *st);
            x = nx;
        }
        y += 1;
    };
    let firing: Vec<usize> = (0..s.alerts.len())
        .filter(|i| drill.alerts[*i].firing_since.is_some())
        .collect();
    if firing.is_empty() {
        line(
            buf,
            &[("✓ no alerts firing".into(), theme.style(Meaning::Healthy))],
        );
    }
    for i in &firing {
        let a = &s.alerts[*i];
        let since = drill.beat - drill.alerts[*i].firing_since.unwrap_or(drill.beat);
        let (tag, st) = match a.severity {
            Severity::Page => ("PAGE", theme.style(Meaning::Critical)),
            Severity::Warning => ("WARN", theme.style(Meaning::Warning)),
            Severity::Info => ("INFO", theme.style(Meaning::Info)),
        };
        let mins = story_clock(s.story_seconds(since));
        line(
            buf,
            &[
                (format!("▲ {tag} "), st.add_modifier(Modifier::BOLD)),
                (format!("{} ", clean(&a.id)), st),
                (format!("for {mins}"), theme.style(Meaning::Muted)),
            ],
        );
    }
    for (i, def) in s.signals.iter().enumerate() {
        if let (Some(slo), Some(left), Some(burn)) =
            (def.slo, drill.budget_left(i), drill.burn_rate(i))
        {
            let label = if w >= 60 {
                format!("SLO {} {}% ", fit(&clean(&def.name), w / 3), slo.target)
            } else {
                format!("SLO {}% ", slo.target)
            };
            let st = if left < 0.25 {
                Meaning::Critical
            } else if left < 0.5 {
                Meaning::Warning
            } else {
                Meaning::Healthy
            };
            let bar_w = (w.saturating_sub(width(&label) + 22)).clamp(4, 30);
            let full = ((left.clamp(0.0, 1.0)) * bar_w as f64).round() as usize;
            let bar: String = "█".repeat(full) + &"░".repeat(bar_w - full);
            let burn_st = if burn > 1.0 {
                theme.style(Meaning::Critical)
            } else {
                theme.style(Meaning::Muted)
            };
            line(
                buf,
                &[
                    (label, theme.style(Meaning::Text)),
                    (bar, theme.style(st)),
                    (format!(" {:>3.0}% left ", left * 100.0), theme.style(st)),
                    (format!("burn {burn:.1}×"), burn_st),
                ],
            );
        }
    }
    for (i, def) in s
        .signals
        .iter()
        .enumerate()
        .filter(|(_, d)| d.show == Show::Gauge)
    {
        let v = drill.signals[i].value;
        let max = if def.max < f64::MAX / 2.0 {
            def.max
        } else {
            def.healthy.1.max(v) * 1.25
        };
        let min = if def.min > f64::MIN / 2.0 {
            def.min
        } else {
            0.0
        };
        let frac = ((v - min) / (max - min).max(1e-9)).clamp(0.0, 1.0);
        let label = format!("{} ", fit(&clean(&def.name), (w / 3).max(6)));
        let bar_w = w.saturating_sub(width(&label) + 12).clamp(4, 40);
        let full = (frac * bar_w as f64).round() as usize;
        let st = value_style(drill, i, v, theme);
        line(
            buf,
            &[
                (
                    format!("{label:<width$}", width = (w / 3).max(6) + 1),
                    theme.style(Meaning::Text),
                ),
                ("▕".into(), theme.style(Meaning::Muted)),
                ("█".repeat(full), st),
                ("░".repeat(bar_w - full), theme.style(Meaning::Band)),
                ("▏".into(), theme.style(Meaning::Muted)),
                (format!(" {} {}", number(v), clean(&def.unit)), st),
            ],
        );
    }
}

/// One line (before wrapping) in the feed: a tag, who, what.
struct FeedItem {
    beat: u64,
    tag: String,
    who: String,
    text: String,
    style: Style,
}

fn feed_item(drill: &Drill, beat: u64, ev: &Event, theme: &Theme) -> Option<FeedItem> {
    let s = &drill.scenario;
    let item = |tag: &str, who: String, text: String, m: Meaning| {
        Some(FeedItem {
            beat,
            tag: tag.into(),
            who,
            text,
            style: theme.style(m),
        })
    };
    match ev {
        Event::InjectFired { inject, .. } => {
            let inj = &s.injects[*inject];
            let m = if inj.channel == Channel::Page {
                Meaning::Critical
            } else if inj.surprise {
                Meaning::Surprise
            } else {
                Meaning::Inject
            };
            item(
                channel_tag(inj.channel),
                clean(&inj.persona),
                clean(&inj.text),
                m,
            )
        }
        Event::CueApplied { seat, cue } => item(
            "cue",
            clean(drill.seat_name(*seat)),
            clean(&s.cues[*cue].label),
            Meaning::Cue,
        ),
        Event::CueLanded { cue, .. } => {
            let r = s.cues[*cue].response.as_ref()?;
            item(
                channel_tag(r.channel),
                clean(&r.persona),
                clean(&r.text),
                Meaning::Inject,
            )
        }
        Event::AlertFiring { alert } => {
            let a = &s.alerts[*alert];
            let m = match a.severity {
                Severity::Page => Meaning::Critical,
                Severity::Warning => Meaning::Warning,
                Severity::Info => Meaning::Info,
            };
            item(
                "alert",
                format!("FIRING {}", clean(&a.id)),
                clean(&a.summary),
                m,
            )
        }
        Event::AlertResolved { alert } => item(
            "alert",
            format!("resolved {}", clean(&s.alerts[*alert].id)),
            String::new(),
            Meaning::Healthy,
        ),
        Event::Marked { mark } => item(
            "mark",
            String::new(),
            format!("● {}", mark.label()),
            Meaning::Mark,
        ),
        Event::Note { seat, text } => item(
            "note",
            clean(drill.seat_name(*seat)),
            clean(text),
            Meaning::Muted,
        ),
        Event::Hint { index, .. } => item(
            "hint",
            String::new(),
            clean(&s.hints[*index].text),
            Meaning::Accent,
        ),
        Event::Objective { objective, met } => {
            let o = &s.objectives[*objective];
            item(
                "goal",
                if *met { "met".into() } else { "missed".into() },
                clean(&o.text),
                if *met {
                    Meaning::Healthy
                } else {
                    Meaning::Warning
                },
            )
        }
        Event::Paused { seat } => item(
            "drill",
            clean(drill.seat_name(*seat)),
            "paused".into(),
            Meaning::Muted,
        ),
        Event::Resumed { seat } => item(
            "drill",
            clean(drill.seat_name(*seat)),
            "resumed".into(),
            Meaning::Muted,
        ),
        Event::Tempo { bpm, .. } => item(
            "drill",
            String::new(),
            format!("tempo {bpm} BPM"),
            Meaning::Muted,
        ),
        Event::Joined { seat } => item(
            "seat",
            clean(drill.seat_name(*seat)),
            "joined".into(),
            Meaning::Muted,
        ),
        Event::Left { seat } => item(
            "seat",
            clean(drill.seat_name(*seat)),
            "left".into(),
            Meaning::Muted,
        ),
        Event::Ended { reason } => item(
            "drill",
            String::new(),
            format!("ended: {}", clean(reason)),
            Meaning::Title,
        ),
        Event::Rejected { .. } | Event::InjectSkipped { .. } | Event::HerringFollowed { .. } => {
            None
        }
    }
}

fn channel_tag(c: Channel) -> &'static str {
    c.label()
}

fn feed(buf: &mut Buffer, r: Rect, drill: &Drill, seat: &SeatView, theme: &Theme) {
    if r.height == 0 || r.width < 4 {
        return;
    }
    let w = r.width as usize;
    let bpb = drill.scenario.tempo.beats_per_bar;
    // Walk back from the newest entry, wrapping each, until the pane (plus scroll) is full.
    let want = r.height as usize + seat.feed_scroll;
    let mut lines: Vec<(String, Style, Style, String)> = Vec::new();
    for e in drill.log.iter().rev() {
        let Some(it) = feed_item(drill, e.beat, &e.event, theme) else {
            continue;
        };
        let stamp = crate::scenario::position::bar_beat(it.beat, bpb);
        let head = if w < 44 {
            format!("{stamp:>5}")
        } else {
            format!("{stamp:>5} {:<6}", it.tag)
        };
        let body = if it.who.is_empty() {
            it.text.clone()
        } else if it.text.is_empty() {
            it.who.clone()
        } else {
            format!("{}: {}", it.who, it.text)
        };
        let indent = width(&head) + 1;
        let wrapped = wrap(&body, w.saturating_sub(indent).max(8));
        for (k, l) in wrapped.into_iter().enumerate().rev() {
            let h = if k == 0 { head.clone() } else { String::new() };
            lines.push((h, theme.style(Meaning::Muted), it.style, l));
        }
        if lines.len() >= want {
            break;
        }
    }
    if lines.is_empty() {
        buf.set_stringn(
            r.x,
            r.y,
            "quiet so far: injects, alerts and cues appear here",
            w,
            theme.style(Meaning::Muted),
        );
        return;
    }
    let skip = seat.feed_scroll.min(lines.len().saturating_sub(1));
    let visible: Vec<_> = lines.iter().skip(skip).take(r.height as usize).collect();
    let start_y = r.bottom() - visible.len() as u16;
    for (n, (head, hs, bs, body)) in visible.iter().rev().enumerate() {
        let y = start_y + n as u16;
        let hw = width(head).min(w);
        buf.set_stringn(r.x, y, head, w, *hs);
        let indent = if w < 44 { 6 } else { 12 };
        let x = r.x
            + if head.is_empty() {
                indent.min(r.width - 1)
            } else {
                hw as u16 + 1
            };
        if x < r.right() {
            buf.set_stringn(x, y, body, (r.right() - x) as usize, *bs);
        }
    }
    if skip > 0 {
        let tag = format!(" ↓ {skip} newer ");
        let tw = width(&tag) as u16;
        if tw < r.width {
            buf.set_string(
                r.right() - tw,
                r.bottom() - 1,
                &tag,
                theme
                    .style(Meaning::Accent)
                    .add_modifier(Modifier::REVERSED),
            );
        }
    }
}

fn runbook(buf: &mut Buffer, r: Rect, drill: &Drill, seat: &SeatView, theme: &Theme) {
    let Some(p) = seat.page_shown(drill) else {
        buf.set_stringn(
            r.x,
            r.y,
            "no page open yet",
            r.width as usize,
            theme.style(Meaning::Muted),
        );
        return;
    };
    let page = &drill.scenario.runbook[p];
    let lines = wrap(page.body.trim(), r.width as usize);
    for (n, l) in lines
        .iter()
        .skip(seat.runbook_scroll)
        .take(r.height as usize)
        .enumerate()
    {
        buf.set_stringn(
            r.x,
            r.y + n as u16,
            l,
            r.width as usize,
            theme.style(Meaning::Text),
        );
    }
}

fn cues(buf: &mut Buffer, r: Rect, drill: &Drill, seat: &SeatView, theme: &Theme, a: &Areas) {
    let s = &drill.scenario;
    let role = drill
        .seats
        .iter()
        .find(|x| x.id == seat.seat)
        .and_then(|x| x.role.clone());
    let grid = a.condensed && !seat.zoom;
    let col_w = if grid {
        (r.width / (r.width / 26).max(1)).max(10)
    } else {
        r.width
    };
    let per_col = r.height.max(1) as usize;
    for (i, cue) in s.cues.iter().enumerate() {
        let (col, row) = if grid {
            (i / per_col, i % per_col)
        } else {
            (0, i)
        };
        let x = r.x + col as u16 * col_w;
        let y = r.y + row as u16;
        if y >= r.bottom() || x >= r.right() {
            continue;
        }
        let done = drill.cues_done[i].is_some();
        let allowed = role
            .as_ref()
            .is_none_or(|r| cue.roles.is_empty() || cue.roles.contains(r));
        let ready = cue.requires.iter().all(|q| drill.cues_done[*q].is_some());
        let (mark, st) = if done && !cue.repeatable {
            ("✓", theme.style(Meaning::Muted))
        } else if !allowed || !ready {
            ("·", theme.style(Meaning::Muted))
        } else {
            (" ", theme.style(Meaning::Text))
        };
        let key = format!("[{}]", clean(&cue.key.to_string()));
        let w = (r.right() - x).min(col_w) as usize;
        let (kx, _) = buf.set_stringn(
            x,
            y,
            &key,
            w,
            if st == theme.style(Meaning::Text) {
                theme.style(Meaning::Cue).add_modifier(Modifier::BOLD)
            } else {
                st
            },
        );
        let rest = format!("{mark}{}", clean(&cue.label));
        let mut extra = String::new();
        if !grid {
            if !allowed {
                extra = format!("  ({} only)", cue.roles.join("/"));
            } else if let Some(q) = cue.requires.iter().find(|q| drill.cues_done[**q].is_none()) {
                extra = format!("  (after [{}])", clean(&s.cues[*q].key.to_string()));
            } else if cue.delay_beats > 0 && !done {
                extra = format!("  ~{} beats", cue.delay_beats);
            }
        }
        let used = (kx - x) as usize;
        if used < w {
            let text = fit(&format!("{rest}{extra}"), w - used - 1);
            buf.set_stringn(kx, y, &text, w - used, st);
        }
    }
}

fn status(
    buf: &mut Buffer,
    r: Rect,
    drill: &Drill,
    seat: &SeatView,
    theme: &Theme,
    chrome: &Chrome,
) {
    if r.height == 0 {
        return;
    }
    let bar = theme.style(Meaning::Status);
    buf.set_style(r, bar);
    let w = r.width as usize;
    let s = &drill.scenario;
    match &seat.mode {
        Mode::Note(text) => {
            let prompt = format!(
                " note @ {}: {}▌  (Enter saves · Esc cancels)",
                s.bar_beat(drill.beat),
                text
            );
            buf.set_stringn(r.x, r.y, &prompt, w, bar.add_modifier(Modifier::BOLD));
            return;
        }
        Mode::ConfirmQuit => {
            buf.set_stringn(
                r.x,
                r.y,
                " Leave the drill while it runs? y quits · any other key stays",
                w,
                theme
                    .style(Meaning::Warning)
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            );
            return;
        }
        _ => {}
    }
    let (state, st) = match &drill.status {
        Status::Running if seat.mode == Mode::Briefing => ("READY".to_string(), Meaning::Accent),
        Status::Running => ("▶ RUNNING".to_string(), Meaning::Healthy),
        Status::Paused => ("⏸ PAUSED".to_string(), Meaning::Warning),
        Status::Ended(r) => (format!("■ ENDED ({})", clean(r)), Meaning::Title),
    };
    let mut x = r.x;
    let mut put = |buf: &mut Buffer, t: &str, style: Style| {
        if x < r.right() {
            let (nx, _) = buf.set_stringn(x, r.y, t, (r.right() - x) as usize, style);
            x = nx;
        }
    };
    put(buf, " ", bar);
    if let Some(m) = &chrome.mode {
        put(
            buf,
            &format!("{m} "),
            theme
                .style(Meaning::Accent)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
        );
        put(buf, " ", bar);
    }
    put(buf, &state, theme.style(st).add_modifier(Modifier::BOLD));
    let met = drill
        .objectives
        .iter()
        .filter(|v| matches!(v, Verdict::Met(_)))
        .count();
    put(
        buf,
        &format!(
            "  ♩={}  bar {}  story {}  goals {met}/{}",
            drill.bpm,
            s.bar_beat(drill.beat),
            story_clock(s.story_seconds(drill.beat)),
            s.objectives.len()
        ),
        bar,
    );
    let right = if let Some(f) = &seat.flash {
        (
            format!(" {} ", clean(&f.text)),
            if f.error {
                theme.style(Meaning::StatusError)
            } else {
                theme.style(Meaning::Accent)
            },
        )
    } else if let Some(n) = &chrome.notice {
        (format!(" {} ", clean(n)), theme.style(Meaning::StatusError))
    } else if let Some(h) = &chrome.hints {
        (format!(" {h} "), bar)
    } else if drill.is_ended() {
        (
            " d debrief · q quit ".to_string(),
            bar.add_modifier(Modifier::BOLD),
        )
    } else {
        (" ? keys · space pause · n note · q quit ".to_string(), bar)
    };
    let used = (x - r.x) as usize;
    let rw = width(&right.0);
    if used + 2 < w {
        let room = w - used - 2;
        let text = fit(&right.0, room);
        let tx = r.right() - width(&text).min(room) as u16;
        let _ = rw;
        buf.set_stringn(tx, r.y, &text, room, right.1);
    }
}

fn popup(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2));
    let h = h.min(area.height.saturating_sub(2));
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn text_popup(
    buf: &mut Buffer,
    area: Rect,
    title: &str,
    lines: &[(String, Style)],
    theme: &Theme,
    min_w: u16,
) {
    let w = lines
        .iter()
        .map(|(l, _)| width(l) as u16)
        .max()
        .unwrap_or(10)
        .max(min_w)
        + 4;
    let r = popup(area, w, lines.len() as u16 + 2);
    Clear.render(r, buf);
    buf.set_style(r, theme.style(Meaning::Text));
    let inner = block(buf, r, title.to_string(), true, theme);
    for (n, (l, st)) in lines.iter().enumerate().take(inner.height as usize) {
        buf.set_stringn(
            inner.x + 1,
            inner.y + n as u16,
            l,
            inner.width.saturating_sub(1) as usize,
            *st,
        );
    }
}

fn overlays(buf: &mut Buffer, area: Rect, drill: &Drill, seat: &SeatView, theme: &Theme) {
    let s = &drill.scenario;
    let t = theme.style(Meaning::Text);
    let k = theme.style(Meaning::Cue).add_modifier(Modifier::BOLD);
    let m = theme.style(Meaning::Muted);
    if seat.help {
        let mut lines = vec![(
            format!("{} — keys in force", clean(&s.meta.title)),
            theme.style(Meaning::Title),
        )];
        lines.push((String::new(), t));
        for c in &s.cues {
            let roles = if c.roles.is_empty() {
                String::new()
            } else {
                format!("  ({})", c.roles.join(", "))
            };
            lines.push((
                format!(
                    "  {}      {}{roles}",
                    clean(&c.key.to_string()),
                    clean(&c.label)
                ),
                k,
            ));
        }
        lines.push((String::new(), t));
        for (key, what) in super::help::CONSOLE_KEYS {
            lines.push((format!("  {key:<6} {what}"), t));
        }
        lines.push((String::new(), t));
        lines.push(("any key closes this".into(), m));
        text_popup(buf, area, "help", &lines, theme, 40);
        return;
    }
    match &seat.mode {
        Mode::Briefing => {
            let width = (area.width.saturating_sub(8)).clamp(20, 76) as usize;
            let mut lines = vec![
                (
                    clean(&s.meta.title),
                    theme.style(Meaning::Title).add_modifier(Modifier::BOLD),
                ),
                (String::new(), t),
            ];
            let brief = if s.meta.briefing.trim().is_empty() {
                &s.meta.summary
            } else {
                &s.meta.briefing
            };
            for l in wrap(&reflow(brief.trim()), width) {
                lines.push((l, t));
            }
            lines.push((String::new(), t));
            for l in wrap(
                &format!(
                    "{} signals · {} cues · {} bars at {} BPM · one beat = {} s of story time",
                    s.signals.len(),
                    s.cues.len(),
                    s.bars(),
                    drill.bpm,
                    s.tempo.story_seconds_per_beat
                ),
                width,
            ) {
                lines.push((l, m));
            }
            lines.push((String::new(), t));
            lines.push(("Enter starts the metronome · ? keys · q leaves".into(), k));
            text_popup(buf, area, "briefing", &lines, theme, 40);
        }
        Mode::Playing if drill.is_ended() && !seat.end_dismissed => {
            let met = drill
                .objectives
                .iter()
                .filter(|v| matches!(v, Verdict::Met(_)))
                .count();
            let reason = match &drill.status {
                Status::Ended(r) => clean(r),
                _ => String::new(),
            };
            let lines = vec![
                (
                    format!("The drill has ended ({reason})."),
                    theme.style(Meaning::Title),
                ),
                (
                    format!("Objectives met: {met} of {}", s.objectives.len()),
                    t,
                ),
                (String::new(), t),
                (
                    "d  debrief: timeline, times to detect/ack/mitigate/resolve, notes".into(),
                    k,
                ),
                ("q  leave       esc  put this away".into(), k),
            ];
            text_popup(buf, area, "hot wash", &lines, theme, 30);
        }
        Mode::Contingency => {
            let mut lines = vec![(
                "Fire a contingency inject:".to_string(),
                theme.style(Meaning::Title),
            )];
            for (n, i) in contingencies(drill).enumerate().take(9) {
                let inj = &s.injects[i];
                lines.push((
                    format!(
                        "  {}  {} — {}",
                        n + 1,
                        clean(&inj.id),
                        fit(&clean(&inj.text), 50)
                    ),
                    t,
                ));
            }
            lines.push(("any other key cancels".into(), m));
            text_popup(buf, area, "contingency", &lines, theme, 30);
        }
        _ => {}
    }
}

/// Joins hard-wrapped lines into paragraphs (blank lines stay paragraph breaks), for prose
/// written across several lines in a TOML string.
pub fn reflow(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}
