//! The odds arithmetic of linking: weights in bits to probabilities, the posterior's prior
//! odds at a match share, and tonight's match share estimated from the records' masses.
//! Numbers only: what a pair is, and what is decided from its odds, live in `score` and
//! `assign`.

/// Turn a match weight into a probability.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// The posterior's prior odds that a record belongs to one given person rather than to no
/// one on the roster: pi / ((1 - pi) n).
pub fn prior_odds(match_share: f64, roster_size: usize) -> f64 {
    match_share / ((1.0 - match_share) * roster_size.max(1) as f64)
}

/// What turns a record's pairwise weights into posteriors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Odds {
    /// The pairwise prior in bits (a weight minus it is the pair's evidence).
    pub prior: f64,
    /// `prior_odds` at tonight's match share.
    pub r: f64,
}

impl Odds {
    /// The likelihood ratio 2^e of a pair of this weight.
    pub fn ratio(&self, weight: f64) -> f64 {
        (weight - self.prior).exp2()
    }

    /// P(not on the roster) for a record whose pairs sum to `mass` (sum of 2^e).
    pub fn none(&self, mass: f64) -> f64 {
        1.0 / (1.0 + self.r * mass)
    }
}

/// The highest match share the posterior may use (`assign::estimate_match_share` clamps to
/// it). The pruning floor is set for it, so pruning stays sound whatever the night's
/// estimate is.
pub const MAX_MATCH_SHARE: f64 = 0.999;
/// The lowest match share the estimate may take.
pub const MIN_MATCH_SHARE: f64 = 0.01;

/// How many records' worth of belief the configured share carries in the estimate. A night
/// of two records must not conclude that every record belongs to someone on the roster
/// (which would make a forename and a date of birth enough to link); at 600,000 records it
/// moves the estimate by less than 0.0002.
pub const SHARE_PRIOR_RECORDS: f64 = 100.0;

/// Estimate tonight's match share pi (the share of records that belong to someone on the
/// roster) by expectation-maximisation: from `start`, pi <- mean over records of
/// P(on the roster | pi), until it moves less than 1e-6. The mean counts `start` as
/// `SHARE_PRIOR_RECORDS` more records (the MAP estimate under a Beta prior centred on the
/// configured share). `masses[j]` is record j's sum of
/// likelihood ratios (candidates plus pruned bound; infinite for a confirmed link).
/// Clamped to [MIN_MATCH_SHARE, MAX_MATCH_SHARE]. Summed over the masses in ascending
/// order, so neither thread scheduling nor the order of the input files can move it by a
/// rounding. Returns the share and the iterations it took.
pub fn estimate_match_share(masses: &[f64], roster_size: usize, start: f64) -> (f64, usize) {
    let centre = start.clamp(MIN_MATCH_SHARE, MAX_MATCH_SHARE);
    let mut pi = centre;
    if masses.is_empty() {
        return (pi, 0);
    }
    let mut masses = masses.to_vec();
    masses.sort_unstable_by(f64::total_cmp);
    for iteration in 1..=1_000 {
        let r = prior_odds(pi, roster_size);
        let on_roster: f64 = masses
            .iter()
            .map(|&m| {
                if m.is_infinite() {
                    1.0
                } else {
                    r * m / (1.0 + r * m)
                }
            })
            .sum();
        let next = ((on_roster + SHARE_PRIOR_RECORDS * centre)
            / (masses.len() as f64 + SHARE_PRIOR_RECORDS))
            .clamp(MIN_MATCH_SHARE, MAX_MATCH_SHARE);
        let moved = (next - pi).abs();
        pi = next;
        if moved < 1e-6 {
            return (pi, iteration);
        }
    }
    (pi, 1_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The night's match share is estimated by EM, and recovers a known share on
    /// synthetic records: 70% belong to someone on the roster (evidence from 17 to 41 bits,
    /// against log2 n = 14.3), 30% to no one (no candidate, or a trace of up to 8 bits).
    #[test]
    fn em_recovers_a_known_match_share() {
        let n = 20_000;
        let records = 40_000;
        let masses: Vec<f64> = (0..records)
            .map(|j| {
                if j % 10 < 7 {
                    (17.0 + (j * 7919 % 2_400) as f64 / 100.0).exp2()
                } else if j % 2 == 0 {
                    0.0
                } else {
                    ((j % 13) as f64 - 4.0).exp2()
                }
            })
            .collect();
        for start in [0.05, 0.8, 0.99] {
            let (share, iterations) = estimate_match_share(&masses, n, start);
            assert!((share - 0.7).abs() < 0.01, "from {start}: {share}");
            assert!(iterations < 1_000);
            assert_eq!(estimate_match_share(&masses, n, start).0, share);
        }
        // All strangers: the share falls to its floor; all matches: to its ceiling.
        let (low, _) = estimate_match_share(&vec![0.0; 100_000], n, 0.8);
        assert_eq!(low, MIN_MATCH_SHARE);
        let (high, _) = estimate_match_share(&vec![f64::INFINITY; 100_000], n, 0.8);
        assert_eq!(high, MAX_MATCH_SHARE);
        // Two records that both look matched do not make the night "everyone is on the
        // roster": the configured share holds (82 / 102).
        let (two, _) = estimate_match_share(&[f64::INFINITY; 2], n, 0.8);
        assert!((two - 82.0 / 102.0).abs() < 1e-9, "{two}");
    }
}
