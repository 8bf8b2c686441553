//! CONDITION_NO_OWNER, one row per record:
//! (a) the record's live conditions include one with no owner_unit (the row names each), or
//! (b) a grant valid tonight with adverse_info yes and risk_mitigation yes, and no condition
//!     at all in the feed for its vetting_ref: the mitigation the grant relies on is written
//!     down nowhere it can be checked.
//!
//! (b) is raised only where ADVERSE_UNMITIGATED is not (`adverse::unmitigated`): a grant
//! with the rationale or the mitigation not recorded keeps that code, so the two never fall
//! on one record. (a) needs a condition on the record and (b) none, so they never do either.
//! Days out of compliance: 0 for (a); for (b) the days since the decision, as
//! ADVERSE_UNMITIGATED counts them.

use super::condition::{self, Followed};
use crate::assess::{adverse, Code, Exception, Facts};
use crate::ingest::value::id_key;
use crate::model::prevention::Condition;
use std::collections::{BTreeMap, HashSet};

pub fn check(
    facts: &Facts<'_>,
    followed: &[Followed<'_>],
    conditions: &[Condition],
) -> Vec<Exception> {
    let mut out = Vec::new();
    // (a): record -> its live conditions with no owner, in the feed's order.
    let mut ownerless: BTreeMap<usize, Vec<&Condition>> = BTreeMap::new();
    for f in followed {
        let Some(vi) = f.record else { continue };
        if f.condition.owner_unit.is_none() && condition::is_live(facts.record(vi)) {
            ownerless.entry(vi).or_default().push(f.condition);
        }
    }
    for (vi, cs) in ownerless {
        let mut e = condition::row(facts, Code::ConditionNoOwner, vi);
        let named: Vec<String> = cs
            .iter()
            .map(|c| format!("{} ({})", c.condition_ref, c.kind))
            .collect();
        e.detail = format!(
            "no owning unit for {} {} on {}",
            if cs.len() == 1 {
                "condition"
            } else {
                "conditions"
            },
            named.join(", "),
            facts.record(vi).vetting_ref
        );
        out.push(e);
    }
    for vi in mitigated_without_condition(facts, conditions) {
        let v = facts.record(vi);
        let mut e = condition::row(facts, Code::ConditionNoOwner, vi);
        e.days_out = v
            .decision_date
            .map(|d| (facts.as_of - d).num_days())
            .unwrap_or(0);
        e.detail = "risk mitigation recorded but no condition held".into();
        out.push(e);
    }
    out
}

/// (b): the records granted, valid tonight, with adverse_info yes and risk_mitigation yes
/// (and so, not ADVERSE_UNMITIGATED, a rationale recorded) that no condition in the feed
/// names, in the export's order.
pub fn mitigated_without_condition(facts: &Facts<'_>, conditions: &[Condition]) -> Vec<usize> {
    let held: HashSet<String> = conditions.iter().map(|c| id_key(&c.vetting_ref)).collect();
    (facts.vetting.iter().enumerate())
        .filter(|(_, v)| {
            v.adverse_info == Some(true)
                && v.risk_mitigation == Some(true)
                && facts.is_valid(v)
                && !adverse::unmitigated(facts, v)
                && !held.contains(&id_key(&v.vetting_ref))
        })
        .map(|(vi, _)| vi)
        .collect()
}
