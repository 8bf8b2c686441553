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

use super::{Exception, Facts};
use crate::model::prevention::{Condition, Posting, PreventionPolicy};

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
    let mut out = Vec::new();
    if let Some(conditions) = facts.prevention.conditions {
        let followed = condition::follow(facts, conditions);
        out.extend(condition_review::check(facts, &followed));
        out.extend(condition_owner::check(facts, &followed, conditions));
        out.extend(condition_breach::check(facts, &followed));
    }
    out
}

#[cfg(test)]
mod condition_tests;
