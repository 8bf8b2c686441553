//! vetrecon: nightly reconciliation of a police force's HR roster and post register against
//! its vetting system.
//!
//! The pipeline, one module per stage, in the order a run goes through them:
//! `ingest` (read the three CSV files against the contract) -> `normalise` (comparable names
//! and identifiers) -> `link` (block, compare, weigh, assign: which person each vetting record
//! belongs to) -> `assess` (the exception rules and their priority) -> `analyse` (the manager's figures
//! beyond the exception list: designated-post coverage, renewal forecast, disproportionality,
//! QA sample, review queue) -> `store` (the audit record of every run, in sled) -> `report`
//! (the CSV, HTML and spreadsheet outputs). `night` is the pure
//! computation of one night, `run` wires it to files and the store; `history` answers
//! auditors from the store (show, diff, person, replay, verify, prune); `clerical` holds the
//! vetting officers' decisions; `config` and `model` are shared by all stages.

// No input value may panic a command: library code indexes and slices only
// through checked forms (`get`, iterators, `split_at_checked`, `strip_prefix`). An allow
// says on its item why the index cannot be out of range. Tests may index freely: a
// panic there is a failing test.
#![cfg_attr(not(test), deny(clippy::string_slice, clippy::indexing_slicing))]

pub mod analyse;
pub mod assess;
pub mod clerical;
pub mod config;
pub mod error;
pub mod evaluate;
pub mod generate;
pub mod history;
pub mod ingest;
pub mod interrupt;
pub mod link;
pub mod model;
pub mod night;
pub mod normalise;
pub mod preflight;
pub mod report;
pub mod run;
pub mod stage_clock;
pub mod store;
#[cfg(test)]
mod testkit;
pub mod write_target;
