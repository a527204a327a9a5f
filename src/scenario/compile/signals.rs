//! `[[signals]]` and `[[alerts]]`: the simulated system and the rules that watch it.

use super::{Cx, Names};
use crate::scenario::limits::*;
use crate::scenario::load::{Item, Raw};
use crate::scenario::{Alert, Signal, Slo, model};

pub(super) fn signals(cx: &mut Cx<'_, '_>, raw: &Raw<'_>) -> Vec<Signal> {
    raw.signals.iter().map(|s| signal(cx, s)).collect()
}

fn signal(cx: &mut Cx<'_, '_>, s: &Item<'_, model::SignalDef>) -> Signal {
    let d = &s.def;
    let what = |field: &str| format!("signal `{}`: `{field}`", d.id);
    cx.line(s, &["name"], &what("name"), &d.name);
    cx.line(s, &["unit"], &what("unit"), &d.unit);
    cx.text(s, &["note"], &what("note"), &d.note);
    cx.value(s.at(&["baseline"]), &what("baseline"), d.baseline);
    cx.ck
        .float(s.at(&["noise"]), &what("noise"), d.noise, 0.0, VALUE_LIMIT);
    if !(0.0..1.0).contains(&d.inertia) {
        cx.err(
            s.at(&["inertia"]),
            format!(
                "signal `{}`: `inertia` must be in [0, 1), not {}",
                d.id,
                crate::diag::number(d.inertia)
            ),
        );
    }
    let (lo, hi) = (d.healthy[0], d.healthy[1]);
    let healthy_ok = cx.value(s.at(&["healthy", "0"]), &what("healthy[0]"), lo)
        & cx.value(s.at(&["healthy", "1"]), &what("healthy[1]"), hi);
    if healthy_ok && lo > hi {
        cx.err(
            s.at(&["healthy"]),
            format!(
                "signal `{}`: healthy range [{lo}, {hi}] is upside down",
                d.id
            ),
        );
    }
    let min_ok = d
        .min
        .is_none_or(|v| cx.value(s.at(&["min"]), &what("min"), v));
    let max_ok = d
        .max
        .is_none_or(|v| cx.value(s.at(&["max"]), &what("max"), v));
    let (min, max) = (d.min.unwrap_or(f64::MIN), d.max.unwrap_or(f64::MAX));
    if min_ok && max_ok && min > max {
        cx.err(s.span(), format!("signal `{}`: min is above max", d.id));
    }
    samples(cx, s);
    let slo = d.slo.as_ref().map(|slo| {
        let t = slo.target;
        if !(t.is_finite() && 0.0 < t && t < 100.0) {
            cx.err(
                s.at(&["slo", "target"]),
                format!(
                    "signal `{}`: SLO target must be a percentage below 100, like 99.9, not {}",
                    d.id,
                    crate::diag::number(t)
                ),
            );
        }
        let window_beats = match slo.window_bars {
            Some(b) => {
                let what = format!("signal `{}`: SLO window_bars", d.id);
                cx.ck.int(
                    s.at(&["slo", "window_bars"]),
                    &what,
                    b.into(),
                    1,
                    MAX_WINDOW_BARS.into(),
                );
                u64::from(b) * u64::from(cx.bpb)
            }
            None => cx.length.unwrap_or(1),
        };
        Slo {
            target: t,
            measure: slo.measure,
            window_beats: window_beats.max(1),
        }
    });
    Signal {
        id: d.id.clone(),
        name: d.name.clone(),
        unit: d.unit.clone(),
        baseline: d.baseline,
        noise: d.noise,
        inertia: d.inertia,
        min,
        max,
        healthy: (lo, hi),
        slo,
        show: d.show,
        note: d.note.clone(),
        samples: d.samples.clone(),
    }
}

/// Recorded samples: no more than the timeline has beats (the rest could never play), each a
/// value within bounds; only the first bad one is reported.
fn samples(cx: &mut Cx<'_, '_>, s: &Item<'_, model::SignalDef>) {
    let d = &s.def;
    let max = cx.length.unwrap_or(MAX_BEATS);
    let n = d.samples.len();
    if u64::try_from(n).unwrap_or(u64::MAX) > max {
        cx.err(
            s.at(&["samples"]),
            format!(
                "signal `{}`: {n} samples, more than the timeline's {max} beats",
                d.id
            ),
        );
    }
    if let Some(i) = d
        .samples
        .iter()
        .position(|v| !(v.is_finite() && v.abs() <= VALUE_LIMIT))
    {
        let what = format!("signal `{}`: samples[{i}]", d.id);
        cx.value(s.at(&["samples", &i.to_string()]), &what, d.samples[i]);
    }
}

pub(super) fn alerts(cx: &mut Cx<'_, '_>, raw: &Raw<'_>, names: &Names<'_>) -> Vec<Alert> {
    raw.alerts
        .iter()
        .map(|a| {
            let d = &a.def;
            let signal = cx.lookup(&d.signal, &names.signals, "signal").unwrap_or(0);
            let what = |field: &str| format!("alert `{}`: `{field}`", d.id);
            cx.value(a.at(&["threshold"]), &what("threshold"), d.threshold);
            let for_beats = cx.beats(a.at(&["for_beats"]), &what("for_beats"), d.for_beats, 1);
            cx.line(a, &["summary"], &what("summary"), &d.summary);
            cx.ck
                .count(a.at(&["marks"]), "marks", d.marks.len(), MAX_LIST);
            Alert {
                id: d.id.clone(),
                signal,
                threshold: d.threshold,
                direction: d.direction,
                for_beats: for_beats.max(1),
                severity: d.severity,
                summary: d.summary.clone(),
                marks: d.marks.clone(),
            }
        })
        .collect()
}
