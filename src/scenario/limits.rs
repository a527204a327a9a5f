//! Every bound on a scenario file, in one place: what a drill can use, so that a file that
//! passes `gamelan check` can be played, recorded and drawn without surprises (no endless
//! timelines, no ids that cannot name a recording, no NaN that silently disables an alert).
//! docs/scenario-format.md and docs/limits.md state each of them.

/// The largest scenario file read: 8 MiB (32 signals of captured samples, 11,000 each, fit).
pub const MAX_FILE_BYTES: usize = 8 << 20;

/// The largest scenario source a recording carries in its header: 1 MiB (every bundled
/// scenario is under 32 KiB). A larger scenario is recorded by id and hash only, and replays
/// where the catalogue has it; a header carrying more is refused.
pub const MAX_EMBEDDED_SOURCE_BYTES: usize = 1 << 20;

/// `[scenario] length_bars`: at most 4096 bars.
pub const MAX_BARS: u32 = 4096;
/// `[tempo] beats_per_bar`: 1 to 16.
pub const MAX_BEATS_PER_BAR: u32 = 16;
/// The longest timeline, in beats (4096 bars of 16): also the bound on every duration in beats
/// when the timeline's own length is unknown.
pub const MAX_BEATS: u64 = MAX_BARS as u64 * MAX_BEATS_PER_BAR as u64;
/// `[tempo] bpm`: 1 to 600 beats per minute.
pub const MAX_BPM: u32 = 600;
/// `[tempo] story_seconds_per_beat`: 1 to 3600 (an hour of story per beat).
pub const MAX_STORY_SECONDS_PER_BEAT: u32 = 3600;
/// `[scenario] duration_minutes`: 1 to 1440 (a day).
pub const MAX_DURATION_MINUTES: u32 = 1440;
/// Each `[targets]` time: at most 10080 story minutes (a week).
pub const MAX_TARGET_MINUTES: u32 = 10_080;
/// An SLO's `window_bars`: 1 to 65536 bars (a window may be longer than the drill).
pub const MAX_WINDOW_BARS: u32 = 65_536;

/// The magnitude bound on every value-like number (baselines, min/max, healthy ranges,
/// samples, thresholds, effect amounts, noise): 1e15, a petabyte in bytes. The drill also
/// holds every computed signal value within it, so sums and products of effects stay finite
/// and charts (which draw in single precision) stay exact enough.
pub const VALUE_LIMIT: f64 = 1e15;
/// A `multiply` effect's `factor`: 0 to 1000.
pub const MAX_FACTOR: f64 = 1000.0;

/// `[[roles]]` entries: a seat picks one from a short list.
pub const MAX_ROLES: usize = 16;
/// `[[objectives]]` entries.
pub const MAX_OBJECTIVES: usize = 32;
/// `[[signals]]` entries: each is a pane row the console draws every beat.
pub const MAX_SIGNALS: usize = 32;
/// `[[alerts]]` entries.
pub const MAX_ALERTS: usize = 64;
/// `[[injects]]` entries.
pub const MAX_INJECTS: usize = 256;
/// `[[cues]]` entries: each needs its own key.
pub const MAX_CUES: usize = 64;
/// `[[runbook]]` pages.
pub const MAX_PAGES: usize = 64;
/// `[[hints]]` rungs.
pub const MAX_HINTS: usize = 32;
/// `[[red_herrings]]` entries.
pub const MAX_HERRINGS: usize = 32;
/// Effects on one inject or cue.
pub const MAX_EFFECTS: usize = 16;
/// Any other list inside an entry (tags, roles, reveals, requires, marks, a red herring's cues
/// and signals, debrief questions and decisions).
pub const MAX_LIST: usize = 32;

/// The scenario id: 1 to 40 letters, digits, `-` and `_`, starting with a letter or digit. It
/// names recording files and, by default, a hosted drill, whose socket name allows 40.
pub const MAX_SCENARIO_ID_CHARS: usize = 40;
/// Any other id: 1 to 64 characters, one word of a cue script (no spaces, no control
/// characters, no `#`).
pub const MAX_ID_CHARS: usize = 64;
/// A one-line text (titles, names, labels, personas, units, summaries of alerts): at most 200
/// characters.
pub const MAX_LINE_CHARS: usize = 200;
/// A text (briefings, inject and hint texts, notes, descriptions, debrief material): at most
/// 4000 characters. (Control characters in texts are not refused: screens drop them when
/// drawing.)
pub const MAX_TEXT_CHARS: usize = 4000;
/// A runbook page's body: at most 20000 characters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// The `vista` path: at most 1024 characters.
pub const MAX_PATH_CHARS: usize = 1024;

/// `[[flags]]` entries: flags and counters.
pub const MAX_FLAGS: usize = 64;
/// `[[decisions]]` entries.
pub const MAX_DECISIONS: usize = 32;
/// Options of one decision: 2 to 9 (the prompt lists them all).
pub const MAX_OPTIONS: usize = 9;
/// `[[events]]` series.
pub const MAX_EVENT_SERIES: usize = 8;
/// `outcomes` of one cue.
pub const MAX_OUTCOMES: usize = 8;
/// How deeply `all`, `any` and `not` may nest in one condition.
pub const MAX_COND_DEPTH: usize = 8;
/// Markers a drill keeps per event series (the oldest go first).
pub const MAX_MARKERS: usize = 4096;
/// A `slow` effect's `lag`: at most 512 beats, the history a pane keeps to draw from.
pub const MAX_LAG_BEATS: u32 = 512;
