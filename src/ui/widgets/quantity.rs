//! A value with its unit as a pane writes it: bytes with binary prefixes (`1.49GiB`), time
//! units as durations (`8h 41m`, `3d 4h`, `250 ms`, as Grafana writes `s`, `ms`,
//! `dtdurations`…), anything else as a number beside its label.

use super::plot;
use super::text::{clean, number};

/// How many seconds one of `unit` is, when the unit is a time: the labels the vista writes for
/// Grafana's time units (`s`, `ms`, `µs`, `ns`, `min`, `h`, `d`) and their usual spellings.
pub fn seconds_per(unit: &str) -> Option<f64> {
    Some(match unit.trim() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "ms" | "millisecond" | "milliseconds" => 1e-3,
        "µs" | "us" | "microseconds" => 1e-6,
        "ns" | "nanoseconds" => 1e-9,
        "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        _ => return None,
    })
}

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;
const YEAR: u64 = 365 * DAY;

/// A span of seconds as people say it: `250 ms`, `12.5 s`, `4m 12s`, `8h 41m`, `3d 4h`,
/// `2y 12d`; the two largest parts, the second left out when it is zero.
pub fn duration(secs: f64) -> String {
    if !secs.is_finite() {
        return "–".into();
    }
    if secs < 0.0 {
        return format!("-{}", duration(-secs));
    }
    if secs == 0.0 {
        return "0 s".into();
    }
    if secs < 1e-6 {
        return format!("{} ns", number(secs * 1e9));
    }
    if secs < 1e-3 {
        return format!("{} µs", number(secs * 1e6));
    }
    if secs < 1.0 {
        return format!("{} ms", number(secs * 1e3));
    }
    if secs < 59.5 {
        return format!("{} s", number(secs));
    }
    let parts = |n: u64, big: u64, small: u64, (a, b): (&str, &str)| {
        let (hi, lo) = (n / (big / small), n % (big / small));
        if lo == 0 {
            format!("{hi}{a}")
        } else {
            format!("{hi}{a} {lo}{b}")
        }
    };
    let whole = |unit: u64| (secs / unit as f64).round() as u64;
    if whole(1) < HOUR {
        parts(whole(1), MINUTE, 1, ("m", "s"))
    } else if whole(MINUTE) * MINUTE < DAY {
        parts(whole(MINUTE), HOUR, MINUTE, ("h", "m"))
    } else if whole(HOUR) * HOUR < YEAR {
        parts(whole(HOUR), DAY, HOUR, ("d", "h"))
    } else {
        parts(whole(DAY), YEAR, DAY, ("y", "d"))
    }
}

/// `v` in `unit` as a pane's value: bytes in binary prefixes, a time as a [`duration`],
/// anything else as a number and the unit's label.
pub fn value_text(v: f64, unit: &str) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if plot::is_bytes(unit) {
        return plot::value_label(v, unit, v.abs() / 100.0);
    }
    match seconds_per(unit) {
        Some(k) => duration(v * k),
        None => format!("{} {}", number(v), clean(unit)),
    }
}

/// Round spans for a time axis, in seconds.
const DURATION_STEPS: [u64; 19] = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
    604_800,
];

/// About `n` ticks over `lo..=hi` seconds at a round span (a minute, 15 minutes, 6 hours, a
/// day…), or `None` under two minutes (plain numbers read well there).
pub fn duration_ticks(lo: f64, hi: f64, n: usize) -> Option<Vec<f64>> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || n == 0 || hi.abs().max(lo.abs()) < 120.0 {
        return None;
    }
    let raw = (hi - lo) / n as f64;
    let step = DURATION_STEPS
        .iter()
        .map(|s| *s as f64)
        .find(|s| *s >= raw)
        .unwrap_or_else(|| (raw / 604_800.0).ceil() * 604_800.0);
    let first = (lo / step).ceil() * step;
    Some(
        (0..64)
            .map(|k| first + step * f64::from(k))
            .take_while(|t| *t <= hi + step * 1e-9)
            .collect(),
    )
}

/// A duration as an axis label: its two largest parts, no spaces (`30m`, `1h30m`, `2d`).
pub fn duration_label(secs: f64) -> String {
    duration(secs).replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(31_300.0), "8h 42m");
        assert_eq!(duration(31_260.0), "8h 41m");
        assert_eq!(duration(3.0 * 86_400.0 + 4.0 * 3600.0 + 59.0), "3d 4h");
        assert_eq!(duration(252.0), "4m 12s");
        assert_eq!(duration(300.0), "5m");
        assert_eq!(duration(3599.7), "1h");
        assert_eq!(duration(86_399.0), "1d");
        assert_eq!(duration(12.5), "12.5 s");
        assert_eq!(duration(0.25), "250 ms");
        assert_eq!(duration(0.0125), "12.5 ms");
        assert_eq!(duration(4.2e-5), "42.0 µs");
        assert_eq!(duration(400.0 * 86_400.0), "1y 35d");
        assert_eq!(duration(-90.0), "-1m 30s");
        assert_eq!(duration(0.0), "0 s");
        assert_eq!(duration(f64::NAN), "–");
    }

    #[test]
    fn every_time_unit_is_a_duration_and_others_keep_their_label() {
        // Node Exporter Full's uptime stat (unit `s`): once "31.3k s".
        assert_eq!(value_text(31_300.0, "s"), "8h 42m");
        assert_eq!(value_text(1500.0, "ms"), "1.50 s");
        assert_eq!(value_text(90.0, "min"), "1h 30m");
        assert_eq!(value_text(36.0, "h"), "1d 12h");
        assert_eq!(value_text(2.0, "d"), "2d");
        assert_eq!(value_text(850.0, "µs"), "850 µs");
        assert_eq!(value_text(2048.0, "B"), "2.00KiB");
        assert_eq!(value_text(31_300.0, "req/s"), "31.3k req/s");
        assert_eq!(value_text(f64::NAN, "s"), "–");
        // Grafana's duration ids come through the import as these labels.
        for id in [
            "s",
            "dtdurations",
            "ms",
            "dtdurationms",
            "µs",
            "ns",
            "m",
            "h",
            "d",
        ] {
            let label = crate::vista::grafana::fields::unit(id).label;
            assert!(seconds_per(&label).is_some(), "{id} → {label}");
        }
    }

    #[test]
    fn a_time_axis_ticks_at_round_spans() {
        let t = duration_ticks(0.0, 86_400.0, 4).unwrap();
        assert_eq!(t, vec![0.0, 21_600.0, 43_200.0, 64_800.0, 86_400.0]);
        assert_eq!(duration_label(21_600.0), "6h");
        assert_eq!(duration_label(5400.0), "1h30m");
        assert!(
            duration_ticks(0.0, 60.0, 3).is_none(),
            "plain numbers under two minutes"
        );
    }
}
