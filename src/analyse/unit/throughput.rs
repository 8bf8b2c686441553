//! Throughput and timeliness: the unit's decisions (granted, refused or withdrawn, with a
//! decision date) in the last 12 months up to the as-of date, per calendar month and case
//! type, and the days each took from application_date to decision_date: the median and
//! the 90th percentile, by case type and overall.
//!
//! The window is `Window::ending(as_of, 12)`, so its first and last calendar months are
//! part months (each row says which days it covers) and the rows add up to the window.

use super::{case_type, decided_on, percentile, Figure, Given, NOT_RECORDED};
use crate::analyse::Window;
use chrono::{Datelike, Months, NaiveDate};

/// The row that covers every case type.
pub const ALL: &str = "all";

/// Decisions in one calendar month of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthRow {
    /// The month's first day.
    pub month: NaiveDate,
    /// The days of the month inside the window, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: usize,
    /// Per case type, in `Throughput::case_types` order (empty when case_type not read).
    pub by_type: Vec<usize>,
}

/// Days from application to decision of one group's decisions.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeliness {
    pub group: String,
    pub decisions: usize,
    /// Of them, with an application date.
    pub with_dates: usize,
    /// None when no decision of the group has an application date.
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Throughput {
    pub window: Window,
    /// The policy's case types, then `(not recorded)` when a decision has none.
    pub case_types: Figure<Vec<String>>,
    /// Every calendar month the window touches, oldest first.
    pub months: Vec<MonthRow>,
    /// Decisions in the window.
    pub total: usize,
    /// Per case type (when read, each of `case_types`), then `all`.
    pub timeliness: Figure<Vec<Timeliness>>,
}

impl Throughput {
    /// Decisions in the window of case type `t`.
    pub fn of_type(&self, t: &str) -> usize {
        let Ok(types) = &self.case_types else {
            return 0;
        };
        let Some(i) = types.iter().position(|x| x == t) else {
            return 0;
        };
        self.months.iter().filter_map(|m| m.by_type.get(i)).sum()
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Every calendar month from `w.from`'s to `w.to`'s, with the days of each inside `w`.
fn months_of(w: Window) -> Vec<(NaiveDate, NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut m = first_of_month(w.from);
    while m <= w.to {
        let next = m.checked_add_months(Months::new(1));
        let last = next.and_then(|n| n.pred_opt()).unwrap_or(w.to);
        out.push((m, m.max(w.from), last.min(w.to)));
        match next {
            Some(n) => m = n,
            None => break,
        }
    }
    out
}

fn timeliness_of(group: &str, mut days: Vec<i64>, decisions: usize) -> Timeliness {
    days.sort_unstable();
    Timeliness {
        group: group.to_string(),
        decisions,
        with_dates: days.len(),
        median_days: percentile(&days, 0.5),
        p90_days: percentile(&days, 0.9),
    }
}

pub fn throughput(g: &Given<'_>) -> Throughput {
    let window = g.window();
    let typed = g.need(&["case_type"]);
    // The decisions in the window: (date, case type, days from application).
    let decisions: Vec<(NaiveDate, &str, Option<i64>)> = g
        .records()
        .filter_map(|(_, v)| {
            let d = decided_on(v).filter(|d| window.contains(*d))?;
            let applied = v.casework.as_deref().and_then(|c| c.application_date);
            Some((d, case_type(v), applied.map(|a| (d - a).num_days().max(0))))
        })
        .collect();
    let case_types = typed.clone().map(|_| {
        let mut types = g.case_types();
        if decisions.iter().any(|(_, t, _)| *t == NOT_RECORDED) {
            types.push(NOT_RECORDED.to_string());
        }
        types
    });
    let types: &[String] = case_types.as_deref().unwrap_or(&[]);
    let months = months_of(window)
        .into_iter()
        .map(|(month, from, to)| {
            let inside: Vec<&str> = (decisions.iter())
                .filter(|(d, _, _)| from <= *d && *d <= to)
                .map(|(_, t, _)| *t)
                .collect();
            MonthRow {
                month,
                from,
                to,
                total: inside.len(),
                by_type: types
                    .iter()
                    .map(|t| inside.iter().filter(|x| **x == t.as_str()).count())
                    .collect(),
            }
        })
        .collect();
    let timeliness = g.need(&["application_date"]).map(|_| {
        let days = |t: Option<&str>| -> (Vec<i64>, usize) {
            let of: Vec<&(NaiveDate, &str, Option<i64>)> = (decisions.iter())
                .filter(|(_, x, _)| t.is_none_or(|t| *x == t))
                .collect();
            (of.iter().filter_map(|(_, _, d)| *d).collect(), of.len())
        };
        let mut rows: Vec<Timeliness> = types
            .iter()
            .map(|t| {
                let (d, n) = days(Some(t));
                timeliness_of(t, d, n)
            })
            .collect();
        let (d, n) = days(None);
        rows.push(timeliness_of(ALL, d, n));
        rows
    });
    Throughput {
        window,
        case_types,
        months,
        total: decisions.len(),
        timeliness,
    }
}
