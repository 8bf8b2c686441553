//! RENEWAL_NO_RESPONSE: a renewal the person has not answered while their clearance runs out.
//!
//! A pending record of case type renewal, still at the first of `casework.stages`, more
//! than `casework.renewal_no_response_days` after its application_date, linked to a person
//! in the workforce whose latest granted clearance (granted or lapsed, by expiry) expires
//! within `casework.renewal_reminder_days` of the as-of date or has expired. A person with
//! no granted clearance is left to the clearance codes. Days out are the days past the
//! no-response limit.

use super::super::clearance;
use super::RENEWAL;
use crate::assess::{Code, Exception, Facts};
use crate::model::VettingStatus;

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = Vec::new();
    let policy = facts.casework;
    let Some(first) = policy.first_stage() else {
        return out;
    };
    if !facts.checks(Code::RenewalNoResponse) {
        return out;
    }
    let limit = policy.renewal_no_response_days;
    for (pi, person) in facts.persons.iter().enumerate() {
        if !person.status.in_workforce() {
            continue;
        }
        let Some((held, expiry)) = facts
            .records_of(pi)
            .filter(|(_, v)| matches!(v.status, VettingStatus::Granted | VettingStatus::Lapsed))
            .filter_map(|(_, v)| Some((v, v.expiry_date?)))
            .max_by(|a, b| (a.1, &b.0.vetting_ref).cmp(&(b.1, &a.0.vetting_ref)))
        else {
            continue;
        };
        let left = (expiry - facts.as_of).num_days();
        if left > policy.renewal_reminder_days {
            continue;
        }
        for (vi, v) in facts.records_of(pi) {
            let Some(c) = v.casework.as_deref() else {
                continue;
            };
            let Some(age) = c.age_days(facts.as_of) else {
                continue;
            };
            if v.status != VettingStatus::Pending
                || c.case_type.as_deref() != Some(RENEWAL)
                || c.stage.as_ref() != Some(first)
                || age <= limit
            {
                continue;
            }
            let mut e = Exception::for_person(Code::RenewalNoResponse, facts, pi);
            e.set_record(facts, vi);
            let req = clearance::requirement(facts, pi);
            e.required_level = facts.level_name(req.level).to_string();
            e.days_out = age - limit;
            let clearance = if left > 0 {
                format!("expires on {expiry} (in {left} days)")
            } else {
                format!("expired on {expiry}")
            };
            e.detail = format!(
                "renewal still at stage {first} {age} days after its application: over the \
                 {limit}-day limit (casework.renewal_no_response_days); {} clearance {} {clearance}",
                facts.level_name(held.level),
                held.vetting_ref
            );
            out.push(e);
        }
    }
    out
}
