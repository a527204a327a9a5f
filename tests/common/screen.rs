//! Screens drawn into a ratatui `Buffer`, as the tests that draw a view directly read them:
//! the text a user would see, and the keys a vista view is driven by.

use gamelan::input::{Input, Key};
use gamelan::ui::theme::Theme;
use gamelan::ui::vista::{VistaView, draw};
use gamelan::ui::vista_input::hit_areas;
use gamelan::vista::VistaSnapshot;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The buffer's rows as text, each trimmed at the end, joined by newlines.
pub fn rows(buf: &Buffer) -> String {
    let a = buf.area;
    (0..a.height)
        .map(|y| {
            (0..a.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `draw` paints on an empty `w`x`h` screen, as [`rows`].
pub fn drawn(w: u16, h: u16, draw: impl FnOnce(&mut Buffer, Rect)) -> String {
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    draw(&mut buf, area);
    rows(&buf)
}

/// Where `needle` first stands on the screen, as (column, row).
pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    rows(buf).lines().enumerate().find_map(|(y, l)| {
        l.find(needle)
            .map(|i| (l[..i].chars().count() as u16, y as u16))
    })
}

/// A vista snapshot drawn at `now` into a `w`x`h` buffer, the view synced first as the
/// shell does before every frame.
pub fn vista(
    snap: &VistaSnapshot,
    view: &mut VistaView,
    now: f64,
    (w, h): (u16, u16),
    theme: &Theme,
) -> Buffer {
    view.sync(snap, now);
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    draw(&mut buf, area, snap, now, view, theme);
    buf
}

/// Types `keys` into a vista view on a screen of `area`, one character a key, hit areas
/// recomputed before each as the shell does.
pub fn press_vista(view: &mut VistaView, snap: &VistaSnapshot, keys: &str, area: Rect) {
    for c in keys.chars() {
        let areas = hit_areas(snap, view, area);
        view.on_input(&Input::Key(Key::char(c)), snap.panes.len(), &areas, area);
    }
}
