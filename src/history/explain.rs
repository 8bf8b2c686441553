//! The fast path of `vetrecon explain`: find the newest stored run made by this
//! build from exactly these input files and this config, and read the pair's breakdown from
//! the explain bucket that run stored (`report::explain_detail`). Hashing the inputs is far
//! cheaper than linking the force again.
//!
//! The stored breakdown is the night's: it includes the clerical decisions in force that
//! night, which a relink from the files alone does not know.

use crate::error::StoreError;
use crate::report::explain_detail::{self, Breakdown};

use crate::store::{RunRecord, Store};

/// What a run must have been made from for its breakdowns to be tonight's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub version: String,
    pub config_sha256: String,
    /// SHA-256 of each file the config read (trained model, nickname list), any order.
    pub config_files: Vec<String>,
    /// (role, SHA-256) of each linking input explain reads: roster, posts, vetting and,
    /// when given, pnd_returns.
    pub inputs: Vec<(String, String)>,
}

/// The roles that decide the links (the other triggers do not).
pub const LINKING_ROLES: [&str; 4] = ["roster", "posts", "vetting", "pnd_returns"];

impl Wanted {
    pub fn matches(&self, r: &RunRecord) -> bool {
        let mut files: Vec<&str> = r.config_files.iter().map(|f| f.sha256.as_str()).collect();
        files.sort_unstable();
        let mut want_files: Vec<&str> = self.config_files.iter().map(String::as_str).collect();
        want_files.sort_unstable();
        let mut inputs: Vec<(&str, &str)> = r
            .inputs
            .iter()
            .filter(|i| LINKING_ROLES.contains(&i.role.as_str()))
            .map(|i| (i.role.as_str(), i.sha256.as_str()))
            .collect();
        inputs.sort_unstable();
        let mut want: Vec<(&str, &str)> = self
            .inputs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        want.sort_unstable();
        r.version == self.version
            && r.config.sha256 == self.config_sha256
            && files == want_files
            && inputs == want
            && !r.explain.is_empty()
    }
}

/// What the store could say about one pair.
#[derive(Debug, Clone, PartialEq)]
pub enum PairFound {
    /// No committed run has these inputs (or none stored the explain detail).
    NoRun,
    /// The run has these inputs but kept no breakdown of this pair (pruned, never blocked,
    /// a posterior below `MIN_KEPT_POSTERIOR`, or an unknown employee id or reference).
    NotScored { run_id: String },
    Pair {
        run_id: String,
        breakdown: Box<Breakdown>,
    },
}

/// The breakdown of (`employee_id`, `reference`) from the newest run made from `want`.
pub fn find(
    store: &Store,
    want: &Wanted,
    employee_id: &str,
    reference: &str,
) -> Result<PairFound, StoreError> {
    let runs = store.runs()?;
    let Some(run) = runs
        .iter()
        .rev()
        .find(|r| r.superseded_by.is_none() && want.matches(&r.record))
    else {
        return Ok(PairFound::NoRun);
    };
    let run_id = run.record.run_id.clone();
    let Some(sha) = run.record.explain.get(explain_detail::bucket_of(reference)) else {
        return Ok(PairFound::NotScored { run_id });
    };
    let bucket = store.get_blob(sha)?;
    Ok(
        match explain_detail::find(&bucket, employee_id, reference) {
            Some(b) => PairFound::Pair {
                run_id,
                breakdown: Box::new(b),
            },
            None => PairFound::NotScored { run_id },
        },
    )
}
