//! Learn: tonight's m probabilities, from tonight's records, before the night links them.
//!
//! The m of a level (how often records of the same person differ that way) depends on the
//! systems that keyed the data: one force's HR export has dates of birth one digit out in
//! 1% of records, a data set like FEBRL rewrites whole dates in 3%. A fixed table is right
//! for one of them at most, and a posterior built on the wrong m is wrong in its middle
//! bands however well it ranks. So, as Splink does, the night estimates m by
//! expectation-maximisation with u held fixed (u comes from random pairs: the table's, or
//! tonight's dates in `dates`). Unlike Splink's pairwise EM, the E-step here is the
//! record's posterior (`assign::posteriors`): each record's candidates are weighed
//! together against "not on the roster", so a record with two namesakes splits its one
//! unit of "matched" between them instead of counting two matches.
//!
//! - **Which records**: all of them up to `SAMPLE`, else those whose reference hashes into
//!   a fixed share of `SAMPLE`: order-independent and the same every night for the same
//!   export, so a shuffled export learns the same m.
//! - **Smoothing**: the table's m counts as `PRIOR_RECORDS` matched records, so a small
//!   force (the demo, a test fixture) keeps nearly the table and a large one learns its own.
//!   No m falls below `train::M_FLOOR`: one night's data never rules an error out.
//! - **Determinism**: expected counts are summed in fixed point (integers), so the sum does
//!   not depend on which thread added what first.
//!
//! The learnt m replaces the table's for the whole night: pruning bounds, scores, the
//! posterior, the PND returns (`Engine::with_model`) and `explain` all read one table,
//! which the run record keeps and `vetrecon show` prints (and the debug log).

use super::odds::{self, MAX_MATCH_SHARE, MIN_MATCH_SHARE};
use super::score::Candidate;
use super::train::{pattern, Pattern, M_FLOOR};
use super::weights::{FieldWeights, FIELDS};

/// Records the EM reads at most.
pub const SAMPLE: usize = 60_000;
/// The table's m counts as this many matched records.
pub const PRIOR_RECORDS: f64 = 1_000.0;
/// Iterations at most; EM stops sooner when no m moves by more than `TOLERANCE`.
pub const MAX_ITERATIONS: usize = 50;
pub const TOLERANCE: f64 = 1e-5;
/// Fixed-point scale for expected counts (2^32 per unit of probability).
const SCALE: f64 = 4_294_967_296.0;

/// One sampled record: its scored candidates' agreement patterns and evidence (weight
/// minus prior) at the table's m, and the bound on its pruned pairs.
pub struct Observed {
    pub candidates: Vec<(Pattern, f64)>,
    pub pruned: f64,
}

impl Observed {
    pub fn of(candidates: &[Candidate], pruned: f64, prior: f64) -> Observed {
        Observed {
            candidates: candidates
                .iter()
                .map(|c| (pattern(&c.levels), c.weight - prior))
                .collect(),
            pruned,
        }
    }
}

/// What EM found, for the log and `show`.
#[derive(Debug, Clone, PartialEq)]
pub struct Learnt {
    pub m: Vec<Vec<f64>>,
    pub records: usize,
    /// The share of the sample's records on the roster, estimated alongside.
    pub share: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Whether the record with this reference is in tonight's sample of about `sample` of
/// `total` records (all of them when there are no more).
pub fn sampled(reference: &str, total: usize, sample: usize) -> bool {
    if total <= sample {
        return true;
    }
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(reference.as_bytes());
    // Fx's low bits are weak for short keys; fold the high half in.
    let x = h.finish();
    let x = x ^ (x >> 29) ^ (x >> 47);
    (x % total as u64) < sample as u64
}

/// EM for m over `observed`, u fixed, starting from and smoothed towards `table`'s m;
/// the match share is estimated alongside, from `share` (as `odds::estimate_match_share`).
#[allow(
    clippy::indexing_slicing,
    reason = "`m` and the counts are field x level tables shaped from `FIELDS`; a pattern's level indices come from the level enums that `FIELDS` lists in order"
)]
pub fn em(observed: &[Observed], table: &FieldWeights, share: f64, roster: usize) -> Learnt {
    use rayon::prelude::*;
    let m0 = &table.m;
    let mut m = m0.clone();
    let zero = || -> (Vec<Vec<u128>>, u128) {
        (FIELDS.iter().map(|(_, l)| vec![0; l.len()]).collect(), 0)
    };
    let centre = share.clamp(MIN_MATCH_SHARE, MAX_MATCH_SHARE);
    let mut pi = centre;
    for iteration in 1..=MAX_ITERATIONS {
        let r = odds::prior_odds(pi, roster);
        // Evidence shift per level: log2(m now / m of the table).
        let shift: Vec<Vec<f64>> = m
            .iter()
            .zip(m0)
            .map(|(a, b)| a.iter().zip(b).map(|(x, y)| (x / y).log2()).collect())
            .collect();
        let counts = observed
            .par_chunks(4_096)
            .map(|chunk| {
                let (mut c, mut on) = zero();
                let mut ratios = Vec::new();
                for o in chunk {
                    ratios.clear();
                    ratios.extend(o.candidates.iter().map(|(pat, e)| {
                        let d: f64 = pat
                            .iter()
                            .enumerate()
                            .filter_map(|(f, l)| l.map(|l| shift[f][l as usize]))
                            .sum();
                        (e + d).exp2()
                    }));
                    let mass: f64 = ratios.iter().sum::<f64>() + o.pruned;
                    let denominator = 1.0 + r * mass;
                    on += ((1.0 - 1.0 / denominator) * SCALE) as u128;
                    for ((pat, _), ratio) in o.candidates.iter().zip(&ratios) {
                        let p = (r * ratio / denominator).clamp(0.0, 1.0);
                        let q = (p * SCALE) as u128;
                        for (f, l) in pat.iter().enumerate() {
                            if let Some(l) = l {
                                c[f][*l as usize] += q;
                            }
                        }
                    }
                }
                (c, on)
            })
            .reduce(zero, |mut a, b| {
                for (ra, rb) in a.0.iter_mut().zip(b.0) {
                    for (x, y) in ra.iter_mut().zip(rb) {
                        *x += y;
                    }
                }
                (a.0, a.1 + b.1)
            });
        let (counts, on) = counts;
        let on = on as f64 / SCALE;
        let next_pi = ((on + odds::SHARE_PRIOR_RECORDS * centre)
            / (observed.len() as f64 + odds::SHARE_PRIOR_RECORDS))
            .clamp(MIN_MATCH_SHARE, MAX_MATCH_SHARE);
        let mut moved = (next_pi - pi).abs();
        pi = next_pi;
        for (f, row) in counts.iter().enumerate() {
            let total = row.iter().sum::<u128>() as f64 / SCALE;
            let next: Vec<f64> = row
                .iter()
                .zip(&m0[f])
                .map(|(&n, &prior)| {
                    (n as f64 / SCALE + PRIOR_RECORDS * prior) / (total + PRIOR_RECORDS)
                })
                .collect();
            let sum: f64 = next.iter().sum();
            for (l, x) in next.into_iter().enumerate() {
                let x = (x / sum).max(M_FLOOR);
                moved = moved.max((x - m[f][l]).abs());
                m[f][l] = x;
            }
        }
        if moved < TOLERANCE {
            return Learnt {
                m,
                records: observed.len(),
                share: pi,
                iterations: iteration,
                converged: true,
            };
        }
    }
    Learnt {
        m,
        records: observed.len(),
        share: pi,
        iterations: MAX_ITERATIONS,
        converged: false,
    }
}

/// `table` with `learnt`'s m (u unchanged).
pub fn apply(table: &FieldWeights, learnt: &Learnt) -> FieldWeights {
    FieldWeights::from_mu(learnt.m.clone(), table.u.clone())
}

/// One line per level whose m moved: "field.level m before -> after (bits change)".
#[allow(
    clippy::indexing_slicing,
    reason = "both tables are shaped from `FIELDS`"
)]
pub fn describe(before: &FieldWeights, after: &FieldWeights) -> String {
    let mut out = Vec::new();
    for (f, (field, levels)) in FIELDS.iter().enumerate() {
        for (l, level) in levels.iter().enumerate() {
            out.push(format!(
                "{field}.{level} {:.4}->{:.4} ({:+.2})",
                before.m[f][l],
                after.m[f][l],
                after.get(f, l) - before.get(f, l)
            ));
        }
    }
    out.join("; ")
}

/// Every level's m in `w`, keyed "field.level", for the run record (`vetrecon show`).
#[allow(clippy::indexing_slicing, reason = "the table is shaped from `FIELDS`")]
pub fn named(w: &FieldWeights) -> std::collections::BTreeMap<String, f64> {
    let mut out = std::collections::BTreeMap::new();
    for (f, (field, levels)) in FIELDS.iter().enumerate() {
        for (l, level) in levels.iter().enumerate() {
            out.insert(format!("{field}.{level}"), w.m[f][l]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::compare::{DobLevel, ForenameLevel, PairLevels, SurnameLevel};
    use crate::link::settings::default_weights;
    use crate::link::weights::DOB;

    fn levels(dob: DobLevel) -> PairLevels {
        PairLevels::names_and_dob(SurnameLevel::Exact, ForenameLevel::Exact, dob)
    }

    /// A force whose dates of birth are one digit out in 1% of true matches (the
    /// table says 3.5%) learns about 1%; records of strangers, with no candidate, take no
    /// part in m.
    #[test]
    fn em_learns_the_nights_error_rate_from_the_records() {
        let table = FieldWeights::build(&default_weights()).unwrap();
        let roster = 50_000;
        let prior = 0.0;
        // Evidence at the table's m, as scoring would give it (names strong enough that a
        // lone candidate is nearly certain either way).
        let names = 30.0;
        let e = |d: DobLevel| names + table.get(DOB, d as usize) + prior;
        let mut observed = Vec::new();
        for i in 0..40_000 {
            let dob = if i % 100 == 0 {
                DobLevel::OneDigit
            } else {
                DobLevel::Exact
            };
            let c = Candidate {
                person: i,
                weight: e(dob),
                probability: 0.0,
                levels: levels(dob),
                second_pass: false,
            };
            observed.push(Observed::of(&[c], 0.0, prior));
        }
        for _ in 0..10_000 {
            observed.push(Observed {
                candidates: Vec::new(),
                pruned: 0.0,
            });
        }
        let learnt = em(&observed, &table, 0.8, roster);
        assert!(learnt.converged);
        let one_digit = learnt.m[DOB][DobLevel::OneDigit as usize];
        // 400 of 40,000, plus the table's 3.5% counted as 1,000 records.
        let want = (400.0 + PRIOR_RECORDS * 0.035) / (40_000.0 + PRIOR_RECORDS);
        assert!((one_digit - want).abs() < 5e-4, "{one_digit} vs {want}");
        assert!((learnt.share - 0.8).abs() < 0.01, "{}", learnt.share);
        // Every row is still a distribution.
        for row in &learnt.m {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 0.01);
            assert!(row.iter().all(|&x| x >= M_FLOOR));
        }
    }

    /// The same records in another order learn the same m to the last bit.
    #[test]
    fn em_does_not_depend_on_record_order() {
        let table = FieldWeights::build(&default_weights()).unwrap();
        let mut observed: Vec<Observed> = (0..20_000u32)
            .map(|i| {
                let dob =
                    [DobLevel::Exact, DobLevel::OneDigit, DobLevel::Different][i as usize % 3];
                let c = Candidate {
                    person: i,
                    weight: 12.0 + f64::from(i % 17),
                    probability: 0.0,
                    levels: levels(dob),
                    second_pass: false,
                };
                Observed::of(&[c], f64::from(i % 5) * 0.5, 0.0)
            })
            .collect();
        let a = em(&observed, &table, 0.8, 10_000);
        observed.reverse();
        let b = em(&observed, &table, 0.8, 10_000);
        assert_eq!(a, b);
    }

    /// The sample is chosen by reference, not position, and is about `sample`
    /// records of a larger export; a small export is taken whole.
    #[test]
    fn the_sample_is_by_reference_and_about_its_size() {
        let refs: Vec<String> = (0..300_000).map(|i| format!("V{i:08}")).collect();
        let n = refs
            .iter()
            .filter(|r| sampled(r, refs.len(), SAMPLE))
            .count();
        assert!(
            (n as f64 - SAMPLE as f64).abs() < SAMPLE as f64 * 0.05,
            "{n} sampled"
        );
        assert!(refs[..SAMPLE].iter().all(|r| sampled(r, SAMPLE, SAMPLE)));
    }
}
