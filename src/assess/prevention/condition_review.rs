//! CONDITION_REVIEW_DUE: a live condition (its record granted, valid or expired, or
//! suspended) with a review period whose review date has passed: its last check, or its
//! record's decision when never checked, plus the period. With a period and neither date it
//! is due now, "never checked". A condition with no period is not raised (the page counts
//! it). One row per condition, whose `vetting_ref` holds the condition_ref, so each
//! condition is its own row in history and diff; the detail names the record.

use super::condition::{self, Followed};
use crate::assess::{Code, Exception, Facts};

pub fn check(facts: &Facts<'_>, followed: &[Followed<'_>]) -> Vec<Exception> {
    let mut out = Vec::new();
    for f in followed {
        let Some(vi) = f.record else { continue };
        let (c, v) = (f.condition, facts.record(vi));
        if !condition::is_live(v) {
            continue;
        }
        let Some(days) = condition::overdue(facts, c, v) else {
            continue;
        };
        let mut e = condition::row(facts, Code::ConditionReviewDue, vi);
        e.vetting_ref = c.condition_ref.clone();
        e.days_out = days;
        e.detail = format!(
            "{}: {}",
            condition::named(c, v),
            condition::review_text(facts, c, v)
        );
        out.push(e);
    }
    out
}
