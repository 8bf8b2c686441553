//! pnd_returns.csv: the results of checking the workforce against the Police National
//! Database (the "data wash"). A return names no employee: linking finds the person, with
//! the same engine, thresholds and clerical decisions as the vetting records.

use super::table::{self, opt, req, Column, Parsed};
use super::{identity, KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::{PndCategory, PndReturn};
use std::collections::{BTreeMap, HashSet};

/// Columns of pnd_returns.csv (docs/input.md).
pub const COLUMNS: &[Column] = &[
    req("pnd_ref"),
    req("surname"),
    req("forenames"),
    opt("previous_surnames"),
    req("date_of_birth"),
    opt("ni_number"),
    req("record_date"),
    req("category"),
];

/// Parse the returns. `vetting_refs` are tonight's vetting references as ids compare
/// (`value::id_key`): a PND reference equal
/// to one is refused, because a clerical decision names a record by its reference alone.
pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
    vetting_refs: &HashSet<String>,
) -> Result<Parsed<PndReturn>, InputError> {
    let mut keys = KeySet::new("pnd_ref", file);
    table::read(file, &ctx.policy.dialect, COLUMNS, aliases, |row| {
        let pnd_ref = row.required_id("pnd_ref")?;
        if vetting_refs.contains(&super::value::id_key(&pnd_ref)) {
            return Err(row.reject(
                "pnd_ref",
                &pnd_ref,
                "the same reference as a vetting record; decisions could not tell them apart",
            ));
        }
        let id = identity(ctx, row)?;
        let record_date = ctx.required_past_date(row, "record_date")?;
        let category = row.required_as(
            "category",
            PndCategory::parse,
            &format!("unknown category ({})", PndCategory::names()),
        )?;
        keys.check(row, &pnd_ref)?;
        Ok(PndReturn {
            pnd_ref,
            surname: id.surname,
            forenames: id.forenames,
            previous_surnames: id.previous_surnames,
            date_of_birth: id.date_of_birth,
            ni_number: id.ni_number,
            record_date,
            category,
            line: row.line,
        })
    })
}
