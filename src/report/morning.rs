//! Morning: everything the vetting manager's outputs show, gathered once per run so that the
//! HTML report, the spreadsheet and the CSV files all read the same figures.

use super::RunInfo;
use crate::analyse::{
    coverage::Coverage, disproportion::Analysis, forecast::Forecast, qa_sample::Pick, review::Item,
    ReportPolicy,
};
use crate::assess::Exception;
use crate::history::diff::Diff;
use crate::history::past::Past;
use crate::ingest::Ingested;
use crate::link::LinkOutcome;
use crate::model::Levels;
use crate::model::{Person, VettingRecord};
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
    /// Each code's severity under the force's policy, so a code with no rows tonight still
    /// shows how serious it is.
    pub severity: &'a std::collections::BTreeMap<crate::assess::Code, crate::assess::Severity>,
}

impl Morning<'_> {
    /// Exceptions per code tonight, every code present.
    pub fn counts(&self) -> std::collections::BTreeMap<String, usize> {
        super::summary::counts(self.exceptions)
    }

    // The review queue and the QA sample name records and people by position, and those
    // positions come from enumerating these same slices (`analyse::review`,
    // `analyse::qa_sample`) or from the linker's candidates: out of range is a bug in the
    // program, never a value in the input. These two are the one place it would show.

    /// The vetting record at `record` (a position from the review queue or the QA sample).
    #[allow(
        clippy::indexing_slicing,
        reason = "positions come from enumerating `data.vetting` (above)"
    )]
    pub fn record(&self, record: usize) -> &VettingRecord {
        &self.data.vetting[record]
    }

    /// The roster person at `person` (a review candidate's position).
    #[allow(
        clippy::indexing_slicing,
        reason = "review candidates are the linker's, drawn from `data.persons` (above)"
    )]
    pub fn person(&self, person: usize) -> &Person {
        &self.data.persons[person]
    }

    /// The employee id a vetting record is linked to, if any.
    pub fn linked_employee(&self, record: usize) -> Option<&str> {
        let l = self.links.get(record)?;
        let c = l.linked_person().and(l.best())?;
        Some(c.person_in(&self.data.persons).employee_id.as_str())
    }
}
