//! A panel's units and thresholds in the vista's terms: a unit is a label printed beside the
//! value (Grafana's `percentunit`, a 0–1 ratio, is shown as percent by scaling the query), and
//! thresholds are one `warn` and one `crit`, rising or falling (docs/vista-format.md).

use super::model::{Step, Thresholds};

/// A Grafana unit id as the vista shows it: the label and the factor applied to the values.
pub struct Unit {
    pub label: String,
    pub factor: f64,
}

/// Grafana's unit ids and the vista's labels. Unknown ids are kept as written.
pub fn unit(id: &str) -> Unit {
    let label = match id {
        "percentunit" => {
            return Unit {
                label: "%".into(),
                factor: 100.0,
            };
        }
        "none" | "short" | "" | "locale" | "string" | "sishort" => "",
        "percent" => "%",
        "bytes" | "decbytes" | "bytes(IEC)" | "bytes(SI)" => "B",
        "bits" | "decbits" => "b",
        "kbytes" | "deckbytes" => "kB",
        "mbytes" | "decmbytes" => "MB",
        "gbytes" | "decgbytes" => "GB",
        "Bps" | "binBps" | "decBps" => "B/s",
        "bps" | "binbps" => "b/s",
        "KBs" | "KiBs" => "kB/s",
        "MBs" | "MiBs" => "MB/s",
        "pps" => "p/s",
        "reqps" => "req/s",
        "rps" => "r/s",
        "wps" => "w/s",
        "iops" => "io/s",
        "ops" | "opm" => "ops/s",
        "cps" => "c/s",
        "s" | "dtdurations" => "s",
        "ms" | "dtdurationms" => "ms",
        "µs" | "us" => "µs",
        "ns" => "ns",
        "m" => "min",
        "h" => "h",
        "d" => "d",
        "hertz" => "Hz",
        "rotrpm" => "rpm",
        "celsius" => "°C",
        "fahrenheit" => "°F",
        "volt" => "V",
        "amp" => "A",
        "watt" => "W",
        "kwatt" => "kW",
        "watth" => "Wh",
        "kwatth" => "kWh",
        "conns" => "conn",
        "dateTimeAsIso" | "dateTimeFromNow" | "dateTimeAsSystem" | "dateTimeAsUS" => "",
        other => other,
    };
    Unit {
        label: label.to_string(),
        factor: 1.0,
    }
}

/// Whether a Grafana colour is a warning (yellow, orange) or critical (red) one; other colours
/// (green, blue, text, transparent) are healthy.
fn severity(color: &str) -> u8 {
    let c = color.to_ascii_lowercase().replace(' ', "");
    let named = |words: &[&str]| words.iter().any(|w| c.contains(w));
    if named(&["red", "purple"]) {
        return 2;
    }
    if named(&["orange", "yellow"]) {
        return 1;
    }
    if named(&["green", "blue", "text", "transparent"]) {
        return 0;
    }
    // rgba(r, g, b, a) and #rrggbb: red-dominant is critical, red and green together a warning.
    let rgb: Option<(f64, f64, f64)> = if let Some(hex) = c.strip_prefix('#') {
        let h = |i: usize| {
            u8::from_str_radix(hex.get(i..i + 2)?, 16)
                .ok()
                .map(f64::from)
        };
        (|| Some((h(0)?, h(2)?, h(4)?)))()
    } else if let Some(inner) = c.split_once('(').and_then(|(_, r)| r.split(')').next()) {
        let v: Vec<f64> = inner.split(',').filter_map(|x| x.parse().ok()).collect();
        (v.len() >= 3).then(|| (v[0], v[1], v[2]))
    } else {
        None
    };
    match rgb {
        Some((r, g, b)) if r > 180.0 && g < 110.0 && b < 110.0 => 2,
        Some((r, g, b)) if r > 180.0 && g >= 110.0 && b < 110.0 => 1,
        _ => 0,
    }
}

/// `warn` and `crit` for the vista, and a note when something could not be carried over.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Levels {
    pub warn: Option<f64>,
    pub crit: Option<f64>,
    pub note: Option<String>,
}

/// The first value at which each severity begins (rising: values at or above are bad) or, when
/// the lowest band is the bad one, where it ends (falling: values at or below are bad).
fn from_bands(bands: &[(Option<f64>, u8)]) -> Levels {
    let falling =
        bands.first().is_some_and(|b| b.1 > 0) && bands.last().is_some_and(|b| b.1 < bands[0].1);
    let mut out = Levels::default();
    if falling {
        // Bands from low to high: the value where a band of severity s or worse ends.
        for w in bands.windows(2) {
            let (from, to) = (w[0].1, w[1].1);
            let at = w[1].0;
            if from == 2 && to < 2 && out.crit.is_none() {
                out.crit = at;
            }
            if from >= 1 && to == 0 && out.warn.is_none() {
                out.warn = at;
            }
        }
        if out.warn.is_none() {
            out.warn = out.crit;
        }
    } else {
        for (value, sev) in bands {
            if *sev >= 1 && out.warn.is_none() {
                out.warn = *value;
            }
            if *sev == 2 && out.crit.is_none() {
                out.crit = *value;
            }
        }
        if out.warn == out.crit && out.crit.is_some() {
            // Only a red band: the vista's crit alone.
            out.warn = None;
        }
    }
    out
}

/// The panel's thresholds as warn/crit, on values already multiplied by `factor`.
pub fn levels(t: &Thresholds, min: Option<f64>, max: Option<f64>, factor: f64) -> Levels {
    let mut out = match t {
        Thresholds::None => return Levels::default(),
        Thresholds::Steps { percentage, steps } => {
            let scale = |v: f64| -> Option<f64> {
                if *percentage {
                    let (lo, hi) = (min?, max?);
                    Some(lo + (hi - lo) * v / 100.0)
                } else {
                    Some(v)
                }
            };
            if *percentage && (min.is_none() || max.is_none()) {
                return Levels {
                    note: Some(
                        "thresholds are percentages of a min..max the panel does not set: dropped"
                            .into(),
                    ),
                    ..Levels::default()
                };
            }
            let bands: Vec<(Option<f64>, u8)> = steps
                .iter()
                .map(|Step { value, color }| (value.and_then(scale), severity(color)))
                .collect();
            from_bands(&bands)
        }
        Thresholds::Graph(list) => {
            let mut out = Levels::default();
            for (value, gt, mode) in list {
                match mode.as_str() {
                    "critical" => out.crit = Some(*value),
                    "warning" => out.warn = Some(*value),
                    _ => {}
                }
                if !gt {
                    out.note = Some("a `lt` threshold: low values are the bad ones".into());
                }
            }
            out
        }
        Thresholds::Singlestat(values, colors) => {
            let sev: Vec<u8> = colors.iter().map(|c| severity(c)).collect();
            let mut bands = vec![(None, sev.first().copied().unwrap_or(0))];
            for (i, v) in values.iter().enumerate() {
                bands.push((Some(*v), sev.get(i + 1).copied().unwrap_or(2)));
            }
            from_bands(&bands)
        }
    };
    out.warn = out.warn.map(|v| v * factor);
    out.crit = out.crit.map(|v| v * factor);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(s: &[(Option<f64>, &str)]) -> Thresholds {
        Thresholds::Steps {
            percentage: false,
            steps: s
                .iter()
                .map(|(v, c)| Step {
                    value: *v,
                    color: (*c).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn rising_steps() {
        let l = levels(
            &steps(&[
                (None, "green"),
                (Some(70.0), "#EAB839"),
                (Some(90.0), "red"),
            ]),
            None,
            None,
            1.0,
        );
        assert_eq!((l.warn, l.crit), (Some(70.0), Some(90.0)));
        let only_red = levels(
            &steps(&[(None, "green"), (Some(80.0), "red")]),
            None,
            None,
            1.0,
        );
        assert_eq!((only_red.warn, only_red.crit), (None, Some(80.0)));
    }

    #[test]
    fn falling_steps_and_rgba() {
        let l = levels(
            &steps(&[
                (None, "rgba(245, 54, 54, 0.9)"),
                (Some(10.0), "rgba(237, 129, 40, 0.89)"),
                (Some(20.0), "rgba(50, 172, 45, 0.97)"),
            ]),
            None,
            None,
            1.0,
        );
        assert_eq!((l.warn, l.crit), (Some(20.0), Some(10.0)));
    }

    #[test]
    fn percentage_needs_min_and_max() {
        let t = Thresholds::Steps {
            percentage: true,
            steps: vec![
                Step {
                    value: None,
                    color: "green".into(),
                },
                Step {
                    value: Some(70.0),
                    color: "dark-yellow".into(),
                },
                Step {
                    value: Some(90.0),
                    color: "dark-red".into(),
                },
            ],
        };
        let l = levels(&t, Some(0.0), Some(1.0), 100.0);
        assert_eq!((l.warn, l.crit), (Some(70.0), Some(90.0)));
        assert!(levels(&t, None, None, 1.0).note.is_some());
    }

    #[test]
    fn singlestat_colours_give_the_direction() {
        let rising = [
            "rgba(50, 172, 45, 0.97)",
            "rgba(237, 129, 40, 0.89)",
            "rgba(245, 54, 54, 0.9)",
        ];
        let t = Thresholds::Singlestat(vec![85.0, 95.0], rising.map(String::from).to_vec());
        let l = levels(&t, None, None, 1.0);
        assert_eq!((l.warn, l.crit), (Some(85.0), Some(95.0)));
        let mut falling = rising.map(String::from).to_vec();
        falling.reverse();
        let l = levels(
            &Thresholds::Singlestat(vec![10.0, 25.0], falling),
            None,
            None,
            1.0,
        );
        assert_eq!((l.warn, l.crit), (Some(25.0), Some(10.0)));
    }

    #[test]
    fn units() {
        assert_eq!(unit("percentunit").factor, 100.0);
        assert_eq!(unit("bytes").label, "B");
        assert_eq!(unit("s").label, "s");
        assert_eq!(unit("dtdurationms").label, "ms");
        assert_eq!(unit("hertz").label, "Hz");
        assert_eq!(unit("rotrpm").label, "rpm");
        assert_eq!(unit("short").label, "");
        assert_eq!(unit("lengthm").label, "lengthm");
    }
}
