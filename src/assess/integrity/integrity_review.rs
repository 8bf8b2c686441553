//! INTEGRITY_REVIEW_OVERDUE: the annual integrity review a person holds with their
//! supervisor (the roster's `last_integrity_review`), for everyone whose employment status
//! is `active` (not a leaver, nor suspended or on a career break, whose reviews wait for
//! their return). Raised when the last review plus `integrity.integrity_review_every` is
//! before the as-of date (days since that date); or, with none recorded, when the post
//! start plus the period is (days since that date), or when no post start is recorded
//! either (0 days: how late cannot be known). Someone with none recorded who started their
//! post less than a period ago is not yet due.
//!
//! A roster without the column checks nothing (`Facts::checks`): a blank column would
//! otherwise read as "no review recorded" for everyone. The row's `vetting_ref` is the
//! person's best linked record's, as on other rows about a person.

use crate::assess::{Code, Exception, Facts};
use crate::model::EmploymentStatus;
use chrono::NaiveDate;

/// Where an active person's integrity review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Reviewed, and the next review is not yet due.
    Current { last: NaiveDate },
    /// Reviewed, and the next review fell due before the as-of date.
    Overdue { last: NaiveDate, due: NaiveDate },
    /// None recorded, and in post less than a period: not yet due.
    NewInPost { since: NaiveDate },
    /// None recorded: due a period after the post start (`due`), or with no post start
    /// recorded, due now.
    NoneRecorded {
        since: Option<NaiveDate>,
        due: Option<NaiveDate>,
    },
}

impl Review {
    /// Days out of compliance on `as_of` when raised, else `None`.
    pub fn days_out(self, as_of: NaiveDate) -> Option<i64> {
        match self {
            Review::Current { .. } | Review::NewInPost { .. } => None,
            Review::Overdue { due, .. } => Some((as_of - due).num_days()),
            Review::NoneRecorded { due, .. } => Some(due.map_or(0, |d| (as_of - d).num_days())),
        }
    }

    /// The row's detail (for a raised review).
    pub fn text(self) -> String {
        match self {
            Review::Overdue { last, due } => format!("last integrity review {last}; due {due}"),
            Review::NoneRecorded {
                since: Some(since), ..
            } => format!("no integrity review recorded; in post since {since}"),
            Review::NoneRecorded { since: None, .. } => "no integrity review recorded".into(),
            Review::Current { last } => format!("last integrity review {last}"),
            Review::NewInPost { since } => {
                format!("no integrity review recorded; in post since {since}, not yet due")
            }
        }
    }
}

/// Roster person `person`'s integrity review, or `None` when they are not active.
pub fn review(facts: &Facts<'_>, person: usize) -> Option<Review> {
    let p = facts.person(person);
    if p.status != EmploymentStatus::Active {
        return None;
    }
    let every = facts.integrity.policy.integrity_review_every;
    let late = |due: Option<NaiveDate>| due.is_some_and(|d| d < facts.as_of);
    Some(match (p.last_integrity_review, p.post_start_date) {
        (Some(last), _) => match every.after(last) {
            Some(due) if late(Some(due)) => Review::Overdue { last, due },
            _ => Review::Current { last },
        },
        (None, Some(since)) => {
            let due = every.after(since);
            if late(due) {
                Review::NoneRecorded {
                    since: Some(since),
                    due,
                }
            } else {
                Review::NewInPost { since }
            }
        }
        (None, None) => Review::NoneRecorded {
            since: None,
            due: None,
        },
    })
}

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    if !facts.checks(Code::IntegrityReviewOverdue) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for pi in 0..facts.persons.len() {
        let Some(r) = review(facts, pi) else { continue };
        let Some(days) = r.days_out(facts.as_of) else {
            continue;
        };
        let mut e = super::person_row(facts, Code::IntegrityReviewOverdue, pi);
        e.days_out = days;
        e.detail = r.text();
        out.push(e);
    }
    out
}
