//! Look-alikes: how often someone who is not on the roster finds a roster person who looks
//! like them, measured on the roster itself.
//!
//! The posterior weighs a record's candidates against "not on the roster", and prices that
//! alternative with u: the chance that a stranger agrees with a roster person by
//! coincidence, field by field, each field independent of the others. Real names are not
//! independent of each other or of age: surnames and forenames go together by family
//! origin, forenames by birth year, and families put siblings and twins on the same roster.
//! A stranger therefore finds a roster person with the same names and a date one digit out
//! more often than the product of the fields' u says, and the posterior of such a lone
//! look-alike comes out too high (on a generated force the 0.8-0.9 band was right 30% of the
//! time).
//!
//! The roster shows how often this happens, because its people are strangers to each other.
//! Each sampled roster person is linked, with no NI number and no employee id (a vetting
//! record often has neither), against everyone else on the roster. Under the model, the
//! expected sum of likelihood ratios such a probe collects from the pairs of one agreement
//! pattern of names and date of birth is n * m(pattern) (the average of m/u over chance
//! agreement is m). Where the roster shows more than that, the pattern's look-alikes are
//! commoner than u says, and each pair of that pattern loses log2(observed / expected) bits,
//! so "someone else" gets its due. The correction never adds evidence (a ratio below 1 is
//! blocking not finding the weak pairs, not fewer look-alikes), and is shrunk towards none
//! by `PRIOR_PROBES` probes' worth of the model's expectation, so a small roster keeps the
//! model as it is.
//!
//! Two pairs are left out: a probe's pair with someone of the same NI number (the same
//! person entered twice, not a look-alike), and every pair that agrees exactly on surname,
//! forename and date of birth. A rehired person with no NI on one row would count as a
//! look-alike there, and the exact pattern's posterior is already right (it is under-
//! confident, if anything): the candidate sum handles namesakes on the roster.

use super::compare::{DobLevel, ForenameLevel, PairLevels, SurnameLevel};
use super::weights::{FieldWeights, DOB, FIELDS, FORENAMES, SURNAME};

/// Roster people probed at most (all when the roster is smaller).
pub const SAMPLE: usize = 40_000;
/// The model's expectation counts as this many probes (shrinks a small roster's estimate).
pub const PRIOR_PROBES: f64 = 500.0;
/// Corrections smaller than this (bits) are left out.
pub const MIN_BITS: f64 = 0.05;
/// Fixed-point scale for sums of likelihood ratios (2^12 per unit): integer sums do not
/// depend on which thread added what first.
const SCALE: f64 = 4096.0;

// Level counts, from the level enums (their last level is `Different`, or for forenames
// `Full`, added later); a test checks them against `FIELDS`.
const SURNAMES: usize = SurnameLevel::Different as usize + 1;
const FORENAME_LEVELS: usize = ForenameLevel::Full as usize + 1;
const DOBS: usize = DobLevel::Different as usize + 1;
/// Agreement patterns of surname, forename and date of birth.
pub const PATTERNS: usize = SURNAMES * FORENAME_LEVELS * DOBS;

/// Index of a pair's names-and-date pattern.
pub fn index(l: &PairLevels) -> usize {
    (l.surname as usize * FORENAME_LEVELS + l.forenames as usize) * DOBS + l.dob as usize
}

/// The pattern all three agree exactly (the forenames on the first or on every one): never
/// corrected.
pub fn is_exact(l: &PairLevels) -> bool {
    l.surname == SurnameLevel::Exact
        && matches!(l.forenames, ForenameLevel::Exact | ForenameLevel::Full)
        && l.dob == DobLevel::Exact
}

/// Sums of likelihood ratios per pattern over the probes, in fixed point.
pub struct LookalikeMass {
    pub probes: usize,
    pub mass: Vec<u128>,
    /// Most one probe may add to a pattern's sum (`caps`).
    cap: Vec<f64>,
    /// One probe's sums, before they are capped and added.
    probe: Vec<f64>,
}

/// One probe moves a pattern's ratio (observed over expected) by at most this much: its
/// sum is capped at PROBE_SHARE * (probes + PRIOR_PROBES) * n * m(pattern). Without a cap,
/// one pair of rare names (a rehired person with a slip in the date and no NI number, say)
/// could outweigh every other probe; with it, a large correction needs many probes seeing
/// look-alikes, which is what correlated names and ages produce. (At 40,000 probes the cap
/// is about 20,000 times the model's expectation: a lower one, 2,000, lost a third of the
/// correction on a generated force, so the excess is largely in pairs of rarer names.)
pub const PROBE_SHARE: f64 = 0.5;

/// The model's expected sum per probe for each pattern, n * m(pattern).
#[allow(
    clippy::indexing_slicing,
    reason = "m is a field x level table shaped from `FIELDS`; the loops run over its level counts"
)]
pub fn expected(w: &FieldWeights, n: usize) -> Vec<f64> {
    let mut out = vec![0.0; PATTERNS];
    for s in 0..SURNAMES {
        for f in 0..FORENAME_LEVELS {
            for d in 0..DOBS {
                out[(s * FORENAME_LEVELS + f) * DOBS + d] =
                    n as f64 * w.m[SURNAME][s] * w.m[FORENAMES][f] * w.m[DOB][d];
            }
        }
    }
    out
}

impl LookalikeMass {
    /// An empty sum for `probes` probes (the sample's size) of a roster of `n` at
    /// weights `w`.
    pub fn new(w: &FieldWeights, n: usize, probes: usize) -> LookalikeMass {
        let cap = PROBE_SHARE * (probes as f64 + PRIOR_PROBES);
        LookalikeMass {
            probes: 0,
            mass: vec![0; PATTERNS],
            cap: expected(w, n).into_iter().map(|e| e * cap).collect(),
            probe: vec![0.0; PATTERNS],
        }
    }

    /// Add one probe's pairs: each pattern `l` with evidence `e` (bits, prior removed).
    pub fn add_probe<'a>(&mut self, pairs: impl IntoIterator<Item = (&'a PairLevels, f64)>) {
        self.probes += 1;
        let mut touched = false;
        for (l, e) in pairs {
            if is_exact(l) {
                continue;
            }
            if let Some(slot) = self.probe.get_mut(index(l)) {
                *slot += e.exp2();
                touched = true;
            }
        }
        if !touched {
            return;
        }
        for ((sum, p), cap) in self
            .mass
            .iter_mut()
            .zip(self.probe.iter_mut())
            .zip(&self.cap)
        {
            if *p > 0.0 {
                *sum = sum.saturating_add((p.min(*cap) * SCALE) as u128);
                *p = 0.0;
            }
        }
    }

    pub fn merge(mut self, o: LookalikeMass) -> LookalikeMass {
        self.probes += o.probes;
        for (a, b) in self.mass.iter_mut().zip(o.mass) {
            *a = a.saturating_add(b);
        }
        self
    }
}

/// Bits to take off each pattern's evidence (0 or more), from the probes' sums; `n` is
/// the roster size and `w` the night's weights.
pub fn correction(observed: &LookalikeMass, w: &FieldWeights, n: usize) -> Vec<f64> {
    expected(w, n)
        .into_iter()
        .zip(&observed.mass)
        .map(|(expected, &mass)| {
            let seen = mass as f64 / SCALE;
            let ratio = (seen + PRIOR_PROBES * expected)
                / ((observed.probes as f64 + PRIOR_PROBES) * expected);
            // Below MIN_BITS is the prior's pull, not a finding: left at none.
            let bits = ratio.log2();
            if bits >= MIN_BITS {
                bits
            } else {
                0.0
            }
        })
        .collect()
}

/// The patterns corrected by at least a tenth of a bit, for the log: "level/level/level -x".
#[allow(
    clippy::indexing_slicing,
    reason = "the loops run over `FIELDS`' level counts, which shape `bits`"
)]
pub fn describe(bits: &[f64]) -> String {
    let mut out = Vec::new();
    for s in 0..SURNAMES {
        for f in 0..FORENAME_LEVELS {
            for d in 0..DOBS {
                let b = bits[(s * FORENAME_LEVELS + f) * DOBS + d];
                if b >= 0.1 {
                    out.push(format!(
                        "{}/{}/{} -{b:.2}",
                        FIELDS[SURNAME].1[s], FIELDS[FORENAMES].1[f], FIELDS[DOB].1[d]
                    ));
                }
            }
        }
    }
    out.join("; ")
}

/// The corrected patterns, keyed "surname/forenames/date_of_birth" levels, with the bits
/// taken off (those of at least 0.01 bits), for the run record (`vetrecon show`).
#[allow(
    clippy::indexing_slicing,
    reason = "the loops run over `FIELDS`' level counts, which shape `bits`"
)]
pub fn named(bits: &[f64]) -> std::collections::BTreeMap<String, f64> {
    let mut out = std::collections::BTreeMap::new();
    if bits.len() != PATTERNS {
        return out;
    }
    for s in 0..SURNAMES {
        for f in 0..FORENAME_LEVELS {
            for d in 0..DOBS {
                let b = bits[(s * FORENAME_LEVELS + f) * DOBS + d];
                if b >= 0.01 {
                    out.insert(
                        format!(
                            "{}/{}/{}",
                            FIELDS[SURNAME].1[s], FIELDS[FORENAMES].1[f], FIELDS[DOB].1[d]
                        ),
                        (b * 100.0).round() / 100.0,
                    );
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::settings::default_weights;

    fn levels(s: SurnameLevel, f: ForenameLevel, d: DobLevel) -> PairLevels {
        PairLevels::names_and_dob(s, f, d)
    }

    /// A pattern whose look-alikes the roster shows four times as often as the
    /// model expects loses about 2 bits; one seen less often than expected, or the exact
    /// pattern however often it is seen, loses none.
    #[test]
    fn lookalikes_seen_more_often_than_u_says_cost_evidence_and_never_add_it() {
        let w = FieldWeights::build(&default_weights()).unwrap();
        let n = 100_000;
        let probes = 50_000;
        let one_digit = levels(
            SurnameLevel::Exact,
            ForenameLevel::Exact,
            DobLevel::OneDigit,
        );
        let twins = levels(
            SurnameLevel::Exact,
            ForenameLevel::Different,
            DobLevel::Exact,
        );
        let exact = levels(SurnameLevel::Exact, ForenameLevel::Exact, DobLevel::Exact);
        let m = |l: &PairLevels| {
            w.m[SURNAME][l.surname as usize]
                * w.m[FORENAMES][l.forenames as usize]
                * w.m[DOB][l.dob as usize]
        };
        let mut obs = LookalikeMass::new(&w, n, probes);
        // Every probe sees one pair of each pattern, worth `times` the model's expectation.
        let e = |l: &PairLevels, times: f64| (times * n as f64 * m(l)).log2();
        let (e1, e2, e3) = (e(&one_digit, 4.0), e(&twins, 0.5), e(&exact, 8.0));
        for _ in 0..probes {
            obs.add_probe([(&one_digit, e1), (&twins, e2), (&exact, e3)]);
        }
        assert_eq!(obs.probes, probes);
        let bits = correction(&obs, &w, n);
        let shrunk = ((4.0 * probes as f64 + PRIOR_PROBES) / (probes as f64 + PRIOR_PROBES)).log2();
        assert!(
            (bits[index(&one_digit)] - shrunk).abs() < 0.01,
            "{}",
            bits[index(&one_digit)]
        );
        assert_eq!(bits[index(&twins)], 0.0);
        assert_eq!(bits[index(&exact)], 0.0);
        assert!(describe(&bits).contains("exact/exact/one_digit"));
    }

    #[test]
    fn the_level_counts_are_the_tables() {
        assert_eq!(SURNAMES, FIELDS[SURNAME].1.len());
        assert_eq!(FORENAME_LEVELS, FIELDS[FORENAMES].1.len());
        assert_eq!(DOBS, FIELDS[DOB].1.len());
    }

    /// A small roster's few probes barely move the model, and one pair of rare
    /// names far above the model's expectation is capped.
    #[test]
    fn a_small_roster_keeps_the_model() {
        let w = FieldWeights::build(&default_weights()).unwrap();
        let l = levels(
            SurnameLevel::Exact,
            ForenameLevel::Exact,
            DobLevel::OneDigit,
        );
        let mut obs = LookalikeMass::new(&w, 20, 20);
        obs.add_probe([(&l, 20.0)]);
        obs.probes = 20;
        let bits = correction(&obs, &w, 20);
        // Capped: the ratio moves by PROBE_SHARE at most.
        let most = (1.0 + PROBE_SHARE).log2();
        assert!(bits[index(&l)] > 0.1, "{}", bits[index(&l)]);
        assert!(bits[index(&l)] <= most + 1e-9, "{}", bits[index(&l)]);
    }
}
