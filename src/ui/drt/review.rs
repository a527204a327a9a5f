//! The reviewed diff of a save into a scenario file, drawn over the table: only the changed
//! lines and a little context, so a person sees what would be written before `y` writes it.

use crate::drt::LineDiff;
use crate::ui::theme::{Meaning, Theme};
use crate::ui::widgets::text::fit;
use crate::ui::widgets::{block, paint, popup};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};

pub fn draw(buf: &mut Buffer, area: Rect, r: &super::Review, theme: &Theme) {
    let p = popup(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(3),
    );
    Clear.render(p, buf);
    paint::fill_style(buf, p, theme.style(Meaning::Text));
    let what = if r.copy {
        "write a copy to"
    } else {
        "save into"
    };
    let inner = block(buf, p, format!("{what} {}", r.target), true, theme);
    let changed = r
        .diff
        .iter()
        .filter(|d| !matches!(d, LineDiff::Same(_)))
        .count();
    let head = if r.copy {
        format!(
            "a bundled scenario: this writes a copy into the config directory ({changed} lines change); y writes, n leaves it"
        )
    } else {
        format!("{changed} lines change; y writes, n leaves it")
    };
    paint::stringn(
        buf,
        inner.x + 1,
        inner.y,
        fit(&head, usize::from(inner.width.saturating_sub(2))),
        usize::from(inner.width),
        theme.style(Meaning::Accent),
    );
    // Only the changes and a line of context around them.
    let shown = context(&r.diff);
    for (n, d) in shown
        .iter()
        .skip(r.top)
        .take(usize::from(inner.height.saturating_sub(1)))
        .enumerate()
    {
        let st = match d {
            Some(LineDiff::Added(_)) => theme.style(Meaning::Healthy),
            Some(LineDiff::Removed(_)) => theme.style(Meaning::Critical),
            _ => theme.style(Meaning::Muted),
        };
        let text = d.as_ref().map_or("  …".to_string(), |d| d.to_string());
        paint::stringn(
            buf,
            inner.x + 1,
            inner.y + 1 + n as u16,
            fit(&text, usize::from(inner.width.saturating_sub(2))),
            usize::from(inner.width),
            st,
        );
    }
}

/// The diff's changed lines with two of context either side; `None` where lines are left out.
pub fn context(diff: &[LineDiff]) -> Vec<Option<&LineDiff>> {
    let near = |i: usize| {
        (i.saturating_sub(2)..(i + 3).min(diff.len()))
            .any(|j| !matches!(diff[j], LineDiff::Same(_)))
    };
    let mut out = Vec::new();
    let mut gap = false;
    for (i, d) in diff.iter().enumerate() {
        if near(i) {
            out.push(Some(d));
            gap = false;
        } else if !gap {
            out.push(None);
            gap = true;
        }
    }
    out
}
