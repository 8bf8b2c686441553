//! DECLARATION_REVIEW_DUE: a declaration of someone on the roster (not a leaver), not
//! refused (approved, approved with conditions, or not yet decided), whose review date is
//! before the as-of date: its `last_reviewed` (or, never reviewed, its `declared_date`) plus
//! its own `review_every` (else its type's `integrity.declaration_review_every`). A review
//! due on the as-of date itself is not yet late. Days out of compliance are the days since
//! the review date. One row per declaration, whose `vetting_ref` holds the declaration_ref,
//! so each declaration is its own row in history and diff.

use super::declaration::{self, Read, Status};
use crate::assess::{Code, Exception, Facts};

pub fn check(facts: &Facts<'_>, read: &[Read<'_>]) -> Vec<Exception> {
    read.iter()
        .filter(|r| r.status == Status::ReviewDue)
        .filter_map(|r| {
            let (person, period, due) = (r.person?, r.period?, r.due?);
            let d = r.declaration;
            let mut e = super::person_row(facts, Code::DeclarationReviewDue, person);
            e.vetting_ref = d.declaration_ref.clone();
            // The row rests on the declaration, not on a link to a vetting record.
            e.match_score = None;
            e.days_out = r.days_out;
            e.detail = declaration::review_text(d, period, due);
            Some(e)
        })
        .collect()
}
