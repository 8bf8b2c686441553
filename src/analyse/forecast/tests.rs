//! Forecast tests on hand-built people: month placement, ladders, overdue, what-if, leavers.

use super::*;
use crate::model::{EmploymentStatus, RoleType, VettingStatus};
use crate::testkit::*;

/// A granted record linked to `p`, decided and expiring on the given dates.
fn clearance(w: &mut World, p: u32, level: &str, decided: &str, expiry: &str) {
    let r = w.granted(p, level, expiry);
    w.vetting[r].decision_date = Some(d(decided));
}

fn months_with(s: &ForecastScenario, level: &str) -> Vec<(usize, u32)> {
    s.due
        .get(level)
        .map(|v| {
            v.iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (i, *n))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn one_renewal_per_person_at_the_level_their_post_needs() {
    let mut w = World::new();
    // A designated post needs MV.
    let a = w.staff("DESIG");
    clearance(&mut w, a, "MV", "2020-03-15", "2027-03-15"); // Nov 2026 = 0 .. Mar 2027 = 4
    clearance(&mut w, a, "RV", "2019-01-01", "2027-02-01"); // below the post: not renewed
    clearance(&mut w, a, "NPPV2", "2025-05-01", "2028-05-01"); // a ladder the post does not need
    let f = forecast(&w.facts(), &Vec::new(), 24);
    assert_eq!(f.months.len(), 24);
    assert_eq!(f.months[0], d("2026-11-01"));
    assert_eq!(months_with(&f.baseline, "MV"), vec![(4, 1)]);
    assert_eq!(months_with(&f.baseline, "RV"), vec![]);
    assert_eq!(months_with(&f.baseline, "NPPV2"), vec![]);
    assert_eq!(f.levels, vec!["MV"]);
    assert!(f.what_if.is_none());
    // In a post that needs RV, an MV and an RV both meet it: the one valid longest is the
    // renewal that keeps them in post.
    let b = w.staff("RVPOST");
    clearance(&mut w, b, "MV", "2020-03-15", "2027-03-15");
    clearance(&mut w, b, "RV", "2020-01-01", "2028-01-20"); // month 14
    let f = forecast(&w.facts(), &Vec::new(), 24);
    assert_eq!(months_with(&f.baseline, "MV"), vec![(4, 1)], "a's only");
    assert_eq!(months_with(&f.baseline, "RV"), vec![(14, 1)]);
}

#[test]
fn overdue_counts_what_the_post_needs_and_reconciles_with_the_headline() {
    let mut w = World::new();
    // An RV post, a valid RV, and an NPPV2 that ran out: the post does not need it.
    let a = w.staff("RVPOST");
    clearance(&mut w, a, "RV", "2022-01-01", "2032-01-01");
    clearance(&mut w, a, "NPPV2", "2017-01-01", "2020-01-01");
    // Only an expired NPPV2: EXPIRED, but vetting to RV is new vetting, not a renewal.
    let b = w.staff("RVPOST");
    clearance(&mut w, b, "NPPV2", "2017-01-01", "2020-01-01");
    // An expired RV: overdue, and EXPIRED.
    let c = w.staff("RVPOST");
    clearance(&mut w, c, "RV", "2010-01-01", "2020-01-01");
    // A designated post (MV): the MV ran out, a valid RV is below it. Overdue, and
    // INSUFFICIENT_LEVEL.
    let e = w.staff("DESIG");
    clearance(&mut w, e, "MV", "2012-01-01", "2019-01-01");
    clearance(&mut w, e, "RV", "2022-01-01", "2032-01-01");
    // A lapsed RV whose expiry is still ahead: not valid, so overdue, and EXPIRED.
    let g = w.staff("RVPOST");
    w.record(
        Some(g),
        crate::link::Decision::AutoLink,
        "RV",
        VettingStatus::Lapsed,
        "2030-01-01",
    );
    let f = forecast(&w.facts(), &Vec::new(), 24);
    assert_eq!(f.baseline.overdue_of("NPPV2"), 0);
    assert_eq!(f.baseline.overdue_of("RV"), 2);
    assert_eq!(f.baseline.overdue_of("MV"), 1);
    assert_eq!(
        f.overdue,
        Overdue {
            total: 3,
            expired: 2,
            below: 1
        }
    );
    // The headline's codes: three EXPIRED (b, c, g), one INSUFFICIENT_LEVEL (e). Every
    // overdue person without a valid clearance is EXPIRED; the one EXPIRED left over (b)
    // holds nothing the post needs.
    let codes = w.run();
    let n = |code: crate::assess::Code| codes.iter().filter(|x| x.code == code).count() as u32;
    assert_eq!(n(crate::assess::Code::Expired), 3);
    assert_eq!(n(crate::assess::Code::InsufficientLevel), 1);
    assert_eq!(n(crate::assess::Code::Expired) - f.overdue.expired, 1);
    assert_eq!(f.overdue.below, n(crate::assess::Code::InsufficientLevel));
}

#[test]
fn expired_is_overdue_once_and_leavers_do_not_count() {
    let mut w = World::new();
    let a = w.staff("RVPOST");
    clearance(&mut w, a, "RV", "2010-01-01", "2020-01-01");
    let l = w.person("RVPOST", RoleType::Officer, EmploymentStatus::Leaver);
    clearance(&mut w, l, "RV", "2020-01-01", "2027-01-01");
    let f = forecast(&w.facts(), &Vec::new(), 24);
    assert_eq!(f.baseline.overdue_of("RV"), 1);
    // Renewed now, next due in ten years: nothing in the horizon.
    assert_eq!(months_with(&f.baseline, "RV"), vec![]);
    assert_eq!(f.baseline.total(), 1);
}

#[test]
fn what_if_brings_expiries_forward_and_repeats_short_periods() {
    let mut w = World::new();
    let a = w.staff("DESIG");
    clearance(&mut w, a, "MV", "2020-01-01", "2027-01-01"); // MV 5y: due 2025, overdue now
    let b = w.staff("RVPOST");
    clearance(&mut w, b, "RV", "2023-06-10", "2033-06-10"); // RV 5y: 2028-06-10, month 19
    let c = w.staff("RVPOST");
    clearance(&mut w, c, "RV", "2026-06-01", "2036-06-01"); // under RV=5y: 2031, beyond
    let what_if = parse_what_if("RV=5y, MV=5y", &w.policy.levels).unwrap();
    let f = forecast(&w.facts(), &what_if, 24);
    let (desc, alt) = f.what_if.clone().unwrap();
    assert_eq!(desc, "RV 5y, MV 5y");
    assert_eq!(months_with(&f.baseline, "MV"), vec![(2, 1)]);
    assert_eq!(f.baseline.overdue_of("MV"), 0);
    assert_eq!(alt.overdue_of("MV"), 1);
    assert_eq!(months_with(&alt, "MV"), vec![]);
    assert_eq!(months_with(&alt, "RV"), vec![(19, 1)]);
    assert_eq!(months_with(&f.baseline, "RV"), vec![]);

    // A period shorter than the horizon falls due again within it.
    let one_year = parse_what_if("RV=1y", &w.policy.levels).unwrap();
    let f = forecast(&w.facts(), &one_year, 24);
    let (_, alt) = f.what_if.unwrap();
    // b: 2024-06-10 is past (overdue, renewed now: due again Nov 2027 = month 12);
    // c: 2027-06-01 (month 7) then 2028-06-01 (month 19).
    assert_eq!(alt.overdue_of("RV"), 1);
    assert_eq!(months_with(&alt, "RV"), vec![(7, 1), (12, 1), (19, 1)]);
}

#[test]
fn what_if_text_is_checked_against_the_level_table() {
    let w = World::new();
    let l = &w.policy.levels;
    assert!(parse_what_if("RV=5y", l).is_ok());
    assert!(parse_what_if("", l).unwrap().is_empty());
    for bad in ["XX=5y", "RV", "RV=five", "RV=0y"] {
        assert!(parse_what_if(bad, l).is_err(), "{bad}");
    }
}
