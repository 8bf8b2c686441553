//! Overrides: the clerical decisions in force, applied on top of the scores.
//!
//! A confirmed pair links whatever its score (decision `confirmed`, with the pair's full
//! explanation kept so an auditor sees what the officer overrode); a rejected pair is never
//! a candidate, so the record links to someone else or to no one. Decisions naming an
//! employee or vetting record absent tonight simply do not apply.

use crate::clerical::{InForce, Verdict};
use crate::model::{ExternalRecord, Person};
use rustc_hash::FxHashMap;

#[derive(Debug, Default, Clone)]
pub struct Overrides {
    confirmed: FxHashMap<u32, u32>,
    rejected: FxHashMap<u32, Vec<u32>>,
    /// Decisions in force that name a person and record both present tonight.
    pub applied: usize,
    /// Decisions in force that name someone or something absent tonight.
    pub not_applicable: usize,
}

impl Overrides {
    /// The decisions in force that name a person and a record (by its reference) present
    /// tonight.
    pub fn build<R: ExternalRecord>(
        in_force: &InForce,
        persons: &[Person],
        vetting: &[R],
    ) -> Overrides {
        let person: FxHashMap<&str, u32> = persons
            .iter()
            .enumerate()
            .map(|(i, p)| (p.employee_id.as_str(), i as u32))
            .collect();
        let record: FxHashMap<&str, u32> = vetting
            .iter()
            .enumerate()
            .map(|(i, v)| (v.reference(), i as u32))
            .collect();
        let mut o = Overrides::default();
        for d in in_force.iter() {
            let (Some(&pi), Some(&vi)) = (
                person.get(d.employee_id.as_str()),
                record.get(d.vetting_ref.as_str()),
            ) else {
                o.not_applicable += 1;
                continue;
            };
            o.applied += 1;
            match d.verdict {
                Verdict::Confirm => {
                    o.confirmed.insert(vi, pi);
                }
                Verdict::Reject => o.rejected.entry(vi).or_default().push(pi),
                Verdict::Revoke => {}
            }
        }
        o
    }

    pub fn confirmed(&self, record: usize) -> Option<u32> {
        self.confirmed.get(&(record as u32)).copied()
    }

    pub fn rejected(&self, record: usize) -> &[u32] {
        self.rejected
            .get(&(record as u32))
            .map_or(&[], |v| v.as_slice())
    }
}
