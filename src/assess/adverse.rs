//! Adverse information without a recorded rationale or risk mitigation: a live clearance
//! granted despite adverse information must show why and under what conditions.

use super::{Code, Exception, Facts};

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = Vec::new();
    for (vi, v) in facts.vetting.iter().enumerate() {
        if !v.adverse_info || !facts.is_valid(v) || (v.rationale_recorded && v.risk_mitigation) {
            continue;
        }
        let mut e = match facts.link(vi).linked_person() {
            Some(p) => {
                let mut e = Exception::for_person(Code::AdverseUnmitigated, facts, p as usize);
                e.set_record(facts, vi);
                e
            }
            None => Exception::for_record(Code::AdverseUnmitigated, facts, vi),
        };
        let missing: Vec<&str> = [
            (!v.rationale_recorded, "rationale"),
            (!v.risk_mitigation, "risk mitigation"),
        ]
        .into_iter()
        .filter_map(|(m, what)| m.then_some(what))
        .collect();
        e.days_out = v
            .decision_date
            .map(|d| (facts.as_of - d).num_days())
            .unwrap_or(0);
        e.detail = format!(
            "granted with adverse information but no recorded {}",
            missing.join(" and no ")
        );
        out.push(e);
    }
    out
}
