//! Bulk import of QA verdicts from a CSV file: the `vetrecon qa import` contract.
//!
//! Columns (header names case-insensitive, any order): `run_id` (the run whose dip sample
//! drew the decision), `vetting_ref`, `verdict` (agree or disagree), `reason`, `by`, and
//! optionally `correction` (yes to replace the verdict in force on the decision; blank or no
//! otherwise). Other columns are not read, so a night's qa_sample.csv with `verdict`,
//! `reason` and `by` filled in imports as it is. A row whose `verdict`, `reason` and `by` are
//! all blank is no verdict and is skipped.
//!
//! All or nothing: a row that is malformed, names a decision its run did not sample, or
//! contradicts the verdicts in force (earlier rows of the same file included) is rejected by
//! line and column, and then nothing in the file is recorded.

use super::qa::{QaInForce, QaRow, QaVerdict, Sampled};
use crate::error::InputError;
use crate::ingest::table::{self, opt, req, Column, Reject};
use crate::ingest::SourceFile;
use std::collections::BTreeMap;

pub const COLUMNS: &[Column] = &[
    req("run_id"),
    req("vetting_ref"),
    req("verdict"),
    req("reason"),
    req("by"),
    opt("correction"),
];

/// What an import file yields: the verdicts to record, or the rows that refuse the file.
#[derive(Debug)]
pub struct Imported {
    pub rows: Vec<QaRow>,
    pub rejects: Vec<Reject>,
}

/// How a `correction` cell reads: blank is no.
fn correction(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Some(true),
        "no" | "n" | "false" | "" => Some(false),
        _ => None,
    }
}

/// Finds the decision run `run_id` sampled for a reference (`(run_id, vetting_ref)`), or says
/// which column of the row is wrong and why.
pub type FindSampled<'a> = dyn Fn(&str, &str) -> Result<Sampled, (&'static str, String)> + 'a;

/// Parse `file` against the verdicts in force (which are not changed), finding each row's
/// decision with `sampled`.
pub fn parse(
    file: &SourceFile,
    in_force: &QaInForce,
    at: &str,
    sampled: &FindSampled<'_>,
) -> Result<Imported, InputError> {
    let mut set = in_force.clone();
    let parsed = table::read(
        file,
        &Default::default(),
        COLUMNS,
        &BTreeMap::new(),
        |row| {
            if row.all_blank(&["verdict", "by", "reason"]) {
                return Ok(None);
            }
            let run_id = row.required_id("run_id")?;
            let vetting_ref = row.required_id("vetting_ref")?;
            let verdict = row.required_as(
                "verdict",
                QaVerdict::parse,
                "verdict must be agree or disagree",
            )?;
            let by = row.required("by")?.to_string();
            let reason = row.required("reason")?.to_string();
            let fix = match row.get("correction")? {
                None => false,
                Some(c) => correction(c).ok_or_else(|| {
                    row.reject("correction", c, "correction must be yes, no or blank")
                })?,
            };
            super::check_by_and_reason(&by, &reason).map_err(|(column, why)| {
                let value = if column == "by" { &by } else { &reason };
                row.reject(column, value, &why)
            })?;
            let drawn = sampled(&run_id, &vetting_ref).map_err(|(column, why)| {
                let value = if column == "run_id" {
                    &run_id
                } else {
                    &vetting_ref
                };
                row.reject(column, value, &why)
            })?;
            let v = QaRow::on(&run_id, drawn, verdict, (by, reason), at, fix);
            set.apply(&v)
                .map_err(|why| row.reject("verdict", verdict.as_str(), &why))?;
            Ok(Some(v))
        },
    )?;
    Ok(Imported {
        rows: parsed.rows.into_iter().flatten().collect(),
        rejects: parsed.rejects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sampled(run: &str, r: &str) -> Result<Sampled, (&'static str, String)> {
        if run != "20261124-01" {
            return Err(("run_id", format!("no run {run} in the store")));
        }
        match r.to_ascii_uppercase().as_str() {
            "V1" | "V2" => Ok(Sampled {
                vetting_ref: r.to_ascii_uppercase(),
                sample: "refusal".into(),
                decision_date: "2026-05-26".into(),
            }),
            _ => Err((
                "vetting_ref",
                format!("{r} was not in run {run}'s dip sample"),
            )),
        }
    }

    fn parse_text(text: &str) -> Imported {
        let f = SourceFile::from_bytes("qa_verdicts", Path::new("q.csv"), text.as_bytes().to_vec());
        parse(&f, &QaInForce::default(), "2026-11-25T09:00:00Z", &sampled).unwrap()
    }

    #[test]
    fn good_rows_are_read_and_blank_rows_skipped() {
        let got = parse_text(
            "Run_ID,vetting_ref,verdict,reason,by,eligible\n\
             20261124-01,v1,agree,rationale sound,DI Jones,3\n\
             20261124-01,V2,,,,3\n\
             20261124-01,V2,Disagree,no mitigation recorded,DI Jones,3\n",
        );
        assert!(got.rejects.is_empty(), "{:?}", got.rejects);
        let refs: Vec<(&str, QaVerdict)> = got
            .rows
            .iter()
            .map(|r| (r.vetting_ref.as_str(), r.verdict))
            .collect();
        assert_eq!(
            refs,
            [("V1", QaVerdict::Agree), ("V2", QaVerdict::Disagree)]
        );
        assert_eq!(got.rows[0].decision_date, "2026-05-26");
        assert_eq!(got.rows[0].at, "2026-11-25T09:00:00Z");
    }

    #[test]
    fn bad_rows_are_named_by_line_and_column() {
        let got = parse_text(
            "run_id,vetting_ref,verdict,reason,by,correction\n\
             20261124-01,V1,agree,fine,DI Jones,\n\
             20261124-01,V1,disagree,second without correction,DI Jones,no\n\
             20261124-01,V1,disagree,corrected,DI Jones,yes\n\
             20261124-01,V9,agree,not sampled,DI Jones,\n\
             20261124-09,V1,agree,no such run,DI Jones,\n\
             20261124-01,V2,maybe,unsure,DI Jones,\n\
             20261124-01,V2,agree,fine,YOUR NAME,\n\
             20261124-01,V2,agree,fine,DI Jones,perhaps\n",
        );
        let found: Vec<(u64, &str)> = got
            .rejects
            .iter()
            .map(|r| (r.line, r.column.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (3, "verdict"),
                (5, "vetting_ref"),
                (6, "run_id"),
                (7, "verdict"),
                (8, "by"),
                (9, "correction"),
            ]
        );
        assert!(got.rejects[0].reason.contains("already has a verdict"));
        // The correction on line 4 was good (the caller records nothing when any row fails).
        assert_eq!(got.rows.len(), 2);
        assert!(got.rows[1].correction);
    }

    #[test]
    fn a_missing_column_refuses_the_file() {
        let f = SourceFile::from_bytes(
            "qa_verdicts",
            Path::new("q.csv"),
            b"run_id,vetting_ref,verdict,reason\n".to_vec(),
        );
        assert!(matches!(
            parse(&f, &QaInForce::default(), "x", &sampled),
            Err(InputError::MissingColumn { .. })
        ));
    }
}
