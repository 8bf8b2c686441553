//! RATIONALE_MISSING: an adverse decision that is not a live grant, made without a recorded
//! rationale.
//!
//! A refusal or withdrawal (its decision_date), or an appeal decided upheld or dismissed (its
//! appeal_outcome_date), made on or after `lookback_start`, on a record with adverse_info yes
//! and rationale_recorded not yes: no, or blank (not recorded, which the detail says). When
//! an appeal's outcome date is blank, the date it was lodged stands in (the outcome came on
//! or after it), then the decision date. A record both refused and appealed is one row, on
//! the later of the two in the window.
//!
//! A live grant (a valid record) is ADVERSE_UNMITIGATED's, which asks for a rationale and a
//! mitigation: one record never raises both. Linked or not, like ADVERSE_UNMITIGATED: a
//! record linked to nobody names the vetting system's person.

use super::{lookback_start, record_row};
use crate::assess::{Code, Exception, Facts};
use crate::model::VettingStatus;
use chrono::NaiveDate;

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = Vec::new();
    if !facts.checks(Code::RationaleMissing) {
        return out;
    }
    let since = lookback_start(facts);
    for (vi, v) in facts.vetting.iter().enumerate() {
        if v.adverse_info != Some(true) || v.rationale_recorded == Some(true) || facts.is_valid(v) {
            continue;
        }
        // (date, what was decided on it).
        let mut decisions: Vec<(NaiveDate, String)> = Vec::new();
        if let (VettingStatus::Refused | VettingStatus::Withdrawn, Some(d)) =
            (v.status, v.decision_date)
        {
            decisions.push((d, format!("{} on {d}", v.status)));
        }
        let c = v.casework.as_deref();
        if let Some((c, status)) = c.and_then(|c| Some((c, c.appeal_status?))) {
            if status.decided() {
                let appeal = match (c.appeal_outcome_date, c.appeal_date, v.decision_date) {
                    (Some(d), _, _) => Some((d, format!("appeal {} on {d}", status.as_str()))),
                    (None, Some(d), _) => Some((
                        d,
                        format!(
                            "appeal {} (outcome date not recorded; lodged {d})",
                            status.as_str()
                        ),
                    )),
                    (None, None, Some(d)) => Some((
                        d,
                        format!(
                            "appeal {} (outcome and appeal dates not recorded; decision {d})",
                            status.as_str()
                        ),
                    )),
                    (None, None, None) => None,
                };
                decisions.extend(appeal);
            }
        }
        let Some((date, what)) = decisions
            .into_iter()
            .filter(|(d, _)| *d >= since)
            .max_by_key(|(d, _)| *d)
        else {
            continue;
        };
        let mut e = record_row(Code::RationaleMissing, facts, vi);
        e.days_out = (facts.as_of - date).num_days();
        let category = c
            .and_then(|c| c.adverse_category.as_deref())
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        let rationale = match v.rationale_recorded {
            None => "rationale_recorded not recorded",
            _ => "no rationale recorded",
        };
        e.detail = format!("{what} with adverse information{category} and {rationale}");
        out.push(e);
    }
    out
}
