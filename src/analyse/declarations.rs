//! Declarations and integrity reviews: declaration_status.csv and the figures of the page's
//! part. Each declaration is read through the same steps as the DECLARATION_ rules
//! (`assess::integrity::declaration`), and each person's review through INTEGRITY_REVIEW_
//! OVERDUE's (`assess::integrity::integrity_review`), so the figures and the exception rows
//! agree: the declarations past their review are the DECLARATION_REVIEW_DUE rows, and so on.

use crate::assess::integrity::declaration::{self, Status};
use crate::assess::integrity::integrity_review::{self, Review};
use crate::assess::{Code, Facts};
use crate::model::integrity::Decision;
use crate::model::prevention::ReviewPeriod;
use chrono::NaiveDate;
use std::sync::Arc;

/// One declaration of the feed, as tonight finds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub declaration_ref: String,
    /// As the feed gives it.
    pub employee_id: String,
    pub kind: Arc<str>,
    pub declared_date: NaiveDate,
    /// `None`: not yet decided.
    pub decision: Option<Decision>,
    pub last_reviewed: Option<NaiveDate>,
    /// The period its review follows: its own, else its type's.
    pub review_every: Option<ReviewPeriod>,
    pub review_due: Option<NaiveDate>,
    pub status: Status,
}

/// The integrity reviews of the people checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reviews {
    /// Active people on the roster: the ones whose review is checked.
    pub checked: usize,
    /// A review recorded, and the next one past due (INTEGRITY_REVIEW_OVERDUE rows).
    pub overdue: usize,
    /// None recorded, and in post a period or more, or since a start not recorded
    /// (INTEGRITY_REVIEW_OVERDUE rows too).
    pub none_recorded: usize,
    /// None recorded, in post less than a period: not yet due.
    pub new_in_post: usize,
    pub period: ReviewPeriod,
}

/// Tonight's declarations and integrity reviews.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Declarations {
    /// Every declaration in file order; `None` when the feed was not read.
    pub rows: Option<Vec<Row>>,
    /// The configured types, in config order.
    pub types: Vec<Arc<str>>,
    /// `None` when the roster has no last_integrity_review column.
    pub reviews: Option<Reviews>,
}

impl Declarations {
    /// Declarations of `status` (0 when the feed was not read).
    pub fn count(&self, status: Status) -> usize {
        self.rows().filter(|r| r.status == status).count()
    }

    /// Declarations of type `kind`.
    pub fn of_type(&self, kind: &str) -> usize {
        self.rows().filter(|r| &*r.kind == kind).count()
    }

    /// Declarations not yet decided of people on the roster (not leavers).
    pub fn undecided(&self) -> usize {
        self.rows()
            .filter(|r| r.decision.is_none())
            .filter(|r| !matches!(r.status, Status::NotOnRoster | Status::Leaver))
            .count()
    }

    fn rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().flatten()
    }
}

pub fn analyse(facts: &Facts<'_>) -> Declarations {
    let rows = facts.integrity.declarations.map(|ds| {
        declaration::read(facts, ds)
            .into_iter()
            .map(|r| {
                let d = r.declaration;
                Row {
                    declaration_ref: d.declaration_ref.clone(),
                    employee_id: d.employee_id.clone(),
                    kind: d.kind.clone(),
                    declared_date: d.declared_date,
                    decision: d.decision,
                    last_reviewed: d.last_reviewed,
                    review_every: r.period,
                    review_due: r.due,
                    status: r.status,
                }
            })
            .collect()
    });
    Declarations {
        rows,
        types: facts.integrity.policy.declaration_types.clone(),
        reviews: facts
            .checks(Code::IntegrityReviewOverdue)
            .then(|| reviews(facts)),
    }
}

fn reviews(facts: &Facts<'_>) -> Reviews {
    let mut r = Reviews {
        checked: 0,
        overdue: 0,
        none_recorded: 0,
        new_in_post: 0,
        period: facts.integrity.policy.integrity_review_every,
    };
    for pi in 0..facts.persons.len() {
        let Some(review) = integrity_review::review(facts, pi) else {
            continue;
        };
        r.checked += 1;
        match review {
            Review::Current { .. } => {}
            Review::Overdue { .. } => r.overdue += 1,
            Review::NoneRecorded { .. } => r.none_recorded += 1,
            Review::NewInPost { .. } => r.new_in_post += 1,
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::integrity::IntegrityFacts;
    use crate::model::integrity::Declaration;
    use crate::model::{EmploymentStatus, RoleType};
    use crate::testkit::*;

    fn decl(
        reference: &str,
        employee: &str,
        kind: &str,
        declared: &str,
        decision: Option<Decision>,
    ) -> Declaration {
        Declaration {
            declaration_ref: reference.into(),
            employee_id: employee.into(),
            kind: kind.into(),
            declared_date: d(declared),
            review_every: None,
            last_reviewed: None,
            decision,
            line: 2,
        }
    }

    fn analysed(
        w: &World,
        ds: Option<&[Declaration]>,
        columns: &'static [&'static str],
    ) -> Declarations {
        analyse(
            &w.facts()
                .with_integrity(IntegrityFacts {
                    declarations: ds,
                    policy: &w.policy.integrity,
                })
                .with_vetting_columns(columns),
        )
    }

    /// E0 active in a designated post, E1 active in an ordinary one, E2 a leaver; as of
    /// 2026-11-24, yearly reviews of every type.
    fn world() -> World {
        let mut w = World::new();
        w.staff("DESIG");
        w.staff("RVPOST");
        w.person("RVPOST", RoleType::Staff, EmploymentStatus::Leaver);
        w
    }

    #[test]
    fn each_declaration_has_the_one_status_that_applies_in_file_order() {
        let w = world();
        let refused = Some(Decision::Refused);
        let ds = [
            // Due 2025-12-01: past.
            decl("D9", "E1", "secondary_employment", "2024-12-01", None),
            // Refused, business interest, in a designated post.
            decl("D2", "E0", "business_interest", "2025-01-01", refused),
            // Refused, in an ordinary post.
            decl("D3", "E1", "notifiable_association", "2025-01-01", refused),
            // Due 2027-01-01: not yet.
            decl(
                "D4",
                "E1",
                "business_interest",
                "2026-01-01",
                Some(Decision::Approved),
            ),
            decl("D5", "E7", "business_interest", "2020-01-01", None),
            decl("D6", "E2", "business_interest", "2020-01-01", None),
        ];
        let a = analysed(&w, Some(&ds), &["last_integrity_review"]);
        let got: Vec<(&str, &str, Option<NaiveDate>, Option<String>)> = (a.rows.iter().flatten())
            .map(|r| {
                (
                    r.declaration_ref.as_str(),
                    r.status.as_str(),
                    r.review_due,
                    r.review_every.map(|p| p.as_text()),
                )
            })
            .collect();
        let year = Some("1 year".to_string());
        assert_eq!(
            got,
            [
                ("D9", "review_due", Some(d("2025-12-01")), year.clone()),
                (
                    "D2",
                    "refused_in_designated_post",
                    Some(d("2026-01-01")),
                    year.clone()
                ),
                ("D3", "refused", Some(d("2026-01-01")), year.clone()),
                ("D4", "not_due", Some(d("2027-01-01")), year.clone()),
                ("D5", "not_on_roster", Some(d("2021-01-01")), year.clone()),
                ("D6", "leaver", Some(d("2021-01-01")), year),
            ]
        );
        assert_eq!(
            (
                a.of_type("business_interest"),
                a.of_type("notifiable_association"),
                a.of_type("secondary_employment"),
            ),
            (4, 1, 1)
        );
        // D9 is undecided and on the roster; D5 and D6 are undecided but not on it.
        assert_eq!(a.undecided(), 1);
        assert_eq!(
            (a.count(Status::NotOnRoster), a.count(Status::Leaver)),
            (1, 1)
        );
    }

    #[test]
    fn a_feed_not_read_has_no_rows_and_a_column_not_read_no_reviews() {
        let w = world();
        let a = analysed(&w, None, &[]);
        assert_eq!(a.rows, None);
        assert_eq!(a.reviews, None);
        assert_eq!(a.count(Status::ReviewDue), 0);
    }

    #[test]
    fn integrity_reviews_are_counted_for_active_people_only() {
        let mut w = world();
        // E0 reviewed 2025-01-01: overdue. E1 none, in post since 2026-01-01: not yet due.
        // E3 none, no start: none recorded. E4 reviewed 2026-06-01: current. E2 a leaver and
        // E5 suspended are not checked.
        w.persons[0].last_integrity_review = Some(d("2025-01-01"));
        let e3 = w.staff("RVPOST");
        w.persons[e3 as usize].post_start_date = None;
        let e4 = w.staff("RVPOST");
        w.persons[e4 as usize].last_integrity_review = Some(d("2026-06-01"));
        w.person("RVPOST", RoleType::Officer, EmploymentStatus::Suspended);
        let a = analysed(&w, None, &["last_integrity_review"]);
        assert_eq!(
            a.reviews,
            Some(Reviews {
                checked: 4,
                overdue: 1,
                none_recorded: 1,
                new_in_post: 1,
                period: ReviewPeriod::Months(12),
            })
        );
    }
}
