//! How fresh each input is, told by its own content: the newest date its accepted rows
//! carry, on or before the as-of date: the nearest the data gives to the date it was
//! extracted.
//!
//! No input contract carries an extraction date, and a file's modification time must not
//! reach an output: a copied file would give the same data a different page, and the same
//! inputs must give byte-identical outputs. The newest date a file's rows carry is a
//! property of its content, so it is the same wherever the file was read from (replay reads
//! the stored bytes). The modification time is kept in the run record and the log instead.
//!
//! Per file the dates that say most about how recent the export is: for the roster the
//! post start and leaving dates, for the vetting export the decision and last review dates
//! (expiry dates are in the future by nature, dates of birth say nothing), for each trigger
//! feed its event date. The post register carries no dates. Dates after the as-of date (a
//! leaving date planned ahead, a mistyped year) are not counted, but counted as later.

use crate::ingest::Ingested;
use chrono::NaiveDate;

/// The newest date of one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    /// The newest date on or before the as-of date, if any row carries one.
    pub newest: Option<NaiveDate>,
    /// Dates the file carries after the as-of date, not counted in `newest`.
    pub later: usize,
    /// The columns the dates come from, in words (empty: the file carries no dates).
    pub from: &'static str,
}

impl Freshness {
    fn of(dates: impl Iterator<Item = NaiveDate>, as_of: NaiveDate, from: &'static str) -> Self {
        let mut f = Freshness {
            newest: None,
            later: 0,
            from,
        };
        for d in dates {
            if d > as_of {
                f.later += 1;
            } else if f.newest.is_none_or(|n| d > n) {
                f.newest = Some(d);
            }
        }
        f
    }

    /// What the page says beside the date: where it comes from, and the dates left out.
    pub fn note(&self) -> String {
        if self.from.is_empty() {
            return "the post register carries no dates".into();
        }
        let mut s = match self.newest {
            Some(_) => format!("latest {}", self.from),
            None => format!("no {} on or before the as-of date", self.from),
        };
        if self.later > 0 {
            s.push_str(&format!(
                "; {} after the as-of date not counted",
                if self.later == 1 {
                    "1 date".to_string()
                } else {
                    format!("{} dates", self.later)
                }
            ));
        }
        s
    }
}

/// The freshness of the input in `role` (`roster`, `posts`, `vetting` or a trigger feed),
/// from its accepted rows; None for a role this night did not read.
pub fn of(role: &str, data: &Ingested, as_of: NaiveDate) -> Option<Freshness> {
    let t = &data.triggers;
    Some(match role {
        "roster" => Freshness::of(
            data.persons
                .iter()
                .flat_map(|p| [p.post_start_date, p.leaving_date])
                .flatten(),
            as_of,
            "post start or leaving date",
        ),
        "posts" => Freshness::of(std::iter::empty(), as_of, ""),
        "vetting" => Freshness::of(
            data.vetting
                .iter()
                .flat_map(|v| [v.decision_date, v.last_review_date])
                .flatten(),
            as_of,
            "decision or review date",
        ),
        "pnd_returns" if t.has(role) => {
            Freshness::of(t.pnd.iter().map(|r| r.record_date), as_of, "record date")
        }
        "misconduct" if t.has(role) => Freshness::of(
            t.misconduct.iter().map(|r| r.outcome_date),
            as_of,
            "outcome date",
        ),
        "circumstances" if t.has(role) => Freshness::of(
            t.circumstances.iter().map(|r| r.notified_date),
            as_of,
            "notified date",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_newest_date_on_or_before_the_as_of_date_counts_and_later_ones_are_told() {
        let as_of = d("2026-11-24");
        let dates = [
            "2026-01-02",
            "2026-11-24",
            "2027-03-01",
            "2025-12-31",
            "2030-01-01",
        ];
        let f = Freshness::of(dates.iter().map(|s| d(s)), as_of, "decision or review date");
        assert_eq!(f.newest, Some(as_of));
        assert_eq!(f.later, 2);
        assert_eq!(
            f.note(),
            "latest decision or review date; 2 dates after the as-of date not counted"
        );
        let none = Freshness::of([d("2027-01-01")].into_iter(), as_of, "record date");
        assert_eq!(none.newest, None);
        assert_eq!(
            none.note(),
            "no record date on or before the as-of date; 1 date after the as-of date not counted"
        );
        let posts = Freshness::of(std::iter::empty(), as_of, "");
        assert_eq!(posts.note(), "the post register carries no dates");
    }
}
