//! declarations.csv: what people declared that the force reviews (business interests,
//! notifiable associations, secondary employment), one row a declaration. Optional: without
//! it the DECLARATION_ codes are not checked and every figure built on them says so.
//!
//! Types are read against `[integrity].declaration_types`; a value off the list is a reject
//! naming the line and column. A blank decision is kept as "not yet decided", a blank
//! `last_reviewed` as "never reviewed": neither is dropped.

use super::table::{self, opt, req, Column, Parsed};
use super::{KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::integrity::{Decision, Declaration};
use std::collections::BTreeMap;

/// Columns of declarations.csv (docs/input.md).
pub const COLUMNS: &[Column] = &[
    req("declaration_ref"),
    req("employee_id"),
    req("type"),
    req("declared_date"),
    opt("review_every"),
    opt("last_reviewed"),
    opt("decision"),
];

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<Declaration>, InputError> {
    let mut keys = KeySet::new("declaration_ref", file);
    let types = &ctx.policy.integrity.declaration_types;
    table::read(file, &ctx.policy.dialect, COLUMNS, aliases, |row| {
        let declaration_ref = row.required_id("declaration_ref")?;
        let employee_id = row.required_id("employee_id")?;
        let raw_type = row.required("type")?;
        let kind = crate::model::coded::find(types, raw_type)
            .ok_or_else(|| {
                row.reject(
                    "type",
                    raw_type,
                    &format!("type is not one of {}", crate::model::coded::join(types)),
                )
            })?
            .clone();
        let declared_date = ctx.required_past_date(row, "declared_date")?;
        let review_every = ctx.optional_period(row, "review_every")?;
        let last_reviewed = ctx.optional_past_date(row, "last_reviewed")?;
        let decision = row
            .get("decision")?
            .map(|v| {
                Decision::parse(v).ok_or_else(|| {
                    row.reject(
                        "decision",
                        v,
                        &format!("unknown decision ({})", Decision::names()),
                    )
                })
            })
            .transpose()?;
        keys.check(row, &declaration_ref)?;
        Ok(Declaration {
            declaration_ref,
            employee_id,
            kind,
            declared_date,
            review_every,
            last_reviewed,
            decision,
            line: row.line,
        })
    })
}
