//! Appeals: every appeal the export records (appeal_status other than `none`), by where it
//! stands (still lodged, upheld, dismissed, withdrawn), by level and by case type, and the
//! median days from appeal_date to appeal_outcome_date of those with both dates.

use super::{case_type, percentile, Figure, Given, NotRead, NOT_RECORDED};
use crate::model::casework::AppealStatus;

/// Where an appeal stands, in column order.
pub const STATUSES: [AppealStatus; 4] = [
    AppealStatus::Lodged,
    AppealStatus::Upheld,
    AppealStatus::Dismissed,
    AppealStatus::Withdrawn,
];

/// The row that covers every appeal.
pub const ALL: &str = "all";

#[derive(Debug, Clone, PartialEq)]
pub struct AppealRow {
    pub group: String,
    /// Per `STATUSES`.
    pub by_status: [usize; 4],
    /// Appeals with both an appeal date and an outcome date.
    pub timed: usize,
    /// Their median days from appeal to outcome (None when none has both dates).
    pub median_days: Option<f64>,
}

impl AppealRow {
    pub fn appeals(&self) -> usize {
        self.by_status.iter().sum()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Appeals {
    pub total: AppealRow,
    /// Levels with an appeal, in the level table's order.
    pub by_level: Vec<AppealRow>,
    /// Case types with an appeal, in the policy's order, then `(not recorded)`.
    pub by_case_type: Figure<Vec<AppealRow>>,
    /// Not read without appeal_date or appeal_outcome_date: no `median_days` then.
    pub days: Result<(), NotRead>,
}

/// One appeal: its group keys, status and days.
struct Appeal<'a> {
    level: &'a str,
    case_type: &'a str,
    status: AppealStatus,
    days: Option<i64>,
}

fn row(group: &str, appeals: &[&Appeal<'_>]) -> AppealRow {
    let mut by_status = [0; 4];
    for a in appeals {
        if let Some(i) = STATUSES.iter().position(|s| *s == a.status) {
            if let Some(n) = by_status.get_mut(i) {
                *n += 1;
            }
        }
    }
    let mut days: Vec<i64> = appeals.iter().filter_map(|a| a.days).collect();
    days.sort_unstable();
    AppealRow {
        group: group.to_string(),
        by_status,
        timed: days.len(),
        median_days: percentile(&days, 0.5),
    }
}

fn rows_by<'a>(
    groups: &[String],
    all: &[Appeal<'a>],
    key: impl Fn(&Appeal<'a>) -> &'a str,
) -> Vec<AppealRow> {
    groups
        .iter()
        .filter_map(|g| {
            let of: Vec<&Appeal<'_>> = all.iter().filter(|a| key(a) == g.as_str()).collect();
            (!of.is_empty()).then(|| row(g, &of))
        })
        .collect()
}

pub fn appeals(g: &Given<'_>) -> Figure<Appeals> {
    g.need(&["appeal_status"])?;
    let days = g.need(&["appeal_date", "appeal_outcome_date"]);
    let levels = g.facts.levels;
    let all: Vec<Appeal<'_>> = g
        .records()
        .filter_map(|(_, v)| {
            let c = v.casework.as_deref()?;
            let status = c.appeal_status.filter(|s| s.lodged())?;
            let days = match (c.appeal_date, c.appeal_outcome_date) {
                (Some(a), Some(o)) => Some((o - a).num_days().max(0)),
                _ => None,
            };
            Some(Appeal {
                level: levels.name(v.level),
                case_type: case_type(v),
                status,
                days,
            })
        })
        .collect();
    let level_names: Vec<String> = levels.all().map(|l| levels.name(l).to_string()).collect();
    let mut types = g.case_types();
    types.push(NOT_RECORDED.to_string());
    Ok(Appeals {
        total: row(ALL, &all.iter().collect::<Vec<_>>()),
        by_level: rows_by(&level_names, &all, |a| a.level),
        by_case_type: g
            .need(&["case_type"])
            .map(|_| rows_by(&types, &all, |a| a.case_type)),
        days,
    })
}
