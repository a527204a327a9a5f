//! Time, in one place: durations (`"500ms"`, `"1s"`, `"2m"`, `"1h30m"`, `"30d"`) and points in
//! time (RFC 3339, unix seconds, `now`, relative `-2h`) as written in vista files, recordings and
//! on the `capture` command line; the wall clock for the shells; and the story clock a drill
//! shows. Only the shells call [`now_unix`]; the views are handed a `now`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Parses a duration: one or more `NUMBER UNIT` parts with units `ms`, `s`, `m`, `h`, `d`, `w`
/// (`"500ms"`, `"1.5s"`, `"2m"`, `"1h30m"`, `"30d"`). A bare number is an error: the unit is
/// never guessed.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("empty duration; write e.g. \"1s\", \"500ms\", \"2m\"".into());
    }
    let bad = |why: &str| {
        Err(format!(
            "bad duration `{text}`: {why}; write e.g. \"1s\", \"500ms\", \"2m\", \"1h30m\""
        ))
    };
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut total = 0f64;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        if start == i {
            return bad("expected a number");
        }
        let Ok(n) = s[start..i].parse::<f64>() else {
            return bad("not a number");
        };
        let ustart = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit = match &s[ustart..i] {
            "ms" => 0.001,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            "w" => 604_800.0,
            "" => return bad("missing unit (ms, s, m, h, d or w)"),
            _ => return bad("unknown unit (use ms, s, m, h, d or w)"),
        };
        total += n * unit;
    }
    if !total.is_finite() || total > 10.0 * 365.0 * 86_400.0 {
        return bad("too long");
    }
    Ok(Duration::from_secs_f64(total))
}

/// Formats a duration compactly with whole units: `500ms`, `1s`, `1m30s`, `2h`, `30d`.
pub fn format_duration(d: Duration) -> String {
    let ms_total = d.as_millis();
    if ms_total == 0 {
        return if d.is_zero() {
            "0s".into()
        } else {
            format!("{}µs", d.as_micros())
        };
    }
    let mut out = String::new();
    let mut rest = ms_total;
    for (unit, ms) in [
        ("d", 86_400_000u128),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
        ("ms", 1),
    ] {
        let n = rest / ms;
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
            rest -= n * ms;
        }
    }
    out
}

/// A duration as Prometheus reads it: one unit only (`90s`, `1500ms`), accepted by every version.
pub fn prometheus_duration(d: Duration) -> String {
    let ms = d.as_millis().max(1);
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// The local time zone's offset from UTC at `unix` seconds, in seconds (0 where unknown), so
/// chart axes read in the viewer's own time.
pub fn local_offset(unix: f64) -> i64 {
    let t = unix as libc::time_t;
    // SAFETY: localtime_r only writes the `tm` it is given; both live on this stack frame.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if ok {
        i64::from(tm.tm_gmtoff as i32)
    } else {
        0
    }
}

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> f64 {
    to_unix(SystemTime::now())
}

/// Seconds since the Unix epoch of a `SystemTime`.
pub fn to_unix(t: SystemTime) -> f64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}

/// Parses a point in time to unix seconds: `now`, a relative offset from now (`-2h`, `now-2h`,
/// `+5m`), unix seconds (`1714557600`, `1714557600.5`) or RFC 3339 (`2024-05-01T10:00:00Z`,
/// `2024-05-01T12:00:00+02:00`, `2024-05-01 10:00:00Z`, or a bare date `2024-05-01` for midnight UTC).
pub fn parse_time(text: &str, now: f64) -> Result<f64, String> {
    let s = text.trim();
    if s.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    let rel = s.strip_prefix("now").unwrap_or(s);
    if let Some(d) = rel.strip_prefix('-') {
        return parse_duration(d)
            .map(|d| now - d.as_secs_f64())
            .map_err(|e| format!("bad time `{text}`: {e}"));
    }
    if let Some(d) = rel.strip_prefix('+') {
        return parse_duration(d)
            .map(|d| now + d.as_secs_f64())
            .map_err(|e| format!("bad time `{text}`: {e}"));
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return s
            .parse::<f64>()
            .map_err(|_| format!("bad time `{text}`: not unix seconds"));
    }
    parse_rfc3339(s).ok_or_else(|| {
        format!("bad time `{text}`: use RFC 3339 (2024-05-01T10:00:00Z), unix seconds, `now` or a relative time like -2h")
    })
}

/// Parses an RFC 3339 timestamp (with `T`, `t` or a space between date and time; fractional
/// seconds; `Z` or `±hh:mm`); a bare date is midnight UTC.
pub fn parse_rfc3339(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    if b.len() == 10 {
        return Some((days * 86_400) as f64);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut frac = 0f64;
    if b.get(i) == Some(&b'.') {
        let start = i;
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac = s.get(start..i)?.parse::<f64>().ok()?;
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        c @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let o = num(i + 1..i + 3)? * 3600 + num(i + 4..i + 6)? * 60;
            if *c == b'+' { o } else { -o }
        }
        _ => return None,
    };
    Some((days * 86_400 + h * 3600 + mi * 60 + sec - offset) as f64 + frac)
}

/// Formats unix seconds as RFC 3339 UTC, to the second (`2024-05-01T10:00:00Z`).
pub fn format_rfc3339(unix: f64) -> String {
    let secs = unix.floor() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Story time as the console and the reports show it: `H:MM:SS`.
pub fn story_clock(seconds: u64) -> String {
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert!(parse_duration("5").unwrap_err().contains("missing unit"));
        assert!(parse_duration("5y").unwrap_err().contains("unknown unit"));
        assert_eq!(format_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(
            prometheus_duration(Duration::from_secs(30 * 86_400)),
            "2592000s"
        );
    }

    #[test]
    fn times() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(
            parse_rfc3339("2024-05-01T12:00:00+02:00"),
            Some(1_714_557_600.0)
        );
        assert_eq!(
            parse_time("2024-05-01T10:00:00.5Z", 0.0),
            Ok(1_714_557_600.5)
        );
        assert_eq!(parse_time("-2h", 10_000.0), Ok(2800.0));
        assert_eq!(parse_time("now-1m", 100.0), Ok(40.0));
        assert_eq!(parse_time("1714557600", 0.0), Ok(1_714_557_600.0));
        assert!(parse_time("yesterday", 0.0).is_err());
        assert_eq!(format_rfc3339(1_714_557_600.0), "2024-05-01T10:00:00Z");
        for t in [0.0, 951_782_400.0, 4_102_444_800.0, 1_709_164_800.0] {
            assert_eq!(parse_rfc3339(&format_rfc3339(t)), Some(t));
        }
    }
}
