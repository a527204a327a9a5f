//! One pane drawn from its snapshot: the frame with its health badge, an error that says what
//! to fix, then the data in the pane's kind (chart, gauges, list, log, SLO, alerts).

use super::kinds::{alerts, gauges, list, log, slo};
use super::nav::{TimeNav, natural_span};
use super::{alert_groups, chart};
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, wrap};
use crate::vista::annotation::{self, MarkSet};
use crate::vista::backfill::Backfill;
use crate::vista::{Display, PaneSnapshot, Status};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// What every chart shares besides its pane: the view's window and the markers.
pub struct Look<'a> {
    pub nav: &'a TimeNav,
    pub hidden: &'a [(String, String)],
    pub marks: &'a [MarkSet],
    pub backfill: &'a [Backfill],
    pub utc_offset: i64,
}

impl Look<'_> {
    const LIVE: TimeNav = TimeNav {
        span: None,
        end: None,
        cursor: None,
    };

    /// Live, nothing hidden, no markers: how a drill's live pane draws.
    pub fn plain() -> Look<'static> {
        Look {
            nav: &Self::LIVE,
            hidden: &[],
            marks: &[],
            backfill: &[],
            utc_offset: 0,
        }
    }
}

pub(super) fn age(secs: f64) -> String {
    if secs < 90.0 {
        format!("{secs:.0}s")
    } else if secs < 5400.0 {
        format!("{:.0}m", secs / 60.0)
    } else {
        format!("{:.0}h", secs / 3600.0)
    }
}

/// Draws one pane: its frame with a health badge (the age of its data at `now`), an error line
/// when failing, then its data (a chart live, with nothing hidden and no markers).
pub fn draw_pane(
    buf: &mut Buffer,
    r: Rect,
    pane: &PaneSnapshot,
    now: f64,
    focused: bool,
    theme: &Theme,
) {
    draw_pane_with(buf, r, pane, now, focused, theme, &Look::plain());
}

/// [`draw_pane`] with the view's window, cursor, hidden series and markers.
pub fn draw_pane_with(
    buf: &mut Buffer,
    r: Rect,
    pane: &PaneSnapshot,
    now: f64,
    focused: bool,
    theme: &Theme,
    look: &Look<'_>,
) {
    let (def, st) = (&*pane.def, &pane.state);
    let badge = match st.status {
        Status::Waiting => "…".to_string(),
        Status::Ok => st
            .last_success
            .map_or_else(String::new, |t| age((now - t).max(0.0))),
        Status::Stale => "stale".into(),
        Status::Error => "error".into(),
    };
    let inner = block(
        buf,
        r,
        format!("{} · {badge}", clean(&def.title)),
        focused,
        theme,
    );
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let mut body = inner;
    if st.status == Status::Error
        && let Some(e) = &st.last_error
    {
        let retry = st.next_poll.map_or_else(String::new, |t| {
            format!(" · retry in {}", age((t - now).max(0.0)))
        });
        let msg = format!("▲ {}{retry}", clean(&e.message));
        // With no data to show, the whole pane may say what is wrong and what to fix.
        let most = if st.has_data() {
            2
        } else {
            inner.height as usize
        };
        for (n, l) in wrap(&msg, inner.width as usize)
            .iter()
            .take(most.min(inner.height as usize))
            .enumerate()
        {
            paint::stringn(
                buf,
                inner.x,
                inner.y + n as u16,
                l,
                inner.width as usize,
                theme.style(Meaning::Critical),
            );
        }
        let used = wrap(&msg, inner.width as usize).len().min(most) as u16;
        body = Rect {
            y: inner.y + used,
            height: inner.height.saturating_sub(used),
            ..inner
        };
    } else if st.status == Status::Waiting {
        paint::stringn(
            buf,
            inner.x,
            inner.y,
            "waiting for the first reading…",
            inner.width as usize,
            theme.style(Meaning::Muted),
        );
        return;
    }
    if body.height == 0 {
        return;
    }
    match def.kind {
        Display::Chart => {
            let (t0, t1) = look.nav.window(natural_span(def, st), now);
            let hidden: Vec<String> = look
                .hidden
                .iter()
                .filter(|(p, _)| *p == def.id)
                .map(|(_, s)| s.clone())
                .collect();
            let marks = annotation::in_window(look.marks, t0, t1);
            let cx = chart::ChartCtx {
                t0,
                t1,
                cursor: look.nav.cursor_at((t0, t1)),
                hidden: &hidden,
                marks: &marks,
                backfill: look.backfill.iter().find(|b| b.pane == def.id),
                offset: look.utc_offset,
            };
            chart::draw(buf, body, def, st, &cx, theme);
        }
        Display::Gauge => gauges(buf, body, def, st, theme),
        Display::List => list(buf, body, def, st, theme),
        Display::Log => log(buf, body, st, theme),
        Display::Slo => slo(buf, body, st, theme),
        Display::Alerts => match &st.alert_groups {
            Some(g) => alert_groups::draw(buf, body, g, now, theme),
            None => alerts(buf, body, st, theme),
        },
    }
}
