//! PENDING_TOO_LONG: an application left open too long.
//!
//! Two reasons, one row per record (its detail names each that applies):
//! - the type limit: a pending record linked to a person in the workforce who holds a post,
//!   at a level that satisfies the post's requirement (`clearance::requirement`), open
//!   longer than `casework.pending_limit_days` for its case type
//!   (`pending_limit_default_days` when the type is not recorded or has no limit of its own);
//! - the adverse reason: a pending record with adverse information (adverse_info yes) open
//!   longer than `casework.adverse_undecided_days` while its person holds a designated post,
//!   whatever its level.
//!
//! "Longer than" is strict: at the default 90 days, not on day 90, from day 91. The age
//! counts from application_date, so a record without one raises nothing. Days out of
//! compliance are the days past the limit (the larger, when both apply).

use super::super::clearance;
use super::{application, stage};
use crate::assess::{Code, Exception, Facts};
use crate::model::VettingStatus;

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = Vec::new();
    if !facts.checks(Code::PendingTooLong) {
        return out;
    }
    let policy = facts.casework;
    for (pi, person) in facts.persons.iter().enumerate() {
        let Some(post_id) = person.post_id.as_deref() else {
            continue;
        };
        if !person.status.in_workforce() {
            continue;
        }
        let req = clearance::requirement(facts, pi);
        let designated = facts.post(post_id).is_some_and(|p| p.designated);
        for (vi, v) in facts.records_of(pi) {
            let Some(c) = v.casework.as_deref() else {
                continue;
            };
            let Some(age) = c.age_days(facts.as_of) else {
                continue;
            };
            if v.status != VettingStatus::Pending {
                continue;
            }
            let case_type = c.case_type.as_deref();
            let limit = policy.pending_limit(case_type);
            let key = match case_type {
                Some(t) if policy.pending_limit_days.contains_key(t) => {
                    format!("casework.pending_limit_days.{t}")
                }
                _ => "casework.pending_limit_default_days".to_string(),
            };
            let mut reasons = Vec::new();
            let mut over = i64::MIN;
            if facts.levels.satisfies(v.level, req.level) && age > limit {
                over = over.max(age - limit);
                reasons.push(format!("over the {limit}-day limit for its type ({key})"));
            }
            let adverse_limit = policy.adverse_undecided_days;
            if v.adverse_info == Some(true) && designated && age > adverse_limit {
                over = over.max(age - adverse_limit);
                reasons.push(format!(
                    "adverse information undecided while the person holds a designated post: \
                     over the {adverse_limit}-day limit (casework.adverse_undecided_days)"
                ));
            }
            if reasons.is_empty() {
                continue;
            }
            let mut e = Exception::for_person(Code::PendingTooLong, facts, pi);
            e.set_record(facts, vi);
            e.required_level = facts.level_name(req.level).to_string();
            e.days_out = over;
            e.detail = format!(
                "{} at {}, open {age} days: {}",
                application(c),
                stage(c),
                reasons.join("; and ")
            );
            out.push(e);
        }
    }
    out
}
