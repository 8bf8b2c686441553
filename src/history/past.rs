//! What a run knows of the runs before it: the exception counts of recent runs (the report's
//! trend chart and headline changes) and the previous run's exceptions (new, resolved and
//! persisting).
//!
//! Read from the chain as it stood before the run, so a replay sees exactly the history the
//! run saw. A run superseded by a `--rerun` drops out of the history, and a rerun compares
//! with the night before, not with the run it replaces. The history is the runs for earlier
//! as-of dates, in date order: a night backfilled after later ones (`run --backfill`) is
//! reported against the nights before it, and a later night sees it in its place.
#![allow(
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "pending: audited in the second pass"
)]

use super::diff::{self, Key, Row};
use crate::error::StoreError;
use crate::store::{runs_of, Store, Stored};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub run_id: String,
    pub as_of: String,
    pub counts: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreviousRun {
    pub run_id: String,
    pub as_of: String,
    pub counts: BTreeMap<String, usize>,
    pub exceptions: BTreeMap<Key, Row>,
}

/// The history a run is reported against. Empty for the first run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Past {
    /// Earlier runs, oldest first, at most `keep` of them.
    pub trend: Vec<TrendPoint>,
    pub previous: Option<PreviousRun>,
}

/// The past of a run for `as_of` (YYYY-MM-DD) whose chain prefix is `before` and which
/// supersedes `supersedes`.
pub fn load(
    store: &Store,
    before: &[Stored],
    supersedes: Option<&str>,
    as_of: &str,
    keep: usize,
) -> Result<Past, StoreError> {
    let runs: Vec<_> = super::in_date_order(runs_of(before))
        .into_iter()
        .filter(|r| {
            r.superseded_by.is_none()
                && Some(r.record.run_id.as_str()) != supersedes
                && r.record.as_of.as_str() < as_of
        })
        .collect();
    let skip = runs.len().saturating_sub(keep);
    let trend = runs[skip..]
        .iter()
        .map(|r| TrendPoint {
            run_id: r.record.run_id.clone(),
            as_of: r.record.as_of.clone(),
            counts: r.record.counts.clone(),
        })
        .collect();
    let previous = match runs.last() {
        Some(r) => Some(PreviousRun {
            run_id: r.record.run_id.clone(),
            as_of: r.record.as_of.clone(),
            counts: r.record.counts.clone(),
            exceptions: diff::exceptions_of(store, r)?,
        }),
        None => None,
    };
    Ok(Past { trend, previous })
}
