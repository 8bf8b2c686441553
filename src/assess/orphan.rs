//! Orphan clearances: a live clearance that no one on the roster can be linked to, not even
//! as a candidate for review. Either its holder has left without the vetting unit hearing,
//! or HR holds the person under details too different to match; both need a look.

use super::{Code, Exception, Facts};
use crate::link::Decision;

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = Vec::new();
    for (vi, v) in facts.vetting.iter().enumerate() {
        if facts.link(vi).decision != Decision::NoMatch || !facts.is_valid(v) {
            continue;
        }
        let mut e = Exception::for_record(Code::OrphanClearance, facts, vi);
        e.detail = match &v.employee_id_hint {
            Some(h) => format!("valid {} clearance matches no one on the roster (its employee id hint {h} does not match either)", e.held_level),
            None => format!("valid {} clearance matches no one on the roster", e.held_level),
        };
        out.push(e);
    }
    out
}
