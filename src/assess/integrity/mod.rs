//! Integrity oversight rules: declarations past their review, refused declarations held in
//! designated posts, and annual integrity reviews overdue.
//!
//! Each rule reads `Facts::integrity` (tonight's declarations, `None` for a feed not read)
//! and raises nothing from a feed or column that was not read: its code is then "not read"
//! on the page, never a zero.

use super::{Exception, Facts};
use crate::model::integrity::{Declaration, IntegrityPolicy};

/// The integrity feeds of a night, as the rules read them.
#[derive(Debug, Clone, Copy)]
pub struct IntegrityFacts<'a> {
    /// The declarations; `None` when the feed was not read tonight.
    pub declarations: Option<&'a [Declaration]>,
    pub policy: &'a IntegrityPolicy,
}

/// Every integrity rule's rows.
pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let _ = facts;
    Vec::new()
}
