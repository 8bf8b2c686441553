//! Assign: decide, for one vetting record, which person it belongs to — or that no one can
//! say without a human.
//!
//! A record links automatically only when its best candidate is both likely enough and
//! clearly better than the runner-up; two close candidates are AMBIGUOUS and never guessed
//! between. A person may have many records (an old RV, a newer MV, a refusal); a record
//! links to at most one person.

use super::compare::Levels;
use super::LinkPolicy;
use crate::model::Person;
use std::cmp::Ordering;

/// One scored (person, vetting record) pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index of the person in the roster.
    pub person: u32,
    /// Match weight in bits, prior included.
    pub weight: f64,
    pub probability: f64,
    pub levels: Levels,
}

impl Candidate {
    /// The roster person this candidate is; `persons` must be the roster that was linked.
    #[allow(
        clippy::indexing_slicing,
        reason = "blocking draws candidates only from positions in the roster it indexed"
    )]
    pub fn person_in<'a>(&self, persons: &'a [Person]) -> &'a Person {
        &persons[self.person as usize]
    }
}

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
    /// Candidates at or above the review probability, best first (for `Ambiguous`, all the
    /// close ones; for `AutoLink` and `Review`, the chosen one first). Empty for `NoMatch`.
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

pub fn decide(mut candidates: Vec<Candidate>, policy: &LinkPolicy) -> LinkOutcome {
    candidates.retain(|c| c.probability >= policy.review_probability);
    candidates.sort_by(by_strength);
    let Some(best) = candidates.first() else {
        return LinkOutcome {
            decision: Decision::NoMatch,
            candidates,
        };
    };
    let (best_weight, best_probability) = (best.weight, best.probability);
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
        if best_probability >= policy.auto_link_probability {
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
    use crate::config::raw::RawLinking;
    use crate::link::compare::{DobLevel, ForenameLevel, SurnameLevel};
    use crate::link::probability;

    fn cand(person: u32, weight: f64) -> Candidate {
        let levels = Levels {
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
        }
    }

    fn policy() -> LinkPolicy {
        LinkPolicy::build(&RawLinking::default()).unwrap()
    }

    #[test]
    fn a_strong_clear_best_links_automatically() {
        let out = decide(vec![cand(3, -20.0), cand(7, 15.0)], &policy());
        assert_eq!(out.decision, Decision::AutoLink);
        assert_eq!(out.linked_person(), Some(7));
        assert_eq!(out.candidates.len(), 1);
    }

    #[test]
    fn a_middling_best_goes_to_review() {
        let out = decide(vec![cand(1, 2.0)], &policy());
        assert_eq!(out.decision, Decision::Review);
        assert_eq!(out.linked_person(), None);
    }

    #[test]
    fn two_close_candidates_are_ambiguous_whatever_their_strength() {
        let out = decide(
            vec![cand(9, 15.0), cand(2, 13.0), cand(5, -30.0)],
            &policy(),
        );
        assert_eq!(out.decision, Decision::Ambiguous);
        assert_eq!(
            out.candidates.iter().map(|c| c.person).collect::<Vec<_>>(),
            vec![9, 2]
        );
        assert_eq!(out.linked_person(), None);
    }

    #[test]
    fn a_runner_up_below_review_does_not_make_it_ambiguous() {
        let out = decide(vec![cand(9, 15.0), cand(2, -5.0)], &policy());
        assert_eq!(out.decision, Decision::AutoLink);
    }

    #[test]
    fn weak_candidates_are_no_match() {
        assert_eq!(
            decide(vec![cand(1, -8.0)], &policy()).decision,
            Decision::NoMatch
        );
        assert_eq!(decide(vec![], &policy()).decision, Decision::NoMatch);
    }

    #[test]
    fn ties_break_by_roster_order_not_input_order() {
        let a = decide(vec![cand(4, 15.0), cand(2, 15.0)], &policy());
        let b = decide(vec![cand(2, 15.0), cand(4, 15.0)], &policy());
        assert_eq!(a, b);
        assert_eq!(a.candidates[0].person, 2);
    }
}
