//! `vetrecon prune --before DATE`: drop the input payloads of runs older than the retention
//! period, keeping the chain verifiable.
//!
//! Run records are never touched (the chain would break); the prune itself is a chain entry
//! listing the payloads it dropped, so `verify` knows they are meant to be missing and
//! `replay` can say why a run can no longer be replayed. Payloads still used by a run on or
//! after DATE are kept (an unchanged file is one payload shared by many nights). A kept delta
//! whose keyframe is dropped is first re-stored as a keyframe. Payloads no committed run
//! references (left by a run killed before its commit) are swept at the same time.
//!
//! Outputs (what the job said) are kept: auditors need them for as long as the records.

use crate::error::Error;
use crate::store::{Body, PruneEvent, Store};
use chrono::NaiveDate;
use std::collections::BTreeSet;

#[derive(Debug)]
pub struct Pruned {
    pub runs: Vec<String>,
    pub payloads: usize,
    pub swept: usize,
    pub bytes: u64,
    pub recorded: bool,
}

pub fn prune(store: &Store, before: NaiveDate, at: &str) -> Result<Pruned, Error> {
    let entries = store.entries()?;
    let runs = super::in_date_order(crate::store::runs_of(&entries));
    let before_s = before.to_string();
    // The latest run by date, not the last committed: after a backfill they differ, and the
    // refusal must name the night that would really lose its inputs.
    if let Some(last) = super::latest(&runs) {
        if before_s > last.record.as_of {
            return Err(Error::Usage(format!(
                "--before {before} is after the latest run ({} as of {}); that would drop the inputs of every run",
                last.record.run_id, last.record.as_of
            )));
        }
    }
    let already = store.pruned()?;
    let mut keep: BTreeSet<String> = BTreeSet::new();
    let mut drop: BTreeSet<String> = BTreeSet::new();
    let mut affected = Vec::new();
    for r in &runs {
        let rec = &r.record;
        let old = rec.as_of < before_s;
        for (what, h) in rec.blobs() {
            if old && what.starts_with("input ") {
                if !already.contains(h) {
                    drop.insert(h.to_string());
                }
            } else {
                keep.insert(h.to_string());
            }
        }
        if old && rec.inputs.iter().any(|i| !already.contains(&i.sha256)) {
            affected.push(rec.run_id.clone());
        }
    }
    drop.retain(|h| !keep.contains(h));
    let index = store.blob_index()?;
    let referenced: BTreeSet<&String> = keep.iter().chain(drop.iter()).collect();
    let swept: BTreeSet<String> = index
        .iter()
        .filter(|(h, _, _)| !referenced.contains(h))
        .map(|(h, _, _)| h.clone())
        .collect();
    let gone: BTreeSet<&String> = drop.iter().chain(swept.iter()).collect();
    // Kept deltas whose keyframe is going become keyframes first.
    for (h, _, base) in &index {
        if !gone.contains(h) && base.as_ref().is_some_and(|b| gone.contains(b)) {
            store.make_keyframe(h)?;
        }
    }
    let bytes: u64 = index
        .iter()
        .filter(|(h, _, _)| gone.contains(h))
        .map(|(_, n, _)| n)
        .sum();
    let present: BTreeSet<&String> = index.iter().map(|(h, _, _)| h).collect();
    let payloads = drop.iter().filter(|h| present.contains(h)).count();
    let recorded = !drop.is_empty();
    if recorded {
        store.append(Body::Prune(PruneEvent {
            at: at.to_string(),
            before: before_s,
            runs: affected.clone(),
            blobs: drop.iter().cloned().collect(),
            bytes,
        }))?;
    } else {
        store.flush()?;
    }
    // Deleting after the event is committed: a crash in between leaves payloads the next
    // prune removes, never a missing payload that verify would report as tampering.
    // Payloads pruned earlier but still present (such a crash) are removed now too.
    for h in drop
        .iter()
        .chain(swept.iter())
        .chain(already.iter().filter(|h| !keep.contains(*h)))
    {
        store.remove_blob(h)?;
    }
    store.flush()?;
    Ok(Pruned {
        runs: affected,
        payloads,
        swept: swept.len(),
        bytes,
        recorded,
    })
}
