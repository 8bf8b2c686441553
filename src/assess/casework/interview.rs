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
        let Some(d) = needing_interview(facts, since, v) else {
            continue;
        };
        if d.held != Some(false) {
            continue;
        }
        let mut e = record_row(Code::InterviewNotHeld, facts, vi);
        e.days_out = (facts.as_of - d.decided).num_days();
        e.detail = format!(
            "{} on {} with adverse information ({}, which needs an interview) \
             and interview_held no",
            v.status, d.decided, d.category
        );
        out.push(e);
    }
    out
}

/// A decision whose adverse information needs an interview: its category, date and
/// interview_held as recorded (None: not recorded).
pub struct NeedingInterview<'v> {
    pub category: &'v str,
    pub decided: chrono::NaiveDate,
    pub held: Option<bool>,
}

/// `v` when it is a decision (granted or refused) made on or after `since`, with
/// adverse_info yes and an adverse_category the policy says needs an interview: what this
/// rule and the unit's interview figures both read.
pub fn needing_interview<'v>(
    facts: &Facts<'_>,
    since: chrono::NaiveDate,
    v: &'v crate::model::VettingRecord,
) -> Option<NeedingInterview<'v>> {
    let c = v.casework.as_deref()?;
    let (category, decided) = (c.adverse_category.as_deref()?, v.decision_date?);
    let wanted = matches!(v.status, VettingStatus::Granted | VettingStatus::Refused)
        && v.adverse_info == Some(true)
        && facts.casework.needs_interview(category)
        && decided >= since;
    wanted.then_some(NeedingInterview {
        category,
        decided,
        held: c.interview_held,
    })
}
