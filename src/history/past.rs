//! What a run knows of the runs before it: the exception counts and open cases of recent
//! runs (the report's trend charts, the unit's backlog trend and the headline changes) and
//! the previous run's exceptions (new, resolved and persisting).
//!
//! Read from the chain as it stood before the run, so a replay sees exactly the history the
//! run saw. A run superseded by a `--rerun` drops out of the history, and a rerun compares
//! with the night before, not with the run it replaces. The history is the runs for earlier
//! as-of dates, in date order: a night backfilled after later ones (`run --backfill`) is
//! reported against the nights before it, and a later night sees it in its place.

use super::diff::{self, Key, Row};
use crate::error::StoreError;
use crate::store::{runs_of, RunView, Store, Stored};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub run_id: String,
    pub as_of: String,
    pub counts: BTreeMap<String, usize>,
    /// The optional feeds that night read (its counts of a code raised by another feed
    /// checked nothing).
    pub feeds_read: Vec<String>,
    /// That night's open cases (the unit's backlog trend); None for a night whose export
    /// carried no casework columns or that was made before they were kept.
    pub open_cases: Option<crate::model::casework::OpenCases>,
}

/// The optional feeds a run read, from its inputs.
fn feeds_read(r: &RunView) -> Vec<String> {
    crate::ingest::TRIGGER_ROLES
        .iter()
        .filter(|role| r.record.read_feed(role))
        .map(|role| role.to_string())
        .collect()
}

impl TrendPoint {
    /// Did that night check `code`: it read the feed that raises it, if any, and its counts
    /// hold the code (a night leaves out a code its export had no columns for, and a
    /// version before the code existed never counted it)?
    pub fn checked(&self, code: &str) -> bool {
        super::diff::checked(&self.feeds_read, code) && self.counts.contains_key(code)
    }
}

impl PreviousRun {
    /// Did the previous night check `code` (as `TrendPoint::checked`)?
    pub fn checked(&self, code: &str) -> bool {
        super::diff::checked(&self.feeds_read, code) && self.counts.contains_key(code)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreviousRun {
    pub run_id: String,
    /// The hash of its chain entry, as `vetrecon show` prints it (the page's provenance).
    pub hash: String,
    pub as_of: String,
    pub counts: BTreeMap<String, usize>,
    /// The optional feeds it read (see `TrendPoint::feeds_read`).
    pub feeds_read: Vec<String>,
    pub exceptions: BTreeMap<Key, Row>,
    /// The disproportionality groups that night listed with decisions (shown or
    /// suppressed), as (characteristic, group); empty for a run before the file existed.
    pub groups: Vec<(String, String)>,
    /// Those of `groups` it showed with their figures (not suppressed), so a group
    /// suppressed tonight can say it was shown the night before.
    pub shown_groups: Vec<(String, String)>,
    /// What the joiners-movers-leavers comparison reads of that night (None for a run made
    /// before it was kept: tonight has no earlier roster to compare with).
    pub jml: Option<JmlPast>,
}

/// The previous night's joiners-movers-leavers state (`model::jml`), and the officers'
/// closings in force when tonight's run started.
#[derive(Debug, Clone, PartialEq)]
pub struct JmlPast {
    pub as_of: chrono::NaiveDate,
    pub members: Vec<crate::model::jml::Member>,
    pub open: Vec<crate::model::jml::OpenAction>,
    pub closings: crate::clerical::jml::ClosingsInForce,
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
    let trend = runs
        .iter()
        .skip(skip)
        .map(|r| TrendPoint {
            run_id: r.record.run_id.clone(),
            as_of: r.record.as_of.clone(),
            counts: r.record.counts.clone(),
            feeds_read: feeds_read(r),
            open_cases: r.record.open_cases.clone(),
        })
        .collect();
    let previous = match runs.last() {
        Some(r) => {
            let groups = groups_of(store, r)?;
            Some(PreviousRun {
                run_id: r.record.run_id.clone(),
                hash: r.hash.clone(),
                as_of: r.record.as_of.clone(),
                counts: r.record.counts.clone(),
                feeds_read: feeds_read(r),
                exceptions: diff::exceptions_of(store, r)?,
                groups: groups
                    .iter()
                    .map(|(c, g, _)| (c.clone(), g.clone()))
                    .collect(),
                shown_groups: groups
                    .into_iter()
                    .filter(|(_, _, shown)| *shown)
                    .map(|(c, g, _)| (c, g))
                    .collect(),
                jml: jml_of(store, r, before)?,
            })
        }
        None => None,
    };
    Ok(Past { trend, previous })
}

/// The joiners-movers-leavers state run `run` kept, with the closings in force after
/// `before` (the chain as it stood when tonight's run started).
fn jml_of(store: &Store, run: &RunView, before: &[Stored]) -> Result<Option<JmlPast>, StoreError> {
    let Some(j) = &run.record.jml else {
        return Ok(None);
    };
    let bad = |e: String| StoreError::Corrupt(format!("run {}: {e}", run.record.run_id));
    let as_of = chrono::NaiveDate::parse_from_str(&run.record.as_of, "%Y-%m-%d")
        .map_err(|e| bad(e.to_string()))?;
    Ok(Some(JmlPast {
        as_of,
        members: crate::model::jml::members_from_bytes(&store.get_blob(&j.roster)?).map_err(bad)?,
        open: crate::model::jml::actions_from_bytes(&store.get_blob(&j.actions)?).map_err(bad)?,
        closings: crate::store::jml_closings_in_force(before)?,
    }))
}

/// The groups a run's disproportionality.csv listed with decisions: a suppressed row (no
/// figures) or one with at least one decision, each with whether it was shown (its figures
/// on the page). A row the run itself carried over with no decisions is left out, so a
/// group that has gone stops being listed after one night.
fn groups_of(store: &Store, run: &RunView) -> Result<Vec<(String, String, bool)>, StoreError> {
    let Some(file) = run
        .record
        .outputs
        .iter()
        .find(|o| o.name == "disproportionality.csv")
    else {
        return Ok(Vec::new());
    };
    let bad = |e: String| {
        StoreError::Corrupt(format!(
            "run {} disproportionality.csv: {e}",
            run.record.run_id
        ))
    };
    let bytes = store.get_blob(&file.sha256)?;
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let h = r.headers().map_err(|e| bad(e.to_string()))?.clone();
    let col = |name: &str| {
        h.iter()
            .position(|c| c == name)
            .ok_or_else(|| bad(format!("no column {name}")))
    };
    let (c, g, d, s) = (
        col("characteristic")?,
        col("group")?,
        col("decisions")?,
        col("suppressed")?,
    );
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let field = |i: usize| rec.get(i).unwrap_or("");
        // Undo the spreadsheet guard `report::cell::text` put on a formula-like start.
        let named = |i: usize| crate::report::cell::unguarded(field(i)).to_string();
        let suppressed = field(s) == "yes";
        let decided = field(d).parse::<u64>().is_ok_and(|n| n > 0);
        if suppressed || decided {
            out.push((named(c), named(g), !suppressed && decided));
        }
    }
    Ok(out)
}
