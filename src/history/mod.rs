//! History: what the store can tell auditors and vetting officers about past nights.
//!
//! Read-side commands, each one module: `show` (one run), `diff` (exceptions between two
//! runs), `person` (one person's timeline), `replay` (recompute a run and compare bytes),
//! `verify` (walk the hash chain and every payload), `prune` (retention), `decide`
//! (record clerical decisions), `qa` (record QA verdicts on a night's dip sample), `jml`
//! (close a joiners-movers-leavers action), and `past` (the earlier runs a night is reported against).
//! None of them reads input files from disk: a stored run is the whole truth about its night.
//! Everything they print passes through `text::escape` (one line at a time), so stored free
//! text can never start a line of its own.

pub mod decide;
pub mod diff;
pub mod explain;
pub mod jml;
pub mod past;
pub mod person;
pub mod prune;
pub mod qa;
pub mod replay;
pub mod show;
pub mod text;
pub mod verify;

pub use text::escape;

use crate::store::RunView;

/// Runs in the order history reads them: by as-of date, then run id (a rerun after the run
/// it replaces). This is not chain order once a night has been backfilled (`run
/// --backfill`), and every history view (run list, timeline, trend, retention) follows the
/// calendar, not the order the runs happened to be committed in.
pub fn in_date_order(mut runs: Vec<RunView>) -> Vec<RunView> {
    runs.sort_by(|a, b| {
        (a.record.as_of.as_str(), a.record.run_id.as_str())
            .cmp(&(b.record.as_of.as_str(), b.record.run_id.as_str()))
    });
    runs
}

/// The run history treats as the latest: the newest as-of date not superseded by a rerun.
pub fn latest(runs: &[RunView]) -> Option<&RunView> {
    runs.iter()
        .filter(|r| r.superseded_by.is_none())
        .max_by(|a, b| {
            (a.record.as_of.as_str(), a.record.run_id.as_str())
                .cmp(&(b.record.as_of.as_str(), b.record.run_id.as_str()))
        })
}
