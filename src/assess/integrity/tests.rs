//! The integrity rules on hand-built facts: every branch of each, with the answers worked
//! out from the dates given (as of 2026-11-24; the kit's people started their posts on
//! 2026-01-01, and its designated post DESIG requires MV).

use super::IntegrityFacts;
use crate::assess::{assess, Code, Exception, Severity};
use crate::model::integrity::{Decision, Declaration, IntegrityPolicy, RawIntegrity};
use crate::model::prevention::ReviewPeriod;
use crate::model::{EmploymentStatus, RoleType};
use crate::testkit::*;

fn decl(
    reference: &str,
    employee: &str,
    kind: &str,
    declared: &str,
    last: Option<&str>,
    decision: Option<Decision>,
) -> Declaration {
    Declaration {
        declaration_ref: reference.into(),
        employee_id: employee.into(),
        kind: kind.into(),
        declared_date: d(declared),
        review_every: None,
        last_reviewed: last.map(d),
        decision,
        line: 2,
    }
}

const APPROVED: Option<Decision> = Some(Decision::Approved);
const REFUSED: Option<Decision> = Some(Decision::Refused);

/// Every row tonight, with the declarations feed (`None`: not read) and the roster's
/// columns (`None`: every column).
fn run_with(
    w: &World,
    declarations: Option<&[Declaration]>,
    columns: Option<&'static [&'static str]>,
) -> Vec<Exception> {
    let mut facts = w.facts().with_integrity(IntegrityFacts {
        declarations,
        policy: &w.policy.integrity,
    });
    if let Some(c) = columns {
        facts = facts.with_vetting_columns(c);
    }
    assess(&facts, &w.policy.priority)
}

fn rows_of(w: &World, declarations: &[Declaration], code: Code) -> Vec<Exception> {
    run_with(w, Some(declarations), None)
        .into_iter()
        .filter(|e| e.code == code)
        .collect()
}

/// (employee_id, vetting_ref, days_out, detail) of each row of `code`, sorted.
fn seen(w: &World, declarations: &[Declaration], code: Code) -> Vec<(String, String, i64, String)> {
    let mut v: Vec<_> = rows_of(w, declarations, code)
        .into_iter()
        .map(|e| (e.employee_id, e.vetting_ref, e.days_out, e.detail))
        .collect();
    v.sort();
    v
}

fn row(emp: &str, reference: &str, days: i64, detail: &str) -> (String, String, i64, String) {
    (emp.into(), reference.into(), days, detail.into())
}

/// The DECLARATION_ rows of either code.
fn any_declaration_row(w: &World, declarations: &[Declaration]) -> Vec<(Code, String)> {
    run_with(w, Some(declarations), None)
        .into_iter()
        .filter(|e| {
            matches!(
                e.code,
                Code::DeclarationReviewDue | Code::DeclarationRefusedInPost
            )
        })
        .map(|e| (e.code, e.vetting_ref))
        .collect()
}

#[test]
fn a_declaration_is_due_the_day_after_its_review_date_and_not_on_it() {
    let mut w = World::new();
    w.staff("RVPOST");
    // Declared 2025-11-23, yearly: due 2026-11-23, the day before the as-of date.
    // Declared 2025-11-24: due on the as-of date itself, not yet late.
    let ds = [
        decl(
            "D1",
            "E0",
            "business_interest",
            "2025-11-23",
            None,
            APPROVED,
        ),
        decl(
            "D2",
            "E0",
            "business_interest",
            "2025-11-24",
            None,
            APPROVED,
        ),
    ];
    assert_eq!(
        seen(&w, &ds, Code::DeclarationReviewDue),
        [row(
            "E0",
            "D1",
            1,
            "business_interest declared 2025-11-23; never reviewed; review every 1 year; due 2026-11-23; decision: approved"
        )]
    );
}

#[test]
fn a_declaration_never_reviewed_falls_due_a_period_after_it_was_declared() {
    let mut w = World::new();
    w.staff("RVPOST");
    let ds = [decl(
        "D1",
        "E0",
        "notifiable_association",
        "2024-03-01",
        None,
        Some(Decision::ApprovedWithConditions),
    )];
    // Due 2025-03-01: 633 days before 2026-11-24.
    assert_eq!(
        seen(&w, &ds, Code::DeclarationReviewDue),
        [row(
            "E0",
            "D1",
            633,
            "notifiable_association declared 2024-03-01; never reviewed; review every 1 year; due 2025-03-01; decision: approved_with_conditions"
        )]
    );
    let e = &rows_of(&w, &ds, Code::DeclarationReviewDue)[0];
    assert_eq!(e.severity, Severity::Medium);
}

#[test]
fn a_declarations_own_period_wins_over_its_types() {
    let mut w = World::new();
    w.staff("RVPOST");
    // Both last reviewed 2026-05-01: D1 every 6 months is due 2026-11-01 (23 days ago); D2
    // takes its type's year and is due 2027-05-01.
    let mut own = decl(
        "D1",
        "E0",
        "business_interest",
        "2024-03-01",
        Some("2026-05-01"),
        APPROVED,
    );
    own.review_every = Some(ReviewPeriod::Months(6));
    let typed = decl(
        "D2",
        "E0",
        "business_interest",
        "2024-03-01",
        Some("2026-05-01"),
        APPROVED,
    );
    assert_eq!(
        seen(&w, &[own, typed], Code::DeclarationReviewDue),
        [row(
            "E0",
            "D1",
            23,
            "business_interest declared 2024-03-01; last reviewed 2026-05-01; review every 6 months; due 2026-11-01; decision: approved"
        )]
    );
}

#[test]
fn each_type_follows_the_period_the_config_gives_it() {
    let mut w = World::new();
    w.staff("RVPOST");
    let mut raw = RawIntegrity::default();
    raw.declaration_review_every
        .insert("secondary_employment".into(), "90 days".into());
    w.policy.integrity = IntegrityPolicy::build(&raw, &w.policy.levels, &|_| true).unwrap();
    // Both last reviewed 2026-08-01: secondary employment every 90 days is due 2026-10-30
    // (25 days ago); a business interest, yearly, is not due until 2027-08-01.
    let ds = [
        decl(
            "D1",
            "E0",
            "secondary_employment",
            "2024-03-01",
            Some("2026-08-01"),
            APPROVED,
        ),
        decl(
            "D2",
            "E0",
            "business_interest",
            "2024-03-01",
            Some("2026-08-01"),
            APPROVED,
        ),
    ];
    assert_eq!(
        seen(&w, &ds, Code::DeclarationReviewDue),
        [row(
            "E0",
            "D1",
            25,
            "secondary_employment declared 2024-03-01; last reviewed 2026-08-01; review every 90 days; due 2026-10-30; decision: approved"
        )]
    );
}

#[test]
fn a_declaration_not_yet_decided_falls_due_like_an_approved_one() {
    let mut w = World::new();
    w.staff("RVPOST");
    let ds = [decl(
        "D1",
        "E0",
        "secondary_employment",
        "2025-06-01",
        None,
        None,
    )];
    // Due 2026-06-01: 176 days ago.
    assert_eq!(
        seen(&w, &ds, Code::DeclarationReviewDue),
        [row(
            "E0",
            "D1",
            176,
            "secondary_employment declared 2025-06-01; never reviewed; review every 1 year; due 2026-06-01; not yet decided"
        )]
    );
}

#[test]
fn a_refused_declaration_is_never_a_review_due() {
    let mut w = World::new();
    w.staff("RVPOST");
    // Long past any review date, but refused, and in a post that is not designated.
    let ds = [decl(
        "D1",
        "E0",
        "business_interest",
        "2020-01-01",
        None,
        REFUSED,
    )];
    assert_eq!(any_declaration_row(&w, &ds), []);
}

#[test]
fn a_refused_interest_held_in_a_designated_post_counts_from_the_later_of_declaration_and_post_start(
) {
    let mut w = World::new();
    w.staff("DESIG");
    w.staff("DESIG");
    let c = w.staff("DESIG");
    w.persons[c as usize].post_start_date = None;
    let ds = [
        // Declared before the post start (2026-01-01): 327 days since the start.
        decl("D1", "E0", "business_interest", "2025-06-01", None, REFUSED),
        // Declared after it: 268 days since the declaration.
        decl(
            "D2",
            "E1",
            "notifiable_association",
            "2026-03-01",
            None,
            REFUSED,
        ),
        // No post start recorded: 876 days since the declaration.
        decl("D3", "E2", "business_interest", "2024-07-01", None, REFUSED),
    ];
    assert_eq!(
        seen(&w, &ds, Code::DeclarationRefusedInPost),
        [
            row(
                "E0",
                "D1",
                327,
                "business_interest declared 2025-06-01, refused; holds designated post DESIG"
            ),
            row(
                "E1",
                "D2",
                268,
                "notifiable_association declared 2026-03-01, refused; holds designated post DESIG"
            ),
            row(
                "E2",
                "D3",
                876,
                "business_interest declared 2024-07-01, refused; holds designated post DESIG"
            ),
        ]
    );
    assert_eq!(seen(&w, &ds, Code::DeclarationReviewDue), []);
    let e = &rows_of(&w, &ds, Code::DeclarationRefusedInPost)[0];
    assert_eq!(e.severity, Severity::High);
}

#[test]
fn a_refusal_in_a_post_that_is_not_designated_raises_nothing() {
    let mut w = World::new();
    w.staff("RVPOST");
    w.staff("VULN");
    let ds = [
        decl("D1", "E0", "business_interest", "2025-06-01", None, REFUSED),
        decl(
            "D2",
            "E1",
            "notifiable_association",
            "2025-06-01",
            None,
            REFUSED,
        ),
    ];
    assert_eq!(any_declaration_row(&w, &ds), []);
}

#[test]
fn a_refusal_of_a_type_not_listed_for_designated_posts_raises_nothing() {
    let mut w = World::new();
    w.staff("DESIG");
    // secondary_employment is not in the built-in refused_in_post_types.
    let ds = [decl(
        "D1",
        "E0",
        "secondary_employment",
        "2025-06-01",
        None,
        REFUSED,
    )];
    assert_eq!(any_declaration_row(&w, &ds), []);
    // Listed, the same refusal is raised.
    let mut raw = RawIntegrity::default();
    raw.refused_in_post_types
        .push("secondary_employment".into());
    w.policy.integrity = IntegrityPolicy::build(&raw, &w.policy.levels, &|_| true).unwrap();
    assert_eq!(
        any_declaration_row(&w, &ds),
        [(Code::DeclarationRefusedInPost, "D1".to_string())]
    );
}

#[test]
fn declarations_of_leavers_and_of_ids_no_one_holds_raise_nothing() {
    let mut w = World::new();
    w.person("DESIG", RoleType::Staff, EmploymentStatus::Leaver);
    let ds = [
        decl("D1", "E0", "business_interest", "2024-01-01", None, REFUSED),
        decl(
            "D2",
            "E0",
            "business_interest",
            "2024-01-01",
            None,
            APPROVED,
        ),
        decl(
            "D3",
            "E99",
            "business_interest",
            "2024-01-01",
            None,
            APPROVED,
        ),
        decl(
            "D4",
            "E99",
            "business_interest",
            "2024-01-01",
            None,
            REFUSED,
        ),
    ];
    assert_eq!(any_declaration_row(&w, &ds), []);
}

#[test]
fn a_declarations_employee_id_is_matched_as_ids_compare() {
    let mut w = World::new();
    w.staff("RVPOST");
    w.staff("DESIG");
    // ` e0 ` and `e1` are the roster's E0 and E1; the row names the roster's spelling.
    let ds = [
        decl(
            "D1",
            " e0 ",
            "business_interest",
            "2024-03-01",
            None,
            APPROVED,
        ),
        decl("D2", "e1", "business_interest", "2025-06-01", None, REFUSED),
    ];
    let mut got = any_declaration_row(&w, &ds);
    got.sort();
    assert_eq!(
        got,
        [
            (Code::DeclarationReviewDue, "D1".to_string()),
            (Code::DeclarationRefusedInPost, "D2".to_string()),
        ]
    );
    let e = &rows_of(&w, &ds, Code::DeclarationReviewDue)[0];
    assert_eq!(e.employee_id, "E0");
}

#[test]
fn a_declaration_row_names_the_person_their_posts_requirement_and_their_clearance() {
    let mut w = World::new();
    let p = w.staff("DESIG");
    w.granted(p, "MV", "2030-01-01");
    let ds = [decl(
        "D1",
        "E0",
        "business_interest",
        "2025-06-01",
        None,
        REFUSED,
    )];
    let e = &rows_of(&w, &ds, Code::DeclarationRefusedInPost)[0];
    assert_eq!(
        (
            e.surname.as_str(),
            e.post_id.as_str(),
            e.post_title.as_str(),
            e.required_level.as_str(),
            e.held_level.as_str(),
            e.vetting_status.as_str(),
            e.vetting_ref.as_str(),
            e.expiry_date,
            e.match_score,
        ),
        (
            "Surname0",
            "DESIG",
            "title DESIG",
            "MV",
            "MV",
            "granted",
            "D1",
            Some(d("2030-01-01")),
            None
        )
    );
}

#[test]
fn without_the_declarations_feed_no_declaration_row_is_raised() {
    let mut w = World::new();
    w.staff("DESIG");
    let rows = run_with(&w, None, None);
    assert!(rows.iter().all(|e| !matches!(
        e.code,
        Code::DeclarationReviewDue | Code::DeclarationRefusedInPost
    )));
}

/// (employee_id, days_out, detail) of each INTEGRITY_REVIEW_OVERDUE row, sorted.
fn reviews(w: &World, columns: Option<&'static [&'static str]>) -> Vec<(String, i64, String)> {
    let mut v: Vec<_> = run_with(w, None, columns)
        .into_iter()
        .filter(|e| e.code == Code::IntegrityReviewOverdue)
        .map(|e| (e.employee_id, e.days_out, e.detail))
        .collect();
    v.sort();
    v
}

fn review_row(emp: &str, days: i64, detail: &str) -> (String, i64, String) {
    (emp.into(), days, detail.into())
}

#[test]
fn an_integrity_review_is_overdue_the_day_after_a_period_from_the_last() {
    let mut w = World::new();
    let a = w.staff("RVPOST");
    let b = w.staff("RVPOST");
    w.persons[a as usize].last_integrity_review = Some(d("2025-11-23"));
    w.persons[b as usize].last_integrity_review = Some(d("2025-11-24"));
    assert_eq!(
        reviews(&w, None),
        [review_row(
            "E0",
            1,
            "last integrity review 2025-11-23; due 2026-11-23"
        )]
    );
}

#[test]
fn with_no_integrity_review_recorded_the_period_runs_from_the_post_start() {
    let mut w = World::new();
    let a = w.staff("RVPOST");
    w.staff("RVPOST");
    let c = w.staff("RVPOST");
    // E0 started 2025-06-01: due 2026-06-01, 176 days ago. E1 started 2026-01-01: not yet
    // a year. E2 has no start recorded: due now, 0 days.
    w.persons[a as usize].post_start_date = Some(d("2025-06-01"));
    w.persons[c as usize].post_start_date = None;
    assert_eq!(
        reviews(&w, None),
        [
            review_row(
                "E0",
                176,
                "no integrity review recorded; in post since 2025-06-01"
            ),
            review_row("E2", 0, "no integrity review recorded"),
        ]
    );
}

#[test]
fn only_active_people_are_held_to_an_integrity_review() {
    let mut w = World::new();
    for status in [
        EmploymentStatus::Suspended,
        EmploymentStatus::CareerBreak,
        EmploymentStatus::Leaver,
    ] {
        let p = w.person("RVPOST", RoleType::Officer, status);
        w.persons[p as usize].post_start_date = None;
    }
    assert_eq!(reviews(&w, None), []);
}

#[test]
fn a_roster_without_the_last_integrity_review_column_checks_no_integrity_review() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.persons[p as usize].post_start_date = None;
    assert_eq!(reviews(&w, Some(&[])), []);
    assert_eq!(
        reviews(&w, Some(&["last_integrity_review"])),
        [review_row("E0", 0, "no integrity review recorded")]
    );
}

#[test]
fn an_integrity_review_row_names_the_persons_best_linked_record() {
    let mut w = World::new();
    let a = w.staff("SCPOST");
    let b = w.staff("RVPOST");
    // E0 holds RV and SC, both valid: the SC clearance meets the post. E1's only record
    // expired: it is the one shown.
    w.granted(a, "RV", "2031-01-01");
    w.granted(a, "SC", "2029-01-01");
    w.granted(b, "RV", "2025-01-01");
    for p in [a, b] {
        w.persons[p as usize].post_start_date = None;
    }
    let got: Vec<(String, String, String, String, String)> = run_with(&w, None, None)
        .into_iter()
        .filter(|e| e.code == Code::IntegrityReviewOverdue)
        .map(|e| {
            (
                e.employee_id,
                e.required_level,
                e.held_level,
                e.vetting_ref,
                e.vetting_status,
            )
        })
        .collect();
    let s = |x: [&str; 5]| x.map(String::from).into();
    let want: Vec<(String, String, String, String, String)> = vec![
        s(["E0", "SC", "SC", "V1", "granted"]),
        s(["E1", "RV", "RV", "V2", "granted"]),
    ];
    assert_eq!(got, want);
}
