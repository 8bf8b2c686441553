//! Integrity oversight rules: declarations past their review, refused declarations held in
//! designated posts, and annual integrity reviews overdue.
//!
//! Each rule reads `Facts::integrity` (tonight's declarations, `None` for a feed not read)
//! and raises nothing from a feed or column that was not read: its code is then "not read"
//! on the page, never a zero. A declaration is read once (`declaration::read`), by the two
//! DECLARATION_ rules and by the analysis behind declaration_status.csv alike, so the file
//! and the exception rows cannot disagree.
//!
//! Every row is about a person on the roster: their name, post and title, what the post
//! requires, and the level, status and expiry of their best linked record
//! (`clearance::shown`, the record their clearance row names).

pub mod declaration;
pub mod declaration_refused;
pub mod declaration_review;
pub mod integrity_review;

use super::{clearance, Code, Exception, Facts};
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
    let mut out = Vec::new();
    if let Some(declarations) = facts.integrity.declarations {
        let read = declaration::read(facts, declarations);
        out.extend(declaration_review::check(facts, &read));
        out.extend(declaration_refused::check(facts, &read));
    }
    out.extend(integrity_review::check(facts));
    out
}

/// A row of `code` about roster person `person`: their name and post, the post's
/// requirement, and their best linked record's level, status, expiry and reference.
pub fn person_row(facts: &Facts<'_>, code: Code, person: usize) -> Exception {
    let mut e = Exception::for_person(code, facts, person);
    let req = clearance::requirement(facts, person);
    e.required_level = facts.level_name(req.level).to_string();
    if let Some(vi) = clearance::shown(facts, person).record() {
        e.set_record(facts, vi);
    }
    e
}

#[cfg(test)]
mod tests;
