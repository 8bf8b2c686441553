//! roster.csv: the HR roster, one row per person.

use super::table::{self, opt, req, Column, Parsed};
use super::{identity, value, KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::{EmploymentStatus, Person, RoleType};
use std::collections::BTreeMap;

/// Columns of roster.csv (README, "Input contract").
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
];

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<Person>, InputError> {
    let mut keys = KeySet::new("employee_id");
    table::read(
        file.role,
        &file.path,
        &file.bytes,
        COLUMNS,
        aliases,
        |row| {
            let employee_id = row.required("employee_id")?;
            let (surname, forenames, date_of_birth) = identity(ctx, row)?;
            let role_raw = row.required("role_type")?;
            let role_type = RoleType::parse(role_raw).ok_or_else(|| {
                row.reject(
                    "role_type",
                    role_raw,
                    "unknown role type (officer, staff, special, pcso, volunteer, contractor)",
                )
            })?;
            let status_raw = row.required("employment_status")?;
            let status = EmploymentStatus::parse(status_raw).ok_or_else(|| {
                row.reject(
                    "employment_status",
                    status_raw,
                    "unknown employment status (active, leaver, suspended, career_break)",
                )
            })?;
            let post_id = row.get("post_id")?.map(str::to_string);
            if post_id.is_none() && status == EmploymentStatus::Active {
                return Err(row.reject("post_id", "", "post_id is required for an active person"));
            }
            let date = |col: &str| ctx.optional_date(row, col);
            let post_start_date = date("post_start_date")?;
            let leaving_date = date("leaving_date")?;
            keys.check(row, employee_id)?;
            Ok(Person {
                employee_id: employee_id.to_string(),
                surname: surname.to_string(),
                forenames: forenames.to_string(),
                previous_surnames: row
                    .get("previous_surnames")?
                    .map(value::parse_list)
                    .unwrap_or_default(),
                date_of_birth,
                ni_number: row
                    .get("ni_number")?
                    .and_then(crate::normalise::normalise_ni),
                post_id,
                role_type,
                force: row.get("force")?.map(str::to_string),
                post_start_date,
                status,
                leaving_date,
                line: row.line,
            })
        },
    )
}
