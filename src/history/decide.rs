//! `vetrecon decide`: record clerical decisions in the chain.
//!
//! A decision is checked before it is recorded: it must not contradict the decisions in force
//! (see `clerical::InForce`), and a confirm or reject must name an employee and a vetting
//! record that the latest run saw, so a typo cannot silently record a decision about no one.
//! It takes effect from the next run; runs already made keep the decisions they used.
//! Its `by` and `reason` must be printable one-line text of bounded length
//! (`DecisionRow::check_text`), so no decision can print as a line it did not write.

use crate::clerical::{import, DecisionRow, InForce, Verdict};
use crate::error::{Error, StoreError};
use crate::ingest::table::Reject;
use crate::ingest::{ReadLimits, SourceFile};
use crate::store::{Body, DecisionEvent, Store, Stored};
use std::collections::HashSet;
use std::path::Path;

/// Who and what the latest run saw.
struct Seen {
    run_id: String,
    employees: HashSet<String>,
    refs: HashSet<String>,
}

/// The latest run is the newest by as-of date (`history::latest`), not the last committed:
/// a backfilled night is older than the roster a decision is about.
fn seen(store: &Store) -> Result<Seen, Error> {
    let runs = store.runs()?;
    let last = super::latest(&runs).ok_or_else(|| {
        Error::Usage(
            "no run has been committed yet: decisions are about pairs a run has seen".into(),
        )
    })?;
    let rec = &last.record;
    let mut employees = HashSet::new();
    for sha in &rec.people {
        let b = store.get_blob(sha)?;
        for line in b.split(|&c| c == b'\n').filter(|l| !l.is_empty()) {
            let s: super::person::PersonState = serde_json::from_slice(line)
                .map_err(|e| StoreError::Corrupt(format!("person bucket: {e}")))?;
            employees.insert(s.employee_id);
        }
    }
    let mut refs = HashSet::new();
    let detail = store.get_blob(&rec.links_detail.sha256)?;
    let mut r = csv::Reader::from_reader(&detail[..]);
    for rec in r.records() {
        let rec = rec.map_err(|e| StoreError::Corrupt(format!("links.csv: {e}")))?;
        refs.insert(
            rec.get(0)
                .unwrap_or("")
                .trim_start_matches('\'')
                .to_string(),
        );
    }
    Ok(Seen {
        run_id: rec.run_id.clone(),
        employees,
        refs,
    })
}

impl Seen {
    fn check(&self, d: &DecisionRow) -> Result<(), String> {
        if d.verdict == Verdict::Revoke {
            return Ok(());
        }
        if !self.employees.contains(&d.employee_id) {
            return Err(format!(
                "employee {} was not on the roster of the latest run ({})",
                d.employee_id, self.run_id
            ));
        }
        if !self.refs.contains(&d.vetting_ref) {
            return Err(format!(
                "vetting record {} was not in the export of the latest run ({})",
                d.vetting_ref, self.run_id
            ));
        }
        Ok(())
    }
}

/// Record one decision.
pub fn decide(store: &Store, row: DecisionRow) -> Result<Stored, Error> {
    row.check_text()
        .map_err(|(field, why)| Error::Usage(format!("{field} {why}")))?;
    let mut in_force: InForce = store.decisions_in_force()?;
    seen(store)?.check(&row).map_err(Error::Usage)?;
    in_force.apply(&row).map_err(Error::Usage)?;
    Ok(store.append(Body::Decisions(DecisionEvent {
        source: "command".into(),
        rows: vec![row],
    }))?)
}

/// Import a decisions file: the good rows are recorded as one entry, the bad ones returned.
pub fn import_file(
    store: &Store,
    path: &Path,
    at: &str,
) -> Result<(Option<Stored>, usize, Vec<Reject>), Error> {
    let file = SourceFile::read("decisions", path, ReadLimits::megabytes(1024))?;
    let in_force = store.decisions_in_force()?;
    let seen = seen(store)?;
    let got = import::parse(&file, &in_force, at, &|d| seen.check(d))?;
    let keep = got.rows;
    let n = keep.len();
    let stored = if keep.is_empty() {
        None
    } else {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Some(store.append(Body::Decisions(DecisionEvent {
            source: format!("import {name}"),
            rows: keep,
        }))?)
    };
    Ok((stored, n, got.rejects))
}
