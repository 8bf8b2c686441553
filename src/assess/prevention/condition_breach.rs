//! CONDITION_BREACHED: a live posting restriction whose person (on the roster, not a leaver)
//! now holds a post the restriction covers (`Restricts::covers`: vulnerable-contact and
//! designated posts as the register marks them, or every post of the department named).
//! One row per condition, whose `vetting_ref` holds the condition_ref (as CONDITION_REVIEW_DUE);
//! days out of compliance count from the later of the person's post start and the record's
//! decision (0 when neither is known).

use super::condition::{self, Followed};
use crate::assess::{Code, Exception, Facts};

pub fn check(facts: &Facts<'_>, followed: &[Followed<'_>]) -> Vec<Exception> {
    let mut out = Vec::new();
    for f in followed {
        let (Some(post), Some(vi), Some(p)) =
            (condition::breached_in(facts, f), f.record, f.person)
        else {
            continue;
        };
        let (c, v) = (f.condition, facts.record(vi));
        let mut e = condition::row(facts, Code::ConditionBreached, vi);
        e.vetting_ref = c.condition_ref.clone();
        let since = [facts.person(p).post_start_date, v.decision_date]
            .into_iter()
            .flatten()
            .max();
        e.days_out = since.map_or(0, |d| (facts.as_of - d).num_days().max(0));
        e.detail = format!(
            "{}: {}",
            condition::named(c, v),
            condition::breach_text(c, post)
        );
        out.push(e);
    }
    out
}
