//! The colours a peer's terminal can show. A seat is drawn with the theme's colours and its
//! backend maps every cell to the peer's colour depth as it encodes it: truecolour as is, the
//! xterm 256-colour palette, the 16 ANSI colours, or none at all. The depth comes from what
//! the peer says of its terminal (`TERM`, `COLORTERM`, `NO_COLOR`), never from the server's.

use ratatui::style::Color;

/// How many colours a terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColourDepth {
    /// No colour (`NO_COLOR`, `TERM=dumb`): meanings are told apart by emphasis alone.
    None,
    /// The 16 ANSI colours (`TERM=xterm`, `linux`, `vt100`…).
    Ansi16,
    /// The xterm 256-colour palette (`TERM=*-256color`; also when nothing is said).
    Ansi256,
    /// 24-bit colour (`COLORTERM=truecolor` or `24bit`, `TERM=*-direct`, terminals known to
    /// have it).
    TrueColour,
}

/// Terminals whose `TERM` does not say so but that show 24-bit colour.
const TRUECOLOUR_TERMS: &[&str] = &[
    "xterm-kitty",
    "xterm-ghostty",
    "alacritty",
    "foot",
    "wezterm",
    "contour",
    "iterm2",
];

impl ColourDepth {
    /// The depth a terminal described by these variables shows. `NO_COLOR` (present and not
    /// empty, as no-color.org says) and `TERM=dumb` win; then `COLORTERM`; then `TERM`.
    /// A peer that says nothing at all gets 256 colours, which nearly every terminal shows.
    pub fn detect(term: Option<&str>, colorterm: Option<&str>, no_color: Option<&str>) -> Self {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return ColourDepth::None;
        }
        let term = term.map(str::trim).unwrap_or("").to_ascii_lowercase();
        if term == "dumb" {
            return ColourDepth::None;
        }
        let colorterm = colorterm.unwrap_or("").trim().to_ascii_lowercase();
        if matches!(colorterm.as_str(), "truecolor" | "24bit") {
            return ColourDepth::TrueColour;
        }
        if term.is_empty() {
            return ColourDepth::Ansi256;
        }
        if term.ends_with("-direct")
            || term.contains("truecolor")
            || term.contains("24bit")
            || TRUECOLOUR_TERMS.contains(&term.as_str())
        {
            ColourDepth::TrueColour
        } else if term.contains("256color") {
            ColourDepth::Ansi256
        } else {
            ColourDepth::Ansi16
        }
    }

    /// A short name for the lobby and the docs.
    pub fn label(self) -> &'static str {
        match self {
            ColourDepth::None => "no colour",
            ColourDepth::Ansi16 => "16 colours",
            ColourDepth::Ansi256 => "256 colours",
            ColourDepth::TrueColour => "truecolour",
        }
    }

    /// `colour` as this depth shows it: the nearest colour the terminal has, or the terminal's
    /// default when it shows none.
    pub fn map(self, colour: Color) -> Color {
        match (self, colour) {
            (_, Color::Reset) | (ColourDepth::TrueColour, _) => colour,
            (ColourDepth::None, _) => Color::Reset,
            (ColourDepth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
            (ColourDepth::Ansi256, c) => c,
            (ColourDepth::Ansi16, Color::Rgb(r, g, b)) => ANSI[nearest_16(r, g, b)].0,
            (ColourDepth::Ansi16, Color::Indexed(i)) if i < 16 => ANSI[usize::from(i)].0,
            (ColourDepth::Ansi16, Color::Indexed(i)) => {
                let (r, g, b) = rgb_of_index(i);
                ANSI[nearest_16(r, g, b)].0
            }
            (ColourDepth::Ansi16, c) => c,
        }
    }
}

/// The 16 ANSI colours in index order, with xterm's default values for matching.
const ANSI: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The levels of the 256-colour cube's axes.
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

fn distance((r, g, b): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    let d = |a: u8, b: u8| u32::from(a.abs_diff(b)).pow(2);
    // Weighted by how strongly the eye sees each primary.
    3 * d(r, r2) + 4 * d(g, g2) + 2 * d(b, b2)
}

fn nearest_16(r: u8, g: u8, b: u8) -> usize {
    (0..16)
        .min_by_key(|&i| distance((r, g, b), ANSI[i].1))
        .unwrap_or(0)
}

/// The nearest entry of the cube (16–231) or the grey ramp (232–255).
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    let axis = |v: u8| (0..6).min_by_key(|&i| CUBE[i].abs_diff(v)).unwrap_or(0);
    let (ri, gi, bi) = (axis(r), axis(g), axis(b));
    let cube = (CUBE[ri], CUBE[gi], CUBE[bi]);
    let cube_index = 16 + 36 * ri + 6 * gi + bi;
    let mean = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let grey_step = (mean.saturating_sub(8) / 10).min(23) as u8;
    let grey = 8 + 10 * grey_step;
    if distance((r, g, b), (grey, grey, grey)) < distance((r, g, b), cube) {
        232 + grey_step
    } else {
        cube_index as u8
    }
}

/// The colour xterm shows for palette entry `i`.
fn rgb_of_index(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ANSI[usize::from(i)].1,
        16..=231 => {
            let n = usize::from(i - 16);
            (CUBE[n / 36], CUBE[n / 6 % 6], CUBE[n % 6])
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColourDepth::{Ansi16, Ansi256, TrueColour};
    const NONE: ColourDepth = ColourDepth::None;

    #[test]
    fn depth_follows_what_the_peer_says() {
        let d = ColourDepth::detect;
        assert_eq!(d(Some("xterm-256color"), None, None), Ansi256);
        assert_eq!(d(Some("screen-256color"), None, None), Ansi256);
        assert_eq!(d(Some("xterm"), None, None), Ansi16);
        assert_eq!(d(Some("linux"), None, None), Ansi16);
        assert_eq!(d(Some("dumb"), None, None), NONE);
        assert_eq!(
            d(Some("xterm-256color"), Some("truecolor"), None),
            TrueColour
        );
        assert_eq!(d(Some("xterm"), Some("24bit"), None), TrueColour);
        assert_eq!(d(Some("xterm-direct"), None, None), TrueColour);
        assert_eq!(d(Some("xterm-kitty"), None, None), TrueColour);
        assert_eq!(d(None, None, None), Ansi256);
        // NO_COLOR wins over everything, but only when not empty.
        assert_eq!(
            d(Some("xterm-256color"), Some("truecolor"), Some("1")),
            NONE
        );
        assert_eq!(d(Some("xterm-256color"), None, Some("")), Ansi256);
        assert_eq!(d(Some("dumb"), Some("truecolor"), None), NONE);
    }

    #[test]
    fn colours_come_down_to_what_the_terminal_has() {
        let orange = Color::Rgb(255, 135, 0);
        assert_eq!(TrueColour.map(orange), orange);
        assert_eq!(Ansi256.map(orange), Color::Indexed(208));
        assert_eq!(Ansi256.map(Color::Rgb(128, 128, 128)), Color::Indexed(244));
        assert_eq!(Ansi256.map(Color::Cyan), Color::Cyan);
        assert_eq!(Ansi256.map(Color::Indexed(240)), Color::Indexed(240));
        assert_eq!(Ansi16.map(Color::Rgb(250, 10, 10)), Color::LightRed);
        assert_eq!(Ansi16.map(Color::Indexed(1)), Color::Red);
        assert_eq!(Ansi16.map(Color::Indexed(236)), Color::Black);
        assert_eq!(Ansi16.map(Color::Indexed(245)), Color::DarkGray);
        assert_eq!(Ansi16.map(Color::Green), Color::Green);
        assert_eq!(NONE.map(Color::Green), Color::Reset);
        assert_eq!(NONE.map(Color::Rgb(1, 2, 3)), Color::Reset);
        assert_eq!(Ansi16.map(Color::Reset), Color::Reset);
    }

    #[test]
    fn every_palette_entry_maps_back_to_itself_in_256() {
        for i in 16..=255u8 {
            let (r, g, b) = rgb_of_index(i);
            let back = nearest_256(r, g, b);
            assert_eq!(
                rgb_of_index(back),
                (r, g, b),
                "entry {i} came back as {back}"
            );
        }
    }
}
