//! roster.csv: the HR roster, one row per person.

use super::table::{self, opt, req, Column, Parsed};
use super::{identity, KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::{EmploymentStatus, Person, RoleType};
use std::collections::BTreeMap;

/// Columns of roster.csv (docs/input.md).
pub const COLUMNS: &[Column] = &[
    req("employee_id"),
    req("surname"),
    req("forenames"),
    opt("previous_surnames"),
    req("date_of_birth"),
    opt("ni_number"),
    req("post_id"),
    req("role_type"),
    opt("force"),
    opt("post_start_date"),
    req("employment_status"),
    opt("leaving_date"),
    opt("last_integrity_review"),
];

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<Person>, InputError> {
    let mut keys = KeySet::new("employee_id", file);
    // Parsed in parts on both cores (`table::read_split`); the duplicate check needs every
    // earlier row, so it runs after, in file order: it was the last of the row's checks.
    // `force` was read after that check, so its reject is kept apart to come after it. The
    // key is folded on both cores too (`value::id_key`); only the lookup runs in order.
    type RosterRow = (Person, Result<Option<String>, table::Reject>, String);
    let parser = || {
        |row: &table::InputRow<'_>| -> Result<RosterRow, table::Reject> {
            let employee_id = row.required_id("employee_id")?;
            let id = identity(ctx, row)?;
            let role_type = row.required_as(
                "role_type",
                RoleType::parse,
                "unknown role type (officer, staff, special, pcso, volunteer, contractor)",
            )?;
            let status = row.required_as(
                "employment_status",
                EmploymentStatus::parse,
                "unknown employment status (active, leaver, suspended, career_break)",
            )?;
            let post_id = row.id("post_id")?;
            if post_id.is_none() && status == EmploymentStatus::Active {
                return Err(row.reject("post_id", "", "post_id is required for an active person"));
            }
            let date = |col: &str| ctx.optional_date(row, col);
            let post_start_date = date("post_start_date")?;
            let leaving_date = date("leaving_date")?;
            let last_integrity_review = ctx.optional_past_date(row, "last_integrity_review")?;
            let force = row.get("force").map(|f| f.map(str::to_string));
            let person = Person {
                employee_id,
                surname: id.surname,
                forenames: id.forenames,
                previous_surnames: id.previous_surnames,
                date_of_birth: id.date_of_birth,
                ni_number: id.ni_number,
                post_id,
                role_type,
                force: None,
                post_start_date,
                status,
                leaving_date,
                last_integrity_review,
                line: row.line,
            };
            let folded = super::value::id_key(&person.employee_id);
            Ok((person, force, folded))
        }
    };
    let admit = |(mut person, force, folded): RosterRow, line: u64| {
        keys.check_folded(file.role, line, &person.employee_id, folded)?;
        person.force = force?;
        Ok(person)
    };
    table::read_split(file, &ctx.policy.dialect, COLUMNS, aliases, parser, admit)
}
