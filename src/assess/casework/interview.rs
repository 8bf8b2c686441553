//! INTERVIEW_NOT_HELD: an adverse decision made without the interview its category needs.
//!
//! A decision (a record granted or refused) on or after `lookback_start`, with adverse_info
//! yes, an adverse_category listed in `casework.interview_categories`, and interview_held no.
//! A blank interview_held is not recorded and never raises the code; neither does a blank
//! category. Linked or not, like ADVERSE_UNMITIGATED. Days out count from the decision.

use super::{lookback_start, record_row};
use crate::assess::{Code, Exception, Facts};
use crate::model::VettingStatus;

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = Vec::new();
    if !facts.checks(Code::InterviewNotHeld) {
        return out;
    }
    let since = lookback_start(facts);
    for (vi, v) in facts.vetting.iter().enumerate() {
        let Some(c) = v.casework.as_deref() else {
            continue;
        };
        let (Some(category), Some(decided)) = (c.adverse_category.as_deref(), v.decision_date)
        else {
            continue;
        };
        if !matches!(v.status, VettingStatus::Granted | VettingStatus::Refused)
            || v.adverse_info != Some(true)
            || c.interview_held != Some(false)
            || !facts.casework.needs_interview(category)
            || decided < since
        {
            continue;
        }
        let mut e = record_row(Code::InterviewNotHeld, facts, vi);
        e.days_out = (facts.as_of - decided).num_days();
        e.detail = format!(
            "{} on {decided} with adverse information ({category}, which needs an interview) \
             and interview_held no",
            v.status
        );
        out.push(e);
    }
    out
}
