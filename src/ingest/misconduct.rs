//! misconduct.csv: misconduct outcomes from Professional Standards. A written warning, a
//! final written warning or a reduction in rank calls for a vetting review.

use super::table::{self, req, Column, Parsed};
use super::{KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::{Misconduct, Outcome};
use std::collections::BTreeMap;

/// Columns of misconduct.csv (docs/input.md).
pub const COLUMNS: &[Column] = &[
    req("outcome_ref"),
    req("employee_id"),
    req("outcome"),
    req("outcome_date"),
];

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<Misconduct>, InputError> {
    let mut keys = KeySet::new("outcome_ref", file);
    table::read(file, &ctx.policy.dialect, COLUMNS, aliases, |row| {
        let outcome_ref = row.required_id("outcome_ref")?;
        let employee_id = row.required_id("employee_id")?;
        let outcome = row.required_as(
            "outcome",
            Outcome::parse,
            &format!("unknown outcome ({})", Outcome::names()),
        )?;
        let outcome_date = ctx.required_past_date(row, "outcome_date")?;
        keys.check(row, &outcome_ref)?;
        Ok(Misconduct {
            outcome_ref,
            employee_id,
            outcome,
            outcome_date,
            line: row.line,
        })
    })
}
