//! The CONDITION_ rules on hand-built facts: every branch, with the answers worked out from
//! the dates given (as of 2026-11-24; the kit's records are decided on 2020-01-01 and its
//! people started their posts on 2026-01-01).

use super::PreventionFacts;
use crate::assess::{assess, Code, Exception};
use crate::link::Decision;
use crate::model::prevention::{Condition, Restricts, ReviewPeriod};
use crate::model::{EmploymentStatus, RoleType, VettingStatus};
use crate::testkit::*;

fn cond(
    condition_ref: &str,
    vetting_ref: &str,
    kind: &str,
    owner: Option<&str>,
    every: Option<ReviewPeriod>,
    last: Option<&str>,
) -> Condition {
    Condition {
        condition_ref: condition_ref.into(),
        vetting_ref: vetting_ref.into(),
        kind: kind.into(),
        owner_unit: owner.map(Into::into),
        review_every: every,
        last_checked: last.map(d),
        restricts: None,
        line: 2,
    }
}

fn restriction(condition_ref: &str, vetting_ref: &str, r: Restricts) -> Condition {
    Condition {
        restricts: Some(r),
        ..cond(
            condition_ref,
            vetting_ref,
            "posting_restriction",
            Some("hr"),
            None,
            None,
        )
    }
}

/// Every row tonight, with the conditions feed read (`None`: not read).
fn run(w: &World, conditions: Option<&[Condition]>) -> Vec<Exception> {
    let facts = w.facts().with_prevention(PreventionFacts {
        postings: None,
        conditions,
        policy: &w.policy.prevention,
    });
    assess(&facts, &w.policy.priority)
}

fn rows_of(w: &World, conditions: &[Condition], code: Code) -> Vec<Exception> {
    run(w, Some(conditions))
        .into_iter()
        .filter(|e| e.code == code)
        .collect()
}

/// (employee_id, vetting_ref, days_out, detail) of each row of `code`.
fn seen(w: &World, conditions: &[Condition], code: Code) -> Vec<(String, String, i64, String)> {
    let mut v: Vec<_> = rows_of(w, conditions, code)
        .into_iter()
        .map(|e| (e.employee_id, e.vetting_ref, e.days_out, e.detail))
        .collect();
    v.sort();
    v
}

const SIX_MONTHS: Option<ReviewPeriod> = Some(ReviewPeriod::Months(6));

#[test]
fn a_condition_past_its_review_date_is_raised_with_the_days_since_it_fell_due() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    let c = [cond(
        "C1",
        "V0",
        "finance_review",
        Some("counter_corruption"),
        SIX_MONTHS,
        Some("2026-01-10"),
    )];
    // 2026-01-10 + 6 months = 2026-07-10; 137 days before 2026-11-24.
    assert_eq!(
        seen(&w, &c, Code::ConditionReviewDue),
        [(
            "E0".into(),
            "C1".into(),
            137,
            "condition C1 on V0 (finance_review): reviewed every 6 months, last checked 2026-01-10, review due 2026-07-10, 137 days overdue".into()
        )]
    );
    let row = &rows_of(&w, &c, Code::ConditionReviewDue)[0];
    assert_eq!(
        (row.held_level.as_str(), row.vetting_status.as_str()),
        ("RV", "granted")
    );
}

#[test]
fn a_review_due_on_the_as_of_date_is_not_yet_late_and_the_day_after_it_is() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    let on_time = [cond(
        "C1",
        "V0",
        "other",
        Some("hr"),
        SIX_MONTHS,
        Some("2026-05-24"),
    )];
    assert_eq!(seen(&w, &on_time, Code::ConditionReviewDue), []);
    let late = [cond(
        "C1",
        "V0",
        "other",
        Some("hr"),
        SIX_MONTHS,
        Some("2026-05-23"),
    )];
    let got = seen(&w, &late, Code::ConditionReviewDue);
    assert_eq!((got.len(), got[0].2), (1, 1));
}

#[test]
fn a_condition_never_checked_counts_from_its_records_decision_or_is_due_now_without_one() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    let c = [cond(
        "C1",
        "V0",
        "other",
        Some("hr"),
        Some(ReviewPeriod::Months(12)),
        None,
    )];
    // Decided 2020-01-01, reviewed yearly: due 2021-01-01, 2,153 days before the as-of date.
    assert_eq!(
        seen(&w, &c, Code::ConditionReviewDue),
        [(
            "E0".into(),
            "C1".into(),
            2153,
            "condition C1 on V0 (other): reviewed every 1 year, never checked since the decision on 2020-01-01, review due 2021-01-01, 2153 days overdue".into()
        )]
    );
    w.vetting[0].decision_date = None;
    assert_eq!(
        seen(&w, &c, Code::ConditionReviewDue),
        [(
            "E0".into(),
            "C1".into(),
            0,
            "condition C1 on V0 (other): reviewed every 1 year, never checked (no last_checked, and the record has no decision date)".into()
        )]
    );
}

#[test]
fn a_condition_without_a_review_period_is_never_due() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    let c = [cond(
        "C1",
        "V0",
        "other",
        Some("hr"),
        None,
        Some("2000-01-01"),
    )];
    assert!(run(&w, Some(&c))
        .iter()
        .all(|e| e.code != Code::ConditionReviewDue));
}

#[test]
fn only_a_condition_on_a_granted_or_suspended_record_is_live() {
    for (status, live) in [
        (VettingStatus::Granted, true),
        (VettingStatus::Suspended, true),
        (VettingStatus::Lapsed, false),
        (VettingStatus::Refused, false),
        (VettingStatus::Withdrawn, false),
        (VettingStatus::Pending, false),
    ] {
        let mut w = World::new();
        let p = w.staff("RVPOST");
        w.record(Some(p), Decision::AutoLink, "RV", status, "2030-01-01");
        let c = [cond(
            "C1",
            "V0",
            "other",
            None,
            SIX_MONTHS,
            Some("2026-01-10"),
        )];
        let codes: Vec<Code> = run(&w, Some(&c))
            .into_iter()
            .filter(|e| e.code == Code::ConditionReviewDue || e.code == Code::ConditionNoOwner)
            .map(|e| e.code)
            .collect();
        let expected = if live {
            vec![Code::ConditionReviewDue, Code::ConditionNoOwner]
        } else {
            vec![]
        };
        let mut codes = codes;
        codes.sort();
        assert_eq!(codes, expected, "{status}");
    }
    // Granted but expired is still live.
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2025-01-01");
    let c = [cond(
        "C1",
        "V0",
        "other",
        Some("hr"),
        SIX_MONTHS,
        Some("2026-01-10"),
    )];
    assert_eq!(seen(&w, &c, Code::ConditionReviewDue).len(), 1);
}

#[test]
fn a_condition_on_no_record_tonight_or_from_a_feed_not_read_raises_nothing() {
    let mut w = World::new();
    let p = w.staff("VULN");
    let v = w.granted(p, "RV", "2030-01-01");
    w.vetting[v].adverse_info = Some(true);
    w.vetting[v].rationale_recorded = Some(true);
    w.vetting[v].risk_mitigation = Some(true);
    let c = [
        cond("C1", "V9", "other", None, SIX_MONTHS, None),
        restriction("C2", "V9", Restricts::VulnerableContact),
    ];
    let conditions: Vec<Code> = run(&w, Some(&c))
        .into_iter()
        .map(|e| e.code)
        .filter(|c| c.feed() == Some("conditions"))
        .collect();
    // The only row: V0 relies on a mitigation no condition holds (C1 and C2 are on V9).
    assert_eq!(conditions, [Code::ConditionNoOwner]);
    assert!(run(&w, None)
        .iter()
        .all(|e| e.code.feed() != Some("conditions")));
}

#[test]
fn a_condition_finds_its_record_whatever_the_case_of_the_reference() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    let c = [cond(
        "C1",
        " v0",
        "other",
        Some("hr"),
        SIX_MONTHS,
        Some("2026-01-10"),
    )];
    assert_eq!(seen(&w, &c, Code::ConditionReviewDue).len(), 1);
}

#[test]
fn two_conditions_on_one_record_are_two_review_rows_each_its_own_reference() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    let c = [
        cond(
            "C1",
            "V0",
            "other",
            Some("hr"),
            SIX_MONTHS,
            Some("2026-01-10"),
        ),
        cond(
            "C2",
            "V0",
            "it_monitoring",
            Some("hr"),
            SIX_MONTHS,
            Some("2026-02-10"),
        ),
    ];
    let refs: Vec<String> = seen(&w, &c, Code::ConditionReviewDue)
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(refs, ["C1", "C2"]);
}

#[test]
fn a_record_with_conditions_without_owner_is_one_row_naming_each() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    let c = [
        cond("C1", "V0", "other", None, None, None),
        cond("C2", "V0", "finance_review", Some("hr"), None, None),
        cond("C3", "V0", "it_monitoring", None, None, None),
    ];
    assert_eq!(
        seen(&w, &c, Code::ConditionNoOwner),
        [(
            "E0".into(),
            "V0".into(),
            0,
            "no owning unit for conditions C1 (other), C3 (it_monitoring) on V0".into()
        )]
    );
    let one = [cond("C1", "V0", "other", None, None, None)];
    assert_eq!(
        seen(&w, &one, Code::ConditionNoOwner)[0].3,
        "no owning unit for condition C1 (other) on V0"
    );
}

#[test]
fn an_ownerless_condition_on_a_record_linked_to_nobody_is_the_records_row() {
    let mut w = World::new();
    w.record(
        None,
        Decision::NoMatch,
        "RV",
        VettingStatus::Granted,
        "2030-01-01",
    );
    let c = [cond("C1", "V0", "other", None, None, None)];
    let rows = rows_of(&w, &c, Code::ConditionNoOwner);
    assert_eq!(
        (
            rows.len(),
            rows[0].employee_id.as_str(),
            rows[0].surname.as_str()
        ),
        (1, "", "Vsurname")
    );
}

#[test]
fn a_mitigated_grant_with_no_condition_in_the_feed_is_raised_and_one_with_a_condition_is_not() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    let v = w.granted(p, "RV", "2030-01-01");
    w.vetting[v].adverse_info = Some(true);
    w.vetting[v].rationale_recorded = Some(true);
    w.vetting[v].risk_mitigation = Some(true);
    let elsewhere = [cond("C1", "V7", "other", Some("hr"), None, None)];
    // Decided 2020-01-01: 2,519 days before the as-of date.
    assert_eq!(
        seen(&w, &elsewhere, Code::ConditionNoOwner),
        [(
            "E0".into(),
            "V0".into(),
            2519,
            "risk mitigation recorded but no condition held".into()
        )]
    );
    // Any condition on the record holds the mitigation, live or owned or not.
    let held = [cond("C1", "V0", "other", Some("hr"), None, None)];
    assert_eq!(seen(&w, &held, Code::ConditionNoOwner), []);
    // An expired grant is not valid tonight: nothing.
    w.vetting[v].expiry_date = Some(d("2026-01-01"));
    assert_eq!(seen(&w, &elsewhere, Code::ConditionNoOwner), []);
}

#[test]
fn an_unmitigated_grant_names_the_conditions_the_feed_holds_on_it() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    let v = w.granted(p, "RV", "2030-01-01");
    w.vetting[v].adverse_info = Some(true);
    w.vetting[v].rationale_recorded = Some(true);
    w.vetting[v].risk_mitigation = Some(false);
    let held = [
        cond("C2", "v0", "other", Some("hr"), None, None),
        cond("C1", "V0", "it_monitoring", None, None, None),
        cond("C9", "V7", "other", Some("hr"), None, None),
    ];
    let detail = |conditions: Option<&[Condition]>| -> Vec<String> {
        (run(&w, conditions).into_iter())
            .filter(|e| e.code == Code::AdverseUnmitigated)
            .map(|e| e.detail)
            .collect()
    };
    assert_eq!(
        detail(Some(&held)),
        ["granted with adverse information but no recorded risk mitigation; conditions.csv holds conditions on it (C1, C2): if they are its mitigation, record risk_mitigation yes"]
    );
    // Without the feed, or with none on the record, the row says what the export says.
    let plain = ["granted with adverse information but no recorded risk mitigation"];
    assert_eq!(detail(None), plain);
    assert_eq!(detail(Some(&held[2..])), plain);
}

#[test]
fn condition_no_owner_and_adverse_unmitigated_never_fall_on_one_record() {
    let flags = [Some(true), Some(false), None];
    for adverse in flags {
        for rationale in flags {
            for mitigation in flags {
                let mut w = World::new();
                let p = w.staff("RVPOST");
                let v = w.granted(p, "RV", "2030-01-01");
                w.vetting[v].adverse_info = adverse;
                w.vetting[v].rationale_recorded = rationale;
                w.vetting[v].risk_mitigation = mitigation;
                let rows = run(&w, Some(&[]));
                let has = |c: Code| rows.iter().any(|e| e.code == c);
                let (unmitigated, no_owner) =
                    (has(Code::AdverseUnmitigated), has(Code::ConditionNoOwner));
                let case = format!("{adverse:?} {rationale:?} {mitigation:?}");
                assert!(!(unmitigated && no_owner), "{case}");
                // Adverse information and both recorded: the condition is what is missing.
                let all_recorded =
                    adverse == Some(true) && rationale == Some(true) && mitigation == Some(true);
                assert_eq!(no_owner, all_recorded, "{case}");
                // Adverse information (or not recorded) and either missing: ADVERSE_UNMITIGATED.
                let missing = adverse != Some(false)
                    && !(rationale == Some(true) && mitigation == Some(true));
                assert_eq!(unmitigated, missing, "{case}");
            }
        }
    }
}

#[test]
fn a_posting_restriction_is_breached_by_a_post_it_covers() {
    let mut w = World::new();
    let p = w.staff("VULN");
    w.granted(p, "RV", "2030-01-01");
    let c = [restriction("C1", "V0", Restricts::VulnerableContact)];
    // In post since 2026-01-01 (after the 2020 decision): 327 days.
    assert_eq!(
        seen(&w, &c, Code::ConditionBreached),
        [(
            "E0".into(),
            "C1".into(),
            327,
            "condition C1 on V0 (posting_restriction): restricts vulnerable_contact; now in post VULN (title VULN), a vulnerable-contact post".into()
        )]
    );
    let row = &rows_of(&w, &c, Code::ConditionBreached)[0];
    assert_eq!(
        (row.post_id.as_str(), row.held_level.as_str()),
        ("VULN", "RV")
    );
    // The same restriction on someone in a post it does not cover: nothing.
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    assert_eq!(seen(&w, &c, Code::ConditionBreached), []);
}

#[test]
fn a_restriction_names_designated_posts_or_a_department() {
    let mut w = World::new();
    let p = w.staff("DESIG");
    w.granted(p, "MV", "2030-01-01");
    let c = [restriction("C1", "V0", Restricts::Designated)];
    assert_eq!(
        seen(&w, &c, Code::ConditionBreached)[0].3,
        "condition C1 on V0 (posting_restriction): restricts designated; now in post DESIG (title DESIG), a designated post"
    );
    let mut w = World::new();
    w.posts[0].department = "Custody ".into();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    let c = [restriction(
        "C1",
        "V0",
        Restricts::Department("custody".into()),
    )];
    assert_eq!(
        seen(&w, &c, Code::ConditionBreached)[0].3,
        "condition C1 on V0 (posting_restriction): restricts custody; now in post RVPOST (title RVPOST), in department Custody"
    );
    let other = [restriction(
        "C1",
        "V0",
        Restricts::Department("Finance".into()),
    )];
    assert_eq!(seen(&w, &other, Code::ConditionBreached), []);
}

#[test]
fn a_restriction_is_not_breached_by_a_leaver_an_unconfirmed_link_or_a_dead_record() {
    let c = [restriction("C1", "V0", Restricts::VulnerableContact)];
    let mut w = World::new();
    let p = w.person("VULN", RoleType::Staff, EmploymentStatus::Leaver);
    w.granted(p, "RV", "2030-01-01");
    assert_eq!(seen(&w, &c, Code::ConditionBreached), []);
    let mut w = World::new();
    let p = w.staff("VULN");
    w.record(
        Some(p),
        Decision::Review,
        "RV",
        VettingStatus::Granted,
        "2030-01-01",
    );
    assert_eq!(seen(&w, &c, Code::ConditionBreached), []);
    let mut w = World::new();
    let p = w.staff("VULN");
    w.record(
        Some(p),
        Decision::AutoLink,
        "RV",
        VettingStatus::Withdrawn,
        "2030-01-01",
    );
    assert_eq!(seen(&w, &c, Code::ConditionBreached), []);
    // A confirmed link counts as the automatic one does; a suspended grant is live.
    let mut w = World::new();
    let p = w.staff("VULN");
    w.record(
        Some(p),
        Decision::Confirmed,
        "RV",
        VettingStatus::Suspended,
        "2030-01-01",
    );
    assert_eq!(seen(&w, &c, Code::ConditionBreached).len(), 1);
}

#[test]
fn a_restriction_of_another_type_is_never_a_breach() {
    let mut w = World::new();
    let p = w.staff("VULN");
    w.granted(p, "RV", "2030-01-01");
    let mut c = restriction("C1", "V0", Restricts::VulnerableContact);
    c.kind = "supervisor_briefing".into();
    assert_eq!(seen(&w, &[c], Code::ConditionBreached), []);
}
