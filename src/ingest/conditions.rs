//! conditions.csv: the risk-mitigation conditions attached to clearances, one row a
//! condition. Optional: without it the CONDITION_ codes are not checked and every figure
//! built on them says so.
//!
//! Types and owning units are read against `[prevention]`; a value off the list is a reject
//! naming the line and column. A blank owner is kept as "no owner" (CONDITION_NO_OWNER),
//! never dropped.

use super::table::{self, opt, req, Column, Parsed};
use super::{KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::prevention::{Condition, PreventionPolicy, Restricts, POSTING_RESTRICTION};
use std::collections::BTreeMap;

/// Columns of conditions.csv (docs/input.md).
pub const COLUMNS: &[Column] = &[
    req("condition_ref"),
    req("vetting_ref"),
    req("type"),
    opt("owner_unit"),
    opt("review_every"),
    opt("last_checked"),
    opt("restricts"),
];

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<Condition>, InputError> {
    let mut keys = KeySet::new("condition_ref", file);
    let policy = &ctx.policy.prevention;
    table::read(file, &ctx.policy.dialect, COLUMNS, aliases, |row| {
        let condition_ref = row.required_id("condition_ref")?;
        let vetting_ref = row.required_id("vetting_ref")?;
        let raw_type = row.required("type")?;
        let kind = PreventionPolicy::code_in(&policy.condition_types, "type", raw_type)
            .map_err(|e| row.reject("type", raw_type, &e))?
            .clone();
        let owner_unit = row
            .get("owner_unit")?
            .map(|v| {
                PreventionPolicy::code_in(&policy.owner_units, "owner_unit", v)
                    .cloned()
                    .map_err(|e| row.reject("owner_unit", v, &e))
            })
            .transpose()?;
        let review_every = ctx.optional_period(row, "review_every")?;
        let last_checked = ctx.optional_past_date(row, "last_checked")?;
        let restricts = row.get("restricts")?.and_then(Restricts::parse);
        if &*kind == POSTING_RESTRICTION && restricts.is_none() {
            return Err(row.reject(
                "restricts",
                "",
                "a posting restriction must say what it restricts (vulnerable_contact, designated or a department)",
            ));
        }
        keys.check(row, &condition_ref)?;
        Ok(Condition {
            condition_ref,
            vetting_ref,
            kind,
            owner_unit,
            review_every,
            last_checked,
            restricts,
            line: row.line,
        })
    })
}
