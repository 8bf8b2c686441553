//! Adverse information without a recorded rationale or risk mitigation: a live clearance
//! granted despite adverse information must show why and under what conditions.
//!
//! A blank adverse_info is "not recorded", not "no": such a grant may rest on adverse
//! information, so it is held to the same rule and its detail says the flag is not recorded.
//! A blank rationale_recorded or risk_mitigation is not recorded, so missing.

use super::{Code, Exception, Facts};
use crate::model::VettingRecord;
use std::collections::HashMap;

fn recorded(f: Option<bool>) -> bool {
    f == Some(true)
}

/// Whether `v` is an ADVERSE_UNMITIGATED record: valid tonight, adverse_info not "no", and
/// the rationale or the risk mitigation not recorded. CONDITION_NO_OWNER reads the same
/// answer, so a grant that relies on a mitigation held nowhere is one code or the other,
/// never both (`prevention::condition_owner`).
pub fn unmitigated(facts: &Facts<'_>, v: &VettingRecord) -> bool {
    v.adverse_info != Some(false)
        && facts.is_valid(v)
        && !(recorded(v.rationale_recorded) && recorded(v.risk_mitigation))
}

/// The references of the conditions tonight's conditions feed attaches to each record, by
/// its reference as ids compare, sorted; empty when the feed was not read.
fn conditions_by_record(facts: &Facts<'_>) -> HashMap<String, Vec<String>> {
    let mut by: HashMap<String, Vec<String>> = HashMap::new();
    for c in facts.prevention.conditions.unwrap_or(&[]) {
        (by.entry(crate::ingest::value::id_key(&c.vetting_ref))
            .or_default())
        .push(c.condition_ref.clone());
    }
    by.values_mut().for_each(|v| v.sort());
    by
}

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = Vec::new();
    let conditions = conditions_by_record(facts);
    for (vi, v) in facts.vetting.iter().enumerate() {
        if !unmitigated(facts, v) {
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
            (!recorded(v.rationale_recorded), "rationale"),
            (!recorded(v.risk_mitigation), "risk mitigation"),
        ]
        .into_iter()
        .filter_map(|(m, what)| m.then_some(what))
        .collect();
        e.days_out = v
            .decision_date
            .map(|d| (facts.as_of - d).num_days())
            .unwrap_or(0);
        let granted = if v.adverse_info.is_none() {
            "granted with adverse_info not recorded (it may rest on adverse information)"
        } else {
            "granted with adverse information"
        };
        e.detail = format!("{granted} but no recorded {}", missing.join(" and no "));
        // The conditions feed may hold the mitigation the export does not record: say so,
        // so the row reads as a record to complete, not a grant with nothing behind it.
        let held = (!recorded(v.risk_mitigation) && !conditions.is_empty())
            .then(|| conditions.get(&crate::ingest::value::id_key(&v.vetting_ref)))
            .flatten();
        if let Some(held) = held {
            e.detail.push_str(&format!(
                "; conditions.csv holds {} on it ({}): if they are its mitigation, record risk_mitigation yes",
                if held.len() == 1 { "a condition" } else { "conditions" },
                held.join(", ")
            ));
        }
        out.push(e);
    }
    out
}
