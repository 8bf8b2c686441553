//! recruitment_plan.csv: the intake the force has planned, by month and case type. Optional:
//! without it the unit's demand counts renewals, upgrades and transferees from the export
//! and says the planned intake was not read.

use super::table::{self, req, Column, Parsed};
use super::{KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::casework::{CaseworkPolicy, PlannedIntake};
use std::collections::BTreeMap;

/// Columns of recruitment_plan.csv (docs/input.md).
pub const COLUMNS: &[Column] = &[req("month"), req("case_type"), req("expected")];

/// The most cases one month of one type may plan: past any force's intake, a keying error.
const MOST_EXPECTED: u32 = 100_000;

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<PlannedIntake>, InputError> {
    let mut keys = KeySet::new("month", file);
    let casework = &ctx.policy.casework;
    table::read(file, &ctx.policy.dialect, COLUMNS, aliases, |row| {
        let raw_month = row.required("month")?;
        let month = read_month(raw_month)
            .ok_or_else(|| row.reject("month", raw_month, "month is not a month (YYYY-MM)"))?;
        let raw_type = row.required("case_type")?;
        let case_type = CaseworkPolicy::code_in(&casework.case_types, "case_type", raw_type)
            .map_err(|e| row.reject("case_type", raw_type, &e))?
            .clone();
        let raw_n = row.required("expected")?;
        let expected = raw_n
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= MOST_EXPECTED)
            .ok_or_else(|| {
                row.reject(
                    "expected",
                    raw_n,
                    &format!("expected is not a whole number of cases from 0 to {MOST_EXPECTED}"),
                )
            })?;
        // One row per month and case type: a second would count the intake twice.
        keys.check_at(
            row.role(),
            row.line,
            &format!("{} {case_type}", month.format("%Y-%m")),
        )?;
        Ok(PlannedIntake {
            month,
            case_type,
            expected,
            line: row.line,
        })
    })
}

/// `2027-03` (or `2027-03-01`, any day of the month) as the month's first day.
fn read_month(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    let first =
        |y: &str, m: &str| chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1);
    let mut parts = s.split('-');
    let (y, m) = (parts.next()?, parts.next()?);
    if y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    match parts.next() {
        None => first(y, m),
        Some(d) if parts.next().is_none() => {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
            let _ = d;
            first(y, m)
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::read_month;

    #[test]
    fn a_plan_month_is_a_year_and_a_month_and_nothing_looser() {
        let d = |y, m| chrono::NaiveDate::from_ymd_opt(y, m, 1);
        assert_eq!(read_month("2027-03"), d(2027, 3));
        assert_eq!(read_month(" 2027-3 "), d(2027, 3));
        assert_eq!(read_month("2027-03-17"), d(2027, 3));
        for bad in [
            "2027",
            "27-03",
            "2027-13",
            "2027-03-32",
            "March 2027",
            "2027-03-01-01",
            "",
        ] {
            assert_eq!(read_month(bad), None, "{bad}");
        }
    }
}
