//! Prevention rules: a gap caught before it opens, and the conditions a clearance was
//! granted on kept as visible as the clearance.
//!
//! Each rule reads `Facts::prevention` (tonight's future postings and conditions on
//! clearances, `None` for a feed not read) and raises nothing from a feed that was not read:
//! its code is then "not read" on the page, never a zero.

pub mod condition;
pub mod condition_breach;
pub mod condition_owner;
pub mod condition_review;
pub mod posting;

use super::{Exception, Facts};
use crate::model::prevention::{Condition, Posting, PreventionPolicy};
use crate::model::{LevelId, Levels, VettingRecord, VettingStatus};
use chrono::NaiveDate;

/// The prevention feeds of a night, as the rules read them.
#[derive(Debug, Clone, Copy)]
pub struct PreventionFacts<'a> {
    /// HR's future postings; `None` when the feed was not read tonight.
    pub postings: Option<&'a [Posting]>,
    /// The conditions on clearances; `None` when the feed was not read tonight.
    pub conditions: Option<&'a [Condition]>,
    pub policy: &'a PreventionPolicy,
}

/// Every prevention rule's rows.
pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = posting::check(facts);
    if let Some(conditions) = facts.prevention.conditions {
        let followed = condition::follow(facts, conditions);
        out.extend(condition_review::check(facts, &followed));
        out.extend(condition_owner::check(facts, &followed, conditions));
        out.extend(condition_breach::check(facts, &followed));
    }
    out
}

/// Record `v` holds `level` on `day`: granted, decided on or before that day (a grant with
/// no decision date is taken as held), not expired on it (`VettingRecord::is_valid_on`), and
/// at a level that meets `level`. A grant decided after a day did not hold on it, so a move
/// made before management vetting was granted is counted as such (`analyse::moves`).
pub fn holds(levels: &Levels, v: &VettingRecord, level: LevelId, day: NaiveDate) -> bool {
    v.status == VettingStatus::Granted
        && v.is_valid_on(day)
        && v.decision_date.is_none_or(|d| d <= day)
        && levels.satisfies(v.level, level)
}

#[cfg(test)]
mod condition_tests;
