//! Demand: the unit's work in the coming 12 months, per case type, in cases, hours
//! (`casework.hours_per_case`) and full-time staff (hours over `casework.hours_per_fte_year`),
//! and the month the backlog clears at tonight's throughput.
//!
//! - Renewals come from the renewal forecast (`analyse::forecast`): those overdue now and
//!   those falling due in the coming 12 months (the forecast's first 12 months, fewer when
//!   `report.forecast_months` is shorter), under the current periods and under the
//!   what-if. An open renewal case is one of those renewals, so it is shown, not added.
//! - A case type the recruitment plan names (and recruits whenever a plan is read) comes
//!   from the plan's months in the coming 12 months, plus the type's open cases; recruits
//!   with no plan read are not read.
//! - Every other case type (upgrades, transferees, ...) is its open cases plus as many
//!   again as arrived in the last 12 months (records with an application_date in the
//!   window): its monthly rate, carried forward.
//!
//! The backlog clears when the open cases tonight are worked off by the monthly decisions
//! of the last 12 months less the monthly incoming demand (renewals falling due, the plan,
//! the other types' arrivals; recruits at their arrival rate when no plan was read):
//! `ceil(open / (decisions - incoming))` months after the as-of month, or never when
//! decisions do not exceed the incoming demand. Computed in whole numbers (every rate
//! scaled by 12 and the forecast's months), so equal rates are never a rounding away from
//! clearing.

use super::backlog::Backlog;
use super::throughput::Throughput;
use super::{case_type, Figure, Given, NotRead, MONTHS, NOT_RECORDED, RECRUIT, RENEWAL};
use chrono::{Datelike, Months, NaiveDate};

/// Where a row's incoming cases come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The renewal forecast under the current periods.
    Forecast,
    /// The renewal forecast under the what-if (`MV 5y, RV 5y`).
    WhatIf(String),
    /// The recruitment plan.
    Plan,
    /// The type's arrivals in the last 12 months, carried forward.
    LastYear,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemandRow {
    pub case_type: String,
    pub source: Source,
    /// Open cases of the type tonight. Not added to `cases` for a renewal row (an open
    /// renewal is one of the forecast's).
    pub open_now: Figure<usize>,
    /// Renewal rows: renewals overdue now.
    pub overdue: Option<u64>,
    /// New cases in the coming 12 months.
    pub incoming: Figure<u64>,
    /// `LastYear` rows: arrivals per month over the last 12 months.
    pub monthly_rate: Option<f64>,
    /// The cases to work in the coming 12 months.
    pub cases: Figure<u64>,
    /// None when `casework.hours_per_case` names no hours for the type.
    pub hours_per_case: Option<f64>,
}

impl DemandRow {
    pub fn hours(&self) -> Option<f64> {
        Some(*self.cases.as_ref().ok()? as f64 * self.hours_per_case?)
    }

    /// Full-time staff for the 12 months.
    pub fn fte(&self, hours_per_fte_year: f64) -> Option<f64> {
        Some(self.hours()? / hours_per_fte_year)
    }
}

/// The rows' sum: of every row read with hours; `complete` says whether that is all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Total {
    pub cases: u64,
    pub hours: f64,
    pub fte: f64,
    pub complete: bool,
}

/// When the backlog clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clears {
    /// No open cases tonight.
    NoBacklog,
    /// In `months` months: the first day of the month it clears.
    In { months: u64, month: NaiveDate },
    /// Decisions do not exceed the incoming demand.
    Never,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Clearing {
    pub backlog: usize,
    pub monthly_decisions: f64,
    pub monthly_incoming: f64,
    pub clears: Clears,
    /// No plan was read, so recruits count at their arrival rate.
    pub recruits_at_rate: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// The forecast months the renewal rows cover (12, or fewer with a shorter forecast).
    pub renewal_months: usize,
    /// Renewals (current periods), recruits, then the policy's other case types in its
    /// order, then `(not recorded)` when an open case or an arrival has no type.
    pub rows: Vec<DemandRow>,
    /// Renewals under the what-if, in place of the first row.
    pub what_if: Option<DemandRow>,
    pub hours_per_fte_year: f64,
    pub clearing: Figure<Clearing>,
}

impl Demand {
    fn sum<'a>(&self, rows: impl Iterator<Item = &'a DemandRow>) -> Total {
        let mut t = Total {
            cases: 0,
            hours: 0.0,
            fte: 0.0,
            complete: true,
        };
        for r in rows {
            match (&r.cases, r.hours()) {
                (Ok(c), Some(h)) => {
                    t.cases += c;
                    t.hours += h;
                }
                _ => t.complete = false,
            }
        }
        t.fte = t.hours / self.hours_per_fte_year;
        t
    }

    pub fn total(&self) -> Total {
        self.sum(self.rows.iter())
    }

    /// The total with the what-if's renewals in place of the current periods'.
    pub fn total_what_if(&self) -> Option<Total> {
        let w = self.what_if.as_ref()?;
        Some(self.sum(std::iter::once(w).chain(self.rows.iter().skip(1))))
    }
}

/// Records of case type `t` with an application date in the last 12 months.
fn arrivals(g: &Given<'_>, t: &str) -> u64 {
    let w = g.window();
    g.records()
        .filter(|(_, v)| case_type(v) == t)
        .filter(|(_, v)| {
            (v.casework.as_deref())
                .and_then(|c| c.application_date)
                .is_some_and(|d| w.contains(d))
        })
        .count() as u64
}

/// The plan's intake of case type `t` in the coming 12 months: None when no plan was
/// read, or (for a type other than recruits) when the plan names none of it.
fn planned(g: &Given<'_>, t: &str) -> Option<u64> {
    let plan = g.plan?;
    let from = g.as_of().with_day(1)?;
    let to = from.checked_add_months(Months::new(MONTHS))?;
    let rows: Vec<u64> = (plan.iter())
        .filter(|p| &*p.case_type == t && from <= p.month && p.month < to)
        .map(|p| u64::from(p.expected))
        .collect();
    let named = plan.iter().any(|p| &*p.case_type == t);
    (t == RECRUIT || named).then(|| rows.iter().sum())
}

fn renewal_row(
    g: &Given<'_>,
    open: Figure<usize>,
    source: Source,
    s: &crate::analyse::forecast::ForecastScenario,
    months: usize,
) -> DemandRow {
    let overdue: u64 = s.overdue.values().map(|n| u64::from(*n)).sum();
    let due: u64 = (0..months).map(|i| u64::from(s.month_total(i))).sum();
    DemandRow {
        case_type: RENEWAL.to_string(),
        source,
        open_now: open,
        overdue: Some(overdue),
        incoming: Ok(due),
        monthly_rate: None,
        cases: Ok(overdue + due),
        hours_per_case: g.casework.hours_per_case.get(RENEWAL).copied(),
    }
}

pub fn demand(g: &Given<'_>, backlog: &Backlog, throughput: &Throughput) -> Demand {
    let f = g.forecast;
    let renewal_months = f.months.len().min(MONTHS as usize);
    let by_type = backlog.by_case_type.as_ref().map_err(Clone::clone);
    let open = |t: &str| -> Figure<usize> {
        by_type
            .clone()
            .map(|rows| rows.iter().find(|r| r.group == t).map_or(0, |r| r.total()))
    };
    let rates = g.need(&["case_type", "application_date"]);
    let mut rows = vec![renewal_row(
        g,
        open(RENEWAL),
        Source::Forecast,
        &f.baseline,
        renewal_months,
    )];
    let what_if = (f.what_if.as_ref()).map(|(d, s)| {
        renewal_row(
            g,
            open(RENEWAL),
            Source::WhatIf(d.clone()),
            s,
            renewal_months,
        )
    });
    let mut types: Vec<String> = vec![RECRUIT.to_string()];
    types.extend(
        (g.case_types().into_iter()).filter(|t| t.as_str() != RECRUIT && t.as_str() != RENEWAL),
    );
    let untyped =
        open(NOT_RECORDED).is_ok_and(|n| n > 0) || (rates.is_ok() && arrivals(g, NOT_RECORDED) > 0);
    if untyped {
        types.push(NOT_RECORDED.to_string());
    }
    for t in types {
        let (source, incoming, rate) = match planned(g, &t) {
            Some(n) => (Source::Plan, Ok(n), None),
            None if t == RECRUIT => (Source::Plan, Err(NotRead::NoPlan), None),
            None => {
                let n = rates.clone().map(|_| arrivals(g, &t));
                let rate = n.as_ref().ok().map(|n| *n as f64 / f64::from(MONTHS));
                (Source::LastYear, n, rate)
            }
        };
        let open_now = open(&t);
        let cases = match (&open_now, &incoming) {
            (Ok(o), Ok(i)) => Ok(*o as u64 + i),
            (Err(e), _) | (_, Err(e)) => Err(e.clone()),
        };
        rows.push(DemandRow {
            hours_per_case: g.casework.hours_per_case.get(t.as_str()).copied(),
            case_type: t,
            source,
            open_now,
            overdue: None,
            incoming,
            monthly_rate: rate,
            cases,
        });
    }
    let clearing = rates.map(|_| clearing(g, backlog, throughput, &rows, renewal_months));
    Demand {
        renewal_months,
        rows,
        what_if,
        hours_per_fte_year: g.casework.hours_per_fte_year,
        clearing,
    }
}

/// When the backlog clears (see the module doc). `rows` are the demand rows, renewals first.
fn clearing(
    g: &Given<'_>,
    backlog: &Backlog,
    throughput: &Throughput,
    rows: &[DemandRow],
    renewal_months: usize,
) -> Clearing {
    let rm = renewal_months.max(1) as u64;
    let year = u64::from(MONTHS);
    let mut renewals_due = 0;
    let mut others = 0;
    let mut recruits_at_rate = false;
    for r in rows {
        match (&r.source, &r.incoming) {
            (Source::Forecast, Ok(n)) => renewals_due += n,
            (_, Ok(n)) => others += n,
            (_, Err(NotRead::NoPlan)) => {
                recruits_at_rate = true;
                others += arrivals(g, &r.case_type);
            }
            (_, Err(_)) => {}
        }
    }
    // Every rate per month, times 12 * rm: decisions / 12, renewals due / rm, others / 12.
    let scale = (year * rm) as f64;
    let out = throughput.total as u64 * rm;
    let incoming = renewals_due * year + others * rm;
    let open = backlog.total() as u64;
    let clears = if open == 0 {
        Clears::NoBacklog
    } else if out <= incoming {
        Clears::Never
    } else {
        let months = (open * year * rm).div_ceil(out - incoming);
        let month = (g.as_of().with_day(1))
            .and_then(|m| m.checked_add_months(Months::new(u32::try_from(months).ok()?)));
        match month {
            Some(month) => Clears::In { months, month },
            None => Clears::Never,
        }
    };
    Clearing {
        backlog: backlog.total(),
        monthly_decisions: out as f64 / scale,
        monthly_incoming: incoming as f64 / scale,
        clears,
        recruits_at_rate,
    }
}
