//! Each trigger at the edges of its grace period, closed by a review, and filtered by the
//! policy; PND returns by how they linked.

use super::*;
use crate::assess::assess;
use crate::link::{Candidate, Decision, LinkOutcome};
use crate::model::PndCategory;
use crate::testkit::{d, levels_any, World, AS_OF};

fn as_of() -> NaiveDate {
    d(AS_OF)
}

/// `days` days before the as-of date.
fn ago(days: i64) -> NaiveDate {
    as_of() - chrono::Duration::days(days)
}

fn misconduct(employee: u32, outcome: Outcome, date: NaiveDate) -> Misconduct {
    Misconduct {
        outcome_ref: format!("M-{employee}-{date}"),
        employee_id: format!("E{employee}"),
        outcome,
        outcome_date: date,
        breach_category: None,
        sanction: None,
        line: 2,
    }
}

fn notice(employee: u32, change: ChangeType, date: NaiveDate) -> Circumstance {
    Circumstance {
        notice_ref: format!("C-{employee}"),
        employee_id: format!("E{employee}"),
        change_type: change,
        notified_date: date,
        line: 2,
    }
}

fn pnd(i: usize, date: NaiveDate) -> PndReturn {
    PndReturn {
        pnd_ref: format!("PND{i}"),
        surname: "Misspelt".into(),
        forenames: "A".into(),
        previous_surnames: vec![],
        date_of_birth: d("1980-01-01"),
        ni_number: None,
        record_date: date,
        category: PndCategory::Arrest,
        line: i as u64 + 2,
    }
}

fn linked(decision: Decision, people: &[u32]) -> LinkOutcome {
    LinkOutcome {
        decision,
        candidates: people
            .iter()
            .map(|&p| Candidate {
                person: p,
                weight: 15.0,
                probability: 0.99,
                levels: levels_any(),
                second_pass: false,
            })
            .collect(),
    }
}

/// The trigger rows (codes and references) for the given feeds.
fn run(
    w: &World,
    pnd: &[PndReturn],
    pnd_links: &[LinkOutcome],
    m: &[Misconduct],
    c: &[Circumstance],
) -> Vec<(Code, String, String, i64)> {
    let t = TriggerFacts {
        pnd,
        pnd_links,
        misconduct: m,
        circumstances: c,
        policy: Some(&w.policy.triggers),
    };
    let facts = w.facts().with_triggers(t);
    let mut v: Vec<_> = assess(&facts, &w.policy.priority)
        .into_iter()
        .filter(|e| {
            matches!(
                e.code,
                Code::PndUnreviewed
                    | Code::MisconductReviewDue
                    | Code::CircumstancesReviewDue
                    | Code::ReviewMatch
                    | Code::AmbiguousMatch
            )
        })
        .map(|e| (e.code, e.employee_id, e.vetting_ref, e.days_out))
        .collect();
    v.sort();
    v
}

/// A person in a post with a clearance granted in 2020 and never reviewed since.
fn world() -> (World, u32) {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    w.granted(p, "RV", "2030-01-01");
    (w, p)
}

#[test]
fn misconduct_is_due_from_the_day_after_the_grace_period() {
    let (w, p) = world();
    assert_eq!(w.policy.triggers.grace_days, 28);
    let due = |days| {
        run(
            &w,
            &[],
            &[],
            &[misconduct(p, Outcome::WrittenWarning, ago(days))],
            &[],
        )
    };
    assert!(due(27).is_empty(), "the day before the grace period ends");
    assert!(due(28).is_empty(), "the day it ends");
    let r = due(29);
    assert_eq!(r.len(), 1, "the day after");
    assert_eq!(r[0].0, Code::MisconductReviewDue);
    assert_eq!(r[0].1, "E0");
    assert_eq!(r[0].2, format!("M-0-{}", ago(29)));
    assert_eq!(r[0].3, 1, "one day past the grace period");
}

#[test]
fn circumstances_are_due_from_the_day_after_the_grace_period() {
    let (w, p) = world();
    let due = |days| {
        run(
            &w,
            &[],
            &[],
            &[],
            &[notice(p, ChangeType::Partner, ago(days))],
        )
    };
    assert!(due(27).is_empty());
    assert!(due(28).is_empty());
    assert_eq!(
        due(29),
        vec![(Code::CircumstancesReviewDue, "E0".into(), "C-0".into(), 1)]
    );
}

#[test]
fn pnd_unreviewed_is_due_from_the_day_after_the_grace_period() {
    let (w, p) = world();
    let due = |days| {
        run(
            &w,
            &[pnd(0, ago(days))],
            &[linked(Decision::AutoLink, &[p])],
            &[],
            &[],
        )
    };
    assert!(due(27).is_empty());
    assert!(due(28).is_empty());
    assert_eq!(
        due(29),
        vec![(Code::PndUnreviewed, "E0".into(), "PND0".into(), 1)]
    );
}

#[test]
fn a_review_on_or_after_the_event_closes_it_and_one_before_does_not() {
    for (review, open) in [
        (ago(40), false), // the same day as the event
        (ago(10), false), // after it
        (ago(41), true),  // the day before it
    ] {
        let (mut w, p) = world();
        w.vetting[0].last_review_date = Some(review);
        let m = [misconduct(p, Outcome::FinalWrittenWarning, ago(40))];
        let c = [notice(p, ChangeType::Finances, ago(40))];
        let r = run(
            &w,
            &[pnd(0, ago(40))],
            &[linked(Decision::AutoLink, &[p])],
            &m,
            &c,
        );
        assert_eq!(r.len(), if open { 3 } else { 0 }, "review {review}: {r:?}");
    }
    // A new clearance decision after the event is a review too.
    let (mut w, p) = world();
    w.vetting[0].decision_date = Some(ago(5));
    let m = [misconduct(p, Outcome::ReductionInRank, ago(40))];
    assert!(run(&w, &[], &[], &m, &[]).is_empty());
}

#[test]
fn only_the_outcomes_and_changes_the_policy_lists_need_a_review() {
    let (w, p) = world();
    let m = [misconduct(p, Outcome::Other, ago(60))];
    let c = [
        notice(p, ChangeType::Address, ago(60)),
        notice(p, ChangeType::Other, ago(60)),
    ];
    assert!(run(&w, &[], &[], &m, &c).is_empty());
    let mut raw = crate::assess::settings::RawRules::default();
    raw.circumstances_need_review.push("address".into());
    let mut w2 = world().0;
    w2.policy.triggers = TriggerPolicy::build(&raw).unwrap();
    assert_eq!(run(&w2, &[], &[], &[], &c[..1]).len(), 1);
    raw.misconduct_needs_review = vec!["demotion".into()];
    assert!(TriggerPolicy::build(&raw)
        .unwrap_err()
        .contains("rules.misconduct_needs_review: `demotion` is not one of written_warning"));
}

#[test]
fn leavers_and_people_not_on_the_roster_raise_no_trigger() {
    let mut w = World::new();
    let leaver = w.person(
        "RVPOST",
        crate::model::RoleType::Staff,
        crate::model::EmploymentStatus::Leaver,
    );
    let m = [
        misconduct(leaver, Outcome::WrittenWarning, ago(60)),
        misconduct(99, Outcome::WrittenWarning, ago(60)),
    ];
    assert!(run(&w, &[], &[], &m, &[]).is_empty());
}

#[test]
fn pnd_returns_follow_their_link() {
    let (mut w, p) = world();
    let q = w.staff("RVPOST");
    w.granted(q, "RV", "2030-01-01");
    let returns: Vec<PndReturn> = (0..5).map(|i| pnd(i, ago(60))).collect();
    let links = [
        linked(Decision::Confirmed, &[p]),
        linked(Decision::Review, &[q]),
        linked(Decision::Ambiguous, &[p, q]),
        linked(Decision::NoMatch, &[]),
        // Dated before the latest decision (2020-01-01): the decision saw it.
        linked(Decision::AutoLink, &[q]),
    ];
    let mut returns = returns;
    returns[4].record_date = d("2019-06-01");
    let r = run(&w, &returns, &links, &[], &[]);
    assert_eq!(
        r,
        vec![
            (Code::AmbiguousMatch, "".into(), "PND2".into(), 0),
            (Code::ReviewMatch, "E1".into(), "PND1".into(), 0),
            (Code::PndUnreviewed, "E0".into(), "PND0".into(), 32),
        ]
    );
}

#[test]
fn a_person_never_vetted_has_every_event_open() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    let r = run(
        &w,
        &[pnd(0, ago(30))],
        &[linked(Decision::AutoLink, &[p])],
        &[],
        &[],
    );
    assert_eq!(
        r,
        vec![(Code::PndUnreviewed, "E0".into(), "PND0".into(), 2)]
    );
}
