//! postings.csv: the postings HR has planned, before they start. Optional: without it
//! POSTING_NOT_CLEARED is not checked and every figure built on it says so.

use super::table::{self, req, Column, Parsed};
use super::{KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::prevention::Posting;
use std::collections::BTreeMap;

/// Columns of postings.csv (docs/input.md).
pub const COLUMNS: &[Column] = &[
    req("posting_ref"),
    req("employee_id"),
    req("post_id"),
    req("start_date"),
];

/// A start date further ahead than this many years is a keying error, not a posting.
const MOST_YEARS_AHEAD: u32 = 5;

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<Posting>, InputError> {
    let mut keys = KeySet::new("posting_ref", file);
    let furthest = ctx
        .as_of
        .checked_add_months(chrono::Months::new(12 * MOST_YEARS_AHEAD))
        .unwrap_or(chrono::NaiveDate::MAX);
    table::read(file, &ctx.policy.dialect, COLUMNS, aliases, |row| {
        let posting_ref = row.required_id("posting_ref")?;
        let employee_id = row.required_id("employee_id")?;
        let post_id = row.required_id("post_id")?;
        let start_date = ctx.required_date(row, "start_date")?;
        if start_date > furthest {
            return Err(row.reject(
                "start_date",
                row.get("start_date")?.unwrap_or(""),
                &format!(
                    "start_date is more than {MOST_YEARS_AHEAD} years after the as-of date {}",
                    ctx.as_of
                ),
            ));
        }
        keys.check(row, &posting_ref)?;
        Ok(Posting {
            posting_ref,
            employee_id,
            post_id,
            start_date,
            line: row.line,
        })
    })
}
