//! Assign: decide, for one vetting record, which person it belongs to — or that no one can
//! say without a human.
//!
//! The decision reads the record's **posterior**, not each pair on its own. Linking scored
//! every plausible person for the record, so, as in Bayesian bipartite linkage (Sadinle
//! 2017; Kundinger, Reiter and Steorts), the candidates are weighed together:
//!
//! P(record belongs to candidate i) = r 2^e_i / (1 + r (sum_k 2^e_k + B)),
//! P(not on the roster)             = 1 / (1 + r (sum_k 2^e_k + B)),
//!
//! with e the pair's evidence in bits (weight minus the pairwise prior), r = pi / ((1 - pi) n)
//! for a roster of n people and a match share pi estimated from the night
//! (`estimate_match_share`), and B the bound scoring proved for the blocked pairs it pruned
//! (so the posterior never claims more than blocking found). People blocking never proposed
//! are not bounded by anything: they sit in the "not on the roster" term, which is really
//! "not found".
//!
//! A record links automatically only when its best candidate is both likely enough and
//! clearly better than the runner-up; two close candidates are AMBIGUOUS and never guessed
//! between. A person may have many records (an old RV, a newer MV, a refusal); a record
//! links to at most one person.

use super::compare::{agrees_exactly, PairLevels};
use super::odds::Odds;
use super::score::Candidate;
use super::LinkPolicy;
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    AutoLink,
    /// Linked because a vetting officer confirmed the pair (`vetrecon decide confirm`).
    Confirmed,
    Review,
    Ambiguous,
    NoMatch,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::AutoLink => "auto_link",
            Decision::Confirmed => "confirmed",
            Decision::Review => "review",
            Decision::Ambiguous => "ambiguous",
            Decision::NoMatch => "no_match",
        }
    }
}

/// The linking outcome for one vetting record.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkOutcome {
    pub decision: Decision,
    /// The candidates in contention, best first (for `Ambiguous`, all the close ones; for
    /// `AutoLink` and `Review`, the chosen one). Empty for `NoMatch`.
    pub candidates: Vec<Candidate>,
}

impl LinkOutcome {
    /// The person this record is linked to (automatically or by a confirmed decision).
    pub fn linked_person(&self) -> Option<u32> {
        match self.decision {
            Decision::AutoLink | Decision::Confirmed => self.candidates.first().map(|c| c.person),
            _ => None,
        }
    }

    pub fn best(&self) -> Option<&Candidate> {
        self.candidates.first()
    }
}

/// Best first; ties broken by roster order so the result never depends on thread order.
fn by_strength(a: &Candidate, b: &Candidate) -> Ordering {
    b.weight
        .partial_cmp(&a.weight)
        .unwrap_or(Ordering::Equal)
        .then(a.person.cmp(&b.person))
}

/// The mass of "someone on the roster" for a record: the candidates' likelihood ratios plus
/// `pruned` (the bound on the pruned pairs). Callers sum in a fixed order (best first, or
/// blocking's roster order), so the sum is reproducible.
pub fn mass(candidates: &[Candidate], pruned: f64, odds: &Odds) -> f64 {
    candidates.iter().map(|c| odds.ratio(c.weight)).sum::<f64>() + pruned
}

/// Sort `candidates` best first and set each one's `probability` to its posterior; returns
/// P(not on the roster).
pub fn posteriors(candidates: &mut [Candidate], pruned: f64, odds: &Odds) -> f64 {
    candidates.sort_by(by_strength);
    let denominator = 1.0 + odds.r * mass(candidates, pruned, odds);
    for c in candidates.iter_mut() {
        c.probability = odds.r * odds.ratio(c.weight) / denominator;
    }
    1.0 / denominator
}

/// The probability from which a candidate is in contention: a runner-up whose posterior is
/// below it never makes the best ambiguous, and the pruning floor is set from it.
pub fn contention(policy: &LinkPolicy) -> f64 {
    policy.review_probability * (-policy.ambiguity_margin).exp2()
}

/// Whether a pair agrees on neither name in any way (surname and forenames both
/// `different`) and not on the NI number either. Such a pair is never linked without a
/// human, however strong the rest: the employee-id hint and a date of birth can agree for a
/// stranger (a hint keyed against the wrong person, a shared birthday), and a real change
/// of both names is rare enough that an officer should see it. An exact NI number is an
/// identifier of its own and may carry the link.
pub fn nameless(l: &PairLevels) -> bool {
    use super::compare::{ForenameLevel, NiLevel, SurnameLevel};
    l.surname == SurnameLevel::Different
        && l.forenames == ForenameLevel::Different
        && l.ni != Some(NiLevel::Exact)
}

/// Keep the candidates in contention (sorted best first, posteriors set): those at or above
/// `contention`. Two exceptions, both about a record's mass split between people who agree
/// with it (nearly) equally, as when twenty people share a name and a date of birth, where
/// each one's share falls below `contention` and the record would otherwise be no one's:
/// - two or more candidates within `ambiguity_margin` of the best that agree with the
///   record exactly (`agrees_exactly`) are kept, with any other in contention, and the
///   record is theirs to choose between whatever P(not on the roster) says: returns true;
/// - when no candidate is in contention, yet P(not on the roster) is below
///   `no_match_probability`, the two or more within the margin of the best are kept.
fn keep_contenders(candidates: &mut Vec<Candidate>, none: f64, policy: &LinkPolicy) -> bool {
    let floor = contention(policy);
    let best = candidates.first().map_or(f64::NEG_INFINITY, |c| c.weight);
    let close = |c: &Candidate| best - c.weight < policy.ambiguity_margin;
    let twins = candidates
        .iter()
        .filter(|c| close(c) && agrees_exactly(&c.levels))
        .count();
    if twins >= 2 {
        candidates.retain(|c| close(c) && (c.probability >= floor || agrees_exactly(&c.levels)));
        return true;
    }
    if candidates.first().is_some_and(|c| c.probability >= floor) {
        candidates.retain(|c| c.probability >= floor);
        return false;
    }
    candidates.retain(close);
    if none >= policy.no_match_probability || candidates.len() < 2 {
        candidates.clear();
    }
    false
}

/// Decide one record from its scored `candidates` (any order) and `pruned`, the sum of
/// 2^bound over the pairs scoring pruned:
/// - **no match** when P(not on the roster) reaches `no_match_probability` (unless two or
///   more candidates agree with the record exactly: see below);
/// - **ambiguous** when a runner-up in contention (posterior at least review_probability /
///   2^margin) is within `ambiguity_margin` bits of the best: never a guess; and when no
///   candidate is in contention only because the record's mass is split between two or more
///   within the margin, or two or more agree with it exactly (`keep_contenders`), however
///   many they are: people who agree exactly are never "no one";
/// - **auto-link** when the best's posterior reaches `auto_link_probability`, unless the
///   pair agrees on no name and not on the NI number (`nameless`): that is a review;
/// - **review** otherwise.
///
/// The margin compares weights, and posteriors of one record are in the same ratio as
/// their likelihood ratios, so "within the margin" means the same in either.
pub fn decide(
    mut candidates: Vec<Candidate>,
    pruned: f64,
    odds: &Odds,
    policy: &LinkPolicy,
) -> LinkOutcome {
    let none = posteriors(&mut candidates, pruned, odds);
    let twins = keep_contenders(&mut candidates, none, policy);
    let best = candidates
        .first()
        .filter(|_| twins || none < policy.no_match_probability);
    let Some(best) = best else {
        candidates.clear();
        return LinkOutcome {
            decision: Decision::NoMatch,
            candidates,
        };
    };
    let (best_weight, best_probability) = (best.weight, best.probability);
    let nameless = nameless(&best.levels);
    let close = candidates
        .iter()
        .skip(1)
        .filter(|c| best_weight - c.weight < policy.ambiguity_margin)
        .count();
    let decision = if close > 0 {
        candidates.truncate(close + 1);
        Decision::Ambiguous
    } else {
        candidates.truncate(1);
        if best_probability >= policy.auto_link_probability && !nameless {
            Decision::AutoLink
        } else {
            Decision::Review
        }
    };
    LinkOutcome {
        decision,
        candidates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::compare::{DobLevel, ForenameLevel, SurnameLevel};
    use crate::link::odds::{prior_odds, probability};
    use crate::link::settings::RawLinking;

    fn cand(person: u32, weight: f64) -> Candidate {
        let levels = PairLevels {
            surname: SurnameLevel::Exact,
            forenames: ForenameLevel::Exact,
            dob: DobLevel::Exact,
            ni: None,
            employee_id: None,
        };
        Candidate {
            person,
            weight,
            probability: probability(weight),
            levels,
            second_pass: false,
        }
    }

    fn policy() -> LinkPolicy {
        LinkPolicy::build(&RawLinking::default()).unwrap()
    }

    /// Weights are evidence here (prior 0); 80% of records on a roster of 10,000 people:
    /// r = 1 / 2,500, so a lone candidate needs about 14.5 bits to auto-link.
    fn odds() -> Odds {
        Odds {
            prior: 0.0,
            r: prior_odds(0.8, 10_000),
        }
    }

    fn d(candidates: Vec<Candidate>) -> LinkOutcome {
        decide(candidates, 0.0, &odds(), &policy())
    }

    #[test]
    fn a_strong_clear_best_links_automatically() {
        let out = d(vec![cand(3, -20.0), cand(7, 30.0)]);
        assert_eq!(out.decision, Decision::AutoLink);
        assert_eq!(out.linked_person(), Some(7));
        assert_eq!(out.candidates.len(), 1);
        assert!(out.candidates[0].probability > 0.999);
    }

    #[test]
    fn a_middling_best_goes_to_review() {
        // r * 2^15 = 13.107: posterior 0.9291, not on the roster 0.0709.
        let out = d(vec![cand(1, 15.0)]);
        assert_eq!(out.decision, Decision::Review);
        assert!((out.candidates[0].probability - 0.9291).abs() < 1e-3);
        assert_eq!(out.linked_person(), None);
    }

    #[test]
    fn two_close_candidates_stay_ambiguous_however_strong() {
        let out = d(vec![cand(9, 40.0), cand(2, 38.0), cand(5, -30.0)]);
        assert_eq!(out.decision, Decision::Ambiguous);
        assert_eq!(
            out.candidates.iter().map(|c| c.person).collect::<Vec<_>>(),
            vec![9, 2]
        );
        // The mass is split 4:1 between them, nothing left for "not on the roster".
        assert!((out.candidates[0].probability - 0.8).abs() < 1e-6);
        assert!((out.candidates[1].probability - 0.2).abs() < 1e-6);
        assert_eq!(out.linked_person(), None);
        // Pairwise each was certain; together neither reaches review on its own, yet
        // the record is never no match or a guess.
        let weak = d(vec![cand(9, 14.0), cand(2, 14.0)]);
        assert_eq!(weak.decision, Decision::Ambiguous);
        assert!(weak.candidates[0].probability < policy().review_probability);
    }

    #[test]
    fn a_runner_up_far_below_does_not_make_it_ambiguous() {
        let out = d(vec![cand(9, 30.0), cand(2, 10.0)]);
        assert_eq!(out.decision, Decision::AutoLink);
        // Inside the margin it does, even when the best alone would auto-link.
        let out = d(vec![cand(9, 30.0), cand(2, 26.5)]);
        assert_eq!(out.decision, Decision::Ambiguous);
    }

    #[test]
    fn weak_candidates_are_no_match() {
        assert_eq!(d(vec![cand(1, 5.0)]).decision, Decision::NoMatch);
        assert!(d(vec![cand(1, 5.0)]).candidates.is_empty());
        assert_eq!(d(vec![]).decision, Decision::NoMatch);
    }

    #[test]
    fn ties_break_by_roster_order_not_input_order() {
        let a = d(vec![cand(4, 30.0), cand(2, 30.0)]);
        let b = d(vec![cand(2, 30.0), cand(4, 30.0)]);
        assert_eq!(a, b);
        assert_eq!(a.candidates[0].person, 2);
    }

    #[test]
    fn posteriors_and_none_sum_to_one() {
        let mut c = vec![cand(1, 14.0), cand(2, 11.0), cand(3, 3.0)];
        let none = posteriors(&mut c, 100.0, &odds());
        let sum: f64 = c.iter().map(|c| c.probability).sum::<f64>() + none;
        // What is missing is the pruned pairs' share: r * 100 / denominator.
        let pruned = odds().r * 100.0 * none;
        assert!((sum + pruned - 1.0).abs() < 1e-12, "{sum} {pruned}");
    }

    /// Whatever blocking pruned or missed adds to a record's mass, no candidate's
    /// posterior rises and no record becomes a link. (It may move a record from no match to
    /// review: the pruned mass is "someone on the roster", only not one we can name, so
    /// the record is less likely no one's. A human looks; nothing is linked.)
    #[test]
    fn blocking_misses_never_raise_the_posterior() {
        let sets = [
            vec![cand(1, 16.0)],
            vec![cand(1, 12.5)],
            vec![cand(1, 20.0), cand(2, 17.0)],
            vec![cand(1, 15.0), cand(2, 6.0), cand(3, 2.0)],
        ];
        let rank = |d: Decision| match d {
            Decision::AutoLink | Decision::Confirmed => 1,
            _ => 0,
        };
        for set in sets {
            let mut base = set.clone();
            let base_none = posteriors(&mut base, 0.0, &odds());
            let base_decision = d(set.clone()).decision;
            for pruned in [1e-3, 1.0, 64.0, 5_000.0, 1e9] {
                let mut more = set.clone();
                let none = posteriors(&mut more, pruned, &odds());
                for (a, b) in base.iter().zip(&more) {
                    assert_eq!(a.person, b.person);
                    assert!(b.probability <= a.probability, "{pruned}: {b:?} > {a:?}");
                }
                assert!(none <= base_none);
                let decision = decide(set.clone(), pruned, &odds(), &policy()).decision;
                assert!(
                    rank(decision) <= rank(base_decision),
                    "{pruned}: {decision:?}"
                );
            }
        }
        // And a pruned mass can push a link back to review.
        let linked = decide(vec![cand(1, 18.0)], 0.0, &odds(), &policy());
        let crowded = decide(vec![cand(1, 18.0)], 20_000.0, &odds(), &policy());
        assert_eq!(linked.decision, Decision::AutoLink);
        assert_ne!(crowded.decision, Decision::AutoLink);
    }

    fn with_levels(mut c: Candidate, levels: PairLevels) -> Candidate {
        c.levels = levels;
        c
    }

    /// People who agree with a record exactly split its mass between them, each below the
    /// contention floor once there are enough of them: the record is theirs to choose
    /// between, never no one's, however many they are (and whatever P(not on the roster)).
    #[test]
    fn candidates_that_agree_exactly_are_ambiguous_never_no_match_whatever_their_number() {
        for n in [2u32, 12, 20, 100, 2_000] {
            for weight in [25.0, 14.0, 5.0] {
                let twins: Vec<Candidate> = (0..n).map(|i| cand(i, weight)).collect();
                let out = d(twins);
                assert_eq!(out.decision, Decision::Ambiguous, "{n} at {weight}");
                assert_eq!(out.candidates.len(), n as usize, "{n} at {weight}");
            }
        }
        // Twenty who agree on all but the forename (a nickname) are the record's when the
        // record is on the roster (ambiguous), and no one's when it is not.
        let nick = PairLevels {
            forenames: ForenameLevel::Nickname,
            ..cand(0, 0.0).levels
        };
        let split: Vec<Candidate> = (0..20).map(|i| with_levels(cand(i, 16.0), nick)).collect();
        let out = d(split);
        assert_eq!(out.decision, Decision::Ambiguous);
        assert_eq!(out.candidates.len(), 20);
        let faint: Vec<Candidate> = (0..20).map(|i| with_levels(cand(i, 5.0), nick)).collect();
        assert_eq!(d(faint).decision, Decision::NoMatch);
        // A lone exact candidate too weak to matter is still no match.
        assert_eq!(d(vec![cand(1, 5.0)]).decision, Decision::NoMatch);
    }

    #[test]
    fn a_pair_that_agrees_on_no_name_nor_its_ni_number_is_reviewed_not_linked() {
        use crate::link::compare::{EmployeeIdLevel, NiLevel};
        let hint_and_dob = PairLevels {
            surname: SurnameLevel::Different,
            forenames: ForenameLevel::Different,
            dob: DobLevel::Exact,
            ni: None,
            employee_id: Some(EmployeeIdLevel::Exact),
        };
        let out = d(vec![with_levels(cand(1, 30.0), hint_and_dob)]);
        assert_eq!(out.decision, Decision::Review);
        assert_eq!(out.linked_person(), None);
        // One name agreeing in any way, or the NI number exactly, may carry the link.
        for levels in [
            PairLevels {
                surname: SurnameLevel::Phonetic,
                ..hint_and_dob
            },
            PairLevels {
                forenames: ForenameLevel::Initial,
                ..hint_and_dob
            },
            PairLevels {
                ni: Some(NiLevel::Exact),
                ..hint_and_dob
            },
        ] {
            let out = d(vec![with_levels(cand(1, 30.0), levels)]);
            assert_eq!(out.decision, Decision::AutoLink, "{levels:?}");
        }
    }
}
