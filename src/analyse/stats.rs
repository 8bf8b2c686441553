//! Statistics for the disproportionality analysis: Fisher's exact test on a 2x2 table and the
//! confidence interval of a risk ratio.
//!
//! Small enough to own: the whole of Fisher's test is a sum of hypergeometric probabilities,
//! computed from a table of log-factorials so that tables of a few hundred thousand decisions
//! stay exact to double precision without overflow. Tested against published worked examples.

/// ln(k!) for k = 0..=n.
fn log_factorials(n: u64) -> Vec<f64> {
    let mut t = Vec::with_capacity(n as usize + 1);
    let mut acc = 0.0f64;
    t.push(0.0);
    for k in 1..=n {
        acc += (k as f64).ln();
        t.push(acc);
    }
    t
}

/// Two-sided p-value of Fisher's exact test for the table
///
/// ```text
///            outcome  not outcome
/// group        a          b
/// reference    c          d
/// ```
///
/// Sums the probabilities (hypergeometric, margins fixed) of every table no more likely than
/// the one observed, with the relative tolerance R's `fisher.test` uses so that tables of
/// equal probability are not lost to rounding.
#[allow(
    clippy::indexing_slicing,
    reason = "lf holds ln k! for every k <= n; each index is a cell or margin of a table of n"
)]
pub fn fisher_two_sided(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let n = a + b + c + d;
    if n == 0 {
        return 1.0;
    }
    let lf = log_factorials(n);
    let (row1, col1) = (a + b, a + c);
    let (row2, col2) = (n - row1, n - col1);
    // ln P(x) for the table with x in the top-left cell.
    let fixed = lf[row1 as usize] + lf[row2 as usize] + lf[col1 as usize] + lf[col2 as usize]
        - lf[n as usize];
    let ln_p = |x: u64| {
        fixed
            - lf[x as usize]
            - lf[(row1 - x) as usize]
            - lf[(col1 - x) as usize]
            - lf[(row2 + x - col1) as usize]
    };
    let lo = (row1 + col1).saturating_sub(n);
    let hi = row1.min(col1);
    let observed = ln_p(a);
    let tolerance: f64 = 1e-7;
    let mut p = 0.0;
    for x in lo..=hi {
        let l = ln_p(x);
        if l <= observed + tolerance.ln_1p() {
            p += l.exp();
        }
    }
    p.min(1.0)
}

/// A risk ratio with its 95% confidence interval (Katz's log method).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskRatio {
    pub ratio: f64,
    pub low: f64,
    pub high: f64,
}

/// Ratio of the rates `a / n1` and `c / n2`, with a 95% interval. None when either rate is
/// zero (the ratio or its logarithm is undefined).
pub fn risk_ratio(a: u64, n1: u64, c: u64, n2: u64) -> Option<RiskRatio> {
    if a == 0 || c == 0 || n1 == 0 || n2 == 0 {
        return None;
    }
    let (a, n1, c, n2) = (a as f64, n1 as f64, c as f64, n2 as f64);
    let ratio = (a / n1) / (c / n2);
    let se = (1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2).sqrt();
    let z = 1.959_963_984_540_054;
    Some(RiskRatio {
        ratio,
        low: (ratio.ln() - z * se).exp(),
        high: (ratio.ln() + z * se).exp(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn lady_tasting_tea() {
        // Fisher (1935): 3 of 4 milk-first cups identified. R: fisher.test(matrix(c(3,1,1,3),2))
        // gives p-value = 0.4857 (= 34/70).
        assert!(close(fisher_two_sided(3, 1, 1, 3), 34.0 / 70.0, 1e-12));
        // All four right: p = 2/70 two-sided.
        assert!(close(fisher_two_sided(4, 0, 0, 4), 2.0 / 70.0, 1e-12));
    }

    #[test]
    fn wikipedia_dieting_example() {
        // Wikipedia, "Fisher's exact test": men 1 dieting / 11 not, women 9 / 3. Hand
        // computed: P(observed) = C(10,1) C(14,11) / C(24,12) = 0.001346; two-sided sums
        // the tables x=0, 1 and their mirror x=9, 10: 0.002759.
        let p = fisher_two_sided(1, 11, 9, 3);
        assert!(close(p, 0.002759, 5e-7), "{p}");
    }

    #[test]
    fn symmetric_and_bounded() {
        assert_eq!(fisher_two_sided(5, 5, 5, 5), 1.0);
        assert!(close(
            fisher_two_sided(2, 8, 7, 3),
            fisher_two_sided(7, 3, 2, 8),
            1e-12
        ));
        assert_eq!(fisher_two_sided(0, 0, 0, 0), 1.0);
        // A large table stays finite and tiny: 300/1000 against 100/1000.
        let p = fisher_two_sided(300, 700, 100, 900);
        assert!(p > 0.0 && p < 1e-20, "{p}");
    }

    #[test]
    fn risk_ratio_with_katz_interval() {
        // 30 of 100 against 15 of 100: RR 2.0, se = sqrt(1/30 - 1/100 + 1/15 - 1/100) = 0.2828,
        // interval exp(ln 2 -/+ 1.96 * 0.2828) = 1.1489 .. 3.4817 (hand computed).
        let r = risk_ratio(30, 100, 15, 100).unwrap();
        assert!(close(r.ratio, 2.0, 1e-12));
        assert!(close(r.low, 1.1489, 1e-4), "{r:?}");
        assert!(close(r.high, 3.4817, 1e-4), "{r:?}");
        assert_eq!(risk_ratio(0, 10, 3, 10), None);
    }
}
