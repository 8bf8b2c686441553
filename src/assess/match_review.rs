//! Links a human must settle: AMBIGUOUS_MATCH (two or more candidates too close to choose
//! between; the row names none of them as the person) and REVIEW_MATCH (one candidate in
//! the review band). One row per vetting record.

use super::{Code, Exception, Facts};
use crate::link::Decision;

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = Vec::new();
    for (vi, link) in facts.links.iter().enumerate() {
        let describe = |c: &crate::link::Candidate| {
            format!(
                "{} (score {:.1}, p={:.3})",
                facts.person(c.person as usize).employee_id,
                c.weight,
                c.probability
            )
        };
        match link.decision {
            Decision::Ambiguous => {
                let mut e = Exception::for_record(Code::AmbiguousMatch, facts, vi);
                e.match_score = link.best().map(|c| c.weight);
                let names: Vec<String> = link.candidates.iter().map(describe).collect();
                e.detail = format!("too close to choose between: {}", names.join(", "));
                out.push(e);
            }
            Decision::Review => {
                let c = link.best().expect("a review outcome has a candidate");
                let mut e = Exception::for_person(Code::ReviewMatch, facts, c.person as usize);
                e.set_record(facts, vi);
                e.match_score = Some(c.weight);
                e.detail = format!(
                    "possible match {}: {}; confirm or reject",
                    describe(c),
                    crate::link::weights::describe(&c.levels)
                );
                out.push(e);
            }
            Decision::AutoLink | Decision::Confirmed | Decision::NoMatch => {}
        }
    }
    out
}
