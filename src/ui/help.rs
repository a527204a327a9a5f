//! The console's own keys, listed once for the help overlay and the README.

/// Keys the console binds in a drill, besides the scenario's cue keys.
pub const CONSOLE_KEYS: &[(&str, &str)] = &[
    ("space", "pause / resume the metronome (facilitator)"),
    ("+ -", "tempo up / down by 10 BPM (facilitator)"),
    ("tab", "move focus to the next pane (shift-tab: back)"),
    ("enter", "zoom the focused pane (esc: back)"),
    ("↑ ↓", "scroll the feed or runbook (PgUp/PgDn: faster)"),
    ("[ ]", "previous / next revealed runbook page"),
    ("n", "write a note at the current beat"),
    ("h", "reveal the next hint (counted in the debrief)"),
    ("c", "fire a contingency inject (facilitator)"),
    ("?", "this help"),
    ("q", "quit (asks while the drill runs)"),
];
