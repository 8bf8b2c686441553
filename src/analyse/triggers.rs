//! Open review triggers by age: how long each PND return, misconduct outcome or change of
//! circumstances has waited for a vetting review beyond the grace period. The exceptions
//! carry the events; this groups them so a manager sees what is getting old.

use crate::assess::{Code, Exception};

/// The trigger codes, in report order.
pub const CODES: [Code; 3] = [
    Code::PndUnreviewed,
    Code::MisconductReviewDue,
    Code::CircumstancesReviewDue,
];

/// Age bands in days past the grace period: (label, first day, last day).
pub const BANDS: [(&str, i64, i64); 4] = [
    ("1-30", 1, 30),
    ("31-90", 31, 90),
    ("91-180", 91, 180),
    ("over 180", 181, i64::MAX),
];

/// The band of a number of days overdue.
pub fn band(days_overdue: i64) -> &'static str {
    BANDS
        .iter()
        .find(|(_, lo, hi)| (*lo..=*hi).contains(&days_overdue))
        .map_or(BANDS[0].0, |b| b.0)
}

/// The open triggers, oldest first (then by code and reference, so the order is total).
pub fn open(exceptions: &[Exception]) -> Vec<&Exception> {
    let mut v: Vec<&Exception> = exceptions
        .iter()
        .filter(|e| CODES.contains(&e.code))
        .collect();
    v.sort_by(|a, b| {
        (b.days_out, a.code, &a.vetting_ref).cmp(&(a.days_out, b.code, &b.vetting_ref))
    });
    v
}

/// How many open triggers of `code` fall in the band `label`.
pub fn count(open: &[&Exception], code: Code, label: &str) -> usize {
    open.iter()
        .filter(|e| e.code == code && band(e.days_out) == label)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_every_day_overdue_once() {
        assert_eq!(band(1), "1-30");
        assert_eq!(band(30), "1-30");
        assert_eq!(band(31), "31-90");
        assert_eq!(band(90), "31-90");
        assert_eq!(band(91), "91-180");
        assert_eq!(band(180), "91-180");
        assert_eq!(band(181), "over 180");
        assert_eq!(band(5000), "over 180");
    }
}
