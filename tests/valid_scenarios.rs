//! Nothing that passes `gamelan check` may panic the drill core. This property test generates
//! random *valid* scenarios, structurally varied (signals with and without bounds, samples and
//! SLOs; effects of every kind, including clears by source and by signal; alerts; scheduled,
//! conditional and contingency injects; cues with delays, requires, repeats and marks; every
//! kind of objective), with numbers drawn up to the very bounds the checker allows (±1e15,
//! factor 0 and 1000, inertia just under 1, durations as long as the timeline). Each one must
//! load, then play through `apply` under random inputs without panicking, with every signal
//! value, budget and burn rate finite.

use gamelan::drill::{Action, Drill, Input};
use gamelan::scenario::limits::{MAX_FACTOR, VALUE_LIMIT};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngSeed;
use std::fmt::Write as _;
use std::sync::Arc;

/// Cases; with the fixed seed every run plays the same scenarios.
const CASES: u32 = 96;
/// Beats played at most per case (the timeline may be 65,536 beats long).
const MAX_TICKS: usize = 3000;

const KEYS: &str = "abdefgijklmoprsuvwxyz";

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -1000.0..1000.0f64,
        1 => Just(VALUE_LIMIT),
        1 => Just(-VALUE_LIMIT),
        1 => -VALUE_LIMIT..VALUE_LIMIT,
        1 => Just(0.0),
    ]
}

fn ordered() -> impl Strategy<Value = (f64, f64)> {
    (value(), value()).prop_map(|(a, b)| if a <= b { (a, b) } else { (b, a) })
}

/// A duration in beats: usually short, sometimes as long as the timeline allows.
#[derive(Debug, Clone)]
enum Dur {
    Short(u32),
    Long(Index),
}

impl Dur {
    fn beats(&self, length: u64) -> u64 {
        match self {
            Dur::Short(n) => u64::from(*n).min(length),
            Dur::Long(i) => i.index(length as usize + 1) as u64,
        }
    }
}

fn dur() -> impl Strategy<Value = Dur> {
    prop_oneof![4 => (0u32..8).prop_map(Dur::Short), 1 => any::<Index>().prop_map(Dur::Long)]
}

#[derive(Debug, Clone)]
struct SignalPlan {
    baseline: f64,
    noise: f64,
    inertia: f64,
    bounds: (Option<f64>, Option<f64>),
    healthy: (f64, f64),
    samples: Vec<f64>,
    slo: Option<(f64, bool, Option<u32>)>,
    gauge: bool,
}

fn signal() -> impl Strategy<Value = SignalPlan> {
    (
        value(),
        prop_oneof![Just(0.0), 0.0..100.0f64, Just(VALUE_LIMIT)],
        prop_oneof![Just(0.0), 0.0..0.99f64, Just(0.999_999_999)],
        (ordered(), 0u8..4),
        ordered(),
        prop::collection::vec(value(), 0..12),
        prop::option::of((
            prop_oneof![50.0..99.99f64, Just(99.999_999_9), Just(0.000_001)],
            any::<bool>(),
            prop::option::of(prop_oneof![1u32..8, Just(65_536u32)]),
        )),
        any::<bool>(),
    )
        .prop_map(
            |(baseline, noise, inertia, ((lo, hi), which), healthy, samples, slo, gauge)| {
                let bounds = match which {
                    0 => (None, None),
                    1 => (Some(lo), None),
                    2 => (None, Some(hi)),
                    _ => (Some(lo), Some(hi)),
                };
                SignalPlan {
                    baseline,
                    noise,
                    inertia,
                    bounds,
                    healthy,
                    samples,
                    slo,
                    gauge,
                }
            },
        )
}

#[derive(Debug, Clone)]
struct EffectPlan {
    kind: u8,
    signal: Index,
    by: f64,
    factor: f64,
    over: Option<Dur>,
    for_beats: Option<Dur>,
    /// `clear`: by an inject (true) or a cue, and which; or by signal only when `None`.
    source: Option<(bool, Index)>,
    with_signal: bool,
}

fn effect() -> impl Strategy<Value = EffectPlan> {
    (
        0u8..5,
        any::<Index>(),
        value(),
        prop_oneof![0.0..3.0f64, Just(0.0), Just(MAX_FACTOR)],
        prop::option::of(dur()),
        prop::option::of(dur()),
        prop::option::of((any::<bool>(), any::<Index>())),
        any::<bool>(),
    )
        .prop_map(
            |(kind, signal, by, factor, over, for_beats, source, with_signal)| EffectPlan {
                kind,
                signal,
                by,
                factor,
                over,
                for_beats,
                source,
                with_signal,
            },
        )
}

#[derive(Debug, Clone)]
struct AlertPlan {
    signal: Index,
    threshold: f64,
    above: bool,
    for_beats: Dur,
    marks: u8,
}

#[derive(Debug, Clone)]
struct InjectPlan {
    at: Option<Index>,
    when: Option<(Index, bool, Option<Index>)>,
    effects: Vec<EffectPlan>,
    surprise: bool,
}

#[derive(Debug, Clone)]
struct CuePlan {
    delay: Dur,
    requires: Vec<Index>,
    repeatable: bool,
    marks: u8,
    effects: Vec<EffectPlan>,
}

#[derive(Debug, Clone)]
struct ObjectivePlan {
    kind: u8,
    target: Index,
    by: Option<Index>,
    budget_left: f64,
}

#[derive(Debug, Clone)]
struct Plan {
    bars: u32,
    bpb: u32,
    sspb: u32,
    signals: Vec<SignalPlan>,
    alerts: Vec<AlertPlan>,
    injects: Vec<InjectPlan>,
    cues: Vec<CuePlan>,
    objectives: Vec<ObjectivePlan>,
    hints: Vec<Index>,
}

fn plan() -> impl Strategy<Value = Plan> {
    let alert = (any::<Index>(), value(), any::<bool>(), dur(), 0u8..16).prop_map(
        |(signal, threshold, above, for_beats, marks)| AlertPlan {
            signal,
            threshold,
            above,
            for_beats,
            marks,
        },
    );
    let inject = (
        prop::option::weighted(0.8, any::<Index>()),
        prop::option::of((
            any::<Index>(),
            any::<bool>(),
            prop::option::of(any::<Index>()),
        )),
        prop::collection::vec(effect(), 0..4),
        any::<bool>(),
    )
        .prop_map(|(at, when, effects, surprise)| InjectPlan {
            at,
            when,
            effects,
            surprise,
        });
    let cue = (
        dur(),
        prop::collection::vec(any::<Index>(), 0..3),
        any::<bool>(),
        0u8..16,
        prop::collection::vec(effect(), 0..4),
    )
        .prop_map(|(delay, requires, repeatable, marks, effects)| CuePlan {
            delay,
            requires,
            repeatable,
            marks,
            effects,
        });
    let objective = (
        0u8..5,
        any::<Index>(),
        prop::option::of(any::<Index>()),
        0.0..=1.0f64,
    )
        .prop_map(|(kind, target, by, budget_left)| ObjectivePlan {
            kind,
            target,
            by,
            budget_left,
        });
    (
        prop_oneof![3 => 1u32..12, 1 => 12u32..200, 1 => Just(4096u32)],
        1u32..=16,
        prop_oneof![1u32..120, Just(3600u32)],
        prop::collection::vec(signal(), 1..6),
        prop::collection::vec(alert, 0..5),
        prop::collection::vec(inject, 0..7),
        prop::collection::vec(cue, 1..8),
        prop::collection::vec(objective, 0..6),
        prop::collection::vec(any::<Index>(), 0..3),
    )
        .prop_map(
            |(bars, bpb, sspb, signals, alerts, injects, cues, objectives, hints)| Plan {
                bars,
                bpb,
                sspb,
                signals,
                alerts,
                injects,
                cues,
                objectives,
                hints,
            },
        )
}

const MARKS: [&str; 4] = ["detected", "acknowledged", "mitigated", "resolved"];

fn marks(bits: u8) -> String {
    let m: Vec<String> = (0..4)
        .filter(|i| bits & (1 << i) != 0)
        .map(|i| format!("\"{}\"", MARKS[i]))
        .collect();
    format!("[{}]", m.join(", "))
}

fn f(x: f64) -> String {
    format!("{x:?}")
}

impl Plan {
    fn length(&self) -> u64 {
        u64::from(self.bars) * u64::from(self.bpb)
    }

    fn effect(&self, e: &EffectPlan, out: &mut Vec<String>) {
        let length = self.length();
        let signal = format!("\"s{}\"", e.signal.index(self.signals.len()));
        let mut fields = Vec::new();
        let dur = |d: &Option<Dur>| d.as_ref().map(|d| d.beats(length));
        match e.kind {
            0 => {
                fields.push("kind = \"step\"".to_string());
                fields.push(format!("signal = {signal}"));
                fields.push(format!("by = {}", f(e.by)));
                if let Some(n) = dur(&e.for_beats) {
                    fields.push(format!("for_beats = {n}"));
                }
            }
            1 | 2 => {
                let kind = if e.kind == 1 { "ramp" } else { "spike" };
                fields.push(format!("kind = \"{kind}\""));
                fields.push(format!("signal = {signal}"));
                fields.push(format!("by = {}", f(e.by)));
                if let Some(n) = dur(&e.over) {
                    fields.push(format!("over = {n}"));
                }
                if let Some(n) = dur(&e.for_beats) {
                    fields.push(format!("for_beats = {n}"));
                }
            }
            3 => {
                fields.push("kind = \"multiply\"".to_string());
                fields.push(format!("signal = {signal}"));
                fields.push(format!("factor = {}", f(e.factor)));
                if let Some(n) = dur(&e.over) {
                    fields.push(format!("over = {n}"));
                }
                if let Some(n) = dur(&e.for_beats) {
                    fields.push(format!("for_beats = {n}"));
                }
            }
            _ => {
                fields.push("kind = \"clear\"".to_string());
                let source = match e.source {
                    Some((true, i)) if !self.injects.is_empty() => {
                        Some(format!("\"i{}\"", i.index(self.injects.len())))
                    }
                    Some((_, i)) => Some(format!("\"c{}\"", i.index(self.cues.len()))),
                    None => None,
                };
                if let Some(s) = &source {
                    fields.push(format!("source = {s}"));
                }
                if e.with_signal || source.is_none() {
                    fields.push(format!("signal = {signal}"));
                }
                if let Some(n) = dur(&e.over) {
                    fields.push(format!("over = {n}"));
                }
            }
        }
        out.push(format!("{{ {} }}", fields.join(", ")));
    }

    fn effects(&self, effects: &[EffectPlan]) -> String {
        let mut out = Vec::new();
        for e in effects {
            self.effect(e, &mut out);
        }
        format!("effects = [{}]\n", out.join(", "))
    }

    /// The scenario as TOML, as an author would write it.
    fn toml(&self) -> String {
        let length = self.length();
        let mut s = String::new();
        let _ = write!(
            s,
            "[scenario]\nid = \"generated\"\ntitle = \"t\"\nsummary = \"s\"\ndifficulty = \"intro\"\n\
             duration_minutes = 5\nlength_bars = {}\n\n[tempo]\nbpm = 60\nbeats_per_bar = {}\n\
             story_seconds_per_beat = {}\n\n[targets]\nresolve_minutes = 30\n\n",
            self.bars, self.bpb, self.sspb
        );
        for (i, p) in self.signals.iter().enumerate() {
            let _ = writeln!(s, "[[signals]]\nid = \"s{i}\"\nname = \"signal {i}\"");
            let _ = writeln!(
                s,
                "baseline = {}\nnoise = {}\ninertia = {}",
                f(p.baseline),
                f(p.noise),
                f(p.inertia)
            );
            if let Some(lo) = p.bounds.0 {
                let _ = writeln!(s, "min = {}", f(lo));
            }
            if let Some(hi) = p.bounds.1 {
                let _ = writeln!(s, "max = {}", f(hi));
            }
            let _ = writeln!(s, "healthy = [{}, {}]", f(p.healthy.0), f(p.healthy.1));
            if !p.samples.is_empty() {
                let n = p.samples.len().min(length as usize);
                let v: Vec<String> = p.samples[..n].iter().map(|x| f(*x)).collect();
                let _ = writeln!(s, "samples = [{}]", v.join(", "));
            }
            if let Some((target, healthy, window)) = p.slo {
                let measure = if healthy { "healthy" } else { "ratio" };
                let window = window.map_or(String::new(), |w| format!(", window_bars = {w}"));
                let _ = writeln!(
                    s,
                    "slo = {{ target = {}, measure = \"{measure}\"{window} }}",
                    f(target)
                );
            }
            if p.gauge {
                let _ = writeln!(s, "show = \"gauge\"");
            }
            s.push('\n');
        }
        for (i, a) in self.alerts.iter().enumerate() {
            let _ = writeln!(
                s,
                "[[alerts]]\nid = \"A{i}\"\nsignal = \"s{}\"\nthreshold = {}\ndirection = \"{}\"\n\
                 for_beats = {}\nsummary = \"alert\"\nmarks = {}\n",
                a.signal.index(self.signals.len()),
                f(a.threshold),
                if a.above { "above" } else { "below" },
                a.for_beats.beats(length).max(1),
                marks(a.marks)
            );
        }
        for (i, inj) in self.injects.iter().enumerate() {
            let _ = writeln!(
                s,
                "[[injects]]\nid = \"i{i}\"\npersona = \"p\"\ntext = \"t\""
            );
            match inj.at {
                Some(at) => {
                    let _ = writeln!(s, "at = {}", at.index(length as usize));
                    if let Some((cue, done, by)) = inj.when {
                        let by = by.map_or(String::new(), |b| {
                            format!(", by = {}", b.index(length as usize))
                        });
                        let _ = writeln!(
                            s,
                            "when = {{ cue = \"c{}\", done = {done}{by} }}",
                            cue.index(self.cues.len())
                        );
                    }
                }
                None => {
                    let _ = writeln!(s, "contingency = true");
                }
            }
            let _ = writeln!(s, "surprise = {}", inj.surprise);
            s.push_str(&self.effects(&inj.effects));
            s.push('\n');
        }
        for (i, c) in self.cues.iter().enumerate() {
            let key = KEYS.chars().nth(i).expect("enough keys");
            // Only earlier cues, so `requires` never forms a cycle.
            let requires: Vec<String> = if i == 0 {
                Vec::new()
            } else {
                c.requires
                    .iter()
                    .map(|r| format!("\"c{}\"", r.index(i)))
                    .collect()
            };
            let _ = writeln!(
                s,
                "[[cues]]\nid = \"c{i}\"\nkey = \"{key}\"\nlabel = \"cue {i}\"\ndelay_beats = {}\n\
                 requires = [{}]\nrepeatable = {}\nmarks = {}",
                c.delay.beats(length),
                requires.join(", "),
                c.repeatable,
                marks(c.marks)
            );
            s.push_str(&self.effects(&c.effects));
            s.push('\n');
        }
        let with_slo: Vec<usize> = (0..self.signals.len())
            .filter(|i| self.signals[*i].slo.is_some())
            .collect();
        for (i, o) in self.objectives.iter().enumerate() {
            let by = o.by.map_or(String::new(), |b| {
                format!(", by = {}", b.index(length as usize))
            });
            let cue = o.target.index(self.cues.len());
            let measure = match o.kind {
                0 => format!("mark = \"{}\"{by}", MARKS[o.target.index(4)]),
                1 => format!("cue = \"c{cue}\"{by}"),
                2 => format!("avoid_cue = \"c{cue}\""),
                3 => format!(
                    "signal = \"s{}\", by = {}",
                    o.target.index(self.signals.len()),
                    o.by.map_or(0, |b| b.index(length as usize))
                ),
                _ if !with_slo.is_empty() => format!(
                    "signal = \"s{}\", budget_left = {}",
                    with_slo[o.target.index(with_slo.len())],
                    f(o.budget_left)
                ),
                _ => format!("mark = \"resolved\"{by}"),
            };
            let _ = writeln!(
                s,
                "[[objectives]]\nid = \"o{i}\"\ntext = \"objective\"\nmeasure = {{ {measure} }}\n"
            );
        }
        for h in &self.hints {
            let _ = writeln!(
                s,
                "[[hints]]\ntext = \"hint\"\nafter = {}\n",
                h.index(length as usize)
            );
        }
        s
    }
}

#[derive(Debug, Clone)]
enum Step {
    Ticks(usize),
    Cue(Index),
    Fire(Index),
    Hint,
    Pause,
    Resume,
    Tempo(u32),
    Note,
    Other(Index),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (1usize..40).prop_map(Step::Ticks),
        6 => any::<Index>().prop_map(Step::Cue),
        1 => any::<Index>().prop_map(Step::Fire),
        1 => Just(Step::Hint),
        1 => Just(Step::Pause),
        1 => Just(Step::Resume),
        1 => any::<u32>().prop_map(Step::Tempo),
        1 => Just(Step::Note),
        1 => any::<Index>().prop_map(Step::Other),
    ]
}

/// Every number the drill exposes is finite, and each signal within the value bound.
fn check(d: &Drill) -> Result<(), TestCaseError> {
    for (i, st) in d.signals.iter().enumerate() {
        prop_assert!(
            st.value.is_finite() && st.value.abs() <= VALUE_LIMIT,
            "signal {} = {} at beat {}",
            i,
            st.value,
            d.beat
        );
        prop_assert!(st.history.iter().all(|v| v.is_finite()));
        prop_assert!(st.bad.is_finite());
        prop_assert!(d.budget_left(i).is_none_or(f64::is_finite));
        prop_assert!(d.burn_rate(i).is_none_or(f64::is_finite));
    }
    prop_assert!(d.beat < d.scenario.length_beats);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        rng_seed: RngSeed::Fixed(0x0a11_da7a),
        failure_persistence: None,
        max_shrink_iters: 512,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_valid_scenario_plays_without_panic_and_stays_finite(
        plan in plan(),
        steps in prop::collection::vec(step(), 0..150),
        seed in any::<u64>(),
    ) {
        let src = plan.toml();
        let sc = gamelan::scenario::load_str(&src, "generated.toml").unwrap_or_else(|d| {
            panic!("the generator wrote an invalid scenario:\n{}\n\n{src}", gamelan::diag::render(&d))
        });
        let sc = Arc::new(sc);
        let mut d = Drill::new(sc.clone(), seed);
        let seat = 1;
        d.apply(&Input::new(seat, Action::Join { name: "p".into(), role: None }));
        check(&d)?;
        let mut ticks = 0;
        let tick = |d: &mut Drill, ticks: &mut usize| {
            *ticks += 1;
            d.apply(&Input::new(seat, Action::Tick));
        };
        for s in &steps {
            let action = match s {
                Step::Ticks(n) => {
                    for _ in 0..*n {
                        tick(&mut d, &mut ticks);
                        check(&d)?;
                    }
                    continue;
                }
                Step::Cue(i) => Action::Cue { cue: sc.cues[i.index(sc.cues.len())].id.clone() },
                Step::Fire(i) if !sc.injects.is_empty() => {
                    Action::Fire { inject: sc.injects[i.index(sc.injects.len())].id.clone() }
                }
                Step::Fire(_) => Action::Fire { inject: "none".into() },
                Step::Hint => Action::Hint,
                Step::Pause => Action::Pause,
                Step::Resume => Action::Resume,
                Step::Tempo(bpm) => Action::Tempo { bpm: *bpm },
                Step::Note => Action::Note { text: "n".repeat(3000) },
                Step::Other(i) => Action::Cue { cue: format!("c{}", i.index(100)) },
            };
            d.apply(&Input::new(seat, action));
            check(&d)?;
        }
        // Then play on to the end of the timeline (bounded), repeatable cues landing as they go.
        d.apply(&Input::new(seat, Action::Resume));
        while !d.is_ended() && ticks < MAX_TICKS {
            if ticks % 3 == 0 {
                let cue = sc.cues[ticks % sc.cues.len()].id.clone();
                d.apply(&Input::new(seat, Action::Cue { cue }));
            }
            tick(&mut d, &mut ticks);
            check(&d)?;
        }
    }
}
