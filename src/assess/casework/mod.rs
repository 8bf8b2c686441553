//! The vetting unit's own casework (`model::casework`): open applications, and the decisions
//! made on adverse information.
//!
//! - PENDING_TOO_LONG (`pending`): an application open past its limit.
//! - RATIONALE_MISSING (`rationale`): an adverse refusal, withdrawal or appeal outcome with no
//!   recorded rationale.
//! - INTERVIEW_NOT_HELD (`interview`): an adverse decision made without the interview its
//!   category needs.
//! - RENEWAL_NO_RESPONSE (`renewal`): a renewal the person has not answered while their
//!   clearance runs out.
//!
//! Each code is raised only when the vetting export has every column it needs
//! (`Facts::checks`); a blank cell is not recorded and never raises a code on its own say.
//! `in_progress` finds the renewal or upgrade a clearance row names.

pub mod in_progress;
pub mod interview;
pub mod pending;
pub mod rationale;
pub mod renewal;

use super::{Code, Exception, Facts};
use crate::model::casework::Casework;
use chrono::{Months, NaiveDate};

/// The case type of a renewal, as the built-in `casework.case_types` spells it.
pub const RENEWAL: &str = "renewal";
/// The case type of an upgrade to a higher level.
pub const UPGRADE: &str = "upgrade";

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = pending::check(facts);
    out.extend(rationale::check(facts));
    out.extend(interview::check(facts));
    out.extend(renewal::check(facts));
    out
}

/// The first day of `casework.decision_lookback_months` before the as-of date: a decision
/// on or after it is tonight's worklist, an older one the QA sample's.
pub fn lookback_start(facts: &Facts<'_>) -> NaiveDate {
    facts
        .as_of
        .checked_sub_months(Months::new(facts.casework.decision_lookback_months))
        .unwrap_or(NaiveDate::MIN)
}

/// A row about vetting record `record`: its person's names and post when it is linked,
/// the vetting system's names when not (as ADVERSE_UNMITIGATED does).
pub fn record_row(code: Code, facts: &Facts<'_>, record: usize) -> Exception {
    match facts.link(record).linked_person() {
        Some(p) => {
            let mut e = Exception::for_person(code, facts, p as usize);
            e.set_record(facts, record);
            e
        }
        None => Exception::for_record(code, facts, record),
    }
}

/// "recruit application" or "application (type not recorded)".
pub fn application(c: &Casework) -> String {
    match c.case_type.as_deref() {
        Some(t) => format!("{t} application"),
        None => "application (type not recorded)".into(),
    }
}

/// "stage enquiries" or "stage not recorded".
pub fn stage(c: &Casework) -> String {
    format!("stage {}", c.stage.as_deref().unwrap_or("not recorded"))
}

#[cfg(test)]
mod tests;
