//! Recordings made before a format change replay to the very same state: the fixtures in
//! tests/fixtures/recordings/ were recorded by an earlier build (the `mixed` one with three
//! seats in roles, a pause, a hint, a contingency, rejected inputs and a seat that leaves), and
//! their state hashes are pinned here, with those of the bundled scenarios' win and lose
//! scripts as they stood then. The scenario files and scripts the pins were taken with are kept
//! beside them in tests/fixtures/pinned/ (a bundled drill that gains decision points changes
//! its content hash, and a recording names the content it was made with), so a change to a
//! bundled scenario never moves a pin; a change to the drill core that alters what an old file
//! means, or how the state is fingerprinted, fails here.

use gamelan::drill::Drill;
use gamelan::record::{Recording, Replay};
use gamelan::scenario::{self, Scenario};
use std::path::Path;
use std::sync::Arc;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The scenario `id` as the pins were taken with it: its copy in tests/fixtures/pinned/ when
/// the bundled file has changed since, else the bundled one.
fn pinned(id: &str) -> Arc<Scenario> {
    let path = Path::new(ROOT).join(format!("tests/fixtures/pinned/{id}.toml"));
    if path.exists() {
        return Arc::new(scenario::load_file(&path).unwrap_or_else(|d| panic!("{d:?}")));
    }
    scenario::bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == id)
        .unwrap_or_else(|| panic!("no bundled `{id}`"))
        .scenario
}

/// The cue script `id.kind.cues` the pins were taken with.
fn pinned_script(id: &str, kind: &str) -> String {
    let copy = format!("{ROOT}/tests/fixtures/pinned/{id}.{kind}.cues");
    if Path::new(&copy).exists() {
        return copy;
    }
    format!("{ROOT}/scenarios/{id}.{kind}.cues")
}

/// (fixture, final state hash, a beat, the state hash at that beat).
const RECORDINGS: &[(&str, u64, u64, u64)] = &[
    ("bad-deploy.win", 0xb5e26d65bb65b114, 18, 0x928e492f9bb83b46),
    (
        "cert-expiry.lose",
        0x5179fc358719d27a,
        38,
        0x8ab22799d969624d,
    ),
    (
        "queue-backlog.win",
        0x0a2887763f197f97,
        38,
        0x2d61441b5bbc7aba,
    ),
    (
        "retry-storm.lose",
        0x66cbade928986124,
        30,
        0x1ecd6573983b6e4f,
    ),
    (
        "bad-deploy.mixed",
        0x90019222baf8429b,
        11,
        0x122e8a8b66865516,
    ),
];

#[test]
fn old_recordings_replay_to_their_pinned_state_hashes() {
    for &(name, last, beat, at) in RECORDINGS {
        let path = Path::new(ROOT).join(format!("tests/fixtures/recordings/{name}.jsonl"));
        let rec = Recording::load(&path).unwrap_or_else(|d| panic!("{d}"));
        let sc = pinned(&rec.header.scenario);
        let replay = Replay::open(rec, sc, false).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(
            replay.final_drill().state_hash(),
            last,
            "{name}: the final state differs from the pinned one"
        );
        assert_eq!(
            replay.state_at(beat).state_hash(),
            at,
            "{name}: the state at beat {beat} differs from the pinned one"
        );
    }
}

/// (scenario, script, final state hash at seeds 1 and 7).
const SCRIPTS: &[(&str, &str, [u64; 2])] = &[
    (
        "bad-deploy",
        "win",
        [0x3ecc9404f0cfde2e, 0xbf5a4edc835db6d8],
    ),
    (
        "bad-deploy",
        "lose",
        [0xd541c23575798cbb, 0xa15f2dc2239c682d],
    ),
    (
        "bgp-withdrawal",
        "win",
        [0x1123f8ddbf06f5ba, 0xd6b88a8b09066008],
    ),
    (
        "bgp-withdrawal",
        "lose",
        [0x2e0e8b564f6ec478, 0x71c1f5564f5d2aba],
    ),
    (
        "boot-loop-update",
        "win",
        [0x553b877b31c091ea, 0xe5f6dde70d2f4722],
    ),
    (
        "boot-loop-update",
        "lose",
        [0x7db7a963ae50bee6, 0x7fec3f0a12ac14c2],
    ),
    (
        "cert-expiry",
        "win",
        [0xc5e4f1def6dddeee, 0x1638f0084ed5c941],
    ),
    (
        "cert-expiry",
        "lose",
        [0xd27aa6254961d5f1, 0x63f108da061a45c7],
    ),
    (
        "consul-streaming",
        "win",
        [0x917a3ef488dfec4b, 0x2099160a782f3b05],
    ),
    (
        "consul-streaming",
        "lose",
        [0x5720e98a774ddd58, 0x408cd91669cedea0],
    ),
    (
        "edge-config-bug",
        "win",
        [0x3cf187e8057f21c6, 0x3b750fe832575111],
    ),
    (
        "edge-config-bug",
        "lose",
        [0x323e476b892103df, 0xf0a0d11a4cc34288],
    ),
    (
        "holiday-return",
        "win",
        [0x9a0ad958464d3162, 0x9d2b21e68bc572a5],
    ),
    (
        "holiday-return",
        "lose",
        [0x83726d4fffe94f15, 0x1f57401aa3e86932],
    ),
    (
        "mass-revocation",
        "win",
        [0xe86859ec1479e82d, 0x878b42a5b08924c9],
    ),
    (
        "mass-revocation",
        "lose",
        [0xa4a446390b233772, 0x02ac0c28dadbd965],
    ),
    (
        "pool-exhaustion",
        "win",
        [0xb5205d3e5b5e9d28, 0x13017ca01cd90eb2],
    ),
    (
        "pool-exhaustion",
        "lose",
        [0xada488e203528b70, 0xf64b6fbd924d0ef8],
    ),
    (
        "queue-backlog",
        "win",
        [0x989be52ba15a04cb, 0x4fa50449b5e838f6],
    ),
    (
        "queue-backlog",
        "lose",
        [0x10b0e94a1deac4f9, 0x89c0d4056c2c05ab],
    ),
    (
        "retry-storm",
        "win",
        [0x1389813190d0f82b, 0x9f12e5b6ac9d066e],
    ),
    (
        "retry-storm",
        "lose",
        [0x37f8d1f5eb2bfec7, 0xb1415c41f356dad0],
    ),
    (
        "s3-playbook",
        "win",
        [0xb709214c96896012, 0x432a4d76b5f03b46],
    ),
    (
        "s3-playbook",
        "lose",
        [0xa31a275f6d9d7588, 0x7ef9648b53fcafab],
    ),
    (
        "stolen-session-token",
        "win",
        [0x82175b2a0ccffdb0, 0xf7895e5e40222dd6],
    ),
    (
        "stolen-session-token",
        "lose",
        [0x659465cd4d544b47, 0xd32f962313826f5c],
    ),
];

#[test]
fn pinned_scenarios_play_their_scripts_to_pinned_state_hashes() {
    for &(id, kind, hashes) in SCRIPTS {
        let sc = pinned(id);
        let path = pinned_script(id, kind);
        let src = std::fs::read_to_string(&path).unwrap();
        let lines = gamelan::headless::parse_script(&src, &path, &sc)
            .unwrap_or_else(|d| panic!("{}", gamelan::diag::render(&d)));
        for (seed, want) in [1, 7].into_iter().zip(hashes) {
            let mut d = Drill::new(sc.clone(), seed);
            gamelan::headless::run(&mut d, &lines, None);
            assert_eq!(d.state_hash(), want, "{id}/{kind} seed {seed}");
        }
    }
}

/// Session recordings made before a format change (tests/fixtures/session-recordings/, by an
/// earlier build: the weekly script, and a walkthrough of a vista file beside its setlist)
/// replay to the very same session: (fixture, its state hash, a line its write-up holds).
const SESSIONS: &[(&str, u64, &str)] = &[
    (
        "v1-weekly",
        0x09984b4ad83abc3b,
        "| 1:30 | checkout 5xx ratio | cy | question |",
    ),
    (
        "v1-walk",
        0x16a2adf0bb2f70b5,
        "Vista: team morning (team.vista.toml).",
    ),
];

#[test]
fn old_session_recordings_replay_to_pinned_state_hashes() {
    use gamelan::session::{record, writeup};
    for &(name, want, line) in SESSIONS {
        let path = format!("{ROOT}/tests/fixtures/session-recordings/{name}.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        let rec = record::parse(&text, &path).unwrap_or_else(|d| panic!("{d:?}"));
        let session = rec.replay().unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(
            session.state_hash(),
            want,
            "{name}: {:#x}",
            session.state_hash()
        );
        let md = writeup::markdown(&writeup::build(&session, None));
        assert!(md.contains(line), "{name}: {md}");
    }
}
