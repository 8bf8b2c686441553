//! The fast path of `vetrecon explain`: find the newest stored run made by this
//! build from exactly these input files and this config, and read the pair's breakdown from
//! the link record that run stored (`report::link_record`: its figures and one bucket), or
//! from the explain bucket a run before 0.8.0 stored (`report::explain_detail`). Hashing the
//! inputs is far cheaper than linking the force again. Also links.csv of a stored run, for
//! `report --with-links`.
//!
//! The stored breakdown is the night's: it includes the clerical decisions in force that
//! night, which a relink from the files alone does not know.

use crate::error::StoreError;
use crate::report::explain_detail::{self, Breakdown};
use crate::report::link_record;

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
            && (!r.explain.is_empty() || r.link_record.is_some())
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
    let bucket = explain_detail::bucket_of(reference);
    let found = match &run.record.link_record {
        Some(l) => match l.buckets.get(bucket) {
            Some(sha) => {
                let figures = link_record::read_figures(&store.get_blob(&l.figures)?)
                    .map_err(StoreError::Corrupt)?;
                let b =
                    link_record::read_bucket(&store.get_blob(sha)?).map_err(StoreError::Corrupt)?;
                link_record::find(&figures, &b, employee_id, reference)
            }
            None => None,
        },
        None => match run.record.explain.get(bucket) {
            Some(sha) => explain_detail::find(&store.get_blob(sha)?, employee_id, reference),
            None => None,
        },
    };
    Ok(match found {
        Some(b) => PairFound::Pair {
            run_id,
            breakdown: Box::new(b),
        },
        None => PairFound::NotScored { run_id },
    })
}

/// links.csv of a stored run: rendered from its link record, or as a run before 0.8.0
/// stored it.
pub fn links_csv(store: &Store, rec: &RunRecord) -> Result<Vec<u8>, StoreError> {
    if let Some(l) = &rec.link_record {
        let (figures, buckets) = read_record(store, l)?;
        return Ok(link_record::links_csv(&figures, &buckets));
    }
    match &rec.links_detail {
        Some(f) => store.get_blob(&f.sha256),
        None => Err(StoreError::Corrupt(format!(
            "run {} kept neither a link record nor links.csv",
            rec.run_id
        ))),
    }
}

/// An output a run did not store (`RunRecord::rendered`), rendered again from its link
/// record and checked against the hash the run recorded for it.
pub fn rendered_output(store: &Store, rec: &RunRecord, name: &str) -> Result<Vec<u8>, StoreError> {
    let want = (rec.outputs.iter().find(|o| o.name == name))
        .map(|o| o.sha256.as_str())
        .unwrap_or_default();
    let bytes = match (&rec.link_record, name) {
        (Some(l), "matches.csv") => {
            let (figures, buckets) = read_record(store, l)?;
            link_record::matches_csv(&figures, &buckets)
        }
        _ => {
            return Err(StoreError::Corrupt(format!(
                "run {} kept no {name} and no link record to render it from",
                rec.run_id
            )))
        }
    };
    let got = crate::ingest::hex_sha256(&bytes);
    if got != want {
        return Err(StoreError::Corrupt(format!(
            "{name} of run {} rendered from its link record is not the file the run wrote (SHA-256 {got}, the run recorded {want}): this build renders it differently from the build that made the run ({})",
            rec.run_id, rec.version
        )));
    }
    Ok(bytes)
}

/// A stored run's whole link record: its figures and every bucket, read back.
fn read_record(
    store: &Store,
    l: &crate::store::LinkRecordRef,
) -> Result<(link_record::Figures, Vec<link_record::ReadBucket>), StoreError> {
    let figures =
        link_record::read_figures(&store.get_blob(&l.figures)?).map_err(StoreError::Corrupt)?;
    let buckets = (l.buckets.iter())
        .map(|b| {
            (store.get_blob(b))
                .and_then(|b| link_record::read_bucket(&b).map_err(StoreError::Corrupt))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((figures, buckets))
}

/// links.csv from a link record's payloads: its figures, then its buckets in order.
pub fn record_links_csv(figures: &[u8], buckets: &[Vec<u8>]) -> Result<Vec<u8>, StoreError> {
    let figures = link_record::read_figures(figures).map_err(StoreError::Corrupt)?;
    let buckets = (buckets.iter())
        .map(|b| link_record::read_bucket(b))
        .collect::<Result<Vec<_>, _>>()
        .map_err(StoreError::Corrupt)?;
    Ok(link_record::links_csv(&figures, &buckets))
}
