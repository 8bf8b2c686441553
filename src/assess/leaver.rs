//! Leavers who still hold a live clearance: it should have been ended when they left.

use super::{Code, Exception, Facts};
use crate::model::EmploymentStatus;

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = Vec::new();
    for (pi, person) in facts.persons.iter().enumerate() {
        if person.status != EmploymentStatus::Leaver {
            continue;
        }
        let mut valid: Vec<_> = facts
            .records_of(pi)
            .filter(|(_, v)| facts.is_valid(v))
            .collect();
        valid.sort_by(|a, b| {
            (b.1.expiry_date, &a.1.vetting_ref).cmp(&(a.1.expiry_date, &b.1.vetting_ref))
        });
        let Some(&(latest, _)) = valid.first() else {
            continue;
        };
        let mut e = Exception::for_person(Code::LeaverActiveClearance, facts, pi);
        e.set_record(facts, latest);
        e.days_out = person
            .leaving_date
            .map(|d| (facts.as_of - d).num_days())
            .unwrap_or(0);
        let refs: Vec<String> = valid
            .iter()
            .map(|(_, v)| format!("{} {}", facts.level_name(v.level), v.vetting_ref))
            .collect();
        e.detail = match person.leaving_date {
            Some(d) => format!("left on {d} but still holds: {}; withdraw", refs.join(", ")),
            None => format!(
                "recorded as a leaver but still holds: {}; withdraw",
                refs.join(", ")
            ),
        };
        out.push(e);
    }
    out
}
