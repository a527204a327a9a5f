//! Numbers as both debriefs print them, so the page and the text agree to the digit.

/// A fraction as a whole percentage; below zero the budget is overspent.
pub fn percent(f: f64) -> String {
    if f < 0.0 {
        format!("{:.0}% (overspent)", f * 100.0)
    } else {
        format!("{:.0}%", f * 100.0)
    }
}

/// A number as the charts label it: two decimals below 10, one below 100, none above, and
/// no trailing zeros (`0.14`, `5.8`, `600`).
pub fn num(v: f64) -> String {
    let s = if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(num(0.14), "0.14");
        assert_eq!(num(5.80), "5.8");
        assert_eq!(num(600.0), "600");
        assert_eq!(num(-0.001), "0");
        assert_eq!(percent(0.774), "77%");
        assert_eq!(percent(-0.2), "-20% (overspent)");
    }
}
