//! The buffer writes every screen repeats, done cell for cell as ratatui does them but without
//! its general machinery where the input allows: a full drill console at 200x60 must draw in
//! under 0.2 ms. Each function leaves the buffer exactly as the ratatui call it replaces would
//! (the screens' snapshot tests and this module's tests hold them to that).

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{BorderType, Widget};

/// `buf.set_style(area, style)`, a row at a time.
pub fn fill_style(buf: &mut Buffer, area: Rect, style: impl Into<Style>) {
    let style = style.into();
    let area = buf.area.intersection(area);
    if area.is_empty() {
        return;
    }
    for y in area.top()..area.bottom() {
        let start = buf.index_of(area.x, y);
        for cell in &mut buf.content[start..start + usize::from(area.width)] {
            cell.set_style(style);
        }
    }
}

/// Whether `c` is always a grapheme of its own, whatever comes before or after it: printable
/// ASCII, and the Latin, punctuation, arrow, box, block, shape and symbol ranges the screens
/// draw with. None of them is a control, a mark that joins the character before, a joiner, a
/// prefix, a regional indicator or Hangul, so a string of them splits into graphemes at every
/// character.
fn own_grapheme(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{a0}'..='\u{ac}'
        | '\u{ae}'..='\u{2ff}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205e}'
        | '\u{2190}'..='\u{2bff}')
}

/// `buf.set_stringn(x, y, s, max_width, style)`: the text's graphemes from (x, y), at most
/// `max_width` cells and not past the buffer's right edge, control characters and zero-width
/// graphemes left out, the cells a wide grapheme covers reset; returns where it stopped. Text
/// made only of characters that are graphemes of their own (nearly all a screen shows) skips
/// grapheme segmentation; other text goes to ratatui.
pub fn stringn(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    s: impl AsRef<str>,
    max_width: usize,
    style: impl Into<Style>,
) -> (u16, u16) {
    let (s, style) = (s.as_ref(), style.into());
    if !s.chars().all(own_grapheme) {
        return buf.set_stringn(x, y, s, max_width, style);
    }
    let max_width = u16::try_from(max_width).unwrap_or(u16::MAX);
    let mut remaining = buf.area.right().saturating_sub(x).min(max_width);
    let mut at = x;
    let mut row = None;
    for (i, c) in s.char_indices() {
        let symbol = &s[i..i + c.len_utf8()];
        let width = symbol.cell_width();
        if width == 0 {
            continue;
        }
        let Some(left) = remaining.checked_sub(width) else {
            break;
        };
        remaining = left;
        let start = *row.get_or_insert_with(|| buf.index_of(x, y));
        let cells = &mut buf.content[start..];
        let k = usize::from(at - x);
        cells[k].set_symbol(symbol).set_style(style);
        for hidden in &mut cells[k + 1..k + usize::from(width)] {
            hidden.reset();
        }
        at += width;
    }
    (at, y)
}

/// `buf.set_string(x, y, s, style)`.
pub fn string(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    s: impl AsRef<str>,
    style: impl Into<Style>,
) -> (u16, u16) {
    stringn(buf, x, y, s, usize::MAX, style)
}

/// A block with every border, of `kind`, in `border_style`, with `title` left at the top:
/// what rendering ratatui's `Block::bordered().border_type(kind).border_style(border_style)
/// .title(title)` leaves, without its pass over every cell of the area (which, with no style of
/// its own, changes none).
pub fn bordered(
    buf: &mut Buffer,
    area: Rect,
    kind: BorderType,
    border_style: Style,
    title: Span<'_>,
) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let set = kind.to_border_set();
    let (left, top) = (area.left(), area.top());
    let (right, bottom) = (area.right() - 1, area.bottom() - 1);
    let mut put = |x: u16, y: u16, symbol: &str| {
        buf[(x, y)].set_symbol(symbol).set_style(border_style);
    };
    // Sides, then corners, in ratatui's order (it matters only when the area is one cell wide
    // or high).
    for y in top..=bottom {
        put(left, y, set.vertical_left);
    }
    for x in left..=right {
        put(x, top, set.horizontal_top);
    }
    for y in top..=bottom {
        put(right, y, set.vertical_right);
    }
    for x in left..=right {
        put(x, bottom, set.horizontal_bottom);
    }
    put(right, bottom, set.bottom_right);
    put(right, top, set.top_right);
    put(left, bottom, set.bottom_left);
    put(left, top, set.top_left);
    let line = Line::from(title);
    let room = area.width.saturating_sub(2);
    if room > 0 {
        let width = u16::try_from(line.width()).unwrap_or(u16::MAX).min(room);
        line.render(Rect::new(left + 1, top, width, 1), buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};
    use ratatui::widgets::{Block, Borders};

    fn styles() -> [Style; 3] {
        [
            Style::default(),
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::default()
                .bg(Color::Blue)
                .remove_modifier(Modifier::BOLD),
        ]
    }

    /// A buffer with something in every cell, so that what a call leaves alone shows too.
    fn busy(area: Rect) -> Buffer {
        let mut buf = Buffer::empty(area);
        for (i, cell) in buf.content.iter_mut().enumerate() {
            cell.set_char(char::from(b'a' + (i % 26) as u8))
                .set_style(styles()[i % 3].fg(Color::Indexed(i as u8)));
        }
        buf
    }

    const TEXTS: &[&str] = &[
        "",
        "plain ascii",
        "tab\there\r\nand\x07bell\x1b[2J",
        "· — … ▲ ✓ █░ ◆◇ ↓ × é ╭─╮",
        "wide 漢字 and emoji ✅ here",
        "combining e\u{301} and zwj 👩\u{200d}💻 and flags 🇳🇱",
        "soft\u{ad}hyphen zero\u{200b}width nbsp\u{a0}x",
        "\u{85}next-line \u{2028}sep",
        "한국어 ﾊﾟ halfwidth",
    ];

    #[test]
    fn stringn_leaves_what_set_stringn_leaves() {
        let area = Rect::new(2, 1, 30, 3);
        for text in TEXTS {
            for x in [0, 2, 5, 20, 31, 32] {
                for max in [0, 1, 3, 7, 40, usize::MAX] {
                    for st in styles() {
                        let (mut a, mut b) = (busy(area), busy(area));
                        let ra = a.set_stringn(x.max(2), 2, text, max, st);
                        let rb = stringn(&mut b, x.max(2), 2, text, max, st);
                        assert_eq!(a, b, "{text:?} at {x} max {max}");
                        assert_eq!(ra, rb, "{text:?} at {x} max {max}");
                    }
                }
            }
        }
    }

    #[test]
    fn fill_style_is_set_style() {
        let area = Rect::new(1, 1, 12, 5);
        for r in [
            Rect::new(0, 0, 20, 20),
            Rect::new(3, 2, 4, 2),
            Rect::new(12, 5, 3, 3),
            Rect::new(2, 2, 0, 3),
            Rect::new(40, 40, 2, 2),
        ] {
            for st in styles() {
                let (mut a, mut b) = (busy(area), busy(area));
                a.set_style(r, st);
                fill_style(&mut b, r, st);
                assert_eq!(a, b, "{r:?}");
            }
        }
    }

    #[test]
    fn bordered_is_ratatuis_block() {
        let area = Rect::new(0, 0, 16, 6);
        for r in [
            Rect::new(0, 0, 16, 6),
            Rect::new(2, 1, 10, 4),
            Rect::new(3, 3, 1, 3),
            Rect::new(3, 3, 5, 1),
            Rect::new(1, 1, 2, 2),
            Rect::new(12, 4, 10, 10),
            Rect::new(20, 20, 3, 3),
        ] {
            for kind in [BorderType::Rounded, BorderType::Thick] {
                for title in ["", " x ", " a long title that is cut ", " 漢字 · ✅ "] {
                    for st in styles() {
                        let span = Span::styled(title, styles()[1]);
                        let (mut a, mut b) = (busy(area), busy(area));
                        Block::default()
                            .borders(Borders::ALL)
                            .border_type(kind)
                            .border_style(st)
                            .title(span.clone())
                            .render(r, &mut a);
                        bordered(&mut b, r, kind, st, span);
                        assert_eq!(a, b, "{r:?} {kind:?} {title:?}");
                    }
                }
            }
        }
    }
}
