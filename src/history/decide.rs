//! `vetrecon decide`: record clerical decisions in the chain.
//!
//! A decision is checked before it is recorded: it must not contradict the decisions in force
//! (see `clerical::InForce`), and a confirm or reject must name an employee and a vetting
//! record that the latest run saw, so a typo cannot silently record a decision about no one.
//! It takes effect from the next run; runs already made keep the decisions they used.
//! A confirm or reject is recorded with the fingerprint of both identities as the latest run
//! saw them (`clerical::fingerprint`), read from that run's stored inputs: a later change to
//! either side reopens it (`link::overrides`).
//! Its `by` and `reason` must be printable one-line text of bounded length
//! (`DecisionRow::check_text`), so no decision can print as a line it did not write.

use crate::clerical::{fingerprint, import, DecisionRow, InForce, Verdict};
use crate::error::{Error, StoreError};
use crate::ingest::table::Reject;
use crate::ingest::value::id_key;
use crate::ingest::{Ingested, ReadLimits, SourceFile};
use crate::model::{ExternalRecord, IdentityRef};
use crate::store::{Body, DecisionEvent, Store, Stored};
use std::collections::HashMap;
use std::path::Path;

/// Who and what the latest run saw: its inputs, ingested again from the store, so a decision
/// is fingerprinted against exactly the identities the officer was shown.
struct Seen {
    run_id: String,
    /// The latest run's linking settings: whether a pair was ever scored is blocking's
    /// answer under them.
    linking: crate::link::LinkPolicy,
    data: Ingested,
    employees: HashMap<String, usize>,
    /// Vetting references, then PND references (a decision names either; a vetting record
    /// wins if a reference is in both, as it does nowhere in practice).
    refs: HashMap<String, (bool, usize)>,
}

/// The latest run is the newest by as-of date (`history::latest`), not the last committed:
/// a backfilled night is older than the roster a decision is about. `about`, when given,
/// names the one pair (employee id, reference) the decisions are about: only its rows are
/// read from the run's inputs (`ingest::about`), not the whole force.
fn seen(store: &Store, about: Option<(&str, &str)>) -> Result<Seen, Error> {
    let entries = store.entries()?;
    let runs = crate::store::runs_of(&entries);
    let last = super::latest(&runs).ok_or_else(|| {
        Error::Usage(
            "no run has been committed yet: decisions are about pairs a run has seen".into(),
        )
    })?;
    let rec = &last.record;
    let (policy, sources, as_of) =
        super::replay::stored_sources(store, &entries, rec).map_err(|e| match e {
            Error::Store(StoreError::Pruned { run_id, at }) => Error::Usage(format!(
                "the inputs of the latest run ({run_id}) were pruned at {at}: a decision must be fingerprinted against the identities a run saw, so make a run first"
            )),
            other => other,
        })?;
    let (input, levels) = (&policy.input, &policy.levels);
    let data = match about {
        Some((employee_id, reference)) => crate::ingest::ingest_about(
            input,
            levels,
            &crate::ingest::about(input, &sources, employee_id, reference)?,
            as_of,
        )?,
        None => crate::ingest::ingest(input, levels, &sources, as_of)?,
    };
    let employees = data
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| (id_key(&p.employee_id), i))
        .collect();
    let mut refs: HashMap<String, (bool, usize)> = HashMap::new();
    for (i, p) in data.triggers.pnd.iter().enumerate() {
        refs.insert(id_key(&p.pnd_ref), (false, i));
    }
    for (i, v) in data.vetting.iter().enumerate() {
        refs.insert(id_key(&v.vetting_ref), (true, i));
    }
    Ok(Seen {
        run_id: rec.run_id.clone(),
        linking: policy.linking,
        data,
        employees,
        refs,
    })
}

impl Seen {
    /// Check that a confirm or reject names an employee and a record the latest run saw, and
    /// record what it is about: the fingerprint of both identities (a revoke needs neither).
    fn stamp(&self, d: &mut DecisionRow) -> Result<(), String> {
        if d.verdict == Verdict::Revoke {
            return Ok(());
        }
        let Some(person) = self
            .employees
            .get(&id_key(&d.employee_id))
            .and_then(|&i| self.data.persons.get(i))
        else {
            return Err(format!(
                "employee {} was not on the roster of the latest run ({})",
                d.employee_id, self.run_id
            ));
        };
        let record: Option<(IdentityRef<'_>, &str)> = match self.refs.get(&id_key(&d.vetting_ref)) {
            Some(&(true, i)) => self
                .data
                .vetting
                .get(i)
                .map(|v| (v.identity(), v.vetting_ref.as_str())),
            Some(&(false, i)) => self
                .data
                .triggers
                .pnd
                .get(i)
                .map(|p| (p.identity(), p.pnd_ref.as_str())),
            None => None,
        };
        let Some((record, reference)) = record else {
            return Err(format!(
                "vetting record {} was not in the export of the latest run ({})",
                d.vetting_ref, self.run_id
            ));
        };
        // The decision names the pair as the run spelled it, so decisions in force compare
        // as one whatever case the officer typed.
        d.employee_id = person.employee_id.clone();
        d.vetting_ref = reference.to_string();
        d.fingerprint = Some(fingerprint::pair_print(
            &d.employee_id,
            &d.vetting_ref,
            &person.identity(),
            &record,
        ));
        Ok(())
    }

    /// Refuse, unless `unscored`, a confirmation (stamped) of a pair blocking never
    /// proposes (`link::blocked_together`): no night scored it, and it shares nothing
    /// blocking looks for, which is most often a wrong id.
    fn scored(&self, d: &DecisionRow, unscored: bool) -> Result<(), String> {
        if d.verdict != Verdict::Confirm || unscored {
            return Ok(());
        }
        let Some(person) =
            (self.employees.get(&id_key(&d.employee_id))).and_then(|&i| self.data.persons.get(i))
        else {
            return Ok(());
        };
        let blocked = match self.refs.get(&id_key(&d.vetting_ref)) {
            Some(&(true, i)) => (self.data.vetting.get(i))
                .is_none_or(|v| crate::link::blocked_together(&self.linking, person, v)),
            Some(&(false, i)) => (self.data.triggers.pnd.get(i))
                .is_none_or(|p| crate::link::blocked_together(&self.linking, person, p)),
            None => true,
        };
        if blocked {
            return Ok(());
        }
        Err(format!(
            "{} and {} share nothing linking looks for (no name, date of birth or NI number in common), so no night ever scored this pair: check the ids; if they really are the same person, confirm again with --unscored",
            d.employee_id, d.vetting_ref
        ))
    }
}

/// Record one decision. `unscored` lets a confirmation name a pair no night ever scored
/// (`Seen::stamp`).
pub fn decide(store: &Store, mut row: DecisionRow, unscored: bool) -> Result<Stored, Error> {
    row.check_text()
        .map_err(|(field, why)| Error::Usage(format!("{field} {why}")))?;
    let mut in_force: InForce = store.decisions_in_force()?;
    let seen = seen(store, Some((&row.employee_id, &row.vetting_ref)))?;
    seen.stamp(&mut row).map_err(Error::Usage)?;
    in_force.apply(&row).map_err(Error::Usage)?;
    seen.scored(&row, unscored).map_err(Error::Usage)?;
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
    let seen = seen(store, None)?;
    // An import confirms only pairs blocking proposes: an unscored pair takes the command
    // line and its --unscored.
    let got = import::parse(&file, &in_force, at, &|d| seen.stamp(d), &|d| {
        seen.scored(d, false)
    })?;
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
