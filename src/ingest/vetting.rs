//! vetting.csv: the vetting system's export, not linked to HR.

use super::table::{self, opt, req, Column, Parsed};
use super::{identity, KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::casework::{AppealStatus, Casework, CaseworkPolicy};
use crate::model::{VettingRecord, VettingStatus};
use std::collections::BTreeMap;

/// Protected characteristics read when present (for disproportionality analysis).
pub const PROTECTED: &[&str] = &[
    "sex",
    "ethnicity",
    "age_band",
    "disability",
    "religion",
    "sexual_orientation",
    "gender_reassignment",
    "marriage_civil_partnership",
    "pregnancy_maternity",
];

/// Columns of vetting.csv (docs/input.md).
pub const COLUMNS: &[Column] = &[
    req("vetting_ref"),
    req("surname"),
    req("forenames"),
    opt("previous_surnames"),
    req("date_of_birth"),
    opt("ni_number"),
    opt("employee_id"),
    req("level"),
    req("status"),
    req("decision_date"),
    opt("expiry_date"),
    opt("adverse_info"),
    opt("rationale_recorded"),
    opt("risk_mitigation"),
    opt("last_review_date"),
    opt("sex"),
    opt("ethnicity"),
    opt("age_band"),
    opt("disability"),
    opt("religion"),
    opt("sexual_orientation"),
    opt("gender_reassignment"),
    opt("marriage_civil_partnership"),
    opt("pregnancy_maternity"),
    opt("application_date"),
    opt("case_type"),
    opt("stage"),
    opt("refusal_reason"),
    opt("adverse_category"),
    opt("interview_held"),
    opt("appeal_status"),
    opt("appeal_date"),
    opt("appeal_outcome_date"),
    opt("decision_maker"),
];

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<VettingRecord>, InputError> {
    let mut keys = KeySet::new("vetting_ref", file);
    // The export is parsed on both cores (`table::read_split`); the duplicate check needs
    // every earlier row, so it runs after, in file order, exactly where it stood in the
    // row's checks: after the protected characteristics, before the employee_id hint.
    let parser = || {
        let mut groups = Groups::default();
        move |row: &table::InputRow<'_>| parse_row(ctx, &mut groups, row)
    };
    let admit = |(mut record, hint, folded): VettingRow, line: u64| {
        keys.check_folded(file.role, line, &record.vetting_ref, folded)?;
        record.employee_id_hint = hint?;
        Ok(record)
    };
    table::read_split(file, &ctx.policy.dialect, COLUMNS, aliases, parser, admit)
}

/// One row's record, all checked but the duplicate key (see `parse`), with its
/// employee_id hint (or the reject it earns) apart, as that check comes after the key's,
/// and its key folded for that check (`value::id_key`).
type VettingRow = (VettingRecord, Result<Option<String>, table::Reject>, String);

/// See `VettingRow`.
fn parse_row(
    ctx: &ParseCtx<'_>,
    groups: &mut Groups,
    row: &table::InputRow<'_>,
) -> Result<VettingRow, table::Reject> {
    let levels = ctx.levels;
    let vetting_ref = row.required_id("vetting_ref")?;
    let id = identity(ctx, row)?;
    let level = row.required_as("level", |l| levels.parse(l), "unknown level")?;
    let status = row.required_as(
        "status",
        VettingStatus::parse,
        "unknown status (granted, refused, withdrawn, suspended, pending, lapsed)",
    )?;
    let date = |col: &str| ctx.optional_date(row, col);
    let decision_date = ctx.optional_past_date(row, "decision_date")?;
    if decision_date.is_none() && status != VettingStatus::Pending {
        return Err(row.reject(
            "decision_date",
            "",
            "decision_date is required unless the status is pending",
        ));
    }
    let expiry_given = date("expiry_date")?;
    if let Some(e) = expiry_given {
        check_expiry(ctx, row, e, decision_date)?;
    }
    let expiry_date =
        expiry_given.or_else(|| decision_date.and_then(|d| levels.validity(level).after(d)));
    let flag = |col: &str| super::optional_flag(row, col);
    // A blank is "not recorded" (`None`). Only an export without the adverse_info column
    // says nothing at all about adverse information: the check is off for it.
    let adverse_info = match flag("adverse_info")? {
        None if !row.has("adverse_info") => Some(false),
        given => given,
    };
    let (rationale_recorded, risk_mitigation) =
        (flag("rationale_recorded")?, flag("risk_mitigation")?);
    let last_review_date = ctx.optional_past_date(row, "last_review_date")?;
    let mut protected = Vec::new();
    for p in PROTECTED {
        if let Some(v) = row.get(p)? {
            protected.push((*p, groups.intern(v)));
        }
    }
    let protected = groups.share(protected.into_iter().collect());
    let casework = casework(ctx, row, status, decision_date, groups)?;
    let record = VettingRecord {
        vetting_ref,
        surname: id.surname,
        forenames: id.forenames,
        previous_surnames: id.previous_surnames,
        date_of_birth: id.date_of_birth,
        ni_number: id.ni_number,
        employee_id_hint: None,
        level,
        status,
        decision_date,
        expiry_date,
        adverse_info,
        rationale_recorded,
        risk_mitigation,
        last_review_date,
        protected,
        casework,
        line: row.line,
    };
    let folded = super::value::id_key(&record.vetting_ref);
    Ok((record, row.id("employee_id"), folded))
}

/// The record's casework columns (`model::casework`), None when none is recorded. Coded
/// values are read against the config's lists. On a refusal or a withdrawal the application
/// may not come after the decision, nor an appeal before it; an appeal's outcome may never
/// come before it was lodged. A grant is not held to the decision date: an export may give a
/// clearance granted on appeal, or renewed in place, the new grant's date, and a live
/// clearance is never rejected for its casework dates.
fn casework(
    ctx: &ParseCtx<'_>,
    row: &table::InputRow<'_>,
    status: VettingStatus,
    decision_date: Option<chrono::NaiveDate>,
    groups: &mut Groups,
) -> Result<Option<Box<Casework>>, table::Reject> {
    let policy = &ctx.policy.casework;
    let coded = |col: &str, list: &[std::sync::Arc<str>]| -> Result<_, table::Reject> {
        row.get(col)?
            .map(|v| {
                CaseworkPolicy::code_in(list, col, v)
                    .cloned()
                    .map_err(|e| row.reject(col, v, &e))
            })
            .transpose()
    };
    let appeal_status = row
        .get("appeal_status")?
        .map(|v| {
            AppealStatus::parse(v).ok_or_else(|| {
                row.reject(
                    "appeal_status",
                    v,
                    "unknown appeal_status (none, lodged, upheld, dismissed, withdrawn)",
                )
            })
        })
        .transpose()?;
    let c = Casework {
        application_date: ctx.optional_past_date(row, "application_date")?,
        case_type: coded("case_type", &policy.case_types)?,
        stage: coded("stage", &policy.stages)?,
        refusal_reason: coded("refusal_reason", &policy.refusal_reasons)?,
        adverse_category: coded("adverse_category", &policy.adverse_categories)?,
        interview_held: super::optional_flag(row, "interview_held")?,
        appeal_status,
        appeal_date: ctx.optional_past_date(row, "appeal_date")?,
        appeal_outcome_date: ctx.optional_past_date(row, "appeal_outcome_date")?,
        // The id is the decision maker's, kept out of every log and CSV but the workbook's
        // own sheet: a bad one is rejected without its value.
        decision_maker: (row.id("decision_maker").map_err(|mut r| {
            r.value.clear();
            r
        })?)
        .map(|id| groups.intern(&id)),
    };
    let decision_date = decision_date
        .filter(|_| matches!(status, VettingStatus::Refused | VettingStatus::Withdrawn));
    let value = |col: &str| row.get(col).map(Option::unwrap_or_default);
    if let (Some(a), Some(d)) = (c.application_date, decision_date) {
        if d < a {
            return Err(row.reject(
                "application_date",
                value("application_date")?,
                "application_date is after decision_date",
            ));
        }
    }
    if let (Some(a), Some(d)) = (c.appeal_date, decision_date) {
        if a < d {
            return Err(row.reject(
                "appeal_date",
                value("appeal_date")?,
                "appeal_date is before the decision it appeals (decision_date)",
            ));
        }
    }
    if let (Some(o), Some(a)) = (c.appeal_outcome_date, c.appeal_date) {
        if o < a {
            return Err(row.reject(
                "appeal_outcome_date",
                value("appeal_outcome_date")?,
                "appeal_outcome_date is before appeal_date",
            ));
        }
    }
    Ok((!c.is_empty()).then(|| Box::new(c)))
}

/// An exported expiry may not come before the decision, nor more than
/// `input.max_expiry_years` after it (after the as-of date for a record without one): a
/// clearance keyed to expire in 2198 would never show as expired.
fn check_expiry(
    ctx: &ParseCtx<'_>,
    row: &table::InputRow<'_>,
    expiry: chrono::NaiveDate,
    decision: Option<chrono::NaiveDate>,
) -> Result<(), table::Reject> {
    let value = || row.get("expiry_date").map(Option::unwrap_or_default);
    if decision.is_some_and(|d| expiry < d) {
        return Err(row.reject(
            "expiry_date",
            value()?,
            "expiry_date is before decision_date",
        ));
    }
    let years = ctx.policy.max_expiry_years;
    let (from, what) = match decision {
        Some(d) => (d, "decision_date"),
        None => (ctx.as_of, "the as-of date"),
    };
    let latest = from.checked_add_months(chrono::Months::new(years.saturating_mul(12)));
    if latest.is_none_or(|l| expiry > l) {
        return Err(row.reject(
            "expiry_date",
            value()?,
            &format!(
                "expiry_date is more than {years} years after {what} (input.max_expiry_years): a keying error, not a clearance"
            ),
        ));
    }
    Ok(())
}

/// The distinct protected-characteristic values of a file, and their distinct
/// combinations, each stored once (per part of the file parsed on its own).
#[derive(Default)]
struct Groups {
    values: std::collections::HashSet<std::sync::Arc<str>>,
    sets: std::collections::HashSet<crate::model::Protected>,
}

impl Groups {
    fn intern(&mut self, v: &str) -> std::sync::Arc<str> {
        if let Some(g) = self.values.get(v) {
            return g.clone();
        }
        let g: std::sync::Arc<str> = v.into();
        self.values.insert(g.clone());
        g
    }

    /// The one copy of `p` that every record with the same characteristics shares.
    fn share(&mut self, p: crate::model::Protected) -> crate::model::Protected {
        if let Some(g) = self.sets.get(&p) {
            return g.clone();
        }
        self.sets.insert(p.clone());
        p
    }
}
