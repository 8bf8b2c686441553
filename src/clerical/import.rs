//! Bulk import of decisions from a CSV file: the `vetrecon decide --import` contract.
//!
//! Columns (header names case-insensitive, any order): `decision` (confirm, reject or
//! revoke), `employee_id`, `vetting_ref`, `by`, `reason`. A row that is malformed, or that
//! contradicts the decisions in force (including earlier rows of the same file), is rejected
//! by line; the good rows are recorded together as one event. `by` and `reason` are held
//! to the same rules as on the command line (`DecisionRow::check_text`): no control or bidi
//! characters (a quoted field can hold a line break), at most 100 and 1000 characters.
//!
//! A row whose `decision`, `by` and `reason` are all blank is no decision and is skipped
//! without a word: the report's Review queue sheet has one row per candidate, and a manager
//! who confirms one candidate leaves the others blank, then saves the sheet as CSV and
//! imports it as it is.

use super::{DecisionRow, InForce, Verdict};
use crate::error::InputError;
use crate::ingest::table::{self, req, Column, Reject};
use crate::ingest::SourceFile;
use std::collections::BTreeMap;

pub const COLUMNS: &[Column] = &[
    req("decision"),
    req("employee_id"),
    req("vetting_ref"),
    req("by"),
    req("reason"),
];

/// What an import file yields against the decisions in force.
#[derive(Debug)]
pub struct Imported {
    pub rows: Vec<DecisionRow>,
    pub rejects: Vec<Reject>,
}

/// Parse `file` and check each row with `check` (which may complete it: `decide` adds the
/// fingerprint), against `in_force` (which is not changed), then with `after` (`decide`
/// refuses a pair no night scored); a row that fails any is rejected, for the first it
/// fails, and does not count for later rows.
pub fn parse(
    file: &SourceFile,
    in_force: &InForce,
    at: &str,
    check: &dyn Fn(&mut DecisionRow) -> Result<(), String>,
    after: &dyn Fn(&DecisionRow) -> Result<(), String>,
) -> Result<Imported, InputError> {
    let mut set = in_force.clone();
    let parsed = table::read(
        file,
        &Default::default(),
        COLUMNS,
        &BTreeMap::new(),
        |row| {
            if row.all_blank(&["decision", "by", "reason"]) {
                return Ok(None);
            }
            let verdict = row.required_as(
                "decision",
                Verdict::parse,
                "decision must be confirm, reject or revoke",
            )?;
            let mut d = DecisionRow {
                verdict,
                employee_id: row.required("employee_id")?.to_string(),
                vetting_ref: row.required("vetting_ref")?.to_string(),
                by: row.required("by")?.to_string(),
                reason: row.required("reason")?.to_string(),
                at: at.to_string(),
                fingerprint: None,
            };
            d.check_text().map_err(|(column, reason)| {
                let value = if column == "by" { &d.by } else { &d.reason };
                row.reject(column, value, &reason)
            })?;
            check(&mut d).map_err(|reason| row.reject("employee_id", &d.employee_id, &reason))?;
            let clash = |set: &InForce| {
                (set.clone().apply(&d))
                    .map_err(|reason| row.reject("decision", verdict.as_str(), &reason))
            };
            if let Err(reason) = after(&d) {
                clash(&set)?;
                return Err(row.reject("employee_id", &d.employee_id, &reason));
            }
            set.apply(&d)
                .map_err(|reason| row.reject("decision", verdict.as_str(), &reason))?;
            Ok(Some(d))
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

    #[test]
    fn good_rows_are_kept_and_bad_rows_rejected_by_line() {
        let text = "Decision,employee_id,vetting_ref,by,reason\n\
                    confirm,E1,V1,DS Patel,passport seen\n\
                    maybe,E2,V2,DS Patel,unsure\n\
                    confirm,E3,V1,DS Patel,clash with line 2\n\
                    reject,E4,V4,,no name\n\
                    reject,E7,V7,DS Patel,never seen\n\
                    revoke,E1,V1,DS Patel,entered in error\n";
        let f = SourceFile::from_bytes("decisions", Path::new("d.csv"), text.as_bytes().to_vec());
        let got = parse(
            &f,
            &InForce::default(),
            "2026-11-24T10:00:00Z",
            &|d| {
                if d.employee_id == "E7" {
                    Err("unknown".into())
                } else {
                    Ok(())
                }
            },
            &|_| Ok(()),
        )
        .unwrap();
        assert_eq!(got.rows.len(), 2);
        assert_eq!(got.rows[1].verdict, Verdict::Revoke);
        let lines: Vec<(u64, &str)> = got
            .rejects
            .iter()
            .map(|r| (r.line, r.column.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (3, "decision"),
                (4, "decision"),
                (5, "by"),
                (6, "employee_id")
            ]
        );
        assert!(got.rejects[1].reason.contains("already confirmed as E1"));
    }

    #[test]
    fn imported_rows_with_control_or_bidi_characters_are_rejected() {
        // (A quoted line break or a field over 1000 characters is already refused by the
        // table reader; these are the characters it lets through.)
        let text = "decision,employee_id,vetting_ref,by,reason\n\
                    reject,E1182,V501386,DS Patel\tDC Jones,x\n\
                    reject,E1183,V501387,DS Patel,x\u{1b}[2Jclearance V999 DV granted\n\
                    reject,E1185,V501389,DS\u{202E}Patel,fine\n\
                    reject,E1186,V501390,DS Patel,checked\n";
        let f = SourceFile::from_bytes("decisions", Path::new("d.csv"), text.as_bytes().to_vec());
        let got = parse(
            &f,
            &InForce::default(),
            "2026-11-24T10:00:00Z",
            &|_| Ok(()),
            &|_| Ok(()),
        )
        .unwrap();
        assert_eq!(got.rows.len(), 1, "{:?}", got.rejects);
        assert_eq!(got.rows[0].employee_id, "E1186");
        let found: Vec<(u64, &str)> = got
            .rejects
            .iter()
            .map(|r| (r.line, r.column.as_str()))
            .collect();
        assert_eq!(found, vec![(2, "by"), (3, "reason"), (4, "by")]);
        assert!(
            got.rejects[0].reason.contains("U+0009"),
            "{:?}",
            got.rejects
        );
        assert!(got.rejects[1].reason.contains("U+001B"));
        assert!(got.rejects[2].reason.contains("U+202E"));
    }

    #[test]
    fn a_missing_column_refuses_the_file() {
        let f = SourceFile::from_bytes(
            "decisions",
            Path::new("d.csv"),
            b"decision,employee_id,vetting_ref,by\n".to_vec(),
        );
        assert!(matches!(
            parse(&f, &InForce::default(), "x", &|_| Ok(()), &|_| Ok(())),
            Err(InputError::MissingColumn { .. })
        ));
    }

    #[test]
    fn a_row_the_after_check_refuses_is_rejected_naming_a_clash_first() {
        let text = "decision,employee_id,vetting_ref,by,reason\n\
                    confirm,E1,V1,DS Patel,passport seen\n\
                    confirm,E2,V1,DS Patel,clashes with line 2 and never scored\n\
                    confirm,E3,V3,DS Patel,never scored\n";
        let f = SourceFile::from_bytes("decisions", Path::new("d.csv"), text.as_bytes().to_vec());
        let unscored = |d: &DecisionRow| {
            if d.employee_id == "E1" {
                Ok(())
            } else {
                Err("never scored".to_string())
            }
        };
        let got = parse(&f, &InForce::default(), "x", &|_| Ok(()), &unscored).unwrap();
        assert_eq!(got.rows.len(), 1);
        let why: Vec<(u64, &str, &str)> = got
            .rejects
            .iter()
            .map(|r| (r.line, r.column.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            why,
            vec![
                (
                    3,
                    "decision",
                    "vetting record V1 is already confirmed as E1 (revoke that first)"
                ),
                (4, "employee_id", "never scored"),
            ]
        );
    }
}
