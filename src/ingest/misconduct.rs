//! misconduct.csv: misconduct outcomes from Professional Standards. A written warning, a
//! final written warning or a reduction in rank calls for a vetting review. The optional
//! `breach_category` and `sanction` (read against `[integrity]`) let the sanctions given to
//! officers and staff for the same breach be compared.

use super::table::{self, opt, req, Column, Parsed};
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
    opt("breach_category"),
    opt("sanction"),
];

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<Misconduct>, InputError> {
    let mut keys = KeySet::new("outcome_ref", file);
    let integrity = &ctx.policy.integrity;
    let coded = |row: &table::InputRow<'_>, column: &str, list: &[std::sync::Arc<str>]| {
        row.get(column)?
            .map(|v| {
                crate::model::coded::find(list, v).cloned().ok_or_else(|| {
                    row.reject(
                        column,
                        v,
                        &format!("{column} is not one of {}", crate::model::coded::join(list)),
                    )
                })
            })
            .transpose()
    };
    table::read(file, &ctx.policy.dialect, COLUMNS, aliases, |row| {
        let outcome_ref = row.required_id("outcome_ref")?;
        let employee_id = row.required_id("employee_id")?;
        let outcome = row.required_as(
            "outcome",
            Outcome::parse,
            &format!("unknown outcome ({})", Outcome::names()),
        )?;
        let outcome_date = ctx.required_past_date(row, "outcome_date")?;
        let breach_category = coded(row, "breach_category", &integrity.breach_categories)?;
        let sanction = coded(row, "sanction", &integrity.sanction_scale)?;
        keys.check(row, &outcome_ref)?;
        Ok(Misconduct {
            outcome_ref,
            employee_id,
            outcome,
            outcome_date,
            breach_category,
            sanction,
            line: row.line,
        })
    })
}
