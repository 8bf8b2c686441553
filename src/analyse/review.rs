//! The review queue: every vetting record waiting for a person to decide who it belongs to
//! (AMBIGUOUS_MATCH and REVIEW_MATCH), in the exception list's priority order, each with its
//! candidates and their field-by-field evidence, so the decision can be made from the report
//! and recorded with `vetrecon decide`. An item whose earlier decision tonight's data
//! reopened carries the note saying so.

use crate::assess::{Code, Exception};
use crate::link::score::Evidence;
use crate::link::{Decision, Engine, LinkOutcome};
use crate::model::VettingRecord;
use std::collections::HashMap;

/// At most this many candidates are shown per record (the rest are in links.csv).
pub const MAX_CANDIDATES: usize = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewCandidate {
    pub person: usize,
    pub weight: f64,
    pub probability: f64,
    pub fields: Vec<Evidence>,
    /// Bits taken off for look-alikes of the pair's pattern (`link::lookalike`): why the
    /// weight is less than the fields add up to.
    pub lookalike: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub record: usize,
    pub code: Code,
    pub priority: u32,
    pub decision: Decision,
    pub candidates: Vec<ReviewCandidate>,
    /// The note of a clerical decision on this record that tonight's data reopened ("" for
    /// none): the report marks the item with it.
    pub reopened: String,
}

pub fn queue(
    engine: &Engine<'_>,
    vetting: &[VettingRecord],
    links: &[LinkOutcome],
    exceptions: &[Exception],
) -> Vec<Item> {
    let index: HashMap<&str, usize> = vetting
        .iter()
        .enumerate()
        .map(|(i, v)| (v.vetting_ref.as_str(), i))
        .collect();
    exceptions
        .iter()
        .filter(|e| matches!(e.code, Code::AmbiguousMatch | Code::ReviewMatch))
        .filter_map(|e| {
            let record = *index.get(e.vetting_ref.as_str())?;
            let l = links.get(record)?;
            Some(Item {
                record,
                code: e.code,
                priority: e.priority,
                decision: l.decision,
                reopened: engine.overrides().reopened_note(record),
                candidates: l
                    .candidates
                    .iter()
                    .take(MAX_CANDIDATES)
                    .map(|c| {
                        let x = engine.explain_candidate(c);
                        ReviewCandidate {
                            person: c.person as usize,
                            weight: c.weight,
                            probability: c.probability,
                            fields: x.fields,
                            lookalike: x.lookalike,
                        }
                    })
                    .collect(),
            })
        })
        .collect()
}
