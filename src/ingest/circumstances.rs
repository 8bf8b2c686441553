//! circumstances.csv: changes of personal circumstances that people have notified (a new
//! partner, a name change, significant debts, a notifiable association).

use super::table::{self, req, Column, Parsed};
use super::{KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::{ChangeType, Circumstance};
use std::collections::BTreeMap;

/// Columns of circumstances.csv (docs/input.md).
pub const COLUMNS: &[Column] = &[
    req("notice_ref"),
    req("employee_id"),
    req("change_type"),
    req("notified_date"),
];

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<Circumstance>, InputError> {
    let mut keys = KeySet::new("notice_ref", file);
    table::read(file, &ctx.policy.dialect, COLUMNS, aliases, |row| {
        let notice_ref = row.required_id("notice_ref")?;
        let employee_id = row.required_id("employee_id")?;
        let change_type = row.required_as(
            "change_type",
            ChangeType::parse,
            &format!("unknown change type ({})", ChangeType::names()),
        )?;
        let notified_date = ctx.required_past_date(row, "notified_date")?;
        keys.check(row, &notice_ref)?;
        Ok(Circumstance {
            notice_ref,
            employee_id,
            change_type,
            notified_date,
            line: row.line,
        })
    })
}
