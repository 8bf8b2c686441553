//! Figures to a fixed number of decimals, as `format!("{x:.N}")` writes them, without the
//! standard library's exact float formatting for the values where that is not needed.
//!
//! links.csv, matches.csv and the explain buckets print tens of millions of figures for a
//! large force, and `{:.2}`/`{:.6}` (Grisu with its exact mode) would be the largest single
//! cost of the render stage after the scoring the rows explain.
//!
//! Why the fast path gives the same text: for |x| * 10^N below 10^9 the product `y` is
//! within 2^-22 of the exact product, so rounding `y` to the nearest integer gives the
//! digits of the exactly rounded decimal unless the exact product lies near a half (a tie,
//! or a value a hair either side of one). Those values, and anything large, infinite or
//! NaN, go to `format!`, which decides them exactly. The sign is written as `format!`
//! writes it: `-0.00` for a negative value that rounds to zero.

use std::fmt::Write;

const SCALE: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
const UNIT: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/// Append `x` with `digits` decimals (at most 6) to `s`, exactly as `{x:.digits$}` would.
pub fn push_fixed(s: &mut String, x: f64, digits: usize) {
    let (Some(&scale), Some(&unit)) = (SCALE.get(digits), UNIT.get(digits)) else {
        let _ = write!(s, "{x:.digits$}");
        return;
    };
    let y = x.abs() * scale;
    // (NaN fails the first comparison, infinity the second.)
    if (0.0..1e9).contains(&y) && (y - y.floor() - 0.5).abs() > 1e-6 {
        let n = y.round() as u64;
        if x.is_sign_negative() {
            s.push('-');
        }
        let _ = write!(s, "{}", n / unit);
        if digits > 0 {
            let _ = write!(s, ".{:0digits$}", n % unit);
        }
        return;
    }
    let _ = write!(s, "{x:.digits$}");
}

/// `x` with `digits` decimals into `s`, cleared first (a buffer reused from field to field).
pub fn fixed(s: &mut String, x: f64, digits: usize) {
    s.clear();
    push_fixed(s, x, digits);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(x: f64) {
        for d in 0..=6 {
            let mut s = String::new();
            push_fixed(&mut s, x, d);
            assert_eq!(s, format!("{x:.d$}"), "{x:e} to {d} decimals");
        }
    }

    /// The fast path writes exactly what `format!` writes: ties of every kind (exact
    /// halves, and the binary neighbours of decimal halves such as 0.125 and 2.675), negative
    /// values that round to zero, the figures the outputs print (bits, weights,
    /// probabilities), large values, infinities and NaN.
    #[test]
    fn fixed_figures_match_format_to_the_byte() {
        for x in [
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.125,
            0.375,
            2.675,
            1.005,
            0.0005,
            -0.0004,
            -0.004,
            1e-7,
            0.999_999_5,
            0.999_999_4,
            9.995,
            123.455,
            1e9,
            1e15,
            4.5e15,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            check(x);
        }
        // Every multiple of 1/1024 (many exact ties at each precision) and their neighbours.
        for k in -20_000i32..20_000 {
            let x = f64::from(k) / 1024.0;
            check(x);
            check(f64::from_bits(x.to_bits() + 1));
            check(f64::from_bits(x.to_bits().saturating_sub(1)));
        }
        // Decimal halves near each precision, as written in source (binary neighbours).
        for k in 0..20_000u32 {
            for d in 1..=6 {
                check((f64::from(k) + 0.5) / 10f64.powi(d));
            }
        }
        // A spread of ordinary values, deterministic (xorshift).
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..300_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exp = (state % 24) as i32 - 12;
            check((unit - 0.5) * 10f64.powi(exp));
        }
    }
}
