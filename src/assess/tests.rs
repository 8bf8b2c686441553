//! Rule tests on hand-built facts: every code and every step of the clearance order.

use super::*;
use crate::link::{Candidate, Decision};
use crate::model::{EmploymentStatus, RoleType, VettingStatus};
use crate::testkit::*;

#[test]
fn step1_a_satisfying_valid_record_means_no_exception() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "MV", "2030-01-01"); // MV satisfies RV
    assert_eq!(w.codes_of(p), vec![]);
}

#[test]
fn step1_expiring_within_the_window_is_expiring_soon_on_the_latest_satisfying_record() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2027-01-10");
    w.granted(p, "RV", "2027-03-01");
    assert_eq!(w.codes_of(p), vec![(Code::ExpiringSoon, "V1".into())]);
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2027-01-10");
    w.granted(p, "RV", "2029-03-01"); // a renewal already granted: nothing to do
    assert_eq!(w.codes_of(p), vec![]);
}

#[test]
fn step1_the_window_boundary_is_inclusive() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2027-05-23"); // exactly 180 days after the as-of date
    assert_eq!(w.codes_of(p), vec![(Code::ExpiringSoon, "V0".into())]);
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2027-05-24");
    assert_eq!(w.codes_of(p), vec![]);
}

#[test]
fn step2_valid_but_too_low_is_insufficient_and_names_a_pending_higher_record() {
    let mut w = World::new();
    let p = w.staff("DESIG"); // designated: MV whatever the register says
    w.granted(p, "RV", "2030-01-01");
    w.record(
        Some(p),
        Decision::AutoLink,
        "MV",
        VettingStatus::Pending,
        "2033-01-01",
    );
    let rows = w.run();
    let e = rows
        .iter()
        .find(|e| e.code == Code::InsufficientLevel)
        .unwrap();
    assert_eq!(
        (
            e.required_level.as_str(),
            e.held_level.as_str(),
            e.vetting_ref.as_str()
        ),
        ("MV", "RV", "V0")
    );
    assert!(e.detail.contains("pending MV V1"), "{}", e.detail);
    assert_eq!(rows.len(), 1);
}

#[test]
fn step2_a_level_on_another_ladder_does_not_satisfy_unless_the_force_maps_it() {
    let mut w = World::new();
    let p = w.staff("SCPOST");
    w.granted(p, "MV", "2030-01-01");
    assert_eq!(w.codes_of(p), vec![(Code::InsufficientLevel, "V0".into())]);
}

#[test]
fn step3_only_expired_granted_or_lapsed_records_is_expired_on_the_latest() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2020-01-01");
    w.record(
        Some(p),
        Decision::AutoLink,
        "RV",
        VettingStatus::Lapsed,
        "2025-06-01",
    );
    w.record(
        Some(p),
        Decision::AutoLink,
        "RV",
        VettingStatus::Pending,
        "2035-01-01",
    );
    assert_eq!(w.codes_of(p), vec![(Code::Expired, "V1".into())]);
    let e = w
        .run()
        .into_iter()
        .find(|e| e.code == Code::Expired)
        .unwrap();
    assert_eq!(e.days_out, (d(AS_OF) - d("2025-06-01")).num_days());
}

#[test]
fn a_clearance_expiring_on_the_as_of_date_has_expired() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", AS_OF);
    assert_eq!(w.codes_of(p), vec![(Code::Expired, "V0".into())]);
}

#[test]
fn step4_records_never_granted_is_not_granted() {
    for status in [
        VettingStatus::Refused,
        VettingStatus::Withdrawn,
        VettingStatus::Suspended,
        VettingStatus::Pending,
    ] {
        let mut w = World::new();
        let p = w.staff("RVPOST");
        w.record(Some(p), Decision::AutoLink, "RV", status, "2030-01-01");
        assert_eq!(
            w.codes_of(p),
            vec![(Code::NotGranted, "V0".into())],
            "{status}"
        );
    }
}

#[test]
fn step5_nothing_linked_is_no_clearance_and_a_review_candidate_does_not_hide_it() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.record(
        Some(p),
        Decision::Review,
        "RV",
        VettingStatus::Granted,
        "2030-01-01",
    );
    assert_eq!(
        w.codes_of(p),
        vec![
            (Code::NoClearance, String::new()),
            (Code::ReviewMatch, "V0".into())
        ]
    );
}

#[test]
fn unknown_post_is_judged_against_the_role_baseline() {
    let mut w = World::new();
    let staff = w.staff("NOPE");
    w.granted(staff, "RV", "2030-01-01");
    let contractor = w.person("NOPE", RoleType::Contractor, EmploymentStatus::Active);
    w.granted(contractor, "RV", "2030-01-01");
    assert_eq!(w.codes_of(staff), vec![(Code::UnknownPost, String::new())]);
    assert_eq!(
        w.codes_of(contractor),
        vec![
            (Code::InsufficientLevel, "V1".into()),
            (Code::UnknownPost, String::new())
        ]
    );
}

#[test]
fn suspended_and_career_break_people_are_still_checked_and_leavers_are_not() {
    let mut w = World::new();
    let s = w.person("RVPOST", RoleType::Officer, EmploymentStatus::Suspended);
    let c = w.person("RVPOST", RoleType::Officer, EmploymentStatus::CareerBreak);
    let l = w.person("RVPOST", RoleType::Officer, EmploymentStatus::Leaver);
    assert_eq!(w.codes_of(s), vec![(Code::NoClearance, String::new())]);
    assert_eq!(w.codes_of(c), vec![(Code::NoClearance, String::new())]);
    assert_eq!(w.codes_of(l), vec![]);
}

#[test]
fn a_leaver_with_a_live_clearance_is_flagged_once_naming_every_live_record() {
    let mut w = World::new();
    let l = w.person("RVPOST", RoleType::Officer, EmploymentStatus::Leaver);
    w.granted(l, "RV", "2029-01-01");
    w.granted(l, "MV", "2031-01-01");
    w.granted(l, "RV", "2020-01-01");
    let rows = w.run();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].code, rows[0].vetting_ref.as_str()),
        (Code::LeaverActiveClearance, "V1")
    );
    assert!(
        rows[0].detail.contains("V0")
            && rows[0].detail.contains("V1")
            && !rows[0].detail.contains("V2")
    );
}

#[test]
fn orphans_are_valid_records_with_no_candidate_at_all() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    w.record(
        None,
        Decision::NoMatch,
        "RV",
        VettingStatus::Granted,
        "2030-01-01",
    ); // orphan
    w.record(
        None,
        Decision::NoMatch,
        "RV",
        VettingStatus::Granted,
        "2020-01-01",
    ); // expired: no
    w.record(
        None,
        Decision::NoMatch,
        "RV",
        VettingStatus::Refused,
        "2030-01-01",
    ); // not granted: no
    w.record(
        Some(p),
        Decision::Review,
        "RV",
        VettingStatus::Granted,
        "2030-01-01",
    ); // review, not orphan
    let orphans: Vec<_> = w
        .run()
        .into_iter()
        .filter(|e| e.code == Code::OrphanClearance)
        .collect();
    assert_eq!(orphans.len(), 1);
    assert_eq!(
        (
            orphans[0].vetting_ref.as_str(),
            orphans[0].employee_id.as_str()
        ),
        ("V1", "")
    );
}

#[test]
fn adverse_information_needs_both_rationale_and_mitigation() {
    for (rationale, mitigation, flagged) in [
        (Some(false), Some(false), true),
        (Some(true), Some(false), true),
        (Some(false), Some(true), true),
        (Some(true), Some(true), false),
        // Not recorded is missing, not recorded.
        (None, Some(true), true),
        (Some(true), None, true),
    ] {
        let mut w = World::new();
        let p = w.staff("RVPOST");
        let v = w.granted(p, "RV", "2030-01-01");
        w.vetting[v].adverse_info = Some(true);
        w.vetting[v].rationale_recorded = rationale;
        w.vetting[v].risk_mitigation = mitigation;
        let want = if flagged {
            vec![(Code::AdverseUnmitigated, "V0".to_string())]
        } else {
            vec![]
        };
        assert_eq!(
            w.codes_of(p),
            want,
            "rationale={rationale:?} mitigation={mitigation:?}"
        );
    }
    let mut w = World::new();
    let p = w.staff("RVPOST");
    let v = w.granted(p, "RV", "2020-01-01");
    w.vetting[v].adverse_info = Some(true);
    assert_eq!(
        w.codes_of(p),
        vec![(Code::Expired, "V0".into())],
        "an expired record is not reviewed for adverse info"
    );
}

#[test]
fn a_blank_adverse_flag_is_not_read_as_no() {
    // adverse_info left blank: the grant may rest on adverse information, so it must show
    // a rationale and a mitigation like any other; with both recorded it raises nothing.
    for (rationale, mitigation, flagged) in [
        (Some(false), Some(false), true),
        (None, None, true),
        (Some(true), Some(true), false),
    ] {
        let mut w = World::new();
        let p = w.staff("RVPOST");
        let v = w.granted(p, "RV", "2030-01-01");
        w.vetting[v].adverse_info = None;
        w.vetting[v].rationale_recorded = rationale;
        w.vetting[v].risk_mitigation = mitigation;
        let rows = w.run();
        let adverse: Vec<&str> = rows
            .iter()
            .filter(|e| e.code == Code::AdverseUnmitigated)
            .map(|e| e.detail.as_str())
            .collect();
        if flagged {
            assert_eq!(adverse.len(), 1, "{rationale:?} {mitigation:?}");
            assert!(
                adverse[0].starts_with("granted with adverse_info not recorded"),
                "{}",
                adverse[0]
            );
        } else {
            assert!(adverse.is_empty(), "{adverse:?}");
        }
    }
    // Recorded as no: nothing to show.
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    assert_eq!(w.codes_of(p), vec![]);
}

#[test]
fn ambiguous_rows_name_no_person() {
    let mut w = World::new();
    let a = w.staff("RVPOST");
    let b = w.staff("RVPOST");
    w.granted(a, "RV", "2030-01-01");
    w.granted(b, "RV", "2030-01-01");
    let v = w.record(
        Some(a),
        Decision::Ambiguous,
        "RV",
        VettingStatus::Granted,
        "2030-01-01",
    );
    w.links[v].candidates.push(Candidate {
        person: b,
        weight: 19.0,
        probability: 0.998,
        levels: levels_any(),
        second_pass: false,
    });
    let rows = w.run();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].code, rows[0].employee_id.as_str()),
        (Code::AmbiguousMatch, "")
    );
    assert!(
        rows[0].detail.contains("E0") && rows[0].detail.contains("E1"),
        "{}",
        rows[0].detail
    );
}

#[test]
fn priority_puts_role_risk_before_severity_before_time_out_of_compliance() {
    let mut w = World::new();
    let plain_old = w.staff("RVPOST"); // critical, ordinary post
    w.persons[plain_old as usize].post_start_date = Some(d("2010-01-01"));
    // Reviewed this year: no INTEGRITY_REVIEW_OVERDUE beside the clearance row.
    w.persons[plain_old as usize].last_integrity_review = Some(d("2026-06-01"));
    let plain_new = w.staff("RVPOST"); // critical, ordinary post, shorter gap
    let desig = w.staff("DESIG"); // high (insufficient) on a designated post
    w.granted(desig, "RV", "2030-01-01");
    let vuln = w.staff("VULN"); // low (expiring) with vulnerable contact
    w.granted(vuln, "RV", "2027-01-01");
    let order: Vec<(String, Code, u32)> = w
        .run()
        .into_iter()
        .map(|e| (e.employee_id, e.code, e.priority))
        .collect();
    assert_eq!(
        order,
        vec![
            (format!("E{desig}"), Code::InsufficientLevel, 1),
            (format!("E{vuln}"), Code::ExpiringSoon, 2),
            (format!("E{plain_old}"), Code::NoClearance, 3),
            (format!("E{plain_new}"), Code::NoClearance, 4),
        ]
    );
}
