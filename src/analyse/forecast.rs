//! Renewal workload forecast: how many clearances fall due each month, by level, and how
//! many more would fall due if validity periods were shorter (the what-if).
//!
//! Counted from the linked records of everyone in the workforce: for each person and each
//! ladder of levels, the clearance that will need renewing is their highest level on that
//! ladder (an RV held under an MV is never renewed on its own), latest expiry first. A
//! clearance already expired on the as-of date is overdue: counted once as backlog, then
//! assumed renewed now. Each renewal starts a new period, so a period shorter than the
//! horizon falls due again within it.
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
pub struct Scenario {
    /// Level name -> clearances already expired on the as-of date.
    pub overdue: BTreeMap<String, u32>,
    /// Level name -> clearances falling due in each month of the horizon.
    pub due: BTreeMap<String, Vec<u32>>,
}

impl Scenario {
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

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// First day of each month of the horizon; the first is the as-of date's month.
    pub months: Vec<NaiveDate>,
    /// Levels with any count in either scenario, in the level table's order.
    pub levels: Vec<String>,
    pub baseline: Scenario,
    /// The what-if, described (`MV 5y, RV 5y`), and its counts.
    pub what_if: Option<(String, Scenario)>,
}

/// The record per person and ladder whose renewal is the workload.
fn to_renew<'a>(facts: &Facts<'a>, person: usize) -> Vec<&'a VettingRecord> {
    let mut best: BTreeMap<usize, &VettingRecord> = BTreeMap::new();
    for (_, v) in facts.records_of(person) {
        if !matches!(v.status, VettingStatus::Granted | VettingStatus::Lapsed)
            || v.expiry_date.is_none()
        {
            continue;
        }
        let (ladder, rank) = facts.levels.position(v.level);
        let better = match best.get(&ladder) {
            None => true,
            Some(b) => {
                let (_, brank) = facts.levels.position(b.level);
                (rank, v.expiry_date, &b.vetting_ref) > (brank, b.expiry_date, &v.vetting_ref)
            }
        };
        if better {
            best.insert(ladder, v);
        }
    }
    best.into_values().collect()
}

fn month_index(start: NaiveDate, d: NaiveDate) -> i64 {
    (d.year() as i64 - start.year() as i64) * 12 + d.month() as i64 - start.month() as i64
}

fn scenario(
    records: &[&VettingRecord],
    levels: &Levels,
    what_if: &WhatIf,
    as_of: NaiveDate,
    start: NaiveDate,
    months: usize,
) -> Scenario {
    let mut s = Scenario::default();
    let shorter = |l: LevelId| what_if.iter().find(|(x, _)| *x == l).map(|(_, p)| *p);
    for v in records {
        let name = levels.name(v.level).to_string();
        let period = shorter(v.level).unwrap_or(levels.validity(v.level));
        let Some(mut due) = v.expiry_date else {
            continue;
        };
        if let (Some(p), Some(decided)) = (shorter(v.level), v.decision_date) {
            if let Some(d) = p.after(decided) {
                due = due.min(d);
            }
        }
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

pub fn forecast(facts: &Facts<'_>, what_if: &WhatIf, months: u32) -> Forecast {
    let as_of = facts.as_of;
    let start = as_of.with_day(1).expect("day 1 exists");
    let month_starts: Vec<NaiveDate> = (0..months)
        .filter_map(|i| start.checked_add_months(Months::new(i)))
        .collect();
    let n = month_starts.len();
    let records: Vec<&VettingRecord> = (facts.persons.iter().enumerate())
        .filter(|(_, p)| p.status.in_workforce())
        .flat_map(|(p, _)| to_renew(facts, p))
        .collect();
    let baseline = scenario(&records, facts.levels, &Vec::new(), as_of, start, n);
    let alt = (!what_if.is_empty()).then(|| {
        (
            describe(what_if, facts.levels),
            scenario(&records, facts.levels, what_if, as_of, start, n),
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
        baseline,
        what_if: alt,
    }
}

#[cfg(test)]
mod tests;
