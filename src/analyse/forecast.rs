//! Renewal workload forecast: how many clearances fall due each month, by level, and how
//! many more would fall due if validity periods were shorter (the what-if).
//!
//! Counted from the linked records of everyone in the workforce, one renewal per person: the
//! clearance that keeps them in their post. Of the granted or lapsed records whose level
//! meets what the post needs (`assess::clearance::requirement`, the same test the exceptions
//! use), the one that stays valid longest; a clearance on a ladder the post does not need is
//! never counted, and someone whose every such clearance lies below the post's level needs
//! vetting to a new level, not a renewal. A person whose every clearance meeting the post
//! has run out (expired, or lapsed) is overdue: counted once as backlog, then assumed
//! renewed now. Each renewal starts a new period, so a period shorter than the horizon falls
//! due again within it. `Overdue` splits the backlog the way the headline's codes do, so the
//! page can reconcile the two.
//!
//! Under the what-if a clearance expires at the earlier of its recorded expiry and its
//! decision date plus the shorter period, so clearances older than the new period become
//! overdue at once: the bulge a vetting unit would have to staff for.

use crate::assess::Facts;
use crate::model::{LevelId, VettingRecord, VettingStatus};
use crate::model::{Levels, Period};
use chrono::{Datelike, Months, NaiveDate};
use std::collections::BTreeMap;

/// Shorter validity periods to compare against, by level.
pub type WhatIf = Vec<(LevelId, Period)>;

/// Parse `RV=5y,MV=5y` (the `--what-if` flag) against the level table.
pub fn parse_what_if(text: &str, levels: &Levels) -> Result<WhatIf, String> {
    let pairs: Vec<(String, String)> = text
        .split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            p.split_once('=')
                .map(|(l, v)| (l.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| format!("`{p}` is not LEVEL=PERIOD (for example RV=5y)"))
        })
        .collect::<Result<_, _>>()?;
    what_if_from(&pairs, levels)
}

/// Build a what-if from (level, period) pairs (the config's `[report.what_if]` table).
pub fn what_if_from(pairs: &[(String, String)], levels: &Levels) -> Result<WhatIf, String> {
    let mut out: WhatIf = Vec::new();
    for (l, p) in pairs {
        let id = levels
            .parse(l)
            .ok_or_else(|| format!("what-if: unknown level `{l}`"))?;
        let period = Period::parse(p).map_err(|e| format!("what-if {l}: {e}"))?;
        out.retain(|(x, _)| *x != id);
        out.push((id, period));
    }
    out.sort_by_key(|(id, _)| *id);
    Ok(out)
}

/// Human form of a what-if: `MV 5y, RV 5y`.
pub fn describe(what_if: &WhatIf, levels: &Levels) -> String {
    what_if
        .iter()
        .map(|(id, p)| {
            let span = if p.months % 12 == 0 {
                format!("{}y", p.months / 12)
            } else {
                format!("{}m", p.months)
            };
            format!("{} {span}", levels.name(*id))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Counts under one set of validity periods.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ForecastScenario {
    /// Level name -> clearances already expired on the as-of date.
    pub overdue: BTreeMap<String, u32>,
    /// Level name -> clearances falling due in each month of the horizon.
    pub due: BTreeMap<String, Vec<u32>>,
}

impl ForecastScenario {
    pub fn due_in(&self, level: &str, month: usize) -> u32 {
        self.due
            .get(level)
            .and_then(|v| v.get(month))
            .copied()
            .unwrap_or(0)
    }

    pub fn overdue_of(&self, level: &str) -> u32 {
        self.overdue.get(level).copied().unwrap_or(0)
    }

    pub fn month_total(&self, month: usize) -> u32 {
        self.due.values().filter_map(|v| v.get(month)).sum()
    }

    pub fn total(&self) -> u32 {
        self.overdue.values().sum::<u32>() + self.due.values().flatten().sum::<u32>()
    }
}

/// The overdue renewals (current periods), split as the headline counts people: the page
/// sets them beside EXPIRED and INSUFFICIENT_LEVEL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Overdue {
    /// People whose every clearance meeting their post has run out.
    pub total: u32,
    /// Of them, those with no valid clearance at all: each is an EXPIRED exception.
    pub expired: u32,
    /// Of them, those holding a valid clearance that does not meet the post: each is an
    /// INSUFFICIENT_LEVEL exception.
    pub below: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// First day of each month of the horizon; the first is the as-of date's month.
    pub months: Vec<NaiveDate>,
    /// Levels with any count in either scenario, in the level table's order.
    pub levels: Vec<String>,
    pub baseline: ForecastScenario,
    /// The what-if, described (`MV 5y, RV 5y`), and its counts.
    pub what_if: Option<(String, ForecastScenario)>,
    /// The baseline's overdue renewals, split as the headline counts them.
    pub overdue: Overdue,
}

/// One person's renewal: the records that meet their post's need, any of which renewed
/// keeps them in post.
struct Renewal<'a> {
    records: Vec<&'a VettingRecord>,
    /// They hold some valid clearance (one that does not meet the post, when all of
    /// `records` have run out).
    holds_valid: bool,
}

/// The renewal that keeps `person` in their post; None when no granted or lapsed record
/// meets what the post needs.
fn to_renew<'a>(facts: &Facts<'a>, person: usize) -> Option<Renewal<'a>> {
    let need = crate::assess::clearance::requirement(facts, person).level;
    let mut holds_valid = false;
    let mut records = Vec::new();
    for (_, v) in facts.records_of(person) {
        holds_valid |= facts.is_valid(v);
        if matches!(v.status, VettingStatus::Granted | VettingStatus::Lapsed)
            && facts.levels.satisfies(v.level, need)
        {
            records.push(v);
        }
    }
    (!records.is_empty()).then_some(Renewal {
        records,
        holds_valid,
    })
}

/// When `v` falls due under `what_if`: its expiry, or its decision date plus a shorter
/// period if that is earlier; the as-of date for a record not valid on it (expired, lapsed).
fn due_of(v: &VettingRecord, what_if: &WhatIf, as_of: NaiveDate) -> NaiveDate {
    let Some(expiry) = v.expiry_date.filter(|_| v.is_valid_on(as_of)) else {
        return as_of;
    };
    let shorter = what_if.iter().find(|(x, _)| *x == v.level).map(|(_, p)| *p);
    match (shorter, v.decision_date) {
        (Some(p), Some(decided)) => p.after(decided).map_or(expiry, |d| expiry.min(d)),
        _ => expiry,
    }
}

/// The record of a renewal that falls due last (it keeps the person in post longest), with
/// its due date: the highest level first on the same date, then the reference.
fn latest_due<'a>(
    r: &Renewal<'a>,
    levels: &Levels,
    what_if: &WhatIf,
    as_of: NaiveDate,
) -> Option<(&'a VettingRecord, NaiveDate)> {
    r.records
        .iter()
        .map(|v| (*v, due_of(v, what_if, as_of)))
        .max_by(|(a, da), (b, db)| {
            let rank = |v: &VettingRecord| levels.position(v.level).1;
            (da, rank(a), &b.vetting_ref).cmp(&(db, rank(b), &a.vetting_ref))
        })
}

fn month_index(start: NaiveDate, d: NaiveDate) -> i64 {
    (d.year() as i64 - start.year() as i64) * 12 + d.month() as i64 - start.month() as i64
}

fn scenario(
    renewals: &[Renewal<'_>],
    levels: &Levels,
    what_if: &WhatIf,
    as_of: NaiveDate,
    start: NaiveDate,
    months: usize,
) -> ForecastScenario {
    let mut s = ForecastScenario::default();
    let shorter = |l: LevelId| what_if.iter().find(|(x, _)| *x == l).map(|(_, p)| *p);
    for r in renewals {
        let Some((v, mut due)) = latest_due(r, levels, what_if, as_of) else {
            continue;
        };
        let name = levels.name(v.level).to_string();
        let period = shorter(v.level).unwrap_or(levels.validity(v.level));
        if due <= as_of {
            *s.overdue.entry(name.clone()).or_default() += 1;
            match period.after(as_of) {
                Some(d) => due = d,
                None => continue,
            }
        }
        loop {
            let mi = month_index(start, due);
            if mi < 0 || mi >= months as i64 {
                break;
            }
            let by_month = s.due.entry(name.clone()).or_insert_with(|| vec![0; months]);
            if let Some(count) = by_month.get_mut(mi as usize) {
                *count += 1;
            }
            match period.after(due) {
                Some(d) if d > due => due = d,
                _ => break,
            }
        }
    }
    s
}

/// The baseline's overdue renewals, split by whether the person holds any valid clearance.
fn overdue(renewals: &[Renewal<'_>], levels: &Levels, as_of: NaiveDate) -> Overdue {
    let mut o = Overdue::default();
    for r in renewals {
        if latest_due(r, levels, &Vec::new(), as_of).is_some_and(|(_, due)| due <= as_of) {
            o.total += 1;
            if r.holds_valid {
                o.below += 1;
            } else {
                o.expired += 1;
            }
        }
    }
    o
}

pub fn forecast(facts: &Facts<'_>, what_if: &WhatIf, months: u32) -> Forecast {
    let as_of = facts.as_of;
    let start = as_of.with_day(1).expect("day 1 exists");
    let month_starts: Vec<NaiveDate> = (0..months)
        .filter_map(|i| start.checked_add_months(Months::new(i)))
        .collect();
    let n = month_starts.len();
    let renewals: Vec<Renewal<'_>> = (facts.persons.iter().enumerate())
        .filter(|(_, p)| p.status.in_workforce())
        .filter_map(|(p, _)| to_renew(facts, p))
        .collect();
    let baseline = scenario(&renewals, facts.levels, &Vec::new(), as_of, start, n);
    let alt = (!what_if.is_empty()).then(|| {
        (
            describe(what_if, facts.levels),
            scenario(&renewals, facts.levels, what_if, as_of, start, n),
        )
    });
    let levels = facts
        .levels
        .all()
        .map(|l| facts.levels.name(l).to_string())
        .filter(|name| {
            std::iter::once(&baseline)
                .chain(alt.as_ref().map(|(_, s)| s))
                .any(|s| s.overdue.contains_key(name) || s.due.contains_key(name))
        })
        .collect();
    Forecast {
        months: month_starts,
        levels,
        overdue: overdue(&renewals, facts.levels, as_of),
        baseline,
        what_if: alt,
    }
}

#[cfg(test)]
mod tests;
