//! Where each part of a session screen goes. Drawing and click handling both ask
//! [`Layout::of`], so a click lands on what was drawn under it.

use ratatui::layout::Rect;

/// The smallest screen drawn; below it the screen says it is too small.
pub const MIN: (u16, u16) = (32, 8);

/// Width of the seats panel, drawn on the right of wide screens.
const SEATS_W: u16 = 30;

/// The parts of a session screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The one-line strip: the session, the segment, its clock.
    pub strip: Rect,
    /// Every segment of the setlist with its clock (tall screens).
    pub setlist: Option<Rect>,
    /// This seat, the roles and who is here.
    pub people: Option<Rect>,
    /// The segment's own body.
    pub body: Rect,
    /// Every seat with its role (wide screens).
    pub seats: Option<Rect>,
    pub status: Rect,
}

impl Layout {
    pub fn of(area: Rect) -> Layout {
        let line = |y: u16| Rect::new(area.x, y, area.width, 1);
        let strip = line(area.y);
        let status = line(area.bottom().saturating_sub(1));
        let mut top = area.y + 1;
        let setlist = (area.height >= 14).then(|| {
            top += 1;
            line(top - 1)
        });
        let people = (area.height >= 10).then(|| {
            top += 1;
            line(top - 1)
        });
        let height = status.y.saturating_sub(top);
        let mut body = Rect::new(area.x, top, area.width, height);
        let seats = (area.width >= 130 && height >= 8).then(|| {
            body.width -= SEATS_W;
            Rect::new(body.right(), top, SEATS_W, height)
        });
        Layout {
            strip,
            setlist,
            people,
            body,
            seats,
            status,
        }
    }
}

/// Splits `r` into a left part and a right column of `w` cells (none when `r` is too narrow
/// for both).
pub fn side(r: Rect, w: u16, min_left: u16) -> (Rect, Option<Rect>) {
    if r.width < w + min_left {
        return (r, None);
    }
    let left = Rect {
        width: r.width - w,
        ..r
    };
    (left, Some(Rect::new(left.right(), r.y, w, r.height)))
}

/// The top `h` rows of `r`, and the rest.
pub fn top(r: Rect, h: u16) -> (Rect, Rect) {
    let h = h.min(r.height);
    (
        Rect { height: h, ..r },
        Rect {
            y: r.y + h,
            height: r.height - h,
            ..r
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_tile_the_screen_at_every_size() {
        for w in MIN.0..=300 {
            for h in MIN.1..=100 {
                let area = Rect::new(0, 0, w, h);
                let l = Layout::of(area);
                let rows = 2
                    + u16::from(l.setlist.is_some())
                    + u16::from(l.people.is_some())
                    + l.body.height;
                assert_eq!(rows, h, "{w}x{h}: {l:?}");
                let cols = l.body.width + l.seats.map_or(0, |s| s.width);
                assert_eq!(cols, w, "{w}x{h}");
            }
        }
    }
}
