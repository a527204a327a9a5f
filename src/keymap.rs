//! The one table of the console's own keys: every action with its keys, its help text, the
//! screens it applies on and who may use it. The screens dispatch their keys through
//! [`lookup`], the help overlays are drawn from [`help`], and the scenario checker refuses cue
//! keys from [`reserved`], so the three can never drift apart. Pure data; it lives outside
//! `ui/` so that `scenario/` can read it without depending on the screens.

use crate::input::{Key, KeyCode};

/// Where a key is pressed: each screen (and each state of a screen that binds keys
/// differently) has its own scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The drill's briefing, before the metronome starts.
    Briefing,
    /// A drill that runs (or is paused): the scenario's cue keys are live here too.
    Drill,
    /// A drill that has ended.
    Ended,
    /// The trainer's replay console.
    Replay,
    /// A help overlay is open (on any screen).
    Help,
    /// Reading a document (the debrief).
    Document,
    /// The morning vista.
    Vista,
    /// The local lobby: the catalogue of scenarios.
    Lobby,
    /// The SSH lobby's first screen: open drills and scenarios.
    Rooms,
    /// The SSH lobby's role screen.
    Roles,
    /// The recordings library, from either lobby.
    Library,
    /// A question that needs a yes or a no (deleting or renaming a recording).
    Confirm,
    /// A seat in a live session (walkthrough, wheel, discussion, the write-up at the end).
    Session,
    /// The Decision Requirements Table (after a drill, in a replay, a session's `drt` segment).
    Drt,
}

impl Scope {
    pub const ALL: [Scope; 14] = [
        Scope::Briefing,
        Scope::Drill,
        Scope::Ended,
        Scope::Replay,
        Scope::Help,
        Scope::Document,
        Scope::Vista,
        Scope::Lobby,
        Scope::Rooms,
        Scope::Roles,
        Scope::Library,
        Scope::Confirm,
        Scope::Session,
        Scope::Drt,
    ];
}

/// Who may use a binding. The drill core enforces it (a seat that may not is rejected with a
/// reason); the table says it so help can show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Anyone,
    Facilitator,
}

/// What a binding does. Each screen handles the actions of its scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    /// Leave at once (Ctrl-C), whatever is open.
    Abort,
    Quit,
    Help,
    // The drill console.
    Start,
    Note,
    FocusNext,
    FocusPrev,
    Zoom,
    Unzoom,
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    PrevPage,
    NextPage,
    Pause,
    TempoUp,
    TempoDown,
    Hint,
    Contingency,
    Debrief,
    /// Write the HTML debrief beside the recording.
    DebriefHtml,
    // The replay's transport.
    StepBack,
    StepForward,
    PrevEvent,
    NextEvent,
    First,
    Last,
    JumpBar,
    Play,
    Slower,
    Faster,
    Fork,
    // Documents, lists and the vista.
    Save,
    Back,
    Top,
    Bottom,
    Prev,
    Next,
    Choose,
    Vista,
    Tour,
    Refresh,
    // The lobbies' catalogue filter.
    FilterFamily,
    FilterDifficulty,
    FilterLength,
    FilterTag,
    SortNext,
    ClearFilter,
    /// The team's record over time (the lobby's history view).
    History,
    // The vista's time and charts.
    TimeIn,
    TimeOut,
    PanBack,
    PanForward,
    Live,
    CursorBack,
    CursorForward,
    CursorOff,
    ToggleSeries,
    AllSeries,
    Search,
    SearchNext,
    SearchPrev,
    // The mouse (no keys; listed in help).
    Click,
    Wheel,
    // The recordings library.
    Recordings,
    FilterScenario,
    FilterSeat,
    FilterOutcome,
    ClearFilters,
    MarkGhost,
    Delete,
    Rename,
    Yes,
    No,
    // A live session.
    SegmentNext,
    SegmentBack,
    Extend,
    Skip,
    EndSession,
    HandPresenter,
    HandFacilitator,
    LookAround,
    RangeShorter,
    RangeLonger,
    Remark,
    Ask,
    Spin,
    SpinFor,
    Escalate,
    Pass,
    Found,
    Helped,
    NotFound,
    Themes,
    // The Decision Requirements Table.
    Table,
    /// A scribe's "decision here": marks the beat and the signals for the DRT.
    DecisionHere,
    Edit,
    AddRow,
    DeleteRow,
    ExportMarkdown,
    ExportCsv,
    ExportJson,
    ImportCsv,
    SaveScenario,
    // A matrix segment.
    MarkHard,
    MarkSoft,
    MarkUnknown,
    MarkKnows,
    MarkOwner,
    MarkClear,
    CellNote,
    /// In a session's drill segment: the setlist keys (then `>` `<` `+` `s`).
    Setlist,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub act: Act,
    /// The keys, the first the usual one. Empty for a mouse action.
    pub keys: &'static [Key],
    /// How help writes the keys, when not from the keys themselves (mouse actions).
    pub label: Option<&'static str>,
    /// What it does. Rows of one scope with the same text share a help line.
    pub help: &'static str,
    pub scopes: &'static [Scope],
    pub who: Who,
}

impl Binding {
    /// How the help shows this binding's keys: its label, or its keys side by side.
    pub fn keys_label(&self) -> String {
        match self.label {
            Some(l) => l.to_string(),
            None => self
                .keys
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

const fn b(
    act: Act,
    keys: &'static [Key],
    help: &'static str,
    scopes: &'static [Scope],
) -> Binding {
    Binding {
        act,
        keys,
        label: None,
        help,
        scopes,
        who: Who::Anyone,
    }
}

const fn facilitator(
    act: Act,
    keys: &'static [Key],
    help: &'static str,
    scopes: &'static [Scope],
) -> Binding {
    Binding {
        who: Who::Facilitator,
        ..b(act, keys, help, scopes)
    }
}

const fn mouse(
    act: Act,
    label: &'static str,
    help: &'static str,
    scopes: &'static [Scope],
) -> Binding {
    Binding {
        label: Some(label),
        ..b(act, &[], help, scopes)
    }
}

const fn ch(c: char) -> Key {
    Key::char(c)
}

const fn k(code: KeyCode) -> Key {
    Key::plain(code)
}

use Act as A;
use KeyCode as K;
use Scope as S;

const CONSOLE: &[Scope] = &[S::Drill, S::Ended, S::Replay];
const EVERY_HELP: &[Scope] = &[
    S::Briefing,
    S::Drill,
    S::Ended,
    S::Replay,
    S::Vista,
    S::Lobby,
    S::Rooms,
    S::Roles,
];

/// The table. Order is help order within each scope.
#[rustfmt::skip]
pub const KEYMAP: &[Binding] = &[
    // The briefing: what a person reads first, so every key they might press does something.
    b(A::Start, &[k(K::Enter)], "start the metronome (the facilitator starts it for everyone)", &[S::Briefing]),
    b(A::ScrollUp, &[k(K::Up)], "scroll a briefing longer than the screen", &[S::Briefing]),
    b(A::ScrollDown, &[k(K::Down)], "scroll a briefing longer than the screen", &[S::Briefing]),
    b(A::PageUp, &[k(K::PageUp)], "scroll a briefing longer than the screen", &[S::Briefing]),
    b(A::PageDown, &[k(K::PageDown)], "scroll a briefing longer than the screen", &[S::Briefing]),
    b(A::Note, &[ch('n')], "write a note at this beat (`TODO:` notes become action items)", &[S::Briefing, S::Drill, S::Ended]),
    // The drill console (and the replay, which shares its panes).
    facilitator(A::Pause, &[ch(' ')], "pause / resume the metronome", &[S::Drill]),
    facilitator(A::TempoUp, &[ch('+'), ch('=')], "tempo up / down by 10 BPM", &[S::Drill]),
    facilitator(A::TempoDown, &[ch('-')], "tempo up / down by 10 BPM", &[S::Drill]),
    b(A::FocusNext, &[k(K::Tab)], "move focus to the next / previous pane", CONSOLE),
    b(A::FocusPrev, &[k(K::BackTab)], "move focus to the next / previous pane", CONSOLE),
    b(A::Zoom, &[k(K::Enter)], "zoom the focused pane / back", CONSOLE),
    b(A::Unzoom, &[k(K::Esc)], "zoom the focused pane / back", CONSOLE),
    b(A::ScrollUp, &[k(K::Up)], "scroll the focused feed or runbook (PgUp/PgDn: 10 lines)", CONSOLE),
    b(A::ScrollDown, &[k(K::Down)], "scroll the focused feed or runbook (PgUp/PgDn: 10 lines)", CONSOLE),
    b(A::PageUp, &[k(K::PageUp)], "scroll the focused feed or runbook (PgUp/PgDn: 10 lines)", CONSOLE),
    b(A::PageDown, &[k(K::PageDown)], "scroll the focused feed or runbook (PgUp/PgDn: 10 lines)", CONSOLE),
    b(A::PrevPage, &[ch('[')], "previous / next revealed runbook page", CONSOLE),
    b(A::NextPage, &[ch(']')], "previous / next revealed runbook page", CONSOLE),
    facilitator(A::Hint, &[ch('h')], "reveal the next hint (counted in the debrief)", &[S::Drill]),
    facilitator(A::Contingency, &[ch('c')], "fire a contingency inject", &[S::Drill]),
    facilitator(A::Setlist, &[ch('S')], "in a session: move the setlist, then > next · < back · + 5 more minutes · s skip", &[S::Briefing, S::Drill, S::Ended]),
    b(A::Debrief, &[ch('d')], "the debrief (s saves it beside the recording)", &[S::Ended]),
    b(A::DebriefHtml, &[ch('H')], "write the HTML debrief beside the recording (shows its path)", &[S::Ended]),
    // The replay's transport.
    b(A::StepBack, &[k(K::Left)], "one beat back / forward", &[S::Replay]),
    b(A::StepForward, &[k(K::Right)], "one beat back / forward", &[S::Replay]),
    b(A::PrevEvent, &[ch(','), ch('<')], "previous / next cue or inject", &[S::Replay]),
    b(A::NextEvent, &[ch('.'), ch('>')], "previous / next cue or inject", &[S::Replay]),
    b(A::First, &[ch('g'), k(K::Home)], "first / last beat", &[S::Replay]),
    b(A::Last, &[ch('G'), k(K::End)], "first / last beat", &[S::Replay]),
    b(A::JumpBar, &[ch('b')], "jump to a bar: b, its number, enter", &[S::Replay]),
    b(A::Play, &[ch('p'), ch(' ')], "play / pause", &[S::Replay]),
    b(A::Slower, &[ch('-')], "speed ×0.5 ×1 ×2 ×4 ×8", &[S::Replay]),
    b(A::Faster, &[ch('+'), ch('=')], "speed ×0.5 ×1 ×2 ×4 ×8", &[S::Replay]),
    b(A::Fork, &[ch('f')], "fork: a live drill from this very beat, recorded anew", &[S::Replay]),
    b(A::Debrief, &[ch('d')], "the debrief of the whole recording", &[S::Replay]),
    // A document being read.
    b(A::ScrollUp, &[k(K::Up), ch('k')], "scroll (PgUp/PgDn, space: a screenful)", &[S::Document]),
    b(A::ScrollDown, &[k(K::Down), ch('j')], "scroll (PgUp/PgDn, space: a screenful)", &[S::Document]),
    b(A::PageUp, &[k(K::PageUp)], "scroll (PgUp/PgDn, space: a screenful)", &[S::Document]),
    b(A::PageDown, &[k(K::PageDown), ch(' ')], "scroll (PgUp/PgDn, space: a screenful)", &[S::Document]),
    b(A::Save, &[ch('s')], "save it beside the recording", &[S::Document]),
    b(A::Back, &[ch('q'), k(K::Esc)], "back", &[S::Document]),
    // A help overlay.
    b(A::ScrollUp, &[k(K::Up)], "scroll this help", &[S::Help]),
    b(A::ScrollDown, &[k(K::Down)], "scroll this help", &[S::Help]),
    b(A::PageUp, &[k(K::PageUp)], "scroll this help", &[S::Help]),
    b(A::PageDown, &[k(K::PageDown)], "scroll this help", &[S::Help]),
    b(A::Top, &[k(K::Home)], "scroll this help", &[S::Help]),
    b(A::Bottom, &[k(K::End)], "scroll this help", &[S::Help]),
    // The morning vista.
    b(A::Tour, &[ch('t')], "start / stop the tour: each pane's note, one at a time", &[S::Vista]),
    b(A::Next, &[k(K::Right), k(K::Tab), ch(' ')], "next / previous pane", &[S::Vista]),
    b(A::Prev, &[k(K::Left), k(K::BackTab)], "next / previous pane", &[S::Vista]),
    b(A::Zoom, &[k(K::Enter)], "zoom the focused pane / back (esc also ends the tour)", &[S::Vista]),
    b(A::Unzoom, &[k(K::Esc)], "zoom the focused pane / back (esc also ends the tour)", &[S::Vista]),
    b(A::Refresh, &[ch('r')], "refresh every pane now", &[S::Vista]),
    b(A::TimeIn, &[ch('+'), ch('=')], "zoom the time window in / out (every chart)", &[S::Vista]),
    b(A::TimeOut, &[ch('-')], "zoom the time window in / out (every chart)", &[S::Vista]),
    b(A::PanBack, &[ch('[')], "pan back / forward a quarter of the window", &[S::Vista]),
    b(A::PanForward, &[ch(']')], "pan back / forward a quarter of the window", &[S::Vista]),
    b(A::Live, &[ch('l'), k(K::End)], "back to live (again: each pane's own span)", &[S::Vista]),
    b(A::CursorBack, &[ch(','), ch('<')], "move the value cursor (each series' value, a marker's text)", &[S::Vista]),
    b(A::CursorForward, &[ch('.'), ch('>')], "move the value cursor (each series' value, a marker's text)", &[S::Vista]),
    b(A::CursorOff, &[ch('c')], "show / hide the value cursor", &[S::Vista]),
    b(A::ToggleSeries, &[ch('1'), ch('2'), ch('3'), ch('4'), ch('5'), ch('6'), ch('7'), ch('8'), ch('9')], "switch series 1-9 of the focused chart off / on (0: all on)", &[S::Vista]),
    b(A::AllSeries, &[ch('0')], "switch series 1-9 of the focused chart off / on (0: all on)", &[S::Vista]),
    b(A::Search, &[ch('/')], "find a pane by title: type, enter jumps; n / N next / previous", &[S::Vista]),
    b(A::SearchNext, &[ch('n')], "find a pane by title: type, enter jumps; n / N next / previous", &[S::Vista]),
    b(A::SearchPrev, &[ch('N')], "find a pane by title: type, enter jumps; n / N next / previous", &[S::Vista]),
    // The lobbies.
    b(A::Prev, &[k(K::Up), ch('k')], "choose", &[S::Lobby, S::Rooms, S::Roles]),
    b(A::Next, &[k(K::Down), ch('j')], "choose", &[S::Lobby, S::Rooms, S::Roles]),
    b(A::Top, &[k(K::Home)], "first / last", &[S::Rooms]),
    b(A::Bottom, &[k(K::End)], "first / last", &[S::Rooms]),
    b(A::Choose, &[k(K::Enter)], "start the selected drill", &[S::Lobby]),
    b(A::Choose, &[k(K::Enter), k(K::Right)], "pick: join the drill, or start a new one", &[S::Rooms]),
    b(A::Choose, &[k(K::Enter), k(K::Right)], "take this role", &[S::Roles]),
    b(A::Vista, &[ch('v')], "the morning vista", &[S::Lobby]),
    b(A::History, &[ch('h')], "the team's record: every recorded drill over time", &[S::Lobby]),
    b(A::Back, &[k(K::Esc), ch('q'), k(K::Left), k(K::Backspace)], "back to the list", &[S::Roles]),
    b(A::FilterFamily, &[ch('f')], "filter by family (again: the next one, then all)", &[S::Lobby, S::Rooms]),
    b(A::FilterDifficulty, &[ch('d')], "filter by difficulty (intro, intermediate, advanced, expert, all)", &[S::Lobby, S::Rooms]),
    b(A::FilterLength, &[ch('m')], "filter by length: at most 30, 45, 60, 90 minutes, then all", &[S::Lobby, S::Rooms]),
    b(A::FilterTag, &[ch('/')], "filter by a tag or family: type it, enter applies, esc cancels", &[S::Lobby, S::Rooms]),
    b(A::SortNext, &[ch('s')], "sort by id, difficulty, minutes, family", &[S::Lobby, S::Rooms]),
    b(A::ClearFilter, &[ch('x')], "clear the filter and the sort (esc also clears a filter before it quits)", &[S::Lobby, S::Rooms]),
    // Everywhere.
    b(A::Help, &[ch('?')], "this help", EVERY_HELP),
    b(A::Quit, &[ch('q')], "quit (asks while the drill runs)", &[S::Drill]),
    b(A::Quit, &[ch('q')], "leave", &[S::Briefing, S::Ended]),
    b(A::Quit, &[ch('q')], "quit", &[S::Replay, S::Vista]),
    b(A::Quit, &[ch('q'), k(K::Esc)], "quit", &[S::Lobby, S::Rooms]),
    b(A::Abort, &[Key::ctrl('c')], "quit at once", &[S::Briefing, S::Drill, S::Ended, S::Replay, S::Help, S::Document, S::Vista, S::Lobby, S::Rooms, S::Roles]),
    // The mouse: optional, never required.
    mouse(A::Click, "click", "focus a pane (double-click zooms); a cue: press it", CONSOLE),
    mouse(A::Wheel, "wheel", "scroll the feed or runbook under the pointer", CONSOLE),
    mouse(A::Click, "click", "focus a pane and put the cursor there (double-click zooms)", &[S::Vista]),
    mouse(A::Wheel, "wheel", "over a chart: time zoom in / out", &[S::Vista]),
    mouse(A::Click, "click", "choose (double-click: pick)", &[S::Lobby, S::Rooms, S::Roles]),
    mouse(A::Wheel, "wheel", "move through the list", &[S::Lobby, S::Rooms, S::Roles]),
    mouse(A::Wheel, "wheel", "scroll", &[S::Help, S::Document]),
    // The recordings library (local and SSH lobbies).
    b(A::Recordings, &[ch('r')], "recordings: replay, debrief, compare two runs", &[S::Lobby, S::Rooms]),
    b(A::Prev, &[k(K::Up), ch('k')], "choose a recording, the first, the last", &[S::Library]),
    b(A::Next, &[k(K::Down), ch('j')], "choose a recording, the first, the last", &[S::Library]),
    b(A::Top, &[k(K::Home)], "choose a recording, the first, the last", &[S::Library]),
    b(A::Bottom, &[k(K::End)], "choose a recording, the first, the last", &[S::Library]),
    b(A::Choose, &[k(K::Enter)], "replay it (the marked ghost on its timeline)", &[S::Library]),
    b(A::Debrief, &[ch('d')], "its debrief (beside the marked ghost's marks)", &[S::Library]),
    b(A::DebriefHtml, &[ch('H')], "write its HTML debrief beside it (shows the path)", &[S::Library]),
    b(A::MarkGhost, &[ch('g')], "mark it as the ghost to compare another run of its scenario with (again: unmark)", &[S::Library]),
    b(A::FilterScenario, &[ch('s')], "filter by scenario (again: the next one, then all)", &[S::Library]),
    b(A::FilterSeat, &[ch('w')], "filter by seat (again: the next one, then all)", &[S::Library]),
    b(A::FilterOutcome, &[ch('o')], "filter by outcome (again: the next one, then all)", &[S::Library]),
    b(A::ClearFilters, &[ch('a')], "all: clear the filters", &[S::Library]),
    b(A::Rename, &[ch('r')], "rename it (type the name, enter, then confirm)", &[S::Library]),
    b(A::Delete, &[ch('x'), k(K::Delete)], "delete it (asks first)", &[S::Library]),
    b(A::Help, &[ch('?')], "this help", &[S::Library]),
    b(A::Back, &[ch('q'), k(K::Esc)], "back to the lobby", &[S::Library]),
    b(A::Yes, &[ch('y')], "yes, do it", &[S::Confirm]),
    b(A::No, &[ch('n'), k(K::Esc)], "no, leave it as it is", &[S::Confirm]),
    b(A::Abort, &[Key::ctrl('c')], "quit at once", &[S::Library, S::Confirm]),
    // A live session: one scope for every segment; help groups them (ui::session::help).
    b(A::Help, &[ch('?')], "this help", &[S::Session]),
    b(A::Note, &[ch('n')], "write a note on this segment (`TODO:` notes become action items)", &[S::Session]),
    b(A::ScrollUp, &[k(K::Up)], "scroll the notes, the turns or the write-up", &[S::Session]),
    b(A::ScrollDown, &[k(K::Down)], "scroll the notes, the turns or the write-up", &[S::Session]),
    b(A::PageUp, &[k(K::PageUp)], "scroll the notes, the turns or the write-up", &[S::Session]),
    b(A::PageDown, &[k(K::PageDown)], "scroll the notes, the turns or the write-up", &[S::Session]),
    b(A::Top, &[k(K::Home)], "scroll the notes, the turns or the write-up", &[S::Session]),
    b(A::Bottom, &[k(K::End)], "scroll the notes, the turns or the write-up", &[S::Session]),
    b(A::FocusNext, &[k(K::Tab), k(K::Right)], "next / previous pane (the presenter moves everyone; others look around)", &[S::Session]),
    b(A::FocusPrev, &[k(K::BackTab), k(K::Left)], "next / previous pane (the presenter moves everyone; others look around)", &[S::Session]),
    b(A::Zoom, &[k(K::Enter)], "zoom the pane in focus / back (esc also ends the presenter's tour)", &[S::Session]),
    b(A::Unzoom, &[k(K::Esc)], "zoom the pane in focus / back (esc also ends the presenter's tour)", &[S::Session]),
    b(A::LookAround, &[ch('l')], "look around on your own / snap back to the presenter's view", &[S::Session]),
    b(A::Tour, &[ch('t')], "start / stop the tour for everyone (presenter)", &[S::Session]),
    b(A::RangeShorter, &[ch('[')], "the charts' time range shorter / longer (presenter; others look around)", &[S::Session]),
    b(A::RangeLonger, &[ch(']')], "the charts' time range shorter / longer (presenter; others look around)", &[S::Session]),
    b(A::PanBack, &[ch('{')], "pan the charts back / forward a quarter of the range, paused there (presenter; others look around)", &[S::Session]),
    b(A::PanForward, &[ch('}')], "pan the charts back / forward a quarter of the range, paused there (presenter; others look around)", &[S::Session]),
    b(A::Live, &[ch('L')], "the charts back to live (presenter; others look around)", &[S::Session]),
    b(A::Remark, &[ch('r')], "a remark on the pane in focus, shown beside it for everyone", &[S::Session]),
    b(A::Ask, &[ch('a')], "a question on the pane in focus, shown beside it for everyone", &[S::Session]),
    b(A::Spin, &[ch(' ')], "spin the wheel (when no turn is open)", &[S::Session]),
    b(A::Escalate, &[ch('e')], "I would escalate to… (the turn's person, or the facilitator)", &[S::Session]),
    b(A::Pass, &[ch('p')], "pass the turn (the turn's person, or the facilitator)", &[S::Session]),
    facilitator(A::SpinFor, &[ch('w')], "spin for someone: pick the seat that answers", &[S::Session]),
    facilitator(A::Found, &[ch('1')], "mark the turn: found / found with help / not found", &[S::Session]),
    facilitator(A::Helped, &[ch('2')], "mark the turn: found / found with help / not found", &[S::Session]),
    facilitator(A::NotFound, &[ch('3')], "mark the turn: found / found with help / not found", &[S::Session]),
    facilitator(A::Themes, &[ch('d')], "retire a theme from the wheel, or put it back", &[S::Session]),
    b(A::MarkHard, &[ch('h')], "matrix: mark the cell a hard dependency", &[S::Session]),
    b(A::MarkSoft, &[ch('f')], "matrix: mark the cell a soft dependency (it falls back)", &[S::Session]),
    b(A::MarkUnknown, &[ch('u')], "matrix: mark the cell unknown (nobody here knows)", &[S::Session]),
    b(A::MarkKnows, &[ch('k')], "matrix: \"I know how this works\" (a person or team column)", &[S::Session]),
    b(A::MarkOwner, &[ch('o')], "matrix: owner (a person or team column)", &[S::Session]),
    b(A::MarkClear, &[ch('x'), k(K::Delete)], "matrix: clear the cell's mark", &[S::Session]),
    b(A::CellNote, &[ch('c')], "matrix: a note on the cell (enter too); an empty note clears it", &[S::Session]),
    facilitator(A::SegmentNext, &[ch('>'), ch('.')], "start the session / the next segment (after the last: the end)", &[S::Session]),
    facilitator(A::SegmentBack, &[ch('<'), ch(',')], "back to the previous segment (its clock carries on)", &[S::Session]),
    facilitator(A::Extend, &[ch('+'), ch('=')], "give this segment 5 more minutes", &[S::Session]),
    facilitator(A::Skip, &[ch('s')], "skip this segment (asks first)", &[S::Session]),
    facilitator(A::EndSession, &[ch('E')], "end the session now (asks first)", &[S::Session]),
    facilitator(A::HandPresenter, &[ch('P')], "hand the presenter role to a seat", &[S::Session]),
    facilitator(A::HandFacilitator, &[ch('F')], "hand the facilitator role to a seat", &[S::Session]),
    b(A::Quit, &[ch('q')], "leave the session (asks first while it runs)", &[S::Session]),
    b(A::Abort, &[Key::ctrl('c')], "leave at once", &[S::Session]),
    mouse(A::Click, "click", "focus a pane (double-click zooms); a row of a list being picked: choose it", &[S::Session]),
    mouse(A::Wheel, "wheel", "scroll the notes, the turns or the write-up", &[S::Session]),
    // The Decision Requirements Table.
    b(A::DecisionHere, &[ch('D')], "decision here: mark this beat and the signals' values as a row of the Decision Requirements Table", &[S::Drill, S::Ended, S::Replay]),
    b(A::Table, &[ch('t')], "the Decision Requirements Table: build it together, export it", &[S::Ended, S::Replay]),
    b(A::ScrollUp, &[k(K::Up)], "previous / next row", &[S::Drt]),
    b(A::ScrollDown, &[k(K::Down)], "previous / next row", &[S::Drt]),
    b(A::Prev, &[k(K::Left), k(K::BackTab)], "previous / next column", &[S::Drt]),
    b(A::Next, &[k(K::Right), k(K::Tab)], "previous / next column", &[S::Drt]),
    b(A::PageUp, &[k(K::PageUp)], "a screenful of rows up / down, the first / last row", &[S::Drt]),
    b(A::PageDown, &[k(K::PageDown)], "a screenful of rows up / down, the first / last row", &[S::Drt]),
    b(A::Top, &[k(K::Home)], "a screenful of rows up / down, the first / last row", &[S::Drt]),
    b(A::Bottom, &[k(K::End)], "a screenful of rows up / down, the first / last row", &[S::Drt]),
    b(A::Edit, &[k(K::Enter)], "edit this cell: type, enter or esc lets it go (one editor a cell; the text stays)", &[S::Drt]),
    b(A::AddRow, &[ch('a')], "add a row", &[S::Drt]),
    b(A::DeleteRow, &[ch('x'), k(K::Delete)], "delete this row (asks first)", &[S::Drt]),
    b(A::ExportMarkdown, &[ch('m')], "export Markdown / CSV / JSON into the data directory (the path is shown)", &[S::Drt]),
    b(A::ExportCsv, &[ch('c')], "export Markdown / CSV / JSON into the data directory (the path is shown)", &[S::Drt]),
    b(A::ExportJson, &[ch('j')], "export Markdown / CSV / JSON into the data directory (the path is shown)", &[S::Drt]),
    b(A::ImportCsv, &[ch('i')], "import a CSV: type its path, enter (its rows replace the table's)", &[S::Drt]),
    b(A::SaveScenario, &[ch('S')], "save into the scenario's rows: the diff first, y writes (a bundled scenario: a copy)", &[S::Drt]),
    b(A::Help, &[ch('?')], "this help", &[S::Drt]),
    b(A::Back, &[ch('q'), k(K::Esc)], "back to the console", &[S::Drt]),
    b(A::Abort, &[Key::ctrl('c')], "quit at once", &[S::Drt]),
];

/// The action `key` has in `scope`, if any. Shift is ignored (terminals disagree on it).
pub fn lookup(scope: Scope, key: Key) -> Option<Act> {
    KEYMAP
        .iter()
        .find(|b| b.scopes.contains(&scope) && b.keys.iter().any(|k| key.is(*k)))
        .map(|b| b.act)
}

/// The binding of `act` in `scope`, for hints that name its key.
pub fn binding(scope: Scope, act: Act) -> Option<&'static Binding> {
    KEYMAP
        .iter()
        .find(|b| b.act == act && b.scopes.contains(&scope))
}

/// The usual key of `act` in `scope`, written as help writes it (`?`, `enter`).
pub fn key_label(scope: Scope, act: Act) -> String {
    binding(scope, act)
        .and_then(|b| b.keys.first())
        .map_or_else(String::new, |k| k.label())
}

/// One line of help: the keys, what they do, and who may use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub keys: String,
    pub text: &'static str,
    pub who: Who,
}

/// The help lines of `scope`, in table order; rows with the same text share a line.
pub fn help(scope: Scope) -> Vec<HelpLine> {
    let mut out: Vec<HelpLine> = Vec::new();
    for b in KEYMAP.iter().filter(|b| b.scopes.contains(&scope)) {
        let keys = b.keys_label();
        match out.last_mut() {
            Some(last) if last.text == b.help => {
                last.keys.push(' ');
                last.keys.push_str(&keys);
            }
            _ => out.push(HelpLine {
                keys,
                text: b.help,
                who: b.who,
            }),
        }
    }
    out
}

/// Characters a cue cannot take: every plain character bound while a drill runs.
pub fn reserved() -> impl Iterator<Item = char> {
    KEYMAP
        .iter()
        .filter(|b| b.scopes.contains(&Scope::Drill))
        .flat_map(|b| b.keys.iter())
        .filter_map(|k| k.typed())
}

/// Whether `c` is kept by the console and so cannot be a cue key.
pub fn is_reserved(c: char) -> bool {
    reserved().any(|r| r == c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn no_key_means_two_things_on_one_screen() {
        for scope in Scope::ALL {
            let mut seen: HashMap<Key, Act> = HashMap::new();
            for b in KEYMAP.iter().filter(|b| b.scopes.contains(&scope)) {
                for key in b.keys {
                    if let Some(other) = seen.insert(*key, b.act) {
                        assert_eq!(other, b.act, "{scope:?}: {key:?} bound twice");
                    }
                }
            }
        }
    }

    #[test]
    fn every_key_is_listed_in_its_screens_help() {
        for scope in Scope::ALL {
            let lines = help(scope);
            for b in KEYMAP.iter().filter(|b| b.scopes.contains(&scope)) {
                for key in b.keys {
                    let label = key.label();
                    assert!(
                        lines
                            .iter()
                            .any(|l| l.text == b.help && l.keys.split(' ').any(|k| k == label)),
                        "{scope:?}: {label} missing from help {lines:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn reserved_keys_are_the_drills_characters() {
        let mut r: Vec<char> = reserved().collect();
        r.sort_unstable();
        r.dedup();
        assert_eq!(
            r,
            vec![
                ' ', '+', '-', '=', '?', 'D', 'S', '[', ']', 'c', 'h', 'n', 'q'
            ]
        );
        assert!(is_reserved('q') && !is_reserved('a') && !is_reserved('d'));
    }
}
