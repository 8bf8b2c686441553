//! The casework rules on hand-built facts: each code's conditions and boundaries, blanks
//! read as not recorded, and the ranking of a clearance row whose renewal is under way.

use crate::assess::{assess, Code, Exception, Severity};
use crate::link::Decision;
use crate::model::casework::AppealStatus;
use crate::model::{EmploymentStatus, RoleType, VettingStatus};
use crate::testkit::*;
use chrono::{Duration, NaiveDate};

fn ago(days: i64) -> NaiveDate {
    d(AS_OF) - Duration::days(days)
}

fn rows(w: &World, code: Code) -> Vec<Exception> {
    w.run().into_iter().filter(|e| e.code == code).collect()
}

/// (code, vetting ref) of every row of the four casework codes, sorted.
fn casework_codes(rows: &[Exception]) -> Vec<(Code, String)> {
    let mut v: Vec<_> = rows
        .iter()
        .filter(|e| {
            matches!(
                e.code,
                Code::PendingTooLong
                    | Code::RationaleMissing
                    | Code::InterviewNotHeld
                    | Code::RenewalNoResponse
            )
        })
        .map(|e| (e.code, e.vetting_ref.clone()))
        .collect();
    v.sort();
    v
}

/// A refused record with adverse information and no recorded rationale, decided `days` ago.
fn adverse_refusal(w: &mut World, person: Option<u32>, days: i64) -> usize {
    let decision = match person {
        Some(_) => Decision::AutoLink,
        None => Decision::NoMatch,
    };
    let v = w.record(person, decision, "RV", VettingStatus::Refused, "2099-01-01");
    w.vetting[v].decision_date = Some(ago(days));
    w.vetting[v].expiry_date = None;
    w.vetting[v].adverse_info = Some(true);
    w.vetting[v].rationale_recorded = Some(false);
    v
}

#[test]
fn an_application_open_past_its_type_limit_is_pending_too_long_from_the_day_after() {
    // recruit: 90 days by default. Day 90 is within the limit, day 91 one day past it.
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    w.pending(p, "RV", Some("recruit"), Some("enquiries"), 90);
    assert!(rows(&w, Code::PendingTooLong).is_empty());
    let v = w.pending(p, "RV", Some("recruit"), Some("enquiries"), 91);
    let got = rows(&w, Code::PendingTooLong);
    assert_eq!(got.len(), 1);
    let e = &got[0];
    assert_eq!(
        (e.vetting_ref.as_str(), e.employee_id.as_str(), e.days_out),
        (w.vetting[v].vetting_ref.as_str(), "E0", 1)
    );
    assert_eq!(
        (e.required_level.as_str(), e.severity),
        ("RV", Severity::Medium)
    );
    assert_eq!(
        e.detail,
        "recruit application at stage enquiries, open 91 days: over the 90-day limit for its \
         type (casework.pending_limit_days.recruit)"
    );
}

#[test]
fn an_application_without_a_recorded_type_or_stage_is_held_to_the_default_limit() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    w.pending(p, "RV", Some("renewal"), None, 61); // renewal: 60 days
    w.pending(p, "RV", None, None, 100); // default: 90 days
    let got = rows(&w, Code::PendingTooLong);
    let details: Vec<(&str, i64)> = got
        .iter()
        .map(|e| (e.detail.as_str(), e.days_out))
        .collect();
    assert_eq!(
        details,
        vec![
            (
                "application (type not recorded) at stage not recorded, open 100 days: over \
                 the 90-day limit for its type (casework.pending_limit_default_days)",
                10
            ),
            (
                "renewal application at stage not recorded, open 61 days: over the 60-day \
                 limit for its type (casework.pending_limit_days.renewal)",
                1
            ),
        ]
    );
}

#[test]
fn the_type_limit_needs_a_person_in_the_workforce_in_a_post_the_level_satisfies() {
    let mut w = World::new();
    let leaver = w.person("RVPOST", RoleType::Staff, EmploymentStatus::Leaver);
    w.pending(leaver, "RV", Some("recruit"), Some("received"), 200);
    let no_post = w.staff("RVPOST");
    w.persons[no_post as usize].post_id = None;
    w.pending(no_post, "RV", Some("recruit"), Some("received"), 200);
    let too_low = w.staff("SCPOST"); // an RV application does not clear an SC post
    w.pending(too_low, "RV", Some("recruit"), Some("received"), 200);
    let review = w.staff("RVPOST");
    let v = w.pending(review, "RV", Some("recruit"), Some("received"), 200);
    w.links[v].decision = Decision::Review;
    let undated = w.staff("RVPOST");
    let v = w.pending(undated, "RV", Some("recruit"), Some("received"), 200);
    w.casework(v).application_date = None;
    let granted = w.staff("RVPOST");
    let v = w.granted(granted, "RV", "2030-01-01");
    w.casework(v).application_date = Some(ago(400));
    assert_eq!(rows(&w, Code::PendingTooLong), vec![]);
    // An unknown post is judged against the role's baseline, as the clearance codes are.
    let mut w = World::new();
    let p = w.staff("NOPE");
    w.pending(p, "RV", Some("recruit"), Some("received"), 91);
    assert_eq!(
        casework_codes(&w.run()),
        vec![(Code::PendingTooLong, "V0".into())]
    );
}

#[test]
fn adverse_information_undecided_on_a_designated_post_is_pending_too_long_after_its_own_limit() {
    // adverse_undecided_days: 60. The RV application does not satisfy the designated post's
    // MV, so only the adverse reason can raise it.
    let mut w = World::new();
    let p = w.staff("DESIG");
    let v = w.pending(p, "RV", Some("recruit"), Some("enquiries"), 60);
    w.vetting[v].adverse_info = Some(true);
    assert!(rows(&w, Code::PendingTooLong).is_empty());
    w.casework(v).application_date = Some(ago(61));
    let got = rows(&w, Code::PendingTooLong);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].days_out, 1);
    assert_eq!(
        got[0].detail,
        "recruit application at stage enquiries, open 61 days: adverse information undecided \
         while the person holds a designated post: over the 60-day limit \
         (casework.adverse_undecided_days)"
    );
    // Not recorded is not yes, and an ordinary post has no adverse limit.
    w.vetting[v].adverse_info = None;
    assert!(rows(&w, Code::PendingTooLong).is_empty());
    let mut w = World::new();
    let p = w.staff("RVPOST");
    let v = w.pending(p, "RV", Some("recruit"), Some("enquiries"), 80);
    w.vetting[v].adverse_info = Some(true);
    assert!(rows(&w, Code::PendingTooLong).is_empty());
}

#[test]
fn an_application_over_both_limits_is_one_row_naming_both() {
    let mut w = World::new();
    let p = w.staff("DESIG");
    let v = w.pending(p, "MV", Some("recruit"), Some("interview"), 100);
    w.vetting[v].adverse_info = Some(true);
    let got = rows(&w, Code::PendingTooLong);
    assert_eq!(got.len(), 1);
    // 10 days past the type's 90, 40 past the adverse 60: the larger counts.
    assert_eq!(got[0].days_out, 40);
    assert_eq!(
        got[0].detail,
        "recruit application at stage interview, open 100 days: over the 90-day limit for its \
         type (casework.pending_limit_days.recruit); and adverse information undecided while \
         the person holds a designated post: over the 60-day limit \
         (casework.adverse_undecided_days)"
    );
}

#[test]
fn a_refusal_with_adverse_information_and_no_rationale_is_raised_within_the_lookback() {
    // 24 months before 2026-11-24 is 2024-11-24: a decision on that day is in, the day
    // before is out.
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    let on = adverse_refusal(&mut w, Some(p), 0);
    w.vetting[on].decision_date = Some(d("2024-11-24"));
    let before = adverse_refusal(&mut w, Some(p), 0);
    w.vetting[before].decision_date = Some(d("2024-11-23"));
    let got = rows(&w, Code::RationaleMissing);
    assert_eq!(got.len(), 1);
    let e = &got[0];
    assert_eq!(
        (e.vetting_ref.as_str(), e.employee_id.as_str(), e.severity),
        ("V1", "E0", Severity::Medium)
    );
    assert_eq!(e.days_out, (d(AS_OF) - d("2024-11-24")).num_days());
    assert_eq!(
        e.detail,
        "refused on 2024-11-24 with adverse information and no rationale recorded"
    );
}

#[test]
fn a_blank_rationale_is_not_recorded_and_a_recorded_one_or_no_adverse_information_raises_nothing() {
    let mut w = World::new();
    let blank = adverse_refusal(&mut w, None, 30);
    w.vetting[blank].status = VettingStatus::Withdrawn;
    w.vetting[blank].rationale_recorded = None;
    w.casework(blank).adverse_category = Some("financial".into());
    let recorded = adverse_refusal(&mut w, None, 30);
    w.vetting[recorded].rationale_recorded = Some(true);
    let no_adverse = adverse_refusal(&mut w, None, 30);
    w.vetting[no_adverse].adverse_info = Some(false);
    let adverse_blank = adverse_refusal(&mut w, None, 30);
    w.vetting[adverse_blank].adverse_info = None;
    let got = rows(&w, Code::RationaleMissing);
    assert_eq!(got.len(), 1);
    // Linked to nobody: the row names the vetting system's person and no employee.
    assert_eq!(
        (
            got[0].vetting_ref.as_str(),
            got[0].employee_id.as_str(),
            got[0].surname.as_str()
        ),
        ("V0", "", "Vsurname")
    );
    assert_eq!(
        got[0].detail,
        format!(
            "withdrawn on {} with adverse information (financial) and rationale_recorded not \
             recorded",
            ago(30)
        )
    );
}

#[test]
fn an_appeal_decided_within_the_lookback_counts_from_its_outcome() {
    // Refused long ago, appeal dismissed last month: the appeal is tonight's decision.
    let mut w = World::new();
    let v = adverse_refusal(&mut w, None, 1500);
    let c = w.casework(v);
    c.appeal_status = Some(AppealStatus::Dismissed);
    c.appeal_date = Some(ago(1400));
    c.appeal_outcome_date = Some(ago(31));
    let got = rows(&w, Code::RationaleMissing);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].days_out, 31);
    assert_eq!(
        got[0].detail,
        format!(
            "appeal dismissed on {} with adverse information and no rationale recorded",
            ago(31)
        )
    );
    // Still lodged, or withdrawn: no new decision, and the refusal is outside the lookback.
    for status in [AppealStatus::Lodged, AppealStatus::Withdrawn] {
        w.casework(v).appeal_status = Some(status);
        assert!(rows(&w, Code::RationaleMissing).is_empty(), "{status:?}");
    }
    // Upheld with no outcome date: the appeal was lodged inside the window, so decided in it.
    let c = w.casework(v);
    c.appeal_status = Some(AppealStatus::Upheld);
    c.appeal_outcome_date = None;
    c.appeal_date = Some(ago(100));
    let got = rows(&w, Code::RationaleMissing);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].detail,
        format!(
            "appeal upheld (outcome date not recorded; lodged {}) with adverse information and \
             no rationale recorded",
            ago(100)
        )
    );
}

#[test]
fn a_record_never_raises_both_adverse_unmitigated_and_rationale_missing() {
    // Every status, with adverse information, no rationale and an appeal just decided: a
    // live grant is ADVERSE_UNMITIGATED's, everything else RATIONALE_MISSING's.
    for (status, expiry, want) in [
        (
            VettingStatus::Granted,
            "2030-01-01",
            Code::AdverseUnmitigated,
        ),
        (VettingStatus::Granted, "2026-01-01", Code::RationaleMissing),
        (VettingStatus::Refused, "2030-01-01", Code::RationaleMissing),
        (
            VettingStatus::Withdrawn,
            "2030-01-01",
            Code::RationaleMissing,
        ),
        (
            VettingStatus::Suspended,
            "2030-01-01",
            Code::RationaleMissing,
        ),
        (VettingStatus::Lapsed, "2030-01-01", Code::RationaleMissing),
    ] {
        let mut w = World::new();
        let v = w.record(None, Decision::NoMatch, "RV", status, expiry);
        w.vetting[v].decision_date = Some(ago(200));
        w.vetting[v].adverse_info = Some(true);
        w.vetting[v].rationale_recorded = Some(false);
        let c = w.casework(v);
        c.appeal_status = Some(AppealStatus::Upheld);
        c.appeal_outcome_date = Some(ago(10));
        let got: Vec<Code> = w
            .run()
            .into_iter()
            .filter(|e| matches!(e.code, Code::AdverseUnmitigated | Code::RationaleMissing))
            .map(|e| e.code)
            .collect();
        assert_eq!(got, vec![want], "{status} expiring {expiry}");
    }
}

#[test]
fn an_adverse_decision_without_the_interview_its_category_needs_is_raised() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    let v = w.granted(p, "RV", "2030-01-01");
    w.vetting[v].decision_date = Some(ago(40));
    w.vetting[v].adverse_info = Some(true);
    w.vetting[v].rationale_recorded = Some(true);
    w.vetting[v].risk_mitigation = Some(true);
    let c = w.casework(v);
    c.adverse_category = Some("criminal_record".into());
    c.interview_held = Some(false);
    let refused = adverse_refusal(&mut w, None, 10);
    w.vetting[refused].rationale_recorded = Some(true);
    let c = w.casework(refused);
    c.adverse_category = Some("honesty".into());
    c.interview_held = Some(false);
    let got = rows(&w, Code::InterviewNotHeld);
    let seen: Vec<(&str, &str, i64)> = got
        .iter()
        .map(|e| (e.vetting_ref.as_str(), e.employee_id.as_str(), e.days_out))
        .collect();
    assert_eq!(seen, vec![("V0", "E0", 40), ("V1", "", 10)]);
    assert_eq!(
        got[0].detail,
        format!(
            "granted on {} with adverse information (criminal_record, which needs an \
             interview) and interview_held no",
            ago(40)
        )
    );
    assert_eq!(casework_codes(&w.run()).len(), 2, "nothing else is raised");
}

/// One change to a world's record.
type Change = fn(&mut World, usize);

#[test]
fn a_blank_interview_held_is_not_recorded_and_never_raises_interview_not_held() {
    // One record that raises the code, then one change at a time that must not.
    let base = |w: &mut World| {
        let v = adverse_refusal(w, None, 100);
        w.vetting[v].rationale_recorded = Some(true);
        let c = w.casework(v);
        c.adverse_category = Some("associations".into());
        c.interview_held = Some(false);
        v
    };
    let mut w = World::new();
    base(&mut w);
    assert_eq!(rows(&w, Code::InterviewNotHeld).len(), 1);
    let changes: [(&str, Change); 8] = [
        ("interview_held blank", |w, v| {
            w.casework(v).interview_held = None
        }),
        ("interview held", |w, v| {
            w.casework(v).interview_held = Some(true)
        }),
        ("category needs no interview", |w, v| {
            w.casework(v).adverse_category = Some("financial".into())
        }),
        ("category blank", |w, v| {
            w.casework(v).adverse_category = None
        }),
        ("adverse_info blank", |w, v| {
            w.vetting[v].adverse_info = None
        }),
        ("withdrawn, not decided", |w, v| {
            w.vetting[v].status = VettingStatus::Withdrawn
        }),
        ("decided the day before the lookback", |w, v| {
            w.vetting[v].decision_date = Some(d("2024-11-23"))
        }),
        ("no casework at all", |w, v| w.vetting[v].casework = None),
    ];
    for (what, change) in changes {
        let mut w = World::new();
        let v = base(&mut w);
        change(&mut w, v);
        assert!(rows(&w, Code::InterviewNotHeld).is_empty(), "{what}");
    }
    // The first day of the lookback is in it.
    let mut w = World::new();
    let v = base(&mut w);
    w.vetting[v].decision_date = Some(d("2024-11-24"));
    assert_eq!(rows(&w, Code::InterviewNotHeld).len(), 1);
}

#[test]
fn a_renewal_left_at_the_first_stage_is_renewal_no_response_from_the_day_after_the_limit() {
    // renewal_no_response_days: 28. The clearance expires in 47 days, inside the 180-day
    // reminder window.
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2027-01-10");
    let v = w.pending(p, "RV", Some("renewal"), Some("received"), 28);
    assert!(rows(&w, Code::RenewalNoResponse).is_empty());
    w.casework(v).application_date = Some(ago(29));
    let got = rows(&w, Code::RenewalNoResponse);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (
            got[0].vetting_ref.as_str(),
            got[0].employee_id.as_str(),
            got[0].days_out
        ),
        ("V1", "E0", 1)
    );
    assert_eq!(
        got[0].detail,
        "renewal still at stage received 29 days after its application: over the 28-day limit \
         (casework.renewal_no_response_days); RV clearance V0 expires on 2027-01-10 (in 47 days)"
    );
    // Past the first stage, another case type, or no stage recorded: not this code.
    for (case_type, stage) in [
        (Some("renewal"), Some("enquiries")),
        (Some("upgrade"), Some("received")),
        (None, Some("received")),
        (Some("renewal"), None),
    ] {
        let c = w.casework(v);
        c.case_type = case_type.map(Into::into);
        c.stage = stage.map(Into::into);
        assert!(
            rows(&w, Code::RenewalNoResponse).is_empty(),
            "{case_type:?} {stage:?}"
        );
    }
}

#[test]
fn renewal_no_response_needs_a_clearance_expiring_within_the_reminder_window_or_expired() {
    // renewal_reminder_days: 180, so 2027-05-23 is in and 2027-05-24 is out.
    for (expiry, raised) in [
        ("2027-05-23", true),
        ("2027-05-24", false),
        ("2026-06-01", true),
    ] {
        let mut w = World::new();
        let p = w.staff("RVPOST");
        w.granted(p, "RV", expiry);
        w.pending(p, "RV", Some("renewal"), Some("received"), 40);
        let got = rows(&w, Code::RenewalNoResponse);
        assert_eq!(got.len(), raised as usize, "{expiry}");
        if expiry == "2026-06-01" {
            assert!(
                got[0]
                    .detail
                    .ends_with("RV clearance V0 expired on 2026-06-01"),
                "{}",
                got[0].detail
            );
        }
    }
    // The latest granted clearance counts: a renewal already granted ends the watch, and a
    // person never granted one is left to the clearance codes.
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2027-01-10");
    w.granted(p, "RV", "2033-01-10");
    w.pending(p, "RV", Some("renewal"), Some("received"), 40);
    let never = w.staff("RVPOST");
    w.pending(never, "RV", Some("renewal"), Some("received"), 40);
    let leaver = w.person("RVPOST", RoleType::Staff, EmploymentStatus::Leaver);
    w.granted(leaver, "RV", "2027-01-10");
    w.pending(leaver, "RV", Some("renewal"), Some("received"), 40);
    assert!(rows(&w, Code::RenewalNoResponse).is_empty());
}

#[test]
fn a_clearance_row_names_the_renewal_under_way_and_keeps_its_code_and_severity() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2027-01-10");
    w.pending(p, "RV", Some("renewal"), Some("enquiries"), 40);
    let got = rows(&w, Code::ExpiringSoon);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (
            got[0].vetting_ref.as_str(),
            got[0].severity,
            got[0].days_out
        ),
        ("V0", Severity::Low, -47)
    );
    assert_eq!(
        got[0].detail,
        "RV clearance expires in 47 days; renewal in progress: V1, stage enquiries, 40 days open"
    );
    assert!(got[0].work_started);
    // An expired clearance with an upgrade applied for but not started.
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2026-06-01");
    w.pending(p, "MV", Some("upgrade"), Some("received"), 10);
    let got = rows(&w, Code::Expired);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].detail,
        "latest clearance RV expired on 2026-06-01; upgrade applied for, not started: V1, \
         stage received, 10 days open"
    );
    assert!(!got[0].work_started);
    // Without one, the row says what it always said.
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2027-01-10");
    w.pending(p, "RV", Some("recruit"), Some("enquiries"), 40);
    assert_eq!(
        rows(&w, Code::ExpiringSoon)[0].detail,
        "RV clearance expires in 47 days; start renewal now"
    );
}

#[test]
fn a_row_whose_renewal_has_started_ranks_below_one_of_the_same_severity_where_nothing_has() {
    // Four people on ordinary posts (same risk). Without casework the nearer expiry leads;
    // a started renewal moves its row below the other of the same severity, but never below
    // a row of lower severity, and a renewal not yet started moves nothing.
    let base = || {
        let mut w = World::new();
        let near = w.staff("RVPOST");
        w.granted(near, "RV", "2026-12-24"); // 30 days left
        let far = w.staff("RVPOST");
        w.granted(far, "RV", "2027-03-04"); // 100 days left
        let old = w.staff("RVPOST");
        w.granted(old, "RV", "2025-11-24"); // expired 365 days ago
        let recent = w.staff("RVPOST");
        w.granted(recent, "RV", "2026-11-14"); // expired 10 days ago
        (w, [near, far, old, recent])
    };
    let order = |w: &World| -> Vec<(Code, String)> {
        w.run()
            .into_iter()
            .map(|e| (e.code, e.employee_id))
            .collect()
    };
    let e = |c: Code, p: u32| (c, format!("E{p}"));
    let (w, [near, far, old, recent]) = base();
    let plain = vec![
        e(Code::Expired, old),
        e(Code::Expired, recent),
        e(Code::ExpiringSoon, near),
        e(Code::ExpiringSoon, far),
    ];
    assert_eq!(order(&w), plain);
    let (mut started, _) = base();
    started.pending(near, "RV", Some("renewal"), Some("enquiries"), 20);
    started.pending(old, "RV", Some("renewal"), Some("interview"), 20);
    assert_eq!(
        order(&started),
        vec![
            e(Code::Expired, recent),
            e(Code::Expired, old),
            e(Code::ExpiringSoon, far),
            e(Code::ExpiringSoon, near),
        ]
    );
    let (mut waiting, _) = base();
    waiting.pending(near, "RV", Some("renewal"), Some("received"), 20);
    waiting.pending(old, "RV", Some("renewal"), None, 20);
    assert_eq!(order(&waiting), plain);
}

/// One record for each casework code, each raising it.
fn one_of_each() -> World {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2027-01-10");
    w.pending(p, "RV", Some("renewal"), Some("received"), 61); // V1: both renewal codes
    let v = adverse_refusal(&mut w, Some(p), 10); // V2: rationale and interview
    let c = w.casework(v);
    c.adverse_category = Some("honesty".into());
    c.interview_held = Some(false);
    w
}

#[test]
fn an_export_without_a_codes_columns_raises_none_of_it() {
    let w = one_of_each();
    assert_eq!(
        casework_codes(&w.run()),
        vec![
            (Code::PendingTooLong, "V1".into()),
            (Code::RationaleMissing, "V2".into()),
            (Code::InterviewNotHeld, "V2".into()),
            (Code::RenewalNoResponse, "V1".into()),
        ]
    );
    let without = |missing: &[&str]| -> Vec<(Code, String)> {
        let columns: Vec<&'static str> = [
            "adverse_info",
            "rationale_recorded",
            "risk_mitigation",
            "application_date",
            "case_type",
            "stage",
            "adverse_category",
            "interview_held",
        ]
        .into_iter()
        .filter(|c| !missing.contains(c))
        .collect();
        let facts = w.facts().with_vetting_columns(&columns);
        casework_codes(&assess(&facts, &w.policy.priority))
    };
    assert_eq!(without(&[]).len(), 4);
    // The demo's export: the adverse flags, no casework columns. Only RATIONALE_MISSING
    // needs nothing more, so only it is checked.
    assert_eq!(
        without(&[
            "application_date",
            "case_type",
            "stage",
            "adverse_category",
            "interview_held"
        ]),
        vec![(Code::RationaleMissing, "V2".into())]
    );
    // Without rationale_recorded, a blank is not "no rationale": nothing is raised.
    assert_eq!(
        without(&["rationale_recorded"]),
        vec![
            (Code::PendingTooLong, "V1".into()),
            (Code::InterviewNotHeld, "V2".into()),
            (Code::RenewalNoResponse, "V1".into()),
        ]
    );
    assert_eq!(
        without(&["stage"]),
        vec![
            (Code::PendingTooLong, "V1".into()),
            (Code::RationaleMissing, "V2".into()),
            (Code::InterviewNotHeld, "V2".into()),
        ]
    );
}

#[test]
fn a_record_without_casework_raises_none_of_the_codes_that_read_it() {
    let mut w = one_of_each();
    for v in &mut w.vetting {
        v.casework = None;
    }
    // RATIONALE_MISSING reads only the adverse flags, the status and the decision date.
    assert_eq!(
        casework_codes(&w.run()),
        vec![(Code::RationaleMissing, "V2".into())]
    );
    let p = 0;
    assert_eq!(
        rows(&w, Code::ExpiringSoon)
            .iter()
            .map(|e| (e.employee_id.as_str(), e.detail.as_str(), e.work_started))
            .collect::<Vec<_>>(),
        vec![(
            format!("E{p}").as_str(),
            "RV clearance expires in 47 days; start renewal now",
            false
        )]
    );
}
