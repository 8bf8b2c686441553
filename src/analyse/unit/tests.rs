use super::backlog::{BandRow, Risk};
use super::demand::{Clears, Source};
use super::*;
use crate::analyse::forecast::{Forecast, ForecastScenario};
use crate::link::Decision;
use crate::model::casework::{AppealStatus, Casework, PlannedIntake, COLUMNS};
use crate::model::{Post, VettingStatus};
use crate::testkit::*;
use chrono::Months;

/// Every casework column, as an export carrying them all gives.
const ALL_COLUMNS: &[&str] = &COLUMNS;

/// `days` days before the as-of date.
fn ago(days: i64) -> NaiveDate {
    d(AS_OF) - chrono::Duration::days(days)
}

/// A record of `status` decided on `decided` (None: pending), linked to `person`, with the
/// casework `c`.
fn case(
    w: &mut World,
    person: Option<u32>,
    status: VettingStatus,
    decided: Option<NaiveDate>,
    c: Casework,
) -> usize {
    let decision = if person.is_some() {
        Decision::AutoLink
    } else {
        Decision::NoMatch
    };
    let i = w.record(person, decision, "RV", status, "2030-01-01");
    let v = &mut w.vetting[i];
    v.decision_date = decided;
    if decided.is_none() {
        v.expiry_date = None;
    }
    v.casework = Some(Box::new(c));
    i
}

fn typed(t: &str, applied: Option<NaiveDate>) -> Casework {
    Casework {
        case_type: (!t.is_empty()).then(|| t.into()),
        application_date: applied,
        ..Casework::default()
    }
}

fn pending(
    w: &mut World,
    person: Option<u32>,
    t: &str,
    stage: &str,
    applied: Option<i64>,
) -> usize {
    let c = Casework {
        stage: (!stage.is_empty()).then(|| stage.into()),
        ..typed(t, applied.map(ago))
    };
    case(w, person, VettingStatus::Pending, None, c)
}

/// A forecast with no renewals at all (12 months).
fn no_renewals() -> Forecast {
    Forecast {
        months: (0..12)
            .map(|i| d("2026-11-01").checked_add_months(Months::new(i)).unwrap())
            .collect(),
        levels: vec![],
        baseline: ForecastScenario::default(),
        what_if: None,
        overdue: Default::default(),
    }
}

/// The unit's work of `w` as the night reads it.
fn work_of(
    w: &World,
    columns: &[&'static str],
    plan: Option<&[PlannedIntake]>,
    forecast: &Forecast,
    history: &[TrendNight],
) -> Unit {
    let facts = w.facts();
    analyse(&Given {
        facts: &facts,
        casework: &w.policy.casework,
        priority: &w.policy.priority,
        columns,
        plan,
        forecast,
        history,
        run_id: "20261124-01",
    })
}

fn read(u: Unit) -> Work {
    match u {
        Unit::Read(w) => *w,
        Unit::NoColumns => panic!("the unit's work was not read"),
    }
}

fn row<'a>(rows: &'a [BandRow], group: &str) -> &'a BandRow {
    rows.iter().find(|r| r.group == group).unwrap()
}

#[test]
fn percentiles_interpolate_between_the_nearest_ranks() {
    assert_eq!(percentile(&[], 0.5), None);
    assert_eq!(percentile(&[5], 0.9), Some(5.0));
    assert_eq!(percentile(&[10, 20], 0.5), Some(15.0));
    assert_eq!(percentile(&[10, 20, 30], 0.5), Some(20.0));
    let one_to_ten: Vec<i64> = (1..=10).collect();
    // Rank (10 - 1) * 0.9 = 8.1: between 9 and 10.
    assert!((percentile(&one_to_ten, 0.9).unwrap() - 9.1).abs() < 1e-9);
}

#[test]
fn open_cases_are_counted_by_type_stage_age_band_and_the_role_risk_of_the_post() {
    let mut w = World::new();
    // A post both designated and with vulnerable contact, and one needing SC with
    // vulnerable contact: the component with more points wins (4 > 2, 3 > 2).
    w.posts.push(Post {
        post_id: "DESVULN".into(),
        designated: true,
        vulnerable_contact: true,
        ..w.posts[1].clone()
    });
    w.posts.push(Post {
        post_id: "SCVULN".into(),
        vulnerable_contact: true,
        ..w.posts[2].clone()
    });
    let desig = w.staff("DESVULN");
    let sc = w.staff("SCVULN");
    let vuln = w.staff("VULN");
    let plain = w.staff("RVPOST");
    let a = pending(&mut w, Some(desig), "renewal", "received", Some(10));
    let b = pending(&mut w, Some(sc), "upgrade", "enquiries", Some(31));
    let c = pending(&mut w, Some(vuln), "transferee", "", Some(200));
    // A recruit case linked to someone on the roster in a post is banded by that post.
    let r = pending(&mut w, Some(plain), "recruit", "interview", Some(91));
    // Linked to no one: an applicant, whatever its type.
    let n = pending(&mut w, None, "", "received", None);
    let o = pending(&mut w, Some(plain), "renewal", "decision", Some(180));
    // Not open: decided, and one applied for today (age 0).
    case(
        &mut w,
        Some(plain),
        VettingStatus::Granted,
        Some(ago(5)),
        typed("renewal", Some(ago(50))),
    );
    let today = pending(&mut w, Some(plain), "renewal", "received", Some(0));
    let work = read(work_of(&w, ALL_COLUMNS, None, &no_renewals(), &[]));
    let b_ = &work.backlog;
    assert_eq!(b_.total(), 7);
    // Bands: 0-30, 31-90, 91-180, over 180, not recorded.
    assert_eq!(b_.all.bands, [2, 1, 2, 1, 1]);
    let types = b_.by_case_type.as_ref().unwrap();
    let groups: Vec<&str> = types.iter().map(|r| r.group.as_str()).collect();
    assert_eq!(
        groups,
        [
            "recruit",
            "renewal",
            "upgrade",
            "transferee",
            "contractor",
            "non_police",
            NOT_RECORDED
        ]
    );
    assert_eq!(row(types, "renewal").bands, [2, 0, 1, 0, 0]);
    assert_eq!(row(types, "upgrade").bands, [0, 1, 0, 0, 0]);
    assert_eq!(row(types, "transferee").bands, [0, 0, 0, 1, 0]);
    assert_eq!(row(types, "recruit").bands, [0, 0, 1, 0, 0]);
    assert_eq!(row(types, NOT_RECORDED).bands, [0, 0, 0, 0, 1]);
    assert_eq!(row(types, "contractor").total(), 0);
    let stages = b_.by_stage.as_ref().unwrap();
    assert_eq!(row(stages, "received").total(), 3);
    assert_eq!(row(stages, "enquiries").total(), 1);
    assert_eq!(row(stages, "interview").total(), 1);
    assert_eq!(row(stages, "decision").total(), 1);
    assert_eq!(row(stages, NOT_RECORDED).total(), 1);
    let risk = |r: Risk| row(&b_.by_risk, r.as_str()).bands;
    assert_eq!(risk(Risk::Designated), [1, 0, 0, 0, 0]);
    assert_eq!(risk(Risk::NationalSecurity), [0, 1, 0, 0, 0]);
    assert_eq!(risk(Risk::VulnerableContact), [0, 0, 0, 1, 0]);
    assert_eq!(risk(Risk::Other), [1, 0, 2, 0, 0]);
    assert_eq!(risk(Risk::Recruit), [0, 0, 0, 0, 1]);
    // Oldest first, the case with no application date last.
    let order: Vec<&str> = b_.cases.iter().map(|c| c.vetting_ref.as_str()).collect();
    let refs = |is: &[usize]| -> Vec<String> { is.iter().map(|i| format!("V{i}")).collect() };
    assert_eq!(order, refs(&[c, o, r, b, a, today, n]));
    assert_eq!(b_.cases[0].age_days, Some(200));
    assert_eq!(b_.cases[0].employee_id.as_deref(), Some("E2"));
    assert_eq!(b_.cases[6].employee_id, None);
    // What the run record keeps.
    let kept = work.backlog.open_cases();
    assert_eq!(kept.total, 7);
    let by = kept.by_case_type.unwrap();
    assert_eq!((by["renewal"], by["recruit"], by[NOT_RECORDED]), (3, 1, 1));
}

#[test]
fn a_figure_whose_column_the_export_lacks_is_not_read_and_no_column_reads_nothing() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    pending(&mut w, Some(p), "", "", None);
    // Only stage and decision_maker: no ages, no types, no throughput by type, no timing.
    let work = read(work_of(
        &w,
        &["stage", "decision_maker"],
        None,
        &no_renewals(),
        &[],
    ));
    let missing = |c: &'static str| Some(NotRead::Columns(vec![c]));
    assert_eq!(work.backlog.total(), 1);
    assert_eq!(work.backlog.age.clone().err(), missing("application_date"));
    assert_eq!(
        work.backlog.by_case_type.clone().err(),
        missing("case_type")
    );
    assert!(work.backlog.by_stage.is_ok());
    assert_eq!(
        work.throughput.case_types.clone().err(),
        missing("case_type")
    );
    assert_eq!(
        work.throughput.timeliness.clone().err(),
        missing("application_date")
    );
    assert_eq!(work.appeals.clone().err(), missing("appeal_status"));
    assert_eq!(
        work.demand.clearing,
        Err(NotRead::Columns(vec!["case_type", "application_date"]))
    );
    let kept = work.backlog.open_cases();
    assert_eq!((kept.total, kept.by_case_type), (1, None));
    // None of the casework columns: nothing is read, not even the open cases.
    let none = work_of(&w, &["vetting_ref", "status"], None, &no_renewals(), &[]);
    assert_eq!(none, Unit::NoColumns);
    assert_eq!(none.open_cases(), None);
}

#[test]
fn decisions_are_counted_per_month_and_type_with_the_days_they_took() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    let mut decided = |status, on: &str, t: &str, days: Option<i64>| {
        let on = d(on);
        let applied = days.map(|n| on - chrono::Duration::days(n));
        case(&mut w, Some(p), status, Some(on), typed(t, applied));
    };
    // Renewals: 10, 20, 30 and 40 days; the window's first and last days count.
    decided(VettingStatus::Granted, "2025-11-24", "renewal", Some(10));
    decided(VettingStatus::Refused, "2026-03-05", "renewal", Some(20));
    decided(VettingStatus::Withdrawn, "2026-03-31", "renewal", Some(30));
    decided(VettingStatus::Granted, "2026-11-24", "renewal", Some(40));
    // An upgrade with no application date.
    decided(VettingStatus::Granted, "2026-06-01", "upgrade", None);
    // Not decisions in the window: the day before it, a lapse, a suspension.
    decided(VettingStatus::Granted, "2025-11-23", "renewal", Some(5));
    decided(VettingStatus::Lapsed, "2026-05-01", "renewal", Some(5));
    decided(VettingStatus::Suspended, "2026-05-01", "renewal", Some(5));
    let work = read(work_of(&w, ALL_COLUMNS, None, &no_renewals(), &[]));
    let t = &work.throughput;
    assert_eq!(t.total, 5);
    assert_eq!(t.months.len(), 13);
    let first = &t.months[0];
    assert_eq!(
        (first.month, first.from, first.to),
        (d("2025-11-01"), d("2025-11-24"), d("2025-11-30"))
    );
    let last = t.months.last().unwrap();
    assert_eq!(
        (last.month, last.from, last.to),
        (d("2026-11-01"), d("2026-11-01"), d("2026-11-24"))
    );
    let month = |m: &str| t.months.iter().find(|r| r.month == d(m)).unwrap();
    let types = t.case_types.as_ref().unwrap();
    assert_eq!(types.last().map(String::as_str), Some("non_police"));
    let renewal = types.iter().position(|x| x == "renewal").unwrap();
    assert_eq!(month("2026-03-01").total, 2);
    assert_eq!(month("2026-03-01").by_type[renewal], 2);
    assert_eq!(month("2026-05-01").total, 0);
    assert_eq!(month("2026-11-01").total, 1);
    assert_eq!(t.of_type("renewal"), 4);
    assert_eq!(t.of_type("upgrade"), 1);
    let timing = t.timeliness.as_ref().unwrap();
    let of = |g: &str| timing.iter().find(|r| r.group == g).unwrap();
    let r = of("renewal");
    assert_eq!((r.decisions, r.with_dates), (4, 4));
    assert_eq!(r.median_days, Some(25.0));
    // Rank 3 * 0.9 = 2.7: 30 + 0.7 * 10.
    assert!((r.p90_days.unwrap() - 37.0).abs() < 1e-9);
    let u = of("upgrade");
    assert_eq!((u.decisions, u.with_dates, u.median_days), (1, 0, None));
    let all = of(throughput::ALL);
    assert_eq!(
        (all.decisions, all.with_dates, all.median_days),
        (5, 4, Some(25.0))
    );
    assert_eq!(of("transferee").decisions, 0);
}

/// A forecast of 24 months from November 2026: `overdue` RV renewals overdue, one due in
/// the first month, three in the twelfth and five in the thirteenth (after the year); the
/// what-if has `what_if_overdue` overdue and the same months.
fn renewals(overdue: u32, what_if_overdue: u32) -> Forecast {
    let mut due = vec![0; 24];
    due[0] = 1;
    due[11] = 3;
    due[12] = 5;
    let scenario = |o: u32| ForecastScenario {
        overdue: [("RV".to_string(), o)].into(),
        due: [("RV".to_string(), due.clone())].into(),
    };
    Forecast {
        months: (0..24)
            .map(|i| d("2026-11-01").checked_add_months(Months::new(i)).unwrap())
            .collect(),
        levels: vec!["RV".into()],
        baseline: scenario(overdue),
        what_if: Some(("RV 5y".into(), scenario(what_if_overdue))),
        overdue: Default::default(),
    }
}

fn plan(rows: &[(&str, &str, u32)]) -> Vec<PlannedIntake> {
    rows.iter()
        .map(|(m, t, n)| PlannedIntake {
            month: d(&format!("{m}-01")),
            case_type: (*t).into(),
            expected: *n,
            line: 2,
        })
        .collect()
}

/// 22 contractor decisions with no application date and two transferees applied for and
/// decided in the window (24 decisions: 2 a month); open: three upgrades (one applied for in
/// the window) and a recruit applied for this month.
fn demand_world() -> World {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    for i in 0..22 {
        case(
            &mut w,
            Some(p),
            VettingStatus::Granted,
            Some(ago(10 + i)),
            typed("contractor", None),
        );
    }
    for _ in 0..2 {
        case(
            &mut w,
            Some(p),
            VettingStatus::Granted,
            Some(ago(20)),
            typed("transferee", Some(ago(60))),
        );
    }
    // A transferee applied for before the window: not an arrival.
    case(
        &mut w,
        Some(p),
        VettingStatus::Granted,
        Some(ago(400)),
        typed("transferee", Some(ago(420))),
    );
    pending(&mut w, Some(p), "upgrade", "received", Some(54));
    pending(&mut w, Some(p), "upgrade", "received", Some(700));
    pending(&mut w, Some(p), "upgrade", "received", None);
    pending(&mut w, None, "recruit", "received", Some(23));
    w
}

#[test]
fn demand_counts_renewals_the_plan_and_last_years_arrivals_in_cases_hours_and_staff() {
    let w = demand_world();
    // The plan's coming 12 months are November 2026 to October 2027.
    let intake = plan(&[
        ("2026-11", "recruit", 4),
        ("2027-10", "recruit", 6),
        ("2027-11", "recruit", 100),
        ("2026-10", "recruit", 100),
    ]);
    let work = read(work_of(
        &w,
        ALL_COLUMNS,
        Some(&intake),
        &renewals(2, 7),
        &[],
    ));
    let dm = &work.demand;
    assert_eq!(dm.renewal_months, 12);
    let of = |t: &str| dm.rows.iter().find(|r| r.case_type == t).unwrap();
    let renewal = of("renewal");
    assert_eq!(renewal.source, Source::Forecast);
    assert_eq!(
        (
            renewal.overdue,
            renewal.incoming.clone(),
            renewal.cases.clone()
        ),
        (Some(2), Ok(4), Ok(6))
    );
    assert_eq!(renewal.hours(), Some(18.0));
    let recruit = of("recruit");
    assert_eq!(recruit.source, Source::Plan);
    assert_eq!(
        (
            recruit.open_now.clone(),
            recruit.incoming.clone(),
            recruit.cases.clone()
        ),
        (Ok(1), Ok(10), Ok(11))
    );
    assert_eq!(recruit.hours(), Some(66.0));
    let upgrade = of("upgrade");
    assert_eq!(upgrade.source, Source::LastYear);
    assert_eq!(
        (
            upgrade.open_now.clone(),
            upgrade.incoming.clone(),
            upgrade.cases.clone()
        ),
        (Ok(3), Ok(1), Ok(4))
    );
    assert_eq!(upgrade.monthly_rate, Some(1.0 / 12.0));
    assert_eq!(upgrade.hours(), Some(32.0));
    let transferee = of("transferee");
    assert_eq!(
        (
            transferee.open_now.clone(),
            transferee.incoming.clone(),
            transferee.cases.clone()
        ),
        (Ok(0), Ok(2), Ok(2))
    );
    assert_eq!(of("contractor").cases, Ok(0));
    let total = dm.total();
    assert_eq!(
        (total.cases, total.hours, total.complete),
        (23, 124.0, true)
    );
    assert!((total.fte - 124.0 / 1650.0).abs() < 1e-12);
    // The what-if's seven overdue in place of two: five more renewals, fifteen more hours.
    let what_if = dm.what_if.as_ref().unwrap();
    assert_eq!(
        (what_if.source.clone(), what_if.cases.clone()),
        (Source::WhatIf("RV 5y".into()), Ok(11))
    );
    let alt = dm.total_what_if().unwrap();
    assert_eq!((alt.cases, alt.hours), (28, 139.0));
    // 24 decisions a year against 4 renewals, 10 planned recruits, 1 upgrade and 2
    // transferees: 7/12 a month net, so 4 open cases take ceil(48 / 7) = 7 months.
    let c = dm.clearing.as_ref().unwrap();
    assert_eq!(c.backlog, 4);
    assert!((c.monthly_decisions - 2.0).abs() < 1e-12);
    assert!((c.monthly_incoming - 17.0 / 12.0).abs() < 1e-12);
    assert!(!c.recruits_at_rate);
    assert_eq!(
        c.clears,
        Clears::In {
            months: 7,
            month: d("2027-06-01")
        }
    );
}

#[test]
fn without_a_plan_recruits_are_not_read_and_the_backlog_clears_at_their_arrival_rate() {
    let w = demand_world();
    let work = read(work_of(&w, ALL_COLUMNS, None, &renewals(2, 7), &[]));
    let dm = &work.demand;
    let recruit = dm.rows.iter().find(|r| r.case_type == RECRUIT).unwrap();
    assert_eq!(recruit.incoming, Err(NotRead::NoPlan));
    assert_eq!(recruit.cases, Err(NotRead::NoPlan));
    assert_eq!(recruit.hours(), None);
    let total = dm.total();
    assert_eq!((total.cases, total.complete), (12, false));
    // One recruit arrived in the year: 4 + 1 + 1 + 2 = 8 a year in, 24 out, so 4 open cases
    // take ceil(48 / 16) = 3 months.
    let c = dm.clearing.as_ref().unwrap();
    assert!(c.recruits_at_rate);
    assert_eq!(
        c.clears,
        Clears::In {
            months: 3,
            month: d("2027-02-01")
        }
    );
    // A plan naming a transferee intake counts it from the plan, not last year's rate.
    let intake = plan(&[("2027-01", "transferee", 30)]);
    let work = read(work_of(
        &w,
        ALL_COLUMNS,
        Some(&intake),
        &renewals(2, 7),
        &[],
    ));
    let dm = &work.demand;
    let transferee = dm
        .rows
        .iter()
        .find(|r| r.case_type == "transferee")
        .unwrap();
    assert_eq!(
        (transferee.source.clone(), transferee.incoming.clone()),
        (Source::Plan, Ok(30))
    );
    // A plan read with no recruits is zero recruits, checked.
    let recruit = dm.rows.iter().find(|r| r.case_type == RECRUIT).unwrap();
    assert_eq!(recruit.incoming, Ok(0));
    // 4 + 0 + 1 + 30 = 35 a year in against 24 out: never.
    assert_eq!(dm.clearing.as_ref().unwrap().clears, Clears::Never);
}

#[test]
fn with_no_open_cases_there_is_no_backlog_to_clear() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    case(
        &mut w,
        Some(p),
        VettingStatus::Granted,
        Some(ago(3)),
        typed("renewal", Some(ago(9))),
    );
    let work = read(work_of(&w, ALL_COLUMNS, None, &no_renewals(), &[]));
    assert_eq!(work.demand.clearing.unwrap().clears, Clears::NoBacklog);
}

#[test]
fn appeals_are_counted_by_outcome_level_and_type_with_their_median_days() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    let mut appeal = |level: &str, t: &str, status: AppealStatus, days: Option<i64>| {
        let decided = d("2026-01-10");
        let i = case(
            &mut w,
            Some(p),
            VettingStatus::Refused,
            Some(decided),
            Casework {
                appeal_status: Some(status),
                appeal_date: Some(d("2026-02-01")),
                appeal_outcome_date: days.map(|n| d("2026-02-01") + chrono::Duration::days(n)),
                ..typed(t, None)
            },
        );
        w.vetting[i].level = w.policy.levels.parse(level).unwrap();
    };
    appeal("MV", "renewal", AppealStatus::Upheld, Some(10));
    appeal("MV", "renewal", AppealStatus::Dismissed, Some(30));
    appeal("RV", "recruit", AppealStatus::Dismissed, Some(20));
    appeal("RV", "recruit", AppealStatus::Lodged, None);
    appeal("RV", "", AppealStatus::Withdrawn, Some(40));
    // No appeal.
    appeal("SC", "recruit", AppealStatus::None, None);
    let work = read(work_of(&w, ALL_COLUMNS, None, &no_renewals(), &[]));
    let a = work.appeals.unwrap();
    // Lodged (awaiting outcome), upheld, dismissed, withdrawn.
    assert_eq!(a.total.by_status, [1, 1, 2, 1]);
    assert_eq!(a.total.appeals(), 5);
    assert_eq!((a.total.timed, a.total.median_days), (4, Some(25.0)));
    let levels: Vec<(&str, usize)> = a
        .by_level
        .iter()
        .map(|r| (r.group.as_str(), r.appeals()))
        .collect();
    assert_eq!(levels, [("RV", 3), ("MV", 2)]);
    let mv = &a.by_level[1];
    assert_eq!(mv.median_days, Some(20.0));
    let types: Vec<(&str, usize)> = (a.by_case_type.as_ref().unwrap().iter())
        .map(|r| (r.group.as_str(), r.appeals()))
        .collect();
    assert_eq!(types, [("recruit", 2), ("renewal", 2), (NOT_RECORDED, 1)]);
    // Without the dates, the days are not read; without case_type, the types.
    let work = read(work_of(&w, &["appeal_status"], None, &no_renewals(), &[]));
    let a = work.appeals.unwrap();
    assert_eq!(
        a.days,
        Err(NotRead::Columns(vec!["appeal_date", "appeal_outcome_date"]))
    );
    assert_eq!(a.by_case_type, Err(NotRead::Columns(vec!["case_type"])));
}

#[test]
fn decision_makers_are_counted_by_id_with_their_decisions_in_the_last_year() {
    let mut w = World::new();
    let p = w.staff("RVPOST");
    let mut by = |id: &str, status, decided: Option<NaiveDate>| {
        case(
            &mut w,
            Some(p),
            status,
            decided,
            Casework {
                decision_maker: Some(id.into()),
                ..Casework::default()
            },
        );
    };
    by("DM2", VettingStatus::Granted, Some(ago(10)));
    by("DM2", VettingStatus::Refused, Some(ago(20)));
    by("DM2", VettingStatus::Granted, Some(ago(400)));
    by("DM1", VettingStatus::Withdrawn, Some(ago(30)));
    by("DM1", VettingStatus::Pending, None);
    let work = read(work_of(&w, ALL_COLUMNS, None, &no_renewals(), &[]));
    let rows = work.decision_makers.unwrap();
    let got: Vec<(&str, usize, usize, usize, usize, usize, usize)> = rows
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.cases,
                r.open,
                r.decisions,
                r.granted,
                r.refused,
                r.withdrawn,
            )
        })
        .collect();
    assert_eq!(got, [("DM1", 2, 1, 1, 0, 0, 1), ("DM2", 3, 0, 2, 1, 1, 0)]);
}

#[test]
fn the_trend_says_from_when_it_has_history_and_never_reads_a_missing_night_as_zero() {
    let night = |as_of: &str, open: Option<usize>| TrendNight {
        run_id: format!("{}-01", as_of.replace('-', "")),
        as_of: as_of.into(),
        open: open.map(|total| OpenCases {
            total,
            by_case_type: None,
        }),
    };
    let trend = |nights: Vec<TrendNight>| Trend { nights };
    assert_eq!(
        trend(vec![night("2026-11-24", Some(3))]).no_history_before(),
        Some("2026-11-24")
    );
    let gap = trend(vec![
        night("2026-11-22", Some(1)),
        night("2026-11-23", None),
        night("2026-11-24", Some(3)),
    ]);
    assert_eq!(gap.no_history_before(), Some("2026-11-24"));
    let full = trend(vec![
        night("2026-11-23", Some(1)),
        night("2026-11-24", Some(3)),
    ]);
    assert_eq!(full.no_history_before(), None);
    // Tonight joins the stored nights, last.
    let mut w = World::new();
    let p = w.staff("RVPOST");
    pending(&mut w, Some(p), "renewal", "received", Some(3));
    let history = [night("2026-11-22", None), night("2026-11-23", Some(9))];
    let work = read(work_of(&w, ALL_COLUMNS, None, &no_renewals(), &history));
    let got: Vec<(&str, Option<usize>)> = (work.trend.nights.iter())
        .map(|n| (n.as_of.as_str(), n.open.as_ref().map(|o| o.total)))
        .collect();
    assert_eq!(
        got,
        [
            ("2026-11-22", None),
            ("2026-11-23", Some(9)),
            ("2026-11-24", Some(1))
        ]
    );
    assert_eq!(work.trend.no_history_before(), Some("2026-11-23"));
}
