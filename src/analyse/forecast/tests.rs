//! Forecast tests on hand-built people: month placement, ladders, overdue, what-if, leavers.

use super::*;
use crate::model::{EmploymentStatus, RoleType};
use crate::testkit::*;

/// A granted record linked to `p`, decided and expiring on the given dates.
fn clearance(w: &mut World, p: u32, level: &str, decided: &str, expiry: &str) {
    let r = w.granted(p, level, expiry);
    w.vetting[r].decision_date = Some(d(decided));
}

fn months_with(s: &Scenario, level: &str) -> Vec<(usize, u32)> {
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
fn due_month_is_counted_for_the_highest_level_on_each_ladder() {
    let mut w = World::new();
    let a = w.staff("DESIG");
    clearance(&mut w, a, "MV", "2020-03-15", "2027-03-15"); // Nov 2026 = 0 .. Mar 2027 = 4
    clearance(&mut w, a, "RV", "2019-01-01", "2027-02-01"); // under the MV: not renewed alone
    clearance(&mut w, a, "NPPV2", "2025-05-01", "2028-05-01"); // other ladder: month 18
    let f = forecast(&w.facts(), &Vec::new(), 24);
    assert_eq!(f.months.len(), 24);
    assert_eq!(f.months[0], d("2026-11-01"));
    assert_eq!(months_with(&f.baseline, "MV"), vec![(4, 1)]);
    assert_eq!(months_with(&f.baseline, "RV"), vec![]);
    assert_eq!(months_with(&f.baseline, "NPPV2"), vec![(18, 1)]);
    assert_eq!(f.levels, vec!["MV", "NPPV2"]);
    assert!(f.what_if.is_none());
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
