//! The tour's card: the focused pane's note over the grid, one pane at a time.

use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::block;
use crate::ui::widgets::paint;
use crate::ui::widgets::text::{clean, wrap};
use crate::vista::PaneDef;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};

pub(super) fn tour_card(
    buf: &mut Buffer,
    body: Rect,
    def: &PaneDef,
    n: usize,
    total: usize,
    theme: &Theme,
) {
    let w = body.width.saturating_sub(4).clamp(20, 72);
    let note = if def.note.trim().is_empty() {
        "(no note for this pane yet: add `note = \"…\"` in vista.toml)"
    } else {
        def.note.trim()
    };
    let lines = wrap(
        &crate::ui::widgets::reflow(note),
        w.saturating_sub(4) as usize,
    );
    let h = lines.len() as u16 + 4;
    let r = Rect {
        x: body.x + (body.width.saturating_sub(w)) / 2,
        y: body.bottom().saturating_sub(h + 1),
        width: w.min(body.width),
        height: h.min(body.height),
    };
    Clear.render(r, buf);
    buf.set_style(r, theme.style(Meaning::Text));
    let inner = block(
        buf,
        r,
        format!("tour {}/{} · {}", n + 1, total, clean(&def.title)),
        true,
        theme,
    );
    for (i, l) in lines
        .iter()
        .enumerate()
        .take(inner.height.saturating_sub(1) as usize)
    {
        paint::stringn(
            buf,
            inner.x + 1,
            inner.y + i as u16,
            l,
            inner.width.saturating_sub(1) as usize,
            theme.style(Meaning::Text),
        );
    }
    if inner.height > 0 {
        paint::stringn(
            buf,
            inner.x + 1,
            inner.bottom() - 1,
            "→ next · ← back · esc ends the tour",
            inner.width as usize,
            theme.style(Meaning::Muted),
        );
    }
}
