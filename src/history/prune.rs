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
//!
//! The latest `--before` recorded is the store's retention horizon. A night before it (a
//! backfill or a rerun of a night whose inputs retention removed) would store that personal
//! data again, so `run` refuses it unless `--past-retention` (`check_night`), and then
//! prunes again up to the horizon right after its commit (`reapply`, which every run calls,
//! so a run killed between its commit and that prune has it done by the next night).

use crate::error::{Error, StoreError};
use crate::store::{Body, PruneEvent, Store, Stored};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// The retention horizon: the latest `--before` of a recorded prune, and when that prune ran.
pub fn horizon(entries: &[Stored]) -> Option<(String, String)> {
    entries
        .iter()
        .filter_map(|s| match &s.entry.body {
            Body::Prune(p) => Some((p.before.clone(), p.at.clone())),
            _ => None,
        })
        .max()
}

/// Refuse a night before the retention horizon unless `past_retention`. Returns the
/// horizon when the night is before it (and allowed), so the run prunes again after it.
pub fn check_night(
    entries: &[Stored],
    as_of: NaiveDate,
    past_retention: bool,
) -> Result<Option<NaiveDate>, StoreError> {
    let Some((before, at)) = horizon(entries) else {
        return Ok(None);
    };
    let day = as_of.to_string();
    if day >= before {
        return Ok(None);
    }
    if !past_retention {
        return Err(StoreError::PrunedPeriod {
            as_of: day,
            before,
            at,
        });
    }
    Ok(NaiveDate::parse_from_str(&before, "%Y-%m-%d").ok())
}

/// After a run's commit: when a run before the retention horizon still holds inputs that
/// no later run shares, prune again up to the horizon. Returns what was pruned, if anything.
pub fn reapply(store: &Store, at: &str) -> Result<Option<Pruned>, Error> {
    let entries = store.entries()?;
    let Some(before) =
        horizon(&entries).and_then(|(b, _)| NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok())
    else {
        return Ok(None);
    };
    if plan(&entries, &before.to_string()).drop.is_empty() {
        return Ok(None);
    }
    Ok(Some(prune(store, before, at)?))
}

/// What a prune before `before_s` drops and keeps.
struct Plan {
    keep: BTreeSet<String>,
    drop: BTreeSet<String>,
    /// Runs before the date with inputs no prune has covered for them yet.
    affected: Vec<String>,
}

/// The (run, payload) pairs recorded prunes cover: what `verify` accepts as missing.
fn covered(entries: &[Stored]) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for s in entries {
        if let Body::Prune(p) = &s.entry.body {
            for r in &p.runs {
                out.extend(p.blobs.iter().map(|b| (r.clone(), b.clone())));
            }
        }
    }
    out
}

/// An input is dropped for a run before the date unless a prune already covers it for that
/// run, or a run on or after the date (or any run's non-input) still uses the same bytes.
/// Covered per run, not per payload: a night committed after a prune (`--past-retention`)
/// may store a payload that prune dropped again, and its own prune entry must name it.
fn plan(entries: &[Stored], before_s: &str) -> Plan {
    let runs = super::in_date_order(crate::store::runs_of(entries));
    let covered = covered(entries);
    let mut keep: BTreeSet<String> = BTreeSet::new();
    let mut drop: BTreeSet<String> = BTreeSet::new();
    let mut affected = Vec::new();
    for r in &runs {
        let rec = &r.record;
        let old = rec.as_of.as_str() < before_s;
        let mut touched = false;
        for (what, h) in rec.blobs() {
            if !(old && what.starts_with("input ")) {
                keep.insert(h.to_string());
            } else if !covered.contains(&(rec.run_id.clone(), h.to_string())) {
                drop.insert(h.to_string());
                touched = true;
            }
        }
        if touched {
            affected.push(rec.run_id.clone());
        }
    }
    drop.retain(|h| !keep.contains(h));
    Plan {
        keep,
        drop,
        affected,
    }
}

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
    let Plan {
        keep,
        drop,
        affected,
    } = plan(&entries, &before_s);
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
