//! What the shell around a screen adds to its frame: the notice line, the room's news, the
//! pulse, a ghost run on the timeline, live panes. Plain values, set by the shell and read by
//! the views.

/// Another run of the same scenario, drawn under the timeline for comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ghost {
    pub label: String,
    pub marks: [Option<u64>; 4],
    pub cues: Vec<u64>,
}

/// What the shell around the console adds to a frame.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    /// The metronome's pulse is lit (for a moment after each beat).
    pub pulse: bool,
    /// A label for the status line, e.g. `REPLAY ×2`.
    pub mode: Option<String>,
    /// A problem to keep on the status line (a bad theme or config file).
    pub notice: Option<String>,
    /// News from the room around the drill, for a few beats (a session's notices: who joined,
    /// left or came back, who presents, facilitates or conducts now). Shown beside the key
    /// hints, never instead of them.
    pub news: Option<String>,
    /// Another run of the same scenario drawn on the timeline.
    pub ghost: Option<Ghost>,
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
