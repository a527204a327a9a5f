//! Property tests of the drill core: any sequence of inputs (decisions included), applied to two
//! drills of the same scenario and seed, gives the same state hash at every step; replaying
//! the recorded inputs rebuilds the same state; and no input, however odd, panics.

use gamelan::drill::{Action, Drill, Input};
use gamelan::scenario::{Scenario, bundled};
use proptest::prelude::*;
use std::sync::Arc;

fn scenarios() -> Vec<Arc<Scenario>> {
    bundled().into_iter().map(|e| e.scenario).collect()
}

/// An action drawn from what a seat or the metronome can send, including nonsense: any cue,
/// and any option of any decision point (chosen by a facilitator, refused or not).
fn action(cues: Vec<String>, options: Vec<(String, String)>) -> impl Strategy<Value = Action> {
    let cue = proptest::sample::select(cues).prop_map(|cue| Action::Cue { cue });
    let decide = proptest::sample::select(options)
        .prop_map(|(decision, option)| Action::Decide { decision, option });
    prop_oneof![
        8 => Just(Action::Tick),
        3 => cue,
        1 => "[a-z-]{0,12}".prop_map(|cue| Action::Cue { cue }),
        1 => "\\PC{0,40}".prop_map(|text| Action::Note { text }),
        1 => Just(Action::Pause),
        1 => Just(Action::Resume),
        1 => (0u32..2000).prop_map(|bpm| Action::Tempo { bpm }),
        1 => Just(Action::Hint),
        1 => "[a-z-]{0,16}".prop_map(|inject| Action::Fire { inject }),
        1 => Just(Action::Leave),
        2 => decide,
    ]
}

fn inputs() -> impl Strategy<Value = (usize, u64, Vec<(u32, Action)>)> {
    let all = scenarios();
    (0..all.len(), any::<u64>()).prop_flat_map(move |(i, seed)| {
        let cues: Vec<String> = all[i].cues.iter().map(|c| c.id.clone()).collect();
        let mut options: Vec<(String, String)> = all[i]
            .decisions
            .iter()
            .flat_map(|d| d.options.iter().map(|o| (d.id.clone(), o.id.clone())))
            .collect();
        options.push(("no-such".into(), "x".into()));
        let seq = proptest::collection::vec((0u32..3, action(cues, options)), 0..400);
        (Just(i), Just(seed), seq)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn same_inputs_same_state_hash_at_every_step((i, seed, seq) in inputs()) {
        let s = scenarios()[i].clone();
        let (mut a, mut b) = (Drill::new(s.clone(), seed), Drill::new(s.clone(), seed));
        let join = Input::new(0, Action::Join { name: "ana".into(), role: None });
        a.apply(&join);
        b.apply(&join);
        let mut applied = vec![join];
        for (seat, action) in seq {
            let input = Input::new(seat, action);
            a.apply(&input);
            b.apply(&input);
            prop_assert_eq!(a.state_hash(), b.state_hash());
            applied.push(input);
        }
        // Replaying the recorded inputs into a fresh drill rebuilds the very same state.
        let mut replayed = Drill::new(s, seed);
        for input in &applied {
            replayed.apply(input);
        }
        prop_assert_eq!(replayed.state_hash(), a.state_hash());
    }
}
