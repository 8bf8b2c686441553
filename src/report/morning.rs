//! Morning: everything the vetting manager's outputs show, gathered once per run so that the
//! HTML report, the spreadsheet and the CSV files all read the same figures.

use super::RunInfo;
use crate::analyse::{
    coverage::Coverage, disproportion::Analysis, forecast::Forecast, qa_sample::Pick, review::Item,
    ReportPolicy,
};
use crate::assess::Exception;
use crate::config::Levels;
use crate::history::diff::Diff;
use crate::history::past::Past;
use crate::ingest::Ingested;
use crate::link::LinkOutcome;
use crate::store::LinkCounts;

pub struct Morning<'a> {
    pub info: &'a RunInfo,
    pub policy: &'a ReportPolicy,
    pub levels: &'a Levels,
    pub data: &'a Ingested,
    pub links: &'a [LinkOutcome],
    pub link_counts: &'a LinkCounts,
    pub exceptions: &'a [Exception],
    pub past: &'a Past,
    /// Against the previous run (None on the first run).
    pub changes: Option<Diff>,
    pub coverage: Coverage,
    pub forecast: Forecast,
    pub disproportion: Analysis,
    pub qa: Vec<Pick>,
    pub review: Vec<Item>,
}

impl Morning<'_> {
    /// Exceptions per code tonight, every code present.
    pub fn counts(&self) -> std::collections::BTreeMap<String, usize> {
        super::summary::counts(self.exceptions)
    }

    /// The employee id a vetting record is linked to, if any.
    pub fn linked_employee(&self, record: usize) -> Option<&str> {
        self.links[record]
            .linked_person()
            .map(|p| self.data.persons[p as usize].employee_id.as_str())
    }
}
