//! Link: find which roster person (if any) each vetting record belongs to.
//!
//! The two systems share no key, so linking is probabilistic record linkage in the
//! Fellegi-Sunter style, as the national PND "data wash" does it: `prepare` turns each
//! record into comparable features once, `block` proposes candidate pairs without ever
//! comparing all pairs, `compare` grades each field of a pair into an agreement level,
//! `weights` turns levels into a match weight (log2 Bayes factor plus the prior) and `assign`
//! decides per vetting record: auto-link, human review, ambiguous (never guess) or no match.

pub mod assign;
pub mod block;
pub mod compare;
pub mod prepare;
pub mod weights;

use crate::config::raw::RawLinking;
use crate::model::{Person, VettingRecord};
use crate::normalise::Nicknames;
pub use assign::{Candidate, Decision, LinkOutcome};
use rayon::prelude::*;
pub use weights::FieldWeights;

/// Validated linking settings.
#[derive(Debug, Clone)]
pub struct LinkPolicy {
    /// A best candidate at or above this probability links automatically.
    pub auto_link_probability: f64,
    /// Candidates at or above this probability (and below auto) go to human review.
    pub review_probability: f64,
    /// Bits by which the best candidate must beat the runner-up to be chosen at all.
    pub ambiguity_margin: f64,
    /// Expected share of vetting records that belong to someone on the roster (sets the prior).
    pub expected_match_share: f64,
    /// Jaro-Winkler similarity at or above which two names count as "close".
    pub close_similarity: f64,
    pub nicknames: Nicknames,
    pub weights: FieldWeights,
}

fn check_probability(key: &str, p: f64) -> Result<(), String> {
    if !(p > 0.0 && p < 1.0) {
        return Err(format!(
            "linking.{key} must be strictly between 0 and 1, got {p}"
        ));
    }
    Ok(())
}

impl LinkPolicy {
    pub fn build(raw: &RawLinking) -> Result<LinkPolicy, String> {
        check_probability("auto_link_probability", raw.auto_link_probability)?;
        check_probability("review_probability", raw.review_probability)?;
        check_probability("expected_match_share", raw.expected_match_share)?;
        if raw.review_probability >= raw.auto_link_probability {
            return Err(format!(
                "linking.review_probability ({}) must be below linking.auto_link_probability ({})",
                raw.review_probability, raw.auto_link_probability
            ));
        }
        if !(raw.ambiguity_margin >= 0.0 && raw.ambiguity_margin.is_finite()) {
            return Err("linking.ambiguity_margin must be a non-negative number of bits".into());
        }
        if !(raw.close_similarity > 0.0 && raw.close_similarity <= 1.0) {
            return Err("linking.close_similarity must be in (0, 1]".into());
        }
        let nicknames = match &raw.nicknames {
            None => Nicknames::builtin(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    format!("linking.nicknames: cannot read {}: {e}", path.display())
                })?;
                Nicknames::parse(&text)
                    .map_err(|e| format!("linking.nicknames: {}: {e}", path.display()))?
            }
        };
        Ok(LinkPolicy {
            auto_link_probability: raw.auto_link_probability,
            review_probability: raw.review_probability,
            ambiguity_margin: raw.ambiguity_margin,
            expected_match_share: raw.expected_match_share,
            close_similarity: raw.close_similarity,
            nicknames,
            weights: FieldWeights::build(&raw.weights)?,
        })
    }

    /// Prior match weight of one random pair: log2 of the odds that a random
    /// (person, vetting record) pair is a true match.
    pub fn prior_weight(&self, roster_size: usize) -> f64 {
        let lambda = (self.expected_match_share / roster_size.max(1) as f64).min(0.999_999);
        (lambda / (1.0 - lambda)).log2()
    }
}

/// Turn a match weight into a probability.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// Link every vetting record. The result has one outcome per vetting record, in input order;
/// it does not depend on thread scheduling. `on_record` is called once per vetting record
/// linked (for progress display), from any thread.
pub fn link(
    policy: &LinkPolicy,
    persons: &[Person],
    vetting: &[VettingRecord],
    on_record: &(dyn Fn() + Sync),
) -> Vec<LinkOutcome> {
    let people: Vec<prepare::Prepared> =
        persons.par_iter().map(prepare::Prepared::person).collect();
    let index = block::Index::build(&people);
    let prior = policy.prior_weight(persons.len());
    vetting
        .par_iter()
        .map(|v| {
            let rec = prepare::Prepared::vetting(v);
            let candidates = index
                .candidates(&rec)
                .into_iter()
                .map(|pi| {
                    let levels = compare::compare(&people[pi as usize], &rec, policy);
                    let weight = prior + policy.weights.weight(&levels);
                    Candidate {
                        person: pi,
                        weight,
                        probability: probability(weight),
                        levels,
                    }
                })
                .collect();
            let outcome = assign::decide(candidates, policy);
            on_record();
            outcome
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::raw::RawConfig;
    use crate::config::Policy;
    use crate::ingest::{ingest, SourceFile, Sources};
    use std::path::Path;

    fn demo() -> (Policy, crate::ingest::Ingested) {
        let policy = Policy::build(&RawConfig::default()).unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo");
        let read = |role, f: &str| SourceFile::read(role, &dir.join(f)).unwrap();
        let sources = Sources {
            roster: read("roster", "roster.csv"),
            posts: read("posts", "posts.csv"),
            vetting: read("vetting", "vetting.csv"),
        };
        let data = ingest(
            &policy,
            &sources,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        )
        .unwrap();
        (policy, data)
    }

    #[test]
    fn links_do_not_depend_on_thread_count_or_record_order() {
        let (policy, data) = demo();
        let run = |threads: usize, vetting: &[VettingRecord]| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| link(&policy.linking, &data.persons, vetting, &|| {}))
        };
        let one = run(1, &data.vetting);
        assert_eq!(one, run(4, &data.vetting));
        let reversed: Vec<VettingRecord> = data.vetting.iter().rev().cloned().collect();
        let mut back = run(3, &reversed);
        back.reverse();
        assert_eq!(one, back);
    }

    #[test]
    fn the_prior_shrinks_as_the_roster_grows() {
        let policy = LinkPolicy::build(&RawConfig::default().linking).unwrap();
        let small = policy.prior_weight(200);
        let large = policy.prior_weight(300_000);
        assert!((small - (0.004f64 / 0.996).log2()).abs() < 1e-9);
        assert!(large < small - 10.0);
        assert!((probability(0.0) - 0.5).abs() < 1e-12);
    }
}
