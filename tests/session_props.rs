//! Property tests of the session core: any sequence of inputs, from people, observers,
//! strangers and the room, however odd, never panics; two sessions given the same inputs
//! have the same state hash at every step; every input survives its recording line; and
//! replaying a recording rebuilds the very same state, write-up included.

use gamelan::session::input::{DrillOutcome, ObjectiveResult, PaneName};
use gamelan::session::record::{self, Embedded, Header};
use gamelan::session::writeup;
use gamelan::session::{
    Mark, ROOM, Session, SessionAction as A, SessionInput, VistaShape, bundled,
};
use proptest::prelude::*;
use std::sync::Arc;

fn session(seed: u64) -> Session {
    Session::new(Arc::new(bundled::plan("weekly").unwrap()), seed)
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z ]{0,20}",
        1 => "TODO: [a-z ]{0,10}",
        1 => "\\PC{0,40}",
        1 => proptest::collection::vec(any::<char>(), 0..30).prop_map(|v| v.into_iter().collect()),
    ]
}

fn theme() -> impl Strategy<Value = String> {
    let ids: Vec<String> = bundled::plan("weekly").unwrap().decks[1]
        .as_ref()
        .unwrap()
        .themes
        .iter()
        .map(|t| t.id.clone())
        .collect();
    prop_oneof![3 => proptest::sample::select(ids), 1 => "[a-z-]{0,12}"]
}

fn shape() -> impl Strategy<Value = VistaShape> {
    (text(), proptest::collection::vec((text(), text()), 0..80)).prop_map(|(title, panes)| {
        VistaShape {
            story_pace: title
                .len()
                .is_multiple_of(2)
                .then_some(title.len() as u64 * 900),
            title,
            source: "prop".into(),
            panes: panes
                .into_iter()
                .map(|(id, title)| PaneName { id, title })
                .collect(),
        }
    })
}

fn outcome() -> impl Strategy<Value = DrillOutcome> {
    (
        text(),
        any::<u64>(),
        proptest::collection::vec((text(), any::<bool>()), 0..80),
    )
        .prop_map(|(status, beats, objectives)| DrillOutcome {
            scenario: "bad-deploy".into(),
            seed: 1,
            beats,
            status,
            objectives: objectives
                .into_iter()
                .map(|(text, met)| ObjectiveResult { text, met })
                .collect(),
            cues: 3,
            rejected: 1,
            action_items: vec!["x".into()],
        })
}

/// Everything a seat or the room can send, nonsense included.
fn action() -> impl Strategy<Value = A> {
    let seat = prop_oneof![4 => 0u32..5, 1 => any::<u32>()];
    let mark = prop_oneof![Just(Mark::Found), Just(Mark::Helped), Just(Mark::NotFound)];
    prop_oneof![
        6 => Just(A::Tick),
        2 => text().prop_map(|name| A::Join { name }),
        1 => text().prop_map(|name| A::Observe { name }),
        1 => Just(A::Leave),
        4 => Just(A::Next),
        1 => Just(A::Back),
        1 => Just(A::Skip),
        1 => prop_oneof![0u64..1000, any::<u64>()].prop_map(|beats| A::Extend { beats }),
        1 => text().prop_map(|reason| A::End { reason }),
        1 => seat.clone().prop_map(|to| A::HandPresenter { to }),
        1 => seat.clone().prop_map(|to| A::HandFacilitator { to }),
        2 => text().prop_map(|text| A::Note { text }),
        2 => (proptest::option::of(0usize..100), text(), any::<bool>())
            .prop_map(|(pane, text, question)| A::Remark { pane, text, question }),
        1 => prop_oneof![0usize..8, any::<usize>()].prop_map(|pane| A::Focus { pane }),
        1 => any::<bool>().prop_map(|on| A::Zoom { on }),
        1 => proptest::option::of(0usize..8).prop_map(|step| A::Tour { step }),
        1 => any::<u64>().prop_map(|seconds| A::Range { seconds }),
        1 => (prop_oneof![0u64..100_000, any::<u64>()], any::<bool>())
            .prop_map(|(back, paused)| A::Pan { back, paused }),
        3 => Just(A::Spin),
        2 => seat.prop_map(|person| A::SpinFor { person }),
        1 => text().prop_map(|to| A::Escalate { to }),
        1 => Just(A::Pass),
        2 => mark.prop_map(|result| A::Mark { result }),
        1 => theme().prop_map(|theme| A::Retire { theme }),
        1 => theme().prop_map(|theme| A::Restore { theme }),
        1 => (0usize..6, shape()).prop_map(|(segment, vista)| A::ShowVista { segment, vista }),
        1 => (0usize..6, outcome()).prop_map(|(segment, outcome)| A::DrillReport { segment, outcome }),
    ]
}

fn inputs() -> impl Strategy<Value = (u64, Vec<(u64, u32, A)>)> {
    let seat = prop_oneof![8 => 0u32..5, 2 => Just(ROOM), 1 => any::<u32>()];
    let step = prop_oneof![4 => 0u64..3, 2 => 0u64..400, 1 => any::<u64>()];
    (
        any::<u64>(),
        proptest::collection::vec((step, seat, action()), 0..250),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn same_inputs_same_state_and_replays_exactly((seed, seq) in inputs()) {
        let (mut a, mut b) = (session(seed), session(seed));
        let mut applied = Vec::new();
        let mut beat = 0u64;
        for (i, (step, seat, action)) in seq.into_iter().enumerate() {
            // Mostly forward, now and then stamped in the past.
            beat = if i % 17 == 16 { beat / 2 } else { beat.saturating_add(step) };
            let input = SessionInput::new(beat, seat, action);
            // The recording line gives back the very same input.
            let line = record::input_line(&input);
            let back: SessionInput = serde_json::from_str(&line).unwrap();
            prop_assert_eq!(&back, &input);
            a.apply(&input);
            b.apply(&input);
            prop_assert_eq!(a.state_hash(), b.state_hash());
            applied.push(input);
        }
        let mut replayed = session(seed);
        for input in &applied {
            replayed.apply(input);
        }
        prop_assert_eq!(replayed.state_hash(), a.state_hash());
        prop_assert_eq!(&replayed, &a);

        // Through a whole recording file, as `gamelan debrief` reads it.
        let (name, text) = bundled::setlist("weekly").unwrap();
        let deck = bundled::deck("stack.deck.toml").unwrap();
        let mut header = Header::new(
            &a,
            "2025-05-01T14:03:09Z".into(),
            Embedded { name: name.into(), text: text.into() },
            vec![Embedded { name: "stack.deck.toml".into(), text: deck.into() }],
        );
        let matrix = bundled::matrix("checkout.matrix.toml").unwrap();
        header.matrices = vec![Embedded { name: "checkout.matrix.toml".into(), text: matrix.into() }];
        let mut file = header.line();
        // A recording's beats never go back: the session's own clock is what it stamps.
        let mut clock = session(seed);
        for input in &applied {
            let stamped = SessionInput { beat: input.beat.max(clock.beat), ..input.clone() };
            clock.apply(&stamped);
            file.push_str(&record::input_line(&stamped));
        }
        let rec = record::parse(&file, "prop.jsonl").unwrap();
        let rebuilt = rec.replay().unwrap();
        prop_assert_eq!(rebuilt.state_hash(), clock.state_hash());
        prop_assert_eq!(clock.state_hash(), a.state_hash(), "stamping with the session clock changes nothing");

        // The write-up of whatever came of it never panics and is the same both ways.
        let w = writeup::build(&a, None);
        prop_assert_eq!(writeup::markdown(&w), writeup::markdown(&writeup::build(&rebuilt, None)));
        let _ = writeup::json(&w);
    }
}
