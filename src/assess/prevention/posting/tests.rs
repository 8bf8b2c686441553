//! POSTING_NOT_CLEARED on hand-built facts: each branch of the rule (on the roster or a
//! joiner; holds, runs out before the start, pending, nothing; unknown post, no
//! requirement; outside the horizon, already started; feed not read) and the order of its rows.

use super::{review, Finding, When};
use crate::assess::prevention::PreventionFacts;
use crate::assess::{assess, Code, Exception, Severity};
use crate::link::Decision;
use crate::model::prevention::{Posting, PreventionPolicy};
use crate::model::{EmploymentStatus, Post, RoleType, VettingStatus};
use crate::testkit::*;
use chrono::{Duration, NaiveDate};

fn after(days: i64) -> NaiveDate {
    d(AS_OF) + Duration::days(days)
}

/// The test world's posts, with MVPOST (MV, not designated) and NOREQ (no level) added.
fn world() -> World {
    let mut w = World::new();
    let mv = w.policy.levels.parse("MV");
    for (id, level) in [("MVPOST", mv), ("NOREQ", None)] {
        w.posts.push(Post {
            post_id: id.into(),
            title: format!("title {id}"),
            department: String::new(),
            required_level: level,
            designated: false,
            vulnerable_contact: false,
            revet_on_appointment: false,
        });
    }
    w
}

fn posting(posting_ref: &str, employee_id: &str, post_id: &str, days: i64) -> Posting {
    Posting {
        posting_ref: posting_ref.into(),
        employee_id: employee_id.into(),
        post_id: post_id.into(),
        start_date: after(days),
        line: 2,
    }
}

/// The POSTING_NOT_CLEARED rows of `w` with `postings` read (None: the feed not read), in
/// priority order, under `policy`.
fn rows_with(w: &World, postings: Option<&[Posting]>, policy: &PreventionPolicy) -> Vec<Exception> {
    let facts = w.facts().with_prevention(PreventionFacts {
        postings,
        conditions: None,
        policy,
    });
    assess(&facts, &w.policy.priority)
        .into_iter()
        .filter(|e| e.code == Code::PostingNotCleared)
        .collect()
}

fn rows(w: &World, postings: &[Posting]) -> Vec<Exception> {
    rows_with(w, Some(postings), &PreventionPolicy::default())
}

/// (when, finding, joiner) of each posting, as `review` orders them.
fn reviewed(w: &World, postings: &[Posting]) -> Vec<(When, Option<Finding>, bool)> {
    let policy = PreventionPolicy::default();
    let facts = w.facts().with_prevention(PreventionFacts {
        postings: Some(postings),
        conditions: None,
        policy: &policy,
    });
    review(&facts)
        .unwrap()
        .iter()
        .map(|r| (r.when, r.finding, r.joiner))
        .collect()
}

#[test]
fn a_mover_who_holds_the_new_posts_level_on_the_start_date_raises_nothing() {
    let mut w = world();
    let p = w.staff("RVPOST");
    w.granted(p, "MV", "2030-01-01");
    let postings = [posting("PR1", "E0", "MVPOST", 10)];
    assert!(rows(&w, &postings).is_empty());
    assert_eq!(
        reviewed(&w, &postings),
        [(When::Within, Some(Finding::Cleared), false)]
    );
}

#[test]
fn a_mover_into_a_designated_post_holding_only_rv_is_raised_against_mv() {
    let mut w = world();
    let p = w.staff("RVPOST");
    let v = w.granted(p, "RV", "2030-01-01");
    let got = rows(&w, &[posting("PR1", "E0", "DESIG", 10)]);
    assert_eq!(got.len(), 1);
    let e = &got[0];
    assert_eq!(
        (
            e.employee_id.as_str(),
            e.surname.as_str(),
            e.post_id.as_str(),
            e.post_title.as_str(),
            e.required_level.as_str(),
        ),
        ("E0", "Surname0", "DESIG", "title DESIG", "MV")
    );
    assert_eq!(
        (
            e.held_level.as_str(),
            e.vetting_ref.as_str(),
            e.vetting_status.as_str()
        ),
        ("RV", w.vetting[v].vetting_ref.as_str(), "granted")
    );
    assert_eq!((e.days_out, e.severity), (-10, Severity::High));
    assert_eq!(
        e.detail,
        "posting PR1 to DESIG starts on 2026-12-04 (in 10 days); the post requires MV; holds RV (V0)"
    );
}

#[test]
fn a_clearance_that_runs_out_on_or_before_the_start_date_does_not_hold_it() {
    let mut w = world();
    let p = w.staff("RVPOST");
    // Expires on the start date itself: not valid on it.
    w.granted(p, "MV", "2026-12-04");
    let got = rows(&w, &[posting("PR1", "E0", "MVPOST", 10)]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].held_level, "MV");
    assert_eq!(
        got[0].detail,
        "posting PR1 to MVPOST starts on 2026-12-04 (in 10 days); the post requires MV; \
         MV (V0) expires on 2026-12-04, before the start"
    );
    // A day later it holds on the start date.
    w.vetting[0].expiry_date = Some(d("2026-12-05"));
    assert!(rows(&w, &[posting("PR1", "E0", "MVPOST", 10)]).is_empty());
}

#[test]
fn a_grant_decided_after_the_start_date_does_not_hold_on_it() {
    let mut w = world();
    let p = w.staff("RVPOST");
    let v = w.granted(p, "MV", "2030-01-01");
    w.vetting[v].decision_date = Some(after(11));
    assert_eq!(rows(&w, &[posting("PR1", "E0", "MVPOST", 10)]).len(), 1);
    w.vetting[v].decision_date = Some(after(10));
    assert!(rows(&w, &[posting("PR1", "E0", "MVPOST", 10)]).is_empty());
}

#[test]
fn a_pending_application_at_the_level_is_named_with_its_date_and_stage_when_the_export_has_them() {
    let mut w = world();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    // Applied 54 days before the as-of date: 2026-10-01. A lower-level one is not named.
    w.pending(p, "MV", Some("upgrade"), Some("enquiries"), 54);
    w.pending(p, "RV", Some("renewal"), Some("received"), 5);
    let postings = [posting("PR1", "E0", "MVPOST", 30)];
    let got = rows(&w, &postings);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].vetting_ref, "V0",
        "the clearance held is the row's record"
    );
    assert_eq!(
        got[0].detail,
        "posting PR1 to MVPOST starts on 2026-12-24 (in 30 days); the post requires MV; \
         holds RV (V0); MV application pending: V1, applied 2026-10-01, stage enquiries"
    );

    // An export without the casework columns: the application is named, nothing more.
    let columns = ["vetting_ref", "level", "status"];
    let policy = PreventionPolicy::default();
    let facts = w
        .facts()
        .with_vetting_columns(&columns)
        .with_prevention(PreventionFacts {
            postings: Some(&postings),
            conditions: None,
            policy: &policy,
        });
    let got: Vec<Exception> = assess(&facts, &w.policy.priority)
        .into_iter()
        .filter(|e| e.code == Code::PostingNotCleared)
        .collect();
    assert_eq!(
        got[0].detail,
        "posting PR1 to MVPOST starts on 2026-12-24 (in 30 days); the post requires MV; \
         holds RV (V0); MV application pending: V1"
    );
}

#[test]
fn a_pending_application_alone_is_the_rows_record_and_a_blank_stage_is_not_recorded() {
    let mut w = world();
    let p = w.staff("RVPOST");
    let v = w.pending(p, "MV", Some("upgrade"), None, 54);
    w.casework(v).application_date = None;
    let got = rows(&w, &[posting("PR1", "E0", "MVPOST", 30)]);
    assert_eq!(
        (
            got[0].vetting_ref.as_str(),
            got[0].vetting_status.as_str(),
            got[0].expiry_date
        ),
        ("V0", "pending", None)
    );
    assert_eq!(
        got[0].detail,
        "posting PR1 to MVPOST starts on 2026-12-24 (in 30 days); the post requires MV; \
         holds no clearance valid on the start date; MV application pending: V0, \
         application date not recorded, stage not recorded"
    );
}

#[test]
fn a_mover_with_no_vetting_record_says_so() {
    let mut w = world();
    w.staff("RVPOST");
    let got = rows(&w, &[posting("PR1", "e0", "MVPOST", 1)]);
    assert_eq!(got.len(), 1);
    // The posting's own spelling of the id, the roster's names.
    assert_eq!(
        (got[0].employee_id.as_str(), got[0].surname.as_str()),
        ("e0", "Surname0")
    );
    assert_eq!(
        (got[0].vetting_ref.as_str(), got[0].held_level.as_str()),
        ("", "")
    );
    assert_eq!(
        got[0].detail,
        "posting PR1 to MVPOST starts on 2026-11-25 (in 1 day); the post requires MV; \
         no vetting record linked"
    );
}

#[test]
fn a_joiners_vetting_is_found_by_the_hint_and_cleared_when_it_holds_the_level() {
    let mut w = world();
    let held = w.record(
        None,
        Decision::NoMatch,
        "MV",
        VettingStatus::Granted,
        "2030-01-01",
    );
    w.vetting[held].employee_id_hint = Some(" n900 ".into());
    assert!(rows(&w, &[posting("PR1", "N900", "MVPOST", 10)]).is_empty());

    // The same person with RV only: raised, with the record's names.
    w.vetting[held].level = w.policy.levels.parse("RV").unwrap();
    let got = rows(&w, &[posting("PR1", "N900", "MVPOST", 10)]);
    assert_eq!(got.len(), 1);
    let e = &got[0];
    assert_eq!(
        (
            e.employee_id.as_str(),
            e.surname.as_str(),
            e.forenames.as_str(),
            e.vetting_ref.as_str(),
            e.match_score
        ),
        ("N900", "Vsurname", "B", "V0", None)
    );
    assert_eq!(
        e.detail,
        "posting PR1 to MVPOST starts on 2026-12-04 (in 10 days); the post requires MV; \
         holds RV (V0); joiner posting (not on tonight's roster)"
    );
}

#[test]
fn a_joiner_with_no_record_naming_them_is_vetting_not_yet_known() {
    let mut w = world();
    // A record naming someone else, and one linked to a roster person with no hint.
    let other = w.record(
        None,
        Decision::NoMatch,
        "MV",
        VettingStatus::Granted,
        "2030-01-01",
    );
    w.vetting[other].employee_id_hint = Some("N901".into());
    let got = rows(&w, &[posting("PR1", "N900", "MVPOST", 10)]);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].surname.as_str(), got[0].vetting_ref.as_str()),
        ("", "")
    );
    assert_eq!(
        got[0].detail,
        "posting PR1 to MVPOST starts on 2026-12-04 (in 10 days); the post requires MV; \
         vetting not yet known; joiner posting (not on tonight's roster)"
    );
}

#[test]
fn a_leaver_posted_again_is_a_joiner_judged_by_the_hint() {
    let mut w = world();
    let p = w.person("RVPOST", RoleType::Staff, EmploymentStatus::Leaver);
    w.granted(p, "MV", "2030-01-01");
    let postings = [posting("PR1", "E0", "MVPOST", 10)];
    let got = rows(&w, &postings);
    assert_eq!(got.len(), 1);
    assert!(got[0]
        .detail
        .ends_with("vetting not yet known; joiner posting (not on tonight's roster)"));
    w.vetting[0].employee_id_hint = Some("E0".into());
    assert!(rows(&w, &postings).is_empty());
}

#[test]
fn a_posting_to_a_post_not_in_the_register_is_raised_and_one_needing_no_level_is_not() {
    let mut w = world();
    let p = w.staff("RVPOST");
    w.granted(p, "MV", "2030-01-01");
    let got = rows(
        &w,
        &[
            posting("PR1", "E0", "NOPOST", 10),
            posting("PR2", "E0", "NOREQ", 10),
        ],
    );
    assert_eq!(got.len(), 1);
    let e = &got[0];
    assert_eq!(
        (
            e.post_id.as_str(),
            e.post_title.as_str(),
            e.required_level.as_str(),
            e.held_level.as_str()
        ),
        ("NOPOST", "", "", "MV")
    );
    assert_eq!(
        e.detail,
        "posting PR1 to NOPOST starts on 2026-12-04 (in 10 days); post NOPOST is not in the \
         post register, so its requirement is unknown; holds MV (V0)"
    );
    let postings = [
        posting("PR1", "E0", "NOPOST", 10),
        posting("PR2", "E0", "NOREQ", 10),
    ];
    let findings: Vec<_> = reviewed(&w, &postings).iter().map(|r| r.1).collect();
    assert_eq!(
        findings,
        [Some(Finding::UnknownPost), Some(Finding::NoRequirement)]
    );
}

#[test]
fn only_postings_from_tonight_to_the_end_of_the_horizon_are_checked() {
    let mut w = world();
    w.staff("RVPOST");
    let postings = [
        posting("STARTED", "E0", "MVPOST", -1),
        posting("TODAY", "E0", "MVPOST", 0),
        posting("LAST", "E0", "MVPOST", 90),
        posting("BEYOND", "E0", "MVPOST", 91),
    ];
    let got = rows(&w, &postings);
    let raised: Vec<(&str, i64)> = got
        .iter()
        .map(|e| (e.detail.split(' ').nth(1).unwrap(), e.days_out))
        .collect();
    assert_eq!(raised, [("TODAY", 0), ("LAST", -90)]);
    assert!(got[0].detail.contains("starts on 2026-11-24 (today)"));
    let when: Vec<When> = reviewed(&w, &postings).iter().map(|r| r.0).collect();
    assert_eq!(
        when,
        [When::Started, When::Within, When::Within, When::Beyond]
    );

    // A 30-day horizon leaves the 90-day posting out.
    let short = PreventionPolicy {
        posting_horizon_days: 30,
        ..PreventionPolicy::default()
    };
    assert_eq!(rows_with(&w, Some(&postings), &short).len(), 1);
}

#[test]
fn a_feed_not_read_raises_nothing_and_an_empty_one_reviews_nothing() {
    let mut w = world();
    w.staff("RVPOST");
    let policy = PreventionPolicy::default();
    assert!(rows_with(&w, None, &policy).is_empty());
    let facts = w.facts();
    assert!(review(&facts).is_none());
    let empty = w.facts().with_prevention(PreventionFacts {
        postings: Some(&[]),
        conditions: None,
        policy: &policy,
    });
    assert_eq!(review(&empty).map(|r| r.len()), Some(0));
}

#[test]
fn the_soonest_start_ranks_first_among_rows_of_one_risk_and_severity() {
    let mut w = world();
    for _ in 0..3 {
        w.staff("RVPOST");
    }
    // Listed latest first; E2's posting is into a designated post (more risk).
    let got = rows(
        &w,
        &[
            posting("PR-A", "E0", "MVPOST", 60),
            posting("PR-B", "E1", "MVPOST", 5),
            posting("PR-C", "E2", "DESIG", 80),
            posting("PR-D", "N900", "MVPOST", 20),
        ],
    );
    let order: Vec<&str> = got.iter().map(|e| e.employee_id.as_str()).collect();
    assert_eq!(order, ["E2", "E1", "N900", "E0"]);
}

#[test]
fn two_postings_of_one_person_starting_the_same_day_rank_by_posting_ref() {
    let mut w = world();
    w.staff("RVPOST");
    let mut second = w
        .posts
        .iter()
        .find(|p| p.post_id == "MVPOST")
        .unwrap()
        .clone();
    second.post_id = "MVPOST2".into();
    w.posts.push(second);
    let got = rows(
        &w,
        &[
            posting("PR-B", "E0", "MVPOST", 20),
            posting("PR-A", "E0", "MVPOST2", 20),
        ],
    );
    let refs: Vec<&str> = got
        .iter()
        .map(|e| e.detail.split(' ').nth(1).unwrap())
        .collect();
    assert_eq!(refs, ["PR-A", "PR-B"]);
}
