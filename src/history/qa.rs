//! `vetrecon qa`: record QA verdicts on the decisions a night's dip sample drew.
//!
//! A verdict names a run and a vetting reference; it is checked against that run's own
//! qa_sample.csv as the store keeps it, so a verdict can only be about a decision the run
//! really sampled, and it records what the sample drew (the kind and the decision date)
//! beside the reviewer's answer. It must not contradict the verdicts in force
//! (`clerical::qa::QaInForce`: one per decision, a second only as a correction), and its
//! `by` and `reason` are held to the rules a clerical decision's are. It takes effect from
//! the next run; runs already made keep the verdicts they used.

use crate::clerical::qa::{QaInForce, QaRow, Sampled};
use crate::clerical::qa_import;
use crate::error::{Error, StoreError};
use crate::ingest::table::Reject;
use crate::ingest::value::id_key;
use crate::ingest::{ReadLimits, SourceFile};
use crate::store::{Body, QaEvent, Store, Stored};
use std::collections::BTreeMap;
use std::path::Path;

/// The output a run's dip sample is read from.
const SAMPLE_FILE: &str = "qa_sample.csv";

/// The decisions run `run_id` sampled, read from its stored qa_sample.csv; `Err` says which
/// column of a verdict is wrong (`run_id` for a run the store does not hold) and why.
fn sample_of(
    store: &Store,
    entries: &[Stored],
    run_id: &str,
) -> Result<Result<Vec<Sampled>, String>, Error> {
    let runs = crate::store::runs_of(entries);
    let Some(run) = runs.iter().find(|r| r.record.run_id == run_id.trim()) else {
        return Ok(Err(format!(
            "no run {} in the store (`vetrecon runs` lists them)",
            crate::history::escape(run_id)
        )));
    };
    let Some(file) = (run.record.outputs.iter()).find(|o| o.name == SAMPLE_FILE) else {
        return Ok(Err(format!(
            "run {} wrote no {SAMPLE_FILE}, so it sampled nothing to review",
            run.record.run_id
        )));
    };
    let bytes = store.get_blob(&file.sha256)?;
    let bad = |e: String| StoreError::Corrupt(format!("{SAMPLE_FILE} of run {run_id}: {e}"));
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let header = r.headers().map_err(|e| bad(e.to_string()))?.clone();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad(format!("no {name} column")))
    };
    let (sample, reference, date) = (at("sample")?, at("vetting_ref")?, at("decision_date")?);
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let cell = |i: usize| rec.get(i).unwrap_or("").to_string();
        out.push(Sampled {
            vetting_ref: cell(reference),
            sample: cell(sample),
            decision_date: cell(date),
        });
    }
    Ok(Ok(out))
}

/// The decision `vetting_ref` names in `sample` (run `run_id`'s), compared as ids are
/// everywhere. The CSV writes a reference that a spreadsheet would read as a formula with a
/// leading `'`; the verdict names the reference itself.
fn find(sample: &[Sampled], run_id: &str, vetting_ref: &str) -> Result<Sampled, String> {
    let want = id_key(vetting_ref);
    sample
        .iter()
        .find_map(|s| {
            let bare = s.vetting_ref.strip_prefix('\'').unwrap_or(&s.vetting_ref);
            (id_key(&s.vetting_ref) == want || id_key(bare) == want).then(|| Sampled {
                vetting_ref: if id_key(&s.vetting_ref) == want {
                    s.vetting_ref.clone()
                } else {
                    bare.to_string()
                },
                ..s.clone()
            })
        })
        .ok_or_else(|| {
            format!(
                "{} is not in the dip sample of run {run_id} (its qa_sample.csv): a verdict is on a decision the run sampled",
                crate::history::escape(vetting_ref)
            )
        })
}

/// The samples of the runs a command names, each read once.
struct Samples<'a> {
    store: &'a Store,
    entries: Vec<Stored>,
    read: std::cell::RefCell<BTreeMap<String, Result<Vec<Sampled>, String>>>,
    /// The first store error met reading a sample: the command fails with it, whatever the
    /// rows say.
    failed: std::cell::RefCell<Option<Error>>,
}

impl<'a> Samples<'a> {
    fn new(store: &'a Store, entries: Vec<Stored>) -> Samples<'a> {
        Samples {
            store,
            entries,
            read: Default::default(),
            failed: Default::default(),
        }
    }

    /// The decision run `run_id` sampled for `vetting_ref`, or the column at fault and why.
    fn find(&self, run_id: &str, vetting_ref: &str) -> Result<Sampled, (&'static str, String)> {
        let mut read = self.read.borrow_mut();
        if !read.contains_key(run_id) {
            match sample_of(self.store, &self.entries, run_id) {
                Ok(got) => {
                    read.insert(run_id.to_string(), got);
                }
                Err(e) => {
                    let why = format!("the run's dip sample cannot be read: {e}");
                    self.failed.borrow_mut().get_or_insert(e);
                    return Err(("run_id", why));
                }
            }
        }
        match read.get(run_id) {
            Some(Ok(sample)) => find(sample, run_id, vetting_ref).map_err(|e| ("vetting_ref", e)),
            Some(Err(why)) => Err(("run_id", why.clone())),
            None => Err(("run_id", "the run's dip sample cannot be read".into())),
        }
    }

    /// The store error met, if any.
    fn failure(self) -> Result<(), Error> {
        self.failed.into_inner().map_or(Ok(()), Err)
    }
}

/// Record one verdict: `row` names the run and the reference as given; what the sample drew
/// (reference as spelled, kind, decision date) is filled in from the run's sample. Returns
/// the entry and the verdict as recorded.
pub fn record(store: &Store, row: QaRow) -> Result<(Stored, QaRow), Error> {
    row.check_text()
        .map_err(|(field, why)| Error::Usage(format!("{field} {why}")))?;
    let entries = store.entries()?;
    let mut in_force = crate::store::qa_in_force(&entries)?;
    let samples = Samples::new(store, entries);
    let drawn = samples.find(&row.run_id, &row.vetting_ref);
    samples.failure()?;
    let drawn = drawn.map_err(|(_, why)| Error::Usage(why))?;
    let row = QaRow {
        vetting_ref: drawn.vetting_ref,
        sample: drawn.sample,
        decision_date: drawn.decision_date,
        ..row
    };
    in_force.apply(&row).map_err(Error::Usage)?;
    let stored = store.append(Body::QaVerdicts(QaEvent {
        source: "command".into(),
        rows: vec![row.clone()],
    }))?;
    Ok((stored, row))
}

/// What an import did: the entry recorded and how many verdicts it holds, or the rows that
/// refused the file (then nothing was recorded).
pub struct Imported {
    pub stored: Option<Stored>,
    pub recorded: usize,
    pub rejects: Vec<Reject>,
}

/// Import a verdicts file, all or nothing: every row is recorded as one entry, or, when any
/// row is rejected, none is.
pub fn import_file(store: &Store, path: &Path, at: &str) -> Result<Imported, Error> {
    let file = SourceFile::read("qa_verdicts", path, ReadLimits::megabytes(64))?;
    let entries = store.entries()?;
    let in_force: QaInForce = crate::store::qa_in_force(&entries)?;
    let samples = Samples::new(store, entries);
    let got = qa_import::parse(&file, &in_force, at, &|run, r| samples.find(run, r))?;
    samples.failure()?;
    if !got.rejects.is_empty() || got.rows.is_empty() {
        return Ok(Imported {
            stored: None,
            recorded: 0,
            rejects: got.rejects,
        });
    }
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let n = got.rows.len();
    let stored = store.append(Body::QaVerdicts(QaEvent {
        source: format!("import {name}"),
        rows: got.rows,
    }))?;
    Ok(Imported {
        stored: Some(stored),
        recorded: n,
        rejects: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sampled(r: &str) -> Sampled {
        Sampled {
            vetting_ref: r.into(),
            sample: "refusal".into(),
            decision_date: "2026-05-26".into(),
        }
    }

    #[test]
    fn a_reference_is_found_in_any_case_and_behind_the_spreadsheet_guard() {
        let sample = [sampled("V501330"), sampled("'=V7")];
        assert_eq!(
            find(&sample, "r", "v501330").unwrap().vetting_ref,
            "V501330"
        );
        assert_eq!(find(&sample, "r", "=v7").unwrap().vetting_ref, "=V7");
        let e = find(&sample, "20261124-01", "V501428").unwrap_err();
        assert!(
            e.contains("not in the dip sample of run 20261124-01"),
            "{e}"
        );
    }
}
