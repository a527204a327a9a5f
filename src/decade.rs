//! The power of ten a number sits in, for chart ticks and number formatting. Computed with
//! integer powers only: the C maths library's `log10` and `pow` were the binary's only reasons
//! to load `libm`, whose pages a console kept resident all day.

/// `floor(log10(|v|))` for a finite non-zero `v`: 0 for 1..10, 2 for 100..1000, -1 for
/// 0.1..1. Zero, infinities and NaN give 0.
pub fn decade(v: f64) -> i32 {
    let v = v.abs();
    if v == 0.0 || !v.is_finite() {
        return 0;
    }
    if v < 1e-290 {
        // Tiny and subnormal values: 10⁻ⁿ past 1e-308 is no longer a normal f64.
        return decade(v * 1e100) - 100;
    }
    // An estimate from the binary exponent (log10(2) ≈ 0.30103), then exact steps.
    let (bits_exp, _) = frexp(v);
    let mut k = ((bits_exp - 1) as f64 * std::f64::consts::LOG10_2).floor() as i32;
    while k > -310 && pow10(k) > v {
        k -= 1;
    }
    while k < 310 && pow10(k + 1) <= v {
        k += 1;
    }
    k
}

/// 10ⁿ as exactly as `f64` holds it for the exponents numbers on a screen have.
pub fn pow10(n: i32) -> f64 {
    if n >= 0 {
        10f64.powi(n)
    } else {
        // 1 / 10ⁿ rounds once, where 10⁻ⁿ by repeated multiplication would round n times.
        1.0 / 10f64.powi(-n)
    }
}

/// The binary exponent `e` with `v = m · 2^e`, `0.5 <= m < 1` (for a finite normal `v`).
fn frexp(v: f64) -> (i32, f64) {
    let bits = v.to_bits();
    let raw = ((bits >> 52) & 0x7ff) as i32;
    let e = raw - 1022;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (e, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_match_the_maths_library_at_every_edge() {
        for k in -250..250 {
            let p = pow10(k);
            assert_eq!(decade(p), k, "10^{k}");
            assert_eq!(decade(-p), k, "-10^{k}");
            assert_eq!(decade(p * 1.000_001), k, "just above 10^{k}");
            assert_eq!(decade(p * 0.999_999), k - 1, "just below 10^{k}");
        }
        for v in [
            1.0,
            9.99,
            10.0,
            123.4,
            0.05,
            0.5,
            7e-9,
            3.2e12,
            f64::MAX,
            5e-324,
        ] {
            assert_eq!(decade(v), v.log10().floor() as i32, "{v}");
        }
        assert_eq!(decade(0.0), 0);
        assert_eq!(decade(f64::NAN), 0);
    }

    #[test]
    fn powers_of_ten_are_the_literals() {
        assert_eq!(pow10(0), 1.0);
        assert_eq!(pow10(3), 1000.0);
        assert_eq!(pow10(-1), 0.1);
        assert_eq!(pow10(-3), 0.001);
        assert_eq!(pow10(22), 1e22);
    }
}
