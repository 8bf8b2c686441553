//! Links a human must settle: AMBIGUOUS_MATCH (two or more candidates too close to choose
//! between; the row names none of them as the person) and REVIEW_MATCH (one candidate in
//! the review band). One row per vetting record. A record whose clerical decision tonight's
//! data reopened (`link::overrides`) is always one of them, and its detail starts with the
//! note naming that decision and what changed.

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
                e.detail = with_note(
                    facts,
                    vi,
                    format!("too close to choose between: {}", names.join(", ")),
                );
                out.push(e);
            }
            Decision::Review => {
                let c = link.best().expect("a review outcome has a candidate");
                let mut e = Exception::for_person(Code::ReviewMatch, facts, c.person as usize);
                e.set_record(facts, vi);
                e.match_score = Some(c.weight);
                e.detail = with_note(
                    facts,
                    vi,
                    format!(
                        "possible match {}: {}; confirm or reject",
                        describe(c),
                        crate::link::weights::describe(&c.levels)
                    ),
                );
                out.push(e);
            }
            Decision::AutoLink | Decision::Confirmed | Decision::NoMatch => {}
        }
    }
    out
}

/// `detail`, after the reopened-decision note of record `vi` if it has one.
fn with_note(facts: &Facts<'_>, vi: usize, detail: String) -> String {
    prefixed(facts.reopened_note(vi), detail)
}

/// `detail` after `note` (a reopened-decision note, or "" for none). PND returns' review
/// rows (`triggers`) use it too.
pub fn prefixed(note: String, detail: String) -> String {
    if note.is_empty() {
        detail
    } else {
        format!("{note}; {detail}")
    }
}
