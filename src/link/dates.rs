//! Dates: the date-of-birth levels' u, estimated from tonight's dates.
//!
//! How often two different people's dates of birth are one slip apart, or in the same
//! month, depends on how a workforce's births spread: a force recruiting over 45 years has
//! its births in about 16,000 days, a national data set over a century in 36,000. So, as
//! Splink's date comparison does, u for every inexact level (day and month exchanged, one
//! slip, same year and month, within a year, different) is counted over random pairs of a
//! roster person and a vetting record. Exact agreement keeps the table's u: among random
//! pairs of a small roster, true matches would inflate it (one pair in n is the person).
//!
//! The count is smoothed towards the table's u with the weight of `PRIOR_PAIRS` pairs, so a
//! demo-sized force stays near the table and a real force is near its own data. Pairs are
//! drawn from a fixed seed: the same inputs give the same u.

use super::compare::{dob, DobLevel};
use super::prepare::Rec;
use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Random pairs counted (all pairs, when the roster times the export is fewer).
pub const PAIRS: usize = 200_000;
/// The table's u counts as this many pairs' worth of evidence.
pub const PRIOR_PAIRS: f64 = 10_000.0;
const SEED: u64 = 0xD0B;

/// u per date-of-birth level (indexed as `DobLevel`), from `table` and the night's dates.
pub fn estimate_u(people: &[Rec], records: &[Rec], table: &[f64]) -> Vec<f64> {
    let levels = DobLevel::Different as usize + 1;
    let mut counts = vec![0u64; levels];
    let (np, nv) = (people.len(), records.len());
    if np == 0 || nv == 0 || table.len() != levels {
        return table.to_vec();
    }
    // Draw from the sorted dates, not the records: no result may depend on input order.
    let sorted = |rs: &[Rec]| {
        let mut v: Vec<NaiveDate> = rs.iter().map(|r| r.dob).collect();
        v.sort_unstable();
        v
    };
    let (a, b) = (sorted(people), sorted(records));
    let mut count = |x: NaiveDate, y: NaiveDate| {
        if let Some(c) = counts.get_mut(dob(x, y) as usize) {
            *c += 1;
        }
    };
    if np.saturating_mul(nv) <= PAIRS {
        for &x in &a {
            for &y in &b {
                count(x, y);
            }
        }
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(SEED);
        for _ in 0..PAIRS {
            let (i, j) = (rng.random_range(0..np), rng.random_range(0..nv));
            if let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
                count(x, y);
            }
        }
    }
    let total: u64 = counts.iter().sum();
    let exact = DobLevel::Exact as usize;
    let mut u: Vec<f64> = table
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(l, (&t, &n))| {
            if l == exact {
                t
            } else {
                (n as f64 + PRIOR_PAIRS * t) / (total as f64 + PRIOR_PAIRS)
            }
        })
        .collect();
    // Keep the levels a distribution: "different" takes what the others leave.
    let different = DobLevel::Different as usize;
    let others: f64 = u
        .iter()
        .enumerate()
        .filter(|&(l, _)| l != different)
        .map(|(_, x)| x)
        .sum();
    if let Some(d) = u.get_mut(different) {
        *d = (1.0 - others).max(1e-7);
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(d: NaiveDate) -> Rec {
        Rec {
            surnames: vec![],
            forenames: vec![],
            dob: d,
            ni: None,
            employee_id: None,
        }
    }

    fn table() -> Vec<f64> {
        vec![0.00006, 0.00006, 0.0015, 0.0017, 0.03, 0.96668]
    }

    #[test]
    fn births_in_one_year_make_same_month_and_within_a_year_common() {
        // Everyone born in 1990: any two are within a year, one in twelve in the same month.
        let start = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
        let people: Vec<Rec> = (0..2_000)
            .map(|i| rec(start + chrono::Days::new(i % 365)))
            .collect();
        let records: Vec<Rec> = (0..2_000)
            .map(|i| rec(start + chrono::Days::new((i * 7) % 365)))
            .collect();
        let u = estimate_u(&people, &records, &table());
        let within = u[DobLevel::WithinYear as usize] + u[DobLevel::YearMonth as usize];
        assert!(within > 0.7, "{u:?}");
        assert!(u[DobLevel::Different as usize] < 0.05, "{u:?}");
        assert_eq!(
            u[DobLevel::Exact as usize],
            table()[0],
            "exact keeps the table's u"
        );
        let sum: f64 = u.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9, "{sum}");
    }

    #[test]
    fn a_tiny_force_stays_near_the_table() {
        let d = NaiveDate::from_ymd_opt(1980, 5, 5).unwrap();
        let people = vec![rec(d), rec(d + chrono::Days::new(40))];
        let records = vec![rec(d + chrono::Days::new(3))];
        let u = estimate_u(&people, &records, &table());
        for (l, (a, b)) in u.iter().zip(table()).enumerate() {
            assert!((a - b).abs() < 0.001, "level {l}: {a} against {b}");
        }
    }

    #[test]
    fn record_order_does_not_change_u() {
        let start = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap();
        let people: Vec<Rec> = (0..1_000)
            .map(|i| rec(start + chrono::Days::new((i * 37) % 9_000)))
            .collect();
        let records: Vec<Rec> = (0..500)
            .map(|i| rec(start + chrono::Days::new((i * 53) % 9_000)))
            .collect();
        let reversed: Vec<Rec> = records.iter().rev().cloned().collect();
        assert_eq!(
            estimate_u(&people, &records, &table()),
            estimate_u(&people, &reversed, &table())
        );
    }

    #[test]
    fn the_same_dates_give_the_same_u() {
        let start = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap();
        let people: Vec<Rec> = (0..1_000)
            .map(|i| rec(start + chrono::Days::new(i * 13)))
            .collect();
        let records = people.clone();
        assert_eq!(
            estimate_u(&people, &records, &table()),
            estimate_u(&people, &records, &table())
        );
    }
}
